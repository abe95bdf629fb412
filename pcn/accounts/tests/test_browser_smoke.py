"""The login page in real Chromium on a small phone: the first page everyone meets."""

import pytest
from django.contrib.auth import get_user_model

from pcn.conftest import sideways_overflow

pytestmark = pytest.mark.browser


def test_the_login_page_fits_a_small_phone(live_server, phone_page, screenshot):
    phone_page.goto("/login/")

    assert phone_page.locator("input[name=password]").is_visible()
    # A phone lays out a page without a viewport meta tag 980 px wide, and widens the layout to any
    # overflowing content: either way innerWidth leaves 360.
    assert phone_page.evaluate("() => window.innerWidth") == 360
    assert sideways_overflow(phone_page) == 0
    screenshot(phone_page, "login")


def test_a_user_logs_in_through_the_login_page(live_server, phone_page, log_in):
    get_user_model().objects.create_user("lucie", password="un mot de passe assez long")

    log_in(phone_page, "lucie", "un mot de passe assez long")

    assert not phone_page.url.endswith("/login/")
    assert phone_page.locator("input[name=password]").count() == 0
