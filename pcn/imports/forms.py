from django import forms
from django.utils.translation import gettext_lazy as _

from pcn.imports.reading import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier à importer"),
        help_text=_("Un fichier CSV ou XLSX (Excel) de 2 Mo au plus, rempli à partir du modèle."),
        error_messages={
            "required": _("Choisissez le fichier à envoyer."),
            "empty": _("Ce fichier est vide. Choisissez le fichier rempli."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def __init__(self, *args, seasons=None, **kwargs):
        super().__init__(*args, **kwargs)
        if seasons is not None:
            self.fields["season"] = forms.ModelChoiceField(
                label=_("Saison des quotas (facultatif)"),
                queryset=seasons,
                required=False,
                empty_label=_("— Aucune : pas de quotas —"),
                help_text=_("Choisissez la saison si le fichier donne les quotas des organismes."),
                error_messages={"invalid_choice": _("Choisissez une saison dans la liste.")},
            )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Ce fichier est trop gros. Envoyez un fichier de 2 Mo au plus : séparez-le en plusieurs fichiers au "
                  "besoin.")
            )
        return uploaded


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
