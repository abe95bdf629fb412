from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pcn.coupons.forms import MoveForm
from pcn.coupons.models import CustodyEvent
from pcn.funding.models import Grant, Purpose
from pcn.funding.services import grants_paying_for
from pcn.households.models import MAX_HOUSEHOLD_SIZE, ConsentPurpose, Flag
from pcn.lib.formfields import MoneyField, MultipleChoiceListField
from pcn.programs.choices import Language
from pcn.programs.forms import DateInput
from pcn.programs.models import Organization

YES_NO = [("yes", _("Oui")), ("no", _("Non"))]


def _count(label):
    return forms.IntegerField(
        label=label, min_value=0, max_value=MAX_HOUSEHOLD_SIZE, initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_HOUSEHOLD_SIZE}),
    )


def _yes_no(label, help_text):
    return forms.ChoiceField(
        label=label, help_text=help_text, choices=YES_NO, widget=forms.RadioSelect,
        error_messages={"required": _("Répondez oui ou non.")},
    )


class PartnerQuotaForm(forms.Form):
    max_households = forms.IntegerField(
        label=_("Nombre de ménages"), min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1})
    )
    max_value_cents = MoneyField(label=_("Valeur des coupons pour la saison"))


class HouseholdEnrolForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Organisme"), queryset=None, empty_label=None)
    size = forms.IntegerField(
        label=_("Nombre de personnes dans le ménage"), min_value=1, max_value=MAX_HOUSEHOLD_SIZE,
        error_messages={
            "min_value": _("Un ménage compte au moins une personne."),
            "max_value": _("Un ménage compte au plus 20 personnes."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": MAX_HOUSEHOLD_SIZE}),
    )
    age_0_5 = _count(_("Enfants de 0 à 5 ans"))
    age_6_17 = _count(_("Jeunes de 6 à 17 ans"))
    age_18_64 = _count(_("Adultes de 18 à 64 ans"))
    age_65_plus = _count(_("Personnes de 65 ans ou plus"))
    flags = MultipleChoiceListField(label=_("Situations à compter (facultatif)"), choices=Flag.choices, required=False)
    community = forms.CharField(label=_("Communauté (facultatif)"), max_length=120, required=False)
    language = forms.ChoiceField(label=_("Langue préférée"), choices=Language.choices)
    consent_participation = _yes_no(
        _("Le ménage accepte-t-il de participer au programme ?"),
        _("Nous gardons le code du ménage, le nombre de personnes par âge et les coupons reçus. Jamais son nom, "
          "son adresse ni sa date de naissance."),
    )
    consent_surveys = _yes_no(
        _("Accepte-t-il qu'on lui pose des questions pour évaluer le programme ?"),
        _("Il peut dire non et recevoir quand même ses coupons."),
    )
    consent_research = _yes_no(
        _("Accepte-t-il que ses données, sans nom, servent à la recherche ?"),
        _("Il peut dire non et recevoir quand même ses coupons."),
    )
    # Identity: only hashed (pcn.households.identity); never stored, never logged.
    family_name = forms.CharField(label=_("Nom de famille"), required=False, max_length=200,
                                  widget=forms.TextInput(attrs={"autocomplete": "off"}))
    first_name = forms.CharField(label=_("Prénom"), required=False, max_length=200,
                                 widget=forms.TextInput(attrs={"autocomplete": "off"}))
    birth_date = forms.DateField(label=_("Date de naissance"), required=False,
                                 widget=DateInput(attrs={"autocomplete": "off"}))

    COMPOSITION = ("age_0_5", "age_6_17", "age_18_64", "age_65_plus")
    CONSENTS = (
        (ConsentPurpose.PARTICIPATION, "consent_participation"),
        (ConsentPurpose.SURVEYS, "consent_surveys"),
        (ConsentPurpose.RESEARCH, "consent_research"),
    )
    IDENTITY = ("family_name", "first_name", "birth_date")

    def __init__(self, *args, partners, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = (program.languages or ["fr"])[0]
        self.only_partner = partners[0] if len(partners) == 1 else None
        if self.only_partner:
            del self.fields["partner"]  # a partner worker's partner is implied
        else:
            self.fields["partner"].queryset = type(partners[0]).objects.filter(pk__in=[p.pk for p in partners])

    def forget_identity(self) -> None:
        """Before the form is shown again: the typed identity never goes back into a page."""
        if self.is_bound:
            self.data = self.data.copy()
            for name in self.IDENTITY:
                self.data.pop(name, None)

    def clean(self):
        data = super().clean()
        identity = [name for name in self.IDENTITY if data.get(name)]
        if identity and len(identity) != len(self.IDENTITY):
            self.add_error(None, _("Pour vérifier les doublons, remplissez les trois cases (nom, prénom, date de "
                                   "naissance), ou laissez-les toutes vides."))
        counts = [data.get(name) for name in self.COMPOSITION]
        if data.get("size") and None not in counts and sum(counts) != data["size"]:
            raise ValidationError(
                _("Le nombre de personnes par âge donne %(total)s, mais le ménage compte %(size)s personnes. "
                  "Corrigez l'un ou l'autre."),
                params={"total": sum(counts), "size": data["size"]},
            )
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        identity = {name: str(d[name]) for name in self.IDENTITY if d.get(name)}  # the date as YYYY-MM-DD
        return {
            "partner": self.only_partner or d["partner"],
            "size": d["size"],
            "composition": {name: d[name] for name in self.COMPOSITION},
            "flags": d["flags"],
            "community": d["community"],
            "language": d["language"],
            "consents": {purpose: d[field] == "yes" for purpose, field in self.CONSENTS},
            "identity": identity or None,
        }


class DistributionForm(MoveForm):
    """The coupons a household receives today (scanned, by booklet or by number), or a missed distribution."""

    missed = forms.BooleanField(
        label=_("Le ménage n'est pas venu : noter la remise comme manquée"), required=False
    )

    def __init__(self, *args, season, **kwargs):
        super().__init__(*args, season=season, kind=CustodyEvent.Kind.DISTRIBUTE, **kwargs)
        self.fields["how"].initial = self.CODES

    def clean(self):
        if self.data.get("missed"):
            return forms.Form.clean(self)  # nothing to choose when nobody came
        return super().clean()


class HouseholdMoveForm(forms.Form):
    to_partner = forms.ModelChoiceField(label=_("Nouvel organisme"), queryset=None, empty_label=_("— Choisissez —"))

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_partner"].queryset = (
            household.program.organizations.filter(kind__in=Organization.PARTNER_KINDS).exclude(pk=household.partner_id)
        )


class PublicSaleForm(MoveForm):
    """A sale to a citizen: which coupons, who sells, what the citizen paid, who pays the bonus."""

    price_paid_cents = MoneyField(label=_("Prix payé par la personne"), help_text=_("Par exemple 20,00 pour 30 $ de coupons."))
    grant = forms.ModelChoiceField(
        label=_("Subvention qui paie la bonification"), queryset=None, empty_label=_("— Choisissez —"),
        help_text=_("La différence entre la valeur des coupons et le prix payé est portée à cette subvention."),
    )
    funding_source = forms.CharField(
        label=_("Bonification payée par"), max_length=200,
        help_text=_("La subvention ou la campagne qui paie la différence, par exemple « Sociofinancement 2026 »."),
    )

    def __init__(self, *args, season, partners, staff: bool, **kwargs):
        super().__init__(*args, season=season, kind=CustodyEvent.Kind.SELL, **kwargs)
        self.fields["how"].initial = self.CODES
        # A program that keeps its grants charges the bonus to one; otherwise words say who pays it.
        grants = grants_paying_for(season, Purpose.PUBLIC_SALE_BONUS)
        if grants:
            self.fields["grant"].queryset = Grant.objects.filter(pk__in=[g.pk for g in grants]).select_related("funder")
            del self.fields["funding_source"]
        else:
            del self.fields["grant"]
        if not staff:  # a partner's worker sells from their partner's coupons
            self.fields["from_partner"].queryset = self.fields["from_partner"].queryset.filter(
                pk__in=[p.pk for p in partners]
            )
            self.fields["from_partner"].required = True
            self.fields["from_partner"].empty_label = None
