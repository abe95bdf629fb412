from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from pcn.lib.formfields import MultipleChoiceListField, OneMessagePerFieldMixin
from pcn.markets.models import Market, SalePoint, Vendor
from pcn.programs.choices import ProductCategory


def ask_to_choose(field: forms.ChoiceField) -> None:
    """Show « — Choisissez — » rather than dashes as the empty choice of a drop-down list."""
    field.choices = [("", _("— Choisissez —")), *[choice for choice in field.choices if choice[0] != ""]]


class MarketForm(forms.ModelForm):
    class Meta:
        model = Market
        fields = ["name", "municipality", "operator", "contact_email", "contact_phone"]
        widgets = {"contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}
        help_texts = {
            "name": _("Par exemple « Marché public de Saint-Casimir » ou « Ferme des Érables »."),
            "operator": _("L'organisation qui gère ce marché, si elle fait partie du programme."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        operator = self.fields["operator"]
        operator.queryset = self.instance.program.organizations.all()
        operator.empty_label = _("— Aucun —")
        operator.error_messages["invalid_choice"] = _("Choisissez un organisme dans la liste.")


class CoordinateField(forms.Field):
    """A latitude or longitude as people copy it from a map: with a dot or a comma and any number of
    decimals (kept to 6, about 10 cm)."""

    def __init__(self, *, limit: int, out_of_range: str, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
        super().__init__(**kwargs)
        self.limit = limit
        self.error_messages["invalid"] = _("Écrivez un nombre, par exemple 46.8139 ou -71.2080.")
        self.error_messages["out_of_range"] = out_of_range

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().replace(",", ".").replace("\u2212", "-")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not -self.limit <= number <= self.limit:
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")
        return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


class SalePointForm(forms.ModelForm):
    latitude = CoordinateField(
        label=_("Latitude"),
        required=False,
        limit=90,
        out_of_range=_("La latitude doit être entre -90 et 90."),
        help_text=_("Facultatif, pour la carte. Par exemple 46.8139."),
    )
    longitude = CoordinateField(
        label=_("Longitude"),
        required=False,
        limit=180,
        out_of_range=_("La longitude doit être entre -180 et 180."),
        help_text=_("Facultatif, pour la carte. Au Québec, elle commence par un moins, par exemple -71.2080."),
    )

    class Meta:
        model = SalePoint
        fields = ["name", "kind", "address", "latitude", "longitude", "schedule"]
        help_texts = {
            "name": _("Par exemple « Place du marché » ou « Kiosque au bord de la route 138 »."),
            "address": _("L'adresse où les gens se rendent pour acheter."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ask_to_choose(self.fields["kind"])


class SalePointChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SalePoint) -> str:
        return f"{obj.market.name} – {obj.name}"


class VendorForm(OneMessagePerFieldMixin, forms.ModelForm):
    categories = MultipleChoiceListField(
        label=_("Produits vendus"),
        choices=ProductCategory.choices,
        error_messages={
            "required": _("Cochez au moins un type de produit que vend ce marchand."),
            "invalid_choice": _("Choisissez des produits dans la liste."),
        },
    )
    sale_points = SalePointChoiceField(
        label=_("Points de vente"),
        queryset=SalePoint.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cochez chaque endroit où ce marchand accepte les coupons."),
        error_messages={
            "required": _("Choisissez au moins un point de vente où ce marchand vend."),
            "invalid_choice": _("Choisissez des points de vente dans la liste."),
            "invalid_pk_value": _("Choisissez des points de vente dans la liste."),
        },
    )

    class Meta:
        model = Vendor
        fields = ["business_name", "kind", "contact_name", "email", "phone", "categories", "sale_points"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ask_to_choose(self.fields["kind"])
        self.fields["sale_points"].queryset = (
            SalePoint.objects.filter(market__program_id=self.instance.program_id)
            .select_related("market")
            .order_by("market__name", "name")
        )


class AuthorizationActionForm(forms.Form):
    """One button on the season's vendors page: authorize or withdraw one vendor of the program."""

    AUTHORIZE = "authorize"
    REVOKE = "revoke"

    vendor = forms.ModelChoiceField(queryset=Vendor.objects.none())
    action = forms.ChoiceField(choices=[(AUTHORIZE, AUTHORIZE), (REVOKE, REVOKE)])

    def __init__(self, *args, season, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.filter(program_id=season.program_id).prefetch_related(
            "sale_points"
        )
