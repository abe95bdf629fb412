"""Who reaches which markets page. Anything out of reach answers 404, so an outsider cannot even learn
that the object exists."""

from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.markets import urls as market_urls
from pcn.markets.models import Market, SalePoint, Vendor, VendorAuthorization
from pcn.markets.tests.factories import (
    make_market,
    make_network,
    make_program,
    make_sale_point,
    make_season,
    make_user,
    make_vendor,
)


class MarketsAccessTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.program = make_program()
        cls.season = make_season(cls.program)
        cls.market = make_market(cls.program, "Marché public de Saint-Casimir")
        cls.sale_point = make_sale_point(cls.market)
        cls.vendor = make_vendor(cls.program, [cls.sale_point], "Ferme des Érables")
        cls.other_market = make_market(cls.program, "Marché de Donnacona")
        cls.other_vendor = make_vendor(cls.program, [make_sale_point(cls.other_market)], "Boulangerie du Village")
        cls.manager = make_user("gestion", role=Role.MARKET_MANAGER, program=cls.program, market=cls.market)
        cls.vendor_user = make_user("marchand", role=Role.VENDOR, program=cls.program, vendor=cls.vendor)

        elsewhere = make_program("PCN Kamouraska", network=make_network("Autre réseau"))
        cls.outsider = make_user("charlie", role=Role.COORDINATOR, program=elsewhere)
        cls.outsider_admin = make_user("charlie-admin", role=Role.NETWORK_ADMIN, network=elsewhere.network)

    def markets_urls(self):
        objects = {
            "program_id": self.program.pk,
            "season_id": self.season.pk,
            "market_id": self.market.pk,
            "sale_point_id": self.sale_point.pk,
            "vendor_id": self.vendor.pk,
        }
        for pattern in market_urls.urlpatterns:
            names = list(pattern.pattern.converters)
            yield reverse(pattern.name, kwargs={name: objects[name] for name in names})

    def assert_nothing_changed(self, counts):
        self.assertEqual(
            counts,
            [Market.objects.count(), SalePoint.objects.count(), Vendor.objects.count(), VendorAuthorization.objects.count()],
        )

    def test_a_coordinator_of_another_program_gets_404_everywhere(self):
        counts = [Market.objects.count(), SalePoint.objects.count(), Vendor.objects.count(), 0]
        for user in (self.outsider, self.outsider_admin):
            self.client.force_login(user)
            for url in self.markets_urls():
                self.assertEqual(self.client.get(url).status_code, 404, f"{user} GET {url}")
                post = self.client.post(
                    url,
                    {"name": "Piraté", "business_name": "Piraté", "municipality": "X", "kind": "market",
                     "address": "X", "categories": ["honey"], "sale_points": [self.sale_point.pk],
                     "vendor": self.vendor.pk, "action": "authorize"},
                )
                self.assertEqual(post.status_code, 404, f"{user} POST {url}")
        self.assert_nothing_changed(counts)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        for url in self.markets_urls():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_a_market_manager_sees_their_market_and_its_vendors(self):
        self.client.force_login(self.manager)
        response = self.client.get(reverse("market_detail", args=[self.market.pk]))
        self.assertContains(response, "Marché public de Saint-Casimir")
        self.assertContains(response, "Ferme des Érables")
        self.assertNotContains(response, reverse("market_edit", args=[self.market.pk]))
        self.assertEqual(self.client.get(reverse("vendor_detail", args=[self.vendor.pk])).status_code, 200)

    def test_a_market_manager_gets_404_on_another_market_and_on_changes(self):
        self.client.force_login(self.manager)
        refused = [
            reverse("market_detail", args=[self.other_market.pk]),
            reverse("market_edit", args=[self.market.pk]),
            reverse("sale_point_create", args=[self.market.pk]),
            reverse("sale_point_edit", args=[self.sale_point.pk]),
            reverse("vendor_detail", args=[self.other_vendor.pk]),
            reverse("vendor_edit", args=[self.vendor.pk]),
            reverse("market_list", args=[self.program.pk]),
            reverse("vendor_list", args=[self.program.pk]),
            reverse("season_vendors", args=[self.season.pk]),
        ]
        for url in refused:
            self.assertEqual(self.client.get(url).status_code, 404, url)
        response = self.client.post(
            reverse("market_edit", args=[self.market.pk]), {"name": "Piraté", "municipality": "X"}
        )
        self.assertEqual(response.status_code, 404)
        self.market.refresh_from_db()
        self.assertEqual(self.market.name, "Marché public de Saint-Casimir")

    def test_a_vendor_sees_its_own_record_but_not_another_vendor(self):
        self.client.force_login(self.vendor_user)
        response = self.client.get(reverse("vendor_detail", args=[self.vendor.pk]))
        self.assertContains(response, "Ferme des Érables")
        self.assertNotContains(response, reverse("vendor_edit", args=[self.vendor.pk]))
        self.assertNotContains(response, reverse("market_detail", args=[self.market.pk]))
        self.assertEqual(self.client.get(reverse("vendor_detail", args=[self.other_vendor.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("vendor_edit", args=[self.vendor.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("market_detail", args=[self.market.pk])).status_code, 404)
