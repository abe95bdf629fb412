"""A season under way with two partners whose households were given coupons (on paper or on a card), and
households that were not (never served, missed their distribution, on the waiting list)."""

import datetime

from pcn.accounts.models import Role
from pcn.coupons.models import CustodyEvent
from pcn.coupons.services import coupons_move
from pcn.coupons.tests.factories import coupon_world, issue
from pcn.households.models import Household
from pcn.households.services import card_credit_period, card_issue, distribution_record
from pcn.households.tests.factories import enrol, quota
from pcn.programs.models import Organization, Season
from pcn.testing import make_user

FIRST_DAY = datetime.date(2026, 6, 13)
BEFORE_SEASON = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)


def receipt_world(name: str = "Portneuf", *, paper_a: int = 11, paper_b: int = 4, **kwargs) -> dict:
    """Partner A (« Entraide <name> »): `paper_a` households given coupons on paper (one in full, the others
    in part), one credited on its card, one enrolled but never served, one whose distribution was missed,
    one waiting. Partner B (« Cuisine collective <name> »): `paper_b` households given coupons on paper."""
    w = coupon_world(name, **kwargs)
    program, season = w["program"], w["season"]
    Season.objects.filter(pk=season.pk).update(cards_enabled=True)
    season.refresh_from_db()
    slug = name.lower()
    w["partner_b"] = Organization.objects.create(
        program=program, name=f"Cuisine collective {name}", kind=Organization.Kind.COMMUNITY_PARTNER
    )
    w["worker_a"] = make_user(f"intervenante-a-{slug}", role=Role.PARTNER_WORKER, program=program,
                              organization=w["partner"])
    w["worker_b"] = make_user(f"intervenant-b-{slug}", role=Role.PARTNER_WORKER, program=program,
                              organization=w["partner_b"])
    w["treasurer"] = make_user(f"tresorier-{slug}", role=Role.TREASURER, program=program)
    quota(w, households=paper_a + 4)
    quota(w, households=paper_b + 1, partner=w["partner_b"])
    series = issue(w, count=(paper_a + paper_b) * 5 + 10)
    coupons_move(season=season, kind=CustodyEvent.Kind.ALLOCATE, ranges=[(series.pk, 1, paper_a * 5)],
                 to_partner=w["partner"], by=w["coordinator"])
    coupons_move(season=season, kind=CustodyEvent.Kind.ALLOCATE,
                 ranges=[(series.pk, paper_a * 5 + 1, (paper_a + paper_b) * 5)], to_partner=w["partner_b"],
                 by=w["coordinator"])

    def enrolled(partner, by, n):
        return [enrol(w, by, partner=partner) for _ in range(n)]

    w["paper_a"] = enrolled(w["partner"], w["worker_a"], paper_a)
    w["card_a"] = enrolled(w["partner"], w["worker_a"], 1)[0]
    w["unserved_a"] = enrolled(w["partner"], w["worker_a"], 1)[0]
    w["missed_a"] = enrolled(w["partner"], w["worker_a"], 1)[0]
    w["paper_b"] = enrolled(w["partner_b"], w["worker_b"], paper_b)
    Household.objects.filter(program=program).update(enrolled_at=BEFORE_SEASON)
    # A household of size 1 is due 25 $ a week: the first gets five 5 $ coupons (in full), the others one.
    number = 1
    for index, household in enumerate(w["paper_a"]):
        count = 5 if index == 0 else 1
        distribution_record(household=household, day=FIRST_DAY, ranges=[(series.pk, number, number + count - 1)],
                            by=w["worker_a"])
        number += 5
    for household in w["paper_b"]:
        distribution_record(household=household, day=FIRST_DAY, ranges=[(series.pk, number, number)],
                            by=w["worker_b"])
        number += 5
    distribution_record(household=w["missed_a"], day=FIRST_DAY, missed=True, by=w["worker_a"])
    card_credit_period(card=card_issue(household=w["card_a"], by=w["worker_a"]), day=FIRST_DAY, by=w["worker_a"])
    w["waiting_a"] = enrolled(w["partner"], w["worker_a"], 1)[0]  # the quota is full: on the waiting list
    w["eligible_a"] = {h.pk for h in w["paper_a"]} | {w["card_a"].pk}
    w["eligible_b"] = {h.pk for h in w["paper_b"]}
    return w
