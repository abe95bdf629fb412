"""One rule, one function: a real season built with the simulator's inputs, its households enrolled and every
remise recorded through the real distribution service, hands out exactly what the simulator computed, per
household, per coupon value, per week and in total."""

import datetime
from collections import Counter

from django.db.models import Sum
from django.test import TestCase

from pcn.accounts.models import Role
from pcn.coupons.models import Colour, Coupon, CouponStatus, CustodyEvent
from pcn.coupons.services import coupons_move, series_issue
from pcn.households.models import Distribution, Household
from pcn.households.services import distribution_record
from pcn.households.tests.factories import enrol, quota
from pcn.programs.entitlements import entitlement_per_period_cents, season_periods, split_into_coupons
from pcn.programs.models import CouponClass, Denomination, EntitlementRow, Season
from pcn.simulator.budget import GrantLine, Inputs, simulate
from pcn.testing import make_user, make_world

BEFORE_SEASON = datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)


def simulator_inputs(frequency: str) -> Inputs:
    """Cap at 3 people (25 / 35 / 45 $); one household of 1, two of 2, one of 3 and one of 5 people (the last
    row counts 5 or more: the cap's amount); 5 $, 10 $ and 20 $ coupons."""
    return Inputs(
        grants=(GrantLine("MRC", 10_000_000),), starts_on=datetime.date(2026, 6, 13), weeks=12, frequency=frequency,
        entitlement_cents=(2500, 3500, 4500), households=(1, 2, 1, 0, 1), denominations_cents=(500, 1000, 2000),
        redemption_rate_percent=80,
    )


class SameAsDistributionTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world("Portneuf")
        last_year = dict(starts_on=datetime.date(2025, 6, 14), ends_on=datetime.date(2025, 9, 6))
        Season.objects.filter(pk=cls.w["season"].pk).update(  # out of the way of the seasons built here
            coupons_valid_from=last_year["starts_on"], coupons_valid_until=last_year["ends_on"], **last_year)
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.w["program"])
        cls.worker = make_user("julie", role=Role.PARTNER_WORKER, program=cls.w["program"],
                               organization=cls.w["partner"])

    def real_season(self, inputs: Inputs) -> Season:
        """A season of the program with the simulator's dates, rules, table and coupon values."""
        season = Season.objects.create(
            program=self.w["program"], name=f"Saison {inputs.frequency}", starts_on=inputs.starts_on,
            ends_on=inputs.ends_on, weeks=inputs.weeks, frequency=inputs.frequency, household_size_cap=inputs.cap,
            coupons_valid_from=inputs.starts_on, coupons_valid_until=inputs.ends_on,
            accepted_sale_point_kinds=["market"],
        )
        for size, cents in inputs.table_cents.items():
            EntitlementRow.objects.create(season=season, household_size=size, amount_cents=cents)
        for value in inputs.denominations_cents:
            Denomination.objects.create(season=season, value_cents=value)
        return season

    def distribute_whole_season(self, inputs: Inputs) -> tuple[Season, dict[Household, int]]:
        season = self.real_season(inputs)
        world = {**self.w, "season": season}
        coupon_class = CouponClass.objects.create(season=season, name="Fruits et légumes", categories=["fruit"])
        series = {}
        for value in inputs.denominations_cents:
            series[value] = series_issue(
                season=season, denomination_cents=value, coupon_class=coupon_class, colour=Colour.GREEN,
                valid_from=season.coupons_valid_from, valid_until=season.coupons_valid_until,
                funding_source="MRC", count=300, by=self.coordinator)
            coupons_move(season=season, kind=CustodyEvent.Kind.ALLOCATE, ranges=[(series[value].pk, 1, 300)],
                         to_partner=self.w["partner"], by=self.coordinator)
        quota(world, households=50)
        households = []
        for size, count in enumerate(inputs.households, start=1):
            households += [enrol(world, self.worker, size=size) for _ in range(count)]
        Household.objects.filter(season=season).update(enrolled_at=BEFORE_SEASON)
        next_number = dict.fromkeys(series, 1)
        for period in season_periods(season):
            for household in households:
                due = entitlement_per_period_cents(season=season, household_size=household.size)
                ranges = []
                for value, n in split_into_coupons(due, list(series)).items():
                    ranges.append((series[value].pk, next_number[value], next_number[value] + n - 1))
                    next_number[value] += n
                distribution = distribution_record(household=household, day=period.starts_on, ranges=ranges,
                                                   by=self.worker)
                self.assertEqual(distribution.status, Distribution.Status.GIVEN)
        given = {h: Distribution.objects.filter(household=h).aggregate(t=Sum("given_cents"))["t"] for h in households}
        return season, given

    def check_same(self, frequency: str):
        inputs = simulator_inputs(frequency)
        result = simulate(inputs)
        self.assertEqual(result.households_served, result.households_entered)  # the budget covers them all
        season, given = self.distribute_whole_season(inputs)
        by_size = {s.size: s for s in result.sizes}

        # Per household: what the simulator says a household of its size receives over the season.
        for household, cents in given.items():
            self.assertEqual(cents, by_size[household.size].season_cents, f"household of {household.size}")
        # In total.
        self.assertEqual(sum(given.values()), result.served_value_cents)
        # Per coupon value: the coupons now held by households are those the simulator says to print for them.
        held = Counter(Coupon.objects.filter(season=season, status=CouponStatus.HOUSEHOLD)
                       .values_list("value_cents", flat=True))
        self.assertEqual(dict(held), {c.value_cents: c.served for c in result.coupons if c.served})
        # Week by week: what was handed out each week of the real season.
        periods = {p.number: p for p in season_periods(season)}
        real_weeks = [0] * inputs.weeks
        for d in Distribution.objects.filter(household__season=season):
            real_weeks[(periods[d.period_number].starts_on - season.starts_on).days // 7] += d.given_cents
        self.assertEqual(real_weeks, [w.handed_out_cents for w in result.weeks])
        return result

    def test_weekly_season_hands_out_what_the_simulator_computed(self):
        result = self.check_same(Season.Frequency.WEEKLY)
        self.assertEqual(result.served_value_cents, 12 * (2500 + 2 * 3500 + 4500 + 4500))

    def test_biweekly_season_hands_out_what_the_simulator_computed(self):
        result = self.check_same(Season.Frequency.BIWEEKLY)
        self.assertEqual(result.served_value_cents, 6 * (2500 + 2 * 3500 + 4500 + 4500))

    def test_monthly_season_hands_out_what_the_simulator_computed(self):
        result = self.check_same(Season.Frequency.MONTHLY)
        self.assertEqual(result.served_value_cents, 3 * (2500 + 2 * 3500 + 4500 + 4500))


class MonthlySeasonWeeksTest(TestCase):
    """A monthly season's hand-outs follow its dates, whatever its `weeks`: a scenario started from it has as many."""

    def test_a_scenario_from_a_monthly_season_has_its_hand_outs(self):
        import datetime

        from pcn.programs.entitlements import season_periods
        from pcn.programs.models import Season
        from pcn.simulator.selectors import inputs_from_season
        from pcn.testing import make_world

        season = make_world("Mensuel")["season"]
        for starts, ends, weeks in ((datetime.date(2026, 6, 13), datetime.date(2026, 10, 13), 12),
                                    (datetime.date(2026, 6, 13), datetime.date(2026, 9, 13), 13),
                                    (datetime.date(2026, 6, 13), datetime.date(2026, 11, 10), 20)):
            Season.objects.filter(pk=season.pk).update(frequency=Season.Frequency.MONTHLY, starts_on=starts,
                                                       ends_on=ends, weeks=weeks)
            season.refresh_from_db()
            inputs = inputs_from_season(season)
            self.assertEqual(len(season_periods(inputs.season())), len(season_periods(season)), (starts, ends))
