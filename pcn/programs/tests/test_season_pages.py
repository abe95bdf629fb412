import datetime

from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.programs.models import CouponClass, Denomination, EntitlementRow, Season
from pcn.testing import make_user, make_world


def season_post(**overrides):
    data = {
        "name": "Été 2027",
        "starts_on": "2027-06-12",
        "ends_on": "2027-09-04",
        "weeks": "12",
        "frequency": "weekly",
        "household_size_cap": "6",
        "coupons_valid_from": "",
        "coupons_valid_until": "",
        "accepted_sale_point_kinds": ["market", "farm_stand"],
    }
    data.update(overrides)
    return data


class SeasonFormTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.program = cls.world["program"]
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)

    def setUp(self):
        self.client.force_login(self.coordinator)
        self.url = reverse("season_create", args=[self.program.pk])

    def test_a_coordinator_creates_a_season_and_validity_defaults_to_its_dates(self):
        response = self.client.post(self.url, season_post())
        season = Season.objects.get(name="Été 2027")
        self.assertRedirects(response, reverse("season_entitlements", args=[season.pk]))
        self.assertEqual(season.coupons_valid_from, datetime.date(2027, 6, 12))
        self.assertEqual(season.coupons_valid_until, datetime.date(2027, 9, 4))
        self.assertEqual(season.accepted_sale_point_kinds, ["market", "farm_stand"])

    def test_the_stall_rules_are_chosen_with_the_season(self):
        self.client.post(self.url, season_post(card_offline_cap_cents="15,00", accept_unissued="on",
                                               counts_only="on"))
        season = Season.objects.get(name="Été 2027")
        self.assertEqual((season.card_offline_cap_cents, season.accept_unissued, season.counts_only),
                         (1500, True, True))
        self.client.post(self.url, season_post(name="Hiver 2028", starts_on="2028-01-08", ends_on="2028-03-25"))
        season = Season.objects.get(name="Hiver 2028")
        self.assertEqual((season.card_offline_cap_cents, season.accept_unissued, season.counts_only),
                         (2000, False, False))

    def assert_refused(self, data, message):
        before = Season.objects.count()
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, message)
        self.assertEqual(Season.objects.count(), before)

    def test_it_refuses_an_end_before_the_start(self):
        self.assert_refused(season_post(ends_on="2027-06-01"), "La fin de la saison doit venir après son début.")

    def test_it_refuses_a_season_that_overlaps_another(self):
        self.assert_refused(
            season_post(starts_on="2026-08-01", ends_on="2026-10-01", weeks="8"),
            "Ces dates chevauchent la saison « Été 2026 »",
        )

    def test_it_refuses_more_weeks_than_the_dates_hold(self):
        self.assert_refused(season_post(weeks="20"), "Il y a 13 semaines entre ces dates.")

    def test_it_refuses_zero_weeks(self):
        self.assert_refused(season_post(weeks="0"), "Une saison compte au moins une semaine.")

    def test_it_refuses_a_season_where_coupons_are_accepted_nowhere(self):
        data = season_post()
        del data["accepted_sale_point_kinds"]
        self.assert_refused(data, "Cochez au moins une case.")

    def test_it_refuses_coupons_valid_until_before_valid_from(self):
        self.assert_refused(
            season_post(coupons_valid_from="2027-07-01", coupons_valid_until="2027-06-30"),
            "La date de fin de validité doit venir après la date de début.",
        )

    def test_it_refuses_a_duplicate_season_name(self):
        self.assert_refused(
            season_post(name="Été 2026"), "Une autre saison de ce programme porte déjà ce nom."
        )

    def test_editing_a_season_keeps_it_from_overlapping_itself(self):
        season = self.world["season"]
        response = self.client.post(
            reverse("season_edit", args=[season.pk]),
            season_post(name="Été 2026", starts_on="2026-06-13", ends_on="2026-09-12", weeks="13"),
        )
        self.assertRedirects(response, reverse("season_detail", args=[season.pk]))
        season.refresh_from_db()
        self.assertEqual(season.weeks, 13)


class EntitlementPageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.season = cls.world["season"]  # household size capped at 3
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.world["program"])

    def setUp(self):
        self.client.force_login(self.coordinator)
        self.url = reverse("season_entitlements", args=[self.season.pk])

    def amounts(self):
        return list(EntitlementRow.objects.filter(season=self.season).values_list("household_size", "amount_cents"))

    def test_it_saves_amounts_typed_the_french_way(self):
        response = self.client.post(self.url, {"size_1": "25", "size_2": "37,50", "size_3": "60 $"})
        self.assertRedirects(response, reverse("season_detail", args=[self.season.pk]))
        self.assertEqual(self.amounts(), [(1, 2500), (2, 3750), (3, 6000)])

    def test_the_last_size_reads_or_more(self):
        response = self.client.get(self.url)
        self.assertContains(response, "3 personnes ou plus")

    def test_it_refuses_zero_negative_and_garbled_amounts_and_keeps_the_old_table(self):
        before = self.amounts()
        response = self.client.post(self.url, {"size_1": "0", "size_2": "-5", "size_3": "beaucoup"})
        self.assertContains(response, "Le montant doit être plus grand que zéro.", count=2)
        self.assertContains(response, "Écrivez un montant en dollars, par exemple 12,50.")
        self.assertEqual(self.amounts(), before)

    def test_it_refuses_a_missing_size(self):
        before = self.amounts()
        response = self.client.post(self.url, {"size_1": "25", "size_2": "", "size_3": "45"})
        self.assertContains(response, "Donnez le montant pour ce ménage.", count=1)
        self.assertEqual(self.amounts(), before)

    def test_it_refuses_an_amount_too_large_for_the_books(self):
        before = self.amounts()
        response = self.client.post(self.url, {"size_1": "25", "size_2": "30000000", "size_3": "45"})
        self.assertContains(response, "Ce montant est trop grand : écrivez au plus 1\u00a0000\u00a0000,00\u00a0$.")
        self.assertEqual(self.amounts(), before)

    def test_lowering_the_household_size_cap_drops_the_sizes_above_it(self):
        season_url = reverse("season_edit", args=[self.season.pk])
        data = season_post(name="Été 2026", starts_on="2026-06-13", ends_on="2026-09-05", household_size_cap="2")
        self.client.post(season_url, data)
        self.assertEqual(self.amounts(), [(1, 2500), (2, 3500)])
        page = self.client.get(reverse("season_detail", args=[self.season.pk]))
        self.assertContains(page, "2 personnes ou plus")


class DenominationAndClassPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.season = cls.world["season"]
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.world["program"])

    def setUp(self):
        self.client.force_login(self.coordinator)

    def test_it_saves_denominations_in_order(self):
        url = reverse("season_denominations", args=[self.season.pk])
        self.client.post(url, {"value_0": "10", "value_1": "2", "value_2": "5,00"})
        values = list(Denomination.objects.filter(season=self.season).values_list("value_cents", flat=True))
        self.assertEqual(values, [200, 500, 1000])

    def test_it_refuses_no_denomination_a_duplicate_and_a_zero(self):
        url = reverse("season_denominations", args=[self.season.pk])
        self.assertContains(self.client.post(url, {}), "Donnez au moins une valeur de coupon")
        self.assertContains(self.client.post(url, {"value_0": "5", "value_1": "5,00"}), "ne peut paraître qu&#x27;une fois")
        self.assertContains(self.client.post(url, {"value_0": "0"}), "Le montant doit être plus grand que zéro.")
        values = list(Denomination.objects.filter(season=self.season).values_list("value_cents", flat=True))
        self.assertEqual(values, [500])

    def test_it_refuses_a_coupon_class_with_no_category(self):
        url = reverse("coupon_class_create", args=[self.season.pk])
        response = self.client.post(url, {"name": "Tous les aliments"})
        self.assertContains(response, "Cochez au moins un type de produit que ce coupon permet d&#x27;acheter.", count=1)
        self.assertFalse(CouponClass.objects.filter(name="Tous les aliments").exists())

    def test_it_creates_a_coupon_class(self):
        url = reverse("coupon_class_create", args=[self.season.pk])
        self.client.post(url, {"name": "Tous les aliments", "categories": ["eggs", "meat", "honey"]})
        self.assertEqual(CouponClass.objects.get(name="Tous les aliments").categories, ["eggs", "meat", "honey"])
        page = self.client.get(reverse("season_detail", args=[self.season.pk]))
        self.assertContains(page, "Miel")


class NotPayableAmountTest(TestCase):
    """No change is given at the stall: the season's page says which amount its coupons cannot make exactly."""

    def test_the_season_page_names_an_amount_the_coupons_cannot_make(self):
        w = make_world("Portneuf")  # amounts 25, 35 and 45 $; 5 $ coupons
        coordinator = make_user("coordo-np", role=Role.COORDINATOR, program=w["program"])
        self.client.force_login(coordinator)
        url = reverse("season_detail", args=[w["season"].pk])
        self.assertNotContains(self.client.get(url), "ne permettent pas de faire exactement")
        EntitlementRow.objects.filter(season=w["season"], household_size=2).update(amount_cents=3550)
        self.assertContains(self.client.get(url),
                            "2 personnes : Les coupons de 5,00\u00a0$ ne permettent pas de faire exactement 35,50\u00a0$.")
