"""Reads about markets and vendors that several pages (and later the payment rules) need."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet

from pcn.markets.models import Market, SalePoint, Vendor, VendorAuthorization
from pcn.programs.models import Program, Season


def vendor_is_authorized(*, vendor: Vendor, season: Season) -> bool:
    """True when the vendor holds an authorization for the season that has not been withdrawn."""
    return VendorAuthorization.objects.filter(vendor=vendor, season=season, revoked_at__isnull=True).exists()


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
    """The market's sale points with the vendors who sell at each."""
    return market.sale_points.prefetch_related(Prefetch("vendors", queryset=Vendor.objects.order_by("business_name")))


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
