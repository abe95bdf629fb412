import os
from unittest import mock

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils.html import escape

from pcn.accounts.models import Role
from pcn.governance.models import Agreement
from pcn.governance.tests.factories import (
    EXE_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    MediaInTempDir,
    days_ago,
    make_agreement,
    make_organization,
    upload,
)
from pcn.programs.models import Network, Organization
from pcn.testing import make_user, make_world


def stored_files(root: str) -> list[str]:
    return [name for _dir, _subdirs, names in os.walk(root) for name in names]


class AgreementFormTest(MediaInTempDir, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.program = cls.world["program"]
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)
        cls.other = make_world("Rimouski", network=Network.objects.create(name="Autre réseau"))

    def setUp(self):
        super().setUp()
        self.client.force_login(self.coordinator)
        self.url = reverse("agreement_create", args=[self.program.pk])

    def post(self, **overrides):
        data = {
            "kind": "partner",
            "organization": self.world["partner"].pk,
            "vendor": "",
            "signed_on": days_ago(20).isoformat(),
            "file": upload(),
            "notes": "",
        }
        data.update(overrides)
        return self.client.post(self.url, data)

    def assert_refused(self, response, message):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, escape(message))
        self.assertEqual(Agreement.objects.count(), 0)
        self.assertEqual(stored_files(self.media_root), [])

    def test_a_coordinator_records_a_partner_agreement_with_its_signed_pdf(self):
        response = self.post(notes="Renouvelée chaque printemps.")

        self.assertRedirects(
            response, reverse("governance", args=[self.program.pk]) + "#agreements", fetch_redirect_response=False
        )
        agreement = Agreement.objects.get()
        self.assertEqual(agreement.kind, "partner")
        self.assertEqual(agreement.organization, self.world["partner"])
        self.assertEqual(agreement.notes, "Renouvelée chaque printemps.")
        with agreement.file.open("rb") as f:
            self.assertEqual(f.read(), PDF_BYTES)
        page = self.client.get(response["Location"])
        self.assertContains(page, "L&#x27;entente avec « Entraide Portneuf » est enregistrée.")
        self.assertContains(page, reverse("agreement_file", args=[agreement.pk]))

    def test_a_coordinator_records_a_vendor_agreement_with_a_photo(self):
        response = self.post(
            kind="vendor", organization="", vendor=self.world["vendor"].pk,
            file=upload("photo.JPG", JPEG_BYTES, "image/jpeg"),
        )

        self.assertEqual(response.status_code, 302)
        agreement = Agreement.objects.get()
        self.assertEqual(agreement.vendor, self.world["vendor"])
        self.assertIsNone(agreement.organization)
        self.assertTrue(agreement.file.name.endswith(".jpg"))

    def test_the_form_offers_only_this_programs_partners_and_vendors(self):
        funder = make_organization(self.program, "Fondation Régionale", Organization.Kind.FUNDER)

        response = self.client.get(self.url)

        self.assertContains(response, "Entraide Portneuf")
        self.assertContains(response, "Ferme Portneuf")
        self.assertNotContains(response, "Entraide Rimouski")
        self.assertNotContains(response, "Ferme Rimouski")
        self.assertNotContains(response, funder.name)

    def test_the_form_tells_how_to_add_a_partner_or_vendor_when_there_is_none(self):
        self.world["vendor"].delete()
        self.world["partner"].kind = Organization.Kind.FUNDER
        self.world["partner"].save()

        response = self.client.get(self.url)

        # blocktranslate leaves its own text unescaped
        self.assertContains(response, "Ce programme n'a pas encore d'organisme partenaire ni de conseil de bande.")
        self.assertContains(response, reverse("organization_create", args=[self.program.pk]))
        self.assertContains(response, "Ce programme n'a pas encore de marchand.")
        self.assertContains(response, reverse("vendor_create", args=[self.program.pk]))

    def test_it_refuses_an_agreement_with_neither_party(self):
        self.assert_refused(
            self.post(organization="", vendor=""), "Choisissez le partenaire avec qui l'entente est signée."
        )

    def test_it_says_to_fill_the_vendor_list_for_a_vendor_agreement(self):
        self.assert_refused(
            self.post(kind="vendor", organization="", vendor=""), "Choisissez le marchand avec qui l'entente est signée."
        )

    def test_it_refuses_an_agreement_without_a_kind(self):
        self.assert_refused(
            self.post(kind=""), "Dites si l'entente est signée avec un partenaire ou avec un marchand."
        )

    def test_it_refuses_both_a_partner_and_a_vendor(self):
        self.assert_refused(
            self.post(vendor=self.world["vendor"].pk),
            "Vous avez choisi une entente avec un partenaire : laissez la liste des marchands vide, "
            "ou cochez « Entente avec un marchand ».",
        )

    def test_it_refuses_a_vendor_of_another_program(self):
        self.assert_refused(
            self.post(kind="vendor", organization="", vendor=self.other["vendor"].pk),
            "Ce marchand n'est pas dans ce programme. Choisissez un marchand dans la liste.",
        )

    def test_it_refuses_an_exe_renamed_pdf(self):
        self.assert_refused(
            self.post(file=upload("entente.pdf", EXE_BYTES)),
            "Le fichier « entente.pdf » porte le nom d'un PDF, mais son contenu n'en est pas un.",
        )

    def test_it_refuses_a_file_that_is_not_a_pdf_jpeg_or_png(self):
        self.assert_refused(
            self.post(file=upload("entente.docx", b"PK\x03\x04 word", "application/octet-stream")),
            "Le fichier « entente.docx » n'est ni un PDF, ni une photo JPEG ou PNG.",
        )

    def test_it_refuses_a_file_over_10_mb(self):
        big = PDF_BYTES + b"0" * (10 * 1024 * 1024)
        self.assert_refused(
            self.post(file=upload("entente.pdf", big)),
            "Le fichier « entente.pdf » pèse 10,1 Mo, plus que la limite de 10 Mo.",
        )

    def test_it_refuses_an_agreement_without_its_file(self):
        data = {"kind": "partner", "organization": self.world["partner"].pk, "signed_on": days_ago(3).isoformat()}
        self.assert_refused(
            self.client.post(self.url, data), "Joignez l'entente signée : un PDF, ou une photo en JPEG ou PNG."
        )

    def test_it_refuses_an_agreement_without_a_date(self):
        self.assert_refused(self.post(signed_on=""), "Donnez la date où l'entente a été signée.")

    def test_it_refuses_a_signature_date_in_the_future(self):
        self.assert_refused(
            self.post(signed_on=days_ago(-5).isoformat()),
            "La date de signature est dans le futur. Donnez la date où l'entente a été signée.",
        )

    def test_an_empty_submission_shows_what_to_fill(self):
        response = self.client.post(self.url, {})
        self.assert_refused(response, "Dites si l'entente est signée avec un partenaire ou avec un marchand.")
        self.assertContains(response, escape("Donnez la date où l'entente a été signée."))
        self.assertContains(response, escape("Joignez l'entente signée : un PDF, ou une photo en JPEG ou PNG."))

    def test_a_treasurer_cannot_add_an_agreement(self):
        self.client.force_login(make_user("tresorier", role=Role.TREASURER, program=self.program))

        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.post().status_code, 404)
        self.assertEqual(Agreement.objects.count(), 0)


class AgreementRecordServiceTest(MediaInTempDir, TestCase):
    """The service holds the rules even when called without the form (commands, imports)."""

    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.program = cls.world["program"]
        cls.other = make_world("Rimouski")

    def assert_refused(self, field, message, **kwargs):
        with self.assertRaises(ValidationError) as caught:
            make_agreement(self.program, **kwargs)
        self.assertEqual(caught.exception.message_dict[field], [message])
        self.assertEqual(Agreement.objects.count(), 0)
        self.assertEqual(stored_files(self.media_root), [])

    def test_it_refuses_a_partner_of_another_program(self):
        self.assert_refused(
            "organization",
            "Ce partenaire n'est pas dans ce programme. Choisissez un partenaire dans la liste.",
            organization=self.other["partner"],
        )

    def test_it_refuses_a_vendor_of_another_program(self):
        self.assert_refused(
            "vendor",
            "Ce marchand n'est pas dans ce programme. Choisissez un marchand dans la liste.",
            vendor=self.other["vendor"],
        )

    def test_a_partner_agreement_needs_a_community_partner_or_a_band_council(self):
        funder = make_organization(self.program, "Fondation Régionale", Organization.Kind.FUNDER)
        self.assert_refused(
            "organization",
            "« Fondation Régionale » n'est ni un organisme communautaire partenaire, ni un conseil de bande. "
            "Choisissez un de ceux-là, ou changez le type de l'organisation.",
            organization=funder,
        )

    def test_a_band_council_may_sign_a_partner_agreement(self):
        council = make_organization(self.program, "Conseil des Anicinapek", Organization.Kind.BAND_COUNCIL)
        agreement = make_agreement(self.program, organization=council)
        self.assertEqual(agreement.party, council)

    def test_a_png_whose_bytes_are_a_jpeg_is_refused(self):
        self.assert_refused(
            "file",
            "Le fichier « scan.png » porte le nom d'un PNG, mais son contenu n'en est pas un. Il est peut-être "
            "abîmé ou d'un autre type : enregistrez l'entente en PDF, JPEG ou PNG, puis joignez-la de nouveau.",
            organization=self.world["partner"],
            file=upload("scan.png", JPEG_BYTES, "image/png"),
        )

    def test_the_stored_file_is_removed_when_the_row_cannot_be_saved(self):
        with mock.patch.object(Agreement, "save", side_effect=RuntimeError("database unavailable")):
            with self.assertRaises(RuntimeError):
                make_agreement(self.program, organization=self.world["partner"])
        self.assertEqual(Agreement.objects.count(), 0)
        self.assertEqual(stored_files(self.media_root), [])

    def test_the_stored_file_keeps_a_safe_form_of_the_uploaded_name(self):
        agreement = make_agreement(
            self.program, organization=self.world["partner"], file=upload("../Entente Côté (signée).PDF")
        )
        self.assertEqual(agreement.file.name, f"programs/{self.program.pk}/agreements/entente-cote-signee.pdf")
