from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils.html import escape

from pcn.accounts.models import Role
from pcn.governance import services
from pcn.governance.models import CommitteeMember
from pcn.governance.tests.factories import make_committee_member
from pcn.programs.models import Network
from pcn.testing import make_user, make_world


class CommitteeMemberFormTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.program = cls.world["program"]
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)
        cls.other = make_world("Rimouski", network=Network.objects.create(name="Autre réseau"))

    def setUp(self):
        self.client.force_login(self.coordinator)
        self.url = reverse("committee_member_create", args=[self.program.pk])

    def post(self, url=None, **overrides):
        data = {
            "name": "Hélène Gagnon",
            "organization": self.world["partner"].pk,
            "role": "présidente",
            "email": "helene@example.org",
            "joined_on": "2025-04-01",
        }
        data.update(overrides)
        return self.client.post(url or self.url, data)

    def assert_refused(self, response, message):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, escape(message))
        self.assertEqual(CommitteeMember.objects.count(), 0)

    def test_a_coordinator_adds_a_person_to_the_committee(self):
        response = self.post()

        self.assertRedirects(
            response, reverse("governance", args=[self.program.pk]) + "#committee", fetch_redirect_response=False
        )
        member = CommitteeMember.objects.get()
        self.assertEqual((member.program, member.organization, member.role), (self.program, self.world["partner"], "présidente"))
        page = self.client.get(response["Location"])
        self.assertContains(page, "Les renseignements de « Hélène Gagnon » sont enregistrés.")
        self.assertContains(page, "helene@example.org")

    def test_it_refuses_a_person_who_represents_no_organization(self):
        self.assert_refused(
            self.post(organization=""),
            "Choisissez l'organisation que cette personne représente. Le comité réunit le personnel du "
            "programme et de ses partenaires, jamais des participants.",
        )

    def test_it_refuses_an_organization_of_another_program(self):
        self.assert_refused(
            self.post(organization=self.other["partner"].pk),
            "Choisissez une organisation de ce programme, dans la liste.",
        )

    def test_it_refuses_a_person_without_a_name_or_a_role(self):
        response = self.post(name="", role="")
        self.assert_refused(response, "Écrivez le nom de la personne.")
        self.assertContains(response, escape("Écrivez son rôle au comité"))

    def test_a_coordinator_changes_a_members_role(self):
        member = make_committee_member(self.program)

        response = self.post(reverse("committee_member_edit", args=[member.pk]), role="trésorière")

        self.assertEqual(response.status_code, 302)
        member.refresh_from_db()
        self.assertEqual(member.role, "trésorière")
        self.assertEqual(CommitteeMember.objects.count(), 1)

    def test_a_treasurer_sees_the_committee_but_cannot_change_it(self):
        member = make_committee_member(self.program)
        self.client.force_login(make_user("tresorier", role=Role.TREASURER, program=self.program))

        page = self.client.get(reverse("governance", args=[self.program.pk]))
        self.assertContains(page, "Hélène Gagnon")
        self.assertNotContains(page, reverse("committee_member_edit", args=[member.pk]))
        self.assertEqual(self.client.get(reverse("committee_member_edit", args=[member.pk])).status_code, 404)
        self.assertEqual(self.post().status_code, 404)
        self.assertEqual(CommitteeMember.objects.count(), 1)


class CommitteeMemberRemoveTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.program = cls.world["program"]
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)
        cls.other = make_world("Rimouski", network=Network.objects.create(name="Autre réseau"))
        cls.other_coordinator = make_user("coordo-rimouski", role=Role.COORDINATOR, program=cls.other["program"])

    def setUp(self):
        self.member = make_committee_member(self.program)
        self.url = reverse("committee_member_remove", args=[self.member.pk])

    def test_the_page_asks_for_confirmation_before_removing(self):
        self.client.force_login(self.coordinator)
        page = self.client.get(reverse("governance", args=[self.program.pk]))
        self.assertContains(page, f'action="{self.url}"')
        self.assertContains(page, "Retirer Hélène Gagnon du comité directeur ?")
        self.assertContains(page, "Oui, retirer")

    def test_a_coordinator_removes_a_member(self):
        self.client.force_login(self.coordinator)

        response = self.client.post(self.url, follow=True)

        self.assertFalse(CommitteeMember.objects.exists())
        self.assertContains(response, "« Hélène Gagnon » ne fait plus partie du comité directeur.")
        self.assertContains(response, "Personne au comité directeur pour l")

    def test_removing_needs_a_post(self):
        self.client.force_login(self.coordinator)
        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.assertTrue(CommitteeMember.objects.exists())

    def test_a_coordinator_of_another_program_cannot_remove_a_member(self):
        self.client.force_login(self.other_coordinator)
        self.assertEqual(self.client.post(self.url).status_code, 404)
        self.assertTrue(CommitteeMember.objects.exists())


class CommitteeMemberSaveServiceTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.other = make_world("Rimouski")

    def test_it_refuses_an_organization_of_another_program(self):
        member = CommitteeMember(
            program=self.world["program"], name="Luc Roy", organization=self.other["partner"], role="membre"
        )
        with self.assertRaises(ValidationError) as caught:
            services.committee_member_save(member=member)
        self.assertIn("organization", caught.exception.message_dict)
        self.assertFalse(CommitteeMember.objects.exists())
