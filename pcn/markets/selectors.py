"""Reads about markets and vendors that several pages (and later the payment rules) need."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.dateformat import time_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pcn.markets.models import (
    SALE_POINT_TIME_ZONE,
    Market,
    OpeningHours,
    SalePoint,
    Vendor,
    VendorAuthorization,
    Weekday,
)
from pcn.programs.models import Program, Season


def vendor_is_authorized(*, vendor: Vendor, season: Season) -> bool:
    """True when the vendor holds an authorization for the season that has not been withdrawn."""
    return VendorAuthorization.objects.active().filter(vendor=vendor, season=season).exists()


def authorized_vendors(season: Season) -> QuerySet[Vendor]:
    """The vendors currently authorized for the season (authorization not withdrawn)."""
    return Vendor.objects.filter(
        program_id=season.program_id,
        authorizations__season=season,
        authorizations__revoked_at__isnull=True,
    ).distinct()


def markets_with_counts(program: Program, query: str = "") -> QuerySet[Market]:
    """The program's markets matching the search, each with `sale_point_count`."""
    return (
        program.markets.search(query)
        .select_related("operator")
        .annotate(sale_point_count=Count("sale_points", distinct=True))
    )


def market_sale_points(market: Market) -> QuerySet[SalePoint]:
    """The market's sale points with the vendors who sell at each and their opening hours."""
    return market.sale_points.prefetch_related(
        Prefetch("vendors", queryset=Vendor.objects.order_by("business_name")), "opening_hours"
    )


# Opening hours


def sale_point_is_open(*, sale_point: SalePoint, at: datetime.datetime) -> bool:
    """Whether the sale point is open at the moment `at` (aware, e.g. UTC from the database), read in
    the sale point's local time (Québec: America/Toronto). Opening time included, closing time excluded.

    A sale point with no hours is never open by this test. Reads `sale_point.opening_hours.all()`, so
    prefetch it when asking about many sale points.
    """
    if timezone.is_naive(at):
        raise ValueError("sale_point_is_open needs an aware datetime, not a naive one")
    local = timezone.localtime(at, SALE_POINT_TIME_ZONE)
    weekday, moment = local.weekday(), local.time()
    return any(
        h.weekday == weekday and h.opens_at <= moment < h.closes_at for h in sale_point.opening_hours.all()
    )


def format_time_of_day(value: datetime.time) -> str:
    """« 9 h », « 13 h 30 » in French (Québec); the English catalogue gives its own pattern. The parts
    never wrap apart (non-breaking spaces), as with amounts of money."""
    if value.minute:
        pattern = pgettext("time of day with minutes (Django date format)", "G \\h i")
    else:
        pattern = pgettext("time of day on the hour (Django date format)", "G \\h")
    return time_format(value, pattern).replace(" ", "\u00a0")


def format_stretch(opens: datetime.time, closes: datetime.time) -> str:
    """« 9 h à 13 h »."""
    return _("%(opens)s à %(closes)s") % {"opens": format_time_of_day(opens), "closes": format_time_of_day(closes)}


def _and(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _("%(first)s et %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def opening_hours_lines(hours: Iterable[OpeningHours]) -> list[str]:
    """The week in short lines: « samedi, 9 h à 13 h », « jeudi au dimanche, 10 h à 17 h »,
    « tous les jours, 9 h à 18 h », « samedi, 9 h à 12 h et 13 h à 17 h ».

    Days that follow each other with the same hours share a line. Empty when there are no hours.
    """
    by_day: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
    for h in sorted(hours, key=lambda h: (h.weekday, h.opens_at)):
        by_day.setdefault(h.weekday, []).append((h.opens_at, h.closes_at))
    runs: list[list[int]] = []
    for weekday in sorted(by_day):
        if runs and runs[-1][-1] == weekday - 1 and by_day[runs[-1][-1]] == by_day[weekday]:
            runs[-1].append(weekday)
        else:
            runs.append([weekday])
    lines = []
    for run in runs:
        first, last = Weekday(run[0]).label, Weekday(run[-1]).label
        if len(run) == 7:
            days = _("tous les jours")
        elif len(run) == 1:
            days = str(first)
        elif len(run) == 2:
            days = _and([str(first), str(last)])
        else:
            days = _("%(first)s au %(last)s") % {"first": first, "last": last}
        stretches = _and([format_stretch(opens, closes) for opens, closes in by_day[run[0]]])
        line = pgettext("opening hours: days, then hours", "%(days)s, %(hours)s")
        lines.append(line % {"days": days, "hours": stretches})
    return lines


def program_vendors(program: Program, query: str = "") -> QuerySet[Vendor]:
    return program.vendors.search(query).prefetch_related(
        Prefetch("sale_points", queryset=SalePoint.objects.select_related("market"))
    )


def sells_at_accepted_place(vendor: Vendor, season: Season) -> bool:
    """Whether one of the vendor's sale points is of a kind where the season's coupons are accepted.

    Uses `vendor.sale_points.all()`, so prefetch it when asking for many vendors.
    """
    accepted = set(season.accepted_sale_point_kinds)
    return any(sale_point.kind in accepted for sale_point in vendor.sale_points.all())


@dataclass
class SeasonVendorRow:
    vendor: Vendor
    active: VendorAuthorization | None
    last_revoked: VendorAuthorization | None
    sells_at_accepted_place: bool


def season_vendor_rows(season: Season) -> list[SeasonVendorRow]:
    """Every vendor of the season's program, with its authorization status for the season."""
    authorizations: dict[int, list[VendorAuthorization]] = {}
    for authorization in (
        VendorAuthorization.objects.filter(season=season)
        .select_related("authorized_by", "revoked_by")
        .order_by("authorized_at", "pk")
    ):
        authorizations.setdefault(authorization.vendor_id, []).append(authorization)
    vendors = Vendor.objects.filter(program_id=season.program_id).prefetch_related(
        Prefetch("sale_points", queryset=SalePoint.objects.select_related("market"))
    )
    rows = []
    for vendor in vendors:
        history = authorizations.get(vendor.pk, [])
        active = next((a for a in history if a.revoked_at is None), None)
        revoked = [a for a in history if a.revoked_at is not None]
        rows.append(
            SeasonVendorRow(
                vendor=vendor,
                active=active,
                last_revoked=revoked[-1] if revoked else None,
                sells_at_accepted_place=sells_at_accepted_place(vendor, season),
            )
        )
    return rows


@dataclass
class VendorSeason:
    season: Season
    active: VendorAuthorization | None
    history: list[VendorAuthorization] = field(default_factory=list)


def vendor_seasons(vendor: Vendor) -> list[VendorSeason]:
    """The vendor's authorization for each season of its program, newest season first, with the history."""
    by_season: dict[int, list[VendorAuthorization]] = {}
    for authorization in vendor.authorizations.select_related("authorized_by", "revoked_by").order_by(
        "authorized_at", "pk"
    ):
        by_season.setdefault(authorization.season_id, []).append(authorization)
    result = []
    for season in Season.objects.filter(program_id=vendor.program_id).order_by("-starts_on"):
        history = by_season.get(season.pk, [])
        active = next((a for a in history if a.revoked_at is None), None)
        result.append(VendorSeason(season=season, active=active, history=history))
    return result
