"""A coordinator sets up a season on a phone, in real Chromium, following the home page's next step."""

import pytest

from pcn.accounts.models import Role
from pcn.conftest import sideways_overflow
from pcn.programs.models import EntitlementRow, Network, Organization, Program, Season
from pcn.testing import make_user

pytestmark = pytest.mark.browser


def test_a_coordinator_creates_and_fills_a_season_on_a_phone(live_server, phone_page, log_in, screenshot):
    program = Program.objects.create(
        network=Network.objects.create(name="Réseau"), name="PCN Kamouraska", kind="mrc", region="01", languages=["fr"]
    )
    fiduciary = Organization.objects.create(program=program, name="Fiducie du Bas", kind="fiduciary")
    Organization.objects.create(program=program, name="Entraide Kamouraska", kind="community_partner")
    program.fiduciary = fiduciary
    program.save()
    make_user("coordo", role=Role.COORDINATOR, program=program)
    page = log_in(phone_page, "coordo")

    # The next step is the wizard; this coordinator takes the plain form, from the list of every step.
    assert "Mettre en place la saison avec l'assistant" in page.inner_text("main")
    page.get_by_text("Toutes les étapes de la mise en place").click()
    page.get_by_role("link", name="Créer la saison : dates, semaines, fréquence des remises").click()
    page.fill("#id_name", "Été 2027")
    page.fill("#id_starts_on", "2027-06-12")
    page.fill("#id_ends_on", "2027-06-01")
    page.fill("#id_weeks", "12")
    page.fill("#id_household_size_cap", "4")
    page.get_by_label("Marché public").check()
    page.get_by_role("button", name="Enregistrer").click()

    # The mistake is said in plain words, next to the field, and nothing is saved.
    assert page.locator(".error").first.inner_text() == "La fin de la saison doit venir après son début."
    assert not Season.objects.exists()
    assert sideways_overflow(page) == 0
    screenshot(page, "season-error")

    page.fill("#id_ends_on", "2027-09-04")
    page.get_by_role("button", name="Enregistrer").click()
    assert "Montants remis par ménage" in page.inner_text("h1")
    for size, amount in ((1, "25"), (2, "35"), (3, "45,50"), (4, "60")):
        page.fill(f"#id_size_{size}", amount)
    screenshot(page, "amounts")
    page.get_by_role("button", name="Enregistrer").click()

    assert "4 personnes ou plus" in page.inner_text("main")
    assert "45,50\u00a0$" in page.inner_text("main")
    season = Season.objects.get()
    assert list(EntitlementRow.objects.filter(season=season).values_list("amount_cents", flat=True)) == [
        2500, 3500, 4550, 6000
    ]
    assert sideways_overflow(page) == 0
    screenshot(page, "season")


def test_the_language_switch_keeps_the_page(live_server, desktop_page, log_in):
    program = Program.objects.create(
        network=Network.objects.create(name="Réseau"), name="PCN Ville", kind="city", region="03", languages=["fr"]
    )
    make_user("coordo", role=Role.COORDINATOR, program=program)
    page = log_in(desktop_page, "coordo")
    page.goto(f"/programs/{program.pk}/seasons/")
    assert page.inner_text("h1") == "Saisons"

    page.get_by_role("button", name="English").click()

    assert page.url.endswith(f"/programs/{program.pk}/seasons/")
    assert page.inner_text("h1") == "Seasons"
    assert page.locator("html").get_attribute("lang") == "en"
