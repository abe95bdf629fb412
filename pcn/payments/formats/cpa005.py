"""CPA Standard 005 credit file (Payments Canada, « Standards for the Exchange of Financial Data on AFT
Files »): the 1464-character EFT file Canadian banks take for direct deposits.

A file is one "A" header, then "C" credit records carrying up to six 240-character payment segments each,
then one "Z" trailer. Element numbers and positions in the comments are those of Standard 005, Section D
(logical record types A, C and Z); positions count from 1 as the standard does.

Choices the standard leaves to us:
- Each record ends with CR LF (`RECORD_TERMINATOR`), the last one included: banks' upload portals read
  the file as lines of 1464 characters, and the physical layout (blocking) is agreed with each bank.
- Transaction type 450 « Miscellaneous payments » (`TRANSACTION_TYPE`): the code every bank accepts for
  an originator's credits; 460 « Accounts payable » would fit vendors too, if a bank asks for it.
- Item trace number, stored transaction type and invalid data element ID are zero-filled: the
  direct clearer fills them (on returns); the originator leaves them at zero. The settlement code,
  sundry information and the segment's filler are left blank.
- Unused segments of the last C record, and every filler, are blank-filled.
- Text is ASCII only: accents dropped (« Érablière » → « Erabliere »), anything else becomes a space.
"""

import datetime
import re
import unicodedata

from . import PaymentFile

FILENAME_SUFFIX = ".txt"
CONTENT_TYPE = "text/plain; charset=us-ascii"

RECORD_LENGTH = 1464
RECORD_TERMINATOR = "\r\n"
SEGMENT_LENGTH = 240
SEGMENTS_PER_RECORD = 6
TRANSACTION_TYPE = "450"
CURRENCIES = ("CAD", "USD")  # A record, element 08: the destination currency

MAX_AMOUNT_CENTS = 9_999_999_999  # segment element 02: 10 digits
MAX_TOTAL_CENTS = 10**14 - 1  # Z record, element 06: 14 digits
MAX_CREDITS = 10**8 - 1  # Z record, element 07: 8 digits

# Letters that Unicode decomposition does not reduce to a base letter plus accents.
_LIGATURES = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "’": "'",
        "‘": "'",
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
    }
)


def render(payment_file: PaymentFile) -> bytes:
    _check(payment_file)
    originator = payment_file.originator
    control = originator.originator_number + f"{payment_file.file_creation_number:04d}"  # elements 03-04

    records = [_header(payment_file)]
    segments = [_segment(payment_file, payee) for payee in payment_file.payees]
    for start in range(0, len(segments), SEGMENTS_PER_RECORD):
        count = len(records) + 1
        body = "".join(segments[start : start + SEGMENTS_PER_RECORD])
        records.append(_pad(f"C{count:09d}{control}{body}"))

    total_cents = sum(payee.amount_cents for payee in payment_file.payees)
    records.append(
        _pad(
            f"Z{len(records) + 1:09d}{control}"
            + f"{0:014d}{0:08d}"  # 04-05 total value and number of debits
            + f"{total_cents:014d}{len(payment_file.payees):08d}"  # 06-07 credits: value, number
            + f"{0:014d}{0:08d}"  # 08-09 error corrections "E"
            + f"{0:014d}{0:08d}"  # 10-11 error corrections "F"
        )
    )
    text = "".join(record + RECORD_TERMINATOR for record in records)
    return text.encode("ascii")


def julian(day: datetime.date) -> str:
    """Standard 005 dates, 0YYDDD: a zero, the year's last two digits, the day of the year."""
    return f"0{day.year % 100:02d}{day.timetuple().tm_yday:03d}"


def ascii_text(value: str, width: int) -> str:
    """The value as the standard's alphanumeric field: ASCII, left-justified, blank-filled, cut to width."""
    decomposed = unicodedata.normalize("NFKD", (value or "").translate(_LIGATURES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    printable = "".join(ch if " " <= ch <= "~" else " " for ch in bare)
    return " ".join(printable.split())[:width].ljust(width)


def _header(payment_file: PaymentFile) -> str:
    originator = payment_file.originator
    return _pad(
        "A000000001"  # 01 record type, 02 logical record count
        + originator.originator_number  # 03 originator's ID
        + f"{payment_file.file_creation_number:04d}"  # 04 file creation number
        + julian(payment_file.created_on)  # 05 creation date
        + originator.data_centre  # 06 destination data centre
        + " " * 20  # 07 reserved customer-direct clearer communication area
        + payment_file.currency  # 08 currency code identifier
    )  # 09 filler


def _segment(payment_file: PaymentFile, payee) -> str:
    originator = payment_file.originator
    segment = (
        TRANSACTION_TYPE  # 01
        + f"{payee.amount_cents:010d}"  # 02 amount, cents
        + julian(payment_file.payment_on)  # 03 date funds to be available
        + f"0{payee.institution}{payee.transit}"  # 04 institutional identification number
        + payee.account.ljust(12)  # 05 payee account number
        + "0" * 22  # 06 item trace number
        + "000"  # 07 stored transaction type
        + ascii_text(originator.short_name, 15)  # 08 originator's short name
        + ascii_text(payee.name, 30)  # 09 payee name
        + ascii_text(originator.name, 30)  # 10 originator's long name
        + originator.originator_number  # 11 originating direct clearer's user's ID
        + ascii_text(payee.reference, 19)  # 12 originator's cross reference number
        + f"0{originator.institution}{originator.transit}"  # 13 institutional ID number for returns
        + originator.account.ljust(12)  # 14 account number for returns
        + " " * 15  # 15 originator's sundry information
        + " " * 22  # 16 filler
        + "  "  # 17 originator-direct clearer settlement code
        + "0" * 11  # 18 invalid data element ID
    )
    assert len(segment) == SEGMENT_LENGTH
    return segment


def _pad(record: str) -> str:
    assert len(record) <= RECORD_LENGTH
    return record.ljust(RECORD_LENGTH)


def _digits(value: str, low: int, high: int) -> bool:
    return isinstance(value, str) and re.fullmatch(rf"[0-9]{{{low},{high}}}", value) is not None


def _check(payment_file: PaymentFile) -> None:
    originator = payment_file.originator
    number = originator.originator_number
    if not (isinstance(number, str) and re.fullmatch(r"[A-Za-z0-9]{10}", number)):
        raise ValueError(f"The originator number must be the 10 letters or digits the bank gave, not {number!r}.")
    if not _digits(originator.data_centre, 5, 5):
        raise ValueError(f"The destination data centre must be 5 digits, not {originator.data_centre!r}.")
    if not _digits(originator.institution, 3, 3):
        raise ValueError(f"The originator's institution number must be 3 digits, not {originator.institution!r}.")
    if not _digits(originator.transit, 5, 5):
        raise ValueError(f"The originator's transit number must be 5 digits, not {originator.transit!r}.")
    if not _digits(originator.account, 1, 12):
        raise ValueError(f"The originator's account number must be 1 to 12 digits, not {originator.account!r}.")
    if not ascii_text(originator.short_name, 15).strip():
        raise ValueError("The originator's short name is empty.")
    if not ascii_text(originator.name, 30).strip():
        raise ValueError("The originator's name is empty.")

    fcn = payment_file.file_creation_number
    if type(fcn) is not int or not 1 <= fcn <= 9999:
        raise ValueError(f"The file creation number must be a whole number from 1 to 9999, not {fcn!r}.")
    if payment_file.currency not in CURRENCIES:
        raise ValueError(f"A CPA-005 file pays in CAD or USD, not {payment_file.currency!r}.")
    for label, day in (("creation", payment_file.created_on), ("payment", payment_file.payment_on)):
        if not isinstance(day, datetime.date) or not 2000 <= day.year <= 2099:
            raise ValueError(f"The {label} date must be a date from 2000 to 2099, not {day!r}.")

    if not payment_file.payees:
        raise ValueError("The file has no payments.")
    if len(payment_file.payees) > MAX_CREDITS:
        raise ValueError(f"A CPA-005 file holds at most {MAX_CREDITS} payments.")
    for index, payee in enumerate(payment_file.payees, start=1):
        who = f"Payment {index} ({payee.name!r})"
        amount = payee.amount_cents
        if type(amount) is not int or not 1 <= amount <= MAX_AMOUNT_CENTS:
            raise ValueError(f"{who}: the amount must be whole cents from 1 to {MAX_AMOUNT_CENTS}, not {amount!r}.")
        if not _digits(payee.institution, 3, 3):
            raise ValueError(f"{who}: the institution number must be 3 digits, not {payee.institution!r}.")
        if not _digits(payee.transit, 5, 5):
            raise ValueError(f"{who}: the transit number must be 5 digits, not {payee.transit!r}.")
        if not _digits(payee.account, 1, 12):
            raise ValueError(f"{who}: the account number must be 1 to 12 digits, not {payee.account!r}.")
        if not ascii_text(payee.name, 30).strip():
            raise ValueError(f"{who}: the payee's name is empty.")
    if payment_file.total_cents > MAX_TOTAL_CENTS:
        raise ValueError(f"The file's total exceeds the trailer's 14 digits ({MAX_TOTAL_CENTS} cents).")
