"""Drawing a sample: only households that were given coupons, so many per partner, all of them when a
partner has fewer, random from draw to draw, and the same households again from the recorded seed."""

import random

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import timezone

from pcn.households.models import Household
from pcn.receipts.models import ReceiptSample, SampledHousehold, SampleStratum
from pcn.receipts.services import draw_partner, eligible_households, receipt_sample_draw
from pcn.receipts.tests.factories import receipt_world
from pcn.testing import make_world


class DrawTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = receipt_world()
        cls.season = cls.w["season"]

    def draw(self, **kwargs):
        kwargs.setdefault("per_partner", 10)
        return receipt_sample_draw(season=self.season, by=self.w["coordinator"], **kwargs)

    def drawn(self, sample, partner) -> set[int]:
        return set(sample.households.filter(partner=partner).values_list("household_id", flat=True))

    def test_only_households_given_coupons_on_paper_or_on_a_card_are_eligible(self):
        eligible = set(eligible_households(self.season).values_list("pk", flat=True))
        self.assertEqual(eligible, self.w["eligible_a"] | self.w["eligible_b"])
        for left_out in ("unserved_a", "missed_a", "waiting_a"):
            self.assertNotIn(self.w[left_out].pk, eligible)

    def test_it_draws_the_number_asked_per_partner_among_eligible_households(self):
        sample = self.draw(per_partner=10, label="Mi-saison")
        drawn_a = self.drawn(sample, self.w["partner"])
        self.assertEqual(len(drawn_a), 10)
        self.assertLessEqual(drawn_a, self.w["eligible_a"])  # 12 eligible: 10 of them
        stratum = sample.strata.get(partner=self.w["partner"])
        self.assertEqual((stratum.eligible, stratum.asked, stratum.drawn, stratum.took_all), (12, 10, 10, False))
        self.assertEqual(sample.label, "Mi-saison")
        self.assertEqual(sample.program, self.w["program"])

    def test_a_partner_with_fewer_households_than_asked_gives_all_of_them_and_says_so(self):
        sample = self.draw(per_partner=10)
        self.assertEqual(self.drawn(sample, self.w["partner_b"]), self.w["eligible_b"])
        stratum = sample.strata.get(partner=self.w["partner_b"])
        self.assertEqual((stratum.eligible, stratum.asked, stratum.drawn, stratum.took_all), (4, 10, 4, True))

    def test_a_percentage_is_rounded_up_per_partner(self):
        sample = self.draw(per_partner=None, percent=30)
        strata = {s.partner_id: s for s in sample.strata.all()}
        self.assertEqual(strata[self.w["partner"].pk].drawn, 4)  # 30 % of 12 = 3.6
        self.assertEqual(strata[self.w["partner_b"].pk].drawn, 2)  # 30 % of 4 = 1.2
        self.assertEqual(sample.households.count(), 6)

    def test_two_draws_differ_and_several_samples_per_season_are_kept(self):
        first, second = self.draw(per_partner=3), self.draw(per_partner=3)
        self.assertNotEqual(first.seed, second.seed)
        # With 12 households, two draws of 3 agree by chance once in C(12, 3) = 220; try a few more.
        draws = [self.drawn(first, self.w["partner"])] + [
            self.drawn(self.draw(per_partner=3), self.w["partner"]) for _ in range(3)
        ]
        self.assertGreater(len({frozenset(d) for d in draws}), 1)
        self.assertEqual(ReceiptSample.objects.filter(season=self.season).count(), 5)

    def test_the_recorded_seed_gives_the_same_households_again(self):
        sample = self.draw(per_partner=5)
        again = self.draw(per_partner=5, seed=sample.seed)
        for partner in (self.w["partner"], self.w["partner_b"]):
            self.assertEqual(self.drawn(sample, partner), self.drawn(again, partner))
        # ... and anyone can redo it by hand from the seed and the eligible households (services docstring).
        ids = sorted(self.w["eligible_a"])
        by_hand = random.Random(f"{sample.seed}:{self.w['partner'].pk}").sample(ids, 5)
        self.assertEqual(set(by_hand), self.drawn(sample, self.w["partner"]))
        self.assertEqual(draw_partner(sample.seed, self.w["partner"].pk, list(reversed(ids)), 5), by_hand)

    def test_the_draw_is_uniform(self):
        """Each of 12 households comes out about 10/12 of the time over many seeds."""
        ids = list(range(1, 13))
        counts = dict.fromkeys(ids, 0)
        for seed in range(3000):
            for pk in draw_partner(seed, 7, ids, 10):
                counts[pk] += 1
        for pk, n in counts.items():
            self.assertAlmostEqual(n / 3000, 10 / 12, delta=0.04, msg=pk)

    def test_nothing_to_draw_before_any_distribution_is_refused(self):
        other = make_world("Charlevoix")
        with self.assertRaises(ValidationError) as refused:
            receipt_sample_draw(season=other["season"], per_partner=10, by=self.w["coordinator"])
        self.assertIn("Aucun ménage n'a encore reçu de coupons", " ".join(refused.exception.messages))
        self.assertFalse(ReceiptSample.objects.exists())

    def test_bad_counts_are_refused_and_nothing_is_written(self):
        for kwargs in ({"per_partner": 0}, {"per_partner": 501}, {"per_partner": None, "percent": 101},
                       {"per_partner": 5, "percent": 5}, {"per_partner": None}):
            with self.assertRaises(ValidationError, msg=kwargs):
                self.draw(**kwargs)
        self.assertFalse(ReceiptSample.objects.exists())
        self.assertFalse(SampledHousehold.objects.exists())

    def test_anonymized_households_are_not_drawn(self):
        Household.objects.filter(pk__in=self.w["eligible_b"]).update(anonymized_at=timezone.now())
        sample = self.draw(per_partner=10)
        self.assertEqual(self.drawn(sample, self.w["partner_b"]), set())
        self.assertEqual(sample.strata.get(partner=self.w["partner_b"]).eligible, 0)

    def test_a_household_appears_once_per_sample(self):
        sample = self.draw(per_partner=2)
        row = sample.households.first()
        with self.assertRaises(IntegrityError), transaction.atomic():
            SampledHousehold.objects.create(sample=sample, stratum=row.stratum, household=row.household,
                                            partner=row.partner)

    def test_a_stratum_draws_what_was_asked_or_all(self):
        sample = self.draw(per_partner=2)
        with self.assertRaises(IntegrityError), transaction.atomic():
            SampleStratum.objects.filter(sample=sample, partner=self.w["partner"]).update(drawn=3)
