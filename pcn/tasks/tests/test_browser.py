"""The task page in real Chromium on a small phone, while a worker runs the task."""

import threading

import pytest
from django.db import connections

from pcn.accounts.models import Role
from pcn.conftest import sideways_overflow
from pcn.tasks.models import Task
from pcn.tasks.services import task_enqueue, task_run_next
from pcn.tasks.tests import sample_tasks  # noqa: F401  (registers tests.slow)
from pcn.testing import make_user, make_world

pytestmark = pytest.mark.browser

BAR_VALUE = "() => { const bar = document.querySelector('progress'); return bar.hasAttribute('value') ? bar.value : null; }"


@pytest.fixture
def slow_task(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    world = make_world("Portneuf")
    coordinator = make_user("coordo", role=Role.COORDINATOR, program=world["program"])
    return task_enqueue(
        program=world["program"],
        name="tests.slow",
        kwargs={"steps": 12, "pause": 0.2},  # about 2.4 s, a step every 0.2 s
        label="Impression de la série 3",
        by=coordinator,
    )


def run_worker_once():
    try:
        task_run_next(worker_name="browser-test")
    finally:
        connections.close_all()  # this thread's connection


def test_the_bar_moves_to_done_and_the_download_appears(live_server, phone_page, log_in, slow_task, screenshot):
    log_in(phone_page, "coordo")
    phone_page.goto(f"/tasks/{slow_task.pk}/")
    assert phone_page.get_by_role("heading", name="Impression de la série 3").is_visible()
    assert phone_page.get_by_text("En attente : la tâche commencera dans un instant.").is_visible()
    download = phone_page.get_by_role("link", name="Télécharger")
    assert not download.is_visible()

    worker = threading.Thread(target=run_worker_once)
    worker.start()
    seen = []
    try:
        for _ in range(150):  # up to 15 s
            seen.append(phone_page.evaluate(BAR_VALUE))
            if download.is_visible():
                break
            phone_page.wait_for_timeout(100)
    finally:
        worker.join(timeout=30)

    assert download.is_visible(), f"no download button; the bar went through {seen}"
    assert any(value is not None and 0 < value < 12 for value in seen), f"the bar never moved: {seen}"
    assert phone_page.evaluate(BAR_VALUE) == 12
    assert phone_page.get_by_text("12 sur 12").is_visible()
    assert phone_page.get_by_text("Terminé. Le fichier est prêt.").is_visible()
    assert phone_page.get_by_text("lent.txt").is_visible()
    assert sideways_overflow(phone_page) == 0
    screenshot(phone_page, "done")
    assert Task.objects.get(pk=slow_task.pk).status == Task.Status.DONE

    with phone_page.expect_download() as downloaded:
        download.click()
    assert downloaded.value.suggested_filename == "lent.txt"
