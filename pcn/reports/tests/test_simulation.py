"""The simulated province (`pcn simulate_season`), small: the sizes asked for, a ledger that verifies, seasons
whose every coupon is accounted for to the cent, and payments that equal their batches. Runs on SQLite, and on
PostgreSQL when DATABASE_URL points there."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from pcn.coupons.closeout import PAID, season_disposition
from pcn.coupons.ledger import season_verify
from pcn.coupons.models import Coupon, CouponStatus
from pcn.households.models import Distribution, Household
from pcn.markets.models import Market, Vendor
from pcn.payments.models import BatchItem
from pcn.payments.selectors import paid_lines, season_payment_totals
from pcn.programs.models import Program, Season
from pcn.redemptions.models import Redemption, RedemptionCount
from pcn.reports.simulation import simulate
from pcn.testing import make_world

pytestmark = pytest.mark.django_db

SCALE = 0.003


def near(found: int, wanted: int, within: float) -> bool:
    return abs(found - wanted) <= wanted * within


def test_a_small_province_has_the_sizes_asked_and_adds_up_to_the_cent():
    result = simulate(scale=SCALE, seed=3)
    plan, network = result["plan"], result["network"]
    seasons = Season.objects.filter(program__network=network)

    # The sizes asked for: exactly as planned, and near the province's figures times the scale.
    assert Program.objects.filter(network=network).count() == 10
    assert seasons.count() == 12 and seasons.filter(closed_at__isnull=False).count() == 2
    assert Market.objects.filter(program__network=network).count() == sum(plan.markets.values())
    assert Vendor.objects.filter(program__network=network).count() == sum(plan.vendors.values())
    households = Household.objects.filter(program__network=network)
    assert households.count() == sum(s.households for s in plan.seasons)
    assert near(households.count(), 20_000 * SCALE, 0.15)
    coupons = Coupon.objects.filter(season__in=seasons).count()
    assert near(coupons, 3_000_000 * SCALE, 0.2)
    accepted = Redemption.objects.filter(season__in=seasons, outcome="accepted").count()
    counted = RedemptionCount.objects.filter(season__in=seasons).aggregate(n=Sum("count"))["n"]
    assert counted > 0  # the remote region counts its coupons by value
    assert near(accepted + counted, 2_400_000 * SCALE, 0.2)
    assert Redemption.objects.filter(season__in=seasons).exclude(outcome="accepted").exists()
    # Households of many sizes, their ages adding up; some waiting for a place; distributions to count reach.
    assert set(households.values_list("size", flat=True)) >= {1, 2, 3, 4}
    assert households.filter(age_0_5__gt=0).exists() and households.filter(age_65_plus__gt=0).exists()
    assert households.filter(status="waiting").exists()
    given = Distribution.objects.filter(household__program__network=network, status="given")
    assert given.count() > households.count() * 4 and not given.filter(event__isnull=True).exists()
    assert given.aggregate(v=Sum("given_cents"))["v"] == given.aggregate(v=Sum("event__value_cents"))["v"]

    for season in seasons:
        # The custody ledger: every chain intact, every coupon where its last event put it.
        assert season_verify(season) == [], season
        # Every coupon in exactly one state, adding up to the value issued.
        disposition = season_disposition(season)
        assert disposition.balanced and not disposition.problems, season
        # What was paid equals the paid batches, to the cent; paid coupons are those of paid claim lines.
        totals = season_payment_totals(season)
        in_batches = BatchItem.objects.filter(batch__season=season, batch__paid_at__isnull=False).aggregate(
            t=Sum("amount_cents"))["t"] or 0
        lines = paid_lines(season).aggregate(t=Sum("amount_cents"))["t"] or 0
        assert totals["paid"] == in_batches == lines, season
        if not season.counts_only:
            assert disposition.state(PAID).value_cents == lines, season
        assert totals["paid"] > 0, season
    for season in seasons.filter(closed_at__isnull=False):
        assert not Coupon.objects.filter(season=season, status__in=[CouponStatus.HOUSEHOLD, CouponStatus.SOLD]).exists()


def test_the_command_refuses_a_database_with_programs_unless_forced():
    make_world("Existant")
    with pytest.raises(CommandError, match="already holds 1 program"):
        call_command("simulate_season", "--scale", "0.0005", stdout=io.StringIO())
    assert Program.objects.count() == 1


def test_the_command_reports_its_speed_and_adds_beside_what_is_there_when_forced():
    make_world("Existant")
    out = io.StringIO()
    call_command("simulate_season", "--scale", "0.0005", "--force", "--verify", stdout=out)
    text = out.getvalue()
    assert "rows/s" in text and "whole simulation" in text and "coupons issued (series_issue)" in text
    assert "ledger verified for 12 seasons" in text and "OK" in text
    assert Program.objects.count() == 11 and Program.objects.filter(name="PCN Existant").exists()
