"""The queue itself: enqueue, claim, run, fail, requeue (pcn.tasks.services)."""

import datetime
import time
from pathlib import Path

from django.db import IntegrityError, transaction
from django.test import TestCase, TransactionTestCase
from django.utils import timezone

from pcn.tasks import registry
from pcn.tasks.models import Task
from pcn.tasks.registry import UnknownTask
from pcn.tasks.services import (
    FAILED_MESSAGE,
    GAVE_UP_MESSAGE,
    MAX_ATTEMPTS,
    STALE_AFTER,
    Progress,
    task_claim,
    task_claim_next,
    task_requeue_stale,
    task_run_next,
)
from pcn.tasks.tests.base import TaskTestCase


class RunTest(TaskTestCase):
    def test_a_queued_task_runs_records_its_progress_and_keeps_its_file(self):
        task = self.enqueue(kwargs={"count": 3, "filename": "coupons-série-3.txt"})
        self.assertEqual(task.status, Task.Status.QUEUED)
        self.assertEqual(task.language, "fr")

        ran = task_run_next(worker_name="test-worker")

        self.assertEqual(ran.pk, task.pk)
        self.assertEqual(ran.status, Task.Status.DONE)
        self.assertEqual((ran.done_count, ran.total_count), (3, 3))
        self.assertEqual(ran.attempts, 1)
        self.assertEqual(ran.worker, "test-worker")
        self.assertLessEqual(ran.started_at, ran.finished_at)
        self.assertEqual(ran.error_message, "")
        self.assertEqual(ran.result_name, "coupons-série-3.txt")
        self.assertEqual(ran.result_file.name, f"tasks/{task.pk}/coupons-série-3.txt")
        path = Path(self.media_root) / ran.result_file.name
        self.assertEqual(path.read_text(), "ligne 1\nligne 2\nligne 3\n")
        self.assertEqual(sorted(p.name for p in path.parent.iterdir()), ["coupons-série-3.txt"])  # no .part left

    def test_there_is_nothing_to_run_when_the_queue_is_empty(self):
        self.assertIsNone(task_run_next(worker_name="w"))

    def test_a_download_name_cannot_climb_out_of_the_tasks_folder(self):
        task = self.enqueue(kwargs={"count": 1, "filename": "../../secret/../ma liste.txt"})
        ran = task_run_next(worker_name="w")
        self.assertEqual(ran.result_file.name, f"tasks/{task.pk}/ma_liste.txt")
        self.assertEqual(ran.result_name, "ma liste.txt")

    def test_a_failing_task_ends_failed_with_a_plain_french_message_and_the_traceback_only_in_the_log(self):
        task = self.enqueue("tests.explode", {"secret": "s3cr3t"})

        with self.assertLogs("pcn.tasks", level="ERROR") as logs:
            ran = task_run_next(worker_name="w")

        self.assertEqual(ran.status, Task.Status.FAILED)
        self.assertEqual(
            ran.error_message, "La tâche a échoué. Réessayez ; si le problème revient, écrivez au soutien."
        )
        self.assertEqual(ran.error_message, FAILED_MESSAGE)
        self.assertNotIn("s3cr3t", ran.error_message)
        self.assertIsNotNone(ran.finished_at)
        self.assertEqual((ran.done_count, ran.total_count), (2, 4))
        log = "\n".join(logs.output)
        self.assertIn(f"Task {task.pk} (tests.explode", log)
        self.assertIn("Traceback", log)
        self.assertIn("RuntimeError: internal detail s3cr3t", log)

    def test_a_failed_task_leaves_no_half_written_file(self):
        task = self.enqueue("tests.explode")
        with self.assertLogs("pcn.tasks", level="ERROR"):
            ran = task_run_next(worker_name="w")
        self.assertFalse(ran.result_file)
        folder = Path(self.media_root) / "tasks" / str(task.pk)
        self.assertEqual(list(folder.iterdir()), [])

    def test_a_task_can_end_with_its_own_message_for_the_user(self):
        self.enqueue("tests.refuse", {})
        with self.assertLogs("pcn.tasks", level="WARNING"):
            ran = task_run_next(worker_name="w")
        self.assertEqual(ran.status, Task.Status.FAILED)
        self.assertEqual(ran.error_message, "La série 3 a été annulée : il n'y a plus rien à imprimer.")

    def test_a_task_whose_function_is_gone_fails_cleanly(self):
        task = self.enqueue()
        Task.objects.filter(pk=task.pk).update(name="tests.removed_since")
        with self.assertLogs("pcn.tasks", level="ERROR") as logs:
            ran = task_run_next(worker_name="w")
        self.assertEqual(ran.status, Task.Status.FAILED)
        self.assertIn("UnknownTask", "\n".join(logs.output))

    def test_a_worker_stopped_at_once_puts_its_task_back_in_the_queue(self):
        task = self.enqueue("tests.interrupted", {})
        with self.assertLogs("pcn.tasks", level="WARNING"), self.assertRaises(KeyboardInterrupt):
            task_run_next(worker_name="w")
        task.refresh_from_db()
        self.assertEqual(task.status, Task.Status.QUEUED)
        self.assertEqual(task.attempts, 1)

    def test_the_function_runs_in_the_language_of_who_queued_it(self):
        self.enqueue("tests.language", {}, language="en")
        ran = task_run_next(worker_name="w")
        self.assertEqual((Path(self.media_root) / ran.result_file.name).read_text(), "en")


class EnqueueTest(TaskTestCase):
    def test_an_unknown_function_name_is_refused(self):
        with self.assertRaises(UnknownTask):
            self.enqueue("coupons.print_everything_twice", {})
        self.assertFalse(Task.objects.exists())

    def test_arguments_must_be_plain_json(self):
        with self.assertRaises(TypeError):
            self.enqueue(kwargs={"count": 1, "when": datetime.date(2026, 6, 1)})
        with self.assertRaises(ValueError):
            self.enqueue(kwargs={"progress": 1})
        self.assertFalse(Task.objects.exists())

    def test_tasks_are_found_in_the_apps_tasks_modules(self):
        self.assertTrue(registry.is_registered("tests.write_lines"))
        self.assertIn("tests.slow", registry.registered_names())

    def test_one_name_cannot_be_given_to_two_functions(self):
        with self.assertRaises(ValueError):
            registry.register("tests.write_lines")(lambda progress: None)


class ClaimTest(TaskTestCase):
    def test_of_two_claims_of_one_queued_task_only_one_wins(self):
        task = self.enqueue()
        self.assertTrue(task_claim(task_id=task.pk, worker_name="first"))
        self.assertFalse(task_claim(task_id=task.pk, worker_name="second"))
        task.refresh_from_db()
        self.assertEqual((task.status, task.worker, task.attempts), (Task.Status.RUNNING, "first", 1))
        self.assertIsNone(task_claim_next(worker_name="second"))

    def test_the_oldest_queued_task_is_claimed_first(self):
        newer = self.enqueue(label="Nouvelle")
        older = self.enqueue(label="Ancienne")
        Task.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
        self.assertEqual(task_claim_next(worker_name="w").pk, older.pk)
        self.assertEqual(task_claim_next(worker_name="w").pk, newer.pk)
        self.assertIsNone(task_claim_next(worker_name="w"))

    def test_a_stale_running_task_goes_back_to_the_queue_and_fails_after_three_attempts(self):
        task = self.enqueue()
        for attempt in range(1, MAX_ATTEMPTS + 1):
            self.assertEqual(task_claim_next(worker_name=f"w{attempt}").pk, task.pk)
            # The worker dies: its heartbeat stops.
            Task.objects.filter(pk=task.pk).update(
                heartbeat_at=timezone.now() - STALE_AFTER - datetime.timedelta(seconds=1), done_count=1, total_count=3
            )
            with self.assertLogs("pcn.tasks", level="WARNING"):
                self.assertEqual(task_requeue_stale(), 1)
            task.refresh_from_db()
            self.assertEqual(task.attempts, attempt)
            if attempt < MAX_ATTEMPTS:
                self.assertEqual((task.status, task.done_count, task.worker), (Task.Status.QUEUED, 0, ""))
        self.assertEqual(task.status, Task.Status.FAILED)
        self.assertEqual(task.error_message, GAVE_UP_MESSAGE)
        self.assertIsNone(task_claim_next(worker_name="w4"))

    def test_a_running_task_that_still_beats_is_left_alone(self):
        task = self.enqueue()
        task_claim_next(worker_name="w")
        Task.objects.filter(pk=task.pk).update(heartbeat_at=timezone.now() - STALE_AFTER + datetime.timedelta(minutes=1))
        self.assertEqual(task_requeue_stale(), 0)
        task.refresh_from_db()
        self.assertEqual(task.status, Task.Status.RUNNING)

    def test_the_next_run_requeues_a_dead_workers_task_and_runs_it(self):
        task = self.enqueue()
        task_claim_next(worker_name="died")
        Task.objects.filter(pk=task.pk).update(heartbeat_at=timezone.now() - STALE_AFTER * 2)
        with self.assertLogs("pcn.tasks", level="WARNING"):
            ran = task_run_next(worker_name="alive")
        self.assertEqual((ran.pk, ran.status, ran.attempts, ran.worker), (task.pk, Task.Status.DONE, 2, "alive"))


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class ProgressTest(TaskTestCase):
    def claimed(self):
        self.enqueue()
        return task_claim_next(worker_name="w")

    def test_progress_is_written_at_most_every_half_second(self):
        task = self.claimed()
        clock = FakeClock()
        progress = Progress(task, clock=clock)
        with self.assertNumQueries(1):
            progress.set_total(1000)
        with self.assertNumQueries(0):
            for _ in range(500):
                progress.advance()
        clock.now += 0.5
        with self.assertNumQueries(1):
            progress.advance(10)
        task.refresh_from_db()
        self.assertEqual((task.done_count, task.total_count), (510, 1000))

    def test_progress_waits_until_the_function_is_outside_its_own_transaction(self):
        task = self.claimed()
        clock = FakeClock()
        progress = Progress(task, clock=clock)
        with transaction.atomic():
            progress.set_total(10)
            progress.advance(3)
        task.refresh_from_db()
        self.assertEqual((task.done_count, task.total_count), (0, 0))
        progress.advance()
        task.refresh_from_db()
        self.assertEqual((task.done_count, task.total_count), (4, 10))

    def test_a_count_above_the_announced_total_is_stored_as_the_total(self):
        task = self.claimed()
        progress = Progress(task, clock=FakeClock())
        progress.set_total(2)
        progress.advance(5)
        with self.assertLogs("pcn.tasks", level="WARNING"):
            self.assertEqual(progress.counts(), (2, 2))

    def test_a_run_that_lost_its_claim_writes_nothing(self):
        task = self.claimed()
        progress = Progress(task, clock=FakeClock())
        Task.objects.filter(pk=task.pk).update(attempts=task.attempts + 1)  # another worker took it over
        progress.set_total(7)
        task.refresh_from_db()
        self.assertEqual(task.total_count, 0)


class ConstraintTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        from pcn.testing import make_world

        cls.program = make_world("Kamouraska")["program"]

    def make(self, **fields):
        with transaction.atomic():
            Task.objects.create(program=self.program, name="tests.write_lines", label="x", **fields)

    def test_a_count_cannot_pass_a_known_total(self):
        self.make(done_count=5, total_count=0)  # total not known yet: fine
        with self.assertRaises(IntegrityError):
            self.make(done_count=5, total_count=4)

    def test_the_status_is_one_of_the_four(self):
        with self.assertRaises(IntegrityError):
            self.make(status="lost")

    def test_a_failed_task_has_a_message_and_an_end(self):
        now = timezone.now()
        with self.assertRaises(IntegrityError):
            self.make(status="failed", finished_at=now)
        with self.assertRaises(IntegrityError):
            self.make(status="failed", error_message="Oups")
        self.make(status="failed", finished_at=now, error_message="Oups")

    def test_a_running_task_has_a_start_and_a_heartbeat(self):
        with self.assertRaises(IntegrityError):
            self.make(status="running")
        with self.assertRaises(IntegrityError):
            self.make(status="queued", finished_at=timezone.now())


class HeartbeatTest(TransactionTestCase):
    """The heartbeat thread writes through its own connection, so the rows must be committed."""

    def test_a_long_step_without_progress_still_beats(self):
        from pcn.tasks.services import _Heartbeat
        from pcn.testing import make_world

        program = make_world("Témiscouata")["program"]
        Task.objects.create(program=program, name="tests.write_lines", label="x")
        task = task_claim_next(worker_name="w")
        long_ago = timezone.now() - datetime.timedelta(minutes=5)
        Task.objects.filter(pk=task.pk).update(heartbeat_at=long_ago)

        with _Heartbeat(task, every=0.05):
            time.sleep(0.4)  # the function is busy and calls no progress method

        task.refresh_from_db()
        self.assertGreater(task.heartbeat_at, long_ago + datetime.timedelta(minutes=4))
