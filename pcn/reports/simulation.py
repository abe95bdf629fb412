"""A province-sized simulated dataset, for the dashboards' benchmark and for trying the reports on real volumes.

`simulate(scale=1.0, seed=7)` builds one network of ten programs in different regions (a big city, MRCs, a
remote region whose markets count coupons without reading codes, a city paying some vendors in a local
currency, an Indigenous community) with, at scale 1, about 150 markets, 3,000 vendors, 20,000 households,
3,000,000 coupons and 2,400,000 redemptions. Two programs also have last year's season, closed, so that
seasons can be compared. The current seasons ended two weeks ago and their coupons are still valid for a week:
claims made every six weeks, most paid, the last ones approved and waiting.

It drives the application's services wherever their speed allows it at this size, each at the simulated
moment (`clock` sets `django.utils.timezone.now`, which every service and `auto_now_add` field reads):
programs, seasons, their entitlements and coupon classes, partners and their quotas, markets and sale points
with their hours, vendors and their authorizations, grants and expenses, `series_issue`, allocations to the
partners (`coupons_move`, by ranges), public sales (`public_sale_record`), counts by denomination in the remote
region (`redemption_count_record`), a sample of accepted and refused redemptions (`redemption_record`), claims
(`claims_prepare`, `claim_line_reject`, `claim_approve`), payment batches (`batch_create`, `batch_approve`,
`batch_mark_paid`) and the close of the past seasons (`season_close`, which verifies the ledger first).

What is too many for one call each (households enrolled, their hundreds of thousands of distributions and
millions of redemptions) is written in bulk exactly as the services write it: households with their consents,
and every custody event hashed into its season's chain with the ledger's own `event_hash`, in order, then
COPYed (PostgreSQL) or inserted (SQLite) with the Distribution and Redemption rows that hold them; then one
UPDATE puts each coupon where the last event naming it put it (`coupons_place`). `bench/payments.py` uses the
same writers. Codes of coupons and households are random as always (the seed fixes everything else).
"""

from __future__ import annotations

import bisect
import datetime
import math
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

# Province-sized defaults (scale 1).
DEFAULTS = {"markets": 150, "vendors": 3000, "households": 20_000, "coupons": 3_000_000, "redemptions": 2_400_000}

WEEKS = 16  # every season: 16 weeks of distributions
VALID_AFTER_END = 21  # coupons stay valid three weeks after the last distribution week
CLAIM_EVERY = 6  # weeks between claim rounds
WEEKLY_CENTS = (1000, 1400, 1800, 2200, 2600, 3000)  # entitlement per week, household sizes 1 to 6 (the cap)
HOUSEHOLD_COUPON = 200  # households receive 2 $ coupons (fruits and vegetables)
PUBLIC_COUPON = 1000  # the public buys 10 $ coupons (every eligible food), 20 $ for 30 $
SIZES = (1, 2, 3, 4, 5, 6, 7, 8)
SIZE_WEIGHTS = (30, 25, 16, 13, 8, 5, 2, 1)
WAITING = 0.03  # households on a waiting list
MISSED = 0.03  # distributions missed
PARTNER_MARGIN = 1.02  # partners receive a little more than their households' due
STOCK_SPARE = 1.03  # series printed a little larger than what goes out
PUBLIC_SOLD = 0.7  # of the public series
PUBLIC_SALES = 10  # sales (campaigns) per season
FRUITS_AND_VEGETABLES = ["vegetables", "fruit", "herbs", "food_plants"]


@dataclass(frozen=True)
class ProgramSpec:
    name: str
    kind: str
    region: str
    share: float  # of the province's markets, vendors, households, coupons and redemptions
    frequency: str  # weekly, biweekly, monthly
    centre: tuple[float, float]
    places: tuple[str, ...]
    past: bool = False  # also last year's season, closed
    counts_only: bool = False  # markets count coupons by value instead of reading codes
    local_currency: tuple[str, int] | None = None  # (name, units per 100 $)
    languages: tuple[str, ...] = ("fr",)
    rural: bool = False  # farm stands, u-pick and CSA pickups beside the markets


PROGRAMS = (
    ProgramSpec("Ville de Québec", "city", "03", 0.34, "weekly", (46.81, -71.21),
                ("Vieux-Port", "Limoilou", "Saint-Roch", "Sainte-Foy", "Charlesbourg", "Beauport", "Vanier")),
    ProgramSpec("MRC de Portneuf", "mrc", "03", 0.08, "biweekly", (46.70, -71.88),
                ("Saint-Raymond", "Donnacona", "Pont-Rouge", "Saint-Marc-des-Carrières", "Deschambault"),
                past=True, rural=True),
    ProgramSpec("MRC de Rimouski-Neigette", "mrc", "01", 0.07, "biweekly", (48.45, -68.52),
                ("Rimouski", "Le Bic", "Saint-Anaclet", "Saint-Narcisse"), past=True, rural=True),
    ProgramSpec("MRC de La Matapédia", "mrc", "01", 0.04, "monthly", (48.46, -67.43),
                ("Amqui", "Causapscal", "Sayabec", "Val-Brillant"), counts_only=True, rural=True),
    ProgramSpec("Ville de Gatineau", "city", "07", 0.12, "weekly", (45.48, -75.70),
                ("Hull", "Aylmer", "Gatineau", "Buckingham", "Masson-Angers"), local_currency=("Petite-monnaie", 105)),
    ProgramSpec("Communauté de Lac-Simon", "indigenous_community", "08", 0.02, "biweekly", (47.98, -77.33),
                ("Lac-Simon",), languages=("fr", "alq"), rural=True),
    ProgramSpec("Ville de Sherbrooke", "city", "05", 0.11, "weekly", (45.40, -71.89),
                ("Centre-ville", "Fleurimont", "Lennoxville", "Rock Forest", "Jacques-Cartier")),
    ProgramSpec("Ville de Saguenay", "city", "02", 0.08, "weekly", (48.43, -71.07),
                ("Chicoutimi", "Jonquière", "La Baie")),
    ProgramSpec("MRC de Drummond", "mrc", "17", 0.07, "biweekly", (45.88, -72.48),
                ("Drummondville", "Saint-Germain", "Wickham", "Saint-Cyrille"), rural=True),
    ProgramSpec("Région des Laurentides", "region", "15", 0.07, "biweekly", (45.78, -74.00),
                ("Saint-Jérôme", "Sainte-Agathe", "Mont-Tremblant", "Mirabel", "Saint-Sauveur"), rural=True),
)
PAST_SHARE = 0.4  # of a program's households and coupons, for its past season

PARTNER_NAMES = ("Entraide", "Cuisine collective", "Carrefour familial", "Maison de la famille", "Comptoir alimentaire",
                 "Centre communautaire")
VENDOR_KINDS = (  # (name, categories, kind, weight): three in four sell fruits and vegetables
    ("Ferme", ["vegetables", "fruit"], "producer", 34),
    ("Jardins", ["vegetables", "herbs", "food_plants"], "producer", 16),
    ("Vergers", ["fruit", "processed"], "producer", 10),
    ("Serres", ["vegetables", "food_plants"], "producer", 8),
    ("Potager", ["vegetables"], "producer", 7),
    ("Fromagerie", ["dairy"], "processor", 6),
    ("Érablière", ["maple"], "producer", 5),
    ("Boulangerie", ["processed"], "processor", 5),
    ("Rucher", ["honey"], "producer", 3),
    ("Bergerie", ["meat", "eggs"], "producer", 4),
    ("Poissonnerie", ["fish"], "processor", 2),
)
SURNAMES = ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
            "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette", "Girard", "Simard",
            "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier", "Lapointe", "Leclerc")


# --- bulk writers, shared with bench/payments.py -------------------------------------------------------------


def sql(query: str, params=None) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return cursor.fetchall() if cursor.description else []


def sql_count(query: str, params=None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return cursor.rowcount


def copy_rows(table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Write rows: PostgreSQL's COPY, or one executemany INSERT on SQLite (dates adapted as Django does)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    ops = connection.ops

    def adapt(value):
        if isinstance(value, datetime.datetime):
            return ops.adapt_datetimefield_value(value)
        if isinstance(value, datetime.date):
            return ops.adapt_datefield_value(value)
        return value

    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
                           [tuple(adapt(v) for v in row) for row in rows])


def new_ids(table: str, n: int) -> list[int]:
    """`n` ids for rows about to be written to `table` (its sequence on PostgreSQL; after the largest on SQLite,
    whose writers take turns, so the caller's transaction holds them)."""
    from django.db import connection

    if n == 0:
        return []
    if connection.vendor == "postgresql":
        rows = sql(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [n])
        return [r[0] for r in rows]
    (largest,), = sql(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    used = sql("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
    start = max(largest, used[0][0] if used else 0) + 1
    return list(range(start, start + n))


EVENT_COLUMNS = ("id", "season_id", "sequence", "kind", "from_status", "from_partner_id", "to_status", "to_partner_id",
                 "from_household_id", "to_household_id", "coupon_count", "value_cents", "reason", "note", "digest",
                 "by_id", "at", "source", "prev_hash", "hash")
_EVENT_DEFAULTS = dict(from_partner_id=None, to_partner_id=None, from_household_id=None, to_household_id=None,
                       reason="", note="", digest="")


def ledger_append_bulk(season, specs: list[dict]) -> list[int]:
    """Append events to the season's chain as `events_append` would, in one COPY: each hashed with the ledger's
    `event_hash` after the previous one, in the order given. `specs` hold the event's fields (`kind`,
    `from_status`, `to_status`, `coupon_count`, `value_cents`, `by_id`, `at`, `source`; optionally the partners,
    households, `reason`, `note`, `digest`) and its `ranges` [(series id, first, last)]. The caller holds the
    season's row lock. Returns the events' ids, in order."""
    from pcn.coupons.ledger import GENESIS, event_hash
    from pcn.coupons.models import CustodyEvent, CustodyEventRange

    if not specs:
        return []
    last = CustodyEvent.objects.filter(season=season).order_by("-sequence").values("sequence", "hash").first()
    sequence, prev = (last["sequence"], last["hash"]) if last else (0, GENESIS)
    ids = new_ids(CustodyEvent._meta.db_table, len(specs))
    events, ranges = [], []
    for event_id, spec in zip(ids, specs, strict=True):
        sequence += 1
        fields = {**_EVENT_DEFAULTS, **{k: v for k, v in spec.items() if k != "ranges"}}
        event = SimpleNamespace(season_id=season.pk, sequence=sequence, prev_hash=prev, **fields)
        event.hash = prev = event_hash(event, spec["ranges"])
        events.append((event_id, season.pk, sequence, event.kind, event.from_status, event.from_partner_id,
                       event.to_status, event.to_partner_id, event.from_household_id, event.to_household_id,
                       event.coupon_count, event.value_cents, event.reason, event.note, event.digest, event.by_id,
                       event.at, event.source, event.prev_hash, event.hash))
        ranges.extend((event_id, *r) for r in spec["ranges"])
    copy_rows(CustodyEvent._meta.db_table, EVENT_COLUMNS, events)
    copy_rows(CustodyEventRange._meta.db_table, ("event_id", "series_id", "first_number", "last_number"), ranges)
    return ids


def _superuser() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql" and sql("SELECT current_setting('is_superuser')")[0][0] == "on"


@contextmanager
def checks_deferred_to_load_end():
    """Inside a transaction, on PostgreSQL as a superuser: the rows written meanwhile skip the row-by-row
    foreign-key triggers (`session_replication_role = replica`, as pg_restore --disable-triggers loads), which
    cost more than the COPY itself at millions of rows; `foreign_keys_check` then checks them all at once.
    Elsewhere the triggers run as usual."""
    off = _superuser()
    if off:
        sql("SET LOCAL session_replication_role = replica")
    try:
        yield
    finally:
        if off:
            sql("SET LOCAL session_replication_role = DEFAULT")


def high_water(models) -> dict:
    """The largest id of each model's table: `foreign_keys_check` looks at the rows written after."""
    return {model: sql(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")[0][0] for model in models}


def foreign_keys_check(since: dict) -> None:
    """Every foreign key of the rows written after `since` (high_water's) points to a row, checked set-based:
    one anti-join per key. Raises AssertionError naming the first dangling key."""
    from django.db import models as m

    for model, after in since.items():
        table = model._meta.db_table
        for f in model._meta.concrete_fields:
            if not isinstance(f, m.ForeignKey) or not f.db_constraint:
                continue
            target = f.related_model._meta.db_table
            (dangling,), = sql(
                f"SELECT COUNT(*) FROM {table} t LEFT JOIN {target} r ON r.{f.target_field.column} = t.{f.column} "
                f"WHERE t.id > %s AND t.{f.column} IS NOT NULL AND r.{f.target_field.column} IS NULL", [after])
            assert not dangling, f"{dangling} rows of {table} point to no {target} ({f.column})"


def last_sequence(season) -> int:
    from pcn.coupons.models import CustodyEvent

    last = CustodyEvent.objects.filter(season=season).order_by("-sequence").values_list("sequence", flat=True).first()
    return last or 0


def coupons_place(season, after_sequence: int = 0, kinds: tuple[str, ...] | None = None) -> int:
    """Put every coupon named by the season's events after `after_sequence` (of `kinds`, or all) where the last
    of them put it (status, partner, household): what the services' UPDATEs do move by move, in one statement.
    Returns how many coupons changed place."""
    from django.db import connection, transaction

    from pcn.coupons.models import Coupon, CustodyEvent, CustodyEventRange

    coupon, event, rng = Coupon._meta.db_table, CustodyEvent._meta.db_table, CustodyEventRange._meta.db_table
    kinds = list(kinds or CustodyEvent.Kind.values)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            sql("SET LOCAL work_mem = '256MB'")  # the DISTINCT ON sorts every move of every coupon in memory
            return sql_count(f"""
                UPDATE {coupon} c SET status = m.to_status, partner_id = m.to_partner_id,
                    household_id = m.to_household_id
                FROM (
                    SELECT DISTINCT ON (r.series_id, n) r.series_id, n AS number, e.to_status, e.to_partner_id,
                        e.to_household_id
                    FROM {rng} r JOIN {event} e ON e.id = r.event_id
                    CROSS JOIN LATERAL generate_series(r.first_number, r.last_number) AS n
                    WHERE e.season_id = %s AND e.sequence > %s AND e.kind = ANY(%s)
                    ORDER BY r.series_id, n, e.sequence DESC
                ) m
                WHERE c.series_id = m.series_id AND c.number = m.number AND c.season_id = %s
                    AND (c.status <> m.to_status OR c.partner_id IS DISTINCT FROM m.to_partner_id
                         OR c.household_id IS DISTINCT FROM m.to_household_id)""",
                             [season.pk, after_sequence, kinds, season.pk])
        # SQLite (tests, small sizes): the moves one by one, in the ledger's order.
        moves = sql(f"""
            SELECT e.to_status, e.to_partner_id, e.to_household_id, r.series_id, r.first_number, r.last_number
            FROM {rng} r JOIN {event} e ON e.id = r.event_id
            WHERE e.season_id = %s AND e.sequence > %s AND e.kind IN ({', '.join(['%s'] * len(kinds))})
            ORDER BY e.sequence""", [season.pk, after_sequence, *kinds])
        before = dict(((s, n), (st, p, h)) for s, n, st, p, h in sql(
            f"SELECT series_id, number, status, partner_id, household_id FROM {coupon} WHERE season_id = %s",
            [season.pk]))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {coupon} SET status = %s, partner_id = %s, household_id = %s "
                f"WHERE series_id = %s AND number BETWEEN %s AND %s", moves)
        after = dict(((s, n), (st, p, h)) for s, n, st, p, h in sql(
            f"SELECT series_id, number, status, partner_id, household_id FROM {coupon} WHERE season_id = %s",
            [season.pk]))
        return sum(1 for key, place in after.items() if before.get(key) != place)


REDEMPTION_COLUMNS = ("program_id", "season_id", "vendor_id", "market_id", "sale_point_id", "coupon_id", "code",
                      "value_cents", "outcome", "reason", "unissued", "outside_hours", "source", "nonce", "taken_at",
                      "recorded_at", "recorded_by_id", "event_id")


def redemptions_write(rows: Iterable[tuple]) -> None:
    """Redemption rows in REDEMPTION_COLUMNS' order (as `redemption_record` writes them at the stall)."""
    from pcn.redemptions.models import Redemption

    copy_rows(Redemption._meta.db_table, REDEMPTION_COLUMNS, rows)


DISTRIBUTION_COLUMNS = ("household_id", "period_number", "due_cents", "given_cents", "status", "event_id", "note",
                        "recorded_by_id", "recorded_at")


def distributions_write(rows: Iterable[tuple]) -> None:
    from pcn.households.models import Distribution

    copy_rows(Distribution._meta.db_table, DISTRIBUTION_COLUMNS, rows)


# --- the clock and the speed ---------------------------------------------------------------------------------


@contextmanager
def clock(moment: datetime.datetime):
    """Services called inside run at `moment`: `django.utils.timezone.now` (which `localdate()` and every
    `auto_now_add` field read) returns it. For this single-threaded simulation only."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


class Meter:
    """Rows and seconds per step, summed over the seasons: the speed the command reports."""

    def __init__(self):
        self.steps: dict[str, list[float]] = {}
        self.started = time.perf_counter()

    @contextmanager
    def step(self, label: str, rows: int = 0):
        started = time.perf_counter()
        counter = SimpleNamespace(rows=rows)
        yield counter
        entry = self.steps.setdefault(label, [0, 0.0])
        entry[0] += counter.rows
        entry[1] += time.perf_counter() - started

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def lines(self) -> list[str]:
        out = [f"{'step':74}{'rows':>12}{'seconds':>10}{'rows/s':>12}"]
        for label, (rows, seconds) in self.steps.items():
            speed = f"{rows / seconds:>12,.0f}" if rows and seconds > 0 else f"{'':>12}"
            out.append(f"{label:74}{int(rows):>12,}{seconds:>10.1f}{speed}")
        return out


# --- the plan ------------------------------------------------------------------------------------------------


@dataclass
class SeasonPlan:
    program: ProgramSpec
    past: bool
    households: int
    coupons: int
    redemptions: int
    starts_on: datetime.date
    last_day: datetime.date  # the last day redemptions are taken (yesterday for a current season)

    @property
    def ends_on(self) -> datetime.date:
        return self.starts_on + datetime.timedelta(days=WEEKS * 7 - 1)

    @property
    def valid_until(self) -> datetime.date:
        return self.ends_on + datetime.timedelta(days=VALID_AFTER_END)

    @property
    def name(self) -> str:
        return f"Saison {self.starts_on.year}" + (" (précédente)" if self.past else "")


@dataclass
class Plan:
    scale: float
    seed: int
    targets: dict[str, int]
    markets: dict[str, int]  # per program name
    vendors: dict[str, int]
    seasons: list[SeasonPlan]


def plan(scale: float = 1.0, seed: int = 7, today: datetime.date | None = None) -> Plan:
    """How many of everything, per program and season, for `scale` (1: the province)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    targets = {k: max(1, round(v * scale)) for k, v in DEFAULTS.items()}
    # Current seasons: 16 weeks from a Monday, ended two weeks ago; coupons valid for one more week.
    start = today - datetime.timedelta(days=WEEKS * 7 + VALID_AFTER_END - 7)
    start -= datetime.timedelta(days=start.weekday())
    past_start = start - datetime.timedelta(weeks=52)
    yesterday = today - datetime.timedelta(days=1)
    seasons = []
    for spec in PROGRAMS:
        parts = [(True, PAST_SHARE), (False, 1 - PAST_SHARE)] if spec.past else [(False, 1.0)]
        for past, part in parts:
            share = spec.share * part
            begins = past_start if past else start
            season = SeasonPlan(
                program=spec, past=past, households=max(2, round(targets["households"] * share)),
                coupons=round(targets["coupons"] * share), redemptions=round(targets["redemptions"] * share),
                starts_on=begins, last_day=yesterday,
            )
            if past:
                season.last_day = season.valid_until
            seasons.append(season)
    return Plan(
        scale=scale, seed=seed, targets=targets, seasons=seasons,
        markets={p.name: max(1, round(targets["markets"] * p.share)) for p in PROGRAMS},
        vendors={p.name: max(2, round(targets["vendors"] * p.share)) for p in PROGRAMS},
    )


# --- helpers -------------------------------------------------------------------------------------------------


def _moment(day: datetime.date, hour: int, minute: int = 0, second: int = 0) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute, second)))


def _degrees(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def _periods_per_week(frequency: str) -> int:
    return {"weekly": 1, "biweekly": 2, "monthly": 4}[frequency]


def _composition(rng: random.Random, size: int) -> dict[str, int]:
    if size == 1:
        return {"age_65_plus": 1} if rng.random() < 0.3 else {"age_18_64": 1}
    adults = 1 if size == 2 and rng.random() < 0.35 or rng.random() < 0.3 else 2
    adults = min(adults, size)
    seniors = 1 if adults == 2 and rng.random() < 0.12 else 0
    children = size - adults
    young = sum(1 for _ in range(children) if rng.random() < 0.35)
    return {"age_18_64": adults - seniors, "age_65_plus": seniors, "age_0_5": young, "age_6_17": children - young}


class Picker:
    """Weighted choice among items, by bisection on cumulative weights."""

    def __init__(self, items: list, weights: list[float]):
        self.items, self.cumulative, total = items, [], 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __bool__(self) -> bool:
        return bool(self.items)

    def pick(self, rng: random.Random):
        return self.items[min(bisect.bisect(self.cumulative, rng.random() * self.total), len(self.items) - 1)]


@dataclass
class ProgramWorld:
    spec: ProgramSpec
    program: object
    coordinator: object
    treasurers: list
    partners: list
    workers: dict  # partner id -> user
    markets: list
    managers: dict  # market id -> user
    points_of: dict  # market id -> [sale point]
    vendors: list
    vendor_users: dict  # vendor id -> user
    vendor_points: dict  # vendor id -> [sale point]
    funder: object
    fruit_pickers: dict = field(default_factory=dict)  # market id -> Picker of (vendor, sale point)
    any_pickers: dict = field(default_factory=dict)


# --- the simulation ------------------------------------------------------------------------------------------


def simulate(*, scale: float = 1.0, seed: int = 7, prefix: str = "sim-", network_name: str | None = None,
             password: str | None = None, out=None) -> dict:
    """Build the dataset. Returns the plan, the seasons made, the meter (speed per step) and the figures.
    `out` (a writable) receives a line per step as it ends."""
    from django.db import connection

    meter = Meter()
    the_plan = plan(scale, seed)
    say = (lambda text: (out.write(text + "\n"), out.flush())) if out else (lambda text: None)
    network, analyst = _network(network_name or "Réseau des marchés publics du Québec (simulation)", prefix, password)
    worlds, seasons = {}, []
    for spec in PROGRAMS:
        rng = random.Random(f"{seed}:{spec.name}")
        with meter.step("programs, partners, markets, vendors (services)") as step:
            worlds[spec.name] = world = _program(spec, network, the_plan, rng, prefix, password, step)
        say(f"{spec.name}: {len(world.partners)} partners, {len(world.markets)} markets, {len(world.vendors)} vendors")
        for season_plan in [s for s in the_plan.seasons if s.program is spec]:
            season = _season(world, season_plan, rng, meter, say)
            seasons.append(season)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with meter.step("VACUUM ANALYZE of the loaded tables"):
            _vacuum()
    refreshed = _refresh(seasons, meter)
    return {"plan": the_plan, "network": network, "analyst": analyst, "seasons": seasons, "meter": meter,
            "figures": figures(network), "refreshed": refreshed}


def _network(name: str, prefix: str, password: str | None):
    from pcn.accounts.models import Membership, Role
    from pcn.programs.models import Network

    network = Network.objects.create(name=name)
    analyst = _user(f"{prefix}analyste", password)
    Membership.objects.create(user=analyst, role=Role.NETWORK_ANALYST, network=network)
    admin = _user(f"{prefix}admin-reseau", password)
    Membership.objects.create(user=admin, role=Role.NETWORK_ADMIN, network=network)
    return network, analyst


def _user(username: str, password: str | None = None):
    from django.contrib.auth import get_user_model

    user = get_user_model()(username=username)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


def _program(spec: ProgramSpec, network, the_plan: Plan, rng: random.Random, prefix: str, password, step
             ) -> ProgramWorld:
    """The program and everything that lasts across its seasons, through the services (users in bulk)."""
    from django.contrib.auth import get_user_model
    from django.utils.text import slugify

    from pcn.accounts.models import Membership, Role
    from pcn.markets.models import Market, SalePoint, Vendor
    from pcn.markets.services import market_save, sale_point_save, vendor_save
    from pcn.payments.models import Currency, Method, PayeeDetails, PaymentSettings
    from pcn.programs.models import Organization, Program
    from pcn.programs.services import organization_save, program_save

    User = get_user_model()
    slug = slugify(spec.name)[:40]
    earliest = min(s.starts_on for s in the_plan.seasons if s.program is spec)
    setup = _moment(earliest - datetime.timedelta(days=60), 10)
    with clock(setup):
        program = program_save(program=Program(network=network, name=_unique_program_name(spec.name, prefix),
                                               kind=spec.kind, region=spec.region, languages=list(spec.languages)))
        fiduciary = organization_save(organization=Organization(
            program=program, name=f"Fiduciaire – {spec.name}", kind=Organization.Kind.FIDUCIARY,
            address=f"1 rue de l'Hôtel-de-Ville, {spec.places[0]}", phone="418 555-0100"))
        program.fiduciary = fiduciary
        program_save(program=program)
        funder = organization_save(organization=Organization(
            program=program, name=f"Fonds régional – {spec.name}", kind=Organization.Kind.FUNDER))
        coordinator = _user(f"{prefix}coordo-{slug}", password)
        treasurers = [_user(f"{prefix}tresorier-{slug}-{n}", password) for n in (1, 2)]
        Membership.objects.create(user=coordinator, role=Role.COORDINATOR, program=program)
        for user in treasurers:
            Membership.objects.create(user=user, role=Role.TREASURER, program=program)
        largest = max(s.households for s in the_plan.seasons if s.program is spec)
        partner_kind = (Organization.Kind.BAND_COUNCIL if spec.kind == "indigenous_community"
                        else Organization.Kind.COMMUNITY_PARTNER)
        partners = []
        for n in range(max(1, min(30, round(largest / 250)))):
            place = spec.places[n % len(spec.places)]
            name = (f"Conseil de bande de {place}" if partner_kind == Organization.Kind.BAND_COUNCIL and n == 0
                    else f"{PARTNER_NAMES[n % len(PARTNER_NAMES)]} {place}"
                    + (f" {n + 1}" if n >= len(PARTNER_NAMES) else ""))
            partners.append(organization_save(organization=Organization(
                program=program, name=name, kind=partner_kind, address=f"{100 + n} rue Principale, {place}",
                phone=f"418 555-{1000 + n:04d}")))
        step.rows += 4 + len(partners)

        markets, points_of = [], {}
        lat, lon = spec.centre
        for n in range(the_plan.markets[spec.name]):
            place = spec.places[n % len(spec.places)]
            name = f"Marché public {place}" + (f" {n // len(spec.places) + 1}" if n >= len(spec.places) else "")
            market = market_save(market=Market(program=program, name=name, municipality=place))
            markets.append(market)
            hours = [(5, datetime.time(8), datetime.time(13))]  # Saturday morning
            if spec.kind == "city":
                hours.append((2, datetime.time(15), datetime.time(19)))  # and Wednesday afternoon
            points = [sale_point_save(sale_point=SalePoint(
                market=market, name="Place du marché", kind="market", address=f"{n + 1} place du Marché, {place}",
                latitude=_degrees(lat + rng.uniform(-0.08, 0.08)), longitude=_degrees(lon + rng.uniform(-0.1, 0.1)),
                schedule="De juin à octobre"), hours=hours)]
            if spec.rural:
                kind = ("farm_stand", "self_serve", "u_pick", "csa_pickup")[n % 4]
                points.append(sale_point_save(sale_point=SalePoint(
                    market=market, name={"farm_stand": "Kiosque à la ferme", "self_serve": "Kiosque libre-service",
                                         "u_pick": "Autocueillette", "csa_pickup": "Point de chute ASC"}[kind],
                    kind=kind, address=f"{200 + n} rang Saint-Joseph, {place}",
                    latitude=_degrees(lat + rng.uniform(-0.15, 0.15)),
                    longitude=_degrees(lon + rng.uniform(-0.2, 0.2))),
                    hours=[(d, datetime.time(9), datetime.time(18)) for d in range(7)]))
            points_of[market.pk] = points
            step.rows += 1 + len(points)
        manager_users = User.objects.bulk_create(
            User(username=f"{prefix}marche-{slug}-{n + 1}", password="!") for n in range(len(markets)))
        Membership.objects.bulk_create(
            Membership(user=u, role=Role.MARKET_MANAGER, program=program, market=m)
            for u, m in zip(manager_users, markets, strict=True))
        managers = {m.pk: u for m, u in zip(markets, manager_users, strict=True)}

        vendors, vendor_points, used = [], {}, set()
        kinds = Picker(list(VENDOR_KINDS), [k[3] for k in VENDOR_KINDS])
        for n in range(the_plan.vendors[spec.name]):
            label, categories, kind, _w = kinds.pick(rng)
            name = f"{label} {SURNAMES[rng.randrange(len(SURNAMES))]}"
            while name in used:
                name = f"{label} {SURNAMES[rng.randrange(len(SURNAMES))]} {rng.randrange(2, 99)}"
            used.add(name)
            market = markets[n % len(markets)]
            points = points_of[market.pk]
            where = [points[1] if len(points) > 1 and rng.random() < 0.3 else points[0]]
            if len(markets) > 1 and rng.random() < 0.15:  # some sell at a second market
                where.append(points_of[markets[(n + 1) % len(markets)].pk][0])
            vendor = vendor_save(vendor=Vendor(program=program, business_name=name, kind=kind,
                                               categories=list(categories), phone=f"418 555-{n % 10000:04d}"),
                                 sale_points=where)
            vendors.append(vendor)
            vendor_points[vendor.pk] = where
        step.rows += len(vendors)
        users = User.objects.bulk_create(
            User(username=f"{prefix}marchand-{slug}-{n + 1}", password="!") for n in range(len(vendors)))
        Membership.objects.bulk_create(
            Membership(user=u, role=Role.VENDOR, program=program, vendor=v)
            for u, v in zip(users, vendors, strict=True))
        worker_users = User.objects.bulk_create(
            User(username=f"{prefix}organisme-{slug}-{n + 1}", password="!") for n in range(len(partners)))
        Membership.objects.bulk_create(
            Membership(user=u, role=Role.PARTNER_WORKER, program=program, organization=p)
            for u, p in zip(worker_users, partners, strict=True))
        workers = {p.pk: u for p, u in zip(partners, worker_users, strict=True)}

        # How vendors are paid: mostly by bank, some by cheque or Interac; in a local-currency program, four in ten
        # in local units. (No service writes these: the treasury's form saves the model.)
        settings = PaymentSettings(
            program=program, originator_name=spec.name[:30], originator_short_name=spec.name[:15],
            originator_number=f"{rng.randrange(10**9, 10**10)}", data_centre="00610", institution="815",
            transit="30000", account="987654321", settlement_days=7, updated_by=treasurers[0])
        if spec.local_currency:
            settings.local_currency_name, settings.local_units_per_100_cad = spec.local_currency
        settings.full_clean()
        settings.save()
        payees = []
        for n, vendor in enumerate(vendors):
            draw = rng.random()
            method = Method.BANK if draw < 0.8 else Method.CHEQUE if draw < 0.92 else Method.INTERAC
            local = spec.local_currency and method == Method.BANK and rng.random() < 0.4
            currency = Currency.LOCAL if local else Currency.CAD
            payees.append(PayeeDetails(
                vendor=vendor, method=method, currency=currency, institution="815" if method == Method.BANK else "",
                transit=f"{30000 + n % 60000:05d}" if method == Method.BANK else "",
                account=f"{1_000_000 + n}" if method == Method.BANK else "",
                interac_email=f"marchand{n}@example.org" if method == Method.INTERAC else "",
                mailing_address=f"{n + 1} rang Saint-Joseph, {spec.places[0]}" if method == Method.CHEQUE else "",
                updated_by=treasurers[0]))
        PayeeDetails.objects.bulk_create(payees)

    world = ProgramWorld(spec=spec, program=program, coordinator=coordinator, treasurers=treasurers, partners=partners,
                         workers=workers, markets=markets, managers=managers, points_of=points_of, vendors=vendors,
                         vendor_users={v.pk: u for v, u in zip(vendors, users, strict=True)},
                         vendor_points=vendor_points, funder=funder)
    # Where a household of a market's neighbourhood spends: the vendors selling there, some far busier than others.
    popularity = {v.pk: rng.lognormvariate(0, 0.9) for v in vendors}
    fruits = set(FRUITS_AND_VEGETABLES)
    for market in markets:
        here = [(v, p) for v in vendors for p in vendor_points[v.pk] if p.market_id == market.pk]
        fruit = [(v, p) for v, p in here if fruits & set(v.categories)]
        world.fruit_pickers[market.pk] = Picker(fruit, [popularity[v.pk] for v, _p in fruit])
        world.any_pickers[market.pk] = Picker(here, [popularity[v.pk] for v, _p in here])
    everywhere = [(v, p) for v in vendors for p in vendor_points[v.pk]]
    fruit_everywhere = [(v, p) for v, p in everywhere if fruits & set(v.categories)] or everywhere
    world.fruit_pickers[None] = Picker(fruit_everywhere, [popularity[v.pk] for v, _p in fruit_everywhere])
    world.any_pickers[None] = Picker(everywhere, [popularity[v.pk] for v, _p in everywhere])
    return world


def _unique_program_name(name: str, prefix: str) -> str:
    from pcn.programs.models import Program

    candidate, n = f"PCN {name}", 1
    while Program.objects.filter(name=candidate).exists():
        n += 1
        candidate = f"PCN {name} ({n})"
    return candidate


def _pick_vendor(world: ProgramWorld, market_id, rng: random.Random, fruit: bool):
    pickers = world.fruit_pickers if fruit else world.any_pickers
    picker = pickers.get(market_id)
    if not picker:
        picker = pickers[None]
    return picker.pick(rng)


@dataclass
class HouseholdPlan:
    pk: int
    partner_id: int
    size: int
    per_period: int  # coupons per period
    market_id: int | None


def _season(world: ProgramWorld, sp: SeasonPlan, rng: random.Random, meter: Meter, say) -> object:
    """One season from its configuration to its last claims (and its close, for a past season)."""
    from django.db import transaction

    from pcn.coupons.closeout import season_close
    from pcn.coupons.models import Colour, CustodyEvent, CustodyEventRange
    from pcn.coupons.services import coupons_move, series_issue
    from pcn.funding.models import Purpose
    from pcn.funding.services import expense_record, grant_create
    from pcn.households.models import Distribution, Household
    from pcn.households.services import partner_quota_set, public_sale_record
    from pcn.redemptions.models import Redemption
    from pcn.markets.services import vendor_authorize
    from pcn.programs.entitlements import season_periods
    from pcn.programs.models import CouponClass, Season
    from pcn.programs.services import coupon_class_save, season_save, season_set_denominations, season_set_entitlements

    spec, program, coordinator = world.spec, world.program, world.coordinator
    started = time.perf_counter()
    multiplier = _periods_per_week(spec.frequency)
    setup = _moment(sp.starts_on - datetime.timedelta(days=35), 10)
    with meter.step("season, classes, quotas, authorizations, grant (services)") as step, clock(setup):
        season = season_save(season=Season(
            program=program, name=sp.name, starts_on=sp.starts_on, ends_on=sp.ends_on, weeks=WEEKS,
            frequency=spec.frequency, household_size_cap=6, coupons_valid_from=sp.starts_on,
            coupons_valid_until=sp.valid_until, counts_only=spec.counts_only,
            accepted_sale_point_kinds=["market", "farm_stand", "self_serve", "u_pick", "csa_pickup"]))
        season_set_entitlements(season=season, amounts_cents={
            size: cents * multiplier for size, cents in enumerate(WEEKLY_CENTS, start=1)})
        season_set_denominations(season=season, values_cents=[HOUSEHOLD_COUPON, PUBLIC_COUPON])
        fruit_class = coupon_class_save(coupon_class=CouponClass(
            season=season, name="Fruits et légumes", categories=list(FRUITS_AND_VEGETABLES)))
        all_class = coupon_class_save(coupon_class=CouponClass(
            season=season, name="Tous les aliments admissibles",
            categories=["vegetables", "fruit", "eggs", "dairy", "meat", "fish", "honey", "maple", "nuts", "herbs",
                        "food_plants", "processed"]))
        for vendor in world.vendors:
            vendor_authorize(vendor=vendor, season=season, by=coordinator)
        step.rows += 5 + len(world.vendors)
    periods = season_periods(season)

    # Households: sizes and ages varied; each partner's neighbourhood near one market. Each partner's quota is
    # set (partner_quota_set) to the households it serves; the few enrolled past it wait for a place.
    partners = world.partners
    index_of = {p.pk: n for n, p in enumerate(partners)}
    rows = []
    places, values = defaultdict(int), defaultdict(int)
    for n in range(sp.households):
        partner = partners[n % len(partners)]
        size = rng.choices(SIZES, SIZE_WEIGHTS)[0]
        waiting = n % round(1 / WAITING) == 16  # one in 33 waits for a place
        rows.append((partner, size, _composition(rng, size), waiting))
        if not waiting:
            places[partner.pk] += 1
            values[partner.pk] += WEEKLY_CENTS[min(size, 6) - 1] * multiplier * len(periods)
    with meter.step("partner quotas (partner_quota_set)", rows=len(partners)), clock(setup):
        for partner in partners:
            partner_quota_set(season=season, partner=partner, max_households=max(1, places[partner.pk]),
                              max_value_cents=max(1, values[partner.pk]))
    # Enrolled in bulk: the rows household_enrol writes, consents included, each partner's on its own day.
    with meter.step("households and consents (bulk)") as step:
        plans: list[HouseholdPlan] = []
        created = _enrol(world, season, rows, sp, rng)
        for household, (partner, size, _c, waiting) in zip(created, rows, strict=True):
            if waiting:
                continue
            per = WEEKLY_CENTS[min(size, 6) - 1] * multiplier // HOUSEHOLD_COUPON
            market = world.markets[index_of[partner.pk] % len(world.markets)]
            plans.append(HouseholdPlan(household.pk, partner.pk, size, per, market.pk))
        step.rows += len(created) * 4

    # What goes out: two print runs for the households (first and second half of the periods), one for the public.
    half = (len(periods) + 1) // 2
    tranches = [periods[:half], periods[half:]]
    due = defaultdict(lambda: [0, 0])  # partner -> coupons per tranche
    for h in plans:
        for t, tranche in enumerate(tranches):
            due[h.partner_id][t] += h.per_period * len(tranche)
    allotted = {p: [math.ceil(n * PARTNER_MARGIN) for n in d] for p, d in due.items()}
    tranche_counts = [max(1, math.ceil(sum(a[t] for a in allotted.values()) * STOCK_SPARE)) for t in (0, 1)]
    household_coupons = sum(tranche_counts)
    public_count = max(10, sp.coupons - household_coupons, round(sp.coupons * 0.02))
    sold_count = round(public_count * PUBLIC_SOLD)
    budget = (household_coupons * HOUSEHOLD_COUPON + public_count * PUBLIC_COUPON) * 11 // 10 + 2_000_000
    with clock(setup):
        grant = grant_create(program=program, funder=world.funder, name=f"Fonds régional {sp.name}",
                             amount_cents=budget, starts_on=sp.starts_on - datetime.timedelta(days=90),
                             ends_on=sp.valid_until + datetime.timedelta(days=90),
                             purposes=[Purpose.COUPONS, Purpose.PUBLIC_SALE_BONUS, Purpose.OPERATIONS], by=coordinator)

    def issue(count, cents, coupon_class, colour, when):
        with meter.step("coupons issued (series_issue)", rows=count), clock(when):
            made = series_issue(season=season, denomination_cents=cents, coupon_class=coupon_class, colour=colour,
                                valid_from=sp.starts_on, valid_until=sp.valid_until, grant=grant, count=count,
                                booklet_size=10, by=coordinator)
        _analyze("coupons_coupon")
        return made

    issue_day = _moment(sp.starts_on - datetime.timedelta(days=21), 10)
    series = [issue(tranche_counts[0], HOUSEHOLD_COUPON, fruit_class, Colour.GREEN, issue_day)]
    public = issue(public_count, PUBLIC_COUPON, all_class, Colour.BLUE, issue_day + datetime.timedelta(minutes=5))
    with clock(issue_day + datetime.timedelta(minutes=10)):
        for description, cents in (("Impression des coupons", 350_000), ("Coordination", 1_200_000)):
            expense_record(grant=grant, spent_on=issue_day.date(), description=description, amount_cents=cents,
                           by=coordinator)

    def allocate(t: int, when):
        """Each partner's share of print run `t`, by range, through coupons_move."""
        first, ranges = 1, {}
        with meter.step("coupons allocated to partners (coupons_move)") as step, clock(when):
            for partner in partners:
                n = allotted.get(partner.pk, [0, 0])[t]
                if n:
                    coupons_move(season=season, kind=CustodyEvent.Kind.ALLOCATE, ranges=[(series[t].pk, first,
                                 first + n - 1)], to_partner=partner, by=coordinator)
                    ranges[partner.pk] = first
                    first += n
                    step.rows += n
        return ranges

    cursors = {0: allocate(0, _moment(sp.starts_on - datetime.timedelta(days=7), 10))}

    # The distributions, period by period (each household its coupons from its partner's range), and what is
    # redeemed, where and when: planned here, written week by week below.
    fruit_rate, public_rate = _rates(sp, plans, periods, sold_count)
    weeks = (sp.last_day - sp.starts_on).days // 7 + 1
    events_by_week: dict[int, list] = defaultdict(list)  # week -> [(at, order, kind, payload)]
    last = _moment(sp.last_day, 14)
    missed_rows = []

    def week_of(moment: datetime.datetime) -> int:
        return (moment.date() - sp.starts_on).days // 7

    def redemption_moment(after: datetime.datetime, horizon_days: int) -> datetime.datetime | None:
        span = min(horizon_days, (sp.last_day - after.date()).days)
        if span < 0:
            return None
        day = after.date() + datetime.timedelta(days=rng.randint(0, span))
        if rng.random() < 0.5:  # Saturday mornings are the peak
            saturday = day + datetime.timedelta(days=(5 - day.weekday()) % 7)
            if saturday <= sp.last_day:
                day = saturday
        moment = _moment(day, rng.randint(8, 13), rng.randrange(60), rng.randrange(60))
        if moment <= after:
            moment = after + datetime.timedelta(minutes=rng.randint(30, 120))
        return moment if moment <= last else None

    # Period t of the partner's tranche ranges are handed out in order; where each tranche's range starts is
    # known once it is allocated (the second tranche mid-season), so the numbers are relative to that start.
    offsets = {(p, t): 0 for p in allotted for t in (0, 1)}
    for period in periods:
        t = 0 if period in tranches[0] else 1
        for h in plans:
            if rng.random() < MISSED:
                missed_rows.append((h, period))
                continue
            day = period.starts_on + datetime.timedelta(days=index_of[h.partner_id] % 3)
            day = min(day, period.ends_on)
            at = _moment(day, rng.randint(10, 16), rng.randrange(60), rng.randrange(60))
            offset = offsets[(h.partner_id, t)]
            offsets[(h.partner_id, t)] += h.per_period
            events_by_week[week_of(at)].append((at, 0, "distribute", (h, period, t, offset)))
            for k in range(h.per_period):
                if rng.random() < fruit_rate:
                    when = redemption_moment(at, 24)
                    if when is not None:
                        vendor, point = _pick_vendor(world, h.market_id if rng.random() < 0.8 else None, rng, True)
                        events_by_week[week_of(when)].append(
                            (when, 1, "redeem", (t, h.partner_id, offset + k, HOUSEHOLD_COUPON, h.pk, vendor, point)))

    # The public: ten sales from the program's kiosk; the coupons go to any vendor of the program.
    sales = []
    per_sale = -(-sold_count // PUBLIC_SALES)
    for k, first in enumerate(range(1, sold_count + 1, per_sale)):
        count = min(per_sale, sold_count - first + 1)
        when = _moment(sp.starts_on + datetime.timedelta(weeks=k), 9, 30)
        sales.append((k, first, count, when))
        for number in range(first, first + count):
            if rng.random() < public_rate:
                taken = redemption_moment(when, 70)
                if taken is not None:
                    vendor, point = _pick_vendor(world, None, rng, False)
                    events_by_week[week_of(taken)].append(
                        (taken, 1, "redeem", (None, None, number, PUBLIC_COUPON, None, vendor, point)))

    # Week by week: first the services of the week (Monday morning), then what happened during the week.
    mark = last_sequence(season)
    loaded = high_water([CustodyEvent, CustodyEventRange, Distribution, Redemption])
    rounds, batches_pending = [], []
    second_week = max(0, (tranches[1][0].starts_on - sp.starts_on).days // 7 - 1) if tranches[1] else None
    for week in range(weeks):
        monday = _moment(sp.starts_on + datetime.timedelta(weeks=week), 9)
        if week == second_week:  # the second print run, a week before its periods
            second = _moment(sp.starts_on + datetime.timedelta(weeks=week), 8)
            series.append(issue(tranche_counts[1], HOUSEHOLD_COUPON, fruit_class, Colour.ORANGE, second))
            cursors[1] = allocate(1, second + datetime.timedelta(minutes=20))
        for k, first, count, when in sales:
            if week_of(when) == week:
                with meter.step("public sales (public_sale_record)", rows=count), clock(when):
                    public_sale_record(season=season, ranges=[(public.pk, first, count + first - 1)],
                                       price_paid_cents=count * PUBLIC_COUPON * 2 // 3, grant=grant, by=coordinator)
        if batches_pending and batches_pending[0][0] == week:
            _, claims = batches_pending.pop(0)
            _pay(world, season, claims, monday + datetime.timedelta(minutes=30), meter)
        if week and week % CLAIM_EVERY == 0:
            claims = _claims(world, season, monday, meter, reject=not rounds)
            rounds.append(claims)
            if claims:
                batches_pending.append((week + 1, claims))
        chunk = sorted(events_by_week.pop(week, []), key=lambda e: (e[0], e[1]))
        if chunk:
            _write_week(world, season, chunk, series, public, cursors, meter)
    assert not events_by_week, "events planned after the season's last day"
    with meter.step("missed distributions (bulk)", rows=len(missed_rows)), transaction.atomic(), \
            checks_deferred_to_load_end():
        distributions_write(
            (h.pk, period.number, h.per_period * HOUSEHOLD_COUPON, 0, "missed", None, "",
             world.workers[h.partner_id].pk, _moment(period.starts_on, 17)) for h, period in missed_rows)
    with meter.step("coupons placed where their last event put them (one UPDATE)") as step:
        step.rows = coupons_place(season, mark, kinds=(CustodyEvent.Kind.DISTRIBUTE, CustodyEvent.Kind.REDEEM))
    if _superuser():
        with meter.step("foreign keys of the bulk rows checked (one anti-join each)"):
            foreign_keys_check(loaded)

    # The last evening: a few coupons through redemption_record itself, accepted, and refused attempts.
    evening = _moment(sp.last_day, 18)
    if not spec.counts_only:
        _stall_sample(world, season, sp, evening, rng, meter)
    if sp.past:  # last claims after the deadline, paid a week later; then the close
        after = sp.valid_until + datetime.timedelta(days=1)
        after += datetime.timedelta(days=(7 - after.weekday()) % 7)
        claims = _claims(world, season, _moment(after, 9), meter, reject=False)
        for earlier, pending in batches_pending:
            _pay(world, season, pending, _moment(after + datetime.timedelta(days=7), 9), meter)
        batches_pending = []
        if claims:
            _pay(world, season, claims, _moment(after + datetime.timedelta(days=7), 10), meter)
        with meter.step("past season closed (season_close: expiry, ledger verified)") as step, \
                clock(_moment(after + datetime.timedelta(days=10), 10)):
            season_close(season=season, by=coordinator)
            step.rows = Household.objects.filter(season=season).count()
    season.refresh_from_db()
    say(f"  {season.name}: {sp.households:,} households, {household_coupons + public_count:,} coupons, "
        f"{time.perf_counter() - started:.0f} s")
    return season


def _rates(sp: SeasonPlan, plans, periods, sold: int) -> tuple[float, float]:
    """The share of household and public coupons redeemed, so that the season's redemptions come near its target."""
    circulating = sum(h.per_period for h in plans) * len(periods) * (1 - MISSED)
    public_part = min(sold * 0.8, sp.redemptions * 0.1)
    fruit = min(0.97, max(0.05, (sp.redemptions - public_part) / max(1, circulating)))
    return fruit, min(0.95, max(0.05, public_part / max(1, sold)))


def _enrol(world: ProgramWorld, season, rows, sp: SeasonPlan, rng: random.Random) -> list:
    """Households as household_enrol writes them (active, or waiting when the partner's places are taken), with
    their three consents; each partner's on its own day."""
    from pcn.households.models import Consent, ConsentPurpose, Household

    by_partner = defaultdict(list)
    for row in rows:
        by_partner[row[0].pk].append(row)
    order = {}
    for index, partner in enumerate(world.partners):
        batch = by_partner.get(partner.pk, [])
        if not batch:
            continue
        day = sp.starts_on - datetime.timedelta(days=30 - index % 25)
        with clock(_moment(day, 11)):
            households = Household.objects.bulk_create(
                [Household(program=world.program, season=season, partner=partner, size=size, **composition,
                           language=world.spec.languages[-1] if rng.random() < 0.1 else "fr",
                           community=partner.name if world.spec.kind == "indigenous_community" else "",
                           flags=["single_parent"] if size > 1 and composition.get("age_18_64", 0) + composition.get(
                               "age_65_plus", 0) == 1 else [],
                           status=Household.Status.WAITING if waiting else Household.Status.ACTIVE,
                           waiting_since=_moment(day, 11) if waiting else None,
                           enrolled_by=world.workers[partner.pk])
                 for _p, size, composition, waiting in batch], batch_size=2000)
            Consent.objects.bulk_create(
                [Consent(household=h, purpose=purpose, recorded_by=world.workers[partner.pk],
                         given=purpose == ConsentPurpose.PARTICIPATION or rng.random() < 0.7)
                 for h in households for purpose in ConsentPurpose.values], batch_size=5000)
        for row, household in zip(batch, households, strict=True):
            order[id(row)] = household
    return [order[id(row)] for row in rows]


def _write_week(world: ProgramWorld, season, chunk, series, public, cursors, meter: Meter) -> None:
    """One week of distributions and redemptions: the events hashed into the chain in time order, then the
    Distribution and Redemption rows that hold them (counts by value, for a program that does not read codes)."""
    from django.db import transaction

    from pcn.coupons.models import CouponStatus, CustodyEvent
    from pcn.programs.models import Season
    from pcn.redemptions.services import redemption_count_record

    Kind = CustodyEvent.Kind
    counts_only = world.spec.counts_only
    specs, holders, redeemed = [], [], []
    counts = defaultdict(lambda: defaultdict(int))  # (vendor, market, day) -> {value: n}
    for at, _order, kind, payload in chunk:
        if kind == "distribute":
            h, period, t, offset = payload
            first = cursors[t][h.partner_id] + offset
            specs.append(dict(
                kind=Kind.DISTRIBUTE, from_status=CouponStatus.PARTNER, from_partner_id=h.partner_id,
                to_status=CouponStatus.HOUSEHOLD, to_household_id=h.pk, coupon_count=h.per_period,
                value_cents=h.per_period * HOUSEHOLD_COUPON, by_id=world.workers[h.partner_id].pk,
                source=CustodyEvent.Source.WEB, at=at, ranges=[(series[t].pk, first, first + h.per_period - 1)]))
            holders.append((h, period, at))
            continue
        t, partner_id, number, value, household_id, vendor, point = payload
        if counts_only:
            counts[(vendor, point.market_id, at.date())][value] += 1
            continue
        if t is None:
            series_id, number = public.pk, number
        else:
            series_id, number = series[t].pk, cursors[t][partner_id] + number
        specs.append(dict(
            kind=Kind.REDEEM, from_status=CouponStatus.HOUSEHOLD if household_id else CouponStatus.SOLD,
            from_household_id=household_id, to_status=CouponStatus.REDEEMED, coupon_count=1, value_cents=value,
            by_id=world.vendor_users[vendor.pk].pk, source=CustodyEvent.Source.API, note=vendor.business_name[:300],
            at=at, ranges=[(series_id, number, number)]))
        redeemed.append((series_id, number, vendor, point, at))
    with meter.step("custody events hashed and written (bulk)", rows=len(specs)), transaction.atomic(), \
            checks_deferred_to_load_end():
        Season.objects.select_for_update().get(pk=season.pk)  # the ledger's lock, as every custody move takes
        ids = ledger_append_bulk(season, specs)
    distribution_ids = [i for i, s in zip(ids, specs, strict=True) if s["kind"] == Kind.DISTRIBUTE]
    redemption_ids = [i for i, s in zip(ids, specs, strict=True) if s["kind"] == Kind.REDEEM]
    with meter.step("distributions (bulk)", rows=len(holders)), transaction.atomic(), checks_deferred_to_load_end():
        distributions_write(
            (h.pk, period.number, h.per_period * HOUSEHOLD_COUPON, h.per_period * HOUSEHOLD_COUPON, "given", event_id,
             "", world.workers[h.partner_id].pk, at)
            for (h, period, at), event_id in zip(holders, distribution_ids, strict=True))
    if redeemed:
        with meter.step("redemptions at the stall (bulk)", rows=len(redeemed)), transaction.atomic(), \
                checks_deferred_to_load_end():
            found = _coupons(redeemed)
            redemptions_write(
                (world.program.pk, season.pk, vendor.pk, point.market_id, point.pk, *found[(series_id, number)],
                 "accepted", "", False, False, "stall", uuid.uuid4().hex, at, at, world.vendor_users[vendor.pk].pk,
                 event_id)
                for (series_id, number, vendor, point, at), event_id in zip(redeemed, redemption_ids, strict=True))
    if counts:
        with meter.step("counts by value entered by market managers (redemption_count_record)") as step:
            for (vendor, market_id, day), by_value in sorted(counts.items(), key=lambda i: (i[0][2], i[0][0].pk)):
                with clock(_moment(day, 19)):
                    redemption_count_record(season=season, vendor=vendor, market=_market(world, market_id), day=day,
                                            counts=dict(by_value), nonce=uuid.uuid4().hex,
                                            by=world.managers[market_id])
                step.rows += 1


def _market(world: ProgramWorld, market_id: int):
    return next(m for m in world.markets if m.pk == market_id)


def _coupons(wanted: list[tuple]) -> dict[tuple[int, int], tuple[int, str, int]]:
    """(series id, number) -> (coupon id, code, value) for the coupons named."""
    from django.db import connection

    from pcn.coupons.models import Coupon

    by_series = defaultdict(list)
    for series_id, number, *_rest in wanted:
        by_series[series_id].append(number)
    found = {}
    table = Coupon._meta.db_table
    for series_id, numbers in by_series.items():
        if connection.vendor == "postgresql":  # a join on the (series, number) index, whatever the statistics
            rows = sql(f"SELECT c.series_id, c.number, c.id, c.code, c.value_cents "
                       f"FROM unnest(%s::integer[]) AS wanted(number) "
                       f"JOIN {table} c ON c.series_id = %s AND c.number = wanted.number", [numbers, series_id])
        else:
            rows = sql(f"SELECT series_id, number, id, code, value_cents FROM {table} "
                       f"WHERE series_id = %s AND number BETWEEN %s AND %s", [series_id, min(numbers), max(numbers)])
        found.update(((s, n), (i, c, v)) for s, n, i, c, v in rows)
    return found


def _stall_sample(world: ProgramWorld, season, sp: SeasonPlan, evening, rng, meter: Meter) -> None:
    """On the last evening, a few coupons still held go through redemption_record itself (accepted), and so do
    attempts the stall refuses: codes that match no coupon, coupons shown a second time."""
    from pcn.coupons import codes
    from pcn.coupons.models import Coupon, CouponStatus
    from pcn.redemptions.models import Redemption, Source
    from pcn.redemptions.services import redemption_record

    refused = max(2, sp.redemptions // 4000)
    with meter.step("redemptions at the stall (redemption_record)") as step:
        held = list(Coupon.objects.filter(season=season, status=CouponStatus.HOUSEHOLD)
                    .values_list("code", flat=True)[: max(2, min(40, sp.redemptions // 10000))])
        for n, code in enumerate(held):
            vendor, point = _pick_vendor(world, None, rng, True)
            with clock(evening + datetime.timedelta(seconds=n)):
                row = redemption_record(vendor=vendor, code=code, nonce=uuid.uuid4().hex, source=Source.STALL,
                                        by=world.vendor_users[vendor.pk], sale_point=point)
            assert row.outcome == "accepted", (row.outcome, row.reason)
            step.rows += 1
        taken = list(Redemption.objects.filter(season=season, outcome="accepted").values_list("code", flat=True)
                     [:refused])
        for n in range(refused):
            vendor, point = _pick_vendor(world, None, rng, False)
            code = codes.new_code() if n % 2 == 0 or not taken else taken[n % len(taken)]
            with clock(evening + datetime.timedelta(minutes=30, seconds=n)):
                redemption_record(vendor=vendor, code=code, nonce=uuid.uuid4().hex, source=Source.STALL,
                                  by=world.vendor_users[vendor.pk], sale_point=point)
            step.rows += 1


def _claims(world: ProgramWorld, season, monday: datetime.datetime, meter: Meter, *, reject: bool) -> list:
    """A claims round on a Monday morning: everything taken up to Sunday, one claim per vendor (claims_prepare),
    a couple of lines refused on the first round (claim_line_reject), then every claim approved (claim_approve)."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from pcn.payments.models import Claim, ClaimLine
    from pcn.payments.services import claim_approve, claim_line_reject, claims_prepare

    until = monday.date() - datetime.timedelta(days=1)
    _analyze("redemptions_redemption", "payments_claimline")  # what autovacuum does after such loads
    since = high_water([Claim, ClaimLine])
    with meter.step("claim lines (claims_prepare)") as step, clock(monday):
        try:
            with transaction.atomic(), checks_deferred_to_load_end():  # its lines' keys checked set-based below
                claims = claims_prepare(season=season, by=world.coordinator, until=until)
        except ValidationError:
            return []
        if _superuser():
            foreign_keys_check(since)
        step.rows = ClaimLine.objects.filter(claim__in=claims).count()
    if reject:
        with clock(monday + datetime.timedelta(minutes=10)):
            for line in ClaimLine.objects.filter(claim__in=claims).order_by("pk")[:2]:
                claim_line_reject(line=line, reason="Coupon déchiré : le code ne se lit plus.", by=world.coordinator)
    approving = clock(monday + datetime.timedelta(minutes=15))
    with meter.step("claims approved (claim_approve)", rows=len(claims)), approving:
        for claim in claims:
            claim_approve(claim=claim, by=world.coordinator)
    return claims


def _pay(world: ProgramWorld, season, claims, when: datetime.datetime, meter: Meter) -> None:
    """The approved claims paid, one batch per way of paying: made by one treasurer (batch_create), approved by
    the other (batch_approve), marked paid by the first (batch_mark_paid)."""
    from django.db.models import Q, Sum

    from pcn.payments.models import Claim, PayeeDetails
    from pcn.payments.services import batch_approve, batch_create, batch_mark_paid

    payee = {v: (m, c) for v, m, c in PayeeDetails.objects.filter(
        vendor__program=world.program).values_list("vendor_id", "method", "currency")}
    groups = defaultdict(list)
    for claim in Claim.objects.filter(pk__in=[c.pk for c in claims]).annotate(
            pays=Sum("lines__amount_cents", filter=Q(lines__rejected_at__isnull=True))).order_by("number"):
        if claim.market_id is None and claim.pays:  # a claim whose every line was refused pays nothing
            groups[payee[claim.vendor_id]].append(claim)
    maker, checker = world.treasurers
    with meter.step("claims paid in batches (batch_create, batch_approve, batch_mark_paid)",
                    rows=sum(len(g) for g in groups.values())):
        for n, ((method, currency), group) in enumerate(sorted(groups.items())):
            with clock(when + datetime.timedelta(minutes=n)):
                batch = batch_create(season=season, method=method, currency=currency,
                                     payment_on=when.date() + datetime.timedelta(days=2), claims=group, by=maker)
            with clock(when + datetime.timedelta(hours=2, minutes=n)):
                batch_approve(batch=batch, by=checker)
            with clock(when + datetime.timedelta(days=2, minutes=n)):
                batch_mark_paid(batch=batch, by=maker)


def _analyze(*tables: str) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        for table in tables:
            sql(f"ANALYZE {table}")


def _vacuum() -> None:
    from django.db import connection

    from pcn.coupons.models import Coupon, CustodyEvent, CustodyEventRange
    from pcn.households.models import Distribution, Household
    from pcn.payments.models import ClaimLine
    from pcn.redemptions.models import Redemption

    with connection.cursor() as cursor:
        for model in (Coupon, CustodyEvent, CustodyEventRange, Redemption, Distribution, Household, ClaimLine):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def _refresh(seasons, meter: Meter) -> bool | str:
    """The dashboards' facts, recomputed for every season."""
    from pcn.reports.snapshot import season_refresh

    with meter.step("report facts (season_refresh)", rows=len(seasons)):
        for season in seasons:
            try:
                season_refresh(season)
            except Exception as error:  # the data stays: the facts can be computed again later
                return f"season_refresh({season}) failed: {error!r}"
    return True


def figures(network) -> dict[str, int]:
    """What the network holds, counted in the database."""
    from django.db.models import Count, Q, Sum

    from pcn.coupons.models import Coupon, CustodyEvent
    from pcn.households.models import Distribution, Household
    from pcn.markets.models import Market, SalePoint, Vendor
    from pcn.payments.models import BatchItem, Claim, ClaimLine, PaymentBatch
    from pcn.programs.models import Program, Season
    from pcn.redemptions.models import Redemption, RedemptionCount

    programs = Program.objects.filter(network=network)
    in_network = {"program__network": network}
    coupons = Coupon.objects.filter(season__program__network=network).aggregate(n=Count("id"), v=Sum("value_cents"))
    redemptions = Redemption.objects.filter(**in_network).aggregate(
        accepted=Count("id", filter=Q(outcome="accepted")), refused=Count("id", filter=~Q(outcome="accepted")),
        value=Sum("value_cents", filter=Q(outcome="accepted")))
    counted = RedemptionCount.objects.filter(**in_network).aggregate(n=Sum("count"), v=Sum("value_cents"))
    paid = BatchItem.objects.filter(batch__program__network=network, batch__paid_at__isnull=False).aggregate(
        t=Sum("amount_cents"))
    return {
        "programs": programs.count(),
        "seasons": Season.objects.filter(**in_network).count(),
        "seasons closed": Season.objects.filter(**in_network, closed_at__isnull=False).count(),
        "markets": Market.objects.filter(**in_network).count(),
        "sale points": SalePoint.objects.filter(market__program__network=network).count(),
        "vendors": Vendor.objects.filter(**in_network).count(),
        "households": Household.objects.filter(**in_network).count(),
        "households waiting": Household.objects.filter(**in_network, status="waiting").count(),
        "coupons": coupons["n"] or 0,
        "coupons value (cents)": coupons["v"] or 0,
        "custody events": CustodyEvent.objects.filter(season__program__network=network).count(),
        "distributions": Distribution.objects.filter(household__program__network=network).count(),
        "redemptions accepted": redemptions["accepted"] or 0,
        "redemptions refused": redemptions["refused"] or 0,
        "redeemed value (cents)": redemptions["value"] or 0,
        "coupons counted by value": counted["n"] or 0,
        "counted value (cents)": counted["v"] or 0,
        "claims": Claim.objects.filter(**in_network).count(),
        "claim lines": ClaimLine.objects.filter(claim__program__network=network).count(),
        "payment batches": PaymentBatch.objects.filter(**in_network).count(),
        "paid (cents)": paid["t"] or 0,
    }
