from django.test import TestCase
from django.urls import reverse
from django.utils.html import escape

from pcn.accounts.models import Role
from pcn.markets import services
from pcn.markets.models import VendorAuthorization
from pcn.markets.selectors import vendor_is_authorized
from pcn.markets.tests.factories import (
    make_market,
    make_program,
    make_sale_point,
    make_season,
    make_user,
    make_vendor,
)


class SeasonVendorsPageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.program = make_program()
        cls.season = make_season(cls.program, "Été 2026", accepted=["market"])
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)
        cls.treasurer = make_user("tresorier", role=Role.TREASURER, program=cls.program)
        market = make_market(cls.program)
        cls.vendor = make_vendor(cls.program, [make_sale_point(market, "Place du marché")], "Ferme des Érables")
        cls.u_pick = make_vendor(
            cls.program, [make_sale_point(market, "Champ de fraises", kind="u_pick")], "Fraisière Côté"
        )
        other = make_program("PCN Kamouraska")
        cls.foreign_vendor = make_vendor(other, [make_sale_point(make_market(other))], "Ferme du Fleuve")

    def setUp(self):
        self.client.force_login(self.coordinator)
        self.url = reverse("season_vendors", args=[self.season.pk])

    def act(self, vendor, action):
        return self.client.post(self.url, {"vendor": vendor.pk, "action": action}, follow=True)

    def test_it_lists_every_vendor_of_the_program_with_its_status(self):
        services.vendor_authorize(vendor=self.vendor, season=self.season, by=self.coordinator)
        response = self.client.get(self.url)
        self.assertContains(response, "Ferme des Érables")
        self.assertContains(response, "Fraisière Côté")
        self.assertNotContains(response, "Ferme du Fleuve")
        self.assertContains(response, "1 sur 2 marchands")
        status = {row.vendor.business_name: row.active is not None for row in response.context["rows"]}
        self.assertEqual(status, {"Ferme des Érables": True, "Fraisière Côté": False})
        self.assertContains(response, ">Retirer l'autorisation<")
        self.assertContains(response, ">Autoriser<")

    def test_it_warns_about_a_vendor_who_sells_at_no_place_the_season_accepts(self):
        response = self.client.get(self.url)
        rows = {row.vendor.business_name: row.sells_at_accepted_place for row in response.context["rows"]}
        self.assertEqual(rows, {"Ferme des Érables": True, "Fraisière Côté": False})
        self.assertContains(
            response, "Attention : ce marchand ne vend à aucun type de lieu où les coupons de cette saison sont acceptés.",
            count=1,
        )

    def test_a_coordinator_authorizes_a_vendor(self):
        response = self.act(self.vendor, "authorize")
        self.assertRedirects(response, self.url)
        self.assertContains(response, "« Ferme des Érables » est autorisé pour la saison « Été 2026 ».")
        self.assertTrue(vendor_is_authorized(vendor=self.vendor, season=self.season))
        authorization = VendorAuthorization.objects.get()
        self.assertEqual(authorization.authorized_by, self.coordinator)

    def test_authorizing_a_vendor_who_sells_at_no_accepted_place_works_with_a_warning(self):
        response = self.act(self.u_pick, "authorize")
        self.assertContains(response, "« Fraisière Côté » est autorisé pour la saison « Été 2026 ».")
        self.assertContains(response, "Attention : « Fraisière Côté » ne vend à aucun type de lieu")
        self.assertTrue(vendor_is_authorized(vendor=self.u_pick, season=self.season))

    def test_authorizing_twice_keeps_one_active_authorization(self):
        self.act(self.vendor, "authorize")
        self.act(self.vendor, "authorize")
        self.assertEqual(VendorAuthorization.objects.filter(vendor=self.vendor, revoked_at__isnull=True).count(), 1)
        self.assertEqual(VendorAuthorization.objects.count(), 1)

    def test_revoking_keeps_the_history(self):
        self.act(self.vendor, "authorize")
        response = self.act(self.vendor, "revoke")
        self.assertContains(response, escape("L'autorisation de « Ferme des Érables » pour la saison « Été 2026 » est retirée."))
        self.assertFalse(vendor_is_authorized(vendor=self.vendor, season=self.season))
        authorization = VendorAuthorization.objects.get()
        self.assertEqual(authorization.revoked_by, self.coordinator)
        self.assertContains(response, "retiré le ")

    def test_revoking_a_vendor_not_authorized_says_nothing_changed(self):
        response = self.act(self.vendor, "revoke")
        self.assertContains(response, escape("« Ferme des Érables » n'était pas autorisé pour cette saison : rien n'a changé."))
        self.assertEqual(VendorAuthorization.objects.count(), 0)

    def test_a_vendor_of_another_program_cannot_be_authorized_here(self):
        response = self.act(self.foreign_vendor, "authorize")
        self.assertContains(response, escape("Ce marchand n'a pas été trouvé dans ce programme."))
        self.assertEqual(VendorAuthorization.objects.count(), 0)

    def test_a_treasurer_reads_the_page_without_buttons_and_cannot_authorize(self):
        self.client.force_login(self.treasurer)
        response = self.client.get(self.url)
        self.assertContains(response, "Ferme des Érables")
        self.assertNotContains(response, 'name="action"')
        response = self.client.post(self.url, {"vendor": self.vendor.pk, "action": "authorize"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(VendorAuthorization.objects.count(), 0)

    def test_other_methods_are_refused(self):
        self.assertEqual(self.client.put(self.url).status_code, 405)

    def test_the_buttons_need_the_csrf_token(self):
        self.client.handler.enforce_csrf_checks = True
        response = self.client.post(self.url, {"vendor": self.vendor.pk, "action": "authorize"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(VendorAuthorization.objects.count(), 0)
