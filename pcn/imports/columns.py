"""Columns of an import file: their headers (French, with English accepted), whether they are required,
and how a cell's text becomes a value.

A parser returns the value or raises `CellError(what is wrong, how to fix it)`. Parsers reuse the forms'
fields and the models' choices wherever they exist, so that a rule lives once.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from pcn.lib.money import MAX_AMOUNT_CENTS, MoneyFormatError, format_cents, parse_cents


class CellError(ValueError):
    def __init__(self, message: str, fix: str = ""):
        super().__init__(message)
        self.message = str(message)
        self.fix = str(fix)


@dataclass
class Column:
    """`fields`: the model or service field names whose errors belong to this column."""

    key: str
    header: object  # gettext_lazy text, French in the source
    parse: Callable
    help: object  # what to write, shown in the templates' help and as the fix of a generic error
    example: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()  # more headers accepted (English ones, old names)
    fields: tuple[str, ...] = ()

    def display(self, value) -> str:
        """The parsed value as the preview shows it."""
        if value is None or value == "" or value == []:
            return ""
        return str(getattr(self.parse, "show", str)(value))

    def names(self) -> set[str]:
        """Every header that means this column, normalized."""
        names = {normalize(self.key), *(normalize(a) for a in self.aliases)}
        for language in ("fr", "en"):
            with translation.override(language):
                names.add(normalize(str(self.header)))
        return names


def normalize(text: str) -> str:
    """Accents dropped, case folded, punctuation read as spaces: « Nom de l'entreprise* » is
    « nom de l entreprise »."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", stripped.casefold()).split())


# Parsers. Each takes the cell's text (never blank: blanks are handled before) and returns a value.


def text(max_length: int):
    def parse(value: str) -> str:
        value = " ".join(value.split())
        if len(value) > max_length:
            raise CellError(
                _("Ce texte a %(length)s caractères, c'est trop long.") % {"length": len(value)},
                _("Raccourcissez-le à %(max)s caractères au plus.") % {"max": max_length},
            )
        return value

    return parse


def long_text(value: str) -> str:
    return value.strip()


def email(value: str) -> str:
    value = value.strip()
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(
            _("« %(value)s » n'est pas une adresse courriel.") % {"value": value},
            _("Écrivez une adresse comme nom@exemple.ca, ou laissez la case vide."),
        ) from None
    return value


def integer(minimum: int, maximum: int):
    def parse(value: str) -> int:
        cleaned = value.replace(" ", "").replace("\u00a0", "")
        if re.fullmatch(r"\d+([.,]0+)?", cleaned):
            number = int(re.split(r"[.,]", cleaned)[0])
            if minimum <= number <= maximum:
                return number
        raise CellError(
            _("« %(value)s » n'est pas un nombre entier de %(min)s à %(max)s.")
            % {"value": value, "min": minimum, "max": maximum},
            _("Écrivez un nombre entier, sans lettres, de %(min)s à %(max)s.") % {"min": minimum, "max": maximum},
        )

    return parse


def money(value: str) -> int:
    try:
        cents = parse_cents(value)
    except MoneyFormatError:
        raise CellError(
            _("« %(value)s » n'est pas un montant en dollars.") % {"value": value},
            _("Écrivez un montant comme 1500 ou 1 500,00, sans autre texte."),
        ) from None
    if cents <= 0 or cents > MAX_AMOUNT_CENTS:
        raise CellError(
            _("Le montant doit être plus grand que zéro et d'au plus %(max)s.")
            % {"max": format_cents(MAX_AMOUNT_CENTS, translation.get_language() or "fr")},
            _("Corrigez le montant."),
        )
    return cents


money.show = lambda cents: format_cents(cents, translation.get_language() or "fr")

YES = {"oui", "o", "yes", "y", "x", "1", "vrai", "true"}
NO = {"non", "n", "no", "0", "faux", "false"}


def yes_no(value: str) -> bool:
    word = normalize(value)
    if word in YES:
        return True
    if word in NO:
        return False
    raise CellError(_("« %(value)s » n'est ni oui ni non.") % {"value": value}, _("Écrivez « oui » ou « non »."))


yes_no.show = lambda given: _("Oui") if given else _("Non")


def _labels(choices) -> dict[str, str]:
    """Every way to write each choice (its code, its French and English labels), normalized → code."""
    known = {}
    for code, label in choices:
        known[normalize(code)] = code
        for language in ("fr", "en"):
            with translation.override(language):
                known[normalize(str(label))] = code
    return known


def _choice_list(choices) -> str:
    return ", ".join(f"« {label} »" for _code, label in choices)


def choice(choices):
    def parse(value: str) -> str:
        code = _labels(choices).get(normalize(value))
        if code is None:
            raise CellError(
                _("« %(value)s » n'est pas dans la liste.") % {"value": value},
                _("Écrivez l'un de ces choix : %(choices)s.") % {"choices": _choice_list(choices)},
            )
        return code

    parse.show = lambda code: str(dict(choices).get(code, code))
    return parse


LIST_SEPARATORS = re.compile(r"[;,|\n]+")


def choices(choices_):
    def parse(value: str) -> list[str]:
        known = _labels(choices_)
        codes, wrong = [], []
        for item in LIST_SEPARATORS.split(value):
            if not item.strip():
                continue
            code = known.get(normalize(item))
            if code is None:
                wrong.append(item.strip())
            elif code not in codes:
                codes.append(code)
        if wrong:
            raise CellError(
                _("Pas dans la liste : %(values)s.") % {"values": ", ".join(f"« {w} »" for w in wrong)},
                _("Séparez les choix par des virgules et prenez-les dans cette liste : %(choices)s.")
                % {"choices": _choice_list(choices_)},
            )
        return codes

    parse.show = lambda codes: ", ".join(str(dict(choices_).get(code, code)) for code in codes)
    return parse


def form_field(field: forms.Field, fix: str):
    """A parser from a form field (coordinates...): the field's own message, and a fix."""

    def parse(value: str):
        try:
            return field.clean(value)
        except ValidationError as error:
            raise CellError(" ".join(error.messages), fix) from None

    return parse


# Opening hours: « samedi 9:00-13:00 ; mercredi 15 h à 18 h 30 ; dimanche 9:00-12:00, 13:00-16:00 »

_TIME = r"(\d{1,2})\s*(?:[:h]\s*(\d{2})?)?"
_RANGE = re.compile(_TIME + r"\s*(?:-|–|—|à|a|to)\s*" + _TIME, re.IGNORECASE)
_FILLER = {"et", "and", "le", "les", "the"}
HOURS_FIX = _lazy("Écrivez le jour puis les heures, et séparez les jours par un point-virgule, par exemple "
              "« samedi 9:00-13:00; mercredi 15:00-18:00 ».")


def _weekday(word: str) -> int | None:
    from pcn.markets.models import Weekday

    if len(word) < 3:
        return None
    for language in ("fr", "en"):
        with translation.override(language):
            for number, label in Weekday.choices:
                if normalize(str(label)).startswith(word):
                    return number
    for number, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")):
        if name.startswith(word):
            return number
    return None


def _time(hours: str, minutes: str | None):
    import datetime

    hour, minute = int(hours), int(minutes or 0)
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


def opening_hours(value: str) -> list[tuple]:
    """The stretches as (weekday, opens, closes), checked by the markets' own rule (no overlap...)."""
    from pcn.markets.services import opening_hours_check

    fix = str(HOURS_FIX)
    stretches = []
    for segment in re.split(r"[;\n]+", value):
        segment = segment.strip()
        if not segment:
            continue
        first = _RANGE.search(segment)
        if first is None:
            raise CellError(_("Pas d'heures lisibles dans « %(part)s ».") % {"part": segment}, fix)
        days = []
        for word in re.split(r"[^a-z]+", normalize(segment[: first.start()])):
            if not word or word in _FILLER:
                continue
            day = _weekday(word)
            if day is None:
                raise CellError(_("« %(word)s » n'est pas un jour de la semaine.") % {"word": word}, fix)
            days.append(day)
        if not days:
            raise CellError(_("Il manque le jour avant « %(part)s ».") % {"part": segment}, fix)
        rest = segment[first.start():]
        leftover = normalize(_RANGE.sub(" ", rest))
        if any(word not in _FILLER for word in leftover.split()):
            raise CellError(_("Ces heures ne se lisent pas : « %(part)s ».") % {"part": segment}, fix)
        for match in _RANGE.finditer(rest):
            opens, closes = _time(match.group(1), match.group(2)), _time(match.group(3), match.group(4))
            if opens is None or closes is None:
                raise CellError(_("« %(part)s » n'est pas une heure de la journée.") % {"part": match.group(0)}, fix)
            stretches.extend((day, opens, closes) for day in days)
    try:
        return opening_hours_check(stretches)
    except ValidationError as error:
        raise CellError(" ".join(error.messages), _("Corrigez les heures de ce jour.")) from None


def _show_hours(stretches) -> str:
    from pcn.markets.selectors import format_stretch
    from pcn.markets.models import Weekday

    return " ; ".join(f"{Weekday(day).label} {format_stretch(opens, closes)}" for day, opens, closes in stretches)


opening_hours.show = _show_hours
