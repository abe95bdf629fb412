"""The funding pages: a program's grants and what each paid for, one grant with its series and operating
expenses, and a season's money per grant with the forecast of what remains to be paid."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcn.accounts.shortcuts import render_form_page, render_program_page
from pcn.funding import selectors, services
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


@login_required
def program_funding(request, program_id: int):
    program, funder_ids = get_funding_program_for_user(request.user, program_id)
    grants = list(selectors.program_grants(program, funder_ids))
    figures = selectors.grant_figures(grants)
    staff = funder_ids is None
    return render_program_page(request, "funding/program_funding.html", program, {
        "rows": [figures[g.pk] for g in grants],
        "seasons": program.seasons.all() if staff else [],
        "can_manage": can_manage_funding(request.user, program),
        "has_funders": program.organizations.filter(kind=Organization.Kind.FUNDER).exists(),
    })


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


def _grant_page(request, grant, expense_form=None):
    can_manage = can_manage_funding(request.user, grant.program)
    if expense_form is None and can_manage:
        expense_form = ExpenseForm(initial={"spent_on": timezone.localdate()})
    return render_program_page(request, "funding/grant_detail.html", grant.program, {
        "grant": grant,
        "figures": selectors.grant_figures([grant])[grant.pk],
        "series_list": grant.series.select_related("season", "coupon_class").order_by("season__starts_on", "number"),
        "expenses": grant.expenses.select_related("recorded_by").order_by("spent_on", "pk"),
        "can_manage": can_manage,
        "pays_operations": grant.may_pay_for(Purpose.OPERATIONS),
        "expense_form": expense_form,
        "staff": can_read_funding(request.user, grant.program),
    })


@login_required
def grant_detail(request, grant_id: int):
    grant = get_grant_for_user(request.user, grant_id)
    return _grant_page(request, grant)


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
        "forecast": selectors.season_forecast(season, funding.total),
    })
