"""A coordinator issues a series and hands booklets to a partner on a phone, in real Chromium; then anyone
checks one of those coupons by its code, without an account."""

import datetime

import pytest
from django.utils import timezone

from pcn.conftest import sideways_overflow
from pcn.coupons import codes
from pcn.coupons.models import Coupon, CouponStatus, Series
from pcn.coupons.tests.factories import coupon_world, issue

pytestmark = pytest.mark.browser


@pytest.fixture
def world():
    """The test world, with a season running today: the check page compares the validity with today."""
    w = coupon_world()
    today = timezone.localdate()
    season = w["season"]
    season.starts_on = season.coupons_valid_from = today - datetime.timedelta(days=14)
    season.ends_on = today + datetime.timedelta(days=70)
    season.coupons_valid_until = today + datetime.timedelta(days=77)
    season.save()
    return w


def test_a_coordinator_issues_a_series_and_hands_two_booklets_to_a_partner_on_a_phone(
    live_server, phone_page, make_page, log_in, world, screenshot
):
    season, partner = world["season"], world["partner"]
    page = log_in(phone_page, world["coordinator"].username)

    # From the season's page to its coupons: nothing issued yet, and the way to start is the big button.
    page.goto(f"/seasons/{season.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Voir les coupons").click()
    assert page.inner_text("h1") == f"Coupons · {season.name}"
    assert "Aucun coupon émis pour cette saison." in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("link", name="Émettre une série").click()

    # The series form: 24 coupons of 5 $ in booklets of 6, the season's dates already filled in.
    assert page.inner_text("h1") == "Émettre une série de coupons"
    page.select_option("#id_coupon_class", label="Fruits et légumes")
    page.fill("#id_count", "24")
    page.fill("#id_booklet_size", "6")
    page.get_by_label("Bleu").check()
    page.fill("#id_funding_source", "MRC – fonds 2026")
    assert page.locator(".choices.colours .swatch").count() == 8  # each colour shows itself
    assert sideways_overflow(page) == 0
    screenshot(page, "series-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Émettre la série").click()

    series = Series.objects.get(season=season)
    assert (series.count, series.booklet_size, series.colour) == (24, 6, "#1f4e9c")
    assert "La série 1 est émise : 24 coupons de 5,00\u00a0$" in page.inner_text(".messages")
    assert "4 carnets de 6" in page.inner_text("main")
    assert page.get_by_role("button", name="Préparer le PDF à imprimer").is_visible()
    assert sideways_overflow(page) == 0
    screenshot(page, "series")

    # Hand booklets 1 and 2 to the partner. The form shows only the fields that go with the chosen way.
    with page.expect_navigation():
        page.get_by_role("link", name="Remettre des coupons à un partenaire").click()
    page.select_option("#id_to_partner", label=partner.name)
    assert not page.locator("#id_scanned").is_visible()  # "by printed numbers" is chosen at first
    page.get_by_label("En scannant ou en tapant les codes").check()
    assert page.locator("#id_scanned").is_visible() and not page.locator("#id_series").is_visible()
    page.get_by_label("Par numéros de carnets").check()
    assert page.locator("#id_series").is_visible() and not page.locator("#id_scanned").is_visible()
    assert page.locator("label[for=id_numbers]").inner_text().startswith("Numéros des carnets")
    page.select_option("#id_series", label="Série 1 · 5,00\u00a0$ · 24 coupons")
    page.fill("#id_numbers", "1-2")
    assert sideways_overflow(page) == 0
    screenshot(page, "allocate")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le mouvement").click()

    # Back on the stock page: 12 coupons (60 $) with the partner, 12 still in central stock.
    assert page.inner_text("h1") == f"Coupons · {season.name}"
    assert "12 coupons (60,00\u00a0$) ont bougé" in page.inner_text(".messages")
    rows = page.locator("table").first.locator("tbody tr")
    cells = [[" ".join(text.split()) for text in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]
    assert cells == [
        ["En réserve", "12", "60,00 $"],
        [f"Chez un partenaire · {partner.name}", "12", "60,00 $"],
    ]
    assert sideways_overflow(page) == 0
    screenshot(page, "stock")
    held = Coupon.objects.filter(series=series, status=CouponStatus.PARTNER, partner=partner)
    assert sorted(held.values_list("number", flat=True)) == list(range(1, 13))

    # Anyone with the coupon in hand checks it by its code, without logging in.
    visitor = make_page()
    coupon = held.order_by("number").first()
    visitor.goto(f"/c/{codes.display(coupon.code)}")
    state = visitor.locator(".coupon-state")
    assert state.locator(".state-word").inner_text() == "Coupon valide"
    assert "5,00\u00a0$" in state.inner_text()
    assert codes.display(coupon.code) in state.inner_text()
    assert partner.name not in visitor.inner_text("body")  # who handed it out is never shown
    assert sideways_overflow(visitor) == 0
    screenshot(visitor, "check")


def test_without_javascript_the_move_form_shows_every_field_and_still_works(
    live_server, browser, log_in, world
):
    series = issue(world, count=10)
    picked = list(series.coupons.order_by("number")[:2])
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="fr-CA"
    )
    try:
        page = log_in(context.new_page(), world["coordinator"].username)
        page.goto(f"/seasons/{world['season'].pk}/coupons/allocate/")
        for field in ("#id_series", "#id_numbers", "#id_scanned"):
            assert page.locator(field).is_visible(), field
        page.select_option("#id_to_partner", label=world["partner"].name)
        page.get_by_label("En scannant ou en tapant les codes").check()
        page.fill("#id_scanned", "\n".join(codes.display(c.code) for c in picked))
        with page.expect_navigation():
            page.get_by_role("button", name="Enregistrer le mouvement").click()
        assert "2 coupons (10,00\u00a0$) ont bougé" in page.inner_text(".messages")
    finally:
        context.close()
    assert series.coupons.filter(status=CouponStatus.PARTNER).count() == 2
