"""Writes for paying vendors: claims, their review and approval, payment batches, bank files.

Every function checks everything first and writes only when all is right, inside one transaction: a
refused action changes nothing. Bank numbers are never put in an error message or a log line.
"""

import dataclasses
import datetime
import importlib
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from pcn.markets.models import Market, Vendor
from pcn.markets.selectors import vendor_is_authorized
from pcn.payments import formats
from pcn.payments.models import (
    BankFile, BatchItem, Claim, ClaimLine, Currency, Method, PayeeDetails, PaymentBatch, PaymentSettings,
)
from pcn.payments.selectors import (
    awaiting_twin_decision, claim_amount_cents, unclaimed_counts, unclaimed_redemptions,
)
from pcn.programs.models import Program, Season

# The files each way of paying produces. Every batch also has its CSV remittance advice.
FORMATS = {
    Method.BANK: ("cpa005", "pain001", "csv_remittance"),
    Method.INTERAC: ("interac", "csv_remittance"),
    Method.CHEQUE: ("cheques", "csv_remittance"),
    Method.MARKET: ("csv_remittance", "cheques"),
}
# A batch settled in a local currency goes to the currency's operator as a list (units and dollars side by
# side); no bank file moves local units.
LOCAL_FORMATS = ("csv_remittance",)


def formats_for(batch: PaymentBatch) -> tuple[str, ...]:
    return LOCAL_FORMATS if batch.currency == Currency.LOCAL else FORMATS[batch.method]


def settings_for(program: Program) -> PaymentSettings | None:
    return PaymentSettings.objects.filter(program=program).first()


def to_local(amount_cents: int, units_per_100_cad: int) -> int:
    """Dollars (cents) to local currency units (hundredths), rounded half up: 100 $ at 105 → 105,00 units."""
    return (amount_cents * units_per_100_cad + 50) // 100


def _next_number(model, program: Program) -> int:
    return (model.objects.filter(program=program).aggregate(n=Max("number"))["n"] or 0) + 1


def _lock_program(program_id: int) -> Program:
    """Claims and batches are numbered per program; the program row serializes their numbering."""
    return Program.objects.select_for_update().get(pk=program_id)


# Claims


@transaction.atomic
def claims_prepare(
    *, season: Season, by, until: datetime.date, vendor: Vendor | None = None, market: Market | None = None
) -> list[Claim]:
    """Turn the season's payable redemptions taken up to `until` (inclusive, local date) that no claim holds
    yet into claims, one per vendor. A vendor whose payment details say « paid by the market » gets one claim
    per market where it took coupons, and the program reimburses that market; `market` (a market manager
    claiming for its market) takes only those vendors, at that market. Counts by denomination (programs that
    do not read codes) are included. A redemption whose twin waits for review waits too.

    Locking: the program row, so that two people preparing claims at once cannot claim a redemption twice
    (the one-line-per-redemption constraint would refuse it anyway), then the season row, so that the season
    cannot close meanwhile."""
    _lock_program(season.program_id)
    season = Season.objects.select_for_update().get(pk=season.pk)  # as it is now, and not closing meanwhile
    if season.closed_at:
        raise ValidationError(_("Cette saison est fermée : elle ne reçoit plus de réclamations."))
    end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time(), timezone.get_current_timezone())
    redemptions = unclaimed_redemptions(season).filter(taken_at__lt=end)
    counts = unclaimed_counts(season).filter(day__lte=until)
    if vendor is not None:
        redemptions, counts = redemptions.filter(vendor=vendor), counts.filter(vendor=vendor)
    paid_by_market = set(PayeeDetails.objects.filter(vendor__program_id=season.program_id, method=Method.MARKET)
                         .values_list("vendor_id", flat=True))
    if market is not None:
        redemptions = redemptions.filter(market=market, vendor__in=paid_by_market)
        counts = counts.filter(market=market, vendor__in=paid_by_market)

    lines: dict[tuple[int, int | None], list[ClaimLine]] = defaultdict(list)
    days: dict[tuple[int, int | None], list[datetime.date]] = defaultdict(list)
    # Only the columns a line needs: a city's season brings tens of thousands of redemptions here.
    zone = timezone.get_current_timezone()
    rows = redemptions.order_by("taken_at", "pk").values_list("pk", "vendor_id", "market_id", "value_cents", "taken_at")
    for pk, vendor_id, market_id, value, taken_at in rows.iterator(chunk_size=5000):
        key = (vendor_id, market_id if vendor_id in paid_by_market else None)
        lines[key].append(ClaimLine(redemption_id=pk, amount_cents=value))
        days[key].append(taken_at.astimezone(zone).date())
    for pk, vendor_id, market_id, value, day in counts.order_by("day", "pk").values_list(
            "pk", "vendor_id", "market_id", "value_cents", "day"):
        key = (vendor_id, market_id if vendor_id in paid_by_market else None)
        lines[key].append(ClaimLine(redemption_count_id=pk, amount_cents=value))
        days[key].append(day)
    if not lines and market is not None:
        raise ValidationError(_("Il n'y a aucun coupon à réclamer pour ce marché jusqu'au %(day)s. Seuls les "
                                "marchands que le marché paie lui-même (« Payé par le marché » dans leurs "
                                "coordonnées de paiement) sont réclamés ici.") % {"day": date_format(until)})
    if not lines:
        raise ValidationError(_("Il n'y a aucun coupon à réclamer jusqu'au %(day)s : tout est déjà réclamé.")
                              % {"day": date_format(until)})

    number = _next_number(Claim, season.program)
    claims = []
    for (vendor_id, market_id), claim_lines in sorted(lines.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
        claim = Claim.objects.create(
            program_id=season.program_id, season=season, vendor_id=vendor_id, market_id=market_id, number=number,
            period_start=min(days[(vendor_id, market_id)]), period_end=max(days[(vendor_id, market_id)]),
            created_by=by,
        )
        for line in claim_lines:
            line.claim = claim
        ClaimLine.objects.bulk_create(claim_lines, batch_size=5000)
        claims.append(claim)
        number += 1
    return claims


def _lock_claim(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().select_related("season", "vendor").get(pk=claim.pk)


@transaction.atomic
def claim_line_reject(*, line: ClaimLine, reason: str, by) -> ClaimLine:
    """Reject one line of a claim, with the reason the vendor will read. Possible until the claim is in a
    payment batch (during the settlement window after approval, too); a rejection is written once."""
    claim = _lock_claim(line.claim)
    line = ClaimLine.objects.select_for_update().get(pk=line.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Écrivez la raison du refus : le marchand la lira.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Écrivez la raison en 300 caractères au plus.")})
    if line.rejected:
        raise ValidationError(_("Cette ligne est déjà refusée."))
    if BatchItem.objects.filter(claim=claim).exists():
        raise ValidationError(_("Cette réclamation est déjà dans un lot de paiement : elle ne peut plus être "
                                "corrigée. Retirez-la du lot d'abord, s'il n'est pas encore approuvé."))
    line.rejected_reason, line.rejected_by, line.rejected_at = reason, by, timezone.now()
    line.save(update_fields=["rejected_reason", "rejected_by", "rejected_at"])
    return line


@transaction.atomic
def claim_approve(*, claim: Claim, by) -> Claim:
    """Approve a claim (once). It becomes payable after the program's settlement window."""
    claim = _lock_claim(claim)
    if claim.approved_at:
        raise ValidationError(_("Cette réclamation est déjà approuvée (le %(day)s).")
                              % {"day": date_format(timezone.localdate(claim.approved_at))})
    settings = settings_for(claim.season.program)
    window = settings.settlement_days if settings else 0
    claim.approved_by, claim.approved_at = by, timezone.now()
    claim.payable_on = timezone.localdate(claim.approved_at) + datetime.timedelta(days=window)
    claim.save(update_fields=["approved_by", "approved_at", "payable_on"])
    return claim


# Payment batches


def _claim_problems(claim: Claim, batch: PaymentBatch, amount: int, today: datetime.date) -> list[str]:
    """Why this claim cannot be paid in this batch (empty when it can). No bank number in these sentences."""
    ref, name = claim.reference, claim.vendor.business_name
    where = {"claim": ref, "vendor": name}
    if claim.season_id != batch.season_id:
        return [_("%(claim)s (%(vendor)s) est d'une autre saison.") % where]
    if not claim.approved_at:
        return [_("%(claim)s (%(vendor)s) n'est pas encore approuvée.") % where]
    if claim.payable_on > today:
        return [_("%(claim)s (%(vendor)s) peut encore être corrigée jusqu'au %(day)s : elle sera payable ensuite.")
                % {**where, "day": date_format(claim.payable_on)}]
    if amount <= 0:
        return [_("%(claim)s (%(vendor)s) n'a rien à payer : toutes ses lignes sont refusées.") % where]
    if claim.lines.filter(rejected_at__isnull=True).filter(awaiting_twin_decision("redemption")).exists():
        return [_("Un coupon de %(claim)s (%(vendor)s) a été pris aussi sur un autre appareil et attend une "
                  "décision (« À examiner ») : décidez-en avant de payer.") % where]
    if not vendor_is_authorized(vendor=claim.vendor, season=claim.season):
        return [_("%(vendor)s n'est pas autorisé pour cette saison : %(claim)s ne peut pas être payée. "
                  "Autorisez le marchand d'abord, si c'est voulu.") % where]
    if batch.method == Method.MARKET:
        if claim.market_id is None:
            return [_("%(claim)s (%(vendor)s) n'a pas été faite par un marché : payez-la au marchand.") % where]
        return []
    if claim.market_id is not None:
        return [_("%(claim)s (%(vendor)s) a été payée par le marché : mettez-la dans un lot « payé par le marché ».")
                % where]
    payee = PayeeDetails.objects.filter(vendor=claim.vendor).first()
    if payee is None:
        return [_("%(vendor)s n'a pas de coordonnées de paiement : ajoutez-les sur sa fiche (trésorerie).") % where]
    problems = []
    if payee.method != batch.method:
        problems.append(_("%(vendor)s est payé par « %(method)s » : mettez %(claim)s dans un lot de ce mode.")
                        % {**where, "method": payee.get_method_display()})
    if payee.currency != batch.currency:
        problems.append(_("%(vendor)s est payé en « %(currency)s » : mettez %(claim)s dans un lot de cette monnaie.")
                        % {**where, "currency": payee.get_currency_display()})
    if batch.method == Method.BANK and not payee.has_bank_account:
        problems.append(_("%(vendor)s n'a pas de compte bancaire complet (institution, transit, compte) : "
                          "complétez sa fiche avant de le payer par virement.") % where)
    if batch.method == Method.INTERAC and not (payee.interac_email or payee.interac_phone):
        problems.append(_("%(vendor)s n'a ni courriel ni cellulaire Interac : complétez sa fiche.") % where)
    return problems


@transaction.atomic
def batch_create(
    *, season: Season, method: str, currency: str = Currency.CAD, payment_on: datetime.date, claims, by
) -> PaymentBatch:
    """A new batch (draft) holding these approved claims. Nothing is created if one claim cannot go in."""
    program = _lock_program(season.program_id)
    if method not in Method.values:
        raise ValidationError({"method": _("Choisissez un mode de paiement de la liste.")})
    if currency not in Currency.values:
        raise ValidationError({"currency": _("Choisissez une monnaie de la liste.")})
    settings = settings_for(program)
    rate, name = None, ""
    if currency == Currency.LOCAL:
        if not (settings and settings.has_local_currency):
            raise ValidationError({"currency": _("Ce programme n'a pas de monnaie locale : donnez son nom et son "
                                                 "taux dans les paramètres de paiement.")})
        rate, name = settings.local_units_per_100_cad, settings.local_currency_name
    batch = PaymentBatch(
        program=program, season=season, number=_next_number(PaymentBatch, program), method=method, currency=currency,
        currency_name=name, local_units_per_100_cad=rate, payment_on=payment_on, created_by=by, changed_by=by,
    )
    claims = list(claims)
    if not claims:
        raise ValidationError(_("Cochez au moins une réclamation à payer."))
    batch.save()
    _add(batch, claims, by)
    return batch


def _add(batch: PaymentBatch, claims, by) -> None:
    today = timezone.localdate()
    problems, items = [], []
    locked = Claim.objects.select_for_update().filter(pk__in=[c.pk for c in claims]).select_related("vendor", "season")
    for claim in locked.order_by("number"):
        if BatchItem.objects.filter(claim=claim).exists():
            problems.append(_("%(claim)s est déjà dans un lot de paiement.") % {"claim": claim.reference})
            continue
        if claim.program_id != batch.program_id:
            problems.append(_("Une réclamation choisie n'est pas de ce programme."))
            continue
        amount = claim_amount_cents(claim)
        found = _claim_problems(claim, batch, amount, today)
        if found:
            problems.extend(found)
            continue
        local = to_local(amount, batch.local_units_per_100_cad) if batch.currency == Currency.LOCAL else None
        items.append(BatchItem(batch=batch, claim=claim, amount_cents=amount, local_amount=local, added_by=by))
    if problems:
        raise ValidationError(problems)
    BatchItem.objects.bulk_create(items)


def _lock_batch(batch: PaymentBatch) -> PaymentBatch:
    return PaymentBatch.objects.select_for_update().select_related("season", "program").get(pk=batch.pk)


def _refuse_if_approved(batch: PaymentBatch) -> None:
    if batch.paid_at:
        raise ValidationError(_("Ce lot est payé : il ne peut plus changer."))
    if batch.approved_at:
        raise ValidationError(_("Ce lot est approuvé : il ne peut plus changer. Préparez un autre lot."))


@transaction.atomic
def batch_add_claims(*, batch: PaymentBatch, claims, by) -> PaymentBatch:
    batch = _lock_batch(batch)
    _refuse_if_approved(batch)
    claims = list(claims)
    if not claims:
        raise ValidationError(_("Cochez au moins une réclamation à payer."))
    _add(batch, claims, by)
    batch.changed_by = by
    batch.save(update_fields=["changed_by"])
    return batch


@transaction.atomic
def batch_remove_claim(*, batch: PaymentBatch, claim: Claim, by) -> PaymentBatch:
    """Take a claim out of a batch still being prepared (it can then be corrected, or paid later)."""
    batch = _lock_batch(batch)
    _refuse_if_approved(batch)
    BatchItem.objects.filter(batch=batch, claim=claim).delete()
    batch.changed_by = by
    batch.save(update_fields=["changed_by"])
    return batch


@transaction.atomic
def batch_approve(*, batch: PaymentBatch, by) -> PaymentBatch:
    """A second person approves the batch: never one who made it, added a claim to it or took one out. Each
    claim is checked again (a vendor's authorization or details may have changed since), then whom each
    payment goes to and the fiduciary's numbers are written into the batch: the files use what was approved,
    whatever changes later."""
    batch = _lock_batch(batch)
    _refuse_if_approved(batch)
    items = list(batch.items.select_related("claim__vendor__payee", "claim__season", "claim__market__operator"))
    if by.pk in {batch.created_by_id, batch.changed_by_id} | {item.added_by_id for item in items}:
        raise ValidationError(_("Vous avez préparé ou modifié ce lot : une autre personne doit l'approuver."))
    if not items:
        raise ValidationError(_("Ce lot est vide : ajoutez-y des réclamations avant de l'approuver."))
    today = datetime.date.max  # the settlement window was checked when the claim went in
    problems = [p for item in items for p in _claim_problems(item.claim, batch, item.amount_cents, today)]
    for item in items:
        if claim_amount_cents(item.claim) != item.amount_cents:  # pragma: no cover - rejections stop at batching
            problems.append(_("Le montant de %(claim)s a changé : retirez-la et ajoutez-la de nouveau.")
                            % {"claim": item.claim.reference})
    if problems:
        raise ValidationError(problems)
    for item in items:
        item.payee = _payee_details(batch, item.claim)
    BatchItem.objects.bulk_update(items, ["payee"])
    batch.originator = dataclasses.asdict(_originator(batch.program))
    batch.approved_by, batch.approved_at = by, timezone.now()
    batch.save(update_fields=["originator", "approved_by", "approved_at"])
    return batch


@transaction.atomic
def batch_mark_paid(*, batch: PaymentBatch, by) -> PaymentBatch:
    """Record that the money left (once). A second "paid" changes nothing and says so."""
    batch = _lock_batch(batch)
    if batch.paid_at:
        raise ValidationError(_("Ce lot est déjà noté payé (le %(day)s) : rien n'a changé.")
                              % {"day": date_format(timezone.localdate(batch.paid_at))})
    if not batch.approved_at:
        raise ValidationError(_("Ce lot n'est pas approuvé : une deuxième personne doit l'approuver avant le "
                                "paiement."))
    if batch.approved_by_id == by.pk:
        raise ValidationError(_("Vous avez approuvé ce lot : une autre personne doit le payer."))
    batch.paid_by, batch.paid_at = by, timezone.now()
    batch.save(update_fields=["paid_by", "paid_at"])
    return batch


# Files


def _originator(program: Program) -> formats.Originator:
    settings = settings_for(program)
    return formats.Originator(
        name=(settings.originator_name if settings else "") or program.name[:30],
        short_name=(settings.originator_short_name if settings else "") or program.name[:15],
        originator_number=settings.originator_number if settings else "",
        data_centre=settings.data_centre if settings else "",
        institution=settings.institution if settings else "",
        transit=settings.transit if settings else "",
        account=settings.account if settings else "",
    )


@sensitive_variables("details")
def _payee_details(batch: PaymentBatch, claim: Claim) -> dict:
    """Whom a claim's money goes to: the market (market batches) or the vendor, with only the details its way
    of payment uses (an Interac list never falls back on a vendor's general email or phone)."""
    if batch.method == Method.MARKET:
        market = claim.market
        operator = market.operator
        return {"name": operator.name if operator else market.name, "email": market.contact_email,
                "phone": market.contact_phone, "address": operator.address if operator else ""}
    details = getattr(claim.vendor, "payee", None)
    name = (details.account_holder if details and details.account_holder else "") or claim.vendor.business_name
    if details is None:
        return {"name": name}
    if batch.method == Method.BANK:
        return {"name": name, "institution": details.institution, "transit": details.transit,
                "account": details.account}
    if batch.method == Method.INTERAC:
        return {"name": name, "email": details.interac_email, "phone": details.interac_phone}
    return {"name": name, "address": details.mailing_address}


@sensitive_variables("payee", "details")
def payment_file_for(batch: PaymentBatch, *, file_creation_number: int = 0) -> formats.PaymentFile:
    """The batch as plain data for the format modules: one payment per vendor (per market when the markets
    paid their vendors), adding up its claims, with whom it goes to as approved (as it stands now before
    approval)."""
    originator = formats.Originator(**batch.originator) if batch.originator else _originator(batch.program)
    groups: dict[tuple[str, int], list[BatchItem]] = defaultdict(list)
    items = batch.items.select_related("claim__vendor__payee", "claim__market__operator").order_by("claim__number")
    for item in items:
        key = ("market", item.claim.market_id) if batch.method == Method.MARKET else ("vendor", item.claim.vendor_id)
        groups[key].append(item)
    payees = []
    for line, (key, group) in enumerate(sorted(groups.items(), key=lambda g: g[1][0].claim.number), start=1):
        refs = tuple(item.claim.reference for item in group)
        amount = sum(item.amount_cents for item in group)
        local = sum(item.local_amount for item in group) if batch.currency == Currency.LOCAL else None
        reference = f"{batch.reference}-{line}"
        message = _("Coupons nourriciers %(refs)s (%(ref)s)") % {"refs": ", ".join(refs), "ref": reference}
        details = group[0].payee or _payee_details(batch, group[0].claim)
        payees.append(formats.Payee(amount_cents=amount, reference=reference, claims=refs, message=message,
                                    local_amount=local, **details))
    return formats.PaymentFile(
        originator=originator, reference=batch.reference, created_on=timezone.localdate(),
        payment_on=batch.payment_on, file_creation_number=file_creation_number, payees=tuple(payees),
        currency="CAD", currency_name=batch.currency_name,
    )


def format_module(name: str):
    return importlib.import_module(f"pcn.payments.formats.{name}")


@transaction.atomic
def batch_export(*, batch: PaymentBatch, format: str, by) -> BankFile:
    """The batch's file in one format, produced once and kept: a second download gives the same bytes, so a
    bank never sees two files for one batch. A CPA-005 file takes the originator's next file creation number."""
    batch = _lock_batch(batch)
    if format not in formats_for(batch):
        raise ValidationError(_("Ce fichier ne sert pas à ce mode de paiement."))
    existing = BankFile.objects.filter(batch=batch, format=format).first()
    if existing is not None:
        return existing
    if not batch.approved_at:
        raise ValidationError(_("Le lot doit être approuvé par une deuxième personne avant d'en tirer un fichier."))
    # The fiduciary's numbers as approved; one still empty then (settings completed after approval) is taken
    # from the settings now, but a number the approval saw is never replaced.
    approved = formats.Originator(**batch.originator)
    current = _originator(batch.program)
    originator = dataclasses.replace(approved, **{
        name: getattr(current, name) for name in ("originator_number", "data_centre", "institution", "transit",
                                                   "account") if not getattr(approved, name)})
    number = cycle = None
    if format == "cpa005":
        if not all((originator.originator_number, originator.data_centre, originator.institution, originator.transit,
                    originator.account)):
            raise ValidationError(_("Donnez d'abord le numéro d'émetteur, le centre de traitement et le compte du "
                                    "fiduciaire dans les paramètres de paiement (trésorerie)."))
        number, cycle = _next_file_creation_number(originator.originator_number, batch.program)
    if format == "pain001" and not (originator.institution and originator.transit and originator.account):
        raise ValidationError(_("Donnez d'abord le compte du fiduciaire (institution, transit, compte) dans les "
                                "paramètres de paiement (trésorerie)."))
    payment_file = dataclasses.replace(payment_file_for(batch, file_creation_number=number or 0), originator=originator)
    try:
        content = format_module(format).render(payment_file)
    except ValueError as error:  # what the format cannot carry, past the checks above (its words are English)
        raise ValidationError(_("Ce fichier ne peut pas être produit : %(why)s Corrigez la fiche en cause, ou "
                                "tirez un autre fichier (l'avis de paiement CSV se produit toujours).")
                              % {"why": error}) from None
    return BankFile.objects.create(
        batch=batch, format=format, originator_number=originator.originator_number if number else "",
        cycle=cycle or 0, file_creation_number=number, content=content, created_by=by,
    )


def _next_file_creation_number(originator_number: str, program: Program) -> tuple[int, int]:
    """The originator's next CPA-005 file creation number (1 to 9999, then 1 again in a new cycle), and its
    cycle. Locks every program's settings that use this originator number, so that two programs sharing a
    fiduciary cannot take the same number at once."""
    sharing = list(PaymentSettings.objects.select_for_update().filter(originator_number=originator_number)
                   .order_by("pk"))
    last = BankFile.objects.filter(originator_number=originator_number, file_creation_number__isnull=False).order_by(
        "-cycle", "-file_creation_number").first()
    if last is None:
        own = next((s for s in sharing if s.program_id == program.pk), None)
        return (own.first_file_creation_number if own else 1), 0
    if last.file_creation_number >= 9999:
        return 1, last.cycle + 1
    return last.file_creation_number + 1, last.cycle


def batch_totals(batch: PaymentBatch) -> dict[str, int]:
    totals = batch.items.aggregate(cents=Coalesce(Sum("amount_cents"), 0), local=Coalesce(Sum("local_amount"), 0))
    return {"cents": totals["cents"], "local": totals["local"] if batch.currency == Currency.LOCAL else None}
