"""Access helpers for series (see pcn.accounts.access). Reading: the program's staff; changing: coordinators."""

from django.http import Http404

from pcn.accounts.access import CONFIGURE, READ_CONFIG, check_program_access
from pcn.coupons.models import Series


def get_series_for_user(user, series_id: int, *, write: bool = False) -> Series:
    series = Series.objects.select_related("season__program__network", "coupon_class").filter(pk=series_id).first()
    if series is None:
        raise Http404
    check_program_access(user, series.season.program, roles=CONFIGURE if write else READ_CONFIG)
    return series
