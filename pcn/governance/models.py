from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pcn.markets.models import Vendor
from pcn.programs.models import Organization, Program


class CommitteeMember(models.Model):
    """A person on the program's steering committee. Staff and partners, never participants."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="committee_members")
    name = models.CharField(_("nom"), max_length=200)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("rôle au comité"), max_length=120, help_text=_("Par exemple « présidente », « trésorier »."))
    email = models.EmailField(_("courriel"), blank=True)
    joined_on = models.DateField(_("membre depuis"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("membre du comité")
        verbose_name_plural = _("membres du comité")

    def __str__(self) -> str:
        return self.name


def agreement_upload_to(agreement: "Agreement", filename: str) -> str:
    return f"programs/{agreement.program_id}/agreements/{filename}"


class Agreement(models.Model):
    """A signed agreement with a partner organization or a vendor, with its scanned file."""

    class Kind(models.TextChoices):
        PARTNER = "partner", _("Entente avec un partenaire")
        VENDOR = "vendor", _("Entente avec un marchand")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(_("type d'entente"), max_length=16, choices=Kind.choices)
    organization = models.ForeignKey(
        Organization, verbose_name=_("partenaire"), on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )
    vendor = models.ForeignKey(
        Vendor, verbose_name=_("marchand"), on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )
    signed_on = models.DateField(_("date de signature"))
    file = models.FileField(_("fichier signé"), upload_to=agreement_upload_to, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("entente")
        verbose_name_plural = _("ententes")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="partner", organization__isnull=False, vendor__isnull=True)
                | Q(kind="vendor", vendor__isnull=False, organization__isnull=True),
                name="agreement_has_one_matching_party",
                violation_error_message=_("Choisissez le partenaire pour une entente avec un partenaire, ou le marchand pour une entente avec un marchand."),
            ),
        ]

    @property
    def party(self):
        return self.organization if self.kind == self.Kind.PARTNER else self.vendor


class Decision(models.Model):
    """An entry in the program's decisions log. Append-only: a correction is a new decision."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="decisions")
    decided_on = models.DateField(_("date de la décision"))
    title = models.CharField(_("décision"), max_length=200)
    details = models.TextField(_("détails"), blank=True)
    recorded_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-recorded_at"]
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
