"""Alerts for the coordination: each fires on a small case built for it and stays quiet on a normal one,
and each links to the redemptions behind it."""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from pcn.coupons.tests.factories import issue
from pcn.markets.models import OpeningHours
from pcn.programs.models import Season
from pcn.redemptions import alerts, services
from pcn.redemptions.models import Device, Outcome, Source
from pcn.redemptions.tests.factories import nonce, running_world, sell


def local_moment(days_ago: int, hour: int = 12) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class AlertsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = w = running_world()
        # Open every day from 8 h to 18 h: coupons taken at noon are normal, at 21 h they are not.
        for weekday in range(7):
            OpeningHours.objects.create(sale_point=w["sale_point"], weekday=weekday,
                                        opens_at=datetime.time(8), closes_at=datetime.time(18))
        series = issue(w, count=60)
        sell(w, series, 1, 60)
        cls.fresh = list(series.coupons.order_by("number").values_list("code", flat=True))
        cls.phone, _key = services.device_link(vendor=w["vendor"], name="Téléphone de Lise", by=w["vendor_user"])
        # Linked a month ago: the phone's times of the last days are believed.
        Device.objects.filter(pk=cls.phone.pk).update(linked_at=timezone.now() - datetime.timedelta(days=30))
        cls.phone.refresh_from_db()

    def setUp(self):
        self.next_code = iter(self.fresh)

    def take(self, count: int, *, days_ago: int, hour: int = 12):
        """`count` coupons taken offline on the vendor's phone, `days_ago` days ago at `hour` (local time)."""
        rows = [
            services.redemption_record(
                vendor=self.w["vendor"], code=next(self.next_code), nonce=nonce(), source=Source.OFFLINE,
                by=self.w["vendor_user"], device=self.phone, client_at=local_moment(days_ago, hour),
            )
            for _ in range(count)
        ]
        self.assertTrue(all(r.outcome == Outcome.ACCEPTED for r in rows))
        return rows

    def refuse(self, count: int, device):
        for _ in range(count):
            r = services.redemption_record(vendor=self.w["vendor"], code="0000-0000-0000", nonce=nonce(),
                                           source=Source.STALL, by=self.w["vendor_user"], device=device)
            self.assertEqual(r.outcome, Outcome.REFUSED)

    def list_rows(self, query: str):
        self.client.force_login(self.w["coordinator"])
        response = self.client.get(reverse("season_redemptions", args=[self.w["season"].pk]) + "?" + query)
        self.assertEqual(response.status_code, 200)
        return response.context["page"].paginator.count

    # Volume far above the usual

    def test_a_day_far_above_the_vendors_usual_fires_and_links_to_that_days_coupons(self):
        for days_ago, count in ((10, 2), (9, 3), (8, 2)):
            self.take(count, days_ago=days_ago)
        self.take(12, days_ago=5)  # 12 > 3 × 2, and at least 10
        found = alerts.volume_alerts(self.w["season"])
        self.assertEqual([(a.day, a.count, a.usual, a.previous_days) for a in found],
                         [(timezone.localdate() - datetime.timedelta(days=5), 12, 2, 3)])
        self.assertEqual(self.list_rows(found[0].query), 12)

    def test_a_busy_day_in_line_with_the_usual_does_not_fire(self):
        for days_ago in (10, 9, 8):
            self.take(4, days_ago=days_ago)
        self.take(12, days_ago=5)  # 12 is 3 × 4, not above
        self.assertEqual(alerts.volume_alerts(self.w["season"]), [])

    def test_a_jump_is_not_judged_before_three_days_of_history_nor_under_ten_coupons(self):
        self.take(1, days_ago=10)
        self.take(1, days_ago=9)
        self.take(12, days_ago=8)  # only two previous days
        self.take(1, days_ago=7)
        self.take(9, days_ago=5)  # median of 1, 1, 12, 1 is 1, but 9 coupons is under 10
        self.assertEqual(alerts.volume_alerts(self.w["season"]), [])

    # Outside the sale point's days and hours

    def test_coupons_taken_when_the_sale_point_is_closed_fire_by_vendor_and_day(self):
        self.take(2, days_ago=3, hour=21)
        self.take(3, days_ago=3, hour=12)
        found = alerts.hours_alerts(self.w["season"])
        self.assertEqual([(a.vendor_name, a.count, a.accepted_value_cents) for a in found],
                         [(self.w["vendor"].business_name, 2, 1000)])
        self.assertEqual(self.list_rows(found[0].query), 2)

    def test_coupons_taken_during_opening_hours_do_not_fire(self):
        self.take(5, days_ago=3, hour=9)
        self.assertEqual(alerts.hours_alerts(self.w["season"]), [])

    # Many refusals from one device

    def test_ten_refusals_in_a_day_on_one_device_fire(self):
        self.refuse(10, self.phone)
        found = alerts.device_alerts(self.w["season"])
        self.assertEqual([(a.device_name, a.count) for a in found], [("Téléphone de Lise", 10)])
        self.assertEqual(self.list_rows(found[0].query), 10)

    def test_nine_refusals_or_refusals_spread_over_two_devices_do_not_fire(self):
        other, _key = services.device_link(vendor=self.w["vendor"], name="Tablette", by=self.w["vendor_user"])
        self.refuse(9, self.phone)
        self.refuse(5, other)
        self.assertEqual(alerts.device_alerts(self.w["season"]), [])

    # Coupons accepted although never handed out

    def test_a_coupon_still_in_stock_accepted_by_the_seasons_choice_fires(self):
        Season.objects.filter(pk=self.w["season"].pk).update(accept_unissued=True)
        in_stock = issue(self.w, count=2).coupons.first()
        r = services.redemption_record(vendor=self.w["vendor"], code=in_stock.code, nonce=nonce(),
                                       source=Source.STALL, by=self.w["vendor_user"])
        self.assertTrue(r.unissued)
        found = alerts.unissued_alerts(self.w["season"])
        self.assertEqual([(a.count, a.value_cents) for a in found], [(1, 500)])
        self.assertEqual(self.list_rows(found[0].query), 1)

    def test_coupons_handed_out_do_not_fire(self):
        self.take(3, days_ago=2)
        self.assertEqual(alerts.unissued_alerts(self.w["season"]), [])

    # The page

    def test_a_quiet_season_shows_no_alert_and_the_rules_in_words(self):
        self.take(3, days_ago=2)
        self.client.force_login(self.w["coordinator"])
        response = self.client.get(reverse("redemption_alerts", args=[self.w["season"].pk]))
        self.assertContains(response, "plus de 3 fois son nombre habituel")
        self.assertContains(response, "au moins 10 ce jour-là")
        self.assertContains(response, "10 refus ou plus en un jour")
        self.assertContains(response, "Rien d'inhabituel.")
        self.assertEqual(response.context["alerts"].count, 0)

    def test_the_page_lists_each_alert_with_a_link_to_its_rows_and_counts_in_four_queries(self):
        self.take(2, days_ago=3, hour=21)
        self.refuse(10, self.phone)
        with self.assertNumQueries(4):
            found = alerts.season_alerts(self.w["season"])
        self.assertEqual(found.count, 2)
        self.client.force_login(self.w["coordinator"])
        response = self.client.get(reverse("redemption_alerts", args=[self.w["season"].pk]))
        list_url = reverse("season_redemptions", args=[self.w["season"].pk])
        self.assertContains(response, f'href="{list_url}?device={self.phone.pk}&amp;day=')
        self.assertContains(response, "Voir ces refus")
        season_page = self.client.get(reverse("season_detail", args=[self.w["season"].pk]))
        self.assertContains(season_page, "Alertes : 2")
