"""The funding pages: a program's grants and what each paid for, one grant with its series and operating
expenses, and a season's money per grant with the forecast of what remains to be paid."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcn.accounts.shortcuts import render_form_page, render_program_page
from pcn.funding import selectors, services, tables
from pcn.funding.access import (
    can_manage_funding,
    can_read_funding,
    get_funding_program_for_user,
    get_funding_season_for_user,
    get_grant_for_user,
)
from pcn.funding.forms import ExpenseForm, GrantForm
from pcn.funding.models import Purpose
from pcn.lib.formfields import form_submit, posted
from pcn.lib.money import format_cents
from pcn.programs.models import Organization
from pcn.reports.tables import download


@login_required
def program_funding(request, program_id: int):
    program, funder_ids = get_funding_program_for_user(request.user, program_id)
    rows = _program_rows(program, funder_ids)
    staff = funder_ids is None
    return render_program_page(request, "funding/program_funding.html", program, {
        "rows": rows,
        "seasons": program.seasons.all() if staff else [],
        "can_manage": can_manage_funding(request.user, program),
        "has_funders": program.organizations.filter(kind=Organization.Kind.FUNDER).exists(),
    })


def _program_rows(program, funder_ids):
    grants = list(selectors.program_grants(program, funder_ids))
    figures = selectors.grant_figures(grants)
    return [figures[g.pk] for g in grants]


@login_required
def program_funding_download(request, program_id: int, fmt: str):
    program, funder_ids = get_funding_program_for_user(request.user, program_id)
    table = tables.program_table(_program_rows(program, funder_ids))
    return download([table], fmt, f"financement-{program.name}")


@login_required
def grant_create(request, program_id: int):
    program, _funders = get_funding_program_for_user(request.user, program_id, write=True)
    form = GrantForm(posted(request), program=program)
    grant = form_submit(request, form, lambda: services.grant_create(program=program, by=request.user,
                                                                      **form.cleaned_data))
    if grant:
        messages.success(request, _("La subvention « %(name)s » est enregistrée.") % {"name": grant.name})
        return redirect("grant_detail", grant.pk)
    return render_form_page(
        request, program, form, title=_("Nouvelle subvention"),
        intro=_("L'argent qu'un bailleur de fonds donne au programme pour une période, et ce qu'il peut payer."),
        cancel_url=reverse("program_funding", args=[program.pk]),
    )


@login_required
def grant_edit(request, grant_id: int):
    grant = get_grant_for_user(request.user, grant_id, write=True)
    form = GrantForm(posted(request), program=grant.program, grant=grant)
    if form_submit(request, form, lambda: services.grant_update(grant=grant, by=request.user, **form.cleaned_data)):
        messages.success(request, _("La subvention est enregistrée."))
        return redirect("grant_detail", grant.pk)
    return render_form_page(request, grant.program, form, title=_("Modifier la subvention"),
                            cancel_url=reverse("grant_detail", args=[grant.pk]))


def _grant_tables(grant):
    """The grant page's figures and tables, as the page, the downloads and the report read them."""
    figures = selectors.grant_figures([grant])[grant.pk]
    series_list = list(tables.grant_series(grant))
    expenses = list(tables.grant_expenses(grant))
    return figures, series_list, expenses, [
        tables.grant_figures_table(figures),
        tables.grant_seasons_table(selectors.grant_seasons(grant), figures),
        tables.grant_series_table(series_list),
        tables.grant_expenses_table(expenses),
    ]


def _grant_page(request, grant, expense_form=None):
    can_manage = can_manage_funding(request.user, grant.program)
    if expense_form is None and can_manage:
        expense_form = ExpenseForm(initial={"spent_on": timezone.localdate()})
    figures, series_list, expenses, grant_tables = _grant_tables(grant)
    return render_program_page(request, "funding/grant_detail.html", grant.program, {
        "grant": grant,
        "figures": figures,
        "seasons_table": tables.html_rows(grant_tables[1]),
        "series_list": series_list,
        "expenses": expenses,
        "can_manage": can_manage,
        "pays_operations": grant.may_pay_for(Purpose.OPERATIONS),
        "expense_form": expense_form,
        "staff": can_read_funding(request.user, grant.program),
    })


@login_required
def grant_detail(request, grant_id: int):
    grant = get_grant_for_user(request.user, grant_id)
    return _grant_page(request, grant)


@login_required
def grant_download(request, grant_id: int, fmt: str):
    grant = get_grant_for_user(request.user, grant_id)
    return download(_grant_tables(grant)[3], fmt, f"subvention-{grant.name}")


@login_required
def grant_report_pdf(request, grant_id: int):
    """The funder's report on the grant, as a PDF in the user's language."""
    from pcn.funding.report import grant_report_filename, grant_report_pdf as build

    grant = get_grant_for_user(request.user, grant_id)
    response = HttpResponse(build(grant, by=request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{grant_report_filename(grant)}"'
    return response


@require_POST
@login_required
def expense_create(request, grant_id: int):
    grant = get_grant_for_user(request.user, grant_id, write=True)
    form = ExpenseForm(request.POST)
    expense = form_submit(request, form, lambda: services.expense_record(
        grant=grant, spent_on=form.cleaned_data["spent_on"], description=form.cleaned_data["description"],
        amount_cents=form.amount(), by=request.user,
    ))
    if expense:
        messages.success(request, _("Dépense inscrite : %(amount)s, %(what)s.")
                         % {"amount": format_cents(expense.amount_cents), "what": expense.description})
        return redirect("grant_detail", grant.pk)
    return _grant_page(request, grant, expense_form=form)


@login_required
def season_funding(request, season_id: int):
    season = get_funding_season_for_user(request.user, season_id)
    funding = selectors.season_funding(season)
    return render_program_page(request, "funding/season_funding.html", season.program, {
        "season": season,
        "funding": funding,
        "table": tables.html_rows(tables.season_table(funding)),
        "forecast": selectors.season_forecast(season, funding.total),
    })


@login_required
def season_funding_download(request, season_id: int, fmt: str):
    season = get_funding_season_for_user(request.user, season_id)
    table = tables.season_table(selectors.season_funding(season))
    return download([table], fmt, f"financement-{season.program.name}-{season.name}")
