"""The public directory (no login): each program, where its coupons are accepted, what they buy, and how to
reach its partners. Only what a program publishes anyway: places, hours, organizations' addresses and phone
numbers; never a person's name or email address (an organization's email is often a person's own), a
household or a vendor's account.

Indigenous communities' programs are left out: under OCAP, publishing needs the community's sign-off, which
the platform does not record yet.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from pcn.markets.models import OpeningHours, SalePoint
from pcn.markets.selectors import opening_hours_lines
from pcn.programs.models import Organization, Program, Season
from pcn.programs.selectors import season_in_focus


@dataclass
class Listing:
    program: Program
    season: Season | None
    sale_points: list[SalePoint] = field(default_factory=list)
    classes: list = field(default_factory=list)
    partners: list[Organization] = field(default_factory=list)


def listed_programs():
    return Program.objects.exclude(kind=Program.Kind.INDIGENOUS_COMMUNITY).order_by("name")


def accepting_sale_points(season: Season):
    """The season's sale points where coupons are taken: of a kind the season accepts, with at least one vendor
    authorized for the season selling there."""
    return (
        SalePoint.objects.filter(
            market__program_id=season.program_id, kind__in=season.accepted_sale_point_kinds,
            vendors__authorizations__season=season, vendors__authorizations__revoked_at__isnull=True,
        )
        .distinct()
        .select_related("market")
        .prefetch_related(Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens_at")))
        .order_by("market__municipality", "market__name", "name")
    )


def program_listing(program: Program) -> Listing:
    season = season_in_focus(program, timezone.localdate())
    listing = Listing(program=program, season=season)
    if season is None:
        return listing
    listing.sale_points = list(accepting_sale_points(season))
    listing.classes = list(season.coupon_classes.all())
    listing.partners = list(program.organizations.filter(kind__in=Organization.PARTNER_KINDS).order_by("name"))
    return listing


@require_safe
@cache_control(public=True, max_age=300)
def directory(request):
    programs = listed_programs().select_related("network")
    return render(request, "markets/directory.html", {"programs": programs})


@require_safe
@cache_control(public=True, max_age=300)
def directory_program(request, program_id: int):
    program = listed_programs().filter(pk=program_id).first()
    if program is None:
        raise Http404
    return render(request, "markets/directory_program.html", {"listing": program_listing(program)})


@require_safe
@cache_control(public=True, max_age=300)
def directory_geojson(request):
    """Every listed sale point with coordinates, as a GeoJSON FeatureCollection (RFC 7946: [longitude,
    latitude]) for maps."""
    features = []
    for program in listed_programs():
        season = season_in_focus(program, timezone.localdate())
        if season is None:
            continue
        for sp in accepting_sale_points(season).filter(latitude__isnull=False):
            features.append({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(sp.longitude), float(sp.latitude)]},
                "properties": {
                    "program": program.name, "market": sp.market.name, "name": sp.name, "kind": sp.kind,
                    "kind_label": str(sp.get_kind_display()), "address": sp.address,
                    "hours": opening_hours_lines(sp.opening_hours.all()), "schedule": sp.schedule,
                },
            })
    response = JsonResponse({"type": "FeatureCollection", "features": features},
                            json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/geo+json"
    return response


urlpatterns = [
    path("directory/", directory, name="directory"),
    path("directory/<int:program_id>/", directory_program, name="directory_program"),
    path("directory/sale-points.geojson", directory_geojson, name="directory_geojson"),
]
