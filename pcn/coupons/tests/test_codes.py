import re
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcn.coupons import codes
from pcn.coupons.codes import (
    ALPHABET,
    CODE_LENGTH,
    DISPLAY_PATTERN,
    CodeFormatError,
    check_symbol,
    display,
    is_valid,
    looks_like_code,
    new_code,
    new_codes,
    normalize,
)

data_symbols = st.text(alphabet=ALPHABET, min_size=CODE_LENGTH - 1, max_size=CODE_LENGTH - 1)
valid_codes = data_symbols.map(lambda data: data + check_symbol(data))


def reference_sum(code: str) -> int:
    """Σ x^i · c_i reduced modulo x^5 + x^2 + 1, by plain carry-less arithmetic (no tables shared with
    the module), so a change of polynomial, weights or alphabet order in codes.py shows up here."""
    total = 0
    for i, symbol in enumerate(code):
        total ^= ALPHABET.index(symbol) << i
    for bit in range(4 + CODE_LENGTH, 4, -1):
        if total >> bit & 1:
            total ^= 0b100101 << (bit - 5)
    return total


# --- The format ------------------------------------------------------------------------------------


def test_the_alphabet_is_crockford_base32_without_ambiguous_letters():
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)


@pytest.mark.parametrize(
    "data, check",
    # Pinned: every printed coupon depends on these; a change here invalidates codes in people's hands.
    [("00000000000", "0"), ("10000000000", "C"), ("00000000001", "J"), ("K7M29XQ4PD3", "P"), ("ZZZZZZZZZZZ", "5")],
)
def test_the_check_symbol_is_stable(data, check):
    assert check_symbol(data) == check
    assert reference_sum(data + check) == 0


@given(valid_codes)
def test_the_check_symbol_makes_the_weighted_sum_zero_in_gf32(code):
    assert reference_sum(code) == 0
    assert is_valid(code)


def test_every_generated_code_is_12_symbols_from_the_alphabet_and_valid():
    for code in new_codes(10_000) + [new_code() for _ in range(100)]:
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(ALPHABET)
        assert is_valid(code)
        assert reference_sum(code) == 0


def test_generated_codes_are_distinct_and_uniform_at_every_position():
    generated = new_codes(100_000)
    assert len(set(generated)) == 100_000
    expected = 100_000 / 32  # 3125, standard deviation ≈ 55: ±15 % is more than 8 deviations
    for position in range(CODE_LENGTH):
        counts = Counter(code[position] for code in generated)
        assert set(counts) == set(ALPHABET), position
        for symbol, count in counts.items():
            assert abs(count - expected) <= 0.15 * expected, (position, symbol, count)


def test_it_regenerates_duplicates(monkeypatch):
    real_token_bytes = codes.secrets.token_bytes
    calls = []

    def zeros_first(nbytes):
        calls.append(nbytes)
        return bytes(nbytes) if len(calls) == 1 else real_token_bytes(nbytes)

    monkeypatch.setattr(codes.secrets, "token_bytes", zeros_first)
    generated = new_codes(5)
    assert generated[0] == "000000000000"
    assert len(set(generated)) == 5
    assert all(is_valid(code) for code in generated)
    assert len(calls) >= 2


def test_it_returns_no_codes_for_zero_and_refuses_a_negative_count():
    assert new_codes(0) == []
    with pytest.raises(ValueError):
        new_codes(-1)


# --- Error detection -----------------------------------------------------------------------------


@given(valid_codes)
def test_every_single_symbol_substitution_is_detected(code):
    for position in range(CODE_LENGTH):
        for symbol in ALPHABET:
            if symbol != code[position]:
                mistyped = code[:position] + symbol + code[position + 1 :]
                assert not is_valid(mistyped), (code, mistyped)
                with pytest.raises(CodeFormatError) as error:
                    normalize(mistyped)
                assert error.value.reason == "check"


@given(valid_codes)
def test_every_swap_of_two_different_neighbours_is_detected(code):
    for position in range(CODE_LENGTH - 1):
        a, b = code[position], code[position + 1]
        if a != b:
            swapped = code[:position] + b + a + code[position + 2 :]
            assert not is_valid(swapped), (code, swapped)


@given(st.sampled_from(ALPHABET), st.sampled_from(ALPHABET), st.integers(0, CODE_LENGTH - 2), valid_codes)
def test_swaps_are_detected_even_in_codes_built_around_them(a, b, position, code):
    # Hypothesis rarely draws a code where a given pair sits at a given place; build such codes directly.
    data = list(code[: CODE_LENGTH - 1])
    data[min(position, CODE_LENGTH - 3)] = a
    data[min(position, CODE_LENGTH - 3) + 1] = b
    built = "".join(data) + check_symbol("".join(data))
    for i in range(CODE_LENGTH - 1):
        if built[i] != built[i + 1]:
            assert not is_valid(built[:i] + built[i + 1] + built[i] + built[i + 2 :])


# --- What people type ----------------------------------------------------------------------------


@given(valid_codes)
def test_display_and_normalize_round_trip(code):
    shown = display(code)
    assert re.fullmatch(DISPLAY_PATTERN, shown)
    assert shown.replace("-", "") == code
    assert normalize(shown) == code


@given(valid_codes)
def test_it_accepts_lowercase_spaces_dots_and_missing_dashes(code):
    groups = [code[0:4], code[4:8], code[8:12]]
    for typed in [
        code,
        code.lower(),
        " ".join(groups),
        ".".join(groups).lower(),
        f"  {code[:6]} {code[6:]}\n",
        "-".join(groups),
    ]:
        assert normalize(typed) == code, typed
        assert looks_like_code(typed)


@given(valid_codes, st.data())
def test_it_reads_i_and_l_as_one_and_o_as_zero(code, data):
    typed = "".join(
        data.draw(st.sampled_from("1IiLl")) if s == "1" else data.draw(st.sampled_from("0Oo")) if s == "0" else s
        for s in code
    )
    assert normalize(typed) == code


def test_it_reads_look_alikes_in_a_known_code():
    code = "101000000000"[:11]
    code += check_symbol(code)
    assert normalize("IOL0-OOoo-ooo" + code[-1]) == code


def test_it_accepts_pasted_no_break_spaces_and_unicode_hyphens():
    code = "K7M29XQ4PD3P"
    assert normalize("K7M2\u00a09XQ4\u2011PD3P") == code


@pytest.mark.parametrize(
    "typed",
    ["", "K7M2-9XQ4-PD3", "K7M2-9XQ4-PD3PE", "K7M2", "----", "K7M2-9XQ4-PD3P-K7M2"],
)
def test_a_wrong_number_of_symbols_is_reported_as_length(typed):
    with pytest.raises(CodeFormatError) as error:
        normalize(typed)
    assert error.value.reason == "length"
    assert isinstance(error.value, ValueError)
    assert not looks_like_code(typed)


@pytest.mark.parametrize(
    "typed",
    ["K7M2-9XQ4-PD3U", "K7M2-9XQ4-PD3*", "K7M2-9XQ4-PD3é", "K7M2-9XQ4-PDß", "K7M2-9XQ4-PDı3", "K7M2_9XQ4_PD3P", "U"],
)
def test_a_character_outside_the_alphabet_is_reported_as_character(typed):
    with pytest.raises(CodeFormatError) as error:
        normalize(typed)
    assert error.value.reason == "character"
    assert not looks_like_code(typed)


def test_a_well_formed_code_with_a_wrong_check_symbol_is_reported_as_check_but_looks_like_a_code():
    with pytest.raises(CodeFormatError) as error:
        normalize("k7m2-9xq4-pd3f")
    assert error.value.reason == "check"
    assert looks_like_code("k7m2-9xq4-pd3f")


@given(st.text())
def test_normalize_either_returns_a_valid_code_or_gives_a_reason(typed):
    try:
        canonical = normalize(typed)
    except CodeFormatError as error:
        assert error.reason in {"length", "character", "check"}
    else:
        assert is_valid(canonical)


@pytest.mark.parametrize("stored", ["k7m29xq4pd3p", "K7M2-9XQ4-PD3P", "K7M29XQ4PD3", "K7M29XQ4PD3PE", "I7M29XQ4PD3P"])
def test_is_valid_accepts_only_the_stored_form(stored):
    assert not is_valid(stored)
    assert is_valid("K7M29XQ4PD3P")
