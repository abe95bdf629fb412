"""Throwaway review tests (to be deleted)."""
import pytest
from pcn.coupons import codes
from pcn.coupons.closeout import season_disposition, REDEEMED, PAID
from pcn.funding.selectors import season_funding
from pcn.households.models import Card, CardEntry, Household
from pcn.payments import services
from pcn.payments.models import Method
from pcn.payments.selectors import season_payment_totals
from pcn.payments.tests.factories import paying_world, redeem, today
from pcn.redemptions import services as rs
from pcn.redemptions.models import Outcome, Source
from pcn.redemptions.tests.factories import nonce

pytestmark = pytest.mark.django_db


def test_card_pay_both_is_reported_as_a_coupon_paid_twice():
    w = paying_world()
    w["season"].__class__.objects.filter(pk=w["season"].pk).update(cards_enabled=True)
    hh = Household.objects.create(program=w["program"], season=w["season"], partner=w["partner"], size=2,
                                  age_18_64=2, enrolled_by=w["coordinator"])
    card = Card.objects.create(household=hh, code=codes.new_code())
    CardEntry.objects.create(card=card, kind="credit", amount_cents=3500, period_number=1, recorded_by=w["coordinator"])
    phone, _ = rs.device_link(vendor=w["vendor"], name="A", by=w["vendor_user"])
    r = rs.card_debit(vendor=w["vendor"], card_code=card.display_code, amount_cents=2500, nonce=nonce(),
                      source=Source.OFFLINE, by=w["vendor_user"], device=phone)
    assert r.outcome == Outcome.REVIEW
    rs.review_decide(redemption=r, decision="both", by=w["coordinator"])
    (claim,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    services.claim_approve(claim=claim, by=w["coordinator"])
    b = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim], by=w["treasurer"])
    services.batch_approve(batch=b, by=w["treasurer2"])
    services.batch_mark_paid(batch=b, by=w["treasurer"])
    d = season_disposition(w["season"])
    assert d.paid_twice.count == 1 and d.paid_twice.value_cents == 2500  # "2e échange d'un même coupon"


def test_rejected_line_stays_redeemed_unpaid_while_funding_says_nothing_owed():
    w = paying_world()
    redeem(w, *w["codes"][:2])
    (claim,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    line = claim.lines.first()
    services.claim_line_reject(line=line, reason="déchiré", by=w["coordinator"])
    services.claim_approve(claim=claim, by=w["coordinator"])
    b = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim], by=w["treasurer"])
    services.batch_approve(batch=b, by=w["treasurer2"])
    services.batch_mark_paid(batch=b, by=w["treasurer"])
    d = season_disposition(w["season"])
    f = season_funding(w["season"]).total
    print(d.state(REDEEMED), d.state(PAID), f.owed_cents, f.paid_cents, season_payment_totals(w["season"]))
    assert d.state(REDEEMED).value_cents == 500 and f.owed_cents == 0
