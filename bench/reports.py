"""Dashboards on a simulated province, PostgreSQL: the report facts and the pages beside raw SQL over the base tables.

    python bench/reports.py [--scale 1] [--seed 7] [--runs 5] [--reuse]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pcn_bench_reports; dropped and created anew, then
migrated: never point it at a real database). It fills it with `pcn simulate_season`'s province (at scale 1: ten
programs, about 150 markets, 3,000 vendors, 20,000 households, 3,000,000 coupons, 2,400,000 redemptions, two
past seasons closed) and prints the simulation's speed, step by step. `--reuse` keeps a database already filled
by an earlier run (no drop, no generation): the dashboard timings can be run again in a minute.

Then, the report facts of every season recomputed (`season_refresh`), and each of the following timed `--runs`
times (median; the raw side first, once to warm the cache), with the SQL statements sent:

1. `season_refresh` of the biggest season (the city's): its dozen GROUP BYs over the season's coupons, ledger,
   redemptions, counts, households and batches, written as facts; raw: the same sums by GROUP BYs over the base
   tables (nothing written).
2. The program dashboard (`season_dashboard`) of that season, rendered whole by Django's test client for its
   coordinator (HTML, charts and tables, from the facts); raw: the queries a hand-written dashboard would run over
   the base tables for the same figures (the same GROUP BYs as 1).
3. The provincial view (`network_dashboard`) for the network analyst; raw: the per-season sums over the base tables
   for every season of the network (issued, moved by kind, redeemed, counted, paid, households reached, coupons by
   state).

Each table gives the median seconds, the statements, and how many times raw's time ours takes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pcn_bench_reports")
os.environ.setdefault("SECRET_KEY", "bench-only")  # also the ledger's key: --reuse needs the same
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcn.settings")
os.environ["DEBUG"] = ""  # as production runs (DEBUG keeps every query in memory)
os.environ["ALLOWED_HOSTS"] = "testserver,localhost"

from issue_coupons import fresh_database  # noqa: E402
from payments import measured  # noqa: E402
from redeem_online import machine_note  # noqa: E402

NETWORK = "Réseau des marchés publics du Québec (simulation)"
TZ = "America/Toronto"


def raw_season_queries() -> list[tuple[str, str]]:
    """What a hand-written dashboard of one season would run over the base tables: the same sums as the facts."""
    week = "date_trunc('week', {} AT TIME ZONE %(tz)s)::date"
    return [
        ("issued by week and class", f"""
            SELECT {week.format('issued_at')}, coupon_class_id, SUM(count), SUM(count * denomination_cents)
            FROM coupons_series WHERE season_id = %(s)s GROUP BY 1, 2"""),
        ("moved by kind, week, class and partner (allocated, distributed, sold...)", f"""
            SELECT e.kind, {week.format('e.at')}, s.coupon_class_id, COALESCE(e.from_partner_id, e.to_partner_id),
                SUM(r.last_number - r.first_number + 1),
                SUM((r.last_number - r.first_number + 1)::bigint * s.denomination_cents)
            FROM coupons_custodyeventrange r JOIN coupons_custodyevent e ON e.id = r.event_id
            JOIN coupons_series s ON s.id = r.series_id
            WHERE e.season_id = %(s)s AND e.kind IN ('allocate', 'distribute', 'sell', 'return', 'void', 'expire')
            GROUP BY 1, 2, 3, 4"""),
        ("redeemed by market, vendor, week and class", f"""
            SELECT r.market_id, r.vendor_id, {week.format('r.taken_at')}, s.coupon_class_id, COUNT(*),
                SUM(r.value_cents)
            FROM redemptions_redemption r JOIN coupons_coupon c ON c.id = r.coupon_id
            JOIN coupons_series s ON s.id = c.series_id
            WHERE r.season_id = %(s)s AND r.outcome = 'accepted' GROUP BY 1, 2, 3, 4"""),
        ("redeemed by the households' partner, week and class", f"""
            SELECT {week.format('r.taken_at')}, s.coupon_class_id, COALESCE(h.partner_id, e.from_partner_id),
                COUNT(*), SUM(r.value_cents)
            FROM redemptions_redemption r JOIN coupons_coupon c ON c.id = r.coupon_id
            JOIN coupons_series s ON s.id = c.series_id JOIN coupons_custodyevent e ON e.id = r.event_id
            LEFT JOIN households_household h ON h.id = e.from_household_id
            WHERE r.season_id = %(s)s AND r.outcome = 'accepted' GROUP BY 1, 2, 3"""),
        ("refused by market, vendor and week", f"""
            SELECT market_id, vendor_id, {week.format('taken_at')}, COUNT(*), SUM(value_cents)
            FROM redemptions_redemption WHERE season_id = %(s)s AND outcome = 'refused' GROUP BY 1, 2, 3"""),
        ("counted by value, by market, vendor and week", """
            SELECT market_id, vendor_id, date_trunc('week', day)::date, SUM(count), SUM(value_cents)
            FROM redemptions_redemptioncount WHERE season_id = %(s)s GROUP BY 1, 2, 3"""),
        ("paid by week, vendor and market", f"""
            SELECT {week.format('b.paid_at')}, c.vendor_id, c.market_id, COUNT(*), SUM(i.amount_cents)
            FROM payments_batchitem i JOIN payments_paymentbatch b ON b.id = i.batch_id
            JOIN payments_claim c ON c.id = i.claim_id
            WHERE b.season_id = %(s)s AND b.paid_at IS NOT NULL GROUP BY 1, 2, 3"""),
        ("households reached, people and ages, by first week and partner", f"""
            SELECT {week.format('f.first')}, h.partner_id, COUNT(*), SUM(h.size), SUM(h.age_0_5), SUM(h.age_6_17),
                SUM(h.age_18_64), SUM(h.age_65_plus)
            FROM households_household h JOIN (
                SELECT d.household_id, MIN(d.recorded_at) AS first FROM households_distribution d
                JOIN households_household hh ON hh.id = d.household_id
                WHERE hh.season_id = %(s)s AND d.status <> 'missed' GROUP BY 1) f ON f.household_id = h.id
            GROUP BY 1, 2"""),
        ("households by status (the waiting list)", """
            SELECT status, COUNT(*) FROM households_household WHERE season_id = %(s)s GROUP BY 1"""),
        ("coupons by state and value (the disposition)", """
            SELECT status, value_cents, COUNT(*), SUM(value_cents) FROM coupons_coupon WHERE season_id = %(s)s
            GROUP BY 1, 2"""),
        ("paid coupons by value (the disposition's paid)", """
            SELECT c.value_cents, COUNT(*), SUM(c.value_cents) FROM payments_claimline l
            JOIN payments_claim cl ON cl.id = l.claim_id JOIN payments_batchitem i ON i.claim_id = cl.id
            JOIN payments_paymentbatch b ON b.id = i.batch_id
            JOIN redemptions_redemption r ON r.id = l.redemption_id JOIN coupons_coupon c ON c.id = r.coupon_id
            WHERE cl.season_id = %(s)s AND l.rejected_at IS NULL AND b.paid_at IS NOT NULL
                AND c.status = 'redeemed' GROUP BY 1"""),
        ("claimed, refused, approved", """
            SELECT SUM(l.amount_cents), SUM(l.amount_cents) FILTER (WHERE l.rejected_at IS NOT NULL),
                SUM(l.amount_cents) FILTER (WHERE l.rejected_at IS NULL AND c.approved_at IS NOT NULL)
            FROM payments_claimline l JOIN payments_claim c ON c.id = l.claim_id WHERE c.season_id = %(s)s"""),
        ("grants and what they paid for", """
            SELECT g.id, g.amount_cents, (SELECT SUM(count * denomination_cents) FROM coupons_series
                WHERE grant_id = g.id AND season_id = %(s)s),
                (SELECT SUM(amount_cents) FROM funding_expense WHERE grant_id = g.id)
            FROM funding_grant g WHERE g.program_id = (SELECT program_id FROM programs_season WHERE id = %(s)s)"""),
    ]


def raw_network_queries() -> list[tuple[str, str]]:
    """What a hand-written provincial view would run over the base tables: each season's sums, every season."""
    seasons = "SELECT s.id FROM programs_season s JOIN programs_program p ON p.id = s.program_id " \
              "WHERE p.network_id = %(n)s"
    return [
        ("issued per season", f"""
            SELECT season_id, SUM(count), SUM(count * denomination_cents) FROM coupons_series
            WHERE season_id IN ({seasons}) GROUP BY 1"""),
        ("moved per season and kind", f"""
            SELECT e.season_id, e.kind, SUM(r.last_number - r.first_number + 1),
                SUM((r.last_number - r.first_number + 1)::bigint * s.denomination_cents)
            FROM coupons_custodyeventrange r JOIN coupons_custodyevent e ON e.id = r.event_id
            JOIN coupons_series s ON s.id = r.series_id
            WHERE e.season_id IN ({seasons}) AND e.kind IN ('allocate', 'distribute', 'sell', 'expire')
            GROUP BY 1, 2"""),
        ("redeemed and refused per season", f"""
            SELECT season_id, outcome, COUNT(*), SUM(value_cents) FROM redemptions_redemption
            WHERE season_id IN ({seasons}) GROUP BY 1, 2"""),
        ("counted per season", f"""
            SELECT season_id, SUM(count), SUM(value_cents) FROM redemptions_redemptioncount
            WHERE season_id IN ({seasons}) GROUP BY 1"""),
        ("paid per season", f"""
            SELECT b.season_id, SUM(i.amount_cents) FROM payments_batchitem i
            JOIN payments_paymentbatch b ON b.id = i.batch_id
            WHERE b.season_id IN ({seasons}) AND b.paid_at IS NOT NULL GROUP BY 1"""),
        ("households reached and people per season", f"""
            SELECT h.season_id, COUNT(*), SUM(h.size) FROM households_household h
            WHERE h.season_id IN ({seasons}) AND EXISTS (
                SELECT 1 FROM households_distribution d WHERE d.household_id = h.id AND d.status <> 'missed')
            GROUP BY 1"""),
        ("coupons by state per season (outstanding)", f"""
            SELECT season_id, status, COUNT(*), SUM(value_cents) FROM coupons_coupon
            WHERE season_id IN ({seasons}) GROUP BY 1, 2"""),
    ]


def run_raw(queries, params) -> int:
    from django.db import connection

    rows = 0
    with connection.cursor() as cursor:
        for _label, query in queries:
            cursor.execute(query, params)
            rows += len(cursor.fetchall())
    return rows


def timed(fn, runs: int) -> SimpleNamespace:
    """The median of `runs` timings of fn(), with the statements of the last run."""
    seconds, last = [], None
    for _ in range(runs):
        with measured() as m:
            fn()
        seconds.append(m.seconds)
        last = m
    return SimpleNamespace(seconds=statistics.median(seconds), statements=last.statements, all=seconds)


def table(title: str, rows: list[tuple[str, SimpleNamespace]]) -> None:
    print(f"\n{title}")
    print(f"{'':72}{'median s':>10}{'statements':>12}")
    for label, m in rows:
        print(f"{label:72}{m.seconds:>10.3f}{m.statements:>12,}")


def ratio(ours, raw) -> str:
    return f"ours takes {ours.seconds / raw.seconds:,.2f}× raw's time" if raw.seconds else ""


def filled() -> bool:
    """Whether the database already holds a simulated province (for --reuse)."""
    import psycopg

    try:
        with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
            row = conn.execute("SELECT COUNT(*) FROM programs_season s JOIN programs_program p ON p.id = s.program_id "
                               "JOIN programs_network n ON n.id = p.network_id WHERE n.name = %s", [NETWORK]).fetchone()
            return bool(row and row[0])
    except psycopg.Error:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the province's sizes (1)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each measurement (median; 5)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep a database already filled by an earlier run (no drop, no generation)")
    args = parser.parse_args()

    note = machine_note()
    started = time.perf_counter()
    reuse = args.reuse and filled()
    if not reuse:
        fresh_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db.models import Sum
    from django.test import Client
    from django.urls import reverse

    from pcn.accounts.models import Membership, Role
    from pcn.coupons.models import Series
    from pcn.programs.models import Network, Season
    from pcn.reports.simulation import figures, simulate
    from pcn.reports.snapshot import season_refresh

    print(f"Dashboards on a simulated province, PostgreSQL; {note}")
    if reuse:
        print("reusing the province already in the database (--reuse)")
        network = Network.objects.get(name=NETWORK)
    else:
        call_command("migrate", verbosity=0)
        result = simulate(scale=args.scale, seed=args.seed, network_name=NETWORK, out=sys.stdout)
        network = result["network"]
        print(f"\nThe simulation, scale {args.scale}:")
        for line in result["meter"].lines():
            print("    " + line)
        print(f"    whole simulation {result['meter'].seconds:.0f} s")
    for label, value in figures(network).items():
        print(f"    {label:32}{value:>16,}")

    seasons = list(Season.objects.filter(program__network=network).select_related("program"))
    sizes = dict(Series.objects.filter(season__in=seasons).values_list("season").annotate(n=Sum("count")))
    biggest = max(seasons, key=lambda s: sizes.get(s.pk, 0))
    coordinator = get_user_model().objects.filter(
        memberships__role=Role.COORDINATOR, memberships__program=biggest.program).first()
    analyst = get_user_model().objects.filter(
        memberships__role=Role.NETWORK_ANALYST, memberships__network=network).first()
    assert coordinator and analyst and Membership.objects.filter(user=analyst).exists()

    with measured() as all_refreshed:
        for season in seasons:
            season_refresh(season)
    print(f"\nseason_refresh of all {len(seasons)} seasons: {all_refreshed.seconds:.1f} s, "
          f"{all_refreshed.statements:,} statements (before the timings, so that every page finds its figures current)")

    season_raw, network_raw = raw_season_queries(), raw_network_queries()
    season_params = {"s": biggest.pk, "tz": TZ}
    network_params = {"n": network.pk}
    run_raw(season_raw, season_params)  # warm the cache for both sides
    run_raw(network_raw, network_params)

    # 1. The facts.
    raw_sums = timed(lambda: run_raw(season_raw, season_params), args.runs)
    refresh = timed(lambda: season_refresh(biggest), args.runs)
    parts = {}
    from django.db import connection

    with connection.cursor() as cursor:
        for label, query in season_raw:
            one = time.perf_counter()
            cursor.execute(query, season_params)
            cursor.fetchall()
            parts[label] = time.perf_counter() - one
    table(f"1. The report facts of the biggest season ({biggest.program.name}, {biggest.name}: "
          f"{sizes.get(biggest.pk, 0):,} coupons)", [
              ("ours  season_refresh (GROUP BYs, facts written, totals from the reports)", refresh),
              (f"raw   the same sums, {len(season_raw)} GROUP BYs over the base tables", raw_sums),
          ])
    print(ratio(refresh, raw_sums))
    print("raw's queries, one run: " + "; ".join(f"{label} {s:.2f} s" for label, s in parts.items()))

    # 2. The program dashboard.
    client = Client()
    client.force_login(coordinator)
    url = reverse("season_dashboard", args=[biggest.pk])

    def page(url=url, client=client, expect=b"</html>"):
        response = client.get(url, secure=True)
        assert response.status_code == 200 and expect in response.content, response.status_code
        return response

    size = len(page().content)
    season_page = timed(page, args.runs)
    table(f"2. The program dashboard of that season ({url}, {size:,} bytes of HTML), for its coordinator", [
        ("ours  season_dashboard, whole page from the facts", season_page),
        (f"raw   the hand-written dashboard's {len(season_raw)} GROUP BYs over the base tables", raw_sums),
    ])
    print(ratio(season_page, raw_sums) + f"; each run: {', '.join(f'{s:.3f}' for s in season_page.all)} s")

    # 3. The provincial view.
    analyst_client = Client()
    analyst_client.force_login(analyst)
    network_url = reverse("network_dashboard")
    network_size = len(page(network_url, analyst_client).content)
    network_page = timed(lambda: page(network_url, analyst_client), args.runs)
    raw_network = timed(lambda: run_raw(network_raw, network_params), args.runs)
    table(f"3. The provincial view ({network_url}, {network_size:,} bytes, {len(seasons)} seasons of "
          f"{len({s.program_id for s in seasons})} programs), for the network analyst", [
              ("ours  network_dashboard, whole page from the facts", network_page),
              (f"raw   the per-season sums, {len(network_raw)} GROUP BYs over the base tables", raw_network),
          ])
    print(ratio(network_page, raw_network)
          + f"; each run: {', '.join(f'{s:.3f}' for s in network_page.all)} s")
    under = season_page.seconds < 1 and network_page.seconds < 1
    print(f"\nboth pages under a second: {'yes' if under else 'NO'}; whole run {time.perf_counter() - started:.0f} s")
    return 0 if under else 1


if __name__ == "__main__":
    sys.exit(main())
