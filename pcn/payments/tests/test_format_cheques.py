"""Cheque list PDF, and French amounts in words by the traditional rules (OQLF, « Nombres en lettres »:
trait d'union dans les dizaines, « et » avec un et onze, accord de vingt et cent, mille invariable)."""

import datetime

import pypdfium2
import pytest

from pcn.payments.formats import Originator, Payee, PaymentFile, cheques
from pcn.payments.formats.cheques import amount_in_words, number_in_words


@pytest.mark.parametrize(
    "number, words",
    [
        (0, "zéro"),
        (1, "un"),
        (16, "seize"),
        (17, "dix-sept"),
        (21, "vingt et un"),
        (22, "vingt-deux"),
        (61, "soixante et un"),
        (70, "soixante-dix"),
        (71, "soixante et onze"),
        (77, "soixante-dix-sept"),
        (80, "quatre-vingts"),
        (81, "quatre-vingt-un"),
        (90, "quatre-vingt-dix"),
        (91, "quatre-vingt-onze"),
        (99, "quatre-vingt-dix-neuf"),
        (100, "cent"),
        (101, "cent un"),
        (123, "cent vingt-trois"),
        (180, "cent quatre-vingts"),
        (200, "deux cents"),
        (201, "deux cent un"),
        (1000, "mille"),
        (1001, "mille un"),
        (2000, "deux mille"),
        (80_000, "quatre-vingt mille"),  # vingt before mille loses its s
        (200_000, "deux cent mille"),  # cent before mille loses its s
        (12_345, "douze mille trois cent quarante-cinq"),
        (1_000_000, "un million"),
        (2_000_000, "deux millions"),
        (200_000_000, "deux cents millions"),  # million is a noun: cents keeps its s
        (1_000_200, "un million deux cents"),
        (3_000_000_000, "trois milliards"),
    ],
)
def test_numbers_in_french_words(number, words):
    assert number_in_words(number) == words


@pytest.mark.parametrize(
    "cents, words",
    [
        (12_345, "cent vingt-trois dollars et quarante-cinq cents"),
        (100, "un dollar"),
        (101, "un dollar et un cent"),
        (45, "quarante-cinq cents"),
        (2_000_00, "deux mille dollars"),
        (1_000_000_00, "un million de dollars"),
        (1_000_200_00, "un million deux cents dollars"),
        (0, "zéro dollar"),
    ],
)
def test_amounts_in_french_words(cents, words):
    assert amount_in_words(cents) == words


def test_negative_numbers_are_refused():
    with pytest.raises(ValueError):
        number_in_words(-1)


ORIGINATOR = Originator(name="Union des producteurs agricoles – Capitale-Nationale", short_name="UPA CAPITALE")

PAYEES = (
    Payee(
        name="Ferme Bélanger & fils",
        amount_cents=12_345,
        reference="PCN-12-1",
        claims=("R-41", "R-57"),
        address="12, rang Saint-Joseph\nSaint-Casimir (Québec) G0A 3L0",
    ),
    Payee(name="Boulangerie <Le Pétrin>", amount_cents=8_100, reference="PCN-12-2", claims=("R-60",)),
    Payee(name="Jardins d'Élise", amount_cents=1_000_000_00, reference="PCN-12-3", claims=("R-61",)),
)


def payment_file(*payees: Payee) -> PaymentFile:
    return PaymentFile(
        originator=ORIGINATOR,
        reference="PCN-12",
        created_on=datetime.date(2025, 9, 1),
        payment_on=datetime.date(2025, 9, 3),
        file_creation_number=7,
        payees=payees,
    )


def pdf_pages(data: bytes) -> list[str]:
    pdf = pypdfium2.PdfDocument(data)
    try:
        texts = []
        for page in pdf:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    # Lines wrap inside table cells; compare words, not layout.
    return [" ".join(text.replace("\u00a0", " ").replace("\ufffe", "").split()) for text in texts]


def test_the_pdf_lists_names_addresses_amounts_words_claims_and_references():
    data = cheques.render(payment_file(*PAYEES))
    assert data.startswith(b"%PDF-")
    text = " ".join(pdf_pages(data))
    for expected in (
        "Ferme Bélanger & fils",
        "12, rang Saint-Joseph",
        "Saint-Casimir (Québec) G0A 3L0",
        "123,45 $",
        "cent vingt-trois dollars et quarante-cinq cents",
        "Boulangerie <Le Pétrin>",
        "81,00 $",
        "quatre-vingt-un dollars",
        "Jardins d'Élise",
        "1 000 000,00 $",
        "un million de dollars",
        "R-41, R-57",
        "PCN-12-1",
        "PCN-12-3",
    ):
        assert expected in text, expected


def test_the_total_is_at_the_bottom_in_figures_and_words():
    text = pdf_pages(cheques.render(payment_file(*PAYEES)))[-1]
    # 123.45 + 81.00 + 1 000 000.00 = 1 000 204.45
    assert "Total (3 chèques) 1 000 204,45 $" in text
    assert "un million deux cent quatre dollars et quarante-cinq cents" in text
    assert text.index("Total") > text.index("Jardins d'Élise")


def test_every_page_has_the_originator_and_the_batch_reference():
    payees = tuple(Payee(name=f"Producteur {n}", amount_cents=1_000 + n, reference=f"PCN-12-{n}") for n in range(1, 81))
    pages = pdf_pages(cheques.render(payment_file(*payees)))
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert ORIGINATOR.name in text
        assert "lot PCN-12" in text
        assert "paiement du 3 septembre 2025" in text
        assert f"Page {number}" in text
    everything = " ".join(pages)
    assert all(f"Producteur {n} " in everything for n in range(1, 81))
    # 80 × 10.00 + (1 + 2 + ... + 80) cents = 800.00 + 32.40
    assert "Total (80 chèques) 832,40 $ huit cent trente-deux dollars et quarante cents" in pages[-1]


def test_the_same_batch_gives_the_same_file():
    assert cheques.render(payment_file(*PAYEES)) == cheques.render(payment_file(*PAYEES))


def test_a_zero_amount_is_refused():
    with pytest.raises(ValueError):
        cheques.render(payment_file(Payee(name="V", amount_cents=0, reference="R")))
