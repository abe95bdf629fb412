"""Remittance advice as CSV: what each vendor is paid and for which claims, for the fiduciary's books and
for anyone who opens it in a spreadsheet.

A batch settled in a local currency (`currency_name`) adds two columns: the units each vendor receives and
the currency's name; the amount column stays in dollars, what the program pays the currency's operator.

RFC 4180 CSV (comma, CRLF, quotes where needed), UTF-8 with a byte order mark so that Excel in French
reads the accents right. One header row, one row per payee, then a total row. Amounts are decimal
dollars with a point (« 12.50 »), written from integer cents by string formatting.

Names and claim numbers come from people: a cell starting with = + - @ (or a tab or carriage return)
would run as a formula in a spreadsheet (CSV injection), so it gets a leading apostrophe.
"""

import csv
import io

from . import PaymentFile

FILENAME_SUFFIX = ".csv"
CONTENT_TYPE = "text/csv; charset=utf-8"

HEADER = ("vendor", "amount", "currency", "claims", "reference")
LOCAL_HEADER = ("local_amount", "local_currency")
TOTAL_LABEL = "TOTAL"

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render(payment_file: PaymentFile) -> bytes:
    currency = payment_file.currency
    local = bool(payment_file.currency_name)
    rows = [HEADER + LOCAL_HEADER if local else HEADER]
    for payee in payment_file.payees:
        check_amount(payee.amount_cents, payee.name)
        row = (
            safe_cell(payee.name),
            dollars(payee.amount_cents),
            currency,
            safe_cell(" ".join(payee.claims)),
            safe_cell(payee.reference),
        )
        if local:
            check_amount(payee.local_amount, payee.name)
            row += (dollars(payee.local_amount), safe_cell(payment_file.currency_name))
        rows.append(row)
    total = (TOTAL_LABEL, dollars(payment_file.total_cents), currency, "", safe_cell(payment_file.reference))
    if local:
        units = sum(payee.local_amount for payee in payment_file.payees)
        total += (dollars(units), safe_cell(payment_file.currency_name))
    rows.append(total)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def dollars(cents: int) -> str:
    """Integer cents as decimal dollars with a point: 1 → « 0.01 », 1250 → « 12.50 »."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def check_amount(cents: int, name: str) -> None:
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise ValueError(f"The amount for {name} must be whole cents, not {cents!r}.")
    if cents < 1:
        raise ValueError(f"The amount for {name} must be at least one cent.")


def safe_cell(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP « CSV Injection »)."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value
