"""The sharing decision (coordination), the researcher's page and the download: a researcher never sees
anything of a program that does not share."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.programs.models import Organization, Program
from pcn.research.models import ResearchDownload, ResearchSharing
from pcn.research.services import research_sharing_decide
from pcn.research.tests.factories import research_world
from pcn.testing import PASSWORD, make_user, make_world


class SharingTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = research_world()
        cls.program, cls.season = cls.w["program"], cls.w["season"]
        cls.coordinator, cls.researcher = cls.w["coordinator"], cls.w["researcher"]
        cls.other = make_world("Rimouski", network=cls.w["network"])
        cls.outsider = make_user("coordo-rimouski", role=Role.COORDINATOR, program=cls.other["program"])
        cls.outside_researcher = make_user("chercheur-rimouski", role=Role.RESEARCHER, program=cls.other["program"])

    def login(self, user):
        self.client.login(username=user.username, password=PASSWORD)

    def share(self, shared=True, **kwargs):
        return research_sharing_decide(program=self.program, shared=shared, by=self.coordinator, **kwargs)

    def test_the_coordination_reads_what_leaves_and_what_never_does(self):
        self.login(self.coordinator)
        page = self.client.get(reverse("research_sharing", args=[self.program.pk]))
        self.assertContains(page, "Le programme n'a pas encore décidé : rien n'est partagé.")
        self.assertContains(page, "Ce qui ne part jamais")
        self.assertContains(page, "Les codes des ménages, des cartes et des coupons")
        self.assertNotContains(page, "conseil de bande")
        self.assertNotContains(page, "community_signoff")

    def test_the_coordination_records_a_decision(self):
        self.login(self.coordinator)
        url = reverse("research_sharing", args=[self.program.pk])
        response = self.client.post(url, {"shared": "yes", "threshold": "7", "note": "Projet UQAR 2026"})
        self.assertRedirects(response, url)
        sharing = ResearchSharing.objects.get()
        self.assertEqual((sharing.shared, sharing.threshold, sharing.note, sharing.decided_by),
                         (True, 7, "Projet UQAR 2026", self.coordinator))
        page = self.client.get(url)
        self.assertContains(page, "Les données sans nom sont partagées avec la recherche.")
        self.assertContains(page, "Projet UQAR 2026")

    def test_a_threshold_below_5_is_refused(self):
        self.login(self.coordinator)
        url = reverse("research_sharing", args=[self.program.pk])
        page = self.client.post(url, {"shared": "yes", "threshold": "3"})
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "supérieure ou égale à 5")
        self.assertFalse(ResearchSharing.objects.exists())
        with self.assertRaises(ValidationError):
            self.share(threshold=4)
        with self.assertRaises(IntegrityError):
            ResearchSharing.objects.create(program=self.program, shared=True, threshold=4, decided_by=self.coordinator)

    def test_only_the_coordination_of_the_program_reaches_the_decision(self):
        url = reverse("research_sharing", args=[self.program.pk])
        for user in (self.researcher, self.outsider, self.w["worker"], self.w["vendor_user"]):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 404, user)
            self.assertEqual(self.client.post(url, {"shared": "yes", "threshold": "5"}).status_code, 404, user)
        self.assertFalse(ResearchSharing.objects.exists())

    def test_a_researcher_sees_nothing_of_a_program_that_does_not_share(self):
        self.login(self.researcher)
        export = reverse("research_export", args=[self.season.pk])
        home = self.client.get(reverse("research_home"))
        self.assertContains(home, "Aucun programme ne partage de données avec vous")
        self.assertNotContains(home, self.program.name)
        self.assertEqual(self.client.get(export).status_code, 404)
        self.share(shared=False)
        self.assertEqual(self.client.get(export).status_code, 404)
        self.assertFalse(ResearchDownload.objects.exists())

    def test_a_researcher_downloads_while_the_sharing_is_in_force(self):
        self.share(threshold=6)
        self.login(self.researcher)
        home = self.client.get(reverse("research_home"))
        self.assertContains(home, self.program.name)
        export = reverse("research_export", args=[self.season.pk])
        self.assertContains(home, export)
        self.assertContains(home, "un nombre plus petit que 6 est caché")
        response = self.client.get(export)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/zip")
        self.assertIn('filename="recherche-pcn-portneuf-ete-2026.zip"', response["Content-Disposition"])
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        self.assertIn("Seuil des petits nombres : 6", archive.read("LISEZ-MOI.txt").decode())
        self.assertEqual(ResearchDownload.objects.get().user, self.researcher)
        self.login(self.coordinator)
        self.assertContains(self.client.get(reverse("research_sharing", args=[self.program.pk])),
                            self.researcher.username)

    def test_withdrawing_the_sharing_stops_the_downloads_at_once(self):
        self.share()
        self.share(shared=False)
        self.login(self.researcher)
        self.assertEqual(self.client.get(reverse("research_export", args=[self.season.pk])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("research_home")), self.program.name)

    def test_no_one_else_downloads_a_shared_program(self):
        self.share()
        export = reverse("research_export", args=[self.season.pk])
        # A researcher of another program (which does not share either), its coordination, and this
        # program's own staff without the researcher role.
        for user in (self.outside_researcher, self.outsider, self.coordinator, self.w["worker"]):
            self.login(user)
            self.assertEqual(self.client.get(export).status_code, 404, user)
        self.client.logout()
        self.assertEqual(self.client.get(export).status_code, 302)  # to the login page


class IndigenousCommunityTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world("Lac-Simon")
        Program.objects.filter(pk=cls.w["program"].pk).update(kind=Program.Kind.INDIGENOUS_COMMUNITY)
        cls.program = Program.objects.get(pk=cls.w["program"].pk)
        Organization.objects.filter(pk=cls.w["partner"].pk).update(kind=Organization.Kind.BAND_COUNCIL)
        cls.coordinator = make_user("coordo-lac-simon", role=Role.COORDINATOR, program=cls.program)
        cls.researcher = make_user("chercheur-lac-simon", role=Role.RESEARCHER, program=cls.program)

    def setUp(self):
        self.client.login(username=self.coordinator.username, password=PASSWORD)
        self.url = reverse("research_sharing", args=[self.program.pk])

    def test_the_page_says_the_band_council_must_agree(self):
        page = self.client.get(self.url)
        self.assertContains(page, "qu'avec l'accord de son conseil de bande")
        self.assertContains(page, "Le conseil de bande a donné son accord pour ce partage")

    def test_sharing_without_the_band_council_sign_off_is_refused(self):
        page = self.client.post(self.url, {"shared": "yes", "threshold": "5", "note": "Chef"})
        self.assertContains(page, "ne se partagent qu&#x27;avec l&#x27;accord de son conseil de bande")
        page = self.client.post(self.url, {"shared": "yes", "threshold": "5", "community_signoff": "on"})
        self.assertContains(page, "Écrivez qui, au conseil de bande, a donné l&#x27;accord")
        self.assertFalse(ResearchSharing.objects.exists())
        self.client.login(username=self.researcher.username, password=PASSWORD)
        self.assertEqual(self.client.get(reverse("research_export", args=[self.w["season"].pk])).status_code, 404)

    def test_sharing_with_the_sign_off_and_who_gave_it(self):
        response = self.client.post(self.url, {"shared": "yes", "threshold": "10", "community_signoff": "on",
                                               "note": "Résolution du conseil du 3 mars 2026"})
        self.assertRedirects(response, self.url)
        sharing = ResearchSharing.objects.get()
        self.assertTrue(sharing.community_signoff)
        self.assertEqual(sharing.note, "Résolution du conseil du 3 mars 2026")
        self.client.login(username=self.researcher.username, password=PASSWORD)
        self.assertEqual(self.client.get(reverse("research_export", args=[self.w["season"].pk])).status_code, 200)

    def test_saying_no_needs_no_sign_off(self):
        response = self.client.post(self.url, {"shared": "no", "threshold": "5"})
        self.assertRedirects(response, self.url)
        self.assertFalse(ResearchSharing.objects.get().shared)
