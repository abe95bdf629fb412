"""Coupon sheets, checked the way a person (or a phone) would: render the page, read the QRs and the text.

No database: printing takes `PrintableCoupon`s. pypdfium2 (Chrome's PDF engine) renders and extracts text;
zxing-cpp decodes the QR codes from the rendered image.
"""

import dataclasses
import io
import re
import tracemalloc
from datetime import date

import pypdfium2 as pdfium
import pytest
import zxingcpp
from reportlab.pdfbase.pdfmetrics import stringWidth

from pcn.coupons.printing import (
    PER_PAGE,
    PrintableCoupon,
    fit,
    format_validity,
    format_value,
    print_coupons,
)
from pcn.lib.pdfstream import PdfWriter, encode_text, text_width

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FRENCH_RULES = "Aucune monnaie rendue · Non échangeable contre de l'argent"
ENGLISH_RULES = "No change given · Not exchangeable for cash"


def _code(i: int) -> str:
    """A code-shaped string, distinct for each i (the real format lives in pcn.coupons.codes)."""
    symbols = []
    n = i * 7919 + 104729
    for _ in range(12):
        n, digit = divmod(n, 32)
        symbols.append(ALPHABET[digit])
    return "".join(symbols)


def coupon(i: int, **changes) -> PrintableCoupon:
    code = _code(i)
    fields = {
        "code_display": f"{code[:4]}-{code[4:8]}-{code[8:]}",
        "url": f"https://coupons.example.org/c/{code}",
        "value_cents": 500,
        "program_name": "Marché de Saint-Éloi",
        "class_name": "Fruits et légumes",
        "class_products": "Légumes, fruits, fines herbes",
        "valid_from": date(2026, 6, 13),
        "valid_until": date(2026, 9, 5),
        "colour": "#1f6b3a",
        "series_label": "Série 3",
        "number": i,
        "booklet": None,
    }
    fields.update(changes)
    return PrintableCoupon(**fields)


def print_to_bytes(coupons, **options) -> bytes:
    out = io.BytesIO()
    print_coupons(coupons, out, **options)
    return out.getvalue()


def page_texts(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    # A no-break space ("5 $") reads as a plain space here; tests compare what a reader sees.
    return [page.get_textpage().get_text_range().replace("\xa0", " ") for page in document]


def decoded_urls(pdf: bytes, page_index: int) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    image = document[page_index].render(scale=200 / 72).to_pil()  # 200 dpi
    return [barcode.text for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


@pytest.fixture(scope="module")
def sheet_of_23():
    coupons = [coupon(i) for i in range(1, 24)]
    coupons[4] = coupon(5, program_name="Marché public de Sainte-Anne-de-la-Pérade", class_name="Produits de l'érable")
    return coupons, print_to_bytes(coupons, title="Série 3")


def test_every_qr_on_the_first_and_last_pages_decodes_to_its_coupons_url(sheet_of_23):
    coupons, pdf = sheet_of_23

    first = decoded_urls(pdf, 0)
    last = decoded_urls(pdf, 2)

    assert len(first) == PER_PAGE and set(first) == {c.url for c in coupons[:10]}
    assert len(last) == 3 and set(last) == {c.url for c in coupons[20:]}


def test_it_prints_ten_coupons_a_page_and_returns_the_count(sheet_of_23):
    coupons, pdf = sheet_of_23

    assert len(pdfium.PdfDocument(pdf)) == 3
    assert print_coupons(coupons, io.BytesIO()) == 23
    assert len(pdfium.PdfDocument(print_to_bytes(coupons[:20]))) == 2


def test_each_page_shows_its_coupons_codes_and_the_rules_in_french(sheet_of_23):
    coupons, pdf = sheet_of_23
    texts = page_texts(pdf)

    for page, text in enumerate(texts):
        on_page = coupons[page * PER_PAGE : (page + 1) * PER_PAGE]
        assert [c.code_display for c in on_page if c.code_display in text] == [c.code_display for c in on_page]
        assert text.count(FRENCH_RULES) == len(on_page)
    first = texts[0]
    assert "Marché de Saint-Éloi" in first
    assert "Marché public de Sainte-Anne-de-la-Pérade" in first and "Produits de l'érable" in first
    assert "5 $" in first and "Légumes, fruits, fines herbes" in first
    assert "Valide du 13 juin au 5 sept. 2026" in first
    assert "Série 3 · nº 7" in first


def test_the_document_is_titled_and_says_who_made_it(sheet_of_23):
    _, pdf = sheet_of_23

    metadata = pdfium.PdfDocument(pdf).get_metadata_dict()

    assert metadata["Title"] == "Série 3"
    assert metadata["Producer"] == "pcn"


def test_the_cross_reference_table_points_at_every_object(sheet_of_23):
    # Viewers quietly repair a broken table; printers and strict tools do not. Check it exactly.
    _, pdf = sheet_of_23
    assert pdf.startswith(b"%PDF-1.4\n")
    xref_at = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf).group(1))
    assert pdf[xref_at:].startswith(b"xref\n0 ")
    size = int(re.search(rb"/Size (\d+)", pdf[xref_at:]).group(1))
    entries = pdf[xref_at:].split(b"\n", 2)[2]
    for number in range(1, size):
        entry = entries[number * 20 : (number + 1) * 20]
        assert entry.endswith(b" n \n"), entry
        offset = int(entry[:10])
        assert pdf[offset:].startswith(b"%d 0 obj\n" % number)


def test_booklet_mode_starts_a_page_for_each_booklet_and_heads_it(tmp_path):
    # Booklets of 4 (1-4), then a booklet of 12 that runs over a page, then 2 coupons without a booklet.
    coupons = [coupon(i, booklet=1 + (i - 1) // 4) for i in range(1, 9)]
    coupons += [coupon(i, booklet=3) for i in range(9, 21)]
    coupons += [coupon(i) for i in range(21, 23)]

    pdf = print_to_bytes(coupons, booklet_mode=True)
    texts = page_texts(pdf)

    assert len(texts) == 5
    assert [text.split("\r\n", 1)[0] for text in texts[:4]] == ["Carnet 1", "Carnet 2", "Carnet 3", "Carnet 3 (suite)"]
    assert "Carnet" not in texts[4]
    groups = [coupons[0:4], coupons[4:8], coupons[8:18], coupons[18:20], coupons[20:22]]
    for text, group in zip(texts, groups, strict=True):
        assert sorted(re.findall(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", text)) == sorted(c.code_display for c in group)
    assert set(decoded_urls(pdf, 1)) == {c.url for c in coupons[4:8]}


def test_without_booklet_mode_booklets_share_pages():
    coupons = [coupon(i, booklet=1 + (i - 1) // 4) for i in range(1, 9)]

    texts = page_texts(print_to_bytes(coupons))

    assert len(texts) == 1 and "Carnet" not in texts[0]


def test_the_english_sheet_uses_english_words():
    coupons = [coupon(1), coupon(2, value_cents=250)]

    text = page_texts(print_to_bytes(coupons, language="en"))[0]

    assert "$5\r\n" in text and "$2.50" in text
    assert text.count(ENGLISH_RULES) == 2
    assert "Valid June 13 to Sept. 5, 2026" in text
    assert "Série 3 · No. 1" in text
    assert "monnaie" not in text


def test_no_coupons_gives_one_page_that_says_so():
    out = io.BytesIO()
    seen = []

    count = print_coupons([], out, on_progress=seen.append)

    texts = page_texts(out.getvalue())
    assert count == 0 and seen == [0]
    assert len(texts) == 1 and texts[0].strip() == "Aucun coupon à imprimer."


def test_progress_is_reported_after_each_page():
    seen = []

    print_coupons((coupon(i) for i in range(1, 24)), io.BytesIO(), on_progress=seen.append)

    assert seen == [10, 20, 23]


def test_printing_streams_with_flat_memory(tmp_path):
    # Coupons come from a generator and pages go to a file: memory must not grow with the count.
    def peak_bytes(count: int) -> int:
        tracemalloc.start()
        try:
            with open(tmp_path / f"{count}.pdf", "wb") as out:
                printed = print_coupons((coupon(i) for i in range(count)), out)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            assert printed == count

    small, large = peak_bytes(500), peak_bytes(5000)

    assert large < 30 * 2**20
    assert large - small < 512 * 2**10, (small, large)  # ten times the coupons, not half a megabyte more
    assert len(pdfium.PdfDocument(tmp_path / "5000.pdf")) == 500


def test_a_printable_coupon_carries_nothing_about_who_receives_it():
    # The same coupon serves every component (solidarity, public sale): adding a recipient field breaks that.
    assert {field.name for field in dataclasses.fields(PrintableCoupon)} == {
        "code_display", "url", "value_cents", "program_name", "class_name", "class_products",
        "valid_from", "valid_until", "colour", "series_label", "number", "booklet",
    }  # fmt: skip


def test_a_bad_colour_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="#rrggbb"):
        print_to_bytes([coupon(1, colour="green")])


# --- words ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cents", "language", "expected"),
    [
        (500, "fr", "5\u00a0$"),
        (250, "fr", "2,50\u00a0$"),
        (123400, "fr", "1\u00a0234\u00a0$"),
        (500, "en", "$5"),
        (250, "en", "$2.50"),
        (123400, "en", "$1,234"),
    ],
)
def test_the_value_drops_zero_cents(cents, language, expected):
    assert format_value(cents, language) == expected


@pytest.mark.parametrize(
    ("start", "end", "language", "expected"),
    [
        (date(2026, 6, 13), date(2026, 9, 5), "fr", "Valide du 13 juin au 5 sept. 2026"),
        (date(2026, 7, 1), date(2026, 8, 1), "fr", "Valide du 1er juill. au 1er août 2026"),
        (date(2025, 12, 1), date(2026, 2, 28), "fr", "Valide du 1er déc. 2025 au 28 févr. 2026"),
        (date(2026, 6, 13), date(2026, 6, 13), "fr", "Valide le 13 juin 2026"),
        (date(2026, 6, 13), date(2026, 9, 5), "en", "Valid June 13 to Sept. 5, 2026"),
        (date(2025, 12, 1), date(2026, 2, 28), "en", "Valid Dec. 1, 2025 to Feb. 28, 2026"),
        (date(2026, 6, 13), date(2026, 6, 13), "en", "Valid June 13, 2026"),
    ],
)
def test_validity_dates_read_naturally(start, end, language, expected):
    assert format_validity(start, end, language) == expected


def test_a_long_name_shrinks_then_is_cut_short_to_fit():
    name = "Programme de coupons nourriciers de la MRC de Témiscamingue et des communautés anishinabeg"

    text, size = fit(name, "Helvetica-Bold", 9.5, 200, 6.5)

    assert size == 6.5 and text.endswith("…") and name.startswith(text[:-1])
    assert text_width(text, "Helvetica-Bold", size) <= 200
    assert fit("Marché", "Helvetica", 10, 200, 6) == ("Marché", 10)


# --- the PDF writer -----------------------------------------------------------------------------------------


def test_text_is_measured_as_reportlab_measures_it():
    for text in ["Marché de Saint-Éloi", "« Aucune monnaie rendue » · l’argent", "1\u00a0234,50\u00a0$"]:
        for font in ["Helvetica", "Helvetica-Bold", "Courier-Bold"]:
            assert text_width(text, font, 11) == pytest.approx(stringWidth(text, font, 11))


def test_text_outside_cp1252_keeps_its_letters_and_escapes_survive():
    out = io.BytesIO()
    with PdfWriter(out) as pdf:
        page = pdf.page()
        page.text(72, 700, "Crédit (remboursé) \\ 5 € – Ŝaŭ 12\u202f%", "Helvetica", 12)

    text = page_texts(out.getvalue())[0]

    assert text.replace("\xa0", " ") == "Crédit (remboursé) \\ 5 € – Sau 12 %"
    assert encode_text("Ω") == b"?"


def test_a_run_of_dark_modules_that_wraps_a_row_is_drawn_in_both_rows():
    # 3 × 3 modules of one inch: the dark run covers the last module of row 0 and the first of row 1.
    matrix = bytes([0xFF, 0xFF, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00])
    out = io.BytesIO()
    with PdfWriter(out, page_size=(216, 216)) as pdf:
        pdf.page().modules(matrix, 3, 0, 0, 72)

    image = pdfium.PdfDocument(out.getvalue())[0].render(scale=1).to_pil().convert("L")

    dark = [[image.getpixel((36 + 72 * col, 36 + 72 * row)) < 128 for col in range(3)] for row in range(3)]
    assert dark == [[False, False, True], [True, False, False], [False, False, True]]
