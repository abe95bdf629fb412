"""Money is integer cents everywhere. These helpers parse what people type and format for display."""

import re

# The largest amount one field may hold: 1 000 000 $ (fits the database's 32-bit integer columns).
MAX_AMOUNT_CENTS = 100_000_000

_AMOUNT = re.compile(r"^(?P<units>\d{1,12})(?:[.,](?P<cents>\d{1,2}))?$")


class MoneyFormatError(ValueError):
    pass


def parse_cents(text: str) -> int:
    """Parse an amount in dollars as typed in Québec ("12,50", "12.50 $", "1 234,5", "$12") into cents.

    Raises MoneyFormatError for anything that is not a plain non-negative amount with at most two decimals.
    """
    cleaned = text.strip().replace("$", "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    match = _AMOUNT.match(cleaned)
    if not match:
        raise MoneyFormatError(text)
    cents = match.group("cents") or "0"
    return int(match.group("units")) * 100 + int(cents.ljust(2, "0"))


def format_cents(cents: int, language: str = "fr") -> str:
    """12,50 $ in French (Québec), $12.50 in English. Thousands grouped with a narrow space or a comma."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    if language.startswith("en"):
        return f"{sign}${units:,}.{rest:02d}"
    grouped = f"{units:,}".replace(",", "\u00a0")
    return f"{sign}{grouped},{rest:02d}\u00a0$"


def format_cents_plain(cents: int, language: str = "fr") -> str:
    """The amount as it goes back into an input box: 12,50 (French) or 12.50 (English), no symbol."""
    units, rest = divmod(cents, 100)
    separator = "." if language.startswith("en") else ","
    return f"{units}{separator}{rest:02d}"
