"""Access helpers of the research app (see pcn.accounts.access).

The program's coordination (and the network's admins) decide whether it shares with research. A researcher
(a `researcher` membership in the program) reaches a season's export only while the program's sharing is in
force; otherwise, as for anyone else, the season does not exist (404)."""

from django.http import Http404

from pcn.accounts.access import CONFIGURE, check_program_access
from pcn.accounts.models import Role
from pcn.programs.models import Program, Season
from pcn.research.models import ResearchSharing
from pcn.research.selectors import sharing_in_force

RESEARCH = frozenset({Role.RESEARCHER})


def get_sharing_program_for_user(user, program_id: int) -> Program:
    program = Program.objects.select_related("network").filter(pk=program_id).first()
    if program is None:
        raise Http404
    check_program_access(user, program, roles=CONFIGURE)
    return program


def get_research_season_for_user(user, season_id: int) -> tuple[Season, ResearchSharing]:
    season = Season.objects.select_related("program__network").filter(pk=season_id).first()
    if season is None:
        raise Http404
    check_program_access(user, season.program, roles=RESEARCH)
    sharing = sharing_in_force(season.program)
    if sharing is None or not sharing.shared:
        raise Http404
    return season, sharing
