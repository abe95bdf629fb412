"""The stall page in real Chromium on a phone, against the live server and its database: link the phone,
take coupons with no network, reload with no network, and see the results when the network returns."""

import pytest
from playwright.sync_api import expect

from pcn.conftest import sideways_overflow
from pcn.coupons import codes
from pcn.coupons.models import Coupon, CouponStatus
from pcn.redemptions.models import Outcome, Reason, Redemption, Source
from pcn.redemptions.tests.factories import running_world

pytestmark = pytest.mark.browser


def link_phone(page, log_in, world, name="Téléphone de Marie"):
    log_in(page, world["vendor_user"].username)
    page.goto("/stall/link/")
    page.fill("input[name=name]", name)
    with page.expect_navigation(url="**/stall/"):
        page.click("button[type=submit].primary")
    # Ready for the road: the worker controls the page and the list of coupons is on the phone.
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    expect(page.locator("#device")).to_contain_text("liste des coupons à jour")


def take(page, code):
    page.fill("#code", code)
    page.click("#accept")


def item(page, code):
    return page.locator("#items li", has_text=codes.display(code))


def test_offline_coupons_wait_survive_a_reload_and_sync_with_the_duplicate_refused(
    live_server, phone_page, log_in, screenshot
):
    world = running_world()
    first, second = world["codes"][0], world["codes"][1]
    page = phone_page
    link_phone(page, log_in, world)
    expect(page.locator("#who")).to_have_text(world["vendor"].business_name)
    expect(page.locator("#net")).to_have_text("En ligne")
    screenshot(page, "online")
    assert sideways_overflow(page) == 0

    page.context.set_offline(True)
    expect(page.locator("#net")).to_have_text("Hors ligne")
    take(page, codes.display(first).lower())  # as a person may type it
    expect(page.locator("#result")).to_contain_text("En attente")
    take(page, second)
    expect(page.locator("#result")).to_contain_text("En attente")
    take(page, first)  # the same coupon presented again on this phone
    expect(page.locator("#result")).to_contain_text("Refusé")
    expect(page.locator("#result")).to_contain_text("Déjà échangé")
    expect(page.locator("#items li")).to_have_count(3)
    expect(page.locator("#today-waiting")).to_contain_text("Dont 2 en attente d'envoi (10,00 $)")
    screenshot(page, "offline")
    assert sideways_overflow(page) == 0
    assert not Redemption.objects.exists()  # nothing reached the server

    response = page.reload()
    assert response.from_service_worker, "the page did not come from the service worker"
    expect(page.locator("#net")).to_have_text("Hors ligne")
    expect(page.locator("#items li")).to_have_count(3)
    expect(page.locator("#items li.pending")).to_have_count(2)
    screenshot(page, "offline-reloaded")

    page.context.set_offline(False)
    expect(page.locator("#items li.accepted")).to_have_count(2, timeout=15_000)
    duplicate = page.locator("#items li.refused")
    expect(duplicate).to_have_count(1)
    expect(duplicate).to_contain_text("Refusé")
    expect(duplicate).to_contain_text("déjà été échangé")
    expect(page.locator("#banner")).to_contain_text("Envoi terminé : 2 acceptés, 1 refusé.")
    expect(page.locator("#today-rows tr.total")).to_contain_text("10,00 $")
    expect(page.locator("#today-waiting")).to_be_hidden()
    screenshot(page, "synced")

    accepted = Redemption.objects.filter(outcome=Outcome.ACCEPTED)
    assert sorted(accepted.values_list("code", flat=True)) == sorted([first, second])
    assert set(accepted.values_list("source", flat=True)) == {Source.OFFLINE}
    for code in (first, second):
        assert Coupon.objects.get(code=code).status == CouponStatus.REDEEMED
        assert accepted.filter(coupon__code=code).count() == 1
    refused = Redemption.objects.exclude(outcome=Outcome.ACCEPTED).get()
    assert (refused.code, refused.reason) == (first, Reason.ALREADY_REDEEMED)


def test_online_the_answer_comes_at_once_in_english(live_server, phone_page, log_in, screenshot):
    world = running_world()
    page = phone_page
    link_phone(page, log_in, world)
    with page.expect_navigation():
        page.click(".lang button")  # the page's own language switch
    expect(page.locator("html")).to_have_attribute("lang", "en")
    code = world["codes"][3]

    page.fill("#code", code[:7])
    expect(page.locator("#code-status")).to_contain_text("7")
    page.fill("#code", code[:11] + ("0" if code[11] != "0" else "1"))
    expect(page.locator("#code-status")).to_have_class("code-status bad")
    page.fill("#code", code)
    expect(page.locator("#code-status")).to_have_class("code-status ok")
    page.click("#accept")
    expect(page.locator("#result")).to_have_class("result accepted")
    expect(page.locator("#result")).to_contain_text("$5.00")
    take(page, code)
    expect(page.locator("#result")).to_have_class("result refused")
    expect(page.locator("#result")).to_contain_text(codes.display(code))
    expect(page.locator("#today-rows tr.total")).to_contain_text("$5.00")
    screenshot(page, "online-en")
    assert sideways_overflow(page) == 0
    assert Redemption.objects.get(outcome=Outcome.ACCEPTED).source == Source.STALL


def test_an_unlinked_phone_is_told_to_link_it(live_server, phone_page):
    phone_page.goto("/stall/")
    expect(phone_page.locator("#unlinked")).to_contain_text("pas encore relié")
    phone_page.click("#link-button")
    expect(phone_page).to_have_url(f"{live_server.url}/login/?next=/stall/link/")


def test_a_card_is_debited_online_and_offline_only_up_to_the_cap(live_server, phone_page, log_in, screenshot):
    from pcn.households.models import Card, CardEntry, Household
    from pcn.programs.models import Season
    from pcn.redemptions.services import card_balance_cents

    world = running_world()
    Season.objects.filter(pk=world["season"].pk).update(cards_enabled=True, card_offline_cap_cents=2000)
    household = Household.objects.create(
        program=world["program"], season=world["season"], partner=world["partner"], size=2, age_18_64=2,
        enrolled_by=world["coordinator"],
    )
    card = Card.objects.create(household=household, code=codes.new_code())
    CardEntry.objects.create(card=card, kind="credit", amount_cents=3500, period_number=1,
                             recorded_by=world["coordinator"])
    page = phone_page
    link_phone(page, log_in, world)

    page.click("#card-open")
    page.fill("#card-code", card.display_code)
    expect(page.locator("#card-status")).to_have_class("code-status ok")
    page.fill("#amount", "12,50")
    screenshot(page, "card")
    page.click("#card-pay")
    expect(page.locator("#result")).to_have_class("result accepted")
    expect(page.locator("#result")).to_contain_text("12,50 $")

    page.context.set_offline(True)
    page.fill("#card-code", codes.display(card.code))  # without the C-
    page.fill("#amount", "25")
    page.click("#card-pay")
    expect(page.locator("#result")).to_contain_text("jusqu'à 20,00 $")
    page.fill("#card-code", card.display_code)
    page.fill("#amount", "8")
    page.click("#card-pay")
    expect(page.locator("#result")).to_contain_text("En attente")
    expect(page.locator("#items li")).to_have_count(2)
    screenshot(page, "card-offline")
    assert sideways_overflow(page) == 0

    page.context.set_offline(False)
    expect(page.locator("#items li.accepted")).to_have_count(2, timeout=15_000)
    expect(page.locator("#today-rows tr.total")).to_contain_text("20,50 $")
    assert card_balance_cents(card) == 3500 - 1250 - 800
    assert sorted(Redemption.objects.filter(outcome=Outcome.ACCEPTED).values_list("source", "value_cents")) == [
        (Source.OFFLINE, 800), (Source.STALL, 1250)]


@pytest.mark.parametrize("locale", ["fr-CA", "en-CA"])
def test_linking_a_phone_reads_well_on_a_phone(live_server, make_page, log_in, screenshot, locale):
    world = running_world()
    page = make_page(locale=locale)
    page.goto("/stall/")
    expect(page.locator("#unlinked")).to_be_visible()
    screenshot(page, "unlinked")
    assert sideways_overflow(page) == 0
    log_in(page, world["vendor_user"].username)
    page.goto("/")
    page.click('a[href="/stall/"]')
    expect(page).to_have_url(f"{live_server.url}/stall/")
    page.click("#link-button")
    expect(page.locator("input[name=name]")).to_have_value("Téléphone" if locale == "fr-CA" else "Phone")
    screenshot(page, "link")
    assert sideways_overflow(page) == 0


def test_the_page_reads_codes_exactly_as_the_server_does(live_server, phone_page):
    """The check symbol, the look-alikes and the separators: the page's port of pcn/coupons/codes.py must
    agree with it on right codes, one-symbol slips, swapped neighbours, and what people type."""
    from pcn.lib.money import MoneyFormatError, parse_cents
    from pcn.redemptions.api import code_prefix

    phone_page.goto("/stall/")
    phone_page.wait_for_function("window.pcnStallCodes !== undefined")
    typed = []
    for code in codes.new_codes(40):
        typed += [code, codes.display(code).lower(), " ".join(codes.display(code).split("-")),
                  code.replace("1", "l").replace("0", "O"), code[:11], code + "7", code[:5] + "U" + code[6:]]
        i = len(typed) % 11
        typed.append(code[:i] + code[i + 1] + code[i] + code[i + 2:])  # neighbours swapped
        typed.append(code[:i] + codes.ALPHABET[(codes.ALPHABET.index(code[i]) + 1) % 32] + code[i + 1:])
    typed += ["", "K7M2–9XQ4‑PD3A", "K7M2.9XQ4.PD3A", "k7m2 9xq4 pd3a", "ß"]
    readings = phone_page.evaluate("(all) => all.map((t) => window.pcnStallCodes.readCode(t))", typed)
    for text, reading in zip(typed, readings):
        try:
            canonical = codes.normalize(text)
        except codes.CodeFormatError as error:
            expected = {"length": {"incomplete", "too_long", "empty"}, "character": {"character"},
                        "check": {"check"}}[error.reason]
            assert reading["state"] in expected, (text, reading, error.reason)
        else:
            assert (reading["state"], reading["canonical"]) == ("ok", canonical), text
            prefix = phone_page.evaluate("(c) => window.pcnStallCodes.prefixValue(c)", canonical)
            assert prefix == code_prefix(canonical)

    card = codes.new_code()
    for text in ("C-" + codes.display(card), "c " + codes.display(card), codes.display(card), "C" + card):
        reading = phone_page.evaluate("(t) => window.pcnStallCodes.readCardCode(t)", text)
        assert (reading["state"], reading.get("canonical")) == ("ok", card), text

    code = codes.new_code()
    for scanned in (f"https://coupons.example.org/c/{code}", f"http://127.0.0.1:8000/c/{code}/?x=1", code):
        assert phone_page.evaluate("(t) => window.pcnStallCodes.codeFromScan(t)", scanned) == code

    for amount in ("12,50", "12.5", "$12", "12,50 $", "1 234,5", "0,1", "12,555", "-3", "abc", ""):
        try:
            expected = parse_cents(amount)
        except MoneyFormatError:
            expected = None
        assert phone_page.evaluate("(t) => window.pcnStallCodes.parseCents(t)", amount) == expected, amount


def test_a_vendor_selling_at_two_places_chooses_one_and_the_phone_remembers(live_server, phone_page, log_in):
    from pcn.markets.models import SalePoint

    world = running_world()
    stand = SalePoint.objects.create(market=world["market"], name="Kiosque à la ferme", kind="farm_stand",
                                     address="2 rang Saint-Jacques")
    world["vendor"].sale_points.add(stand)
    page = phone_page
    link_phone(page, log_in, world)
    take(page, world["codes"][0])
    expect(page.locator("#banner")).to_contain_text("Choisissez d'abord où vous vendez")
    assert not Redemption.objects.exists()

    expect(page.locator("#code")).to_have_value(world["codes"][0])  # what was typed is kept

    page.select_option("#sale-point-choice", label="Kiosque à la ferme (Marché de Portneuf)")
    page.reload()
    expect(page.locator("#sale-point-choice")).to_have_value(str(stand.pk))
    take(page, world["codes"][0])
    expect(page.locator("#result")).to_have_class("result accepted")
    assert Redemption.objects.get().sale_point == stand
