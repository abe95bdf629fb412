"""The close-out page, its CSV and PDF, and the close_season command."""

import io

import pypdfium2 as pdfium
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from pcn.coupons.models import CustodyEvent
from pcn.coupons.tests.test_closeout import SeasonWorld, later, snapshot
from pcn.programs.models import Season
from pcn.tasks.models import Task
from pcn.tasks.services import task_run_next
from pcn.testing import make_user


def pdf_text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


class CloseoutPageTest(SeasonWorld):
    def url(self, name="season_closeout"):
        return reverse(name, args=[self.w["season"].pk])

    def test_the_coordinator_sees_every_state_the_check_and_what_blocks_the_close(self):
        self.client.force_login(self.w["coordinator"])
        response = self.client.get(self.url())
        self.assertContains(response, "Chez un ménage (en circulation)")
        self.assertContains(response, "Échangé et payé")
        self.assertContains(response, "225,00\u00a0$", count=2)  # total and value issued
        self.assertContains(response, "Total = valeur émise ✓")
        self.assertContains(response, "ZZZZ-ZZZZ-ZZZZ")
        self.assertContains(response, "En fermant, 17 coupons encore chez des ménages ou vendus au grand public "
                                      "expirent (100,00\u00a0$).")
        self.assertContains(response, "peuvent encore être échangés jusqu")
        self.assertNotContains(response, 'action="%s"' % self.url("season_close"))  # blocked: no button
        season_page = self.client.get(reverse("season_detail", args=[self.w["season"].pk]))
        self.assertContains(season_page, self.url())

    def test_the_page_reads_in_english(self):
        self.client.force_login(self.w["coordinator"])
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = self.client.get(self.url())
        self.assertContains(response, "$225.00", count=2)
        self.assertContains(response, "Total = value issued ✓")
        self.assertContains(response, "Redeemed and paid")
        self.assertNotContains(response, "Échangé et payé")

    def test_the_coordinator_closes_the_season_from_the_page(self):
        with later():  # signed in after the clock moves: a session two months old has expired
            self.client.force_login(self.w["coordinator"])
            page = self.client.get(self.url())
            self.assertContains(page, 'action="%s"' % self.url("season_close"))
            response = self.client.post(self.url("season_close"), follow=True)
            self.assertContains(response, "La fermeture de la saison « Été 2026 » a commencé.")
            self.assertContains(response, "Retour au bilan de fermeture")
            page = self.client.get(self.url())
            self.assertContains(page, "La fermeture est en cours.")
            self.assertNotContains(page, 'action="%s"' % self.url("season_close"))
            self.client.post(self.url("season_close"))  # a second click queues nothing more
            self.assertEqual(Task.objects.filter(name="coupons.close_season").count(), 1)
            task_run_next(worker_name="test")  # what `pcn worker` does
            self.assertEqual(Task.objects.get().status, Task.Status.DONE)
            response = self.client.get(self.url())
            self.assertContains(response, "Fermée le")
            self.assertNotContains(response, 'action="%s"' % self.url("season_close"))
        season = Season.objects.get(pk=self.w["season"].pk)
        self.assertEqual(season.closed_by, self.w["coordinator"])

    def test_a_refused_close_says_why_and_changes_nothing(self):
        self.client.force_login(self.w["coordinator"])
        before = snapshot(self.w["season"])
        response = self.client.post(self.url("season_close"), follow=True)
        self.assertContains(response, "peuvent encore être échangés jusqu")
        self.assertEqual(snapshot(self.w["season"]), before)

    def test_the_treasurer_reads_the_report_but_cannot_close(self):
        with later():
            self.client.force_login(self.treasurers[0])
            response = self.client.get(self.url())
            self.assertContains(response, "Total = valeur émise ✓")
            self.assertContains(response, "Seule la coordination peut fermer la saison.")
            before = snapshot(self.w["season"])
            self.assertEqual(self.client.post(self.url("season_close")).status_code, 404)
        self.assertEqual(snapshot(self.w["season"]), before)

    def test_the_csv_has_the_totals_a_bom_and_no_formula(self):
        self.client.force_login(self.treasurers[0])
        response = self.client.get(self.url("season_closeout_csv"))
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment;", response["Content-Disposition"])
        body = response.content
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"))
        text = body.decode("utf-8-sig")
        self.assertIn("Disposition,Total,,35,225.00,", text)
        self.assertIn("Disposition,Valeur émise,,35,225.00,100.0", text)
        self.assertIn("Disposition,Échangé et payé,,4,20.00,8.9", text)
        self.assertIn("Vérification,Total = valeur émise", text)
        self.assertIn("Non apparié,'=1+1,", text)  # a typed code a spreadsheet would run, defused
        self.assertNotIn(",=1+1", text)

    def test_the_xlsx_has_the_csvs_rows_with_numbers(self):
        from openpyxl import load_workbook

        self.client.force_login(self.treasurers[0])
        response = self.client.get(self.url("season_closeout_xlsx"))
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn('attachment; filename="fermeture-pcn-portneuf-ete-2026.xlsx"', response["Content-Disposition"])
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["Fermeture de saison", "Codes jamais émis"])
        rows = [list(r) for r in book["Fermeture de saison"].iter_rows(values_only=True)]
        self.assertIn(["Disposition", "Total", None, 35, 225.0, None], rows)
        self.assertIn(["Disposition", "Valeur émise", None, 35, 225.0, 100.0], rows)
        self.assertIn(["Disposition", "Échangé et payé", None, 4, 20.0, 8.9], rows)
        self.assertIn(["Vérification", "Total = valeur émise", None, None, None, None], rows)
        csv_rows = self.client.get(self.url("season_closeout_csv")).content.decode("utf-8-sig").splitlines()
        first = csv_rows.index("Section,État,Valeur du coupon,Coupons,Valeur ($),Part de l'émis") + 1
        body = csv_rows[first:csv_rows.index("", first)]
        self.assertEqual(len(rows) - 3, len(body))  # title, note, header; then the CSV's rows one for one
        codes = [list(r) for r in book["Codes jamais émis"].iter_rows(values_only=True)]
        self.assertIn(["Non apparié", "ZZZZ-ZZZZ-ZZZZ"], [r[:2] for r in codes])
        self.assertIn("'=1+1", [r[1] for r in codes])  # a typed code stays text, never a formula
        cells = [c for row in book["Codes jamais émis"].iter_rows() for c in row]
        self.assertFalse([c.coordinate for c in cells if c.data_type == "f"])

    def test_the_pdf_has_the_totals(self):
        self.client.force_login(self.w["coordinator"])
        response = self.client.get(self.url("season_closeout_pdf"))
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = pdf_text(response.content)
        self.assertIn("Fermeture de saison", text)
        self.assertIn("225,00", text)
        self.assertIn("Vérifié : le total est égal à la valeur émise", text)
        self.assertIn("Échangé et payé", text)
        self.assertIn("ZZZZ-ZZZZ-ZZZZ", text)

    def test_people_outside_the_treasury_and_coordination_are_refused(self):
        from pcn.accounts.models import Role

        worker = make_user("intervenant-x", role=Role.PARTNER_WORKER, program=self.w["program"],
                           organization=self.w["partner"])
        self.client.force_login(worker)
        for name in ("season_closeout", "season_closeout_csv", "season_closeout_xlsx", "season_closeout_pdf"):
            self.assertEqual(self.client.get(self.url(name)).status_code, 404, name)


class CloseSeasonCommandTest(SeasonWorld):
    def call(self, *args) -> str:
        out = io.StringIO()
        call_command("close_season", str(self.w["season"].pk), *args, stdout=out)
        return out.getvalue()

    def test_a_dry_run_prints_the_report_and_changes_nothing(self):
        before = snapshot(self.w["season"])
        with later():
            out = self.call("--user", self.w["coordinator"].username, "--dry-run")
        self.assertIn("total = issued: OK", out)
        self.assertIn("closing would expire 17 coupons ($100.00)", out)
        self.assertEqual(snapshot(self.w["season"]), before)

    def test_it_refuses_before_the_deadline_and_closes_after(self):
        with self.assertRaisesMessage(CommandError, "peuvent encore être échangés"):
            self.call("--user", self.w["coordinator"].username)
        with later():
            out = self.call("--user", self.w["coordinator"].username)
        self.assertIn("is closed", out)
        self.assertIn("$225.00", out)
        season = Season.objects.get(pk=self.w["season"].pk)
        self.assertIsNotNone(season.closed_at)
        self.assertTrue(CustodyEvent.objects.filter(season=season, kind=CustodyEvent.Kind.EXPIRE,
                                                    source=CustodyEvent.Source.COMMAND).exists())
