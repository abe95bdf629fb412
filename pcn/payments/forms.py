import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcn.lib.formfields import OneMessagePerFieldMixin
from pcn.payments.models import Claim, Currency, Method, PayeeDetails, PaymentSettings
from pcn.programs.forms import DateInput

DATE_ERRORS = {"invalid": _("Écrivez une date, par exemple 2026-09-05."), "required": _("Donnez une date.")}


class PrepareClaimsForm(forms.Form):
    until = forms.DateField(
        label=_("Coupons pris jusqu'au (inclus)"), widget=DateInput(), error_messages=DATE_ERRORS,
        help_text=_("Chaque marchand reçoit une réclamation pour ses coupons acceptés jusqu'à cette date et pas "
                    "encore réclamés."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, initial={"until": timezone.localdate()}, **kwargs)

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until > timezone.localdate():
            raise forms.ValidationError(_("Choisissez aujourd'hui ou une date passée."))
        return until


class RejectLineForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison du refus (le marchand la lira)"), max_length=300,
        error_messages={"required": _("Écrivez la raison du refus : le marchand la lira."),
                        "max_length": _("Écrivez la raison en 300 caractères au plus.")},
    )


class ClaimChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, claim: Claim) -> str:
        return f"{claim.reference} · {claim.vendor.business_name}"


class BatchForm(forms.Form):
    method = forms.ChoiceField(label=_("Mode de paiement"), choices=Method.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("Choisissez un mode de paiement.")})
    currency = forms.ChoiceField(label=_("Monnaie"), choices=Currency.choices, initial=Currency.CAD,
                                 widget=forms.RadioSelect)
    payment_on = forms.DateField(label=_("Date de paiement"), widget=DateInput(), error_messages=DATE_ERRORS,
                                 help_text=_("Le jour où l'argent doit arriver chez les marchands."))
    claims = ClaimChoiceField(
        label=_("Réclamations à payer"), queryset=Claim.objects.none(),
        error_messages={"required": _("Cochez au moins une réclamation à payer."),
                        "invalid_choice": _("Une réclamation choisie n'est plus disponible. Rechargez la page.")},
    )

    def __init__(self, *args, claims, local_currency: str = "", **kwargs):
        super().__init__(*args, initial={"payment_on": timezone.localdate()}, **kwargs)
        self.fields["claims"].queryset = claims
        if local_currency:
            self.fields["currency"].choices = [(Currency.CAD, _("Dollars canadiens")), (Currency.LOCAL, local_currency)]
        else:
            del self.fields["currency"]

    def clean_payment_on(self):
        day = self.cleaned_data["payment_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choisissez aujourd'hui ou une date à venir."))
        if day > timezone.localdate() + datetime.timedelta(days=365):
            raise forms.ValidationError(_("Choisissez une date dans l'année qui vient."))
        return day


class PayForm(forms.Form):
    email_statements = forms.BooleanField(
        label=_("Envoyer à chaque marchand son relevé par courriel"), required=False, initial=True,
    )


class PayeeDetailsForm(OneMessagePerFieldMixin, forms.ModelForm):
    class Meta:
        model = PayeeDetails
        fields = ["method", "currency", "account_holder", "institution", "transit", "account", "interac_email",
                  "interac_phone", "mailing_address"]
        widgets = {
            "method": forms.RadioSelect,
            "institution": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "transit": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "account": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }

    def __init__(self, *args, local_currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if local_currency:
            self.fields["currency"].choices = [(Currency.CAD, _("Dollars canadiens")), (Currency.LOCAL, local_currency)]
        else:  # dollars only: nothing to choose
            del self.fields["currency"]
            self.instance.currency = Currency.CAD

    def clean(self):
        data = super().clean()
        for name in ("institution", "transit", "account"):
            data[name] = (data.get(name) or "").replace(" ", "").replace("-", "")
        digits = {"institution": (3, 3), "transit": (5, 5), "account": (1, 12)}
        for name, (low, high) in digits.items():
            value = data[name]
            if value and not (value.isascii() and value.isdigit() and low <= len(value) <= high):
                self.add_error(name, _("Écrivez %(low)s à %(high)s chiffres, sans lettres.") % {"low": low, "high": high}
                               if low != high else _("Écrivez exactement %(n)s chiffres.") % {"n": low})
        method = data.get("method")
        if method == Method.BANK and not all(data.get(n) for n in digits):
            self.add_error(None, _("Pour un virement bancaire, donnez l'institution (3 chiffres), le transit "
                                   "(5 chiffres) et le compte : ils sont sur un spécimen de chèque."))
        if method == Method.INTERAC and not (data.get("interac_email") or data.get("interac_phone")):
            self.add_error("interac_email", _("Pour un virement Interac, donnez un courriel ou un cellulaire."))
        phone = "".join(ch for ch in data.get("interac_phone") or "" if ch.isdigit())
        if data.get("interac_phone") and len(phone.removeprefix("1")) != 10:
            self.add_error("interac_phone", _("Écrivez un numéro de 10 chiffres, par exemple 418 555-0123."))
        if data.get("currency") == Currency.LOCAL and method == Method.MARKET:
            self.add_error("currency", _("Un marchand payé par son marché est payé en dollars."))
        return data


class PaymentSettingsForm(forms.ModelForm):
    class Meta:
        model = PaymentSettings
        fields = ["originator_name", "originator_short_name", "originator_number", "data_centre",
                  "first_file_creation_number", "institution", "transit", "account", "settlement_days",
                  "local_currency_name", "local_units_per_100_cad"]
        widgets = {name: forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
                   for name in ("data_centre", "institution", "transit", "account")}

    def clean(self):
        data = super().clean()
        checks = {"institution": 3, "transit": 5, "data_centre": 5}
        for name, n in checks.items():
            value = (data.get(name) or "").strip()
            data[name] = value
            if value and not (value.isascii() and value.isdigit() and len(value) == n):
                self.add_error(name, _("Écrivez exactement %(n)s chiffres.") % {"n": n})
        account = (data.get("account") or "").replace(" ", "").replace("-", "")
        data["account"] = account
        if account and not (account.isascii() and account.isdigit() and len(account) <= 12):
            self.add_error("account", _("Écrivez 1 à 12 chiffres, sans lettres."))
        number = (data.get("originator_number") or "").strip()
        data["originator_number"] = number
        if number and not (number.isascii() and number.isalnum() and len(number) == 10):
            self.add_error("originator_number", _("Le numéro d'émetteur compte exactement 10 lettres ou chiffres."))
        if bool(data.get("local_currency_name")) != bool(data.get("local_units_per_100_cad")):
            self.add_error("local_units_per_100_cad", _("Donnez le nom de la monnaie locale et son taux, ensemble."))
        if data.get("settlement_days") is not None and data["settlement_days"] > 90:
            self.add_error("settlement_days", _("Choisissez un délai de 0 à 90 jours."))
        return data
