"""On PostgreSQL, 100 concurrent attempts to redeem one coupon through the HTTP API: exactly one is
accepted, and the 99 others are refused as already redeemed."""

import json
import threading
import unittest
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test import LiveServerTestCase
from django.test.testcases import LiveServerThread

from pcn.coupons.ledger import season_verify
from pcn.coupons.models import Coupon, CouponStatus
from pcn.redemptions import services
from pcn.redemptions.models import Outcome, Reason, Redemption
from pcn.redemptions.tests.factories import running_world

ATTEMPTS = 100
DATABASE_HANDLERS = 40  # requests served at once; the rest wait their turn, as behind a real server's pool


class BoundedServer(ThreadedWSGIServer):
    """Accepts all 100 connections at once but lets at most DATABASE_HANDLERS of them hold a database
    connection at a time (PostgreSQL allows 100 connections in all)."""

    request_queue_size = 2 * ATTEMPTS
    slots = threading.BoundedSemaphore(DATABASE_HANDLERS)

    def process_request_thread(self, request, client_address):
        with self.slots:
            super().process_request_thread(request, client_address)


class BoundedServerThread(LiveServerThread):
    server_class = BoundedServer


@unittest.skipUnless(connection.vendor == "postgresql", "concurrency is PostgreSQL's to prove")
class ConcurrentRedemptionTest(LiveServerTestCase):
    server_thread_class = BoundedServerThread

    def test_a_hundred_simultaneous_attempts_accept_the_coupon_exactly_once(self):
        w = running_world()
        keys = [services.device_link(vendor=w["vendor"], name=f"Téléphone {i}", by=w["vendor_user"])[1]
                for i in range(10)]
        code = w["codes"][0]
        start = threading.Barrier(ATTEMPTS)

        def attempt(i: int) -> dict:
            request = urllib.request.Request(
                f"{self.live_server_url}/api/v1/stall/redeem",
                data=json.dumps({"code": code, "nonce": f"attempt-{i}"}).encode(),
                headers={"Authorization": f"Bearer {keys[i % len(keys)]}", "Content-Type": "application/json"},
                method="POST",
            )
            start.wait()
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.status == 200
                return json.loads(response.read())

        with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
            results = list(pool.map(attempt, range(ATTEMPTS)))

        accepted = [r for r in results if r["outcome"] == "accepted"]
        refused = [r for r in results if r["outcome"] == "refused"]
        self.assertEqual(len(accepted), 1)
        self.assertEqual(len(refused), ATTEMPTS - 1)
        self.assertTrue(all(r["reason"] == Reason.ALREADY_REDEEMED for r in refused))
        self.assertTrue(all("déjà été échangé" in r["message"] for r in refused))
        self.assertEqual(Redemption.objects.filter(code=code, outcome=Outcome.ACCEPTED).count(), 1)
        self.assertEqual(Redemption.objects.filter(code=code).count(), ATTEMPTS)  # every attempt kept
        self.assertEqual(Coupon.objects.get(code=code).status, CouponStatus.REDEEMED)
        self.assertEqual(season_verify(w["season"]), [])
