from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcn.documents.kinds import LANGUAGES, Kind
from pcn.programs.models import Network


class WordingVersionQuerySet(models.QuerySet):
    def of(self, network: Network, kind: str, language: str) -> "WordingVersionQuerySet":
        return self.filter(network=network, kind=kind, language=language)


class WordingVersion(models.Model):
    """One version of the words of a document template, in one language, for a network's programs.

    Append-only: editing saves a new version with the next number; the highest number is current.
    Version 1 is the text shipped in ``pcn/documents/wording/``, saved the first time it is used
    (`pcn.documents.services.wording_current`) so that a later release's text never changes what an old
    document's « v1 » meant.
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="wording_versions")
    kind = models.CharField(_("document"), max_length=32, choices=Kind.choices)
    language = models.CharField(_("langue"), max_length=2, choices=[(code, code) for code in LANGUAGES])
    number = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("texte"))
    note = models.CharField(_("ce qui a changé"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = WordingVersionQuerySet.as_manager()

    class Meta:
        ordering = ["network", "kind", "language", "-number"]
        verbose_name = _("version d'un modèle de document")
        verbose_name_plural = _("versions des modèles de documents")
        constraints = [
            models.UniqueConstraint(fields=["network", "kind", "language", "number"], name="wording_version_unique",
                                    violation_error_message=_("Cette version existe déjà.")),
            models.CheckConstraint(condition=Q(number__gte=1), name="wording_version_number_positive"),
            models.CheckConstraint(condition=Q(language__in=LANGUAGES), name="wording_version_language_known"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="wording_version_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language}) v{self.number}"
