"""Access helpers for markets, sale points and vendors (see pcn.accounts.access).

Market managers read their own market and the vendors who sell there; vendors read their own record.
Changes are for coordinators and network admins (`write=True`).
"""

from django.http import Http404

from pcn.accounts.access import CONFIGURE, READ_CONFIG, check_program_access
from pcn.accounts.models import Role
from pcn.markets.models import Market, SalePoint, Vendor


def get_market_for_user(user, market_id: int, *, write: bool = False) -> Market:
    market = Market.objects.select_related("program__network").filter(pk=market_id).first()
    if market is None:
        raise Http404
    if write:
        check_program_access(user, market.program, roles=CONFIGURE)
    else:
        check_program_access(
            user, market.program, roles=READ_CONFIG, scoped=[(Role.MARKET_MANAGER, "market_id", market.pk)]
        )
    return market


def get_sale_point_for_user(user, sale_point_id: int, *, write: bool = False) -> SalePoint:
    sale_point = SalePoint.objects.select_related("market__program__network").filter(pk=sale_point_id).first()
    if sale_point is None:
        raise Http404
    get_market_for_user(user, sale_point.market_id, write=write)
    return sale_point


def get_vendor_for_user(user, vendor_id: int, *, write: bool = False) -> Vendor:
    vendor = Vendor.objects.select_related("program__network").filter(pk=vendor_id).first()
    if vendor is None:
        raise Http404
    if write:
        check_program_access(user, vendor.program, roles=CONFIGURE)
        return vendor
    scoped = [(Role.VENDOR, "vendor_id", vendor.pk)]
    market_ids = set(vendor.sale_points.values_list("market_id", flat=True))
    scoped += [(Role.MARKET_MANAGER, "market_id", market_id) for market_id in market_ids]
    check_program_access(user, vendor.program, roles=READ_CONFIG, scoped=scoped)
    return vendor
