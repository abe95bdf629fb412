"""Writes for households, consents, quotas and the waiting list. Views, commands and imports call these.

Locking contract: every write that changes how many places a partner uses in a season (enrolment,
leaving, promotion, a new quota) first locks that partner's PartnerQuota row with select_for_update, so
two workers enrolling at once cannot both take the last place."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pcn.coupons.codes import new_code
from pcn.coupons.models import CustodyEvent
from pcn.coupons.services import coupons_move
from pcn.funding.models import Purpose
from pcn.funding.services import grant_check_pays_for, grant_label
from pcn.households.identity import identity_hash
from pcn.households.models import (
    Card,
    CardEntry,
    Consent,
    ConsentPurpose,
    Distribution,
    DuplicateDismissal,
    Household,
    PartnerQuota,
    PublicSale,
)
from pcn.lib.money import format_cents
from pcn.programs.entitlements import entitlement_per_period_cents, period_on, season_entitlement_cents
from pcn.programs.models import Organization, Season

COMPOSITION_FIELDS = ("age_0_5", "age_6_17", "age_18_64", "age_65_plus")


def season_value_cents(*, season: Season, household_size: int) -> int:
    """What a household of this size receives over the whole season, in cents (every period, no proration:
    late joiners are prorated at distribution, so the quota counts the most a household can cost)."""
    return season_entitlement_cents(season=season, household_size=household_size, joined_on=season.starts_on)


def quota_use(*, season: Season, partner: Organization) -> tuple[int, int]:
    """(active households, their season value in cents) for a partner, aggregated in the database."""
    by_size = (
        Household.objects.filter(season=season, partner=partner)
        .active()
        .values("size")
        .annotate(n=Count("pk"))
        .order_by()
    )
    count = value = 0
    for row in by_size:
        count += row["n"]
        value += row["n"] * season_value_cents(season=season, household_size=row["size"])
    return count, value


def _has_place(quota: PartnerQuota, size: int) -> bool:
    count, value = quota_use(season=quota.season, partner=quota.partner)
    return count < quota.max_households and value + season_value_cents(season=quota.season, household_size=size) <= quota.max_value_cents


def _lock_quota(season: Season, partner: Organization) -> PartnerQuota | None:
    return PartnerQuota.objects.select_for_update().select_related("season", "partner").filter(
        season=season, partner=partner
    ).first()


@transaction.atomic
def partner_quota_set(*, season: Season, partner: Organization, max_households: int, max_value_cents: int) -> PartnerQuota:
    """Create or change a partner's quota for the season; places it opens go to the waiting list in order."""
    quota = _lock_quota(season, partner) or PartnerQuota(season=season, partner=partner)
    quota.max_households = max_households
    quota.max_value_cents = max_value_cents
    quota.full_clean()
    quota.save()
    waitlist_promote(season=season, partner=partner)
    return quota


@transaction.atomic
def household_enrol(
    *,
    season: Season,
    partner: Organization,
    size: int,
    composition: dict[str, int],
    flags: list[str],
    community: str,
    language: str,
    consents: dict[str, bool],
    identity: dict | None,
    by,
) -> Household:
    """Enrol a household: active when the partner's quota has a place, else on the waiting list.

    `identity` (family_name, first_name, birth_date as typed) is only hashed (pcn.households.identity);
    the clear fields are never stored nor logged. Locks the partner's quota row (see the module docstring).
    """
    if not consents.get(ConsentPurpose.PARTICIPATION):
        raise ValidationError(
            {
                "consent_participation": _(
                    "Le ménage doit accepter de participer au programme pour être inscrit. Sans cet accord, "
                    "rien n'est enregistré."
                )
            }
        )
    household = Household(
        program=season.program,
        season=season,
        partner=partner,
        size=size,
        **{name: composition.get(name, 0) for name in COMPOSITION_FIELDS},
        flags=list(flags),
        community=(community or "").strip(),
        language=language,
        identity_hash=identity_hash(identity),
        enrolled_by=by,
    )
    household.full_clean()
    quota = _lock_quota(season, partner)
    if quota is None:
        raise ValidationError(
            _(
                "La coordination n'a pas encore fixé le nombre de ménages de cet organisme pour cette saison. "
                "Demandez-lui de le faire, puis recommencez."
            )
        )
    # In order: while anyone is waiting, a newcomer joins the back of the line, even if a place would fit it.
    if Household.objects.filter(season=season, partner=partner).waiting().exists() or not _has_place(
        quota, household.size
    ):
        household.status = Household.Status.WAITING
        household.waiting_since = timezone.now()
    household.save()
    for purpose in ConsentPurpose.values:
        Consent.objects.create(household=household, purpose=purpose, given=bool(consents.get(purpose)), recorded_by=by)
    return household


@transaction.atomic
def consent_record(*, household: Household, purpose: str, given: bool, by) -> Consent:
    """Append a consent decision (the latest row per purpose is the one in force). Withdrawing the consent to
    take part means leaving the program: the household's place goes to the waiting list."""
    consent = Consent(household=household, purpose=purpose, given=given, recorded_by=by)
    consent.full_clean()
    consent.save()
    if purpose == ConsentPurpose.PARTICIPATION and not given and household.status != Household.Status.LEFT:
        household_leave(household=household, by=by)
    return consent


@transaction.atomic
def household_leave(*, household: Household, by) -> list[Household]:
    """The household leaves; its place, if it had one, goes to the waiting list. Returns those promoted."""
    # Locking order everywhere: the household row first, then quota rows.
    household = Household.objects.select_for_update().get(pk=household.pk)
    _lock_quota(household.season, household.partner)
    if household.status == Household.Status.LEFT:
        raise ValidationError(_("Ce ménage a déjà quitté le programme."))
    had_place = household.status == Household.Status.ACTIVE
    household.status = Household.Status.LEFT
    household.save(update_fields=["status"])
    return waitlist_promote(season=household.season, partner=household.partner) if had_place else []


@transaction.atomic
def waitlist_promote(*, season: Season, partner: Organization) -> list[Household]:
    """Give free places to waiting households, oldest first, and return them.

    Strict order: when the oldest waiting household does not fit (a large household and not enough value
    left), nobody behind it goes first. Locks the partner's quota row."""
    quota = _lock_quota(season, partner)
    promoted: list[Household] = []
    if quota is None:
        return promoted
    waiting = Household.objects.select_for_update().filter(season=season, partner=partner).waiting()
    for household in waiting.order_by("waiting_since", "pk"):
        if not _has_place(quota, household.size):
            break
        household.status = Household.Status.ACTIVE
        household.save(update_fields=["status"])
        promoted.append(household)
    return promoted


def household_duplicates(household: Household) -> list[Household]:
    """Other households of the season (not gone) enrolled with the same identity, minus dismissed pairs."""
    if not household.identity_hash:
        return []
    dismissed = set()
    pairs = DuplicateDismissal.objects.filter(Q(first=household) | Q(second=household)).values_list("first", "second")
    for first, second in pairs:
        if household.pk in (first, second):
            dismissed.add(second if first == household.pk else first)
    return list(
        Household.objects.filter(season=household.season_id, identity_hash=household.identity_hash)
        .exclude(pk=household.pk)
        .exclude(pk__in=dismissed)
        .exclude(status=Household.Status.LEFT)
        .select_related("partner")
        .order_by("enrolled_at")
    )


@transaction.atomic
def duplicate_dismiss(*, household: Household, other: Household, by) -> DuplicateDismissal:
    """Remember that two households with the same identity hash are not the same household."""
    if household.pk == other.pk or household.program_id != other.program_id:
        raise ValidationError(_("Ces deux ménages ne peuvent pas être comparés."))
    first, second = sorted([household, other], key=lambda h: h.pk)
    dismissal, _created = DuplicateDismissal.objects.get_or_create(
        first=first, second=second, defaults={"program_id": household.program_id, "decided_by": by}
    )
    return dismissal


@transaction.atomic
def distribution_record(
    *, household: Household, day, ranges: list[tuple[int, int, int]] | None = None, missed: bool = False,
    note: str = "", by,
) -> Distribution:
    """Record what a household received for the period `day` falls in: the coupons move from its partner to
    the household in the custody ledger (same transaction), or the period is recorded as missed.

    Never more than the household is due for the period (its entitlement, counting what it already got):
    the amounts handed out always equal the entitlement rule. Locking: the household row, then the season
    (inside coupons_move)."""
    household = Household.objects.select_for_update().select_related("season", "partner").get(pk=household.pk)
    season = household.season
    if household.status != Household.Status.ACTIVE:
        raise ValidationError(_("Ce ménage n'est pas inscrit en ce moment (liste d'attente ou départ) : "
                                "il ne reçoit pas de coupons."))
    period = period_on(season, day)
    if period is None:
        raise ValidationError(_("Cette date n'est dans aucune période de remise de la saison."))
    joined = timezone.localdate(household.enrolled_at) <= period.starts_on
    due = entitlement_per_period_cents(season=season, household_size=household.size) if joined else 0
    already = sum(
        household.distributions.filter(period_number=period.number).values_list("given_cents", flat=True)
    )
    if hasattr(household, "card") and household.card.entries.filter(
        kind=CardEntry.Kind.CREDIT, period_number=period.number
    ).exists():
        raise ValidationError(_("Ce ménage a déjà reçu cette période sur sa carte : pas de coupons papier en plus."))
    if missed:
        if household.distributions.filter(period_number=period.number).exists():
            raise ValidationError(_("Une remise est déjà notée pour ce ménage et cette période."))
        distribution = Distribution(household=household, period_number=period.number, due_cents=due,
                                    given_cents=0, status=Distribution.Status.MISSED, note=note, recorded_by=by)
        distribution.full_clean()
        distribution.save()
        return distribution
    if not ranges:
        raise ValidationError(_("Choisissez les coupons remis, ou notez que la remise est manquée."))
    event = coupons_move(
        season=season, kind=CustodyEvent.Kind.DISTRIBUTE, ranges=ranges, from_partner=household.partner,
        to_household=household, note=note, by=by,
    )
    if due == 0:
        raise ValidationError(_("Ce ménage s'est inscrit pendant cette période : sa première remise sera à la "
                                "prochaine période."))
    if already + event.value_cents > due:
        raise ValidationError(
            _("Ces coupons valent %(given)s, mais le ménage n'a droit qu'à %(left)s de plus pour cette période. "
              "Retirez des coupons du choix.")
            % {"given": format_cents(event.value_cents), "left": format_cents(max(due - already, 0))}
        )
    status = Distribution.Status.GIVEN if already + event.value_cents == due else Distribution.Status.PARTIAL
    distribution = Distribution(household=household, period_number=period.number, due_cents=due,
                                given_cents=event.value_cents, status=status, event=event, note=note, recorded_by=by)
    distribution.full_clean()
    distribution.save()
    return distribution


@transaction.atomic
def household_move(*, household: Household, to_partner: Organization, by) -> Household:
    """Move a household to another partner of the program for the rest of the season. The coupons it holds
    stay its own; its place at the old partner goes to that partner's waiting list. The new partner must
    have a place (its waiting list comes first)."""
    household = Household.objects.select_for_update().select_related("season", "partner").get(pk=household.pk)
    if household.status != Household.Status.ACTIVE:
        raise ValidationError(_("Seul un ménage inscrit peut changer d'organisme."))
    if not to_partner.is_partner_in(household.program_id) or to_partner.pk == household.partner_id:
        raise ValidationError({"to_partner": _("Choisissez un autre organisme partenaire de ce programme.")})
    old_partner = household.partner
    quota = _lock_quota(household.season, to_partner)
    waiting = Household.objects.filter(season=household.season, partner=to_partner).waiting().exists()
    if quota is None or waiting or not _has_place(quota, household.size):
        raise ValidationError(
            {"to_partner": _("« %(name)s » n'a pas de place libre pour ce ménage cette saison. Demandez à la "
                             "coordination d'augmenter son quota.") % {"name": to_partner.name}}
        )
    household.partner = to_partner
    household.save(update_fields=["partner"])
    waitlist_promote(season=household.season, partner=old_partner)
    return household


def household_export(household: Household) -> dict:
    """Everything the program keeps about a household, in a structured, common format (Law 25 portability).
    There is no identity to export: the program never kept one."""
    return {
        "household": household.display_code,
        "program": household.program.name,
        "season": household.season.name,
        "partner": household.partner.name,
        "status": household.status,
        "size": household.size,
        "ages": {name: getattr(household, name) for name in COMPOSITION_FIELDS},
        "flags": list(household.flags),
        "community": household.community,
        "language": household.language,
        "enrolled_at": household.enrolled_at.isoformat(),
        "anonymized_at": household.anonymized_at.isoformat() if household.anonymized_at else None,
        "consents": [
            {"purpose": c.purpose, "given": c.given, "recorded_at": c.recorded_at.isoformat()}
            for c in household.consents.order_by("recorded_at", "pk")
        ],
        "coupons_held": {
            "count": household.coupons.filter(status="household").count(),
            "value_cents": sum(household.coupons.filter(status="household").values_list("value_cents", flat=True)),
        },
        "card": (
            {
                "code": household.card.display_code,
                "balance_cents": household.card.balance_cents,
                "entries": [
                    {"kind": e.kind, "amount_cents": e.amount_cents, "period": e.period_number,
                     "recorded_at": e.recorded_at.isoformat()}
                    for e in household.card.entries.all()
                ],
            }
            if hasattr(household, "card") else None
        ),
        "distributions": [
            {"period": d.period_number, "status": d.status, "due_cents": d.due_cents, "given_cents": d.given_cents,
             "recorded_at": d.recorded_at.isoformat()}
            for d in household.distributions.order_by("recorded_at", "pk")
        ],
    }


@transaction.atomic
def household_anonymize(*, household: Household, by) -> Household:
    """At the household's request: drop what could point to it (the duplicate-check hash, situations,
    community). Its pseudonymous code, size and the money history stay, so the season still adds up."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.anonymized_at:
        raise ValidationError(_("Ce ménage a déjà été anonymisé."))
    household.identity_hash = ""
    household.flags = []
    household.community = ""
    household.anonymized_at = timezone.now()
    household.save(update_fields=["identity_hash", "flags", "community", "anonymized_at"])
    household.distributions.exclude(note="").update(note="")  # a note a worker typed could name someone
    return household


@transaction.atomic
def public_sale_record(
    *, season: Season, ranges: list[tuple[int, int, int]], price_paid_cents: int, funding_source: str = "",
    grant=None, seller: Organization | None = None, by,
) -> PublicSale:
    """Sell coupons to a citizen: they leave the seller's hands (a partner, or the central stock for a kiosk)
    in the custody ledger; the price is revenue and the bonus up to the face value is charged to `grant` (one
    of the program's that may pay public-sale bonuses; its label fills `funding_source`) or, without a
    grant, to the `funding_source` named in words. Nothing on the coupons says they were sold."""
    if grant is not None:
        grant_check_pays_for(grant=grant, season=season, purpose=Purpose.PUBLIC_SALE_BONUS)
        funding_source = grant_label(grant)
    if not (funding_source or "").strip():
        raise ValidationError({"funding_source": _("Dites qui paie la bonification, par exemple la campagne de "
                                                   "sociofinancement.")})
    if price_paid_cents <= 0:
        raise ValidationError({"price_paid_cents": _("Le prix payé doit être plus grand que zéro.")})
    event = coupons_move(season=season, kind=CustodyEvent.Kind.SELL, ranges=ranges, from_partner=seller, by=by)
    if price_paid_cents > event.value_cents:
        raise ValidationError(
            {"price_paid_cents": _("Le prix payé (%(price)s) dépasse la valeur des coupons (%(face)s).")
             % {"price": format_cents(price_paid_cents), "face": format_cents(event.value_cents)}}
        )
    sale = PublicSale(
        season=season, seller=seller, price_paid_cents=price_paid_cents, face_value_cents=event.value_cents,
        bonus_cents=event.value_cents - price_paid_cents, funding_source=funding_source.strip(), grant=grant,
        event=event, recorded_by=by,
    )
    sale.full_clean()
    sale.save()
    return sale


@transaction.atomic
def card_issue(*, household: Household, by) -> Card:
    """Give an enrolled household a digital card, where its season allows cards."""
    household = Household.objects.select_for_update().select_related("season").get(pk=household.pk)
    if not household.season.cards_enabled:
        raise ValidationError(_("Cette saison n'offre pas de cartes numériques : le ménage reçoit des coupons papier."))
    if household.status != Household.Status.ACTIVE:
        raise ValidationError(_("Seul un ménage inscrit reçoit une carte."))
    if Card.objects.filter(household=household).exists():
        raise ValidationError(_("Ce ménage a déjà une carte."))
    card = Card(household=household, code=new_code())
    card.full_clean()
    card.save()
    return card


@transaction.atomic
def card_credit_period(*, card: Card, day, by) -> CardEntry:
    """Credit the card with the household's entitlement for the period `day` falls in, once per period
    (a database constraint; the card row is locked)."""
    card = Card.objects.select_for_update().select_related("household__season").get(pk=card.pk)
    household = card.household
    period = period_on(household.season, day)
    if period is None:
        raise ValidationError(_("Cette date n'est dans aucune période de remise de la saison."))
    if household.status != Household.Status.ACTIVE:
        raise ValidationError(_("Ce ménage n'est pas inscrit en ce moment (liste d'attente ou départ) : "
                                "il ne reçoit pas de coupons."))
    if not household.season.cards_enabled:
        raise ValidationError(_("Cette saison n'offre pas de cartes numériques : le ménage reçoit des coupons papier."))
    if household.season.closed_at:
        raise ValidationError(_("Cette saison est fermée : plus rien n'y change."))
    if card.entries.filter(kind=CardEntry.Kind.CREDIT, period_number=period.number).exists():
        raise ValidationError(_("Cette carte a déjà été créditée pour cette période."))
    if household.distributions.filter(period_number=period.number, given_cents__gt=0).exists():
        raise ValidationError(_("Ce ménage a déjà reçu des coupons papier pour cette période : pas de crédit en plus."))
    if timezone.localdate(household.enrolled_at) > period.starts_on:
        raise ValidationError(_("Ce ménage s'est inscrit pendant cette période : sa carte sera créditée à partir "
                                "de la prochaine."))
    amount = entitlement_per_period_cents(season=household.season, household_size=household.size)
    entry = CardEntry(card=card, kind=CardEntry.Kind.CREDIT, amount_cents=amount, period_number=period.number,
                      recorded_by=by)
    entry.full_clean()
    entry.save()
    return entry
