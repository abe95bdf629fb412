"""Builders for tests: a small program with one of everything, and users holding each role.

Used by the test suites of every app (not by the application)."""

import datetime

from django.contrib.auth import get_user_model

from pcn.accounts.models import Membership, Role
from pcn.markets.models import Market, SalePoint, Vendor
from pcn.programs.models import CouponClass, Denomination, EntitlementRow, Network, Organization, Program, Season

PASSWORD = "correct-horse-battery-staple"


def make_user(username: str, *, role: str | None = None, program=None, network=None, **scope):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    if role:
        Membership.objects.create(user=user, role=role, program=program, network=network, **scope)
    return user


def make_world(name: str, network: Network | None = None) -> dict:
    """A program with a season (configured), a partner, a market with a sale point and a vendor."""
    network = network or Network.objects.get_or_create(name="Réseau de test")[0]
    program = Program.objects.create(
        network=network, name=f"PCN {name}", kind=Program.Kind.MRC, region="03", languages=["fr"]
    )
    partner = Organization.objects.create(
        program=program, name=f"Entraide {name}", kind=Organization.Kind.COMMUNITY_PARTNER
    )
    season = Season.objects.create(
        program=program,
        name="Été 2026",
        starts_on=datetime.date(2026, 6, 13),
        ends_on=datetime.date(2026, 9, 5),
        weeks=12,
        household_size_cap=3,
        coupons_valid_from=datetime.date(2026, 6, 13),
        coupons_valid_until=datetime.date(2026, 9, 12),
        accepted_sale_point_kinds=["market", "farm_stand"],
    )
    for size, cents in ((1, 2500), (2, 3500), (3, 4500)):
        EntitlementRow.objects.create(season=season, household_size=size, amount_cents=cents)
    Denomination.objects.create(season=season, value_cents=500)
    coupon_class = CouponClass.objects.create(season=season, name="Fruits et légumes", categories=["vegetables", "fruit"])
    market = Market.objects.create(program=program, name=f"Marché de {name}", municipality=name)
    sale_point = SalePoint.objects.create(market=market, name="Place du marché", kind="market", address="1 rue Principale")
    vendor = Vendor.objects.create(program=program, business_name=f"Ferme {name}", kind="producer", categories=["vegetables"])
    vendor.sale_points.add(sale_point)
    return {
        "network": network,
        "program": program,
        "partner": partner,
        "season": season,
        "coupon_class": coupon_class,
        "market": market,
        "sale_point": sale_point,
        "vendor": vendor,
    }


def make_role_users(world: dict, prefix: str) -> dict:
    """One user per program role in the world's program, tied to its partner, market and vendor."""
    p = world["program"]
    return {
        Role.COORDINATOR: make_user(f"{prefix}-coordo", role=Role.COORDINATOR, program=p),
        Role.TREASURER: make_user(f"{prefix}-tresorier", role=Role.TREASURER, program=p),
        Role.PARTNER_WORKER: make_user(
            f"{prefix}-intervenant", role=Role.PARTNER_WORKER, program=p, organization=world["partner"]
        ),
        Role.MARKET_MANAGER: make_user(f"{prefix}-gestion", role=Role.MARKET_MANAGER, program=p, market=world["market"]),
        Role.VENDOR: make_user(f"{prefix}-marchand", role=Role.VENDOR, program=p, vendor=world["vendor"]),
        Role.RESEARCHER: make_user(f"{prefix}-chercheur", role=Role.RESEARCHER, program=p),
        Role.FUNDER_VIEWER: make_user(f"{prefix}-bailleur", role=Role.FUNDER_VIEWER, program=p),
    }
