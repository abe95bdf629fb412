"""The coupon code format: the one place that knows what a code looks like.

A code is 11 random symbols (55 bits from `secrets`) and 1 check symbol, written in Crockford base32
(no I, L, O, U, so nothing is ambiguous when read aloud or typed from paper). It is stored as the 12
symbols, uppercase, without dashes ("K7M29XQ4PD3A") and shown in groups of four ("K7M2-9XQ4-PD3A").

The check symbol is a linear code over GF(32), the field built from x^5 + x^2 + 1, with α its primitive
element and each symbol's value its index in the alphabet. It makes  Σ_{i=0}^{11} α^i · c_i = 0.
The weights α^0..α^11 are distinct and non-zero (α has order 31), hence:
- one wrong symbol (c_i → c_i + e, e ≠ 0) changes the sum by α^i·e ≠ 0, since a field has no zero divisors;
- swapping neighbours a ≠ b at i, i+1 changes it by α^i·(a + b)·(1 + α) ≠ 0, since a ≠ b and α ≠ 1.
So every single substitution and every adjacent transposition is caught (tests/test_codes.py checks both).

Pure Python, no Django: forms, views, the API and the offline scanner all go through these functions.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DATA_LENGTH = 11
CODE_LENGTH = DATA_LENGTH + 1
GROUP = 4

# The display form, usable as an HTML `pattern` attribute (no escapes needed under the `v` flag).
# Input boxes should rather accept anything and let normalize() say what is wrong: it is more lenient.
DISPLAY_PATTERN = "[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}"

# Reasons carried by CodeFormatError, for the UI to turn into a sentence.
REASON_LENGTH = "length"
REASON_CHARACTER = "character"
REASON_CHECK = "check"


class CodeFormatError(ValueError):
    def __init__(self, reason: str, typed: str):
        super().__init__(f"{reason}: {typed!r}")
        self.reason = reason
        self.typed = typed


# --- GF(32) ------------------------------------------------------------------------------------------

_POLYNOMIAL = 0b100101  # x^5 + x^2 + 1, primitive: x generates all 31 non-zero elements.
_EXP = [0] * 31  # _EXP[k] = α^k
_LOG = [0] * 32  # _LOG[α^k] = k (undefined for 0)
_x = 1
for _k in range(31):
    _EXP[_k] = _x
    _LOG[_x] = _k
    _x <<= 1
    if _x & 0b100000:
        _x ^= _POLYNOMIAL
del _x, _k


def _mul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[(_LOG[a] + _LOG[b]) % 31]


# Position i carries weight α^i. Addition in GF(32) is XOR, so minus is plus and the check symbol is
# c_11 = α^-11 · Σ_{i<11} α^i · c_i.
_WEIGHTS = [_EXP[i] for i in range(CODE_LENGTH)]
_CHECK_FACTOR = _EXP[-DATA_LENGTH % 31]

_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}

# What people type: either case, and Crockford's look-alikes read as the digit they resemble.
_TYPED = {**_VALUE, **{s.lower(): v for s, v in _VALUE.items()}, "I": 1, "i": 1, "L": 1, "l": 1, "O": 0, "o": 0}
# Separators people type or paste: dashes (including the Unicode hyphens word processors put in), dots,
# and any whitespace (tested with str.isspace, so no-break spaces from PDFs pass too).
_SEPARATORS = frozenset("-.\u2010\u2011\u2012\u2013")


def _sum(values: list[int]) -> int:
    total = 0
    for weight, value in zip(_WEIGHTS, values):
        total ^= _mul(weight, value)
    return total


# --- Public functions -----------------------------------------------------------------------------------


def check_symbol(data: str) -> str:
    """The check symbol for 11 canonical data symbols."""
    if len(data) != DATA_LENGTH:
        raise CodeFormatError(REASON_LENGTH, data)
    try:
        values = [_VALUE[symbol] for symbol in data]
    except KeyError:
        raise CodeFormatError(REASON_CHARACTER, data) from None
    return ALPHABET[_mul(_CHECK_FACTOR, _sum(values))]


def is_valid(canonical: str) -> bool:
    """True for a stored-form code (12 uppercase symbols, no dashes) whose check symbol is right."""
    if len(canonical) != CODE_LENGTH or not all(symbol in _VALUE for symbol in canonical):
        return False
    return _sum([_VALUE[symbol] for symbol in canonical]) == 0


def _symbols(typed: str) -> str:
    """The 12 canonical symbols in what was typed, without looking at the check symbol."""
    values = []
    for char in typed:
        if char in _SEPARATORS or char.isspace():
            continue
        # A plain lookup, not str.upper(): "ß".upper() is "SS" and "ı".upper() is "I".
        value = _TYPED.get(char)
        if value is None:
            raise CodeFormatError(REASON_CHARACTER, typed)
        values.append(value)
    if len(values) != CODE_LENGTH:
        raise CodeFormatError(REASON_LENGTH, typed)
    return "".join(ALPHABET[value] for value in values)


def normalize(typed: str) -> str:
    """The canonical form of a code as a person typed it, or CodeFormatError with a reason.

    Accepts either case, spaces, dashes, dots or no separators, and I/L for 1 and O for 0.
    Reasons are checked in this order: "character" (a symbol outside the alphabet), "length"
    (not 12 symbols), "check" (well formed but mistyped).
    """
    canonical = _symbols(typed)
    if not is_valid(canonical):
        raise CodeFormatError(REASON_CHECK, typed)
    return canonical


def looks_like_code(text: str) -> bool:
    """Format only (alphabet and length, check symbol ignored), for feedback while someone types."""
    try:
        _symbols(text)
    except CodeFormatError:
        return False
    return True


def display(canonical: str) -> str:
    """K7M29XQ4PD3A → K7M2-9XQ4-PD3A."""
    return "-".join(canonical[i : i + GROUP] for i in range(0, len(canonical), GROUP))


def new_code() -> str:
    """One fresh code in canonical form."""
    return new_codes(1)[0]


def new_codes(n: int) -> list[str]:
    """n fresh, distinct codes in canonical form.

    Distinct within the list only: the database's unique constraint is what guards against a code that
    was issued before (with 55 bits, a clash among a million codes has odds of about 1 in 70 000).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    codes = dict.fromkeys(_batch(n))  # a dict keeps the order and drops duplicates
    while len(codes) < n:
        codes.update(dict.fromkeys(_batch(n - len(codes))))
    return list(codes)


# Bulk generation works column by column with bytes.translate and big-integer XOR, all of which run
# in C: a million codes take a fraction of a second where a per-symbol loop takes several seconds.
# Each random byte gives one symbol through its low 5 bits; 256 is a multiple of 32, so the symbols are
# exactly uniform.
_CHAR_TABLE = bytes(ord(ALPHABET[b & 31]) for b in range(256))
_WEIGHTED_TABLES = [bytes(_mul(weight, b & 31) for b in range(256)) for weight in _WEIGHTS[:DATA_LENGTH]]
_CHECK_TABLE = bytes(ord(ALPHABET[_mul(_CHECK_FACTOR, b & 31)]) for b in range(256))


def _batch(n: int) -> list[str]:
    if n == 0:
        return []
    random = secrets.token_bytes(n * DATA_LENGTH)  # code k is random[11k : 11k + 11]
    chars = random.translate(_CHAR_TABLE)
    # Σ α^i · c_i for every code at once: column i holds symbol i of each code; XOR is GF(32) addition.
    total = 0
    for i, table in enumerate(_WEIGHTED_TABLES):
        total ^= int.from_bytes(random[i::DATA_LENGTH].translate(table), "big")
    checks = total.to_bytes(n, "big").translate(_CHECK_TABLE)

    out = bytearray(n * CODE_LENGTH)
    for i in range(DATA_LENGTH):
        out[i::CODE_LENGTH] = chars[i::DATA_LENGTH]
    out[DATA_LENGTH::CODE_LENGTH] = checks
    text = out.decode("ascii")
    return [text[k : k + CODE_LENGTH] for k in range(0, len(text), CODE_LENGTH)]
