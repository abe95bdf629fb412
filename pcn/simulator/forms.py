"""The scenario form: amounts in dollars on screen, cents inside (MoneyField); `to_inputs()` gives budget.Inputs."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from pcn.lib.formfields import MoneyField
from pcn.programs.forms import DateInput, household_size_label
from pcn.programs.models import Season
from pcn.simulator import budget

GRANT_SLOTS = 4
DENOMINATION_SLOTS = 6
SIZE_ROWS = 8


def _count(label, *, most: int, help_text="", required=False, initial=None, message=None):
    message = message or _("Écrivez un nombre entier, 0 ou plus.")
    return forms.IntegerField(
        label=label, min_value=0, max_value=most, required=required, help_text=help_text, initial=initial,
        widget=forms.NumberInput(attrs={"min": 0, "max": most, "inputmode": "numeric"}),
        error_messages={"invalid": message, "min_value": message, "required": message,
                        "max_value": _("Ce nombre est trop grand : écrivez au plus %(limit_value)s.")},
    )


class ScenarioForm(forms.Form):
    """Field names match budget.input_errors' keys, so the service's messages land on the right field."""

    name = forms.CharField(label=_("Nom du scénario"), max_length=120,
                           help_text=_("Par exemple « Été 2027, 150 ménages »."),
                           error_messages={"required": _("Donnez un nom au scénario.")})
    starts_on = forms.DateField(label=_("Première remise"), widget=DateInput(),
                                error_messages={"required": _("Donnez la date de la première remise."),
                                                "invalid": _("Écrivez une date, par exemple 2027-06-12.")})
    weeks = _count(_("Nombre de semaines"), most=budget.MAX_WEEKS, required=True,
                   message=_("Écrivez un nombre de semaines, de 1 à 60."))
    frequency = forms.ChoiceField(label=_("Fréquence des remises"), choices=Season.Frequency.choices)
    redemption_rate_percent = _count(_("Taux d'échange attendu (%)"), most=100, required=True,
                                     message=_("Écrivez un pourcentage, de 0 à 100."))
    printing_cost_cents = MoneyField(label=_("Coût d'impression par coupon"), allow_zero=True, required=False)
    public_sales = _count(_("Nombre de ventes au grand public"), most=budget.MAX_SALES)
    public_sale_price_cents = MoneyField(label=_("L'acheteur paie"), required=False)
    public_sale_face_cents = MoneyField(label=_("Il reçoit en coupons"), required=False)
    operations_percent = _count(_("Part du budget pour le fonctionnement (%)"), most=100,
                                message=_("Écrivez un pourcentage, de 0 à 100."))

    def __init__(self, *args, inputs: budget.Inputs | None = None, name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        grants = list(inputs.grants) if inputs else []
        self.grant_slots = max(GRANT_SLOTS, len(grants) + 1)
        for i in range(self.grant_slots):
            grant = grants[i] if i < len(grants) else None
            self.fields[f"grant_name_{i}"] = forms.CharField(
                label=_("Subvention %(n)s") % {"n": i + 1}, max_length=200, required=False,
                initial=grant.name if grant else "")
            self.fields[f"grant_amount_{i}"] = MoneyField(
                label=_("Montant"), required=False, initial=grant.amount_cents if grant else None)
        table = list(inputs.entitlement_cents) if inputs else []
        households = list(inputs.households) if inputs else []
        self.size_rows = max(SIZE_ROWS, len(table), len(households))
        for size in range(1, self.size_rows + 1):
            label = household_size_label(size, or_more=size == self.size_rows)
            amount = table[size - 1] if size <= len(table) else None
            self.fields[f"amount_{size}"] = MoneyField(label=label, required=False, initial=amount or None)
            count = households[size - 1] if size <= len(households) else None
            self.fields[f"households_{size}"] = _count(label, most=budget.MAX_HOUSEHOLDS, initial=count or None)
        values = sorted({d for d in inputs.denominations_cents if d > 0}) if inputs else []
        for i in range(DENOMINATION_SLOTS):
            self.fields[f"denomination_{i}"] = MoneyField(
                label=_("Valeur %(n)s") % {"n": i + 1}, required=False, initial=values[i] if i < len(values) else None)
        if inputs is not None and not self.is_bound:
            self.initial.update({
                "name": name, "starts_on": inputs.starts_on, "weeks": inputs.weeks, "frequency": inputs.frequency,
                "redemption_rate_percent": inputs.redemption_rate_percent,
                "printing_cost_cents": inputs.printing_cost_cents, "public_sales": inputs.public_sales,
                "public_sale_price_cents": inputs.public_sale_price_cents or None,
                "public_sale_face_cents": inputs.public_sale_face_cents or None,
                "operations_percent": inputs.operations_percent,
            })
        elif not self.is_bound:
            self.initial.setdefault("weeks", 12)
            self.initial.setdefault("redemption_rate_percent", 80)
            self.initial.setdefault("operations_percent", 0)

    # Groups of fields for the template.
    def grant_rows(self):
        return [(self[f"grant_name_{i}"], self[f"grant_amount_{i}"]) for i in range(self.grant_slots)]

    def size_table(self):
        return [(size, self[f"amount_{size}"], self[f"households_{size}"]) for size in range(1, self.size_rows + 1)]

    def denomination_fields(self):
        return [self[f"denomination_{i}"] for i in range(DENOMINATION_SLOTS)]

    def to_inputs(self) -> budget.Inputs:
        data = self.cleaned_data
        grants = []
        for i in range(self.grant_slots):
            amount = data.get(f"grant_amount_{i}")
            if amount:
                name = (data.get(f"grant_name_{i}") or "").strip() or str(_("Subvention %(n)s") % {"n": i + 1})
                grants.append(budget.GrantLine(name=name, amount_cents=amount))
        amounts = [data.get(f"amount_{size}") or 0 for size in range(1, self.size_rows + 1)]
        cap = max((size for size, cents in enumerate(amounts, start=1) if cents), default=0)
        counts = [data.get(f"households_{size}") or 0 for size in range(1, self.size_rows + 1)]
        last = max((size for size, n in enumerate(counts, start=1) if n), default=0)
        return budget.Inputs(
            grants=tuple(grants), starts_on=data["starts_on"], weeks=data["weeks"], frequency=data["frequency"],
            entitlement_cents=tuple(amounts[:cap]), households=tuple(counts[:max(cap, last)]),
            denominations_cents=tuple(sorted({data.get(f"denomination_{i}") or 0
                                              for i in range(DENOMINATION_SLOTS)} - {0})),
            redemption_rate_percent=data["redemption_rate_percent"],
            printing_cost_cents=data.get("printing_cost_cents") or 0,
            public_sales=data.get("public_sales") or 0,
            public_sale_price_cents=data.get("public_sale_price_cents") or 0,
            public_sale_face_cents=data.get("public_sale_face_cents") or 0,
            operations_percent=data.get("operations_percent") or 0,
        )


class StartFromSeasonForm(forms.Form):
    season = forms.ModelChoiceField(label=_("Partir d'une saison du programme"), queryset=Season.objects.none(),
                                    empty_label=_("— Choisissez —"))

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["season"].queryset = program.seasons.all()


def default_inputs() -> budget.Inputs:
    """A blank scenario's starting values (the Portneuf pilot's shape, without households)."""
    today = datetime.date.today()
    return budget.Inputs(grants=(), starts_on=datetime.date(today.year + (today.month > 6), 6, 13), weeks=12,
                         frequency=Season.Frequency.WEEKLY, entitlement_cents=(), households=(),
                         denominations_cents=(500,), redemption_rate_percent=80)
