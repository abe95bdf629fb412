"""Small builders for the markets tests: a program with its people, markets, sale points and vendors."""

import datetime

from pcn.markets import services
from pcn.markets.models import Market, SalePoint, Vendor
from pcn.programs.choices import ProductCategory, SalePointKind
from pcn.programs.models import Network, Organization, Program, Season
from pcn.testing import make_user  # noqa: F401  (a user with a role: make_user(name, role=..., program=...))


def make_network(name: str = "Association des marchés publics du Québec") -> Network:
    return Network.objects.get_or_create(name=name)[0]


def make_program(name: str = "PCN Portneuf", *, network: Network | None = None) -> Program:
    return Program.objects.create(
        network=network or make_network(), name=name, kind=Program.Kind.MRC, region="03", languages=["fr"]
    )


def make_season(
    program: Program,
    name: str = "Été 2026",
    *,
    starts_on: datetime.date = datetime.date(2026, 6, 1),
    weeks: int = 16,
    accepted: list[str] | None = None,
) -> Season:
    ends_on = starts_on + datetime.timedelta(weeks=weeks) - datetime.timedelta(days=1)
    return Season.objects.create(
        program=program,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        weeks=weeks,
        coupons_valid_from=starts_on,
        coupons_valid_until=ends_on,
        accepted_sale_point_kinds=accepted or [SalePointKind.MARKET, SalePointKind.FARM_STAND],
    )


def make_organization(program: Program, name: str = "Corporation du marché", **kwargs) -> Organization:
    kwargs.setdefault("kind", Organization.Kind.MARKET_OPERATOR)
    return Organization.objects.create(program=program, name=name, **kwargs)


def make_market(program: Program, name: str = "Marché public de Saint-Casimir", **kwargs) -> Market:
    kwargs.setdefault("municipality", "Saint-Casimir")
    return services.market_save(market=Market(program=program, name=name, **kwargs))


def make_sale_point(market: Market, name: str = "Place du marché", **kwargs) -> SalePoint:
    kwargs.setdefault("kind", SalePointKind.MARKET)
    kwargs.setdefault("address", "510, boulevard de la Montagne, Saint-Casimir")
    return services.sale_point_save(sale_point=SalePoint(market=market, name=name, **kwargs))


def make_vendor(
    program: Program, sale_points: list[SalePoint], business_name: str = "Ferme des Érables", **kwargs
) -> Vendor:
    kwargs.setdefault("kind", Vendor.Kind.PRODUCER)
    kwargs.setdefault("categories", [ProductCategory.VEGETABLES, ProductCategory.FRUIT])
    return services.vendor_save(vendor=Vendor(program=program, business_name=business_name, **kwargs), sale_points=sale_points)
