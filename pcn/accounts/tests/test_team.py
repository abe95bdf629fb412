from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Membership, Role
from pcn.programs.models import Organization
from pcn.testing import make_user, make_world


class TeamPageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.program = cls.world["program"]
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)
        cls.other = make_world("Bravo", network=cls.world["network"])

    def setUp(self):
        self.client.force_login(self.coordinator)
        self.url = reverse("membership_create", args=[self.program.pk])

    def test_a_new_partner_worker_gets_an_account_whose_temporary_password_works(self):
        response = self.client.post(
            self.url,
            {"username": "julie", "first_name": "Julie", "role": Role.PARTNER_WORKER,
             "organization": self.world["partner"].pk},
            follow=True,
        )
        self.assertContains(response, "Mot de passe temporaire")
        password = response.content.decode().split("Mot de passe temporaire : ")[1].split(" ")[0]
        user = authenticate(username="julie", password=password)
        self.assertIsNotNone(user)
        self.assertEqual(user.memberships.get().organization, self.world["partner"])

    def test_a_partner_worker_needs_a_partner_and_nothing_is_saved_without_one(self):
        response = self.client.post(self.url, {"username": "julie", "role": Role.PARTNER_WORKER})
        self.assertContains(response, "Choisissez l&#x27;organisme partenaire (ou le conseil de bande) où travaille")
        self.assertFalse(get_user_model().objects.filter(username="julie").exists())

    def test_a_market_of_another_program_is_not_offered(self):
        response = self.client.post(
            self.url, {"username": "marc", "role": Role.MARKET_MANAGER, "market": self.other["market"].pk}
        )
        self.assertContains(response, "Sélectionnez un choix valide.")
        self.assertFalse(Membership.objects.filter(role=Role.MARKET_MANAGER).exists())

    def test_a_colleague_of_this_program_gets_another_role_in_addition(self):
        colleague = make_user("paul", role=Role.RESEARCHER, program=self.program)
        self.client.post(self.url, {"username": "Paul", "role": Role.TREASURER})
        self.assertEqual(
            sorted(colleague.memberships.values_list("role", flat=True)), [Role.RESEARCHER, Role.TREASURER]
        )

    def test_a_coordinator_cannot_pull_in_someone_from_another_program(self):
        stranger = make_user("paul", role=Role.RESEARCHER, program=self.other["program"])
        response = self.client.post(self.url, {"username": "paul", "role": Role.TREASURER})
        self.assertContains(response, "Ce nom d&#x27;utilisateur est déjà pris.")
        self.assertEqual(list(stranger.memberships.values_list("role", flat=True)), [Role.RESEARCHER])

    def test_a_network_admin_can_give_a_role_to_someone_from_another_program(self):
        admin = make_user("reseau", role=Role.NETWORK_ADMIN, network=self.world["network"])
        stranger = make_user("paul", role=Role.RESEARCHER, program=self.other["program"])
        self.client.force_login(admin)
        self.client.post(self.url, {"username": "paul", "role": Role.TREASURER})
        self.assertTrue(stranger.memberships.filter(role=Role.TREASURER, program=self.program).exists())

    def test_a_partner_worker_cannot_be_tied_to_the_fiduciary(self):
        fiduciary = Organization.objects.create(program=self.program, name="Fiducie", kind="fiduciary")
        response = self.client.post(
            self.url, {"username": "julie", "role": Role.PARTNER_WORKER, "organization": fiduciary.pk}
        )
        self.assertContains(response, "Sélectionnez un choix valide.")
        self.assertFalse(Membership.objects.filter(organization=fiduciary).exists())

    def test_the_same_role_cannot_be_given_twice_even_by_the_database(self):
        treasurer = make_user("tres", role=Role.TREASURER, program=self.program)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Membership.objects.create(user=treasurer, role=Role.TREASURER, program=self.program)

    def test_a_coordinator_cannot_remove_their_own_coordination(self):
        membership = self.coordinator.memberships.get()
        response = self.client.post(reverse("membership_remove", args=[membership.pk]), follow=True)
        self.assertContains(response, "Vous ne pouvez pas retirer votre propre rôle de coordination.")
        self.assertTrue(Membership.objects.filter(pk=membership.pk).exists())

    def test_removing_a_role_takes_the_access_away(self):
        treasurer = make_user("tres", role=Role.TREASURER, program=self.program)
        self.client.post(reverse("membership_remove", args=[treasurer.memberships.get().pk]))
        self.client.force_login(treasurer)
        self.assertEqual(self.client.get(reverse("program_detail", args=[self.program.pk])).status_code, 404)
