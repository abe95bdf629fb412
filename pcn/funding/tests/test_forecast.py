"""What remains to be paid: owed now + coupons still out there × the expected redemption rate."""

import datetime

from django.test import SimpleTestCase, TestCase
from django.utils import timezone

from pcn.coupons.models import CustodyEvent
from pcn.coupons.services import coupons_move
from pcn.coupons.tests.factories import issue
from pcn.funding.selectors import Forecast, season_forecast
from pcn.funding.tests.factories import funded_world
from pcn.programs.models import CouponClass, Denomination, Season


class ForecastArithmeticTest(SimpleTestCase):
    def test_it_rounds_half_up_to_the_cent(self):
        self.assertEqual(Forecast(owed_cents=0, held_cents=1, rate_numerator=50, rate_denominator=100,
                                  source="season").expected_from_held_cents, 1)  # 0,5 ¢ → 1 ¢
        third = Forecast(owed_cents=100, held_cents=1001, rate_numerator=2, rate_denominator=3, source="past")
        self.assertEqual(third.expected_from_held_cents, 667)  # 667,33 ¢
        self.assertEqual(third.total_cents, 767)
        self.assertEqual(str(third.rate_percent), "66.7")


class SeasonForecastTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = funded_world()  # owed 15 $, held 125 $ (see test_budget)

    def test_the_seasons_own_rate_comes_first(self):
        Season.objects.filter(pk=self.w["season"].pk).update(expected_redemption_rate=60)
        forecast = season_forecast(Season.objects.get(pk=self.w["season"].pk))
        self.assertEqual((forecast.source, forecast.owed_cents, forecast.held_cents), ("season", 1_500, 12_500))
        self.assertEqual(forecast.expected_from_held_cents, 7_500)
        self.assertEqual(forecast.total_cents, 9_000)

    def test_without_a_rate_or_a_closed_season_it_takes_80_percent(self):
        forecast = season_forecast(self.w["season"])
        self.assertEqual((forecast.source, forecast.rate_numerator, forecast.rate_denominator), ("default", 80, 100))
        self.assertEqual(forecast.total_cents, 1_500 + 10_000)

    def test_without_a_rate_it_takes_what_the_past_closed_seasons_show(self):
        w = self.w
        Season.objects.filter(pk=w["season"].pk).update(closed_at=timezone.now())
        # Handed out in the closed season: 30 $ to the household, 30 $ and 100 $ sold = 160 $; redeemed from
        # households and buyers: 35 $. Rate 35/160 = 21,875 %.
        start = w["season"].ends_on + datetime.timedelta(days=300)
        next_season = Season.objects.create(
            program=w["program"], name="Été 2027", starts_on=start, ends_on=start + datetime.timedelta(days=80),
            weeks=12, coupons_valid_from=start, coupons_valid_until=start + datetime.timedelta(days=80),
            accepted_sale_point_kinds=["market"],
        )
        Denomination.objects.create(season=next_season, value_cents=500)
        coupon_class = CouponClass.objects.create(season=next_season, name="Fruits", categories=["fruit"])
        series = issue({**w, "season": next_season, "coupon_class": coupon_class}, count=10)
        coupons_move(season=next_season, kind=CustodyEvent.Kind.SELL, ranges=[(series.pk, 1, 10)],
                     by=w["coordinator"])
        forecast = season_forecast(next_season)
        self.assertEqual((forecast.source, forecast.rate_numerator, forecast.rate_denominator), ("past", 3_500, 16_000))
        self.assertEqual(str(forecast.rate_percent), "21.9")
        self.assertEqual(forecast.owed_cents, 0)
        self.assertEqual(forecast.total_cents, 1_094)  # 50 $ × 21,875 % = 10,9375 $
