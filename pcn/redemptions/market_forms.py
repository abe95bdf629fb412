"""Forms of the market manager's entry: a vendor's stack of coupon codes, or its coupons counted by value."""

import datetime
import re
import secrets

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from pcn.lib.money import format_cents
from pcn.programs.forms import DateInput
from pcn.programs.models import Season

MAX_LINES = 300
MAX_COUNT = 10_000  # coupons of one value for one vendor on one day
# A stack's key and each line's key, joined as the line's nonce "<stack>.<line>" (at most 57 characters).
STACK_KEY = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
LINE_KEY = re.compile(r"^[A-Za-z0-9_-]{1,24}$")
TYPED_MAX = 200  # characters kept of a line shown again (a scanned QR is the coupon's whole address)

INCOMPLETE = _("Cette page est incomplète ou trop ancienne. Rechargez-la et entrez les coupons de nouveau.")


def new_key() -> str:
    """A random key for a stack or a line (16 characters)."""
    return secrets.token_urlsafe(12)


def scanned_code(text: str) -> str:
    """The code in one line as a scanner or a person typed it. A coupon's QR holds its address
    (https://…/c/K7M29XQ4PD3A): a scanner types all of it, so keep what follows the last slash."""
    text = (text or "").strip()
    if "/" in text:
        text = text.split("?")[0].split("#")[0].rstrip("/").rsplit("/", 1)[-1]
    return text[:40]


def code_lines(text: str) -> list[str]:
    """One code per non-empty line."""
    return [scanned_code(line) for line in (text or "").splitlines() if line.strip()]


class VendorField(forms.ModelChoiceField):
    """The market's vendors; one not authorized for the season says so in the list."""

    def __init__(self, **kwargs):
        self.authorized: set[int] = set()
        super().__init__(
            queryset=None, label=_("Marchand"), empty_label=_("Choisissez le marchand"),
            error_messages={
                "required": _("Choisissez le marchand à qui sont ces coupons."),
                "invalid_choice": _("Ce marchand ne vend pas à ce marché. Choisissez-en un dans la liste."),
            },
            **kwargs,
        )

    def label_from_instance(self, vendor):
        if vendor.pk in self.authorized:
            return vendor.business_name
        return _("%(name)s (pas autorisé pour la saison)") % {"name": vendor.business_name}


class _VendorForm(forms.Form):
    vendor = VendorField()

    def __init__(self, data=None, *, vendors, authorized: set[int], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["vendor"].queryset = vendors
        self.fields["vendor"].authorized = authorized


class StackForm(_VendorForm):
    """A stack of codes. Checked from the box (`codes`, one per line, without JavaScript), or saved from the
    lines the page checked one by one (`code` and `line`, repeated). `cleaned_data["lines"]` holds
    (code, line key) pairs; each line is recorded with the nonce "<stack>.<line key>", so sending the same
    page twice records each line once."""

    codes = forms.CharField(
        label=_("Codes des coupons"), required=False,
        help_text=_("Un code par ligne. Le lecteur de codes tape le code et passe à la ligne tout seul."),
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off", "autocapitalize": "characters",
                                     "spellcheck": "false", "class": "code"}),
    )
    stack = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, saving: bool = False, **kwargs):
        if saving and data is not None and not data.get("codes"):
            # A refused save shows the page again: its codes go back in the box, for a browser without
            # JavaScript (with it, the page rebuilds its lines from `sent_lines`).
            data = data.copy()
            data["codes"] = "\n".join(line["typed"] for line in self._sent(data))
        super().__init__(data, **kwargs)
        self.saving = saving
        if not self.is_bound:
            self.initial.setdefault("stack", new_key())

    @staticmethod
    def _sent(data) -> list[dict]:
        typed, keys, seen, lines = data.getlist("code"), data.getlist("line"), set(), []
        for i, text in enumerate(typed):
            text = " ".join(text.split())[:TYPED_MAX]
            if not text:
                continue
            key = keys[i] if i < len(keys) else ""
            if not LINE_KEY.match(key) or key in seen:
                key = new_key()
            seen.add(key)
            lines.append({"typed": text, "key": key})
        return lines

    def sent_lines(self) -> list[dict]:
        """The lines a save sent ({"typed", "key"}, in the order scanned), to show them again when it is
        refused: nothing typed or scanned is lost. Each keeps its key, so that sending the stack again still
        records each coupon once; a line whose key is missing or repeated gets a new one."""
        return self._sent(self.data) if self.is_bound and self.saving else []

    def page_stack(self) -> str:
        """The stack key for the page shown: the one sent when it is well formed (the same stack sent again
        is recorded once), else a new one."""
        key = self.data.get("stack", "") if self.is_bound else self.initial["stack"]
        return key if STACK_KEY.match(key) else new_key()

    def clean(self):
        data = super().clean()
        if not STACK_KEY.match(data.get("stack", "")):
            raise forms.ValidationError(INCOMPLETE)  # at the top: the key is a hidden field
        if self.saving:
            typed, keys = self.data.getlist("code"), self.data.getlist("line")
            if len(typed) != len(keys) or not all(LINE_KEY.match(k) for k in keys) or len(set(keys)) != len(keys):
                raise forms.ValidationError(INCOMPLETE)
            lines = [(scanned_code(code), key) for code, key in zip(typed, keys)]
        else:
            lines = [(code, new_key()) for code in code_lines(data.get("codes", ""))]
        where = None if self.saving else "codes"  # the box is hidden when the page checks line by line
        if not lines:
            self.add_error(where, _("Entrez au moins un code de coupon, un par ligne."))
        elif len(lines) > MAX_LINES:
            extra = len(lines) - MAX_LINES
            self.add_error(where, ngettext(
                "Une pile compte au plus %(max)s coupons, et celle-ci en a %(count)s. Retirez-en %(extra)s (gardez-le "
                "pour une nouvelle pile), puis enregistrez.",
                "Une pile compte au plus %(max)s coupons, et celle-ci en a %(count)s. Retirez-en %(extra)s "
                "(gardez-les pour une nouvelle pile), puis enregistrez.", extra,
            ) % {"max": MAX_LINES, "count": len(lines), "extra": extra})
        data["lines"] = lines
        return data


class CountsForm(_VendorForm):
    """The vendor's coupons of the day counted by value (programs that do not read codes): one number per
    value of the season. The hidden nonce makes sending the form twice record once."""

    day = forms.DateField(label=_("Jour où les coupons ont été reçus"), widget=DateInput,
                          error_messages={"required": _("Entrez le jour, par exemple 2026-07-04."),
                                          "invalid": _("Entrez le jour, par exemple 2026-07-04.")})
    nonce = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, season: Season, **kwargs):
        super().__init__(data, **kwargs)
        self.season = season
        self.values = list(season.denominations.values_list("value_cents", flat=True))
        if not self.is_bound:
            self.initial.setdefault("nonce", new_key())
            self.initial.setdefault("day", timezone.localdate())
        language = get_language() or "fr"
        for cents in self.values:
            self.fields[f"n_{cents}"] = forms.IntegerField(
                label=_("Coupons de %(value)s") % {"value": format_cents(cents, language)},
                required=False, min_value=0, max_value=MAX_COUNT,
                error_messages={
                    "invalid": _("Écrivez un nombre entier de coupons, par exemple 12."),
                    "min_value": _("Un nombre de coupons ne peut pas être négatif."),
                    "max_value": _("Écrivez au plus %(limit_value)s coupons."),
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_COUNT, "class": "count",
                                                "data-cents": cents, "placeholder": "0"}),
            )

    def count_fields(self):
        return [self[f"n_{cents}"] for cents in self.values]

    def clean_day(self):
        day: datetime.date = self.cleaned_data["day"]
        first = self.season.coupons_valid_from
        last = min(timezone.localdate(), self.season.coupons_valid_until)
        if not first <= day <= last:
            raise forms.ValidationError(
                _("Choisissez un jour entre le %(first)s et le %(last)s : les coupons de la saison sont valides "
                  "à partir du premier, et on ne compte pas des coupons à l'avance.")
                % {"first": date_format(first, "j F Y"), "last": date_format(last, "j F Y")}
            )
        return day

    def clean(self):
        data = super().clean()
        if not STACK_KEY.match(data.get("nonce", "")):
            raise forms.ValidationError(INCOMPLETE)  # at the top: the key is a hidden field
        data["counts"] = {cents: data.get(f"n_{cents}") or 0 for cents in self.values}
        if not self.errors and not any(data["counts"].values()):
            raise forms.ValidationError(_("Entrez au moins un nombre de coupons."))
        return data
