"""A coordinator imports the program's markets from a spreadsheet on a phone, in real Chromium: the file with a
mistake is reported line by line and nothing is saved; the corrected file imports exactly its rows."""

import pytest

from pcn.conftest import sideways_overflow
from pcn.imports.tests.helpers import csv_bytes
from pcn.imports.tests.test_import_pages import MARKET_HEADERS
from pcn.markets.models import SalePoint
from pcn.testing import make_user, make_world

pytestmark = pytest.mark.browser


def go(page, action):
    with page.expect_navigation():
        action.click()


def test_a_coordinator_imports_markets_on_a_phone(live_server, phone_page, log_in, screenshot, tmp_path):
    world = make_world("Portneuf")
    make_user("coordo", role="coordinator", program=world["program"])
    wrong, right = tmp_path / "marches.csv", tmp_path / "marches-corrige.csv"
    rows = [MARKET_HEADERS,
            ["Marché de Deschambault", "Deschambault", "Quai", "Marché", "1 rue du Quai", "", "", "samedi 9:00-13:00", ""],
            ["Marché de Saint-Casimir", "Saint-Casimir", "Parc", "Marché public", "", "", "", "", ""]]
    wrong.write_bytes(csv_bytes(rows, delimiter=";"))
    rows[1][3], rows[2][4] = "Marché public", "2 rue du Parc"
    right.write_bytes(csv_bytes(rows, delimiter=";"))
    page = log_in(phone_page, "coordo")

    page.goto(f"/programs/{world['program'].pk}/")
    go(page, page.get_by_role("link", name="Importer un tableau"))
    assert sideways_overflow(page) == 0
    screenshot(page, "start")
    go(page, page.locator(f"a[href='/programs/{world['program'].pk}/import/markets/']").first)
    page.set_input_files("input[type=file]", str(wrong))
    go(page, page.get_by_role("button", name="Voir l'aperçu"))

    # Each mistake with its line, its column and how to fix it; nothing saved.
    report = page.locator("table").first.inner_text()
    assert "Type de lieu" in report and "Adresse" in report
    assert "2" in report and "3" in report
    assert SalePoint.objects.filter(market__program=world["program"]).count() == 1
    assert sideways_overflow(page) == 0
    screenshot(page, "errors")

    go(page, page.get_by_role("link", name="Envoyer le fichier corrigé"))
    page.set_input_files("input[type=file]", str(right))
    go(page, page.get_by_role("button", name="Voir l'aperçu"))
    assert "Tout est prêt : 2 lignes seront importées." in page.inner_text("main")
    go(page, page.get_by_role("button", name="Importer les 2 lignes"))
    assert "2 points de vente importés" in page.inner_text(".messages")
    assert sorted(SalePoint.objects.filter(market__program=world["program"]).values_list("name", flat=True)) == [
        "Parc", "Place du marché", "Quai"]
    assert sideways_overflow(page) == 0
    screenshot(page, "done")
