"""A reader of CPA Standard 005 credit files, written for the tests from the standard's record layouts
(Section D: logical record types A, C and Z; a C record is 24 characters of control data followed by six
240-character segments), independently of the writer in `pcn.payments.formats.cpa005`.

`parse(data)` checks what a bank's edit run would check and raises `Cpa005Error` on the first fault:
every record exactly 1464 characters; A first, Z last, only C between; logical record counts 1, 2, 3...;
the same originator ID and file creation number in every record; numeric fields numeric; dates valid;
unused segments blank and only at the end of a record; the trailer's totals equal to the segments' sum.
"""

import datetime
import re
from dataclasses import dataclass, field

RECORD_LENGTH = 1464
SEGMENT_LENGTH = 240

# (name, start, end) with 1-based inclusive positions, as the standard prints them.
HEADER_FIELDS = (
    ("record_type", 1, 1),
    ("record_count", 2, 10),
    ("originator_id", 11, 20),
    ("file_creation_number", 21, 24),
    ("creation_date", 25, 30),
    ("data_centre", 31, 35),
    ("reserved", 36, 55),
    ("currency", 56, 58),
    ("filler", 59, 1464),
)
RECORD_PREFIX_FIELDS = (
    ("record_type", 1, 1),
    ("record_count", 2, 10),
    ("originator_id", 11, 20),
    ("file_creation_number", 21, 24),
)
# Positions of the first segment (25-264); segment n starts 240 * (n - 1) characters further.
SEGMENT_FIELDS = (
    ("transaction_type", 25, 27),
    ("amount", 28, 37),
    ("due_date", 38, 43),
    ("institution_id", 44, 52),
    ("account", 53, 64),
    ("item_trace", 65, 86),
    ("stored_transaction_type", 87, 89),
    ("originator_short_name", 90, 104),
    ("payee_name", 105, 134),
    ("originator_long_name", 135, 164),
    ("user_id", 165, 174),
    ("cross_reference", 175, 193),
    ("returns_institution_id", 194, 202),
    ("returns_account", 203, 214),
    ("sundry", 215, 229),
    ("filler", 230, 251),
    ("settlement_code", 252, 253),
    ("invalid_data_element_id", 254, 264),
)
TRAILER_FIELDS = (
    ("record_type", 1, 1),
    ("record_count", 2, 10),
    ("originator_id", 11, 20),
    ("file_creation_number", 21, 24),
    ("debit_value", 25, 38),
    ("debit_number", 39, 46),
    ("credit_value", 47, 60),
    ("credit_number", 61, 68),
    ("e_value", 69, 82),
    ("e_number", 83, 90),
    ("f_value", 91, 104),
    ("f_number", 105, 112),
    ("filler", 113, 1464),
)


class Cpa005Error(ValueError):
    pass


@dataclass
class CreditRecord:
    record_count: int
    raw: str
    segments: list[dict] = field(default_factory=list)  # used segments only, fields as text
    raw_segments: list[str] = field(default_factory=list)  # all six, as written


@dataclass
class Cpa005File:
    records: list[str]
    header: dict
    credits: list[CreditRecord]
    trailer: dict

    @property
    def segments(self) -> list[dict]:
        return [segment for record in self.credits for segment in record.segments]


def fields(record: str, layout, shift: int = 0) -> dict:
    return {name: record[start - 1 + shift : end + shift] for name, start, end in layout}


def julian_date(text: str) -> datetime.date:
    """0YYDDD → date (years 2000-2099)."""
    if not re.fullmatch(r"0\d{5}", text):
        raise Cpa005Error(f"date {text!r} is not 0YYDDD")
    year, day = 2000 + int(text[1:3]), int(text[3:])
    start = datetime.date(year, 1, 1)
    last = (datetime.date(year + 1, 1, 1) - start).days
    if not 1 <= day <= last:
        raise Cpa005Error(f"date {text!r}: day {day} is not in {year}")
    return start + datetime.timedelta(days=day - 1)


def _need(condition: bool, message: str) -> None:
    if not condition:
        raise Cpa005Error(message)


def _numeric(value: str, name: str) -> int:
    _need(value.isascii() and value.isdigit(), f"{name} {value!r} is not numeric")
    return int(value)


def split_records(data: bytes) -> list[str]:
    """Records are 1464 characters, each followed by CR LF, or (unterminated) back to back."""
    _need(isinstance(data, bytes), "a file is bytes")
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as error:
        raise Cpa005Error(f"not ASCII: {error}") from None
    if "\n" in text or "\r" in text:
        _need(text.endswith("\r\n"), "the last record does not end with CR LF")
        records = text[:-2].split("\r\n")
    else:
        _need(len(text) % RECORD_LENGTH == 0, f"length {len(text)} is not a multiple of {RECORD_LENGTH}")
        records = [text[i : i + RECORD_LENGTH] for i in range(0, len(text), RECORD_LENGTH)]
    for number, record in enumerate(records, start=1):
        _need(len(record) == RECORD_LENGTH, f"record {number} is {len(record)} characters, not {RECORD_LENGTH}")
        _need("\r" not in record and "\n" not in record, f"record {number} holds a line break")
        _need(all(" " <= ch <= "~" for ch in record), f"record {number} holds a control character")
    return records


def parse(data: bytes) -> Cpa005File:
    records = split_records(data)
    _need(len(records) >= 3, "a credit file needs a header, at least one C record and a trailer")

    header = fields(records[0], HEADER_FIELDS)
    _need(header["record_type"] == "A", "the first record is not type A")
    _need(header["record_count"] == "000000001", "the header's logical record count is not 000000001")
    _need(header["originator_id"].strip() != "", "the originator ID is blank")
    fcn = _numeric(header["file_creation_number"], "file creation number")
    _need(1 <= fcn <= 9999, "the file creation number is not 0001-9999")
    julian_date(header["creation_date"])
    _numeric(header["data_centre"], "destination data centre")
    _need(header["reserved"] == " " * 20, "the header's reserved area is not blank")
    _need(header["currency"] in ("CAD", "USD"), f"currency {header['currency']!r} is not CAD or USD")
    _need(header["filler"].strip() == "", "the header's filler is not blank")
    control = header["originator_id"] + header["file_creation_number"]

    credits = []
    for position, record in enumerate(records[1:-1], start=2):
        prefix = fields(record, RECORD_PREFIX_FIELDS)
        _need(prefix["record_type"] == "C", f"record {position} is type {prefix['record_type']!r}, not C")
        _need(_numeric(prefix["record_count"], "logical record count") == position, f"record {position}: count")
        _need(record[10:24] == control, f"record {position}: originator ID or file creation number differ")
        credit = CreditRecord(record_count=position, raw=record)
        blank_seen = False
        for index in range(6):
            shift = index * SEGMENT_LENGTH
            raw = record[24 + shift : 24 + shift + SEGMENT_LENGTH]
            credit.raw_segments.append(raw)
            if raw == " " * SEGMENT_LENGTH:
                blank_seen = True
                continue
            _need(not blank_seen, f"record {position}: segment {index + 1} follows an unused segment")
            credit.segments.append(_segment(fields(record, SEGMENT_FIELDS, shift), header, position, index + 1))
        _need(credit.segments, f"record {position} has no segment")
        credits.append(credit)

    trailer = fields(records[-1], TRAILER_FIELDS)
    _need(trailer["record_type"] == "Z", "the last record is not type Z")
    _need(_numeric(trailer["record_count"], "trailer count") == len(records), "the trailer's count is not the last")
    _need(records[-1][10:24] == control, "the trailer's originator ID or file creation number differ")
    for name in ("debit_value", "debit_number", "e_value", "e_number", "f_value", "f_number"):
        _need(_numeric(trailer[name], name) == 0, f"the trailer's {name} is not zero in a credit file")
    _need(trailer["filler"].strip() == "", "the trailer's filler is not blank")
    segments = [segment for credit in credits for segment in credit.segments]
    total = sum(int(segment["amount"]) for segment in segments)
    _need(_numeric(trailer["credit_value"], "credit value") == total, "the trailer's credit value is not the sum")
    _need(_numeric(trailer["credit_number"], "credit number") == len(segments), "the trailer's credit count is off")

    return Cpa005File(records=records, header=header, credits=credits, trailer=trailer)


def _segment(segment: dict, header: dict, position: int, index: int) -> dict:
    where = f"record {position}, segment {index}"
    _numeric(segment["transaction_type"], f"{where}: transaction type")
    _need(_numeric(segment["amount"], f"{where}: amount") > 0, f"{where}: the amount is zero")
    julian_date(segment["due_date"])
    _need(re.fullmatch(r"0\d{8}", segment["institution_id"]) is not None, f"{where}: institution ID is not 0+8 digits")
    account = segment["account"]
    _need(re.fullmatch(r"\d{1,12} *", account) is not None, f"{where}: account {account!r} not left-justified digits")
    _need(segment["item_trace"] == "0" * 22, f"{where}: the originator's item trace number is not zero")
    _need(segment["stored_transaction_type"] == "000", f"{where}: stored transaction type is not zero")
    for name in ("originator_short_name", "payee_name", "originator_long_name"):
        _need(segment[name].strip() != "", f"{where}: {name} is blank")
        _need(not segment[name].startswith(" "), f"{where}: {name} is not left-justified")
    _need(segment["user_id"] == header["originator_id"], f"{where}: user ID is not the originator's")
    _need(re.fullmatch(r"0\d{8}", segment["returns_institution_id"]) is not None, f"{where}: returns institution")
    _need(re.fullmatch(r"\d{1,12} *", segment["returns_account"]) is not None, f"{where}: account for returns")
    _need(segment["filler"] == " " * 22, f"{where}: the filler is not blank")
    _numeric(segment["invalid_data_element_id"], f"{where}: invalid data element ID")
    return segment
