"""Access helpers for households (see pcn.accounts.access).

Partner workers reach only their own partner's households, to read and to write; coordinators (and
network admins) reach every household of their program; treasurers and network analysts read them.
Everyone else gets 404."""

from django.http import Http404

from pcn.accounts.access import CONFIGURE, READ_CONFIG, check_program_access, memberships_of, program_roles
from pcn.accounts.models import Role
from pcn.households.models import Household
from pcn.programs.models import Organization, Season


def get_household_for_user(user, household_id: int, *, write: bool = False) -> Household:
    """A household's detail is for the coordination and its own partner's workers (DESIGN §7: others see
    aggregates only); `write` is the same people."""
    household = Household.objects.select_related("program__network", "season", "partner").filter(pk=household_id).first()
    if household is None:
        raise Http404
    check_program_access(
        user,
        household.program,
        roles=CONFIGURE,
        scoped=[(Role.PARTNER_WORKER, "organization_id", household.partner_id)],
    )
    return household


def is_partner_worker_of(user, partner: Organization) -> bool:
    return any(m.role == Role.PARTNER_WORKER and m.organization_id == partner.pk for m in memberships_of(user))


def get_season_partners_for_user(user, season_id: int, *, write: bool = False) -> tuple[Season, list[Organization]]:
    """The season and the partners whose households the user may see (or enrol, with write=True): all the
    program's partners for its staff, their own partner for partner workers."""
    season = Season.objects.select_related("program__network").filter(pk=season_id).first()
    if season is None:
        raise Http404
    program = season.program
    partners = Organization.objects.filter(program=program, kind__in=Organization.PARTNER_KINDS)
    if program_roles(user, program) & (CONFIGURE if write else READ_CONFIG):
        return season, list(partners)
    own = {
        m.organization_id
        for m in memberships_of(user)
        if m.role == Role.PARTNER_WORKER and m.program_id == program.pk and m.organization_id
    }
    mine = [p for p in partners if p.pk in own]
    if not mine:
        raise Http404
    return season, mine


SELLERS = CONFIGURE | {Role.MARKET_MANAGER, Role.PARTNER_WORKER}


def get_season_for_seller(user, season_id: int) -> Season:
    """A season where the user may sell coupons to the public: the coordination, market managers (the kiosk)
    and partner workers (from their partner's coupons)."""
    season = Season.objects.select_related("program__network").filter(pk=season_id).first()
    if season is None:
        raise Http404
    check_program_access(user, season.program, roles=SELLERS)
    return season
