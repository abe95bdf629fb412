from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from pcn.programs.choices import ProductCategory, SalePointKind
from pcn.programs.models import Program, Season


class MarketQuerySet(models.QuerySet):
    def search(self, text: str) -> "MarketQuerySet":
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(municipality__icontains=text))


class Market(models.Model):
    """A public market or a producer's own place of sale, with one or more sale points."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="markets")
    name = models.CharField(_("nom"), max_length=200)
    municipality = models.CharField(_("municipalité"), max_length=120)
    operator = models.ForeignKey(
        "programs.Organization",
        verbose_name=_("organisme gestionnaire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="markets",
    )
    contact_email = models.EmailField(_("courriel"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=40, blank=True)

    objects = MarketQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("marché")
        verbose_name_plural = _("marchés")
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="market_name_unique_in_program",
                violation_error_message=_("Un autre marché de ce programme porte déjà ce nom."),)]

    def __str__(self) -> str:
        return self.name


class SalePoint(models.Model):
    """A place where coupons are spent: a market square, a farm stand, a u-pick field, a CSA pickup."""

    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="sale_points")
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type de lieu"), max_length=16, choices=SalePointKind.choices)
    address = models.CharField(_("adresse"), max_length=300)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # The days and hours are OpeningHours rows; this is the note shown after them.
    schedule = models.CharField(
        _("précisions sur l'horaire"),
        max_length=300,
        blank=True,
        help_text=_("Par exemple « de juin à septembre » ou « fermé en cas de pluie »."),
    )

    class Meta:
        ordering = ["market", "name"]
        verbose_name = _("point de vente")
        verbose_name_plural = _("points de vente")
        constraints = [
            models.UniqueConstraint(fields=["market", "name"], name="sale_point_name_unique_in_market",
                violation_error_message=_("Un autre point de vente de ce marché porte déjà ce nom."),),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="sale_point_coordinates_valid",
                violation_error_message=_("Donnez une latitude entre -90 et 90 et une longitude entre -180 et 180, ensemble."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.market} – {self.name}"

    @property
    def program(self) -> Program:
        return self.market.program

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_g("Donnez la latitude et la longitude ensemble, ou laissez les deux vides."))
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise ValidationError({"latitude": _g("La latitude doit être entre -90 et 90.")})
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise ValidationError({"longitude": _g("La longitude doit être entre -180 et 180.")})


# Opening hours are wall-clock times where the sale point is. Every sale point so far is in Québec's
# Eastern time (America/Toronto, like settings.TIME_ZONE); the Magdalen Islands, on Atlantic time, would
# need a time zone per sale point.
SALE_POINT_TIME_ZONE = ZoneInfo("America/Toronto")


class Weekday(models.IntegerChoices):
    """Days as Python numbers them (date.weekday()): Monday is 0."""

    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class OpeningHours(models.Model):
    """One stretch of a week when a sale point is open, e.g. Saturday 9:00 to 13:00 (local time).

    A day may have several stretches (morning and afternoon); they never overlap, which
    `sale_point_set_hours` checks (a rule across rows, so not a database constraint). A stretch ends on
    the day it starts: no opening past midnight.
    """

    sale_point = models.ForeignKey(
        SalePoint, verbose_name=_("point de vente"), on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens_at = models.TimeField(_("ouvre à"))
    closes_at = models.TimeField(_("ferme à"))

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name = _("heures d'ouverture")
        verbose_name_plural = _("heures d'ouverture")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="opening_hours_close_after_open",
                violation_error_message=_("L'heure de fermeture doit venir après l'heure d'ouverture."),
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6),
                name="opening_hours_weekday_valid",
                violation_error_message=_("Choisissez un jour de la semaine, de lundi à dimanche."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sale_point} – {self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    @property
    def program(self) -> Program:
        return self.sale_point.market.program


class VendorQuerySet(models.QuerySet):
    def search(self, text: str) -> "VendorQuerySet":
        if not text:
            return self
        return self.filter(Q(business_name__icontains=text) | Q(contact_name__icontains=text))


class Vendor(models.Model):
    """A business that accepts coupons and is reimbursed: a producer, processor or artisan."""

    class Kind(models.TextChoices):
        PRODUCER = "producer", _("Producteur")
        PROCESSOR = "processor", _("Transformateur")
        ARTISAN = "artisan", _("Artisan")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="vendors")
    business_name = models.CharField(_("nom de l'entreprise"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    contact_name = models.CharField(_("personne-ressource"), max_length=200, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    categories = models.JSONField(_("produits vendus"), default=list, blank=True)
    sale_points = models.ManyToManyField(SalePoint, verbose_name=_("points de vente"), related_name="vendors")

    objects = VendorQuerySet.as_manager()

    class Meta:
        ordering = ["business_name"]
        verbose_name = _("marchand")
        verbose_name_plural = _("marchands")
        constraints = [
            models.UniqueConstraint(fields=["program", "business_name"], name="vendor_name_unique_in_program",
                violation_error_message=_("Un autre marchand de ce programme porte déjà ce nom."),),
            models.CheckConstraint(condition=~Q(categories=[]), name="vendor_sells_a_category",
                violation_error_message=_("Cochez au moins un type de produit que vend ce marchand."),),
        ]

    def __str__(self) -> str:
        return self.business_name

    def clean(self) -> None:
        if not self.categories:
            raise ValidationError({"categories": _g("Cochez au moins un type de produit que vend ce marchand.")})
        if not set(self.categories) <= set(ProductCategory.values):
            raise ValidationError({"categories": _g("Choisissez des produits dans la liste.")})

    def get_categories_display(self) -> list[str]:
        labels = dict(ProductCategory.choices)
        return [str(labels.get(code, code)) for code in self.categories]


class VendorAuthorizationQuerySet(models.QuerySet):
    def active(self) -> "VendorAuthorizationQuerySet":
        """Authorizations in force (not revoked)."""
        return self.filter(revoked_at__isnull=True)


class VendorAuthorization(models.Model):
    """A vendor may be paid for coupons of a season only once authorized for it (append-only record)."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="vendor_authorizations")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="authorizations")
    authorized_at = models.DateTimeField(auto_now_add=True)
    authorized_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = VendorAuthorizationQuerySet.as_manager()

    class Meta:
        ordering = ["season", "vendor"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "vendor"], condition=Q(revoked_at__isnull=True), name="vendor_authorized_once_per_season",
                violation_error_message=_("Ce marchand est déjà autorisé pour cette saison."),
            ),
        ]

    @property
    def program(self) -> Program:
        return self.season.program
