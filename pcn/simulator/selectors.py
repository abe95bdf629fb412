"""Reads for the simulator: a scenario's starting point taken from an existing season of the program."""

from django.db.models import Count

from pcn.funding.models import Grant
from pcn.funding.selectors import DEFAULT_RATE_PERCENT, past_rate
from pcn.households.models import Household
from pcn.programs.entitlements import season_periods, weeks_end
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


def scenario_weeks(season: Season) -> int:
    """The weeks a scenario needs to have the season's hand-outs. A scenario's season ends `weeks` weeks after its
    start; a monthly season's hand-outs follow its real dates (its `weeks` may be fewer), so the scenario takes the
    whole weeks its dates cover, one fewer if that would add a hand-out after its real end."""
    if season.frequency != Season.Frequency.MONTHLY:
        return season.weeks
    weeks = ((season.ends_on - season.starts_on).days + 7) // 7
    real = len(season_periods(season))

    def hand_outs(weeks: int) -> int:
        return len(season_periods(Season(starts_on=season.starts_on, ends_on=weeks_end(season.starts_on, weeks),
                                         weeks=weeks, frequency=season.frequency)))

    while weeks > 1 and hand_outs(weeks) > real:
        weeks -= 1
    return weeks


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
        starts_on=season.starts_on, weeks=scenario_weeks(season), frequency=season.frequency,
        entitlement_cents=tuple(table.get(size, 0) for size in range(1, cap + 1)),
        households=tuple(households),
        denominations_cents=tuple(season.denominations.values_list("value_cents", flat=True)),
        redemption_rate_percent=season_rate_percent(season),
    )
