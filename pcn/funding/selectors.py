"""What each grant has paid for and still owes, per grant and per season, and the forecast of what remains
to be paid. Every figure is a sum computed in the database (a few GROUP BY queries, one row per grant), in
integer cents.

The words (the pages say the same, plainly):
- budget: the grant's amount;
- committed: the value of the coupons issued on the grant's series, less those voided (lost, stolen,
  destroyed, misprinted) and those sold to the public (the citizen's price and the sale's bonus pay for
  them);
- distributed: the value of its coupons handed out, to a household or sold to the public (from the custody
  ledger: what was handed out stays counted once redeemed or expired);
- redeemed: the value of its coupons taken by vendors (coupon status « redeemed »);
- expired: the value of its coupons expired at the season's close;
- held: coupons out there, at a household or sold, neither redeemed nor expired yet;
- paid: what vendors received for its coupons (claim lines not rejected, in a paid batch);
- owed: redemptions the vendors may be paid for, neither paid yet nor rejected in a claim;
- outstanding liability: held + owed (what could still be asked of the program);
- public-sale revenue: what citizens paid; bonuses: the difference up to face value, charged to the grant;
- operations: its operating expenses;
- remaining budget: budget − committed − bonuses − operations.
Card purchases and coupons counted by value (seasons that do not read codes) have no series: they count in
the season's « without a grant » row, in paid and owed only.
"""

import functools
import operator
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.db.models import BigIntegerField, DateField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncWeek

from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent, CustodyEventRange, Series
from pcn.funding.models import Expense, Grant
from pcn.households.models import CardEntry, PublicSale
from pcn.payments.models import ClaimLine
from pcn.payments.selectors import paid_lines, payable_redemptions
from pcn.programs.models import Season
from pcn.redemptions.models import Outcome, Redemption, RedemptionCount

HANDED_OUT = (CustodyEvent.Kind.DISTRIBUTE, CustodyEvent.Kind.SELL)
HELD = (CouponStatus.HOUSEHOLD, CouponStatus.SOLD)
DEFAULT_RATE_PERCENT = 80


@dataclass
class Figures:
    """One grant's figures (or, with grant None, what no grant pays), in cents."""

    grant: Grant | None = None
    budget_cents: int = 0
    committed_cents: int = 0
    distributed_cents: int = 0
    redeemed_cents: int = 0
    expired_cents: int = 0
    held_cents: int = 0
    paid_cents: int = 0
    owed_cents: int = 0
    revenue_cents: int = 0
    bonus_cents: int = 0
    operations_cents: int = 0

    @property
    def outstanding_cents(self) -> int:
        return self.held_cents + self.owed_cents

    @property
    def remaining_cents(self) -> int:
        return self.budget_cents - self.committed_cents - self.bonus_cents - self.operations_cents

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self) if f.name.endswith("_cents"))


AMOUNTS = [f.name for f in fields(Figures) if f.name.endswith("_cents")]


def _add_rows(figures: dict, rows, key: str = "gid") -> None:
    for row in rows:
        target = figures.setdefault(row[key], Figures())
        for name, value in row.items():
            if name != key:
                setattr(target, name, getattr(target, name) + (value or 0))


def _sum(expression, **filters):
    return Coalesce(Sum(expression, filter=Q(**filters) if filters else None), 0)


def _collect(figures: dict, *, coupons, ranges, lines, redemptions, counts, sales, expenses) -> None:
    """Add the sums of each queryset, grouped by grant, into `figures` ({grant id or None: Figures})."""
    _add_rows(figures, coupons.order_by().values(gid=F("series__grant_id")).annotate(
        committed_cents=_sum("value_cents", status__in=[s for s in CouponStatus.values if s != CouponStatus.VOID]),
        redeemed_cents=_sum("value_cents", status=CouponStatus.REDEEMED),
        expired_cents=_sum("value_cents", status=CouponStatus.EXPIRED),
        held_cents=_sum("value_cents", status__in=HELD),
    ))
    range_value = ExpressionWrapper(
        (F("last_number") - F("first_number") + 1) * F("series__denomination_cents"), output_field=BigIntegerField()
    )
    _add_rows(figures, ranges.filter(event__kind__in=HANDED_OUT).order_by().values(gid=F("series__grant_id")).annotate(
        distributed_cents=_sum(range_value)))
    # Coupons sold to the public are paid by the citizen's price and the sale's bonus, not by their series' grant.
    _add_rows(figures, ranges.filter(event__kind=CustodyEvent.Kind.SELL).order_by().values(
        gid=F("series__grant_id")).annotate(committed_cents=-_sum(range_value)))
    _add_rows(figures, lines.order_by().values(gid=F("redemption__coupon__series__grant_id")).annotate(
        paid_cents=_sum("amount_cents")))
    unsettled = Q(claim_line__rejected_at__isnull=True, claim_line__claim__batch_item__batch__paid_at__isnull=True)
    _add_rows(figures, redemptions.filter(unsettled).order_by().values(gid=F("coupon__series__grant_id")).annotate(
        owed_cents=_sum("value_cents")))
    if counts is not None:
        owed_counts = counts.filter(unsettled).aggregate(t=_sum("value_cents"))["t"]
        if owed_counts:
            figures.setdefault(None, Figures()).owed_cents += owed_counts
    _add_rows(figures, sales.order_by().values(gid=F("grant_id")).annotate(
        revenue_cents=_sum("price_paid_cents"), bonus_cents=_sum("bonus_cents")))
    if expenses is not None:
        _add_rows(figures, expenses.order_by().values(gid=F("grant_id")).annotate(operations_cents=_sum("amount_cents")))


def _union(querysets: list[QuerySet], model) -> QuerySet:
    return functools.reduce(operator.or_, querysets) if querysets else model.objects.none()


def grant_figures(grants) -> dict[int, Figures]:
    """Each grant's figures over all its seasons, keyed by grant id."""
    grants = list(grants)
    ids = [g.pk for g in grants]
    figures: dict = {g.pk: Figures(grant=g, budget_cents=g.amount_cents) for g in grants}
    if not ids:
        return figures
    seasons = list(Season.objects.filter(series__grant__in=ids).distinct())
    _collect(
        figures,
        coupons=Coupon.objects.filter(series__grant__in=ids),
        ranges=CustodyEventRange.objects.filter(series__grant__in=ids),
        lines=_union([paid_lines(s) for s in seasons], ClaimLine).filter(redemption__coupon__series__grant__in=ids),
        redemptions=_union([payable_redemptions(s) for s in seasons], Redemption).filter(
            coupon__series__grant__in=ids),
        counts=None,
        sales=PublicSale.objects.filter(grant__in=ids),
        expenses=Expense.objects.filter(grant__in=ids),
    )
    return {pk: figures[pk] for pk in ids}


def program_grants(program, funder_ids: set[int] | None = None) -> QuerySet[Grant]:
    grants = Grant.objects.filter(program=program).select_related("funder")
    return grants if funder_ids is None else grants.filter(funder_id__in=funder_ids)


@dataclass
class SeasonFunding:
    rows: list[Figures]  # one per grant used in the season, then what no grant pays (grant None)
    total: Figures = field(default_factory=Figures)


def _season_figures(season: Season, grant: Grant | None = None) -> dict:
    """The season's figures by grant (only what happened in this season; operations are per grant, not per
    season). With `grant`, only that grant's coupons, redemptions and sales: the same rule, narrowed."""
    figures: dict = {}
    coupons = Coupon.objects.filter(season=season)
    ranges = CustodyEventRange.objects.filter(event__season=season)
    lines, redemptions = paid_lines(season), payable_redemptions(season)
    counts = RedemptionCount.objects.filter(season=season)
    sales = PublicSale.objects.filter(season=season)
    if grant is not None:
        coupons, ranges = coupons.filter(series__grant=grant), ranges.filter(series__grant=grant)
        lines = lines.filter(redemption__coupon__series__grant=grant)
        redemptions = redemptions.filter(coupon__series__grant=grant)
        counts = None  # coupons counted by value have no series, hence no grant
        sales = sales.filter(grant=grant)
    _collect(figures, coupons=coupons, ranges=ranges, lines=lines, redemptions=redemptions, counts=counts,
             sales=sales, expenses=None)
    return figures


def season_funding(season: Season) -> SeasonFunding:
    """The season's figures per grant, plus a row for series and sales without a grant, and the total."""
    figures = _season_figures(season)
    grants = {g.pk: g for g in Grant.objects.filter(pk__in=[k for k in figures if k is not None]).order_by()
              .select_related("funder")}
    rows = []
    for grant in sorted(grants.values(), key=lambda g: (g.name, g.pk)):
        row = figures[grant.pk]
        row.grant, row.budget_cents = grant, grant.amount_cents
        rows.append(row)
    if None in figures and not figures[None].is_empty():
        rows.append(figures[None])
    total = Figures()
    for name in AMOUNTS:
        if name != "budget_cents":
            setattr(total, name, sum(getattr(r, name) for r in rows))
    return SeasonFunding(rows=rows, total=total)


def grant_seasons(grant: Grant) -> list[tuple[Season, Figures]]:
    """The grant's figures season by season (the seasons where its series or its public-sale bonuses are),
    in date order. Budget and operations are the grant's as a whole, not a season's: they stay at 0 here, so
    the seasons' figures add up to the grant's (`grant_figures`)."""
    seasons = Season.objects.filter(Q(series__grant=grant) | Q(public_sales__grant=grant)).distinct().order_by(
        "starts_on", "pk")
    result = []
    for season in seasons:
        row = _season_figures(season, grant).get(grant.pk, Figures())
        row.grant = grant
        result.append((season, row))
    return result


def season_other_funding(season: Season, grant: Grant) -> bool:
    """Whether something other than `grant` pays for what households get in the season: another grant's series
    or sales, series and sales without a grant, card credits (then the season's reach is not the grant's
    alone)."""
    series = Series.objects.filter(season=season).exclude(grant=grant).exclude(status=Series.Status.VOID)
    sales = PublicSale.objects.filter(season=season).exclude(grant=grant)
    cards = CardEntry.objects.filter(card__household__season=season, kind=CardEntry.Kind.CREDIT)
    return series.exists() or sales.exists() or cards.exists()


def grant_redeemed_by_week(grant: Grant) -> list[tuple]:
    """(Monday, value in cents) of the grant's coupons accepted by vendors, week by week (local time)."""
    rows = (Redemption.objects.filter(coupon__series__grant=grant, outcome=Outcome.ACCEPTED)
            .values(week=TruncWeek("taken_at", output_field=DateField()))
            .annotate(v=_sum("value_cents")).order_by("week"))
    return [(row["week"], row["v"]) for row in rows]


# Forecast


@dataclass
class Forecast:
    """What remains to be paid for a season: what is owed now, plus the share of the coupons still held out
    there that households are expected to redeem.

    The rate is a fraction numerator/denominator (integers): the season's expected rate in percent (n/100),
    or the program's past closed seasons (value redeemed from households and buyers / value handed out), or
    80/100. expected_cents = held × rate rounded half up to the cent: (2·held·n + d) // (2·d)."""

    owed_cents: int
    held_cents: int
    rate_numerator: int
    rate_denominator: int
    source: str  # "season", "past" or "default"

    @property
    def expected_from_held_cents(self) -> int:
        n, d = self.rate_numerator, self.rate_denominator
        return (2 * self.held_cents * n + d) // (2 * d)

    @property
    def total_cents(self) -> int:
        return self.owed_cents + self.expected_from_held_cents

    @property
    def rate_percent(self) -> Decimal:
        """The rate in percent, to one decimal (for display only)."""
        tenths = (2000 * self.rate_numerator + self.rate_denominator) // (2 * self.rate_denominator)
        return Decimal(tenths) / 10


def past_rate(season: Season) -> tuple[int, int] | None:
    """(redeemed, handed out) value over the program's other closed seasons, from the custody ledger; None
    when none was closed or nothing was handed out."""
    totals = CustodyEvent.objects.filter(
        season__program_id=season.program_id, season__closed_at__isnull=False
    ).exclude(season=season).aggregate(
        handed_out=_sum("value_cents", kind__in=HANDED_OUT),
        redeemed=_sum("value_cents", kind=CustodyEvent.Kind.REDEEM, from_status__in=HELD),
    )
    if not totals["handed_out"]:
        return None
    return min(totals["redeemed"], totals["handed_out"]), totals["handed_out"]


def season_forecast(season: Season, total: Figures | None = None) -> Forecast:
    if total is None:
        total = season_funding(season).total
    if season.expected_redemption_rate is not None:
        numerator, denominator, source = season.expected_redemption_rate, 100, "season"
    elif (past := past_rate(season)) is not None:
        numerator, denominator, source = past[0], past[1], "past"
    else:
        numerator, denominator, source = DEFAULT_RATE_PERCENT, 100, "default"
    return Forecast(owed_cents=total.owed_cents, held_cents=total.held_cents, rate_numerator=numerator,
                    rate_denominator=denominator, source=source)
