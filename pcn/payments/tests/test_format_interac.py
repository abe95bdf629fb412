"""Bulk Interac e-Transfer list: columns name, email, phone, amount, message; every recipient reachable by
email or mobile phone; amounts in dollars to the cent; the message at most 400 characters."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from pcn.payments.formats import Originator, Payee, PaymentFile, interac

ORIGINATOR = Originator(name="Marché public de Saint-Casimir", short_name="MARCHE ST-CAS")


def payment_file(*payees: Payee, currency: str = "CAD") -> PaymentFile:
    return PaymentFile(
        originator=ORIGINATOR,
        reference="PCN-12",
        created_on=datetime.date(2025, 9, 1),
        payment_on=datetime.date(2025, 9, 3),
        file_creation_number=7,
        payees=payees,
        currency=currency,
    )


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def payee(n: int, cents: int = 1250, **changes) -> Payee:
    values = {
        "name": f"Ferme Bélanger {n}",
        "amount_cents": cents,
        "reference": f"PCN-12-{n}",
        "claims": ("R-41", "R-57"),
    }
    return Payee(**(values | changes))


def test_columns_are_name_email_phone_amount_message():
    data = interac.render(payment_file(payee(1, email="ferme@example.ca")))
    assert not data.startswith(b"\xef\xbb\xbf")
    table = rows(data)
    assert table[0] == ["name", "email", "phone", "amount", "message"]
    assert table[1] == ["Ferme Bélanger 1", "ferme@example.ca", "", "12.50", "PCN-12-1 – réclamations R-41, R-57"]


def test_a_phone_alone_is_enough_and_is_written_as_ten_digits():
    table = rows(interac.render(payment_file(payee(1, phone="+1 (418) 555-0123"), payee(2, phone="418.555.0199"))))
    assert [row[1:3] for row in table[1:]] == [["", "4185550123"], ["", "4185550199"]]


def test_email_and_phone_together_are_both_written():
    table = rows(interac.render(payment_file(payee(1, email="a@b.ca", phone="4185550123"))))
    assert table[1][1:3] == ["a@b.ca", "4185550123"]


def test_a_payee_with_neither_email_nor_phone_is_refused():
    with pytest.raises(ValueError, match="neither"):
        interac.render(payment_file(payee(1, email="a@b.ca"), payee(2, email=" ", phone="")))


def test_a_phone_without_ten_digits_is_refused():
    with pytest.raises(ValueError, match="10 digits"):
        interac.render(payment_file(payee(1, phone="555-0123")))


def test_an_email_without_a_domain_is_refused():
    with pytest.raises(ValueError, match="email"):
        interac.render(payment_file(payee(1, email="ferme.belanger")))


def test_amounts_are_dollars_to_the_cent():
    amounts = [1, 10, 99, 100, 12_345, 2_500_00]
    payees = (payee(n, cents, email=f"v{n}@x.ca") for n, cents in enumerate(amounts))
    table = rows(interac.render(payment_file(*payees)))
    assert [row[3] for row in table[1:]] == ["0.01", "0.10", "0.99", "1.00", "123.45", "2500.00"]
    assert sum(Decimal(row[3]) for row in table[1:]) * 100 == sum(amounts)


def test_the_message_carries_the_reference_claims_and_our_words_within_400_characters():
    claims = tuple(f"R-{n}" for n in range(1000, 1200))
    table = rows(interac.render(payment_file(payee(1, email="a@b.ca", claims=claims, message="Merci!"))))
    message = table[1][4]
    assert len(message) <= 400
    assert message.startswith("PCN-12-1 – réclamations R-1000, R-1001")
    short = rows(interac.render(payment_file(payee(2, email="a@b.ca", message="Merci!"))))[1][4]
    assert short == "PCN-12-2 – réclamations R-41, R-57 – Merci!"


def test_names_that_would_run_as_formulas_get_an_apostrophe():
    table = rows(interac.render(payment_file(payee(1, name="=cmd|' /C calc'!A0", email="a@b.ca"))))
    assert table[1][0] == "'=cmd|' /C calc'!A0"


def test_only_canadian_dollars():
    with pytest.raises(ValueError, match="Canadian"):
        interac.render(payment_file(payee(1, email="a@b.ca"), currency="USD"))
