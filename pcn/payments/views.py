"""Pages for paying vendors: a season's claims and batches, a claim's review, a batch's life (approve,
files, paid), vendors' payment details, the program's payment settings, and vendors' statements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from pcn.accounts.access import READ_CONFIG
from pcn.accounts.models import Role
from pcn.accounts.shortcuts import render_form_page, render_program_page
from pcn.lib.formfields import add_service_errors, posted
from pcn.lib.money import format_cents
from pcn.markets.models import Vendor
from pcn.payments import services
from pcn.payments.access import (
    APPROVE_BATCH, PREPARE, REVIEW, TREASURY, can, get_batch_for_user, holds, get_claim_for_user, get_market_for_claims,
    get_program_for_treasury, get_season_for_payments, get_vendor_for_payments,
)
from pcn.payments.forms import BatchForm, PayeeDetailsForm, PayForm, PaymentSettingsForm, PrepareClaimsForm, RejectLineForm
from pcn.payments.models import (
    BatchItem, Claim, ClaimLine, Currency, Method, PayeeDetails, PaymentBatch, PaymentSettings,
)
from pcn.payments.selectors import claim_status, claims_with_amounts, season_paid_in_local_currency, season_payment_totals
from pcn.payments.statements import email_statements, line_label, local_units, statement_filename, statement_pdf, vendor_statement
from pcn.programs.models import Season
from pcn.redemptions.services import season_on

FILE_LABELS = {
    "cpa005": gettext_lazy("Fichier de dépôt direct CPA-005"),
    "pain001": gettext_lazy("Fichier ISO 20022 (pain.001)"),
    "csv_remittance": gettext_lazy("Avis de paiement (CSV)"),
    "interac": gettext_lazy("Liste Interac (CSV)"),
    "cheques": gettext_lazy("Liste des chèques (PDF)"),
}


def _claims(queryset):
    claims = list(claims_with_amounts(queryset).select_related("vendor", "market", "batch_item__batch").order_by("-number"))
    for claim in claims:
        claim.status = claim_status(claim)
        claim.status_label = Claim.Status(claim.status).label
    return claims


def _with_local_text(totals: dict) -> dict:
    return dict(totals, local_text=local_units(totals["local"]) if totals["local"] is not None else "")


def _show_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# A season's claims and batches


@login_required
def season_payments(request, season_id: int):
    season = get_season_for_payments(request.user, season_id)
    program = season.program
    status = request.GET.get("status", "")
    claims = _claims(Claim.objects.filter(season=season))
    if status in Claim.Status.values:
        claims = [c for c in claims if c.status == status]
    batches = PaymentBatch.objects.filter(season=season).order_by("-number")
    return render_program_page(request, "payments/season_payments.html", program, {
        "season": season,
        "totals": season_payment_totals(season),
        "paid_local": [dict(row, units_text=local_units(row["units"])) for row in season_paid_in_local_currency(season)],
        "claims": claims,
        "status": status,
        "statuses": Claim.Status.choices,
        "batches": [(b, _with_local_text(services.batch_totals(b))) for b in batches],
        "prepare_form": PrepareClaimsForm() if can(request.user, program, PREPARE) else None,
        "can_make_batches": can(request.user, program, TREASURY),
        "is_treasurer": can(request.user, program, TREASURY),
    })


@login_required
@require_POST
def claims_prepare(request, season_id: int):
    season = get_season_for_payments(request.user, season_id, roles=PREPARE)
    form = PrepareClaimsForm(request.POST)
    if form.is_valid():
        try:
            made = services.claims_prepare(season=season, by=request.user, until=form.cleaned_data["until"])
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, ngettext("%(n)s réclamation préparée : approuvez-la quand vous l'avez vérifiée.",
                                               "%(n)s réclamations préparées : approuvez-les quand vous les avez vérifiées.",
                                               len(made)) % {"n": len(made)})
    else:
        for errors in form.errors.values():
            _show_errors(request, ValidationError(errors))
    return redirect("season_payments", season.pk)


# One claim


@login_required
def claim_detail(request, claim_id: int):
    claim = get_claim_for_user(request.user, claim_id)
    claim.status = claim_status(claim)
    claim.status_label = Claim.Status(claim.status).label
    lines = list(claim.lines.select_related("redemption__market", "redemption_count", "rejected_by").order_by("pk"))
    for line in lines:
        line.label = line_label(line)
    can_review = can(request.user, claim.program, REVIEW) and claim.status in (Claim.Status.SUBMITTED,
                                                                                Claim.Status.APPROVED)
    paying = sum(line.amount_cents for line in lines if not line.rejected)
    return render_program_page(request, "payments/claim_detail.html", claim.program, {
        "claim": claim,
        "lines": lines,
        "claimed": sum(line.amount_cents for line in lines),
        "paying": paying,
        "can_review": can_review,
        "can_approve": can_review and not claim.approved_at,
        "reject_form": RejectLineForm() if can_review else None,
        "in_window": claim.payable_on and claim.payable_on > timezone.localdate(),
        "reads_season": can(request.user, claim.program, READ_CONFIG),
    })


@login_required
@require_POST
def claim_line_reject(request, line_id: int):
    line = get_object_or_404(ClaimLine.objects.select_related("claim"), pk=line_id)
    claim = get_claim_for_user(request.user, line.claim_id, roles=REVIEW)
    form = RejectLineForm(request.POST)
    if form.is_valid():
        try:
            services.claim_line_reject(line=line, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, _("Ligne refusée. Le marchand verra la raison sur son relevé."))
    else:
        _show_errors(request, ValidationError(form.errors["reason"]))
    return redirect(reverse("claim_detail", args=[claim.pk]) + f"#l{line.pk}")


@login_required
@require_POST
def claim_approve(request, claim_id: int):
    claim = get_claim_for_user(request.user, claim_id, roles=REVIEW)
    try:
        claim = services.claim_approve(claim=claim, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        if claim.payable_on > timezone.localdate():
            messages.success(request, _("Réclamation approuvée. Elle peut encore être corrigée jusqu'au %(day)s, "
                                        "puis elle sera payable.") % {"day": claim.payable_on})
        else:
            messages.success(request, _("Réclamation approuvée : la trésorerie peut la payer."))
    return redirect("claim_detail", claim.pk)


# Batches


def _batchable(season: Season):
    today = timezone.localdate()
    return (Claim.objects.filter(season=season, approved_at__isnull=False, payable_on__lte=today,
                                 batch_item__isnull=True)
            .select_related("vendor__payee", "market").order_by("vendor__business_name", "number"))


@login_required
def batch_create(request, season_id: int):
    season = get_season_for_payments(request.user, season_id, roles=TREASURY)
    program = season.program
    settings = services.settings_for(program)
    local = settings.local_currency_name if settings and settings.has_local_currency else ""
    candidates = _batchable(season)
    form = BatchForm(posted(request), claims=candidates, local_currency=local)
    if form.is_valid():
        try:
            batch = services.batch_create(
                season=season, method=form.cleaned_data["method"],
                currency=form.cleaned_data.get("currency") or Currency.CAD,
                payment_on=form.cleaned_data["payment_on"], claims=form.cleaned_data["claims"], by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Lot %(ref)s préparé. Une autre personne doit maintenant l'approuver.")
                             % {"ref": batch.reference})
            return redirect("batch_detail", batch.pk)
    rows = []
    amounts = {c.pk: c.pays_cents for c in claims_with_amounts(candidates)}
    for claim in candidates:
        payee = getattr(claim.vendor, "payee", None)
        rows.append({"claim": claim, "amount": amounts.get(claim.pk, 0), "payee": payee,
                     "way": _("Payé par le marché") if claim.market_id else (payee.get_method_display() if payee else
                                                                            _("Coordonnées de paiement manquantes")),
                     "currency": local if payee and payee.currency == Currency.LOCAL else ""})
    return render_program_page(request, "payments/batch_form.html", program, {
        "season": season, "form": form, "rows": rows, "waiting": Claim.objects.filter(
            season=season, approved_at__isnull=False, payable_on__gt=timezone.localdate(), batch_item__isnull=True).count(),
    })


@login_required
def batch_detail(request, batch_id: int):
    batch = get_batch_for_user(request.user, batch_id)
    program = batch.program
    is_treasurer = can(request.user, program, TREASURY)
    items = list(batch.items.select_related("claim__vendor__payee", "claim__market").order_by("claim__number"))
    for item in items:
        payee = getattr(item.claim.vendor, "payee", None)
        item.payee = payee
        item.local_text = local_units(item.local_amount) if item.local_amount is not None else ""
    totals = services.batch_totals(batch)
    files = {f.format: f for f in batch.files.all()}
    made_it = request.user.pk in {batch.created_by_id, batch.changed_by_id} | {i.added_by_id for i in items}
    return render_program_page(request, "payments/batch_detail.html", program, {
        "batch": batch,
        "items": items,
        "totals": totals,
        "local_total": local_units(totals["local"]) if totals["local"] is not None else "",
        "is_treasurer": is_treasurer,
        "can_approve": not batch.approved_at and not made_it and can(request.user, program, APPROVE_BATCH),
        "maker_waits": not batch.approved_at and made_it,
        "can_pay": is_treasurer and batch.approved_at and not batch.paid_at and batch.approved_by_id != request.user.pk,
        "can_edit": is_treasurer and not batch.approved_at,
        "pay_form": PayForm(),
        "files": [(name, FILE_LABELS[name], files.get(name)) for name in services.formats_for(batch)],
    })


@login_required
@require_POST
def batch_approve(request, batch_id: int):
    batch = get_batch_for_user(request.user, batch_id, roles=APPROVE_BATCH)
    try:
        services.batch_approve(batch=batch, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Lot approuvé. La trésorerie peut tirer les fichiers et payer."))
    return redirect("batch_detail", batch.pk)


@login_required
@require_POST
def batch_remove_claim(request, batch_id: int, claim_id: int):
    batch = get_batch_for_user(request.user, batch_id, roles=TREASURY)
    item = get_object_or_404(BatchItem, batch=batch, claim_id=claim_id)
    try:
        services.batch_remove_claim(batch=batch, claim=item.claim, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Réclamation %(ref)s retirée du lot.") % {"ref": item.claim.reference})
    return redirect("batch_detail", batch.pk)


@login_required
@require_POST
def batch_pay(request, batch_id: int):
    batch = get_batch_for_user(request.user, batch_id, roles=TREASURY)
    form = PayForm(request.POST)
    form.is_valid()
    try:
        batch = services.batch_mark_paid(batch=batch, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
        return redirect("batch_detail", batch.pk)
    messages.success(request, _("Lot %(ref)s noté payé : %(total)s.")
                     % {"ref": batch.reference, "total": format_cents(services.batch_totals(batch)["cents"],
                                                                       request.LANGUAGE_CODE)})
    if form.cleaned_data.get("email_statements") and batch.method != Method.MARKET:
        sent = email_statements(batch)
        if sent:
            messages.info(request, ngettext("%(n)s relevé envoyé par courriel.", "%(n)s relevés envoyés par courriel.",
                                            sent) % {"n": sent})
        else:
            messages.info(request, _("Aucun relevé envoyé : aucun marchand de ce lot n'a d'adresse courriel sur sa "
                                     "fiche."))
    return redirect("batch_detail", batch.pk)


@login_required
@require_POST
def batch_file(request, batch_id: int, format: str):
    batch = get_batch_for_user(request.user, batch_id, roles=TREASURY)
    if format not in FILE_LABELS:
        return redirect("batch_detail", batch.pk)
    try:
        bank_file = services.batch_export(batch=batch, format=format, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
        return redirect("batch_detail", batch.pk)
    module = services.format_module(format)
    response = HttpResponse(bytes(bank_file.content), content_type=module.CONTENT_TYPE)
    name = f"{batch.reference}-{format}{module.FILENAME_SUFFIX}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Vendors: payment details (treasury), statement, asking for payment


@sensitive_post_parameters("institution", "transit", "account", "interac_email", "interac_phone")
@login_required
def payee_edit(request, vendor_id: int):
    vendor = get_vendor_for_payments(request.user, vendor_id, treasury=True)
    settings = services.settings_for(vendor.program)
    existing = PayeeDetails.objects.filter(vendor=vendor).first()
    form = PayeeDetailsForm(posted(request), instance=existing or PayeeDetails(vendor=vendor),
                            local_currency=settings.local_currency_name if settings else "")
    if form.is_valid():
        payee = form.save(commit=False)
        payee.vendor, payee.updated_by = vendor, request.user
        payee.save()
        messages.success(request, _("Coordonnées de paiement enregistrées."))
        return redirect("vendor_detail", vendor.pk)
    return render_form_page(
        request, vendor.program, form, title=_("Coordonnées de paiement de %(vendor)s") % {"vendor": vendor.business_name},
        cancel_url=reverse("vendor_detail", args=[vendor.pk]),
        intro=_("Seule la trésorerie voit ces numéros en entier ; ailleurs ils sont masqués. Ils sont sur un "
                "spécimen de chèque ou un formulaire de dépôt direct du marchand."),
    )


@sensitive_post_parameters("originator_number", "institution", "transit", "account")
@login_required
def payment_settings_edit(request, program_id: int):
    program = get_program_for_treasury(request.user, program_id)
    existing = PaymentSettings.objects.filter(program=program).first()
    form = PaymentSettingsForm(posted(request), instance=existing or PaymentSettings(program=program))
    if form.is_valid():
        saved = form.save(commit=False)
        saved.program, saved.updated_by = program, request.user
        saved.save()
        messages.success(request, _("Paramètres de paiement enregistrés."))
        return redirect("program_detail", program.pk)
    return render_form_page(
        request, program, form, title=_("Paramètres de paiement"), cancel_url=reverse("program_detail", args=[program.pk]),
        intro=_("Les numéros que l'institution financière du fiduciaire a donnés pour les fichiers de dépôt direct, le "
                "délai de correction des réclamations et la monnaie locale, s'il y en a une."),
    )


def _statement_season(request, vendor: Vendor) -> Season:
    season_id = request.GET.get("season", "")
    seasons = Season.objects.filter(program_id=vendor.program_id)
    if season_id.isdecimal() and len(season_id) < 10:
        season = seasons.filter(pk=int(season_id)).first()
        if season is not None:
            return season
    return season_on(vendor.program_id, timezone.localdate()) or seasons.order_by("-starts_on").first()


@login_required
def vendor_statement_page(request, vendor_id: int):
    vendor = get_vendor_for_payments(request.user, vendor_id)
    season = _statement_season(request, vendor)
    statement = vendor_statement(vendor, season) if season else None
    is_vendor = holds(request.user, Role.VENDOR, vendor_id=vendor.pk)
    payee = PayeeDetails.objects.filter(vendor=vendor).first()
    return render_program_page(request, "payments/statement.html", vendor.program, {
        "vendor": vendor, "season": season, "statement": statement, "payee": payee,
        "seasons": Season.objects.filter(program_id=vendor.program_id).order_by("-starts_on"),
        "can_ask": season is not None and (is_vendor or can(request.user, vendor.program, PREPARE)) and not season.closed_at,
        "is_treasurer": can(request.user, vendor.program, TREASURY),
        "payments": [dict(p, local_text=local_units(p["local"]) if p["local"] is not None else "")
                     for p in (statement.payments if statement else [])],
    })


@login_required
def vendor_statement_pdf(request, vendor_id: int):
    vendor = get_vendor_for_payments(request.user, vendor_id)
    season = _statement_season(request, vendor)
    if season is None:
        return redirect("vendor_statement", vendor.pk)
    statement = vendor_statement(vendor, season)
    response = HttpResponse(statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{statement_filename(statement)}"'
    return response


@login_required
@require_POST
def vendor_claim(request, vendor_id: int):
    """The vendor asks to be paid for everything it took up to today."""
    vendor = get_vendor_for_payments(request.user, vendor_id)
    is_vendor = holds(request.user, Role.VENDOR, vendor_id=vendor.pk)
    if not (is_vendor or can(request.user, vendor.program, PREPARE)):
        return redirect("vendor_statement", vendor.pk)
    season = _statement_season(request, vendor)
    try:
        (claim,) = services.claims_prepare(season=season, by=request.user, until=timezone.localdate(), vendor=vendor)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Réclamation %(ref)s envoyée : %(total)s. La coordination la vérifie, puis la "
                                    "trésorerie vous paie.") % {
            "ref": claim.reference, "total": format_cents(sum(l.amount_cents for l in claim.lines.all()),
                                                          request.LANGUAGE_CODE)})
    return redirect(reverse("vendor_statement", args=[vendor.pk]) + f"?season={season.pk}")


@login_required
def market_claims(request, market_id: int):
    """The market pays its own vendors at the stall; here its manager claims the coupons it took in, per
    vendor, and sees what the program reimbursed."""
    market = get_market_for_claims(request.user, market_id)
    manages = holds(request.user, Role.MARKET_MANAGER, market_id=market.pk)
    can_ask = manages or can(request.user, market.program, PREPARE)
    season = season_on(market.program_id, timezone.localdate()) or Season.objects.filter(
        program_id=market.program_id).order_by("-starts_on").first()
    if request.method == "POST" and season is not None and can_ask:
        try:
            made = services.claims_prepare(season=season, by=request.user, until=timezone.localdate(), market=market)
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, ngettext("%(n)s réclamation envoyée pour le marché.",
                                               "%(n)s réclamations envoyées pour le marché.", len(made)) % {"n": len(made)})
        return redirect("market_claims", market.pk)
    claims = _claims(Claim.objects.filter(market=market, season=season)) if season else []
    return render_program_page(request, "payments/market_claims.html", market.program, {
        "market": market, "season": season, "claims": claims,
        "can_ask": can_ask and season is not None and not season.closed_at,
    })
