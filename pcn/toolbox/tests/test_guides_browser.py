"""The guides in real Chromium on a 360 px phone, without signing in: a future coordinator reading before
having an account, and a farmer searching with JavaScript off."""

import pytest
from django.urls import reverse

from pcn.conftest import sideways_overflow

pytestmark = pytest.mark.browser


@pytest.mark.django_db
def test_a_visitor_searches_the_guides_and_reads_one_on_a_phone(live_server, phone_page, screenshot):
    page = phone_page
    page.goto(reverse("guide_list"))
    assert page.locator("ul.guides > li").count() >= 6
    assert sideways_overflow(page) == 0
    screenshot(page, "list")

    page.fill("#q", "hors ligne")
    page.press("#q", "Enter")
    page.wait_for_selector("#results")
    assert page.inner_text("#results") == "1 guide contient « hors ligne »"
    assert page.locator(".excerpt mark").count() == 2
    screenshot(page, "search")

    page.click("ul.guides a:has-text('Tenir une journée de marché')")
    page.wait_for_selector("article.guide h1")
    assert page.inner_text("article.guide h1") == "Tenir une journée de marché"
    assert page.locator("article.guide ol > li").count() >= 4
    assert sideways_overflow(page) == 0
    screenshot(page, "guide")

    page.click("p.back a")
    page.wait_for_selector("#q")
    assert page.url.endswith(reverse("guide_list"))


@pytest.mark.django_db
def test_search_works_without_javascript(live_server, browser):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740},
                                  java_script_enabled=False, locale="fr-CA")
    page = context.new_page()
    page.goto(reverse("guide_list"))
    page.fill("#q", "réclamations")
    page.click("button[type=submit]")
    page.wait_for_selector("#results")
    assert "Fermer une saison" in page.inner_text("ul.guides")
    context.close()
