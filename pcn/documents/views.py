"""The documents pages: a program's documents to download (PDF, French and English), and the network
admin's pages to edit the wording of each template, with its versions."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from pcn.accounts.access import get_network_for_user
from pcn.accounts.models import Role
from pcn.accounts.shortcuts import render_program_page
from pcn.documents import services, wording
from pcn.documents.access import get_documents_for_user, party_for, pick_partner, pick_season, pick_vendor
from pcn.documents.forms import WordingForm
from pcn.documents.kinds import LANGUAGE_NAMES, LANGUAGES, NAMES, PARTY, USES, Kind
from pcn.documents.models import WordingVersion
from pcn.documents.pdf import document_pdf, footer_text
from pcn.documents.placeholders import PLACEHOLDERS, facts_for, sample_facts, values
from pcn.lib.formfields import form_submit, posted



# A program's documents


@require_safe
@login_required
def program_documents(request, program_id: int):
    access = get_documents_for_user(request.user, program_id)
    season = pick_season(access, request.GET.get("season"))
    vendor = pick_vendor(access, request.GET.get("vendor"))
    partner = pick_partner(access, request.GET.get("partner"))
    query = {k: v for k, v in (("season", season.pk if season else None), ("vendor", vendor.pk if vendor else None),
                               ("partner", partner.pk if partner else None)) if v is not None}
    rows = []
    for kind in access.kinds:
        kind_query = {k: v for k, v in query.items() if k == "season" or k == PARTY[kind]}
        party = party_for(kind, vendor, partner)
        rows.append({
            "kind": kind,
            "label": Kind(kind).label,
            "use": USES[kind],
            "party": party["vendor"] or party["partner"],
            "links": [(code, LANGUAGE_NAMES[code],
                       reverse("program_document_pdf", args=[access.program.pk, kind, code])
                       + "?" + urlencode(kind_query))
                      for code in LANGUAGES],
        })
    return render_program_page(request, "documents/program_documents.html", access.program, {
        "access": access,
        "seasons": access.program.seasons.all(),
        "season": season,
        "vendor": vendor,
        "partner": partner,
        "vendors": access.vendor_choices() if any(PARTY[k] == "vendor" for k in access.kinds) else [],
        "partners": access.partner_choices() if any(PARTY[k] == "partner" for k in access.kinds) else [],
        "rows": rows if season else [],
        "is_network_admin": _is_admin(request.user),
    })


@require_safe
@login_required
def program_document_pdf(request, program_id: int, kind: str, language: str):
    access = get_documents_for_user(request.user, program_id)
    if kind not in access.kinds or language not in LANGUAGES:
        raise Http404
    season = pick_season(access, request.GET.get("season"))
    if season is None:
        raise Http404
    vendor = pick_vendor(access, request.GET.get("vendor"))
    party = party_for(kind, vendor, pick_partner(access, request.GET.get("partner")))
    version = services.wording_current(network=access.program.network, kind=kind, language=language)
    pdf = document_pdf(version, facts_for(season=season, **party))
    who = party["vendor"] or party["partner"]
    name = "-".join(slugify(part) for part in (NAMES[kind][language], season.name, str(who or "")) if part)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-{language}.pdf"'
    return response


# The network admin's wording pages


def _is_admin(user) -> bool:
    try:
        get_network_for_user(user, roles=[Role.NETWORK_ADMIN])
    except Http404:
        return False
    return True


def _template(request, kind: str, language: str):
    network = get_network_for_user(request.user, roles=[Role.NETWORK_ADMIN])
    if kind not in Kind.values or language not in LANGUAGES:
        raise Http404
    return network, {"kind": kind, "kind_label": Kind(kind).label, "language": language,
                     "language_name": LANGUAGE_NAMES[language]}


def _preview(body: str, language: str) -> str:
    return mark_safe(wording.html(body, values(sample_facts(), language)))  # noqa: S308 - escaped by wording.html


def _placeholders() -> list[tuple[str, str]]:
    return [("{{ %s }}" % name, str(label)) for name, (_sort, label) in PLACEHOLDERS.items()]


@require_safe
@login_required
def document_templates(request):
    network = get_network_for_user(request.user, roles=[Role.NETWORK_ADMIN])
    rows = []
    for kind in Kind.values:
        versions = [(code, LANGUAGE_NAMES[code], services.wording_current(network=network, kind=kind, language=code))
                    for code in LANGUAGES]
        rows.append({"kind": kind, "label": Kind(kind).label, "use": USES[kind], "versions": versions})
    return render(request, "documents/template_list.html", {"network": network, "rows": rows})


@login_required
def document_template_edit(request, kind: str, language: str):
    network, context = _template(request, kind, language)
    current = services.wording_current(network=network, kind=kind, language=language)
    form = WordingForm(posted(request), initial={"body": current.body, "based_on": current.number})
    preview = None
    if request.method == "POST" and "preview" in request.POST:
        if form.is_valid():
            body = form.cleaned_data["body"]
            for problem in wording.check(body):
                form.add_error("body", problem)
            preview = _preview(body, language)
    elif version := form_submit(request, form, lambda: services.wording_version_add(
            network=network, kind=kind, language=language, body=form.cleaned_data["body"],
            note=form.cleaned_data["note"], based_on=form.cleaned_data["based_on"], user=request.user)):
        messages.success(request, _("La version %(number)s est enregistrée. Les documents produits à partir de "
                                    "maintenant la suivent.") % {"number": version.number})
        return redirect("document_template_history", kind, language)
    return render(request, "documents/template_edit.html", {
        **context, "network": network, "current": current, "form": form, "preview": preview,
        "placeholders": _placeholders(),
    })


@require_safe
@login_required
def document_template_history(request, kind: str, language: str):
    network, context = _template(request, kind, language)
    services.wording_current(network=network, kind=kind, language=language)  # version 1 exists
    versions = WordingVersion.objects.of(network, kind, language).select_related("created_by").order_by("-number")
    return render(request, "documents/template_history.html", {**context, "network": network, "versions": versions})


def _version(request, kind: str, language: str, number: int):
    network, context = _template(request, kind, language)
    services.wording_current(network=network, kind=kind, language=language)
    versions = WordingVersion.objects.of(network, kind, language).select_related("created_by")
    version = versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version, context


@require_safe
@login_required
def document_template_version(request, kind: str, language: str, number: int):
    version, context = _version(request, kind, language, number)
    latest = WordingVersion.objects.of(version.network, kind, language).order_by("-number").values_list(
        "number", flat=True).first()
    return render(request, "documents/template_version.html", {
        **context, "version": version, "is_current": version.number == latest, "footer": footer_text(version),
        "preview": _preview(version.body, language),
    })


@require_safe
@login_required
def document_template_sample(request, kind: str, language: str, number: int):
    """The version filled with the made-up example program, to see its layout."""
    version, _context = _version(request, kind, language, number)
    response = HttpResponse(document_pdf(version, sample_facts()), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="exemple-{kind}-{language}-v{number}.pdf"'
    return response
