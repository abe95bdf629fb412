"""CPA Standard 005 credit file. Sections cited are those of Standard 005 (« Standards for the Exchange
of Financial Data on AFT Files »), Section D: record layouts of logical record types A, C and Z; what the
writer produces is read back with `cpa005_parser`, written from those layouts apart from the writer."""

import dataclasses
import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcn.payments.formats import Originator, Payee, PaymentFile, cpa005
from pcn.payments.tests.cpa005_parser import Cpa005Error, parse

ORIGINATOR = Originator(
    name="Union des producteurs agricoles – Capitale-Nationale",
    short_name="UPA CAPITALE",
    originator_number="0123456789",
    data_centre="00330",
    institution="815",
    transit="20001",
    account="0456789",
)


def payee(n: int = 1, **changes) -> Payee:
    values = dict(
        name=f"Ferme numéro {n}",
        amount_cents=1000 * n,
        reference=f"PCN-12-{n}",
        institution="006",
        transit="12345",
        account=f"{1000000 + n}",
    )
    values.update(changes)
    return Payee(**values)


def payment_file(payees=(), **changes) -> PaymentFile:
    values = dict(
        originator=ORIGINATOR,
        reference="PCN-12",
        created_on=datetime.date(2026, 2, 1),
        payment_on=datetime.date(2026, 2, 13),
        file_creation_number=42,
        payees=tuple(payees) or (payee(),),
    )
    values.update(changes)
    return PaymentFile(**values)


def test_it_names_the_file_and_its_type():
    assert cpa005.FILENAME_SUFFIX == ".txt"
    assert cpa005.CONTENT_TYPE.startswith("text/plain")


def test_every_record_is_1464_ascii_characters_ending_with_cr_lf():
    # Section D: every logical record is 1464 characters; we end each with CR LF (module docstring).
    data = cpa005.render(payment_file([payee(n) for n in range(1, 8)]))
    data.decode("ascii")
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert len(lines) == 4  # A, two C, Z
    assert all(len(line) == 1464 for line in lines)
    assert len(data) == 4 * (1464 + 2)
    assert [line[:1] for line in lines] == [b"A", b"C", b"C", b"Z"]


def test_the_header_identifies_the_originator_and_the_file():
    # Record A: 01 "A", 02 count 000000001 (2-10), 03 originator's ID (11-20), 04 file creation
    # number (21-24), 05 creation date 0YYDDD (25-30), 06 destination data centre (31-35),
    # 07 reserved (36-55), 08 currency code (56-58), 09 filler (59-1464).
    parsed = parse(cpa005.render(payment_file()))
    assert parsed.header["record_count"] == "000000001"
    assert parsed.header["originator_id"] == "0123456789"
    assert parsed.header["file_creation_number"] == "0042"
    assert parsed.header["creation_date"] == "026032"  # 1 February 2026 is day 32
    assert parsed.header["data_centre"] == "00330"
    assert parsed.header["currency"] == "CAD"
    assert parsed.records[0][:58] == "A0000000010123456789004202603200330" + " " * 20 + "CAD"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 2, 1), "026032"),
        (datetime.date(2024, 12, 31), "024366"),  # leap year
        (datetime.date(2025, 12, 31), "025365"),
        (datetime.date(2024, 2, 29), "024060"),
        (datetime.date(2026, 1, 1), "026001"),
    ],
)
def test_dates_are_zero_year_and_day_of_year(day, expected):
    # Data element dictionary: creation date and date funds to be available are 0YYDDD.
    parsed = parse(cpa005.render(payment_file(created_on=day, payment_on=day)))
    assert parsed.header["creation_date"] == expected
    assert parsed.segments[0]["due_date"] == expected


@pytest.mark.parametrize(("number", "expected"), [(1, "0001"), (42, "0042"), (9999, "9999")])
def test_the_file_creation_number_is_four_digits_in_every_record(number, expected):
    # A 04, C 03-04 and Z 03-04 (origination control data): the same number throughout.
    parsed = parse(cpa005.render(payment_file([payee(n) for n in range(1, 8)], file_creation_number=number)))
    assert {record[20:24] for record in parsed.records} == {expected}


def test_seven_payees_take_two_credit_records_of_six_and_one_segments():
    # Record C: 24 characters of control data then six segments of 240; the logical record count
    # runs 1 (A), 2, 3 (C), 4 (Z). Unused segments are blank.
    parsed = parse(cpa005.render(payment_file([payee(n) for n in range(1, 8)])))
    assert [record[1:10] for record in parsed.records] == ["000000001", "000000002", "000000003", "000000004"]
    assert [len(credit.segments) for credit in parsed.credits] == [6, 1]
    assert parsed.credits[1].raw_segments[1:] == [" " * 240] * 5
    assert [segment["payee_name"].strip() for segment in parsed.segments] == [f"Ferme numero {n}" for n in range(1, 8)]
    assert parsed.trailer["record_count"] == "000000004"


def test_six_payees_fill_exactly_one_record():
    parsed = parse(cpa005.render(payment_file([payee(n) for n in range(1, 7)])))
    assert [len(credit.segments) for credit in parsed.credits] == [6]
    assert parsed.trailer["record_count"] == "000000003"


def test_the_trailer_totals_the_credits_to_the_cent():
    # Record Z: 04-05 debits (value 14, number 8) zero; 06 total value of credits (47-60),
    # 07 total number of credit transactions (61-68), counting segments, not records; 08-11 zero.
    amounts = [1, 99, 12345, 999999, 250, 5000, 100000]
    parsed = parse(cpa005.render(payment_file([payee(n, amount_cents=a) for n, a in enumerate(amounts, 1)])))
    assert [segment["amount"] for segment in parsed.segments] == [
        "0000000001",
        "0000000099",
        "0000012345",
        "0000999999",
        "0000000250",
        "0000005000",
        "0000100000",
    ]
    trailer = parsed.records[-1]
    assert trailer[24:46] == "0" * 22
    assert trailer[46:60] == "00000001117694"  # 11 176,94 $
    assert trailer[60:68] == "00000007"
    assert trailer[68:112] == "0" * 44
    assert trailer[112:] == " " * 1352


def test_the_largest_amount_fills_the_ten_digits():
    parsed = parse(cpa005.render(payment_file([payee(1, amount_cents=9_999_999_999), payee(2, amount_cents=1)])))
    assert parsed.segments[0]["amount"] == "9999999999"
    assert parsed.trailer["credit_value"] == "00010000000000"


def test_a_segment_holds_each_element_where_the_standard_puts_it():
    # Record C, segment 1 (positions 25-264), written out by hand from the element table.
    known = payee(
        name="Ferme Éloïse & Cœur-Joie",
        amount_cents=12345,
        reference="PCN-12-3",
        institution="006",
        transit="12345",
        account="1234567",
    )
    expected = (
        "450"  # 01 transaction type: miscellaneous payments (25-27)
        "0000012345"  # 02 amount, 123,45 $ (28-37)
        "026044"  # 03 date funds to be available: 13 February 2026 (38-43)
        "000612345"  # 04 0 + institution 006 + transit 12345 (44-52)
        "1234567     "  # 05 payee account, left-justified (53-64)
        "0000000000000000000000"  # 06 item trace number (65-86)
        "000"  # 07 stored transaction type (87-89)
        "UPA CAPITALE   "  # 08 originator's short name (90-104)
        "Ferme Eloise & Coeur-Joie     "  # 09 payee name (105-134)
        "Union des producteurs agricole"  # 10 originator's long name, cut at 30 (135-164)
        "0123456789"  # 11 originating direct clearer's user's ID (165-174)
        "PCN-12-3           "  # 12 originator's cross reference number (175-193)
        "081520001"  # 13 institutional ID number for returns (194-202)
        "0456789     "  # 14 account number for returns (203-214)
        "               "  # 15 originator's sundry information (215-229)
        "                      "  # 16 filler (230-251)
        "  "  # 17 originator-direct clearer settlement code (252-253)
        "00000000000"  # 18 invalid data element ID (254-264)
    )
    assert len(expected) == 240
    record = parse(cpa005.render(payment_file([known]))).records[1]
    assert record[:24] == "C0000000020123456789" "0042"
    assert record[24:264] == expected
    assert record[264:] == " " * 1200


def test_french_text_is_transliterated_to_ascii():
    originator = dataclasses.replace(ORIGINATOR, short_name="Équipe Œuvre", name="Coopérative « Bœuf » d’Âge")
    names = ["Érablière Côté", "François Lefèbvre", "Ça Ï Ü ñ", "Marché 中央 Güçlü", "Ferme\tDupré"]
    data = cpa005.render(payment_file([payee(n, name=name) for n, name in enumerate(names, 1)], originator=originator))
    data.decode("ascii")
    parsed = parse(data)
    assert [segment["payee_name"].rstrip() for segment in parsed.segments] == [
        "Erabliere Cote",
        "Francois Lefebvre",
        "Ca I U n",
        "Marche Guclu",  # characters with no ASCII form become spaces
        "Ferme Dupre",
    ]
    assert parsed.segments[0]["originator_short_name"] == "Equipe OEuvre  "
    assert parsed.segments[0]["originator_long_name"].rstrip() == "Cooperative \" Boeuf \" d'Age"


def test_long_text_is_cut_to_the_width_of_its_field():
    long_name = "Les Jardins maraîchers de la Côte-de-Beaupré et de l’Île-d’Orléans"
    parsed = parse(cpa005.render(payment_file([payee(1, name=long_name, reference="R" * 40)])))
    assert parsed.segments[0]["payee_name"] == "Les Jardins maraichers de la C"
    assert parsed.segments[0]["cross_reference"] == "R" * 19


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"account": ""}, "account number"),
        ({"account": "1234567890123"}, "account number"),
        ({"account": "12-345"}, "account number"),
        ({"institution": ""}, "institution"),
        ({"institution": "6"}, "institution"),
        ({"transit": "1234"}, "transit"),
        ({"transit": "1234A"}, "transit"),
        ({"amount_cents": 0}, "amount"),
        ({"amount_cents": -100}, "amount"),
        ({"amount_cents": 10_000_000_000}, "amount"),
        ({"amount_cents": 12.5}, "amount"),
        ({"name": "  "}, "name"),
        ({"name": "中央"}, "name"),
    ],
)
def test_a_payee_the_format_cannot_carry_is_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        cpa005.render(payment_file([payee(1), payee(2, **changes)]))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"originator_number": ""}, "originator number"),
        ({"originator_number": "123456789"}, "originator number"),
        ({"originator_number": "12345678901"}, "originator number"),
        ({"data_centre": "330"}, "data centre"),
        ({"institution": ""}, "institution"),
        ({"transit": ""}, "transit"),
        ({"account": ""}, "account"),
        ({"short_name": ""}, "short name"),
    ],
)
def test_an_originator_the_format_cannot_carry_is_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        cpa005.render(payment_file(originator=dataclasses.replace(ORIGINATOR, **changes)))


@pytest.mark.parametrize(
    "changes",
    [
        {"file_creation_number": 0},
        {"file_creation_number": 10000},
        {"currency": "XPM"},
        {"payees": ()},
    ],
)
def test_a_file_the_format_cannot_carry_is_refused(changes):
    values = dict(
        originator=ORIGINATOR,
        reference="PCN-12",
        created_on=datetime.date(2026, 2, 1),
        payment_on=datetime.date(2026, 2, 13),
        file_creation_number=42,
        payees=(payee(),),
    )
    values.update(changes)
    with pytest.raises(ValueError):
        cpa005.render(PaymentFile(**values))


def test_the_parser_catches_a_wrong_total_a_short_record_and_a_wrong_count():
    # The reader is only worth its checks: each broken file must be refused.
    data = cpa005.render(payment_file([payee(n) for n in range(1, 8)]))
    records = data.decode("ascii").split("\r\n")[:-1]

    def rebuild(changed):
        return "".join(record + "\r\n" for record in changed).encode("ascii")

    wrong_total = records[:-1] + [records[-1][:59] + "9" + records[-1][60:]]
    short = records[:1] + [records[1][:-1]] + records[2:]
    wrong_count = records[:1] + [records[1][:9] + "3" + records[1][10:]] + records[2:]
    for broken in (wrong_total, short, wrong_count):
        with pytest.raises(Cpa005Error):
            parse(rebuild(broken))
    parse(rebuild(records))


names = st.text(max_size=40).map(lambda text: "Ferme " + text)
payees = st.lists(
    st.builds(
        Payee,
        name=names,
        amount_cents=st.integers(min_value=1, max_value=9_999_999_999),
        reference=st.text(max_size=25),
        institution=st.from_regex(r"\A[0-9]{3}\Z"),
        transit=st.from_regex(r"\A[0-9]{5}\Z"),
        account=st.from_regex(r"\A[0-9]{1,12}\Z"),
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(payees)
def test_any_batch_reads_back_with_its_totals_counts_and_records(payees):
    data = cpa005.render(payment_file(payees))
    parsed = parse(data)
    assert len(parsed.credits) == -(-len(payees) // 6)
    assert [int(segment["amount"]) for segment in parsed.segments] == [p.amount_cents for p in payees]
    assert int(parsed.trailer["credit_value"]) == sum(p.amount_cents for p in payees)
    assert int(parsed.trailer["credit_number"]) == len(payees)
    assert [segment["account"].rstrip() for segment in parsed.segments] == [p.account for p in payees]
    assert [segment["institution_id"] for segment in parsed.segments] == [
        "0" + p.institution + p.transit for p in payees
    ]
