from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from pcn.accounts.models import Role
from pcn.markets import services
from pcn.markets.models import Market, SalePoint, Vendor, VendorAuthorization
from pcn.markets.selectors import authorized_vendors, vendor_is_authorized
from pcn.markets.tests.factories import (
    make_market,
    make_network,
    make_organization,
    make_program,
    make_sale_point,
    make_season,
    make_user,
    make_vendor,
)


class VendorSaveTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.program = make_program()
        cls.sale_point = make_sale_point(make_market(cls.program))
        other = make_program("PCN Kamouraska", network=make_network())
        cls.foreign_sale_point = make_sale_point(make_market(other, "Marché de Kamouraska"))

    def new_vendor(self, **kwargs):
        kwargs.setdefault("categories", ["vegetables"])
        return Vendor(program=self.program, business_name="Ferme Tournesol", kind=Vendor.Kind.PRODUCER, **kwargs)

    def test_it_saves_a_vendor_with_its_sale_points(self):
        vendor = services.vendor_save(vendor=self.new_vendor(), sale_points=[self.sale_point])
        self.assertEqual(list(vendor.sale_points.all()), [self.sale_point])

    def test_it_rejects_a_vendor_with_no_sale_point_and_saves_nothing(self):
        with self.assertRaises(ValidationError) as raised:
            services.vendor_save(vendor=self.new_vendor(), sale_points=[])
        self.assertEqual(
            raised.exception.message_dict["sale_points"], ["Choisissez au moins un point de vente où ce marchand vend."]
        )
        self.assertEqual(Vendor.objects.count(), 0)

    def test_it_rejects_a_sale_point_of_another_program_and_saves_nothing(self):
        with self.assertRaises(ValidationError) as raised:
            services.vendor_save(vendor=self.new_vendor(), sale_points=[self.sale_point, self.foreign_sale_point])
        self.assertIn("sale_points", raised.exception.message_dict)
        self.assertEqual(Vendor.objects.count(), 0)

    def test_it_rejects_a_vendor_with_no_category_and_saves_nothing(self):
        with self.assertRaises(ValidationError) as raised:
            services.vendor_save(vendor=self.new_vendor(categories=[]), sale_points=[self.sale_point])
        self.assertIn(
            "Cochez au moins un type de produit que vend ce marchand.", raised.exception.message_dict["categories"]
        )
        self.assertEqual(Vendor.objects.count(), 0)

    def test_changing_the_sale_points_replaces_them(self):
        vendor = services.vendor_save(vendor=self.new_vendor(), sale_points=[self.sale_point])
        stand = make_sale_point(self.sale_point.market, "Kiosque de la ferme", kind="farm_stand")
        services.vendor_save(vendor=vendor, sale_points=[stand])
        self.assertEqual(list(vendor.sale_points.all()), [stand])

    def test_a_failed_update_keeps_the_former_sale_points(self):
        vendor = services.vendor_save(vendor=self.new_vendor(), sale_points=[self.sale_point])
        vendor.categories = []
        with self.assertRaises(ValidationError):
            services.vendor_save(vendor=vendor, sale_points=[self.foreign_sale_point])
        vendor.refresh_from_db()
        self.assertEqual(vendor.categories, ["vegetables"])
        self.assertEqual(list(vendor.sale_points.all()), [self.sale_point])


class MarketSaveTest(TestCase):
    def test_it_refuses_an_operator_from_another_program(self):
        program = make_program()
        foreign = make_organization(make_program("PCN Kamouraska"))
        with self.assertRaises(ValidationError) as raised:
            services.market_save(market=Market(program=program, name="Marché", municipality="Donnacona", operator=foreign))
        self.assertIn("operator", raised.exception.message_dict)
        self.assertEqual(Market.objects.count(), 0)

    def test_two_markets_of_a_program_cannot_share_a_name(self):
        program = make_program()
        make_market(program, "Marché de Donnacona")
        with self.assertRaises(ValidationError) as raised:
            make_market(program, "Marché de Donnacona")
        self.assertIn("Un autre marché de ce programme porte déjà ce nom.", raised.exception.messages)
        self.assertEqual(Market.objects.count(), 1)

    def test_two_programs_may_each_have_a_market_of_the_same_name(self):
        make_market(make_program(), "Marché public")
        make_market(make_program("PCN Kamouraska"), "Marché public")
        self.assertEqual(Market.objects.filter(name="Marché public").count(), 2)


class SalePointSaveTest(TestCase):
    def test_it_refuses_a_latitude_without_longitude(self):
        market = make_market(make_program())
        with self.assertRaises(ValidationError) as raised:
            make_sale_point(market, latitude="46.8")
        self.assertIn("Donnez la latitude et la longitude ensemble, ou laissez les deux vides.", raised.exception.messages)
        self.assertEqual(SalePoint.objects.count(), 0)


class VendorAuthorizationTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.program = make_program()
        cls.season = make_season(cls.program)
        cls.vendor = make_vendor(cls.program, [make_sale_point(make_market(cls.program))])
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)

    def test_authorizing_makes_the_vendor_authorized_for_that_season_only(self):
        services.vendor_authorize(vendor=self.vendor, season=self.season, by=self.coordinator)
        next_season = make_season(self.program, "Été 2027", starts_on=self.season.starts_on.replace(year=2027))
        self.assertTrue(vendor_is_authorized(vendor=self.vendor, season=self.season))
        self.assertFalse(vendor_is_authorized(vendor=self.vendor, season=next_season))
        self.assertEqual(list(authorized_vendors(self.season)), [self.vendor])
        self.assertEqual(list(authorized_vendors(next_season)), [])

    def test_authorizing_twice_keeps_one_active_authorization(self):
        first = services.vendor_authorize(vendor=self.vendor, season=self.season, by=self.coordinator)
        second = services.vendor_authorize(vendor=self.vendor, season=self.season, by=self.coordinator)
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(VendorAuthorization.objects.filter(vendor=self.vendor, season=self.season).count(), 1)

    def test_revoking_keeps_the_history_and_a_new_authorization_is_a_new_row(self):
        other = make_user("coordo2", role=Role.COORDINATOR, program=self.program)
        services.vendor_authorize(vendor=self.vendor, season=self.season, by=self.coordinator)
        revoked = services.vendor_revoke(vendor=self.vendor, season=self.season, by=other)
        self.assertFalse(vendor_is_authorized(vendor=self.vendor, season=self.season))
        self.assertIsNotNone(revoked.revoked_at)
        self.assertEqual(revoked.revoked_by, other)
        self.assertEqual(revoked.authorized_by, self.coordinator)

        services.vendor_authorize(vendor=self.vendor, season=self.season, by=other)
        rows = VendorAuthorization.objects.filter(vendor=self.vendor, season=self.season).order_by("pk")
        self.assertEqual([row.revoked_at is None for row in rows], [False, True])
        self.assertTrue(vendor_is_authorized(vendor=self.vendor, season=self.season))

    def test_revoking_a_vendor_that_is_not_authorized_changes_nothing(self):
        self.assertIsNone(services.vendor_revoke(vendor=self.vendor, season=self.season, by=self.coordinator))
        self.assertEqual(VendorAuthorization.objects.count(), 0)

    def test_a_vendor_of_another_program_cannot_be_authorized(self):
        other_program = make_program("PCN Kamouraska")
        foreign_vendor = make_vendor(other_program, [make_sale_point(make_market(other_program))], "Ferme du Fleuve")
        with self.assertRaises(ValidationError) as raised:
            services.vendor_authorize(vendor=foreign_vendor, season=self.season, by=self.coordinator)
        self.assertIn("n'est pas un marchand de ce programme", raised.exception.messages[0])
        self.assertEqual(VendorAuthorization.objects.count(), 0)

    def test_the_database_refuses_two_active_authorizations_for_a_season(self):
        VendorAuthorization.objects.create(vendor=self.vendor, season=self.season, authorized_by=self.coordinator)
        with self.assertRaises(IntegrityError), transaction.atomic():
            VendorAuthorization.objects.create(vendor=self.vendor, season=self.season, authorized_by=self.coordinator)
