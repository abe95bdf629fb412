"""A whole season through the services, every total checked to the cent.

Two series of 5 $ coupons (300 $ issued), each paid by a grant; coupons allocated to a partner, handed to a
household, sold to a citizen at a discount, a booklet lost; two vendors redeem online and offline (a
duplicate refused, an unknown code kept as unmatched); claims with a line rejected; two batches, one in
Petite-monnaie; then the close-out: every coupon in one state, the states adding up to what was issued, and
the ledger verified. The clock moves past the season's end with `later()`, as in the close-out tests."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from pcn.coupons import closeout
from pcn.coupons.ledger import season_verify
from pcn.coupons.tests.test_closeout import later
from pcn.coupons.models import CustodyEvent, Series
from pcn.coupons.services import coupons_move, series_issue
from pcn.funding.selectors import season_funding
from pcn.funding.services import grant_create
from pcn.households.models import Household
from pcn.households.services import distribution_record, household_enrol, partner_quota_set, public_sale_record
from pcn.markets.models import Vendor, VendorAuthorization
from pcn.payments import services
from pcn.payments.models import Currency, Method, PayeeDetails, PaymentSettings
from pcn.payments.selectors import claim_amount_cents, season_paid_in_local_currency, season_payment_totals
from pcn.payments.statements import vendor_statement
from pcn.payments.tests.cpa005_parser import parse as parse_cpa005
from pcn.payments.tests.factories import paying_world
from pcn.programs.models import Organization
from pcn.redemptions.models import Outcome, Reason, Source
from pcn.redemptions.services import device_link, redemption_record
from pcn.redemptions.tests.factories import nonce
from pcn.reports.models import Measure
from pcn.reports.network import network_view
from pcn.reports.selectors import Filters, season_dashboard
from pcn.reports.snapshot import season_refresh
from pcn.testing import make_user

pytestmark = pytest.mark.django_db
Kind = CustodyEvent.Kind


def test_a_whole_season_adds_up_to_the_cent():
    w = paying_world()  # series 1: 20 coupons of 5 $, sold to the public (100 $)
    season, coordinator = w["season"], w["coordinator"]
    series1 = w["series"]
    funder = Organization.objects.create(program=w["program"], name="Fonds régional", kind=Organization.Kind.FUNDER)
    grant = grant_create(program=w["program"], funder=funder, name="Fonds 2026", amount_cents=500_00,
                         starts_on=season.starts_on, ends_on=season.ends_on,
                         purposes=["coupons", "public_sale_bonus"], by=w["treasurer"])
    series2 = series_issue(
        season=season, denomination_cents=500, coupon_class=w["coupon_class"], colour="#1f4e9c",
        valid_from=season.coupons_valid_from, valid_until=season.coupons_valid_until, count=40, grant=grant,
        by=coordinator,
    )
    assert Series.objects.filter(season=season).count() == 2

    # Custody: 30 to the partner, 7 of them to a household (35 $ for two people), 2 lost, 4 sold at a kiosk.
    coupons_move(season=season, kind=Kind.ALLOCATE, ranges=[(series2.pk, 1, 30)], to_partner=w["partner"],
                 by=coordinator)
    partner_quota_set(season=season, partner=w["partner"], max_households=5, max_value_cents=500_000)
    household = household_enrol(season=season, partner=w["partner"], size=2, composition={"age_18_64": 2},
                                flags=[], community="", language="fr", consents={"participation": True},
                                identity=None, by=coordinator)
    # Enrolled a week ago: its first period is this one.
    Household.objects.filter(pk=household.pk).update(enrolled_at=timezone.now() - datetime.timedelta(days=7))
    distribution_record(household=household, day=timezone.localdate(), ranges=[(series2.pk, 1, 7)], by=coordinator)
    coupons_move(season=season, kind=Kind.VOID, ranges=[(series2.pk, 29, 30)], from_partner=w["partner"],
                 reason="lost", by=coordinator)
    sale = public_sale_record(season=season, ranges=[(series2.pk, 31, 34)], price_paid_cents=14_00, grant=grant,
                              by=coordinator)
    assert (sale.face_value_cents, sale.bonus_cents) == (20_00, 6_00)

    # A second vendor, paid in Petite-monnaie (100 $ = 105 units).
    PaymentSettings.objects.filter(program=w["program"]).update(local_currency_name="Petite-monnaie",
                                                                local_units_per_100_cad=105)
    vendor_b = Vendor.objects.create(program=w["program"], business_name="Jardins Bélanger", kind="producer",
                                     categories=["vegetables"])
    vendor_b.sale_points.add(w["sale_point"])
    VendorAuthorization.objects.create(season=season, vendor=vendor_b, authorized_by=coordinator)
    PayeeDetails.objects.create(vendor=vendor_b, method=Method.BANK, currency=Currency.LOCAL, institution="829",
                                transit="00011", account="55555", updated_by=w["treasurer"])
    user_b = make_user("jardins", role="vendor", program=w["program"], vendor=vendor_b)

    code = {(s.pk, n): c for s in (series1, series2) for n, c in s.coupons.values_list("number", "code")}

    def take(vendor, by, series, number, *, device=None):
        return redemption_record(
            vendor=vendor, code=code[(series.pk, number)], nonce=nonce(), by=by, market=None if device else w["market"],
            source=Source.OFFLINE if device else Source.STALL, device=device,
            client_at=timezone.now() - datetime.timedelta(minutes=5) if device else None,
        )

    phone, _key = device_link(vendor=w["vendor"], name="Cellulaire", by=w["vendor_user"])
    taken_a = [take(w["vendor"], w["vendor_user"], series2, n) for n in range(1, 6)]  # online, household's
    taken_a.append(take(w["vendor"], w["vendor_user"], series2, 6, device=phone))  # offline
    taken_a += [take(w["vendor"], w["vendor_user"], series1, n, device=phone) for n in range(1, 5)]  # offline
    duplicate = take(w["vendor"], w["vendor_user"], series2, 1)
    unknown = redemption_record(vendor=w["vendor"], code="2222-3333-4444", nonce=nonce(), by=w["vendor_user"],
                                source=Source.STALL, market=w["market"])
    taken_b = [take(vendor_b, user_b, series1, n) for n in range(5, 11)]
    taken_b += [take(vendor_b, user_b, series2, n) for n in (31, 32)]
    assert all(r.outcome == Outcome.ACCEPTED for r in taken_a + taken_b)
    assert (duplicate.outcome, duplicate.reason) == (Outcome.REFUSED, Reason.ALREADY_REDEEMED)
    assert unknown.outcome == Outcome.REFUSED

    # Claims: one per vendor; a line of A's rejected (a torn coupon), both approved.
    claims = services.claims_prepare(season=season, by=coordinator, until=timezone.localdate())
    claim_a, claim_b = sorted(claims, key=lambda c: c.vendor.business_name != w["vendor"].business_name)
    assert (claim_amount_cents(claim_a), claim_amount_cents(claim_b)) == (50_00, 40_00)
    torn = claim_a.lines.get(redemption=taken_a[4])
    services.claim_line_reject(line=torn, reason="Coupon déchiré, code illisible", by=coordinator)
    for claim in claims:
        services.claim_approve(claim=claim, by=coordinator)

    # Batch 1: A by bank transfer in dollars. Batch 2: B in Petite-monnaie.
    batch_cad = services.batch_create(season=season, method=Method.BANK, payment_on=timezone.localdate(),
                                      claims=[claim_a], by=w["treasurer"])
    batch_local = services.batch_create(season=season, method=Method.BANK, currency=Currency.LOCAL,
                                        payment_on=timezone.localdate(), claims=[claim_b], by=w["treasurer"])
    for batch in (batch_cad, batch_local):
        services.batch_approve(batch=batch, by=coordinator)
        services.batch_mark_paid(batch=batch, by=w["treasurer2"])

    cpa = parse_cpa005(bytes(services.batch_export(batch=batch_cad, format="cpa005", by=w["treasurer"]).content))
    assert [int(s["amount"]) for s in cpa.segments] == [45_00] and int(cpa.trailer["credit_value"]) == 45_00
    remittance = bytes(services.batch_export(batch=batch_local, format="csv_remittance", by=w["treasurer"]).content)
    rows = list(csv.reader(io.StringIO(remittance.decode("utf-8-sig"))))
    assert rows[1][0] == "Jardins Bélanger" and rows[1][1] == "40.00" and rows[1][5:] == ["42.00", "Petite-monnaie"]
    assert services.batch_totals(batch_local) == {"cents": 40_00, "local": 42_00}

    assert season_paid_in_local_currency(season) == [{"name": "Petite-monnaie", "cents": 40_00, "units": 42_00}]
    totals = season_payment_totals(season)
    assert totals == {"payable": 90_00, "claimed": 90_00, "rejected": 5_00, "approved": 85_00, "paid": 85_00}
    statement_a = vendor_statement(w["vendor"], season)
    assert (statement_a.accepted_cents, statement_a.rejected_cents, statement_a.paid_cents) == (50_00, 5_00, 45_00)
    assert [sentence for r, _code, sentence in statement_a.refusals if r == duplicate]
    assert len(statement_a.accepted) == 10

    # Funding: the grant pays series 2 (200 $ issued, less 10 $ lost and 20 $ sold to a citizen: 170 $
    # committed) and the public sale's bonus (6 $); the citizen paid 14 $. Of its coupons, 11 were handed out (55 $), 8 redeemed (40 $), of which
    # 35 $ paid and the torn one (5 $) not.
    funding = season_funding(season)
    (grant_row,) = [row for row in funding.rows if row.grant == grant]
    assert (grant_row.committed_cents, grant_row.bonus_cents, grant_row.revenue_cents) == (170_00, 6_00, 14_00)
    assert (grant_row.distributed_cents, grant_row.redeemed_cents, grant_row.paid_cents) == (55_00, 40_00, 35_00)
    assert grant_row.remaining_cents == 500_00 - 170_00 - 6_00
    assert funding.total.paid_cents == totals["paid"]

    # Close-out after the last redemption day: what households and the public still hold expires.
    with later():
        closeout.season_close(season=season, by=coordinator)
        season.refresh_from_db()
        assert season.closed_at is not None
        report = closeout.season_disposition(season)
    values = {line.key: line.value_cents for line in report.states}
    counts = {line.key: line.count for line in report.states}
    assert values == {
        "stock": 30_00,  # series 2, 35–40
        "partner": 105_00,  # series 2, 8–28
        "household": 0,
        "sold": 0,
        "redeemed_unpaid": 0,
        "redeemed_refused": 5_00,  # the torn coupon: redeemed, its line rejected
        "paid": 85_00,
        "expired": 65_00,  # series 2 #7; series 1, 11–20; the public's 33–34
        "void": 10_00,  # series 2, 29–30
    }
    assert counts["paid"] == 17 and counts["expired"] == 13
    assert sum(values.values()) == report.issued.value_cents == 300_00
    assert report.unmatched_attempts == 1 and [u.vendor for u in report.unmatched] == [w["vendor"].business_name]
    assert season_verify(season) == []
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    assert f"PCN Portneuf · {season.name}: OK" in out.getvalue()

    # The dashboards say the same, to the cent: the season's, its partner's, each vendor's and the network's
    # (issue 7: totals equal the disposition report and the payment batches).
    snap = season_refresh(season)
    assert snap.summary["disposition"] == {key: [counts[key], values[key]] for key in values}
    board = season_dashboard(season)
    batches_paid = sum(services.batch_totals(b)["cents"] for b in (batch_cad, batch_local))
    assert board.total.paid_cents == batches_paid == totals["paid"] == values["paid"] == 85_00
    redeemed = values["redeemed_unpaid"] + values["redeemed_refused"] + values["paid"]
    assert board.total.redeemed_cents == board.total.redeemed_from_cents == redeemed == 90_00
    assert board.total.cents[Measure.ISSUED] == report.issued.value_cents
    assert board.total.cents[Measure.VOIDED] == values["void"]
    assert board.total.cents[Measure.EXPIRED] == values["expired"]
    assert (board.total.handed_out_cents, board.total.sold_cents) == (35_00, 120_00)  # sold: series 1 and 31–34
    assert (board.total.reached, board.total.people) == (1, 2)
    assert sum(s.redeemed_cents for s in board.by_week.values()) == redeemed
    assert sum(s.redeemed_from_cents for s in board.by_partner.values()) == redeemed
    assert sum(s.paid_cents for s in board.by_vendor.values()) == batches_paid
    # The partner's households spent 6 of their 7 coupons (30 $ of 35 $); the public spent the rest.
    own = season_dashboard(season, Filters(partner_id=w["partner"].pk))
    assert (own.total.redeemed_from_cents, own.total.handed_out_cents, own.rate) == (30_00, 35_00, Decimal("85.7"))
    for vendor, taken, paid in ((w["vendor"], 50_00, 45_00), (vendor_b, 40_00, 40_00)):
        mine = season_dashboard(season, Filters(vendor_id=vendor.pk))
        assert (mine.total.redeemed_cents, mine.total.paid_cents) == (taken, paid)
        assert mine.total.reached == 0 and mine.total.handed_out_cents == 0  # a vendor sees only its own side
    province = network_view(w["network"], year=season.starts_on.year, by=coordinator)
    assert (province.season_table.total["redeemed"], province.season_table.total["paid"]) == (redeemed, batches_paid)
    assert province.region_table.total["redeemed"] == redeemed
