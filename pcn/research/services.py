"""Writes of the research app: a program's decision to share with research, and the record of a download."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pcn.programs.models import Program, Season
from pcn.research.models import MIN_THRESHOLD, ResearchDownload, ResearchSharing

MAX_THRESHOLD = 100


@transaction.atomic
def research_sharing_decide(
    *, program: Program, shared: bool, threshold: int = MIN_THRESHOLD, community_signoff: bool = False,
    note: str = "", by,
) -> ResearchSharing:
    """Record the program's decision (a new row: the latest one is in force).

    An Indigenous community's program shares only with its band council's sign-off (OCAP): the decision
    confirms it was given, and the note says who gave it. Locking: the program row, so that two decisions
    made at once are recorded one after the other."""
    note = (note or "").strip()
    indigenous = program.kind == Program.Kind.INDIGENOUS_COMMUNITY
    errors: dict[str, str] = {}
    if not isinstance(threshold, int) or not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
        errors["threshold"] = _("Choisissez un nombre de %(min)s à %(max)s.") % {"min": MIN_THRESHOLD,
                                                                                "max": MAX_THRESHOLD}
    if shared and indigenous and not community_signoff:
        errors["community_signoff"] = _(
            "Les données d'une communauté autochtone ne se partagent qu'avec l'accord de son conseil de bande. "
            "Cochez la case une fois l'accord reçu."
        )
    if shared and indigenous and not note:
        errors["note"] = _("Écrivez qui, au conseil de bande, a donné l'accord, et à quelle date (par exemple "
                           "« Résolution du conseil du 3 mars 2026 »).")
    if len(note) > 500:
        errors["note"] = _("Écrivez au plus 500 caractères.")
    if errors:
        raise ValidationError(errors)
    Program.objects.select_for_update().filter(pk=program.pk).first()
    sharing = ResearchSharing(
        program=program, shared=shared, threshold=threshold, community_signoff=bool(indigenous and community_signoff),
        note=note, decided_by=by,
    )
    sharing.full_clean()
    sharing.save()
    if not shared:
        _delete_prepared_exports(program)
    return sharing


def _delete_prepared_exports(program: Program) -> None:
    """Withdrawing the sharing deletes the exports prepared in the background and not yet taken: no one
    downloads them afterwards. (What was already downloaded cannot be taken back; the page says so.)"""
    from pcn.research.tasks import EXPORT_TASK
    from pcn.tasks.models import Task

    for task in Task.objects.filter(program=program, name=EXPORT_TASK).exclude(result_file=""):
        task.result_file.delete(save=False)
        Task.objects.filter(pk=task.pk).update(result_file="", result_name="")


def research_export_enqueue(*, season: Season, by):
    """Queue the season's export for the worker, or return the one this person already has under way."""
    from pcn.research.tasks import EXPORT_TASK
    from pcn.tasks.models import Task
    from pcn.tasks.services import task_enqueue

    kwargs = {"season_id": season.pk, "by_id": by.pk}
    pending = Task.objects.filter(
        program=season.program, name=EXPORT_TASK, kwargs__season_id=season.pk, kwargs__by_id=by.pk,
        status__in=[Task.Status.QUEUED, Task.Status.RUNNING],
    ).first()
    if pending is not None:
        return pending
    return task_enqueue(program=season.program, name=EXPORT_TASK, kwargs=kwargs, by=by,
                        label=_("Export pour la recherche : %(season)s") % {"season": season.name})


def research_download_record(*, season: Season, sharing: ResearchSharing, by) -> ResearchDownload:
    return ResearchDownload.objects.create(program=season.program, season=season, sharing=sharing, user=by)
