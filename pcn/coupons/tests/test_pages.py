"""The coupons pages as a coordinator uses them, and the public check page as anyone with a phone does."""

import datetime

from django.core.cache import cache
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from pcn.coupons import codes
from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent, Series
from pcn.coupons.services import coupons_move, series_void
from pcn.coupons.tests.factories import coupon_world, issue


class SeriesPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = coupon_world()
        cls.season = cls.w["season"]

    def setUp(self):
        self.client.force_login(self.w["coordinator"])

    def test_a_coordinator_issues_a_series_from_the_page(self):
        response = self.client.post(
            reverse("series_create", args=[self.season.pk]),
            {
                "denomination_cents": "500",
                "coupon_class": self.w["coupon_class"].pk,
                "count": "40",
                "booklet_size": "10",
                "colour": "#1f4e9c",
                "valid_from": "2026-06-13",
                "valid_until": "2026-09-12",
                "funding_source": "Fonds de la MRC",
            },
            follow=True,
        )
        series = Series.objects.get()
        self.assertRedirects(response, reverse("series_detail", args=[series.pk]))
        self.assertContains(response, "La série 1 est émise : 40 coupons de 5,00\u00a0$")
        self.assertEqual(series.coupons.count(), 40)

    def test_a_denomination_not_in_the_season_is_refused_on_the_page(self):
        response = self.client.post(
            reverse("series_create", args=[self.season.pk]),
            {"denomination_cents": "700", "coupon_class": self.w["coupon_class"].pk, "count": "5", "colour": "#1f4e9c",
             "valid_from": "2026-06-13", "valid_until": "2026-09-12", "funding_source": "x"},
        )
        self.assertContains(response, "Sélectionnez un choix valide.")
        self.assertFalse(Series.objects.exists())

    def test_the_stock_page_shows_where_the_coupons_are(self):
        series = issue(self.w, count=20)
        self.client.post(
            reverse("coupons_move", args=[self.season.pk, "allocate"]),
            {"to_partner": self.w["partner"].pk, "how": "numbers", "series": series.pk, "numbers": "1-5"},
        )
        page = self.client.get(reverse("season_stock", args=[self.season.pk]))
        self.assertContains(page, "Entraide Portneuf")
        self.assertContains(page, "25,00\u00a0$")  # 5 coupons of 5 $ with the partner
        self.assertContains(page, "75,00\u00a0$")  # 15 in stock
        self.assertContains(page, "100,00\u00a0$")  # total issued

    def test_scanned_codes_move_those_coupons(self):
        series = issue(self.w, count=10)
        picked = list(series.coupons.order_by("number")[:3])
        typed = "\n".join([codes.display(picked[0].code).lower(), picked[1].code, codes.display(picked[2].code)])
        response = self.client.post(
            reverse("coupons_move", args=[self.season.pk, "allocate"]),
            {"to_partner": self.w["partner"].pk, "how": "codes", "scanned": typed},
            follow=True,
        )
        self.assertContains(response, "C&#x27;est fait : 3 coupons (15,00\u00a0$) ont bougé.")
        self.assertEqual(series.coupons.filter(status=CouponStatus.PARTNER).count(), 3)

    def test_a_mistyped_code_is_named_and_nothing_moves(self):
        series = issue(self.w, count=10)
        good = series.coupons.first().code
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        response = self.client.post(
            reverse("coupons_move", args=[self.season.pk, "allocate"]),
            {"to_partner": self.w["partner"].pk, "how": "codes", "scanned": f"{good}\n{bad}"},
        )
        self.assertContains(response, "Ces codes sont mal tapés")
        self.assertContains(response, bad)
        self.assertFalse(series.coupons.filter(status=CouponStatus.PARTNER).exists())
        self.assertEqual(CustodyEvent.objects.count(), 1)

    def test_a_voided_series_is_not_printed(self):
        series = issue(self.w, count=5)
        series_void(series=series, reason="misprint", by=self.w["coordinator"])
        response = self.client.post(reverse("series_print", args=[series.pk]), follow=True)
        self.assertContains(response, "Cette série est annulée : on ne l&#x27;imprime plus.")
        from pcn.tasks.models import Task

        self.assertFalse(Task.objects.exists())


@override_settings(COUPON_CHECK_LIMIT=5, PUBLIC_BASE_URL="https://coupons.example.org")
class PublicCheckPageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = coupon_world()
        cls.series = issue(cls.w, count=5)

    def setUp(self):
        cache.clear()
        self.coupon = self.series.coupons.first()
        coupons_move(season=self.w["season"], kind="allocate", ranges=[(self.series.pk, 1, 4)],
                     to_partner=self.w["partner"], by=self.w["coordinator"])  # coupon 5 stays in stock
        today = timezone.localdate()  # the check page compares with today: keep the series current
        Series.objects.filter(pk=self.series.pk).update(
            valid_from=today - datetime.timedelta(days=1), valid_until=today + datetime.timedelta(days=30)
        )

    def check(self, code):
        return self.client.get(reverse("coupon_check", args=[code]))

    def test_a_valid_coupon_shows_its_value_dates_and_where_to_spend_it_without_login(self):
        response = self.check(self.coupon.code)
        self.assertContains(response, "Coupon valide")
        self.assertContains(response, "5,00\u00a0$")
        self.assertContains(response, codes.display(self.coupon.code))
        self.assertContains(response, "Fruits et légumes")
        self.assertContains(response, "Marché de Portneuf")
        self.assertNotContains(response, "Entraide Portneuf")  # who handed it out is never shown

    def test_it_reads_a_code_typed_with_dashes_and_lowercase(self):
        response = self.check(codes.display(self.coupon.code).lower())
        self.assertContains(response, codes.display(self.coupon.code))

    def test_redeemed_void_and_unknown_coupons_say_so(self):
        Coupon.objects.filter(pk=self.coupon.pk).update(status=CouponStatus.REDEEMED, partner=None)
        self.assertContains(self.check(self.coupon.code), "Déjà utilisé")
        other = self.series.coupons.exclude(pk=self.coupon.pk).first()
        Coupon.objects.filter(pk=other.pk).update(status=CouponStatus.VOID, partner=None)
        self.assertContains(self.check(other.code), "ne peut pas être accepté")
        unknown = codes.new_code()
        self.assertContains(self.check(unknown), "Aucun coupon ne porte ce code.")
        self.assertContains(self.check(other.code[:-1] + ("0" if other.code[-1] != "0" else "1")), "erreur de frappe")

    def test_an_expired_coupon_says_so(self):
        Series.objects.filter(pk=self.series.pk).update(
            valid_from=datetime.date(2020, 6, 1), valid_until=datetime.date(2020, 9, 1)
        )
        self.assertContains(self.check(self.coupon.code), "Expiré")

    def test_a_coupon_still_in_central_stock_is_not_accepted(self):
        in_stock = self.series.coupons.get(number=5)
        response = self.check(in_stock.code)
        self.assertContains(response, "Pas encore remis")
        self.assertNotContains(response, "Coupon valide")

    def test_guessing_is_limited_but_real_coupons_are_not_counted(self):
        for _ in range(10):
            self.assertContains(self.check(self.coupon.code), "Coupon valide")
        for _ in range(5):
            self.assertEqual(self.check(codes.new_code()).status_code, 200)
        response = self.check(self.coupon.code)
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Trop de vérifications", status_code=429)
        self.assertNotContains(response, "5,00", status_code=429)

    @override_settings(BEHIND_HTTPS_PROXY=True)
    def test_behind_the_proxy_each_visitor_has_its_own_count(self):
        for _ in range(5):
            self.client.get(reverse("coupon_check", args=[codes.new_code()]), HTTP_X_FORWARDED_FOR="203.0.113.7")
        blocked = self.client.get(reverse("coupon_check", args=[self.coupon.code]), HTTP_X_FORWARDED_FOR="203.0.113.7")
        other = self.client.get(
            reverse("coupon_check", args=[self.coupon.code]), HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.2"
        )
        self.assertEqual(blocked.status_code, 429)
        self.assertContains(other, "Coupon valide")
