"""The keyed hash of identity fields that spots a double enrolment without keeping anyone's identity.

The worker may type a few identity fields; only hmac_sha256(key, normalized fields) is kept. Normalizing
(accents dropped, case folded, spaces collapsed) makes « Côté  Marie-Ève » and « cote marie-eve » match.
Never log or store the arguments of these functions."""

import hashlib
import hmac
import unicodedata

from django.conf import settings

IDENTITY_FIELDS = ("family_name", "first_name", "birth_date")


_PUNCTUATION = str.maketrans({c: " " for c in "-'’.,_/"})


def normalize(text: str) -> str:
    """Accents dropped, case folded, hyphens and apostrophes read as spaces, spaces collapsed:
    « Marie-Ève » and « marie eve » are the same; « O'Neil » and « O Neil » too."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().translate(_PUNCTUATION).split())


def identity_hash(identity: dict | None) -> str:
    """Hex HMAC-SHA256 of the normalized fields, or "" unless all three were given (a family name alone
    would match every household of that name). The birth date arrives as a date (ISO form)."""
    values = [normalize(str((identity or {}).get(name) or "")) for name in IDENTITY_FIELDS]
    if not all(values):
        return ""
    message = "\x1f".join(values).encode()  # a separator no one types, so fields cannot run into each other
    return hmac.new(settings.HOUSEHOLD_IDENTITY_KEY.encode(), message, hashlib.sha256).hexdigest()
