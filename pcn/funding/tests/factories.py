"""A season paid by two grants: series on each, coupons handed out and sold, redemptions, one claim paid in a
batch, and operating expenses. The figures each test expects are written next to the step that makes them."""

import datetime

from pcn.coupons.models import CustodyEvent
from pcn.coupons.services import coupons_move
from pcn.coupons.tests.factories import issue
from pcn.funding.models import Purpose
from pcn.funding.services import expense_record, grant_create
from pcn.households.services import public_sale_record
from pcn.households.tests.factories import enrol, quota
from pcn.payments.models import Method
from pcn.payments.services import batch_approve, batch_create, batch_mark_paid, claim_approve, claim_line_reject, claims_prepare
from pcn.payments.tests.factories import paying_world, redeem, today
from pcn.programs.models import Organization

Kind = CustodyEvent.Kind


def grant(w, name, funder, *, purposes, amount_cents, starts_on=None, ends_on=None):
    season = w["season"]
    return grant_create(
        program=w["program"], funder=funder, name=name, amount_cents=amount_cents,
        starts_on=starts_on or season.starts_on, ends_on=ends_on or season.ends_on, purposes=purposes,
        by=w["treasurer"],
    )


def funder(w, name):
    return Organization.objects.create(program=w["program"], name=name, kind=Organization.Kind.FUNDER)


def funded_world(name: str = "Portneuf") -> dict:
    """paying_world (its 20-coupon series has no grant and is all sold) plus:

    grant A (MRC, 50 000 $, coupons and operations): series A of 10 × 5 $; 1–9 to the partner, 10 lost at
    the partner (voided); 1–6 handed to a household; A1, A2, A3 redeemed; A1 paid, A2 rejected in the claim,
    A3 not claimed yet; expenses 120 $ then a −20 $ correction.
    grant B (Fondation, 2 000 $, coupons and public-sale bonus): series B of 8 × 5 $; B1–B4 sold for 15 $ and
    B5–B6 for 8 $, both bonuses on B; B1, B2 redeemed; B1 paid, B2 not claimed yet.
    The grant-less series: codes 0 and 1 redeemed; 0 paid, 1 not claimed yet."""
    w = paying_world(name)
    coordinator, treasurer, treasurer2 = w["coordinator"], w["treasurer"], w["treasurer2"]
    season = w["season"]
    w["mrc"], w["fondation"] = funder(w, f"MRC {name}"), funder(w, f"Fondation {name}")
    w["grant_a"] = grant(w, "Fonds de développement 2026", w["mrc"], amount_cents=5_000_000,
                         purposes=[Purpose.COUPONS, Purpose.OPERATIONS])
    w["grant_b"] = grant(w, "Campagne grand public", w["fondation"], amount_cents=200_000,
                         purposes=[Purpose.COUPONS, Purpose.PUBLIC_SALE_BONUS])
    w["series_a"] = a = issue(w, count=10, grant=w["grant_a"], funding_source="")
    w["series_b"] = b = issue(w, count=8, grant=w["grant_b"], funding_source="")

    coupons_move(season=season, kind=Kind.ALLOCATE, ranges=[(a.pk, 1, 10)], to_partner=w["partner"], by=coordinator)
    coupons_move(season=season, kind=Kind.VOID, ranges=[(a.pk, 10, 10)], from_partner=w["partner"], reason="lost",
                 by=coordinator)
    quota(w)
    w["household"] = household = enrol(w, coordinator, size=2)
    coupons_move(season=season, kind=Kind.DISTRIBUTE, ranges=[(a.pk, 1, 6)], from_partner=w["partner"],
                 to_household=household, by=coordinator)
    public_sale_record(season=season, ranges=[(b.pk, 1, 4)], price_paid_cents=1500, grant=w["grant_b"], by=coordinator)
    public_sale_record(season=season, ranges=[(b.pk, 5, 6)], price_paid_cents=800, grant=w["grant_b"], by=coordinator)

    def code(series, number):
        return series.coupons.get(number=number).code

    redeem(w, code(a, 1), code(a, 2), code(b, 1), w["codes"][0])
    redeem(w, code(a, 1))  # presented twice: refused, counts nowhere
    claim = claims_prepare(season=season, until=today(), by=coordinator)[0]
    claim_line_reject(line=claim.lines.get(redemption__coupon__series=a, redemption__coupon__number=2),
                      reason="Coupon déchiré, illisible", by=coordinator)
    claim_approve(claim=claim, by=coordinator)
    batch = batch_create(season=season, method=Method.BANK, payment_on=today(), claims=[claim], by=treasurer)
    batch_approve(batch=batch, by=treasurer2)
    batch_mark_paid(batch=batch, by=coordinator)
    redeem(w, code(a, 3), code(b, 2), w["codes"][1])

    expense_record(grant=w["grant_a"], spent_on=datetime.date(2026, 5, 20), description="Impression des coupons",
                   amount_cents=12_000, by=treasurer)
    expense_record(grant=w["grant_a"], spent_on=datetime.date(2026, 5, 21), description="Erreur de saisie",
                   amount_cents=-2_000, by=treasurer)
    w["batch"] = batch
    return w
