"""The entitlement rule: how much a household receives. One rule, one function (used by distribution,
the distribution sheet and the budget simulator): `entitlement_from_table`, pure, which
`entitlement_per_period_cents` applies to a season's table read from the database.

Also here, as pure functions (only `entitlement_per_period_cents` and `season_entitlement_cents` read the
database, for the season's table):

- `season_periods(season)`: the season's distribution periods;
- `period_on(season, day)`: the period a date falls in;
- `periods_remaining(season, joined_on)`: the proration rule for households joining late;
- `season_entitlement_cents(...)`: amount per period × periods remaining;
- `split_into_coupons(amount_cents, denominations_cents)`: fewest coupons making an amount exactly.
"""

import calendar
import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce

from pcn.programs.models import Season


def entitlement_from_table(*, table_cents: Mapping[int, int], cap: int, household_size: int) -> int:
    """The entitlement rule itself, pure: the amount in cents a household of `household_size` people
    receives per distribution period, from `table_cents` ({household size: amount in cents}) and the
    largest size counted, `cap`.

    Sizes above the cap get the cap's amount. Returns 0 when the table has no row for the size (an
    incomplete table shows as a step to do on the coordinator's home page). Real distribution (through
    `entitlement_per_period_cents`) and the budget simulator (pcn.simulator.budget) both call this.
    """
    if household_size < 1:
        raise ValueError("a household has at least one person")
    return table_cents.get(min(household_size, cap), 0)


def entitlement_per_period_cents(*, season: Season, household_size: int) -> int:
    """Amount in cents a household of `household_size` people receives per distribution period of `season`:
    the rule (`entitlement_from_table`) applied to the season's table and cap, read from the database."""
    if household_size < 1:
        raise ValueError("a household has at least one person")
    rows = {row.household_size: row.amount_cents for row in season.entitlement_rows.all()}
    return entitlement_from_table(table_cents=rows, cap=season.household_size_cap, household_size=household_size)


@dataclass(frozen=True)
class Period:
    """One distribution period of a season: `number` is 1-based, both dates are inclusive."""

    number: int
    starts_on: datetime.date
    ends_on: datetime.date

    def __contains__(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


def weeks_end(starts_on: datetime.date, weeks: int) -> datetime.date:
    """The last day of `weeks` weeks from `starts_on`: the day before the week after the last one starts (the
    end a season gets when it is described by its first day and its number of weeks)."""
    return starts_on + datetime.timedelta(days=7 * weeks - 1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by `months` calendar months, on the same day of the month, or the month's last day
    when it is shorter (January 31 + 1 month → February 28 or 29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def season_periods(season: Season) -> list[Period]:
    """The distribution periods of `season`, in order, counted from its first day (`starts_on`).

    - weekly: `weeks` periods of 7 days;
    - biweekly: ceil(`weeks` / 2) periods of 14 days (an odd number of weeks gives a last period that
      is cut short by the season's end, see below; it is still a full period for the entitlement);
    - monthly: one period per calendar month, each starting on `starts_on`'s day of the month (June 13 →
      July 13 → August 13 …; a day missing from a short month becomes that month's last day, always
      counted from `starts_on` so January 31 → February 28 → March 31). Periods start as long as the
      start is on or before `ends_on`; `weeks` is not used for monthly seasons (the dates decide).

    For every frequency, a period ends the day before the next one would start, and no period ends past
    the season's `ends_on` (the last one is cut at `ends_on`). For weekly and biweekly seasons the number
    of periods comes from `weeks` (the season's form keeps `weeks` within the dates); if a period would
    start after `ends_on` anyway, it is kept and runs on its start day only, so the count stays `weeks`-
    based. Pure: reads only the season's fields, not the database.
    """
    start, end = season.starts_on, season.ends_on
    periods: list[Period] = []
    if season.frequency == Season.Frequency.MONTHLY:
        number = 1
        while (period_start := _add_months(start, number - 1)) <= end:
            next_start = _add_months(start, number)
            periods.append(Period(number, period_start, min(next_start - datetime.timedelta(days=1), end)))
            number += 1
        return periods
    if season.frequency == Season.Frequency.BIWEEKLY:
        days, count = 14, math.ceil(season.weeks / 2)
    elif season.frequency == Season.Frequency.WEEKLY:
        days, count = 7, season.weeks
    else:
        raise ValueError(f"unknown frequency: {season.frequency!r}")
    for index in range(count):
        period_start = start + datetime.timedelta(days=index * days)
        period_end = min(period_start + datetime.timedelta(days=days - 1), end)
        periods.append(Period(index + 1, period_start, max(period_end, period_start)))
    return periods


def period_on(season: Season, day: datetime.date) -> Period | None:
    """The period of `season` that `day` falls in, or None when the day is outside every period."""
    return next((period for period in season_periods(season) if day in period), None)


def periods_remaining(season: Season, joined_on: datetime.date) -> int:
    """How many periods a household that joined on `joined_on` still receives: the proration rule
    ("households joining late are prorated by remaining periods").

    A period counts when the household joined on or before the period's first day. A household joining
    in the middle of a period (even on its second day) receives nothing for that period and waits for
    the next one; joining on or before the season's first day gives every period; joining after the
    last period has started gives 0.
    """
    return sum(1 for period in season_periods(season) if joined_on <= period.starts_on)


def season_entitlement_cents(*, season: Season, household_size: int, joined_on: datetime.date) -> int:
    """Total amount in cents a household receives over the season: the amount per period (the one
    entitlement rule, capped by size) × the periods remaining from `joined_on`."""
    per_period = entitlement_per_period_cents(season=season, household_size=household_size)
    return per_period * periods_remaining(season, joined_on)


def split_into_coupons(amount_cents: int, denominations_cents: list[int]) -> dict[int, int] | None:
    """The fewest coupons whose values add up to exactly `amount_cents`, as {value in cents: count}.

    Only denominations actually used appear, largest first. Exact and not greedy (dynamic programming:
    with denominations 1, 3, 4 and amount 6 the answer is 3 + 3, not 4 + 1 + 1). Among several ways
    with the fewest coupons, the one with the most of the largest denomination wins, then the most of
    the next one, and so on (deterministic). Returns None when the denominations cannot make the amount
    exactly (e.g. 12,50 $ with 5 $ and 10 $ coupons), {} for an amount of 0. Duplicate denominations are
    ignored. Raises ValueError for a negative amount or a denomination that is not positive.

    The table is computed in units of the denominations' greatest common divisor, so amounts up to
    100 000 cents with a handful of denominations take at most a few hundred thousand steps.
    """
    if any(value <= 0 for value in denominations_cents):
        raise ValueError("coupon denominations must be positive")
    if amount_cents < 0:
        raise ValueError("the amount cannot be negative")
    if amount_cents == 0:
        return {}
    if not denominations_cents:
        return None
    unit = reduce(math.gcd, denominations_cents)
    if amount_cents % unit:
        return None
    values = sorted({value // unit for value in denominations_cents}, reverse=True)
    target = amount_cents // unit
    impossible = target + 1  # more coupons than any exact way can need (the smallest unit is ≥ 1)
    fewest = [0] + [impossible] * target
    for amount in range(1, target + 1):
        best = impossible
        for value in values:
            if value <= amount and fewest[amount - value] + 1 < best:
                best = fewest[amount - value] + 1
        fewest[amount] = best
    if fewest[target] >= impossible:
        return None
    # Walk back, always taking the largest denomination that stays on a fewest-coupons path. The values
    # taken never increase, so this gives the most of the largest denomination, then of the next, etc.
    coupons: dict[int, int] = {}
    remaining = target
    while remaining:
        for value in values:
            if value <= remaining and fewest[remaining - value] == fewest[remaining] - 1:
                coupons[value * unit] = coupons.get(value * unit, 0) + 1
                remaining -= value
                break
    return coupons
