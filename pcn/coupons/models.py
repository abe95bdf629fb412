"""Series, coupons, and the custody ledger that says where every coupon is.

The ledger (`CustodyEvent`) is the record; `Coupon.status`/`Coupon.partner` are the current position,
moved by the same transaction that appends the event, and re-derived from the ledger by `verify_ledger`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pcn.programs.models import CouponClass, Organization, Program, Season


class Colour(models.TextChoices):
    """Print-friendly colours for a series' band: easy to tell apart at a stall, also in greyscale."""

    GREEN = "#1f6b3a", _("Vert")
    BLUE = "#1f4e9c", _("Bleu")
    ORANGE = "#d9661f", _("Orange")
    RED = "#b3261e", _("Rouge")
    PURPLE = "#6b2f8a", _("Violet")
    YELLOW = "#c9a400", _("Jaune")
    BROWN = "#7a4a21", _("Brun")
    GREY = "#555555", _("Gris")


class Series(models.Model):
    """A print run: one denomination and class, a colour, validity dates and the money behind it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("En circulation")
        VOID = "void", _("Annulée")

    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="series")
    number = models.PositiveIntegerField(_("numéro"))
    denomination_cents = models.PositiveIntegerField(_("valeur d'un coupon"))
    coupon_class = models.ForeignKey(
        CouponClass, verbose_name=_("catégorie"), on_delete=models.PROTECT, related_name="series"
    )
    colour = models.CharField(_("couleur"), max_length=7, choices=Colour.choices)
    valid_from = models.DateField(_("valide à partir du"))
    valid_until = models.DateField(_("valide jusqu'au"))
    funding_source = models.CharField(
        _("source de financement"), max_length=200, help_text=_("La subvention ou le bailleur qui paie ces coupons.")
    )
    grant = models.ForeignKey(
        "funding.Grant", verbose_name=_("subvention"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="series",
    )
    count = models.PositiveIntegerField(_("nombre de coupons"))
    booklet_size = models.PositiveIntegerField(_("coupons par carnet"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["season", "number"]
        verbose_name = _("série")
        verbose_name_plural = _("séries")
        constraints = [
            models.UniqueConstraint(fields=["season", "number"], name="series_number_unique_in_season"),
            models.CheckConstraint(condition=Q(count__gt=0), name="series_has_coupons"),
            models.CheckConstraint(condition=Q(denomination_cents__gt=0), name="series_value_positive"),
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="series_validity_ordered"),
            models.CheckConstraint(
                condition=Q(booklet_size__isnull=True) | Q(booklet_size__gt=0), name="series_booklet_size_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Série %(number)s") % {"number": self.number})

    @property
    def program(self) -> Program:
        return self.season.program

    @property
    def value_cents(self) -> int:
        return self.count * self.denomination_cents

    @property
    def booklet_count(self) -> int | None:
        if not self.booklet_size:
            return None
        return -(-self.count // self.booklet_size)


class CouponStatus(models.TextChoices):
    """Where a coupon is. Each coupon is in exactly one of these at every moment."""

    STOCK = "stock", _("En réserve")
    PARTNER = "partner", _("Chez un partenaire")
    HOUSEHOLD = "household", _("Chez un ménage")
    SOLD = "sold", _("Vendu au grand public")
    REDEEMED = "redeemed", _("Échangé")
    EXPIRED = "expired", _("Expiré")
    VOID = "void", _("Annulé")


class CouponQuerySet(models.QuerySet):
    def in_ranges(self, ranges) -> "CouponQuerySet":
        """Coupons in the given (series_id, first_number, last_number) ranges."""
        condition = Q()
        for series_id, first, last in ranges:
            condition |= Q(series_id=series_id, number__gte=first, number__lte=last)
        return self.filter(condition) if ranges else self.none()


class Coupon(models.Model):
    """A bearer coupon of fixed value with a unique code. Nothing on it says who received it."""

    # A copy of series.season for per-season reads; written only by series_issue. No database-level
    # foreign key: on a million-coupon COPY the second referential check per row costs more than the COPY.
    season = models.ForeignKey(Season, on_delete=models.DO_NOTHING, db_constraint=False, related_name="coupons")
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="coupons")
    number = models.PositiveIntegerField(_("numéro dans la série"))
    booklet = models.PositiveIntegerField(_("carnet"), null=True, blank=True)
    code = models.CharField(_("code"), max_length=12, unique=True)
    value_cents = models.PositiveIntegerField(_("valeur"))
    status = models.CharField(_("où il est"), max_length=10, choices=CouponStatus.choices, default=CouponStatus.STOCK)
    partner = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="coupons"
    )

    objects = CouponQuerySet.as_manager()

    class Meta:
        ordering = ["series", "number"]
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="coupon_number_unique_in_series"),
            models.CheckConstraint(condition=Q(value_cents__gt=0), name="coupon_value_positive"),
            models.CheckConstraint(
                condition=Q(status=CouponStatus.PARTNER, partner__isnull=False)
                | (~Q(status=CouponStatus.PARTNER) & Q(partner__isnull=True)),
                name="coupon_partner_iff_held_by_partner",
            ),
            models.CheckConstraint(
                condition=Q(status=CouponStatus.HOUSEHOLD, household__isnull=False)
                | (~Q(status=CouponStatus.HOUSEHOLD) & Q(household__isnull=True)),
                name="coupon_household_iff_held_by_household",
            ),
        ]
        indexes = [models.Index(fields=["season", "status", "partner"], name="coupon_position")]

    @property
    def program(self) -> Program:
        return self.season.program


class CustodyEvent(models.Model):
    """One move of coupons from one holder to another. Append-only and hash-chained per season:
    `hash` covers every field and the previous event's hash, so an edit anywhere breaks the chain."""

    class Kind(models.TextChoices):
        ISSUE = "issue", _("Émission")
        ALLOCATE = "allocate", _("Remise à un partenaire")
        DISTRIBUTE = "distribute", _("Remise à un ménage")
        SELL = "sell", _("Vente au grand public")
        TRANSFER = "transfer", _("Transfert entre partenaires")
        RETURN = "return", _("Retour en réserve")
        VOID = "void", _("Annulation")
        REDEEM = "redeem", _("Échange chez un marchand")
        EXPIRE = "expire", _("Expiration à la fermeture de la saison")

    class Reason(models.TextChoices):
        LOST = "lost", _("Perdu")
        STOLEN = "stolen", _("Volé")
        DESTROYED = "destroyed", _("Détruit")
        MISPRINT = "misprint", _("Erreur d'impression")

    class Source(models.TextChoices):
        WEB = "web", _("Page web")
        API = "api", _("API")
        COMMAND = "command", _("Ligne de commande")
        OFFLINE = "offline", _("Appareil hors ligne")
        IMPORT = "import", _("Importation")

    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="custody_events")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_status = models.CharField(max_length=10, choices=CouponStatus.choices, blank=True)
    from_partner = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_status = models.CharField(max_length=10, choices=CouponStatus.choices)
    to_partner = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    from_household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    coupon_count = models.PositiveIntegerField()
    value_cents = models.BigIntegerField()
    reason = models.CharField(max_length=10, choices=Reason.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)
    digest = models.CharField(max_length=64, blank=True)  # issue events: the series' digest (ledger.series_digest)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=Source.choices)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["season", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["season", "sequence"], name="custody_event_sequence_unique"),
            models.CheckConstraint(condition=Q(coupon_count__gt=0), name="custody_event_moves_coupons"),
            models.CheckConstraint(condition=Q(value_cents__gt=0), name="custody_event_moves_value"),
        ]

    @property
    def program(self) -> Program:
        return self.season.program


class CustodyEventRange(models.Model):
    """Which coupons an event moved: a run of consecutive numbers in one series."""

    event = models.ForeignKey(CustodyEvent, on_delete=models.PROTECT, related_name="ranges")
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="+")
    first_number = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField()

    class Meta:
        ordering = ["event", "series", "first_number"]
        constraints = [
            models.CheckConstraint(condition=Q(last_number__gte=F("first_number")), name="custody_range_ordered"),
        ]
