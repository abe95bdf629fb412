"""The custody ledger: appending hash-chained events, and checking the whole chain and the balances.

Each season has its own chain. An event's hash covers all its fields, the coupons it moved and the
previous event's hash; the first event of a season links to GENESIS. The hash is keyed (HMAC with
settings.LEDGER_KEY, kept outside the database), so someone who can write to the database cannot forge a
consistent chain. An issue event also carries a digest of its series (face value, validity, class and
every code in order), so an edited code or series is caught too.

Appending takes a lock on the season row, so events of one season are written one at a time and the
chain never forks.
"""

import datetime
import hashlib
import hmac
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from pcn.coupons import codes
from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent, CustodyEventRange, Series
from pcn.programs.models import Season

GENESIS = "0" * 64


def series_digest(series: Series, codes_in_order: Iterable[str]) -> str:
    """SHA-256 of what a series is: its face value, validity, class and every code, in number order."""
    digest = hashlib.sha256(
        f"{series.pk}|{series.denomination_cents}|{series.valid_from}|{series.valid_until}|"
        f"{series.coupon_class_id}|{series.count}|".encode()
    )
    for code in codes_in_order:
        digest.update(code.encode())
    return digest.hexdigest()


def event_hash(event: CustodyEvent, ranges: list[tuple[int, int, int]]) -> str:
    """HMAC-SHA-256 over a canonical JSON of the event's fields, its ranges and the previous hash."""
    payload = {
        "season": event.season_id,
        "sequence": event.sequence,
        "kind": event.kind,
        "from_status": event.from_status,
        "from_partner": event.from_partner_id,
        "to_status": event.to_status,
        "to_partner": event.to_partner_id,
        "from_household": event.from_household_id,
        "to_household": event.to_household_id,
        "coupon_count": event.coupon_count,
        "value_cents": event.value_cents,
        "reason": event.reason,
        "note": event.note,
        "by": event.by_id,
        "at": event.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "source": event.source,
        "ranges": sorted([list(r) for r in ranges]),
        "digest": event.digest,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(settings.LEDGER_KEY.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def season_open_check(season: Season) -> None:
    """Refuse any change to a closed season (see pcn.coupons.closeout). `season` is the row the caller
    locked, so a close cannot slip in between this check and the write."""
    if season.closed_at:
        raise ValidationError(_("Cette saison est fermée : ses coupons ne peuvent plus changer de main, ni être "
                                "émis ou échangés. Les réclamations déjà faites peuvent encore être payées."))


def event_append(
    *,
    season: Season,
    kind: str,
    from_status: str,
    from_partner,
    to_status: str,
    to_partner,
    ranges: list[tuple[int, int, int]],
    coupon_count: int,
    value_cents: int,
    by,
    source: str,
    reason: str = "",
    note: str = "",
    digest: str = "",
    from_household=None,
    to_household=None,
) -> CustodyEvent:
    """Append one event at the end of the season's chain. The caller holds the season row lock
    (`Season.objects.select_for_update()`) inside the same transaction, and passes that row: a closed
    season refuses every event."""
    return events_append(season=season, moves=[{
        "kind": kind, "from_status": from_status, "from_partner": from_partner, "to_status": to_status,
        "to_partner": to_partner, "ranges": ranges, "coupon_count": coupon_count, "value_cents": value_cents,
        "by": by, "source": source, "reason": reason, "note": note, "digest": digest,
        "from_household": from_household, "to_household": to_household,
    }])[0]


def events_append(*, season: Season, moves: list[dict]) -> list[CustodyEvent]:
    """Append several events, in order, at the end of the season's chain, in a few statements whatever their
    number (the close-out expires thousands of households' coupons at once). Each move holds event_append's
    arguments; same lock and same refusal of a closed season."""
    season_open_check(season)
    last = CustodyEvent.objects.filter(season=season).order_by("-sequence").values("sequence", "hash").first()
    sequence, prev_hash = (last["sequence"], last["hash"]) if last else (0, GENESIS)
    now = timezone.now()
    events, ranges_of = [], []
    for move in moves:
        fields = {k: v for k, v in move.items() if k != "ranges"}
        sequence += 1
        event = CustodyEvent(season=season, sequence=sequence, at=now, prev_hash=prev_hash, **fields)
        event.hash = prev_hash = event_hash(event, move["ranges"])
        events.append(event)
        ranges_of.append(move["ranges"])
    CustodyEvent.objects.bulk_create(events, batch_size=1000)
    CustodyEventRange.objects.bulk_create(
        (CustodyEventRange(event=event, series_id=series_id, first_number=first, last_number=last_number)
         for event, ranges in zip(events, ranges_of, strict=True) for series_id, first, last_number in ranges),
        batch_size=5000,
    )
    return events


@dataclass
class Problem:
    season: Season
    message: str
    event_id: int | None = None


Position = tuple[str, int | None, int | None]  # (status, partner id, household id)


def holder_totals(season: Season) -> dict[Position, list[int]]:
    """Coupons and value per holder (status, partner id, household id), aggregated in the database."""
    rows = (
        Coupon.objects.filter(season=season)
        .values_list("status", "partner", "household")
        .annotate(n=models.Count("id"), value=models.Sum("value_cents"))
        .order_by()
    )
    return {(status, partner, household): [n, value] for status, partner, household, n, value in rows}


def season_verify(season: Season) -> list[Problem]:
    """Re-compute the season's chain, replay its events into balances, and compare them with where the
    coupons are, holder by holder and coupon by coupon. Returns the problems found, the first broken
    link first."""
    problems = _verify_chain(season)
    if problems:
        return problems
    return _verify_positions(season)


def _verify_chain(season: Season) -> list[Problem]:
    ranges: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for event_id, *rng in CustodyEventRange.objects.filter(event__season=season).values_list(
        "event_id", "series_id", "first_number", "last_number"
    ):
        ranges[event_id].append(tuple(rng))
    expected_prev = GENESIS
    events = CustodyEvent.objects.filter(season=season).order_by("sequence")
    for number, event in enumerate(events, start=1):
        where = {"n": event.sequence}
        if event.sequence != number or event.prev_hash != expected_prev:
            return [Problem(season, _("l'événement n° %(n)s ne suit pas le précédent : la chaîne est rompue") % where,
                            event.pk)]
        if not hmac.compare_digest(event_hash(event, ranges[event.pk]), event.hash):
            return [Problem(season, _("l'événement n° %(n)s a été modifié après son inscription") % where, event.pk)]
        moved = sum(last - first + 1 for _series, first, last in ranges[event.pk])
        if moved != event.coupon_count:
            return [Problem(season, _("l'événement n° %(n)s déplace %(moved)s coupons mais en annonce %(count)s")
                            % {**where, "moved": moved, "count": event.coupon_count}, event.pk)]
        if event.kind == CustodyEvent.Kind.ISSUE:
            (series_id, _first, _last), = ranges[event.pk]
            series = Series.objects.get(pk=series_id)
            codes = series.coupons.order_by("number").values_list("code", flat=True).iterator(chunk_size=10000)
            if series_digest(series, codes) != event.digest:
                return [Problem(season, _("la série %(series)s (ses codes, sa valeur ou ses dates) a été modifiée "
                                          "après son émission") % {"series": series.number}, event.pk)]
        expected_prev = event.hash
    return []


def _verify_positions(season: Season) -> list[Problem]:
    problems: list[Problem] = []
    balances: dict[Position, list[int]] = defaultdict(lambda: [0, 0])
    issued_value = 0
    for event in CustodyEvent.objects.filter(season=season).order_by("sequence"):
        if event.kind == CustodyEvent.Kind.ISSUE:
            issued_value += event.value_cents
        else:
            source = balances[(event.from_status, event.from_partner_id, event.from_household_id)]
            source[0] -= event.coupon_count
            source[1] -= event.value_cents
        target = balances[(event.to_status, event.to_partner_id, event.to_household_id)]
        target[0] += event.coupon_count
        target[1] += event.value_cents

    actual = holder_totals(season)
    ledger = {position: totals for position, totals in balances.items() if totals != [0, 0]}
    for position in sorted(set(ledger) | set(actual), key=str):
        said, found = ledger.get(position, [0, 0]), actual.get(position, [0, 0])
        if said != found:
            status, partner, household = position
            problems.append(Problem(season, _(
                "« %(where)s »%(partner)s : le registre dit %(ledger_n)s coupons (%(ledger_v)s ¢), "
                "les coupons disent %(actual_n)s (%(actual_v)s ¢)"
            ) % {"where": CouponStatus(status).label, "partner": f" #{partner or household}" if partner or household else "",
                 "ledger_n": said[0], "ledger_v": said[1], "actual_n": found[0], "actual_v": found[1]}))
    held_value = sum(value for _n, value in actual.values())
    if held_value != issued_value:
        problems.append(Problem(season, _("valeur émise %(issued)s ¢, valeur retrouvée %(held)s ¢")
                                % {"issued": issued_value, "held": held_value}))

    # Coupon by coupon: each must be where the last event that moved it put it, at its series' value.
    for code, status, partner in _misplaced_coupons(season)[:5]:
        problems.append(Problem(season, _(
            "le coupon %(code)s est « %(status)s »%(partner)s, mais le registre le met ailleurs"
        ) % {"code": codes.display(code), "status": CouponStatus(status).label, "partner": f" #{partner}" if partner else ""}))
    return problems


def _misplaced_coupons(season: Season) -> list[tuple[str, str, int | None]]:
    """Coupons whose position or value differs from what the ledger says (done in SQL: a season can hold
    millions of coupons)."""
    coupon = Coupon._meta.db_table
    event = CustodyEvent._meta.db_table
    rng = CustodyEventRange._meta.db_table
    series = Series._meta.db_table
    last_position = f"""
        SELECT e.to_status || ':' || COALESCE(CAST(e.to_partner_id AS TEXT), '')
            || ':' || COALESCE(CAST(e.to_household_id AS TEXT), '')
        FROM {rng} r JOIN {event} e ON e.id = r.event_id
        WHERE r.series_id = c.series_id AND c.number BETWEEN r.first_number AND r.last_number
        ORDER BY e.sequence DESC LIMIT 1"""
    sql = f"""
        SELECT c.code, c.status, c.partner_id FROM {coupon} c JOIN {series} s ON s.id = c.series_id
        WHERE c.season_id = %s AND (
            c.value_cents <> s.denomination_cents
            OR ({last_position}) IS NULL
            OR c.status || ':' || COALESCE(CAST(c.partner_id AS TEXT), '')
                || ':' || COALESCE(CAST(c.household_id AS TEXT), '') <> ({last_position})
        )
        ORDER BY c.series_id, c.number LIMIT 20"""
    params = [season.pk]
    if connection.vendor == "postgresql":
        # Set-based: every range expanded to its coupons once, the last move of each kept. The correlated
        # subquery above scans every range of a coupon's series for each coupon, which grows with the square
        # of the redemptions (one range each): minutes for a fully redeemed season of 50,000 coupons.
        # Coupons and last moves side by side in one grouping, not a join: a join's plan depends on the
        # table statistics, and a bad one (a freshly loaded table) is quadratic again.
        position = "{0}status || ':' || COALESCE(CAST({0}partner_id AS TEXT), '') || ':' || " \
                   "COALESCE(CAST({0}household_id AS TEXT), '')"
        sql = f"""
            WITH moves AS (
                SELECT r.series_id, n AS number, e.sequence, e.to_status AS status,
                    e.to_partner_id AS partner_id, e.to_household_id AS household_id
                FROM {rng} r JOIN {event} e ON e.id = r.event_id
                CROSS JOIN LATERAL generate_series(r.first_number, r.last_number) AS n
                WHERE e.season_id = %s
            ), last AS (
                SELECT DISTINCT ON (series_id, number) * FROM moves ORDER BY series_id, number, sequence DESC
            ), side_by_side AS (
                SELECT series_id, number, NULL AS code, NULL AS status, NULL::integer AS partner_id,
                    {position.format("")} AS position, FALSE AS bad_value
                FROM last
                UNION ALL
                SELECT c.series_id, c.number, c.code, c.status, c.partner_id, {position.format("c.")},
                    c.value_cents <> s.denomination_cents
                FROM {coupon} c JOIN {series} s ON s.id = c.series_id WHERE c.season_id = %s
            )
            SELECT MAX(code), MAX(status), MAX(partner_id) FROM side_by_side
            GROUP BY series_id, number
            HAVING MAX(code) IS NOT NULL AND (COUNT(*) <> 2 OR BOOL_OR(bad_value) OR MIN(position) <> MAX(position))
            ORDER BY series_id, number LIMIT 20"""
        params = [season.pk, season.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
