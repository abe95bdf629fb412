"""Access helpers for grants and the funding pages (see pcn.accounts.access).

Treasurers and coordinators (and the network's admins) manage the grants; the network's analysts read them;
a funder's viewer (a `funder_viewer` membership tied to the funder organization) reads only the grants that
funder gives. Anyone else gets 404.
"""

from django.http import Http404

from pcn.accounts.access import check_program_access, memberships_of, program_roles
from pcn.accounts.models import Role
from pcn.funding.models import Grant
from pcn.programs.models import Program, Season

MANAGE = frozenset({Role.TREASURER, Role.COORDINATOR, Role.NETWORK_ADMIN})
READ = MANAGE | {Role.NETWORK_ANALYST}


def funders_viewed_by(user, program: Program) -> set[int]:
    """The funder organizations of this program whose grants the user may read as a funder's viewer."""
    return {
        m.organization_id
        for m in memberships_of(user)
        if m.role == Role.FUNDER_VIEWER and m.program_id == program.pk and m.organization_id
    }


def can_manage_funding(user, program: Program) -> bool:
    return bool(program_roles(user, program) & MANAGE)


def can_read_funding(user, program: Program) -> bool:
    """Program staff who read every grant (not a funder's viewer, who reads only its own)."""
    return bool(program_roles(user, program) & READ)


def get_funding_program_for_user(user, program_id: int, *, write: bool = False) -> tuple[Program, set[int] | None]:
    """The program, and which funders' grants the user may see: None for all of them (program staff), else
    the funder organizations of a funder's viewer."""
    program = Program.objects.select_related("network").filter(pk=program_id).first()
    if program is None:
        raise Http404
    if write:
        check_program_access(user, program, roles=MANAGE)
        return program, None
    if program_roles(user, program) & READ:
        return program, None
    funders = funders_viewed_by(user, program)
    if not funders:
        raise Http404
    return program, funders


def get_grant_for_user(user, grant_id: int, *, write: bool = False) -> Grant:
    grant = Grant.objects.select_related("program__network", "funder").filter(pk=grant_id).first()
    if grant is None:
        raise Http404
    if write:
        check_program_access(user, grant.program, roles=MANAGE)
    else:
        check_program_access(
            user, grant.program, roles=READ, scoped=[(Role.FUNDER_VIEWER, "organization_id", grant.funder_id)]
        )
    return grant


def get_funding_season_for_user(user, season_id: int) -> Season:
    """The season's funding table shows every grant: program staff who read the funding only."""
    season = Season.objects.select_related("program__network").filter(pk=season_id).first()
    if season is None:
        raise Http404
    check_program_access(user, season.program, roles=READ)
    return season
