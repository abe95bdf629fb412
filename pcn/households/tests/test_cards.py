"""Digital cards: where the season allows them, a balance credited once per period, shown on the public page."""

import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from pcn.accounts.models import Role
from pcn.households.models import CardEntry, Household
from pcn.households.services import card_credit_period, card_issue
from pcn.households.tests.factories import enrol, quota
from pcn.testing import make_user, make_world


class CardTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        today = timezone.localdate()
        cls.w = make_world("Québec")
        season = cls.w["season"]
        season.starts_on, season.ends_on = today - datetime.timedelta(days=2), today + datetime.timedelta(days=80)
        season.coupons_valid_from, season.coupons_valid_until = season.starts_on, season.ends_on
        season.cards_enabled = True
        season.save()
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.w["program"])
        quota(cls.w)
        cls.household = enrol(cls.w, cls.coordinator, size=2)
        Household.objects.update(enrolled_at=timezone.now() - datetime.timedelta(days=30))
        cls.household.refresh_from_db()

    def test_a_card_is_credited_once_per_period(self):
        card = card_issue(household=self.household, by=self.coordinator)
        entry = card_credit_period(card=card, day=timezone.localdate(), by=self.coordinator)
        self.assertEqual(entry.amount_cents, 3500)
        self.assertEqual(card.balance_cents, 3500)
        with self.assertRaises(ValidationError):
            card_credit_period(card=card, day=timezone.localdate(), by=self.coordinator)
        with self.assertRaises(IntegrityError), transaction.atomic():
            CardEntry.objects.create(card=card, kind="credit", amount_cents=1, period_number=entry.period_number,
                                     recorded_by=self.coordinator)
        self.assertEqual(card.balance_cents, 3500)

    def test_no_card_where_the_season_does_not_offer_them(self):
        self.w["season"].__class__.objects.filter(pk=self.w["season"].pk).update(cards_enabled=False)
        with self.assertRaises(ValidationError) as refused:
            card_issue(household=self.household, by=self.coordinator)
        self.assertIn("n'offre pas de cartes", " ".join(refused.exception.messages))

    def test_the_public_page_shows_the_balance_and_nothing_about_the_household(self):
        cache.clear()
        card = card_issue(household=self.household, by=self.coordinator)
        card_credit_period(card=card, day=timezone.localdate(), by=self.coordinator)
        response = self.client.get(reverse("coupon_check", args=[card.display_code]))
        self.assertContains(response, "Carte numérique")
        self.assertContains(response, "35,00\u00a0$")
        self.assertNotContains(response, self.household.display_code)
        self.assertNotContains(response, self.w["partner"].name)

    def test_the_household_page_creates_and_credits_the_card(self):
        self.client.force_login(self.coordinator)
        url = reverse("household_card", args=[self.household.pk])
        created = self.client.post(url, follow=True)
        self.assertContains(created, "Carte créée : C-")
        credited = self.client.post(url, {"action": "credit"}, follow=True)
        self.assertContains(credited, "La carte est créditée de 35,00\u00a0$ pour cette période.")
        self.assertContains(credited, "Solde : 35,00\u00a0$")

    def test_a_period_is_paid_once_on_paper_or_on_the_card_never_both(self):
        from pcn.coupons.models import CustodyEvent
        from pcn.coupons.services import coupons_move
        from pcn.coupons.tests.factories import issue
        from pcn.households.services import distribution_record

        self.w["coordinator"] = self.coordinator
        series = issue(self.w, count=10, valid_from=self.w["season"].coupons_valid_from,
                       valid_until=self.w["season"].coupons_valid_until)
        coupons_move(season=self.w["season"], kind=CustodyEvent.Kind.ALLOCATE, ranges=[(series.pk, 1, 10)],
                     to_partner=self.w["partner"], by=self.coordinator)
        card = card_issue(household=self.household, by=self.coordinator)
        card_credit_period(card=card, day=timezone.localdate(), by=self.coordinator)
        with self.assertRaises(ValidationError) as refused:
            distribution_record(household=self.household, day=timezone.localdate(), ranges=[(series.pk, 1, 7)],
                                by=self.coordinator)
        self.assertIn("déjà reçu cette période sur sa carte", " ".join(refused.exception.messages))
        self.assertFalse(self.household.coupons.exists())
