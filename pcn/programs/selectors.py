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


def program_status(seasons: list[Season], today: datetime.date) -> tuple[str, Season | None]:
    """Where a program stands, from its seasons (any order): ("draft", None) before its first season, else its
    latest season and one of "upcoming", "running", "ended" (not closed yet) or "closed"."""
    if not seasons:
        return "draft", None
    latest = max(seasons, key=lambda season: season.starts_on)
    if latest.closed_at is not None:
        return "closed", latest
    if today < latest.starts_on:
        return "upcoming", latest
    if today <= latest.ends_on:
        return "running", latest
    return "ended", latest
