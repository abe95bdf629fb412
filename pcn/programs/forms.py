from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pcn.lib.formfields import MoneyField, MultipleChoiceListField, OneMessagePerFieldMixin
from pcn.lib.money import format_cents
from pcn.programs.choices import Language, ProductCategory, SalePointKind
from pcn.programs.models import CouponClass, Organization, Program, Season


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ProgramForm(OneMessagePerFieldMixin, forms.ModelForm):
    languages = MultipleChoiceListField(label=_("Langues"), choices=Language.choices)

    class Meta:
        model = Program
        fields = ["name", "kind", "region", "languages", "fiduciary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["fiduciary"].queryset = self.instance.organizations.filter(kind=Organization.Kind.FIDUCIARY)
            self.fields["fiduciary"].help_text = _(
                "L'organisation qui détient l'argent du programme et paie les marchands. Ajoutez-la d'abord "
                "dans « Partenaires » avec le type « Fiduciaire »."
            )
        else:
            del self.fields["fiduciary"]


class SeasonForm(OneMessagePerFieldMixin, forms.ModelForm):
    accepted_sale_point_kinds = MultipleChoiceListField(
        label=_("Lieux où les coupons sont acceptés"), choices=SalePointKind.choices
    )
    card_offline_cap_cents = MoneyField(
        label=_("Plafond d'un achat par carte hors ligne"),
        required=False,
        help_text=_("Sans réseau, le kiosque accepte un achat par carte jusqu'à ce montant ; il est vérifié au "
                    "retour du réseau."),
    )

    class Meta:
        model = Season
        fields = [
            "name",
            "starts_on",
            "ends_on",
            "weeks",
            "frequency",
            "household_size_cap",
            "coupons_valid_from",
            "coupons_valid_until",
            "accepted_sale_point_kinds",
            "cards_enabled",
            "card_offline_cap_cents",
            "accept_unissued",
            "counts_only",
            "expected_redemption_rate",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "coupons_valid_from": DateInput(),
            "coupons_valid_until": DateInput(),
            "weeks": forms.NumberInput(attrs={"min": 1, "max": 60}),
            "household_size_cap": forms.NumberInput(attrs={"min": 1, "max": 20}),
            "expected_redemption_rate": forms.NumberInput(attrs={"min": 0, "max": 100, "inputmode": "numeric"}),
        }
        help_texts = {
            "coupons_valid_from": _("Laissez vide pour prendre le début de la saison."),
            "coupons_valid_until": _("Laissez vide pour prendre la fin de la saison."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coupons_valid_from"].required = False
        self.fields["coupons_valid_until"].required = False

    def clean(self):
        """Coupons are valid for the season's dates unless the coordinator says otherwise."""
        data = super().clean()
        if not data.get("coupons_valid_from"):
            data["coupons_valid_from"] = data.get("starts_on")
        if not data.get("coupons_valid_until"):
            data["coupons_valid_until"] = data.get("ends_on")
        if not data.get("card_offline_cap_cents"):
            data["card_offline_cap_cents"] = Season._meta.get_field("card_offline_cap_cents").default
        return data


def not_payable_message(amount_cents: int, values_cents) -> str:
    """What to say when coupons of these values cannot make an amount exactly (split_into_coupons gives None):
    no change is given at the stall, so every amount handed out must be made of whole coupons."""
    language = get_language() or "fr"
    return _("Les coupons de %(values)s ne permettent pas de faire exactement %(amount)s. Changez le montant ou "
             "ajoutez une valeur de coupon.") % {
        "values": ", ".join(format_cents(v, language) for v in sorted(values_cents)),
        "amount": format_cents(amount_cents, language)}


def household_size_label(size: int, *, or_more: bool) -> str:
    """« 1 personne », « 3 personnes », or « 6 personnes ou plus » for the largest size counted (larger households
    receive its amount). The one label of a household size, wherever amounts are typed or shown."""
    if or_more:
        return _("1 personne ou plus") if size == 1 else _("%(size)s personnes ou plus") % {"size": size}
    return _("1 personne") if size == 1 else _("%(size)s personnes") % {"size": size}


class EntitlementForm(forms.Form):
    """One amount per household size, 1 to the season's cap."""

    def __init__(self, *args, season: Season, **kwargs):
        super().__init__(*args, **kwargs)
        current = {row.household_size: row.amount_cents for row in season.entitlement_rows.all()}
        cap = season.household_size_cap
        for size in range(1, cap + 1):
            self.fields[f"size_{size}"] = MoneyField(
                label=household_size_label(size, or_more=size == cap),
                initial=current.get(size),
                error_messages={"required": _("Donnez le montant pour ce ménage.")},
            )

    def amounts_cents(self) -> dict[int, int]:
        return {int(name.removeprefix("size_")): cents for name, cents in self.cleaned_data.items()}


class DenominationsForm(forms.Form):
    SLOTS = 6

    def __init__(self, *args, season: Season, **kwargs):
        super().__init__(*args, **kwargs)
        current = list(season.denominations.values_list("value_cents", flat=True))
        for i in range(self.SLOTS):
            self.fields[f"value_{i}"] = MoneyField(
                label=_("Valeur %(n)s") % {"n": i + 1},
                required=False,
                initial=current[i] if i < len(current) else None,
            )

    def clean(self):
        data = super().clean()
        values = [v for v in data.values() if v]
        if not values and not self.errors:
            raise forms.ValidationError(_("Donnez au moins une valeur de coupon, par exemple 5,00."))
        if len(set(values)) != len(values):
            raise forms.ValidationError(_("Chaque valeur de coupon ne peut paraître qu'une fois."))
        return data

    def values_cents(self) -> list[int]:
        return [v for v in self.cleaned_data.values() if v]


class CouponClassForm(OneMessagePerFieldMixin, forms.ModelForm):
    categories = MultipleChoiceListField(
        label=_("Produits que ce coupon permet d'acheter"),
        choices=ProductCategory.choices,
        error_messages={"required": _("Cochez au moins un type de produit que ce coupon permet d'acheter.")},
    )

    class Meta:
        model = CouponClass
        fields = ["name", "categories"]
        help_texts = {"name": _("Par exemple « Fruits et légumes » ou « Tous les aliments admissibles ».")}


class OrganizationForm(OneMessagePerFieldMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "contact_name", "email", "phone", "address", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
