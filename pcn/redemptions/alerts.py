"""What the coordination should look at in a season's redemptions, computed when the page is read.

No table of its own: each alert is a grouped count over `Redemption` rows, aggregated by the database
(one query per kind of alert), and each links to the redemptions behind it through the season's
redemptions page and its filters (`query`).

Days are the day the coupon was taken (`Redemption.taken_at`), in Québec's time: for an item queued
offline, the device's time when the rules believed it, otherwise the server's.
"""

import datetime
import statistics
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate

from pcn.programs.models import Season
from pcn.redemptions.models import Outcome, Redemption, Source

# A vendor's day is unusual when its accepted count is above VOLUME_FACTOR times its median over its previous
# active days, once it has at least VOLUME_MIN_PREVIOUS_DAYS of them, and the day counts at least
# VOLUME_MIN_COUNT (a vendor going from 2 to 7 coupons is not news).
VOLUME_FACTOR = 3
VOLUME_MIN_PREVIOUS_DAYS = 3
VOLUME_MIN_COUNT = 10
# A device refused this many times in one day is either misused or its vendor needs help.
DEVICE_REFUSALS = 10


def with_day(queryset):
    """Annotate `day`: the date the coupon was taken (`taken_at`), in the current time zone (Québec)."""
    return queryset.annotate(day=TruncDate("taken_at"))


def _query(**params) -> str:
    return urlencode({k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in params.items()})


@dataclass
class VolumeAlert:
    vendor_id: int
    vendor_name: str
    day: datetime.date
    count: int
    usual: float  # the median of its previous active days
    previous_days: int

    @property
    def query(self) -> str:
        return _query(vendor=self.vendor_id, day=self.day, outcome=Outcome.ACCEPTED)


@dataclass
class HoursAlert:
    vendor_id: int
    vendor_name: str
    day: datetime.date
    count: int
    accepted_value_cents: int

    @property
    def query(self) -> str:
        return _query(vendor=self.vendor_id, day=self.day, flag="outside_hours")


@dataclass
class DeviceAlert:
    device_id: int
    device_name: str
    vendor_name: str
    day: datetime.date
    count: int

    @property
    def query(self) -> str:
        return _query(device=self.device_id, day=self.day, outcome=Outcome.REFUSED)


@dataclass
class UnissuedAlert:
    vendor_id: int
    vendor_name: str
    day: datetime.date
    count: int
    value_cents: int

    @property
    def query(self) -> str:
        return _query(vendor=self.vendor_id, day=self.day, flag="unissued")


def volume_alerts(season: Season) -> list[VolumeAlert]:
    """Days when a vendor accepted far more than usual (see VOLUME_FACTOR). The database counts per vendor
    and day; the medians run over those few daily counts."""
    rows = (
        with_day(Redemption.objects.filter(season=season).accepted())
        .values("vendor", "vendor__business_name", "day")
        .annotate(n=Count("pk"))
        .order_by("vendor", "day")
    )
    alerts, previous, vendor = [], [], None
    for row in rows:
        if row["vendor"] != vendor:
            vendor, previous = row["vendor"], []
        if len(previous) >= VOLUME_MIN_PREVIOUS_DAYS and row["n"] >= VOLUME_MIN_COUNT:
            usual = statistics.median(previous)
            if row["n"] > VOLUME_FACTOR * usual:
                alerts.append(VolumeAlert(row["vendor"], row["vendor__business_name"], row["day"], row["n"], usual,
                                          len(previous)))
        previous.append(row["n"])
    alerts.sort(key=lambda a: (a.day, a.vendor_name), reverse=True)
    return alerts


def hours_alerts(season: Season) -> list[HoursAlert]:
    """Coupons presented while the sale point was closed, by vendor and day."""
    rows = (
        with_day(Redemption.objects.filter(season=season, outside_hours=True))
        .values("vendor", "vendor__business_name", "day")
        .annotate(n=Count("pk"), value=Sum("value_cents", filter=Q(outcome=Outcome.ACCEPTED), default=0))
        .order_by("-day", "vendor__business_name")
    )
    return [HoursAlert(r["vendor"], r["vendor__business_name"], r["day"], r["n"], r["value"]) for r in rows]


def device_alerts(season: Season) -> list[DeviceAlert]:
    """Devices refused DEVICE_REFUSALS times or more in a day."""
    rows = (
        with_day(Redemption.objects.filter(season=season, outcome=Outcome.REFUSED, device__isnull=False))
        .values("device", "device__name", "vendor__business_name", "day")
        .annotate(n=Count("pk"))
        .filter(n__gte=DEVICE_REFUSALS)
        .order_by("-day", "vendor__business_name", "device__name")
    )
    return [DeviceAlert(r["device"], r["device__name"], r["vendor__business_name"], r["day"], r["n"]) for r in rows]


def unissued_alerts(season: Season) -> list[UnissuedAlert]:
    """Coupons accepted although never handed out (the season accepts them, flagged), by vendor and day."""
    rows = (
        with_day(Redemption.objects.filter(season=season, unissued=True).accepted())
        .values("vendor", "vendor__business_name", "day")
        .annotate(n=Count("pk"), value=Sum("value_cents"))
        .order_by("-day", "vendor__business_name")
    )
    return [UnissuedAlert(r["vendor"], r["vendor__business_name"], r["day"], r["n"], r["value"]) for r in rows]


@dataclass
class SeasonAlerts:
    volume: list[VolumeAlert]
    hours: list[HoursAlert]
    devices: list[DeviceAlert]
    unissued: list[UnissuedAlert]

    @property
    def count(self) -> int:
        return len(self.volume) + len(self.hours) + len(self.devices) + len(self.unissued)


def season_alerts(season: Season) -> SeasonAlerts:
    return SeasonAlerts(volume_alerts(season), hours_alerts(season), device_alerts(season), unissued_alerts(season))
