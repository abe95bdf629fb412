"""The stall page's API: device keys, redeeming online, syncing an offline batch exactly once, the cache."""

import base64
import json
import struct
import uuid

from django.test import TestCase
from django.utils import timezone

from pcn.coupons import codes
from pcn.coupons.ledger import season_verify
from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent
from pcn.coupons.services import coupons_move
from pcn.coupons.tests.factories import issue
from pcn.redemptions import services
from pcn.redemptions.api import code_prefix
from pcn.redemptions.models import Outcome, Redemption
from pcn.redemptions.tests.factories import running_world


class StallApiTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = running_world()
        cls.device, cls.key = services.device_link(vendor=cls.w["vendor"], name="Téléphone", by=cls.w["vendor_user"])

    def call(self, method, name, body=None, key=None, **headers):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key or self.key}", **headers}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(f"/api/v1/stall/{name}", **kwargs)

    def test_an_unknown_or_revoked_key_is_refused_in_plain_words(self):
        response = self.call("get", "cache", key="not-a-key")
        self.assertEqual(response.status_code, 401)
        self.assertIn("n'est pas relié", response.json()["error"]["message"])
        services.device_revoke(device=self.device, by=self.w["coordinator"])
        response = self.call("post", "redeem", {"code": self.w["codes"][0], "nonce": "n1"})
        self.assertEqual(response.status_code, 401)
        self.assertIn("retiré", response.json()["error"]["message"])
        self.assertFalse(Redemption.objects.exists())

    def test_a_personal_api_token_is_not_a_device_key(self):
        from pcn.api.services import api_token_create

        _token, key = api_token_create(user=self.w["vendor_user"], name="script")
        self.assertEqual(self.call("get", "cache", key=key).status_code, 401)

    def test_online_redemption_answers_at_once_in_the_requested_language(self):
        response = self.call("post", "redeem", {"code": self.w["codes"][0], "nonce": "a"})
        self.assertEqual(response.status_code, 200)
        result = response.json()
        self.assertEqual((result["outcome"], result["value_cents"], result["class_name"], result["offline"]),
                         ("accepted", 500, "Fruits et légumes", False))
        again = self.call("post", "redeem", {"code": self.w["codes"][0], "nonce": "b"}, HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(again.json()["reason"], "already_redeemed")
        self.assertIn("already", again.json()["message"].lower())

    def test_an_offline_batch_uploaded_three_times_records_each_item_once(self):
        items = [
            {"nonce": str(uuid.uuid4()), "kind": "coupon", "code": code, "client_at": timezone.now().isoformat()}
            for code in self.w["codes"][:5]
        ]
        items.append({**items[0], "nonce": str(uuid.uuid4())})  # the same coupon taken twice on this phone
        first = self.call("post", "sync", {"items": items}).json()["results"]
        for _ in range(2):
            self.assertEqual(self.call("post", "sync", {"items": items}).json()["results"], first)
        # A sync cut halfway: the first half arrived, the page retries the whole queue.
        self.assertEqual([r["outcome"] for r in first], ["accepted"] * 5 + ["refused"])
        self.assertEqual(first[-1]["reason"], "already_redeemed")
        self.assertTrue(all(r["offline"] for r in first))
        self.assertEqual(Redemption.objects.count(), 6)
        self.assertEqual(Redemption.objects.filter(outcome=Outcome.ACCEPTED).count(), 5)
        self.assertEqual(season_verify(self.w["season"]), [])

    def test_a_sync_cut_halfway_and_retried_ends_with_each_redemption_once(self):
        items = [{"nonce": f"n{i}", "kind": "coupon", "code": code} for i, code in enumerate(self.w["codes"][:8])]
        self.call("post", "sync", {"items": items[:3]})  # the connection dropped after these
        results = self.call("post", "sync", {"items": items}).json()["results"]
        self.assertEqual([r["outcome"] for r in results], ["accepted"] * 8)
        self.assertEqual(Redemption.objects.count(), 8)
        self.assertEqual(Coupon.objects.filter(status=CouponStatus.REDEEMED).count(), 8)

    def test_a_malformed_batch_records_nothing_and_says_which_item(self):
        items = [{"nonce": "ok", "kind": "coupon", "code": self.w["codes"][0]}, {"kind": "coupon", "code": "x"}]
        response = self.call("post", "sync", {"items": items})
        self.assertEqual(response.status_code, 400)
        self.assertIn("items[1].nonce", response.json()["error"]["fields"])
        self.assertFalse(Redemption.objects.exists())

    def test_the_cache_lists_live_coupons_by_prefix_and_answers_304_when_unchanged(self):
        response = self.call("get", "cache")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["vendor"]["name"], self.w["vendor"].business_name)
        (series,) = data["series"]
        raw = base64.b64decode(series["prefixes"])
        prefixes = list(struct.unpack(f"<{len(raw) // 4}I", raw))
        self.assertEqual(prefixes, sorted(code_prefix(c) for c in self.w["codes"]))
        self.assertEqual(code_prefix("000001ZZZZZZ"), 1)
        self.assertEqual(code_prefix("100000ZZZZZZ"), 32**5)
        etag = response["ETag"]
        self.assertEqual(self.call("get", "cache", HTTP_IF_NONE_MATCH=etag).status_code, 304)
        # Compressed on the way out, the ETag comes back weak: still recognized.
        zipped = self.call("get", "cache", HTTP_ACCEPT_ENCODING="gzip")
        self.assertEqual(zipped["Content-Encoding"], "gzip")
        self.assertEqual(self.call("get", "cache", HTTP_IF_NONE_MATCH=zipped["ETag"]).status_code, 304)
        self.call("post", "redeem", {"code": self.w["codes"][0], "nonce": "a"})
        # A redemption does not change the list (the server judges redeemed coupons at sync)...
        self.assertEqual(self.call("get", "cache", HTTP_IF_NONE_MATCH=etag).status_code, 304)
        # ...a new series, or a voided coupon, does.
        extra = issue(self.w, count=2)
        coupons_move(season=self.w["season"], kind=CustodyEvent.Kind.VOID, ranges=[(extra.pk, 1, 1)],
                     reason="lost", by=self.w["coordinator"])
        fresh = self.call("get", "cache", HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(fresh.status_code, 200)
        sizes = [len(base64.b64decode(s["prefixes"])) // 4 for s in fresh.json()["series"]]
        self.assertEqual(sizes, [20, 1])  # the redeemed coupon stays listed; the voided one is gone

    def test_today_totals_count_every_accepted_redemption_of_the_vendor(self):
        for i, code in enumerate(self.w["codes"][:3]):
            self.call("post", "redeem", {"code": code, "nonce": f"t{i}"})
        self.call("post", "redeem", {"code": "0000-0000-0000", "nonce": "t9"})  # refused: not counted
        data = self.call("get", "today").json()
        self.assertEqual((data["count"], data["total_cents"]), (3, 1500))
        self.assertEqual(data["by_class"], [{"name": "Fruits et légumes", "count": 3, "total_cents": 1500}])

    def test_codes_are_read_as_typed(self):
        typed = codes.display(self.w["codes"][1]).lower().replace("-", " ")
        self.assertEqual(self.call("post", "redeem", {"code": typed, "nonce": "x"}).json()["outcome"], "accepted")


class StallDocumentTest(TestCase):
    def test_the_document_names_exactly_the_fields_and_keys_of_the_stall_endpoints(self):
        from pcn.api.openapi import document
        from pcn.redemptions.api import CardDebitForm, RedeemForm, SyncItemForm, result_json

        schemas = document()["components"]["schemas"]
        for name, form in (("StallRedeem", RedeemForm), ("StallCardDebit", CardDebitForm),
                           ("StallSyncItem", SyncItemForm)):
            self.assertEqual(set(schemas[name]["properties"]), set(form().fields), name)
            self.assertEqual(set(schemas[name]["required"]),
                             {n for n, f in form().fields.items() if f.required}, name)
        w = running_world()
        r = services.redemption_record(vendor=w["vendor"], code=w["codes"][0], nonce="n", source="stall",
                                       by=w["vendor_user"])
        self.assertEqual(set(result_json(r)), set(schemas["StallResult"]["properties"]))
        self.assertEqual(set(schemas["StallResult"]["required"]), set(schemas["StallResult"]["properties"]))


class StallSyncItemErrorTest(TestCase):
    def test_a_sync_item_whose_nonce_served_another_code_is_answered_alone(self):
        w = running_world()
        _device, key = services.device_link(vendor=w["vendor"], name="T", by=w["vendor_user"])
        items = [{"nonce": "n1", "kind": "coupon", "code": w["codes"][0]},
                 {"nonce": "n1", "kind": "coupon", "code": w["codes"][1]},
                 {"nonce": "n2", "kind": "coupon", "code": w["codes"][2]}]
        response = self.client.post("/api/v1/stall/sync", json.dumps({"items": items}),
                                    content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
        results = response.json()["results"]
        self.assertEqual([r["outcome"] for r in results], ["accepted", "refused", "accepted"])
        self.assertEqual(results[1]["reason"], "not_recorded")
        self.assertIn("déjà servi", results[1]["message"])
        self.assertEqual(Coupon.objects.get(code=w["codes"][1]).status, CouponStatus.SOLD)

    def test_an_attempt_the_phone_refused_offline_is_kept_refused_and_never_judged_again(self):
        w = running_world("Refus")
        _device, key = services.device_link(vendor=w["vendor"], name="T", by=w["vendor_user"])
        # The phone's cache was stale: it refused a code that is in fact valid. The vendor handed it back.
        items = [{"nonce": "r1", "kind": "coupon", "code": w["codes"][0], "refused_on_device": "unknown"}]
        response = self.client.post("/api/v1/stall/sync", json.dumps({"items": items}),
                                    content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
        (result,) = response.json()["results"]
        self.assertEqual((result["outcome"], result["reason"]), ("refused", "unknown"))
        row = Redemption.objects.get(nonce="r1")
        self.assertEqual((row.outcome, row.coupon.code), (Outcome.REFUSED, w["codes"][0]))
        self.assertEqual(Coupon.objects.get(code=w["codes"][0]).status, CouponStatus.SOLD)
