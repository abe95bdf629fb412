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


class SmallCommunityTotalsTest(TestCase):
    """A community's season that reached fewer than 5 households shows no figures in the provincial view, and its
    households count in no total (a total minus the other rows would give them back)."""

    def test_a_small_communitys_figures_are_hidden_and_left_out_of_every_total(self):
        from pcn.reports.network import network_view
        from pcn.reports.snapshot import season_refresh
        from pcn.reports.tests.factories import report_world

        w = report_world()  # one household reached, 35 $ handed out
        season_refresh(w["season"])
        analyst = w["analyst"]

        view = network_view(w["program"].network, year=w["season"].starts_on.year, by=analyst)
        row = view.season_table.rows[0]
        self.assertEqual((row["reached"], view.season_table.total["reached"]), (1, 1))  # an MRC: shown
        self.assertEqual(view.hidden, [])

        Program.objects.filter(pk=w["program"].pk).update(kind=Program.Kind.INDIGENOUS_COMMUNITY)
        view = network_view(w["program"].network, year=w["season"].starts_on.year, by=analyst)
        row = view.season_table.rows[0]
        self.assertEqual(row["program"], w["program"].name)
        self.assertNotIn("reached", row)
        self.assertEqual(view.season_table.total["reached"], 0)
        self.assertEqual(view.season_table.total["redeemed"], 0)
        self.assertEqual([r["reached"] for r in view.region_table.rows], [])
        self.assertEqual(view.history_table.rows, [])
        self.assertEqual([s.pk for s in view.hidden], [w["season"].pk])

        self.client.force_login(analyst)
        page = self.client.get(reverse("network_dashboard"), {"year": w["season"].starts_on.year})
        self.assertContains(page, "a rejoint moins de 5 ménages : ses chiffres sont cachés")
