"""Redeeming coupons and cards: each rule, the ledger, idempotence, and the one-redemption constraint."""

import datetime

from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import timezone

from pcn.coupons import codes
from pcn.coupons.ledger import season_verify
from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent
from pcn.coupons.services import series_void
from pcn.coupons.tests.factories import issue
from pcn.households.models import Card, CardEntry
from pcn.markets.models import OpeningHours, VendorAuthorization
from pcn.redemptions import services
from pcn.redemptions.explain import explain
from pcn.redemptions.models import Outcome, Reason, Redemption, ReviewDecision, Source
from pcn.redemptions.tests.factories import nonce, running_world
from pcn.testing import make_world


def redeem(w, code, **kwargs):
    args = dict(vendor=w["vendor"], code=code, nonce=nonce(), source=Source.STALL, by=w["vendor_user"])
    args.update(kwargs)
    return services.redemption_record(**args)


class RedeemTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = running_world()

    def test_a_coupon_in_circulation_is_accepted_and_the_ledger_agrees(self):
        code = self.w["codes"][0]
        r = redeem(self.w, code.lower())
        self.assertEqual((r.outcome, r.value_cents, r.code), (Outcome.ACCEPTED, 500, code))
        self.assertEqual(Coupon.objects.get(code=code).status, CouponStatus.REDEEMED)
        self.assertEqual(r.event.kind, CustodyEvent.Kind.REDEEM)
        self.assertEqual(r.sale_point, self.w["sale_point"])  # the vendor's only sale point
        self.assertEqual(explain(r), "Accepté : 5,00\u00a0$ (Fruits et légumes).")
        self.assertEqual(season_verify(self.w["season"]), [])

    def test_a_second_presentation_is_refused_saying_when_and_where(self):
        first = redeem(self.w, self.w["codes"][1])
        second = redeem(self.w, self.w["codes"][1])
        self.assertEqual((second.outcome, second.reason), (Outcome.REFUSED, Reason.ALREADY_REDEEMED))
        self.assertEqual(second.conflicts_with, first)
        self.assertIn("déjà été échangé le", explain(second))
        self.assertIn(self.w["market"].name, explain(second))
        self.assertEqual(Redemption.objects.accepted().filter(code=self.w["codes"][1]).count(), 1)

    def test_the_same_nonce_records_once(self):
        key = nonce()
        a = redeem(self.w, self.w["codes"][2], nonce=key)
        b = redeem(self.w, self.w["codes"][2], nonce=key)
        self.assertEqual(a.pk, b.pk)
        self.assertEqual(Redemption.objects.filter(nonce=key).count(), 1)

    def test_bad_and_unknown_codes_are_kept_with_their_reason(self):
        self.assertEqual(redeem(self.w, "K7M2-9XQ4-PD3B").reason, Reason.FORMAT)
        unknown = redeem(self.w, "0000-0000-0000")
        self.assertEqual((unknown.reason, unknown.coupon, unknown.season), (Reason.UNKNOWN, None, self.w["season"]))
        self.assertIn("n'existe pas", explain(unknown))

    def test_another_programs_coupon_is_refused_without_a_link_to_it(self):
        other = running_world("Autre")
        r = redeem(self.w, other["codes"][0])
        self.assertEqual((r.reason, r.coupon), (Reason.OTHER_PROGRAM, None))
        self.assertEqual(Coupon.objects.get(code=other["codes"][0]).status, CouponStatus.SOLD)

    def test_a_voided_coupon_is_refused(self):
        series = issue(self.w, count=2)
        series_void(series=series, reason="stolen", by=self.w["coordinator"])
        r = redeem(self.w, series.coupons.first().code)
        self.assertEqual(r.reason, Reason.VOID)
        self.assertIn("annulé", explain(r))

    def test_validity_dates_are_enforced_with_the_date_to_say(self):
        s = self.w["season"]
        later = issue(self.w, count=1, valid_from=timezone.localdate() + datetime.timedelta(days=3))
        r = redeem(self.w, later.coupons.get().code)
        self.assertEqual(r.reason, Reason.NOT_YET_VALID)
        earlier = issue(self.w, count=1, valid_until=timezone.localdate() - datetime.timedelta(days=1),
                        valid_from=s.coupons_valid_from)
        self.assertEqual(redeem(self.w, earlier.coupons.get().code).reason, Reason.EXPIRED)

    def test_coupons_never_handed_out_are_refused_or_accepted_and_flagged_as_the_program_chooses(self):
        series = issue(self.w, count=2)  # in central stock
        codes_ = list(series.coupons.order_by("number").values_list("code", flat=True))
        self.assertEqual(redeem(self.w, codes_[0]).reason, Reason.NOT_ISSUED)
        self.w["season"].__class__.objects.filter(pk=self.w["season"].pk).update(accept_unissued=True)
        r = redeem(self.w, codes_[1])
        self.assertEqual((r.outcome, r.unissued), (Outcome.ACCEPTED, True))
        self.assertIn("Signalé", explain(r))
        self.assertEqual(season_verify(self.w["season"]), [])

    def test_an_unauthorized_vendor_is_refused(self):
        VendorAuthorization.objects.filter(vendor=self.w["vendor"]).update(revoked_at=timezone.now())
        r = redeem(self.w, self.w["codes"][3])
        self.assertEqual(r.reason, Reason.VENDOR_NOT_AUTHORIZED)
        self.assertEqual(Coupon.objects.get(code=self.w["codes"][3]).status, CouponStatus.SOLD)

    def test_a_vendor_who_sells_nothing_the_class_buys_is_refused(self):
        self.w["vendor"].__class__.objects.filter(pk=self.w["vendor"].pk).update(categories=["meat"])
        self.w["vendor"].refresh_from_db()
        r = redeem(self.w, self.w["codes"][4])
        self.assertEqual(r.reason, Reason.CLASS_NOT_SOLD)
        self.assertIn("légumes", explain(r))

    def test_offline_on_two_devices_goes_to_review_and_the_decision_is_kept(self):
        phone_a, _key = services.device_link(vendor=self.w["vendor"], name="A", by=self.w["vendor_user"])
        phone_b, _key = services.device_link(vendor=self.w["vendor"], name="B", by=self.w["vendor_user"])
        code = self.w["codes"][5]
        first = redeem(self.w, code, device=phone_a, source=Source.OFFLINE, client_at=timezone.now())
        again = redeem(self.w, code, device=phone_a, source=Source.OFFLINE, client_at=timezone.now())
        later = redeem(self.w, code, device=phone_b, source=Source.OFFLINE, client_at=timezone.now())
        self.assertEqual(first.outcome, Outcome.ACCEPTED)
        self.assertEqual(again.reason, Reason.ALREADY_REDEEMED)  # the same phone twice: a plain duplicate
        self.assertEqual((later.outcome, later.reason, later.conflicts_with), (Outcome.REVIEW, Reason.CONFLICT, first))
        self.assertEqual(list(Redemption.objects.awaiting_review()), [later])
        decision = services.review_decide(redemption=later, decision="both", note="bonne foi", by=self.w["coordinator"])
        self.assertEqual(decision.decision, ReviewDecision.Decision.PAY_BOTH)
        self.assertEqual(list(Redemption.objects.awaiting_review()), [])
        with self.assertRaisesMessage(Exception, "déjà été prise"):
            services.review_decide(redemption=later, decision="refuse", by=self.w["coordinator"])

    def test_outside_the_sale_points_hours_is_flagged(self):
        OpeningHours.objects.create(sale_point=self.w["sale_point"], weekday=0, opens_at=datetime.time(3, 0),
                                    closes_at=datetime.time(3, 1))
        r = redeem(self.w, self.w["codes"][6])
        self.assertEqual((r.outcome, r.outside_hours), (Outcome.ACCEPTED, True))
        # The market manager enters the day's stack after closing: the moment of entry says nothing.
        entered = redeem(self.w, self.w["codes"][8], source=Source.MARKET, market=self.w["market"],
                         by=self.w["coordinator"])
        self.assertEqual((entered.outcome, entered.outside_hours), (Outcome.ACCEPTED, False))

    def test_the_database_refuses_a_second_accepted_redemption_and_any_edit(self):
        r = redeem(self.w, self.w["codes"][7])
        copy = Redemption(program=r.program, season=r.season, vendor=r.vendor, coupon=r.coupon, code=r.code,
                          value_cents=500, outcome=Outcome.ACCEPTED, event=CustodyEvent.objects.first(),
                          source=Source.STALL, nonce="x", recorded_at=timezone.now(), recorded_by=r.recorded_by)
        with self.assertRaises(IntegrityError), transaction.atomic():
            copy.save()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Redemption.objects.filter(pk=r.pk).update(value_cents=1000)

    def test_the_database_refuses_to_edit_a_decision_or_a_count(self):
        phone, _key = services.device_link(vendor=self.w["vendor"], name="B", by=self.w["vendor_user"])
        redeem(self.w, self.w["codes"][9])
        later = redeem(self.w, self.w["codes"][9], device=phone, source=Source.OFFLINE)
        decision = services.review_decide(redemption=later, decision="first", by=self.w["coordinator"])
        (count,) = services.redemption_count_record(
            season=self.w["season"], vendor=self.w["vendor"], market=self.w["market"], day=timezone.localdate(),
            counts={500: 3}, nonce="c", by=self.w["coordinator"])
        with self.assertRaises(IntegrityError), transaction.atomic():
            ReviewDecision.objects.filter(pk=decision.pk).update(decision="both")
        with self.assertRaises(IntegrityError), transaction.atomic():
            type(count).objects.filter(pk=count.pk).update(count=30)


class CardDebitTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        from pcn.households.models import Household

        cls.w = running_world()
        cls.w["season"].__class__.objects.filter(pk=cls.w["season"].pk).update(cards_enabled=True)
        household = Household.objects.create(
            program=cls.w["program"], season=cls.w["season"], partner=cls.w["partner"], size=2, age_18_64=2,
            enrolled_by=cls.w["coordinator"],
        )
        cls.card = Card.objects.create(household=household, code=codes.new_code())
        CardEntry.objects.create(card=cls.card, kind="credit", amount_cents=3500, period_number=1,
                                 recorded_by=cls.w["coordinator"])

    def debit(self, amount, **kwargs):
        args = dict(vendor=self.w["vendor"], card_code=self.card.display_code, amount_cents=amount, nonce=nonce(),
                    source=Source.STALL, by=self.w["vendor_user"])
        args.update(kwargs)
        return services.card_debit(**args)

    def test_online_debits_spend_the_balance_and_no_more(self):
        self.assertEqual(self.debit(2000).outcome, Outcome.ACCEPTED)
        refused = self.debit(2000)
        self.assertEqual((refused.outcome, refused.reason), (Outcome.REFUSED, Reason.CARD_BALANCE))
        self.assertIn("Solde insuffisant", explain(refused))
        self.assertEqual(services.card_balance_cents(self.card), 1500)

    def test_offline_debits_above_the_cap_or_the_balance_go_to_review(self):
        over_cap = self.debit(2500, source=Source.OFFLINE, client_at=timezone.now())
        self.assertEqual((over_cap.outcome, over_cap.reason), (Outcome.REVIEW, Reason.CARD_OVER_CAP))
        self.assertEqual(self.debit(1800, source=Source.OFFLINE).outcome, Outcome.ACCEPTED)
        short = self.debit(1800, source=Source.OFFLINE)
        self.assertEqual((short.outcome, short.reason), (Outcome.REVIEW, Reason.CARD_BALANCE))
        self.assertEqual(services.card_balance_cents(self.card), 1700)

    def test_another_programs_vendor_cannot_debit_the_card(self):
        other = make_world("Ailleurs")
        r = services.card_debit(vendor=other["vendor"], card_code=self.card.display_code, amount_cents=100,
                                nonce=nonce(), source=Source.STALL, by=self.w["vendor_user"])
        self.assertEqual((r.reason, r.card), (Reason.CARD_UNKNOWN, None))


class ReviewFixesTest(TestCase):
    """What the review of the redemption code found, kept fixed."""

    @classmethod
    def setUpTestData(cls):
        from pcn.households.models import Household

        cls.w = running_world()
        cls.w["season"].__class__.objects.filter(pk=cls.w["season"].pk).update(cards_enabled=True)
        household = Household.objects.create(
            program=cls.w["program"], season=cls.w["season"], partner=cls.w["partner"], size=2, age_18_64=2,
            enrolled_by=cls.w["coordinator"],
        )
        cls.card = Card.objects.create(household=household, code=codes.new_code())
        CardEntry.objects.create(card=cls.card, kind="credit", amount_cents=3500, period_number=1,
                                 recorded_by=cls.w["coordinator"])
        cls.phone, _key = services.device_link(vendor=cls.w["vendor"], name="A", by=cls.w["vendor_user"])

    def test_paying_a_card_purchase_set_aside_debits_the_card_so_it_cannot_be_spent_again(self):
        r = services.card_debit(vendor=self.w["vendor"], card_code=self.card.display_code, amount_cents=2500,
                                nonce=nonce(), source=Source.OFFLINE, by=self.w["vendor_user"], device=self.phone)
        self.assertEqual(r.outcome, Outcome.REVIEW)  # above the offline cap
        decision = services.review_decide(redemption=r, decision="both", by=self.w["coordinator"])
        self.assertEqual(decision.card_entry.amount_cents, 2500)
        self.assertEqual(services.card_balance_cents(self.card), 1000)
        again = services.card_debit(vendor=self.w["vendor"], card_code=self.card.display_code, amount_cents=3500,
                                    nonce=nonce(), source=Source.STALL, by=self.w["vendor_user"])
        self.assertEqual(again.reason, Reason.CARD_BALANCE)

    def test_a_paid_purchase_above_the_balance_empties_the_card_and_the_rest_is_the_loss(self):
        services.card_debit(vendor=self.w["vendor"], card_code=self.card.display_code, amount_cents=3000,
                            nonce=nonce(), source=Source.STALL, by=self.w["vendor_user"])
        short = services.card_debit(vendor=self.w["vendor"], card_code=self.card.display_code, amount_cents=1500,
                                    nonce=nonce(), source=Source.OFFLINE, by=self.w["vendor_user"], device=self.phone)
        self.assertEqual((short.outcome, short.reason), (Outcome.REVIEW, Reason.CARD_BALANCE))
        decision = services.review_decide(redemption=short, decision="both", by=self.w["coordinator"])
        self.assertEqual(decision.card_entry.amount_cents, 500)
        self.assertEqual(services.card_balance_cents(self.card), 0)

    def test_an_offline_time_too_old_is_not_believed(self):
        expired = issue(self.w, count=1, valid_until=timezone.localdate() - datetime.timedelta(days=1))
        from pcn.redemptions.tests.factories import sell

        sell(self.w, expired, 1, 1)
        two_days_ago = timezone.now() - datetime.timedelta(days=2)
        # Back-dated before the phone was linked: judged today, so expired.
        r = services.redemption_record(vendor=self.w["vendor"], code=expired.coupons.get().code, nonce=nonce(),
                                       source=Source.OFFLINE, by=self.w["vendor_user"], device=self.phone,
                                       client_at=two_days_ago)
        self.assertEqual(r.reason, Reason.EXPIRED)
        self.assertIn("était valide jusqu'au", explain(r))
        # A clock reset to 1970: judged today, so a valid coupon is accepted, never "not yet valid".
        epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
        r = services.redemption_record(vendor=self.w["vendor"], code=self.w["codes"][0], nonce=nonce(),
                                       source=Source.OFFLINE, by=self.w["vendor_user"], device=self.phone,
                                       client_at=epoch)
        self.assertEqual(r.outcome, Outcome.ACCEPTED)

    def test_a_nonce_reused_for_another_code_is_refused_and_records_nothing(self):
        key = nonce()
        redeem(self.w, self.w["codes"][1], nonce=key, device=self.phone)
        with self.assertRaisesMessage(Exception, "déjà servi pour un autre code"):
            redeem(self.w, self.w["codes"][2], nonce=key, device=self.phone)
        self.assertEqual(Coupon.objects.get(code=self.w["codes"][2]).status, CouponStatus.SOLD)
        self.assertEqual(redeem(self.w, codes.display(self.w["codes"][1]), nonce=key, device=self.phone).outcome,
                         Outcome.ACCEPTED)  # the same code, typed differently: the same presentation

    def test_a_card_refused_before_the_season_opens_is_explained(self):
        self.w["season"].__class__.objects.filter(pk=self.w["season"].pk).update(
            coupons_valid_from=timezone.localdate() + datetime.timedelta(days=2))
        r = services.card_debit(vendor=self.w["vendor"], card_code=self.card.display_code, amount_cents=100,
                                nonce=nonce(), source=Source.STALL, by=self.w["vendor_user"])
        self.assertEqual(r.reason, Reason.NOT_YET_VALID)
        self.assertIn("Cette carte peut servir à partir du", explain(r))
