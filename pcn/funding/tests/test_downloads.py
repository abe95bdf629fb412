"""The funding pages' tables as CSV and XLSX: the same figures as the pages, money as numbers to the cent, and
the same people may download them as may read the pages."""

import csv
import io

from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from pcn.accounts.models import Role
from pcn.funding import selectors
from pcn.funding.tables import FIGURES
from pcn.funding.tests.factories import funded_world
from pcn.payments.tests.factories import paying_world
from pcn.testing import make_user


def sheets(content: bytes) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def records(rows: list[list], header_first: str) -> list[dict]:
    """The rows under the header row that starts with `header_first`, as dicts keyed by the header."""
    start = next(i for i, row in enumerate(rows) if row and row[0] == header_first)
    header = rows[start]
    return [dict(zip(header, row, strict=True)) for row in rows[start + 1:] if any(v not in (None, "") for v in row)]


class FundingDownloadsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = funded_world()
        cls.other = paying_world("Charlevoix")
        cls.fondation_viewer = make_user("fondation", role=Role.FUNDER_VIEWER, program=cls.w["program"],
                                         organization=cls.w["fondation"])

    def setUp(self):
        self.client.force_login(self.w["treasurer"])
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    def get(self, name, pk):
        return self.client.get(reverse(name, args=[pk]))

    def test_the_pages_link_to_their_downloads(self):
        w = self.w
        for page, pk, downloads in (
            ("program_funding", w["program"].pk, ("program_funding_csv", "program_funding_xlsx")),
            ("season_funding", w["season"].pk, ("season_funding_csv", "season_funding_xlsx")),
            ("grant_detail", w["grant_a"].pk, ("grant_csv", "grant_xlsx")),
        ):
            response = self.get(page, pk)
            self.assertContains(response, "Télécharger :")
            for name in downloads:
                self.assertContains(response, reverse(name, args=[pk]))

    def test_the_programs_xlsx_has_each_grants_figures_to_the_cent(self):
        response = self.get("program_funding_xlsx", self.w["program"].pk)
        self.assertEqual(response["Content-Type"],
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn('attachment; filename="financement-pcn-portneuf.xlsx"', response["Content-Disposition"])
        [rows] = sheets(response.content).values()
        by_grant = {r["Subvention"]: r for r in records(rows, "Subvention")}
        a, b = by_grant["Fonds de développement 2026"], by_grant["Campagne grand public"]
        self.assertEqual((a["Bailleur de fonds"], a["Début"]),
                         ("MRC Portneuf", self.w["grant_a"].starts_on.isoformat()))
        self.assertEqual((a["Budget"], a["Engagé (coupons émis)"], a["Fonctionnement"], a["Reste du budget"]),
                         (50_000.00, 45.00, 100.00, 49_855.00))  # the page shows « 49 855,00 $ »
        self.assertEqual((b["Reste du budget"], b["Bonifications (grand public)"],
                          b["Revenus de la vente au grand public"]), (1_983.00, 7.00, 23.00))
        total = by_grant["Toutes les subventions"]
        self.assertEqual(total["Budget"], 52_000.00)
        # Every money cell is the figure of the page, in dollars to the cent.
        figures = selectors.grant_figures([self.w["grant_a"]])[self.w["grant_a"].pk]
        for attr, label in FIGURES:
            self.assertEqual(round(a[str(label)] * 100), getattr(figures, attr), attr)

    def test_the_programs_csv_has_the_same_figures(self):
        response = self.get("program_funding_csv", self.w["program"].pk)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        by_grant = {r["Subvention"]: r for r in records(rows, "Subvention")}
        a = by_grant["Fonds de développement 2026"]
        self.assertEqual((a["Budget ($)"], a["Reste du budget ($)"], a["Fonctionnement ($)"]),
                         ("50000.00", "49855.00", "100.00"))

    def test_the_seasons_download_has_every_row_and_the_total(self):
        w = self.w
        page = self.get("season_funding", w["season"].pk)
        self.assertContains(page, "140,00\u00a0$")  # what could still be claimed, all season
        [rows] = sheets(self.get("season_funding_xlsx", w["season"].pk).content).values()
        by_grant = {r["Subvention"]: r for r in records(rows, "Subvention")}
        self.assertEqual(set(by_grant), {"Fonds de développement 2026", "Campagne grand public", "Sans subvention",
                                         "Toute la saison"})
        self.assertEqual(by_grant["Toute la saison"]["Ce qui peut encore être réclamé"], 140.00)
        self.assertEqual(by_grant["Sans subvention"]["Encore chez les ménages ou les acheteurs"], 90.00)
        self.assertIsNone(by_grant["Sans subvention"]["Budget"])
        text = self.get("season_funding_csv", w["season"].pk).content.decode("utf-8-sig")
        self.assertIn("Toute la saison,,,", text)
        self.assertIn(",140.00,", text)

    def test_the_grants_download_has_its_figures_seasons_series_and_expenses(self):
        book = sheets(self.get("grant_xlsx", self.w["grant_a"].pk).content)
        self.assertEqual(list(book), ["Où en est la subvention", "Par saison",
                                      "Séries de coupons payées par la", "Dépenses de fonctionnement"])
        figures = {r["Chiffre"]: r["Montant"] for r in records(book["Où en est la subvention"], "Chiffre")}
        self.assertEqual((figures["Budget"], figures["Reste du budget"], figures["Ce qui peut encore être réclamé"]),
                         (50_000.00, 49_855.00, 20.00))
        [season] = records(book["Par saison"], "Saison")
        self.assertEqual((season["Saison"], season["Engagé (coupons émis)"], season["Payés aux marchands"]),
                         ("Été 2026", 45.00, 5.00))
        [series] = records(book["Séries de coupons payées par la"], "Saison")
        self.assertEqual((series["Coupons"], series["Valeur du coupon"], series["Valeur émise"]), (10, 5.00, 50.00))
        expenses = records(book["Dépenses de fonctionnement"], "Date")
        self.assertEqual([e["Montant"] for e in expenses], [120.00, -20.00, 100.00])
        page = self.get("grant_detail", self.w["grant_a"].pk)
        self.assertContains(page, "Par saison")
        self.assertContains(page, "-20,00\u00a0$")

    def test_english_downloads_have_english_headers_and_the_same_numbers(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        [rows] = sheets(self.get("program_funding_xlsx", self.w["program"].pk).content).values()
        grant = next(r for r in rows if r and r[0] == "Fonds de développement 2026")
        self.assertIn(49_855.00, grant)
        self.assertIn("Remaining budget", rows[1])

    def test_a_funders_viewer_downloads_only_its_grants(self):
        w = self.w
        self.client.force_login(self.fondation_viewer)
        text = self.get("program_funding_csv", w["program"].pk).content.decode("utf-8-sig")
        self.assertIn("Campagne grand public", text)
        self.assertNotIn("Fonds de développement 2026", text)
        self.assertEqual(self.get("grant_xlsx", w["grant_b"].pk).status_code, 200)
        for name, pk in (("grant_xlsx", w["grant_a"].pk), ("grant_csv", w["grant_a"].pk),
                         ("season_funding_csv", w["season"].pk), ("season_funding_xlsx", w["season"].pk)):
            self.assertEqual(self.get(name, pk).status_code, 404, name)

    def test_another_programs_treasurer_gets_404(self):
        w = self.w
        self.client.force_login(self.other["treasurer"])
        for name, pk in (("program_funding_csv", w["program"].pk), ("program_funding_xlsx", w["program"].pk),
                         ("grant_csv", w["grant_a"].pk), ("season_funding_xlsx", w["season"].pk)):
            self.assertEqual(self.get(name, pk).status_code, 404, name)
