"""Issuing and moving coupons: every rule refuses with a clear message and changes nothing."""

from io import StringIO
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import TestCase, TransactionTestCase

from pcn.coupons import codes
from pcn.coupons.ledger import GENESIS, season_verify
from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent, Series
from pcn.coupons.services import coupons_move, series_void
from pcn.coupons.tests.factories import coupon_world, issue
from pcn.programs.models import Organization

Kind = CustodyEvent.Kind


def snapshot(season):
    return (
        list(Coupon.objects.filter(season=season).order_by("pk").values_list("status", "partner")),
        CustodyEvent.objects.filter(season=season).count(),
    )


class CodeCollisionTest(TransactionTestCase):
    """A new code that already exists (vanishingly rare) is replaced, on SQLite and on PostgreSQL's COPY."""

    def test_a_colliding_code_is_drawn_again(self):
        w = coupon_world()
        zeros = "0" * codes.CODE_LENGTH  # what new_codes makes from all-zero random bytes
        real = codes.secrets.token_bytes

        def first_draw_all_zeros():
            draws = iter([lambda n: bytes(n)])
            return lambda n: next(draws, real)(n)

        with mock.patch.object(codes.secrets, "token_bytes", first_draw_all_zeros()):
            first = issue(w, count=1)
        self.assertEqual(first.coupons.get().code, zeros)
        with mock.patch.object(codes.secrets, "token_bytes", first_draw_all_zeros()):
            second = issue(w, count=1)  # draws the same code first, then a fresh one
        self.assertNotEqual(second.coupons.get().code, zeros)
        self.assertEqual(season_verify(w["season"]), [])


class IssueTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = coupon_world()

    def test_issuing_puts_every_coupon_in_stock_with_a_valid_unique_code(self):
        series = issue(self.w, count=25, booklet_size=10)
        coupons = list(series.coupons.order_by("number"))
        self.assertEqual([c.number for c in coupons], list(range(1, 26)))
        self.assertEqual([c.booklet for c in coupons][:11], [1] * 10 + [2])
        self.assertEqual(coupons[-1].booklet, 3)
        self.assertTrue(all(codes.is_valid(c.code) and c.status == CouponStatus.STOCK for c in coupons))
        self.assertEqual(len({c.code for c in coupons}), 25)
        event = CustodyEvent.objects.get(season=self.w["season"])
        self.assertEqual((event.kind, event.coupon_count, event.value_cents, event.prev_hash), (Kind.ISSUE, 25, 12500, GENESIS))

    def test_series_are_numbered_in_each_season(self):
        self.assertEqual([issue(self.w, count=1).number for _ in range(3)], [1, 2, 3])

    def test_a_denomination_the_season_does_not_allow_is_refused(self):
        with self.assertRaises(ValidationError) as refused:
            issue(self.w, denomination_cents=700)
        self.assertIn("Cette valeur n'est pas prévue pour la saison", str(refused.exception))
        self.assertFalse(Series.objects.exists())
        self.assertFalse(Coupon.objects.exists())

    def test_a_class_of_another_season_is_refused(self):
        other = coupon_world("Bravo", network=self.w["network"])
        with self.assertRaises(ValidationError) as refused:
            issue(self.w, coupon_class=other["coupon_class"])
        self.assertIn("Choisissez une catégorie de coupon de cette saison.", str(refused.exception))
        self.assertFalse(Coupon.objects.exists())

    def test_validity_ending_before_it_starts_is_refused_in_plain_words(self):
        season = self.w["season"]
        with self.assertRaises(ValidationError) as refused:
            issue(self.w, valid_from=season.coupons_valid_until, valid_until=season.coupons_valid_from)
        self.assertEqual(refused.exception.message_dict["valid_until"],
                         ["La date de fin de validité doit venir après la date de début."])
        self.assertFalse(Series.objects.exists())

    def test_validity_outside_the_season_is_refused(self):
        with self.assertRaises(ValidationError):
            issue(self.w, valid_until=self.w["season"].coupons_valid_until.replace(year=2027))
        self.assertFalse(CustodyEvent.objects.exists())


class MoveTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = coupon_world()
        cls.season = cls.w["season"]
        cls.partner = cls.w["partner"]
        cls.other_partner = Organization.objects.create(
            program=cls.w["program"], name="Conseil de bande", kind=Organization.Kind.BAND_COUNCIL
        )
        cls.series = issue(cls.w, count=30, booklet_size=10)

    def move(self, kind, first, last, **kwargs):
        return coupons_move(
            season=self.season, kind=kind, ranges=[(self.series.pk, first, last)], by=self.w["coordinator"], **kwargs
        )

    def test_allocating_moves_the_coupons_and_chains_the_event(self):
        event = self.move(Kind.ALLOCATE, 1, 10, to_partner=self.partner)
        self.assertEqual(self.series.coupons.filter(status=CouponStatus.PARTNER, partner=self.partner).count(), 10)
        self.assertEqual((event.coupon_count, event.value_cents), (10, 5000))
        first = CustodyEvent.objects.get(season=self.season, sequence=1)
        self.assertEqual(event.prev_hash, first.hash)
        self.assertEqual(season_verify(self.season), [])

    def test_allocating_a_coupon_held_by_another_partner_is_refused_and_nothing_moves(self):
        self.move(Kind.ALLOCATE, 5, 5, to_partner=self.other_partner)
        before = snapshot(self.season)
        with self.assertRaises(ValidationError) as refused:
            self.move(Kind.ALLOCATE, 1, 10, to_partner=self.partner)
        message = " ".join(refused.exception.messages)
        self.assertIn("1 coupon n'est pas en réserve", message)
        self.assertIn("chez Conseil de bande", message)
        self.assertEqual(snapshot(self.season), before)

    def test_transfer_and_return_follow_the_coupons(self):
        self.move(Kind.ALLOCATE, 1, 10, to_partner=self.partner)
        self.move(Kind.TRANSFER, 1, 4, from_partner=self.partner, to_partner=self.other_partner)
        self.move(Kind.RETURN, 5, 10, from_partner=self.partner)
        self.assertEqual(self.series.coupons.filter(partner=self.other_partner).count(), 4)
        self.assertEqual(self.series.coupons.filter(status=CouponStatus.STOCK).count(), 26)
        self.assertEqual(season_verify(self.season), [])

    def test_voiding_needs_a_reason_and_records_it(self):
        with self.assertRaises(ValidationError):
            self.move(Kind.VOID, 1, 2)
        event = self.move(Kind.VOID, 1, 2, reason=CustodyEvent.Reason.LOST)
        self.assertEqual(event.reason, "lost")
        self.assertEqual(self.series.coupons.filter(status=CouponStatus.VOID).count(), 2)

    def test_voiding_a_redeemed_coupon_is_refused(self):
        Coupon.objects.filter(series=self.series, number=3).update(status=CouponStatus.REDEEMED)
        before = snapshot(self.season)
        with self.assertRaises(ValidationError) as refused:
            self.move(Kind.VOID, 1, 5, reason=CustodyEvent.Reason.STOLEN)
        self.assertIn("(échangé)", " ".join(refused.exception.messages))
        self.assertEqual(snapshot(self.season), before)

    def test_numbers_beyond_the_series_are_refused(self):
        before = snapshot(self.season)
        with self.assertRaises(ValidationError) as refused:
            self.move(Kind.ALLOCATE, 25, 40, to_partner=self.partner)
        self.assertIn("10 numéros choisis n'existent pas", " ".join(refused.exception.messages))
        self.assertEqual(snapshot(self.season), before)

    def test_a_partner_of_another_program_is_refused(self):
        other = coupon_world("Bravo", network=self.w["network"])
        with self.assertRaises(ValidationError):
            self.move(Kind.ALLOCATE, 1, 1, to_partner=other["partner"])
        self.assertEqual(self.series.coupons.filter(status=CouponStatus.STOCK).count(), 30)

    def test_a_series_with_some_coupons_already_voided_can_still_be_voided(self):
        self.move(Kind.VOID, 3, 3, reason=CustodyEvent.Reason.LOST)
        series_void(series=self.series, reason="misprint", by=self.w["coordinator"])
        self.assertEqual(self.series.coupons.filter(status=CouponStatus.VOID).count(), 30)
        last = CustodyEvent.objects.filter(season=self.season).order_by("-sequence").first()
        self.assertEqual(last.coupon_count, 29)
        self.assertEqual(season_verify(self.season), [])

    def test_a_series_is_voided_only_while_all_in_stock(self):
        self.move(Kind.ALLOCATE, 1, 1, to_partner=self.partner)
        with self.assertRaises(ValidationError) as refused:
            series_void(series=self.series, reason="misprint", by=self.w["coordinator"])
        self.assertIn("1 coupon de cette série a déjà été remis", " ".join(refused.exception.messages))
        self.move(Kind.RETURN, 1, 1, from_partner=self.partner)
        series_void(series=self.series, reason="misprint", by=self.w["coordinator"])
        self.series.refresh_from_db()
        self.assertEqual(self.series.status, Series.Status.VOID)
        self.assertEqual(self.series.coupons.filter(status=CouponStatus.VOID).count(), 30)
        self.assertEqual(season_verify(self.season), [])


class DatabaseRulesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = coupon_world()
        cls.series = issue(cls.w, count=3)

    def test_a_code_exists_once(self):
        code = self.series.coupons.first().code
        with self.assertRaises(IntegrityError), transaction.atomic():
            Coupon.objects.create(season=self.w["season"], series=self.series, number=99, code=code, value_cents=500)

    def test_a_coupon_with_a_partner_must_be_held_by_it(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Coupon.objects.filter(series=self.series).update(partner=self.w["partner"])

    def test_a_chain_cannot_have_two_events_with_one_number(self):
        event = CustodyEvent.objects.get()
        event.pk = None
        event.hash = "f" * 64
        with self.assertRaises(IntegrityError), transaction.atomic():
            event.save()


def tamper(sql: str, params) -> None:
    """Edit the ledger as someone with direct database access would: drop the append-only guard first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check may be pending for ALTER TABLE
            cursor.execute(f"ALTER TABLE {CustodyEvent._meta.db_table} DISABLE TRIGGER USER")
        else:
            cursor.execute(f"DROP TRIGGER {CustodyEvent._meta.db_table}_append_only")
        cursor.execute(sql, params)


class AppendOnlyTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = coupon_world()
        issue(cls.w, count=3)

    def test_the_database_refuses_to_edit_a_custody_event(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            CustodyEvent.objects.update(coupon_count=1)
        self.assertEqual(CustodyEvent.objects.get().coupon_count, 3)

    def test_the_database_refuses_to_edit_which_coupons_an_event_moved(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            CustodyEvent.objects.get().ranges.update(last_number=2)


class VerifyLedgerTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = coupon_world()
        cls.series = issue(cls.w, count=10)
        coupons_move(season=cls.w["season"], kind=Kind.ALLOCATE, ranges=[(cls.series.pk, 1, 4)],
                     to_partner=cls.w["partner"], by=cls.w["coordinator"])

    def run_command(self):
        out, err = StringIO(), StringIO()
        call_command("verify_ledger", stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_an_intact_ledger_passes(self):
        out, _err = self.run_command()
        self.assertIn("Ledger verified", out)

    def test_a_row_edited_in_the_database_is_named(self):
        event = CustodyEvent.objects.get(sequence=2)
        tamper(f"UPDATE {CustodyEvent._meta.db_table} SET coupon_count = 3 WHERE id = %s", [event.pk])
        with self.assertRaises(CommandError):
            self.run_command()
        problems = season_verify(self.w["season"])
        self.assertEqual(problems[0].event_id, event.pk)
        self.assertIn("l'événement n° 2 a été modifié", problems[0].message)

    def test_a_coupon_moved_behind_the_ledgers_back_unbalances_the_season(self):
        Coupon.objects.filter(series=self.series, number=9).update(status=CouponStatus.VOID)
        with self.assertRaises(CommandError):
            self.run_command()
        messages = " ".join(p.message for p in season_verify(self.w["season"]))
        self.assertIn("« En réserve »", messages)
        self.assertIn("le registre dit 6 coupons", messages)

    def test_a_relinked_event_breaks_the_chain(self):
        tamper(f"UPDATE {CustodyEvent._meta.db_table} SET prev_hash = %s WHERE sequence = 1", ["1" * 64])
        self.assertIn("ne suit pas le précédent", season_verify(self.w["season"])[0].message)

    def test_two_coupons_swapped_between_holders_are_named(self):
        # Same totals per holder, but coupon 1 (with the partner) and coupon 9 (in stock) changed places.
        Coupon.objects.filter(series=self.series, number=1).update(status=CouponStatus.STOCK, partner=None)
        Coupon.objects.filter(series=self.series, number=9).update(status=CouponStatus.PARTNER, partner=self.w["partner"])
        problems = season_verify(self.w["season"])
        named = " ".join(p.message for p in problems)
        for number in (1, 9):
            self.assertIn(codes.display(self.series.coupons.get(number=number).code), named)

    def test_an_edited_code_or_face_value_is_caught(self):
        coupon = self.series.coupons.get(number=2)
        Coupon.objects.filter(pk=coupon.pk).update(code=codes.new_code())
        self.assertIn("la série 1 (ses codes, sa valeur ou ses dates) a été modifiée",
                      season_verify(self.w["season"])[0].message)

    def test_an_edited_series_value_is_caught(self):
        Series.objects.filter(pk=self.series.pk).update(denomination_cents=1000)
        self.assertIn("a été modifiée après son émission", season_verify(self.w["season"])[0].message)

    def test_a_chain_rebuilt_without_the_ledger_key_is_caught(self):
        with self.settings(LEDGER_KEY="a key the forger guessed"):
            self.assertIn("a été modifié après son inscription", season_verify(self.w["season"])[0].message)
