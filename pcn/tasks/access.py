"""Access helper for background tasks (see pcn.accounts.access).

A task's file can hold sensitive things (a print run of bearer coupons), so it is followed and downloaded
by the person who queued it (while they still hold a role in the program) and by those who configure the
program. Anyone else gets 404.
"""

from django.http import Http404

from pcn.accounts.access import CONFIGURE, check_program_access
from pcn.accounts.models import Role
from pcn.tasks.models import Task


def get_task_for_user(user, task_id: int) -> Task:
    task = Task.objects.select_related("program__network").filter(pk=task_id).first()
    if task is None:
        raise Http404
    own = user.is_authenticated and task.created_by_id == user.pk
    check_program_access(user, task.program, roles=set(Role.values) if own else CONFIGURE)
    return task
