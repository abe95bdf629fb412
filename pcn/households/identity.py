"""The keyed hash of identity fields that spots a double enrolment without keeping anyone's identity.

The worker may type a few identity fields; only hmac_sha256(key, normalized fields) is kept. Normalizing
(accents dropped, case folded, spaces collapsed) makes « Côté  Marie-Ève » and « cote marie-eve » match.
Never log or store the arguments of these functions."""

import hashlib
import hmac
import unicodedata

from django.conf import settings

IDENTITY_FIELDS = ("family_name", "first_name", "birth_date")


def normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def identity_hash(identity: dict | None) -> str:
    """Hex HMAC-SHA256 of the normalized fields, or "" when none was typed."""
    values = [normalize(str((identity or {}).get(name) or "")) for name in IDENTITY_FIELDS]
    if not any(values):
        return ""
    message = "\x1f".join(values).encode()  # a separator no one types, so fields cannot run into each other
    return hmac.new(settings.HOUSEHOLD_IDENTITY_KEY.encode(), message, hashlib.sha256).hexdigest()
