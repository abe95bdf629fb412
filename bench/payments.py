"""Paying vendors and closing a city's season on PostgreSQL: the services side by side with raw SQL doing the
same work.

    python bench/payments.py [--coupons 1000000] [--households 20000] [--redemptions 100000] [--vendors 300]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pcn_bench_pay; dropped and created anew, then
migrated: never point it at a real database). It builds one season that is over (its last redemption day 60
days ago), the size of a city's:

- `--coupons` coupons issued by `series_issue` (the service, COPY): 80 % of 5 $ for households, 20 % of 10 $
  for the public;
- 20 partners with their quota (`partner_quota_set`), each allocated 35 coupons per household it serves;
  `--households` households (bulk INSERT, the rows `household_enrol` writes, without the consent rows, which
  nothing here reads), 33 coupons each, handed out in 3 periods of 11 (3 custody events per household);
- 30 % of the 10 $ coupons sold to the public (10 sales);
- `--redemptions` accepted redemptions at `--vendors` vendors (3 per household, the rest from the public), plus
  1,000 attempts with unknown codes and 1,000 of coupons already redeemed. Vendors, their sale points, users,
  authorizations and bank details are bulk INSERTs.

The moves after the issue are too many for the services in a benchmark's time (160,000 calls of
`coupons_move` and `redemption_record`, at a few milliseconds each), so they are written in bulk exactly as
the services would write them: every custody event (allocation, sale, distribution, redemption) is hashed
into the season's chain with the ledger's own `event_hash`, in order, and COPYed; each accepted redemption
holds its own REDEEM event, as `redemption_record` writes it; then one UPDATE puts every coupon where the
last event naming it put it. No Distribution rows are written (the close-out does not read them). The seed
is checked by `season_close` itself, which refuses to close a season whose ledger does not verify. A VACUUM
ANALYZE of the loaded tables follows (what autovacuum does to a live database after such loads).

Then, each beside raw SQL doing the same work (the raw side runs first, in a transaction rolled back, so that
both start from the same rows; a count over the tables beforehand warms the cache for both):

1. `claims_prepare` over the whole season: one claim per vendor, one line per redemption;
   raw: the locks, the payable rule into a temporary table, then one INSERT … SELECT of the claims and their
   lines (a CTE); the bench checks both give the same claims, lines and amounts per vendor.
2. A bank batch of every claim: `batch_create`, `batch_approve`, `batch_export` CPA-005 and pain.001 (the
   300 claims first approved by `claim_approve`, timed apart); raw: the same INSERTs with the same checks in
   SQL, the approval's UPDATEs (whom each item pays, the fiduciary's numbers), and Python loops writing the
   same CPA-005 records and pain.001 XML (byte for byte: the bench compares them). The batch is then paid
   (`batch_mark_paid`), so the close-out report has paid coupons.
3. `season_disposition` (every coupon in one state, to the cent) before the close; raw: one GROUP BY of the
   coupons' status and value. `season_close` (blockers, expiry of what households and the public hold through
   one ledger event per holder, `season_verify`, the lock); raw: one UPDATE of the held coupons to expired and
   one GROUP BY. season_close's parts are timed apart (its ledger events, its verification).

Each table gives seconds, rows per second and the SQL statements sent, ours beside raw, and how many times
raw's time ours takes.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
import unicodedata
import uuid
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from xml.sax.saxutils import escape

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pcn_bench_pay")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcn.settings")
os.environ["DEBUG"] = ""  # as production runs (DEBUG keeps every query in memory)

from issue_coupons import fresh_database  # noqa: E402
from redeem_online import machine_note  # noqa: E402
from pcn.reports.simulation import (  # noqa: E402  (the bulk writers the simulation shares)
    copy_rows, coupons_place, last_sequence, ledger_append_bulk, sql, sql_count,
)

PARTNERS = 20
PERIODS = 3  # distributions per household
PER_PERIOD = 11  # coupons per distribution
REDEEMED_PER_HOUSEHOLD = 3
MARKETS = 10
REFUSED = 1000  # unknown codes, and again as many coupons already redeemed


# --- measuring ---------------------------------------------------------------------------------------------


class Statements:
    """Counts the SQL statements Django sends (an execute wrapper: cheap, unlike DEBUG's query log)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def measured():
    """Seconds and statements of the block: `with measured() as m: ...; m.seconds, m.statements`."""
    from django.db import connection

    counter = Statements()
    result = SimpleNamespace(seconds=0.0, statements=0)
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        yield result
    result.seconds = time.perf_counter() - started
    result.statements = counter.count


class Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    """A transaction that is always rolled back: the raw side leaves the rows as it found them."""
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


# --- the season --------------------------------------------------------------------------------------------


def build_season(args) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from pcn.accounts.models import Membership, Role
    from pcn.coupons.models import Colour, Coupon, CouponStatus, CustodyEvent, CustodyEventRange
    from pcn.coupons.services import coupons_move, series_issue
    from pcn.households.models import Household
    from pcn.households.services import partner_quota_set
    from pcn.markets.models import Market, SalePoint, Vendor, VendorAuthorization
    from pcn.payments.models import Method, PayeeDetails, PaymentSettings
    from pcn.programs.models import CouponClass, Denomination, Network, Organization, Program, Season
    from pcn.redemptions.models import Redemption

    rng = random.Random(6)
    timings = {}
    User = get_user_model()
    network = Network.objects.create(name="Réseau bench")
    program = Program.objects.create(network=network, name="PCN Ville de Québec", kind=Program.Kind.MRC, region="03",
                                     languages=["fr"])
    coordinator = User.objects.create_user("bench-coordo")
    Membership.objects.create(user=coordinator, role=Role.COORDINATOR, program=program)
    treasurers = [User.objects.create_user(f"bench-tresorier-{n}") for n in range(3)]
    for user in treasurers:
        Membership.objects.create(user=user, role=Role.TREASURER, program=program)

    today = timezone.localdate()
    start = today - datetime.timedelta(days=150)
    end = start + datetime.timedelta(days=12 * 7 - 1)
    season = Season.objects.create(
        program=program, name="Été bench", starts_on=start, ends_on=end, weeks=12, household_size_cap=6,
        coupons_valid_from=start, coupons_valid_until=end + datetime.timedelta(days=6),
        accepted_sale_point_kinds=["market", "farm_stand"],
    )
    for cents in (500, 1000):
        Denomination.objects.create(season=season, value_cents=cents)
    coupon_class = CouponClass.objects.create(season=season, name="Fruits et légumes", categories=["vegetables", "fruit"])

    # Markets, vendors (one sale point each), their users, authorizations and bank details.
    markets = Market.objects.bulk_create(
        Market(program=program, name=f"Marché {n + 1}", municipality="Québec") for n in range(MARKETS))
    points = SalePoint.objects.bulk_create(
        SalePoint(market=m, name="Place du marché", kind="market", address=f"{n + 1} rue Principale")
        for n, m in enumerate(markets))
    vendors = Vendor.objects.bulk_create(
        Vendor(program=program, business_name=f"Ferme des Érables {n + 1:03d}", kind="producer",
               categories=["vegetables"]) for n in range(args.vendors))
    Vendor.sale_points.through.objects.bulk_create(
        Vendor.sale_points.through(vendor_id=v.pk, salepoint_id=points[n % MARKETS].pk) for n, v in enumerate(vendors))
    vendor_users = User.objects.bulk_create(
        User(username=f"bench-marchand-{n + 1:03d}", password="!") for n in range(args.vendors))
    Membership.objects.bulk_create(
        Membership(user=u, role=Role.VENDOR, program=program, vendor=v) for u, v in zip(vendor_users, vendors))
    VendorAuthorization.objects.bulk_create(
        VendorAuthorization(season=season, vendor=v, authorized_by=coordinator) for v in vendors)
    PayeeDetails.objects.bulk_create(
        PayeeDetails(vendor=v, method=Method.BANK, institution="815", transit=f"{30000 + n:05d}",
                     account=f"{1_000_000 + n}", updated_by=treasurers[0]) for n, v in enumerate(vendors))
    PaymentSettings.objects.create(
        program=program, originator_name="PCN Ville de Québec", originator_short_name="PCN Quebec",
        originator_number="0123456789", data_centre="00610", institution="815", transit="30000", account="987654321",
        updated_by=treasurers[0],
    )

    # The coupons, through the service.
    households_count = args.households
    family_coupons = args.coupons * 8 // 10
    public_coupons = args.coupons - family_coupons
    started = time.perf_counter()
    issue = dict(season=season, coupon_class=coupon_class, colour=Colour.GREEN, valid_from=season.coupons_valid_from,
                 valid_until=season.coupons_valid_until, funding_source="Ville de Québec", booklet_size=10,
                 by=coordinator)
    families = series_issue(denomination_cents=500, count=family_coupons, **issue)
    public = series_issue(denomination_cents=1000, count=public_coupons, **{**issue, "colour": Colour.BLUE})
    timings["series_issue"] = time.perf_counter() - started

    # Partners, with their quota (partner_quota_set); households (bulk INSERT).
    per_partner = households_count // PARTNERS
    share = family_coupons // PARTNERS
    allocated = min(share, per_partner * (PERIODS * PER_PERIOD + 2))
    if per_partner * PERIODS * PER_PERIOD > allocated:
        raise SystemExit("too few coupons for the households: raise --coupons or lower --households")
    partners = Organization.objects.bulk_create(
        Organization(program=program, name=f"Entraide {n + 1}", kind=Organization.Kind.COMMUNITY_PARTNER)
        for n in range(PARTNERS))
    started = time.perf_counter()
    for partner in partners:
        partner_quota_set(season=season, partner=partner, max_households=per_partner, max_value_cents=1_000_000_000)
    households = Household.objects.bulk_create(
        (Household(program=program, season=season, partner=partners[n // per_partner], size=2, age_18_64=2,
                   language="fr", enrolled_by=coordinator) for n in range(per_partner * PARTNERS)),
        batch_size=5000,
    )
    timings[f"{PARTNERS} quotas, {len(households):,} households"] = time.perf_counter() - started

    # Every move after the issue, in the ledger's order: allocations to the partners, sales to the public,
    # 3 distributions per household, then the redemptions (each its own REDEEM event, as redemption_record
    # writes it). The events go into the chain in one COPY; the coupons then move to where the last event
    # that names them put them, in one UPDATE.
    started = time.perf_counter()
    Kind, web = CustodyEvent.Kind, CustodyEvent.Source.WEB

    def moment(day: datetime.date, seconds: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))) + datetime.timedelta(seconds=seconds)

    specs = []
    for p, partner in enumerate(partners):
        first, last = p * share + 1, p * share + allocated
        specs.append(dict(kind=Kind.ALLOCATE, from_status=CouponStatus.STOCK, to_status=CouponStatus.PARTNER,
                          to_partner_id=partner.pk, coupon_count=allocated, value_cents=allocated * 500,
                          by_id=coordinator.pk, source=web, at=moment(start - datetime.timedelta(days=7), p),
                          ranges=[(families.pk, first, last)]))
    sold = public_coupons * 3 // 10
    step = -(-sold // 10)
    for n, first in enumerate(range(1, sold + 1, step)):
        last = min(sold, first + step - 1)
        specs.append(dict(kind=Kind.SELL, from_status=CouponStatus.STOCK, to_status=CouponStatus.SOLD,
                          coupon_count=last - first + 1, value_cents=(last - first + 1) * 1000, by_id=coordinator.pk,
                          source=web, at=moment(start + datetime.timedelta(days=7 * n)), ranges=[(public.pk, first, last)]))
    given = []
    for period in range(PERIODS):
        for p, partner in enumerate(partners):
            for k in range(per_partner):
                household = households[p * per_partner + k]
                first = p * share + 1 + period * per_partner * PER_PERIOD + k * PER_PERIOD
                last = first + PER_PERIOD - 1
                specs.append(dict(
                    kind=Kind.DISTRIBUTE, from_status=CouponStatus.PARTNER, from_partner_id=partner.pk,
                    to_status=CouponStatus.HOUSEHOLD, to_household_id=household.pk, coupon_count=PER_PERIOD,
                    value_cents=PER_PERIOD * 500, by_id=coordinator.pk, source=web,
                    at=moment(start + datetime.timedelta(days=28 * period), k), ranges=[(families.pk, first, last)],
                ))
                given.append((first, household.pk))

    from_households = min(args.redemptions, len(given))
    from_public = args.redemptions - from_households
    if from_public > sold:
        raise SystemExit("more redemptions than coupons in circulation")
    # The first coupon of each distribution, then coupons sold to the public: (series, number, status, household).
    chosen = [(families.pk, first, CouponStatus.HOUSEHOLD, household) for first, household in given[:from_households]]
    chosen += [(public.pk, n, CouponStatus.SOLD, None) for n in range(1, from_public + 1)]
    found = {(s, n): (cid, code, value) for cid, s, n, code, value in sql(
        f"""SELECT id, series_id, number, code, value_cents FROM {Coupon._meta.db_table}
            WHERE (series_id = %s AND number = ANY(%s)) OR (series_id = %s AND number <= %s)""",
        [families.pk, [c[1] for c in chosen if c[0] == families.pk], public.pk, from_public])}
    opening = timezone.make_aware(datetime.datetime.combine(start, datetime.time(8)))
    span = (end - start).days * 86400
    moments = sorted(opening + datetime.timedelta(seconds=rng.randrange(span)) for _ in chosen)
    rng.shuffle(chosen)
    vendor_of = [rng.randrange(len(vendors)) for _ in chosen]
    for (series_id, number, status, household_id), v, at in zip(chosen, vendor_of, moments):
        specs.append(dict(
            kind=Kind.REDEEM, from_status=status, from_household_id=household_id, to_status=CouponStatus.REDEEMED,
            coupon_count=1, value_cents=found[(series_id, number)][2], by_id=vendor_users[v].pk,
            source=CustodyEvent.Source.API, note=vendors[v].business_name[:300], at=at,
            ranges=[(series_id, number, number)],
        ))

    timings["the moves in Python"] = time.perf_counter() - started
    with transaction.atomic():
        started = time.perf_counter()
        issued_up_to = last_sequence(season)
        event_ids = ledger_append_bulk(season, specs)[-len(chosen):]
        timings[f"{len(specs):,} custody events hashed and COPYed"] = time.perf_counter() - started
        started = time.perf_counter()
        columns = ("program_id", "season_id", "vendor_id", "market_id", "sale_point_id", "coupon_id", "code",
                   "value_cents", "outcome", "reason", "unissued", "outside_hours", "source", "nonce", "taken_at",
                   "recorded_at", "recorded_by_id", "event_id")

        def row(v, coupon, outcome, reason, at, event_id):
            point = points[v % MARKETS]
            return (program.pk, season.pk, vendors[v].pk, point.market_id, point.pk, *coupon, outcome, reason, False,
                    False, "stall", uuid.uuid4().hex, at, at, vendor_users[v].pk, event_id)

        rows = [row(v, found[(c[0], c[1])], "accepted", "", at, e)
                for c, v, at, e in zip(chosen, vendor_of, moments, event_ids)]
        for n in range(REFUSED):  # codes that match no coupon, and coupons shown a second time
            v, at = rng.randrange(len(vendors)), moments[rng.randrange(len(moments))]
            rows.append(row(v, (None, f"ZZZZZZZZZ{n % 1000:03d}", 0), "refused", "unknown", at, None))
            c = chosen[rng.randrange(len(chosen))]
            rows.append(row(v, found[(c[0], c[1])], "refused", "already_redeemed", at, None))
        copy_rows(Redemption._meta.db_table, columns, rows)
        timings[f"{len(rows):,} redemptions COPYed"] = time.perf_counter() - started
        started = time.perf_counter()

        # Each coupon where the last event naming it put it (one UPDATE, from the ledger just written).
        moved = coupons_place(season, after_sequence=issued_up_to)
        assert moved == PARTNERS * allocated + sold, moved
    timings[f"{moved:,} coupons moved to their last event's holder (one UPDATE)"] = time.perf_counter() - started

    started = time.perf_counter()
    from django.db import connection

    with connection.cursor() as cursor:
        for model in (Coupon, CustodyEvent, CustodyEventRange, Redemption, Household):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    timings["VACUUM ANALYZE"] = time.perf_counter() - started

    return {"program": program, "season": season, "coordinator": coordinator, "treasurers": treasurers,
            "vendors": vendors, "households": len(households), "families": families, "public": public,
            "timings": timings, "end": season.coupons_valid_until}


# --- 1. claims ---------------------------------------------------------------------------------------------


PAYABLE = """
    SELECT r.id, r.vendor_id, CASE WHEN pd.method = 'market' THEN r.market_id END AS market_id, r.value_cents,
        r.taken_at
    FROM redemptions_redemption r
    LEFT JOIN redemptions_reviewdecision d ON d.redemption_id = r.id
    LEFT JOIN payments_payeedetails pd ON pd.vendor_id = r.vendor_id
    WHERE r.season_id = %(season)s AND r.taken_at < %(end)s
        AND ((r.outcome = 'accepted' AND NOT EXISTS (
                SELECT 1 FROM redemptions_redemption t JOIN redemptions_reviewdecision td ON td.redemption_id = t.id
                WHERE t.conflicts_with_id = r.id AND td.decision = 'refuse'))
            OR (r.outcome = 'review' AND d.decision = 'both'))
        AND NOT EXISTS (SELECT 1 FROM payments_claimline l WHERE l.redemption_id = r.id)
        AND NOT EXISTS (
            SELECT 1 FROM redemptions_redemption w LEFT JOIN redemptions_reviewdecision wd ON wd.redemption_id = w.id
            WHERE w.conflicts_with_id = r.id AND w.outcome = 'review' AND wd.id IS NULL)"""


def raw_claims(world: dict) -> dict[int, tuple[int, int]]:
    """The claims, in SQL: lock the program and the season, number the claims after the last one, one claim
    per vendor over its redemptions' local dates, one line per redemption. Returns {vendor: (lines, cents)}."""
    from django.conf import settings
    from django.utils import timezone

    season, program = world["season"], world["program"]
    end = timezone.make_aware(datetime.datetime.combine(world["end"] + datetime.timedelta(days=1), datetime.time()))
    params = {"season": season.pk, "program": program.pk, "end": end, "tz": settings.TIME_ZONE,
              "by": world["coordinator"].pk}
    sql("SELECT id FROM programs_program WHERE id = %(program)s FOR UPDATE", params)
    (closed,), = sql("SELECT closed_at FROM programs_season WHERE id = %(season)s FOR UPDATE", params)
    assert closed is None
    sql(f"CREATE TEMP TABLE bench_payable ON COMMIT DROP AS {PAYABLE}", params)
    sql(f"""
        WITH claims AS (
            INSERT INTO payments_claim (program_id, season_id, vendor_id, market_id, number, period_start,
                                        period_end, created_by_id, created_at)
            SELECT %(program)s, %(season)s, vendor_id, market_id,
                (SELECT COALESCE(MAX(number), 0) FROM payments_claim WHERE program_id = %(program)s)
                    + ROW_NUMBER() OVER (ORDER BY vendor_id, COALESCE(market_id, 0)),
                MIN((taken_at AT TIME ZONE %(tz)s)::date), MAX((taken_at AT TIME ZONE %(tz)s)::date), %(by)s, now()
            FROM bench_payable GROUP BY vendor_id, market_id
            RETURNING id, vendor_id, market_id
        )
        INSERT INTO payments_claimline (claim_id, redemption_id, amount_cents, rejected_reason)
        SELECT c.id, p.id, p.value_cents, '' FROM bench_payable p
        JOIN claims c ON c.vendor_id = p.vendor_id AND c.market_id IS NOT DISTINCT FROM p.market_id
        ORDER BY c.id, p.taken_at, p.id""", params)
    return {v: (n, cents) for v, n, cents in sql(
        """SELECT c.vendor_id, COUNT(*), SUM(l.amount_cents) FROM payments_claim c
           JOIN payments_claimline l ON l.claim_id = c.id WHERE c.season_id = %s GROUP BY c.vendor_id""", [season.pk])}


def bench_claims(world: dict) -> dict:
    from pcn.payments.services import claims_prepare

    season = world["season"]
    sql("SELECT COUNT(*), SUM(value_cents) FROM redemptions_redemption WHERE season_id = %s", [season.pk])  # warm
    with rolled_back(), measured() as raw:
        raw_totals = raw_claims(world)
    with measured() as ours:
        claims = claims_prepare(season=season, by=world["coordinator"], until=world["end"])
    ours_totals = {v: (n, cents) for v, n, cents in sql(
        """SELECT c.vendor_id, COUNT(*), SUM(l.amount_cents) FROM payments_claim c
           JOIN payments_claimline l ON l.claim_id = c.id WHERE c.season_id = %s GROUP BY c.vendor_id""", [season.pk])}
    lines = sum(n for n, _cents in ours_totals.values())
    return {"ours": ours, "raw": raw, "rows": lines, "claims": len(claims), "same": ours_totals == raw_totals,
            "cents": sum(c for _n, c in ours_totals.values()), "claim_ids": [c.pk for c in claims]}


# --- 2. the batch and its files ----------------------------------------------------------------------------


def ascii_text(value: str, width: int) -> str:
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", value) if not unicodedata.combining(ch))
    return " ".join("".join(ch if " " <= ch <= "~" else " " for ch in bare).split())[:width].ljust(width)


def julian(day: datetime.date) -> str:
    return f"0{day.year % 100:02d}{day.timetuple().tm_yday:03d}"


def raw_cpa005(o: dict, payees: list[tuple], fcn: int, created: datetime.date, pay_on: datetime.date) -> bytes:
    """CPA-005 by hand: an A record, C records of six 240-character segments, a Z record, 1464 wide."""
    control = o["originator_number"] + f"{fcn:04d}"
    lines = [("A000000001" + control + julian(created) + o["data_centre"] + " " * 20 + "CAD").ljust(1464)]
    segments = []
    tail = ascii_text(o["name"], 30) + o["originator_number"]
    for name, cents, reference, institution, transit, account in payees:
        segments.append(
            f"450{cents:010d}{julian(pay_on)}0{institution}{transit}{account:<12}{'0' * 22}000"
            f"{ascii_text(o['short_name'], 15)}{ascii_text(name, 30)}{tail}{ascii_text(reference, 19)}"
            f"0{o['institution']}{o['transit']}{o['account']:<12}{' ' * 39}{'0' * 11}")
    for i in range(0, len(segments), 6):
        lines.append(f"C{len(lines) + 1:09d}{control}{''.join(segments[i:i + 6])}".ljust(1464))
    total = sum(p[1] for p in payees)
    lines.append(f"Z{len(lines) + 1:09d}{control}{0:014d}{0:08d}{total:014d}{len(payees):08d}{'0' * 44}".ljust(1464))
    return "".join(line + "\r\n" for line in lines).encode("ascii")


def raw_pain001(o: dict, payees: list[tuple], reference: str, fcn: int, created: datetime.date,
                pay_on: datetime.date) -> bytes:
    """pain.001.001.03 by string formatting."""

    def dollars(cents: int) -> str:
        return f"{cents // 100}.{cents % 100:02d}"

    def agent(tag: str, institution: str, transit: str) -> str:
        return (f"<{tag}><FinInstnId><ClrSysMmbId><ClrSysId><Cd>CACPA</Cd></ClrSysId>"
                f"<MmbId>0{institution}{transit}</MmbId></ClrSysMmbId></FinInstnId></{tag}>")

    total, count, name = dollars(sum(p[1] for p in payees)), len(payees), escape(o["name"])
    parts = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn><GrpHdr>',
        f"<MsgId>{reference}/{fcn:04d}</MsgId><CreDtTm>{created.isoformat()}T00:00:00</CreDtTm>",
        f"<NbOfTxs>{count}</NbOfTxs><CtrlSum>{total}</CtrlSum><InitgPty><Nm>{name}</Nm></InitgPty></GrpHdr>",
        f"<PmtInf><PmtInfId>{reference}</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>true</BtchBookg>",
        f"<NbOfTxs>{count}</NbOfTxs><CtrlSum>{total}</CtrlSum><ReqdExctnDt>{pay_on.isoformat()}</ReqdExctnDt>",
        f"<Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id><Othr><Id>{o['account']}</Id></Othr></Id><Ccy>CAD</Ccy>"
        "</DbtrAcct>", agent("DbtrAgt", o["institution"], o["transit"]),
    ]
    for payee_name, cents, ref, institution, transit, account, claims in payees:
        parts.append(
            f"<CdtTrfTxInf><PmtId><EndToEndId>{ref}</EndToEndId></PmtId>"
            f'<Amt><InstdAmt Ccy="CAD">{dollars(cents)}</InstdAmt></Amt>{agent("CdtrAgt", institution, transit)}'
            f"<Cdtr><Nm>{escape(payee_name)}</Nm></Cdtr><CdtrAcct><Id><Othr><Id>{account}</Id></Othr></Id></CdtrAcct>"
            f"<RmtInf><Ustrd>{escape(f'Coupons nourriciers {claims} ({ref})'[:140].strip())}</Ustrd></RmtInf>"
            "</CdtTrfTxInf>")
    parts.append("</PmtInf></CstmrCdtTrfInitn></Document>")
    return "".join(parts).encode("utf-8")


def raw_batch(world: dict, claim_ids: list[int], pay_on: datetime.date) -> dict:
    """The batch in SQL and by hand: the batch row; its items with the same checks (approved and payable,
    not in a batch, something to pay, no line whose twin waits for review, vendor authorized, bank details
    complete, same method and currency); the approval, which keeps whom each item pays and the fiduciary's
    numbers in the batch; the two files written in Python loops from what was approved, and stored. Returns
    timings per step and the files."""
    from django.utils import timezone

    program, season = world["program"], world["season"]
    maker, approver = world["treasurers"][:2]
    steps = {}
    today = timezone.localdate()
    with measured() as m:
        sql("SELECT id FROM programs_program WHERE id = %s FOR UPDATE", [program.pk])
        (batch_id, number), = sql(
            """INSERT INTO payments_paymentbatch (program_id, season_id, number, method, currency, currency_name,
                   payment_on, created_by_id, changed_by_id, created_at)
               SELECT %s, %s, COALESCE(MAX(number), 0) + 1, 'bank', 'CAD', '', %s, %s, %s, now()
               FROM payments_paymentbatch WHERE program_id = %s RETURNING id, number""",
            [program.pk, season.pk, pay_on, maker.pk, maker.pk, program.pk])
        added = sql_count(
            """INSERT INTO payments_batchitem (batch_id, claim_id, amount_cents, added_by_id)
               SELECT %s, c.id, SUM(l.amount_cents) FILTER (WHERE l.rejected_at IS NULL), %s
               FROM payments_claim c JOIN payments_claimline l ON l.claim_id = c.id
               JOIN payments_payeedetails p ON p.vendor_id = c.vendor_id
               WHERE c.id = ANY(%s) AND c.program_id = %s AND c.season_id = %s AND c.approved_at IS NOT NULL
                   AND c.payable_on <= %s AND c.market_id IS NULL
                   AND NOT EXISTS (SELECT 1 FROM payments_batchitem b WHERE b.claim_id = c.id)
                   AND EXISTS (SELECT 1 FROM markets_vendorauthorization a WHERE a.vendor_id = c.vendor_id
                               AND a.season_id = c.season_id AND a.revoked_at IS NULL)
                   AND p.method = 'bank' AND p.currency = 'CAD' AND p.institution <> '' AND p.transit <> ''
                   AND p.account <> ''
               GROUP BY c.id, c.number
               HAVING SUM(l.amount_cents) FILTER (WHERE l.rejected_at IS NULL) > 0
                   AND NOT bool_or(l.rejected_at IS NULL AND EXISTS (
                       SELECT 1 FROM redemptions_redemption w
                       LEFT JOIN redemptions_reviewdecision wd ON wd.redemption_id = w.id
                       WHERE w.conflicts_with_id = l.redemption_id AND w.outcome = 'review' AND wd.id IS NULL))
               ORDER BY c.number""",
            [batch_id, maker.pk, claim_ids, program.pk, season.pk, today])
        assert added == len(claim_ids), added
    steps["batch_create"] = m
    with measured() as m:
        sql("SELECT id FROM payments_paymentbatch WHERE id = %s FOR UPDATE", [batch_id])
        sql_count("""UPDATE payments_batchitem i SET payee = jsonb_build_object(
                         'name', COALESCE(NULLIF(p.account_holder, ''), v.business_name), 'institution', p.institution,
                         'transit', p.transit, 'account', p.account)
                     FROM payments_claim c, markets_vendor v, payments_payeedetails p
                     WHERE i.batch_id = %s AND c.id = i.claim_id AND v.id = c.vendor_id AND p.vendor_id = v.id""",
                  [batch_id])
        changed = sql_count(
            """UPDATE payments_paymentbatch b SET approved_by_id = %s, approved_at = now(), originator = jsonb_build_object(
                   'name', s.originator_name, 'short_name', s.originator_short_name,
                   'originator_number', s.originator_number, 'data_centre', s.data_centre,
                   'institution', s.institution, 'transit', s.transit, 'account', s.account, 'currency', 'CAD')
               FROM payments_paymentsettings s
               WHERE b.id = %s AND s.program_id = b.program_id AND b.approved_at IS NULL AND b.created_by_id <> %s
                   AND b.changed_by_id <> %s
                   AND NOT EXISTS (SELECT 1 FROM payments_batchitem i WHERE i.batch_id = b.id AND i.added_by_id = %s)""",
            [approver.pk, batch_id, approver.pk, approver.pk, approver.pk])
        assert changed == 1
    steps["batch_approve"] = m
    reference = f"PCN-{program.pk}-{number}"
    payees_query = """
        SELECT MIN(i.payee->>'name'), SUM(i.amount_cents), MIN(i.payee->>'institution'), MIN(i.payee->>'transit'),
            MIN(i.payee->>'account'), string_agg('R-' || c.number, ', ' ORDER BY c.number)
        FROM payments_batchitem i JOIN payments_claim c ON c.id = i.claim_id WHERE i.batch_id = %s
        GROUP BY c.vendor_id ORDER BY MIN(c.number)"""
    files = {}
    for fmt in ("cpa005", "pain001"):
        with measured() as m:
            (o,), = sql("SELECT originator FROM payments_paymentbatch WHERE id = %s FOR UPDATE", [batch_id])
            o = json.loads(o) if isinstance(o, str) else o
            rows = sql(payees_query, [batch_id])
            fcn = cycle = None
            if fmt == "cpa005":
                sharing = sql("SELECT program_id, first_file_creation_number FROM payments_paymentsettings "
                              "WHERE originator_number = %s ORDER BY id FOR UPDATE", [o["originator_number"]])
                first = next(((f,) for p, f in sharing if p == program.pk), (1,))
                last = sql("""SELECT file_creation_number, cycle FROM payments_bankfile WHERE originator_number = %s
                              AND file_creation_number IS NOT NULL ORDER BY cycle DESC, file_creation_number DESC
                              LIMIT 1""", [o["originator_number"]])
                fcn, cycle = (first[0], 0) if not last else (1, last[0][1] + 1) if last[0][0] >= 9999 else (
                    last[0][0] + 1, last[0][1])
                payees = [(name, cents, f"{reference}-{n}", inst, transit, account)
                          for n, (name, cents, inst, transit, account, _claims) in enumerate(rows, 1)]
                content = raw_cpa005(o, payees, fcn, today, pay_on)
            else:
                payees = [(name, cents, f"{reference}-{n}", inst, transit, account, claims)
                          for n, (name, cents, inst, transit, account, claims) in enumerate(rows, 1)]
                content = raw_pain001(o, payees, reference, 0, today, pay_on)
            sql("""INSERT INTO payments_bankfile (batch_id, format, originator_number, cycle, file_creation_number,
                       content, created_by_id, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, now())""",
                [batch_id, fmt, o["originator_number"] if fcn else "", cycle or 0, fcn, content, maker.pk])
        steps[f"batch_export {fmt}"] = m
        files[fmt] = content
    return {"steps": steps, "files": files}


def bench_batch(world: dict, claims: dict) -> dict:
    from django.utils import timezone

    from pcn.payments.models import Claim, Method
    from pcn.payments.services import batch_approve, batch_create, batch_export, batch_mark_paid, claim_approve

    maker, approver, payer = world["treasurers"]
    with measured() as approving:
        for claim in Claim.objects.filter(pk__in=claims["claim_ids"]).order_by("number"):
            claim_approve(claim=claim, by=world["coordinator"])
    pay_on = timezone.localdate() + datetime.timedelta(days=2)
    with rolled_back():
        raw = raw_batch(world, claims["claim_ids"], pay_on)
    ours, files = {}, {}
    with measured() as m:
        batch = batch_create(season=world["season"], method=Method.BANK, payment_on=pay_on,
                             claims=Claim.objects.filter(pk__in=claims["claim_ids"]), by=maker)
    ours["batch_create"] = m
    with measured() as m:
        batch_approve(batch=batch, by=approver)
    ours["batch_approve"] = m
    for fmt in ("cpa005", "pain001"):
        with measured() as m:
            files[fmt] = bytes(batch_export(batch=batch, format=fmt, by=maker).content)
        ours[f"batch_export {fmt}"] = m
    batch_mark_paid(batch=batch, by=payer)
    return {"ours": ours, "raw": raw["steps"], "approving": approving, "claims": len(claims["claim_ids"]),
            "same": {fmt: files[fmt] == raw["files"][fmt] for fmt in files},
            "sizes": {fmt: len(files[fmt]) for fmt in files}}


# --- 3. close-out ------------------------------------------------------------------------------------------


def raw_grid(season) -> list[tuple]:
    return sql("""SELECT status, value_cents, COUNT(*), SUM(value_cents) FROM coupons_coupon WHERE season_id = %s
                  GROUP BY status, value_cents ORDER BY status, value_cents""", [season.pk])


@contextmanager
def timed_calls(module, names: list[str]):
    """Wrap module functions to add up their time and calls: {name: [seconds, calls]}."""
    spent = {name: [0.0, 0] for name in names}
    originals = {name: getattr(module, name) for name in names}

    def wrap(name, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name][0] += time.perf_counter() - started
                spent[name][1] += 1
        return timed

    for name, function in originals.items():
        setattr(module, name, wrap(name, function))
    try:
        yield spent
    finally:
        for name, function in originals.items():
            setattr(module, name, function)


def bench_closeout(world: dict) -> dict:
    from pcn.coupons import closeout, ledger

    season, coordinator = world["season"], world["coordinator"]
    raw_grid(season)  # warm
    with measured() as ours_before:
        before = closeout.season_disposition(season)
    with measured() as raw_before:
        grid_before = raw_grid(season)
    held = sum(n for status, _v, n, _t in grid_before if status in ("household", "sold"))
    with rolled_back(), measured() as raw_close:
        expired = sql_count("""UPDATE coupons_coupon SET status = 'expired', household_id = NULL
                               WHERE season_id = %s AND status IN ('household', 'sold')""", [season.pk])
        raw_after = raw_grid(season)
    sql("VACUUM coupons_coupon")  # the rows the raw UPDATE left dead: ours starts from as clean a table
    with timed_calls(closeout, ["season_close_blockers", "season_expire_outstanding", "_outstanding_runs",
                                "events_append", "season_verify"]) as parts, \
            timed_calls(ledger, ["_verify_chain", "_verify_positions", "_misplaced_coupons"]) as verify_parts, \
            measured() as ours_close:
        closeout.season_close(season=season, by=coordinator)
    parts.update(verify_parts)
    with measured() as ours_after:
        after = closeout.season_disposition(season)
    with measured() as raw_after_m:
        grid_after = raw_grid(season)
    season.refresh_from_db()
    return {
        "coupons": sum(n for _s, _v, n, _t in grid_before), "held": held, "expired_raw": expired,
        "before": (ours_before, raw_before), "close": (ours_close, raw_close), "after": (ours_after, raw_after_m),
        "parts": parts, "balanced": before.balanced and after.balanced and not before.problems and not after.problems,
        "closed": season.closed_at is not None, "same_grid": grid_after == raw_after,
        "expired_ours": after.state(closeout.EXPIRED).count, "paid": after.state(closeout.PAID).count,
    }


# --- the report --------------------------------------------------------------------------------------------


def table(title: str, unit: str, rows: list[tuple[str, object, int]]) -> None:
    """rows: (label, measured, rows handled); ratio lines compare each "ours" with the "raw" after it."""
    print(f"\n{title}")
    print(f"{'':56}{'seconds':>9}{unit + '/s':>14}{'statements':>12}")
    for label, m, n in rows:
        print(f"{label:56}{m.seconds:>9.2f}{n / m.seconds:>14,.0f}{m.statements:>12,}")


def ratio(ours, raw) -> str:
    return f"ours takes {ours.seconds / raw.seconds:,.1f}× raw's time"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coupons", type=int, default=1_000_000, help="coupons issued in the season (1,000,000)")
    parser.add_argument("--households", type=int, default=20_000, help="households, 33 coupons each (20,000)")
    parser.add_argument("--redemptions", type=int, default=100_000, help="accepted redemptions (100,000)")
    parser.add_argument("--vendors", type=int, default=300, help="vendors, each paid by bank (300)")
    args = parser.parse_args()

    note = machine_note()
    started = time.perf_counter()
    fresh_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    world = build_season(args)
    setup_seconds = time.perf_counter() - started

    claims = bench_claims(world)
    sql("ANALYZE payments_claim; ANALYZE payments_claimline")  # what autovacuum does after such an insert
    batch = bench_batch(world, claims)
    close = bench_closeout(world)

    print(f"Paying vendors and closing a season on PostgreSQL: {args.coupons:,} coupons, {world['households']:,} "
          f"households, {args.redemptions:,} redemptions at {args.vendors} vendors")
    print(f"{note}; setup {setup_seconds:.0f} s:")
    for label, seconds in world["timings"].items():
        print(f"    {label}: {seconds:.1f} s")

    table(f"1. Claims over the season: {claims['rows']:,} redemptions, {claims['claims']} claims "
          f"({claims['cents'] / 100:,.2f} $)", "lines", [
              ("ours  claims_prepare", claims["ours"], claims["rows"]),
              ("raw   payable rule, INSERT … SELECT claims, then lines", claims["raw"], claims["rows"]),
          ])
    print(f"{ratio(claims['ours'], claims['raw'])}; same claims, lines and amounts per vendor: "
          f"{'yes' if claims['same'] else 'NO'}")

    n = batch["claims"]
    rows = []
    for step in batch["ours"]:
        rows.append((f"ours  {step}", batch["ours"][step], n))
        rows.append((f"raw   {step} (SQL{', Python loop' if 'export' in step else ''})", batch["raw"][step], n))
    total_ours = SimpleNamespace(seconds=sum(m.seconds for m in batch["ours"].values()),
                                 statements=sum(m.statements for m in batch["ours"].values()))
    total_raw = SimpleNamespace(seconds=sum(m.seconds for m in batch["raw"].values()),
                                statements=sum(m.statements for m in batch["raw"].values()))
    rows += [("ours  all four", total_ours, n), ("raw   all four", total_raw, n)]
    table(f"2. A bank batch of {n} claims for {n} payees (claims approved first by claim_approve × {n}: "
          f"{batch['approving'].seconds:.2f} s, {batch['approving'].statements:,} statements)", "claims", rows)
    print(f"{ratio(total_ours, total_raw)}; files byte for byte the same as raw's: "
          + ", ".join(f"{fmt} {'yes' if same else 'NO'} ({batch['sizes'][fmt]:,} bytes)"
                      for fmt, same in batch["same"].items()))

    c = close
    parts = c["parts"]
    ours_close, raw_close = c["close"]
    table(f"3. Close-out: {c['coupons']:,} coupons, {c['held']:,} held by households and the public", "coupons", [
        ("ours  season_disposition before the close", c["before"][0], c["coupons"]),
        ("raw   GROUP BY status, value", c["before"][1], c["coupons"]),
        ("ours  season_close", ours_close, c["held"]),
        ("raw   UPDATE held → expired, GROUP BY status, value", raw_close, c["held"]),
        ("ours  season_disposition after the close", c["after"][0], c["coupons"]),
        ("raw   GROUP BY status, value", c["after"][1], c["coupons"]),
    ])
    print(f"disposition {ratio(c['before'][0], c['before'][1])}; season_close {ratio(ours_close, raw_close)}")
    expire_s, _ = parts["season_expire_outstanding"]
    append_s, _ = parts["events_append"]
    runs_s, _ = parts["_outstanding_runs"]
    print(f"season_close's parts: blockers {parts['season_close_blockers'][0]:.2f} s; expiry {expire_s:.2f} s "
          f"(runs of numbers {runs_s:.2f} s, one event per holder in bulk (events_append) {append_s:.2f} s, "
          f"the UPDATE and the rest {expire_s - runs_s - append_s:.2f} s); "
          f"season_verify {parts['season_verify'][0]:.2f} s (the hash chain and the series' codes "
          f"{parts['_verify_chain'][0]:.2f} s, the balances {parts['_verify_positions'][0]:.2f} s of which "
          f"coupon by coupon {parts['_misplaced_coupons'][0]:.2f} s)")
    ok = (claims["same"] and all(batch["same"].values()) and c["balanced"] and c["closed"] and c["same_grid"]
          and c["expired_ours"] == c["held"] == c["expired_raw"])
    print(f"after the close: {c['expired_ours']:,} coupons expired (raw: {c['expired_raw']:,}), {c['paid']:,} paid; "
          f"the report balances to the cent: {'yes' if c['balanced'] else 'NO'}; same coupons as raw's: "
          f"{'yes' if c['same_grid'] else 'NO'}; season closed: {'yes' if c['closed'] else 'NO'}")
    print(f"whole run {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
