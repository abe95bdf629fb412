"""Bulk Interac e-Transfer list: one row per payee, for the bank's « bulk Interac e-Transfer » upload
(business online banking at RBC, BMO, Desjardins, ATB, National Bank...).

Columns, in this order: name, email, phone, amount, message. Each bank has its own template and names its
columns its own way, but they share this order: the recipient's name, how to reach them (email, mobile
phone, at least one of the two), the amount in dollars, then the message shown to the recipient. Optional
columns some banks add (language, security question, expiry) are left to the bank's defaults, since
vendors are expected to have Autodeposit; the file is the list to map or paste into that template.

- One header row, then one row per payee; CSV with commas and CRLF (RFC 4180), UTF-8 without a byte
  order mark (an upload parser reads a BOM as part of the first column's name).
- amount: decimal dollars with a point, « 12.50 », written from integer cents. Interac carries CAD only.
- phone: the 10 digits of a Canadian mobile number (a leading 1 and punctuation are dropped).
- message: the payee's reference, then the claim numbers, then our message for them; at most 400
  characters, cut at the end so the reference always survives.
- Text cells that a spreadsheet would run as a formula get a leading apostrophe (see csv_remittance).
"""

import csv
import io
import re

from . import PaymentFile
from .csv_remittance import check_amount, dollars, safe_cell

FILENAME_SUFFIX = ".csv"
CONTENT_TYPE = "text/csv; charset=utf-8"

HEADER = ("name", "email", "phone", "amount", "message")
MAX_MESSAGE = 400

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def render(payment_file: PaymentFile) -> bytes:
    if payment_file.currency != "CAD":
        raise ValueError(f"Interac e-Transfer carries Canadian dollars only, not {payment_file.currency}.")
    rows = [HEADER]
    for payee in payment_file.payees:
        check_amount(payee.amount_cents, payee.name)
        email = payee.email.strip()
        phone = _mobile(payee.phone, payee.name)
        if not email and not phone:
            raise ValueError(f"{payee.name} has neither an email address nor a mobile phone for Interac.")
        if email and not _EMAIL.fullmatch(email):
            raise ValueError(f"The email address of {payee.name} does not look right: {email!r}.")
        rows.append(
            (
                safe_cell(_one_line(payee.name)),
                safe_cell(email),
                phone,
                dollars(payee.amount_cents),
                _message(payee.reference, payee.claims, payee.message),
            )
        )
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _mobile(phone: str, name: str) -> str:
    if not phone.strip():
        return ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        raise ValueError(f"The phone number of {name} must have 10 digits: {phone!r}.")
    return digits


def _message(reference: str, claims: tuple[str, ...], message: str) -> str:
    parts = [_one_line(reference)]
    if claims:
        parts.append("réclamations " + ", ".join(_one_line(claim) for claim in claims))
    if message.strip():
        parts.append(_one_line(message))
    # Guarded before the cut, so the apostrophe counts in the 400.
    return safe_cell(" – ".join(parts))[:MAX_MESSAGE].rstrip()
