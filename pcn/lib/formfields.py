"""Form fields shared by the apps' forms."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pcn.lib.money import MAX_AMOUNT_CENTS, MoneyFormatError, format_cents, format_cents_plain, parse_cents


class MoneyInput(forms.TextInput):
    """Shows cents as dollars in the user's language; asks phones for a numeric keypad."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", "class": "money", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return format_cents_plain(value, get_language() or "fr")
        return super().format_value(value)


class MoneyField(forms.Field):
    """An amount typed in dollars ("12,50"), cleaned to integer cents, strictly positive by default."""

    widget = MoneyInput
    default_error_messages = {
        "invalid": _("Écrivez un montant en dollars, par exemple 12,50."),
        "not_positive": _("Le montant doit être plus grand que zéro."),
        "too_large": _("Ce montant est trop grand : écrivez au plus %(max)s."),
    }

    def __init__(self, *, allow_zero: bool = False, **kwargs):
        self.allow_zero = allow_zero
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if text.startswith("-"):
            raise forms.ValidationError(self.error_messages["not_positive"], code="not_positive")
        try:
            return parse_cents(text)
        except MoneyFormatError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is not None and value <= 0 and not self.allow_zero:
            raise forms.ValidationError(self.error_messages["not_positive"], code="not_positive")
        if value is not None and value > MAX_AMOUNT_CENTS:
            raise forms.ValidationError(
                self.error_messages["too_large"],
                code="too_large",
                params={"max": format_cents(MAX_AMOUNT_CENTS, get_language() or "fr")},
            )


class MultipleChoiceListField(forms.MultipleChoiceField):
    """Checkboxes whose value is stored as a JSON list of codes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, choices, **kwargs):
        kwargs.setdefault("error_messages", {"required": _("Cochez au moins une case.")})
        super().__init__(choices=choices, **kwargs)


def add_service_errors(form: forms.BaseForm, error) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has that field,
    at the top of the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def posted(request):
    """The form data of a POST (even an empty one), None otherwise. (`request.POST or None` would treat an
    empty submission as no submission and show no errors.)"""
    return request.POST if request.method == "POST" else None


class OneMessagePerFieldMixin:
    """Skip the model's errors on a field the form already refused, so that a rule checked by both (an
    empty list of categories) shows its message once."""

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            failed = {name for name in self._errors if name != NON_FIELD_ERRORS}
            errors = ValidationError({name: e for name, e in errors.error_dict.items() if name not in failed})
        super()._update_errors(errors)


def form_submit(request, form, save):
    """For a POSTed, valid form, run `save()` (a service call) and return what it returns (the saved
    object). Returns None when there is nothing to save: no POST, an invalid form, or a service that
    refused; the service's ValidationError is then shown on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ValidationError as error:
        add_service_errors(form, error)
        return None
