from django import forms
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from pcn.markets.models import Market
from pcn.programs.models import Organization


class FilterForm(forms.Form):
    """The dashboard's filters, from the query string. Blank means « all »."""

    start = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    partner = forms.ModelChoiceField(label=_("Organisme partenaire"), queryset=Organization.objects.none(),
                                     required=False, empty_label=_("Tous"))
    market = forms.ModelChoiceField(label=_("Marché"), queryset=Market.objects.none(), required=False,
                                    empty_label=_("Tous"))

    def __init__(self, *args, season, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Organization.objects.filter(
            program_id=season.program_id, kind__in=Organization.PARTNER_KINDS)
        self.fields["market"].queryset = Market.objects.filter(program_id=season.program_id)
        for name, field in self.fields.items():
            field.error_messages["invalid"] = _("Écrivez une date comme 2026-07-15, ou choisissez-la.") \
                if name in ("start", "end") else _("Choisissez dans la liste.")
            field.error_messages["invalid_choice"] = _("Choisissez dans la liste.")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_g("La date « du » doit venir avant la date « au »."))
        return data


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Saisons commencées en"), coerce=int, required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
