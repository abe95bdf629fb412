"""Reads for the simulator: a scenario's starting point taken from an existing season of the program."""

from django.db.models import Count

from pcn.funding.models import Grant
from pcn.funding.selectors import DEFAULT_RATE_PERCENT, past_rate
from pcn.households.models import Household
from pcn.programs.models import Season
from pcn.simulator import budget


def season_rate_percent(season: Season) -> int:
    """The season's expected redemption rate, else what the program's closed seasons showed, else 80 %
    (the same order as the funding page's forecast), in whole percent rounded half up."""
    if season.expected_redemption_rate is not None:
        return season.expected_redemption_rate
    past = past_rate(season)
    if past is not None:
        return budget.share(100, past[0], past[1])
    return DEFAULT_RATE_PERCENT


def season_grants(season: Season) -> list[Grant]:
    """The program's grants whose period touches the season: those a season may charge its coupons, public-sale
    bonuses and operations to."""
    return list(Grant.objects.filter(program_id=season.program_id, starts_on__lte=season.ends_on,
                                     ends_on__gte=season.starts_on).order_by("name", "pk"))


def inputs_from_season(season: Season) -> budget.Inputs:
    """A scenario's inputs as the season has them: dates, weeks, frequency, table up to the cap, coupon values,
    expected rate, its grants' amounts (each grant whole, even when it also pays other seasons) and its
    enrolled households by size (sizes above the cap counted at the cap). Nothing about the public sale,
    printing or operations: the season does not say; those start at 0."""
    cap = season.household_size_cap
    table = {row.household_size: row.amount_cents for row in season.entitlement_rows.all()}
    households = [0] * cap
    by_size = Household.objects.filter(season=season).active().values("size").annotate(n=Count("pk")).order_by()
    for row in by_size:
        households[min(max(row["size"], 1), cap) - 1] += row["n"]
    return budget.Inputs(
        grants=tuple(budget.GrantLine(name=g.name, amount_cents=g.amount_cents) for g in season_grants(season)),
        starts_on=season.starts_on, weeks=season.weeks, frequency=season.frequency,
        entitlement_cents=tuple(table.get(size, 0) for size in range(1, cap + 1)),
        households=tuple(households),
        denominations_cents=tuple(season.denominations.values_list("value_cents", flat=True)),
        redemption_rate_percent=season_rate_percent(season),
    )
