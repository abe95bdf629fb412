"""Access helpers for programs, seasons and organizations (see pcn.accounts.access).

`write=True` asks for the right to change the object (coordinators and network admins); otherwise the
right to read it.
"""

from django.http import Http404

from pcn.accounts.access import CONFIGURE, READ_CONFIG, check_program_access
from pcn.accounts.models import Role
from pcn.programs.models import CouponClass, Organization, Program, Season


def get_program_for_user(user, program_id: int, *, write: bool = False) -> Program:
    program = Program.objects.select_related("network", "fiduciary").filter(pk=program_id).first()
    if program is None:
        raise Http404
    check_program_access(user, program, roles=CONFIGURE if write else READ_CONFIG)
    return program


def get_season_for_user(user, season_id: int, *, write: bool = False) -> Season:
    season = Season.objects.select_related("program__network").filter(pk=season_id).first()
    if season is None:
        raise Http404
    check_program_access(user, season.program, roles=CONFIGURE if write else READ_CONFIG)
    return season


def get_organization_for_user(user, organization_id: int, *, write: bool = False) -> Organization:
    """Partner workers may read their own organization."""
    organization = Organization.objects.select_related("program__network").filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    if write:
        check_program_access(user, organization.program, roles=CONFIGURE)
    else:
        check_program_access(
            user,
            organization.program,
            roles=READ_CONFIG,
            scoped=[(Role.PARTNER_WORKER, "organization_id", organization.pk)],
        )
    return organization


def get_coupon_class_for_user(user, coupon_class_id: int, *, write: bool = False) -> CouponClass:
    coupon_class = CouponClass.objects.select_related("season__program__network").filter(pk=coupon_class_id).first()
    if coupon_class is None:
        raise Http404
    check_program_access(user, coupon_class.season.program, roles=CONFIGURE if write else READ_CONFIG)
    return coupon_class
