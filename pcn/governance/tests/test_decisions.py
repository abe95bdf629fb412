import datetime

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils.html import escape

from pcn.accounts.models import Role
from pcn.governance import services
from pcn.governance.models import Decision
from pcn.governance.tests.factories import days_ago, make_decision
from pcn.programs.models import Network
from pcn.testing import make_user, make_world


def url_names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # the support admin, for network staff only, is outside the program's pages
            yield from url_names(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p.name


class DecisionFormTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.program = cls.world["program"]
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)

    def setUp(self):
        self.client.force_login(self.coordinator)
        self.url = reverse("decision_create", args=[self.program.pk])

    def post(self, **overrides):
        data = {"decided_on": days_ago(2).isoformat(), "title": "Le coupon passe à 5 $", "details": "Vote du comité."}
        data.update(overrides)
        return self.client.post(self.url, data)

    def assert_refused(self, response, message):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, escape(message))
        self.assertEqual(Decision.objects.count(), 0)

    def test_a_coordinator_records_a_decision_and_sees_it_in_the_log(self):
        response = self.post()

        self.assertRedirects(
            response, reverse("governance", args=[self.program.pk]) + "#decisions", fetch_redirect_response=False
        )
        decision = Decision.objects.get()
        self.assertEqual(
            (decision.program, decision.decided_on, decision.title, decision.details, decision.recorded_by),
            (self.program, days_ago(2), "Le coupon passe à 5 $", "Vote du comité.", self.coordinator),
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, "La décision est inscrite au journal.")
        self.assertContains(page, "Le coupon passe à 5 $")

    def test_the_form_proposes_today(self):
        response = self.client.get(self.url)
        self.assertContains(response, f'value="{days_ago(0).isoformat()}"')

    def test_it_refuses_a_decision_with_no_title(self):
        self.assert_refused(
            self.post(title="   "), "Écrivez la décision en une phrase, par exemple « Le coupon passe à 5 $ »."
        )

    def test_it_refuses_a_decision_with_no_date(self):
        self.assert_refused(self.post(decided_on=""), "Donnez la date où la décision a été prise.")

    def test_it_refuses_a_date_in_the_future(self):
        self.assert_refused(
            self.post(decided_on=days_ago(-1).isoformat()),
            "Cette date est dans le futur. Donnez la date où la décision a été prise.",
        )

    def test_an_empty_submission_shows_both_messages(self):
        response = self.client.post(self.url, {})
        self.assert_refused(response, "Donnez la date où la décision a été prise.")
        self.assertContains(response, escape("Écrivez la décision en une phrase"))

    def test_a_treasurer_cannot_record_a_decision(self):
        self.client.force_login(make_user("tresorier", role=Role.TREASURER, program=self.program))
        self.assertEqual(self.post().status_code, 404)
        self.assertEqual(Decision.objects.count(), 0)


class DecisionLogIsAppendOnlyTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.program = cls.world["program"]
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)
        cls.decision = make_decision(cls.program, by=cls.coordinator, title="Montant maximal 60 $")

    def setUp(self):
        self.client.force_login(self.coordinator)

    def test_no_url_edits_or_deletes_a_decision(self):
        decision_urls = [name for route, name in url_names(get_resolver().url_patterns) if "decision" in route]
        self.assertEqual(decision_urls, ["decision_create"])
        for name in ("decision_edit", "decision_delete", "decision_update"):
            with self.assertRaises(NoReverseMatch):
                reverse(name, args=[self.decision.pk])

    def test_the_governance_page_offers_no_edit_or_delete_of_a_decision(self):
        page = self.client.get(reverse("governance", args=[self.program.pk]))
        self.assertContains(page, "Montant maximal 60 $")
        self.assertContains(page, "Corriger par une nouvelle décision")
        self.assertNotContains(page, f"/decisions/{self.decision.pk}/")

    def test_a_correction_is_a_new_decision_and_the_first_is_kept_as_it_was(self):
        before = Decision.objects.count()
        form = self.client.get(reverse("decision_create", args=[self.program.pk]) + f"?corrects={self.decision.pk}")
        self.assertContains(form, "Correction : Montant maximal 60 $")

        self.client.post(
            reverse("decision_create", args=[self.program.pk]) + f"?corrects={self.decision.pk}",
            {"decided_on": days_ago(0).isoformat(), "title": "Correction : Montant maximal 65 $", "details": ""},
        )

        self.assertEqual(Decision.objects.count(), before + 1)
        self.decision.refresh_from_db()
        self.assertEqual(self.decision.title, "Montant maximal 60 $")
        page = self.client.get(reverse("governance", args=[self.program.pk]))
        body = page.content.decode()
        self.assertLess(body.index("Montant maximal 65 $"), body.index("Montant maximal 60 $"))

    def test_a_correction_cannot_name_a_decision_of_another_program(self):
        other = make_world("Rimouski", network=Network.objects.create(name="Autre réseau"))
        foreign = make_decision(other["program"], by=make_user("autre", role=Role.COORDINATOR, program=other["program"]))
        response = self.client.get(reverse("decision_create", args=[self.program.pk]) + f"?corrects={foreign.pk}")
        self.assertEqual(response.status_code, 404)

    def test_the_log_lists_the_newest_decision_first(self):
        make_decision(self.program, by=self.coordinator, title="Décision ancienne", decided_on=datetime.date(2025, 1, 5))
        make_decision(self.program, by=self.coordinator, title="Décision récente", decided_on=days_ago(0))

        body = self.client.get(reverse("governance", args=[self.program.pk])).content.decode()

        self.assertLess(body.index("Décision récente"), body.index("Montant maximal 60 $"))
        self.assertLess(body.index("Montant maximal 60 $"), body.index("Décision ancienne"))


class DecisionRecordServiceTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.world["program"])

    def test_it_refuses_a_missing_title_and_date_at_once(self):
        with self.assertRaises(ValidationError) as caught:
            services.decision_record(
                program=self.world["program"], decided_on=None, title="", details="", by=self.coordinator
            )
        self.assertEqual(set(caught.exception.message_dict), {"title", "decided_on"})
        self.assertEqual(Decision.objects.count(), 0)
