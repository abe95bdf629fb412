"""Checking JSON request bodies with Django forms of JSON-typed fields.

An HTML form receives strings and coerces them ("5" → 5); an API receives JSON values and must refuse
the wrong type instead of guessing: "500" is not 500 cents, 5.5 is not a count, 13/06/2026 is not a
date. These fields check the JSON type first, then let Django's field do the rest (required, bounds,
choices), with Django's translated messages. The rules of the domain stay in the services.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pcn.coupons.models import Colour

# Stored as 32-bit integers (PositiveIntegerField); bigger numbers are refused here, not by the database.
MAX_INT32 = 2_147_483_647


class JsonTypeMixin:
    json_types: tuple[type, ...] = ()
    type_message = ""

    def to_python(self, value):
        if value not in self.empty_values and (isinstance(value, bool) or not isinstance(value, self.json_types)):
            raise ValidationError(self.type_message, code="type")
        return super().to_python(value)


class JsonIntegerField(JsonTypeMixin, forms.IntegerField):
    """A JSON integer (not a string, not a decimal number, not true/false), positive by default."""

    json_types = (int,)
    type_message = _("Écrivez un nombre entier, sans guillemets, par exemple 500.")

    def __init__(self, *, min_value: int = 1, max_value: int = MAX_INT32, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


class JsonStringField(JsonTypeMixin, forms.CharField):
    json_types = (str,)
    type_message = _("Écrivez du texte, entre guillemets.")


class JsonChoiceField(JsonTypeMixin, forms.ChoiceField):
    json_types = (str,)
    type_message = _("Écrivez l'une des valeurs permises, entre guillemets.")


class JsonDateField(JsonTypeMixin, forms.DateField):
    """A date in ISO 8601 (2026-06-13), whatever the language of the request."""

    json_types = (str,)
    type_message = _("Écrivez une date au format AAAA-MM-JJ, par exemple 2026-06-13.")

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d"], error_messages={"invalid": self.type_message}, **kwargs)


class JsonDateTimeField(JsonTypeMixin, forms.Field):
    """A moment in ISO 8601 with its offset (2026-06-13T14:05:09Z); one without an offset is read as UTC."""

    json_types = (str,)
    type_message = _("Écrivez une date et une heure au format ISO 8601, par exemple 2026-06-13T14:05:09Z.")

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(self.type_message, code="invalid") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


class SeriesIssueForm(forms.Form):
    """POST /seasons/{season_id}/series. Field names are the API's (see openapi.SERIES_ISSUE)."""

    denomination_cents = JsonIntegerField()
    coupon_class_id = JsonIntegerField()
    colour = JsonChoiceField(choices=Colour.choices)
    valid_from = JsonDateField()
    valid_until = JsonDateField()
    funding_source = JsonStringField(max_length=200)
    count = JsonIntegerField()
    booklet_size = JsonIntegerField(required=False)
