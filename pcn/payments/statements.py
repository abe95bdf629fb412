"""A vendor's statement for a season: what it took, what was refused and why, what it claimed, what was
rejected and why, and what it was paid. The same data makes the page, the PDF and the email."""

import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Count, Q, Sum
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pcn.lib.money import format_cents
from pcn.markets.models import Vendor
from pcn.payments.models import ClaimLine, Currency, PaymentBatch
from pcn.payments.selectors import claim_status, claims_with_amounts
from pcn.programs.models import Season
from pcn.redemptions.explain import explain
from pcn.redemptions.selectors import display_code
from pcn.redemptions.models import Outcome, Redemption, RedemptionCount, ReviewDecision


@dataclass
class Statement:
    vendor: Vendor
    season: Season
    accepted_count: int = 0
    accepted_cents: int = 0
    counted_cents: int = 0  # coupons counted by value at the market (no codes)
    review_count: int = 0
    accepted: list = field(default_factory=list)  # (redemption, its code as people read it)
    refusals: list = field(default_factory=list)  # (redemption, its code as people read it, sentence)
    claims: list = field(default_factory=list)  # Claim with claimed_cents, rejected_cents, pays_cents, status
    rejected_lines: list = field(default_factory=list)  # ClaimLine
    payments: list = field(default_factory=list)  # dicts: batch, cents, local, claims
    paid_cents: int = 0

    @property
    def claimed_cents(self) -> int:
        return sum(c.claimed_cents for c in self.claims)

    @property
    def rejected_cents(self) -> int:
        return sum(c.rejected_cents for c in self.claims)

    @property
    def owed_cents(self) -> int:
        """Approved and not yet paid."""
        return sum(c.pays_cents for c in self.claims if c.approved_at and not c.paid)


def vendor_statement(vendor: Vendor, season: Season) -> Statement:
    redemptions = Redemption.objects.filter(vendor=vendor, season=season)
    # Taken: accepted at once, or set aside and then decided « pay both ».
    taken_rule = Q(outcome=Outcome.ACCEPTED) | Q(outcome=Outcome.REVIEW, decision__decision=ReviewDecision.Decision.PAY_BOTH)
    totals = redemptions.aggregate(
        n=Count("pk", filter=taken_rule),
        cents=Sum("value_cents", filter=taken_rule, default=0),
        review=Count("pk", filter=Q(outcome=Outcome.REVIEW, decision__isnull=True)),
    )
    statement = Statement(vendor=vendor, season=season, accepted_count=totals["n"], accepted_cents=totals["cents"],
                          review_count=totals["review"])
    statement.counted_cents = RedemptionCount.objects.filter(vendor=vendor, season=season).aggregate(
        t=Sum("value_cents", default=0))["t"]
    taken = redemptions.filter(taken_rule).select_related("market").order_by("taken_at", "pk")
    statement.accepted = [(r, display_code(r)) for r in taken[:2000]]
    refused = redemptions.filter(outcome=Outcome.REFUSED).select_related("market", "conflicts_with__market",
                                                                         "coupon__series")
    statement.refusals = [(r, display_code(r), explain(r)) for r in refused.order_by("taken_at")[:500]]
    claims = claims_with_amounts(vendor.claims.filter(season=season)).select_related("batch_item__batch").order_by(
        "number")
    for claim in claims:
        claim.status = claim_status(claim)
        claim.status_label = claim.Status(claim.status).label
        claim.paid = claim.status == claim.Status.PAID
        statement.claims.append(claim)
    statement.rejected_lines = list(
        ClaimLine.objects.filter(claim__vendor=vendor, claim__season=season, rejected_at__isnull=False)
        .select_related("claim", "redemption", "redemption_count").order_by("claim__number", "pk")
    )
    batches = PaymentBatch.objects.filter(items__claim__vendor=vendor, season=season, paid_at__isnull=False).distinct()
    for batch in batches.order_by("paid_at"):
        items = batch.items.filter(claim__vendor=vendor).select_related("claim")
        cents = sum(i.amount_cents for i in items)
        local = sum(i.local_amount or 0 for i in items) if batch.currency == Currency.LOCAL else None
        statement.payments.append({"batch": batch, "cents": cents, "local": local,
                                   "claims": [i.claim.reference for i in items]})
        statement.paid_cents += cents
    return statement


def local_units(amount: int) -> str:
    """Hundredths of a local currency unit, written like money without the dollar sign."""
    units, rest = divmod(amount, 100)
    separator = "." if translation.get_language().startswith("en") else ","
    return f"{units}{separator}{rest:02d}"


def line_label(line: ClaimLine) -> str:
    if line.redemption_id:
        r = line.redemption
        return _("Coupon %(code)s du %(day)s") % {"code": display_code(r), "day": date_format(timezone.localdate(r.taken_at))}
    c = line.redemption_count
    return _("%(n)s coupons de %(value)s comptés le %(day)s") % {
        "n": c.count, "value": format_cents(c.denomination_cents, translation.get_language()), "day": date_format(c.day)}


def statement_pdf(statement: Statement) -> bytes:
    """The statement as a PDF (in the active language)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    lang = translation.get_language() or "fr"
    money = lambda cents: format_cents(cents, lang)  # noqa: E731
    styles = getSampleStyleSheet()
    story = [
        Paragraph(_("Relevé de %(vendor)s") % {"vendor": statement.vendor.business_name}, styles["Title"]),
        Paragraph(f"{statement.season.program.name} · {statement.season.name}", styles["Normal"]),
        Paragraph(_("Produit le %(day)s") % {"day": date_format(timezone.localdate())}, styles["Normal"]),
        Spacer(1, 12),
    ]

    def table(rows, widths=None):
        t = Table(rows, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold"), ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black), ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return t

    summary = [
        [_("Résumé"), _("Montant")],
        [_("Coupons acceptés (%(n)s)") % {"n": statement.accepted_count}, money(statement.accepted_cents)],
    ]
    if statement.counted_cents:
        summary.append([_("Coupons comptés au marché"), money(statement.counted_cents)])
    summary += [
        [_("Réclamé"), money(statement.claimed_cents)],
        [_("Refusé à la vérification"), money(statement.rejected_cents)],
        [_("Payé"), money(statement.paid_cents)],
        [_("Approuvé, à payer"), money(statement.owed_cents)],
    ]
    story += [table(summary, [4.5 * inch, 2 * inch]), Spacer(1, 12)]

    story.append(Paragraph(_("Réclamations"), styles["Heading2"]))
    if statement.claims:
        rows = [[_("Réclamation"), _("Période"), _("État"), _("Réclamé"), _("Refusé"), _("À payer")]]
        for c in statement.claims:
            rows.append([c.reference, f"{date_format(c.period_start)} – {date_format(c.period_end)}",
                         str(c.status_label), money(c.claimed_cents), money(c.rejected_cents),
                         money(c.pays_cents)])
        story.append(table(rows))
    else:
        story.append(Paragraph(_("Aucune réclamation."), styles["Normal"]))

    if statement.rejected_lines:
        story.append(Paragraph(_("Lignes refusées à la vérification"), styles["Heading2"]))
        rows = [[_("Réclamation"), _("Ligne"), _("Raison"), _("Montant")]]
        for line in statement.rejected_lines:
            rows.append([line.claim.reference, Paragraph(line_label(line), styles["Normal"]),
                         Paragraph(line.rejected_reason, styles["Normal"]), money(line.amount_cents)])
        story.append(table(rows, [1 * inch, 2.4 * inch, 2.4 * inch, 1 * inch]))

    story.append(Paragraph(_("Paiements"), styles["Heading2"]))
    if statement.payments:
        rows = [[_("Lot"), _("Payé le"), _("Réclamations"), _("Montant")]]
        for p in statement.payments:
            amount = money(p["cents"])
            if p["local"] is not None:
                amount += f" = {local_units(p['local'])} {p['batch'].currency_name}"
            rows.append([p["batch"].reference, date_format(timezone.localdate(p["batch"].paid_at)),
                         ", ".join(p["claims"]), amount])
        story.append(table(rows))
    else:
        story.append(Paragraph(_("Aucun paiement pour l'instant."), styles["Normal"]))

    if statement.accepted:
        story.append(Paragraph(_("Coupons acceptés"), styles["Heading2"]))
        rows = [[_("Date"), _("Code"), _("Marché"), _("Valeur")]]
        for r, code in statement.accepted:
            rows.append([date_format(timezone.localdate(r.taken_at)), code, Paragraph(r.market.name if r.market else "—",
                         styles["Normal"]), money(r.value_cents)])
        story.append(table(rows, [1 * inch, 1.8 * inch, 2.8 * inch, 1.2 * inch]))

    if statement.refusals:
        story.append(Paragraph(_("Coupons refusés au kiosque"), styles["Heading2"]))
        rows = [[_("Date"), _("Code"), _("Pourquoi")]]
        for r, _code, sentence in statement.refusals:
            rows.append([date_format(timezone.localdate(r.taken_at)), _code[:20],
                         Paragraph(sentence, styles["Normal"])])
        story.append(table(rows, [1 * inch, 1.5 * inch, 4.3 * inch]))

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=letter, title=_("Relevé"), leftMargin=0.75 * inch, rightMargin=0.75 * inch,
                      topMargin=0.75 * inch, bottomMargin=0.75 * inch).build(story)
    return buffer.getvalue()


def statement_filename(statement: Statement) -> str:
    return f"releve-{statement.vendor.pk}-saison-{statement.season.pk}.pdf"


def email_statements(batch: PaymentBatch) -> int:
    """Email each vendor paid by the batch its statement (PDF attached), in the program's first language.
    Vendors without an email address are skipped. Returns how many were sent."""
    sent = 0
    language = (batch.program.languages or ["fr"])[0]
    language = language if language in ("fr", "en") else "fr"
    vendors = Vendor.objects.filter(claims__batch_item__batch=batch).exclude(email="").distinct()
    with translation.override(language):
        for vendor in vendors:
            statement = vendor_statement(vendor, batch.season)
            message = EmailMessage(
                subject=_("Votre paiement de coupons nourriciers (%(ref)s)") % {"ref": batch.reference},
                body=_("Bonjour,\n\nLe programme %(program)s vous a payé les coupons nourriciers de vos réclamations. "
                       "Votre relevé est joint : il montre vos coupons, les réclamations, ce qui a été refusé et "
                       "pourquoi, et vos paiements.\n\nMerci de nourrir votre communauté.")
                % {"program": batch.program.name},
                from_email=settings.DEFAULT_FROM_EMAIL, to=[vendor.email],
            )
            message.attach(statement_filename(statement), statement_pdf(statement), "application/pdf")
            message.send()
            sent += 1
    return sent
