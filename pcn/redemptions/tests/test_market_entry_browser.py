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


def paste(page, text):
    """What pasting several lines into the scanner's field does."""
    page.eval_on_selector("#scan", """(field, text) => {
        const data = new DataTransfer();
        data.setData("text/plain", text);
        field.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
    }""", text)


def stored_stack(page, market):
    return page.evaluate(f"() => JSON.parse(sessionStorage.getItem('pcn.market-entry.{market.pk}'))")


@pytest.mark.browser
def test_save_waits_for_a_vendor_and_the_stack_survives_a_reload_and_an_expired_session(
    live_server, phone_page, log_in, screenshot
):
    from django.contrib.sessions.models import Session

    w = running_world()
    make_user("gestion", role=Role.MARKET_MANAGER, program=w["program"], market=w["market"])
    entry = reverse("market_entry", args=[w["market"].pk])
    page = log_in(phone_page, "gestion")
    page.on("dialog", lambda dialog: dialog.accept())  # "leave this page?" when reloading with lines
    page.goto(entry)
    assert page.is_disabled("button[data-save]")
    assert words(page, "[data-save-reason]") == (
        "Pour enregistrer, choisissez le marchand, puis scannez ou tapez au moins un coupon."
    )

    first, second = w["codes"][0], w["codes"][1]
    scan(page, first)
    scan(page, second)
    assert page.locator("li.line").count() == 2
    assert "Choisissez d'abord le marchand" in words(page, "li[data-line='1']")
    assert page.is_disabled("button[data-save]")
    assert words(page, "[data-save-reason]") == "Pour enregistrer, choisissez d'abord le marchand."
    assert sideways_overflow(page) == 0
    screenshot(page, "no-vendor")

    page.select_option("select[name=vendor]", str(w["vendor"].pk))
    page.wait_for_selector("li.line.ok[data-line='2']")
    page.wait_for_selector("li.line.ok[data-line='1']")
    assert page.is_enabled("button[data-save]")
    assert page.is_hidden("[data-save-reason]")
    stack = page.input_value("input[name=stack]")
    assert [line["typed"] for line in stored_stack(page, w["market"])["lines"]] == [first, second]

    page.reload()
    page.wait_for_selector("li.line.ok[data-line='2']")
    assert page.is_visible("[data-restored]")
    assert "Votre pile a été retrouvée" in words(page, "[data-restored]")
    assert page.input_value("select[name=vendor]") == str(w["vendor"].pk)
    assert page.input_value("input[name=stack]") == stack
    assert page.locator("li.line").count() == 2
    assert page.is_enabled("button[data-save]")
    assert sideways_overflow(page) == 0
    screenshot(page, "restored")

    Session.objects.all().delete()  # the session expires while the stack waits
    with page.expect_navigation():
        page.click("button[data-save]")
    assert "/login/" in page.url
    assert Redemption.objects.count() == 0
    page.fill("input[name=username]", "gestion")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    page.wait_for_selector("li.line.ok[data-line='2']")
    assert page.url.endswith(entry)
    assert "Votre pile a été retrouvée" in words(page, "[data-restored]")
    assert page.input_value("input[name=stack]") == stack

    with page.expect_navigation():
        page.click("button[data-save]")
    assert "2 coupons acceptés" in words(page, "main")
    assert sorted(Redemption.objects.values_list("code", flat=True)) == sorted([first, second])
    assert all(n.startswith(f"{stack}.") for n in Redemption.objects.values_list("nonce", flat=True))
    assert stored_stack(page, w["market"]) is None  # the summary loaded: nothing left to bring back
    page.goto(entry)
    assert page.is_hidden("[data-restored]")
    assert page.locator("li.line").count() == 0


@pytest.mark.browser
def test_the_stack_stops_at_300_lines_and_keeps_every_line_it_has(live_server, phone_page, log_in, screenshot):
    w = running_world()
    make_user("gestion", role=Role.MARKET_MANAGER, program=w["program"], market=w["market"])
    page = log_in(phone_page, "gestion")
    page.goto(reverse("market_entry", args=[w["market"].pk]))
    # A stack of 301 lines kept by the tab (as one scanned before the limit, or sent back by the server).
    page.evaluate(
        """([market, count]) => sessionStorage.setItem("pcn.market-entry." + market, JSON.stringify({
            stack: "browserstack01", vendor: "",
            lines: Array.from({length: count}, (_, i) => ({key: "k" + i, typed: "Z" + String(i).padStart(3, "0")}))
        }))""",
        [w["market"].pk, 301],
    )
    page.reload()
    assert page.locator("li.line").count() == 301
    assert words(page, "[data-full]").startswith("La pile est pleine : 300 coupons au plus.")

    scan(page, "EXTRA-0001")
    assert page.locator("li.line").count() == 301
    assert page.input_value("#scan") == "EXTRA-0001"  # kept in the field, not lost
    assert "« EXTRA-0001 » n'a pas été ajouté : la pile est pleine (300 coupons au plus)." in words(page, "[data-full]")
    assert page.get_attribute("body", "data-last-beep") == "refused"

    page.select_option("select[name=vendor]", str(w["vendor"].pk))
    assert page.is_disabled("button[data-save]")
    assert words(page, "[data-save-reason]") == (
        "Une pile compte au plus 300 coupons, et celle-ci en a 301. Retirez-en 1 pour pouvoir enregistrer."
    )
    assert sideways_overflow(page) == 0
    screenshot(page, "full")

    page.click("li[data-line='301'] button")
    assert page.locator("li.line").count() == 300
    assert page.is_enabled("button[data-save]")
    assert "la pile est pleine" in words(page, "[data-full]")  # still full: the code waits in the field
    assert [line["typed"] for line in stored_stack(page, w["market"])["lines"]][-1] == "Z299"

    # The page now checks each line against the server; on a busy machine that takes a while, and a line
    # redrawn as its answer comes back must not swallow the clicks below.
    page.wait_for_function("() => !document.querySelector('li.line.pending')", timeout=120_000)
    page.click("li[data-line='300'] button")
    page.wait_for_function("() => document.querySelectorAll('li.line').length === 299", timeout=60_000)
    page.click("li[data-line='299'] button")
    page.wait_for_function("() => document.querySelectorAll('li.line').length === 298", timeout=60_000)
    paste(page, "P1\nP2\nP3\nP4")  # room for two of them
    assert page.locator("li.line").count() == 300
    assert "Des codes collés n'ont pas été ajoutés (2)" in words(page, "[data-full]")
    assert [line["typed"] for line in stored_stack(page, w["market"])["lines"]][-2:] == ["P1", "P2"]
    # Every line checked before the test ends: no request left running into the next test's database.
    page.wait_for_function("() => !document.querySelector('li.line.pending')", timeout=60_000)


@pytest.mark.browser
def test_a_save_the_server_refuses_comes_back_with_its_lines(live_server, phone_page, log_in):
    w = running_world()
    make_user("gestion", role=Role.MARKET_MANAGER, program=w["program"], market=w["market"])
    page = log_in(phone_page, "gestion")
    page.goto(reverse("market_entry", args=[w["market"].pk]))
    page.select_option("select[name=vendor]", str(w["vendor"].pk))
    scan(page, w["codes"][0])
    scan(page, UNKNOWN)
    page.wait_for_selector("li.line.refused[data-line='2'] .line-msg")
    stack = page.input_value("input[name=stack]")
    # The vendor stopped selling at this market while the page was open.
    page.eval_on_selector(f"select[name=vendor] option[value='{w['vendor'].pk}']", "option => option.value = '99999'")
    with page.expect_navigation():
        page.click("button[data-save]")
    assert "Ce marchand ne vend pas à ce marché." in words(page, "main")
    assert "Rien n'a été enregistré. Les 2 codes envoyés sont toujours là" in words(page, "main")
    assert page.is_hidden("[data-unauthorized-notice]")
    assert page.locator("li.line").count() == 2
    assert page.input_value("input[name=stack]") == stack
    assert page.is_disabled("button[data-save]")
    assert words(page, "[data-save-reason]") == "Pour enregistrer, choisissez d'abord le marchand."
    page.select_option("select[name=vendor]", str(w["vendor"].pk))
    assert page.is_hidden("#id_vendor_error")
    page.wait_for_selector("li.line.ok[data-line='1']")
    with page.expect_navigation():
        page.click("button[data-save]")
    assert "1 coupon accepté" in words(page, "main")
    assert Redemption.objects.count() == 2
