"""Demonstration data: Portneuf's summer 2026, a whole past season, for the dashboards (issue 7).

Forty households enrolled by two partners (and three on a waiting list, one of whom gets a place in July when
a household moves away), twelve weekly distributions following the entitlement table (with some weeks
missed), coupons sold to the public at a discount, a lost booklet voided, coupons spent at the three public
markets and the farms' stands over the summer (a few presentations refused, for the reasons a market sees),
claims every two weeks with a line rejected, payment batches paid, leftovers returned, a receipt check
mid-season, and the season closed in September: what households still held expired.

Everything happens at the moment it would have (June to September 2026): the services read
`django.utils.timezone.now`, which `_clock` sets for each step, so the dashboards' weekly figures and the
custody ledger's times are those of the season, and the ledger's hash chain is the one the services write.

Every step goes through the services the pages use, one call each, except the market managers' end-of-day
stacks: about 1,500 ordinary coupons entered after closing. One `redemption_record` call each would make the
demo take a minute, so each stack (one market, one evening) is written as `redemption_record` writes an
accepted coupon, in one go: the ledger's `events_append` (one redeem event per coupon, hashed in the chain),
the coupons moved with a conditional UPDATE, and the Redemption rows. The stall phone's coupons and every
refused presentation go through `redemption_record` itself.

Only in a season that has no series yet (the ledger and the redemptions are append-only: a second run adds
nothing); the research sharing decision only when the program has none.
"""

import datetime
import math
import random
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from django.core.exceptions import ValidationError
from django.utils import timezone

from pcn.coupons.models import Colour, Coupon, CouponStatus, CustodyEvent

SEASON = ("PCN Portneuf", "Été 2026")
RANDOM_SEED = 2026
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

SAINT_RAYMOND = "Entraide alimentaire de Saint-Raymond"
FAMILLE = "Maison de la famille de Portneuf"

# (size, aged 0-5, 6-17, 18-64, 65+, situation): ages and situations only, never an identity.
HOUSEHOLDS = {
    SAINT_RAYMOND: (  # quota: 22 households; the last two wait for a place
        (1, 0, 0, 0, 1, ""), (1, 0, 0, 1, 0, ""), (2, 0, 0, 0, 2, ""), (1, 0, 0, 1, 0, "disability"),
        (3, 1, 0, 2, 0, "pregnancy"), (1, 0, 0, 0, 1, ""), (2, 0, 0, 2, 0, ""), (4, 0, 2, 2, 0, ""),
        (1, 0, 0, 1, 0, ""), (2, 0, 1, 1, 0, "single_parent"), (1, 0, 0, 0, 1, ""), (5, 1, 2, 2, 0, "newcomer"),
        (2, 0, 0, 1, 1, ""), (1, 0, 0, 1, 0, ""), (3, 0, 1, 1, 1, ""), (2, 0, 0, 0, 2, ""), (1, 0, 0, 1, 0, ""),
        (4, 1, 1, 2, 0, ""), (1, 0, 0, 0, 1, "disability"), (6, 2, 2, 2, 0, ""), (2, 0, 0, 2, 0, ""),
        (3, 0, 2, 1, 0, "single_parent"),
        (1, 0, 0, 1, 0, ""), (2, 0, 0, 1, 1, ""),
    ),
    FAMILLE: (  # quota: 18 households; the last one waits
        (3, 1, 0, 2, 0, ""), (4, 1, 1, 2, 0, ""), (2, 1, 0, 1, 0, "single_parent"), (5, 2, 1, 2, 0, ""),
        (3, 2, 0, 1, 0, "single_parent"), (4, 2, 0, 2, 0, "newcomer"), (6, 1, 3, 2, 0, ""),
        (3, 1, 1, 1, 0, "single_parent"), (4, 0, 2, 2, 0, ""), (2, 0, 1, 1, 0, "single_parent"),
        (5, 1, 2, 2, 0, "pregnancy"), (3, 1, 0, 2, 0, "newcomer"), (7, 2, 3, 2, 0, ""), (4, 1, 1, 1, 1, ""),
        (3, 0, 1, 2, 0, ""), (2, 1, 0, 1, 0, "single_parent"), (4, 2, 0, 2, 0, ""), (5, 0, 3, 2, 0, ""),
        (3, 1, 1, 1, 0, "single_parent"),
    ),
}
QUOTAS = {SAINT_RAYMOND: 22, FAMILLE: 18}
WORKER = {SAINT_RAYMOND: "intervenant", FAMILLE: "coordo"}  # who enrols and hands out (no login for Lucie Alain)
LEAVES = (SAINT_RAYMOND, 13, "2026-07-14")  # a household moves away; the first one waiting gets its place

# The partners hand out on their day of each weekly period (periods start on the season's Saturdays): in
# Saint-Raymond at the market on Saturday morning, at the Maison de la famille on Thursday afternoon.
HAND_OUT = {SAINT_RAYMOND: (0, "08:00"), FAMILLE: (5, "13:30")}  # (days after the period starts, time)


@dataclass(frozen=True)
class SeriesPlan:
    key: str
    value_dollars: int
    coupon_class: str
    colour: str
    grant: str  # GRANTS key


# A week's amount in coupons: tens, half of them for fruits and vegetables, and a five for the odd amounts.
SERIES = (
    SeriesPlan("fl10", 10, "Fruits et légumes", Colour.GREEN, "fonds"),
    SeriesPlan("all10", 10, "Tous les aliments admissibles", Colour.BLUE, "mrc"),
    SeriesPlan("all5", 5, "Tous les aliments admissibles", Colour.ORANGE, "mrc"),
)
BOOKLET = 10

GRANTS = {  # key: (funder, name, amount in dollars, purposes)
    "fonds": ("Fonds de développement du milieu de Portneuf (démo)", "Coupons nourriciers 2026", 12_000,
              ["coupons"]),
    "mrc": ("MRC de Portneuf – développement économique (démo)", "Sécurité alimentaire 2026", 14_000,
            ["coupons", "public_sale_bonus", "operations"]),
}
EXPENSES = (("mrc", "2026-06-05", "Affiches et dépliants pour les marchés", 210),
            ("mrc", "2026-06-10", "Impression des coupons de l'été (3 séries)", 640))

# Citizens buy coupons at the markets' kiosk: 20 $ pays for 30 $ of coupons (3 × 10 $), some take twice that.
PUBLIC_SALES = (  # (day, market, packs of 30 $)
    ("2026-06-20", "Marché public de Saint-Raymond", 2), ("2026-06-26", "Marché public de Saint-Casimir", 1),
    ("2026-07-04", "Marché public de Saint-Raymond", 1), ("2026-07-10", "Marché public de Saint-Casimir", 2),
    ("2026-07-18", "Marché public de Saint-Raymond", 1), ("2026-07-25", "Marché public de Saint-Raymond", 2),
    ("2026-07-31", "Marché public de Saint-Casimir", 1), ("2026-08-08", "Marché public de Saint-Raymond", 1),
    ("2026-08-14", "Marché public de Saint-Casimir", 1), ("2026-08-22", "Marché public de Saint-Raymond", 2),
    ("2026-08-28", "Marché public de Saint-Casimir", 1), ("2026-09-05", "Marché public de Saint-Raymond", 1),
)
PUBLIC_FUNDING = "mrc"


@dataclass(frozen=True)
class Place:
    market: str
    days: tuple[int, ...]
    opens: str
    closes: str
    first: str  # the first and last day coupons may be spent there (its own season)
    last: str
    entered_by: str  # who enters the day's coupons after closing


PLACES = {
    "raymond": Place("Marché public de Saint-Raymond", (SAT,), "09:00", "13:00", "2026-06-13", "2026-09-12",
                     "gestionnaire"),
    "casimir": Place("Marché public de Saint-Casimir", (FRI,), "15:00", "19:00", "2026-06-13", "2026-09-12",
                     "gestionnaire"),
    "deschambault": Place("Marché public de Deschambault-Grondines", (SUN,), "10:00", "14:00", "2026-06-13",
                          "2026-09-12", "gestionnaire"),
    # The farms hand their envelope of coupons to the coordination, which enters them the same evening.
    "trois-ruisseaux": Place("Ferme des Trois-Ruisseaux", (THU, FRI, SAT, SUN), "10:00", "17:00", "2026-07-02",
                             "2026-09-12", "coordo"),
    "bel-horizon": Place("Ferme Bel-Horizon", tuple(range(7)), "07:00", "20:00", "2026-07-01", "2026-09-12",
                         "coordo"),
    "coteau": Place("Ferme du Coteau fleuri", tuple(range(7)), "08:00", "16:00", "2026-06-13", "2026-08-31",
                    "coordo"),
}
HABITS = {  # where each partner's households shop, with weights
    SAINT_RAYMOND: (("raymond", 7), ("trois-ruisseaux", 2), ("bel-horizon", 2), ("casimir", 1)),
    FAMILLE: (("casimir", 6), ("deschambault", 3), ("coteau", 2), ("raymond", 1)),
}
# Vendors at each place, with weights for an all-foods coupon; a fruits-and-vegetables coupon goes to those
# selling fruits or vegetables (marked True).
VENDORS_AT = {
    "raymond": (("Ferme des Trois-Ruisseaux", 4, True), ("Les Jardins de la Sainte-Anne", 3, True),
                ("Boulangerie La Mie de Portneuf", 3, False), ("Ferme d'élevage Lachance", 3, False),
                ("Érablière du rang Notre-Dame", 1, False)),
    "casimir": (("Ferme Bel-Horizon", 4, True), ("Les Jardins de la Sainte-Anne", 3, True),
                ("Fromagerie du Vieux-Moulin", 3, False), ("Ferme d'élevage Lachance", 2, False),
                ("Érablière du rang Notre-Dame", 1, False)),
    "deschambault": (("Ferme du Coteau fleuri", 5, True), ("Fromagerie du Vieux-Moulin", 3, False),
                     ("Rucher des Grondines", 2, False)),
    "trois-ruisseaux": (("Ferme des Trois-Ruisseaux", 1, True),),
    "bel-horizon": (("Ferme Bel-Horizon", 1, True),),
    "coteau": (("Ferme du Coteau fleuri", 1, True),),
}
STALL_VENDOR = "Les Jardins de la Sainte-Anne"  # takes coupons on her phone (the `marchand` login) from August
STALL_FROM = "2026-08-01"  # before, the market manager entered her coupons with the others
STALL_PHONE = "Téléphone d'Annie"
# Most households spend the first part of their coupons at the next market: in Saint-Raymond right after the
# hand-out, at the Maison de la famille's the next day in Saint-Casimir. (place, days later, how often)
SAME_WEEK = {SAINT_RAYMOND: ("raymond", 0, 0.6), FAMILLE: ("casimir", 1, 0.5)}
DELAYS = (0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 9, 12)  # days between receiving coupons and going shopping otherwise

# Every other Monday, each claiming what was taken until the day before; paid on the Thursday. The last one
# waits for the coupons' last valid day (September 12), past Labour Day.
CLAIM_ROUNDS = ("2026-06-29", "2026-07-13", "2026-07-27", "2026-08-10", "2026-08-24", "2026-09-14")
REJECTED_LINE = (2, "Ferme d'élevage Lachance",
                 "Coupon déchiré en deux, code illisible : non remboursable selon l'entente des marchands.")
PAYEES = {  # vendor: method (bank numbers are fictional)
    "Ferme des Trois-Ruisseaux": "bank", "Ferme Bel-Horizon": "bank", "Ferme du Coteau fleuri": "bank",
    "Les Jardins de la Sainte-Anne": "bank", "Fromagerie du Vieux-Moulin": "bank",
    "Boulangerie La Mie de Portneuf": "bank", "Ferme d'élevage Lachance": "bank",
    "Érablière du rang Notre-Dame": "cheque", "Rucher des Grondines": "cheque",
}
LOST = (FAMILLE, "all5", "2026-07-28")  # a booklet of 5 $ coupons lost at the partner's office
RETURNS_ON = "2026-09-08"  # partners bring back what they have left
CLOSE_ON = "2026-09-18"  # the Friday after the last payment
RECEIPTS_ON = "2026-08-10"  # the coordination draws five households per partner to ask
UNREACHABLE_NOTE = "Trois appels, aucune réponse."
RESEARCH = ("2026-03-18", "Décision du comité de coordination du 18 mars 2026.")

# A well-formed code (its check symbol is right) that no series holds: typed from a coupon of another program.
UNKNOWN_DATA = "PN2026ETE4M"


# --- The clock ------------------------------------------------------------------------------------


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _at(day: datetime.date, hhmm: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.fromisoformat(hhmm)))


_moments: list[datetime.datetime] = []


@contextmanager
def _clock(moment: datetime.datetime):
    """The services called inside run at `moment` (they, `localdate()` and `auto_now_add` read
    `django.utils.timezone.now`). Patched once by the outermost call, which inner ones move."""
    _moments.append(moment)
    try:
        if len(_moments) == 1:
            with mock.patch("django.utils.timezone.now", new=lambda: _moments[-1]):
                yield
        else:
            yield
    finally:
        _moments.pop()


# --- The plan: who gets what, when, and where it is spent ---------------------------------------------


@dataclass
class HouseholdPlan:
    partner: str
    index: int
    size: int
    ages: tuple[int, int, int, int]
    flag: str
    enrol_at: datetime.datetime
    spend: float  # chance that a coupon received is spent
    missing: float  # chance of missing a week's hand-out
    first_period: int = 1
    last_period: int = 12
    waiting: bool = False


@dataclass
class Step:
    at: datetime.datetime
    kind: str
    data: dict = field(default_factory=dict)


def _amounts(weekly_dollars: int) -> dict[str, int]:
    tens = weekly_dollars // 10
    return {"fl10": (tens + 1) // 2, "all10": tens // 2, "all5": (weekly_dollars % 10) // 5}


def _open_days(place: Place, after: datetime.date, until: datetime.date) -> list[datetime.date]:
    first, last = max(after, _day(place.first)), min(until, _day(place.last))
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)
            if (first + datetime.timedelta(days=n)).weekday() in place.days]


def _place_of(market: str) -> str:
    return next(key for key, place in PLACES.items() if place.market == market)


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [(a, b) for a, b in runs]


def _plan(season, weekly_cents: dict[int, int], periods) -> tuple[list[Step], dict[str, int]]:
    """The season's steps in order of time, and how many coupons each series needs."""
    rng = random.Random(RANDOM_SEED)
    valid_until = season.coupons_valid_until
    steps: list[Step] = []

    households: list[HouseholdPlan] = []
    for partner, rows in HOUSEHOLDS.items():
        for index, (size, *rest) in enumerate(rows):
            *ages, flag = rest
            waiting = index >= QUOTAS[partner]
            start = _day("2026-06-01") + datetime.timedelta(days=index // 4 + (9 if waiting else 0))
            households.append(HouseholdPlan(
                partner=partner, index=index, size=size, ages=tuple(ages), flag=flag,
                enrol_at=_at(start, f"{10 + index % 6}:{(index * 7) % 60:02d}"),
                spend=rng.choice((0.97, 0.95, 0.92, 0.9, 0.88, 0.85, 0.8, 0.7, 0.55)),
                missing=rng.choice((0.0, 0.03, 0.05, 0.05, 0.08, 0.1, 0.2)), waiting=waiting,
            ))
    by_key = {(h.partner, h.index): h for h in households}
    leaver_partner, leaver_index, left_on = LEAVES
    leaver = by_key[(leaver_partner, leaver_index)]
    promoted = by_key[(leaver_partner, QUOTAS[leaver_partner])]
    left_on = _day(left_on)
    leaver.last_period = max(p.number for p in periods if p.starts_on <= left_on)
    promoted.first_period, promoted.waiting = leaver.last_period + 1, False
    for h in households:
        steps.append(Step(h.enrol_at, "enrol", {"household": h}))
        if h.waiting:
            h.first_period = 99
    steps.append(Step(_at(left_on, "11:00"), "leave", {"household": leaver}))

    # Coupons each partner hands out per period (all its households, every week): two deliveries of booklets,
    # for the first six weeks and the last six, with a spare booklet of each series (two of the lost one's).
    per_period: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for h in households:
        for p in periods:
            if h.first_period <= p.number <= h.last_period:
                for key, n in _amounts(weekly_cents[h.size] // 100).items():
                    per_period[(h.partner, p.number)][key] += n
    deliveries = ((_at(_day("2026-06-08"), "14:00"), range(1, 7)), (_at(_day("2026-07-20"), "10:00"), range(7, 13)))
    cursor = {s.key: 1 for s in SERIES}
    pools: dict[tuple[str, str], list[int]] = defaultdict(list)
    lost_partner, lost_series, lost_on = LOST
    lost_numbers: list[int] = []
    for moment, numbers in deliveries:
        for partner in HOUSEHOLDS:
            ranges = []
            for s in SERIES:
                need = sum(per_period[(partner, n)][s.key] for n in numbers)
                spare = 2 if (partner, s.key) == (lost_partner, lost_series) and numbers.start == 7 else 1
                booklets = math.ceil(need / BOOKLET) + spare
                first = cursor[s.key]
                last = first + booklets * BOOKLET - 1
                cursor[s.key] = last + 1
                ranges.append((s.key, first, last))
                coupons = list(range(first, last + 1))
                if spare == 2:  # the last booklet of this delivery is lost before it is opened
                    lost_numbers, coupons = coupons[-BOOKLET:], coupons[:-BOOKLET]
                pools[(partner, s.key)].extend(coupons)
            steps.append(Step(moment, "allocate", {"partner": partner, "ranges": ranges}))
    steps.append(Step(_at(_day(lost_on), "15:00"), "void", {"partner": lost_partner,
                                                            "ranges": [(lost_series, lost_numbers[0],
                                                                        lost_numbers[-1])]}))
    public_series = "all10"
    public_first = cursor[public_series]
    counts = dict(cursor)

    # Hand-outs, week by week, and where each coupon is spent.
    spending: list[tuple[HouseholdPlan | None, str, datetime.date, list[tuple[str, int]]]] = []
    for p in periods:
        for h in households:
            if not h.first_period <= p.number <= h.last_period:
                continue
            offset, hhmm = HAND_OUT[h.partner]
            day = p.starts_on + datetime.timedelta(days=offset)
            at = _at(day, hhmm) + datetime.timedelta(minutes=h.index)  # before the market opens
            if p.number > h.first_period and rng.random() < h.missing:
                steps.append(Step(at, "missed", {"household": h, "day": day}))
                continue
            coupons = []
            for key, n in _amounts(weekly_cents[h.size] // 100).items():
                taken, pools[(h.partner, key)] = pools[(h.partner, key)][:n], pools[(h.partner, key)][n:]
                coupons += [(key, number) for number in taken]
            steps.append(Step(at, "distribute", {"household": h, "day": day, "coupons": coupons}))
            spending.append((h, h.partner, day, coupons))
    sold_numbers = iter(range(public_first, public_first + 10_000))
    for day_text, market, packs in PUBLIC_SALES:
        day = _day(day_text)
        coupons = [(public_series, next(sold_numbers)) for _ in range(3 * packs)]
        steps.append(Step(_at(day, PLACES[_place_of(market)].opens), "sell",
                          {"coupons": coupons, "packs": packs}))
        spending.append((None, market, day, coupons))
    counts[public_series] = next(sold_numbers)

    # Each household spends its week's coupons in one or two outings, at its usual places.
    stacks: dict[tuple[str, datetime.date], list[tuple[str, str, int]]] = defaultdict(list)
    stall: list[tuple[str, datetime.date, tuple[str, int]]] = []
    kept: list[tuple[HouseholdPlan | None, datetime.date, tuple[str, int]]] = []  # never spent
    for h, where, day, coupons in spending:
        coupons = list(coupons)
        rng.shuffle(coupons)
        outings = 2 if len(coupons) >= 4 and rng.random() < 0.5 else 1
        for part in range(outings):
            group = coupons[part::outings]
            if h is None:  # the public spends at the market where it bought, that day or the next weeks
                place_key = _place_of(where)
                delay = rng.choice((0, 0, 0, 7, 14))
            elif part == 0 and rng.random() < SAME_WEEK[h.partner][2]:
                place_key, delay = SAME_WEEK[h.partner][:2]
            else:
                names, weights = zip(*HABITS[h.partner], strict=True)
                place_key = rng.choices(names, weights)[0]
                delay = rng.choice(DELAYS)
            days = _open_days(PLACES[place_key], day + datetime.timedelta(days=delay), valid_until)
            for coupon in group:
                if not days or rng.random() > (h.spend if h else 0.9):
                    kept.append((h, day, coupon))
                    continue
                vendors = [(name, weight) for name, weight, fresh in VENDORS_AT[place_key]
                           if fresh or coupon[0] != "fl10"]
                vendor = rng.choices([v for v, _w in vendors], [w for _v, w in vendors])[0]
                if vendor == STALL_VENDOR and days[0] >= _day(STALL_FROM):
                    stall.append((place_key, days[0], coupon))
                else:
                    stacks[(place_key, days[0])].append((vendor, *coupon))
    for (place_key, day), entries in stacks.items():
        place = PLACES[place_key]
        steps.append(Step(_at(day, place.closes) + datetime.timedelta(minutes=30), "stack",
                          {"place": place_key, "entries": entries}))
    for number, (place_key, day, coupon) in enumerate(stall):
        place = PLACES[place_key]
        opens = _at(day, place.opens)
        minutes = int((_at(day, place.closes) - opens).total_seconds() // 60) - 5
        steps.append(Step(opens + datetime.timedelta(minutes=rng.randrange(5, minutes)), "stall",
                          {"place": place_key, "coupon": coupon, "nonce": f"ete26-{number + 1:04d}"}))

    steps += _refusals(rng, stacks, kept, lost_series, lost_numbers)
    steps += _money_steps()
    steps.append(Step(_at(_day(RETURNS_ON), "14:00"), "return", {}))
    steps.append(Step(_at(_day(RECEIPTS_ON), "10:00"), "receipts", {}))
    steps.append(Step(_at(_day(CLOSE_ON), "10:00"), "close", {}))
    steps.sort(key=lambda step: step.at)  # stable: same-moment steps keep the order they were planned in
    return steps, counts


def _refusals(rng, stacks, kept, lost_series, lost_numbers) -> list[Step]:
    """A few presentations a market sees refused, each on a coupon for which it is the right refusal then."""
    def kept_coupon(partner: str, key: str, before: str) -> tuple[str, int]:
        for h, day, coupon in kept:
            if h is not None and h.partner == partner and coupon[0] == key and day < _day(before):
                kept.remove((h, day, coupon))
                return coupon
        raise LookupError(partner, key)

    first_raymond = min(day for place, day in stacks if place == "raymond")
    _vendor, *taken = stacks[("raymond", first_raymond)][0]
    manager = "gestionnaire"
    return [
        # The same coupon typed again a week later, in the next stack of the Saint-Raymond market.
        Step(_at(first_raymond + datetime.timedelta(days=7), "13:25"), "refused",
             {"vendor": "Boulangerie La Mie de Portneuf", "place": "raymond", "coupon": tuple(taken),
              "by": manager}),
        # A vendor who joins the program only next year.
        Step(_at(_day("2026-07-10"), "19:25"), "refused",
             {"vendor": "Les Conserves de grand-maman Huot", "place": "casimir",
              "coupon": kept_coupon(FAMILLE, "all10", "2026-07-10"), "by": manager}),
        # A fruits-and-vegetables coupon at the honey stand.
        Step(_at(_day("2026-08-02"), "14:25"), "refused",
             {"vendor": "Rucher des Grondines", "place": "deschambault",
              "coupon": kept_coupon(FAMILLE, "fl10", "2026-08-02"), "by": manager}),
        # A code of no series of the program.
        Step(_at(_day("2026-08-15"), "13:26"), "refused",
             {"vendor": "Ferme d'élevage Lachance", "place": "raymond", "coupon": None, "by": manager}),
        # A coupon of the booklet reported lost.
        Step(_at(_day("2026-08-21"), "19:26"), "refused",
             {"vendor": "Fromagerie du Vieux-Moulin", "place": "casimir",
              "coupon": (lost_series, lost_numbers[rng.randrange(BOOKLET)]), "by": manager}),
        # The day after the coupons' last valid day.
        Step(_at(_day("2026-09-13"), "14:20"), "refused",
             {"vendor": "Fromagerie du Vieux-Moulin", "place": "deschambault",
              "coupon": kept_coupon(FAMILLE, "all10", "2026-09-13"), "by": manager}),
    ]


def _money_steps() -> list[Step]:
    steps = []
    for number, monday_text in enumerate(CLAIM_ROUNDS):
        monday = _day(monday_text)
        until = monday - datetime.timedelta(days=1)
        steps.append(Step(_at(monday, "09:30"), "claims", {"round": number, "until": until}))
        steps.append(Step(_at(monday + datetime.timedelta(days=1), "09:15"), "batches",
                          {"round": number, "pay_on": monday + datetime.timedelta(days=3)}))
        steps.append(Step(_at(monday + datetime.timedelta(days=1), "14:00"), "approve", {"round": number}))
        steps.append(Step(_at(monday + datetime.timedelta(days=3), "10:00"), "pay", {"round": number}))
    return steps


# --- Carrying it out --------------------------------------------------------------------------------


class _Summer:
    """The season's objects, and the steps carried out through the services."""

    def __init__(self, program, season, users):
        from pcn.programs.entitlements import season_periods

        self.program, self.season, self.users = program, season, users
        self.orgs = {o.name: o for o in program.organizations.all()}
        self.vendors = {v.business_name: v for v in program.vendors.all()}
        self.markets = {m.name: m for m in program.markets.all()}
        self.periods = season_periods(season)
        self.weekly = {size: _weekly(season, size) for size in range(1, 9)}
        self.households: dict[tuple[str, int], object] = {}
        self.series: dict[str, object] = {}
        self.codes: dict[tuple[str, int], str] = {}
        self.grants: dict[str, object] = {}
        self.claims: dict[int, list] = {}
        self.batches: dict[int, list] = {}
        self.device = None

    # before the season

    def prepare(self, counts: dict[str, int]) -> None:
        from pcn.coupons.services import series_issue
        from pcn.funding.services import expense_record, grant_create
        from pcn.households.services import partner_quota_set

        treasurer, coordinator = self.users["tresorier"], self.users["coordo"]
        with _clock(_at(_day("2026-04-08"), "10:00")):
            for key, (funder, name, dollars, purposes) in GRANTS.items():
                self.grants[key] = grant_create(
                    program=self.program, funder=self.orgs[funder], name=name, amount_cents=dollars * 100,
                    starts_on=_day("2026-04-01"), ends_on=_day("2026-12-31"), purposes=purposes, by=treasurer)
        for key, day, description, dollars in EXPENSES:
            with _clock(_at(_day(day), "11:00")):
                expense_record(grant=self.grants[key], spent_on=_day(day), description=description,
                               amount_cents=dollars * 100, by=treasurer)
        with _clock(_at(_day("2026-06-08"), "09:00")):  # printed in May; entered on the week of the hand-outs
            for s in SERIES:
                count = math.ceil((counts[s.key] - 1) / 50) * 50  # printed by sheets of 50
                self.series[s.key] = series_issue(
                    season=self.season, denomination_cents=s.value_dollars * 100,
                    coupon_class=self.season.coupon_classes.get(name=s.coupon_class), colour=s.colour,
                    valid_from=self.season.coupons_valid_from, valid_until=self.season.coupons_valid_until,
                    grant=self.grants[s.grant], count=count, booklet_size=BOOKLET, by=coordinator)
        for key, series in self.series.items():
            self.codes.update({(key, n): code for n, code in series.coupons.values_list("number", "code")})
        with _clock(_at(_day("2026-05-29"), "15:00")):
            for partner, quota in QUOTAS.items():
                partner_quota_set(season=self.season, partner=self.orgs[partner], max_households=quota,
                                  max_value_cents=quota * max(self.weekly.values()) * len(self.periods))
        self._payment_details()

    def _payment_details(self) -> None:
        from pcn.payments.models import PayeeDetails, PaymentSettings

        if not PaymentSettings.objects.filter(program=self.program).exists():
            with _clock(_at(_day("2026-05-20"), "13:30")):
                settings = PaymentSettings(
                    program=self.program, originator_name="Syndicat régional producteurs",
                    originator_short_name="PCN PORTNEUF", originator_number="0000023456", data_centre="00610",
                    institution="815", transit="20110", account="2000456", settlement_days=0,
                    updated_by=self.users["tresorier"])
                settings.full_clean()
                settings.save()
        for number, (name, method) in enumerate(PAYEES.items()):
            vendor = self.vendors[name]
            if PayeeDetails.objects.filter(vendor=vendor).exists():
                continue
            bank = method == "bank"
            with _clock(_at(_day("2026-05-20"), "14:00")):
                PayeeDetails.objects.create(
                    vendor=vendor, method=method, institution="815" if bank else "",
                    transit=f"{20110 + number}" if bank else "", account=f"{7001000 + 37 * number}" if bank else "",
                    mailing_address="" if bank else f"{12 + number}, rang Saint-Jacques, Portneuf (Québec) G0A 2Y0",
                    updated_by=self.users["tresorier"])

    # the steps

    def run(self, step: Step) -> None:
        with _clock(step.at):
            getattr(self, f"_{step.kind}")(step, **step.data)

    def _household(self, h: HouseholdPlan):
        return self.households[(h.partner, h.index)]

    def _ranges(self, coupons) -> list[tuple[int, int, int]]:
        by_series = defaultdict(list)
        for key, number in coupons:
            by_series[key].append(number)
        return [(self.series[key].pk, a, b) for key, numbers in by_series.items() for a, b in _runs(numbers)]

    def _enrol(self, step, *, household: HouseholdPlan) -> None:
        from pcn.households.models import ConsentPurpose
        from pcn.households.services import household_enrol

        h = household
        number = h.index + (100 if h.partner == FAMILLE else 0)
        self.households[(h.partner, h.index)] = household_enrol(
            season=self.season, partner=self.orgs[h.partner], size=h.size,
            composition=dict(zip(["age_0_5", "age_6_17", "age_18_64", "age_65_plus"], h.ages, strict=True)),
            flags=[h.flag] if h.flag else [], community="", language="en" if number in (11, 105) else "fr",
            consents={ConsentPurpose.PARTICIPATION: True, ConsentPurpose.SURVEYS: number % 3 != 2,
                      ConsentPurpose.RESEARCH: number % 7 != 4},
            identity=None, by=self.users[WORKER[h.partner]],
        )

    def _leave(self, step, *, household: HouseholdPlan) -> None:
        from pcn.households.services import household_leave

        household_leave(household=self._household(household), by=self.users[WORKER[household.partner]])

    def _allocate(self, step, *, partner: str, ranges) -> None:
        from pcn.coupons.services import coupons_move

        coupons_move(season=self.season, kind=CustodyEvent.Kind.ALLOCATE,
                     ranges=[(self.series[key].pk, a, b) for key, a, b in ranges], to_partner=self.orgs[partner],
                     by=self.users["coordo"])

    def _void(self, step, *, partner: str, ranges) -> None:
        from pcn.coupons.services import coupons_move

        coupons_move(season=self.season, kind=CustodyEvent.Kind.VOID,
                     ranges=[(self.series[key].pk, a, b) for key, a, b in ranges], from_partner=self.orgs[partner],
                     reason=CustodyEvent.Reason.LOST, note="Carnet égaré au local de l'organisme.",
                     by=self.users["coordo"])

    def _distribute(self, step, *, household: HouseholdPlan, day, coupons) -> None:
        from pcn.households.services import distribution_record

        distribution_record(household=self._household(household), day=day, ranges=self._ranges(coupons),
                            by=self.users[WORKER[household.partner]])

    def _missed(self, step, *, household: HouseholdPlan, day) -> None:
        from pcn.households.services import distribution_record

        distribution_record(household=self._household(household), day=day, missed=True,
                            note="Absent à la remise.", by=self.users[WORKER[household.partner]])

    def _sell(self, step, *, coupons, packs) -> None:
        from pcn.households.services import public_sale_record

        public_sale_record(season=self.season, ranges=self._ranges(coupons), price_paid_cents=packs * 2000,
                           grant=self.grants[PUBLIC_FUNDING], by=self.users["coordo"])

    def _stall(self, step, *, place: str, coupon, nonce: str) -> None:
        from pcn.redemptions.models import Source
        from pcn.redemptions.services import device_link, redemption_record

        vendor = self.vendors[STALL_VENDOR]
        if self.device is None:
            self.device = device_link(vendor=vendor, name=STALL_PHONE, by=self.users["marchand"])[0]
        market = self.markets[PLACES[place].market]
        row = redemption_record(vendor=vendor, code=self.codes[coupon], nonce=nonce, source=Source.STALL,
                                by=self.users["marchand"], device=self.device,
                                sale_point=vendor.sale_points.get(market=market))
        _accepted(row)

    def _stack(self, step, *, place: str, entries) -> None:
        """The market manager's stack of the evening, written as redemption_record writes accepted coupons."""
        stack_record(season=self.season, market=self.markets[PLACES[place].market],
                     entries=[(self.vendors[v], self.codes[(key, n)]) for v, key, n in entries],
                     by=self.users[PLACES[place].entered_by])

    def _refused(self, step, *, vendor: str, place: str, coupon, by: str) -> None:
        from pcn.coupons import codes
        from pcn.redemptions.models import Outcome, Source
        from pcn.redemptions.services import redemption_record

        code = self.codes[coupon] if coupon else UNKNOWN_DATA + codes.check_symbol(UNKNOWN_DATA)
        row = redemption_record(vendor=self.vendors[vendor], code=codes.display(code),
                                nonce=f"ete26-refus-{step.at:%m%d}", source=Source.MARKET, by=self.users[by],
                                market=self.markets[PLACES[place].market])
        if row.outcome != Outcome.REFUSED:  # pragma: no cover - the plan chose a coupon refused then
            raise ValidationError(f"demo: {vendor} on {step.at:%Y-%m-%d} was not refused")

    def _claims(self, step, *, round: int, until) -> None:
        from pcn.payments import services as pay

        claims = pay.claims_prepare(season=self.season, by=self.users["coordo"], until=until)
        if round == REJECTED_LINE[0]:
            claim = next(c for c in claims if c.vendor.business_name == REJECTED_LINE[1])
            pay.claim_line_reject(line=claim.lines.order_by("pk").first(), reason=REJECTED_LINE[2],
                                  by=self.users["coordo"])
        for claim in claims:
            pay.claim_approve(claim=claim, by=self.users["coordo"])
        self.claims[round] = claims

    def _batches(self, step, *, round: int, pay_on) -> None:
        from pcn.payments import services as pay

        by_method = defaultdict(list)
        for claim in self.claims[round]:
            by_method[PAYEES[claim.vendor.business_name]].append(claim)
        self.batches[round] = [
            pay.batch_create(season=self.season, method=method, payment_on=pay_on, claims=claims,
                             by=self.users["tresorier"])
            for method, claims in sorted(by_method.items())
        ]

    def _approve(self, step, *, round: int) -> None:
        from pcn.payments import services as pay

        for batch in self.batches[round]:
            pay.batch_approve(batch=batch, by=self.users["coordo"])

    def _pay(self, step, *, round: int) -> None:
        from pcn.payments import services as pay

        for batch in self.batches[round]:
            if batch.method == "bank":
                pay.batch_export(batch=batch, format="cpa005", by=self.users["tresorier"])
            pay.batch_mark_paid(batch=batch, by=self.users["tresorier"])

    def _return(self, step) -> None:
        from pcn.coupons.services import coupons_move

        for partner in HOUSEHOLDS:
            left = Coupon.objects.filter(season=self.season, status=CouponStatus.PARTNER, partner=self.orgs[partner])
            ranges = [(series_id, a, b) for series_id in {c for c in left.values_list("series_id", flat=True)}
                      for a, b in _runs(list(left.filter(series_id=series_id).values_list("number", flat=True)))]
            if ranges:
                coupons_move(season=self.season, kind=CustodyEvent.Kind.RETURN, ranges=ranges,
                             from_partner=self.orgs[partner], note="Coupons non remis, rapportés en fin de saison.",
                             by=self.users["coordo"])

    def _receipts(self, step) -> None:
        from pcn.receipts.models import Answer
        from pcn.receipts.services import receipt_answer_record, receipt_sample_draw

        sample = receipt_sample_draw(season=self.season, by=self.users["coordo"], per_partner=5,
                                     label="Mi-saison", seed=RECEIPTS_SEED)
        for number, sampled in enumerate(sample.households.select_related("partner").order_by("partner__name", "pk")):
            unreachable = number == 7
            with _clock(step.at + datetime.timedelta(days=1 + number // 4, hours=number % 4)):
                receipt_answer_record(sampled=sampled, answer=Answer.UNREACHABLE if unreachable else Answer.RECEIVED,
                                      note=UNREACHABLE_NOTE if unreachable else "",
                                      by=self.users[WORKER[sampled.partner.name]])

    def _close(self, step) -> None:
        from pcn.coupons import closeout

        closeout.season_close(season=self.season, by=self.users["coordo"])


RECEIPTS_SEED = 20260810


def _weekly(season, size: int) -> int:
    from pcn.programs.entitlements import entitlement_per_period_cents

    return entitlement_per_period_cents(season=season, household_size=size)


def _accepted(row) -> None:
    from pcn.redemptions.models import Outcome

    if row.outcome != Outcome.ACCEPTED:  # pragma: no cover - the plan spends only coupons in hand
        raise ValidationError(f"demo: coupon {row.code} refused ({row.reason}) on {row.taken_at:%Y-%m-%d}")


def stack_record(*, season, market, entries, by) -> list:
    """A market manager's stack of coupons (vendor, code), all of them good, recorded as `redemption_record`
    records an accepted coupon entered by the market manager (source « market »), in a few statements: one
    redeem event per coupon appended to the season's chain (`events_append`), the coupons moved from their
    holder with a conditional UPDATE, and the Redemption rows. For the demo's hundreds of ordinary coupons only:
    a coupon not in a household's or the public's hands is an error, not a refusal."""
    from django.db import transaction

    from pcn.coupons.ledger import events_append
    from pcn.programs.models import Season
    from pcn.redemptions.models import Outcome, Redemption, Source
    from pcn.redemptions.services import _LEDGER_SOURCE

    with transaction.atomic():
        season = Season.objects.select_for_update().get(pk=season.pk)
        by_code = {c.code: c for c in Coupon.objects.filter(season=season, code__in=[code for _v, code in entries])}
        coupons = [by_code.get(code) for _v, code in entries]
        if any(c is None or c.status not in (CouponStatus.HOUSEHOLD, CouponStatus.SOLD) for c in coupons):
            raise ValidationError("demo: a coupon of the stack is not in a household's or the public's hands")
        households = {h.pk: h for h in _households({c.household_id for c in coupons if c.household_id})}
        events = events_append(season=season, moves=[
            {"kind": CustodyEvent.Kind.REDEEM, "from_status": c.status, "from_partner": None,
             "from_household": households.get(c.household_id), "to_status": CouponStatus.REDEEMED,
             "to_partner": None, "ranges": [(c.series_id, c.number, c.number)], "coupon_count": 1,
             "value_cents": c.value_cents, "by": by, "source": _LEDGER_SOURCE[Source.MARKET],
             "reason": "", "note": vendor.business_name[:300], "digest": "", "to_household": None}
            for (vendor, _code), c in zip(entries, coupons, strict=True)
        ])
        moved = Coupon.objects.filter(pk__in=[c.pk for c in coupons],
                                      status__in=[CouponStatus.HOUSEHOLD, CouponStatus.SOLD]).update(
            status=CouponStatus.REDEEMED, partner=None, household=None)
        if moved != len(coupons):  # pragma: no cover - the same coupon twice in a stack
            raise ValidationError("demo: a coupon of the stack was moved twice")
        now = timezone.now()
        sale_points = {}
        for vendor, _code in entries:
            if vendor.pk not in sale_points:
                sale_points[vendor.pk] = vendor.sale_points.filter(market=market).first()
        return Redemption.objects.bulk_create([
            Redemption(program_id=season.program_id, season=season, vendor=vendor, market=market,
                       sale_point=sale_points[vendor.pk], coupon=c, code=c.code, value_cents=c.value_cents,
                       outcome=Outcome.ACCEPTED, reason="", source=Source.MARKET,
                       nonce=f"ete26-pile-{event.sequence}", taken_at=now, recorded_at=now, recorded_by=by, event=event)
            for (vendor, _code), c, event in zip(entries, coupons, events, strict=True)
        ])


def _households(ids):
    from pcn.households.models import Household

    return Household.objects.filter(pk__in=ids)


def seed_summer(programs: dict, users: dict) -> None:
    """Portneuf's summer 2026, from the grants in April to the close in September (see the module docstring)."""
    from pcn.research.models import ResearchSharing
    from pcn.research.services import research_sharing_decide

    program_name, season_name = SEASON
    program = programs[program_name]
    season = program.seasons.get(name=season_name)
    if not ResearchSharing.objects.filter(program=program).exists():
        day, note = RESEARCH
        with _clock(_at(_day(day), "19:30")):
            research_sharing_decide(program=program, shared=True, threshold=5, note=note, by=users["coordo"])
    if season.series.exists() or season.households.exists():
        return
    summer = _Summer(program, season, users)
    steps, counts = _plan(season, summer.weekly, summer.periods)
    with _clock(steps[0].at):
        summer.prepare(counts)
        for step in steps:
            summer.run(step)
