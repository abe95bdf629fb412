"""The rules on programs and seasons hold in the database too, not only in forms."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from pcn.programs import services
from pcn.programs.entitlements import entitlement_per_period_cents
from pcn.programs.models import CouponClass, Denomination, EntitlementRow, Program, Season
from pcn.testing import make_world


class DatabaseConstraintTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")

    def assert_integrity_error(self, create):
        with self.assertRaises(IntegrityError), transaction.atomic():
            create()

    def test_a_season_cannot_end_before_it_starts(self):
        s = self.world["season"]
        self.assert_integrity_error(
            lambda: Season.objects.filter(pk=s.pk).update(ends_on=datetime.date(2026, 1, 1))
        )

    def test_a_season_accepts_coupons_somewhere(self):
        s = self.world["season"]
        self.assert_integrity_error(lambda: Season.objects.filter(pk=s.pk).update(accepted_sale_point_kinds=[]))

    def test_amounts_and_denominations_are_positive(self):
        s = self.world["season"]
        self.assert_integrity_error(lambda: Denomination.objects.create(season=s, value_cents=0))
        self.assert_integrity_error(lambda: EntitlementRow.objects.filter(season=s).update(amount_cents=0))

    def test_one_amount_per_household_size(self):
        s = self.world["season"]
        self.assert_integrity_error(lambda: EntitlementRow.objects.create(season=s, household_size=1, amount_cents=1))

    def test_a_coupon_class_buys_something(self):
        s = self.world["season"]
        self.assert_integrity_error(lambda: CouponClass.objects.create(season=s, name="Rien", categories=[]))

    def test_a_program_speaks_a_language(self):
        p = self.world["program"]
        self.assert_integrity_error(lambda: Program.objects.filter(pk=p.pk).update(languages=[]))


class ServiceTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")

    def test_entitlements_need_every_size_and_save_nothing_otherwise(self):
        season = self.world["season"]
        with self.assertRaises(ValidationError):
            services.season_set_entitlements(season=season, amounts_cents={1: 1000, 2: 2000})
        with self.assertRaises(ValidationError):
            services.season_set_entitlements(season=season, amounts_cents={1: 1000, 2: 0, 3: 3000})
        self.assertEqual(season.entitlement_rows.count(), 3)
        self.assertEqual(entitlement_per_period_cents(season=season, household_size=2), 3500)

    def test_households_above_the_cap_get_the_cap_amount(self):
        season = self.world["season"]
        self.assertEqual(entitlement_per_period_cents(season=season, household_size=9), 4500)
        self.assertEqual(entitlement_per_period_cents(season=season, household_size=1), 2500)

    def test_the_fiduciary_must_belong_to_the_program(self):
        other = make_world("Ailleurs", network=self.world["network"])
        program = self.world["program"]
        program.fiduciary = other["partner"]
        with self.assertRaises(ValidationError):
            services.program_save(program=program)
        program.refresh_from_db()
        self.assertIsNone(program.fiduciary_id)
