"""The simulator's pages: create, change, copy and delete a scenario, start one from a season, compare them side
by side; who may do what; bad input says what to do and saves nothing."""

import datetime
import html

from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.funding.models import Purpose
from pcn.funding.services import grant_create
from pcn.households.models import Household
from pcn.households.tests.factories import enrol, quota
from pcn.programs.models import Organization
from pcn.simulator.budget import GrantLine, Inputs
from pcn.simulator.models import BudgetScenario
from pcn.simulator.services import budget_scenario_create
from pcn.testing import make_role_users, make_user, make_world


def form_data(**overrides) -> dict:
    """The form as a coordinator fills it: two grants (10 000 $ and 5 000 $), 12 weekly remises from June 13,
    25 / 35 / 45 $ for 1 / 2 / 3+ people, 10 households of each size, 5 $ and 10 $ coupons, 80 %, 0,10 $ a
    coupon, 50 public sales of 30 $ for 20 $, 10 % for operations."""
    data = {
        "name": "Été 2027, 30 ménages",
        "grant_name_0": "MRC", "grant_amount_0": "10 000,00", "grant_name_1": "Desjardins", "grant_amount_1": "5000",
        "starts_on": "2026-06-13", "weeks": "12", "frequency": "weekly",
        "amount_1": "25,00", "amount_2": "35", "amount_3": "45,00",
        "households_1": "10", "households_2": "10", "households_3": "10",
        "denomination_0": "5", "denomination_1": "10,00",
        "redemption_rate_percent": "80", "printing_cost_cents": "0,10",
        "public_sales": "50", "public_sale_price_cents": "20", "public_sale_face_cents": "30",
        "operations_percent": "10",
    }
    data.update(overrides)
    return data


def text(response) -> str:
    """The page as a reader sees its characters (no HTML escapes)."""
    return html.unescape(response.content.decode())


def scenario_inputs(**overrides) -> Inputs:
    values = dict(grants=(GrantLine("MRC", 1_000_000),), starts_on=datetime.date(2026, 6, 13), weeks=12,
                  frequency="weekly", entitlement_cents=(2500, 3500, 4500), households=(10, 10, 10),
                  denominations_cents=(500, 1000), redemption_rate_percent=80)
    values.update(overrides)
    return Inputs(**values)


class SimulatorPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world("Portneuf")
        cls.users = make_role_users(cls.w, "p")
        cls.coordinator, cls.treasurer = cls.users[Role.COORDINATOR], cls.users[Role.TREASURER]
        cls.analyst = make_user("analyste", role=Role.NETWORK_ANALYST, network=cls.w["network"])
        cls.other = make_world("Charlevoix")
        cls.outsider = make_user("charlie", role=Role.COORDINATOR, program=cls.other["program"])
        cls.program = cls.w["program"]
        cls.scenario = budget_scenario_create(program=cls.program, name="Prudent", inputs=scenario_inputs(),
                                              by=cls.coordinator)
        cls.other_scenario = budget_scenario_create(program=cls.other["program"], name="Ailleurs",
                                                    inputs=scenario_inputs(), by=cls.outsider)

    def login(self, user, language="fr"):
        self.client.force_login(user)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    def create_url(self, **query):
        url = reverse("scenario_create", args=[self.program.pk])
        return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def test_a_coordinator_creates_a_scenario_and_sees_what_it_gives(self):
        self.login(self.coordinator)
        response = self.client.post(self.create_url(), form_data(), follow=True)
        scenario = BudgetScenario.objects.get(program=self.program, name="Été 2027, 30 ménages")
        self.assertRedirects(response, reverse("scenario_detail", args=[scenario.pk]))
        self.assertEqual(scenario.grants, [{"name": "MRC", "amount_cents": 1_000_000},
                                           {"name": "Desjardins", "amount_cents": 500_000}])
        self.assertEqual((scenario.entitlement_cents, scenario.households), ([2500, 3500, 4500], [10, 10, 10]))
        self.assertEqual((scenario.printing_cost_cents, scenario.public_sale_face_cents), (10, 3000))
        self.assertEqual(scenario.created_by, self.coordinator)
        page = text(response)
        # The hand-checked case of test_budget: 30 households served, 1 590 coupons, 11 280 $ to vendors.
        self.assertIn("ménages servis sur 30 inscrits", page)
        self.assertIn("<strong>1590</strong>", page)
        self.assertIn("11\u00a0280,00\u00a0$", page)
        self.assertIn("2\u00a0820,00\u00a0$", page)  # outstanding at season end
        self.assertIn("241,00\u00a0$", page)  # left over
        self.assertIn('<svg class="chart"', page)
        self.assertIn("Comment c'est calculé", page)

    def test_a_treasurer_creates_one_too(self):
        self.login(self.treasurer)
        response = self.client.post(self.create_url(), form_data(name="Trésorerie"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(BudgetScenario.objects.filter(name="Trésorerie", created_by=self.treasurer).exists())

    def test_amounts_the_coupons_cannot_make_say_what_to_do_and_save_nothing(self):
        self.login(self.coordinator)
        before = BudgetScenario.objects.count()
        response = self.client.post(self.create_url(), form_data(amount_2="32,50"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Les coupons de 5,00\u00a0$, 10,00\u00a0$ ne permettent pas de faire exactement "
                                      "32,50\u00a0$. Changez le montant ou ajoutez une valeur de coupon.")
        self.assertEqual(BudgetScenario.objects.count(), before)

    def test_typing_mistakes_are_shown_on_their_fields_and_save_nothing(self):
        self.login(self.coordinator)
        before = BudgetScenario.objects.count()
        response = self.client.post(self.create_url(), form_data(
            grant_amount_0="dix mille", grant_amount_1="", households_2="-3", redemption_rate_percent="150",
            name=""))
        self.assertEqual(response.status_code, 200)
        for message in ("Écrivez un montant en dollars, par exemple 12,50.", "Écrivez un nombre entier, 0 ou plus.",
                        "Ce nombre est trop grand : écrivez au plus 100.", "Donnez un nom au scénario.",
                        "Certaines réponses sont à corriger."):
            self.assertIn(message, text(response))
        self.assertEqual(BudgetScenario.objects.count(), before)

    def test_a_scenario_without_grants_or_households_is_refused(self):
        self.login(self.coordinator)
        response = self.client.post(self.create_url(), form_data(
            grant_amount_0="", grant_amount_1="", households_1="", households_2="0", households_3=""))
        self.assertIn("Donnez le montant d'au moins une subvention.", text(response))
        self.assertIn("Inscrivez au moins un ménage, de la taille de votre choix.", text(response))
        self.assertFalse(BudgetScenario.objects.filter(name="Été 2027, 30 ménages").exists())

    def test_a_name_already_taken_is_refused(self):
        self.login(self.coordinator)
        response = self.client.post(self.create_url(), form_data(name="Prudent"))
        self.assertContains(response, "Un autre scénario de ce programme porte déjà ce nom.")
        self.assertEqual(BudgetScenario.objects.filter(name="Prudent").count(), 1)

    def test_start_from_a_season_fills_the_form_with_the_seasons_values(self):
        w = self.w
        funder = Organization.objects.create(program=self.program, name="MRC", kind=Organization.Kind.FUNDER)
        grant_create(program=self.program, funder=funder, name="Fonds 2026", amount_cents=4_000_000,
                     starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
                     purposes=[Purpose.COUPONS], by=self.treasurer)
        grant_create(program=self.program, funder=funder, name="Fonds 2024", amount_cents=1_000,
                     starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 12, 31),
                     purposes=[Purpose.COUPONS], by=self.treasurer)
        quota(w, households=10)
        for size in (1, 2, 2, 5):
            enrol(w, self.coordinator, size=size)
        w["season"].expected_redemption_rate = 75
        w["season"].save()
        self.login(self.coordinator)
        response = self.client.get(self.create_url(season=w["season"].pk))
        form = response.context["form"]
        self.assertEqual(form["grant_name_0"].value(), "Fonds 2026")
        self.assertEqual(form["grant_amount_0"].value(), 4_000_000)
        self.assertEqual(form["grant_amount_1"].value(), None)  # 2024's grant does not touch the season
        self.assertEqual((form["weeks"].value(), form["frequency"].value()), (12, "weekly"))
        self.assertEqual([form[f"amount_{s}"].value() for s in (1, 2, 3, 4)], [2500, 3500, 4500, None])
        self.assertEqual([form[f"households_{s}"].value() for s in (1, 2, 3)], [1, 2, 1])  # 5 people: at the cap
        self.assertEqual(form["denomination_0"].value(), 500)
        self.assertEqual(form["redemption_rate_percent"].value(), 75)
        self.assertContains(response, 'value="25,00"')
        self.assertIn("Les valeurs viennent de la saison « Été 2026 »", text(response))

        data = {name: form[name].field.widget.format_value(form[name].value()) for name in form.fields}
        data = {name: "" if value is None else value for name, value in data.items()}  # as the page sends it
        self.assertEqual((data["amount_1"], data["starts_on"]), ("25,00", "2026-06-13"))
        response = self.client.post(self.create_url(season=w["season"].pk), data)
        scenario = BudgetScenario.objects.get(name="D'après Été 2026")
        self.assertEqual(scenario.source_season, w["season"])
        self.assertEqual(scenario.households, [1, 2, 1])
        self.assertEqual(Household.objects.filter(season=w["season"]).count(), 4)  # the season is untouched

    def test_a_season_of_another_program_cannot_be_a_starting_point(self):
        self.login(self.coordinator)
        self.assertEqual(self.client.get(self.create_url(season=self.other["season"].pk)).status_code, 404)

    def test_edit_changes_the_scenario(self):
        self.login(self.treasurer)
        url = reverse("scenario_edit", args=[self.scenario.pk])
        form = self.client.get(url).context["form"]
        self.assertEqual(form["name"].value(), "Prudent")
        self.assertEqual(form["amount_3"].value(), 4500)
        response = self.client.post(url, form_data(name="Prudent", weeks="16"))
        self.assertRedirects(response, reverse("scenario_detail", args=[self.scenario.pk]))
        self.scenario.refresh_from_db()
        self.assertEqual((self.scenario.weeks, self.scenario.updated_by), (16, self.treasurer))

    def test_copy_then_delete(self):
        self.login(self.coordinator)
        response = self.client.post(reverse("scenario_copy", args=[self.scenario.pk]))
        copy = BudgetScenario.objects.get(name="Copie de Prudent")
        self.assertRedirects(response, reverse("scenario_edit", args=[copy.pk]))
        self.assertEqual(copy.inputs(), self.scenario.inputs())
        self.client.post(reverse("scenario_copy", args=[self.scenario.pk]))
        self.assertTrue(BudgetScenario.objects.filter(name="Copie de Prudent (2)").exists())
        url = reverse("scenario_delete", args=[copy.pk])
        self.assertIn("C'est seulement un plan", text(self.client.get(url)))
        self.assertRedirects(self.client.post(url), reverse("program_simulator", args=[self.program.pk]))
        self.assertFalse(BudgetScenario.objects.filter(pk=copy.pk).exists())

    def test_the_list_shows_the_programs_scenarios_only(self):
        self.login(self.coordinator)
        response = self.client.get(reverse("program_simulator", args=[self.program.pk]))
        self.assertContains(response, "Prudent")
        self.assertNotContains(response, "Ailleurs")
        self.assertContains(response, "Partir de cette saison")

    def test_compare_shows_scenarios_side_by_side(self):
        generous = budget_scenario_create(program=self.program, name="Généreux", by=self.coordinator,
                                          inputs=scenario_inputs(entitlement_cents=(3000, 4000, 6000)))
        self.login(self.coordinator)
        url = reverse("simulator_compare", args=[self.program.pk])
        response = self.client.get(url, {"s": [self.scenario.pk, generous.pk]})
        self.assertEqual(response.status_code, 200)
        page = text(response)
        self.assertLess(page.index("Prudent"), page.index("Généreux"))
        # Prudent: 10 000 $ serves 8 + 8 + 7 households (see test_budget); Généreux fewer, at higher amounts.
        self.assertIn("Ménages qui peuvent être servis", page)
        row = page[page.index("Ménages qui peuvent être servis"):]
        row = row[:row.index("</tr>")]
        self.assertIn('<td class="num">24</td><td class="num">19</td>', row)
        self.assertIn(reverse("simulator_compare_pdf", args=[self.program.pk]), page)

    def test_compare_needs_two_to_four_of_the_programs_scenarios(self):
        self.login(self.coordinator)
        url = reverse("simulator_compare", args=[self.program.pk])
        response = self.client.get(url, {"s": [self.scenario.pk]}, follow=True)
        self.assertContains(response, "Cochez de 2 à 4 scénarios à comparer")
        response = self.client.get(url, {"s": [self.scenario.pk, self.other_scenario.pk]})
        self.assertEqual(response.status_code, 404)

    def test_readers_read_and_only_managers_change(self):
        self.login(self.analyst)
        self.assertEqual(self.client.get(reverse("scenario_detail", args=[self.scenario.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("scenario_edit", args=[self.scenario.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("scenario_copy", args=[self.scenario.pk])).status_code, 404)
        self.assertEqual(self.client.get(self.create_url()).status_code, 404)
        response = self.client.get(reverse("program_simulator", args=[self.program.pk]))
        self.assertNotContains(response, "Nouveau scénario")

    def test_others_get_404_everywhere(self):
        s, p = self.scenario.pk, self.program.pk
        urls = [reverse("program_simulator", args=[p]), reverse("scenario_create", args=[p]),
                reverse("scenario_detail", args=[s]), reverse("scenario_edit", args=[s]),
                reverse("scenario_delete", args=[s]), reverse("scenario_pdf", args=[s]),
                reverse("scenario_xlsx", args=[s]),
                reverse("simulator_compare", args=[p]) + f"?s={s}&s={s}",
                reverse("simulator_compare_xlsx", args=[p]) + f"?s={s}&s={s}"]
        others = [self.outsider, self.users[Role.PARTNER_WORKER], self.users[Role.VENDOR],
                  self.users[Role.FUNDER_VIEWER], self.users[Role.MARKET_MANAGER], self.users[Role.RESEARCHER]]
        for user in others:
            self.client.force_login(user)
            for url in urls:
                self.assertEqual(self.client.get(url).status_code, 404, f"{user.username} {url}")
            self.assertEqual(self.client.post(reverse("scenario_copy", args=[s])).status_code, 404)
            self.assertEqual(self.client.post(reverse("scenario_delete", args=[s])).status_code, 404)
        self.assertTrue(BudgetScenario.objects.filter(pk=s).exists())
        self.assertEqual(BudgetScenario.objects.filter(program=self.program).count(), 1)
