"""A new coordinator sets up their program with the wizard on a phone, in real Chromium: from a bare program to a
configured season, a printed coupon sheet and the program's documents."""

import io
import shutil
import tempfile

import pypdfium2 as pdfium
import pytest
from django.test import override_settings

from pcn.accounts.models import Role
from pcn.conftest import sideways_overflow
from pcn.coupons.models import Series
from pcn.programs.models import Network, Organization, Program
from pcn.tasks.services import task_run_next
from pcn.testing import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def media():
    folder = tempfile.mkdtemp(prefix="pcn-setup-")
    with override_settings(MEDIA_ROOT=folder):
        yield folder
    shutil.rmtree(folder, ignore_errors=True)


def pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(io.BytesIO(content))
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def go(page, action):
    with page.expect_navigation():
        action.click()


def test_a_new_coordinator_sets_up_the_program_prints_coupons_and_gets_its_documents(
    live_server, phone_page, log_in, screenshot, media
):
    network = Network.objects.create(name="Réseau des marchés publics")
    program = Program.objects.create(network=network, name="Coupons nourriciers de Charlevoix", kind="mrc",
                                     region="03", languages=["fr"])
    make_user("nouvelle", role=Role.COORDINATOR, program=program)
    page = log_in(phone_page, "nouvelle")

    # The home page's next step is the wizard.
    assert "Mettre en place la saison avec l'assistant" in page.inner_text("main")
    go(page, page.get_by_role("link", name="Faire cette étape"))
    assert "Mettre en place Coupons nourriciers de Charlevoix" in page.inner_text("h1")
    assert sideways_overflow(page) == 0
    screenshot(page, "start")
    go(page, page.get_by_role("button", name="Partir du modèle « MRC rurale »"))

    # Step 2: the program, its name already there; the fiduciary is missing and the page says so.
    assert "étape 2 sur 7" in page.inner_text("main")
    assert page.input_value("#id_name") == "Coupons nourriciers de Charlevoix"
    go(page, page.get_by_role("button", name="Continuer"))
    assert "Donnez le nom du fiduciaire" in page.inner_text(".field.has-error")
    page.fill("#id_fiduciary", "UPA de la Capitale-Nationale–Côte-Nord")
    screenshot(page, "program")
    go(page, page.get_by_role("button", name="Continuer"))

    # Leave and come back later: the home page offers to resume at the season.
    page.goto("/")
    go(page, page.get_by_role("link", name="Reprendre la mise en place"))
    assert page.inner_text("h1") == "La saison"
    assert "Pourquoi ces valeurs" in page.inner_text("main")
    assert page.input_value("#id_weeks") == "12"
    page.fill("#id_weeks", "10")
    assert sideways_overflow(page) == 0
    screenshot(page, "season")
    go(page, page.get_by_role("button", name="Continuer"))

    # Amounts: an amount the coupons cannot make is refused in plain words, then fixed.
    assert page.input_value("#id_size_5") == "60,00"
    page.fill("#id_size_1", "21,50")
    go(page, page.get_by_role("button", name="Continuer"))
    assert "ne permettent pas de faire exactement 21,50" in page.inner_text(".has-error")
    assert sideways_overflow(page) == 0
    screenshot(page, "amounts-error")
    page.fill("#id_size_1", "22")
    go(page, page.get_by_role("button", name="Continuer"))

    assert page.inner_text("h1") == "Ce que les coupons achètent"
    assert page.input_value("#id_name_0") == "Aliments locaux"
    go(page, page.get_by_role("button", name="Continuer"))

    page.fill("#id_names", "Entraide Charlevoix\nCarrefour familial de Baie-Saint-Paul")
    go(page, page.get_by_role("button", name="Continuer"))

    # Review, then create.
    main = page.inner_text("main")
    for expected in ("UPA de la Capitale-Nationale–Côte-Nord", "10 semaines", "22,00\u00a0$", "Aliments locaux",
                     "Carrefour familial de Baie-Saint-Paul"):
        assert expected in main
    assert sideways_overflow(page) == 0
    screenshot(page, "review")
    go(page, page.get_by_role("button", name="Créer la saison"))

    assert "Coupons nourriciers de Charlevoix est prêt" in page.inner_text("h1")
    screenshot(page, "done")
    season = program.seasons.get()
    program.refresh_from_db()
    assert program.fiduciary.name == "UPA de la Capitale-Nationale–Côte-Nord"
    assert program.organizations.filter(kind=Organization.Kind.COMMUNITY_PARTNER).count() == 2
    assert list(season.entitlement_rows.values_list("amount_cents", flat=True)) == [2200, 3000, 4000, 5000, 6000]
    done_url = page.url

    # A first coupon sheet: issue a series, print it, download the PDF.
    go(page, page.get_by_role("link", name="Émettre et imprimer des coupons"))
    page.select_option("#id_coupon_class", label="Aliments locaux")
    page.select_option("#id_denomination_cents", label="5,00\u00a0$")
    page.fill("#id_count", "12")
    page.fill("#id_booklet_size", "6")
    page.fill("#id_funding_source", "MRC de Charlevoix")
    go(page, page.get_by_role("button", name="Émettre la série"))
    series = Series.objects.get(season=season)
    go(page, page.get_by_role("button", name="Préparer le PDF à imprimer"))
    assert task_run_next(worker_name="test") is not None  # what `pcn worker` does beside the server
    page.reload()
    link = page.get_by_role("link", name="Télécharger")
    sheet = page.request.get(link.get_attribute("href"))
    assert sheet.ok and sheet.body().startswith(b"%PDF-")
    text = pdf_text(sheet.body())
    assert "Coupons nourriciers de Charlevoix" in text and "5 $" in text and "Aliments locaux" in text
    assert series.coupons.count() == 12

    # The documents the template plans, straight from the same page, filled with the program's data.
    page.goto(done_url)
    documents = page.locator("ul.documents li")
    assert documents.count() == 4 and "Affiche" in documents.nth(3).inner_text()
    response = page.request.get(documents.nth(3).get_by_role("link", name="Français").get_attribute("href"))
    assert response.ok
    words = " ".join(pdf_text(response.body()).split())
    assert "Coupons nourriciers acceptés ici" in words and "Valides du 7 juin 2027 au 15 août 2027" in words
    assert "Affiche pour les kiosques » v1" in words
    go(page, page.get_by_role("link", name="Voir les documents"))
    assert page.locator("a[href*='/documents/distribution_log/en/']").count() == 1  # and every other one
    assert sideways_overflow(page) == 0
    screenshot(page, "documents")


def test_the_wizard_speaks_english_on_a_phone(live_server, make_page, log_in, screenshot):
    network = Network.objects.create(name="Réseau")
    make_user("admin", role=Role.NETWORK_ADMIN, network=network)
    page = log_in(make_page(locale="en-CA"), "admin")
    page.goto("/network/setup/")
    assert page.inner_text("h1") == "Set up a new program"
    assert sideways_overflow(page) == 0
    screenshot(page, "start")
    go(page, page.get_by_role("button", name="Start from the “City” template"))
    assert "step 2 of 7" in page.inner_text("main")
    go(page, page.get_by_role("button", name="Continue"))
    assert "Choose the administrative region." in page.inner_text(".errors, .has-error") or \
        "Choose the administrative region." in page.inner_text("main")
    page.fill("#id_name", "Food coupons of Pontiac")
    page.select_option("#id_region", "07")
    page.fill("#id_fiduciary", "Pontiac Food Bank")
    go(page, page.get_by_role("button", name="Continue"))
    assert page.input_value("#id_name") == "Été 2027"  # the program's words stay French: its first language
    assert sideways_overflow(page) == 0
    screenshot(page, "season")
