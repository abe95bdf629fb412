"""A table of figures, as the pages show it and as people download it (CSV or XLSX).

One `Table` is built once by a selector and rendered three ways: the page's HTML table, a CSV file (UTF-8
with a byte order mark, so Excel in French reads the accents; amounts in decimal dollars with a point; text
cells a spreadsheet would run as a formula defused), and an XLSX workbook (one sheet per table; amounts as
numbers with a dollar format, so they add up in the spreadsheet).
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.text import slugify

from pcn.payments.formats.csv_remittance import dollars, safe_cell

# Column kinds: how a value is written. Money is integer cents; a percent is a Decimal or None; a date a date.
TEXT, MONEY, COUNT, PERCENT, DATE = "text", "money", "count", "percent", "date"
FORMATS = ("csv", "xlsx")


@dataclass
class Column:
    key: str
    label: str
    kind: str = TEXT


@dataclass
class Table:
    """`rows` are dicts keyed by the columns' keys; `total` (optional) is one more such dict."""

    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    total: dict | None = None
    slug: str = ""  # for file and sheet names; from the title when blank
    note: str = ""  # a sentence printed under the title (e.g. what was suppressed and why)

    PAGE_ROWS = 50  # rows a page shows; the downloaded file has them all

    @property
    def shown_rows(self) -> list[dict]:
        return self.rows[: self.PAGE_ROWS]

    @property
    def hidden_count(self) -> int:
        return max(0, len(self.rows) - self.PAGE_ROWS)

    @property
    def name(self) -> str:
        return self.slug or slugify(self.title) or "table"

    def cells(self, row: dict) -> list:
        return [row.get(c.key) for c in self.columns]


def csv_value(column: Column, value) -> str:
    """One cell as a CSV holds it (the rule every CSV of the project uses)."""
    if value is None:
        return ""
    if column.kind == MONEY:
        return dollars(value)
    if column.kind == TEXT:
        return safe_cell(str(value))
    if column.kind == DATE and hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def to_csv(tables: list[Table]) -> bytes:
    """The tables one after the other, each under its title and headers, a blank line between."""
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, lineterminator="\r\n")
    for index, table in enumerate(tables):
        if index:
            out.writerow([])
        if len(tables) > 1 or table.note:
            out.writerow([safe_cell(str(table.title))])
        if table.note:
            out.writerow([safe_cell(str(table.note))])
        out.writerow([str(c.label) + (" ($)" if c.kind == MONEY else "") for c in table.columns])
        for row in table.rows + ([table.total] if table.total else []):
            out.writerow([csv_value(c, row.get(c.key)) for c in table.columns])
    return buffer.getvalue().encode("utf-8-sig")


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = _SHEET_FORBIDDEN.sub(" ", title).strip()[:31] or "Table"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def to_xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(_sheet_title(str(table.title), taken))
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", str(table.title))])
        sheet["A1"].font = bold
        if table.note:
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", str(table.note))])
        # Labels may be people's words too (a scenario's name heads its column): no control characters.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", str(c.label)) for c in table.columns])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        header_row = sheet.max_row
        body = table.rows + ([table.total] if table.total else [])
        for row in body:
            values = []
            for c in table.columns:
                value = row.get(c.key)
                if value is not None and c.kind == MONEY:
                    value = value / 100  # exact to the cent for any amount below 2^53 cents
                elif value is not None and c.kind == PERCENT:
                    value = float(value)
                elif value is not None and c.kind == DATE and not hasattr(value, "isoformat"):
                    value = str(value)  # the total row's label
                elif value is not None and c.kind == TEXT:
                    value = ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters XLSX cannot hold
                values.append(value)
            sheet.append(values)
            if table.total is not None and row is table.total:
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
        for index, c in enumerate(table.columns, start=1):
            letter = sheet.cell(row=header_row, column=index).column_letter
            if c.kind == MONEY:
                for cell in sheet[letter][header_row:]:
                    cell.number_format = '#,##0.00 "$"'
            elif c.kind == DATE:
                for cell in sheet[letter][header_row:]:
                    cell.number_format = "yyyy-mm-dd"
            width = max([len(str(c.label))] + [len(str(r.get(c.key) or "")) for r in body[:200]])
            sheet.column_dimensions[letter].width = min(max(10, width + 2), 60)
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        # Text stays text: openpyxl would store « =… » as a formula that runs when the file is opened.
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(tables: list[Table], fmt: str, filename: str) -> HttpResponse:
    """The tables as a file to download; `fmt` is "csv" or "xlsx" (the view checks it), `filename` without
    its extension."""
    content = to_csv(tables) if fmt == "csv" else to_xlsx(tables)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename) or "export"}.{fmt}"'
    return response
