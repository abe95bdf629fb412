"""Receipt verification: did the households really receive their coupons?

A coordinator draws a random sample of the season's households that were given coupons, a few per partner
(`ReceiptSample`, one `SampleStratum` per partner, one `SampledHousehold` per household drawn); the partner's
workers ask each household and record its answer (`ReceiptAnswer`, append-only: the latest answer per
household is in force, a correction is a new row). The rate and its margin of error are computed by
pcn.receipts.stats.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pcn.households.models import Household
from pcn.programs.models import Organization, Program, Season

NOTE_MAX_LENGTH = 200


class ReceiptSample(models.Model):
    """One draw for a season (several are allowed: mid-season, end of season...).

    The draw is reproducible: with `seed`, the eligible households of each partner sorted by id and
    `random.Random(f"{seed}:{partner_id}").sample(...)`, the same households come out (see services).
    The households drawn are also stored, so nothing depends on redoing it."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="receipt_samples")
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="receipt_samples")
    label = models.CharField(_("nom"), max_length=120, blank=True, help_text=_("Par exemple « Mi-saison »."))
    per_partner = models.PositiveSmallIntegerField(_("ménages par organisme"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(_("pourcentage des ménages de chaque organisme"), null=True, blank=True)
    seed = models.BigIntegerField(_("graine du tirage"))
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("tiré le"), auto_now_add=True)

    class Meta:
        ordering = ["season", "-drawn_at", "-pk"]
        verbose_name = _("vérification des remises")
        verbose_name_plural = _("vérifications des remises")
        constraints = [
            models.CheckConstraint(
                condition=Q(per_partner__isnull=False, per_partner__gte=1, percent__isnull=True)
                | Q(per_partner__isnull=True, percent__gte=1, percent__lte=100),
                name="receipt_sample_count_or_percent",
            ),
            models.CheckConstraint(condition=Q(seed__gte=0), name="receipt_sample_seed_positive"),
        ]

    def __str__(self) -> str:
        return self.label or f"{self.season.name} · {self.drawn_at:%Y-%m-%d}"


class SampleStratum(models.Model):
    """One partner's part of a draw: how many households it had that received coupons (the population the
    sample is drawn from, for the finite population correction), how many were asked for, how many drawn
    (fewer than asked when the partner had fewer: then all of them)."""

    sample = models.ForeignKey(ReceiptSample, on_delete=models.CASCADE, related_name="strata")
    partner = models.ForeignKey(Organization, verbose_name=_("organisme"), on_delete=models.PROTECT, related_name="+")
    eligible = models.PositiveIntegerField(_("ménages qui ont reçu des coupons"))
    asked = models.PositiveIntegerField(_("ménages demandés"))
    drawn = models.PositiveIntegerField(_("ménages tirés"))

    class Meta:
        ordering = ["sample", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "partner"], name="sample_stratum_one_per_partner"),
            # drawn = min(asked, eligible): as many as asked, or all of them when the partner has fewer.
            models.CheckConstraint(
                condition=Q(drawn=models.F("asked"), asked__lte=models.F("eligible"))
                | Q(drawn=models.F("eligible"), eligible__lt=models.F("asked")),
                name="sample_stratum_drawn_is_asked_or_all",
            ),
        ]

    @property
    def took_all(self) -> bool:
        """Fewer households than asked: all of them were taken."""
        return self.eligible < self.asked


class SampledHousehold(models.Model):
    """One household in a sample, with the partner whose households it was drawn among."""

    sample = models.ForeignKey(ReceiptSample, on_delete=models.CASCADE, related_name="households")
    stratum = models.ForeignKey(SampleStratum, on_delete=models.CASCADE, related_name="households")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="receipt_checks")
    partner = models.ForeignKey(Organization, verbose_name=_("organisme"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["sample", "partner__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "household"],
                name="sampled_household_once_per_sample",
                violation_error_message=_("Ce ménage est déjà dans ce tirage."),
            ),
        ]


class Answer(models.TextChoices):
    RECEIVED = "received", _("Reçu")
    NOT_RECEIVED = "not_received", _("Pas reçu")
    UNREACHABLE = "unreachable", _("Injoignable")


class ReceiptAnswer(models.Model):
    """What a sampled household said. Append-only: the latest row per household is in force; a correction
    is a new row. The note is short and carries no personal data (services refuse phone numbers and
    emails)."""

    sampled = models.ForeignKey(SampledHousehold, on_delete=models.CASCADE, related_name="answers")
    answer = models.CharField(_("réponse"), max_length=16, choices=Answer.choices)
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("noté le"), auto_now_add=True)

    class Meta:
        ordering = ["sampled", "recorded_at", "pk"]
        verbose_name = _("réponse d'un ménage")
        verbose_name_plural = _("réponses des ménages")
        constraints = [
            models.CheckConstraint(condition=Q(answer__in=Answer.values), name="receipt_answer_known"),
        ]
