from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.funding.models import Expense, Grant, Purpose
from pcn.funding.tests.factories import funded_world
from pcn.payments.tests.factories import paying_world
from pcn.programs.models import Season
from pcn.testing import PASSWORD, make_user


class FundingPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = funded_world()
        cls.other = paying_world("Charlevoix")
        w = cls.w
        cls.worker = make_user("intervenante", role=Role.PARTNER_WORKER, program=w["program"], organization=w["partner"])
        cls.fondation_viewer = make_user("fondation", role=Role.FUNDER_VIEWER, program=w["program"],
                                         organization=w["fondation"])

    def pages(self):
        w = self.w
        return [reverse("program_funding", args=[w["program"].pk]), reverse("grant_detail", args=[w["grant_a"].pk]),
                reverse("season_funding", args=[w["season"].pk])]

    def login(self, user, language="fr"):
        self.client.force_login(user)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    def test_the_treasurer_reads_every_figure_in_french(self):
        self.login(self.w["treasurer"])
        program, grant, season = (self.client.get(url) for url in self.pages())
        self.assertContains(program, "Fonds de développement 2026")
        self.assertContains(program, "49\u00a0855,00\u00a0$")  # what remains of grant A
        self.assertContains(program, "1\u00a0983,00\u00a0$")  # what remains of grant B
        self.assertContains(program, "Reste du budget")
        self.assertContains(grant, "Impression des coupons")
        self.assertContains(grant, "-20,00\u00a0$")
        self.assertContains(grant, "Inscrire une dépense")
        self.assertContains(season, "Sans subvention")
        self.assertContains(season, "140,00\u00a0$")  # what could still be claimed, all season
        self.assertContains(season, "Valeur par défaut (80 %)")
        self.assertContains(season, "115,00\u00a0$")  # forecast: 15 $ + 125 $ × 80 %

    def test_the_pages_are_in_english_too(self):
        self.login(self.w["treasurer"], "en")
        program, grant, season = (self.client.get(url) for url in self.pages())
        self.assertContains(program, "$49,855.00")
        self.assertContains(program, "Remaining budget")
        self.assertContains(grant, "Record an expense")
        self.assertContains(season, "Without a grant")
        self.assertContains(season, "$115.00")

    def test_a_partner_worker_and_another_programs_treasurer_get_404(self):
        for user in (self.worker, self.other["treasurer"]):
            self.client.force_login(user)
            for url in self.pages():
                self.assertEqual(self.client.get(url).status_code, 404, f"{user.username} {url}")

    def test_a_funders_viewer_reads_only_that_funders_grants(self):
        self.login(self.fondation_viewer)
        listing = self.client.get(self.pages()[0])
        self.assertContains(listing, "Campagne grand public")
        self.assertNotContains(listing, "Fonds de développement 2026")
        self.assertEqual(self.client.get(reverse("grant_detail", args=[self.w["grant_b"].pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("grant_detail", args=[self.w["grant_a"].pk])).status_code, 404)
        self.assertEqual(self.client.get(self.pages()[2]).status_code, 404)
        self.assertEqual(self.client.get(reverse("grant_edit", args=[self.w["grant_b"].pk])).status_code, 404)

    def test_the_treasurers_home_links_to_the_funding(self):
        self.login(self.w["treasurer"])
        self.assertContains(self.client.get(reverse("home")), reverse("program_funding", args=[self.w["program"].pk]))


class GrantFormsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = funded_world()

    def setUp(self):
        self.client.login(username=self.w["treasurer"].username, password=PASSWORD)

    def test_the_treasurer_adds_a_grant(self):
        w = self.w
        response = self.client.post(reverse("grant_create", args=[w["program"].pk]), {
            "funder": w["mrc"].pk, "name": "Fonds d'urgence", "amount_cents": "12 500,50",
            "starts_on": "2026-01-01", "ends_on": "2026-12-31", "purposes": [Purpose.OPERATIONS],
        })
        grant = Grant.objects.get(name="Fonds d'urgence")
        self.assertRedirects(response, reverse("grant_detail", args=[grant.pk]))
        self.assertEqual((grant.amount_cents, grant.purposes, grant.created_by), (1_250_050, ["operations"],
                                                                                  w["treasurer"]))

    def test_a_grant_form_with_mistakes_says_what_to_fix(self):
        w = self.w
        response = self.client.post(reverse("grant_create", args=[w["program"].pk]), {
            "funder": w["partner"].pk, "name": "X", "amount_cents": "0", "starts_on": "2026-12-31",
            "ends_on": "2026-01-01",
        })
        self.assertContains(response, "Sélectionnez un choix valide")  # a partner is not a funder
        self.assertContains(response, "Le montant doit être plus grand que zéro.")
        self.assertContains(response, "Cochez au moins une case.")
        self.assertFalse(Grant.objects.filter(name="X").exists())

    def test_a_use_already_paid_stays_checked(self):
        w = self.w
        response = self.client.post(reverse("grant_edit", args=[w["grant_b"].pk]), {
            "funder": w["fondation"].pk, "name": "Campagne grand public", "amount_cents": "3000",
            "starts_on": w["grant_b"].starts_on, "ends_on": w["grant_b"].ends_on, "purposes": [Purpose.COUPONS],
        })
        self.assertContains(response, "Cette subvention paie déjà la bonification du volet grand public")
        w["grant_b"].refresh_from_db()
        self.assertEqual(w["grant_b"].amount_cents, 200_000)

    def test_an_expense_and_its_correction(self):
        url = reverse("expense_create", args=[self.w["grant_a"].pk])
        response = self.client.post(url, {"spent_on": "2026-06-01", "description": "Affiches", "amount_cents": "45,00"})
        self.assertRedirects(response, reverse("grant_detail", args=[self.w["grant_a"].pk]))
        too_much = self.client.post(url, {"spent_on": "2026-06-02", "description": "Erreur", "amount_cents": "200",
                                          "correction": "on"})
        self.assertContains(too_much, "ne peut pas retirer plus que ce qui a été dépensé")
        self.client.post(url, {"spent_on": "2026-06-02", "description": "Affiches en double", "amount_cents": "5",
                               "correction": "on"})
        self.assertEqual(list(Expense.objects.filter(grant=self.w["grant_a"]).values_list("amount_cents", flat=True)),
                         [12_000, -2_000, 4_500, -500])

    def test_a_grant_that_does_not_pay_operations_takes_no_expense(self):
        response = self.client.post(reverse("expense_create", args=[self.w["grant_b"].pk]),
                                    {"spent_on": "2026-06-01", "description": "Affiches", "amount_cents": "45,00"})
        self.assertContains(response, "Cette subvention ne paie pas le fonctionnement")
        self.assertFalse(Expense.objects.filter(grant=self.w["grant_b"]).exists())

    def test_the_coordinator_sets_the_seasons_expected_rate(self):
        season = self.w["season"]
        self.client.force_login(self.w["coordinator"])
        form = self.client.get(reverse("season_edit", args=[season.pk]))
        self.assertContains(form, "expected_redemption_rate")
        data = {k: v for k, v in form.context["form"].initial.items() if v is not None}
        data.update(expected_redemption_rate=65, card_offline_cap_cents="20,00", frequency=season.frequency)
        response = self.client.post(reverse("season_edit", args=[season.pk]), data)
        self.assertRedirects(response, reverse("season_detail", args=[season.pk]))
        self.assertEqual(Season.objects.get(pk=season.pk).expected_redemption_rate, 65)
        funding = self.client.get(reverse("season_funding", args=[season.pk]))
        self.assertContains(funding, "Taux fixé pour cette saison")
        self.assertContains(funding, "96,25\u00a0$")  # 15 $ + 125 $ × 65 %
