"""The confirmed rate and its Wilson interval, against published and hand-computed values."""

import math
from decimal import Decimal

from django.test import SimpleTestCase

from pcn.receipts.stats import Z95, confirmed_rate, finite_population_correction, percent, wilson_interval


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
