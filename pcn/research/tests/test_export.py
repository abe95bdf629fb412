"""The research export of a season: only households that consented to research, no code or database id
anywhere, every column in the dictionary, and no small cell left in (or recoverable from) a table."""

import csv
import datetime
import io
import re
import zipfile
from collections import defaultdict

from django.test import TestCase
from openpyxl import load_workbook

from pcn.coupons import codes
from pcn.coupons.models import Coupon
from pcn.households.models import Card, Household
from pcn.households.services import household_anonymize
from pcn.redemptions.models import Redemption
from pcn.research.export import household_rows, season_export, week_of
from pcn.research.tests.factories import research_world

FILES = {
    "LISEZ-MOI.txt", "README.txt", "dictionary.csv", "households.csv", "distributions.csv", "redemptions.csv",
    "redemption_counts.csv", "agg_households_partner_size.csv", "agg_households_partner_week.csv",
    "agg_people_partner_age.csv", "agg_distributed_partner_period.csv", "agg_redeemed_market_week.csv",
    "pcn-recherche.xlsx",
}


def read_csv(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def header(archive: zipfile.ZipFile, name: str) -> list[str]:
    return next(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def every_text(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each member's text, and each part of the workbook unzipped (an XLSX is itself a ZIP)."""
    texts = {}
    for name in archive.namelist():
        data = archive.read(name)
        if name.endswith(".xlsx"):
            with zipfile.ZipFile(io.BytesIO(data)) as book:
                for part in book.namelist():
                    texts[f"{name}/{part}"] = book.read(part).decode("utf-8", "replace")
        else:
            texts[name] = data.decode("utf-8-sig")
    return texts


class ExportTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = research_world()
        cls.name, cls.content = season_export(cls.w["season"], threshold=5)

    def archive(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(io.BytesIO(self.content))

    def test_the_zip_holds_the_tables_the_workbook_and_the_notes(self):
        self.assertEqual(self.name, "recherche-pcn-portneuf-ete-2026.zip")
        self.assertEqual(set(self.archive().namelist()), FILES)

    def test_no_household_card_or_coupon_code_and_no_vendor_name_is_anywhere(self):
        secrets = set()
        every_code = [*Household.objects.values_list("code", flat=True), *Card.objects.values_list("code", flat=True),
                      *Coupon.objects.values_list("code", flat=True),
                      *Redemption.objects.values_list("code", flat=True)]
        for code in every_code:
            secrets |= {code, codes.display(code), code.lower()}
        self.assertGreater(len(secrets), 80 * 3 - 10)  # households, a card, 80 coupons: the test scans for real
        secrets |= {self.w["vendor"].business_name, self.w["worker"].username, self.w["vendor_user"].username}
        for name, text in every_text(self.archive()).items():
            for secret in secrets:
                self.assertNotIn(secret, text, f"{secret!r} found in {name}")

    def test_no_database_id_is_written(self):
        archive = self.archive()
        for name in archive.namelist():
            if name.endswith(".csv"):
                for column in header(archive, name):
                    self.assertFalse(column in {"id", "pk"} or column.endswith("_pk"), (name, column))
        households = read_csv(archive, "households.csv")
        self.assertTrue(all(re.fullmatch(r"H\d{4,}", row["household_id"]) for row in households))
        redemptions = read_csv(archive, "redemptions.csv")
        self.assertTrue(all(re.fullmatch(r"V\d{4,}", row["vendor_id"]) for row in redemptions))

    def test_identifiers_are_drawn_anew_for_each_export(self):
        # Two households in the rows: the one of 3 people gets H0001 or H0002 at random.
        seen = set()
        for _ in range(20):
            people, _periods, _exported = household_rows(self.w["season"])
            seen.add(next(row[0] for row in people.rows if row[2] == 3))
        self.assertEqual(seen, {"H0001", "H0002"})

    def test_only_households_whose_latest_research_consent_is_yes_are_in_the_rows(self):
        archive = self.archive()
        households = read_csv(archive, "households.csv")
        # The 3-person household said yes; the person alone who said no, then yes, too. The one who refused
        # (1 person) and the 2-person household that withdrew its consent are absent.
        self.assertEqual(sorted((row["size"], row["received_total"]) for row in households),
                         [("1", "25.00"), ("3", "45.00")])
        consenting = next(row for row in households if row["size"] == "3")
        self.assertEqual((consenting["age_0_5"], consenting["age_18_64"], consenting["flag_single_parent"]),
                         ("1", "2", "1"))
        enrolled = self.w["season"].starts_on - datetime.timedelta(days=3)  # as the world sets it
        self.assertEqual(consenting["enrolment_week"], week_of(enrolled).isoformat())
        periods = read_csv(archive, "distributions.csv")
        self.assertEqual(sorted((row["means"], row["given"]) for row in periods),
                         [("card", "25.00"), ("coupons", "45.00")])
        self.assertFalse(any(row["given"] == "35.00" for row in periods))  # the withdrawn household's 7 coupons

    def test_an_anonymized_household_leaves_the_rows(self):
        household_anonymize(household=self.w["consenting"], by=self.w["coordinator"])
        people, periods, exported = household_rows(self.w["season"])
        self.assertEqual([row[2] for row in people.rows], [1])
        self.assertNotIn(self.w["consenting"].pk, exported)

    def test_dates_are_mondays(self):
        archive = self.archive()
        weeks = [row["enrolment_week"] for row in read_csv(archive, "households.csv")]
        weeks += [row["week"] for row in read_csv(archive, "redemptions.csv")]
        weeks += [row["period_week"] for row in read_csv(archive, "distributions.csv")]
        self.assertTrue(weeks)
        self.assertTrue(all(datetime.date.fromisoformat(w).weekday() == 0 for w in weeks))

    def test_redemption_rows_carry_no_link_to_a_household(self):
        archive = self.archive()
        rows = read_csv(archive, "redemptions.csv")
        self.assertEqual(len(rows), 8)
        self.assertEqual(sorted({(r["means"], r["outcome"], r["reason"]) for r in rows}), [
            ("card", "accepted", ""), ("coupon", "accepted", ""), ("coupon", "refused", "already_redeemed"),
        ])
        self.assertEqual({r["market"] for r in rows}, {self.w["market"].name})
        self.assertEqual({r["vendor_kind"] for r in rows}, {"producer"})
        self.assertNotIn("household_id", rows[0])

    def test_the_dictionary_lists_every_column_of_every_file(self):
        archive = self.archive()
        documented = {(row["file"], row["column"]) for row in read_csv(archive, "dictionary.csv")}
        present = {(name, column) for name in archive.namelist() if name.endswith(".csv")
                   for column in header(archive, name)}
        self.assertEqual(documented, present)
        for row in read_csv(archive, "dictionary.csv"):
            self.assertTrue(row["description_fr"] and row["description_en"], row)
        readme = archive.read("LISEZ-MOI.txt").decode()
        readme_en = archive.read("README.txt").decode()
        for name in archive.namelist():
            if name not in {"LISEZ-MOI.txt", "README.txt"}:
                self.assertIn(name, readme)
                self.assertIn(name, readme_en)
        self.assertIn("plus petit que 5", readme)
        self.assertIn("lundi de sa semaine ISO 8601", readme)
        self.assertIn("below 5", readme_en)

    def test_the_workbook_holds_the_same_tables(self):
        archive = self.archive()
        book = load_workbook(io.BytesIO(archive.read("pcn-recherche.xlsx")), read_only=True)
        for name in archive.namelist():
            if name.endswith(".csv"):
                sheet = book[name.removesuffix(".csv")[:31]]
                rows = list(sheet.iter_rows(values_only=True))
                self.assertEqual(list(rows[0]), header(archive, name))
                self.assertEqual(len(rows) - 1, len(read_csv(archive, name)))

    def test_every_table_hides_its_small_cells_and_no_line_has_a_single_hidden_cell(self):
        archive = self.archive()
        tables = [n for n in archive.namelist() if n.startswith("agg_")]
        self.assertEqual(len(tables), 5)
        hidden_somewhere = False
        for name in tables:
            rows = read_csv(archive, name)
            first, second, measure = header(archive, name)[:3]
            lines = defaultdict(list)
            for row in rows:
                hidden = row["suppressed"] == "1"
                hidden_somewhere |= hidden
                if hidden:
                    self.assertEqual(row[measure], "", (name, row))
                else:
                    self.assertTrue(row[measure] == "0" or int(row[measure]) >= 5, (name, row))
                lines[("r", row[first])].append(hidden)
                lines[("c", row[second])].append(hidden)
            for key, members in lines.items():
                self.assertNotEqual(sum(members), 1, (name, key))
        self.assertTrue(hidden_somewhere)

    def test_the_threshold_of_the_program_is_applied(self):
        _name, content = season_export(self.w["season"], threshold=8)
        archive = zipfile.ZipFile(io.BytesIO(content))
        rows = read_csv(archive, "agg_redeemed_market_week.csv")
        self.assertTrue(all(row["suppressed"] == "1" for row in rows))  # 7 coupons: below 8
        self.assertIn("Seuil des petits nombres : 8", archive.read("LISEZ-MOI.txt").decode())
