"""The documents pages in real Chromium on a small phone: the coordinator's download page and the network
admin's editing page fit 360 px; the admin previews, then saves a new version."""

import pytest
from django.urls import reverse

from pcn.conftest import sideways_overflow
from pcn.documents.models import WordingVersion
from pcn.documents.tests.helpers import documents_world

pytestmark = pytest.mark.browser


def test_the_documents_page_fits_a_phone_and_offers_each_pdf(live_server, phone_page, log_in, screenshot):
    w = documents_world("Portneuf", "p")
    log_in(phone_page, w["coordinator"].username)
    phone_page.goto(reverse("program_documents", args=[w["program"].pk]))
    phone_page.select_option("#vendor-choice", str(w["vendor"].pk))
    with phone_page.expect_navigation():
        phone_page.click("text=Afficher")
    assert "Au nom de : Ferme Portneuf" in phone_page.inner_text("main")
    assert phone_page.locator("a[download]").count() == 12
    assert sideways_overflow(phone_page) == 0
    screenshot(phone_page, "documents")


def test_the_admin_previews_then_saves_a_new_version_on_a_phone(live_server, phone_page, log_in, screenshot):
    w = documents_world("Portneuf", "p")
    log_in(phone_page, w["admin"].username)
    phone_page.goto(reverse("document_templates"))
    assert sideways_overflow(phone_page) == 0
    phone_page.goto(reverse("document_template_edit", args=["poster", "fr"]))
    phone_page.fill("textarea[name=body]", "# Coupons bienvenus\n\n{{ program }} · {{ denominations }}\n")
    with phone_page.expect_navigation():
        phone_page.click("button[name=preview]")
    assert "PCN de Portneuf" in phone_page.inner_text("section.card")
    assert sideways_overflow(phone_page) == 0
    screenshot(phone_page, "preview")
    phone_page.fill("input[name=note]", "Titre plus court")
    with phone_page.expect_navigation():
        phone_page.click("button[name=save]")
    assert "La version 2 est enregistrée" in phone_page.inner_text("main")
    assert WordingVersion.objects.filter(network=w["network"], kind="poster", language="fr").count() == 2
    assert sideways_overflow(phone_page) == 0
