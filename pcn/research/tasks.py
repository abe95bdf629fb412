"""Background work of the research app (run by `pcn worker`): a big season's export.

A season of a city (hundreds of thousands of redemptions) takes longer to export than a web request may last.
The sharing is checked again when the task runs, and withdrawing it deletes the files already prepared
(pcn.research.services.research_sharing_decide)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_noop

from pcn.accounts.access import program_roles
from pcn.accounts.models import Role
from pcn.programs.models import Season
from pcn.research.export import season_export
from pcn.research.selectors import sharing_in_force
from pcn.research.services import research_download_record
from pcn.tasks.registry import TaskError, register

EXPORT_TASK = "research.export_season"


@register(EXPORT_TASK)
def export_season_task(progress, *, season_id: int, by_id: int) -> None:
    season = Season.objects.select_related("program").get(pk=season_id)
    by = get_user_model().objects.get(pk=by_id)
    sharing = sharing_in_force(season.program)
    if sharing is None or not sharing.shared or Role.RESEARCHER not in program_roles(by, season.program):
        raise TaskError(gettext_noop("Le programme ne partage plus ses données avec la recherche : l'export n'a pas "
                                     "été préparé."))
    progress.set_total(1)
    name, content = season_export(season, threshold=sharing.threshold)
    with progress.open_result(name) as out:
        out.write(content)
    research_download_record(season=season, sharing=sharing, by=by)
    progress.advance()
