"""The funder's report on a grant (PDF): its figures as the page formats them, in French and English, its
charts, who may read it."""

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.coupons.models import CustodyEvent
from pcn.funding import selectors, tables
from pcn.funding.tests.factories import funded_world
from pcn.households.models import Distribution
from pcn.lib.money import format_cents
from pcn.payments.tests.factories import paying_world
from pcn.reports.charts import PALETTE
from pcn.testing import make_user


def pdf_text(pdf: bytes) -> str:
    """The PDF's text; pdfium gives a no-break space as a plain space, so amounts are compared that way."""
    document = pdfium.PdfDocument(pdf)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def shown(cents: int, language: str = "fr") -> str:
    """An amount as the grant's page shows it, as the PDF's text gives it back."""
    return format_cents(cents, language).replace("\u00a0", " ")


def filled_rectangles(pdf: bytes, colour: str) -> int:
    """How many paths the PDF's pages fill with `colour` (#rrggbb): the charts' bars and columns."""
    target = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    document = pdfium.PdfDocument(pdf)
    found = 0
    for page in document:
        page.render(scale=0.5)  # every page renders
        for obj in page.get_objects():
            if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
                continue
            r, g, b, a = (pdfium_c.c_uint() for _ in range(4))
            if pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a) and (r.value, g.value, b.value) == target:
                found += 1
    return found


class GrantReportTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = funded_world()
        cls.other = paying_world("Charlevoix")
        w = cls.w
        cls.mrc_viewer = make_user("mrc", role=Role.FUNDER_VIEWER, program=w["program"], organization=w["mrc"])
        cls.fondation_viewer = make_user("fondation", role=Role.FUNDER_VIEWER, program=w["program"],
                                         organization=w["fondation"])
        cls.worker = make_user("intervenante", role=Role.PARTNER_WORKER, program=w["program"],
                               organization=w["partner"])

    def url(self, grant="grant_a"):
        return reverse("grant_report", args=[self.w[grant].pk])

    def get(self, user, grant="grant_a", language="fr"):
        self.client.force_login(user)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return self.client.get(self.url(grant))

    def test_the_funders_viewer_reads_the_report_in_french(self):
        response = self.get(self.mrc_viewer)
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = pdf_text(response.content)
        for expected in ("Rapport au bailleur de fonds", "PCN Portneuf", "MRC Portneuf", "Fonds de développement 2026",
                         "Fonctionnement (impression, coordination…)", "Été 2026",
                         "Budget 50 000,00 $", "Reste du budget 49 855,00 $", "Engagé (coupons émis) 45,00 $",
                         "Fonctionnement 100,00 $",  # 120 $ − 20 $
                         "Impression des coupons", "Erreur de saisie", "-20,00 $",
                         "Ménages rejoints", "Personnes dans ces ménages",
                         "chiffres de toute la saison",  # grant B and a grant-less series pay coupons there too
                         "Ce que veulent dire ces chiffres", "Page 1 de"):
            self.assertIn(expected, text)
        figures = selectors.grant_figures([self.w["grant_a"]])[self.w["grant_a"].pk]
        for attr, label in tables.FIGURES:  # every figure, formatted as on the grant's page
            self.assertIn(f"{label} {shown(getattr(figures, attr))}", text)

    def test_it_has_its_charts(self):
        pdf = self.get(self.w["treasurer"]).content
        text = pdf_text(pdf)
        self.assertIn("Budget et utilisation", text)
        self.assertIn("Coupons échangés chez les marchands, par semaine", text)
        self.assertIn("Valeur échangée", text)  # the weekly chart's legend, drawn in the chart
        # Bars: budget, committed, handed out, redeemed, paid (all non-zero); the weekly chart's legend and its
        # one week of redemptions.
        self.assertGreaterEqual(filled_rectangles(pdf, PALETTE[0]), 5 + 2)

    def test_the_report_is_in_english_too(self):
        text = pdf_text(self.get(self.w["coordinator"], language="en").content)
        self.assertIn("$50,000.00", text)
        self.assertIn("Remaining budget $49,855.00", text)
        self.assertIn("$100.00", text)
        self.assertIn("Page 1", text)
        self.assertNotIn("50 000,00", text)

    def test_the_households_reached_are_the_seasons_as_the_dashboards_count_them(self):
        w = self.w
        event = CustodyEvent.objects.get(season=w["season"], kind=CustodyEvent.Kind.DISTRIBUTE)
        Distribution.objects.create(household=w["household"], period_number=1, due_cents=3_000, given_cents=3_000,
                                    status=Distribution.Status.GIVEN, event=event, recorded_by=w["coordinator"])
        text = pdf_text(self.get(w["treasurer"]).content)
        self.assertIn("Été 2026 1 2", text)  # one household of two people
        self.assertIn("Été 2026 : chiffres de toute la saison", text)

    def test_a_funders_viewer_reads_only_its_own_grants_report(self):
        self.assertEqual(self.get(self.fondation_viewer, "grant_b").status_code, 200)
        self.assertEqual(self.get(self.fondation_viewer, "grant_a").status_code, 404)
        self.assertEqual(self.get(self.mrc_viewer, "grant_b").status_code, 404)

    def test_others_get_404(self):
        for user in (self.worker, self.other["treasurer"], self.other["coordinator"]):
            self.assertEqual(self.get(user).status_code, 404, user.username)

    def test_a_grant_that_paid_nothing_yet_has_a_short_report(self):
        from pcn.funding.models import Purpose
        from pcn.funding.tests.factories import grant

        new = grant(self.w, "Fonds d'automne", self.w["mrc"], amount_cents=123_456, purposes=[Purpose.OPERATIONS])
        self.client.force_login(self.mrc_viewer)
        text = pdf_text(self.client.get(reverse("grant_report", args=[new.pk])).content)
        self.assertIn("Reste du budget 1 234,56 $", text)
        self.assertIn("Aucune série de coupons ni vente au grand public n'est encore payée par cette subvention.", text)
        self.assertNotIn("Ménages rejoints", text)
        self.assertNotIn("par semaine", text)

    def test_the_grant_page_links_to_the_report(self):
        self.client.force_login(self.mrc_viewer)
        self.assertContains(self.client.get(reverse("grant_detail", args=[self.w["grant_a"].pk])), self.url())


class GrantSeasonsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = funded_world()

    def test_the_seasons_figures_are_the_seasons_rows_and_add_up_to_the_grants(self):
        for key in ("grant_a", "grant_b"):
            grant = self.w[key]
            whole = selectors.grant_figures([grant])[grant.pk]
            [(season, row)] = selectors.grant_seasons(grant)
            self.assertEqual(season, self.w["season"])
            in_season = next(r for r in selectors.season_funding(season).rows if r.grant == grant)
            for name in selectors.AMOUNTS:
                if name in ("budget_cents", "operations_cents"):
                    self.assertEqual(getattr(row, name), 0)
                    continue
                self.assertEqual(getattr(row, name), getattr(whole, name), f"{key} {name}")
                self.assertEqual(getattr(row, name), getattr(in_season, name), f"{key} {name}")

    def test_redeemed_by_week(self):
        weeks = selectors.grant_redeemed_by_week(self.w["grant_a"])
        self.assertEqual(sum(v for _w, v in weeks), 1_500)  # A1, A2, A3
        self.assertTrue(all(w.weekday() == 0 for w, _v in weeks))
