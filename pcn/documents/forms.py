from django import forms
from django.utils.translation import gettext_lazy as _

from pcn.documents.wording import MAX_LENGTH


class WordingForm(forms.Form):
    body = forms.CharField(
        label=_("Texte du modèle"),
        max_length=MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
        error_messages={"required": _("Le texte est vide. Écrivez au moins le titre du document, sur une ligne qui "
                                      "commence par « # »."),
                        "max_length": _("Le texte est trop long : au plus %(limit_value)s caractères.")},
    )
    note = forms.CharField(
        label=_("Ce qui a changé (facultatif)"), max_length=300, required=False,
        help_text=_("Une phrase pour l'historique, par exemple « Date limite des bordereaux ajoutée »."),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)
