"""The market manager's entry: each code checked at once (nothing recorded), the stack previewed without
JavaScript, saved once however many times it is sent, counts by value, and who may open it."""

import datetime
import html
import json
import re

from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from pcn.accounts.models import Role
from pcn.coupons.models import Coupon, CouponStatus
from pcn.coupons.tests.factories import issue
from pcn.markets.models import Market, SalePoint, Vendor
from pcn.programs.models import Denomination, Season
from pcn.redemptions import selectors, services
from pcn.redemptions.models import Outcome, Reason, Redemption, RedemptionCount, Source
from pcn.redemptions.tests.factories import nonce, running_world
from pcn.testing import make_user

UNKNOWN = "0000-0000-0000"  # well formed (its check symbol is right), but no coupon has it
MISTYPED = "K7M2-9XQ4-PD3B"  # the check symbol is wrong


def hidden_lines(response) -> list[tuple[str, str]]:
    """The (code, line key) pairs of the preview's confirm form, as a browser would send them back."""
    html = response.content.decode()
    codes = re.findall(r'<input type="hidden" name="code" value="([^"]*)">', html)
    keys = re.findall(r'<input type="hidden" name="line" value="([^"]*)">', html)
    return list(zip(codes, keys))


def sent_lines(response) -> dict:
    """What a page shown again after a refused save gives its script to rebuild the stack."""
    page = response.content.decode()
    found = re.search(r'<script id="sent-lines" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1)) if found else {}


def box(response) -> list[str]:
    """The lines of the box of codes (the page without JavaScript)."""
    found = re.search(r'<textarea name="codes"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)
    return html.unescape(found.group(1)).split() if found else []


class MarketEntryTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = running_world()
        cls.market = cls.w["market"]
        cls.manager = make_user("gestion-portneuf", role=Role.MARKET_MANAGER, program=cls.w["program"],
                                market=cls.market)
        cls.entry = reverse("market_entry", args=[cls.market.pk])
        cls.check = reverse("market_entry_check", args=[cls.market.pk])

    def setUp(self):
        self.client.force_login(self.manager)

    def check_code(self, code, vendor=None):
        response = self.client.post(self.check, {"vendor": (vendor or self.w["vendor"]).pk, "code": code})
        self.assertEqual(response.status_code, 200)
        return response.json()

    def preview(self, *codes, vendor=None):
        return self.client.post(self.entry, {"vendor": (vendor or self.w["vendor"]).pk, "stack": "stackkey01",
                                             "codes": "\n".join(codes), "action": "preview"})

    def save(self, pairs, stack="stackkey01"):
        return self.client.post(self.entry, {"vendor": self.w["vendor"].pk, "stack": stack, "action": "save",
                                             "code": [c for c, _k in pairs], "line": [k for _c, k in pairs]})

    # The page

    def test_the_page_offers_the_vendors_who_sell_at_the_market_and_names_the_season(self):
        elsewhere = Market.objects.create(program=self.w["program"], name="Marché voisin", municipality="Donnacona")
        point = SalePoint.objects.create(market=elsewhere, name="Quai", kind="market", address="2 rue du Quai")
        other = Vendor.objects.create(program=self.w["program"], business_name="Boulangerie du Quai",
                                      kind="processor", categories=["bread"])
        other.sale_points.add(point)
        response = self.client.get(self.entry)
        self.assertContains(response, "<h1>Saisir les coupons d'un marchand</h1>")
        self.assertContains(response, self.w["vendor"].business_name)
        self.assertNotContains(response, "Boulangerie du Quai")
        self.assertContains(response, "Saison Été 2026")
        self.assertContains(response, 'name="codes"')  # the box that works without JavaScript
        self.assertContains(response, "redemptions/market_entry.js")

    def test_a_vendor_not_authorized_for_the_season_is_marked_in_the_list_and_refused(self):
        newcomer = Vendor.objects.create(program=self.w["program"], business_name="Ferme Nouvelle", kind="producer",
                                         categories=["vegetables"])
        newcomer.sale_points.add(self.w["sale_point"])
        self.assertContains(self.client.get(self.entry), "Ferme Nouvelle (pas autorisé pour la saison)")
        self.assertContains(self.client.get(self.entry, {"vendor": newcomer.pk}), "data-unauthorized-notice >")
        self.assertContains(self.client.get(self.entry, {"vendor": self.w["vendor"].pk}),
                            "data-unauthorized-notice hidden>")
        result = self.check_code(self.w["codes"][0], vendor=newcomer)
        self.assertEqual((result["tone"], result["reason"]), ("refused", Reason.VENDOR_NOT_AUTHORIZED))
        self.assertIn("n'est pas autorisé pour cette saison", result["message"])

    # Each rule, as the check shows it (nothing recorded)

    def test_a_coupon_in_circulation_is_shown_accepted_and_nothing_is_recorded(self):
        result = self.check_code(self.w["codes"][0].lower())
        self.assertEqual((result["tone"], result["outcome"], result["value_cents"]), ("ok", Outcome.ACCEPTED, 500))
        self.assertEqual(result["message"], "Accepté : 5,00\u00a0$ (Fruits et légumes).")
        self.assertEqual(result["code"], "-".join(re.findall("....", self.w["codes"][0])))
        self.assertFalse(Redemption.objects.exists())
        self.assertEqual(Coupon.objects.get(code=self.w["codes"][0]).status, CouponStatus.SOLD)

    def test_a_coupon_already_redeemed_says_when_and_at_which_market(self):
        services.redemption_record(vendor=self.w["vendor"], code=self.w["codes"][1], nonce=nonce(),
                                   source=Source.STALL, by=self.w["vendor_user"])
        result = self.check_code(self.w["codes"][1])
        self.assertEqual((result["tone"], result["reason"], result["value_cents"]),
                         ("refused", Reason.ALREADY_REDEEMED, 0))
        self.assertIn("Ce coupon a déjà été échangé le", result["message"])
        self.assertIn(f"({self.market.name})", result["message"])
        self.assertIn("Rendez-le", result["message"])

    def test_an_unknown_code_and_a_mistyped_code_say_what_to_do(self):
        unknown = self.check_code(UNKNOWN)
        self.assertEqual((unknown["tone"], unknown["reason"]), ("refused", Reason.UNKNOWN))
        self.assertIn("Ce code n'existe pas. Vérifiez-le", unknown["message"])
        mistyped = self.check_code(MISTYPED)
        self.assertEqual((mistyped["tone"], mistyped["reason"], mistyped["code"]),
                         ("refused", Reason.FORMAT, MISTYPED))
        self.assertIn("Ce code est mal écrit", mistyped["message"])

    def test_a_scanned_qr_gives_the_coupons_address_and_is_read_as_its_code(self):
        result = self.check_code(f"https://coupons.example.org/c/{self.w['codes'][2]}")
        self.assertEqual((result["tone"], result["value_cents"]), ("ok", 500))

    def test_a_coupon_never_handed_out_is_accepted_and_flagged_in_orange_when_the_program_allows_it(self):
        Season.objects.filter(pk=self.w["season"].pk).update(accept_unissued=True)
        stock = issue(self.w, count=1).coupons.get()
        result = self.check_code(stock.code)
        self.assertEqual((result["tone"], result["outcome"]), ("review", Outcome.ACCEPTED))
        self.assertIn("Signalé à la coordination", result["message"])

    def test_the_check_asks_for_the_vendor_first(self):
        response = self.client.post(self.check, {"vendor": "", "code": self.w["codes"][0]})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"], "Choisissez d'abord le marchand.")

    def test_the_check_needs_the_pages_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.manager)
        response = client.post(self.check, {"vendor": self.w["vendor"].pk, "code": self.w["codes"][0]})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.get(self.check).status_code, 405)

    def test_the_preview_applies_the_same_rules_as_recording(self):
        other = running_world("Autre")
        services.redemption_record(vendor=self.w["vendor"], code=self.w["codes"][3], nonce=nonce(),
                                   source=Source.STALL, by=self.w["vendor_user"])
        for code in (self.w["codes"][4], self.w["codes"][3], UNKNOWN, MISTYPED, other["codes"][0]):
            preview = selectors.redemption_preview(vendor=self.w["vendor"], code=code, market=self.market)
            recorded = services.redemption_record(vendor=self.w["vendor"], code=code, nonce=nonce(),
                                                  source=Source.MARKET, by=self.manager, market=self.market)
            self.assertEqual((preview.outcome, preview.reason, preview.value_cents, preview.code),
                             (recorded.outcome, recorded.reason, recorded.value_cents, recorded.code), code)

    # The stack without JavaScript: a box, a preview, then saving

    def test_the_preview_checks_each_line_flags_a_duplicate_and_totals_without_recording(self):
        code = self.w["codes"][0]
        response = self.preview(code, "", "-".join(re.findall("....", code.lower())), self.w["codes"][1], UNKNOWN)
        lines = response.context["lines"]
        self.assertEqual([line.tone for line in lines], ["ok", "refused", "ok", "refused"])
        self.assertEqual(lines[1].duplicate_of, 1)
        self.assertContains(response, "Déjà dans cette pile (ligne 1)")
        self.assertContains(response, "Ce code n&#x27;existe pas")
        totals = response.context["totals"]
        self.assertEqual((totals.count, totals.value_cents, totals.refused), (2, 1000, 2))
        self.assertEqual([(t.value_cents, t.count, t.total_cents) for t in totals.by_denomination], [(500, 2, 1000)])
        self.assertContains(response, "10,00\u00a0$")
        self.assertContains(response, "Enregistrer les 4 lignes")
        self.assertFalse(Redemption.objects.exists())

    def test_an_empty_box_says_what_to_do(self):
        response = self.preview("  ", "")
        self.assertContains(response, "Entrez au moins un code de coupon, un par ligne.")

    def test_saving_records_every_line_refused_ones_included_then_shows_the_summary(self):
        code = self.w["codes"][0]
        pairs = hidden_lines(self.preview(code, code, UNKNOWN))
        self.assertEqual(len(pairs), 3)
        response = self.save(pairs)
        self.assertRedirects(response, f"{reverse('market_entry_saved', args=[self.market.pk])}?stack=stackkey01")
        rows = list(Redemption.objects.order_by("pk"))
        self.assertEqual([(r.outcome, r.reason) for r in rows],
                         [(Outcome.ACCEPTED, ""), (Outcome.REFUSED, Reason.ALREADY_REDEEMED),
                          (Outcome.REFUSED, Reason.UNKNOWN)])
        self.assertTrue(all(r.source == Source.MARKET and r.market == self.market and r.recorded_by == self.manager
                            for r in rows))
        self.assertEqual(Coupon.objects.get(code=code).status, CouponStatus.REDEEMED)
        summary = self.client.get(response["Location"])
        self.assertContains(summary, "Pile enregistrée")
        self.assertContains(summary, "1 coupon accepté")
        self.assertContains(summary, "5,00\u00a0$")
        self.assertContains(summary, "2 coupons refusés")
        self.assertContains(summary, "Ce code n&#x27;existe pas")
        self.assertContains(summary, "Ce coupon a déjà été échangé le")
        self.assertContains(summary, self.w["vendor"].business_name)

    def test_sending_the_same_stack_twice_records_it_once(self):
        pairs = [(self.w["codes"][5], "a1"), (self.w["codes"][6], "a2"), (UNKNOWN, "a3")]
        first = self.save(pairs)
        second = self.save(pairs)
        self.assertEqual(first["Location"], second["Location"])
        self.assertEqual(Redemption.objects.count(), 3)
        self.assertEqual(Redemption.objects.accepted().count(), 2)
        summary = self.client.get(second["Location"])
        self.assertEqual((summary.context["totals"].count, summary.context["totals"].value_cents), (2, 1000))

    def test_a_page_that_lost_its_lines_or_its_key_is_refused_without_recording(self):
        response = self.client.post(self.entry, {"vendor": self.w["vendor"].pk, "stack": "stackkey01",
                                                 "action": "save", "code": [self.w["codes"][0]], "line": []})
        self.assertContains(response, "Rechargez-la et entrez les coupons de nouveau.")
        response = self.save([(self.w["codes"][0], "a1")], stack="no")
        self.assertContains(response, "Rechargez-la et entrez les coupons de nouveau.")
        self.assertFalse(Redemption.objects.exists())

    # A refused save loses nothing

    def test_a_save_refused_for_want_of_a_vendor_shows_every_line_again_then_records_them_once(self):
        qr = f"https://coupons.example.org/c/{self.w['codes'][0]}"
        pairs = [(qr, "k1"), (self.w["codes"][1], "k2"), (UNKNOWN, "k3")]
        response = self.client.post(self.entry, {"vendor": "", "stack": "stackkey01", "action": "save",
                                                 "code": [c for c, _k in pairs], "line": [k for _c, k in pairs]})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choisissez le marchand à qui sont ces coupons.")
        self.assertContains(response, "Rien n'a été enregistré. Les 3 codes envoyés sont toujours là")
        self.assertEqual(box(response), [qr, self.w["codes"][1], UNKNOWN])  # without JavaScript
        self.assertEqual(sent_lines(response), {  # with it: the same lines, each with its key
            "stack": "stackkey01", "lines": [{"typed": c, "key": k} for c, k in pairs],
        })
        self.assertContains(response, '<input type="hidden" name="stack" value="stackkey01"')
        self.assertFalse(Redemption.objects.exists())

        self.save(pairs)  # sent again with the vendor: recorded under the keys the page kept
        self.assertEqual(sorted(Redemption.objects.values_list("nonce", flat=True)),
                         ["stackkey01.k1", "stackkey01.k2", "stackkey01.k3"])

    def test_a_stack_of_301_lines_is_refused_with_every_line_kept_and_what_to_do(self):
        pairs = [(f"code{i:03}", f"k{i}") for i in range(301)]
        response = self.save(pairs)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Une pile compte au plus 300 coupons, et celle-ci en a 301. Retirez-en 1 "
                                      "(gardez-le pour une nouvelle pile), puis enregistrez.")
        self.assertEqual(box(response), [c for c, _k in pairs])
        self.assertEqual([(line["typed"], line["key"]) for line in sent_lines(response)["lines"]], pairs)
        self.assertContains(response, 'data-max-lines="300"')
        self.assertFalse(Redemption.objects.exists())

    def test_a_page_with_a_broken_key_keeps_its_lines_under_a_new_stack_key(self):
        response = self.client.post(self.entry, {"vendor": self.w["vendor"].pk, "stack": "no", "action": "save",
                                                 "code": [self.w["codes"][0], UNKNOWN], "line": ["k1", "k1"]})
        self.assertContains(response, "Rechargez-la et entrez les coupons de nouveau.")
        sent = sent_lines(response)
        self.assertEqual([line["typed"] for line in sent["lines"]], [self.w["codes"][0], UNKNOWN])
        self.assertEqual(sent["lines"][0]["key"], "k1")
        self.assertNotEqual(sent["lines"][1]["key"], "k1")  # a key used twice is replaced
        self.assertRegex(sent["stack"], r"^[A-Za-z0-9_-]{16}$")
        self.assertContains(response, f'<input type="hidden" name="stack" value="{sent["stack"]}"')
        self.assertFalse(Redemption.objects.exists())

    def test_a_page_opened_afresh_has_no_lines_to_bring_back(self):
        response = self.client.get(self.entry)
        self.assertNotContains(response, 'id="sent-lines"')
        self.assertNotContains(response, "Rien n'a été enregistré")
        self.assertEqual(box(response), [])

    def test_a_vendor_written_with_odd_digits_is_refused_plainly_never_with_a_server_error(self):
        for odd in ("²", "١٢", "½", " 1", "1_0", "9" * 30, "-1"):
            response = self.client.post(self.check, {"vendor": odd, "code": self.w["codes"][0]})
            self.assertEqual(response.status_code, 400, odd)
            self.assertEqual(response.json()["error"], "Choisissez d'abord le marchand.")
            self.assertEqual(self.client.get(self.entry, {"vendor": odd}).status_code, 200, odd)
        for odd in ("²", "½", "1_0", "9" * 30, "-1"):
            response = self.client.post(self.entry, {"vendor": odd, "stack": "stackkey01", "action": "save",
                                                     "code": [self.w["codes"][0]], "line": ["k1"]})
            self.assertContains(response, "Ce marchand ne vend pas à ce marché.", msg_prefix=odd)
            self.assertContains(response, "data-unauthorized-notice hidden>")  # no vendor chosen: no warning
            self.assertEqual(box(response), [self.w["codes"][0]])
        self.assertFalse(Redemption.objects.exists())

    def test_the_summary_tells_the_page_which_stack_it_may_forget(self):
        response = self.save([(self.w["codes"][7], "a1")], stack="stackkey77")
        summary = self.client.get(response["Location"])
        self.assertContains(summary, f'data-saved-stack="stackkey77" data-market="{self.market.pk}"')

    def test_a_summary_shows_only_the_stacks_of_the_person_who_saved_them(self):
        response = self.save([(self.w["codes"][7], "a1")])
        coordinator = self.w["coordinator"]
        self.client.force_login(coordinator)
        summary = self.client.get(response["Location"])
        self.assertContains(summary, "Rien à montrer")
        self.assertNotContains(summary, "1 coupon accepté")

    # Counts by value

    def counts_season(self):
        Season.objects.filter(pk=self.w["season"].pk).update(counts_only=True)
        Denomination.objects.create(season=self.w["season"], value_cents=1000)
        Denomination.objects.create(season=self.w["season"], value_cents=225)

    def post_counts(self, **counts):
        data = {"vendor": self.w["vendor"].pk, "day": timezone.localdate().isoformat(), "nonce": "countkey01"}
        data.update({f"n_{cents.removeprefix('n')}": n for cents, n in counts.items()})
        return self.client.post(self.entry, data)

    def test_a_season_that_does_not_read_codes_asks_for_counts_by_value(self):
        self.counts_season()
        response = self.client.get(self.entry)
        self.assertContains(response, "<h1>Compter les coupons d'un marchand</h1>")
        for label in ("Coupons de 2,25\u00a0$", "Coupons de 5,00\u00a0$", "Coupons de 10,00\u00a0$"):
            self.assertContains(response, label)
        self.assertNotContains(response, 'name="codes"')

    def test_counts_are_recorded_to_the_cent_and_once_however_many_times_sent(self):
        self.counts_season()
        first = self.post_counts(n500=7, n1000=3, n225=11)
        second = self.post_counts(n500=7, n1000=3, n225=11)
        self.assertEqual(first["Location"], second["Location"])
        rows = RedemptionCount.objects.order_by("denomination_cents")
        self.assertEqual([(r.denomination_cents, r.count, r.value_cents) for r in rows],
                         [(225, 11, 2475), (500, 7, 3500), (1000, 3, 3000)])
        self.assertEqual(sum(r.value_cents for r in rows), 8975)
        self.assertTrue(all(r.market == self.market and r.vendor == self.w["vendor"] for r in rows))
        summary = self.client.get(first["Location"])
        self.assertContains(summary, "Nombres enregistrés")
        self.assertContains(summary, "89,75\u00a0$")
        self.assertContains(summary, "21 coupons comptés")

    def test_counts_refuse_an_empty_form_a_negative_number_and_a_day_to_come(self):
        self.counts_season()
        self.assertContains(self.post_counts(), "Entrez au moins un nombre de coupons.")
        self.assertContains(self.post_counts(n500=-2), "Un nombre de coupons ne peut pas être négatif.")
        response = self.client.post(self.entry, {
            "vendor": self.w["vendor"].pk, "nonce": "countkey01", "n_500": 2,
            "day": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        })
        self.assertContains(response, "on ne compte pas des coupons à l&#x27;avance")
        self.assertFalse(RedemptionCount.objects.exists())

    # Who may open it, and how to get there

    def test_the_coordination_may_enter_coupons_too(self):
        self.client.force_login(self.w["coordinator"])
        self.assertEqual(self.client.get(self.entry).status_code, 200)
        self.assertEqual(self.check_code(self.w["codes"][0])["tone"], "ok")

    def test_outsiders_get_404_everywhere(self):
        other = running_world("Autre")
        other_market = Market.objects.create(program=self.w["program"], name="Marché voisin", municipality="Cap-Santé")
        outsiders = [
            other["coordinator"],
            make_user("gestion-voisin", role=Role.MARKET_MANAGER, program=self.w["program"], market=other_market),
            self.w["vendor_user"],
            make_user("tresorier", role=Role.TREASURER, program=self.w["program"]),
        ]
        saved = reverse("market_entry_saved", args=[self.market.pk]) + "?stack=stackkey01"
        for user in outsiders:
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.entry).status_code, 404, user)
            self.assertEqual(self.client.get(saved).status_code, 404, user)
            self.assertEqual(self.client.post(self.check, {"vendor": self.w["vendor"].pk,
                                                           "code": self.w["codes"][0]}).status_code, 404, user)
            self.assertEqual(self.save([(self.w["codes"][0], "a1")]).status_code, 404, user)
        self.assertFalse(Redemption.objects.exists())
        self.client.logout()
        response = self.client.get(self.entry)
        self.assertRedirects(response, f"{reverse('login')}?next={self.entry}", fetch_redirect_response=False)

    def test_the_managers_home_and_the_market_page_lead_to_the_entry(self):
        self.assertContains(self.client.get(reverse("home")), f'href="{self.entry}"')
        self.assertContains(self.client.get(reverse("market_detail", args=[self.market.pk])), f'href="{self.entry}"')
        self.client.force_login(make_user("tresorier", role=Role.TREASURER, program=self.w["program"]))
        self.assertNotContains(self.client.get(reverse("market_detail", args=[self.market.pk])), self.entry)

    def test_with_javascript_the_page_sends_lines_it_checked_and_they_are_recorded(self):
        # What market_entry.js sends: the stack key, and each line's code and key (no box of codes).
        response = self.client.post(self.entry, {
            "vendor": self.w["vendor"].pk, "stack": "jsstack001", "action": "save", "codes": "",
            "code": [f"https://coupons.example.org/c/{self.w['codes'][8]}", MISTYPED], "line": ["k1", "k2"],
        })
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            sorted(Redemption.objects.values_list("nonce", "outcome")),
            [("jsstack001.k1", Outcome.ACCEPTED), ("jsstack001.k2", Outcome.REFUSED)],
        )

    def test_a_market_without_vendors_says_who_adds_them(self):
        empty = Market.objects.create(program=self.w["program"], name="Marché vide", municipality="Neuville")
        self.client.force_login(self.w["coordinator"])
        response = self.client.get(reverse("market_entry", args=[empty.pk]))
        self.assertContains(response, "Aucun marchand ne vend à ce marché pour l'instant.")
