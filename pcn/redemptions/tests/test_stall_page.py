"""The stall page's addresses: the shell that works offline, its service worker and manifest, and linking a
phone (a vendor for their own business, a coordinator for a vendor of their program)."""

import json
import re

from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.api.models import key_hash
from pcn.markets.models import Vendor
from pcn.redemptions.models import Device
from pcn.redemptions.tests.factories import running_world
from pcn.testing import PASSWORD, make_user


def handover(response) -> dict:
    match = re.search(r'<script id="stall-handover" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "the linked page hands no key to its script"
    return json.loads(match.group(1))


class StallShellTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = running_world()

    def test_the_shell_opens_without_signing_in_and_carries_no_personal_data(self):
        for user in (None, self.w["vendor_user"]):
            if user:
                self.client.force_login(user)
            response = self.client.get(reverse("stall"))
            self.assertEqual(response.status_code, 200)
            body = response.content.decode()
            for secret in (self.w["vendor"].business_name, self.w["program"].name, self.w["market"].name,
                           self.w["vendor_user"].username, *self.w["codes"][:3]):
                self.assertNotIn(secret, body)

    def test_the_shell_tells_an_unlinked_phone_in_plain_words_where_to_link_it(self):
        response = self.client.get(reverse("stall"))
        strings = json.loads(re.search(r'id="stall-strings" type="application/json">(.*?)</script>',
                                       response.content.decode()).group(1))
        self.assertEqual(strings["not_linked"], "Ce téléphone n'est pas encore relié à votre entreprise.")
        self.assertEqual(strings["link_button"], "Relier ce téléphone")
        self.assertContains(response, f'href="{reverse("stall_link")}"')
        self.assertContains(response, f'href="{reverse("stall_manifest")}"')

    def test_the_service_worker_controls_stall_and_keeps_files_that_exist(self):
        response = self.client.get(reverse("stall_sw"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/javascript; charset=utf-8")
        self.assertTrue(reverse("stall_sw").startswith(reverse("stall")))  # its scope may be /stall/
        script = response.content.decode()
        config = json.loads(re.match(r"const STALL = (\{.*?\});\n", script).group(1))
        self.assertEqual(config["shell"], "/stall/")
        self.assertIn("/static/redemptions/stall.js", config["static"])
        for url in [config["manifest"], *config["static"]]:
            kept = self.client.get(url)
            self.assertEqual(kept.status_code, 200, url)
            if hasattr(kept, "streaming_content"):
                b"".join(kept.streaming_content)
        self.assertRegex(config["version"], r"^[0-9a-f]{12}$")

    def test_the_manifest_makes_an_installable_app_in_the_page_language(self):
        data = json.loads(self.client.get(reverse("stall_manifest")).content)
        self.assertEqual((data["start_url"], data["scope"], data["display"], data["lang"]),
                         ("/stall/", "/stall/", "standalone", "fr"))
        self.assertEqual({icon["sizes"] for icon in data["icons"]}, {"192x192", "512x512"})
        english = json.loads(self.client.get(reverse("stall_manifest"), HTTP_ACCEPT_LANGUAGE="en").content)
        self.assertEqual(english["lang"], "en")

    def test_the_vendor_home_page_leads_to_the_stall(self):
        self.client.force_login(self.w["vendor_user"])
        self.assertContains(self.client.get(reverse("home")), f'href="{reverse("stall")}"')


class StallLinkTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = running_world()
        cls.other = running_world("Kamouraska")
        cls.treasurer = make_user("tresorier", role=Role.TREASURER, program=cls.w["program"])
        cls.second_vendor = Vendor.objects.create(
            program=cls.w["program"], business_name="Verger du Coteau", kind="producer", categories=["fruit"]
        )

    def test_linking_needs_a_signed_in_user(self):
        response = self.client.get(reverse("stall_link"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))
        self.assertEqual(self.client.post(reverse("stall_link"), {"name": "X"}).status_code, 302)
        self.assertFalse(Device.objects.exists())

    def test_people_without_a_vendor_to_link_get_a_404(self):
        for user in (self.treasurer, make_user("personne")):
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("stall_link")).status_code, 404)
            self.assertEqual(self.client.post(reverse("stall_link"), {"name": "X"}).status_code, 404)
        self.assertFalse(Device.objects.exists())

    def test_a_vendor_links_their_phone_and_only_the_key_hash_is_kept(self):
        self.client.force_login(self.w["vendor_user"])
        form = self.client.get(reverse("stall_link"))
        self.assertContains(form, 'value="Téléphone"')
        self.assertContains(form, self.w["vendor"].business_name)
        self.assertNotContains(form, self.other["vendor"].business_name)

        response = self.client.post(reverse("stall_link"),
                                    {"vendor": self.w["vendor"].pk, "name": "Téléphone de Marie"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        given = handover(response)
        self.assertEqual((given["device"], given["vendor"], given["stall_url"]),
                         ("Téléphone de Marie", self.w["vendor"].business_name, "/stall/"))
        device = Device.objects.get()
        self.assertEqual((device.vendor, device.linked_by), (self.w["vendor"], self.w["vendor_user"]))
        self.assertEqual(device.key_hash, key_hash(given["key"]))
        stored = [str(value) for value in Device.objects.values().get().values()]
        self.assertFalse([value for value in stored if given["key"] in value], "the clear key is stored")

        # The key opens the stall API for this vendor, not the user's session.
        self.client.logout()
        cache = self.client.get("/api/v1/stall/cache", HTTP_AUTHORIZATION=f"Bearer {given['key']}")
        self.assertEqual(cache.status_code, 200)
        self.assertEqual(cache.json()["vendor"]["name"], self.w["vendor"].business_name)

    def test_a_vendor_cannot_link_a_phone_for_another_business(self):
        self.client.force_login(self.w["vendor_user"])
        for vendor in (self.second_vendor, self.other["vendor"]):
            response = self.client.post(reverse("stall_link"), {"vendor": vendor.pk, "name": "Téléphone"})
            self.assertContains(response, "Certaines réponses sont à corriger")
            self.assertNotContains(response, "stall-handover")
        self.assertFalse(Device.objects.exists())

    def test_a_coordinator_links_a_phone_for_a_vendor_of_the_program(self):
        self.client.login(username=self.w["coordinator"].username, password=PASSWORD)
        form = self.client.get(reverse("stall_link") + f"?vendor={self.second_vendor.pk}")
        self.assertContains(form, self.w["vendor"].business_name)
        self.assertContains(form, f'<option value="{self.second_vendor.pk}" selected>')
        self.assertNotContains(form, self.other["vendor"].business_name)

        refused = self.client.post(reverse("stall_link"), {"vendor": self.other["vendor"].pk, "name": "Téléphone"})
        self.assertContains(refused, "Sélectionnez un choix valide")
        self.assertFalse(Device.objects.exists())

        response = self.client.post(reverse("stall_link"), {"vendor": self.second_vendor.pk, "name": "Kiosque"})
        handover(response)
        device = Device.objects.get()
        self.assertEqual((device.vendor, device.name, device.linked_by),
                         (self.second_vendor, "Kiosque", self.w["coordinator"]))

    def test_an_empty_name_is_asked_again(self):
        self.client.force_login(self.w["vendor_user"])
        response = self.client.post(reverse("stall_link"), {"vendor": self.w["vendor"].pk, "name": ""})
        self.assertContains(response, "Ce champ est obligatoire")
        self.assertNotContains(response, "stall-handover")
        self.assertFalse(Device.objects.exists())
