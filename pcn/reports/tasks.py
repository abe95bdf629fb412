"""Background work of the reports app (run by `pcn worker`)."""

from pcn.programs.models import Season
from pcn.reports.snapshot import REFRESH_TASK, season_refresh
from pcn.tasks.registry import register


@register(REFRESH_TASK)
def season_refresh_task(progress, *, season_id: int) -> None:
    """Recompute a big season's dashboard figures (seconds to a minute), away from the web request."""
    progress.set_total(1)
    season_refresh(Season.objects.get(pk=season_id))
    progress.advance()
