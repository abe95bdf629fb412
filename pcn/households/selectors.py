"""Reads for households: the distribution sheet a partner prints or reads for a distribution day."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from pcn.households.models import Household
from pcn.programs.entitlements import Period, entitlement_per_period_cents, period_on, split_into_coupons
from pcn.programs.models import Organization, Season


@dataclass
class SheetLine:
    household: Household
    due_cents: int
    coupons: dict[int, int] | None  # denomination (cents) → how many; None when the values cannot make the amount
    joins_next_period: bool = False


@dataclass
class Sheet:
    season: Season
    partner: Organization
    day: datetime.date
    period: Period | None
    denominations: list[int]
    lines: list[SheetLine] = field(default_factory=list)

    @property
    def total_cents(self) -> int:
        return sum(line.due_cents for line in self.lines)

    @property
    def coupons_needed(self) -> dict[int, int]:
        """How many coupons of each value to bring, for the households whose amount can be made."""
        totals = {value: 0 for value in self.denominations}
        for line in self.lines:
            for value, count in (line.coupons or {}).items():
                totals[value] += count
        return {value: n for value, n in sorted(totals.items(), reverse=True) if n}

    @property
    def impossible(self) -> list[SheetLine]:
        return [line for line in self.lines if line.due_cents and line.coupons is None]


def distribution_sheet(*, season: Season, partner: Organization, day: datetime.date) -> Sheet:
    """Each active household of the partner with what it is due for the period `day` falls in, as the fewest
    coupons that make the amount exactly (the season's entitlement rule; households enrolled after the
    period began get their first coupons at the next period)."""
    denominations = sorted(season.denominations.values_list("value_cents", flat=True), reverse=True)
    period = period_on(season, day)
    sheet = Sheet(season=season, partner=partner, day=day, period=period, denominations=denominations)
    if period is None:
        return sheet
    households = Household.objects.filter(season=season, partner=partner).active().order_by("code")
    for household in households.filter(card__isnull=True):  # card households are credited, not handed coupons
        if timezone.localdate(household.enrolled_at) > period.starts_on:
            sheet.lines.append(SheetLine(household, 0, {}, joins_next_period=True))
            continue
        due = entitlement_per_period_cents(season=season, household_size=household.size)
        sheet.lines.append(SheetLine(household, due, split_into_coupons(due, denominations)))
    return sheet
