"""An Indigenous community keeps control of its members' data (OCAP, DESIGN.md §7): the network's analysts see its
season totals in the provincial view, never its pages; the network's admins reach it to set it up and support it."""

from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.programs.models import Network, Program
from pcn.testing import make_user, make_world


class SovereigntyTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        network = Network.objects.create(name="Réseau")
        cls.community = make_world("Lac-Simon", network=network)
        Program.objects.filter(pk=cls.community["program"].pk).update(kind=Program.Kind.INDIGENOUS_COMMUNITY)
        cls.mrc = make_world("Portneuf", network=network)
        cls.analyst = make_user("analyste", role=Role.NETWORK_ANALYST, network=network)
        cls.admin = make_user("admin", role=Role.NETWORK_ADMIN, network=network)
        cls.own = make_user("coordo-lac-simon", role=Role.COORDINATOR, program=cls.community["program"])

    def pages(self, world):
        season = world["season"]
        return [reverse("program_detail", args=[world["program"].pk]), reverse("season_detail", args=[season.pk]),
                reverse("season_dashboard", args=[season.pk]), reverse("household_list", args=[season.pk])]

    def test_the_networks_analyst_does_not_reach_a_communitys_pages(self):
        self.client.force_login(self.analyst)
        for url in self.pages(self.community):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        for url in self.pages(self.mrc):
            self.assertEqual(self.client.get(url).status_code, 200, url)
        self.assertNotContains(self.client.get(reverse("network_home")), "PCN Lac-Simon")

    def test_its_own_people_and_the_networks_admin_do(self):
        for user in (self.own, self.admin):
            self.client.force_login(user)
            for url in self.pages(self.community):
                self.assertEqual(self.client.get(url).status_code, 200, f"{user} {url}")

    def test_the_provincial_view_shows_its_totals_without_a_way_into_its_pages(self):
        self.client.force_login(self.analyst)
        page = self.client.get(reverse("network_dashboard"))
        self.assertContains(page, "PCN Lac-Simon")
        self.assertNotContains(page, reverse("season_dashboard", args=[self.community["season"].pk]))
        self.assertContains(page, reverse("season_dashboard", args=[self.mrc["season"].pk]))
        self.client.force_login(self.admin)
        page = self.client.get(reverse("network_dashboard"))
        self.assertContains(page, reverse("season_dashboard", args=[self.community["season"].pk]))
