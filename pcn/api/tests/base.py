"""Helpers for the API's tests: a token for a user, and requests that carry it."""

import json

from django.test import TestCase

from pcn.api.services import api_token_create


def make_key(user, name: str = "script de test") -> str:
    return api_token_create(user=user, name=name)[1]


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


class ApiTestCase(TestCase):
    """`self.get(url)` and `self.post(url, data)` send `self.key` (when the test class sets one), or the
    key given (None: no Authorization header)."""

    key: str | None = None
    SAME = object()

    def headers(self, key, headers) -> dict:
        key = self.key if key is self.SAME else key
        return {**(bearer(key) if key else {}), **(headers or {})}

    def get(self, url: str, key=SAME, headers: dict | None = None):
        return self.client.get(url, headers=self.headers(key, headers))

    def post(self, url: str, data, key=SAME, headers: dict | None = None):
        body = data if isinstance(data, (str, bytes)) else json.dumps(data)
        return self.client.post(url, body, content_type="application/json", headers=self.headers(key, headers))

    def assert_error(self, response, status: int, code: str) -> dict:
        """The response is the API's error shape with this status and code; returns the error."""
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], "application/json")
        error = response.json()["error"]
        self.assertEqual(error["code"], code)
        self.assertTrue(error["message"])
        return error
