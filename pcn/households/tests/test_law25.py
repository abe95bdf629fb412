"""Moving to another partner, portability export and anonymization: the money history stays consistent."""

import datetime
import json

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.coupons.ledger import season_verify
from pcn.coupons.models import CouponStatus, CustodyEvent
from pcn.coupons.services import coupons_move
from pcn.coupons.tests.factories import issue
from pcn.households.models import Household
from pcn.households.services import distribution_record, household_anonymize, household_move
from pcn.households.tests.factories import enrol, quota
from pcn.programs.models import Organization
from pcn.testing import make_user, make_world


class Law25Test(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world("Portneuf")
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.w["program"])
        cls.w["coordinator"] = cls.coordinator
        cls.other = Organization.objects.create(program=cls.w["program"], name="Maison de la famille",
                                                kind=Organization.Kind.COMMUNITY_PARTNER)
        quota(cls.w, households=1)
        quota(cls.w, households=1, partner=cls.other)
        cls.household = enrol(cls.w, cls.coordinator, size=1, flags=["pregnancy"], community="Wendake",
                              identity={"family_name": "Roy", "first_name": "Luc", "birth_date": "1980-01-01"})
        cls.waiting = enrol(cls.w, cls.coordinator, size=1)
        Household.objects.update(enrolled_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
        series = issue(cls.w, count=10)
        coupons_move(season=cls.w["season"], kind=CustodyEvent.Kind.ALLOCATE, ranges=[(series.pk, 1, 10)],
                     to_partner=cls.w["partner"], by=cls.coordinator)
        distribution_record(household=cls.household, day=datetime.date(2026, 6, 13), ranges=[(series.pk, 1, 5)],
                            by=cls.coordinator)

    def test_moving_keeps_the_coupons_and_frees_the_place_for_the_waiting_list(self):
        household_move(household=self.household, to_partner=self.other, by=self.coordinator)
        self.household.refresh_from_db()
        self.waiting.refresh_from_db()
        self.assertEqual(self.household.partner, self.other)
        self.assertEqual(self.household.coupons.filter(status=CouponStatus.HOUSEHOLD).count(), 5)
        self.assertEqual(self.waiting.status, Household.Status.ACTIVE)
        self.assertEqual(season_verify(self.w["season"]), [])

    def test_moving_to_a_full_partner_is_refused_and_nothing_changes(self):
        household_move(household=self.household, to_partner=self.other, by=self.coordinator)
        self.waiting.refresh_from_db()
        with self.assertRaises(ValidationError) as refused:
            household_move(household=self.waiting, to_partner=self.other, by=self.coordinator)
        self.assertIn("n'a pas de place libre", " ".join(refused.exception.messages))
        self.waiting.refresh_from_db()
        self.assertEqual(self.waiting.partner, self.w["partner"])

    def test_the_export_is_structured_and_holds_no_identity(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("household_export", args=[self.household.pk]))
        self.assertIn("attachment", response["Content-Disposition"])
        data = json.loads(response.content)
        self.assertEqual(data["household"], self.household.display_code)
        self.assertEqual(data["distributions"][0]["given_cents"], 2500)
        self.assertEqual({c["purpose"] for c in data["consents"]}, {"participation", "surveys", "research"})
        for clear in ("Roy", "Luc", "1980"):
            self.assertNotIn(clear, response.content.decode())

    def test_anonymizing_drops_what_could_point_to_the_household_and_keeps_the_money_history(self):
        household_anonymize(household=self.household, by=self.coordinator)
        self.household.refresh_from_db()
        self.assertEqual((self.household.identity_hash, self.household.flags, self.household.community), ("", [], ""))
        self.assertIsNotNone(self.household.anonymized_at)
        self.assertEqual(self.household.distributions.get().given_cents, 2500)
        self.assertEqual(season_verify(self.w["season"]), [])
        with self.assertRaises(ValidationError):
            household_anonymize(household=self.household, by=self.coordinator)

    def test_a_partner_worker_of_another_partner_cannot_export(self):
        worker = make_user("julie", role=Role.PARTNER_WORKER, program=self.w["program"], organization=self.other)
        self.client.force_login(worker)
        self.assertEqual(self.client.get(reverse("household_export", args=[self.household.pk])).status_code, 404)


class ConsentChangeTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world("Kamouraska")
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.w["program"])
        quota(cls.w, households=1)
        cls.household = enrol(cls.w, cls.coordinator, size=1)
        cls.waiting = enrol(cls.w, cls.coordinator, size=1)

    def test_a_household_changes_its_mind_and_the_history_stays(self):
        self.client.force_login(self.coordinator)
        url = reverse("household_consent", args=[self.household.pk])
        response = self.client.post(url, {"purpose": "research", "given": "yes"}, follow=True)
        self.assertContains(response, "Sa réponse est notée.")
        self.assertTrue(self.household.current_consents()["research"].given)
        self.assertEqual(self.household.consents.filter(purpose="research").count(), 2)

    def test_withdrawing_participation_means_leaving_and_frees_the_place(self):
        self.client.force_login(self.coordinator)
        url = reverse("household_consent", args=[self.household.pk])
        response = self.client.post(url, {"purpose": "participation", "given": "no"}, follow=True)
        self.assertContains(response, "il quitte le programme")
        self.household.refresh_from_db()
        self.waiting.refresh_from_db()
        self.assertEqual((self.household.status, self.waiting.status), ("left", "active"))
