"""The distribution sheet: each household's due amount for the day's period, as the fewest coupons."""

import datetime

from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.households.models import Household
from pcn.households.selectors import distribution_sheet
from pcn.households.tests.factories import enrol, quota
from pcn.programs.models import Denomination, Organization
from pcn.testing import make_user, make_world


class DistributionSheetTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world("Portneuf")  # weekly from 2026-06-13, 12 weeks; 25 / 35 / 45 $ for 1 / 2 / 3+ people
        cls.season = cls.w["season"]
        Denomination.objects.create(season=cls.season, value_cents=200)  # values: 2 $ and 5 $
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.w["program"])
        quota(cls.w)
        cls.one = enrol(cls.w, cls.coordinator, size=1)
        cls.three = enrol(cls.w, cls.coordinator, size=3)
        cls.five = enrol(cls.w, cls.coordinator, size=5)
        Household.objects.filter(pk__in=[cls.one.pk, cls.three.pk, cls.five.pk]).update(
            enrolled_at=datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)
        )

    def test_each_household_gets_its_amount_as_the_fewest_coupons(self):
        sheet = distribution_sheet(season=self.season, partner=self.w["partner"], day=datetime.date(2026, 7, 2))
        self.assertEqual(sheet.period.number, 3)
        due = {line.household.size: (line.due_cents, line.coupons) for line in sheet.lines}
        self.assertEqual(due[1], (2500, {500: 5}))
        self.assertEqual(due[3], (4500, {500: 9}))
        self.assertEqual(due[5], (4500, {500: 9}))  # the season's cap is 3 people
        self.assertEqual(sheet.total_cents, 11500)
        self.assertEqual(sheet.coupons_needed, {500: 23})

    def test_a_household_enrolled_during_the_period_starts_at_the_next_one(self):
        late = enrol(self.w, self.coordinator, size=2)
        Household.objects.filter(pk=late.pk).update(enrolled_at=datetime.datetime(2026, 7, 1, 16, tzinfo=datetime.UTC))
        sheet = distribution_sheet(season=self.season, partner=self.w["partner"], day=datetime.date(2026, 7, 2))
        line = next(line for line in sheet.lines if line.household.pk == late.pk)
        self.assertTrue(line.joins_next_period)
        self.assertEqual(line.due_cents, 0)
        next_week = distribution_sheet(season=self.season, partner=self.w["partner"], day=datetime.date(2026, 7, 4))
        self.assertEqual(next(x.due_cents for x in next_week.lines if x.household.pk == late.pk), 3500)

    def test_an_amount_the_values_cannot_make_is_flagged_on_the_page(self):
        self.season.entitlement_rows.filter(household_size=1).update(amount_cents=2550)
        self.season.denominations.filter(value_cents=200).delete()
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("distribution_sheet", args=[self.season.pk]), {"day": "2026-07-02"})
        self.assertContains(response, "ne permettent pas de faire exactement le montant de 1 ménage")
        self.assertContains(response, "Impossible avec les valeurs de coupons de la saison")

    def test_a_day_outside_the_season_says_so(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("distribution_sheet", args=[self.season.pk]), {"day": "2026-12-24"})
        self.assertContains(response, "dans aucune période de remise")

    def test_a_partner_worker_sees_only_their_partner(self):
        other = Organization.objects.create(program=self.w["program"], name="Voisins", kind="community_partner")
        worker = make_user("julie", role=Role.PARTNER_WORKER, program=self.w["program"], organization=other)
        self.client.force_login(worker)
        url = reverse("distribution_sheet", args=[self.season.pk])
        self.assertEqual(self.client.get(url, {"partner": self.w["partner"].pk}).status_code, 404)
        own = self.client.get(url, {"day": "2026-07-02"})
        self.assertContains(own, "Voisins")
        self.assertNotContains(own, self.one.display_code)
