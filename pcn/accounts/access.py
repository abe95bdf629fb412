"""The one place that decides who may reach what.

Views never fetch a tenant-owned object directly: they call a `get_<noun>_for_user` helper (in each app's
`access.py`), which loads the object, finds its program and calls `check_program_access` here. Anything
the user may not reach answers 404, so that an outsider cannot even learn that the object exists.
"""

from collections.abc import Iterable

from django.db.models import Q
from django.http import Http404

from pcn.accounts.models import NETWORK_ROLES, Membership, Role
from pcn.programs.models import Network, Program

# Who may change a program's configuration, and who may read it.
CONFIGURE = frozenset({Role.COORDINATOR, Role.NETWORK_ADMIN})
READ_CONFIG = CONFIGURE | {Role.TREASURER, Role.NETWORK_ANALYST}


def memberships_of(user) -> list[Membership]:
    """The user's memberships, loaded once per request (cached on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_pcn_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("program", "network"))
        user._pcn_memberships = cached
    return cached


def _reaches(membership: Membership, program: Program) -> bool:
    """A membership reaches a program when it is in that program or in the program's network.

    An Indigenous community keeps control of its members' data (OCAP, DESIGN.md §7): only its own people see
    detail. The network's analysts do not reach its pages (the provincial view shows its season totals only);
    the network's admins do, to set the program up and support it."""
    if membership.program_id == program.pk:
        return True
    if membership.network_id is None or membership.network_id != program.network_id:
        return False
    return not (membership.role == Role.NETWORK_ANALYST and program.kind == Program.Kind.INDIGENOUS_COMMUNITY)


def program_roles(user, program: Program) -> set[str]:
    """Roles the user holds in this program, network roles over its network included."""
    return {m.role for m in memberships_of(user) if _reaches(m, program)}


def check_program_access(
    user, program: Program, *, roles: Iterable[str], scoped: Iterable[tuple[str, str, int]] = ()
) -> None:
    """Raise Http404 unless the user holds one of `roles` in the program, or one of the `scoped` roles
    tied to the right party: each scoped item is (role, membership field, id), e.g.
    (Role.MARKET_MANAGER, "market_id", market.pk)."""
    allowed = set(roles)
    for m in memberships_of(user):
        if not _reaches(m, program):
            continue
        if m.role in allowed:
            return
        for role, field, pk in scoped:
            if m.role == role and getattr(m, field) == pk:
                return
    raise Http404


def networks_for_user(user, *, roles: Iterable[str] = NETWORK_ROLES) -> list[Network]:
    return [m.network for m in memberships_of(user) if m.network_id is not None and m.role in set(roles)]


def get_network_for_user(user, *, roles: Iterable[str] = NETWORK_ROLES) -> Network:
    networks = networks_for_user(user, roles=roles)
    if not networks:
        raise Http404
    return networks[0]


def programs_for_user(user, *, roles: Iterable[str] | None = None):
    """Programs where the user holds any role (or one of `roles`), network roles included."""
    wanted = set(roles) if roles is not None else None
    program_ids, network_ids, analyst_network_ids = set(), set(), set()
    for m in memberships_of(user):
        if wanted is not None and m.role not in wanted:
            continue
        if m.program_id:
            program_ids.add(m.program_id)
        if m.network_id:
            (analyst_network_ids if m.role == Role.NETWORK_ANALYST else network_ids).add(m.network_id)
    # As _reaches: an analyst does not reach an Indigenous community's program.
    return Program.objects.filter(
        Q(pk__in=program_ids) | Q(network_id__in=network_ids)
        | (Q(network_id__in=analyst_network_ids) & ~Q(kind=Program.Kind.INDIGENOUS_COMMUNITY))
    )


def is_network_admin(user) -> bool:
    return any(m.role == Role.NETWORK_ADMIN for m in memberships_of(user))


def get_membership_for_user(user, membership_id: int) -> Membership:
    """Only those who configure the program manage its people's roles."""
    membership = Membership.objects.select_related("program__network", "user").filter(pk=membership_id).first()
    if membership is None or membership.program is None:
        raise Http404
    check_program_access(user, membership.program, roles=CONFIGURE)
    return membership
