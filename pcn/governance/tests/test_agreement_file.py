from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.governance.tests.factories import PDF_BYTES, PNG_BYTES, MediaInTempDir, make_agreement, upload
from pcn.programs.models import Network
from pcn.testing import make_user, make_world


class AgreementFileTest(MediaInTempDir, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.program = cls.world["program"]
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)
        cls.other = make_world("Rimouski", network=Network.objects.create(name="Autre réseau"))
        cls.other_coordinator = make_user("coordo-rimouski", role=Role.COORDINATOR, program=cls.other["program"])

    def setUp(self):
        super().setUp()
        self.agreement = make_agreement(self.program, organization=self.world["partner"])
        self.url = reverse("agreement_file", args=[self.agreement.pk])

    def test_the_coordinator_downloads_the_signed_copy_as_an_attachment(self):
        self.client.force_login(self.coordinator)

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF_BYTES)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertIn(f'filename="{self.agreement.file.name.rsplit("/", 1)[-1]}"', response["Content-Disposition"])
        self.assertIn("no-store", response["Cache-Control"])

    def test_a_treasurer_of_the_program_may_download_it(self):
        self.client.force_login(make_user("tresorier", role=Role.TREASURER, program=self.program))
        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_a_photo_is_served_as_an_image(self):
        vendor_agreement = make_agreement(
            self.program, vendor=self.world["vendor"], file=upload("page 1.png", PNG_BYTES, "image/png")
        )
        self.client.force_login(self.coordinator)

        response = self.client.get(reverse("agreement_file", args=[vendor_agreement.pk]))

        self.assertEqual(response["Content-Type"], "image/png")
        self.assertEqual(b"".join(response.streaming_content), PNG_BYTES)

    def test_a_coordinator_of_another_program_gets_404(self):
        self.client.force_login(self.other_coordinator)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_people_without_a_configuration_role_get_404(self):
        for role, scope in (
            (Role.PARTNER_WORKER, {"organization": self.world["partner"]}),
            (Role.VENDOR, {"vendor": self.world["vendor"]}),
            (Role.RESEARCHER, {}),
        ):
            self.client.force_login(make_user(f"user-{role}", role=role, program=self.program, **scope))
            self.assertEqual(self.client.get(self.url).status_code, 404, role)

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('login')}?next={self.url}", fetch_redirect_response=False)

    def test_the_file_is_not_reachable_under_media(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(f"/media/{self.agreement.file.name}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(PDF_BYTES, response.content)

    def test_a_missing_file_answers_404_not_an_error(self):
        self.agreement.file.storage.delete(self.agreement.file.name)
        self.client.force_login(self.coordinator)
        self.assertEqual(self.client.get(self.url).status_code, 404)
