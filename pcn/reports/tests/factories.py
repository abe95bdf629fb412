"""A running season with something in every figure of the dashboards."""

import datetime

from django.utils import timezone

from pcn.accounts.models import Role
from pcn.coupons.models import CustodyEvent
from pcn.coupons.services import coupons_move, series_issue
from pcn.households.models import Household
from pcn.households.services import distribution_record, household_enrol, partner_quota_set
from pcn.markets.models import Market, SalePoint, Vendor, VendorAuthorization
from pcn.payments import services
from pcn.payments.tests.factories import paying_world, redeem
from pcn.programs.models import Organization
from pcn.testing import make_user


def report_world():
    """A running season: 20 coupons sold to the public (paying_world); a partner's household handed 7 coupons of
    5 $ (35 $, two people); at two markets two vendors took 4 + 2 coupons; the first vendor paid for its
    3 public coupons (15 $)."""
    w = paying_world()
    season = w["season"]
    series = series_issue(season=season, denomination_cents=500, coupon_class=w["coupon_class"], colour="#1f4e9c",
                          valid_from=season.coupons_valid_from, valid_until=season.coupons_valid_until, count=10, funding_source="Ville",
                          by=w["coordinator"])
    coupons_move(season=season, kind=CustodyEvent.Kind.ALLOCATE, ranges=[(series.pk, 1, 10)], to_partner=w["partner"],
                 by=w["coordinator"])
    partner_quota_set(season=season, partner=w["partner"], max_households=5, max_value_cents=500_000)
    household = household_enrol(season=season, partner=w["partner"], size=2, composition={"age_0_5": 1, "age_18_64": 1},
                                flags=[], community="", language="fr", consents={"participation": True},
                                identity=None, by=w["coordinator"])
    Household.objects.filter(pk=household.pk).update(enrolled_at=timezone.now() - datetime.timedelta(days=7))
    distribution_record(household=household, day=timezone.localdate(), ranges=[(series.pk, 1, 7)], by=w["coordinator"])
    household_codes = list(series.coupons.order_by("number").values_list("code", flat=True))[:7]

    other = Organization.objects.create(program=w["program"], name="Maison de la famille",
                                        kind=Organization.Kind.COMMUNITY_PARTNER)
    market_b = Market.objects.create(program=w["program"], name="Marché de Donnacona", municipality="Donnacona")
    point_b = SalePoint.objects.create(market=market_b, name="Quai", kind="market", address="2 rue du Quai")
    vendor_b = Vendor.objects.create(program=w["program"], business_name="Jardins Bélanger", kind="producer",
                                     categories=["vegetables"])
    vendor_b.sale_points.add(point_b)
    VendorAuthorization.objects.create(season=season, vendor=vendor_b, authorized_by=w["coordinator"])
    redeem(w, *w["codes"][:3], household_codes[0])
    redeem(w, *household_codes[1:3], vendor=vendor_b, market=market_b)
    claims = services.claims_prepare(season=season, by=w["coordinator"], until=timezone.localdate(),
                                     vendor=w["vendor"])
    for claim in claims:
        services.claim_approve(claim=claim, by=w["coordinator"])
    batch = services.batch_create(season=season, method="bank", payment_on=timezone.localdate(), claims=claims,
                                  by=w["treasurer"])
    services.batch_approve(batch=batch, by=w["coordinator"])
    services.batch_mark_paid(batch=batch, by=w["treasurer2"])
    w.update(other=other, market_b=market_b, vendor_b=vendor_b, household=household, series2=series)
    w["partner_user"] = make_user("intervenante", role=Role.PARTNER_WORKER, program=w["program"],
                                  organization=w["partner"])
    w["other_user"] = make_user("autre-intervenante", role=Role.PARTNER_WORKER, program=w["program"],
                                organization=other)
    w["vendor_b_user"] = make_user("jardins", role=Role.VENDOR, program=w["program"], vendor=vendor_b)
    w["analyst"] = make_user("analyste", role=Role.NETWORK_ANALYST, network=w["network"])
    return w
