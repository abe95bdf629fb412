"""The setup wizard's pages: a start page (a template or another program's season), one page per step, a
review page that creates everything at once, and a page of what to do next.

Who: a network admin starts a new program; a coordinator (or network admin) sets up an existing program
that has no season yet, or its next season. A draft belongs to the person who started it."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from pcn.accounts.access import (
    CONFIGURE,
    check_program_access,
    get_network_for_user,
    networks_for_user,
    programs_for_user,
)
from pcn.accounts.models import Role
from pcn.accounts.shortcuts import render_program_page
from pcn.documents.kinds import LANGUAGE_NAMES as DOCUMENT_LANGUAGES
from pcn.documents.kinds import Kind as DocumentKind
from pcn.lib.formfields import add_service_errors, posted
from pcn.payments.models import PaymentSettings
from pcn.programs.access import get_program_for_user
from pcn.programs.choices import Language, ProductCategory, Region, SalePointKind
from pcn.programs.entitlements import weeks_end
from pcn.programs.forms import household_size_label
from pcn.programs.models import Program, Season
from pcn.toolbox import setup
from pcn.toolbox.models import SetupDraft
from pcn.toolbox.program_templates import TEMPLATES
from pcn.toolbox.setup_forms import (
    AmountsStepForm,
    ClassesStepForm,
    PartnersStepForm,
    ProgramStepForm,
    SeasonStepForm,
    StartForm,
)


def get_draft_for_user(user, draft_id: int) -> SetupDraft:
    """The user's own draft, while they still may configure what it sets up; 404 otherwise."""
    draft = SetupDraft.objects.select_related("program", "network").filter(pk=draft_id, created_by=user).first()
    if draft is None:
        raise Http404
    if draft.program is not None:
        check_program_access(user, draft.program, roles=CONFIGURE)
    elif draft.network not in networks_for_user(user, roles=[Role.NETWORK_ADMIN]):
        raise Http404
    return draft


def model_seasons(user, network, program=None):
    """Seasons of the network's other programs that are set up enough to copy (amounts, values and classes).
    A program's rules are shared across the network, not its people; an Indigenous community's only with those
    who reach it (pcn.accounts.access._reaches)."""
    seasons = Season.objects.filter(program__network=network, entitlement_rows__isnull=False,
                                    denominations__isnull=False, coupon_classes__isnull=False)
    if program is not None:
        seasons = seasons.exclude(program=program)
    reached = programs_for_user(user).filter(kind=Program.Kind.INDIGENOUS_COMMUNITY)
    seasons = seasons.exclude(Q(program__kind=Program.Kind.INDIGENOUS_COMMUNITY) & ~Q(program__in=reached))
    ids = seasons.values("pk").distinct()
    return Season.objects.filter(pk__in=ids).select_related("program").order_by("program__name", "-starts_on")


def _page(request, draft_or_program, template, context):
    program = draft_or_program.program if isinstance(draft_or_program, SetupDraft) else draft_or_program
    if program is not None:
        return render_program_page(request, template, program, context)
    return render(request, template, context)


def _start(request, *, network, program):
    seasons = model_seasons(request.user, network, program)
    form = StartForm(posted(request), model_seasons=seasons)
    if request.method == "POST" and form.is_valid():
        template, model_season = form.chosen()
        try:
            draft = setup.setup_draft_start(user=request.user, network=network, program=program, template=template,
                                            model_season=model_season)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("setup_step", draft.pk, "program")
    initial_model = request.GET.get("model", "")
    return _page(request, program, "toolbox/setup_start.html", {
        "form": form,
        "templates": TEMPLATES.values(),
        "resume": setup.open_draft(user=request.user, program=program),
        "steps": setup.STEPS,
        "setup_program": program,
        "initial_model": int(initial_model) if initial_model.isdecimal() and len(initial_model) < 10 else None,
    })


@login_required
def setup_new(request):
    """A network admin starts a new program."""
    network = get_network_for_user(request.user, roles=[Role.NETWORK_ADMIN])
    return _start(request, network=network, program=None)


@login_required
def setup_program(request, program_id: int):
    """A coordinator sets up an existing program's next season."""
    program = get_program_for_user(request.user, program_id, write=True)
    return _start(request, network=program.network, program=program)


def _form_for(step: str, draft: SetupDraft, data):
    answers = draft.answers
    if step == "program":
        return ProgramStepForm(data, initial=answers["program"], network=draft.network, program=draft.program)
    if step == "season":
        return SeasonStepForm(data, initial=SeasonStepForm.initial_from(answers["season"]), program=draft.program)
    if step == "amounts":
        return AmountsStepForm(data, cap=answers["season"]["household_size_cap"], answer=answers["amounts"])
    if step == "classes":
        return ClassesStepForm(data, answer=answers["classes"])
    if step == "partners":
        has_settings = draft.program is not None and PaymentSettings.objects.filter(program=draft.program).exists()
        form = PartnersStepForm(data, program_kind=answers["program"]["kind"], has_payment_settings=has_settings)
        form.initial = form.initial_from(answers["partners"])
        return form
    raise Http404


def _context(draft: SetupDraft, step: str, **more) -> dict:
    index = setup.step_index(step)
    return {
        "draft": draft,
        "step": setup.step_for(step),
        "steps": [(s, i <= setup.step_index(draft.step)) for i, s in enumerate(setup.STEPS)],
        "number": index + 1,
        "total": len(setup.STEPS),
        "previous": setup.STEP_KEYS[index - 1] if index > 1 else None,
        "template": TEMPLATES.get(draft.template),
        **more,
    }


@login_required
def setup_step(request, draft_id: int, step: str):
    draft = get_draft_for_user(request.user, draft_id)
    if draft.finished_at:
        return redirect("setup_done", draft.pk)
    if step not in setup.STEP_KEYS or step == "start":
        raise Http404
    if setup.step_index(step) > setup.step_index(draft.step):
        return redirect("setup_step", draft.pk, draft.step)
    if step == "review":
        return _review(request, draft)
    form = _form_for(step, draft, posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            draft = setup.setup_draft_answer(draft=draft, step=step, answer=form.answer())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            following = setup.STEP_KEYS[setup.step_index(step) + 1]
            return redirect("setup_step", draft.pk, following)
    return _page(request, draft, f"toolbox/setup_{step}.html", _context(draft, step, form=form))


def _review(request, draft: SetupDraft):
    """The summary; its button re-checks every step (something may have changed since, e.g. another program
    took the name) and creates everything in one transaction."""
    problem = None
    if request.method == "POST":
        for step in setup.STEP_KEYS[1:-1]:
            form = _form_for(step, draft, _as_data(_form_for(step, draft, None)))
            if not form.is_valid():
                messages.error(request, _("L'étape « %(step)s » est à corriger avant de créer le programme.")
                               % {"step": setup.step_for(step).title})
                return _page(request, draft, f"toolbox/setup_{step}.html", _context(draft, step, form=form))
        try:
            season = setup.setup_apply(draft=draft, by=request.user)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(request, _("Le programme « %(program)s » et sa saison « %(season)s » sont créés.")
                             % {"program": season.program.name, "season": season.name})
            return redirect("setup_done", draft.pk)
    return _page(request, draft, "toolbox/setup_review.html", _context(draft, "review", problem=problem,
                                                                          summary=summary(draft.answers)))


def _as_data(form) -> QueryDict:
    """A form's initial values as the POST data a browser would send for them, to check stored answers with
    the same form and rules as when they were typed."""
    data = QueryDict(mutable=True)
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if value is None or value is False or value == "":
            continue
        if value is True:
            data[name] = "on"
            continue
        shown = value if isinstance(value, list) else field.widget.format_value(value)
        data.setlist(name, [str(v) for v in shown] if isinstance(shown, list) else [str(shown)])
    return data


def summary(answers: dict) -> dict:
    """The answers, labelled for the review page."""
    season = answers["season"]
    starts_on = datetime.date.fromisoformat(season["starts_on"])
    cap = season["household_size_cap"]
    return {
        "program": answers["program"],
        "kind": Program.Kind(answers["program"]["kind"]).label,
        "region": dict(Region.choices).get(answers["program"]["region"], ""),
        "languages": [dict(Language.choices).get(code, code) for code in answers["program"]["languages"]],
        "season": season,
        "starts_on": starts_on,
        "ends_on": weeks_end(starts_on, season["weeks"]),
        "frequency": Season.Frequency(season["frequency"]).label,
        "kinds": [dict(SalePointKind.choices).get(code, code) for code in season["accepted_sale_point_kinds"]],
        "amounts": [(household_size_label(int(size), or_more=int(size) == cap), cents) for size, cents in
                    sorted(answers["amounts"]["entitlements"].items(), key=lambda item: int(item[0]))],
        "denominations": answers["amounts"]["denominations"],
        "classes": [(c["name"], [dict(ProductCategory.choices).get(code, code) for code in c["categories"]])
                    for c in answers["classes"]],
        "partners": answers["partners"],
    }


@login_required
def setup_done(request, draft_id: int):
    draft = get_draft_for_user(request.user, draft_id)
    if not draft.finished_at:
        return redirect("setup_step", draft.pk, draft.step)
    if draft.season is None:  # deleted since
        messages.warning(request, _("La saison créée par cette mise en place n'existe plus."))
        return redirect("program_detail", draft.program_id)
    season = draft.season
    template = TEMPLATES.get(draft.template)
    documents = [
        (DocumentKind(kind).label, [(name, reverse("program_document_pdf", args=[draft.program_id, kind, code])
                                     + f"?season={season.pk}") for code, name in DOCUMENT_LANGUAGES.items()])
        for kind in (template.documents if template else ())
    ]
    return render_program_page(request, "toolbox/setup_done.html", draft.program, {
        "draft": draft, "season": season, "documents": documents,
    })


urlpatterns = [
    path("network/setup/", setup_new, name="setup_new"),
    path("programs/<int:program_id>/setup/", setup_program, name="setup_program"),
    path("setup/<int:draft_id>/done/", setup_done, name="setup_done"),
    path("setup/<int:draft_id>/<slug:step>/", setup_step, name="setup_step"),
]
