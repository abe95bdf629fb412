"""The setup wizard: from a template (or another program's season) to a program with a configured season, step by
step, resumable, and all or nothing."""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from pcn.accounts.models import Role
from pcn.payments.models import PaymentSettings
from pcn.programs.models import Network, Organization, Program, Season
from pcn.testing import make_user, make_world
from pcn.toolbox import setup
from pcn.toolbox.models import SetupDraft
from pcn.toolbox.program_templates import TEMPLATES, first_monday_of_june
from pcn.toolbox.setup_views import _as_data, _form_for

PROGRAM = {"name": "Coupons nourriciers de Lotbinière", "kind": "mrc", "region": "12", "languages": ["fr"],
           "fiduciary": "UPA Chaudière-Appalaches"}


class WizardSteps:
    """Walks the wizard's steps as `self.admin` (whoever is logged in)."""

    def start(self, template="rural_mrc", url=None):
        response = self.client.post(url or reverse("setup_new"), {"start": template})
        self.assertEqual(response.status_code, 302, getattr(response, "context", None) and response.context.get("form").errors)
        return SetupDraft.objects.get(created_by=self.admin, finished_at__isnull=True)

    def post_step(self, draft, step, data):
        if hasattr(data, "lists"):  # a QueryDict: the test client would keep only the last of several values
            data = dict(data.lists())
        return self.client.post(reverse("setup_step", args=[draft.pk, step]), data)

    def walk(self, draft, *, program=PROGRAM, season=None, amounts=None, classes=None, partners=None):
        """Post each step with the template's answers (changed where given), then create."""
        steps = {
            "program": program,
            "season": season or {"name": "Été 2027", "starts_on": "2027-06-07", "weeks": "12", "frequency": "weekly",
                                 "household_size_cap": "5", "accepted_sale_point_kinds": ["market", "farm_stand"],
                                 "expected_redemption_rate": "80"},
            "amounts": amounts or {"size_1": "20", "size_2": "30", "size_3": "40", "size_4": "50", "size_5": "60",
                                   "value_0": "2", "value_1": "5"},
            "classes": classes or {"name_0": "Aliments locaux", "categories_0": ["vegetables", "fruit", "eggs"]},
            "partners": partners or {"names": "Entraide Saint-Apollinaire\nMaison de la famille"},
        }
        for step, data in steps.items():
            response = self.post_step(draft, step, data)
            self.assertRedirects(response, reverse("setup_step", args=[draft.pk, setup.STEP_KEYS[setup.step_index(step) + 1]]),
                                 fetch_redirect_response=False, msg_prefix=f"{step}: {getattr(response, 'context', None) and response.context['form'].errors}")
        return self.client.post(reverse("setup_step", args=[draft.pk, "review"]))


class WizardTest(WizardSteps, TestCase):
    def setUp(self):
        self.network = Network.objects.create(name="Réseau des marchés publics")
        self.admin = make_user("admin", role=Role.NETWORK_ADMIN, network=self.network)
        self.client.force_login(self.admin)

    def test_a_network_admin_walks_from_a_template_to_a_program_with_its_season(self):
        page = self.client.get(reverse("setup_new"))
        for template in TEMPLATES.values():
            self.assertContains(page, template.label)
        draft = self.start("rural_mrc")
        page = self.client.get(reverse("setup_step", args=[draft.pk, "program"]))
        self.assertContains(page, "étape 2 sur 7")

        response = self.walk(draft)

        self.assertRedirects(response, reverse("setup_done", args=[draft.pk]), fetch_redirect_response=False)
        program = Program.objects.get(name=PROGRAM["name"])
        self.assertEqual(program.network, self.network)
        self.assertEqual(program.fiduciary.name, "UPA Chaudière-Appalaches")
        self.assertEqual(program.fiduciary.kind, Organization.Kind.FIDUCIARY)
        self.assertEqual(sorted(program.organizations.filter(kind=Organization.Kind.COMMUNITY_PARTNER)
                                .values_list("name", flat=True)), ["Entraide Saint-Apollinaire", "Maison de la famille"])
        season = program.seasons.get()
        self.assertEqual((season.starts_on, season.ends_on), (datetime.date(2027, 6, 7), datetime.date(2027, 8, 29)))
        self.assertEqual((season.coupons_valid_from, season.coupons_valid_until), (season.starts_on, season.ends_on))
        self.assertEqual(dict(season.entitlement_rows.values_list("household_size", "amount_cents")),
                         {1: 2000, 2: 3000, 3: 4000, 4: 5000, 5: 6000})
        self.assertEqual(list(season.denominations.values_list("value_cents", flat=True)), [200, 500])
        self.assertEqual(season.coupon_classes.get().categories, ["vegetables", "fruit", "eggs"])
        self.assertEqual(season.expected_redemption_rate, 80)

        done = self.client.get(reverse("setup_done", args=[draft.pk]))
        self.assertContains(done, reverse("series_create", args=[season.pk]))
        self.assertContains(done, "Émettre et imprimer des coupons")
        # The network's page says what the program started from.
        self.assertContains(self.client.get(reverse("network_home")), "MRC rurale")

    def test_every_template_makes_a_valid_program_as_it_comes(self):
        """Each template's own values pass every step and create a season: nothing to fix but the names."""
        for number, key in enumerate(TEMPLATES):
            with self.subTest(template=key):
                draft = self.start(key)
                forms = {}
                for step in setup.STEP_KEYS[1:-1]:
                    draft.refresh_from_db()
                    data = _as_data(_form_for(step, draft, None))
                    if step == "program":
                        data.update({"name": f"Programme {number}", "region": "08", "fiduciary": f"Fiduciaire {number}"})
                    if step == "partners" and draft.answers["program"]["kind"] == Program.Kind.INDIGENOUS_COMMUNITY:
                        data["band_council"] = "Conseil de la Première Nation Abitibiwinni"
                    response = self.post_step(draft, step, data)
                    forms[step] = response.status_code
                self.assertEqual(set(forms.values()), {302}, forms)
                self.client.post(reverse("setup_step", args=[draft.pk, "review"]))
                draft.refresh_from_db()
                self.assertIsNotNone(draft.finished_at)
                template = TEMPLATES[key]
                season = draft.season
                self.assertEqual((season.weeks, season.frequency, season.cards_enabled),
                                 (template.weeks, template.frequency, template.cards_enabled))
                self.assertEqual([r.amount_cents for r in season.entitlement_rows.all()], list(template.amounts_cents))
        indigenous = Program.objects.get(kind=Program.Kind.INDIGENOUS_COMMUNITY)
        self.assertEqual(indigenous.languages, ["fr", "alq", "en"])
        self.assertTrue(indigenous.organizations.filter(kind=Organization.Kind.BAND_COUNCIL).exists())
        local = PaymentSettings.objects.get(program__seasons__coupon_classes__isnull=False,
                                            local_currency_name="Petite-monnaie")
        self.assertEqual(local.local_units_per_100_cad, 105)

    def test_the_template_fills_next_summer_and_its_amounts(self):
        draft = self.start("remote_region")
        draft.step = "partners"
        draft.save()
        page = self.client.get(reverse("setup_step", args=[draft.pk, "season"]))
        monday = first_monday_of_june(timezone.localdate())
        self.assertEqual(monday.weekday(), 0)
        self.assertContains(page, f'value="{monday.isoformat()}"')
        self.assertContains(page, "aux deux semaines")
        page = self.client.get(reverse("setup_step", args=[draft.pk, "amounts"]))
        self.assertContains(page, 'value="120,00"')  # 5 people or more, every two weeks

    def test_an_amount_the_coupons_cannot_make_is_refused_and_the_earlier_answer_kept(self):
        draft = self.start()
        draft.step = "amounts"
        draft.save()
        before = dict(SetupDraft.objects.get(pk=draft.pk).answers["amounts"])
        response = self.post_step(draft, "amounts", {"size_1": "12,50", "size_2": "30", "size_3": "40", "size_4": "50",
                                                     "size_5": "60", "value_0": "5"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Les coupons de 5,00 $ ne permettent pas de faire exactement 12,50 $.")
        self.assertContains(response, "ajoutez une valeur de coupon")
        draft.refresh_from_db()
        self.assertEqual(draft.answers["amounts"], before)
        self.assertEqual(draft.step, "amounts")

    def test_a_templates_names_are_in_the_programs_language_not_the_users(self):
        self.client.cookies["django_language"] = "en"
        draft = self.start("rural_mrc")
        self.assertEqual(draft.answers["classes"][0]["name"], "Aliments locaux")
        self.assertTrue(draft.answers["season"]["name"].startswith("Été "))

    def test_a_step_cannot_be_skipped(self):
        draft = self.start()
        response = self.client.get(reverse("setup_step", args=[draft.pk, "review"]))
        self.assertRedirects(response, reverse("setup_step", args=[draft.pk, "program"]), fetch_redirect_response=False)

    def test_a_walk_left_halfway_resumes_where_it_stopped(self):
        draft = self.start()
        self.post_step(draft, "program", PROGRAM)
        self.client.logout()
        self.client.force_login(self.admin)
        page = self.client.get(reverse("setup_new"))
        self.assertContains(page, "Reprendre où j'en étais")
        self.assertContains(page, reverse("setup_step", args=[draft.pk, "season"]))
        self.assertContains(self.client.get(reverse("home")), reverse("setup_step", args=[draft.pk, "season"]))
        page = self.client.get(reverse("setup_step", args=[draft.pk, "program"]))
        self.assertContains(page, PROGRAM["name"])

    def test_nothing_is_created_when_a_step_no_longer_holds(self):
        draft = self.start()
        self.post_step(draft, "program", PROGRAM)
        # Meanwhile, someone else creates a program of that name.
        Program.objects.create(network=self.network, name=PROGRAM["name"], kind="mrc", region="12", languages=["fr"])
        for step in ("season", "amounts", "classes", "partners"):
            draft.refresh_from_db()
            self.post_step(draft, step, _as_data(_form_for(step, draft, None)))
        response = self.client.post(reverse("setup_step", args=[draft.pk, "review"]))
        self.assertContains(response, "étape « Le programme » est à corriger")
        self.assertContains(response, "Un autre programme porte déjà ce nom.")
        self.assertEqual(Program.objects.count(), 1)
        self.assertFalse(Season.objects.exists())
        self.assertFalse(Organization.objects.exists())
        draft.refresh_from_db()
        self.assertIsNone(draft.finished_at)
        # The step shown posts to itself: the corrected name is kept, and the review then creates everything.
        self.assertContains(response, f'action="{reverse("setup_step", args=[draft.pk, "program"])}"')
        fixed = self.post_step(draft, "program", {**PROGRAM, "name": "Coupons nourriciers de Lotbinière-Nord"})
        self.assertRedirects(fixed, reverse("setup_step", args=[draft.pk, "season"]), fetch_redirect_response=False)
        created = self.client.post(reverse("setup_step", args=[draft.pk, "review"]))
        self.assertRedirects(created, reverse("setup_done", args=[draft.pk]), fetch_redirect_response=False)
        self.assertTrue(Program.objects.filter(name="Coupons nourriciers de Lotbinière-Nord").exists())

    def test_a_changed_household_size_cap_brings_the_amounts_in_line(self):
        draft = self.start()
        for step, data in (("program", PROGRAM),):
            self.post_step(draft, step, data)
        season = {"name": "Été 2027", "starts_on": "2027-06-07", "weeks": "12", "frequency": "weekly",
                  "household_size_cap": "5", "accepted_sale_point_kinds": ["market"]}
        self.post_step(draft, "season", season)
        draft.refresh_from_db()
        for step in ("amounts", "classes", "partners"):
            self.post_step(draft, step, _as_data(_form_for(step, draft, None)))
        # Back to the season: a smaller cap drops the amounts above it; the review creates 3 rows.
        self.post_step(draft, "season", {**season, "household_size_cap": "3"})
        draft.refresh_from_db()
        self.assertEqual(sorted(draft.answers["amounts"]["entitlements"]), ["1", "2", "3"])
        self.assertEqual(draft.step, "review")
        # A larger cap leaves a size without an amount: the review asks for it, and creates nothing meanwhile.
        self.post_step(draft, "season", {**season, "household_size_cap": "4"})
        response = self.client.post(reverse("setup_step", args=[draft.pk, "review"]))
        self.assertContains(response, "étape « Les montants et les coupons » est à corriger")
        self.assertContains(response, "Donnez le montant pour ce ménage.")
        self.assertFalse(Season.objects.exists())
        self.post_step(draft, "amounts", {"size_1": "20", "size_2": "30", "size_3": "40", "size_4": "55",
                                          "value_0": "5"})
        self.client.post(reverse("setup_step", args=[draft.pk, "review"]))
        draft.refresh_from_db()
        self.assertEqual(list(draft.season.entitlement_rows.values_list("amount_cents", flat=True)),
                         [2000, 3000, 4000, 5500])

    def test_a_program_that_is_no_longer_a_community_gets_no_band_council(self):
        draft = self.start("indigenous_community")
        self.post_step(draft, "program", {**PROGRAM, "kind": "indigenous_community", "region": "08"})
        draft.refresh_from_db()
        for step in ("season", "amounts", "classes"):
            self.post_step(draft, step, _as_data(_form_for(step, draft, None)))
        self.post_step(draft, "partners", {"band_council": "Conseil des Anishnabe de Lac-Simon"})
        self.post_step(draft, "program", {**PROGRAM, "kind": "mrc", "region": "08"})
        self.client.post(reverse("setup_step", args=[draft.pk, "review"]))
        program = Program.objects.get(name=PROGRAM["name"])
        self.assertFalse(program.organizations.filter(kind=Organization.Kind.BAND_COUNCIL).exists())

    def test_a_date_out_of_reach_is_refused_in_words(self):
        draft = self.start()
        self.post_step(draft, "program", PROGRAM)
        response = self.post_step(draft, "season", {
            "name": "Été 9999", "starts_on": "9999-06-07", "weeks": "12", "frequency": "weekly",
            "household_size_cap": "5", "accepted_sale_point_kinds": ["market"]})
        self.assertContains(response, "Choisissez une date de début entre l&#x27;an 2000 et l&#x27;an 2100.")

    def test_creating_twice_makes_one_program(self):
        draft = self.start()
        self.walk(draft)
        again = self.client.post(reverse("setup_step", args=[draft.pk, "review"]))
        self.assertRedirects(again, reverse("setup_done", args=[draft.pk]), fetch_redirect_response=False)
        with self.assertRaisesMessage(Exception, "déjà terminée"):
            setup.setup_apply(draft=draft, by=self.admin)
        self.assertEqual(Program.objects.count(), 1)
        self.assertEqual(Season.objects.count(), 1)

    def test_another_programs_season_serves_as_a_model_without_its_people(self):
        model = make_world("Portneuf", network=self.network)
        page = self.client.get(reverse("setup_new"))
        self.assertContains(page, "PCN Portneuf – Été 2026")
        response = self.client.post(reverse("setup_new"), {"start": "model", "model_season": model["season"].pk})
        draft = SetupDraft.objects.get(created_by=self.admin)
        self.assertRedirects(response, reverse("setup_step", args=[draft.pk, "program"]), fetch_redirect_response=False)
        self.assertEqual(draft.model_season, model["season"])
        self.assertEqual(draft.answers["amounts"]["entitlements"], {"1": 2500, "2": 3500, "3": 4500})
        self.assertEqual(draft.answers["partners"]["names"], [])
        self.assertEqual(draft.answers["season"]["household_size_cap"], 3)

    def test_a_model_brings_no_payment_settings_and_an_existing_programs_stay_the_treasurys(self):
        from pcn.payments.models import PaymentSettings

        model = make_world("Papineau", network=self.network)
        PaymentSettings.objects.create(program=model["program"], local_currency_name="Petite-monnaie",
                                       local_units_per_100_cad=110, updated_by=self.admin)
        self.client.post(reverse("setup_new"), {"start": "model", "model_season": model["season"].pk})
        draft = SetupDraft.objects.get()
        self.assertEqual(draft.answers["partners"]["local_currency_name"], "")

        existing = Program.objects.create(network=self.network, name="PCN Lac", kind="mrc", region="07",
                                          languages=["fr"])
        PaymentSettings.objects.create(program=existing, local_currency_name="Lac", local_units_per_100_cad=100,
                                       updated_by=self.admin)
        self.client.post(reverse("setup_program", args=[existing.pk]), {"start": "local_currency"})
        other = SetupDraft.objects.get(program=existing)
        page = self.client.get(reverse("setup_step", args=[other.pk, "program"]))
        self.assertEqual(page.status_code, 200)
        other.step = "partners"
        other.save()
        page = self.client.get(reverse("setup_step", args=[other.pk, "partners"]))
        self.assertNotContains(page, 'name="local_units_per_100_cad"')
        self.assertContains(page, "que la trésorerie gère")

    def test_a_communitys_season_is_a_model_only_for_those_who_reach_it(self):
        community = make_world("Lac-Simon", network=self.network)
        Program.objects.filter(pk=community["program"].pk).update(kind=Program.Kind.INDIGENOUS_COMMUNITY)
        mrc = make_world("Portneuf", network=self.network)
        coordinator = make_user("coordo", role=Role.COORDINATOR, program=mrc["program"])
        self.assertContains(self.client.get(reverse("setup_new")), "PCN Lac-Simon – Été 2026")  # the network's admin
        self.client.force_login(coordinator)
        page = self.client.get(reverse("setup_program", args=[mrc["program"].pk]))
        self.assertNotContains(page, "PCN Lac-Simon")

    def test_choosing_the_model_list_without_a_season_says_what_to_do(self):
        make_world("Portneuf", network=self.network)
        response = self.client.post(reverse("setup_new"), {"start": "model", "model_season": ""})
        self.assertContains(response, "Choisissez dans la liste la saison à prendre comme modèle.")
        self.assertFalse(SetupDraft.objects.exists())


class CoordinatorSetupTest(WizardSteps, TestCase):
    """A coordinator whose program the network created bare sets it up."""

    def setUp(self):
        self.network = Network.objects.create(name="Réseau")
        self.program = Program.objects.create(network=self.network, name="PCN Kamouraska", kind="mrc", region="01",
                                              languages=["fr"])
        self.coordinator = self.admin = make_user("coordo", role=Role.COORDINATOR, program=self.program)
        self.client.force_login(self.coordinator)

    def test_the_home_page_sends_a_new_coordinator_to_the_wizard(self):
        home = self.client.get(reverse("home"))
        self.assertContains(home, reverse("setup_program", args=[self.program.pk]))

    def test_it_completes_the_existing_program(self):
        response = self.client.post(reverse("setup_program", args=[self.program.pk]), {"start": "rural_mrc"})
        draft = SetupDraft.objects.get()
        self.assertEqual(draft.program, self.program)
        page = self.client.get(reverse("setup_step", args=[draft.pk, "program"]))
        self.assertContains(page, "PCN Kamouraska")
        self.walk(draft, program={**PROGRAM, "name": "PCN Kamouraska", "region": "01"})
        self.program.refresh_from_db()
        self.assertEqual(self.program.fiduciary.name, PROGRAM["fiduciary"])
        self.assertEqual(self.program.seasons.count(), 1)
        self.assertEqual(Program.objects.count(), 1)
        self.assertIsNotNone(response)

    def test_others_cannot_reach_a_draft_or_set_up_a_program_not_theirs(self):
        self.client.post(reverse("setup_program", args=[self.program.pk]), {"start": "city"})
        draft = SetupDraft.objects.get()
        other = make_world("Ailleurs", network=self.network)
        outsider = make_user("ailleurs", role=Role.COORDINATOR, program=other["program"])
        colleague = make_user("tresorier", role=Role.TREASURER, program=self.program)
        for user in (outsider, colleague):
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("setup_step", args=[draft.pk, "program"])).status_code, 404)
            self.assertEqual(self.client.get(reverse("setup_program", args=[self.program.pk])).status_code, 404)
            self.assertEqual(self.client.get(reverse("setup_new")).status_code, 404)
        # A coordinator who lost the role no longer finds the draft on the home page.
        self.coordinator.memberships.all().delete()
        self.client.force_login(self.coordinator)
        self.assertNotContains(self.client.get(reverse("home")), reverse("setup_step", args=[draft.pk, "program"]))


class NetworkSharingTest(WizardSteps, TestCase):
    """The network's page lists the programs with what they started from and where they stand, and any of them
    serves as a model for a new one."""

    def setUp(self):
        self.network = Network.objects.create(name="Réseau")
        self.admin = make_user("admin", role=Role.NETWORK_ADMIN, network=self.network)
        self.client.force_login(self.admin)

    def test_the_network_page_shows_each_programs_status_and_offers_its_season_as_a_model(self):
        today = timezone.localdate()
        running = make_world("Portneuf", network=self.network)
        running["season"].starts_on, running["season"].ends_on = today - datetime.timedelta(days=7), today + datetime.timedelta(days=60)
        running["season"].save()
        closed = make_world("Rimouski", network=self.network)
        closed["season"].closed_at = timezone.now()
        closed["season"].save()
        upcoming = make_world("Matane", network=self.network)
        upcoming["season"].starts_on = today + datetime.timedelta(days=30)
        upcoming["season"].ends_on = today + datetime.timedelta(days=120)
        upcoming["season"].save()
        Program.objects.create(network=self.network, name="PCN Bas", kind="mrc", region="01", languages=["fr"])

        # A program in the middle of its season that has already prepared the next one is still running; one whose
        # season ended without being closed says it is to close, even with its next season ready.
        for world, days in ((running, 300), (ended_next := make_world("Matapédia", network=self.network), 300)):
            Season.objects.create(program=world["program"], name="Été prochain", weeks=12,
                                  starts_on=today + datetime.timedelta(days=days),
                                  ends_on=today + datetime.timedelta(days=days + 83),
                                  coupons_valid_from=today + datetime.timedelta(days=days),
                                  coupons_valid_until=today + datetime.timedelta(days=days + 83),
                                  accepted_sale_point_kinds=["market"])
        for ended in (make_world("Kamouraska", network=self.network), ended_next):
            ended["season"].starts_on = today - datetime.timedelta(days=90)
            ended["season"].ends_on = today - datetime.timedelta(days=3)
            ended["season"].save()

        page = self.client.get(reverse("network_home"))

        rows = {}
        for row in page.context["rows"]:
            rows[row["program"].name] = str(row["status"])
        self.assertEqual(rows["PCN Portneuf"], "Saison en cours")
        self.assertEqual(rows["PCN Rimouski"], "Saison fermée")
        self.assertEqual(rows["PCN Matane"], "Saison à venir")
        self.assertEqual(rows["PCN Kamouraska"], "Saison terminée, à fermer")
        self.assertEqual(rows["PCN Matapédia"], "Saison terminée, à fermer")
        self.assertEqual(rows["PCN Bas"], "En préparation")
        model_link = f'{reverse("setup_new")}?model={running["season"].pk}'
        self.assertContains(page, model_link)

        # Following the link preselects that season in the list of models.
        start = self.client.get(model_link)
        self.assertContains(start, f'<option value="{running["season"].pk}" selected>PCN Portneuf – Été 2026</option>',
                            html=True)

    def test_a_program_made_from_a_model_says_so_on_the_network_page(self):
        model = make_world("Portneuf", network=self.network)
        self.client.post(reverse("setup_new"), {"start": "model", "model_season": model["season"].pk})
        draft = SetupDraft.objects.get()
        self.walk(draft, season={
            "name": "Été 2027", "starts_on": "2027-06-07", "weeks": "12", "frequency": "weekly",
            "household_size_cap": "3", "accepted_sale_point_kinds": ["market"],
        }, amounts={"size_1": "25", "size_2": "35", "size_3": "45", "value_0": "5"})
        self.assertContains(self.client.get(reverse("network_home")), "Modèle : PCN Portneuf – Été 2026")


class StaleDraftTest(WizardSteps, TestCase):
    def test_a_program_changed_meanwhile_keeps_what_the_wizard_did_not_change(self):
        network = Network.objects.create(name="Réseau")
        program = Program.objects.create(network=network, name="PCN Kamouraska", kind="mrc", region="01",
                                         languages=["fr"])
        self.admin = make_user("coordo", role=Role.COORDINATOR, program=program)
        self.client.force_login(self.admin)
        self.client.post(reverse("setup_program", args=[program.pk]), {"start": "rural_mrc"})
        draft = SetupDraft.objects.get()
        # Meanwhile, on the program's own page, the languages change.
        Program.objects.filter(pk=program.pk).update(languages=["fr", "en"])
        self.walk(draft, program={**PROGRAM, "name": "PCN Kamouraska", "region": "01"})
        program.refresh_from_db()
        self.assertEqual(program.languages, ["fr", "en"])  # the wizard's program step did not touch them
        self.assertEqual(program.fiduciary.name, PROGRAM["fiduciary"])  # this one, it did
