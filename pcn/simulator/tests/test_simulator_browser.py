"""A treasurer tries two budgets on a phone, in real Chromium: from the season's page to a scenario with its
weekly chart, a copy with more households, and both side by side."""

import pytest

from pcn.accounts.models import Role
from pcn.conftest import sideways_overflow
from pcn.simulator.models import BudgetScenario
from pcn.testing import make_user, make_world

pytestmark = pytest.mark.browser


def go(page, action):
    with page.expect_navigation():
        action.click()


def test_a_treasurer_tries_two_budgets_and_compares_them_on_a_phone(live_server, phone_page, log_in, screenshot):
    world = make_world("Portneuf")
    make_user("tresoriere", role=Role.TREASURER, program=world["program"])
    page = log_in(phone_page, "tresoriere")

    page.goto(f"/seasons/{world['season'].pk}/")
    go(page, page.get_by_role("link", name="Essayer un budget à partir de cette saison"))
    # The season's rules are already there: 12 weeks, 25 $ for one person, 5 $ coupons.
    assert page.input_value("#id_weeks") == "12"
    assert page.input_value("#id_amount_1") == "25,00"
    page.fill("#id_name", "Prudent")
    page.fill("#id_grant_name_0", "MRC de Portneuf")
    page.fill("#id_grant_amount_0", "20000")
    page.fill("#id_households_1", "10")
    page.fill("#id_households_2", "10")
    page.fill("#id_households_3", "10")
    assert sideways_overflow(page) == 0
    screenshot(page, "form")
    go(page, page.get_by_role("button", name="Enregistrer et voir le résultat"))

    prudent = BudgetScenario.objects.get(name="Prudent")
    assert page.inner_text("h1").startswith("Prudent")
    assert page.locator("svg.chart").count() >= 1  # the weekly chart, drawn in the page
    # 30 households: 10 × (25 + 35 + 45) $ × 12 weeks = 12 600 $ handed out; at 80 % (the default), 10 080 $.
    main = page.inner_text("main")
    assert "12\u00a0600,00\u00a0$" in main and "10\u00a0080,00\u00a0$" in main
    assert sideways_overflow(page) == 0
    screenshot(page, "scenario")

    go(page, page.get_by_role("button", name="Copier pour comparer"))
    copy = BudgetScenario.objects.exclude(pk=prudent.pk).get()
    assert "Copie faite" in page.inner_text(".messages")  # and straight to the copy's form
    page.fill("#id_name", "Ambitieux")
    page.fill("#id_households_3", "40")
    go(page, page.get_by_role("button", name="Enregistrer et voir le résultat"))
    copy.refresh_from_db()
    assert copy.name == "Ambitieux"

    page.goto(f"/programs/{world['program'].pk}/simulator/")
    for label in page.get_by_label("Comparer").all():
        label.check()
    go(page, page.get_by_role("button", name="Comparer"))
    header = page.locator("table thead").first.inner_text()
    assert "Prudent" in header and "Ambitieux" in header
    assert sideways_overflow(page) == 0
    screenshot(page, "compare")
