"""A program's documents: each of the six renders in French and in English with the program's data and the
footer naming its template version (read back from the PDF's text), and who may make which."""

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from pcn.accounts.models import Role
from pcn.documents.kinds import Kind
from pcn.documents.placeholders import day
from pcn.documents.tests.helpers import documents_world, pdf_text
from pcn.markets.models import Vendor
from pcn.programs.models import Denomination, Organization
from pcn.testing import PASSWORD, make_user

FOOTER_NAMES = {
    "fr": {"vendor_agreement": "Entente avec les marchands",
           "partner_agreement": "Entente avec les organismes partenaires",
           "participant_sheet": "Feuille d'information pour les participants", "poster": "Affiche pour les kiosques",
           "vendor_slip": "Bordereau de remboursement", "distribution_log": "Registre de remise"},
    "en": {"vendor_agreement": "Vendor agreement", "partner_agreement": "Partner agreement",
           "participant_sheet": "Participant information sheet", "poster": "Poster for stalls",
           "vendor_slip": "Reimbursement slip", "distribution_log": "Distribution log"},
}

# Words of each shipped wording, in each language, that the document must show.
WORDS = {
    "fr": {"vendor_agreement": ["Entente avec les marchands", "Ne jamais rendre la monnaie en argent"],
           "partner_agreement": ["Entente avec les organismes partenaires", "Les consentements demandés aux ménages"],
           "participant_sheet": ["Vos coupons nourriciers", "Ce que vous pouvez acheter"],
           "poster": ["Coupons nourriciers acceptés ici", "Pas de monnaie rendue en argent"],
           "vendor_slip": ["Bordereau de remboursement", "Nombre de coupons", "Signature du marchand"],
           "distribution_log": ["Registre de remise des coupons", "Numéro du ménage", "Initiales"]},
    "en": {"vendor_agreement": ["Vendor agreement", "Never give change in cash"],
           "partner_agreement": ["Partner agreement", "Consents asked of households"],
           "participant_sheet": ["Your food coupons", "What you can buy"],
           "poster": ["Food coupons accepted here", "No change given in cash"],
           "vendor_slip": ["Reimbursement slip", "Number of coupons", "Vendor's signature"],
           "distribution_log": ["Coupon distribution log", "Household number", "Initials"]},
}


class DocumentsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = documents_world("Portneuf", "p")
        cls.other = documents_world("Mitis", "m")
        Denomination.objects.create(season=cls.w["season"], value_cents=1000)

    def pdf(self, user, kind, language, **query):
        self.client.login(username=user.username, password=PASSWORD)
        return self.client.get(reverse("program_document_pdf", args=[self.w["program"].pk, kind, language]), query)


class EveryDocumentTest(DocumentsTestCase):
    def test_each_document_renders_in_french_with_the_program_data_and_its_version(self):
        w = self.w
        for kind in Kind.values:
            with self.subTest(kind=kind):
                response = self.pdf(w["coordinator"], kind, "fr", season=w["season"].pk, vendor=w["vendor"].pk,
                                    partner=w["partner"].pk)
                self.assertEqual(response["Content-Type"], "application/pdf")
                text = pdf_text(response.content)
                for words in WORDS["fr"][kind]:
                    self.assertIn(words, text)
                self.assertIn("PCN Portneuf", text)
                self.assertIn(f"Modèle « {FOOTER_NAMES['fr'][kind]} » v1 du {day(timezone.localdate(), 'fr')}", text)

    def test_each_document_renders_in_english_with_the_program_data_and_its_version(self):
        w = self.w
        for kind in Kind.values:
            with self.subTest(kind=kind):
                text = pdf_text(self.pdf(w["coordinator"], kind, "en", season=w["season"].pk, vendor=w["vendor"].pk,
                                         partner=w["partner"].pk).content)
                for words in WORDS["en"][kind]:
                    self.assertIn(words, text)
                self.assertIn("PCN Portneuf", text)
                self.assertIn(f"Template “{FOOTER_NAMES['en'][kind]}” v1 of {day(timezone.localdate(), 'en')}", text)

    def test_the_season_rules_are_printed_in_each_language(self):
        w = self.w
        fr = pdf_text(self.pdf(w["coordinator"], "participant_sheet", "fr").content)
        en = pdf_text(self.pdf(w["coordinator"], "participant_sheet", "en").content)
        self.assertIn("entre le 13 juin 2026 et le 12 septembre 2026", fr)
        self.assertIn("between June 13, 2026 and September 12, 2026", en)
        self.assertIn("5 $ et 10 $", fr)
        self.assertIn("$5 and $10", en)
        self.assertIn("Fruits et légumes : légumes, fruits", fr)
        self.assertIn("Fruits et légumes: vegetables, fruits", en)
        self.assertIn("marché public et kiosque à la ferme", fr)
        self.assertIn("public market and farm stand", en)
        self.assertIn("Marché de Portneuf (Portneuf) — Place du marché, 1 rue Principale", fr)
        self.assertIn("Entraide Portneuf", fr)
        self.assertIn("UPA Portneuf (fiducie@portneuf.example)", fr)
        # The consents, in the enrolment form's own words.
        self.assertIn("Le ménage accepte-t-il de participer au programme ?", fr)
        self.assertIn("Does the household agree to take part in the program?", en)

    def test_the_participant_sheet_lists_only_markets_that_take_the_seasons_coupons(self):
        from pcn.markets.models import Market, SalePoint

        baskets = Market.objects.create(program=self.w["program"], name="Paniers de Donnacona", municipality="Donnacona")
        SalePoint.objects.create(market=baskets, name="Point de chute", kind="csa_pickup", address="3 rue du Port")
        sheet = pdf_text(self.pdf(self.w["coordinator"], "participant_sheet", "fr").content)
        self.assertIn("Marché de Portneuf (Portneuf)", sheet)
        self.assertNotIn("Paniers de Donnacona", sheet)  # the season takes coupons at markets and farm stands only

    def test_the_distribution_log_prints_the_season_amounts_table(self):
        text = pdf_text(self.pdf(self.w["coordinator"], "distribution_log", "fr").content)
        self.assertIn("Montant à remettre chaque semaine", text)
        for line in ("1 25 $", "2 35 $", "3 ou plus 45 $"):
            self.assertIn(line, text)
        en = pdf_text(self.pdf(self.w["coordinator"], "distribution_log", "en").content)
        self.assertIn("3 or more $45", en)

    def test_the_slip_has_a_line_per_coupon_value_and_the_vendor_name(self):
        w = self.w
        text = pdf_text(self.pdf(w["coordinator"], "vendor_slip", "fr", vendor=w["vendor"].pk).content)
        self.assertIn("Marchand : Ferme Portneuf", text)
        self.assertIn("Saison : Été 2026", text)
        self.assertIn("5 $ 10 $ Total", text)

    def test_agreements_name_the_party_or_leave_a_line_to_fill_in(self):
        w = self.w
        named = pdf_text(self.pdf(w["coordinator"], "vendor_agreement", "fr", vendor=w["vendor"].pk).content)
        blank = pdf_text(self.pdf(w["coordinator"], "vendor_agreement", "fr").content)
        self.assertIn("Marchand : Ferme Portneuf", named)
        self.assertIn("Marchand : ______", blank)
        self.assertNotIn("Ferme Portneuf", blank)
        partner = pdf_text(self.pdf(w["coordinator"], "partner_agreement", "en", partner=w["partner"].pk).content)
        self.assertIn("Partner organization: Entraide Portneuf", partner)

    def test_the_poster_stays_on_one_page(self):
        import pypdfium2 as pdfium

        w = self.w
        for language in ("fr", "en"):
            document = pdfium.PdfDocument(self.pdf(w["coordinator"], "poster", language).content)
            self.assertEqual(len(document), 1)
            document.close()


class DocumentsPageTest(DocumentsTestCase):
    def page(self, user, program=None, **query):
        self.client.login(username=user.username, password=PASSWORD)
        return self.client.get(reverse("program_documents", args=[(program or self.w["program"]).pk]), query)

    def test_the_coordinator_sees_the_six_documents_in_both_languages_for_the_latest_season(self):
        response = self.page(self.w["coordinator"])
        self.assertEqual(response.status_code, 200)
        for kind in Kind:
            self.assertContains(response, escape(kind.label))
        pdf = reverse("program_document_pdf", args=[self.w["program"].pk, "poster", "en"])
        self.assertContains(response, f'href="{pdf}?season={self.w["season"].pk}"')
        self.assertContains(response, f'href="{pdf}?season={self.w["season"].pk}" lang="en" download>English</a>')

    def test_the_treasurer_reads_the_documents(self):
        self.assertEqual(self.page(self.w["users"][Role.TREASURER]).status_code, 200)

    def test_an_outsider_gets_404_for_another_programs_documents(self):
        outsider = self.other["coordinator"]
        self.assertEqual(self.page(outsider).status_code, 404)
        self.assertEqual(self.pdf(outsider, "poster", "fr").status_code, 404)
        self.assertEqual(self.page(self.other["users"][Role.VENDOR]).status_code, 404)

    def test_another_programs_season_vendor_or_partner_gets_404(self):
        w, o = self.w, self.other
        self.assertEqual(self.page(w["coordinator"], season=o["season"].pk).status_code, 404)
        self.assertEqual(self.pdf(w["coordinator"], "vendor_slip", "fr", vendor=o["vendor"].pk).status_code, 404)
        self.assertEqual(self.pdf(w["coordinator"], "distribution_log", "fr", partner=o["partner"].pk).status_code, 404)
        self.assertEqual(self.pdf(w["coordinator"], "poster", "fr", season="abc").status_code, 404)
        self.assertEqual(self.pdf(w["coordinator"], "poster", "de").status_code, 404)
        self.assertEqual(self.pdf(w["coordinator"], "invoice", "fr").status_code, 404)

    def test_a_vendor_makes_its_own_documents_only(self):
        w = self.w
        vendor_user = w["users"][Role.VENDOR]
        response = self.page(vendor_user)
        self.assertContains(response, Kind.VENDOR_SLIP.label)
        self.assertNotContains(response, Kind.DISTRIBUTION_LOG.label)
        self.assertNotContains(response, "Aucun : lignes à remplir")
        slip = pdf_text(self.pdf(vendor_user, "vendor_slip", "fr").content)
        self.assertIn("Marchand : Ferme Portneuf", slip)
        neighbour = Vendor.objects.create(program=w["program"], business_name="Ferme voisine", kind="producer",
                                          categories=["fruit"])
        self.assertEqual(self.pdf(vendor_user, "vendor_slip", "fr", vendor=neighbour.pk).status_code, 404)
        self.assertEqual(self.pdf(vendor_user, "distribution_log", "fr").status_code, 404)

    def test_a_partner_worker_makes_its_organizations_documents_only(self):
        w = self.w
        worker = w["users"][Role.PARTNER_WORKER]
        log = pdf_text(self.pdf(worker, "distribution_log", "en").content)
        self.assertIn("Organization: Entraide Portneuf", log)
        sheet = pdf_text(self.pdf(worker, "participant_sheet", "fr").content)
        self.assertIn("Votre organisme : Entraide Portneuf", sheet)
        other_partner = Organization.objects.create(program=w["program"], name="Autre organisme",
                                                    kind=Organization.Kind.COMMUNITY_PARTNER)
        self.assertEqual(self.pdf(worker, "distribution_log", "fr", partner=other_partner.pk).status_code, 404)
        self.assertEqual(self.pdf(worker, "vendor_slip", "fr").status_code, 404)

    def test_a_market_manager_prints_the_poster_only(self):
        manager = self.w["users"][Role.MARKET_MANAGER]
        self.assertEqual(self.pdf(manager, "poster", "fr").status_code, 200)
        self.assertEqual(self.pdf(manager, "vendor_agreement", "fr").status_code, 404)

    def test_a_researcher_or_funder_gets_404(self):
        for role in (Role.RESEARCHER, Role.FUNDER_VIEWER):
            with self.subTest(role=role):
                self.assertEqual(self.page(self.w["users"][role]).status_code, 404)
                self.assertEqual(self.pdf(self.w["users"][role], "poster", "fr").status_code, 404)

    def test_a_program_without_season_says_to_create_one(self):
        from pcn.programs.models import Program

        empty = Program.objects.create(network=self.w["network"], name="PCN vide", kind="mrc", region="01",
                                       languages=["fr"])
        coordinator = make_user("coordo-vide", role=Role.COORDINATOR, program=empty)
        response = self.page(coordinator, program=empty)
        self.assertContains(response, "Le programme n'a pas encore de saison.")
        self.client.login(username="coordo-vide", password=PASSWORD)
        self.assertEqual(self.client.get(reverse("program_document_pdf", args=[empty.pk, "poster", "fr"])).status_code,
                         404)
