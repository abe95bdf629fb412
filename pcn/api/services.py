"""Writes for API tokens: make one (the clear key is returned once and never stored), revoke one."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcn.api.models import PREFIX_LENGTH, ApiToken, key_hash


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Make a token for `user` and return it with its clear key. The caller shows the key once: only its
    hash is stored, so it cannot be shown again (make a new token instead)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Donnez un nom à la clé, pour la reconnaître plus tard.")})
    # 256 random bits, 43 characters of [A-Za-z0-9_-]; never a leading "-", so that its prefix can be typed as a
    # command's argument (`pcn revoke_api_token coordo <prefix>`) without being read as an option.
    while (key := secrets.token_urlsafe(32)).startswith("-"):
        pass
    token = ApiToken(user=user, name=name, key_hash=key_hash(key), prefix=key[:PREFIX_LENGTH])
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token for good. Revoking twice keeps the first date."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token
