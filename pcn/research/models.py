"""A program's decision to share its de-identified data with researchers (issue 7, item 4).

Append-only: a change of mind is a new row; the latest row is the one in force. No row means no sharing."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pcn.programs.models import Program

MIN_THRESHOLD = 5  # the smallest count shown in an aggregate; a program may only raise it


class ResearchSharingQuerySet(models.QuerySet):
    def latest_first(self) -> "ResearchSharingQuerySet":
        return self.order_by("-decided_at", "-pk")


class ResearchSharing(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="research_sharings")
    shared = models.BooleanField(_("partager avec la recherche"))
    threshold = models.PositiveSmallIntegerField(
        _("plus petit nombre montré"), default=MIN_THRESHOLD,
        help_text=_("Dans les tableaux de totaux, un nombre plus petit que celui-ci est caché. Au moins 5."),
    )
    community_signoff = models.BooleanField(
        _("accord du conseil de bande"), default=False,
        help_text=_("Pour le programme d'une communauté autochtone : le conseil de bande a donné son accord."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = ResearchSharingQuerySet.as_manager()

    class Meta:
        ordering = ["program", "-decided_at", "-pk"]
        verbose_name = _("partage avec la recherche")
        verbose_name_plural = _("partages avec la recherche")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=MIN_THRESHOLD), name="research_sharing_threshold_at_least_5",
                violation_error_message=_("Le plus petit nombre montré est d'au moins 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} · {'oui' if self.shared else 'non'}"


class ResearchDownload(models.Model):
    """Who took a research export of which season, and when: the program sees where its data went."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="research_downloads")
    season = models.ForeignKey("programs.Season", on_delete=models.CASCADE, related_name="research_downloads")
    sharing = models.ForeignKey(ResearchSharing, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    downloaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-downloaded_at", "-pk"]
        verbose_name = _("export pour la recherche téléchargé")
        verbose_name_plural = _("exports pour la recherche téléchargés")
