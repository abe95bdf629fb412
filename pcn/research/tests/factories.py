"""A running season with households (research consent given, refused, withdrawn, given later), their
distributions, a card, and redemptions accepted and refused."""

import datetime

from pcn.accounts.models import Role
from pcn.coupons.models import CustodyEvent
from pcn.coupons.services import coupons_move
from pcn.coupons.tests.factories import issue
from pcn.households.models import Household
from pcn.households.services import card_credit_period, card_issue, consent_record, distribution_record
from pcn.households.tests.factories import enrol, quota
from pcn.programs.models import Season
from pcn.redemptions.models import Source
from pcn.redemptions.services import card_debit, redemption_record
from pcn.redemptions.tests.factories import nonce, running_world
from pcn.testing import make_user


def research_world(name: str = "Portneuf") -> dict:
    w = running_world(name)
    season = w["season"]
    Season.objects.filter(pk=season.pk).update(cards_enabled=True)
    season.refresh_from_db()
    w["worker"] = worker = make_user(f"interv-{name.lower()}", role=Role.PARTNER_WORKER, program=w["program"],
                                     organization=w["partner"])
    w["researcher"] = make_user(f"chercheur-{name.lower()}", role=Role.RESEARCHER, program=w["program"])
    stock = issue(w, count=60)
    coupons_move(season=season, kind=CustodyEvent.Kind.ALLOCATE, ranges=[(stock.pk, 1, 60)],
                 to_partner=w["partner"], by=w["coordinator"])
    quota(w, households=10)
    yes = {"participation": True, "surveys": False, "research": True}
    no = {"participation": True, "surveys": True, "research": False}
    w["consenting"] = enrol(w, worker, size=3, composition={"age_0_5": 1, "age_18_64": 2},
                            flags=["single_parent"], consents=yes)
    w["refusing"] = enrol(w, worker, size=1, consents=no)
    w["withdrawn"] = enrol(w, worker, size=2, consents=yes)
    consent_record(household=w["withdrawn"], purpose="research", given=False, by=worker)
    w["later"] = enrol(w, worker, size=1, consents=no)
    consent_record(household=w["later"], purpose="research", given=True, by=worker)
    Household.objects.filter(season=season).update(
        enrolled_at=datetime.datetime.combine(season.starts_on - datetime.timedelta(days=3), datetime.time(12),
                                              tzinfo=datetime.UTC))
    for key in ("consenting", "refusing", "withdrawn", "later"):
        w[key].refresh_from_db()
    day = season.starts_on
    # 45 $ (9 coupons) for the 3-person household, 25 $ (5) for a person alone, 35 $ (7) for two.
    w["distributions"] = [
        distribution_record(household=w["consenting"], day=day, ranges=[(stock.pk, 1, 9)], by=worker),
        distribution_record(household=w["refusing"], day=day, ranges=[(stock.pk, 10, 14)], by=worker),
        distribution_record(household=w["withdrawn"], day=day, ranges=[(stock.pk, 15, 21)], by=worker),
    ]
    w["card"] = card = card_issue(household=w["later"], by=worker)
    card_credit_period(card=card, day=day, by=worker)
    w["stock"] = stock
    w["stock_codes"] = list(stock.coupons.order_by("number").values_list("code", flat=True))
    place = {"market": w["market"], "sale_point": w["sale_point"]}
    w["redemptions"] = [
        redemption_record(vendor=w["vendor"], code=code, nonce=nonce(), source=Source.STALL, by=w["vendor_user"],
                          **place)
        for code in w["stock_codes"][:4] + w["codes"][:2]
    ]
    w["redemptions"].append(redemption_record(vendor=w["vendor"], code=w["stock_codes"][0], nonce=nonce(),
                                              source=Source.STALL, by=w["vendor_user"], **place))  # twice: refused
    w["redemptions"].append(card_debit(vendor=w["vendor"], card_code=card.code, amount_cents=1250, nonce=nonce(),
                                       source=Source.STALL, by=w["vendor_user"], sale_point=w["sale_point"]))
    return w
