"""The network admin edits a template's wording: a new version each time, the old ones kept, and the next
documents say which version they came from. Nobody else edits."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from pcn.accounts.models import Role
from pcn.documents import services
from pcn.documents.models import WordingVersion
from pcn.documents.placeholders import day
from pcn.documents.tests.helpers import documents_world, pdf_text
from pcn.programs.models import Network
from pcn.testing import PASSWORD, make_user

NEW_POSTER = "# Coupons nourriciers bienvenus\n\n## {{ program }}\n\nValeurs : {{ denominations }}\n"


class WordingEditTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = documents_world("Portneuf", "p")
        cls.admin = cls.w["admin"]

    def login(self, user):
        self.client.login(username=user.username, password=PASSWORD)

    def edit_url(self, kind="poster", language="fr"):
        return reverse("document_template_edit", args=[kind, language])

    def post(self, body, *, action="save", based_on=1, kind="poster", language="fr", note=""):
        return self.client.post(self.edit_url(kind, language),
                                {"body": body, "note": note, "based_on": based_on, action: "1"})

    def poster_text(self, language="fr"):
        url = reverse("program_document_pdf", args=[self.w["program"].pk, "poster", language])
        return pdf_text(self.client.get(url).content)

    def test_the_admin_sees_the_six_templates_in_both_languages(self):
        self.login(self.admin)
        response = self.client.get(reverse("document_templates"))
        self.assertContains(response, reverse("document_template_edit", args=["vendor_slip", "en"]))
        self.assertContains(response, reverse("document_template_history", args=["distribution_log", "fr"]))
        self.assertEqual(WordingVersion.objects.filter(network=self.w["network"], number=1).count(), 12)

    def test_the_edit_page_shows_the_current_text_and_the_known_placeholders(self):
        self.login(self.admin)
        response = self.client.get(self.edit_url())
        self.assertContains(response, "# Coupons nourriciers acceptés ici")
        self.assertContains(response, "<code>{{ denominations }}</code>", html=False)
        self.assertContains(response, 'name="based_on" value="1"', html=False)

    def test_editing_saves_version_2_the_next_pdf_says_v2_and_version_1_stays(self):
        self.login(self.admin)
        before = self.poster_text()
        self.assertIn("Modèle « Affiche pour les kiosques » v1 du", before)
        response = self.post(NEW_POSTER, note="Titre plus chaleureux")
        self.assertRedirects(response, reverse("document_template_history", args=["poster", "fr"]))
        versions = WordingVersion.objects.of(self.w["network"], "poster", "fr").order_by("number")
        self.assertEqual([v.number for v in versions], [1, 2])
        self.assertEqual(versions[1].created_by, self.admin)
        self.assertEqual(versions[1].note, "Titre plus chaleureux")
        self.assertIn("Coupons nourriciers acceptés ici", versions[0].body)

        after = self.poster_text()
        self.assertIn("Coupons nourriciers bienvenus", after)
        self.assertIn(f"Modèle « Affiche pour les kiosques » v2 du {day(timezone.localdate(), 'fr')}", after)
        self.assertNotIn("acceptés ici", after)
        # The English poster has its own versions: still v1.
        self.assertIn("Template “Poster for stalls” v1 of", self.poster_text("en"))

        history = self.client.get(reverse("document_template_history", args=["poster", "fr"]))
        self.assertContains(history, "Titre plus chaleureux")
        self.assertContains(history, self.admin.username)
        old = self.client.get(reverse("document_template_version", args=["poster", "fr", 1]))
        self.assertContains(old, "Ancienne version")
        self.assertContains(old, "Coupons nourriciers acceptés ici")

    def test_an_unknown_placeholder_is_refused_with_the_known_ones_and_nothing_is_saved(self):
        self.login(self.admin)
        response = self.post("# Affiche\n\n{{ programme }}\n")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Repère inconnu : {{ programme }}. Les repères connus sont : {{ program }}")
        self.assertEqual(WordingVersion.objects.of(self.w["network"], "poster", "fr").count(), 1)
        self.assertIn("v1 du", self.poster_text())

    def test_the_preview_fills_the_text_and_saves_nothing(self):
        self.login(self.admin)
        response = self.post(NEW_POSTER, action="preview")
        self.assertContains(response, "<h2>Coupons nourriciers bienvenus</h2>", html=True)
        self.assertContains(response, "PCN de Portneuf")  # the made-up example program
        self.assertEqual(WordingVersion.objects.of(self.w["network"], "poster", "fr").count(), 1)

    def test_the_preview_shows_problems_too(self):
        self.login(self.admin)
        response = self.post("# A\n\n{{ nope }}", action="preview")
        self.assertContains(response, "Repère inconnu : {{ nope }}")

    def test_saving_over_someone_elses_newer_version_is_refused(self):
        self.login(self.admin)
        self.post(NEW_POSTER)
        response = self.post(NEW_POSTER + "\nAutre ligne.\n", based_on=1)
        self.assertContains(response, "Quelqu&#x27;un a enregistré la version 2 de ce modèle")
        self.assertEqual(WordingVersion.objects.of(self.w["network"], "poster", "fr").count(), 2)

    def test_an_unchanged_text_is_not_a_new_version(self):
        self.login(self.admin)
        current = services.wording_current(network=self.w["network"], kind="poster", language="fr")
        response = self.post(current.body)
        self.assertContains(response, "Le texte n&#x27;a pas changé")
        self.assertEqual(WordingVersion.objects.of(self.w["network"], "poster", "fr").count(), 1)

    def test_nobody_but_a_network_admin_edits_or_reads_the_templates(self):
        analyst = make_user("analyste", role=Role.NETWORK_ANALYST, network=self.w["network"])
        for user in (self.w["coordinator"], self.w["users"][Role.TREASURER], analyst):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(reverse("document_templates")).status_code, 404)
                self.assertEqual(self.client.get(self.edit_url()).status_code, 404)
                self.assertEqual(self.post(NEW_POSTER).status_code, 404)
                for name, args in (("document_template_history", ["poster", "fr"]),
                                   ("document_template_version", ["poster", "fr", 1]),
                                   ("document_template_sample", ["poster", "fr", 1])):
                    self.assertEqual(self.client.get(reverse(name, args=args)).status_code, 404)
        self.assertFalse(WordingVersion.objects.filter(number__gt=1).exists())

    def test_unknown_kinds_languages_and_versions_are_404(self):
        self.login(self.admin)
        self.assertEqual(self.client.get(self.edit_url("invoice", "fr")).status_code, 404)
        self.assertEqual(self.client.get(self.edit_url("poster", "de")).status_code, 404)
        missing = reverse("document_template_version", args=["poster", "fr", 9])
        self.assertEqual(self.client.get(missing).status_code, 404)

    def test_the_sample_pdf_of_a_version_shows_the_example_program_and_its_footer(self):
        self.login(self.admin)
        response = self.client.get(reverse("document_template_sample", args=["vendor_slip", "en", 1]))
        text = pdf_text(response.content)
        self.assertIn("Program: PCN de Portneuf", text)
        self.assertIn("Template “Reimbursement slip” v1 of", text)


class WordingNetworksTest(TestCase):
    def test_each_network_has_its_own_versions(self):
        a = Network.objects.create(name="Réseau A")
        b = Network.objects.create(name="Réseau B")
        admin = make_user("admin-a", role=Role.NETWORK_ADMIN, network=a)
        services.wording_version_add(network=a, kind="poster", language="en", body=NEW_POSTER, user=admin)
        self.assertEqual(services.wording_current(network=a, kind="poster", language="en").number, 2)
        self.assertEqual(services.wording_current(network=b, kind="poster", language="en").number, 1)

    def test_a_service_call_with_a_bad_wording_raises_and_saves_nothing(self):
        network = Network.objects.create(name="Réseau C")
        admin = make_user("admin-c", role=Role.NETWORK_ADMIN, network=network)
        with self.assertRaises(ValidationError) as caught:
            services.wording_version_add(network=network, kind="poster", language="fr", body="# T\n{{ x }}", user=admin)
        self.assertIn("Repère inconnu : {{ x }}", str(caught.exception))
        self.assertFalse(WordingVersion.objects.filter(network=network, number__gt=1).exists())

    def test_two_rows_cannot_hold_the_same_version_number(self):
        network = Network.objects.create(name="Réseau D")
        services.wording_current(network=network, kind="poster", language="fr")
        with self.assertRaises(IntegrityError):
            WordingVersion.objects.create(network=network, kind="poster", language="fr", number=1, body="# T",
                                          created_at=timezone.make_aware(datetime.datetime(2026, 1, 1)))
