"""The report a funder (bailleur de fonds) receives on its grant, as a letter-size PDF in the reader's language.

What a funder asks of a grant report, in plain words: who received the money and for what (the program, the
funder, the grant's amount, period and uses); where the money stands (the grant's figures, the same as on the
grant's page, from `selectors.grant_figures`); what happened season by season (`selectors.grant_seasons`);
whom it reached (the season's households and people, from the report facts, said plainly to be the season's
when other money pays for coupons in the same season); the operating expenses; and what each figure means.
Two charts: the budget against what was committed, handed out, redeemed and paid; and the value redeemed
week by week.

ReportLab's standard Helvetica (WinAnsiEncoding) prints French accents, « », ’ and the no-break space that
amounts use; characters outside that encoding are replaced before printing (`_pdf_text`).
"""

import datetime
import io
from xml.sax.saxutils import escape

from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcn.funding import selectors, tables
from pcn.funding.models import Grant
from pcn.lib.money import format_cents
from pcn.reports import charts
from pcn.reports.tables import COUNT, MONEY, TEXT, Table

# What each figure means (the same sentences as the pages' « Ce que veulent dire ces chiffres »).
WORDS = [
    (gettext_lazy("Budget"), gettext_lazy("Le montant accordé par le bailleur de fonds.")),
    (gettext_lazy("Engagé (coupons émis)"), gettext_lazy(
        "La valeur des coupons émis sur cette subvention, moins ceux annulés (perdus, volés, détruits) et ceux "
        "vendus au grand public (le prix payé et la bonification les paient).")),
    (gettext_lazy("Bonifications (grand public)"), gettext_lazy(
        "Aux ventes au grand public, la différence entre la valeur des coupons et le prix payé : la subvention "
        "la paie.")),
    (gettext_lazy("Fonctionnement"), gettext_lazy(
        "Les dépenses inscrites sur la subvention (impression, coordination…), corrections comprises.")),
    (gettext_lazy("Reste du budget"), gettext_lazy("Budget moins engagé, bonifications et fonctionnement.")),
    (gettext_lazy("Remis aux ménages ou vendus"), gettext_lazy(
        "La valeur des coupons remis à un ménage ou vendus au grand public, qu'ils aient été échangés depuis ou "
        "non.")),
    (gettext_lazy("Échangés chez les marchands"), gettext_lazy(
        "La valeur des coupons que les marchands ont acceptés.")),
    (gettext_lazy("Payés aux marchands"), gettext_lazy(
        "Ce que les marchands ont reçu pour ces coupons : les lignes de réclamation non refusées, dans un lot "
        "payé.")),
    (gettext_lazy("Échangés, à payer"), gettext_lazy(
        "Les échanges que le programme doit payer aux marchands, pas encore payés ni refusés.")),
    (gettext_lazy("Encore chez les ménages ou les acheteurs"), gettext_lazy(
        "Les coupons remis ou vendus, ni échangés ni expirés : ils peuvent encore être présentés à un marchand.")),
    (gettext_lazy("Ce qui peut encore être réclamé"), gettext_lazy(
        "Encore chez les ménages ou les acheteurs + échangés, à payer : le plus que le programme pourrait encore "
        "devoir.")),
    (gettext_lazy("Expirés à la fermeture"), gettext_lazy(
        "Les coupons remis ou vendus qui n'ont pas été échangés avant la fin de la saison.")),
    (gettext_lazy("Revenus de la vente au grand public"), gettext_lazy(
        "Ce que les citoyens ont payé pour leurs coupons.")),
]

# Characters a cp1252 font cannot print, and what stands in for them.
_REPLACE = str.maketrans({"\u2212": "-", "\u202f": "\u00a0", "\u2192": "->", "\u2713": "v"})


def _pdf_text(text) -> str:
    return str(text).translate(_REPLACE)


def season_reach(season, *, by) -> dict:
    """Households reached and their people in the season, from its report facts (the dashboards' rule:
    given coupons or a card credit at least once), and when those facts were computed; `built_at` None when
    they are not computed yet (a big season's are being prepared by the worker)."""
    from pcn.reports.models import Fact, Measure
    from pcn.reports.snapshot import current_snapshot

    snapshot, _pending = current_snapshot(season, by=by)
    if snapshot is None:
        return {"built_at": None, "households": None, "people": None}
    sums = dict(Fact.objects.filter(season=season, measure__in=[Measure.REACHED, Measure.PEOPLE])
                .values_list("measure").annotate(n=Sum("count")).order_by())
    return {"built_at": snapshot.built_at, "households": sums.get(Measure.REACHED, 0),
            "people": sums.get(Measure.PEOPLE, 0)}


def _weeks(rows: list[tuple]) -> list[tuple]:
    """Every week from the first to the last, with 0 where nothing was redeemed (so the chart keeps time)."""
    if not rows:
        return []
    values = dict(rows)
    week, last, out = rows[0][0], rows[-1][0], []
    while week <= last:
        out.append((week, values.get(week, 0)))
        week += datetime.timedelta(days=7)
    return out


def grant_report_filename(grant: Grant) -> str:
    return f"rapport-{slugify(grant.program.name)}-{slugify(grant.name)}.pdf"


def grant_report_pdf(grant: Grant, *, by) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable
    from reportlab.platypus import TableStyle

    language = get_language() or "fr"
    french = language.startswith("fr")

    def money(cents) -> str:
        return "" if cents is None else format_cents(cents, language)

    def number(n) -> str:
        return "" if n is None else f"{n:,}".replace(",", "\u00a0" if french else ",")

    def cell(kind, value) -> str:
        if kind == MONEY:
            return money(value)
        if kind == COUNT:
            return number(value)
        return _pdf_text("" if value is None else value)

    styles = getSampleStyleSheet()  # a new sheet each call: changing it here changes no other PDF
    for name in ("Heading2", "Heading3"):
        styles[name].keepWithNext = 1
    small = ParagraphStyle("small", parent=styles["Normal"], fontSize=8.5, leading=11)
    right = ParagraphStyle("right", parent=small, alignment=TA_RIGHT)

    def para(text, style=None) -> Paragraph:
        return Paragraph(escape(_pdf_text(text)), style or styles["Normal"])

    grid = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 9), ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]

    def pdf_table(table: Table, widths, *, bold_rows=()) -> PdfTable:
        """A Table as the PDF shows it: its header, its rows, its total in bold."""
        rows = [[para(c.label, small) if c.kind == TEXT else Paragraph(escape(_pdf_text(c.label)), right)
                 for c in table.columns]]
        body = table.rows + ([table.total] if table.total else [])
        rows += [[cell(c.kind, r.get(c.key)) for c in table.columns] for r in body]
        t = PdfTable(rows, colWidths=widths, repeatRows=1)
        style = list(grid) + [("ALIGN", (i, 0), (i, -1), "LEFT") for i, c in enumerate(table.columns)
                              if c.kind == TEXT]
        if table.total:
            style.append(("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 9))
        style += [("FONT", (0, i + 1), (-1, i + 1), "Helvetica-Bold", 9) for i in bold_rows]
        t.setStyle(TableStyle(style))
        return t

    def transposed(table: Table, widths) -> PdfTable:
        """A wide table turned on its side: one row per money column, one column per row of the table."""
        body = table.rows + ([table.total] if table.total else [])
        first = table.columns[0]
        rows = [[""] + [Paragraph(escape(_pdf_text(r.get(first.key))), right) for r in body]]
        rows += [[para(c.label, small)] + [cell(c.kind, r.get(c.key)) for r in body] for c in table.columns[1:]]
        t = PdfTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
        style = list(grid)
        if table.total:
            style.append(("FONT", (-1, 1), (-1, -1), "Helvetica-Bold", 9))
        t.setStyle(TableStyle(style))
        return t

    program, funder = grant.program, grant.funder
    figures = selectors.grant_figures([grant])[grant.pk]
    seasons = selectors.grant_seasons(grant)
    expenses = list(tables.grant_expenses(grant))
    width = letter[0] - 1.5 * inch
    today = timezone.localdate()

    story = [
        para(_("Rapport au bailleur de fonds"), styles["Title"]),
        para(grant.name, styles["Heading2"]),
        para(_("État au %(day)s") % {"day": date_format(today)}),
        Spacer(1, 0.15 * inch),
    ]
    period = _("du %(start)s au %(end)s") % {"start": date_format(grant.starts_on), "end": date_format(grant.ends_on)}
    about = [
        [_("Programme"), program.name],
        [_("Bailleur de fonds"), funder.name],
        [_("Subvention"), grant.name],
        [_("Montant accordé"), money(grant.amount_cents)],
        [_("Période"), period],
        [_("Elle peut payer"), ", ".join(grant.get_purposes_display())],
        [_("Saisons"), ", ".join(s.name for s, _f in seasons) or _("aucune pour l'instant")],
    ]
    t = PdfTable([[para(k, small), para(v, small)] for k, v in about], colWidths=[1.8 * inch, width - 1.8 * inch])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.lightgrey),
                           ("FONT", (0, 0), (0, -1), "Helvetica-Bold", 9)]))
    story += [t, Spacer(1, 0.2 * inch)]

    # Where the grant stands, and the chart of its money.
    story.append(para(_("Où en est la subvention"), styles["Heading2"]))
    figures_table = tables.grant_figures_table(figures)
    labels = [attr for attr, _label in tables.FIGURES]
    bold = [labels.index("remaining_cents"), labels.index("outstanding_cents")]
    story.append(pdf_table(figures_table, [width - 1.8 * inch, 1.8 * inch], bold_rows=bold))
    if figures.remaining_cents < 0:
        story.append(para(_("La subvention est dépassée : ce qui est engagé dépasse le budget.")))
    bars = charts.bars(
        _("Budget et utilisation"),
        [(str(label), getattr(figures, attr)) for attr, label in (
            ("budget_cents", _("Budget")), ("committed_cents", _("Engagé (coupons émis)")),
            ("distributed_cents", _("Remis aux ménages ou vendus")),
            ("redeemed_cents", _("Échangés chez les marchands")), ("paid_cents", _("Payés aux marchands")),
        )],
        lambda v: _pdf_text(money(v)), width=width * 0.8,
    )
    story += [Spacer(1, 0.15 * inch), KeepTogether([para(bars.title, styles["Heading3"]), bars.drawing()])]

    weekly = _weeks(selectors.grant_redeemed_by_week(grant))
    if weekly:
        chart = charts.columns(
            _("Coupons échangés chez les marchands, par semaine"),
            [date_format(week, "j N") for week, _v in weekly],
            [(_("Valeur échangée"), [v for _w, v in weekly])],
            lambda v: _pdf_text(money(v)), width=width,
        )
        story += [Spacer(1, 0.1 * inch), KeepTogether([
            para(chart.title, styles["Heading3"]), chart.drawing(),
            para(_("Semaines commençant le lundi."), small)])]

    # Season by season.
    story.append(para(_("Par saison"), styles["Heading2"]))
    if seasons:
        seasons_table = tables.grant_seasons_table(seasons, figures)
        n = len(seasons_table.rows) + (1 if seasons_table.total else 0)
        label_w = 2.8 * inch
        story.append(transposed(seasons_table, [label_w] + [min((width - label_w) / n, 1.5 * inch)] * n))
        story.append(para(_("Le budget, le fonctionnement et le reste sont ceux de la subvention, toutes saisons "
                            "confondues."), small))
    else:
        story.append(para(_("Aucune série de coupons ni vente au grand public n'est encore payée par cette "
                            "subvention.")))

    # Reach.
    if seasons:
        story.append(para(_("Ménages rejoints"), styles["Heading2"]))
        reach_rows = [[para(_("Saison"), small), Paragraph(escape(_("Ménages rejoints")), right),
                       Paragraph(escape(_("Personnes dans ces ménages")), right)]]
        notes = []
        for season, _f in seasons:
            reach = season_reach(season, by=by)
            if reach["built_at"] is None:
                reach_rows.append([para(season.name, small), "—", "—"])
                notes.append(_("%(season)s : les chiffres sont en préparation ; ils seront dans le prochain "
                               "rapport.") % {"season": season.name})
                continue
            reach_rows.append([para(season.name, small), number(reach["households"]), number(reach["people"])])
            if selectors.season_other_funding(season, grant):
                notes.append(_("%(season)s : chiffres de toute la saison. D'autres sources paient aussi les coupons "
                               "de cette saison ; on ne peut pas dire quels ménages cette subvention a rejoints à "
                               "elle seule.") % {"season": season.name})
            else:
                notes.append(_("%(season)s : cette subvention paie seule les coupons de la saison ; ces ménages "
                               "sont les siens.") % {"season": season.name})
        t = PdfTable(reach_rows, colWidths=[width - 4 * inch, 2 * inch, 2 * inch], repeatRows=1)
        t.setStyle(TableStyle(grid))
        story.append(t)
        story.append(para(_("Un ménage est rejoint quand il a reçu des coupons (ou un crédit sur sa carte) au moins "
                            "une fois pendant la saison."), small))
        story += [para(n, small) for n in notes]

    # Operating expenses.
    if expenses:
        story.append(para(_("Dépenses de fonctionnement"), styles["Heading2"]))
        table = tables.grant_expenses_table(expenses, with_author=False)
        story.append(pdf_table(table, [1.1 * inch, width - 2.6 * inch, 1.5 * inch]))

    story.append(para(_("Ce que veulent dire ces chiffres"), styles["Heading2"]))
    for word, meaning in WORDS:
        story.append(Paragraph(f"<b>{escape(_pdf_text(word))}</b> : {escape(_pdf_text(meaning))}" if french
                               else f"<b>{escape(_pdf_text(word))}</b>: {escape(_pdf_text(meaning))}", small))

    footer = _pdf_text(_("%(program)s · %(grant)s · produit le %(day)s") % {
        "program": program.name, "grant": grant.name, "day": date_format(today)})
    page_of = _("Page %(page)s de %(pages)s")

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=letter, title=_pdf_text(f"{_('Rapport au bailleur de fonds')} · {grant.name}"),
        author=_pdf_text(program.name), leftMargin=0.75 * inch, rightMargin=0.75 * inch, topMargin=0.75 * inch,
        bottomMargin=0.85 * inch,
    )
    document.build(story, canvasmaker=_footer_canvas(footer, page_of))
    return buffer.getvalue()


def _footer_canvas(footer: str, page_of: str):
    """A canvas that writes, at the foot of each page, `footer` and « Page n de N » (N known at the end)."""
    from reportlab.lib.units import inch
    from reportlab.pdfgen.canvas import Canvas

    class FooterCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                width, _height = self._pagesize
                self.setFont("Helvetica", 8)
                self.setFillGray(0.35)
                self.drawString(0.75 * inch, 0.5 * inch, footer)
                self.drawRightString(width - 0.75 * inch, 0.5 * inch,
                                     _pdf_text(page_of % {"page": number, "pages": total}))
                super().showPage()
            super().save()

    return FooterCanvas
