import datetime

from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.markets import services
from pcn.markets.models import Market, SalePoint
from pcn.markets.tests.factories import (
    make_market,
    make_organization,
    make_program,
    make_sale_point,
    make_user,
    make_vendor,
)


class MarketPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.program = make_program()
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)
        cls.treasurer = make_user("tresorier", role=Role.TREASURER, program=cls.program)
        cls.market = make_market(cls.program, "Marché public de Saint-Casimir", municipality="Saint-Casimir")
        cls.sale_point = make_sale_point(cls.market, "Place du marché", schedule="samedi 9 h à 13 h")
        make_sale_point(cls.market, "Kiosque de l'église", kind="farm_stand")
        make_market(cls.program, "Marché de Donnacona", municipality="Donnacona")
        cls.vendor = make_vendor(cls.program, [cls.sale_point], "Ferme des Érables")

    def setUp(self):
        self.client.force_login(self.coordinator)

    def test_the_list_shows_each_market_with_its_number_of_sale_points(self):
        response = self.client.get(reverse("market_list", args=[self.program.pk]))
        self.assertContains(response, "Marché public de Saint-Casimir")
        self.assertContains(response, "Marché de Donnacona")
        self.assertEqual(
            {m.name: m.sale_point_count for m in response.context["markets"]},
            {"Marché public de Saint-Casimir": 2, "Marché de Donnacona": 0},
        )
        self.assertContains(response, "Ajouter un marché")

    def test_searching_the_list_by_municipality_keeps_only_matching_markets(self):
        response = self.client.get(reverse("market_list", args=[self.program.pk]), {"q": "donnac"})
        self.assertContains(response, "Marché de Donnacona")
        self.assertNotContains(response, "Marché public de Saint-Casimir")

    def test_a_search_that_finds_nothing_says_so(self):
        response = self.client.get(reverse("market_list", args=[self.program.pk]), {"q": "Rimouski"})
        self.assertContains(response, "Aucun marché ne correspond à cette recherche.")

    def test_the_detail_shows_the_sale_points_and_who_sells_there(self):
        response = self.client.get(reverse("market_detail", args=[self.market.pk]))
        self.assertContains(response, "Place du marché")
        self.assertContains(response, "Kiosque à la ferme")
        self.assertContains(response, "samedi 9 h à 13 h")
        self.assertContains(response, "Ferme des Érables")
        self.assertContains(response, reverse("vendor_detail", args=[self.vendor.pk]))
        self.assertContains(response, reverse("sale_point_create", args=[self.market.pk]))

    def test_a_treasurer_reads_the_markets_without_buttons_to_change_them(self):
        self.client.force_login(self.treasurer)
        listing = self.client.get(reverse("market_list", args=[self.program.pk]))
        detail = self.client.get(reverse("market_detail", args=[self.market.pk]))
        self.assertContains(listing, "Marché de Donnacona")
        self.assertNotContains(listing, reverse("market_create", args=[self.program.pk]))
        self.assertNotContains(detail, reverse("market_edit", args=[self.market.pk]))
        self.assertNotContains(detail, reverse("sale_point_create", args=[self.market.pk]))
        self.assertNotContains(detail, reverse("sale_point_edit", args=[self.sale_point.pk]))

    def test_a_coordinator_creates_a_market_run_by_an_organization_of_the_program(self):
        operator = make_organization(self.program, "Corporation du marché de Neuville")
        response = self.client.post(
            reverse("market_create", args=[self.program.pk]),
            {"name": "Marché de Neuville", "municipality": "Neuville", "operator": operator.pk,
             "contact_email": "marche@neuville.example", "contact_phone": "418 555-0101"},
            follow=True,
        )
        market = Market.objects.get(name="Marché de Neuville")
        self.assertRedirects(response, reverse("market_detail", args=[market.pk]))
        self.assertContains(response, "Le marché « Marché de Neuville » est créé.")
        self.assertEqual(market.operator, operator)
        self.assertEqual(market.program, self.program)

    def test_the_operator_list_offers_only_the_program_organizations(self):
        mine = make_organization(self.program, "Corporation du marché de Neuville")
        foreign = make_organization(make_program("PCN Kamouraska"), "Corporation de Kamouraska")
        response = self.client.get(reverse("market_create", args=[self.program.pk]))
        self.assertContains(response, mine.name)
        self.assertNotContains(response, foreign.name)
        count = Market.objects.count()
        response = self.client.post(
            reverse("market_create", args=[self.program.pk]),
            {"name": "Marché de Neuville", "municipality": "Neuville", "operator": foreign.pk},
        )
        self.assertContains(response, "Choisissez un organisme dans la liste.")
        self.assertEqual(Market.objects.count(), count)

    def test_a_duplicate_market_name_is_refused_with_a_message_and_nothing_is_saved(self):
        count = Market.objects.count()
        response = self.client.post(
            reverse("market_create", args=[self.program.pk]),
            {"name": "Marché de Donnacona", "municipality": "Donnacona"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Un autre marché de ce programme porte déjà ce nom.")
        self.assertEqual(Market.objects.count(), count)

    def test_an_empty_market_form_says_what_to_fill(self):
        count = Market.objects.count()
        response = self.client.post(reverse("market_create", args=[self.program.pk]), {})
        self.assertContains(response, "Certaines réponses sont à corriger.")
        self.assertEqual(Market.objects.count(), count)

    def test_a_coordinator_edits_a_market(self):
        response = self.client.post(
            reverse("market_edit", args=[self.market.pk]),
            {"name": "Marché public de Saint-Casimir", "municipality": "Saint-Casimir-de-Portneuf"},
            follow=True,
        )
        self.assertContains(response, "Le marché « Marché public de Saint-Casimir » est enregistré.")
        self.market.refresh_from_db()
        self.assertEqual(self.market.municipality, "Saint-Casimir-de-Portneuf")


class SalePointPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.program = make_program()
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)
        cls.market = make_market(cls.program)

    def setUp(self):
        self.client.force_login(self.coordinator)

    def post(self, **data):
        fields = {"name": "Kiosque de la ferme Tournesol", "kind": "farm_stand", "address": "12, rang Saint-Joseph",
                  "latitude": "", "longitude": "", "schedule": ""}
        return self.client.post(reverse("sale_point_create", args=[self.market.pk]), {**fields, **data}, follow=True)

    def test_a_coordinator_adds_a_sale_point_with_coordinates_copied_from_a_map(self):
        response = self.post(latitude="46,6523451", longitude=" -71,9876549 ", schedule="tous les jours, 8 h à 18 h")
        self.assertRedirects(response, reverse("market_detail", args=[self.market.pk]))
        self.assertContains(response, "Le point de vente « Kiosque de la ferme Tournesol » est enregistré.")
        sale_point = SalePoint.objects.get()
        self.assertEqual((str(sale_point.latitude), str(sale_point.longitude)), ("46.652345", "-71.987655"))
        self.assertContains(response, "tous les jours, 8 h à 18 h")

    def test_a_latitude_without_longitude_is_refused_with_a_message_and_nothing_is_saved(self):
        response = self.post(latitude="46.65")
        self.assertContains(response, "Donnez la latitude et la longitude ensemble, ou laissez les deux vides.")
        self.assertEqual(SalePoint.objects.count(), 0)

    def test_a_latitude_off_the_globe_is_refused(self):
        response = self.post(latitude="146.65", longitude="-71.9")
        self.assertContains(response, "La latitude doit être entre -90 et 90.")
        self.assertEqual(SalePoint.objects.count(), 0)

    def test_words_in_a_coordinate_are_refused_with_an_example(self):
        response = self.post(latitude="nord", longitude="-71.9")
        self.assertContains(response, "Écrivez un nombre, par exemple 46.8139 ou -71.2080.")
        self.assertEqual(SalePoint.objects.count(), 0)

    def test_two_sale_points_of_a_market_cannot_share_a_name(self):
        make_sale_point(self.market, "Kiosque de la ferme Tournesol")
        response = self.post()
        self.assertContains(response, "Un autre point de vente de ce marché porte déjà ce nom.")
        self.assertEqual(SalePoint.objects.count(), 1)

    def test_a_coordinator_edits_a_sale_point(self):
        sale_point = make_sale_point(self.market)
        response = self.client.post(
            reverse("sale_point_edit", args=[sale_point.pk]),
            {"name": "Place du marché", "kind": "market", "address": "1, rue Principale", "schedule": "dimanche"},
            follow=True,
        )
        self.assertContains(response, "Le point de vente « Place du marché » est enregistré.")
        sale_point.refresh_from_db()
        self.assertEqual(sale_point.schedule, "dimanche")


def seen(response) -> str:
    """The page as a reader sees it: the non-breaking spaces inside « 9 h » read as spaces."""
    return response.content.decode().replace("\u00a0", " ")


class SalePointHoursPagesTest(TestCase):
    """The week of opening hours on the sale point form and on the market page."""

    @classmethod
    def setUpTestData(cls):
        cls.program = make_program()
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)
        cls.market = make_market(cls.program)
        cls.sale_point = make_sale_point(cls.market, "Place du marché", schedule="de juin à octobre")
        services.sale_point_set_hours(
            sale_point=cls.sale_point, hours=[(5, datetime.time(9), datetime.time(13))]
        )

    def setUp(self):
        self.client.force_login(self.coordinator)

    def edit(self, hours: dict[str, str], **fields):
        data = {"name": "Place de l'église", "kind": "market", "address": "1, rue Principale",
                "schedule": "de juin à octobre", **fields}
        data.update({f"hours-{name}": value for name, value in hours.items()})
        return self.client.post(reverse("sale_point_edit", args=[self.sale_point.pk]), data, follow=True)

    def saved(self):
        sale_point = SalePoint.objects.get(pk=self.sale_point.pk)
        week = list(sale_point.opening_hours.values_list("weekday", "opens_at", "closes_at"))
        return sale_point.name, week

    def test_the_form_shows_the_saved_hours_in_the_grid_and_the_note_under_its_new_name(self):
        response = self.client.get(reverse("sale_point_edit", args=[self.sale_point.pk]))
        self.assertContains(response, "<legend>Jours et heures d'ouverture</legend>")
        self.assertContains(response, 'name="hours-5-0-opens" value="09:00"')
        self.assertContains(response, 'name="hours-5-0-closes" value="13:00"')
        self.assertContains(response, 'type="time"', count=7 * 2 * 2)
        self.assertContains(response, "Précisions sur l&#x27;horaire")

    def test_a_line_with_only_the_opening_time_is_refused_on_that_line_and_nothing_is_saved(self):
        response = self.edit({"5-0-opens": "09:00", "5-0-closes": "13:00", "6-0-opens": "10:00"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Certaines réponses sont à corriger.")
        self.assertContains(
            response, "Indiquez aussi l&#x27;heure de fermeture, ou effacez l&#x27;heure d&#x27;ouverture.", count=1
        )
        self.assertEqual(list(response.context["hours_form"].errors), ["6-0-closes"])  # Sunday, first line
        self.assertEqual(self.saved(), ("Place du marché", [(5, datetime.time(9), datetime.time(13))]))

    def test_a_line_with_only_the_closing_time_is_refused_too(self):
        response = self.edit({"2-1-closes": "17:00"})
        self.assertContains(
            response, "Indiquez aussi l&#x27;heure d&#x27;ouverture, ou effacez l&#x27;heure de fermeture."
        )
        self.assertEqual(self.saved(), ("Place du marché", [(5, datetime.time(9), datetime.time(13))]))

    def test_a_line_that_closes_before_it_opens_is_refused(self):
        response = self.edit({"5-0-opens": "13:00", "5-0-closes": "09:00"})
        self.assertContains(response, "L&#x27;heure de fermeture doit venir après l&#x27;heure d&#x27;ouverture.")
        self.assertEqual(self.saved(), ("Place du marché", [(5, datetime.time(9), datetime.time(13))]))

    def test_overlapping_lines_are_refused_on_the_later_line(self):
        response = self.edit({"5-0-opens": "09:00", "5-0-closes": "13:00", "5-1-opens": "12:00", "5-1-closes": "17:00"})
        self.assertIn("Samedi : les heures 9 h à 13 h et 12 h à 17 h se chevauchent.", seen(response))
        self.assertEqual(list(response.context["hours_form"].errors), ["5-1-opens"])
        self.assertEqual(self.saved(), ("Place du marché", [(5, datetime.time(9), datetime.time(13))]))

    def test_words_instead_of_a_time_are_refused_with_an_example(self):
        response = self.edit({"5-0-opens": "midi", "5-0-closes": "13:00"})
        self.assertContains(response, "Écrivez une heure, par exemple 9:00 ou 13:30.")
        self.assertEqual(self.saved(), ("Place du marché", [(5, datetime.time(9), datetime.time(13))]))

    def test_a_valid_week_is_saved_with_the_sale_point_and_shown_on_the_market_page(self):
        response = self.edit({
            "3-0-opens": "15:30", "3-0-closes": "19:00",
            "5-0-opens": "09:00", "5-0-closes": "12:00", "5-1-opens": "13:00", "5-1-closes": "17:00",
            "6-0-opens": "09:00", "6-0-closes": "12:00", "6-1-opens": "13:00", "6-1-closes": "17:00",
        }, schedule="fermé en cas de pluie")
        self.assertRedirects(response, reverse("market_detail", args=[self.market.pk]))
        self.assertContains(response, "Le point de vente « Place de l&#x27;église » est enregistré.")
        t = datetime.time
        self.assertEqual(self.saved(), ("Place de l'église", [
            (3, t(15, 30), t(19)), (5, t(9), t(12)), (5, t(13), t(17)), (6, t(9), t(12)), (6, t(13), t(17)),
        ]))
        self.assertIn(
            "Jeudi, 15 h 30 à 19 h<br>Samedi et dimanche, 9 h à 12 h et 13 h à 17 h<br>"
            '<span class="muted">fermé en cas de pluie</span>',
            seen(response),
        )

    def test_times_typed_the_quebec_way_are_understood(self):
        self.edit({"4-0-opens": "15 h", "4-0-closes": "19 h 30"})
        self.assertEqual(self.saved()[1], [(4, datetime.time(15), datetime.time(19, 30))])

    def test_emptying_the_grid_leaves_the_sale_point_without_hours_and_the_page_shows_the_note(self):
        response = self.edit({})
        self.assertEqual(self.saved(), ("Place de l'église", []))
        self.assertContains(response, '<dd><span class="muted">de juin à octobre</span></dd>', html=True)

    def test_a_new_sale_point_is_created_with_its_hours(self):
        response = self.client.post(
            reverse("sale_point_create", args=[self.market.pk]),
            {"name": "Kiosque Tournesol", "kind": "farm_stand", "address": "12, rang Saint-Joseph",
             "schedule": "de juillet à octobre", **{f"hours-{day}-0-opens": "10:00" for day in (3, 4, 5, 6)},
             **{f"hours-{day}-0-closes": "17:00" for day in (3, 4, 5, 6)}},
            follow=True,
        )
        sale_point = SalePoint.objects.get(name="Kiosque Tournesol")
        self.assertEqual(sale_point.opening_hours.count(), 4)
        self.assertIn("Jeudi au dimanche, 10 h à 17 h", seen(response))

    def test_a_new_sale_point_with_wrong_hours_is_not_created(self):
        response = self.client.post(
            reverse("sale_point_create", args=[self.market.pk]),
            {"name": "Kiosque Tournesol", "kind": "farm_stand", "address": "12, rang Saint-Joseph",
             "hours-0-0-opens": "10:00"},
        )
        self.assertContains(response, "Indiquez aussi l&#x27;heure de fermeture")
        self.assertFalse(SalePoint.objects.filter(name="Kiosque Tournesol").exists())

    def test_the_vendor_page_shows_the_hours_of_each_sale_point(self):
        vendor = make_vendor(self.program, [self.sale_point], "Ferme des Érables")
        response = self.client.get(reverse("vendor_detail", args=[vendor.pk]))
        self.assertIn("Samedi, 9 h à 13 h", seen(response))
        self.assertContains(response, "de juin à octobre")
