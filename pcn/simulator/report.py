"""A scenario's figures as the page, the XLSX workbook and the PDF show them, and the comparison of several
scenarios side by side (same rows, one column each). Every figure comes from `budget.simulate`.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcn.funding.report import _footer_canvas, _pdf_text  # the funder report's PDF helpers: one look for every PDF
from pcn.lib.money import format_cents
from pcn.programs.models import Season
from pcn.reports import charts
from pcn.reports.tables import COUNT, DATE, MONEY, TEXT, Column, Table
from pcn.simulator.budget import Result
from pcn.programs.forms import household_size_label
from pcn.simulator.models import BudgetScenario


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    kind: str  # MONEY or COUNT
    value: Callable[[Result], int]
    strong: bool = False


FIGURES = [
    Figure("households_entered", gettext_lazy("Ménages inscrits au scénario"), COUNT, lambda r: r.households_entered),
    Figure("households_served", gettext_lazy("Ménages qui peuvent être servis"), COUNT, lambda r: r.households_served,
           strong=True),
    Figure("households_not_served", gettext_lazy("Ménages que le budget ne couvre pas"), COUNT,
           lambda r: r.households_not_served),
    Figure("budget", gettext_lazy("Budget (toutes les subventions)"), MONEY, lambda r: r.budget_cents, strong=True),
    Figure("operations", gettext_lazy("Fonctionnement"), MONEY, lambda r: r.operations_cents),
    Figure("bonus", gettext_lazy("Bonifications du volet grand public"), MONEY, lambda r: r.public_sale_bonus_cents),
    Figure("printing", gettext_lazy("Impression des coupons"), MONEY, lambda r: r.printing_cents),
    Figure("served_value", gettext_lazy("Coupons remis aux ménages servis"), MONEY, lambda r: r.served_value_cents),
    Figure("left_over", gettext_lazy("Reste du budget"), MONEY, lambda r: r.left_over_cents, strong=True),
    Figure("extra_needed", gettext_lazy("Manque pour servir tous les ménages inscrits"), MONEY,
           lambda r: r.extra_needed_cents),
    Figure("public_face", gettext_lazy("Coupons vendus au grand public"), MONEY, lambda r: r.public_sale_face_cents),
    Figure("public_revenue", gettext_lazy("Payé par les acheteurs"), MONEY, lambda r: r.public_sale_revenue_cents),
    Figure("to_pay", gettext_lazy("À payer aux marchands (prévu)"), MONEY, lambda r: r.to_pay_cents, strong=True),
    Figure("peak_week", gettext_lazy("Semaine la plus chargée"), MONEY,
           lambda r: r.peak_week.to_pay_cents if r.peak_week else 0),
    Figure("outstanding", gettext_lazy("Encore en circulation à la fin de la saison"), MONEY,
           lambda r: r.outstanding_cents, strong=True),
    Figure("coupons_to_print", gettext_lazy("Coupons à imprimer"), COUNT, lambda r: r.coupons_to_print),
    Figure("periods", gettext_lazy("Remises par ménage"), COUNT, lambda r: len(r.periods)),
]

# What each figure means (page, PDF): the computation in plain words.
WORDS = [
    (gettext_lazy("Ménages qui peuvent être servis"), gettext_lazy(
        "Chaque ménage coûte la pleine valeur de ses coupons pour la saison, plus leur impression : tout coupon "
        "remis peut revenir. Si le budget disponible ne couvre pas tous les ménages inscrits, on garde le même "
        "mélange de tailles, chaque taille réduite dans la même proportion (arrondi vers le bas), puis on ajoute "
        "un ménage là où il reste le plus, et encore d'autres tant que l'argent qui reste le permet.")),
    (gettext_lazy("Disponible pour les ménages"), gettext_lazy(
        "Budget − fonctionnement − bonifications du volet grand public − impression des coupons vendus au grand "
        "public.")),
    (gettext_lazy("Fonctionnement"), gettext_lazy(
        "Budget × la part pour le fonctionnement, arrondi au cent le plus proche.")),
    (gettext_lazy("Bonifications du volet grand public"), gettext_lazy(
        "Pour chaque vente, la valeur des coupons moins ce que l'acheteur paie : le budget paie cette différence.")),
    (gettext_lazy("Reste du budget"), gettext_lazy(
        "Disponible pour les ménages − ce que coûtent les ménages servis. Budget = fonctionnement + "
        "bonifications + impression + coupons remis aux ménages servis + reste, au cent près.")),
    (gettext_lazy("À payer aux marchands"), gettext_lazy(
        "Les coupons dépensés × le taux d'échange attendu. On suppose que les ménages dépensent leurs coupons la "
        "semaine où ils les reçoivent, et que les coupons du grand public sont dépensés également au fil des "
        "semaines. Chaque semaine est arrondie sur le total cumulé, pour que les semaines fassent le total au "
        "cent près.")),
    (gettext_lazy("Encore en circulation à la fin de la saison"), gettext_lazy(
        "Coupons remis ou vendus − ce qui est prévu d'être payé aux marchands : les coupons qui ne devraient pas "
        "revenir. Si tous revenaient quand même, le programme devrait encore ce montant ; le budget le couvre, "
        "car chaque ménage est compté à la pleine valeur de ses coupons.")),
]


def money(cents: int | None, language: str | None = None) -> str:
    return "" if cents is None else format_cents(cents, language or get_language() or "fr")


def frequency_label(code: str) -> str:
    return str(dict(Season.Frequency.choices).get(code, code))


def input_rows(scenario: BudgetScenario) -> list[tuple[str, str]]:
    """The scenario's inputs in words, as (what, value)."""
    inputs = scenario.inputs()
    rows = [(str(_("Subvention : %(name)s") % {"name": g.name}), money(g.amount_cents)) for g in inputs.grants]
    rows += [
        (_("Première remise"), date_format(inputs.starts_on)),
        (_("Nombre de semaines"), str(inputs.weeks)),
        (_("Fréquence des remises"), frequency_label(inputs.frequency)),
    ]
    for size, cents in enumerate(inputs.entitlement_cents, start=1):
        rows.append((str(_("Montant par remise, %(size)s") % {"size": household_size_label(size, or_more=size == inputs.cap)}),
                     money(cents)))
    rows += [
        (_("Valeurs des coupons"), ", ".join(money(d) for d in sorted(inputs.denominations_cents))),
        (_("Taux d'échange attendu"), f"{inputs.redemption_rate_percent}\u00a0%"),
        (_("Coût d'impression par coupon"), money(inputs.printing_cost_cents)),
        (_("Ventes au grand public"), str(inputs.public_sales)),
    ]
    if inputs.public_sales:
        rows.append((_("Chaque acheteur paie, et reçoit"),
                     f"{money(inputs.public_sale_price_cents)} → {money(inputs.public_sale_face_cents)}"))
    rows.append((_("Part du budget pour le fonctionnement"), f"{inputs.operations_percent}\u00a0%"))
    return [(str(k), v) for k, v in rows]


def figures_tables(result: Result) -> list[Table]:
    money_rows = [{"what": str(f.label), "value": f.value(result)} for f in FIGURES if f.kind == MONEY]
    count_rows = [{"what": str(f.label), "value": f.value(result)} for f in FIGURES if f.kind == COUNT]
    return [
        Table(title=_("Ménages et coupons"), slug="menages",
              columns=[Column("what", _("Chiffre")), Column("value", _("Nombre"), COUNT)], rows=count_rows),
        Table(title=_("Argent"), slug="argent",
              columns=[Column("what", _("Chiffre")), Column("value", _("Montant"), MONEY)], rows=money_rows),
    ]


def weeks_table(result: Result) -> Table:
    rows = [{"number": w.number, "starts_on": w.starts_on, "handed_out": w.handed_out_cents,
             "public": w.public_spent_cents, "from_households": w.from_households_cents,
             "from_public": w.from_public_cents, "to_pay": w.to_pay_cents, "cumulative": w.cumulative_cents}
            for w in result.weeks]
    total = {"number": str(_("Total")), "handed_out": sum(w.handed_out_cents for w in result.weeks),
             "public": sum(w.public_spent_cents for w in result.weeks),
             "from_households": result.to_pay_households_cents, "from_public": result.to_pay_public_cents,
             "to_pay": result.to_pay_cents}
    return Table(
        title=_("Semaine par semaine"), slug="semaines", rows=rows, total=total,
        columns=[Column("number", _("Semaine"), COUNT), Column("starts_on", _("Début"), DATE),
                 Column("handed_out", _("Remis aux ménages"), MONEY),
                 Column("public", _("Coupons du grand public dépensés"), MONEY),
                 Column("from_households", _("À payer : coupons des ménages"), MONEY),
                 Column("from_public", _("À payer : coupons du grand public"), MONEY),
                 Column("to_pay", _("À payer aux marchands"), MONEY),
                 Column("cumulative", _("Cumul"), MONEY)],
    )


def coupons_table(result: Result) -> Table:
    rows = [{"value": money(c.value_cents), "entered": c.entered, "served": c.served, "public": c.public_sale,
             "to_print": c.to_print, "to_print_value": c.to_print * c.value_cents} for c in result.coupons]
    total = {"value": str(_("Total")), "entered": sum(c.entered for c in result.coupons),
             "served": sum(c.served for c in result.coupons), "public": sum(c.public_sale for c in result.coupons),
             "to_print": result.coupons_to_print,
             "to_print_value": sum(c.to_print * c.value_cents for c in result.coupons)}
    return Table(
        title=_("Coupons à imprimer"), slug="coupons", rows=rows, total=total,
        columns=[Column("value", _("Coupon de")), Column("entered", _("Pour tous les ménages inscrits"), COUNT),
                 Column("served", _("Pour les ménages servis"), COUNT),
                 Column("public", _("Pour le grand public"), COUNT),
                 Column("to_print", _("À imprimer (servis + grand public)"), COUNT),
                 Column("to_print_value", _("Valeur à imprimer"), MONEY)],
    )


def sizes_table(result: Result) -> Table:
    rows = [{"size": household_size_label(s.size, or_more=s.or_more), "per_period": s.per_period_cents, "periods": s.periods,
             "season": s.season_cents, "coupons": s.coupons_per_household, "cost": s.cost_cents,
             "entered": s.entered, "served": s.served} for s in result.sizes]
    total = {"size": str(_("Total")), "entered": result.households_entered, "served": result.households_served}
    return Table(
        title=_("Par taille de ménage"), slug="tailles", rows=rows, total=total,
        columns=[Column("size", _("Ménage de")), Column("per_period", _("Par remise"), MONEY),
                 Column("periods", _("Remises"), COUNT), Column("season", _("Pour la saison"), MONEY),
                 Column("coupons", _("Coupons par ménage"), COUNT),
                 Column("cost", _("Coût d'un ménage (avec l'impression)"), MONEY),
                 Column("entered", _("Inscrits"), COUNT), Column("served", _("Servis"), COUNT)],
    )


def inputs_table(scenario: BudgetScenario) -> Table:
    return Table(title=_("Données du scénario"), slug="donnees",
                 columns=[Column("what", _("Donnée")), Column("value", _("Valeur"))],
                 rows=[{"what": k, "value": v} for k, v in input_rows(scenario)])


def scenario_tables(scenario: BudgetScenario, result: Result) -> list[Table]:
    return [*figures_tables(result), weeks_table(result), coupons_table(result), sizes_table(result),
            inputs_table(scenario)]


def week_label(week) -> str:
    return date_format(week.starts_on, "j N")


def weekly_chart(result: Result, *, width: float = charts.WIDTH, fmt=None) -> charts.Chart:
    return charts.columns(
        _("Argent à payer aux marchands, semaine par semaine"),
        [week_label(w) for w in result.weeks],
        [(_("Remis aux ménages"), [w.handed_out_cents for w in result.weeks]),
         (_("À payer aux marchands"), [w.to_pay_cents for w in result.weeks])],
        fmt or money, width=width,
    )


# Comparison


def compare_rows(results: list[Result]) -> list[dict]:
    """[{label, kind, values (one per scenario), strong}] for the figures, then coupons per value."""
    rows = [{"label": str(f.label), "kind": f.kind, "values": [f.value(r) for r in results], "strong": f.strong}
            for f in FIGURES]
    values = sorted({c.value_cents for r in results for c in r.coupons}, reverse=True)
    for value in values:
        counts = [next((c.to_print for c in r.coupons if c.value_cents == value), 0) for r in results]
        rows.append({"label": str(_("Coupons de %(value)s à imprimer") % {"value": money(value)}), "kind": COUNT,
                     "values": counts, "strong": False})
    return rows


def compare_input_rows(scenarios: list[BudgetScenario]) -> list[dict]:
    """The inputs side by side: rows by their label, a blank where a scenario has no such row."""
    per = [dict(input_rows(s)) for s in scenarios]
    labels = list(dict.fromkeys(k for rows in per for k in rows))
    return [{"label": k, "kind": TEXT, "values": [rows.get(k, "") for rows in per], "strong": False} for k in labels]


def compare_tables(scenarios: list[BudgetScenario], results: list[Result]) -> list[Table]:
    def table(title, slug, kind, rows):
        columns = [Column("what", _("Chiffre"))] + [Column(f"s{i}", s.name, kind) for i, s in enumerate(scenarios)]
        return Table(title=title, slug=slug, columns=columns,
                     rows=[{"what": r["label"], **{f"s{i}": v for i, v in enumerate(r["values"])}} for r in rows])
    rows = compare_rows(results)
    return [
        table(_("Ménages et coupons"), "menages", COUNT, [r for r in rows if r["kind"] == COUNT]),
        table(_("Argent"), "argent", MONEY, [r for r in rows if r["kind"] == MONEY]),
        table(_("À payer, semaine par semaine"), "semaines", MONEY, [
            {"label": str(_("Semaine %(n)s") % {"n": n + 1}),
             "values": [r.weeks[n].to_pay_cents if n < len(r.weeks) else None for r in results]}
            for n in range(max(len(r.weeks) for r in results))]),
        table(_("Données des scénarios"), "donnees", TEXT, compare_input_rows(scenarios)),
    ]


def compare_chart(scenarios: list[BudgetScenario], results: list[Result], *, width: float = charts.WIDTH,
                  fmt=None) -> charts.Chart:
    most = max(len(r.weeks) for r in results)
    return charts.columns(
        _("À payer aux marchands, semaine par semaine"),
        [str(n + 1) for n in range(most)],
        [(s.name, [r.weeks[n].to_pay_cents if n < len(r.weeks) else 0 for n in range(most)])
         for s, r in zip(scenarios, results, strict=True)],
        fmt or money, width=width,
    )


# PDF


def _pdf(title: str, subtitle: str, build_story) -> bytes:
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
    styles = getSampleStyleSheet()
    for name in ("Heading2", "Heading3"):
        styles[name].keepWithNext = 1
    small = ParagraphStyle("small", parent=styles["Normal"], fontSize=8.5, leading=11)
    right = ParagraphStyle("right", parent=small, alignment=TA_RIGHT)
    width = letter[0] - 1.5 * inch

    def para(text, style=None):
        return Paragraph(escape(_pdf_text(text)), style or styles["Normal"])

    def cell(kind, value):
        if value is None:
            return ""
        if kind == MONEY:
            return _pdf_text(format_cents(value, language))
        if kind == COUNT:
            return f"{value:,}".replace(",", "\u00a0" if french else ",") if isinstance(value, int) else str(value)
        if kind == DATE and hasattr(value, "isoformat"):
            return date_format(value, "j N")
        return para(value, small)

    def pdf_table(columns: list[tuple[str, str]], rows: list[list], *, widths=None, total=False, strong=()):
        """columns: [(label, kind)]; rows: values in the columns' order."""
        head = [para(label, small) if kind == TEXT else Paragraph(escape(_pdf_text(label)), right)
                for label, kind in columns]
        body = [[cell(kind, v) for (_label, kind), v in zip(columns, row, strict=True)] for row in rows]
        t = PdfTable([head] + body, colWidths=widths, repeatRows=1, hAlign="LEFT")
        style = [("FONT", (0, 0), (-1, -1), "Helvetica", 8.5), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                 ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        style += [("ALIGN", (i, 0), (i, -1), "RIGHT") for i, (_l, kind) in enumerate(columns) if kind != TEXT]
        if total:
            style.append(("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 8.5))
        style += [("FONT", (0, i + 1), (-1, i + 1), "Helvetica-Bold", 8.5) for i in strong]
        t.setStyle(TableStyle(style))
        return t

    def from_table(table: Table, widths=None):
        body = table.rows + ([table.total] if table.total else [])
        return pdf_table([(str(c.label), c.kind) for c in table.columns], [table.cells(r) for r in body],
                         widths=widths, total=bool(table.total))

    def chart(c: charts.Chart):
        return KeepTogether([para(c.title, styles["Heading3"]),
                             c.drawing(width=width, font="Helvetica")])

    def words():
        out = [para(_("Comment c'est calculé"), styles["Heading2"])]
        for word, meaning in WORDS:
            sep = " : " if french else ": "
            out.append(Paragraph(f"<b>{escape(_pdf_text(word))}</b>{sep}{escape(_pdf_text(meaning))}", small))
            out.append(Spacer(1, 3))
        return out

    tools = {"para": para, "styles": styles, "small": small, "width": width, "pdf_table": pdf_table,
             "from_table": from_table, "chart": chart, "words": words, "Spacer": Spacer, "inch": inch,
             "money": lambda v: _pdf_text(format_cents(v, language))}
    today = timezone.localdate()
    story = [para(title, styles["Title"]), para(subtitle, styles["Heading2"]),
             para(_("Produit le %(day)s") % {"day": date_format(today)}), Spacer(1, 0.15 * inch)]
    story += build_story(tools)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=letter, title=_pdf_text(f"{title} · {subtitle}"),
                                 leftMargin=0.75 * inch, rightMargin=0.75 * inch, topMargin=0.75 * inch,
                                 bottomMargin=0.85 * inch)
    footer = _pdf_text(_("%(title)s · %(subtitle)s · produit le %(day)s") % {
        "title": title, "subtitle": subtitle, "day": date_format(today)})
    document.build(story, canvasmaker=_footer_canvas(footer, _("Page %(page)s de %(pages)s")))
    return buffer.getvalue()


def scenario_pdf(scenario: BudgetScenario, result: Result) -> bytes:
    def story(t):
        width, inch = t["width"], t["inch"]
        out = [t["para"](_("Simulateur de budget · %(program)s") % {"program": scenario.program.name}, t["small"]),
               t["Spacer"](1, 0.1 * inch)]
        for table in figures_tables(result):
            out += [t["para"](table.title, t["styles"]["Heading2"]),
                    t["from_table"](table, [width - 1.8 * inch, 1.8 * inch])]
        out += [t["Spacer"](1, 0.15 * inch), t["chart"](weekly_chart(result, width=width, fmt=t["money"])),
                t["para"](_("Semaines de sept jours à partir de la première remise."), t["small"])]
        weeks = weeks_table(result)
        out += [t["para"](weeks.title, t["styles"]["Heading2"]), t["from_table"](weeks)]
        for table in (coupons_table(result), sizes_table(result), inputs_table(scenario)):
            out += [t["para"](table.title, t["styles"]["Heading2"]), t["from_table"](table)]
        return out + t["words"]()

    return _pdf(str(_("Scénario de budget")), scenario.name, story)


def compare_pdf(program, scenarios: list[BudgetScenario], results: list[Result]) -> bytes:
    def story(t):
        width, inch = t["width"], t["inch"]
        label_w = 2.4 * inch
        col_w = (width - label_w) / len(scenarios)
        out = []
        rows = compare_rows(results)
        for kind, title in ((COUNT, _("Ménages et coupons")), (MONEY, _("Argent"))):
            chosen = [r for r in rows if r["kind"] == kind]
            cols = [("", TEXT)] + [(s.name, kind) for s in scenarios]
            out += [t["para"](title, t["styles"]["Heading2"]),
                    t["pdf_table"](cols, [[r["label"]] + r["values"] for r in chosen],
                                   widths=[label_w] + [col_w] * len(scenarios),
                                   strong=[i for i, r in enumerate(chosen) if r["strong"]])]
        out += [t["Spacer"](1, 0.15 * inch), t["chart"](compare_chart(scenarios, results, width=width,
                                                                       fmt=t["money"])),
                t["para"](_("Semaines de sept jours à partir de la première remise de chaque scénario."), t["small"])]
        inputs = compare_input_rows(scenarios)
        out += [t["para"](_("Données des scénarios"), t["styles"]["Heading2"]),
                t["pdf_table"]([("", TEXT)] + [(s.name, TEXT) for s in scenarios],
                               [[r["label"]] + r["values"] for r in inputs],
                               widths=[label_w] + [col_w] * len(scenarios))]
        return out + t["words"]()

    return _pdf(str(_("Comparaison de scénarios")), program.name, story)


def pdf_filename(name: str) -> str:
    return f"{slugify(name) or 'scenario'}.pdf"
