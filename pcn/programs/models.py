from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from pcn.programs.choices import Language, ProductCategory, Region, SalePointKind


class Network(models.Model):
    """The provincial level (e.g. the association of public markets). Sees all its programs."""

    name = models.CharField(_("nom"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("réseau")
        verbose_name_plural = _("réseaux")

    def __str__(self) -> str:
        return self.name


class ProgramQuerySet(models.QuerySet):
    def search(self, text: str) -> "ProgramQuerySet":
        return self.filter(name__icontains=text) if text else self


class Program(models.Model):
    """One territory's coupon program: the tenant. Every tenant-owned row reaches one program."""

    class Kind(models.TextChoices):
        MRC = "mrc", _("MRC")
        CITY = "city", _("Ville")
        REGION = "region", _("Région")
        INDIGENOUS_COMMUNITY = "indigenous_community", _("Communauté autochtone")

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(_("nom"), max_length=200, unique=True, error_messages={
        "unique": _("Un autre programme porte déjà ce nom. Ajoutez-y le nom du territoire, par exemple."),
    })
    kind = models.CharField(_("type de territoire"), max_length=32, choices=Kind.choices)
    region = models.CharField(_("région administrative"), max_length=2, choices=Region.choices)
    languages = models.JSONField(
        _("langues"), default=list, blank=True, help_text=_("Les langues dans lesquelles le programme s'adresse aux gens.")
    )
    fiduciary = models.ForeignKey(
        "programs.Organization",
        verbose_name=_("fiduciaire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("L'organisation qui détient l'argent du programme et paie les marchands."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(condition=~Q(languages=[]), name="program_has_a_language",
                violation_error_message=_("Choisissez au moins une langue."),),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def program(self) -> "Program":
        return self

    def clean(self) -> None:
        if not self.languages:
            raise ValidationError({"languages": _g("Choisissez au moins une langue.")})
        if not set(self.languages) <= set(Language.values):
            raise ValidationError({"languages": _g("Choisissez des langues dans la liste.")})

    def get_languages_display(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]


class Organization(models.Model):
    """A body that takes part in a program: fiduciary, community partner, funder, band council..."""

    class Kind(models.TextChoices):
        FIDUCIARY = "fiduciary", _("Fiduciaire")
        COMMUNITY_PARTNER = "community_partner", _("Organisme communautaire partenaire")
        FUNDER = "funder", _("Bailleur de fonds")
        MARKET_OPERATOR = "market_operator", _("Gestionnaire de marché")
        BAND_COUNCIL = "band_council", _("Conseil de bande")
        OTHER = "other", _("Autre")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="organizations")
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    contact_name = models.CharField(_("personne-ressource"), max_length=200, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="organization_name_unique_in_program",
                violation_error_message=_("Une organisation de ce programme porte déjà ce nom."),),
        ]

    def __str__(self) -> str:
        return self.name

    PARTNER_KINDS = (Kind.COMMUNITY_PARTNER, Kind.BAND_COUNCIL)

    def is_partner_in(self, program_id: int) -> bool:
        """A partner (community organization or band council) of that program: the ones that hold coupons
        and enrol households."""
        return self.program_id == program_id and self.kind in self.PARTNER_KINDS


class Season(models.Model):
    """One run of a program: its dates, weeks, distribution rules and what coupons buy and where."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Chaque semaine")
        BIWEEKLY = "biweekly", _("Aux deux semaines")
        MONTHLY = "monthly", _("Chaque mois")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="seasons")
    name = models.CharField(_("nom"), max_length=120, help_text=_("Par exemple « Été 2026 »."))
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    weeks = models.PositiveSmallIntegerField(_("nombre de semaines"))
    frequency = models.CharField(
        _("fréquence des remises"), max_length=16, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    household_size_cap = models.PositiveSmallIntegerField(
        _("taille de ménage maximale comptée"),
        default=6,
        help_text=_("Les ménages plus grands reçoivent le montant prévu pour cette taille."),
    )
    coupons_valid_from = models.DateField(_("coupons valides à partir du"))
    coupons_valid_until = models.DateField(_("coupons valides jusqu'au"))
    accepted_sale_point_kinds = models.JSONField(_("lieux où les coupons sont acceptés"), default=list, blank=True)
    cards_enabled = models.BooleanField(
        _("cartes numériques"),
        default=False,
        help_text=_("Un ménage peut recevoir une carte avec un solde crédité à chaque remise, au lieu de coupons papier."),
    )
    accept_unissued = models.BooleanField(
        _("accepter les coupons jamais remis"),
        default=False,
        help_text=_("Un coupon encore en réserve ou chez un partenaire est accepté au kiosque et signalé, au lieu "
                    "d'être refusé."),
    )
    card_offline_cap_cents = models.PositiveIntegerField(
        _("plafond d'un achat par carte hors ligne"),
        default=2000,
        help_text=_("Sans réseau, le kiosque accepte un achat par carte jusqu'à ce montant ; il est vérifié au "
                    "retour du réseau."),
    )
    counts_only = models.BooleanField(
        _("compter les coupons sans lire les codes"),
        default=False,
        help_text=_("Les gestionnaires de marché entrent le nombre de coupons par valeur plutôt que chaque code."),
    )

    expected_redemption_rate = models.PositiveSmallIntegerField(
        _("taux d'échange attendu (%)"), null=True, blank=True,
        help_text=_("La part des coupons remis que les ménages échangeront, pour prévoir ce qui reste à payer. "
                    "Vide : ce que montrent les saisons passées du programme."),
    )
    closed_at = models.DateTimeField(_("fermée le"), null=True, blank=True)
    closed_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["program", "-starts_on"]
        verbose_name = _("saison")
        verbose_name_plural = _("saisons")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="season_ends_after_start",
                violation_error_message=_("La fin de la saison doit venir après son début."),),
            models.CheckConstraint(
                condition=Q(coupons_valid_until__gte=models.F("coupons_valid_from")),
                name="season_validity_ends_after_start",
                violation_error_message=_("La date de fin de validité doit venir après la date de début."),
            ),
            models.CheckConstraint(condition=Q(weeks__gte=1), name="season_has_weeks",
                violation_error_message=_("Une saison compte au moins une semaine."),),
            models.CheckConstraint(condition=Q(household_size_cap__gte=1), name="season_size_cap_positive",
                violation_error_message=_("Choisissez une taille entre 1 et 20 personnes."),),
            models.CheckConstraint(condition=~Q(accepted_sale_point_kinds=[]), name="season_accepts_a_sale_point_kind",
                violation_error_message=_("Choisissez au moins un type de lieu où les coupons sont acceptés."),),
            models.CheckConstraint(
                condition=Q(expected_redemption_rate__isnull=True) | Q(expected_redemption_rate__lte=100),
                name="season_expected_redemption_rate_percent",
                violation_error_message=_("Le taux d'échange attendu est un pourcentage, de 0 à 100."),
            ),
            models.UniqueConstraint(fields=["program", "name"], name="season_name_unique_in_program",
                violation_error_message=_("Une autre saison de ce programme porte déjà ce nom."),),
        ]

    def __str__(self) -> str:
        return f"{self.program} – {self.name}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                errors["ends_on"] = _g("La fin de la saison doit venir après son début.")
            else:
                most_weeks = ((self.ends_on - self.starts_on).days + 7) // 7
                if self.weeks and self.weeks > most_weeks:
                    errors["weeks"] = _g(
                        "Il y a %(most)s semaines entre ces dates. Choisissez au plus %(most)s semaines, "
                        "ou allongez la saison."
                    ) % {"most": most_weeks}
                overlapping = (
                    Season.objects.filter(program_id=self.program_id)
                    .exclude(pk=self.pk)
                    .filter(starts_on__lte=self.ends_on, ends_on__gte=self.starts_on)
                    .first()
                )
                if overlapping:
                    errors["starts_on"] = _g(
                        "Ces dates chevauchent la saison « %(name)s » (du %(start)s au %(end)s). "
                        "Deux saisons d'un même programme ne peuvent pas se chevaucher."
                    ) % {
                        "name": overlapping.name,
                        "start": date_format(overlapping.starts_on),
                        "end": date_format(overlapping.ends_on),
                    }
        if self.coupons_valid_from and self.coupons_valid_until and self.coupons_valid_until < self.coupons_valid_from:
            errors["coupons_valid_until"] = _g("La date de fin de validité doit venir après la date de début.")
        if self.household_size_cap is not None and not 1 <= self.household_size_cap <= 20:
            errors["household_size_cap"] = _g("Choisissez une taille entre 1 et 20 personnes.")
        kinds = self.accepted_sale_point_kinds or []
        if not kinds:
            errors["accepted_sale_point_kinds"] = _g("Choisissez au moins un type de lieu où les coupons sont acceptés.")
        elif not set(kinds) <= set(SalePointKind.values):
            errors["accepted_sale_point_kinds"] = _g("Choisissez des types de lieux dans la liste.")
        if errors:
            raise ValidationError(errors)

    def get_accepted_sale_point_kinds_display(self) -> list[str]:
        labels = dict(SalePointKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.accepted_sale_point_kinds]


class EntitlementRow(models.Model):
    """Amount a household of a given size receives per distribution period, in cents."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="entitlement_rows")
    household_size = models.PositiveSmallIntegerField(_("taille du ménage"))
    amount_cents = models.PositiveIntegerField(_("montant par période"))

    class Meta:
        ordering = ["season", "household_size"]
        constraints = [
            models.UniqueConstraint(fields=["season", "household_size"], name="entitlement_one_row_per_size",
                violation_error_message=_("Cette taille de ménage a déjà un montant."),),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="entitlement_amount_positive",
                violation_error_message=_("Le montant doit être plus grand que zéro."),),
            models.CheckConstraint(condition=Q(household_size__gte=1), name="entitlement_size_positive",
                violation_error_message=_("Un ménage compte au moins une personne."),),
        ]

    @property
    def program(self) -> Program:
        return self.season.program


class Denomination(models.Model):
    """A face value coupons of this season are printed in, in cents."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="denominations")
    value_cents = models.PositiveIntegerField(_("valeur"))

    class Meta:
        ordering = ["season", "value_cents"]
        constraints = [
            models.UniqueConstraint(fields=["season", "value_cents"], name="denomination_unique_in_season",
                violation_error_message=_("Cette valeur de coupon existe déjà pour la saison."),),
            models.CheckConstraint(condition=Q(value_cents__gt=0), name="denomination_positive",
                violation_error_message=_("La valeur d'un coupon doit être plus grande que zéro."),),
        ]

    @property
    def program(self) -> Program:
        return self.season.program


class CouponClass(models.Model):
    """A kind of coupon and what it buys, e.g. « Fruits et légumes » or « Tous les aliments admissibles »."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="coupon_classes")
    name = models.CharField(_("nom"), max_length=120)
    categories = models.JSONField(_("produits admissibles"), default=list, blank=True)

    class Meta:
        ordering = ["season", "name"]
        verbose_name = _("catégorie de coupon")
        verbose_name_plural = _("catégories de coupons")
        constraints = [
            models.UniqueConstraint(fields=["season", "name"], name="coupon_class_name_unique_in_season",
                violation_error_message=_("Une autre catégorie de coupon de cette saison porte déjà ce nom."),),
            models.CheckConstraint(condition=~Q(categories=[]), name="coupon_class_has_a_category",
                violation_error_message=_("Cochez au moins un type de produit que ce coupon permet d'acheter."),),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def program(self) -> Program:
        return self.season.program

    def clean(self) -> None:
        if not self.categories:
            raise ValidationError(
                {"categories": _g("Cochez au moins un type de produit que ce coupon permet d'acheter.")}
            )
        if not set(self.categories) <= set(ProductCategory.values):
            raise ValidationError({"categories": _g("Choisissez des produits dans la liste.")})

    def get_categories_display(self) -> list[str]:
        labels = dict(ProductCategory.choices)
        return [str(labels.get(code, code)) for code in self.categories]
