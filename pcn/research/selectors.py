"""Reads of the research app."""

from dataclasses import dataclass, field

from pcn.accounts.access import memberships_of
from pcn.accounts.models import Role
from pcn.programs.models import Program, Season
from pcn.research.models import ResearchDownload, ResearchSharing


def sharing_in_force(program: Program) -> ResearchSharing | None:
    """The program's latest decision; None when it never decided (which means: not shared)."""
    return ResearchSharing.objects.filter(program=program).select_related("decided_by").latest_first().first()


def is_shared(program: Program) -> bool:
    sharing = sharing_in_force(program)
    return sharing is not None and sharing.shared


def sharing_history(program: Program):
    return ResearchSharing.objects.filter(program=program).select_related("decided_by").latest_first()


def recent_downloads(program: Program, limit: int = 50):
    return (
        ResearchDownload.objects.filter(program=program)
        .select_related("user", "season")
        .order_by("-downloaded_at", "-pk")[:limit]
    )


@dataclass
class SharedProgram:
    program: Program
    sharing: ResearchSharing
    seasons: list[Season] = field(default_factory=list)


def researcher_programs(user) -> list[SharedProgram]:
    """The programs where the user holds the researcher role and whose sharing with research is in force,
    with their seasons (the latest first). Programs that do not share are left out entirely."""
    program_ids = {m.program_id for m in memberships_of(user) if m.role == Role.RESEARCHER and m.program_id}
    found = []
    for program in Program.objects.filter(pk__in=program_ids).order_by("name"):
        sharing = sharing_in_force(program)
        if sharing is None or not sharing.shared:
            continue
        found.append(SharedProgram(program=program, sharing=sharing,
                                   seasons=list(program.seasons.order_by("-starts_on"))))
    return found


def export_size(season: Season) -> int:
    """How many rows the season's export holds, about (what decides whether it is built in the background)."""
    from pcn.households.models import Household
    from pcn.redemptions.models import Redemption, RedemptionCount

    return (Redemption.objects.filter(season=season).count() + RedemptionCount.objects.filter(season=season).count()
            + Household.objects.filter(season=season).count())


def prepared_exports(season: Season, user):
    """This person's exports of the season prepared in the background, the latest first."""
    from pcn.research.tasks import EXPORT_TASK
    from pcn.tasks.models import Task

    return Task.objects.filter(program=season.program, name=EXPORT_TASK, kwargs__season_id=season.pk,
                               kwargs__by_id=user.pk).order_by("-created_at", "-pk")[:5]
