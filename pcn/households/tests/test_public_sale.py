"""The « volet grand public »: a citizen pays less than the face value; the bonus goes to a funding line."""

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.coupons.ledger import season_verify
from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent
from pcn.coupons.services import coupons_move
from pcn.coupons.tests.factories import issue
from pcn.households.models import PublicSale
from pcn.households.services import public_sale_record
from pcn.testing import make_user, make_world


class PublicSaleTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world("Portneuf")
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.w["program"])
        cls.w["coordinator"] = cls.coordinator
        cls.series = issue(cls.w, count=20)
        coupons_move(season=cls.w["season"], kind=CustodyEvent.Kind.ALLOCATE, ranges=[(cls.series.pk, 11, 20)],
                     to_partner=cls.w["partner"], by=cls.coordinator)

    def test_a_kiosk_sells_30_dollars_of_coupons_for_20(self):
        sale = public_sale_record(season=self.w["season"], ranges=[(self.series.pk, 1, 6)], price_paid_cents=2000,
                                  funding_source="Sociofinancement 2026", by=self.coordinator)
        self.assertEqual((sale.face_value_cents, sale.price_paid_cents, sale.bonus_cents), (3000, 2000, 1000))
        self.assertEqual(Coupon.objects.filter(status=CouponStatus.SOLD).count(), 6)
        self.assertEqual(season_verify(self.w["season"]), [])

    def test_a_partner_sells_from_its_own_coupons(self):
        public_sale_record(season=self.w["season"], ranges=[(self.series.pk, 11, 12)], price_paid_cents=700,
                           funding_source="Fonds MRC", seller=self.w["partner"], by=self.coordinator)
        self.assertEqual(self.w["partner"].pk, PublicSale.objects.get().seller_id)

    def test_a_price_above_the_face_value_is_refused_and_nothing_moves(self):
        with self.assertRaises(ValidationError) as refused:
            public_sale_record(season=self.w["season"], ranges=[(self.series.pk, 1, 2)], price_paid_cents=1500,
                               funding_source="x", by=self.coordinator)
        self.assertIn("dépasse la valeur des coupons (10,00", " ".join(refused.exception.messages))
        self.assertFalse(Coupon.objects.filter(status=CouponStatus.SOLD).exists())
        self.assertFalse(PublicSale.objects.exists())

    def test_coupons_held_by_a_partner_cannot_be_sold_from_the_stock(self):
        with self.assertRaises(ValidationError):
            public_sale_record(season=self.w["season"], ranges=[(self.series.pk, 11, 12)], price_paid_cents=500,
                               funding_source="x", by=self.coordinator)
        self.assertFalse(PublicSale.objects.exists())

    def test_the_page_records_a_sale_and_shows_the_totals(self):
        self.client.force_login(self.coordinator)
        url = reverse("public_sales", args=[self.w["season"].pk])
        response = self.client.post(
            url, {"how": "numbers", "series": self.series.pk, "numbers": "1-6", "price_paid_cents": "20",
                  "funding_source": "Sociofinancement 2026"}, follow=True,
        )
        self.assertContains(response, "Vente enregistrée : 30,00\u00a0$ de coupons pour 20,00\u00a0$")
        self.assertContains(response, "bonifications : 10,00\u00a0$")

    def test_a_partner_worker_sells_only_from_their_partner(self):
        worker = make_user("julie", role=Role.PARTNER_WORKER, program=self.w["program"], organization=self.w["partner"])
        self.client.force_login(worker)
        url = reverse("public_sales", args=[self.w["season"].pk])
        response = self.client.post(url, {"how": "numbers", "series": self.series.pk, "numbers": "1-2",
                                          "price_paid_cents": "5", "funding_source": "x"})
        self.assertContains(response, "Ce champ est obligatoire.")  # no central stock for a partner's worker
        self.assertFalse(PublicSale.objects.exists())

    def test_a_market_manager_sells_from_the_kiosk(self):
        manager = make_user("marc", role=Role.MARKET_MANAGER, program=self.w["program"], market=self.w["market"])
        self.client.force_login(manager)
        url = reverse("public_sales", args=[self.w["season"].pk])
        response = self.client.post(url, {"how": "numbers", "series": self.series.pk, "numbers": "1-6",
                                          "price_paid_cents": "20", "funding_source": "Sociofinancement"}, follow=True)
        self.assertContains(response, "Vente enregistrée : 30,00\u00a0$ de coupons pour 20,00\u00a0$")
        self.assertIsNone(PublicSale.objects.get().seller)
        refused = self.client.post(url, {"how": "numbers", "series": self.series.pk, "numbers": "11-12",
                                         "from_partner": self.w["partner"].pk, "price_paid_cents": "5",
                                         "funding_source": "x"})
        self.assertContains(refused, "Sélectionnez un choix valide.")  # not from a partner's coupons
        self.assertEqual(PublicSale.objects.count(), 1)
