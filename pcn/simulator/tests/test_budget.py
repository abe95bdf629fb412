"""The simulator's arithmetic: hand-checked cases, the timing of payments, and totals that add up to the cent."""

import datetime

from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from pcn.programs.entitlements import entitlement_from_table
from pcn.simulator.budget import GrantLine, Inputs, input_errors, share, simulate

D = datetime.date


def inputs(**overrides) -> Inputs:
    """Portneuf's shape: 12 weekly remises, 25 / 35 / 45 $ for 1 / 2 / 3+ people, 5 $ and 10 $ coupons."""
    values = dict(
        grants=(GrantLine("MRC", 1_000_000), GrantLine("Desjardins", 500_000)), starts_on=D(2026, 6, 13), weeks=12,
        frequency="weekly", entitlement_cents=(2500, 3500, 4500), households=(10, 10, 10),
        denominations_cents=(500, 1000), redemption_rate_percent=80, printing_cost_cents=10, public_sales=50,
        public_sale_price_cents=2000, public_sale_face_cents=3000, operations_percent=10,
    )
    values.update(overrides)
    return Inputs(**values)


class HandCheckedTest(SimpleTestCase):
    def test_a_budget_that_covers_every_household(self):
        r = simulate(inputs())
        self.assertEqual(r.budget_cents, 1_500_000)
        self.assertEqual(r.operations_cents, 150_000)  # 10 %
        self.assertEqual(r.public_sale_bonus_cents, 50_000)  # 50 × (30 $ − 20 $)
        self.assertEqual(r.public_sale_revenue_cents, 100_000)
        self.assertEqual(r.public_sale_printing_cents, 1_500)  # 50 × three 10 $ coupons × 0,10 $
        self.assertEqual(r.available_cents, 1_298_500)
        # 25 $ = 10 + 10 + 5 (3 coupons), 35 $ = 3 × 10 + 5 (4), 45 $ = 4 × 10 + 5 (5); 12 remises each.
        self.assertEqual([(s.season_cents, s.coupons_per_household, s.cost_cents) for s in r.sizes],
                         [(30_000, 36, 30_360), (42_000, 48, 42_480), (54_000, 60, 54_600)])
        self.assertEqual((r.households_entered, r.households_served), (30, 30))
        self.assertEqual(r.served_value_cents, 1_260_000)
        self.assertEqual(r.served_printing_cents, 14_400)
        self.assertEqual(r.left_over_cents, 24_100)
        self.assertEqual(r.extra_needed_cents, 0)
        self.assertEqual([(c.value_cents, c.entered, c.served, c.public_sale, c.to_print) for c in r.coupons],
                         [(1000, 1080, 1080, 150, 1230), (500, 360, 360, 0, 360)])
        self.assertEqual(r.coupons_to_print, 1590)
        self.assertEqual({w.handed_out_cents for w in r.weeks}, {105_000})
        self.assertEqual({w.public_spent_cents for w in r.weeks}, {12_500})
        self.assertEqual({w.to_pay_cents for w in r.weeks}, {84_000 + 10_000})
        self.assertEqual(r.to_pay_cents, 1_128_000)  # 80 % of 1 260 000 + 150 000
        self.assertEqual(r.weeks[-1].cumulative_cents, 1_128_000)
        self.assertEqual(r.outstanding_cents, 282_000)

    def test_a_short_budget_serves_the_same_mix_cut_in_proportion(self):
        r = simulate(inputs(grants=(GrantLine("MRC", 1_000_000),), printing_cost_cents=0, public_sales=0,
                            operations_percent=0))
        # One household of each size costs 126 000: 10 of each is 1 260 000 > 1 000 000. Each size gets
        # 10 × 1 000 000 ÷ 1 260 000 = 7 (rounded down), 118 000 left: one more of 1 person (30 000), one more of
        # 2 (42 000); 46 000 left cannot pay 54 000 for 3 people, but pays one more of 1 person: 16 000 left.
        self.assertEqual([s.served for s in r.sizes], [9, 8, 7])
        self.assertEqual(r.served_value_cents, 984_000)
        self.assertEqual(r.left_over_cents, 16_000)
        self.assertEqual(r.extra_needed_cents, 260_000)
        self.assertEqual(r.households_not_served, 6)
        self.assertEqual([(c.entered, c.served) for c in r.coupons], [(1080, 2 * 12 * 9 + 3 * 12 * 8 + 4 * 12 * 7),
                                                                      (360, 12 * 24)])

    def test_a_budget_eaten_by_operations_serves_nobody_and_says_how_much_is_missing(self):
        r = simulate(inputs(grants=(GrantLine("MRC", 40_000),), operations_percent=100))
        self.assertEqual(r.households_served, 0)
        self.assertEqual(r.available_cents, -51_500)  # − bonus 50 000 − public printing 1 500
        self.assertEqual(r.left_over_cents, -51_500)
        self.assertEqual(sum(w.handed_out_cents for w in r.weeks), 0)
        self.assertEqual(r.to_pay_cents, 120_000)  # the public sale's coupons still come back

    def test_sizes_above_the_cap_get_the_caps_amount_by_the_same_rule(self):
        r = simulate(inputs(households=(0, 0, 1, 0, 2)))
        self.assertEqual([s.per_period_cents for s in r.sizes], [2500, 3500, 4500, 4500, 4500])
        self.assertTrue(r.sizes[-1].or_more)
        table = {1: 2500, 2: 3500, 3: 4500}
        for s in r.sizes:
            rule = entitlement_from_table(table_cents=table, cap=3, household_size=s.size)
            self.assertEqual(s.per_period_cents, rule)

    def test_weekly_payments_round_on_the_running_total(self):
        r = simulate(inputs(grants=(GrantLine("MRC", 100_000),), weeks=3, entitlement_cents=(250,), households=(1,),
                            denominations_cents=(250,), redemption_rate_percent=33, printing_cost_cents=0,
                            public_sales=0, operations_percent=0))
        # 33 % of 250 = 82,5 → 83; of 500 = 165 → 82 more; of 750 = 247,5 → 248 → 83 more.
        self.assertEqual([w.to_pay_cents for w in r.weeks], [83, 82, 83])
        self.assertEqual(r.to_pay_cents, 248)
        self.assertEqual(r.outstanding_cents, 750 - 248)

    def test_operations_round_half_up(self):
        self.assertEqual(share(1_001, 50, 100), 501)  # 500,5 → 501
        self.assertEqual(share(1_001, 10, 100), 100)  # 100,1 → 100
        r = simulate(inputs(grants=(GrantLine("MRC", 333_335),), operations_percent=15))
        self.assertEqual(r.operations_cents, 50_000)  # 50 000,25 → 50 000

    def test_biweekly_remises_are_paid_in_the_week_they_are_handed_out(self):
        r = simulate(inputs(frequency="biweekly", public_sales=0))
        self.assertEqual(len(r.periods), 6)
        self.assertEqual([w.handed_out_cents for w in r.weeks], [105_000, 0] * 6)
        self.assertEqual([w.to_pay_cents for w in r.weeks], [84_000, 0] * 6)
        self.assertEqual(r.sizes[0].season_cents, 6 * 2500)

    def test_monthly_remises_fall_on_the_same_day_each_month(self):
        r = simulate(inputs(frequency="monthly", public_sales=0))  # June 13 to September 4: June 13, July 13, Aug 13
        self.assertEqual([p.starts_on for p in r.periods], [D(2026, 6, 13), D(2026, 7, 13), D(2026, 8, 13)])
        paid_weeks = [w.number for w in r.weeks if w.handed_out_cents]
        self.assertEqual(paid_weeks, [1, 5, 9])  # July 13 is 30 days after June 13 (week 5), Aug 13 61 days (week 9)

    def test_public_sale_coupons_spread_over_the_weeks_with_the_remainder_last(self):
        r = simulate(inputs(weeks=7, public_sales=1, public_sale_price_cents=2000, public_sale_face_cents=3000))
        spent = [w.public_spent_cents for w in r.weeks]
        self.assertEqual(spent, [428, 429, 428, 429, 428, 429, 429])  # 3000 × k ÷ 7 rounded down, differences
        self.assertEqual(sum(spent), 3000)


class InputErrorsTest(SimpleTestCase):
    def test_good_inputs_have_no_errors(self):
        self.assertEqual(input_errors(inputs()), {})

    def test_each_problem_is_named_on_its_field_with_what_to_do(self):
        errors = input_errors(inputs(grants=(), weeks=0, entitlement_cents=(2500, 0, 4500), households=(0, 0, 0),
                                     denominations_cents=(1000,), redemption_rate_percent=120,
                                     public_sale_price_cents=4000))
        self.assertIn("au moins une subvention", errors["grant_amount_0"])
        self.assertIn("entre 1 et 60 semaines", errors["weeks"])
        self.assertIn("Donnez le montant pour cette taille", errors["amount_2"])
        self.assertIn("ne permettent pas de faire exactement 25,00", errors["amount_1"])
        self.assertIn("Inscrivez au moins un ménage", errors["households_1"])
        self.assertIn("de 0 à 100", errors["redemption_rate_percent"])
        self.assertIn("le prix doit être au plus 30,00", errors["public_sale_price_cents"])

    def test_simulate_refuses_bad_inputs(self):
        with self.assertRaises(ValueError):
            simulate(inputs(denominations_cents=()))


amounts = st.integers(min_value=1, max_value=400).map(lambda n: n * 25)  # 0,25 $ to 100 $, 25 ¢ steps


@st.composite
def any_inputs(draw):
    cap = draw(st.integers(1, 6))
    return Inputs(
        grants=tuple(GrantLine(f"G{i}", draw(st.integers(1, 50_000_000))) for i in range(draw(st.integers(1, 3)))),
        starts_on=D(2026, 1, 1) + datetime.timedelta(days=draw(st.integers(0, 400))),
        weeks=draw(st.integers(1, 30)), frequency=draw(st.sampled_from(["weekly", "biweekly", "monthly"])),
        entitlement_cents=tuple(draw(amounts) for _ in range(cap)),
        households=tuple(draw(st.integers(0, 300)) for _ in range(draw(st.integers(cap, cap + 2)))),
        denominations_cents=(25, *draw(st.lists(st.sampled_from([100, 200, 500, 1000, 2000]), max_size=3))),
        redemption_rate_percent=draw(st.integers(0, 100)), printing_cost_cents=draw(st.integers(0, 50)),
        public_sales=draw(st.integers(0, 500)), public_sale_price_cents=1500,
        public_sale_face_cents=draw(amounts) + 1500,
        operations_percent=draw(st.integers(0, 100)),
    )


class AddsUpTest(SimpleTestCase):
    @settings(max_examples=150, deadline=None)
    @given(any_inputs())
    def test_every_total_adds_up_to_the_cent(self, i):
        if sum(i.households) == 0:
            i = Inputs(**{**i.__dict__, "households": (1,) + i.households[1:]})
        r = simulate(i)
        # The budget, to the cent.
        self.assertEqual(r.budget_cents, r.operations_cents + r.public_sale_bonus_cents + r.printing_cents
                         + r.served_value_cents + r.left_over_cents)
        # Nobody served beyond what is available, never more than entered; all of them when it fits.
        self.assertTrue(all(0 <= s.served <= s.entered for s in r.sizes))
        if r.households_served:
            self.assertLessEqual(r.served_cost_cents, r.available_cents)
        if r.entered_cost_cents <= r.available_cents:
            self.assertEqual(r.households_served, r.households_entered)
        else:  # not one more household of any size not yet full would fit
            self.assertTrue(all(s.served == s.entered or s.cost_cents > r.left_over_cents for s in r.sizes))
        # Coupons make exactly the value handed out.
        self.assertEqual(sum(c.served * c.value_cents for c in r.coupons), r.served_value_cents)
        self.assertEqual(sum(c.entered * c.value_cents for c in r.coupons), r.entered_value_cents)
        self.assertEqual(sum(c.public_sale * c.value_cents for c in r.coupons), r.public_sale_face_cents)
        self.assertEqual(r.printing_cents, r.coupons_to_print * i.printing_cost_cents)
        # Weeks add up to the totals.
        self.assertEqual(len(r.weeks), i.weeks)
        self.assertEqual(sum(w.handed_out_cents for w in r.weeks), r.served_value_cents)
        self.assertEqual(sum(w.public_spent_cents for w in r.weeks), r.public_sale_face_cents)
        self.assertEqual(sum(w.from_households_cents for w in r.weeks), r.to_pay_households_cents)
        self.assertEqual(sum(w.from_public_cents for w in r.weeks), r.to_pay_public_cents)
        self.assertEqual(r.weeks[-1].cumulative_cents, r.to_pay_cents)
        self.assertTrue(all(w.to_pay_cents >= 0 for w in r.weeks))
        self.assertEqual(r.to_pay_cents + r.outstanding_cents, r.handed_out_cents)
        self.assertGreaterEqual(r.outstanding_cents, 0)
