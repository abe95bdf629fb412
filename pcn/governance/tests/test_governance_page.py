from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.governance.tests.factories import MediaInTempDir, make_agreement, make_committee_member, make_decision
from pcn.programs.models import Network, Organization
from pcn.testing import make_user, make_world


class GovernancePageTest(MediaInTempDir, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.program = cls.world["program"]
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)
        cls.treasurer = make_user("tresorier", role=Role.TREASURER, program=cls.program)
        cls.other = make_world("Rimouski", network=Network.objects.create(name="Autre réseau"))
        cls.url = reverse("governance", args=[cls.program.pk])

    def test_it_shows_the_fiduciary_committee_agreements_and_decisions(self):
        fiduciary = Organization.objects.create(program=self.program, name="Caisse Desjardins de Portneuf", kind="fiduciary")
        self.program.fiduciary = fiduciary
        self.program.save()
        make_committee_member(self.program, name="Hélène Gagnon", organization=fiduciary, role="présidente")
        agreement = make_agreement(self.program, vendor=self.world["vendor"])
        make_decision(self.program, by=self.coordinator, title="Le coupon passe à 5 $")
        self.client.force_login(self.coordinator)

        response = self.client.get(self.url)

        self.assertContains(response, "Caisse Desjardins de Portneuf")
        self.assertContains(response, "Hélène Gagnon")
        self.assertContains(response, "présidente")
        self.assertContains(response, "Ferme Portneuf")
        self.assertContains(response, "Entente avec un marchand")
        self.assertContains(response, reverse("agreement_file", args=[agreement.pk]))
        self.assertContains(response, "Le coupon passe à 5 $")
        self.assertContains(response, "Changer le fiduciaire")

    def test_it_says_what_is_missing_on_a_new_program(self):
        self.client.force_login(self.coordinator)

        response = self.client.get(self.url)

        self.assertContains(response, "Pas encore désigné.")
        self.assertContains(response, "Personne au comité directeur pour l")
        self.assertContains(response, "Aucune entente enregistrée pour l")
        self.assertContains(response, "Aucune décision inscrite pour l")

    def test_a_coordinator_gets_the_add_buttons(self):
        self.client.force_login(self.coordinator)

        response = self.client.get(self.url)

        for name in ("committee_member_create", "agreement_create", "decision_create", "program_edit"):
            self.assertContains(response, reverse(name, args=[self.program.pk]))

    def test_a_treasurer_reads_the_page_without_the_add_buttons(self):
        self.client.force_login(self.treasurer)

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 200)
        for name in ("committee_member_create", "agreement_create", "decision_create"):
            self.assertNotContains(response, reverse(name, args=[self.program.pk]))

    def test_partner_workers_and_vendors_do_not_see_it(self):
        for role, scope in (
            (Role.PARTNER_WORKER, {"organization": self.world["partner"]}),
            (Role.VENDOR, {"vendor": self.world["vendor"]}),
        ):
            self.client.force_login(make_user(f"user-{role}", role=role, program=self.program, **scope))
            self.assertEqual(self.client.get(self.url).status_code, 404, role)

    def test_a_coordinator_of_another_program_gets_404(self):
        make_decision(self.program, by=self.coordinator, title="Décision confidentielle")
        self.client.force_login(make_user("coordo-rimouski", role=Role.COORDINATOR, program=self.other["program"]))

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, "Décision confidentielle", status_code=404)

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('login')}?next={self.url}", fetch_redirect_response=False)
