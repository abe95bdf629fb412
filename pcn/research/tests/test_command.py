import io
import tempfile
import zipfile

from django.core.management import CommandError, call_command
from django.test import TestCase

from pcn.research.models import ResearchDownload
from pcn.research.services import research_sharing_decide
from pcn.research.tests.factories import research_world


class CommandTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = research_world()

    def test_it_writes_the_export_of_a_program_that_shares(self):
        research_sharing_decide(program=self.w["program"], shared=True, threshold=9, by=self.w["coordinator"])
        out = io.StringIO()
        with tempfile.TemporaryDirectory() as folder:
            call_command("research_export", self.w["season"].pk, user=self.w["researcher"].username,
                         output=folder, stdout=out)
            with zipfile.ZipFile(f"{folder}/recherche-pcn-portneuf-ete-2026.zip") as archive:
                self.assertIn("Seuil des petits nombres : 9", archive.read("LISEZ-MOI.txt").decode())
        self.assertIn("recherche-pcn-portneuf-ete-2026.zip", out.getvalue())
        self.assertEqual(ResearchDownload.objects.get().user, self.w["researcher"])

    def test_it_refuses_a_program_that_does_not_share_or_a_user_who_is_not_its_researcher(self):
        with self.assertRaisesMessage(CommandError, "does not share its data with research"):
            call_command("research_export", self.w["season"].pk, user=self.w["researcher"].username)
        research_sharing_decide(program=self.w["program"], shared=True, by=self.w["coordinator"])
        with self.assertRaisesMessage(CommandError, "does not hold the researcher role"):
            call_command("research_export", self.w["season"].pk, user=self.w["coordinator"].username)
        self.assertFalse(ResearchDownload.objects.exists())
