"""Tables as files: CSV and XLSX hold the same figures, to the cent, and text never runs as a formula."""

import csv
import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from pcn.reports.tables import COUNT, DATE, MONEY, PERCENT, Column, Table, to_csv, to_xlsx


def table() -> Table:
    return Table(
        title="Par marchand", columns=[Column("name", "Marchand"), Column("week", "Semaine", DATE),
                                       Column("paid", "Payés", MONEY), Column("n", "Coupons", COUNT),
                                       Column("rate", "Taux (%)", PERCENT)],
        rows=[{"name": "=HYPERLINK(\"http://x\")", "week": datetime.date(2026, 7, 6), "paid": 123_456_789_01,
               "n": 3, "rate": Decimal("85.7")},
              {"name": "Ferme Côté", "week": datetime.date(2026, 7, 13), "paid": 1, "n": 0, "rate": None}],
        total={"name": "Total", "paid": 123_456_789_02, "n": 3},
    )


def test_csv_writes_dollars_to_the_cent_and_defuses_formulas():
    rows = list(csv.reader(io.StringIO(to_csv([table()]).decode("utf-8-sig"))))
    assert rows[0] == ["Marchand", "Semaine", "Payés ($)", "Coupons", "Taux (%)"]
    assert rows[1] == ["'=HYPERLINK(\"http://x\")", "2026-07-06", "123456789.01", "3", "85.7"]
    assert rows[2] == ["Ferme Côté", "2026-07-13", "0.01", "0", ""]
    assert rows[3] == ["Total", "", "123456789.02", "3", ""]


def test_xlsx_keeps_numbers_as_numbers_and_text_as_text():
    book = load_workbook(io.BytesIO(to_xlsx([table(), table()])))
    assert book.sheetnames == ["Par marchand", "Par marchand (2)"]
    sheet = book["Par marchand"]
    name, week, paid, n, rate = (cell for cell in sheet[3])
    assert name.value == "=HYPERLINK(\"http://x\")" and name.data_type == "s"  # shown, never run
    assert week.value == datetime.datetime(2026, 7, 6) and paid.value == 123456789.01 and n.value == 3
    assert rate.value == 85.7 and paid.number_format.startswith("#,##0.00")
    assert [c.value for c in sheet[5]] == ["Total", None, 123456789.02, 3, None]
