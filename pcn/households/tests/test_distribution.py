"""Distribution: coupons move from the partner to the household in the custody ledger, never more than the
entitlement rule gives, and a whole season of weekly distributions adds up to the cent."""

import datetime

from django.core.exceptions import ValidationError
from django.test import TestCase

from pcn.accounts.models import Role
from pcn.coupons.ledger import season_verify
from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent
from pcn.coupons.services import coupons_move
from pcn.coupons.tests.factories import issue
from pcn.households.models import Distribution, Household
from pcn.households.services import distribution_record, household_leave
from pcn.households.tests.factories import enrol, quota
from pcn.programs.entitlements import entitlement_per_period_cents, season_periods
from pcn.testing import make_user, make_world

BEFORE_SEASON = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)


class DistributionTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world("Portneuf")  # weekly from 2026-06-13, 12 weeks; 25 / 35 / 45 $ for 1 / 2 / 3+ people; 5 $ coupons
        cls.w["coordinator"] = make_user("coordo", role=Role.COORDINATOR, program=cls.w["program"])
        cls.worker = make_user("julie", role=Role.PARTNER_WORKER, program=cls.w["program"], organization=cls.w["partner"])
        cls.season = cls.w["season"]
        cls.series = issue(cls.w, count=400, booklet_size=5)
        coupons_move(season=cls.season, kind=CustodyEvent.Kind.ALLOCATE, ranges=[(cls.series.pk, 1, 300)],
                     to_partner=cls.w["partner"], by=cls.w["coordinator"])
        quota(cls.w, households=2)
        cls.small = enrol(cls.w, cls.worker, size=1)
        cls.large = enrol(cls.w, cls.worker, size=4)
        cls.waiting = enrol(cls.w, cls.worker, size=2)
        Household.objects.update(enrolled_at=BEFORE_SEASON)

    def give(self, household, day, first, last):
        return distribution_record(household=household, day=day, ranges=[(self.series.pk, first, last)], by=self.worker)

    def test_a_full_season_of_weekly_distributions_adds_up_to_the_entitlement_rule(self):
        self.waiting.refresh_from_db()
        self.assertEqual(self.waiting.status, Household.Status.WAITING)
        next_number = 1
        for period in season_periods(self.season):
            if period.number == 5:
                household_leave(household=self.small, by=self.worker)  # the waiting household takes the place
            for household in Household.objects.filter(season=self.season).active().order_by("pk"):
                due = entitlement_per_period_cents(season=self.season, household_size=household.size)
                count = due // 500
                self.give(household, period.starts_on, next_number, next_number + count - 1)
                next_number += count

        given = {h.pk: sum(h.distributions.values_list("given_cents", flat=True)) for h in Household.objects.all()}
        self.assertEqual(given[self.small.pk], 4 * 2500)  # periods 1–4, then it left
        self.assertEqual(given[self.large.pk], 12 * 4500)  # 4 people, capped at 3 in this season's table
        self.assertEqual(given[self.waiting.pk], 8 * 3500)  # periods 5–12, from the place that freed up
        self.assertTrue(Distribution.objects.filter(status=Distribution.Status.PARTIAL).count() == 0)
        in_households = Coupon.objects.filter(status=CouponStatus.HOUSEHOLD)
        self.assertEqual(sum(in_households.values_list("value_cents", flat=True)), sum(given.values()))
        self.assertEqual(season_verify(self.season), [])

    def test_a_partial_then_completed_distribution(self):
        day = datetime.date(2026, 6, 13)
        first = self.give(self.small, day, 1, 3)
        second = self.give(self.small, day, 4, 5)
        self.assertEqual((first.status, second.status), (Distribution.Status.PARTIAL, Distribution.Status.GIVEN))

    def test_more_than_the_entitlement_is_refused_and_nothing_moves(self):
        with self.assertRaises(ValidationError) as refused:
            self.give(self.small, datetime.date(2026, 6, 13), 1, 6)
        self.assertIn("le ménage n'a droit qu'à 25,00", " ".join(refused.exception.messages))
        self.assertFalse(Coupon.objects.filter(status=CouponStatus.HOUSEHOLD).exists())
        self.assertFalse(Distribution.objects.exists())

    def test_coupons_not_held_by_the_partner_are_refused(self):
        with self.assertRaises(ValidationError) as refused:
            self.give(self.small, datetime.date(2026, 6, 13), 301, 305)  # still in central stock
        self.assertIn("ne sont pas chez Entraide Portneuf", " ".join(refused.exception.messages))
        self.assertFalse(Distribution.objects.exists())

    def test_a_booklet_already_distributed_is_refused(self):
        self.give(self.small, datetime.date(2026, 6, 13), 1, 5)
        with self.assertRaises(ValidationError) as refused:
            self.give(self.large, datetime.date(2026, 6, 13), 1, 5)
        self.assertIn("(chez un ménage)", " ".join(refused.exception.messages))
        self.assertEqual(Distribution.objects.count(), 1)

    def test_a_missed_distribution_is_recorded_without_coupons(self):
        missed = distribution_record(household=self.small, day=datetime.date(2026, 6, 20), missed=True, by=self.worker)
        self.assertEqual((missed.status, missed.given_cents, missed.due_cents), ("missed", 0, 2500))

    def test_a_period_already_given_cannot_also_be_missed(self):
        self.give(self.small, datetime.date(2026, 6, 13), 1, 5)
        with self.assertRaises(ValidationError):
            distribution_record(household=self.small, day=datetime.date(2026, 6, 14), missed=True, by=self.worker)
        self.assertEqual(Distribution.objects.count(), 1)

    def test_a_waiting_household_receives_nothing(self):
        with self.assertRaises(ValidationError):
            self.give(self.waiting, datetime.date(2026, 6, 13), 1, 7)
        self.assertFalse(Coupon.objects.filter(status=CouponStatus.HOUSEHOLD).exists())


class DistributionPageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        today = datetime.date.today()
        cls.w = make_world("Kamouraska")
        season = cls.w["season"]
        season.starts_on, season.ends_on = today - datetime.timedelta(days=3), today + datetime.timedelta(days=80)
        season.coupons_valid_from, season.coupons_valid_until = season.starts_on, season.ends_on
        season.save()
        cls.w["coordinator"] = make_user("coordo", role=Role.COORDINATOR, program=cls.w["program"])
        cls.worker = make_user("julie", role=Role.PARTNER_WORKER, program=cls.w["program"], organization=cls.w["partner"])
        cls.series = issue(cls.w, count=20)
        coupons_move(season=season, kind=CustodyEvent.Kind.ALLOCATE, ranges=[(cls.series.pk, 1, 20)],
                     to_partner=cls.w["partner"], by=cls.w["coordinator"])
        quota(cls.w)
        cls.household = enrol(cls.w, cls.worker, size=1)
        Household.objects.update(enrolled_at=BEFORE_SEASON.replace(year=today.year - 1))

    def test_a_partner_worker_scans_the_coupons_handed_to_a_household(self):
        from django.urls import reverse

        self.client.force_login(self.worker)
        url = reverse("household_distribute", args=[self.household.pk])
        page = self.client.get(url)
        self.assertContains(page, "Montant dû : 25,00\u00a0$")
        codes = "\n".join(self.series.coupons.order_by("number").values_list("code", flat=True)[:5])
        response = self.client.post(url, {"how": "codes", "scanned": codes}, follow=True)
        self.assertContains(response, "Remis : 25,00\u00a0$ sur 25,00\u00a0$ dus pour cette période.")
        self.assertEqual(self.household.coupons.count(), 5)
        self.assertContains(response, "Remis en entier")
