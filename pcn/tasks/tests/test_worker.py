"""The `pcn worker` command."""

from io import StringIO

from django.core.management import CommandError, call_command

from pcn.tasks.models import Task
from pcn.tasks.tests.base import TaskTestCase


class WorkerCommandTest(TaskTestCase):
    def test_once_runs_every_queued_task_then_exits_with_one_line_each(self):
        first = self.enqueue(kwargs={"count": 2})
        second = self.enqueue(kwargs={"count": 5})
        out = StringIO()

        call_command("worker", "--once", "--name", "test-worker", stdout=out)

        self.assertEqual(set(Task.objects.values_list("status", flat=True)), {Task.Status.DONE})
        lines = out.getvalue().splitlines()
        self.assertEqual(len(lines), 2)
        self.assertTrue(lines[0].startswith(f"task {first.pk} tests.write_lines (program {self.program.pk}): done in"))
        self.assertTrue(lines[1].endswith(", 5/5"), lines[1])
        self.assertEqual(Task.objects.get(pk=second.pk).worker, "test-worker")

    def test_once_with_an_empty_queue_says_nothing(self):
        out = StringIO()
        call_command("worker", "--once", stdout=out)
        self.assertEqual(out.getvalue(), "")

    def test_a_failed_task_does_not_stop_the_worker(self):
        self.enqueue("tests.explode", {})
        self.enqueue()
        out = StringIO()
        with self.assertLogs("pcn.tasks", level="ERROR"):
            call_command("worker", "--once", stdout=out)
        self.assertIn("failed in", out.getvalue())
        self.assertIn("(details in the log)", out.getvalue())
        self.assertEqual(Task.objects.filter(status=Task.Status.DONE).count(), 1)

    def test_sigterm_lets_the_task_in_hand_finish_then_stops(self):
        stopping = self.enqueue("tests.stop_the_worker", {})
        waiting = self.enqueue()
        out = StringIO()

        call_command("worker", "--interval", "0.05", stdout=out)  # not --once: only the signal ends it

        stopping.refresh_from_db()
        waiting.refresh_from_db()
        self.assertEqual((stopping.status, stopping.done_count), (Task.Status.DONE, 2))
        self.assertEqual(waiting.status, Task.Status.QUEUED)
        self.assertTrue(out.getvalue().rstrip().endswith("stopped"))

    def test_the_interval_must_be_positive(self):
        with self.assertRaises(CommandError):
            call_command("worker", "--once", "--interval", "0")
