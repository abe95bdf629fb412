"""Who pays for a program: funders' grants, what each may pay for, and what was spent on operations."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from pcn.programs.models import Organization, Program


class Purpose(models.TextChoices):
    """What a grant may pay for."""

    COUPONS = "coupons", _("Coupons remis aux ménages")
    PUBLIC_SALE_BONUS = "public_sale_bonus", _("Bonification du volet grand public")
    OPERATIONS = "operations", _("Fonctionnement (impression, coordination…)")


class Grant(models.Model):
    """Money a funder gives the program for a period, for some purposes. Series of coupons, public sale
    bonuses and operating expenses are each charged to one grant."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="grants")
    funder = models.ForeignKey(Organization, verbose_name=_("bailleur de fonds"), on_delete=models.PROTECT,
                               related_name="grants")
    name = models.CharField(_("nom"), max_length=200, help_text=_("Par exemple « Fonds de développement 2026 »."))
    amount_cents = models.PositiveBigIntegerField(_("montant accordé"))
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    purposes = models.JSONField(_("peut payer"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "-starts_on", "name"]
        verbose_name = _("subvention")
        verbose_name_plural = _("subventions")
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="grant_name_unique_in_program",
                                    violation_error_message=_("Une autre subvention de ce programme porte déjà ce nom.")),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="grant_amount_positive",
                                   violation_error_message=_("Le montant doit être plus grand que zéro.")),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="grant_period_ordered",
                                   violation_error_message=_("La fin doit venir après le début.")),
            models.CheckConstraint(condition=~Q(purposes=[]), name="grant_has_a_purpose",
                                   violation_error_message=_("Cochez au moins une chose que la subvention peut payer.")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.funder})"

    def clean(self) -> None:
        if not self.purposes:
            raise ValidationError({"purposes": _g("Cochez au moins une chose que la subvention peut payer.")})
        if not set(self.purposes) <= set(Purpose.values):
            raise ValidationError({"purposes": _g("Choisissez dans la liste.")})

    def may_pay_for(self, purpose: str) -> bool:
        return purpose in self.purposes

    def get_purposes_display(self) -> list[str]:
        labels = dict(Purpose.choices)
        return [str(labels.get(p, p)) for p in self.purposes]


class Expense(models.Model):
    """An operating expense charged to a grant (printing, coordination...). Append-only: a correction is a
    new row with a negative amount."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="expenses")
    spent_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=200)
    amount_cents = models.BigIntegerField(_("montant"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["grant", "spent_on", "pk"]
        verbose_name = _("dépense")
        verbose_name_plural = _("dépenses")
        constraints = [models.CheckConstraint(condition=~Q(amount_cents=0), name="expense_amount_not_zero")]

    @property
    def program(self) -> Program:
        return self.grant.program
