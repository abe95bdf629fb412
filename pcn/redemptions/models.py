"""Redemptions: every presentation of a coupon or a card to a vendor, accepted or not.

A `Redemption` row is written once and never changed (append-only, like the custody ledger): an accepted
one moved its coupon to "redeemed" through a custody event in the same transaction; a refused one keeps
its reason; one set aside for review waits for a `ReviewDecision`, a new row. A coupon has at most one
accepted redemption (a database constraint), which is what makes paying twice impossible.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pcn.markets.models import Market, SalePoint, Vendor
from pcn.programs.models import Program, Season


class DeviceQuerySet(models.QuerySet):
    def active(self) -> "DeviceQuerySet":
        return self.filter(revoked_at__isnull=True)


class Device(models.Model):
    """A vendor's phone linked to the stall page. The page keeps the clear key; only its hash is stored.
    A coordinator revokes it (a lost phone): from then on it syncs nothing."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="devices")
    name = models.CharField(_("nom de l'appareil"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DeviceQuerySet.as_manager()

    class Meta:
        ordering = ["vendor", "-linked_at"]
        verbose_name = _("appareil")
        verbose_name_plural = _("appareils")

    def __str__(self) -> str:
        return self.name

    @property
    def program(self) -> Program:
        return self.vendor.program


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepté")
    REFUSED = "refused", _("Refusé")
    REVIEW = "review", _("À examiner")


class Reason(models.TextChoices):
    """Why a presentation was refused or set aside. The sentence shown to people is in messages.py."""

    FORMAT = "format", _("Code mal écrit")
    UNKNOWN = "unknown", _("Code inconnu")
    OTHER_PROGRAM = "other_program", _("Coupon d'un autre programme")
    NOT_YET_VALID = "not_yet_valid", _("Pas encore valide")
    EXPIRED = "expired", _("Expiré")
    VOID = "void", _("Annulé (perdu ou volé)")
    NOT_ISSUED = "not_issued", _("Jamais remis à un ménage")
    ALREADY_REDEEMED = "already_redeemed", _("Déjà échangé")
    VENDOR_NOT_AUTHORIZED = "vendor_not_authorized", _("Marchand non autorisé pour la saison")
    CLASS_NOT_SOLD = "class_not_sold", _("Catégorie de coupon non vendue par ce marchand")
    CONFLICT = "conflict", _("Échangé hors ligne sur deux appareils")
    CARD_UNKNOWN = "card_unknown", _("Carte inconnue")
    CARD_BALANCE = "card_balance", _("Solde insuffisant")
    CARD_OVER_CAP = "card_over_cap", _("Achat hors ligne au-dessus du plafond")
    CARDS_OFF = "cards_off", _("Cartes non offertes")


class Source(models.TextChoices):
    STALL = "stall", _("Kiosque, en ligne")
    OFFLINE = "offline", _("Kiosque, hors ligne")
    MARKET = "market", _("Saisie du gestionnaire de marché")
    API = "api", _("API")


class RedemptionQuerySet(models.QuerySet):
    def accepted(self) -> "RedemptionQuerySet":
        return self.filter(outcome=Outcome.ACCEPTED)

    def awaiting_review(self) -> "RedemptionQuerySet":
        return self.filter(outcome=Outcome.REVIEW, decision__isnull=True)


class Redemption(models.Model):
    """One coupon or card presented to a vendor, with what came of it. Append-only."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="redemptions")
    season = models.ForeignKey(Season, on_delete=models.PROTECT, null=True, blank=True, related_name="redemptions")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="redemptions")
    market = models.ForeignKey(Market, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sale_point = models.ForeignKey(SalePoint, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, null=True, blank=True, related_name="redemptions")
    coupon = models.ForeignKey(
        "coupons.Coupon", on_delete=models.PROTECT, null=True, blank=True, related_name="redemptions"
    )
    card = models.ForeignKey(
        "households.Card", on_delete=models.PROTECT, null=True, blank=True, related_name="redemptions"
    )
    code = models.CharField(_("code"), max_length=40)  # canonical when it could be read, else as typed
    value_cents = models.PositiveIntegerField(_("valeur"))
    outcome = models.CharField(_("résultat"), max_length=8, choices=Outcome.choices)
    reason = models.CharField(_("raison"), max_length=24, choices=Reason.choices, blank=True)
    conflicts_with = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="conflicts"
    )
    unissued = models.BooleanField(default=False)  # accepted although never handed out (program's choice)
    outside_hours = models.BooleanField(default=False)  # taken when the sale point is closed
    source = models.CharField(max_length=8, choices=Source.choices)
    nonce = models.CharField(max_length=64)  # the client's idempotency key
    client_at = models.DateTimeField(null=True, blank=True)  # when the device says it happened
    # When the coupon was taken, as the rules judged it: the device's time when believable, else the server's.
    taken_at = models.DateTimeField()
    recorded_at = models.DateTimeField()  # when the server wrote it
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    event = models.OneToOneField(
        "coupons.CustodyEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="redemption"
    )
    card_entry = models.OneToOneField(
        "households.CardEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="redemption"
    )

    objects = RedemptionQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("échange")
        verbose_name_plural = _("échanges")
        constraints = [
            models.UniqueConstraint(
                fields=["coupon"], condition=Q(outcome="accepted"), name="coupon_redeemed_once"
            ),
            models.UniqueConstraint(
                fields=["device", "nonce"], condition=Q(device__isnull=False), name="redemption_nonce_once_per_device"
            ),
            models.UniqueConstraint(
                fields=["recorded_by", "nonce"], condition=Q(device__isnull=True),
                name="redemption_nonce_once_per_user",
            ),
            models.CheckConstraint(
                condition=Q(outcome="accepted", reason="") | (~Q(outcome="accepted") & ~Q(reason="")),
                name="redemption_reason_iff_not_accepted",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="accepted") | Q(coupon__isnull=False, event__isnull=False, card__isnull=True)
                | Q(card__isnull=False, card_entry__isnull=False, coupon__isnull=True),
                name="redemption_accepted_moves_a_coupon_or_debits_a_card",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="accepted") | Q(value_cents__gt=0), name="redemption_accepted_has_value"
            ),
            models.CheckConstraint(condition=~Q(nonce=""), name="redemption_has_nonce"),
        ]
        indexes = [
            models.Index(fields=["vendor", "taken_at"], name="redemption_vendor_taken"),
            models.Index(fields=["season", "outcome"], name="redemption_season_outcome"),
            models.Index(fields=["device", "outcome", "recorded_at"], name="redemption_device_outcome"),
        ]

    @property
    def offline(self) -> bool:
        return self.source == Source.OFFLINE


class ReviewDecision(models.Model):
    """What the coordination decided about a redemption set aside for review (written once)."""

    class Decision(models.TextChoices):
        PAY_FIRST = "first", _("Payer le premier échange seulement")
        PAY_BOTH = "both", _("Payer les deux et inscrire la perte")
        REFUSE = "refuse", _("Refuser")

    redemption = models.OneToOneField(Redemption, on_delete=models.PROTECT, related_name="decision")
    decision = models.CharField(_("décision"), max_length=8, choices=Decision.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    # Paying a card purchase set aside debits the card then (as far as its balance goes).
    card_entry = models.OneToOneField(
        "households.CardEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="review_decision"
    )

    @property
    def program(self) -> Program:
        return self.redemption.program


class RedemptionCount(models.Model):
    """Coupons counted by denomination, for programs whose markets do not read codes: the market manager
    enters how many coupons of each value a vendor brought in on a day. Append-only."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="redemption_counts")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="redemption_counts")
    market = models.ForeignKey(Market, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("jour"))
    denomination_cents = models.PositiveIntegerField(_("valeur d'un coupon"))
    count = models.PositiveIntegerField(_("nombre de coupons"))
    value_cents = models.PositiveIntegerField(_("valeur"))
    nonce = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "vendor", "denomination_cents"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="redemption_count_positive"),
            models.CheckConstraint(
                condition=Q(value_cents=models.F("count") * models.F("denomination_cents")),
                name="redemption_count_value_is_count_times_denomination",
            ),
            models.UniqueConstraint(
                fields=["recorded_by", "nonce", "denomination_cents"], name="redemption_count_nonce_once"
            ),
        ]
