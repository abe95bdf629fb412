"""Saved budget scenarios: what a program assumes for a season it plans (pcn.simulator.budget computes the rest)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pcn.programs.models import Program, Season
from pcn.simulator import budget


class BudgetScenario(models.Model):
    """One set of inputs of the budget simulator, in cents and counts. The lists are JSON: `grants` is
    [{"name": ..., "amount_cents": ...}], `entitlement_cents` the amount per period for 1, 2, … people up to
    the cap, `households` how many households of 1, 2, … people (the last: that size or more),
    `denominations_cents` the coupon values. The service checks them (`budget.input_errors`) before saving."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="budget_scenarios")
    name = models.CharField(_("nom"), max_length=120)
    source_season = models.ForeignKey(Season, verbose_name=_("saison de départ"), on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+")
    grants = models.JSONField(_("subventions"), default=list)
    starts_on = models.DateField(_("première remise"))
    weeks = models.PositiveSmallIntegerField(_("nombre de semaines"))
    frequency = models.CharField(_("fréquence des remises"), max_length=16, choices=Season.Frequency.choices)
    entitlement_cents = models.JSONField(_("montant par période selon la taille du ménage"), default=list)
    households = models.JSONField(_("ménages selon leur taille"), default=list)
    denominations_cents = models.JSONField(_("valeurs des coupons"), default=list)
    redemption_rate_percent = models.PositiveSmallIntegerField(_("taux d'échange attendu (%)"))
    printing_cost_cents = models.PositiveIntegerField(_("coût d'impression par coupon"), default=0)
    public_sales = models.PositiveIntegerField(_("ventes au grand public"), default=0)
    public_sale_price_cents = models.PositiveIntegerField(_("prix payé par l'acheteur"), default=0)
    public_sale_face_cents = models.PositiveIntegerField(_("valeur des coupons reçus"), default=0)
    operations_percent = models.PositiveSmallIntegerField(_("part pour le fonctionnement (%)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["program", "name"]
        verbose_name = _("scénario de budget")
        verbose_name_plural = _("scénarios de budget")
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="budget_scenario_name_unique_in_program",
                                    violation_error_message=_("Un autre scénario de ce programme porte déjà ce nom.")),
            models.CheckConstraint(condition=Q(redemption_rate_percent__lte=100),
                                   name="budget_scenario_rate_percent"),
            models.CheckConstraint(condition=Q(operations_percent__lte=100),
                                   name="budget_scenario_operations_percent"),
            models.CheckConstraint(condition=Q(weeks__gte=1), name="budget_scenario_has_weeks"),
        ]

    def __str__(self) -> str:
        return self.name

    def inputs(self) -> budget.Inputs:
        return budget.Inputs(
            grants=tuple(budget.GrantLine(name=g["name"], amount_cents=g["amount_cents"]) for g in self.grants),
            starts_on=self.starts_on, weeks=self.weeks, frequency=self.frequency,
            entitlement_cents=tuple(self.entitlement_cents), households=tuple(self.households),
            denominations_cents=tuple(self.denominations_cents),
            redemption_rate_percent=self.redemption_rate_percent, printing_cost_cents=self.printing_cost_cents,
            public_sales=self.public_sales, public_sale_price_cents=self.public_sale_price_cents,
            public_sale_face_cents=self.public_sale_face_cents, operations_percent=self.operations_percent,
        )

    def set_inputs(self, inputs: budget.Inputs) -> None:
        self.grants = [{"name": g.name, "amount_cents": g.amount_cents} for g in inputs.grants]
        self.starts_on, self.weeks, self.frequency = inputs.starts_on, inputs.weeks, inputs.frequency
        self.entitlement_cents = list(inputs.entitlement_cents)
        self.households = list(inputs.households)
        self.denominations_cents = sorted({d for d in inputs.denominations_cents if d > 0})
        self.redemption_rate_percent = inputs.redemption_rate_percent
        self.printing_cost_cents = inputs.printing_cost_cents
        self.public_sales = inputs.public_sales
        self.public_sale_price_cents = inputs.public_sale_price_cents if inputs.public_sales else 0
        self.public_sale_face_cents = inputs.public_sale_face_cents if inputs.public_sales else 0
        self.operations_percent = inputs.operations_percent

    @property
    def ends_on(self) -> datetime.date:
        return self.inputs().ends_on
