"""Personal API tokens: only the hash is kept, the key is shown once, and only a live key opens the API."""

import datetime
import hashlib
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from pcn.accounts.models import Role
from pcn.api.models import ApiToken
from pcn.api.services import api_token_create, api_token_revoke
from pcn.api.tests.base import ApiTestCase, make_key
from pcn.testing import make_user, make_world


class TokenCreationTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("coordo")

    def test_it_stores_only_the_hash_of_the_key(self):
        token, key = api_token_create(user=self.user, name="Import des ventes")
        token.refresh_from_db()
        self.assertGreaterEqual(len(key), 43)  # 256 random bits
        self.assertEqual(token.key_hash, hashlib.sha256(key.encode()).hexdigest())
        self.assertEqual(token.prefix, key[:8])
        stored = [str(value) for value in ApiToken.objects.values_list().get()]
        self.assertFalse([value for value in stored if key in value], "the clear key is stored somewhere")

    def test_each_token_gets_its_own_key(self):
        keys = {api_token_create(user=self.user, name=f"clé {n}")[1] for n in range(20)}
        self.assertEqual(len(keys), 20)

    def test_a_token_needs_a_name(self):
        with self.assertRaisesMessage(Exception, "Donnez un nom à la clé"):
            api_token_create(user=self.user, name="  ")
        self.assertFalse(ApiToken.objects.exists())

    def test_the_command_prints_the_key_once_and_keeps_its_hash(self):
        out, err = StringIO(), StringIO()
        call_command("create_api_token", "coordo", "--name", "Sociofinancement", stdout=out, stderr=err)
        key = out.getvalue().strip()
        token = ApiToken.objects.get()
        self.assertEqual(token.name, "Sociofinancement")
        self.assertEqual(token.key_hash, hashlib.sha256(key.encode()).hexdigest())
        self.assertIn("cannot be shown again", err.getvalue())
        self.assertNotIn(key, err.getvalue())

    def test_the_command_refuses_an_unknown_user(self):
        with self.assertRaisesMessage(CommandError, "no user nobody"):
            call_command("create_api_token", "nobody", "--name", "x", stdout=StringIO(), stderr=StringIO())

    def test_no_key_starts_with_a_dash_that_a_terminal_would_read_as_an_option(self):
        keys = [api_token_create(user=self.user, name=f"Clé {i}")[1] for i in range(300)]
        self.assertFalse([key for key in keys if key.startswith("-")])
        self.assertEqual(len(set(keys)), 300)

    def test_the_revoke_command_revokes_the_token_named_by_its_prefix(self):
        token, key = api_token_create(user=self.user, name="Vieille clé")
        call_command("revoke_api_token", "coordo", key[:8], stdout=StringIO())
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)
        with self.assertRaisesMessage(CommandError, "no active token"):
            call_command("revoke_api_token", "coordo", key[:8], stdout=StringIO())


class TokenAuthenticationTest(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.world["program"])
        cls.url = reverse("api_season_series", args=[cls.world["season"].pk])

    def test_a_valid_key_opens_the_api(self):
        response = self.get(self.url, make_key(self.coordinator))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"series": []})
        self.assertIn("no-store", response["Cache-Control"])

    def test_no_key_is_refused_with_401_and_says_how_to_send_one(self):
        for response in (self.get(self.url), self.post(self.url, {})):
            error = self.assert_error(response, 401, "unauthenticated")
            self.assertIn("Authorization: Bearer", error["message"])
            self.assertEqual(response["WWW-Authenticate"], 'Bearer realm="api"')

    def test_a_wrong_key_is_refused(self):
        key = make_key(self.coordinator)
        for header in (f"Bearer {key}x", f"Bearer {key[:-1]}", "Bearer ", f"Basic {key}", key):
            response = self.client.get(self.url, headers={"Authorization": header})
            self.assert_error(response, 401, "unauthenticated")

    def test_a_revoked_key_is_refused(self):
        token, key = api_token_create(user=self.coordinator, name="Clé perdue")
        api_token_revoke(token=token)
        error = self.assert_error(self.get(self.url, key), 401, "unauthenticated")
        self.assertIn("révoquée", error["message"])

    def test_the_key_of_a_deactivated_account_is_refused(self):
        key = make_key(self.coordinator)
        self.coordinator.is_active = False
        self.coordinator.save()
        self.assert_error(self.get(self.url, key), 401, "unauthenticated")

    def test_a_browser_session_opens_nothing_in_the_api(self):
        self.client.force_login(self.coordinator)
        self.assert_error(self.get(self.url), 401, "unauthenticated")
        self.assert_error(self.post(self.url, {"count": 1}), 401, "unauthenticated")

    def test_the_session_user_never_replaces_the_token_user(self):
        outsider = make_user("outsider")
        self.client.force_login(self.coordinator)
        self.assert_error(self.get(self.url, make_key(outsider)), 404, "not_found")

    def test_it_records_when_a_token_was_last_used(self):
        token, key = api_token_create(user=self.coordinator, name="Script")
        self.assertIsNone(token.last_used_at)
        before = timezone.now()
        self.get(self.url, key)
        token.refresh_from_db()
        self.assertGreaterEqual(token.last_used_at, before)

    def test_last_used_is_written_at_most_once_a_minute(self):
        token, key = api_token_create(user=self.coordinator, name="Script")
        recent = timezone.now() - datetime.timedelta(seconds=10)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
        self.get(self.url, key)
        token.refresh_from_db()
        self.assertEqual(token.last_used_at, recent)
        old = timezone.now() - datetime.timedelta(minutes=5)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=old)
        self.get(self.url, key)
        token.refresh_from_db()
        self.assertGreater(token.last_used_at, recent)

    def test_a_failed_attempt_does_not_touch_other_tokens(self):
        token, _key = api_token_create(user=self.coordinator, name="Script")
        self.get(self.url, "not-a-key")
        token.refresh_from_db()
        self.assertIsNone(token.last_used_at)
