"""The task page, its JSON status and the download (pcn.tasks.views)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from pcn.accounts.models import Role
from pcn.programs.models import Network
from pcn.tasks.models import Task
from pcn.tasks.services import task_claim_next, task_run_next
from pcn.tasks.tests.base import TaskTestCase
from pcn.testing import PASSWORD, make_user, make_world


class TaskPagesTest(TaskTestCase):
    def urls(self, task):
        return [reverse(name, args=[task.pk]) for name in ("task_detail", "task_status", "task_download")]

    def test_the_coordinator_follows_a_finished_task_and_downloads_its_file_under_its_name(self):
        task = self.enqueue(kwargs={"count": 3, "filename": "coupons-série-3.txt"})
        task_run_next(worker_name="w")
        self.client.force_login(self.coordinator)

        page = self.client.get(reverse("task_detail", args=[task.pk]))
        self.assertContains(page, "<h1>Impression de la série 3</h1>", html=True)
        self.assertContains(page, "3 sur 3")
        self.assertContains(page, "Terminé. Le fichier est prêt.")
        self.assertContains(page, f'href="{reverse("task_download", args=[task.pk])}"')
        self.assertContains(page, "Télécharger")
        self.assertNotContains(page, 'http-equiv="refresh"')  # over: no reason to reload

        download = self.client.get(reverse("task_download", args=[task.pk]))
        self.assertEqual(download.status_code, 200)
        self.assertEqual(b"".join(download.streaming_content), b"ligne 1\nligne 2\nligne 3\n")
        self.assertIn("attachment;", download["Content-Disposition"])
        self.assertIn("filename*=utf-8''coupons-s%C3%A9rie-3.txt", download["Content-Disposition"])
        self.assertEqual(download["Cache-Control"], "private, no-store")

    def test_the_status_says_how_far_the_task_is_in_json(self):
        task = self.enqueue(kwargs={"count": 100_000})
        claimed = task_claim_next(worker_name="w")
        Task.objects.filter(pk=claimed.pk).update(done_count=12_345, total_count=100_000)
        self.client.force_login(self.coordinator)

        response = self.client.get(reverse("task_status", args=[task.pk]))

        self.assertEqual(response["Cache-Control"], "private, no-store")
        state = response.json()
        self.assertEqual(state["status"], "running")
        self.assertEqual((state["done"], state["total"], state["percent"]), (12_345, 100_000, 12))
        self.assertEqual(state["text"], "12\xa0345 sur 100\xa0000")
        self.assertEqual(state["message"], "En cours. Vous pouvez quitter cette page : le travail continue.")
        self.assertIsNone(state["download_url"])

        page = self.client.get(reverse("task_detail", args=[task.pk]))
        self.assertContains(page, 'max="100000" value="12345"')
        self.assertContains(page, '<noscript><meta http-equiv="refresh" content="3"></noscript>')
        self.assertContains(page, "tasks/progress.js")

    def test_a_queued_task_says_it_waits_and_says_more_when_it_waits_too_long(self):
        task = self.enqueue()
        self.client.force_login(self.coordinator)
        state = self.client.get(reverse("task_status", args=[task.pk])).json()
        self.assertEqual(state["message"], "En attente : la tâche commencera dans un instant.")
        self.assertEqual(state["text"], "")

        Task.objects.filter(pk=task.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=10))
        state = self.client.get(reverse("task_status", args=[task.pk])).json()
        self.assertIn("écrivez au soutien", state["message"])

    def test_a_failed_task_shows_the_plain_message_and_nothing_to_download(self):
        task = self.enqueue("tests.explode", {"secret": "s3cr3t"})
        with self.assertLogs("pcn.tasks", level="ERROR"):
            task_run_next(worker_name="w")
        self.client.force_login(self.coordinator)

        page = self.client.get(reverse("task_detail", args=[task.pk]))
        self.assertContains(page, "La tâche a échoué. Réessayez ; si le problème revient, écrivez au soutien.")
        self.assertNotContains(page, "s3cr3t")
        self.assertNotContains(page, "RuntimeError")
        self.assertEqual(self.client.get(reverse("task_status", args=[task.pk])).json()["status"], "failed")
        self.assertEqual(self.client.get(reverse("task_download", args=[task.pk])).status_code, 404)

    def test_nothing_is_downloaded_before_the_task_is_done(self):
        task = self.enqueue()
        self.client.force_login(self.coordinator)
        self.assertEqual(self.client.get(reverse("task_download", args=[task.pk])).status_code, 404)

    def test_a_treasurer_does_not_download_a_coordinators_print_run(self):
        task = self.enqueue()
        task_run_next(worker_name="w")
        self.client.force_login(make_user("tresorier", role=Role.TREASURER, program=self.program))
        for url in self.urls(task):
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_whoever_queued_a_task_follows_it_while_they_hold_a_role(self):
        treasurer = make_user("tresorier", role=Role.TREASURER, program=self.program)
        task = self.enqueue(label="Export", by=treasurer)
        task_run_next(worker_name="w")
        self.client.force_login(treasurer)
        for url in self.urls(task):
            self.assertEqual(self.client.get(url).status_code, 200, url)
        treasurer.memberships.all().delete()
        treasurer._pcn_memberships = None  # the request re-reads the roles; this object is reused by force_login
        self.assertEqual(self.client.get(reverse("task_detail", args=[task.pk])).status_code, 404)

    def test_other_roles_of_the_program_get_404(self):
        task = self.enqueue()
        task_run_next(worker_name="w")
        vendor = make_user("marchand", role=Role.VENDOR, program=self.program, vendor=self.world["vendor"])
        partner = make_user("intervenant", role=Role.PARTNER_WORKER, program=self.program, organization=self.world["partner"])
        for user in (vendor, partner):
            self.client.force_login(user)
            for url in self.urls(task):
                self.assertEqual(self.client.get(url).status_code, 404, f"{user} {url}")

    def test_a_coordinator_of_another_program_gets_404(self):
        task = self.enqueue()
        task_run_next(worker_name="w")
        other = make_world("Rimouski", network=Network.objects.create(name="Autre réseau"))
        outsider = make_user("charlie", role=Role.COORDINATOR, program=other["program"])
        self.client.force_login(outsider)
        for url in self.urls(task):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn(b"Impression de la s", response.content)

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        task = self.enqueue()
        for url in self.urls(task):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith(reverse("login")), url)

    def test_the_pages_only_answer_reads(self):
        task = self.enqueue()
        self.client.login(username="coordo", password=PASSWORD)
        for url in self.urls(task):
            self.assertEqual(self.client.post(url).status_code, 405, url)
