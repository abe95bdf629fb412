from django import forms
from django.utils.translation import gettext_lazy as _

from pcn.coupons.models import Colour, CustodyEvent, Series
from pcn.funding.models import Grant, Purpose
from pcn.funding.services import grants_paying_for
from pcn.lib.money import format_cents
from pcn.programs.forms import DateInput
from pcn.programs.models import Organization


class SeriesForm(forms.Form):
    denomination_cents = forms.TypedChoiceField(label=_("Valeur d'un coupon"), coerce=int)
    coupon_class = forms.ModelChoiceField(label=_("Catégorie (ce que le coupon permet d'acheter)"), queryset=None)
    count = forms.IntegerField(label=_("Nombre de coupons"), min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    booklet_size = forms.IntegerField(
        label=_("Coupons par carnet"),
        min_value=1,
        required=False,
        help_text=_("Pour remettre à chaque ménage un carnet prêt d'avance. Laissez vide pour des coupons à l'unité."),
    )
    colour = forms.ChoiceField(label=_("Couleur de la bande"), choices=Colour.choices, widget=forms.RadioSelect)
    valid_from = forms.DateField(label=_("Valide à partir du"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valide jusqu'au"), widget=DateInput())
    grant = forms.ModelChoiceField(
        label=_("Subvention qui paie ces coupons"), queryset=None, empty_label=_("— Choisissez —"),
        help_text=_("Les subventions du programme qui peuvent payer des coupons pendant cette saison (Financement)."),
    )
    funding_source = forms.CharField(
        label=_("Source de financement"),
        max_length=200,
        help_text=_("La subvention ou le bailleur de fonds qui paie ces coupons, par exemple « MRC – fonds 2026 ». "
                    "Pour suivre son budget, inscrivez la subvention dans Financement."),
    )

    def __init__(self, *args, season, **kwargs):
        kwargs.setdefault(
            "initial",
            {"valid_from": season.coupons_valid_from, "valid_until": season.coupons_valid_until, "colour": Colour.GREEN},
        )
        super().__init__(*args, **kwargs)
        self.fields["denomination_cents"].choices = [
            (d.value_cents, format_cents(d.value_cents)) for d in season.denominations.all()
        ]
        self.fields["coupon_class"].queryset = season.coupon_classes.all()
        # A program that keeps its grants chooses one (and its budget is followed); otherwise words say who pays.
        grants = grants_paying_for(season, Purpose.COUPONS)
        if grants:
            self.fields["grant"].queryset = Grant.objects.filter(pk__in=[g.pk for g in grants]).select_related("funder")
            del self.fields["funding_source"]
        else:
            del self.fields["grant"]


class MoveForm(forms.Form):
    """Which coupons move, and between whom. The fields shown depend on the kind of move."""

    BOOKLETS, NUMBERS, CODES = "booklets", "numbers", "codes"

    from_partner = forms.ModelChoiceField(label=_("De"), queryset=None, required=False)
    to_partner = forms.ModelChoiceField(label=_("À"), queryset=None, required=False)
    reason = forms.ChoiceField(label=_("Pourquoi"), choices=CustodyEvent.Reason.choices, widget=forms.RadioSelect, required=False)
    how = forms.ChoiceField(
        label=_("Comment choisir les coupons"),
        choices=[
            (BOOKLETS, _("Par numéros de carnets")),
            (NUMBERS, _("Par numéros imprimés (de … à …)")),
            (CODES, _("En scannant ou en tapant les codes")),
        ],
        widget=forms.RadioSelect,
        initial=NUMBERS,
    )
    series = forms.ModelChoiceField(label=_("Série"), queryset=None, required=False)
    numbers = forms.CharField(
        label=_("Numéros"),
        required=False,
        help_text=_("Par exemple « 1-50 » ou « 3, 7, 12-20 »."),
    )
    scanned = forms.CharField(
        label=_("Codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "autocapitalize": "characters", "spellcheck": "false"}),
        help_text=_("Un code par ligne. Un lecteur de code-barres peut les taper pour vous."),
    )
    note = forms.CharField(label=_("Note (facultatif)"), max_length=300, required=False)

    def __init__(self, *args, season, kind, **kwargs):
        super().__init__(*args, **kwargs)
        partners = season.program.organizations.filter(kind__in=Organization.PARTNER_KINDS)
        self.fields["from_partner"].queryset = partners
        self.fields["to_partner"].queryset = partners
        self.fields["series"].queryset = season.series.filter(status=Series.Status.ACTIVE)
        self.fields["series"].label_from_instance = lambda s: _("Série %(n)s · %(value)s · %(count)s coupons") % {
            "n": s.number, "value": format_cents(s.denomination_cents), "count": s.count
        }
        Kind = CustodyEvent.Kind
        if kind == Kind.ALLOCATE:
            del self.fields["from_partner"], self.fields["reason"]
            self.fields["to_partner"].required = True
            self.fields["to_partner"].label = _("Partenaire qui reçoit les coupons")
        elif kind == Kind.TRANSFER:
            del self.fields["reason"]
            self.fields["from_partner"].required = self.fields["to_partner"].required = True
            self.fields["from_partner"].label = _("Partenaire qui donne les coupons")
            self.fields["to_partner"].label = _("Partenaire qui les reçoit")
        elif kind == Kind.RETURN:
            del self.fields["to_partner"], self.fields["reason"]
            self.fields["from_partner"].required = True
            self.fields["from_partner"].label = _("Partenaire qui rend les coupons")
        elif kind == Kind.SELL:  # to a citizen: from the central stock (a kiosk) or from a partner that sells
            del self.fields["to_partner"], self.fields["reason"]
            self.fields["from_partner"].label = _("Qui vend")
            self.fields["from_partner"].empty_label = _("Le programme, depuis la réserve (kiosque)")
        elif kind == Kind.DISTRIBUTE:  # from the household's partner, to the household: both implied
            del self.fields["from_partner"], self.fields["to_partner"], self.fields["reason"]
        elif kind == Kind.VOID:
            del self.fields["to_partner"]
            self.fields["from_partner"].label = _("Qui avait les coupons")
            self.fields["from_partner"].empty_label = _("La réserve centrale")
            self.fields["reason"].required = True
        for name in ("from_partner", "to_partner"):
            if name in self.fields and self.fields[name].required:
                self.fields[name].empty_label = _("— Choisissez —")

    def clean(self):
        data = super().clean()
        how = data.get("how")
        if how in (self.BOOKLETS, self.NUMBERS) and not data.get("series"):
            self.add_error("series", _("Choisissez la série."))
        if how in (self.BOOKLETS, self.NUMBERS) and not data.get("numbers", "").strip():
            self.add_error("numbers", _("Écrivez les numéros, par exemple « 1-50 »."))
        if how == self.CODES and not data.get("scanned", "").strip():
            self.add_error("scanned", _("Scannez ou tapez au moins un code."))
        return data


class SeriesVoidForm(forms.Form):
    reason = forms.ChoiceField(label=_("Pourquoi annuler la série"), choices=CustodyEvent.Reason.choices, widget=forms.RadioSelect)
    confirm = forms.BooleanField(label=_("Je comprends qu'aucun coupon de cette série ne pourra être échangé."))
