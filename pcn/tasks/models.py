from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcn.programs.models import Program


def task_result_path(task: "Task", filename: str) -> str:
    """Where a task's result lives under MEDIA_ROOT (never served as plain media: see task_download)."""
    return f"tasks/{task.pk}/{filename}"


class TaskQuerySet(models.QuerySet):
    def queued(self):
        return self.filter(status=Task.Status.QUEUED)

    def running(self):
        return self.filter(status=Task.Status.RUNNING)

    def oldest_first(self):
        return self.order_by("created_at", "pk")


class Task(models.Model):
    """One piece of long work (printing a series, a big export) run by `pcn worker`; the table is the queue.

    Life: queued → running (claimed by one worker, `attempts` + 1) → done or failed. A running task whose
    heartbeat stops (its worker died) goes back to queued, at most MAX_ATTEMPTS claims in all
    (pcn.tasks.services). Times are UTC.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminée")
        FAILED = "failed", _("Échouée")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="tasks")
    name = models.CharField(_("fonction"), max_length=100, help_text=_("Nom enregistré, par exemple coupons.print_series."))
    kwargs = models.JSONField(_("paramètres"), default=dict, blank=True)
    label = models.CharField(_("titre"), max_length=200)
    language = models.CharField(_("langue"), max_length=10, default="fr")
    status = models.CharField(_("état"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    done_count = models.PositiveIntegerField(_("éléments traités"), default=0)
    total_count = models.PositiveIntegerField(_("éléments en tout"), default=0, help_text=_("0 : pas encore connu."))
    result_file = models.FileField(_("fichier produit"), upload_to=task_result_path, max_length=255, blank=True)
    result_name = models.CharField(_("nom du fichier téléchargé"), max_length=200, blank=True)
    error_message = models.TextField(_("message d'erreur"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(_("poste de travail"), max_length=200, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tâche de fond")
        verbose_name_plural = _("tâches de fond")
        indexes = [
            models.Index(fields=["status", "created_at"], name="task_status_created_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="task_status_heartbeat_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]), name="task_status_valid"
            ),
            # 0 means "total not known yet": then any count is fine.
            models.CheckConstraint(
                condition=Q(total_count=0) | Q(done_count__lte=F("total_count")),
                name="task_done_at_most_total",
            ),
            models.CheckConstraint(
                condition=~Q(status="running") | Q(started_at__isnull=False, heartbeat_at__isnull=False),
                name="task_running_has_start_and_heartbeat",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["done", "failed"], finished_at__isnull=False)
                | Q(status__in=["queued", "running"], finished_at__isnull=True),
                name="task_finished_exactly_when_over",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error_message=""),
                name="task_failed_has_message",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def is_over(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def has_result(self) -> bool:
        return self.status == self.Status.DONE and bool(self.result_file)
