"""One form per step of the setup wizard. Each reads its initial values from the draft's answers and gives back
its answer in the draft's shape (pcn/toolbox/program_templates.py). Rules are the models' own: a step builds the
unsaved program or season and runs the model's checks, so the wizard cannot accept what the program's pages
would refuse."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from pcn.lib.formfields import MoneyField, MultipleChoiceListField
from pcn.programs.choices import Language, ProductCategory, Region, SalePointKind
from pcn.programs.entitlements import split_into_coupons, weeks_end
from pcn.programs.forms import DateInput, household_size_label, not_payable_message
from pcn.programs.models import Program, Season
from pcn.toolbox.program_templates import TEMPLATES
from pcn.simulator.budget import MAX_PER_PERIOD_CENTS

MAX_CLASSES = 3
MAX_DENOMINATIONS = 4


class StartForm(forms.Form):
    """A template (one button each), or another program's season as a model (a list and its own button)."""

    MODEL = "model"

    start = forms.ChoiceField(error_messages={"required": _("Choisissez un modèle pour commencer."),
                                              "invalid_choice": _("Choisissez un modèle pour commencer.")})
    model_season = forms.ModelChoiceField(
        label=_("Saison prise comme modèle"), queryset=Season.objects.none(), required=False, empty_label="—",
    )

    def __init__(self, *args, model_seasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].choices = [(key, template.label) for key, template in TEMPLATES.items()] + [
            (self.MODEL, _("Partir de cette saison"))]
        self.fields["model_season"].queryset = model_seasons
        self.fields["model_season"].label_from_instance = lambda season: f"{season.program.name} – {season.name}"

    def clean(self):
        data = super().clean()
        if data.get("start") == self.MODEL and not data.get("model_season"):
            self.add_error("model_season", _("Choisissez dans la liste la saison à prendre comme modèle."))
        return data

    def chosen(self) -> tuple[str, Season | None]:
        if self.cleaned_data["start"] == self.MODEL:
            return "", self.cleaned_data["model_season"]
        return self.cleaned_data["start"], None


class ProgramStepForm(forms.Form):
    name = forms.CharField(label=_("Nom du programme"), max_length=200,
                           help_text=_("Par exemple « Coupons nourriciers de Portneuf »."))
    kind = forms.ChoiceField(label=_("Type de territoire"), choices=Program.Kind.choices)
    region = forms.ChoiceField(label=_("Région administrative"), choices=[("", "—"), *Region.choices],
                               error_messages={"required": _("Choisissez la région administrative.")})
    languages = MultipleChoiceListField(
        label=_("Langues"), choices=Language.choices,
        help_text=_("Les langues dans lesquelles le programme s'adresse aux gens."),
        error_messages={"required": _("Choisissez au moins une langue.")},
    )
    fiduciary = forms.CharField(
        label=_("Fiduciaire"), max_length=200,
        help_text=_("L'organisation qui détient l'argent du programme et paie les marchands, par exemple "
                    "l'UPA de la région ou la MRC."),
        error_messages={"required": _("Donnez le nom du fiduciaire : sans lui, personne ne peut payer les marchands.")},
    )

    def __init__(self, *args, network, program: Program | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.network, self.program = network, program

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        program = Program.objects.get(pk=self.program.pk) if self.program else Program(network=self.network)
        program.name, program.kind, program.region = data["name"], data["kind"], data["region"]
        program.languages = data["languages"]
        program.full_clean(exclude=["network", "fiduciary"])
        return data

    def answer(self) -> dict:
        return dict(self.cleaned_data)


class SeasonStepForm(forms.Form):
    name = forms.CharField(label=_("Nom de la saison"), max_length=120)
    starts_on = forms.DateField(
        label=_("Première semaine : le lundi du"), widget=DateInput(),
        help_text=_("Les coupons sont valides de ce jour jusqu'à la fin de la dernière semaine."),
    )
    weeks = forms.IntegerField(label=_("Nombre de semaines"), min_value=1, max_value=52,
                               widget=forms.NumberInput(attrs={"min": 1, "max": 52}))
    frequency = forms.ChoiceField(
        label=_("Fréquence des remises"), choices=Season.Frequency.choices,
        help_text=_("Plus les remises sont rapprochées, plus les ménages reviennent souvent au marché ; plus elles "
                    "sont espacées, moins les partenaires se déplacent."),
    )
    household_size_cap = forms.IntegerField(
        label=_("Taille de ménage maximale comptée"), min_value=1, max_value=20,
        widget=forms.NumberInput(attrs={"min": 1, "max": 20}),
        help_text=_("Les ménages plus grands reçoivent le montant prévu pour cette taille."),
    )
    accepted_sale_point_kinds = MultipleChoiceListField(
        label=_("Lieux où les coupons sont acceptés"), choices=SalePointKind.choices,
        error_messages={"required": _("Choisissez au moins un type de lieu où les coupons sont acceptés.")},
    )
    cards_enabled = forms.BooleanField(
        label=_("Permettre les cartes numériques"), required=False,
        help_text=_("Un ménage peut recevoir une carte avec un solde, au lieu de coupons papier."),
    )
    counts_only = forms.BooleanField(
        label=_("Compter les coupons sans lire les codes"), required=False,
        help_text=_("Plus simple au marché, mais un coupon échangé deux fois ne sera pas repéré."),
    )
    accept_unissued = forms.BooleanField(
        label=_("Accepter un coupon pas encore inscrit comme remis"), required=False,
        help_text=_("Utile quand les remises sur papier sont saisies en retard : le coupon est accepté et signalé."),
    )
    expected_redemption_rate = forms.IntegerField(
        label=_("Taux d'échange attendu (%)"), min_value=0, max_value=100, required=False,
        help_text=_("La part des coupons remis que les ménages échangeront : entre 70 % et 86 % dans le "
                    "Bas-Saint-Laurent. Sert à prévoir l'argent à garder pour payer les marchands."),
    )

    def __init__(self, *args, program: Program | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not 2000 <= data["starts_on"].year <= 2100:
            raise ValidationError({"starts_on": _("Choisissez une date de début entre l'an 2000 et l'an 2100.")})
        ends_on = weeks_end(data["starts_on"], data["weeks"])
        season = Season(
            program_id=self.program.pk if self.program else None, name=data["name"], starts_on=data["starts_on"],
            ends_on=ends_on, weeks=data["weeks"], frequency=data["frequency"],
            household_size_cap=data["household_size_cap"], coupons_valid_from=data["starts_on"],
            coupons_valid_until=ends_on, accepted_sale_point_kinds=data["accepted_sale_point_kinds"],
            cards_enabled=data["cards_enabled"], counts_only=data["counts_only"],
            accept_unissued=data["accept_unissued"], expected_redemption_rate=data["expected_redemption_rate"],
        )
        try:
            season.full_clean(exclude=["program"] if self.program is None else None)
        except ValidationError as error:
            # The season's dates are asked as a first day and a number of weeks: its rules on the end apply to those.
            moved = {"ends_on": "weeks", "coupons_valid_from": "starts_on", "coupons_valid_until": "weeks"}
            raise ValidationError({moved.get(field, field): errors for field, errors in error.error_dict.items()
                                   if moved.get(field, field) in self.fields} or error.messages) from None
        return data

    def answer(self) -> dict:
        data = dict(self.cleaned_data)
        data["starts_on"] = data["starts_on"].isoformat()
        return data

    @staticmethod
    def initial_from(answer: dict) -> dict:
        return {**answer, "starts_on": datetime.date.fromisoformat(answer["starts_on"])}


class AmountsStepForm(forms.Form):
    """The amount per period for each household size up to the cap, and the coupons' face values; every amount
    must be payable in those coupons (no change is given at the stall)."""

    def __init__(self, *args, cap: int, answer: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap
        amounts, values = answer.get("entitlements", {}), answer.get("denominations", [])
        for size in range(1, cap + 1):
            self.fields[f"size_{size}"] = MoneyField(
                label=household_size_label(size, or_more=size == cap), initial=amounts.get(str(size)),
                error_messages={"required": _("Donnez le montant pour ce ménage.")},
                validators=[MaxValueValidator(MAX_PER_PERIOD_CENTS, message=_(
                    "Un ménage reçoit au plus 1 000 $ par remise. Vérifiez le montant."))],
            )
        for index in range(MAX_DENOMINATIONS):
            self.fields[f"value_{index}"] = MoneyField(
                label=_("Valeur de coupon %(n)s") % {"n": index + 1}, required=False,
                initial=values[index] if index < len(values) else None,
            )

    def amount_fields(self):
        return [self[f"size_{size}"] for size in range(1, self.cap + 1)]

    def value_fields(self):
        return [self[f"value_{index}"] for index in range(MAX_DENOMINATIONS)]

    def clean(self):
        data = super().clean()
        values = [data[f"value_{i}"] for i in range(MAX_DENOMINATIONS) if data.get(f"value_{i}")]
        if not values and not any(f"value_{i}" in self.errors for i in range(MAX_DENOMINATIONS)):
            raise ValidationError(_("Donnez au moins une valeur de coupon, par exemple 5,00."))
        if len(set(values)) != len(values):
            raise ValidationError(_("Chaque valeur de coupon ne peut paraître qu'une fois."))
        for size in range(1, self.cap + 1):
            amount = data.get(f"size_{size}")
            if amount and values and split_into_coupons(amount, values) is None:
                self.add_error(f"size_{size}", not_payable_message(amount, values))
        return data

    def answer(self) -> dict:
        data = self.cleaned_data
        return {
            "entitlements": {str(size): data[f"size_{size}"] for size in range(1, self.cap + 1)},
            "denominations": sorted(data[f"value_{i}"] for i in range(MAX_DENOMINATIONS) if data.get(f"value_{i}")),
        }


class ClassesStepForm(forms.Form):
    """Up to three coupon classes, each with a name and what it buys; the first is required."""

    def __init__(self, *args, answer: list, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(MAX_CLASSES):
            current = answer[index] if index < len(answer) else {}
            self.fields[f"name_{index}"] = forms.CharField(
                label=_("Nom"), max_length=120, required=index == 0, initial=current.get("name"),
                error_messages={"required": _("Donnez un nom à la première catégorie, par exemple « Aliments locaux ».")},
            )
            self.fields[f"categories_{index}"] = MultipleChoiceListField(
                label=_("Produits que ce coupon permet d'acheter"), choices=ProductCategory.choices, required=False,
                initial=current.get("categories"),
            )

    def groups(self):
        return [(self[f"name_{i}"], self[f"categories_{i}"]) for i in range(MAX_CLASSES)]

    def clean(self):
        data = super().clean()
        names = []
        for index in range(MAX_CLASSES):
            name, categories = (data.get(f"name_{index}") or "").strip(), data.get(f"categories_{index}")
            if name and not categories:
                self.add_error(f"categories_{index}",
                               _("Cochez au moins un type de produit que ce coupon permet d'acheter."))
            if categories and not name:
                self.add_error(f"name_{index}", _("Donnez un nom à cette catégorie, ou décochez ses produits."))
            if name and name in names:
                self.add_error(f"name_{index}", _("Deux catégories ne peuvent pas porter le même nom."))
            names.append(name)
        return data

    def answer(self) -> list:
        data = self.cleaned_data
        return [{"name": data[f"name_{i}"].strip(), "categories": data[f"categories_{i}"]}
                for i in range(MAX_CLASSES) if (data.get(f"name_{i}") or "").strip()]


class PartnersStepForm(forms.Form):
    band_council = forms.CharField(
        label=_("Conseil de bande"), max_length=200, required=False,
        help_text=_("Il remet les coupons aux ménages de la communauté, comme un organisme partenaire."),
    )
    names = forms.CharField(
        label=_("Organismes partenaires"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Un nom par ligne : banques alimentaires, maisons de la famille, CLSC... Vous ajouterez leurs "
                    "coordonnées plus tard."),
    )
    local_currency_name = forms.CharField(
        label=_("Monnaie locale"), max_length=60, required=False,
        help_text=_("Seulement si les marchands sont remboursés dans une monnaie locale. Vide : en dollars."),
    )
    local_units_per_100_cad = forms.IntegerField(
        label=_("Unités de monnaie locale pour 100 $"), min_value=1, max_value=100000, required=False,
        help_text=_("Par exemple 105 : 100 $ donnent 105 unités."),
    )

    def __init__(self, *args, program_kind: str, has_payment_settings: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_payment_settings = has_payment_settings
        if has_payment_settings:  # the treasury's, on its own page
            del self.fields["local_currency_name"], self.fields["local_units_per_100_cad"]
        self.band_council_required = program_kind == Program.Kind.INDIGENOUS_COMMUNITY
        if self.band_council_required:
            self.fields["band_council"].required = True
            self.fields["band_council"].error_messages["required"] = _(
                "Donnez le nom du conseil de bande, par exemple « Conseil de la Première Nation Abitibiwinni »."
            )
        else:
            del self.fields["band_council"]

    def initial_from(self, answer: dict) -> dict:
        return {**answer, "names": "\n".join(answer.get("names", []))}

    def clean(self):
        data = super().clean()
        names = [line.strip() for line in (data.get("names") or "").splitlines() if line.strip()]
        if too_long := [name for name in names if len(name) > 200]:
            self.add_error("names", _("Ce nom est trop long (200 caractères au plus) : %(name)s") % {"name": too_long[0][:40]})
        if len(set(names)) != len(names):
            self.add_error("names", _("Un organisme paraît deux fois dans la liste."))
        data["names"] = names
        currency, rate = (data.get("local_currency_name") or "").strip(), data.get("local_units_per_100_cad")
        if bool(currency) != bool(rate) and "local_units_per_100_cad" not in self.errors and not self.has_payment_settings:
            raise ValidationError(_("Donnez le nom de la monnaie locale et son taux, ensemble, ou laissez les deux vides."))
        data["local_currency_name"] = currency
        return data

    def answer(self) -> dict:
        data = self.cleaned_data
        return {
            "band_council": (data.get("band_council") or "").strip(),
            "names": data["names"],
            "local_currency_name": data["local_currency_name"],
            "local_units_per_100_cad": data.get("local_units_per_100_cad") if data["local_currency_name"] else None,
        }
