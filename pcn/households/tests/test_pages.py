import logging

from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.households.models import Household, PartnerQuota
from pcn.households.tests.factories import enrol, quota
from pcn.households.tests.test_services import DISTINCT, all_text_in_database
from pcn.programs.models import Organization
from pcn.testing import make_role_users, make_user, make_world


def form_data(**overrides):
    data = {
        "size": "3", "age_0_5": "1", "age_6_17": "0", "age_18_64": "2", "age_65_plus": "0",
        "language": "fr", "consent_participation": "yes", "consent_surveys": "no", "consent_research": "no",
    }
    data.update(overrides)
    return data


class HouseholdPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Alpha")
        cls.users = make_role_users(cls.world, "a")
        cls.worker = cls.users[Role.PARTNER_WORKER]
        cls.partner_b = Organization.objects.create(program=cls.world["program"], name="Voisins du Nord",
                                                    kind=Organization.Kind.COMMUNITY_PARTNER)
        cls.worker_b = make_user("b-intervenant", role=Role.PARTNER_WORKER, program=cls.world["program"],
                                 organization=cls.partner_b)
        quota(cls.world, households=5)
        quota(cls.world, households=5, partner=cls.partner_b)
        cls.season = cls.world["season"]

    def test_a_partner_worker_enrols_a_household_and_sees_its_code_big(self):
        self.client.force_login(self.worker)
        page = self.client.get(reverse("household_enrol", args=[self.season.pk]))
        self.assertContains(page, "Vérifier les doublons (facultatif)")
        self.assertContains(page, "Ces renseignements ne sont pas gardés : ils servent seulement à repérer une double inscription.")
        self.assertNotContains(page, "Voisins du Nord")  # the worker's partner is implied
        response = self.client.post(reverse("household_enrol", args=[self.season.pk]), form_data(flags=["pregnancy"]),
                                    follow=True)
        household = Household.objects.get()
        self.assertEqual((household.partner, household.size, household.age_0_5, household.flags),
                         (self.world["partner"], 3, 1, ["pregnancy"]))
        self.assertContains(response, "Le ménage est inscrit. Écrivez son code sur sa carte.")
        self.assertContains(response, household.display_code)
        self.assertContains(response, "Participation au programme")

    def test_the_enrol_form_keeps_no_identity_and_shows_the_duplicate(self):
        identity = dict(zip(("family_name", "first_name", "birth_date"), DISTINCT))
        existing = enrol(self.world, self.worker_b, partner=self.partner_b, identity=identity)
        self.client.force_login(self.worker)
        with self.assertLogs(level=logging.DEBUG) as logs:
            logging.getLogger("pcn").debug("début")
            response = self.client.post(reverse("household_enrol", args=[self.season.pk]),
                                        form_data(**identity), follow=True)
        # The worker learns a similar enrolment may exist, never which household or partner it is.
        self.assertContains(response, "Peut-être déjà inscrit")
        self.assertNotContains(response, existing.display_code)
        self.assertNotContains(response, self.partner_b.name)
        self.assertNotContains(response, "Ce n&#x27;est pas le même ménage")
        dump = all_text_in_database()
        logged = "\n".join(r.getMessage() for r in logs.records)
        for text in DISTINCT:
            self.assertNotIn(text, dump)
            self.assertNotIn(text, logged)

        new = Household.objects.exclude(pk=existing.pk).get()
        url = reverse("household_not_duplicate", args=[new.pk, existing.pk])
        self.assertEqual(self.client.post(url).status_code, 404)  # the coordination decides, not a partner
        self.client.force_login(self.users[Role.COORDINATOR])
        page = self.client.get(reverse("household_detail", args=[new.pk]))
        self.assertContains(page, existing.display_code)  # the coordination sees both
        response = self.client.post(url, follow=True)
        self.assertContains(response, "ne seront plus signalés comme un doublon")
        self.assertNotContains(response, "Peut-être déjà inscrit")

    def test_bad_input_gets_a_clear_message_and_saves_nothing(self):
        self.client.force_login(self.worker)
        url = reverse("household_enrol", args=[self.season.pk])
        cases = [
            (form_data(consent_participation="no"), "Le ménage doit accepter de participer au programme"),
            (form_data(size="0", age_18_64="0", age_0_5="0"), "Un ménage compte au moins une personne."),
            (form_data(age_18_64="1"), "Le nombre de personnes par âge donne 2, mais le ménage compte 3 personnes."),
            (form_data(consent_research=""), "Répondez oui ou non."),
        ]
        for data, message in cases:
            with self.subTest(message=message):
                response = self.client.post(url, data)
                self.assertContains(response, message)
        self.assertFalse(Household.objects.exists())

    def test_a_worker_of_another_partner_gets_404_and_sees_none_of_its_households(self):
        household = enrol(self.world, self.worker)
        self.client.force_login(self.worker_b)
        for name in ("household_detail", "household_leave"):
            self.assertEqual(self.client.get(reverse(name, args=[household.pk])).status_code,
                             404 if name == "household_detail" else 405)
            self.assertEqual(self.client.post(reverse(name, args=[household.pk])).status_code, 404)
        listing = self.client.get(reverse("household_list", args=[self.season.pk]))
        self.assertNotContains(listing, household.display_code)
        search = self.client.get(reverse("household_list", args=[self.season.pk]), {"q": household.display_code})
        self.assertContains(search, "Aucun ménage ne porte ce code.")
        household.refresh_from_db()
        self.assertEqual(household.status, "active")

    def test_leaving_offers_the_place_to_the_oldest_waiting_household(self):
        quota(self.world, households=1)
        gone, waiting = enrol(self.world, self.worker), enrol(self.world, self.worker)
        self.client.force_login(self.worker)
        listing = self.client.get(reverse("household_list", args=[self.season.pk]))
        self.assertContains(listing, "Liste d'attente")
        response = self.client.post(reverse("household_leave", args=[gone.pk]), follow=True)
        self.assertContains(response, f"La place libérée est offerte au ménage {waiting.display_code}")
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, "active")

    def test_coordinators_set_quotas_and_filter_households_by_partner(self):
        mine = enrol(self.world, self.worker)
        theirs = enrol(self.world, self.worker_b, partner=self.partner_b)
        self.client.force_login(self.users[Role.COORDINATOR])
        url = reverse("season_partners", args=[self.season.pk])
        page = self.client.get(url)
        self.assertContains(page, "Voisins du Nord")
        self.assertContains(page, "1 ménages inscrits · 0 en attente")
        pk = self.partner_b.pk
        response = self.client.post(url, {"partner": pk, f"p{pk}-max_households": "12",
                                          f"p{pk}-max_value_cents": "1 250,00"}, follow=True)
        self.assertContains(response, "Le quota de « Voisins du Nord » est enregistré.")
        saved = PartnerQuota.objects.get(partner=self.partner_b)
        self.assertEqual((saved.max_households, saved.max_value_cents), (12, 125000))
        refused = self.client.post(url, {"partner": pk, f"p{pk}-max_households": "0", f"p{pk}-max_value_cents": "5"})
        self.assertContains(refused, "Assurez-vous que cette valeur est supérieure ou égale à 1.")

        listing = self.client.get(reverse("household_list", args=[self.season.pk]), {"partner": pk})
        self.assertContains(listing, theirs.display_code)
        self.assertNotContains(listing, mine.display_code)
        enrol_page = self.client.get(reverse("household_enrol", args=[self.season.pk]))
        self.assertContains(enrol_page, "Voisins du Nord")  # coordinators choose the partner

    def test_the_identity_typed_never_comes_back_in_the_page(self):
        identity = dict(zip(("family_name", "first_name", "birth_date"), DISTINCT))
        self.client.force_login(self.worker)
        response = self.client.post(reverse("household_enrol", args=[self.season.pk]), form_data(size="0", **identity))
        self.assertContains(response, "Un ménage compte")  # refused: the form is shown again
        for text in DISTINCT:
            self.assertNotContains(response, text)
        self.assertIn("no-store", response["Cache-Control"])

    def test_treasurers_see_no_household_detail_and_cannot_enrol_or_change(self):
        household = enrol(self.world, self.worker)
        self.client.force_login(self.users[Role.TREASURER])
        self.assertEqual(self.client.get(reverse("household_detail", args=[household.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("household_enrol", args=[self.season.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("household_leave", args=[household.pk])).status_code, 404)
        self.client.force_login(self.users[Role.VENDOR])
        self.assertEqual(self.client.get(reverse("household_detail", args=[household.pk])).status_code, 404)

    def test_the_home_page_links_partner_workers_to_their_households(self):
        self.client.force_login(self.worker)
        self.assertContains(self.client.get(reverse("home")), reverse("household_list", args=[self.season.pk]))
