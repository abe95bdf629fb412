"""Every figure of a season paid by two grants, to the cent (see factories.funded_world for the story)."""

from django.test import TestCase

from pcn.funding import selectors
from pcn.funding.tests.factories import funded_world
from pcn.payments.selectors import season_payment_totals


def amounts(figures) -> dict:
    return {name: getattr(figures, name) for name in (*selectors.AMOUNTS, "outstanding_cents", "remaining_cents")}


GRANT_A = {
    "budget_cents": 5_000_000,
    "committed_cents": 4_500,  # 10 × 5 $, less the one lost
    "distributed_cents": 3_000,  # A1–A6 to the household
    "redeemed_cents": 1_500,  # A1, A2, A3
    "expired_cents": 0,
    "held_cents": 1_500,  # A4–A6
    "paid_cents": 500,  # A1 (A2 was rejected in the claim)
    "owed_cents": 500,  # A3, not claimed yet
    "revenue_cents": 0,
    "bonus_cents": 0,
    "operations_cents": 10_000,  # 120 $ − 20 $
    "outstanding_cents": 2_000,
    "remaining_cents": 5_000_000 - 4_500 - 10_000,
}
GRANT_B = {
    "budget_cents": 200_000,
    "committed_cents": 1_000,  # 8 × 5 $, less B1–B6 sold (the citizens' price and the bonus pay for those)
    "distributed_cents": 3_000,  # B1–B6 sold
    "redeemed_cents": 1_000,  # B1, B2
    "expired_cents": 0,
    "held_cents": 2_000,  # B3–B6
    "paid_cents": 500,  # B1
    "owed_cents": 500,  # B2
    "revenue_cents": 2_300,  # 15 $ + 8 $
    "bonus_cents": 700,  # (20 $ − 15 $) + (10 $ − 8 $)
    "operations_cents": 0,
    "outstanding_cents": 2_500,
    "remaining_cents": 200_000 - 1_000 - 700,
}
NO_GRANT = {  # the running world's 20 coupons, all sold without a public-sale record
    "budget_cents": 0,
    "committed_cents": 0,  # all sold: paid by the public
    "distributed_cents": 10_000,
    "redeemed_cents": 1_000,
    "expired_cents": 0,
    "held_cents": 9_000,
    "paid_cents": 500,
    "owed_cents": 500,
    "revenue_cents": 0,
    "bonus_cents": 0,
    "operations_cents": 0,
    "outstanding_cents": 9_500,
    "remaining_cents": 0,
}


class GrantFiguresTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = funded_world()

    def test_each_grant_adds_up_to_the_cent(self):
        figures = selectors.grant_figures([self.w["grant_a"], self.w["grant_b"]])
        self.assertEqual(amounts(figures[self.w["grant_a"].pk]), GRANT_A)
        self.assertEqual(amounts(figures[self.w["grant_b"].pk]), GRANT_B)

    def test_a_grant_alone_has_the_same_figures(self):
        self.assertEqual(amounts(selectors.grant_figures([self.w["grant_b"]])[self.w["grant_b"].pk]), GRANT_B)

    def test_the_season_table_has_a_row_per_grant_then_the_rest(self):
        funding = selectors.season_funding(self.w["season"])
        self.assertEqual([r.grant for r in funding.rows], [self.w["grant_b"], self.w["grant_a"], None])
        a, b, rest = (amounts(r) for r in (funding.rows[1], funding.rows[0], funding.rows[2]))
        season_only = dict(GRANT_A, operations_cents=0, remaining_cents=GRANT_A["budget_cents"] - 4_500)
        self.assertEqual(a, season_only)
        self.assertEqual(b, GRANT_B)
        self.assertEqual(rest, NO_GRANT)

    def test_the_season_total_is_the_sum_of_the_rows_and_matches_the_payments(self):
        total = selectors.season_funding(self.w["season"]).total
        self.assertEqual(total.committed_cents, 4_500 + 1_000 + 0)
        self.assertEqual(total.distributed_cents, 3_000 + 3_000 + 10_000)
        self.assertEqual(total.redeemed_cents, 3_500)
        self.assertEqual(total.held_cents, 12_500)
        self.assertEqual(total.paid_cents, 1_500)
        self.assertEqual(total.owed_cents, 1_500)
        self.assertEqual(total.outstanding_cents, 14_000)
        self.assertEqual((total.revenue_cents, total.bonus_cents), (2_300, 700))
        payments = season_payment_totals(self.w["season"])
        self.assertEqual(payments["paid"], total.paid_cents)
        # Everything payable is either paid, rejected or still owed.
        self.assertEqual(payments["payable"], total.paid_cents + payments["rejected"] + total.owed_cents)

    def test_the_figures_take_a_few_queries_whatever_the_number_of_coupons(self):
        with self.assertNumQueries(8):
            selectors.grant_figures([self.w["grant_a"], self.w["grant_b"]])
        with self.assertNumQueries(8):
            selectors.season_funding(self.w["season"])
