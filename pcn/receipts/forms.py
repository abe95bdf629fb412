from django import forms
from django.utils.translation import gettext_lazy as _

from pcn.receipts.models import NOTE_MAX_LENGTH, Answer
from pcn.receipts.services import MAX_PER_PARTNER


class DrawForm(forms.Form):
    COUNT, PERCENT = "count", "percent"

    label = forms.CharField(
        label=_("Nom du tirage"), max_length=120, required=False,
        help_text=_("Facultatif. Par exemple « Mi-saison » ou « Fin de saison »."),
    )
    how = forms.ChoiceField(
        label=_("Combien de ménages par organisme ?"),
        choices=[(COUNT, _("Un nombre de ménages")), (PERCENT, _("Un pourcentage de ses ménages"))],
        widget=forms.RadioSelect, initial=COUNT,
    )
    number = forms.IntegerField(
        label=_("Nombre ou pourcentage"), min_value=1, max_value=MAX_PER_PARTNER, initial=10,
        help_text=_("Par exemple 10 ménages, ou 5 %. Un organisme qui a moins de ménages les donne tous."),
        error_messages={"required": _("Écrivez un nombre, par exemple 10."),
                        "invalid": _("Écrivez un nombre entier, par exemple 10.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("how") == self.PERCENT and data.get("number") and data["number"] > 100:
            self.add_error("number", _("Un pourcentage va de 1 à 100."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kind = "percent" if data["how"] == self.PERCENT else "per_partner"
        return {"label": data["label"], kind: data["number"]}


CHOOSE = _("Choisissez une réponse : Reçu, Pas reçu ou Injoignable.")


class AnswerForm(forms.Form):
    sampled = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(choices=Answer.choices, error_messages={"required": CHOOSE, "invalid_choice": CHOOSE})
    note = forms.CharField(label=_("Note (sans nom ni téléphone)"), max_length=NOTE_MAX_LENGTH, required=False)
