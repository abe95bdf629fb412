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
    """Where a program stands, from its seasons (any order), and the season that says so: ("draft", None) before
    its first season; else, in this order, a season "running" today, one "ended" but not closed yet (to close),
    the next "upcoming" one, or the latest "closed" one."""
    if not seasons:
        return "draft", None
    open_seasons = [s for s in seasons if s.closed_at is None]
    if running := [s for s in open_seasons if s.starts_on <= today <= s.ends_on]:
        return "running", running[0]
    if ended := [s for s in open_seasons if s.ends_on < today]:
        return "ended", max(ended, key=lambda s: s.ends_on)
    if upcoming := [s for s in open_seasons if today < s.starts_on]:
        return "upcoming", min(upcoming, key=lambda s: s.starts_on)
    return "closed", max(seasons, key=lambda s: s.starts_on)
