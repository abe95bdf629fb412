"""Writes for redemptions: a coupon or a card presented to a vendor, a device linked, a review decided.

The stall page (online and when its offline queue syncs), the market manager's entry and the API all call
`redemption_record` and `card_debit`; each is idempotent on its client nonce, so a batch uploaded three
times, or cut halfway and retried, records each redemption once.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pcn.api.models import key_hash
from pcn.coupons import codes
from pcn.coupons.ledger import event_append
from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent, Series
from pcn.households.models import Card, CardEntry
from pcn.lib.formfields import MAX_AMOUNT_CENTS
from pcn.markets.models import Market, SalePoint, Vendor
from pcn.markets.selectors import sale_point_is_open, vendor_is_authorized
from pcn.programs.models import Season
from pcn.redemptions.models import Device, Outcome, Reason, Redemption, RedemptionCount, ReviewDecision, Source

# A device's clock may run a little ahead of the server's; past this, its time is not believed.
CLOCK_SKEW = datetime.timedelta(minutes=10)
# Nor is a time older than this, or older than the device's link: a phone whose clock reset to 1970, or one
# back-dating coupons that have since expired. Such an item is judged at the server's time.
MAX_OFFLINE_AGE = datetime.timedelta(days=14)  # two market weeks without a signal

# What the stall page may refuse offline from its cache (unknown code, out of its dates).
DEVICE_REFUSALS = (Reason.UNKNOWN, Reason.EXPIRED, Reason.NOT_YET_VALID)

_LEDGER_SOURCE = {
    Source.STALL: CustodyEvent.Source.API,
    Source.API: CustodyEvent.Source.API,
    Source.OFFLINE: CustodyEvent.Source.OFFLINE,
    Source.MARKET: CustodyEvent.Source.WEB,
}


# Devices


def device_link(*, vendor: Vendor, name: str, by) -> tuple[Device, str]:
    """Link a phone to the vendor's stall page. Returns the device and its clear key, shown to the page
    once; only the key's hash is kept."""
    name = (name or "").strip()[:100] or _("Téléphone")
    key = secrets.token_urlsafe(32)
    device = Device.objects.create(vendor=vendor, name=name, key_hash=key_hash(key), prefix=key[:8], linked_by=by)
    return device, key


def device_revoke(*, device: Device, by) -> Device:
    """Stop a device (a lost phone): its key opens nothing any more. Revoking twice changes nothing."""
    Device.objects.filter(pk=device.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=by)
    device.refresh_from_db()
    return device


# Where and when


def season_on(program_id: int, day: datetime.date) -> Season | None:
    """The program's season whose coupons are valid on `day`, else the latest one that started before."""
    seasons = Season.objects.filter(program_id=program_id)
    return (
        seasons.filter(coupons_valid_from__lte=day, coupons_valid_until__gte=day).order_by("-starts_on").first()
        or seasons.filter(starts_on__lte=day).order_by("-starts_on").first()
        or seasons.order_by("starts_on").first()
    )


@dataclass
class Place:
    market: Market | None
    sale_point: SalePoint | None


def _place(vendor: Vendor, market: Market | None, sale_point: SalePoint | None) -> Place:
    """Where the vendor is: the sale point the device chose (one of the vendor's), or the vendor's only
    sale point (in the given market, for a market manager's entry)."""
    points = list(vendor.sale_points.select_related("market"))
    if sale_point is not None:
        if sale_point.pk not in {p.pk for p in points}:
            raise ValidationError({"sale_point": _("Ce marchand ne vend pas à ce point de vente.")})
        return Place(sale_point.market, sale_point)
    if market is not None:
        points = [p for p in points if p.market_id == market.pk]
    if len(points) == 1:
        return Place(points[0].market, points[0])
    return Place(market, None)


def _moment(
    source: str, client_at: datetime.datetime | None, now: datetime.datetime, device: Device | None
) -> datetime.datetime:
    """When the coupon was taken: the device's time for an offline item when it is believable (not in the
    future, not older than MAX_OFFLINE_AGE nor than the device's link), otherwise now."""
    if source != Source.OFFLINE or client_at is None:
        return now
    earliest = now - MAX_OFFLINE_AGE
    if device is not None and device.linked_at:
        earliest = max(earliest, device.linked_at - CLOCK_SKEW)
    if earliest <= client_at <= now + CLOCK_SKEW:
        return min(client_at, now)
    return now


# Coupons


def _existing(*, device: Device | None, by, nonce: str, code: str) -> Redemption | None:
    """The row already recorded under this nonce (from this device, or without one from this user), if it
    was for the same code; a nonce reused for another code is refused, so no presentation goes unrecorded."""
    rows = Redemption.objects.select_related("coupon__series__coupon_class", "card", "season")
    if device is not None:
        found = rows.filter(device=device, nonce=nonce).first()
    else:
        found = rows.filter(device__isnull=True, recorded_by=by, nonce=nonce).first()
    if found is not None and found.code != code:
        raise ValidationError({"nonce": _("Cet identifiant d'échange a déjà servi pour un autre code. Rien n'a été "
                                          "enregistré pour ce code : envoyez-le avec un nouvel identifiant.")})
    return found


def _stored_code(typed: str, *, card: bool) -> str:
    """The code as a row stores it: canonical when it can be read, else as typed; a card's with its "C-"."""
    typed = (typed or "").strip()
    if card and typed[:2].upper() == "C-":
        typed = typed[2:]
    try:
        code = codes.normalize(typed)
    except codes.CodeFormatError:
        code = typed
    return ("C-" + code)[:40] if card else code[:40]


def redemption_record(
    *,
    vendor: Vendor,
    code: str,
    nonce: str,
    source: str,
    by,
    device: Device | None = None,
    market: Market | None = None,
    sale_point: SalePoint | None = None,
    client_at: datetime.datetime | None = None,
    refused_on_device: str = "",
) -> Redemption:
    """Record a coupon presented to `vendor`: accepted (the coupon becomes redeemed, through a custody
    event), refused with its reason, or set aside for review (the same coupon taken offline on another
    device). Every attempt is kept: `refused_on_device` (one of DEVICE_REFUSALS) records an attempt the
    stall page refused offline from its cache, as refused with that reason, without judging it again (the
    vendor handed the coupon back).

    Idempotent: the same nonce from the same device (or, without a device, the same user) returns the
    row recorded the first time, whatever happened since.

    Locking: an attempt on a known coupon locks its season's row (as every custody move does), then reads
    the coupon; of concurrent attempts on one coupon, exactly one is accepted. The unique constraint
    `coupon_redeemed_once` holds it even outside this function."""
    nonce = (nonce or "").strip()
    if not nonce or len(nonce) > 64:
        raise ValidationError({"nonce": _("Chaque échange porte un identifiant unique de 1 à 64 caractères.")})
    if source not in Source.values:
        raise ValidationError({"source": _("Cette provenance n'existe pas.")})
    if refused_on_device and refused_on_device not in DEVICE_REFUSALS:
        raise ValidationError({"refused_on_device": _("Cette raison de refus n'existe pas.")})
    stored = _stored_code(code, card=False)
    found = _existing(device=device, by=by, nonce=nonce, code=stored)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return _record(
                vendor=vendor, code=code, nonce=nonce, source=source, by=by, device=device,
                place=_place(vendor, market, sale_point), client_at=client_at, refused_on_device=refused_on_device,
            )
    except IntegrityError:
        # The same nonce written meanwhile by a concurrent upload of the same batch: answer with that row.
        found = _existing(device=device, by=by, nonce=nonce, code=stored)
        if found is None:
            raise
        return found


def _record(*, vendor, code, nonce, source, by, device, place: Place, client_at, refused_on_device) -> Redemption:
    now = timezone.now()
    when = _moment(source, client_at, now, device)
    row = Redemption(
        program_id=vendor.program_id, vendor=vendor, market=place.market, sale_point=place.sale_point,
        device=device, code=(code or "").strip()[:40], value_cents=0, source=source, nonce=nonce,
        client_at=client_at, taken_at=when, recorded_at=now, recorded_by=by,
    )
    if refused_on_device:
        row.code = _stored_code(code, card=False)
        coupon = Coupon.objects.filter(code=row.code, season__program_id=vendor.program_id).first()
        row.coupon, row.value_cents = coupon, coupon.value_cents if coupon else 0
        row.season = coupon.season if coupon else season_on(vendor.program_id, timezone.localdate(when))
        row.outcome, row.reason = Outcome.REFUSED, refused_on_device
        row.save()
        return row
    coupon = redemption_judge(row, code=code, when=when, lock=True)
    if coupon is None:  # refused or set aside: kept with its reason
        row.save()
        return row

    series = coupon.series
    moved = Coupon.objects.filter(pk=coupon.pk, status=coupon.status).update(
        status=CouponStatus.REDEEMED, partner=None, household=None
    )
    if moved != 1:  # pragma: no cover - every writer of coupons takes the season lock first
        raise ValidationError(_("Ce coupon a changé de main pendant l'opération. Réessayez."))
    row.event = event_append(
        season=row.season,
        kind=CustodyEvent.Kind.REDEEM,
        from_status=coupon.status,
        from_partner=coupon.partner,
        from_household=coupon.household,
        to_status=CouponStatus.REDEEMED,
        to_partner=None,
        ranges=[(series.pk, coupon.number, coupon.number)],
        coupon_count=1,
        value_cents=coupon.value_cents,
        by=by,
        source=_LEDGER_SOURCE[source],
        note=vendor.business_name[:300],
    )
    row.save()
    return row


def redemption_judge(row: Redemption, *, code: str, when: datetime.datetime, lock: bool) -> Coupon | None:
    """The rules of redemption, in one place, applied to the presentation `row` (a Redemption not saved,
    with its vendor, source, device and sale point set). Fills its code (canonical when it could be read),
    season, coupon, value, outcome, reason and flags, and writes nothing. Returns the coupon to move when it
    may be taken (outcome accepted), None when it is refused or set aside.

    `redemption_record` calls it with `lock=True` inside its transaction: the season's row (the ledger's
    lock) is locked before the coupon is read, so the answer holds until the coupon moves. The market
    manager's check (`selectors.redemption_preview`) calls it with `lock=False`: a plain read, which a
    redemption elsewhere may overtake before the stack is saved."""
    vendor, source = row.vendor, row.source

    def refuse(reason: str, *, outcome: str = Outcome.REFUSED, conflicts_with=None) -> None:
        row.outcome, row.reason, row.conflicts_with = outcome, reason, conflicts_with
        if row.season_id is None:
            row.season = season_on(vendor.program_id, timezone.localdate(when))
        return None

    try:
        row.code = codes.normalize(code or "")
    except codes.CodeFormatError:
        return refuse(Reason.FORMAT)
    coupon = Coupon.objects.filter(code=row.code).select_related("series__coupon_class", "season").first()
    if coupon is None:
        return refuse(Reason.UNKNOWN)
    if coupon.season.program_id != vendor.program_id:
        return refuse(Reason.OTHER_PROGRAM)  # no link to another program's coupon

    seasons = Season.objects.select_for_update() if lock else Season.objects
    season = seasons.get(pk=coupon.season_id)  # the ledger's lock, when recording
    coupon = Coupon.objects.select_related("series__coupon_class", "partner", "household").get(pk=coupon.pk)
    row.season, row.coupon, row.value_cents = season, coupon, coupon.value_cents
    if season.closed_at:  # a closed season's coupons are past their dates and move no more
        return refuse(Reason.EXPIRED)
    # Only the stall knows when a coupon was taken; a market manager enters the day's stack after closing.
    row.outside_hours = (
        source in (Source.STALL, Source.OFFLINE) and row.sale_point is not None and not _open(row.sale_point, when)
    )
    series = coupon.series
    day = timezone.localdate(when)

    if coupon.status == CouponStatus.REDEEMED:
        first = Redemption.objects.accepted().filter(coupon=coupon).first()
        elsewhere = row.device_id is None or first is None or first.device_id != row.device_id
        if source == Source.OFFLINE and first is not None and elsewhere:
            return refuse(Reason.CONFLICT, outcome=Outcome.REVIEW, conflicts_with=first)
        return refuse(Reason.ALREADY_REDEEMED, conflicts_with=first)
    if coupon.status == CouponStatus.VOID or series.status == Series.Status.VOID:
        return refuse(Reason.VOID)
    if coupon.status == CouponStatus.EXPIRED or day > series.valid_until:
        return refuse(Reason.EXPIRED)
    if day < series.valid_from:
        return refuse(Reason.NOT_YET_VALID)
    if not vendor_is_authorized(vendor=vendor, season=season):
        return refuse(Reason.VENDOR_NOT_AUTHORIZED)
    if not set(vendor.categories) & set(series.coupon_class.categories):
        return refuse(Reason.CLASS_NOT_SOLD)
    if coupon.status in (CouponStatus.STOCK, CouponStatus.PARTNER):
        if not season.accept_unissued:
            return refuse(Reason.NOT_ISSUED)
        row.unissued = True
    row.outcome = Outcome.ACCEPTED
    return coupon


def _open(sale_point: SalePoint, when: datetime.datetime) -> bool:
    """Open at that moment; a sale point without hours is never flagged."""
    if not sale_point.opening_hours.exists():
        return True
    return sale_point_is_open(sale_point=sale_point, at=when)


# Cards


def card_debit(
    *,
    vendor: Vendor,
    card_code: str,
    amount_cents: int,
    nonce: str,
    source: str,
    by,
    device: Device | None = None,
    sale_point: SalePoint | None = None,
    client_at: datetime.datetime | None = None,
) -> Redemption:
    """Debit a household's card for a purchase at the vendor's stall. Online, the balance must cover the
    amount. Offline (the device accepted it up to the season's cap without asking), the debit is written
    if the balance covers it, and set aside for review otherwise or above the cap.

    Idempotent on the nonce like `redemption_record`. Locking: the card row is locked, so two debits of
    one card never both spend the same balance."""
    nonce = (nonce or "").strip()
    if not nonce or len(nonce) > 64:
        raise ValidationError({"nonce": _("Chaque échange porte un identifiant unique de 1 à 64 caractères.")})
    if not isinstance(amount_cents, int) or not 1 <= amount_cents <= MAX_AMOUNT_CENTS:
        raise ValidationError({"amount_cents": _("Entrez le montant de l'achat, plus grand que zéro.")})
    stored = _stored_code(card_code, card=True)
    found = _existing(device=device, by=by, nonce=nonce, code=stored)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return _debit(
                vendor=vendor, card_code=card_code, amount_cents=amount_cents, nonce=nonce, source=source, by=by,
                device=device, place=_place(vendor, None, sale_point), client_at=client_at,
            )
    except IntegrityError:
        found = _existing(device=device, by=by, nonce=nonce, code=stored)
        if found is None:
            raise
        return found
        return found


def _debit(*, vendor, card_code, amount_cents, nonce, source, by, device, place: Place, client_at) -> Redemption:
    now = timezone.now()
    when = _moment(source, client_at, now, device)
    typed = (card_code or "").strip()
    if typed[:2].upper() == "C-":
        typed = typed[2:]
    row = Redemption(  # a card's row keeps the card's printed prefix: "C-" and the code
        program_id=vendor.program_id, vendor=vendor, market=place.market, sale_point=place.sale_point,
        device=device, code=("C-" + typed)[:40], value_cents=amount_cents, source=source, nonce=nonce,
        client_at=client_at, taken_at=when, recorded_at=now, recorded_by=by,
    )

    def refuse(reason: str, *, outcome: str = Outcome.REFUSED) -> Redemption:
        row.outcome, row.reason = outcome, reason
        if row.season_id is None:
            row.season = season_on(vendor.program_id, timezone.localdate(when))
        row.save()
        return row

    try:
        canonical = codes.normalize(typed)
    except codes.CodeFormatError:
        return refuse(Reason.FORMAT)
    row.code = "C-" + canonical
    card = Card.objects.filter(code=canonical).select_related("household__season").first()
    if card is None or card.household.program_id != vendor.program_id:
        return refuse(Reason.CARD_UNKNOWN)
    card = Card.objects.select_for_update().select_related("household__season").get(pk=card.pk)
    season = card.household.season
    row.card, row.season = card, season
    row.outside_hours = place.sale_point is not None and not _open(place.sale_point, when)
    day = timezone.localdate(when)
    if not season.cards_enabled:
        return refuse(Reason.CARDS_OFF)
    if day > season.coupons_valid_until or season.closed_at:
        return refuse(Reason.EXPIRED)
    if day < season.coupons_valid_from:
        return refuse(Reason.NOT_YET_VALID)
    if not vendor_is_authorized(vendor=vendor, season=season):
        return refuse(Reason.VENDOR_NOT_AUTHORIZED)
    offline = source == Source.OFFLINE
    if offline and amount_cents > season.card_offline_cap_cents:
        return refuse(Reason.CARD_OVER_CAP, outcome=Outcome.REVIEW)
    if card_balance_cents(card) < amount_cents:
        return refuse(Reason.CARD_BALANCE, outcome=Outcome.REVIEW if offline else Outcome.REFUSED)
    row.card_entry = CardEntry.objects.create(
        card=card, kind=CardEntry.Kind.DEBIT, amount_cents=amount_cents, recorded_by=by
    )
    row.outcome = Outcome.ACCEPTED
    row.save()
    return row


def card_balance_cents(card: Card) -> int:
    """Credits minus debits, summed in the database."""
    totals = dict(card.entries.values_list("kind").annotate(total=Sum("amount_cents")).order_by())
    return totals.get(CardEntry.Kind.CREDIT, 0) - totals.get(CardEntry.Kind.DEBIT, 0)


# Review


@transaction.atomic
def review_decide(*, redemption: Redemption, decision: str, note: str = "", by) -> ReviewDecision:
    """Decide about a redemption set aside for review, once: pay the first redemption only, pay both and
    book the loss, or refuse. Paying a card purchase set aside debits the card now, as far as its balance
    goes (the rest is the program's loss), so the household cannot spend the same money again.

    Locking: the redemption row, then (for a card) the card row; a second decision is refused."""
    redemption = Redemption.objects.select_for_update().get(pk=redemption.pk)
    if redemption.outcome != Outcome.REVIEW:
        raise ValidationError(_("Cet échange n'est pas à examiner."))
    if ReviewDecision.objects.filter(redemption=redemption).exists():
        raise ValidationError(_("Une décision a déjà été prise pour cet échange."))
    if decision not in ReviewDecision.Decision.values:
        raise ValidationError({"decision": _("Choisissez une des décisions proposées.")})
    if decision == ReviewDecision.Decision.PAY_FIRST and redemption.conflicts_with_id is None:
        raise ValidationError({"decision": _("Il n'y a pas de premier échange : payez celui-ci ou refusez-le.")})
    if decision == ReviewDecision.Decision.REFUSE and redemption.conflicts_with_id is not None:
        _refuse_claimed_twin(redemption, note=note, by=by)
    card_entry = None
    if redemption.card_id and decision == ReviewDecision.Decision.PAY_BOTH:
        card = Card.objects.select_for_update().get(pk=redemption.card_id)
        debit = min(redemption.value_cents, card_balance_cents(card))
        if debit > 0:
            card_entry = CardEntry.objects.create(card=card, kind=CardEntry.Kind.DEBIT, amount_cents=debit,
                                                  recorded_by=by)
    return ReviewDecision.objects.create(redemption=redemption, decision=decision, note=note.strip()[:300],
                                         decided_by=by, card_entry=card_entry)


def _refuse_claimed_twin(redemption: Redemption, *, note: str, by) -> None:
    """Refusing both redemptions of a coupon: the first one, if a claim already holds it, has its line rejected
    there (with the reason, for the vendor); if that claim is already in a payment batch, the decision is
    refused: the money is on its way, so pay the first only (and settle with the vendor)."""
    from pcn.payments.models import BatchItem, ClaimLine

    line = ClaimLine.objects.select_for_update().filter(redemption_id=redemption.conflicts_with_id).first()
    if line is None or line.rejected_at is not None:
        return
    if BatchItem.objects.filter(claim_id=line.claim_id).exists():
        raise ValidationError({"decision": _(
            "Le premier échange est déjà dans un lot de paiement : il ne peut plus être refusé. Choisissez « payer "
            "le premier échange seulement », et réglez la question avec le marchand.")})
    reason = _("Coupon pris aussi sur un autre appareil : les deux échanges sont refusés après examen.")
    line.rejected_reason = (reason + (" " + note.strip() if note.strip() else ""))[:300]
    line.rejected_by, line.rejected_at = by, timezone.now()
    line.save(update_fields=["rejected_reason", "rejected_by", "rejected_at"])


# Counts by denomination


@transaction.atomic
def redemption_count_record(
    *, season: Season, vendor: Vendor, market: Market, day: datetime.date, counts: dict[int, int], nonce: str, by
) -> list[RedemptionCount]:
    """Record the coupons a vendor brought in on a day, counted by denomination (programs whose markets do
    not read codes). Idempotent on the nonce: the same form sent twice records once."""
    nonce = (nonce or "").strip()
    if not nonce or len(nonce) > 64:
        raise ValidationError(_("Ce formulaire a expiré. Rechargez la page et entrez les nombres de nouveau."))
    existing = list(RedemptionCount.objects.filter(recorded_by=by, nonce=nonce))
    if existing:
        return existing
    if vendor.program_id != season.program_id or market.program_id != season.program_id:
        raise ValidationError(_("Choisissez un marchand et un marché de ce programme."))
    if Season.objects.filter(pk=season.pk, closed_at__isnull=False).exists():
        raise ValidationError(_("Cette saison est fermée : elle ne reçoit plus de coupons."))
    if not vendor_is_authorized(vendor=vendor, season=season):
        raise ValidationError(_("Ce marchand n'est pas autorisé pour cette saison : ses coupons ne peuvent pas "
                                "être remboursés. Parlez-en à la coordination."))
    allowed = set(season.denominations.values_list("value_cents", flat=True))
    unknown = set(counts) - allowed
    if unknown:
        raise ValidationError(_("Cette valeur de coupon n'existe pas dans la saison."))
    if any(n < 0 for n in counts.values()):
        raise ValidationError(_("Un nombre de coupons ne peut pas être négatif."))
    if not any(counts.values()):
        raise ValidationError(_("Entrez au moins un nombre de coupons."))
    rows = [
        RedemptionCount(
            program_id=season.program_id, season=season, vendor=vendor, market=market, day=day,
            denomination_cents=value, count=n, value_cents=value * n, nonce=nonce, recorded_by=by,
        )
        for value, n in sorted(counts.items())
        if n
    ]
    try:
        with transaction.atomic():
            return RedemptionCount.objects.bulk_create(rows)
    except IntegrityError:  # the same form sent twice at once: the other request recorded it
        existing = list(RedemptionCount.objects.filter(recorded_by=by, nonce=nonce))
        if not existing:
            raise
        return existing
