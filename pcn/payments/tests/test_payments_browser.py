"""The payment pages in Chromium on a phone-sized screen: a vendor asks to be paid, the coordination rejects a
line and approves, the treasury prepares a batch that the coordination approves and another treasurer pays."""

import pytest
from django.urls import reverse

from pcn.conftest import sideways_overflow
from pcn.payments.models import Claim, PaymentBatch
from pcn.payments.tests.factories import paying_world, redeem


def words(page, selector="main") -> str:
    return " ".join(page.inner_text(selector).split())


def go(page, url):
    page.goto(url)
    assert sideways_overflow(page) == 0, url


@pytest.mark.browser
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_claim_goes_from_the_vendor_to_a_paid_batch_on_a_phone(live_server, make_page, log_in, screenshot, language):
    w = paying_world()
    redeem(w, *w["codes"][:3])
    english = language == "en"

    def page_for(username):
        page = make_page(viewport={"width": 360, "height": 740}, locale="en-CA" if english else "fr-CA")
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        log_in(page, username)
        return page

    vendor = page_for(w["vendor_user"].username)
    go(vendor, reverse("vendor_statement", args=[w["vendor"].pk]))
    screenshot(vendor, f"statement-{language}")
    with vendor.expect_navigation():
        vendor.click("text=Ask to be paid for my coupons" if english else "text=Demander le remboursement de mes coupons")
    assert ("Claim R-1 sent: $15.00" if english else "Réclamation R-1 envoyée : 15,00 $") in words(vendor, "body")

    coordination = page_for(w["coordinator"].username)
    claim = Claim.objects.get()
    go(coordination, reverse("claim_detail", args=[claim.pk]))
    coordination.click("summary >> nth=0")
    coordination.fill("input[name=reason]", "Coupon déchiré")
    with coordination.expect_navigation():
        coordination.click("button.danger")
    with coordination.expect_navigation():
        coordination.click("button.primary")  # approve
    assert ("Claim approved: the treasury can pay it." if english
            else "Réclamation approuvée : la trésorerie peut la payer.") in words(coordination, "body")
    assert sideways_overflow(coordination) == 0
    screenshot(coordination, f"claim-{language}")

    treasurer = page_for(w["treasurer"].username)
    go(treasurer, reverse("batch_create", args=[w["season"].pk]))
    treasurer.check("input[name=method][value=bank]")
    treasurer.check(f"input[name=claims][value='{claim.pk}']")
    screenshot(treasurer, f"batch-form-{language}")
    with treasurer.expect_navigation():
        treasurer.click("button.primary")
    batch = PaymentBatch.objects.get()
    assert sideways_overflow(treasurer) == 0
    screenshot(treasurer, f"batch-{language}")

    go(coordination, reverse("batch_detail", args=[batch.pk]))
    with coordination.expect_navigation():
        coordination.click("button.primary")  # approve the batch
    second = page_for(w["treasurer2"].username)
    go(second, reverse("batch_detail", args=[batch.pk]))
    with second.expect_download() as download:
        second.click("form[action$='/files/cpa005/'] button")
    assert download.value.suggested_filename.endswith("-cpa005.txt")
    with second.expect_navigation():
        second.click("form[action$='/pay/'] button.primary")
    assert ("marked paid: $10.00" if english else "noté payé : 10,00 $") in words(second, "body")
    assert sideways_overflow(second) == 0
    screenshot(second, f"batch-paid-{language}")

    go(vendor, reverse("vendor_statement", args=[w["vendor"].pk]))
    assert "Coupon déchiré" in words(vendor)
    assert ("Paid $10.00" if english else "Payé 10,00 $") in words(vendor, "table")
