from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.markets.models import Market, Vendor, VendorAuthorization
from pcn.markets.selectors import vendor_is_authorized
from pcn.markets.tests.factories import make_program, make_season, make_user


class CoordinatorSetsUpVendorsTest(TestCase):
    """A coordinator walks the pages from an empty program to a vendor authorized, then withdrawn."""

    def test_market_sale_point_vendor_authorize_revoke_and_the_history_stays(self):
        program = make_program()
        season = make_season(program, "Été 2026")
        coordinator = make_user("coordo", role=Role.COORDINATOR, program=program)
        self.client.force_login(coordinator)

        response = self.client.post(
            reverse("market_create", args=[program.pk]),
            {"name": "Marché public de Deschambault", "municipality": "Deschambault-Grondines"},
            follow=True,
        )
        market = Market.objects.get()
        self.assertContains(response, "Ajoutez maintenant ses points de vente.")

        response = self.client.post(
            reverse("sale_point_create", args=[market.pk]),
            {"name": "Quai", "kind": "market", "address": "Chemin du Roy", "schedule": "samedi 9 h à 13 h"},
            follow=True,
        )
        self.assertContains(response, "Quai")
        sale_point = market.sale_points.get()

        response = self.client.post(
            reverse("vendor_create", args=[program.pk]),
            {"business_name": "Ferme Champs d'Or", "kind": "producer", "categories": ["vegetables", "eggs"],
             "sale_points": [sale_point.pk]},
            follow=True,
        )
        vendor = Vendor.objects.get()
        self.assertRedirects(response, reverse("vendor_detail", args=[vendor.pk]))

        response = self.client.get(reverse("market_detail", args=[market.pk]))
        self.assertContains(response, "Ferme Champs d&#x27;Or")

        url = reverse("season_vendors", args=[season.pk])
        self.client.post(url, {"vendor": vendor.pk, "action": "authorize"})
        self.assertTrue(vendor_is_authorized(vendor=vendor, season=season))
        self.client.post(url, {"vendor": vendor.pk, "action": "revoke"})
        self.assertFalse(vendor_is_authorized(vendor=vendor, season=season))
        self.client.post(url, {"vendor": vendor.pk, "action": "authorize"})

        history = list(VendorAuthorization.objects.filter(vendor=vendor, season=season).order_by("pk"))
        self.assertEqual(len(history), 2)
        self.assertEqual((history[0].authorized_by, history[0].revoked_by), (coordinator, coordinator))
        self.assertIsNone(history[1].revoked_at)

        response = self.client.get(reverse("vendor_detail", args=[vendor.pk]))
        self.assertContains(response, "retiré le ", count=1)
        self.assertContains(response, "Autorisé le ", count=2)
