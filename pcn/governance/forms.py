from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcn.governance.models import Agreement, CommitteeMember
from pcn.governance.services import check_agreement_file, check_agreement_party
from pcn.lib.formfields import add_service_errors
from pcn.markets.models import Vendor
from pcn.programs.forms import DateInput
from pcn.programs.models import Organization, Program

DATE_INVALID = _("Écrivez une date valide, par exemple 2026-05-14.")


class CommitteeMemberForm(forms.ModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["name", "organization", "role", "email", "joined_on"]
        widgets = {"joined_on": DateInput()}
        help_texts = {
            "organization": _("L'organisation que cette personne représente au comité."),
        }
        error_messages = {
            "name": {"required": _("Écrivez le nom de la personne.")},
            "role": {"required": _("Écrivez son rôle au comité, par exemple « présidente » ou « trésorier ».")},
            "joined_on": {"invalid": DATE_INVALID},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        organization.queryset = Organization.objects.filter(program_id=self.instance.program_id)
        organization.required = True
        organization.empty_label = _("— Choisissez une organisation —")
        organization.error_messages.update(
            {
                "required": _(
                    "Choisissez l'organisation que cette personne représente. Le comité réunit le personnel "
                    "du programme et de ses partenaires, jamais des participants."
                ),
                "invalid_choice": _("Choisissez une organisation de ce programme, dans la liste."),
            }
        )


class AgreementForm(forms.Form):
    """One radio for the kind, then one list of the program's partners and one of its vendors."""

    kind = forms.ChoiceField(
        label=_("Avec qui l'entente est-elle signée ?"),
        choices=Agreement.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites si l'entente est signée avec un partenaire ou avec un marchand.")},
    )
    organization = forms.ModelChoiceField(
        label=_("Partenaire"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("— Choisissez un partenaire —"),
        help_text=_("Pour une entente avec un partenaire : un organisme communautaire ou un conseil de bande."),
        error_messages={
            "invalid_choice": _("Ce partenaire n'est pas dans ce programme. Choisissez un partenaire dans la liste.")
        },
    )
    vendor = forms.ModelChoiceField(
        label=_("Marchand"),
        queryset=Vendor.objects.none(),
        required=False,
        empty_label=_("— Choisissez un marchand —"),
        help_text=_("Pour une entente avec un marchand."),
        error_messages={
            "invalid_choice": _("Ce marchand n'est pas dans ce programme. Choisissez un marchand dans la liste.")
        },
    )
    signed_on = forms.DateField(
        label=_("Date de signature"),
        widget=DateInput(),
        error_messages={"required": _("Donnez la date où l'entente a été signée."), "invalid": DATE_INVALID},
    )
    file = forms.FileField(
        label=_("Entente signée"),
        help_text=_(
            "Un PDF, ou une photo en JPEG ou PNG, de 10 Mo au plus. Si la page vous signale une erreur, "
            "joignez le fichier de nouveau."
        ),
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        error_messages={
            "required": _("Joignez l'entente signée : un PDF, ou une photo en JPEG ou PNG."),
            "empty": _("Le fichier est vide. Joignez de nouveau l'entente signée."),
            "invalid": _("Le fichier n'a pas été reçu. Joignez de nouveau l'entente signée."),
        },
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["organization"].queryset = program.organizations.filter(kind__in=Organization.PARTNER_KINDS)
        self.fields["vendor"].queryset = program.vendors.all()

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise ValidationError(
                _("La date de signature est dans le futur. Donnez la date où l'entente a été signée.")
            )
        return signed_on

    def clean_file(self):
        file = self.cleaned_data["file"]
        try:
            check_agreement_file(file)
        except ValidationError as error:
            raise ValidationError(error.message_dict["file"]) from None
        return file

    def clean(self):
        data = super().clean()
        # Check the party only when the fields themselves are valid, to give one message per field.
        if "kind" in data and not {"organization", "vendor"} & set(self.errors):
            try:
                check_agreement_party(
                    program=self.program, kind=data["kind"], organization=data.get("organization"), vendor=data.get("vendor")
                )
            except ValidationError as error:
                add_service_errors(self, error)
        return data


class DecisionForm(forms.Form):
    decided_on = forms.DateField(
        label=_("Date de la décision"),
        widget=DateInput(),
        error_messages={"required": _("Donnez la date où la décision a été prise."), "invalid": DATE_INVALID},
    )
    title = forms.CharField(
        label=_("Décision"),
        max_length=200,
        help_text=_("En une phrase, par exemple « Le coupon passe à 5 $ »."),
        error_messages={"required": _("Écrivez la décision en une phrase, par exemple « Le coupon passe à 5 $ ».")},
    )
    details = forms.CharField(
        label=_("Détails"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Qui a décidé (comité, conseil d'administration...), pourquoi, et ce qui change."),
    )
