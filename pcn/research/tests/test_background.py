"""A big season's export is prepared in the background (pcn.tasks); withdrawing the sharing deletes what was
prepared, and a task still waiting then stops with a message."""

import io
import zipfile
from unittest import mock

from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.research.models import ResearchDownload
from pcn.research.services import research_sharing_decide
from pcn.research.tasks import EXPORT_TASK
from pcn.research.tests.factories import research_world
from pcn.tasks.models import Task
from pcn.tasks.services import task_run_next
from pcn.testing import PASSWORD, make_user, make_world


@mock.patch("pcn.research.views.DIRECT_LIMIT", 0)
class BackgroundExportTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = research_world()
        cls.season, cls.researcher = cls.w["season"], cls.w["researcher"]
        research_sharing_decide(program=cls.w["program"], shared=True, by=cls.w["coordinator"])
        cls.url = reverse("research_export", args=[cls.season.pk])

    def setUp(self):
        self.client.login(username=self.researcher.username, password=PASSWORD)

    def prepare(self) -> Task:
        response = self.client.post(self.url)
        task = Task.objects.get(name=EXPORT_TASK)
        self.assertRedirects(response, reverse("task_detail", args=[task.pk]))
        return task

    def test_a_big_season_is_prepared_in_the_background_and_downloaded_when_ready(self):
        page = self.client.get(self.url)
        self.assertContains(page, "l'export se prépare en arrière-plan")
        self.assertFalse(Task.objects.exists())
        task = self.prepare()
        self.assertEqual(self.prepare(), task)  # asking again while it waits: the same task
        self.assertEqual(task_run_next(worker_name="test").status, Task.Status.DONE)
        response = self.client.get(reverse("task_download", args=[task.pk]))
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        self.assertIn("households.csv", archive.namelist())
        self.assertEqual(ResearchDownload.objects.get().user, self.researcher)
        self.assertContains(self.client.get(self.url), "prêt à télécharger")

    def test_withdrawing_the_sharing_deletes_what_was_prepared(self):
        task = self.prepare()
        task_run_next(worker_name="test")
        research_sharing_decide(program=self.w["program"], shared=False, by=self.w["coordinator"])
        self.assertEqual(self.client.get(reverse("task_download", args=[task.pk])).status_code, 404)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.post(self.url).status_code, 404)

    def test_a_task_still_waiting_when_the_sharing_is_withdrawn_stops(self):
        self.prepare()
        research_sharing_decide(program=self.w["program"], shared=False, by=self.w["coordinator"])
        task = task_run_next(worker_name="test")
        self.assertEqual(task.status, Task.Status.FAILED)
        self.assertIn("ne partage plus ses données", task.error_message)
        self.assertFalse(task.has_result)
        self.assertFalse(ResearchDownload.objects.exists())

    def test_no_one_else_prepares_an_export(self):
        other = make_world("Rimouski", network=self.w["network"])
        outsider = make_user("chercheur-rimouski", role=Role.RESEARCHER, program=other["program"])
        for user in (outsider, self.w["worker"]):
            self.client.login(username=user.username, password=PASSWORD)
            self.assertEqual(self.client.post(self.url).status_code, 404)
        self.assertFalse(Task.objects.exists())
