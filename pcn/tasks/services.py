"""The database-backed task queue: enqueue in the web process, claim and run in `pcn worker`.

Contract:
- `task_enqueue` inserts a queued row. Called inside the caller's transaction, the task exists for the
  workers only once that transaction commits (the queue is the database, so no task ever runs on data
  that was rolled back).
- A task is claimed by one conditional UPDATE (`status = queued` → `running`, `attempts + 1`), so of
  several workers racing for it exactly one wins. On PostgreSQL the candidate is picked with
  `SELECT ... FOR UPDATE SKIP LOCKED`, so workers do not wait on each other; on SQLite the write lock of
  the IMMEDIATE transaction serializes claims.
- The claim is identified by (pk, attempts): every later write of the run (progress, heartbeat, end)
  is conditional on it, so a worker that was wrongly presumed dead cannot overwrite a newer run.
- While a function runs, a heartbeat thread refreshes `heartbeat_at` every HEARTBEAT_EVERY seconds in
  its own connection. A running task whose heartbeat is older than STALE_AFTER (its worker died) goes
  back to the queue; after MAX_ATTEMPTS claims it fails instead.
- Progress and heartbeat writes are single autocommit UPDATEs of the task row: short, and never inside
  the function's own transactions (progress written there would stay invisible and hold the row lock,
  so it waits until the function is back outside them).
"""

import json
import logging
import os
import threading
import time
from datetime import timedelta
from pathlib import Path, PurePath
from typing import BinaryIO

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, connections, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_noop

from pcn.programs.models import Program
from pcn.tasks import registry
from pcn.tasks.models import Task, task_result_path
from pcn.tasks.registry import TaskError, UnknownTask

logger = logging.getLogger("pcn.tasks")

MAX_ATTEMPTS = 3
STALE_AFTER = timedelta(minutes=10)
HEARTBEAT_EVERY = 30.0  # seconds; far below STALE_AFTER
PROGRESS_EVERY = 0.5  # seconds between two progress writes

# Stored in French (the source language) and translated when shown: see pcn.tasks.views.
FAILED_MESSAGE = gettext_noop("La tâche a échoué. Réessayez ; si le problème revient, écrivez au soutien.")
GAVE_UP_MESSAGE = gettext_noop(
    "La tâche a été interrompue plusieurs fois sans pouvoir finir. Réessayez ; si le problème revient, "
    "écrivez au soutien."
)


# Enqueue


@transaction.atomic
def task_enqueue(
    *, program: Program, name: str, kwargs: dict, label: str, by, language: str | None = None
) -> Task:
    """Queue `name(progress, **kwargs)` for the worker. `kwargs` must be plain JSON (ids, not objects);
    `label` is the title users see (« Impression de la série 3 »); the function runs in `language`
    (the current one by default), so the files it writes speak the user's language.

    Raises UnknownTask for a name no app registered."""
    if not registry.is_registered(name):
        raise UnknownTask(f"no task function is registered as {name!r}")
    kwargs = dict(kwargs or {})
    if "progress" in kwargs:
        raise ValueError("'progress' is passed by the worker; choose another argument name")
    try:
        json.dumps(kwargs)
    except (TypeError, ValueError) as error:
        raise TypeError(f"task arguments must be plain JSON (ids, strings, numbers): {error}") from None
    task = Task(
        program=program,
        name=name,
        kwargs=kwargs,
        label=label,
        created_by=by,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
    )
    task.full_clean()
    task.save()
    return task


# Claim


def task_claim(*, task_id: int, worker_name: str) -> bool:
    """Take a queued task for this worker. True for exactly one of several concurrent callers.

    Locking: one conditional UPDATE; the database serializes writers of the row, and a loser's WHERE
    no longer matches."""
    now = timezone.now()
    claimed = Task.objects.filter(pk=task_id, status=Task.Status.QUEUED).update(
        status=Task.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        worker=worker_name[:200],
        done_count=0,
    )
    return claimed == 1


def task_claim_next(*, worker_name: str) -> Task | None:
    """Claim the oldest queued task, or return None when the queue is empty."""
    for _ in range(100):  # each lost race means another worker took a task: the queue gets shorter
        with transaction.atomic():
            candidates = Task.objects.queued().oldest_first()
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True)
            task_id = candidates.values_list("pk", flat=True).first()
            if task_id is None:
                return None
            if task_claim(task_id=task_id, worker_name=worker_name):
                return Task.objects.get(pk=task_id)
    return None


def task_requeue_stale(*, now=None) -> int:
    """Give back to the queue the running tasks whose worker stopped beating (died, killed, machine
    lost); fail those already claimed MAX_ATTEMPTS times. Returns how many tasks changed.

    Locking: conditional UPDATEs on (running, old heartbeat); a heartbeat that lands first wins."""
    now = now or timezone.now()
    stale = Task.objects.running().filter(heartbeat_at__lt=now - STALE_AFTER)
    ids = list(stale.values_list("pk", flat=True))
    if not ids:
        return 0
    stale = stale.filter(pk__in=ids)
    requeued = stale.filter(attempts__lt=MAX_ATTEMPTS).update(
        status=Task.Status.QUEUED, heartbeat_at=None, worker="", done_count=0
    )
    failed = stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Task.Status.FAILED, finished_at=now, error_message=GAVE_UP_MESSAGE
    )
    if requeued or failed:
        logger.warning(
            "Tasks %s stopped beating for %s: %d back in the queue, %d failed after %d attempts",
            ids, STALE_AFTER, requeued, failed, MAX_ATTEMPTS,
        )
    return requeued + failed


# Run


def task_run_next(*, worker_name: str) -> Task | None:
    """Requeue dead workers' tasks, claim the oldest queued task and run it. Returns the task as it
    ended (done or failed), or None when there was nothing to do."""
    task_requeue_stale()
    task = task_claim_next(worker_name=worker_name)
    if task is None:
        return None
    return task_run(task=task)


def task_run(*, task: Task) -> Task:
    """Run a task this worker has just claimed and record how it ended.

    Every Exception ends the task `failed` with a message for the user (TaskError's own, or the
    generic one) and the traceback in the log. KeyboardInterrupt and SystemExit (the worker is being
    stopped now) give the task back to the queue and propagate."""
    progress = Progress(task)
    try:
        function = registry.get_function(task.name)
        with _Heartbeat(task), translation.override(task.language):
            function(progress, **task.kwargs)
        result = progress.finish()
    except TaskError as error:
        logger.warning("Task %s (%s) stopped: %s", task.pk, task.name, error.message)
        progress.discard()
        _end(task, progress, status=Task.Status.FAILED, error_message=error.message or FAILED_MESSAGE)
    except Exception:
        logger.exception("Task %s (%s, attempt %s) failed", task.pk, task.name, task.attempts)
        progress.discard()
        _end(task, progress, status=Task.Status.FAILED, error_message=FAILED_MESSAGE)
    except BaseException:
        progress.discard()
        Task.objects.filter(pk=task.pk, status=Task.Status.RUNNING, attempts=task.attempts).update(
            status=Task.Status.QUEUED, heartbeat_at=None, worker="", done_count=0
        )
        logger.warning("Task %s (%s) interrupted: back in the queue", task.pk, task.name)
        raise
    else:
        stored, download_name = result or ("", "")
        _end(task, progress, status=Task.Status.DONE, result_file=stored, result_name=download_name)
    return Task.objects.get(pk=task.pk)


def _end(task: Task, progress: "Progress", *, status: str, **fields) -> None:
    now = timezone.now()
    done, total = progress.counts()
    ended = Task.objects.filter(pk=task.pk, status=Task.Status.RUNNING, attempts=task.attempts).update(
        status=status, finished_at=now, heartbeat_at=now, done_count=done, total_count=total, **fields
    )
    if not ended:
        logger.warning("Task %s ended here, but it had been given to another worker meanwhile", task.pk)


class _Heartbeat:
    """Refreshes the task's heartbeat from a thread (its own database connection) while the function
    runs, so that a long step without progress is not mistaken for a dead worker."""

    def __init__(self, task: Task, every: float | None = None):
        self.task_id, self.attempt = task.pk, task.attempts
        self.every = HEARTBEAT_EVERY if every is None else every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"task-{task.pk}-heartbeat", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()

    def _beat(self):
        try:
            while not self._stop.wait(self.every):
                try:
                    Task.objects.filter(pk=self.task_id, status=Task.Status.RUNNING, attempts=self.attempt).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:
                    logger.warning("Task %s: heartbeat not written, trying again", self.task_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only


class Progress:
    """What a task function gets as its first argument.

        progress.set_total(100_000)
        progress.advance()        # or advance(500) after a batch
        with progress.open_result("coupons-serie-3.pdf") as out:
            out.write(chunk)

    Counts are written at most every PROGRESS_EVERY seconds (and at the end), each as one short
    UPDATE outside the function's transactions. The result is written straight to disk under
    MEDIA_ROOT in a temporary file that takes its final name only when the function succeeds.
    """

    def __init__(self, task: Task, *, every: float = PROGRESS_EVERY, clock=time.monotonic):
        self.task = task
        self.done = 0
        self.total = 0
        self._every = every
        self._clock = clock
        self._last_write: float | None = None
        self._depth = len(connection.atomic_blocks)  # the function's own transactions are deeper
        self._warned_overflow = False
        self._file: BinaryIO | None = None
        self._paths: tuple[Path, Path] | None = None  # (temporary, final)
        self._names: tuple[str, str] | None = None  # (stored under MEDIA_ROOT, download name)

    def set_total(self, n: int) -> None:
        """How many items the work has (coupons, rows). Call again if it changes."""
        if n < 0:
            raise ValueError("a total cannot be negative")
        self.total = int(n)
        self._maybe_write(force=True)

    def advance(self, k: int = 1) -> None:
        """k more items done."""
        if k < 0:
            raise ValueError("progress only moves forward")
        self.done += int(k)
        self._maybe_write()

    def counts(self) -> tuple[int, int]:
        """(done, total) as stored: done never above a known total."""
        if self.total and self.done > self.total:
            if not self._warned_overflow:
                logger.warning("Task %s: %s done out of %s announced", self.task.pk, self.done, self.total)
                self._warned_overflow = True
            return self.total, self.total
        return self.done, self.total

    def _maybe_write(self, *, force: bool = False) -> None:
        now = self._clock()
        if not force and self._last_write is not None and now - self._last_write < self._every:
            return
        if len(connection.atomic_blocks) > self._depth:
            return  # inside the function's own transaction: written at the next call outside it
        done, total = self.counts()
        try:
            Task.objects.filter(pk=self.task.pk, status=Task.Status.RUNNING, attempts=self.task.attempts).update(
                done_count=done, total_count=total, heartbeat_at=timezone.now()
            )
        except OperationalError:
            if connection.in_atomic_block:
                raise
            # A busy database must not fail a long print for a progress bar: try again next time.
            logger.warning("Task %s: progress not written, trying again", self.task.pk, exc_info=True)
            return
        self._last_write = now

    def open_result(self, filename: str) -> BinaryIO:
        """Open the task's result file for writing (binary). Write it in chunks; close it or use `with`.
        `filename` is what the user's download is called. Once per task."""
        if self._file is not None:
            raise RuntimeError("a task has one result file: open_result() was already called")
        download_name = _shorten(PurePath(str(filename).replace("\\", "/")).name, 200)
        stored = task_result_path(self.task, _shorten(get_valid_filename(download_name), 120))
        storage = Task._meta.get_field("result_file").storage
        final = Path(storage.path(stored))  # a local file system storage: written as a stream
        final.parent.mkdir(parents=True, exist_ok=True)
        temporary = final.with_name(f".{final.name}.{self.task.attempts}.part")
        self._file = temporary.open("wb")
        self._paths = (temporary, final)
        self._names = (stored, download_name)
        return self._file

    def finish(self) -> tuple[str, str] | None:
        """After success: publish the result file under its final name. Returns (stored, download name)."""
        if self._file is None:
            return None
        self._file.close()
        temporary, final = self._paths
        os.replace(temporary, final)
        return self._names

    def discard(self) -> None:
        """After a failure: never leave half a file to download."""
        if self._file is None:
            return
        self._file.close()
        self._paths[0].unlink(missing_ok=True)


def _shorten(name: str, limit: int) -> str:
    if len(name) <= limit:
        return name
    path = PurePath(name)
    suffix = path.suffix if len(path.suffix) < limit // 2 else ""
    return path.stem[: limit - len(suffix)] + suffix
