from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcn.accounts.shortcuts import render_form_page, render_program_page
from pcn.governance import services
from pcn.governance.access import get_agreement_for_user, get_committee_member_for_user, get_decision_for_user
from pcn.governance.forms import AgreementForm, CommitteeMemberForm, DecisionForm
from pcn.governance.models import CommitteeMember
from pcn.lib.formfields import form_submit, posted
from pcn.programs.access import get_program_for_user


def _governance_url(program, section: str = "") -> str:
    url = reverse("governance", args=[program.pk])
    return f"{url}#{section}" if section else url


@login_required
def governance(request, program_id: int):
    program = get_program_for_user(request.user, program_id)
    return render_program_page(
        request,
        "governance/governance.html",
        program,
        {
            "members": program.committee_members.select_related("organization"),
            "agreements": program.agreements.select_related("organization", "vendor"),
            "decisions": program.decisions.select_related("recorded_by"),
        },
    )


# Steering committee


@login_required
def committee_member_create(request, program_id: int):
    program = get_program_for_user(request.user, program_id, write=True)
    return _committee_member_form(
        request, program, CommitteeMember(program=program), title=_("Ajouter une personne au comité")
    )


@login_required
def committee_member_edit(request, member_id: int):
    member = get_committee_member_for_user(request.user, member_id, write=True)
    return _committee_member_form(request, member.program, member, title=_("Modifier un membre du comité"))


def _committee_member_form(request, program, member, *, title):
    form = CommitteeMemberForm(posted(request), instance=member)
    if member := form_submit(request, form, lambda: services.committee_member_save(member=form.instance)):
        messages.success(request, _("Les renseignements de « %(name)s » sont enregistrés.") % {"name": member.name})
        return redirect(_governance_url(program, "committee"))
    return render_form_page(
        request,
        program,
        form,
        title=title,
        intro=_(
            "Le comité directeur réunit le personnel du programme et des organisations partenaires. "
            "On n'y inscrit jamais de participants."
        ),
        cancel_url=_governance_url(program, "committee"),
    )


@login_required
@require_POST
def committee_member_remove(request, member_id: int):
    member = get_committee_member_for_user(request.user, member_id, write=True)
    program = member.program
    services.committee_member_remove(member=member)
    messages.success(request, _("« %(name)s » ne fait plus partie du comité directeur.") % {"name": member.name})
    return redirect(_governance_url(program, "committee"))


# Signed agreements


@login_required
def agreement_create(request, program_id: int):
    program = get_program_for_user(request.user, program_id, write=True)
    form = AgreementForm(posted(request), request.FILES if request.method == "POST" else None, program=program)
    agreement = form_submit(
        request,
        form,
        lambda: services.agreement_record(
            program=program,
            kind=form.cleaned_data["kind"],
            organization=form.cleaned_data.get("organization"),
            vendor=form.cleaned_data.get("vendor"),
            signed_on=form.cleaned_data["signed_on"],
            file=form.cleaned_data["file"],
            notes=form.cleaned_data["notes"],
        ),
    )
    if agreement:
        messages.success(request, _("L'entente avec « %(party)s » est enregistrée.") % {"party": agreement.party})
        return redirect(_governance_url(program, "agreements"))
    return render_program_page(
        request,
        "governance/agreement_form.html",
        program,
        {"form": form, "cancel_url": _governance_url(program, "agreements")},
    )


@login_required
def agreement_file(request, agreement_id: int):
    """The signed copy, only to those who may read the program's configuration (never as public media)."""
    agreement = get_agreement_for_user(request.user, agreement_id)
    if not agreement.file:
        raise Http404
    try:
        handle = agreement.file.storage.open(agreement.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=PurePath(agreement.file.name).name)
    response["Cache-Control"] = "private, no-store"
    return response


# Decisions log (append-only: no edit, no delete; a correction is a new decision)


@login_required
def decision_create(request, program_id: int):
    program = get_program_for_user(request.user, program_id, write=True)
    initial = {"decided_on": timezone.localdate()}
    intro = _(
        "Le journal garde chaque décision telle qu'elle a été inscrite : on ne la modifie pas et on ne l'efface "
        "pas. Pour corriger une décision, inscrivez-en une nouvelle."
    )
    corrects = request.GET.get("corrects", "")
    if corrects.isdecimal() and len(corrects) < 10:
        corrected = get_decision_for_user(request.user, int(corrects))
        if corrected.program_id != program.pk:
            raise Http404
        initial["title"] = (_("Correction : %(title)s") % {"title": corrected.title})[:200]
        initial["details"] = _("Corrige la décision du %(date)s : « %(title)s ».") % {
            "date": date_format(corrected.decided_on),
            "title": corrected.title,
        }
    form = DecisionForm(posted(request), initial=initial)
    decision = form_submit(
        request,
        form,
        lambda: services.decision_record(
            program=program,
            decided_on=form.cleaned_data["decided_on"],
            title=form.cleaned_data["title"],
            details=form.cleaned_data["details"],
            by=request.user,
        ),
    )
    if decision:
        messages.success(request, _("La décision est inscrite au journal."))
        return redirect(_governance_url(program, "decisions"))
    return render_form_page(
        request,
        program,
        form,
        title=_("Inscrire une décision"),
        intro=intro,
        submit_label=_("Inscrire la décision"),
        cancel_url=_governance_url(program, "decisions"),
    )
