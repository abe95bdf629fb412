"""A program whose season is running today, with an authorized vendor and coupons out in circulation."""

import datetime
import uuid

from django.utils import timezone

from pcn.accounts.models import Role
from pcn.coupons.models import CustodyEvent
from pcn.coupons.services import coupons_move
from pcn.coupons.tests.factories import coupon_world, issue
from pcn.markets.models import VendorAuthorization
from pcn.programs.models import Season
from pcn.testing import make_user


def running_world(name: str = "Portneuf", **kwargs) -> dict:
    """coupon_world with its season moved around today, the vendor authorized, a vendor user, and a
    series of 20 coupons sold to the public (so they are in circulation)."""
    world = coupon_world(name, **kwargs)
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=30), today + datetime.timedelta(days=53)
    Season.objects.filter(pk=world["season"].pk).update(
        starts_on=start, ends_on=end, coupons_valid_from=start, coupons_valid_until=end
    )
    world["season"].refresh_from_db()
    VendorAuthorization.objects.create(season=world["season"], vendor=world["vendor"], authorized_by=world["coordinator"])
    world["vendor_user"] = make_user(
        f"marchand-{name.lower()}", role=Role.VENDOR, program=world["program"], vendor=world["vendor"]
    )
    world["series"] = series = issue(world, count=20)
    sell(world, series, 1, 20)
    world["codes"] = list(series.coupons.order_by("number").values_list("code", flat=True))
    return world


def sell(world, series, first, last):
    coupons_move(season=world["season"], kind=CustodyEvent.Kind.SELL, ranges=[(series.pk, first, last)],
                 by=world["coordinator"])


def nonce() -> str:
    return uuid.uuid4().hex
