"""The season close-out page: where every coupon ended up, the report as CSV, XLSX and PDF, and closing the season.

The coordination and the treasury read it; only those who configure the program (coordinator, network
admin) close the season."""

import csv
import io
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcn.accounts.access import CONFIGURE, program_roles
from pcn.accounts.shortcuts import render_program_page
from pcn.coupons import closeout
from pcn.lib.money import format_cents
from pcn.payments.formats.csv_remittance import safe_cell
from pcn.programs.access import get_season_for_user
from pcn.reports.tables import COUNT, MONEY, PERCENT, Column, Table, csv_value, download
from pcn.tasks.models import Task
from pcn.tasks.services import task_enqueue

CLOSE_TASK = "coupons.close_season"

PAGE_UNMATCHED = 200  # the page lists this many unmatched codes; the CSV and PDF list them all


@login_required
def season_closeout(request, season_id: int):
    season = get_season_for_user(request.user, season_id)
    report = closeout.season_disposition(season)
    can_close = bool(program_roles(request.user, season.program) & CONFIGURE) and not season.closed_at
    return render_program_page(
        request,
        "coupons/closeout.html",
        season.program,
        {
            "season": season,
            "report": report,
            "unmatched_shown": report.unmatched[:PAGE_UNMATCHED],
            "blockers": [] if season.closed_at else closeout.season_close_blockers(season),
            "can_close": can_close,
            "closing": None if season.closed_at else closing_task(season),
        },
    )


def closing_task(season) -> Task | None:
    """The background task closing this season, while it waits or runs."""
    return (Task.objects.filter(program_id=season.program_id, name=CLOSE_TASK, kwargs__season_id=season.pk,
                                status__in=[Task.Status.QUEUED, Task.Status.RUNNING]).order_by("-pk").first())


@require_POST
@login_required
def season_close(request, season_id: int):
    """Closing runs in the background (`pcn worker`): expiring a city's coupons and verifying its whole ledger
    takes minutes. What blocks it is said at once; the task checks again when it runs."""
    season = get_season_for_user(request.user, season_id, write=True)
    blockers = closeout.season_close_blockers(season)
    if blockers:
        for message in blockers:
            messages.error(request, message)
        return redirect("season_closeout", season.pk)
    task = closing_task(season) or task_enqueue(
        program=season.program, name=CLOSE_TASK, kwargs={"season_id": season.pk, "by_id": request.user.pk},
        label=_("Fermeture de la saison %(season)s") % {"season": season.name}, by=request.user,
    )
    messages.success(request, _("La fermeture de la saison « %(season)s » a commencé. Les coupons encore en "
                                "circulation expirent, puis le registre est vérifié : cela peut prendre quelques "
                                "minutes. Le bilan de fermeture montrera ensuite la saison fermée.") % {"season": season.name})
    return redirect("task_detail", task.pk)


def _filename(season, suffix: str) -> str:
    return f"fermeture-{slugify(season.program.name)}-{slugify(season.name)}.{suffix}"


def closeout_tables(report: closeout.Disposition) -> list[Table]:
    """The report's rows, once, for the CSV and the XLSX: the dispositions (with the check against the value
    issued, the face values, counted coupons, coupons paid twice, cards and problems), then the unmatched codes.
    A row's "_short" marks a line the CSV writes with its first two cells only (a problem's sentence)."""
    season = report.season
    rows = []

    def add(section, state, *, denomination=None, count=None, value=None, percent=None, short=False):
        rows.append({"section": section, "state": state, "denomination": denomination, "count": count,
                     "value": value, "percent": percent, "_short": short})

    for line in report.states:
        add(_("Disposition"), line.label, count=line.count, value=line.value_cents, percent=line.percent)
    add(_("Disposition"), _("Total"), count=report.total.count, value=report.total.value_cents)
    add(_("Disposition"), _("Valeur émise"), count=report.issued.count, value=report.issued.value_cents,
        percent=Decimal("100.0"))
    add(_("Vérification"), _("Total = valeur émise") if report.balanced else _("ÉCART"))
    for d in report.by_denomination:
        for _key, label, amount in d.cells:
            if amount.count:
                add(_("Par valeur"), label, denomination=d.denomination_cents, count=amount.count,
                    value=amount.value_cents)
        add(_("Par valeur"), _("Valeur émise"), denomination=d.denomination_cents, count=d.issued.count,
            value=d.issued.value_cents)
    if report.counted.count:
        add(_("Comptés sans code"), _("Échangés, comptés par valeur"), count=report.counted.count,
            value=report.counted.value_cents)
    if report.paid_twice.count:
        add(_("Payés deux fois"), _("Deuxième échange payé (perte inscrite)"), count=report.paid_twice.count,
            value=report.paid_twice.value_cents)
    if report.has_cards:
        add(_("Cartes"), _("Crédits"), value=report.card_credits_cents)
        add(_("Cartes"), _("Achats"), value=report.card_debits_cents)
        add(_("Cartes"), _("Solde non dépensé"), value=report.card_balance_cents)
    for problem in report.problems:
        add(_("Problème"), safe_cell(problem), short=True)
    note = (f"{season.program.name} · {season.name} · "
            + _("Dernier jour d'échange : %(day)s") % {"day": report.deadline.isoformat()})
    states = Table(
        title=_("Fermeture de saison"), slug="fermeture", note=note, rows=rows,
        columns=[Column("section", _("Section")), Column("state", _("État")),
                 Column("denomination", _("Valeur du coupon"), MONEY), Column("count", _("Coupons"), COUNT),
                 Column("value", _("Valeur"), MONEY), Column("percent", _("Part de l'émis"), PERCENT)],
    )
    unmatched = Table(
        title=_("Codes jamais émis"), slug="codes-jamais-emis",
        columns=[Column("section", _("Codes jamais émis")), Column("code", _("Code tapé")),
                 Column("vendor", _("Marchand")), Column("reason", _("Raison")),
                 Column("first_at", _("Premier essai")), Column("last_at", _("Dernier essai")),
                 Column("count", _("Essais"), COUNT)],
        # Typed codes and names defused here too: the XLSX writer would store "=1+1" as a formula.
        rows=[{"section": _("Non apparié"), "code": safe_cell(u.code), "vendor": safe_cell(u.vendor),
               "reason": u.reason,
               "first_at": timezone.localtime(u.first_at).isoformat(timespec="minutes"),
               "last_at": timezone.localtime(u.last_at).isoformat(timespec="minutes"), "count": u.count}
              for u in report.unmatched],
    )
    return [states, unmatched]


def closeout_csv_bytes(report: closeout.Disposition) -> bytes:
    """The report as CSV: UTF-8 with a byte order mark (Excel in French reads the accents), amounts in
    decimal dollars with a point, text cells a spreadsheet would run as a formula defused. Its layout predates
    pcn.reports.tables (a title line, the sections side by side in one grid) and is kept: people's
    spreadsheets read it."""
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, lineterminator="\r\n")
    season = report.season
    states, unmatched = closeout_tables(report)
    out.writerow([_("Fermeture de saison"), safe_cell(season.program.name), safe_cell(season.name)])
    out.writerow([_("Dernier jour d'échange"), report.deadline.isoformat()])
    out.writerow([])
    out.writerow([_("Section"), _("État"), _("Valeur du coupon"), _("Coupons"), _("Valeur ($)"), _("Part de l'émis")])
    for row in states.rows:
        cells = [csv_value(c, row[c.key]) for c in states.columns]
        out.writerow(cells[:2] if row["_short"] else cells)
    out.writerow([])
    out.writerow([str(c.label) for c in unmatched.columns])
    for row in unmatched.rows:
        out.writerow([csv_value(c, row[c.key]) for c in unmatched.columns])
    return buffer.getvalue().encode("utf-8-sig")


@login_required
def season_closeout_csv(request, season_id: int):
    season = get_season_for_user(request.user, season_id)
    response = HttpResponse(closeout_csv_bytes(closeout.season_disposition(season)),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(season, "csv")}"'
    return response


def closeout_pdf_bytes(report: closeout.Disposition) -> bytes:
    """The report as a letter-size PDF (ReportLab): the states, the check against the value issued, the
    face values, the cards and the unmatched codes."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    language = get_language() or "fr"

    def money(cents: int) -> str:
        return format_cents(cents, language)

    def number(n) -> str:
        return f"{n:,}".replace(",", "\u00a0" if language.startswith("fr") else ",")

    def percent(p) -> str:
        shown = str(p)
        return (shown.replace(".", ",") if language.startswith("fr") else shown) + "\u00a0%"

    styles = getSampleStyleSheet()
    season = report.season
    grid = TableStyle([
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9), ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ])
    bold_last = TableStyle([("FONT", (0, -2), (-1, -1), "Helvetica-Bold", 9)])
    story = [
        Paragraph(escape(_("Fermeture de saison")), styles["Title"]),
        Paragraph(escape(f"{season.program.name} · {season.name}"), styles["Heading2"]),
        Paragraph(escape(_("Dernier jour d'échange : %(day)s") % {"day": date_format(report.deadline)}),
                  styles["Normal"]),
        Paragraph(escape(
            _("Fermée le %(day)s") % {"day": date_format(timezone.localdate(season.closed_at))} if season.closed_at
            else _("Pas encore fermée (état au %(day)s)") % {"day": date_format(timezone.localdate())}
        ), styles["Normal"]),
        Spacer(1, 0.2 * inch),
    ]
    rows = [[_("État"), _("Coupons"), _("Valeur"), _("Part de l'émis")]]
    rows += [[line.label, number(line.count), money(line.value_cents), percent(line.percent)] for line in report.states]
    rows.append([_("Total"), number(report.total.count), money(report.total.value_cents), ""])
    rows.append([_("Valeur émise"), number(report.issued.count), money(report.issued.value_cents), percent("100.0")])
    table = Table(rows, colWidths=[3.2 * inch, 1.1 * inch, 1.4 * inch, 1.0 * inch], repeatRows=1)
    table.setStyle(grid)
    table.setStyle(bold_last)
    story += [table, Spacer(1, 0.1 * inch)]
    check = (_("Vérifié : le total est égal à la valeur émise, au cent près.") if report.balanced
             else _("ÉCART : le total n'est pas égal à la valeur émise."))
    story.append(Paragraph(f"<b>{escape(check)}</b>", styles["Normal"]))
    for problem in report.problems:
        story.append(Paragraph(escape(problem), styles["Normal"]))

    story += [Spacer(1, 0.2 * inch), Paragraph(escape(_("Par valeur de coupon")), styles["Heading2"])]
    rows = [[_("Valeur du coupon"), _("État"), _("Coupons"), _("Valeur")]]
    for d in report.by_denomination:
        for _key, label, amount in d.cells:
            if amount.count:
                rows.append([money(d.denomination_cents), label, number(amount.count), money(amount.value_cents)])
        rows.append([money(d.denomination_cents), _("Valeur émise"), number(d.issued.count),
                     money(d.issued.value_cents)])
    table = Table(rows, colWidths=[1.2 * inch, 3.0 * inch, 1.1 * inch, 1.4 * inch], repeatRows=1)
    table.setStyle(grid)
    story.append(table)

    notes = []
    if report.counted.count:
        notes.append(_("Dont %(n)s coupons échangés comptés par valeur, sans lire leur code (%(value)s).")
                     % {"n": number(report.counted.count), "value": money(report.counted.value_cents)})
    if report.paid_twice.count:
        notes.append(_("En plus : %(n)s deuxièmes échanges d'un même coupon payés après examen (%(value)s), perte "
                       "inscrite.") % {"n": number(report.paid_twice.count),
                                       "value": money(report.paid_twice.value_cents)})
    if report.has_cards:
        notes.append(_("Cartes (hors coupons) : crédits %(credits)s, achats %(debits)s, solde non dépensé "
                       "%(balance)s.") % {"credits": money(report.card_credits_cents),
                                          "debits": money(report.card_debits_cents),
                                          "balance": money(report.card_balance_cents)})
    if notes:
        story.append(Spacer(1, 0.1 * inch))
        story += [Paragraph(escape(n), styles["Normal"]) for n in notes]

    story += [Spacer(1, 0.2 * inch), Paragraph(escape(_("Codes jamais émis")), styles["Heading2"])]
    if report.unmatched:
        story.append(Paragraph(escape(_("%(n)s essais de codes qui ne correspondent à aucun coupon émis.")
                                      % {"n": number(report.unmatched_attempts)}), styles["Normal"]))
        rows = [[_("Code tapé"), _("Marchand"), _("Raison"), _("Premier essai"), _("Essais")]]
        rows += [[u.code[:30], u.vendor[:40], u.reason,
                  date_format(timezone.localtime(u.first_at), "SHORT_DATE_FORMAT"), number(u.count)]
                 for u in report.unmatched]
        table = Table(rows, colWidths=[1.6 * inch, 2.0 * inch, 1.5 * inch, 1.0 * inch, 0.6 * inch], repeatRows=1)
        table.setStyle(grid)
        story.append(table)
    else:
        story.append(Paragraph(escape(_("Aucun.")), styles["Normal"]))

    buffer = io.BytesIO()
    title = f"{_('Fermeture de saison')} · {season.program.name} · {season.name}"
    SimpleDocTemplate(buffer, pagesize=letter, title=title, leftMargin=0.75 * inch, rightMargin=0.75 * inch,
                      topMargin=0.75 * inch, bottomMargin=0.75 * inch).build(story)
    return buffer.getvalue()


@login_required
def season_closeout_pdf(request, season_id: int):
    season = get_season_for_user(request.user, season_id)
    response = HttpResponse(closeout_pdf_bytes(closeout.season_disposition(season)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(season, "pdf")}"'
    return response


@login_required
def season_closeout_xlsx(request, season_id: int):
    season = get_season_for_user(request.user, season_id)
    response = download(closeout_tables(closeout.season_disposition(season)), "xlsx", "")
    response["Content-Disposition"] = f'attachment; filename="{_filename(season, "xlsx")}"'
    return response


urlpatterns = [
    path("seasons/<int:season_id>/closeout/", season_closeout, name="season_closeout"),
    path("seasons/<int:season_id>/closeout/close/", season_close, name="season_close"),
    path("seasons/<int:season_id>/closeout.csv", season_closeout_csv, name="season_closeout_csv"),
    path("seasons/<int:season_id>/closeout.pdf", season_closeout_pdf, name="season_closeout_pdf"),
    path("seasons/<int:season_id>/closeout.xlsx", season_closeout_xlsx, name="season_closeout_xlsx"),
]
