"""Paying vendors: how each is paid, their claims, and the payment batches that pay them.

A redemption that may be paid becomes one line of one claim (a database constraint: a redemption is claimed
at most once); a claim goes into one batch at most (another constraint); a batch is paid once. So a coupon
can never be paid twice. Approving, rejecting a line and paying are written once and never changed.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pcn.markets.models import Market, Vendor
from pcn.programs.models import Program, Season


class Currency(models.TextChoices):
    CAD = "CAD", _("Dollars canadiens")
    LOCAL = "LOCAL", _("Monnaie locale")


class Method(models.TextChoices):
    """How a vendor (or a batch) is paid."""

    BANK = "bank", _("Virement bancaire (dépôt direct)")
    INTERAC = "interac", _("Virement Interac")
    CHEQUE = "cheque", _("Chèque")
    MARKET = "market", _("Payé par le marché")


class PaymentSettings(models.Model):
    """The fiduciary's numbers for bank files, the settlement window, and the local currency, if any."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="payment_settings")
    originator_name = models.CharField(_("nom du payeur"), max_length=30, blank=True,
                                       help_text=_("Tel qu'il apparaîtra sur le relevé bancaire des marchands."))
    originator_short_name = models.CharField(_("nom abrégé du payeur"), max_length=15, blank=True)
    originator_number = models.CharField(
        _("numéro d'émetteur (CPA-005)"), max_length=10, blank=True,
        help_text=_("Les 10 caractères que votre institution financière vous a donnés pour les fichiers de dépôt direct."),
    )
    data_centre = models.CharField(_("centre de traitement (CPA-005)"), max_length=5, blank=True)
    institution = models.CharField(_("institution"), max_length=3, blank=True)
    transit = models.CharField(_("transit"), max_length=5, blank=True)
    account = models.CharField(_("compte"), max_length=12, blank=True)
    first_file_creation_number = models.PositiveSmallIntegerField(
        _("premier numéro de fichier (CPA-005)"), default=1,
        help_text=_("Si le fiduciaire a déjà envoyé des fichiers avec un autre logiciel, le numéro qui suit le dernier "
                    "utilisé. Chaque fichier prend ensuite le numéro suivant, de 1 à 9999."),
    )
    settlement_days = models.PositiveSmallIntegerField(
        _("délai de correction (jours)"), default=0,
        help_text=_("Nombre de jours après l'approbation pendant lesquels une réclamation peut encore être "
                    "corrigée avant d'être payée. 0 : payable dès l'approbation."),
    )
    local_currency_name = models.CharField(
        _("monnaie locale"), max_length=60, blank=True, help_text=_("Par exemple « Petite-monnaie ». Vide : aucune.")
    )
    local_units_per_100_cad = models.PositiveIntegerField(
        _("unités de monnaie locale pour 100 $"), null=True, blank=True,
        help_text=_("Par exemple 105 : 100 $ donnent 105 unités."),
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("paramètres de paiement")
        constraints = [
            models.CheckConstraint(
                condition=Q(local_currency_name="", local_units_per_100_cad__isnull=True)
                | (~Q(local_currency_name="") & Q(local_units_per_100_cad__gt=0)),
                name="payment_settings_local_currency_has_a_rate",
                violation_error_message=_("Donnez le nom de la monnaie locale et son taux, ensemble."),
            ),
            models.CheckConstraint(
                condition=Q(first_file_creation_number__gte=1, first_file_creation_number__lte=9999),
                name="payment_settings_first_file_number_in_range",
                violation_error_message=_("Choisissez un numéro de 1 à 9999."),
            ),
        ]

    @property
    def has_local_currency(self) -> bool:
        return bool(self.local_currency_name)


class PayeeDetails(models.Model):
    """How one vendor is paid. Bank numbers are shown only to the treasury, masked everywhere else, and
    never written to logs."""

    vendor = models.OneToOneField(Vendor, on_delete=models.CASCADE, related_name="payee")
    method = models.CharField(_("mode de paiement"), max_length=8, choices=Method.choices, default=Method.BANK)
    currency = models.CharField(_("payé en"), max_length=5, choices=Currency.choices, default=Currency.CAD)
    account_holder = models.CharField(_("titulaire du compte"), max_length=140, blank=True,
                                      help_text=_("Vide : le nom de l'entreprise."))
    institution = models.CharField(_("institution (3 chiffres)"), max_length=3, blank=True)
    transit = models.CharField(_("transit (5 chiffres)"), max_length=5, blank=True)
    account = models.CharField(_("compte (jusqu'à 12 chiffres)"), max_length=12, blank=True)
    interac_email = models.EmailField(_("courriel Interac"), blank=True)
    interac_phone = models.CharField(_("cellulaire Interac"), max_length=20, blank=True)
    mailing_address = models.CharField(_("adresse postale (chèques)"), max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("coordonnées de paiement")
        constraints = [
            models.CheckConstraint(
                condition=Q(institution="") | Q(institution__regex=r"^[0-9]{3}$"), name="payee_institution_3_digits",
                violation_error_message=_("Le numéro d'institution compte 3 chiffres."),
            ),
            models.CheckConstraint(
                condition=Q(transit="") | Q(transit__regex=r"^[0-9]{5}$"), name="payee_transit_5_digits",
                violation_error_message=_("Le numéro de transit compte 5 chiffres."),
            ),
            models.CheckConstraint(
                condition=Q(account="") | Q(account__regex=r"^[0-9]{1,12}$"), name="payee_account_digits",
                violation_error_message=_("Le numéro de compte compte de 1 à 12 chiffres."),
            ),
        ]

    @property
    def program(self) -> Program:
        return self.vendor.program

    @property
    def has_bank_account(self) -> bool:
        return bool(self.institution and self.transit and self.account)

    @property
    def masked_account(self) -> str:
        """« ••••6789 »: enough for a vendor to recognize the account, not to use it."""
        return "••••" + self.account[-4:] if self.account else ""


class Claim(models.Model):
    """A vendor's request to be reimbursed for the coupons it took in a period (from the stall page, the
    market manager's entry or the coordination). Lines may be rejected, with a reason the vendor sees, until
    the claim is in a payment batch; approval is written once."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("À approuver")
        APPROVED = "approved", _("Approuvée")
        BATCHED = "batched", _("Dans un lot de paiement")
        PAID = "paid", _("Payée")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="claims")
    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="claims")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="claims")
    # Set when the market pays its own vendors and the program reimburses the market.
    market = models.ForeignKey(Market, on_delete=models.PROTECT, null=True, blank=True, related_name="claims")
    number = models.PositiveIntegerField(_("numéro"))
    period_start = models.DateField(_("du"))
    period_end = models.DateField(_("au"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    payable_on = models.DateField(_("payable à partir du"), null=True, blank=True)  # approval + settlement window

    class Meta:
        ordering = ["-number"]
        verbose_name = _("réclamation")
        verbose_name_plural = _("réclamations")
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="claim_number_unique_in_program"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="claim_period_ordered"),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, approved_by__isnull=True, payable_on__isnull=True)
                | Q(approved_at__isnull=False, approved_by__isnull=False, payable_on__isnull=False),
                name="claim_approval_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"R-{self.number}"


class ClaimLine(models.Model):
    """One redemption (or one day's count of coupons of one value) in a claim."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="lines")
    redemption = models.OneToOneField(
        "redemptions.Redemption", on_delete=models.PROTECT, null=True, blank=True, related_name="claim_line"
    )
    redemption_count = models.OneToOneField(
        "redemptions.RedemptionCount", on_delete=models.PROTECT, null=True, blank=True, related_name="claim_line"
    )
    amount_cents = models.PositiveIntegerField(_("montant"))
    rejected_reason = models.CharField(_("raison du refus"), max_length=300, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["claim", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(redemption__isnull=False, redemption_count__isnull=True)
                | Q(redemption__isnull=True, redemption_count__isnull=False),
                name="claim_line_one_source",
            ),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="claim_line_amount_positive"),
            models.CheckConstraint(
                condition=Q(rejected_at__isnull=True, rejected_by__isnull=True, rejected_reason="")
                | (Q(rejected_at__isnull=False, rejected_by__isnull=False) & ~Q(rejected_reason="")),
                name="claim_line_rejection_complete",
            ),
        ]

    @property
    def program(self) -> Program:
        return self.claim.program

    @property
    def rejected(self) -> bool:
        return self.rejected_at is not None


class PaymentBatch(models.Model):
    """Approved claims paid together. Made by one person, approved by a second, paid by someone other than
    the approver (constraints below); paid once; nothing changes in it once approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("En préparation")
        APPROVED = "approved", _("Approuvé, à payer")
        PAID = "paid", _("Payé")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="payment_batches")
    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="payment_batches")
    number = models.PositiveIntegerField(_("numéro"))
    method = models.CharField(_("mode de paiement"), max_length=8, choices=Method.choices)
    currency = models.CharField(_("monnaie"), max_length=5, choices=Currency.choices, default=Currency.CAD)
    # The local currency's name and rate when the batch was made (a later rate change does not alter it).
    currency_name = models.CharField(max_length=60, blank=True)
    local_units_per_100_cad = models.PositiveIntegerField(null=True, blank=True)
    payment_on = models.DateField(_("date de paiement"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Who last added or took out a claim: never the one who approves.
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # The fiduciary's numbers as approved (pcn.payments.formats.Originator's fields): the files use these.
    originator = models.JSONField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("lot de paiement")
        verbose_name_plural = _("lots de paiement")
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="payment_batch_number_unique_in_program"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | (~Q(approved_by=F("created_by")) & ~Q(approved_by=F("changed_by"))),
                name="payment_batch_approver_is_not_its_maker",
            ),
            models.CheckConstraint(
                condition=Q(paid_by__isnull=True) | ~Q(paid_by=F("approved_by")),
                name="payment_batch_payer_is_not_its_approver",
            ),
            models.CheckConstraint(
                condition=Q(paid_at__isnull=True) | Q(approved_at__isnull=False),
                name="payment_batch_paid_after_approval",
            ),
            models.CheckConstraint(
                condition=(Q(approved_at__isnull=True) & Q(approved_by__isnull=True))
                | (Q(approved_at__isnull=False) & Q(approved_by__isnull=False)),
                name="payment_batch_approval_complete",
            ),
            models.CheckConstraint(
                condition=(Q(paid_at__isnull=True) & Q(paid_by__isnull=True))
                | (Q(paid_at__isnull=False) & Q(paid_by__isnull=False)),
                name="payment_batch_payment_complete",
            ),
            models.CheckConstraint(
                condition=Q(currency=Currency.CAD, local_units_per_100_cad__isnull=True)
                | Q(currency=Currency.LOCAL, local_units_per_100_cad__gt=0),
                name="payment_batch_local_currency_has_a_rate",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"PCN-{self.program_id}-{self.number}"

    @property
    def status(self) -> str:
        if self.paid_at:
            return self.Status.PAID
        if self.approved_at:
            return self.Status.APPROVED
        return self.Status.DRAFT

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class BatchItem(models.Model):
    """One claim in a batch, with what it pays: in dollars, and in local currency units (hundredths) at the
    batch's rate when the batch is in local currency."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="items")
    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="batch_item")
    amount_cents = models.PositiveIntegerField(_("montant"))
    local_amount = models.PositiveIntegerField(_("montant en monnaie locale"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Whom the money goes to, as approved (pcn.payments.formats.Payee's fields): a later change of a vendor's
    # details does not reach an approved batch.
    payee = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gt=0), name="batch_item_amount_positive")]

    @property
    def program(self) -> Program:
        return self.batch.program


class BankFile(models.Model):
    """A payment file exported for a batch, kept as produced: a second download gives the same bytes, and a
    CPA-005 file creation number is never used twice by the same originator."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=16)
    originator_number = models.CharField(max_length=10, blank=True)
    # CPA-005 numbers run 1 to 9999, then start again: `cycle` counts the rounds.
    cycle = models.PositiveIntegerField(default=0)
    file_creation_number = models.PositiveIntegerField(null=True, blank=True)
    content = models.BinaryField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["batch", "format"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "format"], name="bank_file_once_per_format"),
            models.UniqueConstraint(
                fields=["originator_number", "cycle", "file_creation_number"],
                condition=Q(file_creation_number__isnull=False),
                name="bank_file_creation_number_unique_per_originator",
            ),
        ]

    @property
    def program(self) -> Program:
        return self.batch.program
