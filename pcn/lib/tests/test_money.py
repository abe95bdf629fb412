import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcn.lib.money import MoneyFormatError, format_cents, format_cents_plain, parse_cents


@pytest.mark.parametrize(
    "typed, cents",
    [("12,50", 1250), ("12.50", 1250), ("12,5", 1250), ("60 $", 6000), ("$60", 6000), ("1 234,56", 123456), ("0,01", 1)],
)
def test_it_reads_amounts_as_people_type_them(typed, cents):
    assert parse_cents(typed) == cents


@pytest.mark.parametrize("typed", ["", "abc", "12,345", "-5", "1,2,3", "12.5.0", "1e3"])
def test_it_refuses_what_is_not_an_amount(typed):
    with pytest.raises(MoneyFormatError):
        parse_cents(typed)


def test_it_formats_for_quebec_french_and_english():
    assert format_cents(123456, "fr") == "1\u00a0234,56\u00a0$"
    assert format_cents(1250, "en") == "$12.50"
    assert format_cents(-5, "fr") == "-0,05\u00a0$"


@given(st.integers(min_value=0, max_value=10**11))
def test_what_is_shown_reads_back_to_the_same_cents(cents):
    assert parse_cents(format_cents(cents, "fr")) == cents
    for language in ("fr", "en"):
        assert parse_cents(format_cents_plain(cents, language)) == cents
