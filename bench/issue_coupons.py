"""Issuing coupons on PostgreSQL: the service (`series_issue`) side by side with a raw COPY of the same rows.

    python bench/issue_coupons.py [--count 1000000]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pcn_bench; the database is dropped and
created anew, then migrated). The raw side COPYs pre-generated rows into a table built LIKE the
coupons table (same columns, indexes and constraints), so the two differ only by what the service adds:
making the codes, checks, the series row and the ledger event.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pcn_bench")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcn.settings")


def fresh_database(url: str) -> None:
    """Drop and create the bench database: every run starts from the same empty, migrated state."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    args = parser.parse_args()
    fresh_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)

    from django.contrib.auth import get_user_model

    from pcn.coupons import codes
    from pcn.coupons.models import Colour, Coupon, CouponStatus
    from pcn.coupons.services import _COLUMNS, series_issue
    from pcn.programs.models import CouponClass, Denomination, Network, Program, Season

    user, _ = get_user_model().objects.get_or_create(username="bench")
    network, _ = Network.objects.get_or_create(name="Bench")
    program, _ = Program.objects.get_or_create(
        name="PCN Bench", defaults={"network": network, "kind": "mrc", "region": "03", "languages": ["fr"]}
    )
    season, _ = Season.objects.get_or_create(
        program=program, name="Bench",
        defaults=dict(starts_on=datetime.date(2030, 6, 1), ends_on=datetime.date(2030, 9, 1), weeks=12,
                      coupons_valid_from=datetime.date(2030, 6, 1), coupons_valid_until=datetime.date(2030, 9, 1),
                      accepted_sale_point_kinds=["market"]),
    )
    Denomination.objects.get_or_create(season=season, value_cents=500)
    coupon_class, _ = CouponClass.objects.get_or_create(season=season, name="Tout", defaults={"categories": ["fruit"]})

    # The service: codes, checks, series, COPY, ledger event, in one transaction.
    started = time.perf_counter()
    series = series_issue(
        season=season, denomination_cents=500, coupon_class=coupon_class, colour=Colour.GREEN,
        valid_from=season.coupons_valid_from, valid_until=season.coupons_valid_until,
        funding_source="bench", count=args.count, booklet_size=10, by=user,
    )
    service_seconds = time.perf_counter() - started

    # The raw database: the same rows (codes made beforehand), one COPY into a table like the real one.
    table = Coupon._meta.db_table
    raw_codes = codes.new_codes(args.count)
    rows = [(season.pk, series.pk, n, (n - 1) // 10 + 1, c, 500, CouponStatus.STOCK) for n, c in enumerate(raw_codes, 1)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE bench_raw (LIKE {table} INCLUDING ALL) ON COMMIT DROP")
        started = time.perf_counter()
        with cursor.cursor.copy(f"COPY bench_raw ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        raw_seconds = time.perf_counter() - started

    # The ledger of what the service wrote checks out (hash chain, series digest, every coupon's place).
    from pcn.coupons.ledger import season_verify

    started = time.perf_counter()
    problems = season_verify(season)
    verify_seconds = time.perf_counter() - started
    assert not problems, problems

    print(f"Issuing {args.count:,} coupons on PostgreSQL")
    print(f"{'':28}{'seconds':>10}{'coupons/s':>14}")
    print(f"{'series_issue (service)':28}{service_seconds:10.2f}{args.count / service_seconds:14,.0f}")
    print(f"{'raw COPY, same rows':28}{raw_seconds:10.2f}{args.count / raw_seconds:14,.0f}")
    print(f"service speed = {raw_seconds / service_seconds:.0%} of raw COPY (target ≥ 50 %)")
    print(f"verify_ledger on the season afterwards: {verify_seconds:.2f} s")


if __name__ == "__main__":
    main()
