"""The market manager's entry in real Chromium, on a phone: scan a stack (one code twice, one unknown), see
each line's colour and the totals, remove the duplicate, save, and read the summary."""

import pytest
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.conftest import sideways_overflow
from pcn.redemptions.models import Outcome, Reason, Redemption
from pcn.redemptions.tests.factories import running_world
from pcn.testing import PASSWORD, make_user

UNKNOWN = "0000-0000-0000"


def scan(page, code):
    """What a keyboard-wedge scanner does: type the code, then Enter."""
    page.fill("#scan", code)
    page.press("#scan", "Enter")


def words(page, selector) -> str:
    return " ".join(page.inner_text(selector).split())


@pytest.mark.browser
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_market_manager_scans_a_stack_removes_a_duplicate_and_saves_it_on_a_phone(
    live_server, phone_page, log_in, screenshot, language
):
    w = running_world()
    make_user("gestion", role=Role.MARKET_MANAGER, program=w["program"], market=w["market"])
    page = log_in(phone_page, "gestion")
    if language == "en":
        with page.expect_navigation():
            page.click("button[name=language][value=en]")
    page.goto("/")
    with page.expect_navigation():
        page.click(f"a[href='{reverse('market_entry', args=[w['market'].pk])}']")
    assert page.is_hidden("textarea[name=codes]")  # JavaScript replaced the box with the scanner's line

    page.select_option("select[name=vendor]", str(w["vendor"].pk))
    first, second = w["codes"][0], w["codes"][1]
    scan(page, first)
    page.wait_for_selector("li.line.ok[data-line='1']")
    assert page.get_attribute("body", "data-last-beep") == "ok"
    scan(page, f"https://coupons.example.org/c/{second}")  # a QR holds the coupon's address
    page.wait_for_selector("li.line.ok[data-line='2']")
    scan(page, first.lower())
    page.wait_for_selector("li.line.refused[data-line='3']")
    assert page.get_attribute("body", "data-last-beep") == "refused"
    scan(page, UNKNOWN)
    page.wait_for_selector("li.line.refused[data-line='4'] .line-msg")
    assert page.get_attribute("body", "data-last-beep") == "refused"

    if language == "fr":
        assert "Déjà dans cette pile (ligne 1)" in words(page, "li[data-line='3']")
        assert "Ce code n'existe pas" in words(page, "li[data-line='4']")
        assert "Ce code n'existe pas" in words(page, "[data-last]")
    totals = words(page, ".totals")
    assert "10,00 $" in totals or "$10.00" in totals
    assert page.inner_text("[data-total-count]") == "2"
    assert page.inner_text("[data-refused]") == "2"
    colours = page.eval_on_selector_all(
        "li.line", "items => items.map(li => getComputedStyle(li).borderLeftColor)"
    )
    assert len(set(colours)) == 2  # green and red
    assert sideways_overflow(page) == 0
    screenshot(page, f"scanned-{language}")

    page.click("li[data-line='3'] button")  # the coupon scanned twice by mistake
    assert page.locator("li.line").count() == 3
    assert page.inner_text("[data-total-count]") == "2"
    assert page.inner_text("[data-refused]") == "1"
    assert Redemption.objects.count() == 0  # nothing recorded before saving

    with page.expect_navigation():
        page.click("button[data-save]")
    assert list(Redemption.objects.order_by("pk").values_list("code", flat=True)) == [first, second, "000000000000"]
    assert sorted(Redemption.objects.values_list("outcome", "reason")) == sorted(
        [(Outcome.ACCEPTED, ""), (Outcome.ACCEPTED, ""), (Outcome.REFUSED, Reason.UNKNOWN)]
    )
    summary = words(page, "main")
    if language == "fr":
        assert "Pile enregistrée" in summary
        assert "2 coupons acceptés" in summary
        assert "1 coupon refusé" in summary
        assert "Ce code n'existe pas" in summary
    assert "10,00 $" in summary or "$10.00" in summary
    assert UNKNOWN in summary
    assert page.inner_text("section ~ ol li.line.refused .line-no") == "3"  # recorded in the order scanned
    assert page.is_visible("button[data-print]")
    assert sideways_overflow(page) == 0
    screenshot(page, f"summary-{language}")


@pytest.mark.browser
def test_counts_by_value_show_their_total_as_they_are_typed(live_server, phone_page, log_in, screenshot):
    from pcn.programs.models import Denomination, Season
    from pcn.redemptions.models import RedemptionCount

    w = running_world()
    Season.objects.filter(pk=w["season"].pk).update(counts_only=True)
    Denomination.objects.create(season=w["season"], value_cents=1000)
    make_user("gestion", role=Role.MARKET_MANAGER, program=w["program"], market=w["market"])
    page = log_in(phone_page, "gestion")
    page.goto(reverse("market_entry", args=[w["market"].pk]))
    page.select_option("select[name=vendor]", str(w["vendor"].pk))
    page.fill("input[name=n_500]", "7")
    page.fill("input[name=n_1000]", "3")
    assert " ".join(page.inner_text("[data-total-value]").split()) == "65,00 $"
    assert sideways_overflow(page) == 0
    screenshot(page, "counts")
    with page.expect_navigation():
        page.click("button[type=submit].primary")
    assert sum(RedemptionCount.objects.values_list("value_cents", flat=True)) == 6500
    assert "65,00 $" in words(page, "main")
    screenshot(page, "counts-saved")


@pytest.mark.browser
def test_without_javascript_the_box_the_preview_and_saving_work(live_server, browser, screenshot):
    from pcn.conftest import PHONE

    w = running_world()
    make_user("gestion", role=Role.MARKET_MANAGER, program=w["program"], market=w["market"])
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="fr-CA", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/login/")
        page.fill("input[name=username]", "gestion")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        page.goto(reverse("market_entry", args=[w["market"].pk]))
        page.select_option("select[name=vendor]", str(w["vendor"].pk))
        page.fill("textarea[name=codes]", "\n".join([w["codes"][0], w["codes"][0], UNKNOWN]))
        with page.expect_navigation():
            page.click("button[value=preview]")
        assert page.locator("li.line.ok").count() == 1
        assert page.locator("li.line.refused").count() == 2
        assert "Déjà dans cette pile (ligne 1)" in words(page, "main")
        assert "5,00 $" in words(page, ".totals")
        assert sideways_overflow(page) == 0
        screenshot(page, "preview")
        assert Redemption.objects.count() == 0
        with page.expect_navigation():
            page.click("button[value=save]")
        assert Redemption.objects.accepted().count() == 1
        assert Redemption.objects.count() == 3
        assert "1 coupon accepté" in words(page, "main")
        assert page.is_hidden("button[data-print]")  # printing from the browser's menu
    finally:
        context.close()
