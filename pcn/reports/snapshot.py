"""A season's report facts, recomputed from the raw tables, and when to recompute them.

`season_refresh` runs a dozen GROUP BY queries over the season's coupons, custody ledger, redemptions, cards,
counts and payment batches, and writes their sums as `Fact` rows (by week, partner, market, vendor, class),
with the season's totals from the authoritative reports (the close-out disposition, the funding figures,
the payment totals) in `Snapshot.summary`. Dashboards only read those: a province's season takes a few
seconds to recompute and a few milliseconds to read.

When: a snapshot is current while its fingerprint (the ledger's last event, the paid batches, the counts
entered, the card entries, the review decisions, the households' partners) matches the season's, and it is
less than `MAX_AGE` old (what the fingerprint does not see: a rejected claim line, a refused presentation);
a closed season's stays current while its fingerprint does. A stale snapshot of a small season is
recomputed in the request (its last refresh took under `INLINE_SECONDS`); a big season's is recomputed by
the background worker (`reports.season_refresh` task) while the page shows the figures it has, with their
time.
"""

import datetime
import time
from collections import defaultdict

from django.db import transaction
from django.db.models import BigIntegerField, Count, DateField, ExpressionWrapper, F, Max, Min, Q, Sum
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext

from pcn.coupons.closeout import season_disposition
from pcn.coupons.models import CustodyEvent, CustodyEventRange, Series
from pcn.households.models import CardEntry, Distribution, Household
from pcn.payments.models import BatchItem, PaymentBatch
from pcn.payments.selectors import season_payment_totals
from pcn.programs.models import Season
from pcn.redemptions.models import Outcome, Redemption, RedemptionCount, ReviewDecision
from pcn.reports.models import Fact, Measure, Snapshot

MAX_AGE = datetime.timedelta(minutes=15)
INLINE_SECONDS = 2.0
# A season never refreshed is recomputed in the request below this many coupons issued.
INLINE_COUPONS = 200_000

_RANGE_KINDS = {
    CustodyEvent.Kind.ALLOCATE: Measure.ALLOCATED,
    CustodyEvent.Kind.DISTRIBUTE: Measure.DISTRIBUTED,
    CustodyEvent.Kind.SELL: Measure.SOLD,
    CustodyEvent.Kind.RETURN: Measure.RETURNED,
    CustodyEvent.Kind.VOID: Measure.VOIDED,
    CustodyEvent.Kind.EXPIRE: Measure.EXPIRED,
}


def _week(field: str):
    return TruncWeek(field, output_field=DateField())


def _monday(moment) -> datetime.date:
    day = timezone.localdate(moment) if isinstance(moment, datetime.datetime) else moment
    return day - datetime.timedelta(days=day.weekday())


def _facts(season: Season) -> list[Fact]:
    facts: list[Fact] = []

    def add(measure, rows, **keys):
        for row in rows:
            facts.append(Fact(season=season, measure=measure, week=row["week"], count=row["n"] or 0,
                              cents=row["v"] or 0, **{k: row.get(v) for k, v in keys.items()}))

    add(Measure.ISSUED, Series.objects.filter(season=season).values(week=_week("issued_at"), cls=F("coupon_class_id"))
        .annotate(n=Sum("count"), v=Sum(ExpressionWrapper(F("count") * F("denomination_cents"),
                                                          output_field=BigIntegerField()))).order_by(),
        coupon_class_id="cls")

    coupons = ExpressionWrapper(F("last_number") - F("first_number") + 1, output_field=BigIntegerField())
    value = ExpressionWrapper((F("last_number") - F("first_number") + 1) * F("series__denomination_cents"),
                              output_field=BigIntegerField())
    ranges = (
        CustodyEventRange.objects.filter(event__season=season, event__kind__in=list(_RANGE_KINDS))
        .values("event__kind", week=_week("event__at"), cls=F("series__coupon_class_id"),
                partner=Coalesce("event__to_household__partner_id", "event__from_partner_id", "event__to_partner_id"))
        .annotate(n=Sum(coupons), v=Sum(value)).order_by()
    )
    by_kind = defaultdict(list)
    for row in ranges:
        by_kind[row["event__kind"]].append(row)
    for kind, measure in _RANGE_KINDS.items():
        add(measure, by_kind[kind], partner_id="partner", coupon_class_id="cls")

    # Taken and paid for: accepted, or set aside for review and decided « pay both » (the second presentation of
    # a coupon, or a card purchase over the offline cap), as the payable rule and the vendor's statement count.
    accepted = Redemption.objects.filter(season=season).filter(
        Q(outcome=Outcome.ACCEPTED) | Q(outcome=Outcome.REVIEW, decision__decision=ReviewDecision.Decision.PAY_BOTH))
    add(Measure.REDEEMED, accepted.filter(coupon__isnull=False).values(
        "market_id", "vendor_id", week=_week("taken_at"), cls=F("coupon__series__coupon_class_id"))
        .annotate(n=Count("id"), v=Sum("value_cents")).order_by(),
        market_id="market_id", vendor_id="vendor_id", coupon_class_id="cls")
    add(Measure.REDEEMED_FROM, accepted.filter(coupon__isnull=False).values(
        week=_week("taken_at"), cls=F("coupon__series__coupon_class_id"),
        partner=Coalesce("event__from_household__partner_id", "event__from_partner_id"))
        .annotate(n=Count("id"), v=Sum("value_cents")).order_by(),
        partner_id="partner", coupon_class_id="cls")
    add(Measure.CARD_SPENT, accepted.filter(card__isnull=False).values("market_id", "vendor_id", week=_week("taken_at"))
        .annotate(n=Count("id"), v=Sum("value_cents")).order_by(), market_id="market_id", vendor_id="vendor_id")
    add(Measure.CARD_SPENT_FROM, accepted.filter(card__isnull=False).values(
        week=_week("taken_at"), partner=F("card__household__partner_id"))
        .annotate(n=Count("id"), v=Sum("value_cents")).order_by(), partner_id="partner")
    add(Measure.REFUSED, Redemption.objects.filter(season=season, outcome=Outcome.REFUSED).values(
        "market_id", "vendor_id", week=_week("taken_at")).annotate(n=Count("id"), v=Sum("value_cents")).order_by(),
        market_id="market_id", vendor_id="vendor_id")
    add(Measure.COUNTED, RedemptionCount.objects.filter(season=season).values(
        "market_id", "vendor_id", week=_week("day")).annotate(n=Sum("count"), v=Sum("value_cents")).order_by(),
        market_id="market_id", vendor_id="vendor_id")
    add(Measure.CARD_CREDITED, CardEntry.objects.filter(card__household__season=season, kind=CardEntry.Kind.CREDIT)
        .values(week=_week("recorded_at"), partner=F("card__household__partner_id"))
        .annotate(n=Count("id"), v=Sum("amount_cents")).order_by(), partner_id="partner")
    add(Measure.PAID, BatchItem.objects.filter(batch__season=season, batch__paid_at__isnull=False).values(
        week=_week("batch__paid_at"), vendor=F("claim__vendor_id"), market=F("claim__market_id"))
        .annotate(n=Count("id"), v=Sum("amount_cents")).order_by(), vendor_id="vendor", market_id="market")

    facts.extend(_reached(season))
    return facts


def _reached(season: Season) -> list[Fact]:
    """Households reached: given coupons (a distribution, whole or partial) or a card credit, counted once, in
    the week of the first time, under their partner; with the people they count, by age band."""
    first: dict[int, datetime.datetime] = {}
    given = Distribution.objects.filter(household__season=season).exclude(status=Distribution.Status.MISSED)
    credited = CardEntry.objects.filter(card__household__season=season, kind=CardEntry.Kind.CREDIT)
    for household_id, at in [
        *given.values("household_id").annotate(at=Min("recorded_at")).values_list("household_id", "at").order_by(),
        *credited.values("card__household_id").annotate(at=Min("recorded_at"))
        .values_list("card__household_id", "at").order_by(),
    ]:
        if household_id not in first or at < first[household_id]:
            first[household_id] = at
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0] * 6)
    bands = ("size", "age_0_5", "age_6_17", "age_18_64", "age_65_plus")
    for row in Household.objects.filter(season=season).values("pk", "partner_id", *bands).iterator(chunk_size=5000):
        at = first.get(row["pk"])
        if at is None:
            continue
        cell = sums[(_monday(at), row["partner_id"])]
        cell[0] += 1
        for index, band in enumerate(bands, start=1):
            cell[index] += row[band]
    measures = (Measure.REACHED, Measure.PEOPLE, Measure.AGE_0_5, Measure.AGE_6_17, Measure.AGE_18_64,
                Measure.AGE_65_PLUS)
    return [
        Fact(season=season, measure=measure, week=week, partner_id=partner_id, count=cell[index])
        for (week, partner_id), cell in sums.items()
        for index, measure in enumerate(measures)
        if cell[index]
    ]


def _summary(season: Season) -> dict:
    """The season's totals as the authoritative reports give them (integers, for JSON)."""
    from pcn.funding.selectors import season_forecast, season_funding

    disposition = season_disposition(season)
    funding = season_funding(season)
    total = funding.total
    forecast = season_forecast(season, total)
    budgets = sum(row.grant.amount_cents for row in funding.rows if row.grant is not None)
    return {
        "disposition": {line.key: [line.count, line.value_cents] for line in disposition.states},
        "issued": [disposition.issued.count, disposition.issued.value_cents],
        "balanced": disposition.balanced,
        "counted": [disposition.counted.count, disposition.counted.value_cents],
        "paid_twice": [disposition.paid_twice.count, disposition.paid_twice.value_cents],
        "card_credits_cents": disposition.card_credits_cents,
        "card_debits_cents": disposition.card_debits_cents,
        "payments": season_payment_totals(season),
        "funding": {
            "grants_budget_cents": budgets,
            "committed_cents": total.committed_cents,
            "bonus_cents": total.bonus_cents,
            "held_cents": total.held_cents,
            "owed_cents": total.owed_cents,
            "outstanding_cents": total.outstanding_cents,
            "revenue_cents": total.revenue_cents,
            "forecast_cents": forecast.total_cents,
        },
    }


def fingerprint(season: Season) -> str:
    """What changes when the season's figures change, read from small indexes: the ledger's last event, the
    paid batches, the last count entered, the last card entry."""
    last_event = CustodyEvent.objects.filter(season=season).aggregate(m=Max("sequence"))["m"] or 0
    batches = PaymentBatch.objects.filter(season=season).aggregate(
        n=Count("id", filter=Q(paid_at__isnull=False)), m=Max("paid_at"))
    last_count = RedemptionCount.objects.filter(season=season).aggregate(m=Max("id"))["m"] or 0
    last_card = CardEntry.objects.filter(card__household__season=season).aggregate(m=Max("id"))["m"] or 0
    last_review = ReviewDecision.objects.filter(redemption__season=season).aggregate(m=Max("id"))["m"] or 0
    # A household moved to another partner changes the sum of its season's households' partners.
    partners = Household.objects.filter(season=season).aggregate(s=Sum("partner_id"))["s"] or 0
    paid_at = batches["m"].isoformat() if batches["m"] else "-"
    closed = season.closed_at.isoformat() if season.closed_at else "-"
    return f"{last_event}:{batches['n']}:{paid_at}:{last_count}:{last_card}:{last_review}:{partners}:{closed}"


def season_refresh(season: Season) -> Snapshot:
    """Recompute the season's facts and totals. Readers see the old rows or the new ones, never a mix."""
    started = time.perf_counter()
    mark = fingerprint(season)
    facts = _facts(season)
    summary = _summary(season)
    with transaction.atomic():
        # One refresh of a season at a time: the snapshot row is the lock (not the season row, which is the
        # ledger's). A second refresh waits here, then replaces the first one's facts instead of adding to them.
        Snapshot.objects.get_or_create(season=season, defaults={"built_at": timezone.now(), "build_seconds": 0,
                                                                "fingerprint": "", "summary": {}})
        snapshot = Snapshot.objects.select_for_update().get(season=season)
        Fact.objects.filter(season=season).delete()
        Fact.objects.bulk_create(facts, batch_size=5000)
        snapshot.built_at, snapshot.build_seconds = timezone.now(), time.perf_counter() - started
        snapshot.fingerprint, snapshot.summary = mark, summary
        snapshot.save()
    return snapshot


def is_current(snapshot: Snapshot | None, season: Season) -> bool:
    """Current while nothing the fingerprint sees has changed, and not older than MAX_AGE; a closed season's
    ledger no longer moves, and its payments are in the fingerprint, so its age does not matter."""
    if snapshot is None or snapshot.fingerprint != fingerprint(season):
        return False
    return season.closed_at is not None or timezone.now() - snapshot.built_at < MAX_AGE


def _small(season: Season, snapshot: Snapshot | None) -> bool:
    if snapshot is not None:
        return snapshot.build_seconds < INLINE_SECONDS
    issued = Series.objects.filter(season=season).aggregate(n=Sum("count"))["n"] or 0
    return issued < INLINE_COUPONS


def refresh_pending(season: Season) -> bool:
    from pcn.tasks.models import Task

    return Task.objects.filter(name=REFRESH_TASK, kwargs__season_id=season.pk,
                               status__in=[Task.Status.QUEUED, Task.Status.RUNNING]).exists()


REFRESH_TASK = "reports.season_refresh"


def current_snapshot(season: Season, *, by, inline: bool = True) -> tuple[Snapshot | None, bool]:
    """The season's snapshot for a page, and whether a newer one is being prepared. A stale snapshot of a
    small season is recomputed here (with `inline`; a page showing many seasons passes False, and only a season
    never computed is then computed here); a big season's is queued for the worker (once)."""
    snapshot = Snapshot.objects.filter(season=season).first()
    if is_current(snapshot, season):
        return snapshot, False
    if (inline or snapshot is None) and _small(season, snapshot):
        return season_refresh(season), False
    if not refresh_pending(season):
        from pcn.tasks.services import task_enqueue

        task_enqueue(program=season.program, name=REFRESH_TASK, kwargs={"season_id": season.pk},
                     label=gettext("Mise à jour du tableau de bord · %(season)s") % {"season": season.name}, by=by)
    return snapshot, True
