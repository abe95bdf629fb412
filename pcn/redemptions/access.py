"""Access helpers for redemptions and devices (see pcn.accounts.access).

The coordination (and whoever reads the program's configuration: treasurer, network) reads every redemption;
a vendor reads its own, a market manager those taken in its market. Deciding about a redemption set aside for
review is for the coordination (`write=True`).

A device belongs to a vendor: the coordination and the vendor itself may revoke it (a lost phone must be
stopped by whoever notices first); a market manager may see it, not revoke it.
"""

from django.http import Http404

from pcn.accounts.access import CONFIGURE, READ_CONFIG, check_program_access
from pcn.accounts.models import Role
from pcn.markets.models import Vendor
from pcn.redemptions.models import Device, Redemption


def get_redemption_for_user(user, redemption_id: int, *, write: bool = False) -> Redemption:
    redemption = Redemption.objects.select_related("program__network").filter(pk=redemption_id).first()
    if redemption is None:
        raise Http404
    if write:
        check_program_access(user, redemption.program, roles=CONFIGURE)
        return redemption
    scoped = [(Role.VENDOR, "vendor_id", redemption.vendor_id)]
    if redemption.market_id is not None:
        scoped.append((Role.MARKET_MANAGER, "market_id", redemption.market_id))
    check_program_access(user, redemption.program, roles=READ_CONFIG, scoped=scoped)
    return redemption


def _device_scope(vendor: Vendor, *, write: bool) -> list[tuple[str, str, int]]:
    scoped = [(Role.VENDOR, "vendor_id", vendor.pk)]
    if not write:
        market_ids = set(vendor.sale_points.values_list("market_id", flat=True))
        scoped += [(Role.MARKET_MANAGER, "market_id", market_id) for market_id in market_ids]
    return scoped


def get_device_for_user(user, device_id: int, *, write: bool = False) -> Device:
    """`write=True`: the right to revoke it (the coordination or the vendor itself)."""
    device = Device.objects.select_related("vendor__program__network").filter(pk=device_id).first()
    if device is None:
        raise Http404
    check_program_access(
        user, device.vendor.program, roles=CONFIGURE if write else READ_CONFIG,
        scoped=_device_scope(device.vendor, write=write),
    )
    return device


def can_revoke_devices(user, vendor: Vendor) -> bool:
    """Whether the user may revoke this vendor's devices (for showing the button)."""
    try:
        check_program_access(user, vendor.program, roles=CONFIGURE, scoped=_device_scope(vendor, write=True))
    except Http404:
        return False
    return True
