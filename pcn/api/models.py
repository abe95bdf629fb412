"""Personal API tokens. The clear key is shown once, when the token is made; only its SHA-256 is kept."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PREFIX_LENGTH = 8


def key_hash(key: str) -> str:
    """SHA-256 (hex) of a clear key. A plain hash is enough: keys are 256-bit random, not passwords."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """Lets a script act as its user: the same roles, through the same access helpers as the pages."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=100, help_text=_("À quoi sert cette clé, par exemple « import des ventes »."))
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("début de la clé"), max_length=PREFIX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["user", "-created_at"]
        verbose_name = _("clé d'API")
        verbose_name_plural = _("clés d'API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
