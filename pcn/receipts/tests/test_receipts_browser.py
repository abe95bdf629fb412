"""Receipt verification in Chromium on a 360 px phone: a partner worker opens the sample from the season's
page, records answers with one tap each, corrects one, and the coordination reads the rate."""

import pytest
from django.urls import reverse

from pcn.conftest import sideways_overflow
from pcn.receipts.models import Answer, ReceiptAnswer
from pcn.receipts.services import receipt_sample_draw
from pcn.receipts.tests.factories import receipt_world


def words(page, selector="main") -> str:
    return " ".join(page.inner_text(selector).split())


@pytest.mark.browser
def test_a_worker_records_answers_on_a_phone(phone_page, make_page, log_in, screenshot):
    w = receipt_world()
    sample = receipt_sample_draw(season=w["season"], per_partner=3, label="Mi-saison", by=w["coordinator"])
    first, second = sample.households.filter(partner=w["partner"]).select_related("household")[:2]

    page = phone_page
    log_in(page, w["worker_a"].username)
    page.goto(reverse("season_receipts", args=[w["season"].pk]))
    assert sideways_overflow(page) == 0
    with page.expect_navigation():
        page.click(f"text={w['partner'].name}")
    assert "3 ménages à joindre" in words(page)
    assert sideways_overflow(page) == 0
    screenshot(page, "list")

    card = page.locator(f"#m{first.pk}")
    with page.expect_navigation():
        card.locator("button", has_text="Pas reçu").click()
    assert f"{first.household.display_code} : « Pas reçu » est noté." in words(page, "body")
    card = page.locator(f"#m{first.pk}")
    card.locator("summary").click()
    card.locator("input[name=note]").fill("Reçus à la 2e remise")
    with page.expect_navigation():
        card.locator("button", has_text="Reçu").first.click()  # the correction: a new row
    with page.expect_navigation():
        page.locator(f"#m{second.pk} button", has_text="Injoignable").click()
    assert "1 ménage à joindre" in words(page)
    assert sideways_overflow(page) == 0
    screenshot(page, "answered")
    assert list(first.answers.values_list("answer", "note")) == [
        (Answer.NOT_RECEIVED, ""), (Answer.RECEIVED, "Reçus à la 2e remise")]
    assert ReceiptAnswer.objects.count() == 3

    coordination = make_page()
    log_in(coordination, w["coordinator"].username)
    coordination.goto(reverse("receipt_sample_results", args=[sample.pk]))
    assert sideways_overflow(coordination) == 0
    assert "100 %" in words(coordination, ".receipt-headline")
    screenshot(coordination, "results")
