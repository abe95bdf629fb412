"""The confirmed rate and its Wilson interval, against published and hand-computed values."""

import math
from decimal import Decimal

from django.test import SimpleTestCase

from pcn.receipts.stats import (
    Z95,
    Stratum,
    confirmed_rate,
    finite_population_correction,
    percent,
    stratified_rate,
    wilson_interval,
)


def roots(p: float, m: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson bounds computed another way: the two π with (p − π)² = z²·π(1 − π)/m (a quadratic)."""
    k = z * z / m
    a, b, c = 1 + k, -(2 * p + k), p * p
    d = math.sqrt(b * b - 4 * a * c)
    return (-b - d) / (2 * a), (-b + d) / (2 * a)


class ConfirmedRateTest(SimpleTestCase):
    def assertBounds(self, rate, low, high, places=4):
        self.assertAlmostEqual(rate.low, low, places=places)
        self.assertAlmostEqual(rate.high, high, places=places)

    def test_it_matches_newcombe_1998_table_for_the_wilson_interval(self):
        # Newcombe, « Two-sided confidence intervals for the single proportion », Stat. Med. 1998, table I.
        for x, n, low, high in ((81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
                                (1, 29, 0.0061, 0.1718)):
            self.assertBounds(confirmed_rate(x, n - x), low, high)

    def test_8_of_10_by_hand(self):
        # centre = (0.8 + 1.9208/10) / 1.38415 = 0.71674; half = 1.95996/1.38415 × √(0.016 + 0.0096037) = 0.22658
        rate = confirmed_rate(8, 2)
        self.assertEqual(rate.rate, 0.8)
        self.assertBounds(rate, 0.4902, 0.9433)
        self.assertEqual((rate.rate_percent, rate.low_percent, rate.high_percent), (Decimal("80.0"), Decimal("49.0"),
                                                                                   Decimal("94.3")))
        self.assertEqual(rate.margin_points, Decimal("22.7"))
        self.assertAlmostEqual(rate.low, roots(0.8, 10)[0], places=12)

    def test_all_or_none_received(self):
        none, every = confirmed_rate(0, 10), confirmed_rate(10, 0)
        z2 = Z95 * Z95
        self.assertEqual((none.rate, none.low), (0.0, 0.0))
        self.assertAlmostEqual(none.high, z2 / (10 + z2), places=12)  # 0.2775
        self.assertEqual((every.rate, every.high), (1.0, 1.0))
        self.assertAlmostEqual(every.low, 10 / (10 + z2), places=12)  # 0.7225
        self.assertEqual(every.low_percent, Decimal("72.2"))

    def test_no_answer_either_way_gives_no_rate(self):
        self.assertIsNone(confirmed_rate(0, 0))
        self.assertIsNone(confirmed_rate(0, 0, population=12))

    def test_the_finite_population_correction_narrows_the_interval(self):
        # 8 received of 10 answers among a partner's 12 households: f = (12 − 10) / 11, effective size 55.
        self.assertAlmostEqual(finite_population_correction(10, 12), 2 / 11)
        rate = confirmed_rate(8, 2, population=12)
        low, high = roots(0.8, 10 * 11 / 2)
        self.assertBounds(rate, low, high, places=12)
        self.assertLess(rate.high - rate.low, confirmed_rate(8, 2).high - confirmed_rate(8, 2).low)
        # A large population changes next to nothing.
        self.assertBounds(confirmed_rate(8, 2, population=1_000_000), 0.4902, 0.9433)

    def test_every_household_answered_gives_the_exact_rate(self):
        rate = confirmed_rate(9, 3, population=12)
        self.assertEqual((rate.low, rate.rate, rate.high), (0.75, 0.75, 0.75))
        self.assertEqual(rate.margin_points, Decimal("0.0"))
        single = confirmed_rate(1, 0, population=1)
        self.assertEqual((single.low, single.high), (1.0, 1.0))

    def test_a_sample_larger_than_its_population_is_an_error(self):
        with self.assertRaises(ValueError):
            confirmed_rate(5, 5, population=9)
        with self.assertRaises(ValueError):
            confirmed_rate(-1, 5)
        with self.assertRaises(ValueError):
            wilson_interval(0.5, 0)

    def test_bounds_stay_between_0_and_1_and_around_the_rate(self):
        for n in range(1, 40):
            for x in range(n + 1):
                for population in (None, n, n + 1, 3 * n):
                    rate = confirmed_rate(x, n - x, population=population)
                    self.assertTrue(0 <= rate.low <= rate.rate <= rate.high <= 1, (x, n, population))

    def test_percent_rounds_half_up(self):
        self.assertEqual(percent(0.9235), Decimal("92.4"))
        self.assertEqual(percent(0.125, places=0), Decimal("13"))


class StratifiedRateTest(SimpleTestCase):
    """The all-partners rate: each partner weighs by its households given coupons."""

    def test_by_hand(self):
        # A: 3 received of 4 answers among 31 households; B: 2 of 5 among 9; C: 4 households, no answer (left
        # out); D: no household (ignored). N = 31 + 9 = 40.
        #   p   = 31/40 × 0.75 + 9/40 × 0.4 = 0.58125 + 0.09 = 0.67125
        #   var = (31/40)² × 0.75 × 0.25 / 4 × 27/30 + (9/40)² × 0.4 × 0.6 / 5 × 4/8
        #       = 0.600625 × 0.046875 × 0.9 + 0.050625 × 0.048 × 0.5 = 0.0253388672 + 0.001215 = 0.0265538672
        #   half = 1.959964 × √0.0265538672 = 1.959964 × 0.1629536 = 0.3193832
        rate = stratified_rate([Stratum(3, 1, 31), Stratum(2, 3, 9), Stratum(0, 0, 4), Stratum(0, 0, 0)])
        self.assertAlmostEqual(rate.rate, 0.67125, places=12)
        self.assertAlmostEqual(rate.variance, 0.0265538672, places=9)
        self.assertAlmostEqual(rate.low, 0.67125 - 0.3193832, places=6)
        self.assertAlmostEqual(rate.high, 0.67125 + 0.3193832, places=6)
        self.assertEqual((rate.rate_percent, rate.low_percent, rate.high_percent), (Decimal("67.1"), Decimal("35.2"),
                                                                                   Decimal("99.1")))
        self.assertEqual((rate.population, rate.answered, rate.received), (40, 9, 5))
        self.assertEqual((rate.left_out, rate.unsure, rate.exact), ((2,), (), False))

    def test_partners_sampled_at_different_fractions_are_not_pooled(self):
        # A: 4 of 4 received among 31 households; B: 0 of 4 among its 4. Pooled: 4/8 = 50 %; stratified: 31/35.
        rate = stratified_rate([Stratum(4, 0, 31), Stratum(0, 4, 4)])
        self.assertEqual(rate.rate, 31 / 35)
        self.assertEqual(rate.rate_percent, Decimal("88.6"))
        # Both partners said the same thing throughout: no variance. B is a census (right); A answered only in
        # part, so the interval is too narrow there: A is flagged, and the rate is not called exact.
        self.assertEqual((rate.low, rate.high, rate.variance), (31 / 35, 31 / 35, 0.0))
        self.assertEqual((rate.unsure, rate.exact), ((0,), False))

    def test_one_partner_alone_gives_its_own_rate_with_the_normal_interval(self):
        # 8 of 10 among 12: var = 0.16 / 10 × 2/11
        rate = stratified_rate([Stratum(8, 2, 12)])
        half = Z95 * math.sqrt(0.016 * 2 / 11)
        self.assertAlmostEqual(rate.rate, 0.8, places=12)
        self.assertAlmostEqual(rate.low, 0.8 - half, places=12)
        self.assertAlmostEqual(rate.high, 0.8 + half, places=12)

    def test_the_interval_is_clipped_to_0_and_1(self):
        # 9 of 10 among 100: half = 1.96 × √(0.009 × 90/99) = 0.177 > 0.1
        rate = stratified_rate([Stratum(9, 1, 100)])
        self.assertEqual(rate.high, 1.0)
        self.assertAlmostEqual(rate.low, 0.9 - Z95 * math.sqrt(0.009 * 90 / 99), places=12)
        low = stratified_rate([Stratum(1, 9, 100)])
        self.assertEqual(low.low, 0.0)

    def test_exact_only_when_every_household_of_every_partner_answered(self):
        every = stratified_rate([Stratum(3, 1, 4), Stratum(2, 0, 2)])
        self.assertEqual((every.rate, every.low, every.high, every.exact), (5 / 6, 5 / 6, 5 / 6, True))
        self.assertFalse(stratified_rate([Stratum(3, 1, 4), Stratum(2, 0, 2), Stratum(0, 0, 5)]).exact)

    def test_no_answer_anywhere_gives_no_rate(self):
        self.assertIsNone(stratified_rate([]))
        self.assertIsNone(stratified_rate([Stratum(0, 0, 4), Stratum(0, 0, 0)]))

    def test_impossible_counts_are_errors(self):
        with self.assertRaises(ValueError):
            stratified_rate([Stratum(5, 5, 9)])
        with self.assertRaises(ValueError):
            stratified_rate([Stratum(-1, 2, 9)])

    def test_a_partners_rate_is_exact_only_when_all_answered(self):
        # 100 of 100 answers among 101 households: the margin rounds to 0.0 points, yet one household did not
        # answer.
        almost = confirmed_rate(100, 0, population=101)
        self.assertEqual(almost.margin_points, Decimal("0.0"))
        self.assertFalse(almost.exact)
        self.assertTrue(confirmed_rate(9, 3, population=12).exact)
        self.assertFalse(confirmed_rate(9, 3).exact)
