"""Importing each kind through the pages, as a coordinator or a partner worker would: send a file, read
the preview and the report, confirm. Every kind is imported from a CSV and from an XLSX file."""

import datetime
import io

from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.households.models import Consent, Household
from pcn.households.tests.factories import quota
from pcn.imports.tests.helpers import upload
from pcn.markets.models import Market, OpeningHours, SalePoint, Vendor
from pcn.programs.models import Organization
from pcn.testing import make_role_users, make_user, make_world

MARKET_HEADERS = ["Marché", "Municipalité", "Point de vente", "Type de lieu", "Adresse", "Latitude", "Longitude",
                  "Heures d'ouverture", "Précisions sur l'horaire"]
VENDOR_HEADERS = ["Nom de l'entreprise", "Type", "Courriel", "Produits vendus", "Points de vente"]
PARTNER_HEADERS = ["Nom de l'organisme", "Type", "Personne-ressource", "Quota de ménages", "Quota en dollars"]
HOUSEHOLD_HEADERS = ["Organisme", "Nombre de personnes", "0 à 5 ans", "6 à 17 ans", "18 à 64 ans", "65 ans et plus",
                     "Situations", "Accepte de participer", "Accepte les sondages", "Accepte la recherche"]


class ImportTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Alpha")
        cls.program = cls.world["program"]
        cls.season = cls.world["season"]
        cls.users = make_role_users(cls.world, "a")
        cls.coordinator = cls.users[Role.COORDINATOR]
        cls.worker = cls.users[Role.PARTNER_WORKER]
        cls.other = make_world("Beta")
        cls.outsider = make_user("b-coordo", role=Role.COORDINATOR, program=cls.other["program"])

    def send(self, kind, rows, fmt="csv", *, user=None, season=None, quota_season=None, **options):
        """Send the file and return the preview page."""
        self.client.force_login(user or self.coordinator)
        data = {"file": upload(rows, fmt, **options)}
        if quota_season is not None:
            data["season"] = quota_season.pk
        if kind == "households":
            url = reverse("household_import_upload", args=[(season or self.season).pk])
        else:
            url = reverse("import_upload", kwargs={"program_id": self.program.pk, "kind": kind})
        return self.client.post(url, data, follow=True)

    def confirm(self, kind, *, season=None):
        if kind == "households":
            url = reverse("household_import_preview", args=[(season or self.season).pk])
        else:
            url = reverse("import_preview", kwargs={"program_id": self.program.pk, "kind": kind})
        token = self.client.session["pcn_import"]["token"]
        return self.client.post(url, {"token": token}, follow=True)

    def problems(self, page) -> list[tuple[int, str, str]]:
        """(line, column, message) of every problem in the report."""
        return [(p.line, p.column, p.message) for p in page.context["report"].problems]


class MarketsImportTest(ImportTestCase):
    ROWS = [
        MARKET_HEADERS,
        ["Marché de Deschambault", "Deschambault", "Quai", "Marché public", "1 rue du Quai", "46,6512", "-71.9",
         "samedi 9:00-13:00; mercredi 15 h à 18 h", "de juin à septembre"],
        ["Marché de Deschambault", "", "Église", "Kiosque libre-service", "2 rue de l'Église", "", "", "", ""],
        ["Marché de Alpha", "", "Kiosque de la route 138", "Kiosque à la ferme", "3 route 138", "", "",
         "dimanche 10:00-12:00, 13:00-16:00", ""],
    ]

    def check_created(self):
        market = Market.objects.get(program=self.program, name="Marché de Deschambault")
        self.assertEqual(market.municipality, "Deschambault")
        quai = SalePoint.objects.get(market=market, name="Quai")
        self.assertEqual((quai.kind, quai.address, str(quai.latitude), str(quai.longitude), quai.schedule),
                         ("market", "1 rue du Quai", "46.651200", "-71.900000", "de juin à septembre"))
        self.assertEqual(
            [(h.weekday, h.opens_at, h.closes_at) for h in OpeningHours.objects.filter(sale_point=quai)],
            [(2, datetime.time(15), datetime.time(18)), (5, datetime.time(9), datetime.time(13))],
        )
        self.assertEqual(SalePoint.objects.get(market=market, name="Église").kind, "self_serve")
        route = SalePoint.objects.get(market=self.world["market"], name="Kiosque de la route 138")
        self.assertEqual(route.opening_hours.count(), 2)
        self.assertEqual(Market.objects.filter(program=self.program).count(), 2)
        self.assertEqual(SalePoint.objects.filter(market__program=self.program).count(), 4)

    def test_a_valid_csv_imports_exactly_its_rows(self):
        page = self.send("markets", self.ROWS, delimiter=";", encoding="cp1252")
        self.assertContains(page, "Tout est prêt : 3 lignes seront importées.")
        self.assertContains(page, "Nouveau marché")
        self.assertContains(page, "Marché existant")
        self.assertContains(page, "samedi 9\u00a0h à 13\u00a0h")
        self.assertEqual(SalePoint.objects.filter(market__program=self.program).count(), 1)  # preview writes nothing
        page = self.confirm("markets")
        self.assertContains(page, "3 points de vente importés. 1 nouveau marché créé.")
        self.check_created()

    def test_a_valid_xlsx_imports_exactly_its_rows(self):
        rows = [list(r) for r in self.ROWS]
        rows[1][5], rows[1][6] = 46.6512, -71.9  # numbers, as Excel stores them
        self.send("markets", rows, "xlsx")
        self.confirm("markets")
        self.check_created()

    def test_errors_on_several_lines_are_all_reported_and_nothing_is_imported(self):
        rows = [
            MARKET_HEADERS,
            ["Marché de Deschambault", "", "Quai", "Marché", "1 rue du Quai", "95", "", "samedi 13:00-9:00", ""],
            ["", "", "", "", "", "", "", "", ""],  # a blank line: skipped, still counted
            ["Marché de Alpha", "", "Place du marché", "Marché public", "1 rue Principale", "", "", "", ""],
            ["Marché de Neuville", "Neuville", "Quai", "Marché public", "", "", "", "lundi 9-12; lundi 11-13", ""],
            ["Marché de Neuville", "Neuville", "Quai", "Marché public", "2 rue", "", "", "", ""],
        ]
        page = self.send("markets", rows)
        problems = self.problems(page)
        self.assertEqual([(line, column) for line, column, _m in problems], [
            (2, "Municipalité"), (2, "Type de lieu"), (2, "Latitude"), (2, "Heures d'ouverture"),
            (4, "Point de vente"), (5, "Adresse"), (5, "Heures d'ouverture"), (6, "Point de vente"),
        ])
        self.assertIn("Cette ligne répète la ligne 5.", [m for _l, _c, m in problems])
        self.assertContains(page, "Le fichier a 8 erreurs. Rien n'a été importé.")
        self.assertContains(page, "Écrivez l&#x27;un de ces choix : « Marché public »")
        self.assertNotContains(page, "Importer les")
        self.assertEqual(Market.objects.filter(program=self.program).count(), 1)
        self.assertEqual(SalePoint.objects.filter(market__program=self.program).count(), 1)


class VendorsImportTest(ImportTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kiosk = SalePoint.objects.create(market=cls.world["market"], name="Kiosque", kind="farm_stand",
                                             address="4 rang")

    def rows(self):
        return [
            VENDOR_HEADERS,
            ["Ferme du Rang", "Producteur", "rang@example.ca", "Légumes, Fruits", "Marché de Alpha – Place du marché"],
            ["Fromagerie Bleue", "Transformateur", "", "Produits laitiers",
             "Marché de Alpha - Place du marché, Kiosque"],
        ]

    def check_created(self):
        rang = Vendor.objects.get(program=self.program, business_name="Ferme du Rang")
        self.assertEqual((rang.kind, rang.email, rang.categories), ("producer", "rang@example.ca", ["vegetables", "fruit"]))
        self.assertEqual(list(rang.sale_points.all()), [self.world["sale_point"]])
        bleue = Vendor.objects.get(program=self.program, business_name="Fromagerie Bleue")
        self.assertEqual((bleue.kind, bleue.categories), ("processor", ["dairy"]))
        self.assertEqual(set(bleue.sale_points.all()), {self.world["sale_point"], self.kiosk})
        self.assertEqual(Vendor.objects.filter(program=self.program).count(), 3)

    def test_a_valid_csv_imports_exactly_its_rows(self):
        page = self.send("vendors", self.rows())
        self.assertContains(page, "Tout est prêt : 2 lignes seront importées.")
        page = self.confirm("vendors")
        self.assertContains(page, "2 marchands importés.")
        self.check_created()

    def test_a_valid_xlsx_with_english_headers_imports_exactly_its_rows(self):
        rows = self.rows()
        rows[0] = ["Business name", "Kind", "Email", "Products sold", "Sale points"]
        rows[1][1] = "Producer"
        self.send("vendors", rows, "xlsx")
        self.confirm("vendors")
        self.check_created()

    def test_errors_are_reported_by_line_and_column_and_nothing_is_imported(self):
        rows = [
            VENDOR_HEADERS,
            ["Ferme Alpha", "Producteur", "pas-un-courriel", "Légumes", "Kiosque"],
            ["Ferme Neuve", "Fermier", "", "Légumes, Bonbons", "Marché inconnu – Quai"],
            ["ferme neuve", "Artisan", "", "", "Kiosque"],
        ]
        page = self.send("vendors", rows)
        self.assertEqual([(line, column) for line, column, _m in self.problems(page)], [
            (2, "Nom de l'entreprise"), (2, "Courriel"),
            (3, "Type"), (3, "Produits vendus"), (3, "Points de vente"),
            (4, "Nom de l'entreprise"), (4, "Produits vendus"),
        ])
        self.assertContains(page, "Un marchand de ce programme porte déjà ce nom.")
        self.assertContains(page, "Pas dans la liste : « Bonbons ».")
        self.assertContains(page, "Cette ligne répète la ligne 3.")
        self.assertEqual(Vendor.objects.filter(program=self.program).count(), 1)


    def test_a_sale_point_whose_name_holds_a_comma_is_found(self):
        roadside = SalePoint.objects.create(market=self.world["market"], name="Kiosque, côté rue", kind="farm_stand",
                                            address="5 rang")
        self.send("vendors", [VENDOR_HEADERS, ["Ferme Neuve", "Producteur", "", "Œufs",
                                               "Marché de Alpha – Kiosque, côté rue; Kiosque"]])
        self.confirm("vendors")
        self.assertEqual(set(Vendor.objects.get(business_name="Ferme Neuve").sale_points.all()), {roadside, self.kiosk})

    def test_an_unknown_column_and_a_missing_one_are_reported_on_line_one(self):
        rows = [["Nom de l'entreprise", "Type", "Produits vendus", "Site web"],
                ["Ferme Neuve", "Producteur", "Légumes", "ferme.ca"]]
        page = self.send("vendors", rows)
        self.assertEqual([(line, column) for line, column, _m in self.problems(page)],
                         [(1, "Site web"), (1, "Points de vente")])
        self.assertContains(page, "Cette colonne obligatoire manque.")
        self.assertContains(page, "Cette colonne n&#x27;est pas connue")
        self.assertEqual(Vendor.objects.filter(program=self.program).count(), 1)


class PartnersImportTest(ImportTestCase):
    ROWS = [
        PARTNER_HEADERS,
        ["Cuisine collective", "", "Marc Tremblay", "40", "12 000,00"],
        ["Conseil de la Nation", "Conseil de bande", "", "", ""],
    ]

    def check_created(self):
        kitchen = Organization.objects.get(program=self.program, name="Cuisine collective")
        self.assertEqual((kitchen.kind, kitchen.contact_name), ("community_partner", "Marc Tremblay"))
        self.assertEqual((kitchen.quotas.get(season=self.season).max_households,
                          kitchen.quotas.get(season=self.season).max_value_cents), (40, 1_200_000))
        council = Organization.objects.get(program=self.program, name="Conseil de la Nation")
        self.assertEqual((council.kind, council.quotas.count()), ("band_council", 0))

    def test_a_valid_csv_imports_partners_and_their_quotas(self):
        page = self.send("partners", self.ROWS, quota_season=self.season)
        self.assertContains(page, "Tout est prêt : 2 lignes seront importées.")
        self.confirm("partners")
        self.check_created()

    def test_a_valid_xlsx_imports_partners_and_their_quotas(self):
        rows = [list(r) for r in self.ROWS]
        rows[1][3], rows[1][4] = 40, 12000
        self.send("partners", rows, "xlsx", quota_season=self.season)
        page = self.confirm("partners")
        self.assertContains(page, "2 organismes importés.")
        self.check_created()

    def test_a_quota_without_a_season_or_half_given_is_an_error(self):
        rows = [PARTNER_HEADERS, ["Cuisine collective", "", "", "40", "12 000,00"], ["Autre", "Fiduciaire", "", "3", ""]]
        page = self.send("partners", rows)
        self.assertEqual([(line, column) for line, column, _m in self.problems(page)],
                         [(2, "Quota de ménages"), (3, "Type"), (3, "Quota en dollars")])
        self.assertEqual(Organization.objects.filter(program=self.program).count(), 1)


class HouseholdsImportTest(ImportTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        quota(cls.world, households=2)

    ROWS = [
        HOUSEHOLD_HEADERS,
        ["Entraide Alpha", "3", "1", "0", "2", "0", "Famille monoparentale", "oui", "non", "oui"],
        ["", "1", "", "", "", "1", "", "Oui", "", ""],
        ["Entraide Alpha", "2", "0", "0", "2", "0", "", "o", "o", "n"],
    ]

    def check_created(self):
        households = list(Household.objects.filter(season=self.season).order_by("pk"))
        self.assertEqual(
            [(h.partner, h.size, h.age_0_5, h.age_18_64, h.age_65_plus, h.flags, h.status) for h in households],
            [(self.world["partner"], 3, 1, 2, 0, ["single_parent"], "active"),
             (self.world["partner"], 1, 0, 0, 1, [], "active"),
             (self.world["partner"], 2, 0, 2, 0, [], "waiting")],  # the quota holds 2 households
        )
        self.assertEqual([(c.purpose, c.given) for c in households[0].consents.order_by("purpose")],
                         [("participation", True), ("research", True), ("surveys", False)])
        self.assertTrue(all(h.identity_hash == "" for h in households))
        self.assertEqual(Consent.objects.filter(household__in=households).count(), 9)

    def test_a_partner_worker_imports_a_csv_of_households(self):
        page = self.send("households", self.ROWS, user=self.worker)
        self.assertContains(page, "Tout est prêt : 3 lignes seront importées.")
        self.assertContains(page, "En attente d&#x27;une place")  # the preview says the third will wait
        self.assertEqual(Household.objects.count(), 0)
        page = self.confirm("households")
        self.assertContains(page, "3 ménages sont inscrits. 1 est sur la liste d&#x27;attente")
        self.check_created()

    def test_a_coordinator_imports_an_xlsx_of_households(self):
        rows = [list(r) for r in self.ROWS]
        rows[1][1:6] = [3, 1, 0, 2, 0]
        self.send("households", rows, "xlsx")
        self.confirm("households")
        self.check_created()

    def test_identity_columns_are_refused_and_nothing_is_imported(self):
        rows = [["Nom", "Prénom", "Date de naissance", "Téléphone", "Courriel", "Adresse", "Nombre de personnes",
                 "18 à 64 ans", "Accepte de participer"],
                ["Côté", "Marie", "1980-01-01", "418 555-0000", "m@example.ca", "1 rue", "1", "1", "oui"]]
        page = self.send("households", rows)
        problems = self.problems(page)
        self.assertEqual([(line, column) for line, column, _m in problems],
                         [(1, h) for h in ["Nom", "Prénom", "Date de naissance", "Téléphone", "Courriel", "Adresse"]])
        self.assertContains(page, "Le programme ne garde jamais ces renseignements.", count=6)
        self.assertContains(page, "Supprimez cette colonne du fichier, puis renvoyez-le.")
        self.assertEqual(Household.objects.count(), 0)

    def test_errors_on_several_lines_are_all_reported_and_nothing_is_imported(self):
        rows = [
            HOUSEHOLD_HEADERS,
            ["Entraide Alpha", "3", "1", "0", "1", "0", "", "oui", "", ""],  # ages add up to 2
            ["Entraide Beta", "25", "", "", "", "", "", "peut-être", "", ""],
            ["Entraide Alpha", "1", "", "", "1", "", "", "non", "", ""],
            ["Entraide Alpha", "1", "", "", "1", "", "Grossesse, Chômage", "oui", "", ""],
            ["Entraide Alpha", "1", "", "", "1", "", "", "oui", "", ""],  # valid
        ]
        page = self.send("households", rows, user=self.worker)
        self.assertEqual([(line, column) for line, column, _m in self.problems(page)], [
            (2, ""), (3, "Organisme"), (3, "Nombre de personnes"), (3, "Accepte de participer"),
            (4, "Accepte de participer"), (5, "Situations"),
        ])
        self.assertContains(page, "Le nombre de personnes par âge doit donner le nombre total de personnes du ménage.")
        self.assertContains(page, "toute la ligne")
        self.assertContains(page, "Le ménage doit accepter de participer au programme pour être inscrit.")
        self.assertEqual(Household.objects.count(), 0)

    def test_a_partner_worker_cannot_enrol_for_another_partner(self):
        other = Organization.objects.create(program=self.program, name="Voisins du Nord",
                                            kind=Organization.Kind.COMMUNITY_PARTNER)
        quota(self.world, partner=other)
        page = self.send("households", [HOUSEHOLD_HEADERS, ["Voisins du Nord", "1", "", "", "1", "", "", "oui", "", ""]],
                         user=self.worker)
        self.assertContains(page, "Vous inscrivez des ménages seulement pour Entraide Alpha.")
        self.assertEqual(Household.objects.count(), 0)


class FileLimitsTest(ImportTestCase):
    def test_a_file_too_big_is_refused_with_a_clear_message(self):
        self.client.force_login(self.coordinator)
        big = upload([VENDOR_HEADERS] + [["x" * 100] * 5] * 5000)
        self.assertGreater(big.size, 2 * 1024 * 1024)
        page = self.client.post(reverse("import_upload", kwargs={"program_id": self.program.pk, "kind": "vendors"}), {"file": big})
        self.assertContains(page, "Ce fichier est trop gros.")
        self.assertNotIn("pcn_import", self.client.session)

    def test_a_file_with_too_many_rows_is_refused(self):
        page = self.send("vendors", [VENDOR_HEADERS] + [["a", "b", "", "c", "d"]] * 5001)
        self.assertContains(page, "Ce fichier a plus de 5\u00a0000 lignes.")

    def test_an_old_excel_file_is_refused_with_what_to_do(self):
        self.client.force_login(self.coordinator)
        from django.core.files.uploadedfile import SimpleUploadedFile

        old = SimpleUploadedFile("vieux.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
        page = self.client.post(reverse("import_upload", kwargs={"program_id": self.program.pk, "kind": "vendors"}), {"file": old})
        self.assertContains(page, "ancien format d&#x27;Excel (.xls)")

    def test_confirming_after_the_session_lost_the_file_asks_to_send_it_again(self):
        self.client.force_login(self.coordinator)
        url = reverse("import_preview", kwargs={"program_id": self.program.pk, "kind": "vendors"})
        for page in (self.client.post(url, {"token": "x"}), self.client.get(url)):
            self.assertContains(page, "Le fichier envoyé n&#x27;est plus en mémoire. Envoyez-le de nouveau.")
            self.assertContains(page, "Fichier à importer")  # the sending page, to send it again

    def test_a_clash_appearing_between_preview_and_confirm_imports_nothing(self):
        self.send("vendors", [VENDOR_HEADERS, ["Ferme Neuve", "Producteur", "", "Légumes", "Place du marché"],
                              ["Ferme Deux", "Producteur", "", "Légumes", "Place du marché"]])
        Vendor.objects.create(program=self.program, business_name="Ferme Neuve", kind="producer", categories=["eggs"])
        page = self.confirm("vendors")
        self.assertContains(page, "rien n&#x27;a été importé")
        self.assertEqual(self.problems(page), [(2, "Nom de l'entreprise", "Un marchand de ce programme porte déjà ce nom.")])
        self.assertFalse(Vendor.objects.filter(business_name="Ferme Deux").exists())


class TemplatesTest(ImportTestCase):
    def test_every_template_downloads_and_reimports_cleanly_once_filled(self):
        from openpyxl import load_workbook

        quota(self.world)
        filled = {
            "markets": ["Marché de Neuville", "Neuville", "", "", "", "Quai", "Marché public", "1 rue", "", "", "", ""],
            "vendors": ["Ferme Neuve", "Producteur", "", "", "", "Légumes", "Place du marché"],
            "partners": ["Cuisine collective", "", "", "", "", "", "", "", ""],
            "households": ["", "2", "", "", "2", "", "", "", "", "oui", "", ""],
        }
        self.client.force_login(self.coordinator)
        for kind, row in filled.items():
            for fmt in ("csv", "xlsx"):
                with self.subTest(kind=kind, fmt=fmt):
                    response = self.client.get(reverse("import_template", kwargs={"kind": kind, "fmt": fmt}))
                    self.assertEqual(response.status_code, 200)
                    self.assertIn(f".{fmt}", response["Content-Disposition"])
                    content = response.content
                    if fmt == "csv":
                        text = content.decode("utf-8-sig")
                        self.assertTrue(text.splitlines()[1].startswith("# Exemple à effacer :"))
                        content = (text.rstrip("\r\n") + "\r\n" + ";".join(row) + "\r\n").encode("utf-8-sig")
                    else:
                        book = load_workbook(io.BytesIO(content))
                        self.assertEqual(book.sheetnames, ["Données", "Aide"])
                        book["Données"].append(row)
                        buffer = io.BytesIO()
                        book.save(buffer)
                        content = buffer.getvalue()
                    from django.core.files.uploadedfile import SimpleUploadedFile

                    url = (reverse("household_import_upload", args=[self.season.pk]) if kind == "households"
                           else reverse("import_upload", kwargs={"program_id": self.program.pk, "kind": kind}))
                    page = self.client.post(url, {"file": SimpleUploadedFile(f"modele.{fmt}", content)}, follow=True)
                    self.assertEqual(self.problems(page), [])
                    self.assertContains(page, "Tout est prêt : 1 ligne sera importée.")
        self.confirm("households")
        self.assertEqual(Household.objects.filter(season=self.season).count(), 1)


class AccessTest(ImportTestCase):
    def test_people_of_another_program_get_404_everywhere(self):
        self.client.force_login(self.outsider)
        for url in (reverse("import_start", args=[self.program.pk]),
                    reverse("import_upload", kwargs={"program_id": self.program.pk, "kind": "vendors"}),
                    reverse("import_preview", kwargs={"program_id": self.program.pk, "kind": "markets"}),
                    reverse("household_import_upload", args=[self.season.pk]),
                    reverse("household_import_preview", args=[self.season.pk])):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, {}).status_code, 404)

    def test_only_the_coordination_imports_program_data(self):
        for role in (Role.TREASURER, Role.PARTNER_WORKER, Role.MARKET_MANAGER, Role.VENDOR, Role.RESEARCHER):
            self.client.force_login(self.users[role])
            with self.subTest(role=role):
                self.assertEqual(self.client.get(reverse("import_upload", kwargs={"program_id": self.program.pk, "kind": "vendors"})).status_code, 404)
        self.client.force_login(self.coordinator)
        page = self.client.get(reverse("import_start", args=[self.program.pk]))
        self.assertContains(page, "Importer un tableau")
        self.assertContains(page, reverse("household_import_upload", args=[self.season.pk]))
        self.assertEqual(self.client.get(f"/programs/{self.program.pk}/import/nonsense/").status_code, 404)

    def test_a_partner_worker_imports_only_for_their_partner_and_other_roles_get_404(self):
        self.client.force_login(self.worker)
        self.assertContains(self.client.get(reverse("household_import_upload", args=[self.season.pk])), "Entraide Alpha")
        for role in (Role.TREASURER, Role.MARKET_MANAGER, Role.VENDOR):
            self.client.force_login(self.users[role])
            with self.subTest(role=role):
                self.assertEqual(self.client.get(reverse("household_import_upload", args=[self.season.pk])).status_code, 404)
        other_worker = make_user("b-intervenant", role=Role.PARTNER_WORKER, program=self.other["program"],
                                 organization=self.other["partner"])
        self.client.force_login(other_worker)
        self.assertEqual(self.client.get(reverse("household_import_upload", args=[self.season.pk])).status_code, 404)

    def test_a_file_sent_for_one_program_cannot_be_confirmed_in_another(self):
        admin = make_user("admin", role=Role.NETWORK_ADMIN, network=self.world["network"])
        self.send("vendors", [VENDOR_HEADERS, ["Ferme Neuve", "Producteur", "", "Légumes", "Place du marché"]],
                  user=admin)
        other_program = self.other["program"]
        page = self.client.get(reverse("import_preview", kwargs={"program_id": other_program.pk, "kind": "vendors"}), follow=True)
        self.assertContains(page, "Le fichier envoyé n&#x27;est plus en mémoire.")
