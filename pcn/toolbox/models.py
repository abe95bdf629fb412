from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pcn.programs.models import Network, Program, Season


class SetupDraft(models.Model):
    """One person's walk through the setup wizard: the answers so far, kept between visits so the walk can be
    resumed. Finished when the program and its season are created from it (then it records what they came
    from: the template or the model season)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    # The program being set up: an existing one (a coordinator's), or the one the wizard created.
    program = models.ForeignKey(Program, on_delete=models.CASCADE, null=True, blank=True, related_name="setup_drafts")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    template = models.CharField(_("modèle"), max_length=32, blank=True)
    model_season = models.ForeignKey(
        Season, verbose_name=_("saison prise comme modèle"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    answers = models.JSONField(default=dict)
    step = models.CharField(max_length=16, default="start")  # the furthest step reached
    season = models.ForeignKey(Season, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("mise en place d'un programme")
        verbose_name_plural = _("mises en place de programmes")

    def __str__(self) -> str:
        return f"{self.program or self.answers.get('program', {}).get('name') or '?'} ({self.created_by})"
