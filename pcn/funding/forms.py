from django import forms
from django.utils.translation import gettext_lazy as _

from pcn.funding.models import Grant, Purpose
from pcn.lib.formfields import MoneyField, MultipleChoiceListField
from pcn.programs.forms import DateInput
from pcn.programs.models import Organization


class GrantForm(forms.Form):
    funder = forms.ModelChoiceField(
        label=_("Bailleur de fonds"), queryset=Organization.objects.none(), empty_label=_("— Choisissez —"),
        help_text=_("Il n'est pas dans la liste ? Ajoutez-le dans Partenaires, avec le type « Bailleur de fonds »."),
    )
    name = forms.CharField(label=_("Nom de la subvention"), max_length=200,
                           help_text=_("Par exemple « Fonds de développement 2026 »."))
    amount_cents = MoneyField(label=_("Montant accordé"), help_text=_("En dollars, par exemple 25 000,00."))
    starts_on = forms.DateField(label=_("Début"), widget=DateInput())
    ends_on = forms.DateField(label=_("Fin"), widget=DateInput(),
                              help_text=_("Les saisons payées par la subvention doivent toucher cette période."))
    purposes = MultipleChoiceListField(label=_("Elle peut payer"), choices=Purpose.choices)

    def __init__(self, *args, program, grant: Grant | None = None, **kwargs):
        if grant is not None:
            kwargs.setdefault("initial", {
                "funder": grant.funder_id, "name": grant.name, "amount_cents": grant.amount_cents,
                "starts_on": grant.starts_on, "ends_on": grant.ends_on, "purposes": grant.purposes,
            })
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = program.organizations.filter(kind=Organization.Kind.FUNDER)


class ExpenseForm(forms.Form):
    spent_on = forms.DateField(label=_("Date"), widget=DateInput())
    description = forms.CharField(label=_("Ce qui a été payé"), max_length=200,
                                  help_text=_("Par exemple « Impression des coupons »."))
    amount_cents = MoneyField(label=_("Montant"))
    correction = forms.BooleanField(
        label=_("C'est une correction : retirer ce montant"), required=False,
        help_text=_("Une dépense inscrite ne s'efface pas : pour corriger une erreur, inscrivez le montant à retirer."),
    )

    def amount(self) -> int:
        amount = self.cleaned_data["amount_cents"]
        return -amount if self.cleaned_data.get("correction") else amount
