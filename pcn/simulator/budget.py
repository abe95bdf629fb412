"""The budget simulator's arithmetic: pure (no database), integer cents throughout.

One rule, one function: what a household receives per period is `entitlement_from_table` (the rule real
distribution applies to a season's table), the periods are `season_periods` of an unsaved season built from
the inputs, and a period's amount becomes coupons with `split_into_coupons`, as at a real distribution.

How each figure is computed (the pages say the same in plain words):

- budget = the sum of the grants;
- operations = budget × share for operations, rounded half up to the cent;
- public sale: each sale the citizen pays `price` and receives `face` in coupons; the bonus (face − price)
  per sale is paid from the budget; the citizen's price pays the rest;
- printing = coupons printed × cost per coupon (households' coupons and public-sale coupons);
- available for households = budget − operations − public-sale bonuses − printing of public-sale coupons;
- a household of size s costs its season's coupons at face value (amount per period × periods) plus the
  printing of those coupons: every coupon handed out may come back, so the budget holds its full value;
- households that can be served: all those entered when their cost fits; otherwise the same mix of sizes,
  each size cut in the same proportion (entered × available ÷ cost of all, rounded down), then one more
  household for the sizes with the largest remainders while the money left allows (largest-remainder
  method), then, in the same order, as many more as still fit: never more than entered, never more than
  available, and no household left out that the money left could pay for;
- left over = available − cost of the households served (negative: what is missing);
- timing: a household's coupons are spent the week they are handed out (the period's first week);
  public-sale coupons are spent evenly over the season's weeks (the running total rounded down, so the last
  week takes the remainder);
- to pay vendors = what is spent × expected redemption rate, rounded half up on the running total (each
  week's amount is the difference of two rounded running totals, so the weeks add up to the total exactly);
- outstanding at season end = value handed out or sold − expected to pay vendors: the coupons out there
  that are expected not to come back; the program would owe it if every coupon came back, and the budget
  covers it (households are counted at full face value).
"""

import datetime
import functools
from dataclasses import dataclass, replace

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pcn.lib.money import format_cents
from pcn.programs.entitlements import Period, entitlement_from_table, season_periods, split_into_coupons, weeks_end
from pcn.programs.forms import not_payable_message
from pcn.programs.models import Season

MAX_WEEKS = 60
MAX_PER_PERIOD_CENTS = 100_000  # 1 000 $ a period: a coupon split stays a few thousand steps
MAX_HOUSEHOLDS = 100_000  # per size
MAX_SALES = 1_000_000
MAX_SIZES = 20  # as a season's household size cap


@dataclass(frozen=True)
class GrantLine:
    name: str
    amount_cents: int


@dataclass(frozen=True)
class Inputs:
    """What a scenario assumes. `entitlement_cents[i]` is the amount per period for households of i + 1
    people, up to the cap (its length); `households[i]` the households of i + 1 people, the last one
    counting that size or more."""

    grants: tuple[GrantLine, ...]
    starts_on: datetime.date
    weeks: int
    frequency: str
    entitlement_cents: tuple[int, ...]
    households: tuple[int, ...]
    denominations_cents: tuple[int, ...]
    redemption_rate_percent: int
    printing_cost_cents: int = 0
    public_sales: int = 0
    public_sale_price_cents: int = 0
    public_sale_face_cents: int = 0
    operations_percent: int = 0

    @property
    def cap(self) -> int:
        return len(self.entitlement_cents)

    @property
    def table_cents(self) -> dict[int, int]:
        return {size: cents for size, cents in enumerate(self.entitlement_cents, start=1)}

    @property
    def budget_cents(self) -> int:
        return sum(g.amount_cents for g in self.grants)

    @property
    def ends_on(self) -> datetime.date:
        return weeks_end(self.starts_on, self.weeks)

    def season(self) -> Season:
        """An unsaved season with these dates and rules (never saved: `season_periods` reads its fields)."""
        return Season(starts_on=self.starts_on, ends_on=self.ends_on, weeks=self.weeks, frequency=self.frequency,
                      household_size_cap=self.cap)


@functools.lru_cache(maxsize=1024)
def _split(amount_cents: int, denominations_cents: tuple[int, ...]) -> dict[int, int] | None:
    """split_into_coupons, remembered: the checks and the computation split the same amounts (a scenario with
    1-cent coupons and 1 000 $ amounts takes about a second the first time). The dict is shared: never change it."""
    return split_into_coupons(amount_cents, list(denominations_cents))


def share(amount_cents: int, numerator: int, denominator: int) -> int:
    """amount × numerator ÷ denominator, rounded half up to the cent (amounts and the fraction ≥ 0)."""
    return (2 * amount_cents * numerator + denominator) // (2 * denominator)


def _money(cents: int) -> str:
    return format_cents(cents, get_language() or "fr")


def input_errors(inputs: Inputs) -> dict[str, str]:
    """What is wrong with the inputs, by form field name, each saying what to do ({} when all is well).

    Field names: grant_amount_0, starts_on, weeks, frequency, amount_<size>, households_1, denomination_0,
    redemption_rate_percent, operations_percent, printing_cost_cents, public_sales, public_sale_price_cents,
    public_sale_face_cents."""
    errors: dict[str, str] = {}
    if inputs.budget_cents <= 0:
        errors["grant_amount_0"] = _("Donnez le montant d'au moins une subvention.")
    if not 2000 <= inputs.starts_on.year <= 2100:
        errors["starts_on"] = _("Choisissez une date entre l'an 2000 et l'an 2100.")
    if not 1 <= inputs.weeks <= MAX_WEEKS:
        errors["weeks"] = _("Choisissez entre 1 et %(most)s semaines.") % {"most": MAX_WEEKS}
    if inputs.frequency not in Season.Frequency.values:
        errors["frequency"] = _("Choisissez une fréquence dans la liste.")
    if not 0 <= inputs.redemption_rate_percent <= 100:
        errors["redemption_rate_percent"] = _("Le taux d'échange attendu est un pourcentage, de 0 à 100.")
    if not 0 <= inputs.operations_percent <= 100:
        errors["operations_percent"] = _("La part pour le fonctionnement est un pourcentage, de 0 à 100.")
    if inputs.printing_cost_cents < 0:
        errors["printing_cost_cents"] = _("Le coût d'impression ne peut pas être négatif.")
    denominations = tuple(sorted({d for d in inputs.denominations_cents if d > 0}))
    if not denominations:
        errors["denomination_0"] = _("Donnez au moins une valeur de coupon, par exemple 5,00.")
    if not inputs.entitlement_cents:
        errors["amount_1"] = _("Donnez au moins le montant pour un ménage d'une personne.")
    for size, cents in enumerate(inputs.entitlement_cents, start=1):
        name = f"amount_{size}"
        if cents <= 0:
            errors[name] = _("Donnez le montant pour cette taille : le tableau va d'une personne jusqu'à la plus "
                             "grande taille remplie, sans trou.")
        elif cents > MAX_PER_PERIOD_CENTS:
            errors[name] = _("Écrivez au plus %(most)s par période.") % {"most": _money(MAX_PER_PERIOD_CENTS)}
        elif denominations and _split(cents, denominations) is None:
            errors[name] = not_payable_message(cents, denominations)
    if len(inputs.entitlement_cents) > MAX_SIZES:
        errors["amount_1"] = _("Le tableau compte au plus %(most)s tailles de ménage.") % {"most": MAX_SIZES}
    if any(n < 0 or n > MAX_HOUSEHOLDS for n in inputs.households):
        errors["households_1"] = _("Écrivez un nombre de ménages entre 0 et %(most)s pour chaque taille.") % {
            "most": MAX_HOUSEHOLDS}
    elif sum(inputs.households) == 0:
        errors["households_1"] = _("Inscrivez au moins un ménage, de la taille de votre choix.")
    if not 0 <= inputs.public_sales <= MAX_SALES:
        errors["public_sales"] = _("Écrivez un nombre de ventes entre 0 et %(most)s.") % {"most": MAX_SALES}
    elif inputs.public_sales:
        price, face = inputs.public_sale_price_cents, inputs.public_sale_face_cents
        if face <= 0:
            errors["public_sale_face_cents"] = _(
                "Dites la valeur des coupons que reçoit l'acheteur, par exemple 30,00.")
        elif face > MAX_PER_PERIOD_CENTS:
            errors["public_sale_face_cents"] = _("Écrivez au plus %(most)s par vente.") % {
                "most": _money(MAX_PER_PERIOD_CENTS)}
        elif denominations and _split(face, denominations) is None:
            errors["public_sale_face_cents"] = _(
                "Les coupons de %(values)s ne permettent pas de faire exactement %(amount)s. Changez le montant ou "
                "ajoutez une valeur de coupon.") % {
                "values": ", ".join(_money(d) for d in sorted(denominations)), "amount": _money(face)}
        if price <= 0:
            errors["public_sale_price_cents"] = _("Dites ce que paie l'acheteur, par exemple 20,00.")
        elif face > 0 and price > face:
            errors["public_sale_price_cents"] = _("L'acheteur ne paie pas plus que la valeur de ses coupons : le prix "
                                                  "doit être au plus %(face)s.") % {"face": _money(face)}
    return errors


@dataclass(frozen=True)
class SizeResult:
    """One household size: `size` people (or more, for the last row)."""

    size: int
    or_more: bool
    per_period_cents: int
    periods: int
    coupons_per_period: dict[int, int]  # {value in cents: count}, largest first
    entered: int
    served: int
    printing_cost_cents: int  # per coupon

    @property
    def season_cents(self) -> int:
        """What one household of this size receives over the season."""
        return self.per_period_cents * self.periods

    @property
    def coupons_per_household(self) -> int:
        return sum(self.coupons_per_period.values()) * self.periods

    @property
    def cost_cents(self) -> int:
        """One household's cost: its coupons at face value and their printing."""
        return self.season_cents + self.coupons_per_household * self.printing_cost_cents


@dataclass(frozen=True)
class CouponLine:
    value_cents: int
    entered: int  # for every household entered
    served: int  # for the households that can be served
    public_sale: int

    @property
    def to_print(self) -> int:
        return self.served + self.public_sale


@dataclass(frozen=True)
class Week:
    number: int
    starts_on: datetime.date
    handed_out_cents: int  # coupons handed out to the households served this week (face value)
    public_spent_cents: int  # public-sale coupons spent this week (face value)
    from_households_cents: int  # to pay vendors for households' coupons
    from_public_cents: int  # to pay vendors for public-sale coupons
    cumulative_cents: int

    @property
    def to_pay_cents(self) -> int:
        return self.from_households_cents + self.from_public_cents


@dataclass(frozen=True)
class Result:
    inputs: Inputs
    periods: list[Period]
    sizes: list[SizeResult]
    coupons: list[CouponLine]
    weeks: list[Week]
    operations_cents: int
    public_sale_face_cents: int
    public_sale_revenue_cents: int
    public_sale_bonus_cents: int
    public_sale_printing_cents: int
    available_cents: int
    served_value_cents: int
    served_printing_cents: int
    entered_value_cents: int
    entered_printing_cents: int
    to_pay_households_cents: int
    to_pay_public_cents: int

    @property
    def budget_cents(self) -> int:
        return self.inputs.budget_cents

    @property
    def households_entered(self) -> int:
        return sum(s.entered for s in self.sizes)

    @property
    def households_served(self) -> int:
        return sum(s.served for s in self.sizes)

    @property
    def households_not_served(self) -> int:
        return self.households_entered - self.households_served

    @property
    def served_cost_cents(self) -> int:
        return self.served_value_cents + self.served_printing_cents

    @property
    def entered_cost_cents(self) -> int:
        return self.entered_value_cents + self.entered_printing_cents

    @property
    def left_over_cents(self) -> int:
        """Available for households − what the households served cost; negative when the budget does not even
        cover operations and the public sale."""
        return self.available_cents - self.served_cost_cents

    @property
    def printing_cents(self) -> int:
        return self.served_printing_cents + self.public_sale_printing_cents

    @property
    def coupons_to_print(self) -> int:
        return sum(c.to_print for c in self.coupons)

    @property
    def to_pay_cents(self) -> int:
        """Expected to be paid to vendors over the season."""
        return self.to_pay_households_cents + self.to_pay_public_cents

    @property
    def handed_out_cents(self) -> int:
        """Coupons handed out to households served plus those sold to the public, at face value."""
        return self.served_value_cents + self.public_sale_face_cents

    @property
    def outstanding_cents(self) -> int:
        """At season end: handed out or sold, expected not to come back (owed if they all came back)."""
        return self.handed_out_cents - self.to_pay_cents

    @property
    def peak_week(self) -> Week | None:
        return max(self.weeks, key=lambda w: (w.to_pay_cents, -w.number), default=None)

    @property
    def extra_needed_cents(self) -> int:
        """What the budget lacks to serve every household entered (0 when they are all served)."""
        return max(0, self.entered_cost_cents - self.available_cents) if self.households_not_served else 0


def _served(sizes_cost: list[tuple[int, int]], available: int) -> list[int]:
    """How many households of each size (entered, cost each) the money `available` serves: all when they fit,
    else the same mix cut in proportion (largest-remainder method, see the module's docstring)."""
    total = sum(n * cost for n, cost in sizes_cost)
    if total <= available:
        return [n for n, _cost in sizes_cost]
    if available <= 0:
        return [0] * len(sizes_cost)
    served = [n * available // total for n, _cost in sizes_cost]
    left = available - sum(s * cost for s, (_n, cost) in zip(served, sizes_cost, strict=True))
    remainders = sorted(range(len(sizes_cost)), key=lambda i: (-(sizes_cost[i][0] * available % total), i))
    for i in remainders:  # one more where the proportional share lost the most
        n, cost = sizes_cost[i]
        if served[i] < n and cost <= left:
            served[i] += 1
            left -= cost
    for i in remainders:  # then whatever still fits, in the same order
        n, cost = sizes_cost[i]
        more = min(n - served[i], left // cost) if cost else n - served[i]
        served[i] += more
        left -= more * cost
    return served


def simulate(inputs: Inputs) -> Result:
    """The scenario's figures. Raises ValueError when `input_errors(inputs)` is not empty."""
    errors = input_errors(inputs)
    if errors:
        raise ValueError(f"invalid inputs: {sorted(errors)}")
    denominations = tuple(sorted({d for d in inputs.denominations_cents if d > 0}))
    periods = season_periods(inputs.season())
    table, cap = inputs.table_cents, inputs.cap
    cost_per_coupon = inputs.printing_cost_cents

    # Households: the rule per size, then who fits in the budget.
    public_face = inputs.public_sales * inputs.public_sale_face_cents
    public_split = _split(inputs.public_sale_face_cents, denominations) if inputs.public_sales else {}
    public_coupons = {d: n * inputs.public_sales for d, n in (public_split or {}).items()}
    public_printing = sum(public_coupons.values()) * cost_per_coupon
    operations = share(inputs.budget_cents, inputs.operations_percent, 100)
    bonus = inputs.public_sales * (inputs.public_sale_face_cents - inputs.public_sale_price_cents)
    available = inputs.budget_cents - operations - bonus - public_printing

    rows = []
    for size, entered in enumerate(inputs.households, start=1):
        per_period = entitlement_from_table(table_cents=table, cap=cap, household_size=size)
        rows.append((size, entered, per_period, _split(per_period, denominations) or {}))
    draft = [SizeResult(size=size, or_more=size == len(inputs.households), per_period_cents=per_period,
                        periods=len(periods), coupons_per_period=split, entered=entered, served=0,
                        printing_cost_cents=cost_per_coupon)
             for size, entered, per_period, split in rows]
    served = _served([(s.entered, s.cost_cents) for s in draft], available)
    sizes = [replace(s, served=n) for s, n in zip(draft, served, strict=True)]

    coupons = []
    for value in reversed(denominations):  # largest first
        entered = sum(s.entered * s.coupons_per_period.get(value, 0) * s.periods for s in sizes)
        served_n = sum(s.served * s.coupons_per_period.get(value, 0) * s.periods for s in sizes)
        coupons.append(CouponLine(value_cents=value, entered=entered, served=served_n,
                                  public_sale=public_coupons.get(value, 0)))

    # Week by week: coupons spent the week they are handed out; public-sale coupons spread evenly.
    weeks_n = inputs.weeks
    handed_by_week = [0] * weeks_n
    per_period_served = sum(s.served * s.per_period_cents for s in sizes)
    for period in periods:
        handed_by_week[(period.starts_on - inputs.starts_on).days // 7] += per_period_served
    rate = inputs.redemption_rate_percent
    weeks, cum_handed, cum_paid_h, cum_paid_p, cumulative = [], 0, 0, 0, 0
    for index in range(weeks_n):
        cum_handed += handed_by_week[index]
        public_before, public_now = public_face * index // weeks_n, public_face * (index + 1) // weeks_n
        paid_h, paid_p = share(cum_handed, rate, 100), share(public_now, rate, 100)
        from_households, from_public = paid_h - cum_paid_h, paid_p - cum_paid_p
        cum_paid_h, cum_paid_p = paid_h, paid_p
        cumulative += from_households + from_public
        weeks.append(Week(number=index + 1, starts_on=inputs.starts_on + datetime.timedelta(days=7 * index),
                          handed_out_cents=handed_by_week[index], public_spent_cents=public_now - public_before,
                          from_households_cents=from_households, from_public_cents=from_public,
                          cumulative_cents=cumulative))

    served_value = sum(s.served * s.season_cents for s in sizes)
    entered_value = sum(s.entered * s.season_cents for s in sizes)
    return Result(
        inputs=inputs, periods=periods, sizes=sizes, coupons=coupons, weeks=weeks, operations_cents=operations,
        public_sale_face_cents=public_face,
        public_sale_revenue_cents=inputs.public_sales * inputs.public_sale_price_cents,
        public_sale_bonus_cents=bonus, public_sale_printing_cents=public_printing, available_cents=available,
        served_value_cents=served_value,
        served_printing_cents=sum(s.served * s.coupons_per_household for s in sizes) * cost_per_coupon,
        entered_value_cents=entered_value,
        entered_printing_cents=sum(s.entered * s.coupons_per_household for s in sizes) * cost_per_coupon,
        to_pay_households_cents=share(served_value, rate, 100), to_pay_public_cents=share(public_face, rate, 100),
    )
