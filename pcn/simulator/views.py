"""The budget simulator's pages: a program's scenarios, one scenario with its weekly chart, the form that
creates or changes one (blank, or started from a season of the program), the comparison of 2 to 4 scenarios
side by side, and their PDF and XLSX."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcn.accounts.shortcuts import render_program_page
from pcn.lib.formfields import form_submit, posted
from pcn.reports.tables import CONTENT_TYPES, to_xlsx
from pcn.simulator import report, selectors, services
from pcn.simulator.access import (
    can_manage_scenarios,
    get_scenario_for_user,
    get_scenarios_for_user,
    get_simulator_program_for_user,
    get_source_season,
)
from pcn.simulator.budget import simulate
from pcn.simulator.forms import ScenarioForm, StartFromSeasonForm, default_inputs
from pcn.simulator.models import BudgetScenario

COMPARE_MOST = 4


@login_required
def program_simulator(request, program_id: int):
    program = get_simulator_program_for_user(request.user, program_id)
    scenarios = list(BudgetScenario.objects.filter(program=program).select_related("source_season", "updated_by"))
    rows = [(s, simulate(s.inputs())) for s in scenarios]
    return render_program_page(request, "simulator/program_simulator.html", program, {
        "rows": rows,
        "can_manage": can_manage_scenarios(request.user, program),
        "season_form": StartFromSeasonForm(program=program) if program.seasons.exists() else None,
        "compare_most": COMPARE_MOST,
    })


def _form_page(request, program, form, *, title, cancel_url, season=None, scenario=None):
    return render_program_page(request, "simulator/scenario_form.html", program, {
        "form": form, "title": title, "cancel_url": cancel_url, "season": season, "scenario": scenario,
    })


@login_required
def scenario_create(request, program_id: int):
    """A new scenario: blank, or with ?season=<id> started from that season of the program."""
    program = get_simulator_program_for_user(request.user, program_id, write=True)
    season_id = request.GET.get("season")  # the form posts back to the same address, ?season= included
    season = get_source_season(program, season_id) if season_id else None
    if season is not None:
        inputs, name = selectors.inputs_from_season(season), _("D'après %(season)s") % {"season": season.name}
    else:
        inputs, name = default_inputs(), ""
    form = ScenarioForm(posted(request), inputs=inputs, name=name)
    scenario = form_submit(request, form, lambda: services.budget_scenario_create(
        program=program, name=form.cleaned_data["name"], inputs=form.to_inputs(), source_season=season,
        by=request.user))
    if scenario:
        messages.success(request, _("Le scénario « %(name)s » est enregistré.") % {"name": scenario.name})
        return redirect("scenario_detail", scenario.pk)
    return _form_page(request, program, form, title=_("Nouveau scénario de budget"), season=season,
                      cancel_url=reverse("program_simulator", args=[program.pk]))


@login_required
def scenario_edit(request, scenario_id: int):
    scenario = get_scenario_for_user(request.user, scenario_id, write=True)
    form = ScenarioForm(posted(request), inputs=scenario.inputs(), name=scenario.name)
    saved = form_submit(request, form, lambda: services.budget_scenario_update(
        scenario=scenario, name=form.cleaned_data["name"], inputs=form.to_inputs(), by=request.user))
    if saved:
        messages.success(request, _("Le scénario est enregistré."))
        return redirect("scenario_detail", saved.pk)
    return _form_page(request, scenario.program, form, title=_("Modifier le scénario"), scenario=scenario,
                      cancel_url=reverse("scenario_detail", args=[scenario.pk]))


@login_required
def scenario_detail(request, scenario_id: int):
    scenario = get_scenario_for_user(request.user, scenario_id)
    result = simulate(scenario.inputs())
    return render_program_page(request, "simulator/scenario_detail.html", scenario.program, {
        "scenario": scenario,
        "result": result,
        "figures": [(f, f.value(result)) for f in report.FIGURES],
        "chart": report.weekly_chart(result),
        "weeks": report.weeks_table(result),
        "coupons": report.coupons_table(result),
        "sizes": report.sizes_table(result),
        "inputs": report.input_rows(scenario),
        "words": report.WORDS,
        "can_manage": can_manage_scenarios(request.user, scenario.program),
    })


@require_POST
@login_required
def scenario_copy(request, scenario_id: int):
    scenario = get_scenario_for_user(request.user, scenario_id, write=True)
    copy = services.budget_scenario_copy(scenario=scenario, by=request.user)
    messages.success(request, _("Copie faite : « %(name)s ». Changez ce que vous voulez comparer.") % {
        "name": copy.name})
    return redirect("scenario_edit", copy.pk)


@login_required
def scenario_delete(request, scenario_id: int):
    scenario = get_scenario_for_user(request.user, scenario_id, write=True)
    if request.method == "POST":
        services.budget_scenario_delete(scenario=scenario, by=request.user)
        messages.success(request, _("Le scénario « %(name)s » est supprimé.") % {"name": scenario.name})
        return redirect("program_simulator", scenario.program_id)
    return render_program_page(request, "simulator/scenario_delete.html", scenario.program, {"scenario": scenario})


def _xlsx(tables, filename: str) -> HttpResponse:
    response = HttpResponse(to_xlsx(tables), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def scenario_pdf(request, scenario_id: int):
    scenario = get_scenario_for_user(request.user, scenario_id)
    return _pdf(report.scenario_pdf(scenario, simulate(scenario.inputs())), report.pdf_filename(scenario.name))


@login_required
def scenario_xlsx(request, scenario_id: int):
    scenario = get_scenario_for_user(request.user, scenario_id)
    tables = report.scenario_tables(scenario, simulate(scenario.inputs()))
    return _xlsx(tables, report.pdf_filename(scenario.name).removesuffix(".pdf"))


def _compared(request, program):
    """The scenarios chosen (?s=<id>, 2 to 4, all the program's), or None with a message to say what to do."""
    ids = [int(v) for v in request.GET.getlist("s") if v.isdecimal() and len(v) < 10]
    ids = list(dict.fromkeys(ids))
    scenarios = get_scenarios_for_user(request.user, program, ids)
    if not 2 <= len(scenarios) <= COMPARE_MOST:
        return None
    return scenarios


@login_required
def simulator_compare(request, program_id: int):
    program = get_simulator_program_for_user(request.user, program_id)
    scenarios = _compared(request, program)
    if scenarios is None:
        messages.error(request, _("Cochez de 2 à %(most)s scénarios à comparer, puis appuyez sur « Comparer ».")
                       % {"most": COMPARE_MOST})
        return redirect("program_simulator", program.pk)
    results = [simulate(s.inputs()) for s in scenarios]
    query = request.GET.urlencode()
    return render_program_page(request, "simulator/compare.html", program, {
        "scenarios": scenarios,
        "rows": report.compare_rows(results),
        "input_rows": report.compare_input_rows(scenarios),
        "chart": report.compare_chart(scenarios, results),
        "words": report.WORDS,
        "query": query,
    })


@login_required
def simulator_compare_pdf(request, program_id: int):
    program = get_simulator_program_for_user(request.user, program_id)
    scenarios = _compared(request, program)
    if scenarios is None:
        return redirect("program_simulator", program.pk)
    results = [simulate(s.inputs()) for s in scenarios]
    return _pdf(report.compare_pdf(program, scenarios, results), report.pdf_filename(f"comparaison-{program.name}"))


@login_required
def simulator_compare_xlsx(request, program_id: int):
    program = get_simulator_program_for_user(request.user, program_id)
    scenarios = _compared(request, program)
    if scenarios is None:
        return redirect("program_simulator", program.pk)
    results = [simulate(s.inputs()) for s in scenarios]
    return _xlsx(report.compare_tables(scenarios, results),
                 report.pdf_filename(f"comparaison-{program.name}").removesuffix(".pdf"))
