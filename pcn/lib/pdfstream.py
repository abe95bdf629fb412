"""A small streaming PDF 1.4 writer: pages go to the file as they are finished, so memory stays flat.

ReportLab keeps every page of a document in memory until it saves; for a print run of 100,000 coupons
(10,000 pages) that is hundreds of megabytes. This writer keeps only what the file's tail needs: the
byte offset of each object (for the cross-reference table) and the object number of each page (for the
page tree). Everything else is written to `out` as soon as a page or a form is finished.

What it draws is what coupon sheets, statements and posters need, no more:
- the standard Type 1 fonts (no embedding), with WinAnsiEncoding: text is encoded as cp1252, so French
  accents, « », ’, · and the no-break space print; a character outside cp1252 loses its accent if it has
  one (ŝ → s) and otherwise prints as "?";
- rectangles, lines (solid or dashed), text aligned left, centre or right, RGB colours (0..1);
- a matrix of modules (a QR code) as one compact path: dark runs of each row merged into rectangles,
  in module units under one transformation;
- forms (PDF Form XObjects): a drawing made once and placed many times, e.g. the parts of a coupon that
  every coupon of a series shares.

Text widths come from ReportLab's font metrics (the same tables `pdfmetrics.stringWidth` reads), looked
up by the cp1252 bytes actually written, so measuring and printing cannot disagree.

Usage:

    with PdfWriter(out, title="Série 3") as pdf:
        page = pdf.page()
        page.text(72, 700, "Marché de Saint-Éloi", "Helvetica-Bold", 14)
        page.finish()          # optional: starting the next page or closing finishes it

Coordinates are PDF points (1/72 inch) from the bottom-left corner of the page (or of the form).
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
import zlib
from array import array
from datetime import UTC, datetime
from typing import BinaryIO, Self

from reportlab.pdfbase import pdfmetrics

LETTER = (612, 792)

# The standard fonts this writer knows, with their resource names in content streams.
FONTS = {
    "Helvetica": "F1",
    "Helvetica-Bold": "F2",
    "Helvetica-Oblique": "F3",
    "Courier": "F4",
    "Courier-Bold": "F5",
    "Times-Roman": "F6",
    "Times-Bold": "F7",
}

ALIGNS = ("left", "center", "right")

Colour = tuple[float, float, float]
BLACK: Colour = (0.0, 0.0, 0.0)
WHITE: Colour = (1.0, 1.0, 1.0)

# Characters people type that cp1252 lacks but that have a printable twin in it.
_CP1252_TWINS = str.maketrans(
    {
        "\u202f": "\u00a0",  # narrow no-break space (French before « ; ! ?) → no-break space
        "\u2009": " ",  # thin space
        "\u2007": "\u00a0",  # figure space
        "\u2011": "-",  # non-breaking hyphen
        "\u2212": "-",  # minus sign
        "\u2032": "'",  # prime
    }
)

_ESCAPES = {ord("("): b"\\(", ord(")"): b"\\)", ord("\\"): b"\\\\", ord("\r"): b"\\r", ord("\n"): b"\\n"}


@functools.lru_cache(maxsize=256)  # the words every coupon repeats; codes pass through
def encode_text(text: str) -> bytes:
    """The cp1252 bytes that print `text` with WinAnsiEncoding (unescaped)."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    out = bytearray()
    for char in text.translate(_CP1252_TWINS):
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("cp1252", "ignore")
            out += base if base else b"?"
    return bytes(out)


def _literal(data: bytes) -> bytes:
    """A PDF literal string: ( ) \\ escaped; other bytes go through as they are (the stream is binary)."""
    if b"(" in data or b")" in data or b"\\" in data or b"\r" in data or b"\n" in data:
        data = b"".join(_ESCAPES.get(byte, bytes((byte,))) for byte in data)
    return b"(" + data + b")"


@functools.cache
def _widths(font: str) -> list[int]:
    if font not in FONTS:
        raise ValueError(f"Unknown font {font!r}; use one of {', '.join(FONTS)}.")
    face = pdfmetrics.getFont(font)
    if face.encoding.name != "WinAnsiEncoding":  # pragma: no cover - ReportLab's default for standard fonts
        raise RuntimeError(f"ReportLab measures {font} in {face.encoding.name}, not WinAnsiEncoding.")
    return list(face.widths)


def text_width(text: str, font: str, size: float) -> float:
    """Width in points of `text` set in a standard `font` at `size`, as this writer prints it."""
    widths = _widths(font)
    return sum(widths[byte] for byte in encode_text(text)) * size / 1000.0


def num(value: float, digits: int = 2) -> str:
    """A number as short as PDF allows: 12, 12.5, 0.25. Two decimals of a point are finer than a printer's dot."""
    if value == int(value):
        return str(int(value))
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _colour(rgb: Colour) -> str:
    return " ".join(num(c, 3) for c in rgb)


_DARK_RUNS = re.compile(rb"\x00+")


@functools.lru_cache(maxsize=64)
def _module_tables(columns: int, rows: int) -> tuple[list[str], list[int], list[str]]:
    """For each module index: the start of its rectangle ("x y "), the modules left in its row; and the end
    of a rectangle of each length ("n 1 re"). Drawing a QR is then string joins, no number formatting."""
    heads = [f"{i % columns} {rows - 1 - i // columns} " for i in range(columns * rows)]
    room = [columns - i % columns for i in range(columns * rows)]
    tails = [f"{n} 1 re\n" for n in range(columns + 1)]
    return heads, room, tails


class Canvas:
    """What a page and a form share: a content stream being drawn, and the resources it uses."""

    def __init__(self, writer: PdfWriter, width: float, height: float):
        self._writer = writer
        self.width = width
        self.height = height
        self._ops: list[str | bytes] = []
        self._fonts: set[str] = set()
        self._forms: dict[str, int] = {}
        self._fill: Colour | None = None
        self._stroke: Colour | None = None
        self._line_width: float | None = None
        self._dash: tuple[float, ...] | None = ()
        self.finished = False

    # --- graphics state (only changes are written) ---------------------------------------------

    def _set_fill(self, rgb: Colour) -> None:
        if rgb != self._fill:
            self._fill = rgb
            self._ops.append(f"{_colour(rgb)} rg\n")

    def _set_stroke(self, rgb: Colour, width: float, dash: tuple[float, ...]) -> None:
        if rgb != self._stroke:
            self._stroke = rgb
            self._ops.append(f"{_colour(rgb)} RG\n")
        if width != self._line_width:
            self._line_width = width
            self._ops.append(f"{num(width)} w\n")
        if dash != self._dash:
            self._dash = dash
            self._ops.append(f"[{' '.join(num(d) for d in dash)}] 0 d\n")

    # --- drawing --------------------------------------------------------------------------------

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: Colour | None = None,
        stroke: Colour | None = None,
        line_width: float = 0.5,
        dash: tuple[float, ...] = (),
    ) -> None:
        """A rectangle from its bottom-left corner; filled, stroked, or both."""
        if fill is None and stroke is None:
            raise ValueError("A rectangle needs a fill or a stroke colour.")
        if fill is not None:
            self._set_fill(fill)
        if stroke is not None:
            self._set_stroke(stroke, line_width, tuple(dash))
        paint = "B" if fill is not None and stroke is not None else ("f" if fill is not None else "S")
        self._ops.append(f"{num(x)} {num(y)} {num(w)} {num(h)} re {paint}\n")

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        *,
        stroke: Colour = BLACK,
        line_width: float = 0.5,
        dash: tuple[float, ...] = (),
    ) -> None:
        """A straight line; `dash` is the PDF dash array in points, e.g. (3, 2) for cut lines."""
        self._set_stroke(stroke, line_width, tuple(dash))
        self._ops.append(f"{num(x1)} {num(y1)} m {num(x2)} {num(y2)} l S\n")

    def text(
        self,
        x: float,
        y: float,
        text: str,
        font: str = "Helvetica",
        size: float = 10,
        align: str = "left",
        *,
        fill: Colour = BLACK,
    ) -> float:
        """One line of text on the baseline `y`; `x` is its left end, centre or right end. Returns its width."""
        if align not in ALIGNS:
            raise ValueError(f"align must be one of {ALIGNS}, not {align!r}.")
        data = encode_text(text)
        widths = _widths(font)
        width = sum(widths[byte] for byte in data) * size / 1000.0
        if align == "center":
            x -= width / 2
        elif align == "right":
            x -= width
        self._set_fill(fill)
        self._fonts.add(font)
        self._ops.append(f"BT /{FONTS[font]} {num(size)} Tf {num(x)} {num(y)} Td ".encode("ascii"))
        self._ops.append(_literal(data))
        self._ops.append(b" Tj ET\n")
        return width

    def modules(
        self,
        matrix: bytes | memoryview,
        columns: int,
        x: float,
        y: float,
        module: float,
        *,
        fill: Colour = BLACK,
    ) -> None:
        """Draw a module matrix (a QR code) as one path, its bottom-left corner at (x, y).

        `matrix` holds rows of `columns` bytes, top row first, 0x00 for a dark module and anything else for
        a light one (zxing-cpp's image). `module` is the side of one module in points. Horizontal runs of
        dark modules become one rectangle each, in module units under a single `cm`, so the stream stays
        small and a renderer fills the symbol in one go (no hairlines between neighbouring rectangles).
        """
        data = bytes(matrix)
        if columns <= 0 or len(data) % columns:
            raise ValueError("The matrix must hold whole rows of `columns` modules.")
        self._set_fill(fill)
        heads, room, tails = _module_tables(columns, len(data) // columns)
        scale = num(module, 4)  # multiplied by the module count: keep it finer than other coordinates
        parts = [f"q {scale} 0 0 {scale} {num(x)} {num(y)} cm\n"]
        append = parts.append
        for run in _DARK_RUNS.finditer(data):
            start, end = run.span()
            length = end - start
            while length > room[start]:  # the run wraps from the end of one row to the start of the next
                append(heads[start] + tails[room[start]])
                length -= room[start]
                start += room[start]
            append(heads[start] + tails[length])
        parts.append("f Q\n")
        self._ops.append("".join(parts))

    def draw(self, form: Form, x: float = 0, y: float = 0) -> None:
        """Place a finished form with its bottom-left corner at (x, y)."""
        if form.number is None:
            raise ValueError("Finish a form before drawing it.")
        self._forms[form.name] = form.number
        self._ops.append(f"q 1 0 0 1 {num(x)} {num(y)} cm /{form.name} Do Q\n")

    # --- output ---------------------------------------------------------------------------------

    def _content(self) -> bytes:
        return b"".join(op if isinstance(op, bytes) else op.encode("ascii") for op in self._ops)

    def _resources(self) -> str:
        fonts = " ".join(f"/{FONTS[f]} {self._writer._font_object(f)} 0 R" for f in sorted(self._fonts))
        forms = " ".join(f"/{name} {number} 0 R" for name, number in self._forms.items())
        return (
            "<< /ProcSet [/PDF /Text]"
            + (f" /Font << {fonts} >>" if fonts else "")
            + (f" /XObject << {forms} >>" if forms else "")
            + " >>"
        )


class Page(Canvas):
    """A page being drawn. Its content goes to the file when it is finished."""

    def finish(self) -> None:
        if not self.finished:
            self.finished = True
            self._writer._write_page(self)
            self._ops = []


class Form(Canvas):
    """A drawing made once and placed many times (a PDF Form XObject)."""

    def __init__(self, writer: PdfWriter, width: float, height: float, name: str):
        super().__init__(writer, width, height)
        self.name = name
        self.number: int | None = None

    def finish(self) -> Form:
        if not self.finished:
            self.finished = True
            self.number = self._writer._write_form(self)
            self._ops = []
        return self


class PdfWriter:
    """Writes a PDF to a binary file object, one finished page at a time.

    `out` needs only `write`: a file, a BytesIO, a response. Call `close()` (or use `with`) to write the page
    tree, the cross-reference table and the trailer; the writer never closes `out`.
    """

    def __init__(
        self,
        out: BinaryIO,
        *,
        title: str = "",
        producer: str = "pcn",
        page_size: tuple[float, float] = LETTER,
        compress_level: int = 6,
    ):
        self._out = out
        self._position = 0
        self._offsets = array("Q", [0])  # _offsets[n] = byte offset of object n (0 = the free head)
        self._pages = array("L")
        self._fonts: dict[str, int] = {}
        self._form_count = 0
        self._level = compress_level
        self.title = title
        self.producer = producer
        self.page_size = page_size
        self._current: Page | None = None
        self.closed = False
        self._catalog = self._reserve()
        self._page_tree = self._reserve()
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def page(self) -> Page:
        """Start a new page (finishing the one being drawn, if any)."""
        if self.closed:
            raise ValueError("The PDF is closed.")
        if self._current is not None:
            self._current.finish()
        self._current = Page(self, *self.page_size)
        return self._current

    def form(self, width: float, height: float) -> Form:
        """Start a form; draw on it, `finish()` it, then place it on pages with `page.draw(form, x, y)`."""
        self._form_count += 1
        return Form(self, width, height, f"X{self._form_count}")

    def close(self) -> None:
        if self.closed:
            return
        if self._current is not None:
            self._current.finish()
            self._current = None
        kids = " ".join(f"{n} 0 R" for n in self._pages)
        self._write_object(
            self._page_tree,
            f"<< /Type /Pages /Count {len(self._pages)} /Kids [{kids}] "
            f"/MediaBox [0 0 {num(self.page_size[0])} {num(self.page_size[1])}] >>".encode("ascii"),
        )
        self._write_object(self._catalog, f"<< /Type /Catalog /Pages {self._page_tree} 0 R >>".encode("ascii"))
        stamp = datetime.now(UTC).strftime("D:%Y%m%d%H%M%SZ")
        info = self._reserve()
        self._write_object(
            info,
            b"<< /Title "
            + _text_string(self.title)
            + b" /Producer "
            + _text_string(self.producer)
            + f" /CreationDate ({stamp}) >>".encode("ascii"),
        )
        xref = self._position
        lines = [f"xref\n0 {len(self._offsets)}\n0000000000 65535 f \n"]
        lines.extend(f"{offset:010d} 00000 n \n" for offset in self._offsets[1:])
        file_id = os.urandom(16).hex()
        lines.append(
            f"trailer\n<< /Size {len(self._offsets)} /Root {self._catalog} 0 R /Info {info} 0 R "
            f"/ID [<{file_id}> <{file_id}>] >>\nstartxref\n{xref}\n%%EOF\n"
        )
        self._write("".join(lines).encode("ascii"))
        self.closed = True

    # --- internals --------------------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._position += len(data)

    def _reserve(self) -> int:
        self._offsets.append(0)
        return len(self._offsets) - 1

    def _write_object(self, number: int, body: bytes) -> None:
        self._offsets[number] = self._position
        self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def _write_stream(self, number: int, head: str, content: bytes) -> None:
        data = zlib.compress(content, self._level)
        self._offsets[number] = self._position
        self._write(
            b"%d 0 obj\n<< %s /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n"
            % (number, head.encode("ascii"), len(data), data)
        )

    def _font_object(self, font: str) -> int:
        number = self._fonts.get(font)
        if number is None:
            number = self._fonts[font] = self._reserve()
            self._write_object(
                number,
                f"<< /Type /Font /Subtype /Type1 /BaseFont /{font} /Encoding /WinAnsiEncoding >>".encode("ascii"),
            )
        return number

    def _write_page(self, page: Page) -> None:
        # Resources first: they may write font objects, which must not land inside the page's own objects.
        resources = page._resources()
        content = self._reserve()
        self._write_stream(content, "", page._content())
        number = self._reserve()
        self._write_object(
            number,
            f"<< /Type /Page /Parent {self._page_tree} 0 R /Resources {resources} /Contents {content} 0 R >>".encode(
                "ascii"
            ),
        )
        self._pages.append(number)

    def _write_form(self, form: Form) -> int:
        resources = form._resources()
        number = self._reserve()
        self._write_stream(
            number,
            f"/Type /XObject /Subtype /Form /BBox [0 0 {num(form.width)} {num(form.height)}] /Resources {resources}",
            form._content(),
        )
        return number


def _text_string(text: str) -> bytes:
    """A PDF text string for the document information: plain if ASCII, else UTF-16BE with its mark."""
    if text.isascii():
        return _literal(text.encode("ascii"))
    return b"<feff" + text.encode("utf-16-be").hex().encode("ascii") + b">"
