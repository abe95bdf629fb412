"""Printing a series end to end, as a coordinator does it: the page queues a task, the worker prints it,
the download is a PDF whose QR codes a phone reads back to each coupon's own check page. The shell
command `pcn print_series` gives the same PDF.
"""

import shutil
import tempfile
from io import StringIO
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from pcn.coupons.models import CustodyEvent
from pcn.coupons.services import series_void
from pcn.coupons.tests.factories import coupon_world, issue
from pcn.tasks.models import Task

BASE_URL = "https://coupons.example.org"


def decoded_urls(pdf, page_index: int = 0) -> list[str]:
    """Every QR code a real decoder reads on the page, rendered at 200 dpi as a phone camera would see it."""
    document = pdfium.PdfDocument(pdf)
    image = document[page_index].render(scale=200 / 72).to_pil()
    return [barcode.text for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def page_text(pdf, page_index: int = 0) -> str:
    return pdfium.PdfDocument(pdf)[page_index].get_textpage().get_text_range()


@override_settings(PUBLIC_BASE_URL=BASE_URL)
class PrintSeriesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = coupon_world()
        # 15 coupons in booklets of 6: booklets 1 and 2 are full, booklet 3 holds the last 3.
        cls.series = issue(cls.w, count=15, booklet_size=6)

    def setUp(self):
        media = tempfile.mkdtemp(prefix="pcn-print-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        self.media = Path(media)
        settings_override = override_settings(MEDIA_ROOT=media)
        settings_override.enable()
        self.addCleanup(settings_override.disable)

    def booklet_urls(self, booklet: int) -> set[str]:
        codes = self.series.coupons.filter(booklet=booklet).values_list("code", flat=True)
        return {f"{BASE_URL}/c/{code}" for code in codes}

    def test_the_page_queues_a_print_the_worker_runs_it_and_each_qr_on_page_one_opens_its_coupon(self):
        self.client.force_login(self.w["coordinator"])

        response = self.client.post(reverse("series_print", args=[self.series.pk]))

        task = Task.objects.get()
        self.assertRedirects(response, reverse("task_detail", args=[task.pk]))
        self.assertEqual((task.name, task.status), ("coupons.print_series", Task.Status.QUEUED))
        self.assertEqual(task.program, self.w["program"])
        self.assertContains(self.client.get(reverse("task_detail", args=[task.pk])), "Impression de la série 1 (15 coupons)")

        out = StringIO()
        call_command("worker", "--once", stdout=out)

        task.refresh_from_db()
        self.assertEqual(task.status, Task.Status.DONE, task.error_message)
        self.assertEqual((task.done_count, task.total_count), (15, 15))
        self.assertIn(f"task {task.pk} coupons.print_series", out.getvalue())

        download = self.client.get(reverse("task_download", args=[task.pk]))
        self.assertEqual(download.status_code, 200)
        self.assertIn("filename*=utf-8''serie-1-%C3%89t%C3%A9-2026.pdf", download["Content-Disposition"])
        pdf = b"".join(download.streaming_content)
        self.assertTrue(pdf.startswith(b"%PDF-"))

        # Booklet mode: page 1 is booklet 1, its six coupons and no other.
        self.assertEqual(len(pdfium.PdfDocument(pdf)), 3)
        urls = decoded_urls(pdf, 0)
        self.assertEqual(len(urls), 6)
        self.assertEqual(set(urls), self.booklet_urls(1))
        self.assertTrue(page_text(pdf, 0).startswith("Carnet 1"))
        self.assertEqual(set(decoded_urls(pdf, 2)), self.booklet_urls(3))

    def test_the_shell_command_writes_the_same_pdf(self):
        target = self.media / "serie-1.pdf"
        out = StringIO()

        call_command("print_series", str(self.series.pk), "--out", str(target), stdout=out, stderr=StringIO())

        self.assertIn(f"15 coupons written to {target}", out.getvalue())
        pdf = target.read_bytes()
        self.assertTrue(pdf.startswith(b"%PDF-"))
        self.assertEqual(len(pdfium.PdfDocument(pdf)), 3)
        self.assertEqual(set(decoded_urls(pdf, 0)), self.booklet_urls(1))
        self.assertEqual(len(decoded_urls(pdf, 0)), 6)

    def test_the_shell_command_refuses_a_voided_series_and_writes_nothing_usable(self):
        series_void(series=self.series, reason=CustodyEvent.Reason.MISPRINT, by=self.w["coordinator"])
        target = self.media / "annulee.pdf"

        with self.assertRaisesMessage(CommandError, "is void"):
            call_command("print_series", str(self.series.pk), "--out", str(target), stdout=StringIO(), stderr=StringIO())

        self.assertFalse(target.exists() and target.stat().st_size > 0)

    def test_the_page_refuses_to_print_a_voided_series(self):
        series_void(series=self.series, reason=CustodyEvent.Reason.MISPRINT, by=self.w["coordinator"])
        self.client.force_login(self.w["coordinator"])

        response = self.client.post(reverse("series_print", args=[self.series.pk]), follow=True)

        self.assertContains(response, "Cette série est annulée : on ne l&#x27;imprime plus.")
        self.assertFalse(Task.objects.exists())
