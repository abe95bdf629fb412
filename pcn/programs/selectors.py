import datetime

from pcn.programs.models import Program, Season


def season_in_focus(program: Program, today: datetime.date) -> Season | None:
    """The season people are working on: the current one, else the next one, else the latest past one."""
    seasons = program.seasons.all()
    return (
        seasons.filter(starts_on__lte=today, ends_on__gte=today).first()
        or seasons.filter(starts_on__gt=today).order_by("starts_on").first()
        or seasons.order_by("-ends_on").first()
    )
