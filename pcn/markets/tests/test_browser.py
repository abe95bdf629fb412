"""The markets pages in real Chromium on a small phone (360 px): a coordinator at a market stand."""

import datetime

import pytest
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.conftest import sideways_overflow
from pcn.markets.selectors import vendor_is_authorized
from pcn.markets.tests.factories import (
    make_market,
    make_organization,
    make_program,
    make_sale_point,
    make_season,
    make_user,
    make_vendor,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def world(db):
    program = make_program("PCN Portneuf")
    season = make_season(program, "Été 2026", accepted=["market", "farm_stand"])
    operator = make_organization(program, "Corporation de développement de Saint-Casimir")
    market = make_market(program, "Marché public de Saint-Casimir", operator=operator,
                         contact_email="marche.saint-casimir@exemple.qc.ca")
    square = make_sale_point(market, "Place du marché", schedule="samedi 9 h à 13 h, de juin à octobre",
                             latitude="46.652345", longitude="-72.134567")
    field = make_sale_point(market, "Champ de fraises du rang Saint-Joseph", kind="u_pick")
    vendor = make_vendor(program, [square], "Ferme des Érables et fils (producteurs maraîchers)",
                         categories=["vegetables", "fruit", "eggs", "maple", "honey"])
    u_pick = make_vendor(program, [field], "Fraisière Côté")
    make_user("coordo", role=Role.COORDINATOR, program=program)
    return {"program": program, "season": season, "market": market, "square": square, "vendor": vendor,
            "u_pick": u_pick}


def test_the_markets_pages_fit_a_small_phone(live_server, phone_page, log_in, screenshot, world):
    log_in(phone_page, "coordo")
    pages = {
        "market-list": reverse("market_list", args=[world["program"].pk]),
        "market-detail": reverse("market_detail", args=[world["market"].pk]),
        "sale-point-form": reverse("sale_point_create", args=[world["market"].pk]),
        "vendor-list": reverse("vendor_list", args=[world["program"].pk]),
        "vendor-form": reverse("vendor_create", args=[world["program"].pk]),
        "vendor-detail": reverse("vendor_detail", args=[world["vendor"].pk]),
        "season-vendors": reverse("season_vendors", args=[world["season"].pk]),
    }
    for name, url in pages.items():
        phone_page.goto(url)
        screenshot(phone_page, name)
        assert sideways_overflow(phone_page) == 0, f"{name} scrolls sideways on a 360 px phone"


def test_a_coordinator_authorizes_a_vendor_from_a_phone(live_server, phone_page, log_in, screenshot, world):
    log_in(phone_page, "coordo")
    phone_page.goto(reverse("season_vendors", args=[world["season"].pk]))
    assert phone_page.get_by_text("ce marchand ne vend à aucun type de lieu").count() == 1

    with phone_page.expect_navigation():
        phone_page.get_by_role("button", name="Autoriser Fraisière Côté").click()

    assert phone_page.get_by_text("« Fraisière Côté » est autorisé pour la saison « Été 2026 ».").is_visible()
    assert phone_page.get_by_text("Attention : « Fraisière Côté » ne vend à aucun type de lieu").is_visible()
    assert vendor_is_authorized(vendor=world["u_pick"], season=world["season"])
    screenshot(phone_page, "after-authorize")


def test_a_coordinator_sets_the_opening_hours_of_a_sale_point_from_a_phone(
    live_server, phone_page, log_in, screenshot, world
):
    log_in(phone_page, "coordo")
    page = phone_page
    page.goto(reverse("sale_point_edit", args=[world["square"].pk]))
    page.get_by_label("Jeudi, ligne 1 : Ouvre à").fill("15:30")
    page.get_by_label("Jeudi, ligne 1 : Ferme à").fill("19:00")
    page.get_by_label("Samedi, ligne 1 : Ouvre à").fill("09:00")
    page.get_by_label("Samedi, ligne 1 : Ferme à").fill("13:00")
    page.get_by_label("Dimanche, ligne 1 : Ouvre à").fill("10:00")  # the closing time forgotten
    page.get_by_label("Précisions sur l'horaire").fill("de juin à octobre")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()

    sunday = page.locator("fieldset.hours-day", has_text="Dimanche")
    assert sunday.get_by_text("Indiquez aussi l'heure de fermeture, ou effacez l'heure d'ouverture.").is_visible()
    assert not world["square"].opening_hours.exists()
    screenshot(page, "refused")
    assert sideways_overflow(page) == 0

    page.get_by_label("Dimanche, ligne 1 : Ferme à").fill("14:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()

    assert page.url.endswith(reverse("market_detail", args=[world["market"].pk]))
    card = page.locator("li.card", has_text="Place du marché")
    hours = card.locator("dd", has_text="Samedi")
    assert hours.inner_text().replace("\u00a0", " ").splitlines() == [
        "Jeudi, 15 h 30 à 19 h",
        "Samedi, 9 h à 13 h",
        "Dimanche, 10 h à 14 h",
        "de juin à octobre",
    ]
    assert list(world["square"].opening_hours.values_list("weekday", "opens_at", "closes_at")) == [
        (3, datetime.time(15, 30), datetime.time(19)),
        (5, datetime.time(9), datetime.time(13)),
        (6, datetime.time(10), datetime.time(14)),
    ]
    screenshot(page, "market-page")
    assert sideways_overflow(page) == 0, "the market page scrolls sideways on a 360 px phone"
