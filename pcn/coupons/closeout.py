"""Closing a season: what becomes of every coupon once the last redemption deadline is past.

`season_disposition` puts every coupon of the season in exactly one state (unissued stock, held by a partner,
held by a household, sold to the public, redeemed and unpaid, paid, expired, void) and adds their values,
which must equal the value issued (the series' count × face value, computed separately). `season_close`
expires what households and the public still hold, checks the ledger and locks the season: from then on
no custody move, no new series and no redemption is accepted (`ledger.season_open_check`), while claims
already made can still be paid.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pcn.coupons.ledger import events_append, season_verify
from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent, Series
from pcn.lib.money import format_cents
from pcn.programs.models import Season

# The states of the report, in the order a coupon lives them. Keys are also the CSV's state column.
STOCK, PARTNER, HOUSEHOLD, SOLD, REDEEMED, REFUSED, PAID, EXPIRED, VOID = (
    "stock", "partner", "household", "sold", "redeemed_unpaid", "redeemed_refused", "paid", "expired", "void",
)
STATES = {
    STOCK: gettext_lazy("En réserve (jamais remis)"),
    PARTNER: gettext_lazy("Chez un partenaire"),
    HOUSEHOLD: gettext_lazy("Chez un ménage (en circulation)"),
    SOLD: gettext_lazy("Vendu au grand public (en circulation)"),
    REDEEMED: gettext_lazy("Échangé, pas encore payé"),
    REFUSED: gettext_lazy("Échangé, paiement refusé (ligne refusée, ou refusé après examen)"),
    PAID: gettext_lazy("Échangé et payé"),
    EXPIRED: gettext_lazy("Expiré"),
    VOID: gettext_lazy("Annulé (perdu, volé, détruit)"),
}
# Where a coupon status lands in the report (redeemed coupons are split into paid and unpaid).
_STATUS_STATE = {
    CouponStatus.STOCK: STOCK,
    CouponStatus.PARTNER: PARTNER,
    CouponStatus.HOUSEHOLD: HOUSEHOLD,
    CouponStatus.SOLD: SOLD,
    CouponStatus.REDEEMED: REDEEMED,
    CouponStatus.EXPIRED: EXPIRED,
    CouponStatus.VOID: VOID,
}
# Coupons still out in people's hands: they expire at the close.
OUTSTANDING = (CouponStatus.HOUSEHOLD, CouponStatus.SOLD)
# Pools a count by denomination (coupons taken without reading their codes) is taken from, in this order.
_COUNTED_FROM = (HOUSEHOLD, SOLD, EXPIRED)


# Dates


def season_deadline(season: Season) -> datetime.date:
    """The last day a coupon of the season may be redeemed: the season's end of validity, or a series' if later."""
    latest = Series.objects.filter(season=season).aggregate(d=Max("valid_until"))["d"]
    return max(filter(None, [season.coupons_valid_until, latest]))


def deadline_passed(season: Season) -> bool:
    return timezone.localdate() > season_deadline(season)


# The report


@dataclass
class Amount:
    count: int = 0
    value_cents: int = 0

    def add(self, count: int, value_cents: int) -> None:
        self.count += count
        self.value_cents += value_cents


@dataclass
class StateLine:
    key: str
    label: str
    count: int
    value_cents: int
    percent: Decimal  # of the value issued, to one decimal


@dataclass
class DenominationLine:
    denomination_cents: int
    issued: Amount
    states: dict[str, Amount]

    @property
    def total(self) -> Amount:
        return Amount(sum(a.count for a in self.states.values()), sum(a.value_cents for a in self.states.values()))

    @property
    def balanced(self) -> bool:
        return self.total == self.issued

    @property
    def cells(self) -> list[tuple[str, str, Amount]]:
        return [(key, str(STATES[key]), self.states[key]) for key in STATES]


@dataclass
class Unmatched:
    code: str
    vendor: str
    reason: str
    first_at: datetime.datetime
    last_at: datetime.datetime
    count: int


@dataclass
class Disposition:
    season: Season
    deadline: datetime.date
    states: list[StateLine]
    by_denomination: list[DenominationLine]
    issued: Amount
    unmatched: list[Unmatched]
    unmatched_attempts: int
    problems: list[str] = field(default_factory=list)
    counted: Amount = field(default_factory=Amount)  # coupons counted by denomination, codes not read
    paid_twice: Amount = field(default_factory=Amount)  # the second of two redemptions of one coupon, paid
    card_credits_cents: int = 0
    card_debits_cents: int = 0

    @property
    def total(self) -> Amount:
        return Amount(sum(s.count for s in self.states), sum(s.value_cents for s in self.states))

    @property
    def balanced(self) -> bool:
        return self.total == self.issued

    @property
    def outstanding(self) -> Amount:
        """What a close would expire (counted coupons already taken out)."""
        found = [s for s in self.states if s.key in (HOUSEHOLD, SOLD)]
        return Amount(sum(s.count for s in found), sum(s.value_cents for s in found))

    @property
    def has_cards(self) -> bool:
        return bool(self.card_credits_cents or self.card_debits_cents)

    @property
    def card_balance_cents(self) -> int:
        return self.card_credits_cents - self.card_debits_cents

    def state(self, key: str) -> StateLine:
        return next(s for s in self.states if s.key == key)


def _percent(value_cents: int, issued_cents: int) -> Decimal:
    if not issued_cents:
        return Decimal("0.0")
    return (Decimal(value_cents * 100) / Decimal(issued_cents)).quantize(Decimal("0.1"))


def season_disposition(season: Season) -> Disposition:
    """Every coupon of the season in exactly one state, with count and value per state and per face value,
    aggregated in the database. "Paid": the coupon's accepted redemption is on a claim line, not rejected,
    of a claim in a paid batch. Counts by denomination (codes not read) are redeemed coupons taken from
    those held by households, then sold, then expired, face value by face value."""
    from pcn.households.models import CardEntry
    from pcn.payments.selectors import paid_lines, refused_twin
    from pcn.redemptions.models import Outcome, Redemption, RedemptionCount

    problems: list[str] = []
    grid: dict[int, dict[str, Amount]] = defaultdict(lambda: {key: Amount() for key in STATES})
    rows = (
        Coupon.objects.filter(season=season).values_list("status", "value_cents")
        .annotate(n=Count("id"), v=Sum("value_cents")).order_by()
    )
    for status, denomination, n, value in rows:
        grid[denomination][_STATUS_STATE[status]].add(n, value)

    paid = paid_lines(season)
    paid_coupons = (
        paid.filter(redemption__outcome=Outcome.ACCEPTED, redemption__coupon__season=season,
                    redemption__coupon__status=CouponStatus.REDEEMED)
        .values_list("redemption__coupon__value_cents")
        .annotate(n=Count("id"), v=Sum("redemption__coupon__value_cents")).order_by()
    )
    for denomination, n, value in paid_coupons:
        cell = grid[denomination]
        cell[REDEEMED].add(-n, -value)
        cell[PAID].add(n, value)

    # Redeemed coupons that will never be paid: their claim line was rejected, or their twin (the same coupon
    # taken offline elsewhere) was decided « refuse both ».
    refused_coupons = (
        Redemption.objects.filter(season=season, outcome=Outcome.ACCEPTED, coupon__status=CouponStatus.REDEEMED)
        .filter(Q(claim_line__rejected_at__isnull=False) | refused_twin())
        .values_list("coupon__value_cents").annotate(n=Count("id"), v=Sum("coupon__value_cents")).order_by()
    )
    for denomination, n, value in refused_coupons:
        cell = grid[denomination]
        cell[REDEEMED].add(-n, -value)
        cell[REFUSED].add(n, value)

    counted = Amount()
    counts = (
        RedemptionCount.objects.filter(season=season).values_list("denomination_cents")
        .annotate(n=Sum("count"), v=Sum("value_cents")).order_by()
    )
    paid_counts = dict(
        (d, (n, v)) for d, n, v in paid.filter(redemption_count__isnull=False)
        .values_list("redemption_count__denomination_cents")
        .annotate(n=Sum("redemption_count__count"), v=Sum("redemption_count__value_cents")).order_by()
    )
    refused_counts = dict(
        (d, (n, v)) for d, n, v in RedemptionCount.objects.filter(season=season, claim_line__rejected_at__isnull=False)
        .values_list("denomination_cents").annotate(n=Sum("count"), v=Sum("value_cents")).order_by()
    )
    for denomination, n, value in counts:
        counted.add(n, value)
        cell = grid[denomination]
        left = n
        for key in _COUNTED_FROM:
            taken = min(left, cell[key].count)
            cell[key].add(-taken, -taken * denomination)
            left -= taken
        if left:
            problems.append(ngettext(
                "%(n)s coupon de %(value)s compté au marché de plus que ceux qui étaient en circulation : "
                "vérifiez les comptes de cette valeur.",
                "%(n)s coupons de %(value)s comptés au marché de plus que ceux qui étaient en circulation : "
                "vérifiez les comptes de cette valeur.", left,
            ) % {"n": left, "value": format_cents(denomination, _language())})
        paid_n, paid_v = paid_counts.get(denomination, (0, 0))
        refused_n, refused_v = refused_counts.get(denomination, (0, 0))
        cell[PAID].add(paid_n, paid_v)
        cell[REFUSED].add(refused_n, refused_v)
        cell[REDEEMED].add(n - paid_n - refused_n, value - paid_v - refused_v)

    issued_rows = (
        Series.objects.filter(season=season).values_list("denomination_cents")
        .annotate(n=Sum("count"), v=Sum(F("count") * F("denomination_cents"))).order_by()
    )
    issued_by_value = {d: Amount(n, v) for d, n, v in issued_rows}
    issued = Amount(sum(a.count for a in issued_by_value.values()),
                    sum(a.value_cents for a in issued_by_value.values()))

    by_denomination = [
        DenominationLine(d, issued_by_value.get(d, Amount()), grid[d])
        for d in sorted(set(grid) | set(issued_by_value))
    ]
    for line in by_denomination:
        if not line.balanced and not problems:
            problems.append(_("Les coupons de %(value)s ne totalisent pas leur valeur émise : lancez « pcn "
                              "verify_ledger » pour trouver l'écart.")
                            % {"value": format_cents(line.denomination_cents, _language())})
    states = []
    for key, label in STATES.items():
        count = sum(line.states[key].count for line in by_denomination)
        value = sum(line.states[key].value_cents for line in by_denomination)
        states.append(StateLine(key, str(label), count, value, _percent(value, issued.value_cents)))

    twice = paid.filter(redemption__outcome=Outcome.REVIEW, redemption__coupon__isnull=False).aggregate(
        n=Count("id"), v=Sum("amount_cents"))
    cards = dict(
        CardEntry.objects.filter(card__household__season=season).values_list("kind")
        .annotate(t=Sum("amount_cents")).order_by()
    )
    unmatched, attempts = season_unmatched(season)
    return Disposition(
        season=season, deadline=season_deadline(season), states=states, by_denomination=by_denomination,
        issued=issued, unmatched=unmatched, unmatched_attempts=attempts, problems=problems, counted=counted,
        paid_twice=Amount(twice["n"] or 0, twice["v"] or 0),
        card_credits_cents=cards.get(CardEntry.Kind.CREDIT, 0), card_debits_cents=cards.get(CardEntry.Kind.DEBIT, 0),
    )


def season_unmatched(season: Season, *, limit: int | None = None) -> tuple[list[Unmatched], int]:
    """Every refused attempt of a code that matched no coupon of the program (unknown, mistyped, or another
    program's), grouped by code and vendor, oldest first; and the number of attempts."""
    from pcn.redemptions.models import Outcome, Reason, Redemption

    attempts = (
        Redemption.objects.filter(season=season, outcome=Outcome.REFUSED, card__isnull=True,
                                  reason__in=[Reason.UNKNOWN, Reason.FORMAT, Reason.OTHER_PROGRAM])
        .exclude(reason=Reason.FORMAT, code__startswith="C-")  # a card number mistyped: not a coupon
    )
    groups = (
        attempts.values_list("code", "vendor__business_name", "reason")
        .annotate(n=Count("id"), first=Min("taken_at"), last=Max("taken_at")).order_by("first", "code")
    )
    if limit is not None:
        groups = groups[:limit]
    reasons = dict(Reason.choices)
    found = [
        Unmatched(code=_shown(code), vendor=vendor, reason=str(reasons.get(reason, reason)), first_at=first,
                  last_at=last, count=n)
        for code, vendor, reason, n, first, last in groups
    ]
    return found, attempts.count()


def _shown(code: str) -> str:
    from pcn.coupons import codes

    return codes.display(code) if codes.is_valid(code) else code


def _language() -> str:
    from django.utils.translation import get_language

    return get_language() or "fr"


# What stands in the way


def season_close_blockers(season: Season) -> list[str]:
    """Why the season cannot be closed now, in the coordination's words (empty when it can)."""
    from pcn.payments.selectors import unclaimed_counts, unclaimed_redemptions
    from pcn.redemptions.models import Redemption

    if season.closed_at:
        return [_("Cette saison est déjà fermée (le %(day)s) : rien ne peut plus y changer.")
                % {"day": date_format(timezone.localdate(season.closed_at))}]
    blockers = []
    deadline = season_deadline(season)
    if timezone.localdate() <= deadline:
        blockers.append(_("Les coupons de la saison peuvent encore être échangés jusqu'au %(day)s : vous pourrez "
                          "fermer la saison à partir du %(next)s.")
                        % {"day": date_format(deadline), "next": date_format(deadline + datetime.timedelta(days=1))})
    waiting = Redemption.objects.filter(season=season).awaiting_review().count()
    if waiting:
        blockers.append(ngettext(
            "%(n)s échange attend une décision : décidez-en dans « À examiner » avant de fermer la saison.",
            "%(n)s échanges attendent une décision : décidez-en dans « À examiner » avant de fermer la saison.",
            waiting,
        ) % {"n": waiting})
    unclaimed = unclaimed_redemptions(season).aggregate(n=Count("id"), v=Sum("value_cents"))
    counted = unclaimed_counts(season).aggregate(n=Sum("count"), v=Sum("value_cents"))
    n, value = (unclaimed["n"] or 0) + (counted["n"] or 0), (unclaimed["v"] or 0) + (counted["v"] or 0)
    if n:
        blockers.append(ngettext(
            "%(n)s coupon accepté (%(value)s) n'est dans aucune réclamation : une saison fermée n'en reçoit plus. "
            "Préparez les réclamations d'abord, pour que les marchands soient payés.",
            "%(n)s coupons acceptés (%(value)s) ne sont dans aucune réclamation : une saison fermée n'en reçoit "
            "plus. Préparez les réclamations d'abord, pour que les marchands soient payés.", n,
        ) % {"n": n, "value": format_cents(value, _language())})
    return blockers


# Writes


def _lock(season: Season) -> Season:
    return Season.objects.select_for_update().get(pk=season.pk)


def _holder_order(item) -> tuple[str, int]:
    (status, household_id), _totals = item
    return status, household_id or 0


def _outstanding_runs(season: Season) -> list[tuple[str, int | None, int, int, int, int, int]]:
    """The coupons households and the public hold, as runs of consecutive numbers per holder and series:
    (status, household id, series id, first, last, count, value), computed in the database (gaps and
    islands: within a holder's series, number minus its rank is constant along a run)."""
    table = Coupon._meta.db_table
    sql = f"""
        SELECT status, household_id, series_id, MIN(number), MAX(number), COUNT(*), SUM(value_cents)
        FROM (
            SELECT status, household_id, series_id, number, value_cents,
                number - ROW_NUMBER() OVER (PARTITION BY status, household_id, series_id ORDER BY number) AS run
            FROM {table} WHERE season_id = %s AND status IN (%s, %s)
        ) coupons
        GROUP BY status, household_id, series_id, run
        ORDER BY status, household_id, series_id, MIN(number)"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [season.pk, *OUTSTANDING])
        return list(cursor.fetchall())


@transaction.atomic
def season_expire_outstanding(*, season: Season, by, source: str = CustodyEvent.Source.WEB) -> list[CustodyEvent]:
    """After the last redemption deadline, every coupon still held by a household or sold to the public
    becomes expired: one ledger event per holder (each household; the public), then one UPDATE for all.
    Coupons in stock or at a partner stay where they are.

    Locking: the season row (the ledger's lock), so no coupon moves meanwhile; the UPDATE is conditional on
    the status, and must move exactly the coupons the events name."""
    season = _lock(season)
    if season.closed_at:
        raise ValidationError(_("Cette saison est déjà fermée : ses coupons ne bougent plus."))
    deadline = season_deadline(season)
    if timezone.localdate() <= deadline:
        raise ValidationError(_("Les coupons de la saison peuvent encore être échangés jusqu'au %(day)s : rien "
                                "n'expire avant.") % {"day": date_format(deadline)})
    holders: dict[tuple[str, int | None], list] = defaultdict(lambda: [[], 0, 0])
    for status, household_id, series_id, first, last, count, value in _outstanding_runs(season):
        holder = holders[(status, household_id)]
        holder[0].append((series_id, first, last))
        holder[1] += count
        holder[2] += value
    if not holders:
        return []
    from pcn.households.models import Household

    households = Household.objects.in_bulk([h for _s, h in holders if h is not None])
    note = _("Fin de validité : %(day)s") % {"day": deadline.isoformat()}
    events = events_append(season=season, moves=[
        {"kind": CustodyEvent.Kind.EXPIRE, "from_status": status, "from_partner": None,
         "from_household": households.get(household_id), "to_status": CouponStatus.EXPIRED, "to_partner": None,
         "ranges": ranges, "coupon_count": count, "value_cents": value, "by": by, "source": source, "note": note}
        for (status, household_id), (ranges, count, value) in sorted(holders.items(), key=_holder_order)
    ])
    moved = Coupon.objects.filter(season=season, status__in=OUTSTANDING).update(
        status=CouponStatus.EXPIRED, household=None
    )
    if moved != sum(e.coupon_count for e in events):  # pragma: no cover - a writer outside the season lock
        raise ValidationError(_("Des coupons ont changé de main pendant l'opération. Rien n'a bougé : réessayez."))
    return events


@transaction.atomic
def season_close(*, season: Season, by, source: str = CustodyEvent.Source.WEB) -> Season:
    """Close the season, once, after its last redemption deadline: expire what is outstanding, check the
    whole ledger, and lock the season against any change. Refused, with nothing changed, while coupons may
    still be redeemed, while redemptions wait for review, or while accepted coupons are in no claim.

    Locking: the season row, for the whole transaction (expiry, check and close)."""
    season = _lock(season)
    blockers = season_close_blockers(season)
    if blockers:
        raise ValidationError(blockers)
    season_expire_outstanding(season=season, by=by, source=source)
    problems = season_verify(season)
    if problems:
        raise ValidationError(_("Le registre des coupons ne concorde pas (%(problem)s). Rien n'a été fermé : "
                                "lancez « pcn verify_ledger » et faites corriger l'écart d'abord.")
                              % {"problem": problems[0].message})
    season.closed_at, season.closed_by = timezone.now(), by
    season.save(update_fields=["closed_at", "closed_by"])
    return season
