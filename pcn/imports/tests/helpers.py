import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile


def csv_bytes(rows, *, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(rows, fmt="csv", **options):
    if fmt == "csv":
        return SimpleUploadedFile("fichier.csv", csv_bytes(rows, **options), content_type="text/csv")
    return SimpleUploadedFile("fichier.xlsx", xlsx_bytes(rows))
