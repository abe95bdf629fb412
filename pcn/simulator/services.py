"""Writes for budget scenarios. Every one checks the inputs with `budget.input_errors` first: a scenario that
cannot be computed is never saved."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pcn.programs.models import Program, Season
from pcn.simulator import budget
from pcn.simulator.models import BudgetScenario


def _check(scenario: BudgetScenario, inputs: budget.Inputs) -> None:
    errors = dict(budget.input_errors(inputs))
    name = (scenario.name or "").strip()
    if not name:
        errors["name"] = _("Donnez un nom au scénario, par exemple « Été 2027, 150 ménages ».")
    elif BudgetScenario.objects.filter(program_id=scenario.program_id, name=name).exclude(pk=scenario.pk).exists():
        errors["name"] = _("Un autre scénario de ce programme porte déjà ce nom. Choisissez-en un autre.")
    if errors:
        raise ValidationError(errors)
    scenario.name = name


@transaction.atomic
def budget_scenario_create(*, program: Program, name: str, inputs: budget.Inputs, source_season: Season | None = None,
                           by) -> BudgetScenario:
    if source_season is not None and source_season.program_id != program.pk:
        raise ValidationError(_("Choisissez une saison de ce programme."))
    scenario = BudgetScenario(program=program, name=name, source_season=source_season, created_by=by, updated_by=by)
    _check(scenario, inputs)
    scenario.set_inputs(inputs)
    scenario.save()
    return scenario


@transaction.atomic
def budget_scenario_update(*, scenario: BudgetScenario, name: str, inputs: budget.Inputs, by) -> BudgetScenario:
    scenario = BudgetScenario.objects.select_for_update().get(pk=scenario.pk)
    scenario.name = name
    _check(scenario, inputs)
    scenario.set_inputs(inputs)
    scenario.updated_by = by
    scenario.save()
    return scenario


def _copy_name(scenario: BudgetScenario) -> str:
    taken = set(BudgetScenario.objects.filter(program_id=scenario.program_id).values_list("name", flat=True))
    base = _("Copie de %(name)s") % {"name": scenario.name}
    base = base[:110]
    name, n = base, 2
    while name in taken:
        name, n = f"{base} ({n})", n + 1
    return name


@transaction.atomic
def budget_scenario_copy(*, scenario: BudgetScenario, by) -> BudgetScenario:
    """A new scenario with the same inputs, named « Copie de … », to change one thing and compare."""
    return budget_scenario_create(program=scenario.program, name=_copy_name(scenario), inputs=scenario.inputs(),
                                  source_season=scenario.source_season, by=by)


@transaction.atomic
def budget_scenario_delete(*, scenario: BudgetScenario, by) -> None:
    """A scenario is only a plan: deleting it changes nothing else."""
    BudgetScenario.objects.filter(pk=scenario.pk).delete()
