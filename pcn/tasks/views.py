from datetime import timedelta
from pathlib import PurePath

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from pcn.accounts.shortcuts import render_program_page
from pcn.tasks.access import get_task_for_user
from pcn.tasks.models import Task

# A task still waiting after this long means no worker is running: say so instead of "in a moment".
LONG_WAIT = timedelta(minutes=2)


def task_state(task: Task) -> dict:
    """What the page shows, as JSON for progress.js and as context for the template."""
    done, total = task.done_count, task.total_count
    if task.status == Task.Status.DONE:
        percent = 100
    elif total:
        percent = min(100, done * 100 // total)
    else:
        percent = 0
    # <progress>: no value means "working, amount unknown" (the bar moves on its own).
    if total:
        bar_max, bar_value = total, total if task.status == Task.Status.DONE else min(done, total)
    elif task.status == Task.Status.DONE:
        bar_max, bar_value = 1, 1
    elif task.status == Task.Status.FAILED:
        bar_max, bar_value = 1, 0
    else:
        bar_max, bar_value = 1, None
    return {
        "status": task.status,
        "status_label": task.get_status_display(),
        "done": done,
        "total": total,
        "percent": percent,
        "text": _count_text(done, total),
        "message": _message(task),
        "bar_max": bar_max,
        "bar_value": bar_value,
        "download_url": reverse("task_download", args=[task.pk]) if task.has_result else None,
        "filename": task.result_name if task.has_result else "",
    }


def _count_text(done: int, total: int) -> str:
    if total:
        return _("%(done)s sur %(total)s") % {
            "done": number_format(done, force_grouping=True),
            "total": number_format(total, force_grouping=True),
        }
    if done:
        return ngettext("%(done)s élément traité", "%(done)s éléments traités", done) % {
            "done": number_format(done, force_grouping=True)
        }
    return ""


def _message(task: Task) -> str:
    if task.status == Task.Status.QUEUED:
        if timezone.now() - task.created_at > LONG_WAIT:
            return _(
                "La tâche attend toujours son tour. Si rien ne bouge d'ici quelques minutes, écrivez au soutien."
            )
        return _("En attente : la tâche commencera dans un instant.")
    if task.status == Task.Status.RUNNING:
        return _("En cours. Vous pouvez quitter cette page : le travail continue.")
    if task.status == Task.Status.DONE:
        return _("Terminé. Le fichier est prêt.") if task.has_result else _("Terminé.")
    # Stored in French, the source language; shown in the reader's language when the catalog has it.
    return _(task.error_message)


@login_required
@require_safe
def task_detail(request, task_id: int):
    task = get_task_for_user(request.user, task_id)
    return render_program_page(request, "tasks/task_detail.html", task.program, {"task": task, "state": task_state(task)})


@login_required
@require_safe
def task_status(request, task_id: int):
    task = get_task_for_user(request.user, task_id)
    response = JsonResponse(task_state(task))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def task_download(request, task_id: int):
    """The task's file, only to those who follow the program's tasks (never as public media)."""
    task = get_task_for_user(request.user, task_id)
    if not task.has_result:
        raise Http404
    try:
        handle = task.result_file.storage.open(task.result_file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = task.result_name or PurePath(task.result_file.name).name
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response
