"""The dashboards in Chromium on a phone-sized screen, in French and in English: the coordination reads the
season and narrows it to a market; a partner worker, a vendor and the network each read their own view. No
page loads anything from outside (make_page refuses any other host)."""

import pytest
from django.urls import reverse

from pcn.conftest import sideways_overflow
from pcn.reports.tests.factories import report_world


def words(page, selector="main") -> str:
    return " ".join(page.inner_text(selector).split())


@pytest.mark.browser
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_dashboards_on_a_phone(live_server, make_page, log_in, screenshot, language):
    w = report_world()
    english = language == "en"

    def page_for(user):
        page = make_page(viewport={"width": 360, "height": 740}, locale="en-CA" if english else "fr-CA")
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        log_in(page, user.username)
        return page

    coordination = page_for(w["coordinator"])
    coordination.goto(reverse("season_dashboard", args=[w["season"].pk]))
    assert sideways_overflow(coordination) == 0
    text = words(coordination)
    assert ("$30.00 redeemed at vendors" if english else "30,00 $ échangés chez les marchands") in text
    assert coordination.locator("svg.chart").count() >= 3
    assert coordination.locator("svg.chart").first.bounding_box()["width"] <= 360
    screenshot(coordination, f"season-{language}")
    coordination.click("details.filters summary")
    coordination.select_option("select[name=market]", str(w["market_b"].pk))
    with coordination.expect_navigation():
        coordination.click("details.filters button.primary")
    assert ("$10.00 redeemed at vendors" if english else "10,00 $ échangés chez les marchands") in words(coordination)
    assert sideways_overflow(coordination) == 0
    screenshot(coordination, f"season-market-{language}")

    partner = page_for(w["partner_user"])
    partner.goto(reverse("partner_dashboard", args=[w["season"].pk]))
    assert sideways_overflow(partner) == 0
    assert ("$15.00 redeemed by your households" if english else "15,00 $ échangés par vos ménages") in words(partner)
    screenshot(partner, f"partner-{language}")

    vendor = page_for(w["vendor_b_user"])
    vendor.goto(reverse("vendor_dashboard", args=[w["vendor_b"].pk]))
    assert sideways_overflow(vendor) == 0
    assert ("$10.00 in coupons accepted" if english else "10,00 $ en coupons acceptés") in words(vendor)
    screenshot(vendor, f"vendor-{language}")

    network = page_for(w["analyst"])
    network.goto(reverse("network_dashboard"))
    assert sideways_overflow(network) == 0
    assert ("Provincial view" if english else "Vue provinciale") in words(network)
    screenshot(network, f"network-{language}")
