"""Access helper for background tasks (see pcn.accounts.access).

Tasks carry the program's printing and exports: those who configure the program and its treasurers
follow them and download what they produce. Anyone else gets 404.
"""

from django.http import Http404

from pcn.accounts.access import CONFIGURE, check_program_access
from pcn.accounts.models import Role
from pcn.tasks.models import Task

FOLLOW_TASKS = CONFIGURE | {Role.TREASURER}


def get_task_for_user(user, task_id: int) -> Task:
    task = Task.objects.select_related("program__network").filter(pk=task_id).first()
    if task is None:
        raise Http404
    check_program_access(user, task.program, roles=FOLLOW_TASKS)
    return task
