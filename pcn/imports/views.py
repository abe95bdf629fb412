"""Import pages: choose what to import → send the file → preview and validation report → confirm.

Between sending and confirming, the file is kept in the user's session as its parsed rows (text only, at
most 2 MB and 5,000 rows; sessions live in the database, so any web process can confirm). Confirming
checks every row again and imports all of them in one transaction, or nothing.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pcn.accounts.shortcuts import render_program_page
from pcn.households.access import get_season_partners_for_user
from pcn.households.models import Household
from pcn.imports import blanks
from pcn.imports.forms import ConfirmForm, UploadForm
from pcn.imports.kinds import KINDS, Kind, Target
from pcn.imports.reading import ImportFileError, Sheet, read_upload
from pcn.imports.services import import_rows
from pcn.lib.formfields import posted
from pcn.programs.access import get_program_for_user
from pcn.programs.models import Season

SESSION_KEY = "pcn_import"
SHOWN_ROWS = 200  # the preview lists the first rows; the report lists every problem
PROGRAM_KINDS = ("markets", "vendors", "partners")
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _program_kind(kind_slug: str) -> Kind:
    if kind_slug not in PROGRAM_KINDS:
        raise Http404
    return KINDS[kind_slug]


@login_required
def import_start(request, program_id: int):
    program = get_program_for_user(request.user, program_id, write=True)
    kinds = [KINDS[slug] for slug in PROGRAM_KINDS]
    seasons = Season.objects.filter(program=program, closed_at__isnull=True).order_by("-starts_on")
    return render_program_page(request, "imports/start.html", program, {
        "kinds": kinds, "households": KINDS["households"], "seasons": seasons,
    })


@login_required
def import_upload(request, program_id: int, kind: str):
    program = get_program_for_user(request.user, program_id, write=True)
    return _program_upload(request, program, _program_kind(kind))


def _program_upload(request, program, kind: Kind, *, fresh: bool = False):
    seasons = Season.objects.filter(program=program, closed_at__isnull=True) if kind.slug == "partners" else None
    return _upload(request, kind, program, seasons=seasons, season=None, fresh=fresh,
                   preview_url=reverse("import_preview", kwargs={"program_id": program.pk, "kind": kind.slug}),
                   back_url=reverse("import_start", args=[program.pk]))


@login_required
def import_preview(request, program_id: int, kind: str):
    program = get_program_for_user(request.user, program_id, write=True)
    import_kind = _program_kind(kind)
    stored = _stored(request, import_kind, program, None)
    season = None
    if stored and stored.get("season"):
        season = Season.objects.filter(program=program, pk=stored["season"]).first()
    done = {"markets": reverse("market_list", args=[program.pk]), "vendors": reverse("vendor_list", args=[program.pk]),
            "partners": reverse("organization_list", args=[program.pk])}[kind]
    return _preview(request, import_kind, Target(program=program, season=season), stored,
                    upload_url=reverse("import_upload", kwargs={"program_id": program.pk, "kind": kind}),
                    upload_page=lambda: _program_upload(request, program, import_kind, fresh=True), done_url=done)


def _household_upload(request, season, partners, *, fresh: bool = False):
    return _upload(request, KINDS["households"], season.program, seasons=None, season=season, fresh=fresh,
                   preview_url=reverse("household_import_preview", args=[season.pk]),
                   back_url=reverse("household_list", args=[season.pk]), partners=partners)


@login_required
def household_import_upload(request, season_id: int):
    season, partners = get_season_partners_for_user(request.user, season_id, write=True)
    if not partners:
        raise Http404
    return _household_upload(request, season, partners)


@login_required
def household_import_preview(request, season_id: int):
    season, partners = get_season_partners_for_user(request.user, season_id, write=True)
    if not partners:
        raise Http404
    kind = KINDS["households"]
    stored = _stored(request, kind, season.program, season)
    return _preview(request, kind, Target(program=season.program, season=season, partners=partners), stored,
                    upload_url=reverse("household_import_upload", args=[season.pk]),
                    upload_page=lambda: _household_upload(request, season, partners, fresh=True),
                    done_url=reverse("household_list", args=[season.pk]))


@login_required
def import_template(request, kind: str, fmt: str):
    """A blank template: nothing of any program in it, so any signed-in person may download it."""
    if kind not in KINDS or fmt not in FORMATS:
        raise Http404
    import_kind = KINDS[kind]
    content = blanks.template_csv(import_kind) if fmt == "csv" else blanks.template_xlsx(import_kind)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    name = slugify(_("modèle %(kind)s") % {"kind": import_kind.title})
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# The two steps, shared by every kind.


def _upload(request, kind: Kind, program, *, seasons, season, preview_url, back_url, partners=(), fresh=False):
    """The sending page; `fresh` shows it empty whatever the request (the preview's way back)."""
    if fresh:
        form = UploadForm(seasons=seasons)
    else:
        form = UploadForm(posted(request), request.FILES or None, seasons=seasons)
    if not fresh and request.method == "POST" and form.is_valid():
        try:
            sheet = read_upload(form.cleaned_data["file"])
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            chosen = form.cleaned_data.get("season")
            request.session[SESSION_KEY] = {
                "token": secrets.token_urlsafe(16),
                "kind": kind.slug,
                "program": program.pk,
                "season": (season or chosen).pk if (season or chosen) else None,
                "filename": form.cleaned_data["file"].name,
                "sheet": sheet.to_session(),
            }
            return redirect(preview_url)
    return render_program_page(request, "imports/upload.html", program, {
        "kind": kind, "form": form, "season": season, "back_url": back_url, "partners": partners,
    })


def _stored(request, kind: Kind, program, season) -> dict | None:
    data = request.session.get(SESSION_KEY)
    if not data or data.get("kind") != kind.slug or data.get("program") != program.pk:
        return None
    if season is not None and data.get("season") != season.pk:
        return None
    return data


def _preview(request, kind: Kind, target: Target, stored, *, upload_url, upload_page, done_url):
    if stored is None:
        messages.error(request, _("Le fichier envoyé n'est plus en mémoire. Envoyez-le de nouveau."))
        return upload_page()
    sheet = Sheet.from_session(stored["sheet"])
    confirm = ConfirmForm(posted(request), initial={"token": stored["token"]})
    commit = request.method == "POST"
    if commit and not (confirm.is_valid() and confirm.cleaned_data["token"] == stored["token"]):
        messages.error(request, _("Ce fichier a été remplacé par un autre envoi. Vérifiez l'aperçu, puis confirmez."))
        return redirect(request.path)
    report = import_rows(kind=kind, target=target, sheet=sheet, by=request.user, commit=commit)
    if report.committed:
        request.session.pop(SESSION_KEY, None)
        messages.success(request, _summary(kind, report))
        return redirect(done_url)
    if commit:
        messages.error(request, _("Depuis l'aperçu, des données du programme ont changé : rien n'a été importé. "
                                  "Voyez les erreurs ci-dessous."))
    rows = report.preview()
    return render_program_page(request, "imports/preview.html", target.program, {
        "kind": kind, "report": report, "rows": rows[:SHOWN_ROWS], "hidden_rows": max(0, len(rows) - SHOWN_ROWS),
        "row_count": len(rows), "filename": stored["filename"], "confirm": confirm, "upload_url": upload_url,
        "season": target.season if kind.season_scoped else None,
        "quota_season": target.season if not kind.season_scoped else None,
    })


def _summary(kind: Kind, report) -> str:
    n = len(report.rows)
    if kind.slug == "households":
        waiting = sum(1 for row in report.rows if row.created and row.created.status == Household.Status.WAITING)
        text = ngettext("%(n)s ménage est inscrit.", "%(n)s ménages sont inscrits.", n) % {"n": n}
        if waiting:
            text += " " + ngettext("%(w)s est sur la liste d'attente : le quota de son organisme est atteint.",
                                   "%(w)s sont sur la liste d'attente : le quota de leur organisme est atteint.",
                                   waiting) % {"w": waiting}
        return text + " " + _("Leurs codes sont dans la liste ci-dessous : écrivez chacun sur la carte du ménage.")
    if kind.slug == "markets":
        markets = sum(1 for row in report.rows if row.outcome == _("Nouveau marché"))
        text = ngettext("%(n)s point de vente importé.", "%(n)s points de vente importés.", n) % {"n": n}
        if markets:
            text += " " + ngettext("%(m)s nouveau marché créé.", "%(m)s nouveaux marchés créés.", markets) % {"m": markets}
        return text
    if kind.slug == "vendors":
        return ngettext("%(n)s marchand importé.", "%(n)s marchands importés.", n) % {"n": n}
    return ngettext("%(n)s organisme importé.", "%(n)s organismes importés.", n) % {"n": n}
