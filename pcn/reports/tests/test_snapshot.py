"""The report facts: what they count in the corners (reviews paid both, cards, moved households), and when
they are recomputed (two refreshes at once, closed seasons)."""

import datetime
import io
import threading
import time
from unittest import mock

import pytest
from django.db import connection, connections
from django.utils import timezone
from openpyxl import load_workbook

from pcn.coupons import closeout
from pcn.households.models import Household
from pcn.households.services import (card_credit_period, card_issue, household_enrol, household_move,
                                     partner_quota_set)
from pcn.markets.models import Vendor, VendorAuthorization
from pcn.payments import services
from pcn.payments.models import Method, PayeeDetails
from pcn.payments.statements import vendor_statement
from pcn.payments.tests.factories import paying_world
from pcn.programs.models import Season
from pcn.redemptions.models import Outcome, ReviewDecision, Source
from pcn.redemptions.services import card_debit, device_link, redemption_record, review_decide
from pcn.redemptions.tests.factories import nonce
from pcn.reports import snapshot
from pcn.reports.models import Fact, Snapshot
from pcn.reports.selectors import Filters, season_dashboard
from pcn.reports.snapshot import season_refresh
from pcn.reports.tables import Column, Table, to_xlsx
from pcn.reports.tests.factories import report_world
from pcn.testing import make_user


def second_vendor(w, name="Jardins Bélanger"):
    vendor = Vendor.objects.create(program=w["program"], business_name=name, kind="producer", categories=["vegetables"])
    vendor.sale_points.add(w["sale_point"])
    VendorAuthorization.objects.create(season=w["season"], vendor=vendor, authorized_by=w["coordinator"])
    PayeeDetails.objects.create(vendor=vendor, method=Method.BANK, institution="829", transit="00011",
                                account="55555", updated_by=w["treasurer"])
    return vendor, make_user(f"jardins-{vendor.pk}", role="vendor", program=w["program"], vendor=vendor)


def pay_everything(w):
    season = w["season"]
    claims = services.claims_prepare(season=season, by=w["coordinator"], until=timezone.localdate())
    for claim in claims:
        services.claim_approve(claim=claim, by=w["coordinator"])
    batch = services.batch_create(season=season, method=Method.BANK, payment_on=timezone.localdate(), claims=claims,
                                  by=w["treasurer"])
    services.batch_approve(batch=batch, by=w["coordinator"])
    services.batch_mark_paid(batch=batch, by=w["treasurer2"])
    return batch


@pytest.mark.django_db
def test_a_coupon_paid_twice_after_review_is_redeemed_at_both_vendors():
    w = paying_world()
    season = w["season"]
    vendor_b, user_b = second_vendor(w)
    first = redemption_record(vendor=w["vendor"], code=w["codes"][0], nonce=nonce(), by=w["vendor_user"],
                              source=Source.STALL, market=w["market"])
    phone, _key = device_link(vendor=vendor_b, name="Cellulaire", by=user_b)
    second = redemption_record(vendor=vendor_b, code=w["codes"][0], nonce=nonce(), by=user_b, source=Source.OFFLINE,
                               device=phone, client_at=timezone.now() - datetime.timedelta(minutes=5))
    assert (first.outcome, second.outcome) == (Outcome.ACCEPTED, Outcome.REVIEW)
    season_refresh(season)
    review_decide(redemption=second, decision=ReviewDecision.Decision.PAY_BOTH, by=w["coordinator"])
    assert not snapshot.is_current(Snapshot.objects.get(season=season), season)  # the decision is seen
    pay_everything(w)
    season_refresh(season)
    mine = season_dashboard(season, Filters(vendor_id=vendor_b.pk))
    statement = vendor_statement(vendor_b, season)
    assert (mine.total.redeemed_cents, mine.total.paid_cents) == (statement.accepted_cents, statement.paid_cents)
    board = season_dashboard(season)
    report = closeout.season_disposition(season)
    redeemed = sum(report.state(k).value_cents for k in ("redeemed_unpaid", "redeemed_refused", "paid"))
    assert board.total.redeemed_cents == redeemed + report.paid_twice.value_cents == 10_00
    assert board.total.paid_cents == 10_00


@pytest.mark.django_db
def test_a_card_purchase_paid_after_review_is_redeemed():
    w = paying_world()
    season = w["season"]
    Season.objects.filter(pk=season.pk).update(cards_enabled=True, card_offline_cap_cents=10_00)
    season.refresh_from_db()
    partner_quota_set(season=season, partner=w["partner"], max_households=5, max_value_cents=500_000)
    household = household_enrol(season=season, partner=w["partner"], size=2, composition={"age_18_64": 2}, flags=[],
                                community="", language="fr", consents={"participation": True}, identity=None,
                                by=w["coordinator"])
    Household.objects.filter(pk=household.pk).update(enrolled_at=timezone.now() - datetime.timedelta(days=40))
    card = card_issue(household=household, by=w["coordinator"])
    card_credit_period(card=card, day=timezone.localdate(), by=w["coordinator"])
    phone, _key = device_link(vendor=w["vendor"], name="Cellulaire", by=w["vendor_user"])
    purchase = card_debit(vendor=w["vendor"], card_code=card.code, amount_cents=12_00, nonce=nonce(),
                          source=Source.OFFLINE, by=w["vendor_user"], device=phone,
                          client_at=timezone.now() - datetime.timedelta(minutes=5))
    assert purchase.outcome == Outcome.REVIEW  # above the offline cap
    review_decide(redemption=purchase, decision=ReviewDecision.Decision.PAY_BOTH, by=w["coordinator"])
    pay_everything(w)
    season_refresh(season)
    mine = season_dashboard(season, Filters(vendor_id=w["vendor"].pk))
    assert mine.total.redeemed_cents == vendor_statement(w["vendor"], season).accepted_cents == 12_00
    own = season_dashboard(season, Filters(partner_id=w["partner"].pk))
    assert own.total.redeemed_from_cents == 12_00 and own.total.reached == 1


@pytest.mark.django_db
def test_a_household_that_moved_counts_with_its_new_partner_on_both_sides_of_the_rate():
    w = report_world()
    season = w["season"]
    season_refresh(season)
    partner_quota_set(season=season, partner=w["other"], max_households=5, max_value_cents=500_000)
    household_move(household=w["household"], to_partner=w["other"], by=w["coordinator"])
    assert not snapshot.is_current(Snapshot.objects.get(season=season), season)  # the move is seen
    season_refresh(season)
    old = season_dashboard(season, Filters(partner_id=w["partner"].pk))
    new = season_dashboard(season, Filters(partner_id=w["other"].pk))
    assert (old.total.reached, old.total.handed_out_cents, old.total.redeemed_from_cents) == (0, 0, 0)
    assert (new.total.reached, new.total.handed_out_cents, new.total.redeemed_from_cents) == (1, 35_00, 15_00)
    assert new.rate == round(new.rate, 1) and str(new.rate) == "42.9"


@pytest.mark.django_db
def test_a_partners_rate_leaves_out_what_it_sold_to_the_public():
    w = report_world()
    season = w["season"]
    season_refresh(season)
    board = season_dashboard(season)
    from pcn.reports.selectors import partner_table

    rows = {row["name"]: row for row in partner_table(board).rows}
    mine = rows[w["partner"].name]
    assert (mine["handed_out"], mine["redeemed"], str(mine["rate"])) == (35_00, 15_00, "42.9")
    public = rows["Vente au grand public (et coupons jamais remis)"]
    assert (public["handed_out"], public["redeemed"]) == (100_00, 15_00)


@pytest.mark.django_db
def test_a_closed_season_stays_current_past_the_usual_age():
    w = report_world()
    season = w["season"]
    snap = season_refresh(season)
    Snapshot.objects.filter(pk=snap.pk).update(built_at=timezone.now() - 2 * snapshot.MAX_AGE)
    assert not snapshot.is_current(Snapshot.objects.get(pk=snap.pk), season)
    Season.objects.filter(pk=season.pk).update(closed_at=timezone.now())
    season.refresh_from_db()
    snap = season_refresh(season)
    Snapshot.objects.filter(pk=snap.pk).update(built_at=timezone.now() - 2 * snapshot.MAX_AGE)
    assert snapshot.is_current(Snapshot.objects.get(pk=snap.pk), season)


@pytest.mark.django_db(transaction=True)
def test_two_refreshes_at_once_do_not_double_the_figures():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite lets one writer at a time")
    w = report_world()
    season = w["season"]
    season_refresh(season)
    facts = Fact.objects.filter(season=season).count()
    redeemed = season_dashboard(season).total.redeemed_cents
    original = Fact.objects.bulk_create
    first_wrote = threading.Event()

    def slow(objs, **kwargs):
        result = original(objs, **kwargs)
        if threading.current_thread().name == "first":
            first_wrote.set()
            time.sleep(1.5)  # still inside season_refresh's transaction
        return result

    errors = []

    def run(wait):
        try:
            if wait:
                first_wrote.wait(5)
            season_refresh(Season.objects.get(pk=season.pk))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    with mock.patch.object(Fact.objects, "bulk_create", slow):
        threads = [threading.Thread(target=run, args=(False,), name="first"),
                   threading.Thread(target=run, args=(True,), name="second")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors
    assert season_dashboard(season).total.redeemed_cents == redeemed
    assert Fact.objects.filter(season=season).count() == facts


def test_xlsx_drops_characters_a_spreadsheet_cannot_hold():
    table = Table(title="Par marchand", columns=[Column("name", "Marchand")], rows=[{"name": "Jardins\x0bBélanger"}])
    book = load_workbook(io.BytesIO(to_xlsx([table])))
    assert book["Par marchand"]["A3"].value == "JardinsBélanger"
