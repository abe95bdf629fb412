"""Households enrolled by community partners, their consents, and the partners' quotas.

A household carries no name, address, phone or birth date (DESIGN.md §4 and §7): only a pseudonymous
code printed on its card, its size and composition, its partner, and an HMAC of identity fields used to
spot a double enrolment (pcn.households.identity)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from pcn.coupons import codes
from pcn.programs.choices import Language
from pcn.programs.models import Organization, Program, Season

MAX_HOUSEHOLD_SIZE = 20
CODE_PREFIX = "M-"  # "ménage": tells a household code from a coupon code on paper


class Flag(models.TextChoices):
    """Situations a program may count (never more than a tick: no detail is kept)."""

    PREGNANCY = "pregnancy", _("Grossesse dans le ménage")
    SINGLE_PARENT = "single_parent", _("Famille monoparentale")
    DISABILITY = "disability", _("Personne vivant avec un handicap")
    NEWCOMER = "newcomer", _("Personne nouvellement arrivée au pays")


class ConsentPurpose(models.TextChoices):
    PARTICIPATION = "participation", _("Participation au programme")
    SURVEYS = "surveys", _("Sondages d'évaluation")
    RESEARCH = "research", _("Recherche (données sans nom)")


class PartnerQuota(models.Model):
    """How many households, and how much coupon value over the season, a partner may serve."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="partner_quotas")
    partner = models.ForeignKey(
        Organization, verbose_name=_("organisme"), on_delete=models.CASCADE, related_name="quotas"
    )
    max_households = models.PositiveIntegerField(_("nombre de ménages"))
    max_value_cents = models.PositiveIntegerField(_("valeur des coupons pour la saison"))

    class Meta:
        ordering = ["season", "partner__name"]
        verbose_name = _("quota d'un organisme")
        verbose_name_plural = _("quotas des organismes")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "partner"],
                name="partner_quota_one_per_season",
                violation_error_message=_("Cet organisme a déjà un quota pour cette saison."),
            ),
            models.CheckConstraint(
                condition=Q(max_households__gt=0),
                name="partner_quota_households_positive",
                violation_error_message=_("Le nombre de ménages doit être plus grand que zéro."),
            ),
            models.CheckConstraint(
                condition=Q(max_value_cents__gt=0),
                name="partner_quota_value_positive",
                violation_error_message=_("La valeur doit être plus grande que zéro."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} – {self.season.name}"

    @property
    def program(self) -> Program:
        return self.season.program

    def clean(self) -> None:
        if self.partner_id and self.season_id and (not self.partner.is_partner_in(self.season.program_id)):
            raise ValidationError(
                {"partner": _g("Choisissez un organisme partenaire ou un conseil de bande de ce programme.")}
            )


class HouseholdQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Household.Status.ACTIVE)

    def waiting(self):
        return self.filter(status=Household.Status.WAITING)

    def search(self, text: str) -> "HouseholdQuerySet":
        """By household code as people type it: with or without « M- », dashes, either case."""
        text = (text or "").strip()
        if not text:
            return self
        if text[:2].upper() == CODE_PREFIX:
            text = text[2:]
        try:
            return self.filter(code=codes.normalize(text))
        except codes.CodeFormatError:
            cleaned = "".join(c for c in text.upper() if c.isalnum())
            return self.filter(code__contains=cleaned) if cleaned else self.none()


class Household(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Inscrit")
        WAITING = "waiting", _("En attente d'une place")
        LEFT = "left", _("A quitté le programme")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="households")
    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="households")
    partner = models.ForeignKey(
        Organization, verbose_name=_("organisme"), on_delete=models.PROTECT, related_name="households"
    )
    code = models.CharField(_("code du ménage"), max_length=12, unique=True, default=codes.new_code, editable=False)
    size = models.PositiveSmallIntegerField(_("nombre de personnes"))
    age_0_5 = models.PositiveSmallIntegerField(_("enfants de 0 à 5 ans"), default=0)
    age_6_17 = models.PositiveSmallIntegerField(_("jeunes de 6 à 17 ans"), default=0)
    age_18_64 = models.PositiveSmallIntegerField(_("adultes de 18 à 64 ans"), default=0)
    age_65_plus = models.PositiveSmallIntegerField(_("personnes de 65 ans ou plus"), default=0)
    flags = models.JSONField(_("situations à compter"), default=list, blank=True)
    community = models.CharField(_("communauté"), max_length=120, blank=True)
    language = models.CharField(_("langue préférée"), max_length=8, choices=Language.choices, default=Language.FRENCH)
    status = models.CharField(_("statut"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    waiting_since = models.DateTimeField(_("en attente depuis"), null=True, blank=True)
    # HMAC-SHA256 (hex) of normalized identity fields, keyed by settings.HOUSEHOLD_IDENTITY_KEY; blank when
    # the worker typed none. The clear fields are never stored.
    identity_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    anonymized_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_at"]
        verbose_name = _("ménage")
        verbose_name_plural = _("ménages")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gte=1, size__lte=MAX_HOUSEHOLD_SIZE),
                name="household_size_in_range",
                violation_error_message=_("Un ménage compte de 1 à 20 personnes."),
            ),
            models.CheckConstraint(
                condition=Q(size=F("age_0_5") + F("age_6_17") + F("age_18_64") + F("age_65_plus")),
                name="household_composition_adds_up",
                violation_error_message=_(
                    "Le nombre de personnes par âge doit donner le nombre total de personnes du ménage."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="waiting", waiting_since__isnull=False) | ~Q(status="waiting"),
                name="household_waiting_has_a_date",
            ),
        ]
        indexes = [models.Index(fields=["season", "partner", "status"], name="household_partner_status")]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return CODE_PREFIX + codes.display(self.code)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.flags and not set(self.flags) <= set(Flag.values):
            errors["flags"] = _g("Choisissez des situations dans la liste.")
        if self.season_id and self.program_id and self.season.program_id != self.program_id:
            errors["season"] = _g("Cette saison n'est pas celle de ce programme.")
        if self.partner_id and self.program_id and (not self.partner.is_partner_in(self.program_id)):
            errors["partner"] = _g("Choisissez un organisme partenaire ou un conseil de bande de ce programme.")
        if errors:
            raise ValidationError(errors)

    def get_flags_display(self) -> list[str]:
        labels = dict(Flag.choices)
        return [str(labels.get(flag, flag)) for flag in self.flags]

    def current_consents(self) -> dict[str, "Consent"]:
        """The latest consent row per purpose."""
        latest: dict[str, Consent] = {}
        for consent in self.consents.order_by("recorded_at", "pk"):
            latest[consent.purpose] = consent
        return latest


class Consent(models.Model):
    """One consent decision. Append-only: a change is a new row; the latest row per purpose is in force."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("pour quoi"), max_length=16, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("accepté"))
    recorded_at = models.DateTimeField(_("noté le"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["household", "-recorded_at", "-pk"]
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")


class DuplicateDismissal(models.Model):
    """A reviewed « not the same household » decision, so the match is not raised again.

    The pair is stored ordered (first.pk < second.pk), so one pair has one row whichever side was seen."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="duplicate_dismissals")
    first = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second"],
                name="duplicate_dismissal_unique_pair",
                violation_error_message=_("Ces deux ménages sont déjà notés comme différents."),
            ),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="duplicate_dismissal_ordered_pair"),
        ]


class Distribution(models.Model):
    """What a household received (or missed) for one distribution period. Append-only: a distribution
    completed later is a new row; the coupons themselves moved in the custody ledger (`event`)."""

    class Status(models.TextChoices):
        GIVEN = "given", _("Remis en entier")
        PARTIAL = "partial", _("Remis en partie")
        MISSED = "missed", _("Manqué")

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="distributions")
    period_number = models.PositiveSmallIntegerField(_("période"))
    due_cents = models.PositiveIntegerField(_("montant dû"))
    given_cents = models.PositiveIntegerField(_("valeur remise"))
    status = models.CharField(_("remise"), max_length=8, choices=Status.choices)
    event = models.OneToOneField(
        "coupons.CustodyEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="distribution"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["household", "period_number", "recorded_at"]
        verbose_name = _("remise")
        verbose_name_plural = _("remises")
        constraints = [
            models.CheckConstraint(condition=Q(period_number__gte=1), name="distribution_period_positive"),
            models.CheckConstraint(
                condition=Q(status="missed", given_cents=0, event__isnull=True)
                | (~Q(status="missed") & Q(given_cents__gt=0, event__isnull=False)),
                name="distribution_coupons_iff_given",
            ),
        ]

    @property
    def program(self):
        return self.household.program


class PublicSale(models.Model):
    """Coupons sold to a citizen (« volet grand public »): the same coupons as everyone's. The price paid is
    revenue; the difference up to the face value (the bonus) is charged to a funding line. Append-only."""

    season = models.ForeignKey("programs.Season", on_delete=models.PROTECT, related_name="public_sales")
    seller = models.ForeignKey(
        Organization, verbose_name=_("vendu par"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("Vide : vendu par le programme, depuis la réserve (un kiosque au marché)."),
    )
    price_paid_cents = models.PositiveIntegerField(_("prix payé"))
    face_value_cents = models.PositiveIntegerField(_("valeur des coupons"))
    bonus_cents = models.PositiveIntegerField(_("bonification"))
    funding_source = models.CharField(_("bonification payée par"), max_length=200)
    grant = models.ForeignKey("funding.Grant", verbose_name=_("subvention qui paie la bonification"),
                              on_delete=models.PROTECT, null=True, blank=True, related_name="public_sales")
    event = models.OneToOneField("coupons.CustodyEvent", on_delete=models.PROTECT, related_name="public_sale")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("vente au grand public")
        verbose_name_plural = _("ventes au grand public")
        constraints = [
            models.CheckConstraint(condition=Q(price_paid_cents__gt=0), name="public_sale_price_positive"),
            models.CheckConstraint(
                condition=Q(price_paid_cents__lte=F("face_value_cents")), name="public_sale_price_at_most_face_value"
            ),
            models.CheckConstraint(
                condition=Q(bonus_cents=F("face_value_cents") - F("price_paid_cents")),
                name="public_sale_bonus_is_the_difference",
            ),
        ]

    @property
    def program(self):
        return self.season.program


class Card(models.Model):
    """A household's digital card (where the season allows cards): a printed code and QR, and a balance
    credited at each distribution period. Paper coupons and cards coexist in a program."""

    household = models.OneToOneField(Household, on_delete=models.PROTECT, related_name="card")
    code = models.CharField(_("code de la carte"), max_length=12, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("carte")
        verbose_name_plural = _("cartes")

    @property
    def program(self):
        return self.household.program

    @property
    def display_code(self) -> str:
        return "C-" + codes.display(self.code)

    @property
    def balance_cents(self) -> int:
        totals = dict(self.entries.values_list("kind").annotate(total=models.Sum("amount_cents")).order_by())
        return totals.get(CardEntry.Kind.CREDIT, 0) - totals.get(CardEntry.Kind.DEBIT, 0)


class CardEntry(models.Model):
    """A credit (a period's entitlement) or a debit (a purchase, from the stall page) on a card. Append-only:
    a correction is a new entry."""

    class Kind(models.TextChoices):
        CREDIT = "credit", _("Crédit")
        DEBIT = "debit", _("Achat")

    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    amount_cents = models.PositiveIntegerField()
    period_number = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["card", "recorded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="card_entry_amount_positive"),
            models.UniqueConstraint(
                fields=["card", "period_number"], condition=Q(kind="credit"), name="card_credited_once_per_period",
                violation_error_message=_("Cette carte a déjà été créditée pour cette période."),
            ),
        ]
