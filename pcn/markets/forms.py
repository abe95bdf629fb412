import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pcn.lib.formfields import MultipleChoiceListField, OneMessagePerFieldMixin
from pcn.markets.models import Market, SalePoint, Vendor, Weekday
from pcn.markets.services import Hours, opening_hours_check
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


class TimeOfDayField(forms.TimeField):
    """A time picked in the phone's clock (input type=time sends 13:30), or typed where the browser has no
    picker: 13:30, 13 h 30, 13h30, 13 h."""

    widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    input_formats = ("%H:%M", "%H:%M:%S", "%H h %M", "%Hh%M", "%H h", "%Hh")
    default_error_messages = {"invalid": _("Écrivez une heure, par exemple 9:00 ou 13:30.")}


@dataclass
class HoursLine:
    """One line of the grid: when a stretch of the day opens and closes."""

    number: int
    opens: forms.BoundField
    closes: forms.BoundField

    @property
    def errors(self) -> list[str]:
        return [*self.opens.errors, *self.closes.errors]

    @property
    def errors_id(self) -> str:
        return f"{self.opens.auto_id}_line_error"


@dataclass
class HoursDay:
    weekday: int
    label: str
    lines: list[HoursLine]


class OpeningHoursForm(forms.Form):
    """The sale point's week as a grid: for each day, two lines (morning and afternoon, say), each with
    an opening and a closing time. Empty lines are days off.

    Lines are checked one by one here, so that each message shows on its line; the rules across lines
    (no overlap) are the service's (`opening_hours_check`), whose messages land on the later line.
    """

    LINES_PER_DAY = 2
    prefix = "hours"

    def __init__(self, data=None, *, hours=(), **kwargs):
        by_day: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
        for weekday, opens, closes in sorted(hours):
            by_day.setdefault(weekday, []).append((opens, closes))
        # A day saved with more stretches than the grid shows (by an import) keeps all of them.
        self.lines_per_day = max([self.LINES_PER_DAY, *map(len, by_day.values())])
        initial = {}
        for weekday, stretches in by_day.items():
            for number, (opens, closes) in enumerate(stretches):
                initial[self._name(weekday, number, "opens")] = opens
                initial[self._name(weekday, number, "closes")] = closes
        super().__init__(data, initial=initial, **kwargs)
        for weekday in Weekday.values:
            for number in range(self.lines_per_day):
                self.fields[self._name(weekday, number, "opens")] = TimeOfDayField(label=_("Ouvre à"), required=False)
                self.fields[self._name(weekday, number, "closes")] = TimeOfDayField(label=_("Ferme à"), required=False)

    @staticmethod
    def _name(weekday: int, number: int, end: str) -> str:
        return f"{weekday}-{number}-{end}"

    def _lines(self):
        for weekday in Weekday.values:
            for number in range(self.lines_per_day):
                yield weekday, number, self._name(weekday, number, "opens"), self._name(weekday, number, "closes")

    def clean(self):
        cleaned = super().clean()
        for weekday, _number, opens_name, closes_name in self._lines():
            if opens_name in self.errors or closes_name in self.errors:
                continue
            opens, closes = cleaned.get(opens_name), cleaned.get(closes_name)
            if opens is not None and closes is None:
                self.add_error(closes_name, _("Indiquez aussi l'heure de fermeture, ou effacez l'heure d'ouverture."))
            elif closes is not None and opens is None:
                self.add_error(opens_name, _("Indiquez aussi l'heure d'ouverture, ou effacez l'heure de fermeture."))
            elif opens is not None and closes <= opens:
                self.add_error(closes_name, _("L'heure de fermeture doit venir après l'heure d'ouverture."))
        if not self.errors:
            try:
                opening_hours_check(self.hours())
            except ValidationError as error:
                self.add_service_errors(error)
        return cleaned

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's messages on the line they are about, or above the grid."""
        lines = {
            (weekday, self.cleaned_data.get(opens_name)): opens_name
            for weekday, _number, opens_name, _closes_name in self._lines()
        }
        targets = [
            (lines.get(((problem.params or {}).get("weekday"), (problem.params or {}).get("at"))), problem)
            for problem in error.error_list
        ]
        for field, problem in targets:  # add_error drops the field from cleaned_data: look up first
            self.add_error(field, problem)

    def hours(self) -> list[Hours]:
        """The filled lines as (weekday, opens, closes), for `sale_point_save`. Call once the form is valid."""
        return [
            (weekday, self.cleaned_data[opens_name], self.cleaned_data[closes_name])
            for weekday, _number, opens_name, closes_name in self._lines()
            if self.cleaned_data.get(opens_name) is not None and self.cleaned_data.get(closes_name) is not None
        ]

    def days(self) -> list[HoursDay]:
        """The grid as the template draws it. A line's message describes both its inputs (screen readers)."""
        days = []
        for weekday, label in Weekday.choices:
            lines = []
            for number in range(self.lines_per_day):
                opens_name, closes_name = self._name(weekday, number, "opens"), self._name(weekday, number, "closes")
                line = HoursLine(number + 1, self[opens_name], self[closes_name])
                if line.errors:
                    for name in (opens_name, closes_name):
                        self.fields[name].widget.attrs["aria-describedby"] = line.errors_id
                lines.append(line)
            days.append(HoursDay(weekday=weekday, label=label, lines=lines))
        return days


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
