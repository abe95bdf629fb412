"""Reading a spreadsheet people made: CSV (as Excel in French saves it, or UTF-8) or XLSX.

The result is text only: a header and rows of cells as strings, each row with its line number as the
spreadsheet shows it (the header is line 1; blank rows are skipped but still counted, so a line number
in a report is the one people see in Excel). Numbers and dates from an XLSX sheet are written the way a
person would type them (3, 12.5, 2026-06-13, 9:00). A row whose first cell starts with « # » is a
comment (the example line of the blank templates) and is skipped too.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


class ImportFileError(ValueError):
    """The file cannot be read at all; the message says what to do, in plain words."""


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line number, cells)

    def to_session(self) -> dict:
        return {"headers": self.headers, "rows": [[line, cells] for line, cells in self.rows]}

    @classmethod
    def from_session(cls, data: dict) -> "Sheet":
        return cls(headers=list(data["headers"]), rows=[(int(line), list(cells)) for line, cells in data["rows"]])


def read_upload(uploaded) -> Sheet:
    """Read an uploaded file (Django UploadedFile). Raises ImportFileError with a message for the person."""
    if uploaded.size > MAX_BYTES:
        raise ImportFileError(
            _("Ce fichier est trop gros (%(size)s Mo). Envoyez un fichier de 2 Mo au plus : séparez-le en "
              "plusieurs fichiers au besoin.") % {"size": f"{uploaded.size / 1024 / 1024:.1f}".replace(".", ",")}
        )
    content = uploaded.read(MAX_BYTES + 1)
    return read_bytes(content, uploaded.name or "")


def read_bytes(content: bytes, filename: str = "") -> Sheet:
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("Ce fichier est trop gros. Envoyez un fichier de 2 Mo au plus."))
    name = filename.lower()
    if content[:4] == b"PK\x03\x04":  # a zip: XLSX (whatever its name says)
        rows = _xlsx_rows(content)
    elif content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or name.endswith(".xls"):
        raise ImportFileError(
            _("Ce fichier est dans l'ancien format d'Excel (.xls). Dans Excel, choisissez « Enregistrer sous », "
              "puis le format « Classeur Excel (.xlsx) » ou « CSV », et envoyez ce nouveau fichier.")
        )
    elif name.endswith((".ods", ".numbers", ".pdf", ".doc", ".docx")):
        raise ImportFileError(
            _("Ce type de fichier n'est pas lu ici. Enregistrez votre tableau en format CSV ou XLSX, puis envoyez-le.")
        )
    else:
        rows = _csv_rows(content)
    return _sheet(rows)


def _sheet(raw_rows) -> Sheet:
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for line, cells in raw_rows:
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if headers is None:
            if line != 1:
                raise ImportFileError(
                    _("La première ligne du fichier doit donner le nom des colonnes (les titres). Supprimez les "
                      "lignes vides ou les commentaires au-dessus des titres, puis renvoyez le fichier.")
                )
            headers = cells
            continue
        rows.append((line, cells))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(
                _("Ce fichier a plus de %(max)s lignes. Séparez-le en plusieurs fichiers de %(max)s lignes au plus.")
                % {"max": f"{MAX_ROWS:,}".replace(",", "\u00a0")}
            )
    if headers is None:
        raise ImportFileError(_("Ce fichier est vide. Utilisez le modèle à télécharger, remplissez-le, puis envoyez-le."))
    # Trailing empty header cells (a sheet formatted further right than its data) are not columns.
    while headers and not headers[-1]:
        headers.pop()
    return Sheet(headers=headers, rows=rows)


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        # Excel in French saves « CSV (séparateur : point-virgule) » in Windows-1252.
        return content.decode("cp1252", errors="replace")


def _csv_rows(content: bytes):
    if b"\x00" in content[:4096]:
        raise ImportFileError(
            _("Ce fichier ne ressemble pas à un tableau. Enregistrez votre tableau en format CSV ou XLSX, puis "
              "envoyez-le.")
        )
    text = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(line, row) for line, row in enumerate(reader, start=1)]
    except csv.Error:
        raise ImportFileError(
            _("Ce fichier CSV est mal formé (un guillemet n'est pas fermé, peut-être). Ouvrez-le dans Excel, "
              "enregistrez-le de nouveau et renvoyez-le.")
        ) from None


def cell_text(value) -> str:
    """A spreadsheet cell as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.10g}"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        if value.date() == datetime.date(1899, 12, 30):  # a time alone, as Excel stores it
            return f"{value.hour}:{value.minute:02d}"
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return f"{value.hour}:{value.minute:02d}"
    return str(value)


def _xlsx_rows(content: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, XML, key errors) for a damaged file
        raise ImportFileError(
            _("Ce fichier Excel ne s'ouvre pas. Ouvrez-le dans Excel, enregistrez-le de nouveau en format XLSX "
              "ou CSV, et renvoyez-le.")
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((line, [cell_text(v) for v in values]))
            if len(rows) > MAX_ROWS * 3:  # blank formatted rows count too; stop reading a runaway sheet
                break
        return rows
    finally:
        book.close()
