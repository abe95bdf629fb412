"""The coordination's redemption pages: who reaches them, what a row says, review decisions taken once,
and revoking a vendor's phone."""

import datetime

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from pcn.accounts.models import Role
from pcn.conftest import DESKTOP, PHONE, sideways_overflow
from pcn.coupons import codes
from pcn.redemptions import services
from pcn.redemptions.models import Device, Outcome, ReviewDecision, Source
from pcn.redemptions.tests.factories import nonce, running_world
from pcn.testing import make_user


def redeem(w, code, **kwargs):
    args = dict(vendor=w["vendor"], code=code, nonce=nonce(), source=Source.STALL, by=w["vendor_user"])
    args.update(kwargs)
    return services.redemption_record(**args)


def conflict(w, code, phones):
    """The same coupon taken offline on two phones: the second to sync waits for review."""
    a, b = phones
    first = redeem(w, code, device=a, source=Source.OFFLINE, client_at=timezone.now() - datetime.timedelta(hours=2))
    second = redeem(w, code, device=b, source=Source.OFFLINE, client_at=timezone.now() - datetime.timedelta(hours=1))
    assert (first.outcome, second.outcome) == (Outcome.ACCEPTED, Outcome.REVIEW)
    return first, second


class ReviewPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = w = running_world()
        program = w["program"]
        cls.treasurer = make_user("tresorier", role=Role.TREASURER, program=program)
        cls.manager = make_user("gestion", role=Role.MARKET_MANAGER, program=program, market=w["market"])
        cls.outsider = running_world("Ailleurs")["coordinator"]
        cls.phones = [
            services.device_link(vendor=w["vendor"], name=name, by=w["vendor_user"])[0]
            for name in ("Téléphone de Lise", "Tablette du kiosque")
        ]
        cls.first, cls.second = conflict(w, w["codes"][0], cls.phones)
        cls.accepted = redeem(w, w["codes"][1])
        cls.refused = redeem(w, "0000-0000-0000")
        cls.late = redeem(w, w["codes"][2], device=cls.phones[0], source=Source.OFFLINE,
                          client_at=timezone.now() - datetime.timedelta(days=1))

    def url(self, name, *args):
        return reverse(name, args=args or [self.w["season"].pk])

    def decide(self, decision="first", note="", redemption=None):
        r = redemption or self.second
        return self.client.post(self.url("review_decide", r.pk),
                                {f"r{r.pk}-decision": decision, f"r{r.pk}-note": note})

    # Who reaches what

    def test_an_outsider_reaches_nothing_and_changes_nothing(self):
        self.client.force_login(self.outsider)
        for name in ("season_redemptions", "review_queue", "redemption_alerts"):
            self.assertEqual(self.client.get(self.url(name)).status_code, 404, name)
        self.assertEqual(self.decide().status_code, 404)
        self.assertEqual(self.client.post(self.url("device_revoke", self.phones[0].pk)).status_code, 404)
        self.assertFalse(ReviewDecision.objects.exists())
        self.assertEqual(Device.objects.active().count(), 2)

    def test_a_vendor_cannot_open_the_seasons_pages(self):
        self.client.force_login(self.w["vendor_user"])
        for name in ("season_redemptions", "review_queue", "redemption_alerts", "season_detail"):
            self.assertEqual(self.client.get(self.url(name)).status_code, 404, name)
        self.assertEqual(self.decide().status_code, 404)

    def test_a_treasurer_reads_the_pages_but_cannot_decide(self):
        self.client.force_login(self.treasurer)
        for name in ("season_redemptions", "review_queue", "redemption_alerts"):
            self.assertEqual(self.client.get(self.url(name)).status_code, 200, name)
        queue = self.client.get(self.url("review_queue"))
        self.assertContains(queue, "Seule la coordination décide.")
        self.assertNotContains(queue, "Enregistrer la décision")
        self.assertEqual(self.decide().status_code, 404)
        self.assertFalse(ReviewDecision.objects.exists())

    # The season's redemptions

    def test_each_row_says_when_where_what_and_why(self):
        self.client.force_login(self.w["coordinator"])
        response = self.client.get(self.url("season_redemptions"))
        self.assertContains(response, codes.display(self.w["codes"][1]))
        self.assertContains(response, "0000-0000-0000")  # as typed: not a valid code
        self.assertContains(response, "Ce code n&#x27;existe pas.")
        self.assertContains(response, "Accepté</strong> · Fruits et légumes")
        self.assertContains(response, "Ce coupon a aussi été échangé sur un autre appareil.")
        self.assertContains(response, "(heure de l'appareil)")
        self.assertContains(response, "Pris hors ligne")
        self.assertContains(response, self.w["market"].name)
        totals = response.context["totals"]
        self.assertEqual((totals["accepted"], totals["accepted_cents"], totals["refused"], totals["review"]),
                         (3, 1500, 1, 1))
        self.assertContains(response, "15,00\u00a0$")

    def test_rows_come_newest_first_and_filter_by_outcome_and_vendor(self):
        self.client.force_login(self.w["coordinator"])
        rows = self.client.get(self.url("season_redemptions")).context["rows"]
        self.assertEqual([row["r"].pk for row in rows],
                         [self.late.pk, self.refused.pk, self.accepted.pk, self.second.pk, self.first.pk])
        refused = self.client.get(self.url("season_redemptions") + "?outcome=refused").context["rows"]
        self.assertEqual([row["r"] for row in refused], [self.refused])
        review = self.client.get(self.url("season_redemptions") + f"?outcome=review&vendor={self.w['vendor'].pk}")
        self.assertEqual([row["r"] for row in review.context["rows"]], [self.second])
        self.assertContains(review, "Tout afficher")
        # Another program's vendor is no filter here: it is ignored, not a way to learn anything.
        other = self.client.get(self.url("season_redemptions") + "?vendor=999999&outcome=nonsense")
        self.assertEqual(len(other.context["rows"]), 5)

    def test_a_long_season_is_cut_into_pages(self):
        for _ in range(50):
            redeem(self.w, "0000-0000-0000")
        self.client.force_login(self.w["coordinator"])
        first = self.client.get(self.url("season_redemptions") + "?outcome=refused")
        self.assertEqual(len(first.context["rows"]), 50)
        self.assertContains(first, "Page 1 sur 2")
        self.assertContains(first, "?outcome=refused&amp;page=2")
        second = self.client.get(self.url("season_redemptions") + "?outcome=refused&page=2")
        self.assertEqual(len(second.context["rows"]), 1)

    # Review

    def test_the_queue_shows_both_redemptions_side_by_side(self):
        self.client.force_login(self.w["coordinator"])
        response = self.client.get(self.url("review_queue"))
        self.assertEqual([item["r"] for item in response.context["items"]], [self.second])
        self.assertContains(response, "Le premier échange (accepté)")
        self.assertContains(response, "celui-ci attend votre décision")
        self.assertContains(response, "Téléphone de Lise")
        self.assertContains(response, "Tablette du kiosque")
        self.assertContains(response, self.w["vendor_user"].username)
        self.assertContains(response, "Payer les deux et inscrire la perte")

    def test_a_decision_is_recorded_once_with_who_and_when(self):
        self.client.force_login(self.w["coordinator"])
        response = self.decide("both", "Deux ventes le même jour, vérifié avec la marchande")
        self.assertRedirects(response, self.url("review_queue") + "#historique")
        decision = ReviewDecision.objects.get()
        self.assertEqual((decision.redemption, decision.decision, decision.decided_by),
                         (self.second, "both", self.w["coordinator"]))
        queue = self.client.get(self.url("review_queue"))
        self.assertEqual(queue.context["items"], [])
        self.assertContains(queue, "Rien à examiner pour l'instant.")
        self.assertContains(queue, "Payer les deux et inscrire la perte")
        self.assertContains(queue, "Deux ventes le même jour")
        self.assertContains(queue, self.w["coordinator"].username)

        again = self.decide("refuse")
        self.assertRedirects(again, self.url("review_queue") + "#historique", fetch_redirect_response=False)
        page = self.client.get(self.url("review_queue"))
        self.assertContains(page, "Une décision a déjà été prise pour ce coupon")
        self.assertEqual(ReviewDecision.objects.get().decision, "both")

    def test_a_decision_must_be_chosen(self):
        self.client.force_login(self.w["coordinator"])
        response = self.decide("")
        self.assertContains(response, "Choisissez une décision.", status_code=400)
        self.assertFalse(ReviewDecision.objects.exists())

    def test_a_redemption_that_was_not_set_aside_takes_no_decision(self):
        self.client.force_login(self.w["coordinator"])
        response = self.decide("both", redemption=self.accepted)
        self.assertRedirects(response, self.url("season_redemptions"))
        self.assertFalse(ReviewDecision.objects.exists())

    def test_the_season_page_links_to_the_redemptions_with_what_waits(self):
        self.client.force_login(self.w["coordinator"])
        response = self.client.get(self.url("season_detail"))
        self.assertContains(response, self.url("season_redemptions"))
        self.assertContains(response, "À examiner : 1")
        self.assertContains(response, self.url("redemption_alerts"))

    # Devices

    def test_the_coordination_revokes_a_phone_from_the_vendor_page(self):
        self.client.force_login(self.w["coordinator"])
        vendor_page = self.client.get(self.url("vendor_detail", self.w["vendor"].pk))
        self.assertContains(vendor_page, "Téléphone de Lise")
        self.assertContains(vendor_page, "Révoquer")
        phone = self.phones[0]
        response = self.client.post(self.url("device_revoke", phone.pk))
        self.assertRedirects(response, self.url("vendor_detail", self.w["vendor"].pk) + "#appareils",
                             fetch_redirect_response=False)
        phone.refresh_from_db()
        self.assertEqual(phone.revoked_by, self.w["coordinator"])
        self.assertNotIn(phone, Device.objects.active())
        self.assertIn(self.phones[1], Device.objects.active())
        page = self.client.get(self.url("vendor_detail", self.w["vendor"].pk))
        self.assertContains(page, "est révoqué")
        self.assertContains(page, "Révoqué")
        # Twice changes nothing.
        when = phone.revoked_at
        self.client.post(self.url("device_revoke", phone.pk))
        phone.refresh_from_db()
        self.assertEqual(phone.revoked_at, when)

    def test_a_vendor_revokes_its_own_phone_but_a_market_manager_only_sees_it(self):
        self.client.force_login(self.manager)
        page = self.client.get(self.url("vendor_detail", self.w["vendor"].pk))
        self.assertContains(page, "Téléphone de Lise")
        self.assertNotContains(page, "Oui, révoquer")
        self.assertEqual(self.client.post(self.url("device_revoke", self.phones[0].pk)).status_code, 404)
        self.client.force_login(self.w["vendor_user"])
        self.assertContains(self.client.get(self.url("vendor_detail", self.w["vendor"].pk)), "Oui, révoquer")
        self.client.post(self.url("device_revoke", self.phones[0].pk))
        self.assertEqual(list(Device.objects.active()), [self.phones[1]])


@pytest.mark.browser
@pytest.mark.parametrize(
    "viewport,locale", [(PHONE, "fr-CA"), (DESKTOP, "fr-CA"), (PHONE, "en-CA"), (DESKTOP, "en-CA")]
)
def test_the_coordinator_goes_from_the_season_to_the_queue_decides_and_revokes(
    live_server, make_page, log_in, screenshot, viewport, locale
):
    w = running_world()
    phones = [services.device_link(vendor=w["vendor"], name=n, by=w["vendor_user"])[0]
              for n in ("Téléphone de Lise", "Tablette du kiosque")]
    conflict(w, w["codes"][0], phones)
    for code in w["codes"][1:6]:
        redeem(w, code, device=phones[0])
    for _ in range(10):  # enough refusals on one phone for an alert
        redeem(w, "0000-0000-0000", device=phones[1])
    redeem(w, w["codes"][7], device=phones[0], source=Source.OFFLINE,
           client_at=timezone.now() - datetime.timedelta(days=1))
    page = make_page(viewport=viewport, locale=locale)
    log_in(page, w["coordinator"].username)
    # The browser's language chooses the page's (en-CA: English).
    page.goto(f"/seasons/{w['season'].pk}/")
    screenshot(page, "season")

    page.locator(f"a[href='/seasons/{w['season'].pk}/redemptions/']").first.click()
    page.wait_for_load_state()
    assert sideways_overflow(page) == 0
    screenshot(page, "redemptions")

    page.goto(f"/seasons/{w['season'].pk}/redemptions/review/")
    assert sideways_overflow(page) == 0
    screenshot(page, "queue")
    page.locator("input[value=first]").check()
    page.locator("button.primary").click()
    page.wait_for_load_state()
    assert ReviewDecision.objects.get().decided_by == w["coordinator"]
    assert sideways_overflow(page) == 0
    screenshot(page, "decided")

    page.goto(f"/seasons/{w['season'].pk}/redemptions/alerts/")
    assert sideways_overflow(page) == 0
    screenshot(page, "alerts")
    page.locator(f"a[href*='device={phones[1].pk}']").click()
    page.wait_for_load_state()
    assert page.locator("table.redemptions tbody tr").count() == 10
    screenshot(page, "alert-rows")

    page.goto(f"/vendors/{w['vendor'].pk}/")
    page.locator("details:has(form[action$='/revoke/']) summary").first.click()
    screenshot(page, "vendor-devices")
    page.locator("form[action$='/revoke/'] button").first.click()
    page.wait_for_load_state()
    assert Device.objects.active().count() == 1
    assert sideways_overflow(page) == 0
    screenshot(page, "vendor-revoked")
