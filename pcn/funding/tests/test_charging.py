"""Series and public sales charged to a grant: only one of the program's, allowed to pay for that, in the
season's period; the grant's label fills the old `funding_source` text."""

import datetime

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from pcn.coupons.forms import SeriesForm
from pcn.coupons.models import Coupon, CouponStatus, Series
from pcn.coupons.tests.factories import issue
from pcn.funding.models import Purpose
from pcn.funding.tests.factories import funder, grant
from pcn.households.forms import PublicSaleForm
from pcn.households.models import PublicSale
from pcn.households.services import public_sale_record
from pcn.payments.tests.factories import paying_world
from pcn.testing import PASSWORD


class SeriesGrantTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = paying_world("Portneuf")
        cls.other = paying_world("Charlevoix")
        cls.mrc = funder(cls.w, "MRC de Portneuf")
        cls.coupons = grant(cls.w, "Fonds coupons", cls.mrc, amount_cents=100_000, purposes=[Purpose.COUPONS])
        cls.bonus_only = grant(cls.w, "Fonds bonification", cls.mrc, amount_cents=100_000,
                               purposes=[Purpose.PUBLIC_SALE_BONUS])
        cls.elsewhere = grant(cls.other, "Fonds de Charlevoix", funder(cls.other, "MRC de Charlevoix"),
                              amount_cents=100_000, purposes=[Purpose.COUPONS, Purpose.PUBLIC_SALE_BONUS])
        cls.last_year = grant(cls.w, "Fonds 2025", cls.mrc, amount_cents=100_000, purposes=[Purpose.COUPONS],
                              starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 12, 31))

    def refused(self, grant, field="grant") -> str:
        before = (Series.objects.count(), Coupon.objects.count())
        with self.assertRaises(ValidationError) as caught:
            issue(self.w, count=5, grant=grant, funding_source="")
        self.assertEqual((Series.objects.count(), Coupon.objects.count()), before)
        return " ".join(caught.exception.message_dict[field])

    def test_a_series_on_a_grant_carries_it_and_its_label(self):
        series = issue(self.w, count=5, grant=self.coupons, funding_source="")
        self.assertEqual(series.grant, self.coupons)
        self.assertEqual(series.funding_source, "Fonds coupons (MRC de Portneuf)")

    def test_it_refuses_a_grant_of_another_program(self):
        self.assertIn("n'est pas de ce programme", self.refused(self.elsewhere))

    def test_it_refuses_a_grant_that_may_not_pay_for_coupons(self):
        self.assertIn("« Fonds bonification » ne peut pas payer des coupons", self.refused(self.bonus_only))

    def test_it_refuses_a_grant_whose_period_misses_the_season(self):
        self.assertIn("ne touche pas la saison", self.refused(self.last_year))

    def test_without_a_grant_it_needs_words_saying_who_pays(self):
        self.assertIn("Dites qui paie ces coupons", self.refused(None, field="funding_source"))

    def test_the_form_offers_the_grants_that_may_pay_coupons_in_the_season_and_requires_one(self):
        form = SeriesForm(season=self.w["season"])
        self.assertEqual(list(form.fields["grant"].queryset), [self.coupons])
        self.assertNotIn("funding_source", form.fields)
        self.assertTrue(form.fields["grant"].required)

    def test_without_grants_the_form_asks_who_pays_in_words(self):
        self.elsewhere.delete()  # Charlevoix's only grant
        form = SeriesForm(season=self.other["season"])
        self.assertNotIn("grant", form.fields)
        self.assertIn("funding_source", form.fields)

    def test_the_series_page_issues_on_the_chosen_grant(self):
        self.client.login(username=self.w["coordinator"].username, password=PASSWORD)
        season = self.w["season"]
        data = {"denomination_cents": 500, "coupon_class": self.w["coupon_class"].pk, "count": 4, "colour": "#1f6b3a",
                "valid_from": season.coupons_valid_from, "valid_until": season.coupons_valid_until}
        refused = self.client.post(reverse("series_create", args=[season.pk]), {**data, "grant": self.bonus_only.pk})
        self.assertContains(refused, "Sélectionnez un choix valide")
        response = self.client.post(reverse("series_create", args=[season.pk]), {**data, "grant": self.coupons.pk})
        series = Series.objects.get(season=season, grant=self.coupons)
        self.assertRedirects(response, reverse("series_detail", args=[series.pk]), fetch_redirect_response=False)


class PublicSaleGrantTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = paying_world()
        cls.mrc = funder(cls.w, "MRC de Portneuf")
        cls.bonus = grant(cls.w, "Sociofinancement", cls.mrc, amount_cents=50_000, purposes=[Purpose.PUBLIC_SALE_BONUS])
        cls.coupons_only = grant(cls.w, "Fonds coupons", cls.mrc, amount_cents=50_000, purposes=[Purpose.COUPONS])
        cls.series = issue(cls.w, count=10)

    def test_the_bonus_is_charged_to_the_grant(self):
        sale = public_sale_record(season=self.w["season"], ranges=[(self.series.pk, 1, 4)], price_paid_cents=1500,
                                  grant=self.bonus, by=self.w["coordinator"])
        self.assertEqual((sale.grant, sale.bonus_cents, sale.funding_source),
                         (self.bonus, 500, "Sociofinancement (MRC de Portneuf)"))

    def test_a_grant_that_may_not_pay_bonuses_is_refused_and_nothing_moves(self):
        with self.assertRaises(ValidationError) as caught:
            public_sale_record(season=self.w["season"], ranges=[(self.series.pk, 1, 4)], price_paid_cents=1500,
                               grant=self.coupons_only, by=self.w["coordinator"])
        self.assertIn("ne peut pas payer la bonification du volet grand public",
                      " ".join(caught.exception.message_dict["grant"]))
        self.assertFalse(PublicSale.objects.exists())
        self.assertEqual(self.series.coupons.filter(status=CouponStatus.STOCK).count(), 10)

    def test_the_sale_form_offers_only_grants_paying_bonuses(self):
        form = PublicSaleForm(season=self.w["season"], partners=[], staff=True)
        self.assertEqual(list(form.fields["grant"].queryset), [self.bonus])
        self.assertNotIn("funding_source", form.fields)
