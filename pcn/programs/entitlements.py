"""The entitlement rule: how much a household receives. One rule, one function (used by distribution,
the distribution sheet and the budget simulator)."""

from pcn.programs.models import Season


def entitlement_per_period_cents(*, season: Season, household_size: int) -> int:
    """Amount in cents a household of `household_size` people receives per distribution period.

    Sizes above the season's cap get the cap's amount. Returns 0 when the season's table has no row for
    the size (an incomplete table shows as a step to do on the coordinator's home page).
    """
    if household_size < 1:
        raise ValueError("a household has at least one person")
    size = min(household_size, season.household_size_cap)
    rows = {row.household_size: row.amount_cents for row in season.entitlement_rows.all()}
    return rows.get(size, 0)
