"""What a reviewer found on the results: the « Tous les organismes » rate weighs each partner by its
households (not by its answers), « exact » only when every household answered, and a household anonymized
after the draw is nobody's to call any more."""

import csv
import io

from django.template.loader import render_to_string
from django.test import TestCase
from django.urls import reverse

from pcn.households.services import household_anonymize
from pcn.receipts import selectors
from pcn.receipts.models import Answer, ReceiptAnswer
from pcn.receipts.services import receipt_answer_record, receipt_sample_draw
from pcn.receipts.stats import confirmed_rate
from pcn.receipts.tests.factories import receipt_world
from pcn.receipts.tests.test_pages import words


class AllPartnersRateTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        # A: 31 households given coupons (30 on paper, 1 on a card); B: 4. Four drawn per partner: 4 of A's 31,
        # all of B's 4.
        cls.w = receipt_world(paper_a=30, paper_b=4)
        cls.sample = receipt_sample_draw(season=cls.w["season"], by=cls.w["coordinator"], per_partner=4, seed=7)
        cls.mine = list(cls.sample.households.filter(partner=cls.w["partner"]))
        cls.theirs = list(cls.sample.households.filter(partner=cls.w["partner_b"]))

    def results(self):
        self.client.force_login(self.w["coordinator"])
        return self.client.get(reverse("receipt_sample_results", args=[self.sample.pk]))

    def test_each_partner_weighs_by_its_households_not_by_its_answers(self):
        for s in self.mine:
            receipt_answer_record(sampled=s, answer=Answer.RECEIVED, by=self.w["worker_a"])
        for s in self.theirs:
            receipt_answer_record(sampled=s, answer=Answer.NOT_RECEIVED, by=self.w["worker_b"])
        response = self.results()
        total = response.context["results"].total
        self.assertEqual((total.eligible, total.received, total.not_received), (35, 4, 4))
        # Pooling the 8 answers would say 50 %; A's 31 households at 100 % and B's 4 at 0 % make 31/35.
        self.assertEqual(str(total.rate.rate_percent), "88.6")
        self.assertTrue(total.rate.low <= 31 / 35 <= total.rate.high)
        page = words(response)
        headline = page[page.index("Taux confirmé, tous les organismes"):page.index("Organisme Ménages tirés")]
        self.assertIn("89 % ± 0 points", headline)
        self.assertIn("de 89 % à 89 %", headline)
        self.assertNotIn("exact", headline)
        self.assertIn("Chaque organisme y pèse selon son nombre de ménages qui ont reçu des coupons.", headline)
        # A's four answers were all « received »: the page says the interval is too narrow because of it.
        self.assertIn(f"Chez {self.w['partner'].name}, tous les ménages joints ont donné la même réponse", headline)
        self.assertNotIn(self.w["partner_b"].name, headline)  # B answered in full: its 0 % is known
        # B's own line: every one of its households answered, so its rate is exact.
        self.assertEqual(page.count("exact : tous les ménages ont répondu"), 1)
        table = list(csv.reader(io.StringIO(
            self.client.get(reverse("receipt_sample_results", args=[self.sample.pk]) + "?download=csv")
            .content.decode("utf-8-sig"))))
        self.assertEqual(next(line for line in table if line and line[0] == "Tous les organismes")[8], "88.6")

    def test_a_partner_without_answers_is_left_out_and_named(self):
        receipt_answer_record(sampled=self.mine[0], answer=Answer.RECEIVED, by=self.w["worker_a"])
        receipt_answer_record(sampled=self.mine[1], answer=Answer.NOT_RECEIVED, by=self.w["worker_a"])
        receipt_answer_record(sampled=self.theirs[0], answer=Answer.UNREACHABLE, by=self.w["worker_b"])
        response = self.results()
        total = response.context["results"].total
        self.assertEqual(total.left_out, [self.w["partner_b"]])
        self.assertEqual(total.rate.rate, 0.5)  # A alone
        self.assertEqual(total.rate.population, 31)
        self.assertIn(f"Pas compté, faute de réponse : {self.w['partner_b'].name}.", words(response))


class ExactTest(TestCase):
    def test_exact_only_when_every_household_answered(self):
        # 100 answers, all « received », among 101 households: the margin rounds to 0.0 points, yet one
        # household was not asked.
        almost = render_to_string("receipts/_rate.html", {"rate": confirmed_rate(100, 0, population=101)})
        self.assertNotIn("exact", almost)
        self.assertIn("± 0 points", almost)
        every = render_to_string("receipts/_rate.html", {"rate": confirmed_rate(100, 1, population=101)})
        self.assertIn("exact : tous les ménages ont répondu", every)
        self.assertNotIn("±", every)


class AnonymizedAfterTheDrawTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = receipt_world()
        cls.sample = receipt_sample_draw(season=cls.w["season"], by=cls.w["coordinator"], per_partner=50, seed=3)
        cls.mine = list(cls.sample.households.filter(partner=cls.w["partner"]).select_related("household")
                        .order_by("household__code"))
        cls.list_url = reverse("receipt_stratum_households", args=[cls.sample.pk, cls.w["partner"].pk])

    def test_nobody_is_asked_to_call_them_and_earlier_answers_still_count(self):
        answered, silent = self.mine[0], self.mine[1]
        receipt_answer_record(sampled=answered, answer=Answer.NOT_RECEIVED, by=self.w["worker_a"])
        for s in (answered, silent):
            household_anonymize(household=s.household, by=self.w["coordinator"])
        self.client.force_login(self.w["worker_a"])
        page = words(self.client.get(self.list_url))
        self.assertNotIn(silent.household.display_code, page)
        self.assertNotIn(answered.household.display_code, page)
        self.assertIn("10 ménages à joindre sur 10", page)  # 12 drawn, 2 anonymized since
        self.assertIn("10 ménages à joindre", words(self.client.get(reverse("season_receipts",
                                                                            args=[self.w["season"].pk]))))
        [stratum] = selectors.partner_strata_to_ask(self.w["partner"])
        self.assertEqual(stratum.pending, 10)
        # The results: the answer given before stays counted; the silent one is not pending.
        self.client.force_login(self.w["coordinator"])
        response = self.client.get(reverse("receipt_sample_results", args=[self.sample.pk]))
        row = next(r for r in response.context["results"].rows if r.partner == self.w["partner"])
        self.assertEqual((row.sampled, row.not_received, row.withdrawn, row.pending), (12, 1, 1, 10))
        self.assertIn("1 ménage tiré a demandé l'anonymisation depuis : personne ne le joindra.", words(response))

    def test_a_late_answer_for_them_is_refused_and_changes_nothing(self):
        sampled = self.mine[0]
        household_anonymize(household=sampled.household, by=self.w["coordinator"])
        self.client.force_login(self.w["worker_a"])
        response = self.client.post(self.list_url, {"sampled": sampled.pk, "answer": Answer.RECEIVED})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Ce ménage a demandé l'anonymisation depuis le tirage : ne le joignez pas", words(response))
        self.assertFalse(ReceiptAnswer.objects.exists())
