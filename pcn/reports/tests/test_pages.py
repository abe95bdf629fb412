"""The dashboards as their users see them: figures, filters, downloads, who sees what, and fresh figures."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from pcn.payments.tests.factories import redeem
from pcn.reports import snapshot
from pcn.reports.tests.factories import report_world
from pcn.reports.models import Snapshot
from pcn.tasks.models import Task
from pcn.testing import PASSWORD

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def w():
    return report_world()

def test_the_coordinator_sees_the_season_at_a_glance(w):
    page = client_for(w["coordinator"]).get(f"/seasons/{w['season'].pk}/dashboard/")
    assert page.status_code == 200
    html = page.content.decode()
    # 20 coupons sold (100 $) and 7 handed out (35 $); 6 redeemed (30 $), 4 at the first vendor; 20 $ paid.
    for text in ("35,00\xa0$", "100,00\xa0$", "30,00\xa0$", "20,00\xa0$", "22,2\xa0%", "ménages rejoints",
                 "Marché de Donnacona", "Jardins Bélanger", "Maison de la famille" if False else "Entraide"):
        assert text in html, text
    assert html.count("<svg") >= 3 and "<script" not in html.split("<main")[1]
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "").split("<main")[1]
    # Where the coupons are adds up to what was issued (30 coupons, 150 $).
    assert "150,00\xa0$" in html


def test_filters_narrow_each_side(w):
    client = client_for(w["coordinator"])
    season = w["season"]
    by_market = client.get(f"/seasons/{season.pk}/dashboard/", {"market": w["market_b"].pk}).context["d"]
    assert by_market.total.redeemed_cents == 10_00 and by_market.total.paid_cents == 0
    by_partner = client.get(f"/seasons/{season.pk}/dashboard/", {"partner": w["partner"].pk}).context["d"]
    assert (by_partner.total.redeemed_from_cents, by_partner.total.handed_out_cents) == (15_00, 35_00)
    assert by_partner.total.reached == 1 and by_partner.total.people == 2
    nobody = client.get(f"/seasons/{season.pk}/dashboard/", {"partner": w["other"].pk}).context["d"]
    assert nobody.total.reached == 0 and nobody.total.redeemed_from_cents == 0
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    later = client.get(f"/seasons/{season.pk}/dashboard/", {"start": next_week.isoformat()}).context["d"]
    assert later.total.redeemed_cents == 0 and later.total.handed_out_cents == 0


def test_a_wrong_date_range_says_what_to_do_and_shows_everything(w):
    page = client_for(w["coordinator"]).get(f"/seasons/{w['season'].pk}/dashboard/",
                                             {"start": "2026-08-01", "end": "2026-07-01"})
    assert page.status_code == 200
    assert "La date « du » doit venir avant la date « au »." in page.content.decode()
    assert page.context["d"].total.redeemed_cents == 30_00
    page = client_for(w["coordinator"]).get(f"/seasons/{w['season'].pk}/dashboard/", {"start": "hier"})
    assert "Écrivez une date comme 2026-07-15" in page.content.decode()


def test_every_table_downloads_as_csv_and_xlsx_with_the_same_figures(w):
    client = client_for(w["treasurer"])
    url = f"/seasons/{w['season'].pk}/dashboard/"
    board = client.get(url).context["d"]
    csv_file = client.get(url, {"format": "csv"})
    assert csv_file["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    weeks_total = next(r for r in rows if r and r[0] == "Total")
    assert weeks_total[4] == "30.00" and weeks_total[5] == "20.00"  # redeemed, paid: in dollars to the cent
    xlsx = client.get(url, {"format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert "Par semaine" in book.sheetnames and "Par marchand" in book.sheetnames
    vendors = list(book["Par marchand"].iter_rows(values_only=True))
    assert ("Total", board.total.redeemed_cents / 100, board.total.paid_cents / 100, 0) in vendors
    assert client.get(url, {"format": "exe"}).status_code == 404


def test_a_partner_sees_its_own_figures_only(w):
    client = client_for(w["partner_user"])
    url = f"/seasons/{w['season'].pk}/dashboard/partner/"
    page = client.get(url, {"partner": w["other"].pk})  # someone else's partner: its own is shown instead
    d = page.context["d"]
    assert page.context["partner"] == w["partner"]
    assert (d.total.reached, d.total.handed_out_cents, d.total.redeemed_from_cents) == (1, 35_00, 15_00)
    html = page.content.decode()
    assert "Jardins Bélanger" not in html and "Marché de Donnacona" not in html
    other = client_for(w["other_user"]).get(url).context["d"]
    assert other.total.reached == 0 and other.total.handed_out_cents == 0
    assert client.get(f"/seasons/{w['season'].pk}/dashboard/").status_code == 404


def test_a_vendor_sees_its_own_figures_only(w):
    client = client_for(w["vendor_b_user"])
    page = client.get(f"/vendors/{w['vendor_b'].pk}/dashboard/")
    d = page.context["d"]
    assert (d.total.redeemed_cents, d.total.paid_cents, d.total.reached) == (10_00, 0, 0)
    assert w["vendor"].business_name not in page.content.decode()
    assert client.get(f"/vendors/{w['vendor'].pk}/dashboard/").status_code == 404
    assert client.get(f"/seasons/{w['season'].pk}/dashboard/").status_code == 404
    first = client_for(w["vendor_user"]).get(f"/vendors/{w['vendor'].pk}/dashboard/").context["d"]
    assert (first.total.redeemed_cents, first.total.paid_cents) == (20_00, 20_00)


def test_the_network_sees_programs_side_by_side(w):
    from pcn.testing import make_world

    make_world("Rimouski", network=w["network"])  # a second program, nothing happened yet
    client = client_for(w["analyst"])
    page = client.get("/network/dashboard/", {"year": w["season"].starts_on.year})
    assert page.status_code == 200
    view = page.context["view"]
    assert view.season_table.total["redeemed"] == 30_00 and view.season_table.total["paid"] == 20_00
    assert {row["program"] for row in view.season_table.rows} >= {"PCN Portneuf"}
    assert view.region_table.total["programs"] >= 1
    html = page.content.decode()
    assert "Capitale-Nationale" in html and "Saisons comparées" in html
    assert client_for(w["coordinator"]).get("/network/dashboard/").status_code == 404
    book = load_workbook(io.BytesIO(client.get("/network/dashboard/", {"format": "xlsx"}).content))
    assert len(book.sheetnames) == 3


def test_new_redemptions_show_on_the_next_visit(w):
    client = client_for(w["coordinator"])
    url = f"/seasons/{w['season'].pk}/dashboard/"
    assert client.get(url).context["d"].total.redeemed_cents == 30_00
    redeem(w, w["codes"][10])
    assert client.get(url).context["d"].total.redeemed_cents == 35_00


def test_a_big_season_is_recomputed_by_the_worker_while_the_page_shows_the_last_figures(w, monkeypatch):
    from pcn.tasks.services import task_run_next

    client = client_for(w["coordinator"])
    url = f"/seasons/{w['season'].pk}/dashboard/"
    client.get(url)
    Snapshot.objects.filter(season=w["season"]).update(build_seconds=60.0)  # as a city's season takes
    redeem(w, w["codes"][10])
    page = client.get(url)
    assert page.context["d"].total.redeemed_cents == 30_00  # the last figures, with their time
    assert "Une mise à jour est en cours" in page.content.decode()
    client.get(url)
    assert Task.objects.filter(name=snapshot.REFRESH_TASK).count() == 1  # queued once
    task_run_next(worker_name="test")
    assert client.get(url).context["d"].total.redeemed_cents == 35_00


def test_charts_draw_into_a_pdf_without_any_service(w):
    import pypdfium2
    from reportlab.lib.pagesizes import letter
    from reportlab.platypus import SimpleDocTemplate

    from pcn.reports.charts import bars, columns
    from pcn.reports.selectors import money_text

    out = io.BytesIO()
    story = [columns("Par semaine", ["6/7", "13/7"], [("Remis", [35_00, 0]), ("Échangés", [10_00, 20_00])], money_text)
             .drawing(400), bars("Par marché", [("Marché de Donnacona", 10_00)], money_text).drawing(400)]
    SimpleDocTemplate(out, pagesize=letter).build(story)
    text = pypdfium2.PdfDocument(out.getvalue())[0].get_textpage().get_text_range()
    for label in ("Par semaine" if False else "Remis", "Échangés", "Marché de Donnacona", "10,00"):
        assert label in text


def test_figures_link_to_the_rows_behind_them(w):
    client = client_for(w["coordinator"])
    season = w["season"]
    page = client.get(f"/seasons/{season.pk}/dashboard/")
    vendors = page.context["tables"]["marchands"]
    row = next(r for r in vendors.rows if r["name"] == "Jardins Bélanger")
    assert row["url"] in page.content.decode().replace("&amp;", "&")
    behind = client.get(row["url"])
    assert behind.status_code == 200
    # The list behind the 10 $ says the same: two accepted coupons of 5 $.
    assert "10,00\xa0$" in behind.content.decode()
    partners = page.context["tables"]["partenaires"]
    partner_row = next(r for r in partners.rows if r["id"] == w["partner"].pk)
    households = client.get(partner_row["url"])
    assert households.status_code == 200 and w["household"].display_code in households.content.decode()
