"""Coupon sheets: letter pages of 10 coupons with cut marks, streamed to a file one page at a time.

No database here: callers turn coupons into `PrintableCoupon`s (a queryset iterated in chunks is fine) and
pass an iterable, so a series of 100,000 coupons prints with flat memory. Everything a series' coupons
share (band, program, value, class, validity, rules) is drawn once as a PDF form and placed on each
coupon; only the code, the QR and the number are drawn per coupon.

A coupon (3.6 × 2 in, 2 columns × 5 rows on the page):

    ┌──────────────────────────────────────────────┐
    │ Program name (on the series colour)          │
    │ 5 $                              ▓▓▓▓▓▓▓▓    │
    │ Class name                       ▓▓ QR ▓▓    │
    │ What it buys                     ▓▓▓▓▓▓▓▓    │
    │ Valide du 13 juin au 5 sept. 2026            │
    │ K7M2-9XQ4-PD3A                 Série 3 · nº 7│
    │ Aucune monnaie rendue · Non échangeable …    │
    └──────────────────────────────────────────────┘

Nothing on a coupon identifies who receives it: solidarity and public-sale coupons look the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

import zxingcpp

from pcn.lib.money import format_cents
from pcn.lib.pdfstream import BLACK, LETTER, WHITE, Colour, Form, PdfWriter, text_width

INCH = 72.0
PAGE_WIDTH, PAGE_HEIGHT = LETTER
COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS
COUPON_WIDTH, COUPON_HEIGHT = 3.6 * INCH, 2.0 * INCH
GRID_LEFT = (PAGE_WIDTH - COLUMNS * COUPON_WIDTH) / 2  # 0.65 in
GRID_BOTTOM = (PAGE_HEIGHT - ROWS * COUPON_HEIGHT) / 2  # 0.5 in

PAD = 10.0  # text keeps this far from the cut lines
BAND = 20.0  # height of the series colour band
BLEED = 3.0  # white between the band and the cut lines
QR_SIDE = 66.0  # the QR symbol without its quiet zone: 2.33 cm; with the zone about 3 cm
QUIET_MODULES = 4  # the quiet zone QR readers expect, in modules
TEXT_RIGHT = COUPON_WIDTH - PAD - QR_SIDE - 12.0  # text on the left stops before the QR's quiet zone

GREY: Colour = (0.55, 0.55, 0.55)
MARK_LENGTH, MARK_GAP = 12.0, 4.0

FRENCH_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juill.", "août", "sept.", "oct.", "nov.", "déc.")
ENGLISH_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")

WORDS = {
    "fr": {
        "rules": "Aucune monnaie rendue · Non échangeable contre de l'argent",
        "number": "{series} · nº {number}",
        "booklet": "Carnet {booklet}",
        "booklet_continued": "Carnet {booklet} (suite)",
        "empty": "Aucun coupon à imprimer.",
        "title": "Coupons",
    },
    "en": {
        "rules": "No change given · Not exchangeable for cash",
        "number": "{series} · No. {number}",
        "booklet": "Booklet {booklet}",
        "booklet_continued": "Booklet {booklet} (continued)",
        "empty": "No coupons to print.",
        "title": "Coupons",
    },
}

# Forms kept for reuse; a print run has a handful of designs, this only bounds a pathological input.
_MAX_DESIGNS = 256


@dataclass(frozen=True)
class PrintableCoupon:
    """What a printed coupon shows. No recipient: the same coupon serves every component."""

    code_display: str  # "K7M2-9XQ4-PD3A"
    url: str  # the QR's content: "https://coupons.example.org/c/K7M29XQ4PD3A"
    value_cents: int
    program_name: str
    class_name: str
    class_products: str  # what the class buys, short: "Légumes, fruits, fines herbes"
    valid_from: date
    valid_until: date
    colour: str  # "#1f6b3a"
    series_label: str  # "Série 3"
    number: int  # the coupon's number in its series
    booklet: int | None = None


def print_coupons(
    coupons: Iterable[PrintableCoupon],
    out: BinaryIO,
    *,
    language: str = "fr",
    booklet_mode: bool = False,
    on_progress: Callable[[int], None] | None = None,
    title: str = "",
) -> int:
    """Write coupon sheets for `coupons`, in their order, as a PDF to `out`; return how many were printed.

    Pages are written as they fill, so memory does not grow with the count. In booklet mode each booklet
    starts a new page headed "Carnet N" (a booklet longer than a page continues on the next ones), so a
    partner can hand a household its booklet as cut. `on_progress(count)` is called each time a page is
    written, with the number of coupons printed so far.

    No coupons: the PDF has one page that says so ("Aucun coupon à imprimer."), rather than no page at all,
    which some viewers and printers refuse; the count returned is 0.
    """
    lang = "en" if language.startswith("en") else "fr"
    words = WORDS[lang]
    count = 0
    slot = PER_PAGE  # the next free place on the current page; PER_PAGE means "no page yet / page full"
    booklet: int | None = None
    designs: dict[tuple, Form] = {}
    page = None

    with PdfWriter(out, title=title or words["title"], producer="pcn") as pdf:
        sheet = _sheet_form(pdf)
        for coupon in coupons:
            new_booklet = booklet_mode and (page is None or coupon.booklet != booklet)
            if slot == PER_PAGE or new_booklet:
                if page is not None:
                    page.finish()
                    if on_progress:
                        on_progress(count)
                page = pdf.page()
                page.draw(sheet)
                slot = 0
                if booklet_mode and coupon.booklet is not None:
                    key = "booklet" if new_booklet else "booklet_continued"
                    page.text(
                        GRID_LEFT + 14,
                        PAGE_HEIGHT - GRID_BOTTOM + 10,
                        words[key].format(booklet=coupon.booklet),
                        "Helvetica-Bold",
                        10,
                    )
                booklet = coupon.booklet

            design_key = (
                coupon.value_cents,
                coupon.program_name,
                coupon.class_name,
                coupon.class_products,
                coupon.valid_from,
                coupon.valid_until,
                coupon.colour,
            )
            design = designs.get(design_key)
            if design is None:
                if len(designs) >= _MAX_DESIGNS:
                    designs.clear()
                design = designs[design_key] = _design_form(pdf, coupon, lang)

            column, row = slot % COLUMNS, slot // COLUMNS
            x = GRID_LEFT + column * COUPON_WIDTH
            y = GRID_BOTTOM + (ROWS - 1 - row) * COUPON_HEIGHT
            page.draw(design, x, y)
            _draw_own_parts(page, coupon, x, y, words)
            slot += 1
            count += 1

        if page is None:
            page = pdf.page()
            page.text(PAGE_WIDTH / 2, PAGE_HEIGHT / 2, words["empty"], "Helvetica", 14, align="center")
        page.finish()
        if on_progress:
            on_progress(count)
    return count


# --- what each coupon has of its own: code, QR, number --------------------------------------------------


def _draw_own_parts(page, coupon: PrintableCoupon, x: float, y: float, words: dict) -> None:
    matrix, columns = qr_matrix(coupon.url)
    module = QR_SIDE / columns
    quiet = QUIET_MODULES * module
    qr_left = x + COUPON_WIDTH - max(PAD, quiet) - QR_SIDE
    qr_bottom = y + COUPON_HEIGHT - BLEED - BAND - quiet - QR_SIDE
    page.modules(matrix, columns, qr_left, qr_bottom, module)

    label = words["number"].format(series=coupon.series_label, number=coupon.number)
    label, size = fit(label, "Helvetica", 6.5, QR_SIDE + 2 * quiet, 5)
    page.text(qr_left + QR_SIDE / 2, qr_bottom - quiet - 5, label, "Helvetica", size, align="center")

    code, size = fit(coupon.code_display, "Courier-Bold", 13, TEXT_RIGHT - PAD, 9)
    page.text(x + PAD, y + 24, code, "Courier-Bold", size)


def qr_matrix(url: str) -> tuple[bytes, int]:
    """The QR symbol for `url` (error correction M, no quiet zone): rows of bytes, 0x00 dark; and its width."""
    image = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M").to_image(
        scale=1, add_quiet_zones=False
    )
    view = memoryview(image)
    return view.tobytes(), view.shape[1]


# --- what a series' coupons share, drawn once ----------------------------------------------------------


def _design_form(pdf: PdfWriter, coupon: PrintableCoupon, lang: str) -> Form:
    form = pdf.form(COUPON_WIDTH, COUPON_HEIGHT)
    colour = parse_colour(coupon.colour)
    # Inset from the cut lines so that a cut a little off leaves white, not a sliver of colour on the neighbour.
    form.rect(BLEED, COUPON_HEIGHT - BAND - BLEED, COUPON_WIDTH - 2 * BLEED, BAND, fill=colour)
    ink = BLACK if _luminance(colour) > 0.55 else WHITE
    name, size = fit(coupon.program_name, "Helvetica-Bold", 9.5, COUPON_WIDTH - 2 * PAD, 6.5)
    form.text(PAD, COUPON_HEIGHT - BAND - BLEED + 6.5, name, "Helvetica-Bold", size, fill=ink)

    text_width_left = TEXT_RIGHT - PAD
    lines = (
        (format_value(coupon.value_cents, lang), "Helvetica-Bold", 30, 18, 86),
        (coupon.class_name, "Helvetica-Bold", 10, 7, 69),
        (coupon.class_products, "Helvetica", 8, 6, 58),
        (format_validity(coupon.valid_from, coupon.valid_until, lang), "Helvetica", 7.5, 5.5, 46),
    )
    for text, font, size, smallest, baseline in lines:
        text, size = fit(text, font, size, text_width_left, smallest)
        form.text(PAD, baseline, text, font, size)

    rules, size = fit(WORDS[lang]["rules"], "Helvetica", 7, COUPON_WIDTH - 2 * PAD, 5)
    form.text(PAD, 8, rules, "Helvetica", size)
    return form.finish()


def _sheet_form(pdf: PdfWriter) -> Form:
    """Cut lines (light, dashed, on the coupons' edges) and crop marks (solid, in the margins)."""
    form = pdf.form(PAGE_WIDTH, PAGE_HEIGHT)
    left, bottom = GRID_LEFT, GRID_BOTTOM
    right, top = left + COLUMNS * COUPON_WIDTH, bottom + ROWS * COUPON_HEIGHT
    xs = [left + i * COUPON_WIDTH for i in range(COLUMNS + 1)]
    ys = [bottom + j * COUPON_HEIGHT for j in range(ROWS + 1)]
    for x in xs:
        form.line(x, bottom, x, top, stroke=GREY, line_width=0.4, dash=(3, 3))
    for y in ys:
        form.line(left, y, right, y, stroke=GREY, line_width=0.4, dash=(3, 3))
    for x in xs:
        form.line(x, bottom - MARK_GAP, x, bottom - MARK_GAP - MARK_LENGTH, line_width=0.5)
        form.line(x, top + MARK_GAP, x, top + MARK_GAP + MARK_LENGTH, line_width=0.5)
    for y in ys:
        form.line(left - MARK_GAP, y, left - MARK_GAP - MARK_LENGTH, y, line_width=0.5)
        form.line(right + MARK_GAP, y, right + MARK_GAP + MARK_LENGTH, y, line_width=0.5)
    return form.finish()


# --- words and numbers -----------------------------------------------------------------------------------


def format_value(cents: int, language: str = "fr") -> str:
    """The face value: "5 $" / "$5" for whole dollars, "2,50 $" / "$2.50" otherwise."""
    text = format_cents(cents, language)
    if cents % 100 == 0:
        text = text.replace(".00", "") if language.startswith("en") else text.replace(",00", "")
    return text


def format_validity(start: date, end: date, language: str = "fr") -> str:
    """ "Valide du 13 juin au 5 sept. 2026" / "Valid June 13 to Sept. 5, 2026" (no locale needed)."""
    if language.startswith("en"):

        def day(d: date, year: bool) -> str:
            return f"{ENGLISH_MONTHS[d.month - 1]} {d.day}" + (f", {d.year}" if year else "")

        if start == end:
            return f"Valid {day(end, True)}"
        return f"Valid {day(start, start.year != end.year)} to {day(end, True)}"

    def jour(d: date, year: bool) -> str:
        number = "1er" if d.day == 1 else str(d.day)
        return f"{number} {FRENCH_MONTHS[d.month - 1]}" + (f" {d.year}" if year else "")

    if start == end:
        return f"Valide le {jour(end, True)}"
    return f"Valide du {jour(start, start.year != end.year)} au {jour(end, True)}"


def fit(text: str, font: str, size: float, width: float, smallest: float) -> tuple[str, float]:
    """Shrink `text` down to `smallest` points to fit `width`; past that, cut it short with an ellipsis."""
    natural = text_width(text, font, size)
    if natural <= width:
        return text, size
    size = max(smallest, size * width / natural)
    while len(text) > 1 and text_width(text, font, size) > width:
        text = text[:-2].rstrip() + "…"
    return text, size


def parse_colour(hex_colour: str) -> Colour:
    """ "#1f6b3a" → (0.12, 0.42, 0.23)."""
    value = hex_colour.strip().lstrip("#")
    if len(value) != 6:
        raise ValueError(f"A series colour is written #rrggbb, not {hex_colour!r}.")
    try:
        red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        raise ValueError(f"A series colour is written #rrggbb, not {hex_colour!r}.") from None
    return (red, green, blue)


def _luminance(rgb: Colour) -> float:
    red, green, blue = rgb
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue
