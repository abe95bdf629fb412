"""Cheque list as PDF: the cheques to write (or to check against those printed), one row per payee with
the name and address, the amount in figures and in French words, the claims paid and the reference; the
total at the bottom; on every page the fiduciary and the batch reference.

Amounts in words follow the traditional French rules (Office québécois de la langue française, « Nombres
en lettres »): hyphens inside the tens (« quatre-vingt-un ») but « et » with one and eleven
(« vingt et un », « soixante et onze »); « vingt » and « cent » take an s when multiplied and last
(« quatre-vingts », « deux cents ») but not when followed by another number or by « mille »
(« deux cent un », « deux cent mille »); « mille » never varies; « million » and « milliard » are nouns
(« deux millions », « un million de dollars »).
"""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from . import PaymentFile

FILENAME_SUFFIX = ".pdf"
CONTENT_TYPE = "application/pdf"

_UNITS = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
    "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize",
)  # fmt: skip
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def number_in_words(number: int) -> str:
    """A whole number in French words: 81 → « quatre-vingt-un », 200 → « deux cents »."""
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        raise ValueError(f"Only whole numbers from zero up can be written in words, not {number!r}.")
    if number == 0:
        return _UNITS[0]
    parts = []
    for size, noun in ((10**9, "milliard"), (10**6, "million")):
        count, number = divmod(number, size)
        if count:
            parts.append(f"{number_in_words(count)} {noun}{'s' if count > 1 else ''}")
    thousands, number = divmod(number, 1000)
    if thousands:
        parts.append("mille" if thousands == 1 else f"{_below_thousand(thousands, last=False)} mille")
    if number:
        parts.append(_below_thousand(number, last=True))
    return " ".join(parts)


def amount_in_words(cents: int) -> str:
    """An amount of integer cents in French words: 12345 → « cent vingt-trois dollars et quarante-cinq cents »."""
    if not isinstance(cents, int) or isinstance(cents, bool) or cents < 0:
        raise ValueError(f"The amount must be whole cents from zero up, not {cents!r}.")
    dollars, rest = divmod(cents, 100)
    cents_words = f"{number_in_words(rest)} cent{'s' if rest > 1 else ''}"
    if dollars == 0 and rest:
        return cents_words
    words = number_in_words(dollars)
    unit = "dollars" if dollars > 1 else "dollar"
    # A noun number takes « de »: « un million de dollars », but « un million deux cents dollars ».
    of = "de " if words.endswith(("million", "millions", "milliard", "milliards")) else ""
    dollars_words = f"{words} {of}{unit}"
    return f"{dollars_words} et {cents_words}" if rest else dollars_words


def _below_hundred(number: int) -> str:
    if number < 17:
        return _UNITS[number]
    if number < 20:
        return f"dix-{_UNITS[number - 10]}"
    tens, unit = divmod(number, 10)
    if tens == 7:
        return "soixante et onze" if unit == 1 else f"soixante-{_below_hundred(10 + unit)}"
    if tens == 8:
        return "quatre-vingts" if unit == 0 else f"quatre-vingt-{_UNITS[unit]}"
    if tens == 9:
        return f"quatre-vingt-{_below_hundred(10 + unit)}"
    if unit == 0:
        return _TENS[tens]
    if unit == 1:
        return f"{_TENS[tens]} et un"
    return f"{_TENS[tens]}-{_UNITS[unit]}"


def _below_thousand(number: int, *, last: bool) -> str:
    """1..999; `last` is false before « mille », which takes away the plural s of vingt and cent."""
    hundreds, rest = divmod(number, 100)
    if not hundreds:
        words = _below_hundred(rest)
    elif not rest:
        words = "cent" if hundreds == 1 else f"{_UNITS[hundreds]} cent{'s' if last else ''}"
    else:
        words = ("cent" if hundreds == 1 else f"{_UNITS[hundreds]} cent") + " " + _below_hundred(rest)
    if not last and words.endswith("quatre-vingts"):
        words = words[:-1]
    return words


def figures(cents: int) -> str:
    """French-Canadian figures: 123456 → « 1 234,56 $ » (non-breaking spaces)."""
    dollars, rest = divmod(cents, 100)
    return f"{dollars:,}".replace(",", "\u00a0") + f",{rest:02d}\u00a0$"


def french_date(date) -> str:
    day = "1er" if date.day == 1 else str(date.day)
    return f"{day} {_MONTHS[date.month - 1]} {date.year}"


def render(payment_file: PaymentFile) -> bytes:
    if payment_file.currency != "CAD":
        raise ValueError(f"Cheques are written in Canadian dollars, not {payment_file.currency}.")
    if not payment_file.payees:
        raise ValueError("A cheque list needs at least one payee.")
    for payee in payment_file.payees:
        if not isinstance(payee.amount_cents, int) or isinstance(payee.amount_cents, bool) or payee.amount_cents < 1:
            raise ValueError(f"The amount for {payee.name} must be at least one whole cent.")

    cell = ParagraphStyle("cell", fontName="Helvetica", fontSize=9, leading=11)
    bold = ParagraphStyle("bold", parent=cell, fontName="Helvetica-Bold")
    right = ParagraphStyle("right", parent=cell, alignment=2)
    right_bold = ParagraphStyle("right_bold", parent=bold, alignment=2)

    def text(value: str, style=cell) -> Paragraph:
        return Paragraph(escape(value).replace("\n", "<br/>"), style)

    labels = ("Bénéficiaire", "Montant", "Montant en lettres", "Réclamations", "Référence")
    header = [text(label, bold) for label in labels]
    rows = [header]
    for payee in payment_file.payees:
        who = f"<b>{escape(payee.name)}</b>"
        if payee.address.strip():
            who += "<br/>" + escape(payee.address.strip()).replace("\n", "<br/>")
        rows.append(
            [
                Paragraph(who, cell),
                text(figures(payee.amount_cents), right),
                text(amount_in_words(payee.amount_cents)),
                text(", ".join(payee.claims)),
                text(payee.reference),
            ]
        )
    total = payment_file.total_cents
    count = len(payment_file.payees)
    rows.append(
        [
            text(f"Total ({count} chèque{'s' if count > 1 else ''})", bold),
            text(figures(total), right_bold),
            text(amount_in_words(total), bold),
            "",
            "",
        ]
    )

    table = Table(rows, colWidths=[2.6 * inch, 1.1 * inch, 3.0 * inch, 1.7 * inch, 1.6 * inch], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEBELOW", (0, 1), (-1, -2), 0.25, colors.grey),
                ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )

    originator = payment_file.originator.name
    subtitle = f"Liste des chèques – lot {payment_file.reference} – paiement du {french_date(payment_file.payment_on)}"

    def page_header(canvas, document):
        canvas.saveState()
        width, height = document.pagesize
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawString(document.leftMargin, height - 0.5 * inch, originator)
        canvas.setFont("Helvetica", 10)
        canvas.drawString(document.leftMargin, height - 0.5 * inch - 14, subtitle)
        canvas.drawRightString(width - document.rightMargin, height - 0.5 * inch, f"Page {document.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(letter),
        leftMargin=0.5 * inch,
        rightMargin=0.5 * inch,
        topMargin=1.0 * inch,
        bottomMargin=0.5 * inch,
        title=f"Chèques {payment_file.reference}",
        author=originator,
        invariant=True,  # same file for the same batch: no creation time or random id inside
    )
    document.build([table], onFirstPage=page_header, onLaterPages=page_header)
    return buffer.getvalue()
