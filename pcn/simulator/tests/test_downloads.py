"""A scenario and a comparison as PDF (text extracted, in French and English) and XLSX (values read back)."""

import datetime
import io

import pypdfium2 as pdfium
from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from pcn.accounts.models import Role
from pcn.reports.charts import PALETTE
from pcn.simulator.budget import GrantLine, Inputs
from pcn.simulator.services import budget_scenario_create
from pcn.testing import make_user, make_world


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, with the no-break spaces of amounts as plain spaces (as pdfium gives them)."""
    document = pdfium.PdfDocument(pdf)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document))).replace("\u00a0", " ")


def hand_checked(**overrides) -> Inputs:
    """test_budget's hand-checked case: 30 households served, 1 590 coupons, 11 280 $ to vendors."""
    values = dict(
        grants=(GrantLine("MRC", 1_000_000), GrantLine("Desjardins", 500_000)), starts_on=datetime.date(2026, 6, 13),
        weeks=12, frequency="weekly", entitlement_cents=(2500, 3500, 4500), households=(10, 10, 10),
        denominations_cents=(500, 1000), redemption_rate_percent=80, printing_cost_cents=10, public_sales=50,
        public_sale_price_cents=2000, public_sale_face_cents=3000, operations_percent=10,
    )
    values.update(overrides)
    return Inputs(**values)


def sheet_rows(sheet) -> dict:
    """{first cell: the row's other cells} for a sheet of label-and-values rows."""
    return {row[0]: list(row[1:]) for row in sheet.iter_rows(values_only=True) if row and row[0] is not None}


class DownloadsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world("Portneuf")
        cls.treasurer = make_user("tresorier", role=Role.TREASURER, program=cls.w["program"])
        cls.other = make_world("Charlevoix")
        cls.outsider = make_user("charlie", role=Role.TREASURER, program=cls.other["program"])
        cls.scenario = budget_scenario_create(program=cls.w["program"], name="Été 2027", inputs=hand_checked(),
                                              by=cls.treasurer)
        cls.short = budget_scenario_create(program=cls.w["program"], name="Budget serré", by=cls.treasurer,
                                           inputs=hand_checked(grants=(GrantLine("MRC", 1_000_000),),
                                                               printing_cost_cents=0, public_sales=0,
                                                               operations_percent=0))

    def get(self, name, *args, language="fr", query=None, user=None):
        self.client.force_login(user or self.treasurer)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return self.client.get(reverse(name, args=args), query or {})

    def test_the_scenarios_pdf_in_french(self):
        response = self.get("scenario_pdf", self.scenario.pk)
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = pdf_text(response.content)
        for expected in ("Scénario de budget", "Été 2027", "Simulateur de budget · PCN Portneuf",
                         "Ménages qui peuvent être servis 30", "Coupons à imprimer 1 590",
                         "Budget (toutes les subventions) 15 000,00 $", "Fonctionnement 1 500,00 $",
                         "Bonifications du volet grand public 500,00 $", "Impression des coupons 159,00 $",
                         "Coupons remis aux ménages servis 12 600,00 $", "Reste du budget 241,00 $",
                         "À payer aux marchands (prévu) 11 280,00 $",
                         "Encore en circulation à la fin de la saison 2 820,00 $",
                         "Argent à payer aux marchands, semaine par semaine",  # the chart's title
                         "Semaine par semaine", "Subvention : Desjardins 5 000,00 $", "Comment c'est calculé",
                         "la semaine où ils les reçoivent", "Page 1 de"):
            self.assertIn(expected, text)

    def test_the_scenarios_pdf_in_english_has_english_amounts(self):
        text = pdf_text(self.get("scenario_pdf", self.scenario.pk, language="en").content)
        for expected in ("$15,000.00", "$11,280.00", "$2,820.00", "$241.00", "1,590", "Page 1"):
            self.assertIn(expected, text)
        self.assertNotIn("15 000,00", text)

    def test_the_pdfs_chart_draws_one_column_per_week(self):
        document = pdfium.PdfDocument(self.get("scenario_pdf", self.scenario.pk).content)
        import pypdfium2.raw as pdfium_c

        target = tuple(int(PALETTE[1][i:i + 2], 16) for i in (1, 3, 5))  # « À payer aux marchands »
        found = 0
        for page in document:
            for obj in page.get_objects():
                if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
                    continue
                r, g, b, a = (pdfium_c.c_uint() for _ in range(4))
                if pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a) and (r.value, g.value, b.value) == target:
                    found += 1
        self.assertEqual(found, 12 + 1)  # twelve weeks and the legend's swatch

    def test_the_scenarios_xlsx_holds_the_figures_as_numbers(self):
        response = self.get("scenario_xlsx", self.scenario.pk)
        self.assertIn('filename="ete-2027.xlsx"', response["Content-Disposition"])
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["Ménages et coupons", "Argent", "Semaine par semaine", "Coupons à imprimer",
                                           "Par taille de ménage", "Données du scénario"])
        counts = sheet_rows(book["Ménages et coupons"])
        self.assertEqual(counts["Ménages qui peuvent être servis"], [30])
        self.assertEqual(counts["Coupons à imprimer"], [1590])
        money = sheet_rows(book["Argent"])
        self.assertEqual(money["Budget (toutes les subventions)"], [15000])
        self.assertEqual(money["Reste du budget"], [241])
        self.assertEqual(money["Encore en circulation à la fin de la saison"], [2820])
        weeks = [row for row in book["Semaine par semaine"].iter_rows(min_row=3, values_only=True)]
        self.assertEqual(len(weeks), 12 + 1)
        self.assertEqual(weeks[0][:2], (1, datetime.datetime(2026, 6, 13)))
        self.assertEqual(weeks[0][2:], (1050, 125, 840, 100, 940, 940))
        self.assertEqual(weeks[-1][0], "Total")
        self.assertEqual(weeks[-1][6], 11280)
        self.assertAlmostEqual(sum(w[6] for w in weeks[:-1]), 11280)
        coupons = sheet_rows(book["Coupons à imprimer"])
        self.assertEqual(coupons["10,00\u00a0$"], [1080, 1080, 150, 1230, 12300])
        self.assertEqual(coupons["5,00\u00a0$"], [360, 360, 0, 360, 1800])

    def test_the_comparison_pdf_in_french_and_english(self):
        query = {"s": [self.scenario.pk, self.short.pk]}
        text = pdf_text(self.get("simulator_compare_pdf", self.w["program"].pk, query=query).content)
        for expected in ("Comparaison de scénarios", "PCN Portneuf", "Été 2027", "Budget serré",
                         "Ménages qui peuvent être servis 30 24", "Reste du budget 241,00 $ 160,00 $",
                         "Données des scénarios", "Comment c'est calculé"):
            self.assertIn(expected, text)
        english = pdf_text(self.get("simulator_compare_pdf", self.w["program"].pk, query=query, language="en").content)
        self.assertIn("$241.00 $160.00", english)
        self.assertNotIn("241,00", english)

    def test_the_comparison_xlsx_has_one_column_per_scenario(self):
        query = {"s": [self.short.pk, self.scenario.pk]}
        book = load_workbook(io.BytesIO(self.get("simulator_compare_xlsx", self.w["program"].pk, query=query).content))
        counts = book["Ménages et coupons"]
        self.assertEqual(list(next(counts.iter_rows(min_row=2, max_row=2, values_only=True))),
                         ["Chiffre", "Budget serré", "Été 2027"])
        self.assertEqual(sheet_rows(counts)["Ménages qui peuvent être servis"], [24, 30])
        self.assertEqual(sheet_rows(book["Argent"])["À payer aux marchands (prévu)"], [7872, 11280])
        self.assertEqual(sheet_rows(book["À payer, semaine par semaine"])["Semaine 1"], [656, 940])

    def test_outsiders_get_no_file(self):
        query = {"s": [self.scenario.pk, self.short.pk]}
        for name, args in (("scenario_pdf", [self.scenario.pk]), ("scenario_xlsx", [self.scenario.pk]),
                           ("simulator_compare_pdf", [self.w["program"].pk])):
            self.assertEqual(self.get(name, *args, query=query, user=self.outsider).status_code, 404, name)
        # Their own program's address with our scenarios is no way in either.
        response = self.get("simulator_compare_xlsx", self.other["program"].pk, query=query, user=self.outsider)
        self.assertEqual(response.status_code, 404)
