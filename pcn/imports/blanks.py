"""Blank templates to fill in: the columns' headers in the user's language (French or English; both are
read back), an example, and what to write in each column.

CSV: the header line, then the example as a comment line (its first cell starts with « # », so it is
skipped on import). XLSX: a « Données » sheet with the headers only, and an « Aide » sheet explaining
each column with its example.
"""

import csv
import io

from django.utils.translation import gettext as _

from pcn.imports.kinds import Kind


def template_csv(kind: Kind) -> bytes:
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, delimiter=";", lineterminator="\r\n")  # Excel in French opens « ; » as columns
    out.writerow([str(col.header) for col in kind.columns])
    example = kind.example()
    cells = [example.get(col.key, "") for col in kind.columns]
    cells[0] = "# " + _("Exemple à effacer :") + " " + cells[0]
    out.writerow(cells)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(kind: Kind) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    data = book.active
    data.title = _("Données")[:31]
    data.append([str(col.header) for col in kind.columns])
    bold = Font(bold=True)
    for index, col in enumerate(kind.columns, start=1):
        cell = data.cell(row=1, column=index)
        cell.font = bold
        data.column_dimensions[cell.column_letter].width = min(max(14, len(str(col.header)) + 4), 40)
        # Every cell of the column is text, so that Excel keeps 0-5 or 9:00-13:00 as typed.
        data.column_dimensions[cell.column_letter].number_format = "@"
    data.freeze_panes = "A2"

    help_sheet = book.create_sheet(_("Aide")[:31])
    help_sheet.append([str(kind.title)])
    help_sheet["A1"].font = bold
    help_sheet.append([str(kind.intro)])
    help_sheet.append([_("Remplissez la feuille « Données », une ligne par élément, sans changer les titres. "
                         "Rien n'est importé tant qu'une ligne a une erreur.")])
    help_sheet.append([])
    help_sheet.append([_("Colonne"), _("Obligatoire"), _("Quoi écrire"), _("Exemple")])
    for cell in help_sheet[help_sheet.max_row]:
        cell.font = bold
    example = kind.example()
    for col in kind.columns:
        help_sheet.append([str(col.header), _("oui") if col.required else _("non"), str(col.help),
                           example.get(col.key, "")])
    for letter, width in (("A", 28), ("B", 12), ("C", 70), ("D", 40)):
        help_sheet.column_dimensions[letter].width = width
    for line in help_sheet.iter_rows(min_row=6):
        line[2].alignment = Alignment(wrap_text=True, vertical="top")
    for sheet in (data, help_sheet):
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
