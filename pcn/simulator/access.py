"""Access helpers for the budget simulator (see pcn.accounts.access).

Scenarios are the program's budget planning: those who manage its funding (treasurers, coordinators and the
network's admins) create, change, copy and delete them; the network's analysts read them too. Anyone else,
funders' viewers included, gets 404.
"""

from django.http import Http404

from pcn.accounts.access import check_program_access, program_roles
from pcn.funding.access import MANAGE, READ
from pcn.programs.models import Program, Season
from pcn.simulator.models import BudgetScenario


def can_manage_scenarios(user, program: Program) -> bool:
    return bool(program_roles(user, program) & MANAGE)


def get_simulator_program_for_user(user, program_id: int, *, write: bool = False) -> Program:
    program = Program.objects.select_related("network").filter(pk=program_id).first()
    if program is None:
        raise Http404
    check_program_access(user, program, roles=MANAGE if write else READ)
    return program


def get_scenario_for_user(user, scenario_id: int, *, write: bool = False) -> BudgetScenario:
    scenario = BudgetScenario.objects.select_related("program__network", "source_season").filter(
        pk=scenario_id).first()
    if scenario is None:
        raise Http404
    check_program_access(user, scenario.program, roles=MANAGE if write else READ)
    return scenario


def get_scenarios_for_user(user, program: Program, ids: list[int]) -> list[BudgetScenario]:
    """The program's scenarios among `ids`, in the order asked (the program's access is checked by the
    caller); 404 when one of them is not the program's."""
    found = {s.pk: s for s in BudgetScenario.objects.filter(program=program, pk__in=ids)}
    if len(found) != len(set(ids)):
        raise Http404
    return [found[pk] for pk in dict.fromkeys(ids)]


def get_source_season(program: Program, season_id) -> Season:
    """A season of `program` to start a scenario from; 404 for anything else."""
    text = str(season_id)
    season = Season.objects.filter(pk=int(text), program=program).first() if text.isdecimal() and len(text) < 10 else None
    if season is None:
        raise Http404
    return season
