"""pain.001.001.03 against ISO 20022's own schema (the generic one, which takes any currency; the SEPA
variants accept EUR only), loaded from the sepaxml package where it is installed, never copied here."""

import datetime
import importlib.resources
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import xmlschema

from pcn.payments.formats import Originator, Payee, PaymentFile, pain001

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


@pytest.fixture(scope="module")
def schema():
    xsd = importlib.resources.files("sepaxml") / "schemas" / "pain.001.001.03.xsd"
    with importlib.resources.as_file(xsd) as path:
        loaded = xmlschema.XMLSchema(str(path))
    # The right schema: ISO's generic message, whose namespace we write.
    assert loaded.target_namespace == NS["p"]
    return loaded


ORIGINATOR = Originator(
    name="Union des producteurs agricoles – Capitale-Nationale",
    short_name="UPA CAPITALE",
    institution="815",
    transit="20301",
    account="1234567",
)


def payee(n: int, cents: int = 1250, **changes) -> Payee:
    values = {
        "name": f"Ferme Bélanger {n}",
        "amount_cents": cents,
        "reference": f"PCN-12-{n}",
        "claims": (f"R-{40 + n}", f"R-{60 + n}"),
        "institution": "006",
        "transit": "01234",
        "account": f"98765{n}",
    }
    return Payee(**(values | changes))


def payment_file(*payees: Payee) -> PaymentFile:
    return PaymentFile(
        originator=ORIGINATOR,
        reference="PCN-12",
        created_on=datetime.date(2025, 9, 1),
        payment_on=datetime.date(2025, 9, 3),
        file_creation_number=7,
        payees=payees,
    )


def parse(data: bytes) -> ET.Element:
    return ET.fromstring(data)


def test_it_is_valid_against_the_iso_schema(schema):
    data = pain001.render(payment_file(payee(1), payee(2, 99_999_99)))
    schema.validate(io.BytesIO(data))


def test_it_declares_utf8_and_keeps_accents():
    data = pain001.render(payment_file(payee(1)))
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = parse(data)
    assert root.find(".//p:Cdtr/p:Nm", NS).text == "Ferme Bélanger 1"
    assert root.find(".//p:InitgPty/p:Nm", NS).text == ORIGINATOR.name


def test_group_header_counts_and_sums_the_payees_to_the_cent():
    amounts = [1, 99, 100, 12_345, 250_000_00, 7, 1_000_001]
    root = parse(pain001.render(payment_file(*(payee(n, cents) for n, cents in enumerate(amounts)))))
    # GrpHdr NbOfTxs / CtrlSum (message definition 1.6, 1.7): the number and the sum of the instructed amounts.
    assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", NS).text == "7"
    expected = sum(Decimal(cents) / 100 for cents in amounts)
    assert Decimal(root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", NS).text) == expected
    instructed = [Decimal(e.text) for e in root.iterfind(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", NS)]
    assert sum(instructed) == expected
    assert Decimal(root.find(".//p:PmtInf/p:CtrlSum", NS).text) == expected
    assert root.find(".//p:PmtInf/p:NbOfTxs", NS).text == "7"


def test_one_cent_is_written_0_01():
    root = parse(pain001.render(payment_file(payee(1, 1))))
    amount = root.find(".//p:InstdAmt", NS)
    assert amount.text == "0.01"
    assert amount.get("Ccy") == "CAD"
    assert root.find(".//p:GrpHdr/p:CtrlSum", NS).text == "0.01"


def test_amounts_have_two_decimals():
    root = parse(pain001.render(payment_file(payee(1, 1_000_000_00), payee(2, 10))))
    assert [e.text for e in root.iterfind(".//p:InstdAmt", NS)] == ["1000000.00", "0.10"]
    assert root.find(".//p:GrpHdr/p:CtrlSum", NS).text == "1000000.10"


def test_seven_payees_make_seven_credit_transfers_in_one_payment_information(schema):
    data = pain001.render(payment_file(*(payee(n) for n in range(1, 8))))
    schema.validate(io.BytesIO(data))
    root = parse(data)
    assert len(root.findall(".//p:PmtInf", NS)) == 1
    transfers = root.findall(".//p:PmtInf/p:CdtTrfTxInf", NS)
    assert len(transfers) == 7
    assert [t.find("p:PmtId/p:EndToEndId", NS).text for t in transfers] == [f"PCN-12-{n}" for n in range(1, 8)]


def test_payment_information_carries_the_debtor_and_the_date():
    root = parse(pain001.render(payment_file(payee(1))))
    header = root.find(".//p:GrpHdr", NS)
    assert header.find("p:MsgId", NS).text == "PCN-12/0007"
    assert header.find("p:CreDtTm", NS).text.startswith("2025-09-01T")
    info = root.find(".//p:PmtInf", NS)
    assert info.find("p:PmtMtd", NS).text == "TRF"
    assert info.find("p:BtchBookg", NS).text == "true"
    assert info.find("p:ReqdExctnDt", NS).text == "2025-09-03"
    assert info.find("p:DbtrAcct/p:Id/p:Othr/p:Id", NS).text == "1234567"
    # Canadian clearing: CACPA, member id 0 + institution + transit (9 digits).
    member = info.find("p:DbtrAgt/p:FinInstnId/p:ClrSysMmbId", NS)
    assert member.find("p:ClrSysId/p:Cd", NS).text == "CACPA"
    assert member.find("p:MmbId", NS).text == "081520301"


def test_credit_transfer_carries_the_payee_bank_account_and_claims():
    root = parse(pain001.render(payment_file(payee(3))))
    transfer = root.find(".//p:CdtTrfTxInf", NS)
    assert transfer.find("p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:ClrSysId/p:Cd", NS).text == "CACPA"
    assert transfer.find("p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:MmbId", NS).text == "000601234"
    assert transfer.find("p:CdtrAcct/p:Id/p:Othr/p:Id", NS).text == "987653"
    assert transfer.find("p:RmtInf/p:Ustrd", NS).text == "R-43 R-63"


def test_the_message_replaces_the_claims_in_the_remittance_information():
    root = parse(pain001.render(payment_file(payee(1, message="Coupons d'août, marché de Saint-Casimir"))))
    assert root.find(".//p:Ustrd", NS).text == "Coupons d'août, marché de Saint-Casimir"


def test_long_texts_are_cut_to_the_schema_and_stay_valid(schema):
    long_name = "Coopérative de solidarité " + "é" * 300
    claims = tuple(f"R-{n}" for n in range(1000, 1100))
    data = pain001.render(payment_file(payee(1, name=long_name, claims=claims)))
    schema.validate(io.BytesIO(data))
    root = parse(data)
    # Max140Text counts characters, not bytes.
    name = root.find(".//p:Cdtr/p:Nm", NS).text
    assert len(name) == 140 and name == long_name[:140]
    ustrd = root.find(".//p:Ustrd", NS).text
    assert len(ustrd) <= 140 and ustrd.startswith("R-1000 R-1001")


def test_line_breaks_in_names_become_spaces(schema):
    data = pain001.render(payment_file(payee(1, name="Ferme\nBélanger\t& fils")))
    schema.validate(io.BytesIO(data))
    assert parse(data).find(".//p:Cdtr/p:Nm", NS).text == "Ferme Bélanger & fils"


def test_a_payee_without_an_account_is_refused():
    with pytest.raises(ValueError, match="account"):
        pain001.render(payment_file(payee(1), payee(2, account="")))


def test_a_payee_without_a_transit_is_refused():
    with pytest.raises(ValueError, match="transit"):
        pain001.render(payment_file(payee(1, transit="")))


def test_a_reference_too_long_for_end_to_end_id_is_refused_not_cut():
    with pytest.raises(ValueError, match="35"):
        pain001.render(payment_file(payee(1, reference="PCN-" + "9" * 40)))


def test_zero_and_float_amounts_are_refused():
    with pytest.raises(ValueError):
        pain001.render(payment_file(payee(1, 0)))
    with pytest.raises(ValueError):
        pain001.render(payment_file(payee(1, 12.5)))


def test_an_empty_file_is_refused():
    with pytest.raises(ValueError):
        pain001.render(payment_file())
