"""The coordinator's setup checklist on the home page (pcn.accounts.selectors.program_setup_steps)."""

from django.test import TestCase
from django.urls import reverse

from pcn.accounts.selectors import program_setup_steps
from pcn.coupons.models import CustodyEvent
from pcn.coupons.services import coupons_move
from pcn.coupons.tests.factories import coupon_world, issue

ISSUE = "Émettre et imprimer une série de coupons"
ALLOCATE = "Remettre des coupons aux partenaires"


class CouponStepsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = coupon_world()
        cls.season = cls.w["season"]

    def steps(self) -> dict:
        return {step.label: step for step in program_setup_steps(self.w["program"], self.season)}

    def labels(self) -> list[str]:
        return [step.label for step in program_setup_steps(self.w["program"], self.season)]

    def test_issuing_comes_after_the_coupon_classes_and_handing_out_after_the_vendors(self):
        labels = self.labels()
        self.assertEqual(labels.index(ISSUE), labels.index("Dire ce que les coupons permettent d'acheter (catégories)") + 1)
        self.assertEqual(labels.index(ALLOCATE), labels.index("Autoriser les marchands pour la saison") + 1)
        self.assertEqual(labels[-1], ALLOCATE)

    def test_the_steps_lead_to_the_series_form_and_the_allocation_form(self):
        steps = self.steps()
        self.assertEqual(steps[ISSUE].url, reverse("series_create", args=[self.season.pk]))
        self.assertEqual(steps[ALLOCATE].url, reverse("coupons_move", args=[self.season.pk, "allocate"]))

    def test_the_steps_are_done_once_a_series_is_issued_then_handed_to_a_partner(self):
        steps = self.steps()
        self.assertFalse(steps[ISSUE].done)
        self.assertFalse(steps[ALLOCATE].done)

        series = issue(self.w, count=12)
        steps = self.steps()
        self.assertTrue(steps[ISSUE].done)
        self.assertFalse(steps[ALLOCATE].done)  # coupons in central stock are not with a partner yet

        coupons_move(season=self.season, kind=CustodyEvent.Kind.ALLOCATE, ranges=[(series.pk, 1, 6)],
                     to_partner=self.w["partner"], by=self.w["coordinator"])
        self.assertTrue(self.steps()[ALLOCATE].done)

    def test_without_a_season_there_is_no_coupon_step(self):
        labels = [step.label for step in program_setup_steps(self.w["program"], None)]
        self.assertNotIn(ISSUE, labels)
        self.assertNotIn(ALLOCATE, labels)

    def test_the_home_page_lists_the_new_steps_for_the_coordinator(self):
        self.client.force_login(self.w["coordinator"])
        page = self.client.get(reverse("home"))
        self.assertContains(page, ISSUE)
        self.assertContains(page, f'href="{reverse("coupons_move", args=[self.season.pk, "allocate"])}"')
