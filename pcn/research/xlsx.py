"""A plain XLSX workbook written directly as SpreadsheetML: text, whole numbers and amounts, one sheet per
table, a bold header row. openpyxl (used for the dashboards' small tables) spends most of a research
export's time on a city's hundreds of thousands of rows; this writer does the same in a fraction of it.

The file holds the minimum Excel, LibreOffice and openpyxl need: content types, the package and workbook
relationships, the workbook, a style sheet (bold header, amounts with two decimals) and the sheets, with
strings written inline (no shared-strings table). Excel's limits are kept: sheet names of at most 31
characters without []:*?/\\, at most 1,048,576 rows (the caller leaves out a larger table)."""

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

MAX_ROWS = 1_048_576
TEXT, NUMBER, AMOUNT = "text", "number", "amount"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_NUMERIC = re.compile(r"-?\d+(\.\d+)?")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}">
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""  # noqa: E501
BOLD, TWO_DECIMALS = 1, 2


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_name(title: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", title).strip()[:31] or "Feuille"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and _NUMERIC.fullmatch(value) is not None


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("", value))


def _sheet_xml(header: Sequence[str], kinds: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    letters = [column_letter(i) for i in range(len(header))]
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
           '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
           'state="frozen"/></sheetView></sheetViews><sheetData>']
    cells = "".join(f'<c r="{letters[i]}1" s="{BOLD}" t="inlineStr"><is><t>{_text(str(h))}</t></is></c>'
                    for i, h in enumerate(header))
    out.append(f'<row r="1">{cells}</row>')
    texts: dict[str, str] = {}  # a city's rows repeat the same few markets, kinds and weeks: escape each once
    for number, row in enumerate(rows, start=2):
        parts = [f'<row r="{number}">']
        for i, value in enumerate(row):
            if value is None or value == "":
                continue
            kind = kinds[i]
            if kind != TEXT and _is_number(value):
                style = f' s="{TWO_DECIMALS}"' if kind == AMOUNT else ""
                parts.append(f'<c r="{letters[i]}{number}"{style}><v>{value}</v></c>')
            else:
                text = texts.get(value) if isinstance(value, str) else None
                if text is None:
                    text = _text(str(value))
                    if isinstance(value, str) and len(texts) < 100_000:
                        texts[value] = text
                parts.append(f'<c r="{letters[i]}{number}" t="inlineStr">'
                             f'<is><t xml:space="preserve">{text}</t></is></c>')
        parts.append("</row>")
        out.append("".join(parts))
    out.append("</sheetData></worksheet>")
    return "".join(out).encode("utf-8")


def workbook(sheets: Sequence[tuple[str, Sequence[str], Sequence[str], Iterable[Sequence]]]) -> bytes:
    """`sheets`: (title, header, kinds, rows); a kind is TEXT, NUMBER or AMOUNT (a number shown with two
    decimals). A number is an int, a float or its text (« 12.50 »): the caller converts cents to dollars. A
    value that does not fit its column's kind (« (total) » in a column of numbers) is written as text."""
    taken: set[str] = set()
    names = [sheet_name(title, taken) for title, *_rest in sheets]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in range(1, len(sheets) + 1)
        )
        package.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>"
        ))
        package.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ))
        entries = "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
                          for n, name in enumerate(names, start=1))
        package.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            f"<sheets>{entries}</sheets></workbook>"
        ))
        links = "".join(f'<Relationship Id="rId{n}" Type="{REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                        for n in range(1, len(sheets) + 1))
        style = len(sheets) + 1
        package.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">{links}'
            f'<Relationship Id="rId{style}" Type="{REL}/styles" Target="styles.xml"/></Relationships>'
        ))
        package.writestr("xl/styles.xml", STYLES)
        for n, (_title, header, kinds, rows) in enumerate(sheets, start=1):
            package.writestr(f"xl/worksheets/sheet{n}.xml", _sheet_xml(header, kinds, rows))
    return buffer.getvalue()
