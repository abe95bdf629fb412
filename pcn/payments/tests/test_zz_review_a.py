"""Throwaway review tests (to be deleted)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.payments import services
from pcn.payments.models import BankFile, Claim, Method, PayeeDetails, PaymentBatch
from pcn.payments.selectors import season_payment_totals, payable_redemptions
from pcn.payments.tests.factories import paying_world, redeem, today
from pcn.redemptions.models import Outcome, Redemption, ReviewDecision, Source
from pcn.redemptions.services import review_decide
from pcn.redemptions.tests.factories import nonce
from pcn.testing import make_user

pytestmark = pytest.mark.django_db


def _twin(w, first):
    return Redemption.objects.create(
        program=w["program"], season=w["season"], vendor=w["vendor"], coupon=first.coupon, code=first.code,
        value_cents=first.value_cents, outcome=Outcome.REVIEW, reason="conflict", conflicts_with=first,
        source="offline", nonce=nonce(), taken_at=first.taken_at, recorded_at=first.recorded_at,
        recorded_by=w["vendor_user"],
    )


def _pay(w, claims):
    batch = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=claims,
                                  by=w["treasurer"])
    services.batch_approve(batch=batch, by=w["treasurer2"])
    return services.batch_mark_paid(batch=batch, by=w["treasurer"])


def test_refuse_both_after_claim_still_pays_the_first():
    w = paying_world()
    (first,) = redeem(w, w["codes"][0])
    twin = _twin(w, first)  # waits for review
    (claim,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    review_decide(redemption=twin, decision=ReviewDecision.Decision.REFUSE, by=w["coordinator"])
    assert first not in payable_redemptions(w["season"])  # policy: neither is paid
    services.claim_approve(claim=claim, by=w["coordinator"])
    batch = _pay(w, [claim])  # ... yet nothing stops it
    totals = season_payment_totals(w["season"])
    assert totals["paid"] == 500 and totals["payable"] == 0


def test_approver_can_add_claims_then_approve():
    w = paying_world()
    redeem(w, w["codes"][0])
    (c1,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    services.claim_approve(claim=c1, by=w["coordinator"])
    batch = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[c1],
                                  by=w["treasurer"])
    redeem(w, w["codes"][1])
    (c2,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    services.claim_approve(claim=c2, by=w["coordinator"])
    services.batch_add_claims(batch=batch, claims=[c2], by=w["treasurer2"])  # treasurer2 chooses c2 ...
    services.batch_approve(batch=batch, by=w["treasurer2"])  # ... and approves it alone
    assert batch.items.count() == 2


def test_bank_details_changed_after_approval_go_into_the_file():
    w = paying_world()
    redeem(w, w["codes"][0])
    (c1,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    services.claim_approve(claim=c1, by=w["coordinator"])
    batch = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[c1],
                                  by=w["treasurer"])
    services.batch_approve(batch=batch, by=w["treasurer2"])
    PayeeDetails.objects.filter(pk=w["payee"].pk).update(account="111122223333")  # the maker edits the payee
    f = services.batch_export(batch=batch, format="cpa005", by=w["treasurer"])
    assert b"111122223333" in bytes(f.content) and b"987654321" not in bytes(f.content)


def test_payee_switched_after_approval_crashes_export():
    w = paying_world()
    redeem(w, w["codes"][0])
    (c1,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    services.claim_approve(claim=c1, by=w["coordinator"])
    batch = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[c1],
                                  by=w["treasurer"])
    services.batch_approve(batch=batch, by=w["treasurer2"])
    PayeeDetails.objects.filter(pk=w["payee"].pk).update(method=Method.CHEQUE, institution="", transit="", account="")
    with pytest.raises(ValueError):  # a 500, not a French message
        services.batch_export(batch=batch, format="cpa005", by=w["treasurer"])


def test_cpa005_creation_number_wrap_collides():
    w = paying_world()
    redeem(w, w["codes"][0])
    (c1,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    services.claim_approve(claim=c1, by=w["coordinator"])
    batch = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[c1],
                                  by=w["treasurer"])
    services.batch_approve(batch=batch, by=w["treasurer2"])
    old = PaymentBatch.objects.create(program=w["program"], season=w["season"], number=99, method=Method.BANK,
                                      payment_on=today(), created_by=w["treasurer"])
    BankFile.objects.create(batch=old, format="cpa005", originator_number="0123456789", file_creation_number=1,
                            content=b"", created_by=w["treasurer"])
    BankFile.objects.create(batch=old, format="pain001", originator_number="0123456789", file_creation_number=9999,
                            content=b"", created_by=w["treasurer"])
    from django.db import IntegrityError
    with pytest.raises(IntegrityError):
        services.batch_export(batch=batch, format="cpa005", by=w["treasurer"])


def test_far_payment_date_crashes_cpa005_export(client):
    w = paying_world()
    redeem(w, w["codes"][0])
    (c1,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    services.claim_approve(claim=c1, by=w["coordinator"])
    client.force_login(w["treasurer"])
    r = client.post(reverse("batch_create", args=[w["season"].pk]),
                    {"method": "bank", "payment_on": "2100-01-04", "claims": [c1.pk]})
    assert r.status_code == 302
    batch = PaymentBatch.objects.get()
    services.batch_approve(batch=batch, by=w["treasurer2"])
    client.raise_request_exception = False
    r = client.post(reverse("batch_file", args=[batch.pk, "cpa005"]))
    assert r.status_code == 500


def test_network_analyst_can_create_market_claims_and_divert_vendor_payment(client):
    w = paying_world()
    redeem(w, w["codes"][0])  # a stall redemption by a vendor paid by bank
    analyst = make_user("analyste", role=Role.NETWORK_ANALYST, network=w["network"])
    client.force_login(analyst)
    r = client.post(reverse("market_claims", args=[w["market"].pk]))
    assert r.status_code == 302
    claim = Claim.objects.get()
    assert claim.created_by == analyst and claim.market_id == w["market"].pk
    services.claim_approve(claim=claim, by=w["coordinator"])
    with pytest.raises(ValidationError) as e:  # cannot go to the vendor's bank any more
        services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                              by=w["treasurer"])
    assert "payée par le marché" in " ".join(e.value.messages)


def test_market_entry_claimed_by_coordinator_pays_vendor_directly():
    w = paying_world()
    manager = make_user("gm", role=Role.MARKET_MANAGER, program=w["program"], market=w["market"])
    from pcn.redemptions.services import redemption_record
    redemption_record(vendor=w["vendor"], code=w["codes"][0], nonce=nonce(), source=Source.MARKET, by=manager,
                      market=w["market"])
    (claim,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    assert claim.market_id is None  # a vendor claim: the program pays the vendor, not the market
