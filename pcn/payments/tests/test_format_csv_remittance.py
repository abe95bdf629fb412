"""CSV remittance advice: RFC 4180 CSV in UTF-8 with a byte order mark, one row per payee and a total row,
cells guarded against formula injection (OWASP « CSV Injection »)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from pcn.payments.formats import Originator, Payee, PaymentFile, csv_remittance

ORIGINATOR = Originator(name="Union des producteurs agricoles – Capitale-Nationale", short_name="UPA CAPITALE")


def payment_file(*payees: Payee) -> PaymentFile:
    return PaymentFile(
        originator=ORIGINATOR,
        reference="PCN-12",
        created_on=datetime.date(2025, 9, 1),
        payment_on=datetime.date(2025, 9, 3),
        file_creation_number=7,
        payees=payees,
    )


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


PAYEES = (
    Payee(name="Ferme Bélanger", amount_cents=1250, reference="PCN-12-1", claims=("R-41", "R-57")),
    Payee(name="Boulangerie « Le Pétrin », Québec", amount_cents=1, reference="PCN-12-2", claims=("R-60",)),
    Payee(name='Les "Jardins" d\'Élise', amount_cents=123_456_78, reference="PCN-12-3"),
)


def test_it_starts_with_a_utf8_byte_order_mark_and_keeps_accents():
    data = csv_remittance.render(payment_file(*PAYEES))
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Ferme Bélanger".encode() in data


def test_header_then_one_row_per_payee_then_the_total():
    table = rows(csv_remittance.render(payment_file(*PAYEES)))
    assert table[0] == ["vendor", "amount", "currency", "claims", "reference"]
    assert table[1] == ["Ferme Bélanger", "12.50", "CAD", "R-41 R-57", "PCN-12-1"]
    # Commas and quotes inside a name survive the round trip (RFC 4180 §2.6, §2.7).
    assert table[2] == ["Boulangerie « Le Pétrin », Québec", "0.01", "CAD", "R-60", "PCN-12-2"]
    assert table[3] == ['Les "Jardins" d\'Élise', "123456.78", "CAD", "", "PCN-12-3"]
    assert table[4][0] == "TOTAL"
    assert len(table) == 5


def test_the_total_row_is_the_sum_of_the_rows_to_the_cent():
    amounts = [1, 99, 33, 1_000_01]
    payees = [Payee(name=f"V{n}", amount_cents=cents, reference=f"R{n}") for n, cents in enumerate(amounts)]
    table = rows(csv_remittance.render(payment_file(*payees)))
    written = [Decimal(row[1]) for row in table[1:-1]]
    assert Decimal(table[-1][1]) == sum(written) == Decimal("1001.34")
    assert table[-1][1] == "1001.34"


def test_rows_end_with_crlf():
    data = csv_remittance.render(payment_file(*PAYEES))
    # RFC 4180 §2.1: each record ends with CRLF.
    assert data.count(b"\r\n") == 5
    assert b"\n" not in data.replace(b"\r\n", b"")


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tcmd"])
def test_cells_that_would_run_as_formulas_get_an_apostrophe(dangerous):
    payee = Payee(name=dangerous, amount_cents=100, reference=dangerous, claims=(dangerous,))
    table = rows(csv_remittance.render(payment_file(payee)))
    assert table[1][0] == "'" + dangerous
    assert table[1][3] == "'" + dangerous
    assert table[1][4] == "'" + dangerous


def test_ordinary_names_are_left_alone():
    table = rows(csv_remittance.render(payment_file(Payee(name="Marché 4-saisons", amount_cents=100, reference="R"))))
    assert table[1][0] == "Marché 4-saisons"


def test_a_zero_amount_is_refused():
    with pytest.raises(ValueError):
        csv_remittance.render(payment_file(Payee(name="V", amount_cents=0, reference="R")))



def test_a_local_currency_batch_shows_units_and_dollars_side_by_side():
    # 100 $ buys 105 units (Petite-monnaie): the amount column stays in dollars, the units come beside it.
    payees = (
        Payee(name="Ferme Bélanger", amount_cents=1500, reference="PCN-12-1", local_amount=1575),
        Payee(name="Érablière", amount_cents=10000, reference="PCN-12-2", local_amount=10500),
    )
    local = PaymentFile(originator=ORIGINATOR, reference="PCN-12", created_on=datetime.date(2025, 9, 1),
                        payment_on=datetime.date(2025, 9, 3), file_creation_number=0, payees=payees,
                        currency_name="Petite-monnaie")
    table = rows(csv_remittance.render(local))
    assert table[0] == ["vendor", "amount", "currency", "claims", "reference", "local_amount", "local_currency"]
    assert table[1][1:3] + table[1][5:] == ["15.00", "CAD", "15.75", "Petite-monnaie"]
    assert table[2][5] == "105.00"
    assert table[-1][0] == "TOTAL" and table[-1][1] == "115.00" and table[-1][5] == "120.75"
