"""Season close-out: every coupon in one state to the cent, expiry through the ledger, and the lock.

The season runs around today; closing is tried with the clock moved past the last redemption day
(`later()` patches django.utils.timezone.now, which localdate() reads too)."""

import datetime
from contextlib import contextmanager
from unittest import mock

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from pcn.accounts.models import Role
from pcn.coupons import closeout
from pcn.coupons.ledger import season_verify
from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent, Series
from pcn.coupons.services import coupons_move, series_issue, series_void
from pcn.coupons.tests.factories import issue
from pcn.households.services import household_enrol, partner_quota_set
from pcn.payments.models import Claim, Method, PayeeDetails
from pcn.payments.services import (
    batch_approve, batch_create, batch_mark_paid, claim_approve, claim_line_reject, claims_prepare,
)
from pcn.programs.models import Denomination, Season
from pcn.redemptions.models import Outcome, Reason, Redemption, RedemptionCount, ReviewDecision, Source
from pcn.redemptions.services import redemption_count_record, redemption_record, review_decide
from pcn.redemptions.tests.factories import nonce, running_world
from pcn.testing import make_user

Kind = CustodyEvent.Kind


@contextmanager
def later(days: int = 60):
    """The clock `days` ahead: past the season's last redemption day (the season ends 53 days from today)."""
    moment = timezone.now() + datetime.timedelta(days=days)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def enrol(world, partner):
    partner_quota_set(season=world["season"], partner=partner, max_households=5, max_value_cents=500_000)
    return household_enrol(
        season=world["season"], partner=partner, size=2, composition={"age_18_64": 2}, flags=[], community="",
        language="fr", consents={"participation": True}, identity=None, by=world["coordinator"],
    )


def pay(world, claims, users):
    """A cheque batch of these claims: made by one treasurer, approved by a second, paid by a third."""
    maker, approver, payer = users
    batch = batch_create(season=world["season"], method=Method.CHEQUE, payment_on=timezone.localdate(),
                         claims=claims, by=maker)
    batch_approve(batch=batch, by=approver)
    return batch_mark_paid(batch=batch, by=payer)


def snapshot(season) -> dict:
    return {
        "coupons": sorted(Coupon.objects.filter(season=season).values_list("pk", "status", "partner", "household")),
        "events": CustodyEvent.objects.filter(season=season).count(),
        "series": Series.objects.filter(season=season).count(),
        "claims": Claim.objects.filter(season=season).count(),
        "closed_at": Season.objects.get(pk=season.pk).closed_at,
    }


class SeasonWorld(TestCase):
    """A season with coupons in every state:
    series 1 (20 × 5 $), sold to the public: 1-4 redeemed and paid, 5-6 redeemed (one line rejected, one
    approved, not paid), 7-20 still with the public;
    series 2 (10 × 10 $): 1-8 at the partner, 1-4 then with a household (1 redeemed, not paid), 5-6 still at
    the partner, 7-8 lost (void), 9-10 in stock;
    series 3 (5 × 5 $): 1-2 void in stock (misprint), 3-5 in stock.
    Plus a code never issued tried twice, and a mistyped one."""

    @classmethod
    def setUpTestData(cls):
        w = cls.w = running_world()
        season, vendor, coordinator = w["season"], w["vendor"], w["coordinator"]
        cls.treasurers = [make_user(f"tresorier-{n}", role=Role.TREASURER, program=w["program"]) for n in range(3)]
        Denomination.objects.create(season=season, value_cents=1000)
        PayeeDetails.objects.create(vendor=vendor, method=Method.CHEQUE, mailing_address="1 rang Nord",
                                    updated_by=cls.treasurers[0])
        cls.s1 = w["series"]
        cls.s2 = issue(w, count=10, denomination_cents=1000)
        cls.s3 = issue(w, count=5)
        partner = w["partner"]
        cls.household = enrol(w, partner)
        coupons_move(season=season, kind=Kind.ALLOCATE, ranges=[(cls.s2.pk, 1, 8)], to_partner=partner, by=coordinator)
        coupons_move(season=season, kind=Kind.DISTRIBUTE, ranges=[(cls.s2.pk, 1, 4)], from_partner=partner,
                     to_household=cls.household, by=coordinator)
        coupons_move(season=season, kind=Kind.VOID, ranges=[(cls.s2.pk, 7, 8)], from_partner=partner,
                     reason=CustodyEvent.Reason.LOST, by=coordinator)
        coupons_move(season=season, kind=Kind.VOID, ranges=[(cls.s3.pk, 1, 2)], reason=CustodyEvent.Reason.MISPRINT,
                     by=coordinator)

        codes = w["codes"]
        for code in codes[:4]:
            cls.redeem(code)
        first_claims = claims_prepare(season=season, by=coordinator, until=timezone.localdate())
        claim_approve(claim=first_claims[0], by=coordinator)
        pay(w, first_claims, cls.treasurers)

        cls.redeem(codes[4])
        cls.redeem(codes[5])
        cls.redeem(cls.s2.coupons.get(number=1).code)
        cls.second_claim, = claims_prepare(season=season, by=coordinator, until=timezone.localdate())
        line = cls.second_claim.lines.get(redemption__coupon__code=codes[5])
        claim_line_reject(line=line, reason="Coupon déchiré", by=coordinator)
        claim_approve(claim=cls.second_claim, by=coordinator)

        cls.redeem("ZZZZ-ZZZZ-ZZZZ", expect=Outcome.REFUSED)
        cls.redeem("ZZZZ-ZZZZ-ZZZZ", expect=Outcome.REFUSED)
        cls.redeem("=1+1", expect=Outcome.REFUSED)

    @classmethod
    def redeem(cls, code, *, expect=Outcome.ACCEPTED, source=Source.STALL):
        r = redemption_record(vendor=cls.w["vendor"], code=code, nonce=nonce(), source=source, by=cls.w["vendor_user"])
        assert r.outcome == expect, (code, r.outcome, r.reason)
        return r

    def report_values(self, report) -> dict:
        return {s.key: (s.count, s.value_cents) for s in report.states}


class DispositionTest(SeasonWorld):
    def test_every_coupon_is_in_one_state_before_the_close(self):
        report = closeout.season_disposition(self.w["season"])
        self.assertEqual(self.report_values(report), {
            "stock": (5, 3500),  # series 2: 9-10; series 3: 3-5
            "partner": (2, 2000),
            "household": (3, 3000),
            "sold": (14, 7000),
            "redeemed_unpaid": (2, 1500),
            "redeemed_refused": (1, 500),  # its claim line was rejected
            "paid": (4, 2000),
            "expired": (0, 0),
            "void": (4, 3000),
        })
        self.assertEqual((report.issued.count, report.issued.value_cents), (35, 22500))
        self.assertEqual(report.total, report.issued)
        self.assertTrue(report.balanced)
        self.assertEqual(report.problems, [])
        self.assertEqual((report.outstanding.count, report.outstanding.value_cents), (17, 10000))
        self.assertEqual(report.state("stock").percent, closeout.Decimal("15.6"))

    def test_each_face_value_adds_up_to_what_was_issued(self):
        report = closeout.season_disposition(self.w["season"])
        by_value = {d.denomination_cents: d for d in report.by_denomination}
        self.assertEqual(set(by_value), {500, 1000})
        fives, tens = by_value[500], by_value[1000]
        self.assertEqual((fives.issued.count, fives.issued.value_cents), (25, 12500))
        self.assertEqual((tens.issued.count, tens.issued.value_cents), (10, 10000))
        self.assertEqual(fives.states["paid"].count, 4)
        self.assertEqual(fives.states["redeemed_unpaid"].value_cents, 500)
        self.assertEqual(fives.states["redeemed_refused"].value_cents, 500)
        self.assertEqual(tens.states["redeemed_unpaid"].value_cents, 1000)
        self.assertEqual(tens.states["household"].count, 3)
        self.assertTrue(fives.balanced and tens.balanced)

    def test_codes_never_issued_are_listed_with_their_attempts(self):
        report = closeout.season_disposition(self.w["season"])
        self.assertEqual(report.unmatched_attempts, 3)
        found = {(u.code, u.count, u.vendor) for u in report.unmatched}
        self.assertEqual(found, {("ZZZZ-ZZZZ-ZZZZ", 2, self.w["vendor"].business_name),
                                 ("=1+1", 1, self.w["vendor"].business_name)})
        reasons = {u.code: u.reason for u in report.unmatched}
        self.assertEqual(reasons["=1+1"], "Code mal écrit")

    def test_the_second_of_two_payments_of_a_coupon_is_shown_apart(self):
        review = self.redeem(self.w["codes"][6], source=Source.STALL)  # accepted
        twin = redemption_record(vendor=self.w["vendor"], code=review.code, nonce=nonce(), source=Source.OFFLINE,
                                 by=self.w["vendor_user"])
        self.assertEqual(twin.outcome, Outcome.REVIEW)
        review_decide(redemption=twin, decision=ReviewDecision.Decision.PAY_BOTH, by=self.w["coordinator"])
        claims = claims_prepare(season=self.w["season"], by=self.w["coordinator"], until=timezone.localdate())
        claim_approve(claim=claims[0], by=self.w["coordinator"])
        pay(self.w, claims, self.treasurers)
        report = closeout.season_disposition(self.w["season"])
        self.assertEqual(report.state("paid").count, 5)  # the coupon counts once
        self.assertEqual((report.paid_twice.count, report.paid_twice.value_cents), (1, 500))
        self.assertTrue(report.balanced)


class CloseTest(SeasonWorld):
    def test_it_refuses_before_the_last_redemption_day_and_changes_nothing(self):
        season = self.w["season"]
        before = snapshot(season)
        with self.assertRaisesMessage(ValidationError, "peuvent encore être échangés jusqu'au"):
            closeout.season_close(season=season, by=self.w["coordinator"])
        with self.assertRaisesMessage(ValidationError, "rien n'expire avant"):
            closeout.season_expire_outstanding(season=season, by=self.w["coordinator"])
        self.assertEqual(snapshot(season), before)

    def test_a_series_valid_longer_than_the_season_holds_the_close(self):
        season = self.w["season"]
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        Season.objects.filter(pk=season.pk).update(coupons_valid_until=yesterday)
        season.refresh_from_db()
        self.assertEqual(closeout.season_deadline(season), self.s1.valid_until)
        self.assertFalse(closeout.deadline_passed(season))

    def test_it_refuses_while_redemptions_wait_for_review(self):
        season = self.w["season"]
        twin = redemption_record(vendor=self.w["vendor"], code=self.w["codes"][0], nonce=nonce(),
                                 source=Source.OFFLINE, by=self.w["vendor_user"])
        self.assertEqual(twin.outcome, Outcome.REVIEW)
        before = snapshot(season)
        with later(), self.assertRaisesMessage(ValidationError, "1 échange attend une décision"):
            closeout.season_close(season=season, by=self.w["coordinator"])
        self.assertEqual(snapshot(season), before)

    def test_it_refuses_while_accepted_coupons_are_in_no_claim(self):
        season = self.w["season"]
        self.redeem(self.w["codes"][10])
        before = snapshot(season)
        with later(), self.assertRaisesMessage(ValidationError, "1 coupon accepté (5,00"):
            closeout.season_close(season=season, by=self.w["coordinator"])
        self.assertEqual(snapshot(season), before)

    def test_it_expires_what_is_outstanding_checks_the_ledger_and_locks_the_season(self):
        season, coordinator = self.w["season"], self.w["coordinator"]
        events_before = CustodyEvent.objects.filter(season=season).count()
        with later():
            closed = closeout.season_close(season=season, by=coordinator)
        self.assertIsNotNone(closed.closed_at)
        self.assertEqual(closed.closed_by, coordinator)
        expiries = CustodyEvent.objects.filter(season=season, kind=Kind.EXPIRE).order_by("sequence")
        # One event per holder: the public (series 1: 7-20) and the household (series 2: 2-4).
        self.assertEqual(
            [(e.from_status, e.from_household_id, e.coupon_count, e.value_cents) for e in expiries],
            [(CouponStatus.HOUSEHOLD, self.household.pk, 3, 3000), (CouponStatus.SOLD, None, 14, 7000)],
        )
        self.assertEqual(CustodyEvent.objects.filter(season=season).count(), events_before + 2)
        self.assertEqual(list(expiries[1].ranges.values_list("series_id", "first_number", "last_number")),
                         [(self.s1.pk, 7, 20)])
        self.assertEqual(season_verify(season), [])

        report = closeout.season_disposition(season)
        self.assertEqual(self.report_values(report), {
            "stock": (5, 3500), "partner": (2, 2000), "household": (0, 0), "sold": (0, 0),
            "redeemed_unpaid": (2, 1500), "redeemed_refused": (1, 500), "paid": (4, 2000), "expired": (17, 10000),
            "void": (4, 3000),
        })
        self.assertEqual((report.total.count, report.total.value_cents), (35, 22500))
        self.assertTrue(report.balanced)

        with later(), self.assertRaisesMessage(ValidationError, "déjà fermée"):
            closeout.season_close(season=season, by=coordinator)

    def test_expiry_keeps_each_holders_runs_apart(self):
        """A household holding numbers with a gap gets one event with two ranges; two households, two events."""
        w, season = self.w, self.w["season"]
        other = enrol(w, w["partner"])
        s4 = issue(w, count=9)
        coupons_move(season=season, kind=Kind.ALLOCATE, ranges=[(s4.pk, 1, 9)], to_partner=w["partner"],
                     by=w["coordinator"])
        for first, last, household in ((1, 3, self.household), (4, 6, other), (7, 9, self.household)):
            coupons_move(season=season, kind=Kind.DISTRIBUTE, ranges=[(s4.pk, first, last)], from_partner=w["partner"],
                         to_household=household, by=w["coordinator"])
        with later():
            events = closeout.season_expire_outstanding(season=season, by=w["coordinator"])
        ranges = {e.from_household_id: sorted(e.ranges.values_list("series_id", "first_number", "last_number"))
                  for e in events}
        self.assertEqual(ranges[other.pk], [(s4.pk, 4, 6)])
        self.assertEqual(ranges[self.household.pk], [(self.s2.pk, 2, 4), (s4.pk, 1, 3), (s4.pk, 7, 9)])
        self.assertEqual(season_verify(season), [])
        self.assertFalse(Coupon.objects.filter(season=season, status__in=closeout.OUTSTANDING).exists())


class LockTest(SeasonWorld):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with later():
            closeout.season_close(season=cls.w["season"], by=cls.w["coordinator"])

    def test_no_custody_move_after_the_close(self):
        season = self.w["season"]
        before = snapshot(season)
        with self.assertRaisesMessage(ValidationError, "Cette saison est fermée"):
            coupons_move(season=season, kind=Kind.ALLOCATE, ranges=[(self.s3.pk, 3, 5)], to_partner=self.w["partner"],
                         by=self.w["coordinator"])
        with self.assertRaisesMessage(ValidationError, "Cette saison est fermée"):
            series_void(series=self.s3, reason=CustodyEvent.Reason.MISPRINT, by=self.w["coordinator"])
        self.assertEqual(snapshot(season), before)
        self.assertEqual(Series.objects.get(pk=self.s3.pk).status, Series.Status.ACTIVE)

    def test_no_new_series_after_the_close(self):
        season = self.w["season"]
        before = snapshot(season)
        with self.assertRaisesMessage(ValidationError, "Cette saison est fermée"):
            series_issue(season=season, denomination_cents=500, coupon_class=self.w["coupon_class"], colour="#1f6b3a",
                         valid_from=season.coupons_valid_from, valid_until=season.coupons_valid_until,
                         funding_source="MRC", count=5, by=self.w["coordinator"])
        self.assertEqual(snapshot(season), before)

    def test_a_coupon_of_a_closed_season_is_refused_as_expired(self):
        season = self.w["season"]
        stock_code = self.s3.coupons.get(number=3).code
        before = snapshot(season)
        for code in (stock_code, self.w["codes"][0]):
            r = redemption_record(vendor=self.w["vendor"], code=code, nonce=nonce(), source=Source.STALL,
                                  by=self.w["vendor_user"])
            self.assertEqual((r.outcome, r.reason), (Outcome.REFUSED, Reason.EXPIRED))
        self.assertEqual(snapshot(season), before)
        with self.assertRaisesMessage(ValidationError, "Cette saison est fermée"):
            redemption_count_record(season=season, vendor=self.w["vendor"], market=self.w["market"],
                                    day=timezone.localdate(), counts={500: 2}, nonce=nonce(), by=self.w["coordinator"])

    def test_no_new_claim_but_a_claim_made_before_can_still_be_paid(self):
        season = self.w["season"]
        with self.assertRaisesMessage(ValidationError, "Cette saison est fermée"):
            claims_prepare(season=season, by=self.w["coordinator"], until=timezone.localdate())
        self.assertEqual(Claim.objects.filter(season=season).count(), 2)
        pay(self.w, [self.second_claim], self.treasurers)
        report = closeout.season_disposition(season)
        self.assertEqual(report.state("paid").count, 6)
        self.assertEqual(report.state("redeemed_unpaid").count, 0)
        self.assertEqual(report.state("redeemed_refused").count, 1)  # the rejected line: never paid
        self.assertTrue(report.balanced)


class CountsOnlyTest(TestCase):
    """Coupons counted by face value at the market never move to redeemed: the counted value is taken from
    those held by households or the public (then expired), face value by face value."""

    @classmethod
    def setUpTestData(cls):
        w = cls.w = running_world("Charlevoix")
        Season.objects.filter(pk=w["season"].pk).update(counts_only=True)
        w["season"].refresh_from_db()
        cls.treasurers = [make_user(f"tresorier-c{n}", role=Role.TREASURER, program=w["program"]) for n in range(3)]
        PayeeDetails.objects.create(vendor=w["vendor"], method=Method.CHEQUE, updated_by=cls.treasurers[0])
        redemption_count_record(season=w["season"], vendor=w["vendor"], market=w["market"], day=timezone.localdate(),
                                counts={500: 6}, nonce=nonce(), by=w["coordinator"])
        claims = claims_prepare(season=w["season"], by=w["coordinator"], until=timezone.localdate())
        claim_approve(claim=claims[0], by=w["coordinator"])
        pay(w, claims, cls.treasurers)
        redemption_count_record(season=w["season"], vendor=w["vendor"], market=w["market"], day=timezone.localdate(),
                                counts={500: 4}, nonce=nonce(), by=w["coordinator"])
        claims_prepare(season=w["season"], by=w["coordinator"], until=timezone.localdate())

    def test_counted_coupons_are_redeemed_and_the_total_still_equals_what_was_issued(self):
        report = closeout.season_disposition(self.w["season"])
        values = {s.key: (s.count, s.value_cents) for s in report.states}
        self.assertEqual(values["sold"], (10, 5000))  # 20 sold, 10 counted
        self.assertEqual(values["paid"], (6, 3000))
        self.assertEqual(values["redeemed_unpaid"], (4, 2000))
        self.assertEqual((report.counted.count, report.counted.value_cents), (10, 5000))
        self.assertTrue(report.balanced)
        with later():
            closeout.season_close(season=self.w["season"], by=self.w["coordinator"])
        report = closeout.season_disposition(self.w["season"])
        values = {s.key: (s.count, s.value_cents) for s in report.states}
        self.assertEqual(values["expired"], (10, 5000))  # 20 expired in the ledger, 10 of them counted
        self.assertEqual(values["sold"], (0, 0))
        self.assertTrue(report.balanced)
        self.assertEqual(report.problems, [])

    def test_more_coupons_counted_than_were_out_is_a_problem_line(self):
        redemption_count_record(season=self.w["season"], vendor=self.w["vendor"], market=self.w["market"],
                                day=timezone.localdate(), counts={500: 15}, nonce=nonce(), by=self.w["coordinator"])
        report = closeout.season_disposition(self.w["season"])
        self.assertFalse(report.balanced)
        self.assertEqual(len(report.problems), 1)
        self.assertIn("5 coupons de 5,00", report.problems[0])
        self.assertEqual(RedemptionCount.objects.filter(season=self.w["season"]).count(), 3)
        self.assertFalse(Redemption.objects.exists())
