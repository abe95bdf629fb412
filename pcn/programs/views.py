from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcn.accounts.access import get_network_for_user, programs_for_user
from pcn.accounts.models import Role
from pcn.accounts.shortcuts import render_form_page, render_program_page
from pcn.lib.formfields import form_submit, posted
from pcn.programs import services
from pcn.programs.access import (
    get_coupon_class_for_user,
    get_organization_for_user,
    get_program_for_user,
    get_season_for_user,
)
from pcn.programs.entitlements import split_into_coupons
from pcn.programs.forms import (
    CouponClassForm,
    DenominationsForm,
    EntitlementForm,
    OrganizationForm,
    ProgramForm,
    SeasonForm,
    household_size_label,
    not_payable_message,
)
from pcn.programs.models import CouponClass, Organization, Program, Season
from pcn.programs.selectors import program_status
from pcn.toolbox.setup import program_started_from

# Network


@login_required
def network_home(request):
    network = get_network_for_user(request.user)
    query = request.GET.get("q", "").strip()
    programs = list(programs_for_user(request.user).filter(network=network).search(query).prefetch_related("seasons"))
    today = timezone.localdate()
    started_from = program_started_from([p.pk for p in programs])
    rows = []
    for program in programs:
        status, season = program_status(list(program.seasons.all()), today)
        rows.append({"program": program, "status": STATUS_LABELS[status], "status_key": status, "season": season,
                     "started_from": started_from.get(program.pk, "")})
    return render(request, "programs/network_home.html", {"network": network, "rows": rows, "query": query})


STATUS_LABELS = {
    "draft": gettext_lazy("En préparation"),
    "upcoming": gettext_lazy("Saison à venir"),
    "running": gettext_lazy("Saison en cours"),
    "ended": gettext_lazy("Saison terminée, à fermer"),
    "closed": gettext_lazy("Saison fermée"),
}


@login_required
def program_create(request):
    network = get_network_for_user(request.user, roles=[Role.NETWORK_ADMIN])
    form = ProgramForm(posted(request), instance=Program(network=network))
    if program := form_submit(request, form, lambda: services.program_save(program=form.instance)):
        messages.success(request, _("Le programme « %(name)s » est créé.") % {"name": program.name})
        return redirect("program_detail", program.pk)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": _("Nouveau programme"), "cancel_url": reverse("network_home")},
    )


# Program


@login_required
def program_detail(request, program_id: int):
    program = get_program_for_user(request.user, program_id)
    return render_program_page(
        request,
        "programs/program_detail.html",
        program,
        {
            "seasons": program.seasons.all(),
            "counts": {
                "partners": program.organizations.filter(kind__in=Organization.PARTNER_KINDS).count(),
                "markets": program.markets.count(),
                "vendors": program.vendors.count(),
            },
        },
    )


@login_required
def program_edit(request, program_id: int):
    program = get_program_for_user(request.user, program_id, write=True)
    form = ProgramForm(posted(request), instance=program)
    if form_submit(request, form, lambda: services.program_save(program=form.instance)):
        messages.success(request, _("Le programme est enregistré."))
        return redirect("program_detail", program.pk)
    return render_form_page(
        request,
        program,
        form,
        title=_("Modifier le programme"),
        cancel_url=reverse("program_detail", args=[program.pk]),
    )


# Seasons


@login_required
def season_list(request, program_id: int):
    program = get_program_for_user(request.user, program_id)
    return render_program_page(request, "programs/season_list.html", program, {"seasons": program.seasons.all()})


@login_required
def season_create(request, program_id: int):
    program = get_program_for_user(request.user, program_id, write=True)
    form = SeasonForm(posted(request), instance=Season(program=program))
    if season := form_submit(request, form, lambda: services.season_save(season=form.instance)):
        messages.success(request, _("La saison est créée. Remplissez maintenant les montants remis à chaque ménage."))
        return redirect("season_entitlements", season.pk)
    return render_form_page(
        request,
        program,
        form,
        title=_("Nouvelle saison"),
        intro=_("Une saison, c'est une période où les coupons sont remis et acceptés, avec ses propres règles."),
        cancel_url=reverse("season_list", args=[program.pk]),
    )


@login_required
def season_detail(request, season_id: int):
    season = get_season_for_user(request.user, season_id)
    rows = list(season.entitlement_rows.all())
    values = list(season.denominations.values_list("value_cents", flat=True))
    not_payable = [
        (household_size_label(row.household_size, or_more=row.household_size == season.household_size_cap),
         not_payable_message(row.amount_cents, values))
        for row in rows if values and split_into_coupons(row.amount_cents, values) is None
    ]
    return render_program_page(
        request,
        "programs/season_detail.html",
        season.program,
        {
            "season": season,
            "entitlement_rows": rows,
            "entitlements_complete": len(rows) == season.household_size_cap,
            "not_payable": not_payable,
            "denominations": season.denominations.all(),
            "coupon_classes": season.coupon_classes.all(),
        },
    )


@login_required
def season_edit(request, season_id: int):
    season = get_season_for_user(request.user, season_id, write=True)
    form = SeasonForm(posted(request), instance=season)
    if form_submit(request, form, lambda: services.season_save(season=form.instance)):
        messages.success(request, _("La saison est enregistrée."))
        return redirect("season_detail", season.pk)
    return render_form_page(
        request,
        season.program,
        form,
        title=_("Modifier la saison"),
        cancel_url=reverse("season_detail", args=[season.pk]),
    )


@login_required
def season_entitlements(request, season_id: int):
    season = get_season_for_user(request.user, season_id, write=True)
    form = EntitlementForm(posted(request), season=season)
    if form_submit(
        request, form, lambda: services.season_set_entitlements(season=season, amounts_cents=form.amounts_cents())
    ):
        messages.success(request, _("Les montants sont enregistrés."))
        return redirect("season_detail", season.pk)
    return render_form_page(
        request,
        season.program,
        form,
        title=_("Montants remis par ménage"),
        intro=_("Le montant qu'un ménage reçoit à chaque remise (%(frequency)s), selon le nombre de personnes.")
        % {"frequency": season.get_frequency_display().lower()},
        cancel_url=reverse("season_detail", args=[season.pk]),
    )


@login_required
def season_denominations(request, season_id: int):
    season = get_season_for_user(request.user, season_id, write=True)
    form = DenominationsForm(posted(request), season=season)
    if form_submit(
        request, form, lambda: services.season_set_denominations(season=season, values_cents=form.values_cents())
    ):
        messages.success(request, _("Les valeurs des coupons sont enregistrées."))
        return redirect("season_detail", season.pk)
    return render_form_page(
        request,
        season.program,
        form,
        title=_("Valeurs des coupons"),
        intro=_(
            "Les valeurs imprimées sur les coupons, par exemple 2 $, 5 $ et 10 $. Laissez vides les cases en trop."
        ),
        cancel_url=reverse("season_detail", args=[season.pk]),
    )


@login_required
def coupon_class_create(request, season_id: int):
    season = get_season_for_user(request.user, season_id, write=True)
    return _coupon_class_form(request, season, CouponClass(season=season), title=_("Nouvelle catégorie de coupon"))


@login_required
def coupon_class_edit(request, coupon_class_id: int):
    coupon_class = get_coupon_class_for_user(request.user, coupon_class_id, write=True)
    return _coupon_class_form(request, coupon_class.season, coupon_class, title=_("Modifier la catégorie de coupon"))


def _coupon_class_form(request, season, coupon_class, *, title):
    form = CouponClassForm(posted(request), instance=coupon_class)
    if form_submit(request, form, lambda: services.coupon_class_save(coupon_class=form.instance)):
        messages.success(request, _("La catégorie de coupon est enregistrée."))
        return redirect("season_detail", season.pk)
    return render_form_page(
        request,
        season.program,
        form,
        title=title,
        intro=_(
            "Une catégorie dit ce qu'un coupon permet d'acheter. Chaque série imprimée appartient à une catégorie."
        ),
        cancel_url=reverse("season_detail", args=[season.pk]),
    )


# Organizations (partners, fiduciary, funders...)


@login_required
def organization_list(request, program_id: int):
    program = get_program_for_user(request.user, program_id)
    query = request.GET.get("q", "").strip()
    organizations = program.organizations.all()
    if query:
        organizations = organizations.filter(name__icontains=query)
    return render_program_page(
        request, "programs/organization_list.html", program, {"organizations": organizations, "query": query}
    )


@login_required
def organization_create(request, program_id: int):
    program = get_program_for_user(request.user, program_id, write=True)
    return _organization_form(request, program, Organization(program=program), title=_("Nouvelle organisation"))


@login_required
def organization_detail(request, organization_id: int):
    organization = get_organization_for_user(request.user, organization_id)
    return render_program_page(
        request, "programs/organization_detail.html", organization.program, {"organization": organization}
    )


@login_required
def organization_edit(request, organization_id: int):
    organization = get_organization_for_user(request.user, organization_id, write=True)
    return _organization_form(request, organization.program, organization, title=_("Modifier l'organisation"))


def _organization_form(request, program, organization, *, title):
    form = OrganizationForm(posted(request), instance=organization)
    if organization := form_submit(request, form, lambda: services.organization_save(organization=form.instance)):
        messages.success(request, _("L'organisation « %(name)s » est enregistrée.") % {"name": organization.name})
        return redirect("organization_detail", organization.pk)
    return render_form_page(
        request, program, form, title=title, cancel_url=reverse("organization_list", args=[program.pk])
    )
