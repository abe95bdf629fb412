import logging
import os
import signal
import socket
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connection

from pcn.tasks.models import Task
from pcn.tasks.services import task_run_next

logger = logging.getLogger("pcn.tasks")


class Command(BaseCommand):
    help = (
        "Runs the background tasks (printing, big exports) waiting in the database. Run one or more as "
        "their own processes next to the web server. SIGTERM or Ctrl-C stops it after the task in hand; "
        "a second one stops it at once and puts that task back in the queue."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between two looks at an empty queue (default 1)"
        )
        parser.add_argument("--once", action="store_true", help="run every queued task, then exit")
        parser.add_argument(
            "--name", default=f"{socket.gethostname()}:{os.getpid()}", help="this worker's name in the tasks and logs"
        )

    def handle(self, *, interval: float, once: bool, name: str, **options):
        if interval <= 0:
            raise CommandError("--interval must be a positive number of seconds")
        self.stopping = threading.Event()
        previous = self._catch_signals()
        if not once:
            self.stdout.write(f"worker {name}: waiting for tasks (every {interval:g} s)")
        try:
            self._loop(name=name, interval=interval, once=once)
        except KeyboardInterrupt:
            self.stdout.write(f"worker {name}: stopped at once (a task in hand went back to the queue)")
            return
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if not once:
            self.stdout.write(f"worker {name}: stopped")

    def _loop(self, *, name: str, interval: float, once: bool) -> None:
        while not self.stopping.is_set():
            if not connection.in_atomic_block:
                close_old_connections()  # a long-lived process: drop broken or expired connections
            try:
                task = task_run_next(worker_name=name)
            except DatabaseError:
                if once:
                    raise
                logger.exception("worker %s: the database did not answer; trying again", name)
                self.stopping.wait(max(interval, 10))
                continue
            if task is None:
                if once:
                    return
                self.stopping.wait(interval)
            else:
                self.stdout.write(self._line(task))

    def _line(self, task: Task) -> str:
        seconds = (task.finished_at - task.started_at).total_seconds() if task.finished_at and task.started_at else 0
        count = f"{task.done_count}/{task.total_count}" if task.total_count else f"{task.done_count}"
        line = f"task {task.pk} {task.name} (program {task.program_id}): {task.status} in {seconds:.1f} s, {count}"
        if task.status == Task.Status.FAILED:
            line += " (details in the log)"
        return line

    def _catch_signals(self) -> dict:
        # Signal handlers can only be set from the main thread (tests may run the command in another one).
        if threading.current_thread() is not threading.main_thread():
            return {}
        previous = {}
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, self._on_signal)
        return previous

    def _on_signal(self, signum, frame):
        if self.stopping.is_set():
            raise KeyboardInterrupt  # asked twice: stop now
        self.stopping.set()
