"""Entitlements: the season's periods, proration for households joining late, the season total, and
splitting an amount into the fewest coupons."""

import datetime
import itertools

from django.test import SimpleTestCase, TestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from pcn.programs.entitlements import (
    Period,
    entitlement_from_table,
    entitlement_per_period_cents,
    period_on,
    periods_remaining,
    season_entitlement_cents,
    season_periods,
    split_into_coupons,
)
from pcn.programs.models import EntitlementRow, Season
from pcn.testing import make_world

D = datetime.date


class SeasonPeriodsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.season = cls.world["season"]  # 2026-06-13 → 2026-09-05, 12 weeks, weekly, cap 3

    def season_with(self, **fields) -> Season:
        Season.objects.filter(pk=self.season.pk).update(**fields)
        return Season.objects.get(pk=self.season.pk)

    def test_weekly_12_weeks_gives_12_periods_of_7_days(self):
        periods = season_periods(self.season)
        self.assertEqual(len(periods), 12)
        self.assertEqual([p.number for p in periods], list(range(1, 13)))
        self.assertEqual(periods[0], Period(1, D(2026, 6, 13), D(2026, 6, 19)))
        self.assertEqual(periods[1].starts_on, D(2026, 6, 20))
        self.assertEqual(periods[-1], Period(12, D(2026, 8, 29), D(2026, 9, 4)))
        for before, after in itertools.pairwise(periods):
            self.assertEqual(after.starts_on - before.ends_on, datetime.timedelta(days=1))

    def test_biweekly_12_weeks_gives_6_periods_of_14_days(self):
        periods = season_periods(self.season_with(frequency=Season.Frequency.BIWEEKLY))
        self.assertEqual(len(periods), 6)
        self.assertEqual(periods[0], Period(1, D(2026, 6, 13), D(2026, 6, 26)))
        self.assertEqual(periods[1].starts_on, D(2026, 6, 27))
        self.assertEqual(periods[-1], Period(6, D(2026, 8, 22), D(2026, 9, 4)))

    def test_biweekly_odd_weeks_rounds_up_and_the_last_period_stops_at_the_season_end(self):
        season = self.season_with(frequency=Season.Frequency.BIWEEKLY, weeks=11, ends_on=D(2026, 8, 28))
        periods = season_periods(season)
        self.assertEqual(len(periods), 6)
        self.assertEqual(periods[-1], Period(6, D(2026, 8, 22), D(2026, 8, 28)))

    def test_monthly_counts_calendar_months_from_the_start_day_and_stops_at_the_season_end(self):
        periods = season_periods(self.season_with(frequency=Season.Frequency.MONTHLY))
        self.assertEqual(
            periods,
            [
                Period(1, D(2026, 6, 13), D(2026, 7, 12)),
                Period(2, D(2026, 7, 13), D(2026, 8, 12)),
                Period(3, D(2026, 8, 13), D(2026, 9, 5)),
            ],
        )

    def test_monthly_from_the_31st_uses_the_last_day_of_short_months(self):
        season = self.season_with(
            frequency=Season.Frequency.MONTHLY,
            starts_on=D(2027, 1, 31),
            ends_on=D(2027, 4, 30),
            coupons_valid_from=D(2027, 1, 31),
            coupons_valid_until=D(2027, 5, 31),
        )
        self.assertEqual(
            [(p.starts_on, p.ends_on) for p in season_periods(season)],
            [
                (D(2027, 1, 31), D(2027, 2, 27)),
                (D(2027, 2, 28), D(2027, 3, 30)),
                (D(2027, 3, 31), D(2027, 4, 29)),
                (D(2027, 4, 30), D(2027, 4, 30)),
            ],
        )

    def test_period_on_a_date(self):
        self.assertEqual(period_on(self.season, D(2026, 6, 13)).number, 1)
        self.assertEqual(period_on(self.season, D(2026, 6, 27)).number, 3)
        self.assertEqual(period_on(self.season, D(2026, 7, 3)).number, 3)
        self.assertIsNone(period_on(self.season, D(2026, 6, 12)))
        self.assertIsNone(period_on(self.season, D(2026, 9, 5)))  # after the 12th week

    def test_joining_on_the_first_day_or_before_gives_every_period(self):
        self.assertEqual(periods_remaining(self.season, D(2026, 6, 13)), 12)
        self.assertEqual(periods_remaining(self.season, D(2026, 5, 1)), 12)

    def test_joining_the_day_after_period_3_starts_waits_for_period_4(self):
        third = season_periods(self.season)[2]
        self.assertEqual(periods_remaining(self.season, third.starts_on), 12 - 2)
        joined = third.starts_on + datetime.timedelta(days=1)
        self.assertEqual(periods_remaining(self.season, joined), self.season.weeks - 3)

    def test_joining_after_the_last_period_started_gives_nothing(self):
        self.assertEqual(periods_remaining(self.season, D(2026, 8, 29)), 1)
        self.assertEqual(periods_remaining(self.season, D(2026, 8, 30)), 0)
        self.assertEqual(periods_remaining(self.season, D(2026, 12, 1)), 0)

    def test_season_total_for_portneuf_table_capped_at_6_people(self):
        season = self.season_with(household_size_cap=6)
        for size, cents in ((4, 5000), (5, 5500), (6, 6000)):
            EntitlementRow.objects.create(season=season, household_size=size, amount_cents=cents)
        for size in (6, 7, 9):
            self.assertEqual(entitlement_per_period_cents(season=season, household_size=size), 6000)
            self.assertEqual(
                season_entitlement_cents(season=season, household_size=size, joined_on=D(2026, 6, 13)), 72000
            )
        joined_late = D(2026, 6, 28)  # the day after period 3 starts: 9 periods left
        self.assertEqual(season_entitlement_cents(season=season, household_size=2, joined_on=joined_late), 9 * 3500)

    def test_season_total_with_the_default_world_cap(self):
        self.assertEqual(
            season_entitlement_cents(season=self.season, household_size=5, joined_on=D(2026, 6, 1)), 12 * 4500
        )


class EntitlementFromTableTest(SimpleTestCase):
    """The rule alone, without a season: what the budget simulator calls."""

    TABLE = {1: 2500, 2: 3500, 3: 4500}

    def test_it_gives_the_amount_of_the_households_size(self):
        self.assertEqual(entitlement_from_table(table_cents=self.TABLE, cap=3, household_size=2), 3500)

    def test_sizes_above_the_cap_get_the_caps_amount(self):
        self.assertEqual(entitlement_from_table(table_cents=self.TABLE, cap=3, household_size=9), 4500)
        self.assertEqual(entitlement_from_table(table_cents=self.TABLE, cap=2, household_size=3), 3500)

    def test_a_size_missing_from_the_table_gets_nothing(self):
        self.assertEqual(entitlement_from_table(table_cents={1: 2500, 3: 4500}, cap=3, household_size=2), 0)

    def test_a_household_has_at_least_one_person(self):
        with self.assertRaises(ValueError):
            entitlement_from_table(table_cents=self.TABLE, cap=3, household_size=0)


def brute_force(amount: int, denominations: list[int]) -> list[dict[int, int]]:
    """Every way (as {value: count}, only used values) to make `amount` exactly with `denominations`."""
    values = sorted(set(denominations), reverse=True)
    ways = []
    for counts in itertools.product(*(range(amount // v + 1) for v in values)):
        if sum(c * v for c, v in zip(counts, values)) == amount:
            ways.append({v: c for v, c in zip(values, counts) if c})
    return ways


small_denominations = st.lists(st.integers(min_value=1, max_value=15), min_size=1, max_size=4, unique=True)


class SplitIntoCouponsTest(SimpleTestCase):
    def test_not_greedy(self):
        self.assertEqual(split_into_coupons(6, [1, 3, 4]), {3: 2})

    def test_zero_is_no_coupon(self):
        self.assertEqual(split_into_coupons(0, [500]), {})
        self.assertEqual(split_into_coupons(0, []), {})

    def test_none_when_the_amount_cannot_be_made(self):
        self.assertIsNone(split_into_coupons(1250, [500, 1000]))
        self.assertIsNone(split_into_coupons(700, [500, 1000]))
        self.assertIsNone(split_into_coupons(500, []))

    def test_typical_amounts(self):
        self.assertEqual(split_into_coupons(4500, [500]), {500: 9})
        self.assertEqual(split_into_coupons(4500, [200, 500, 1000]), {1000: 4, 500: 1})
        self.assertEqual(split_into_coupons(600, [200, 500]), {200: 3})  # not 500 + 100
        self.assertEqual(list(split_into_coupons(1700, [200, 500, 1000])), [1000, 500, 200])  # largest first

    def test_ties_prefer_larger_denominations(self):
        # 1 + 5 and 3 + 3 both take two coupons: the one with the 5 wins.
        self.assertEqual(split_into_coupons(6, [1, 3, 5]), {5: 1, 1: 1})
        self.assertEqual(split_into_coupons(6, [5, 3, 1, 3]), {5: 1, 1: 1})  # order and duplicates don't matter

    def test_bad_denominations_or_amount(self):
        for denominations in ([0], [500, -100], [0, 5]):
            with self.assertRaises(ValueError):
                split_into_coupons(1000, denominations)
        with self.assertRaises(ValueError):
            split_into_coupons(0, [0])
        with self.assertRaises(ValueError):
            split_into_coupons(-500, [500])

    def test_realistic_amounts_add_up_exactly(self):
        result = split_into_coupons(99_999, [1, 7, 13, 29, 31, 97])  # gcd 1: the slowest case
        self.assertEqual(sum(v * c for v, c in result.items()), 99_999)
        self.assertEqual(split_into_coupons(100_000, [200, 500, 1000, 2000, 2500, 5000]), {5000: 20})
        self.assertIsNone(split_into_coupons(99_950, [200, 500, 1000, 2000, 2500, 5000]))

    @settings(max_examples=300, deadline=None)
    @given(amount=st.integers(min_value=0, max_value=60), denominations=small_denominations)
    def test_matches_brute_force(self, amount, denominations):
        result = split_into_coupons(amount, denominations)
        ways = brute_force(amount, denominations)
        if not ways:
            self.assertIsNone(result)
            return
        self.assertIsNotNone(result)
        self.assertEqual(sum(v * c for v, c in result.items()), amount)
        self.assertTrue(set(result) <= set(denominations))
        self.assertTrue(all(c > 0 for c in result.values()))
        fewest = min(sum(w.values()) for w in ways)
        self.assertEqual(sum(result.values()), fewest)
        # Tie-break: among the fewest-coupon ways, the most of the largest value, then the next, ...
        values = sorted(set(denominations), reverse=True)
        best = max((w for w in ways if sum(w.values()) == fewest), key=lambda w: [w.get(v, 0) for v in values])
        self.assertEqual(result, best)

    @settings(max_examples=200, deadline=None)
    @given(
        multiplier=st.integers(min_value=1, max_value=500),
        amount=st.integers(min_value=0, max_value=40),
        denominations=small_denominations,
    )
    def test_common_divisor_shrinking_changes_nothing(self, multiplier, amount, denominations):
        plain = split_into_coupons(amount, denominations)
        scaled = split_into_coupons(amount * multiplier, [d * multiplier for d in denominations])
        expected = None if plain is None else {v * multiplier: c for v, c in plain.items()}
        self.assertEqual(scaled, expected)
        if multiplier > 1:  # an amount that is not a multiple of the common divisor cannot be made
            self.assertIsNone(split_into_coupons(amount * multiplier + 1, [d * multiplier for d in denominations]))
