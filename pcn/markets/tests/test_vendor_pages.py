from django.test import TestCase
from django.urls import reverse
from django.utils.html import escape

from pcn.accounts.models import Role
from pcn.markets import services
from pcn.markets.models import Vendor
from pcn.markets.tests.factories import (
    make_market,
    make_program,
    make_sale_point,
    make_season,
    make_user,
    make_vendor,
)


class VendorPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.program = make_program()
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)
        cls.market = make_market(cls.program, "Marché public de Saint-Casimir")
        cls.square = make_sale_point(cls.market, "Place du marché")
        cls.stand = make_sale_point(make_market(cls.program, "Ferme Tournesol"), "Kiosque", kind="farm_stand")
        cls.vendor = make_vendor(cls.program, [cls.square], "Ferme des Érables", contact_name="Julie Gagnon",
                                 categories=["maple", "eggs"])
        make_vendor(cls.program, [cls.stand], "Boulangerie du Village", kind=Vendor.Kind.PROCESSOR,
                    categories=["processed"])
        other = make_program("PCN Kamouraska")
        cls.foreign_sale_point = make_sale_point(make_market(other, "Marché de Kamouraska"), "Quai")

    def setUp(self):
        self.client.force_login(self.coordinator)

    def post_new(self, **data):
        fields = {"business_name": "Miellerie du Rang", "kind": "producer", "contact_name": "", "email": "",
                  "phone": "", "categories": ["honey"], "sale_points": [self.square.pk, self.stand.pk]}
        fields.update(data)
        return self.client.post(reverse("vendor_create", args=[self.program.pk]), fields, follow=True)

    def test_a_coordinator_registers_a_vendor_at_two_sale_points(self):
        response = self.post_new()
        vendor = Vendor.objects.get(business_name="Miellerie du Rang")
        self.assertRedirects(response, reverse("vendor_detail", args=[vendor.pk]))
        self.assertContains(response, "Le marchand « Miellerie du Rang » est enregistré.")
        self.assertEqual(set(vendor.sale_points.all()), {self.square, self.stand})
        self.assertEqual(vendor.categories, ["honey"])
        self.assertContains(response, "Miel")
        self.assertContains(response, "Kiosque à la ferme")

    def test_a_vendor_with_no_sale_point_is_refused_with_a_message_and_nothing_is_saved(self):
        count = Vendor.objects.count()
        response = self.post_new(sale_points=[])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choisissez au moins un point de vente où ce marchand vend.", count=1)
        self.assertEqual(Vendor.objects.count(), count)

    def test_a_vendor_with_no_category_is_refused_with_a_message_and_nothing_is_saved(self):
        count = Vendor.objects.count()
        response = self.post_new(categories=[])
        self.assertContains(response, "Cochez au moins un type de produit que vend ce marchand.", count=1)
        self.assertEqual(Vendor.objects.count(), count)

    def test_a_sale_point_of_another_program_cannot_be_chosen(self):
        count = Vendor.objects.count()
        response = self.post_new(sale_points=[self.foreign_sale_point.pk])
        self.assertContains(response, "Choisissez des points de vente dans la liste.")
        self.assertEqual(Vendor.objects.count(), count)

    def test_the_form_offers_only_the_program_sale_points_named_with_their_market(self):
        response = self.client.get(reverse("vendor_create", args=[self.program.pk]))
        self.assertContains(response, "Marché public de Saint-Casimir – Place du marché")
        self.assertContains(response, "Ferme Tournesol – Kiosque")
        self.assertNotContains(response, "Marché de Kamouraska")

    def test_the_form_says_to_add_sale_points_first_when_there_are_none(self):
        empty = make_program("PCN Charlevoix")
        self.client.force_login(make_user("coordo-c", role=Role.COORDINATOR, program=empty))
        response = self.client.get(reverse("vendor_create", args=[empty.pk]))
        self.assertContains(response, escape("Ce programme n'a encore aucun point de vente."))

    def test_a_duplicate_vendor_name_is_refused_and_nothing_is_saved(self):
        count = Vendor.objects.count()
        response = self.post_new(business_name="Ferme des Érables")
        self.assertContains(response, "Un autre marchand de ce programme porte déjà ce nom.")
        self.assertEqual(Vendor.objects.count(), count)

    def test_editing_a_vendor_replaces_its_sale_points(self):
        response = self.client.get(reverse("vendor_edit", args=[self.vendor.pk]))
        self.assertEqual(response.context["form"]["sale_points"].value(), [self.square.pk])
        response = self.client.post(
            reverse("vendor_edit", args=[self.vendor.pk]),
            {"business_name": "Ferme des Érables", "kind": "producer", "categories": ["maple"],
             "sale_points": [self.stand.pk]},
            follow=True,
        )
        self.assertContains(response, "Le marchand « Ferme des Érables » est enregistré.")
        self.assertEqual(list(self.vendor.sale_points.all()), [self.stand])

    def test_the_list_shows_vendors_and_where_they_sell(self):
        response = self.client.get(reverse("vendor_list", args=[self.program.pk]))
        self.assertContains(response, "Ferme des Érables")
        self.assertContains(response, "Boulangerie du Village")
        self.assertContains(response, "Transformateur")
        self.assertContains(response, "Marché public de Saint-Casimir – Place du marché")
        self.assertContains(response, "Inscrire un marchand")

    def test_searching_vendors_by_contact_name_keeps_only_matching_vendors(self):
        response = self.client.get(reverse("vendor_list", args=[self.program.pk]), {"q": "gagnon"})
        self.assertContains(response, "Ferme des Érables")
        self.assertNotContains(response, "Boulangerie du Village")

    def test_the_detail_shows_products_sale_points_and_the_authorization_per_season(self):
        summer = make_season(self.program, "Été 2026")
        make_season(self.program, "Été 2027", starts_on=summer.starts_on.replace(year=2027))
        services.vendor_authorize(vendor=self.vendor, season=summer, by=self.coordinator)
        response = self.client.get(reverse("vendor_detail", args=[self.vendor.pk]))
        self.assertContains(response, "Produits de l&#x27;érable")
        self.assertContains(response, "Œufs")
        self.assertContains(response, "Place du marché")
        rows = {row.season.name: row.active is not None for row in response.context["seasons"]}
        self.assertEqual(rows, {"Été 2026": True, "Été 2027": False})
        self.assertContains(response, "Autorisé le ")
        self.assertContains(response, "par coordo")
        self.assertContains(response, "Non autorisé")
