"""The receipt verification pages: who reaches what, recording answers (append-only, the latest in force,
a refused post changes nothing), and the results page's numbers and downloads."""

import csv
import io
import re

from django.test import TestCase
from django.urls import reverse
from django.utils.html import strip_tags

from pcn.accounts.models import Role
from pcn.receipts.models import Answer, ReceiptAnswer, ReceiptSample, SampledHousehold
from pcn.receipts.services import receipt_answer_record, receipt_sample_draw
from pcn.receipts.tests.factories import receipt_world
from pcn.testing import make_user


def words(response) -> str:
    """The text of the page as a person reads it (links' addresses kept apart, in `hrefs`)."""
    return " ".join(strip_tags(response.content.decode()).split()).replace("&#x27;", "'").replace("&quot;", '"')


def hrefs(response) -> set[str]:
    return set(re.findall(r'href="([^"]*)"', response.content.decode()))


class ReceiptPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = receipt_world()
        cls.other = receipt_world("Charlevoix")
        cls.sample = receipt_sample_draw(season=cls.w["season"], per_partner=10, label="Mi-saison",
                                         by=cls.w["coordinator"])
        cls.mine = list(cls.sample.households.filter(partner=cls.w["partner"]).select_related("household"))
        cls.theirs = list(cls.sample.households.filter(partner=cls.w["partner_b"]).select_related("household"))
        cls.analyst = make_user("analyste", role=Role.NETWORK_ANALYST, network=cls.w["network"])

    def list_url(self, partner=None, sample=None):
        return reverse("receipt_stratum_households",
                       args=[(sample or self.sample).pk, (partner or self.w["partner"]).pk])

    def results_url(self):
        return reverse("receipt_sample_results", args=[self.sample.pk])

    def answer(self, sampled, value, note="", by=None):
        return receipt_answer_record(sampled=sampled, answer=value, note=note, by=by or self.w["worker_a"])

    # Access

    def test_a_worker_sees_only_their_partners_households(self):
        self.client.force_login(self.w["worker_a"])
        page = words(self.client.get(self.list_url()))
        for s in self.mine:
            self.assertIn(s.household.display_code, page)
        for s in self.theirs:
            self.assertNotIn(s.household.display_code, page)
        self.assertEqual(self.client.get(self.list_url(self.w["partner_b"])).status_code, 404)

    def test_a_worker_of_another_partner_gets_404_and_cannot_answer(self):
        self.client.force_login(self.w["worker_b"])
        response = self.client.post(self.list_url(), {"sampled": self.mine[0].pk, "answer": Answer.RECEIVED})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(ReceiptAnswer.objects.exists())

    def test_a_household_of_another_partner_cannot_be_answered_through_ones_own_list(self):
        self.client.force_login(self.w["worker_b"])
        response = self.client.post(self.list_url(self.w["partner_b"]),
                                    {"sampled": self.mine[0].pk, "answer": Answer.RECEIVED})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(ReceiptAnswer.objects.exists())

    def test_people_of_another_program_get_404_everywhere(self):
        outsiders = [self.other["coordinator"], self.other["worker_a"], self.other["treasurer"]]
        urls = [reverse("season_receipts", args=[self.w["season"].pk]), self.results_url(), self.list_url(),
                self.results_url() + "?download=csv"]
        for user in outsiders:
            self.client.force_login(user)
            for url in urls:
                self.assertEqual(self.client.get(url).status_code, 404, (user, url))
                self.assertEqual(self.client.post(url, {"sampled": self.mine[0].pk, "answer": "received",
                                                        "how": "count", "number": 3}).status_code, 404, (user, url))
        self.assertEqual(ReceiptSample.objects.count(), 1)
        self.assertFalse(ReceiptAnswer.objects.exists())

    def test_results_are_for_the_programs_staff_not_for_workers_vendors_or_researchers(self):
        for user in (self.w["coordinator"], self.w["treasurer"], self.analyst):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.results_url()).status_code, 200, user)
        for user in (self.w["worker_a"], make_user("chercheuse", role=Role.RESEARCHER, program=self.w["program"])):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.results_url()).status_code, 404, user)

    def test_the_results_name_no_household(self):
        self.client.force_login(self.w["treasurer"])
        page = words(self.client.get(self.results_url()))
        for s in self.mine + self.theirs:
            self.assertNotIn(s.household.display_code, page)
        # The treasurer reads the results but not the lists of households.
        self.assertEqual(self.client.get(self.list_url()).status_code, 404)

    # Drawing from the page

    def test_the_coordination_draws_from_the_season_page(self):
        self.client.force_login(self.w["coordinator"])
        url = reverse("season_receipts", args=[self.w["season"].pk])
        self.assertIn("Tirer au hasard", words(self.client.get(url)))
        response = self.client.post(url, {"label": "Fin de saison", "how": "percent", "number": "50"}, follow=True)
        sample = ReceiptSample.objects.get(label="Fin de saison")
        self.assertEqual(sample.percent, 50)
        self.assertRedirects(response, reverse("receipt_sample_results", args=[sample.pk]))
        self.assertIn("Tirage fait : 8 ménages à joindre.", words(response))  # 6 of 12 and 2 of 4

    def test_a_refused_draw_says_what_to_do_and_draws_nothing(self):
        self.client.force_login(self.w["coordinator"])
        url = reverse("season_receipts", args=[self.w["season"].pk])
        response = self.client.post(url, {"how": "percent", "number": "150"})
        self.assertIn("Un pourcentage va de 1 à 100.", words(response))
        self.assertEqual(ReceiptSample.objects.count(), 1)

    def test_workers_and_treasurers_cannot_draw(self):
        url = reverse("season_receipts", args=[self.w["season"].pk])
        for user in (self.w["worker_a"], self.w["treasurer"]):
            self.client.force_login(user)
            page = self.client.get(url)
            self.assertEqual(page.status_code, 200)
            self.assertNotIn("Tirer au hasard", words(page))
            self.assertEqual(self.client.post(url, {"how": "count", "number": "3"}).status_code, 404)
        self.assertEqual(ReceiptSample.objects.count(), 1)

    def test_the_season_page_sends_a_worker_to_their_own_list(self):
        self.client.force_login(self.w["worker_a"])
        response = self.client.get(reverse("season_receipts", args=[self.w["season"].pk]))
        page = words(response)
        self.assertIn(self.list_url(), hrefs(response))
        self.assertIn("10 ménages à joindre", page)
        self.assertNotIn(self.w["partner_b"].name, page)
        self.assertNotIn(self.results_url(), hrefs(response))

    # Recording answers

    def test_a_worker_records_an_answer_with_one_tap(self):
        self.client.force_login(self.w["worker_a"])
        sampled = self.mine[0]
        response = self.client.post(self.list_url(), {"sampled": sampled.pk, "answer": Answer.RECEIVED, "note": ""})
        self.assertRedirects(response, self.list_url() + f"#m{sampled.pk}", fetch_redirect_response=False)
        row = ReceiptAnswer.objects.get()
        self.assertEqual((row.sampled, row.answer, row.recorded_by), (sampled, Answer.RECEIVED, self.w["worker_a"]))
        page = words(self.client.get(self.list_url()))
        self.assertIn(f"{sampled.household.display_code} : « Reçu » est noté.", page)
        self.assertIn("9 ménages à joindre", page)

    def test_answers_are_appended_and_the_latest_is_in_force(self):
        sampled = self.mine[0]
        self.answer(sampled, Answer.UNREACHABLE, note="Appelé deux fois")
        self.answer(sampled, Answer.RECEIVED)
        self.answer(sampled, Answer.NOT_RECEIVED, by=self.w["coordinator"])
        self.assertEqual(list(sampled.answers.values_list("answer", flat=True)),
                         [Answer.UNREACHABLE, Answer.RECEIVED, Answer.NOT_RECEIVED])
        self.client.force_login(self.w["treasurer"])
        results = self.client.get(self.results_url()).context["results"]
        row = next(r for r in results.rows if r.partner == self.w["partner"])
        self.assertEqual((row.received, row.not_received, row.unreachable), (0, 1, 0))

    def test_the_same_answer_sent_twice_is_written_once(self):
        self.client.force_login(self.w["worker_a"])
        data = {"sampled": self.mine[0].pk, "answer": Answer.NOT_RECEIVED, "note": "Coupons perdus"}
        self.client.post(self.list_url(), data)
        response = self.client.post(self.list_url(), data, follow=True)
        self.assertIn("« Pas reçu » était déjà noté.", words(response))
        self.assertEqual(ReceiptAnswer.objects.count(), 1)

    def test_a_refused_answer_changes_nothing_and_says_why(self):
        self.client.force_login(self.w["worker_a"])
        sampled = self.mine[0]
        self.answer(sampled, Answer.RECEIVED)
        for data, message in (
            ({"answer": "maybe"}, "Choisissez une réponse : Reçu, Pas reçu ou Injoignable."),
            ({"answer": Answer.NOT_RECEIVED, "note": "rappeler au 418 555-1234"}, "Pas de courriel ni de numéro"),
            ({"answer": Answer.NOT_RECEIVED, "note": "écrire à marie@example.org"}, "Pas de courriel ni de numéro"),
        ):
            response = self.client.post(self.list_url(), {"sampled": sampled.pk, **data})
            self.assertEqual(response.status_code, 200)
            self.assertIn(message, words(response))
        self.assertEqual(list(ReceiptAnswer.objects.values_list("answer", flat=True)), [Answer.RECEIVED])
        self.assertEqual(SampledHousehold.objects.count(), 14)
        self.assertEqual(ReceiptSample.objects.count(), 1)

    def test_a_post_for_a_household_not_in_the_sample_is_404(self):
        self.client.force_login(self.w["worker_a"])
        other_sampled = receipt_sample_draw(season=self.other["season"], per_partner=2,
                                            by=self.other["coordinator"]).households.first()
        response = self.client.post(self.list_url(), {"sampled": other_sampled.pk, "answer": Answer.RECEIVED})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(ReceiptAnswer.objects.exists())

    # Results

    def test_the_results_page_counts_and_rates(self):
        # Partner A (10 drawn of 12): 7 received, 1 not, 1 unreachable, 1 not yet asked.
        for s, value in zip(self.mine, [Answer.RECEIVED] * 7 + [Answer.NOT_RECEIVED, Answer.UNREACHABLE]):
            self.answer(s, value)
        # Partner B (all 4): 3 received, 1 not received then corrected to received... and back to not received.
        for s in self.theirs[:3]:
            self.answer(s, Answer.RECEIVED, by=self.w["worker_b"])
        self.answer(self.theirs[3], Answer.RECEIVED, by=self.w["worker_b"])
        self.answer(self.theirs[3], Answer.NOT_RECEIVED, by=self.w["worker_b"])

        self.client.force_login(self.w["coordinator"])
        response = self.client.get(self.results_url())
        results = response.context["results"]
        a, b = (next(r for r in results.rows if r.partner == p) for p in (self.w["partner"], self.w["partner_b"]))
        self.assertEqual((a.eligible, a.sampled, a.answered, a.received, a.not_received, a.unreachable, a.pending),
                         (12, 10, 9, 7, 1, 1, 1))
        self.assertEqual((b.eligible, b.sampled, b.answered, b.received, b.not_received, b.unreachable, b.pending),
                         (4, 4, 4, 3, 1, 0, 0))
        t = results.total
        self.assertEqual((t.eligible, t.sampled, t.answered, t.received, t.not_received, t.unreachable, t.pending),
                         (16, 14, 13, 10, 2, 1, 1))
        self.assertEqual(str(a.rate.rate_percent), "87.5")  # 7 / 8
        self.assertEqual((b.rate.low, b.rate.high), (0.75, 0.75))  # every household of B answered: exact
        page = words(response)
        self.assertIn("88 % ± ", page)
        self.assertIn("exact : tous les ménages ont répondu", page)
        self.assertIn("« Cuisine collective Portneuf » n'avait que 4 ménages qui ont reçu des coupons : ils sont "
                      "tous tirés.", page)
        self.assertIn("on peut être sûr à 95 % que le vrai taux est entre", page)

    def test_no_answer_shows_no_rate(self):
        self.client.force_login(self.w["coordinator"])
        response = self.client.get(self.results_url())
        self.assertIsNone(response.context["results"].total.rate)
        self.assertIn("pas encore de réponse", words(response))

    def test_the_results_download_as_csv_and_xlsx(self):
        self.answer(self.mine[0], Answer.RECEIVED)
        self.answer(self.mine[1], Answer.NOT_RECEIVED)
        self.client.force_login(self.w["treasurer"])
        response = self.client.get(self.results_url() + "?download=csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        header = lines.index(next(line for line in lines if line and line[0] == "Organisme"))
        rows = {line[0]: line for line in lines[header + 1:]}
        self.assertEqual(rows["Entraide Portneuf"][1:9], ["12", "10", "2", "1", "1", "0", "8", "50.0"])
        self.assertEqual(rows["Cuisine collective Portneuf"][8], "")  # no rate yet
        self.assertEqual(rows["Tous les organismes"][1:4], ["16", "14", "2"])
        xlsx = self.client.get(self.results_url() + "?download=xlsx")
        self.assertTrue(xlsx.content.startswith(b"PK"))
        self.assertIn(".xlsx", xlsx["Content-Disposition"])
        self.assertEqual(self.client.get(self.results_url() + "?download=pdf").status_code, 404)

    def test_a_partners_samples_with_households_left_to_ask_for_its_home_page(self):
        from pcn.receipts.selectors import partner_strata_to_ask

        [stratum] = partner_strata_to_ask(self.w["partner"])
        self.assertEqual((stratum.sample, stratum.pending), (self.sample, 10))
        for s in self.theirs:
            self.answer(s, Answer.UNREACHABLE, by=self.w["worker_b"])
        self.assertEqual(partner_strata_to_ask(self.w["partner_b"]), [])
