import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from pcn.accounts.access import CONFIGURE, program_roles
from pcn.accounts.models import Role
from pcn.programs.models import Organization
from pcn.accounts.shortcuts import render_program_page
from pcn.households import selectors, services
from pcn.households.access import (
    get_household_for_user,
    get_season_for_seller,
    get_season_partners_for_user,
    is_partner_worker_of,
)
from pcn.households.forms import (
    DistributionForm,
    HouseholdEnrolForm,
    HouseholdMoveForm,
    PartnerQuotaForm,
    PublicSaleForm,
)
from pcn.households.models import ConsentPurpose, Distribution, Household, PartnerQuota, PublicSale
from pcn.lib.formfields import form_submit, posted
from pcn.lib.money import format_cents
from pcn.programs.access import get_season_for_user


@login_required
def season_partners(request, season_id: int):
    season = get_season_for_user(request.user, season_id, write=request.method == "POST")
    _season, partners = get_season_partners_for_user(request.user, season_id)
    quotas = {q.partner_id: q for q in PartnerQuota.objects.filter(season=season)}
    counts = {
        row["partner"]: row
        for row in Household.objects.filter(season=season)
        .values("partner")
        .annotate(
            active=Count("pk", filter=Q(status=Household.Status.ACTIVE)),
            waiting=Count("pk", filter=Q(status=Household.Status.WAITING)),
        )
        .order_by()
    }
    chosen = request.POST.get("partner") if request.method == "POST" else None
    rows = []
    for partner in partners:
        quota = quotas.get(partner.pk)
        initial = {"max_households": quota.max_households, "max_value_cents": quota.max_value_cents} if quota else {}
        form = PartnerQuotaForm(
            request.POST if chosen == str(partner.pk) else None, initial=initial, prefix=f"p{partner.pk}"
        )
        if chosen == str(partner.pk) and form_submit(
            request,
            form,
            lambda partner=partner, form=form: services.partner_quota_set(
                season=season,
                partner=partner,
                max_households=form.cleaned_data["max_households"],
                max_value_cents=form.cleaned_data["max_value_cents"],
            ),
        ):
            messages.success(request, _("Le quota de « %(name)s » est enregistré.") % {"name": partner.name})
            return redirect("season_partners", season.pk)
        counted = counts.get(partner.pk, {})
        rows.append({"partner": partner, "quota": quota, "form": form,
                     "active": counted.get("active", 0), "waiting": counted.get("waiting", 0)})
    if chosen is not None and not any(chosen == str(p.pk) for p in partners):
        raise Http404
    return render_program_page(request, "households/season_partners.html", season.program,
                               {"season": season, "rows": rows})


@login_required
def household_list(request, season_id: int):
    season, partners = get_season_partners_for_user(request.user, season_id)
    households = Household.objects.filter(season=season, partner__in=partners).select_related("partner")
    partner_id = request.GET.get("partner", "")
    if partner_id.isdecimal() and len(partner_id) < 10:
        households = households.filter(partner_id=int(partner_id))
    query = request.GET.get("q", "").strip()
    households = households.search(query)
    waiting = list(households.waiting().order_by("waiting_since", "pk"))
    others = list(households.exclude(status=Household.Status.WAITING).order_by("status", "-enrolled_at"))
    try:
        get_season_partners_for_user(request.user, season_id, write=True)
        can_enrol = True
    except Http404:
        can_enrol = False
    return render_program_page(
        request,
        "households/household_list.html",
        season.program,
        {"season": season, "partners": partners, "partner_id": partner_id, "query": query,
         "households": others, "waiting": waiting, "can_enrol": can_enrol,
         "show_partner": len(partners) > 1},
    )


@sensitive_post_parameters("family_name", "first_name", "birth_date")
@never_cache
@login_required
def household_enrol(request, season_id: int):
    season, partners = get_season_partners_for_user(request.user, season_id, write=True)
    if not partners:
        raise Http404
    form = HouseholdEnrolForm(posted(request), partners=partners, program=season.program)
    household = form_submit(
        request, form, lambda: services.household_enrol(season=season, by=request.user, **form.service_kwargs())
    )
    if household:
        if household.status == Household.Status.WAITING:
            messages.warning(
                request,
                _("Le quota de l'organisme est atteint : le ménage est sur la liste d'attente. Il aura une place "
                  "dès qu'une se libère. Écrivez quand même son code sur sa carte."),
            )
        else:
            messages.success(request, _("Le ménage est inscrit. Écrivez son code sur sa carte."))
        return redirect("household_detail", household.pk)
    form.forget_identity()
    return render_program_page(request, "households/household_enrol.html", season.program,
                               {"season": season, "form": form})


@login_required
def household_detail(request, household_id: int):
    household = get_household_for_user(request.user, household_id)
    roles = program_roles(request.user, household.program)
    can_write = bool(roles & CONFIGURE) or is_partner_worker_of(request.user, household.partner)
    duplicates = services.household_duplicates(household) if can_write else []
    return render_program_page(
        request,
        "households/household_detail.html",
        household.program,
        {
            "household": household,
            "can_write": can_write,
            "consents": household.consents.select_related("recorded_by"),
            "distributions": household.distributions.all(),
            "current_consents": [
                (purpose, label, household.current_consents().get(purpose))
                for purpose, label in ConsentPurpose.choices
            ],
            # Who the other household is, and where, is for the coordination only: a partner's worker
            # learns that a similar enrolment may exist, never another partner's household.
            "duplicates": duplicates if roles & CONFIGURE else [],
            "possible_duplicate": bool(duplicates) and not roles & CONFIGURE,
        },
    )


@require_POST
@login_required
def household_leave(request, household_id: int):
    household = get_household_for_user(request.user, household_id, write=True)
    if household.status == Household.Status.LEFT:
        messages.info(request, _("Ce ménage a déjà quitté le programme."))
        return redirect("household_detail", household.pk)
    promoted = services.household_leave(household=household, by=request.user)
    messages.success(request, _("Le ménage a quitté le programme."))
    if promoted:
        messages.info(
            request,
            _("La place libérée est offerte au ménage %(codes)s, qui attendait.")
            % {"codes": ", ".join(h.display_code for h in promoted)},
        )
    return redirect("household_detail", household.pk)


@require_POST
@login_required
def household_not_duplicate(request, household_id: int, other_id: int):
    household = get_household_for_user(request.user, household_id, write=True)
    if not program_roles(request.user, household.program) & CONFIGURE:
        raise Http404
    other = next((h for h in services.household_duplicates(household) if h.pk == other_id), None)
    if other is None:
        raise Http404
    services.duplicate_dismiss(household=household, other=other, by=request.user)
    messages.success(request, _("C'est noté : ces deux ménages ne seront plus signalés comme un doublon."))
    return redirect("household_detail", household.pk)


@login_required
def distribution_sheet(request, season_id: int):
    """What each household of a partner is due on a distribution day, as coupons by value; printable."""
    season, partners = get_season_partners_for_user(request.user, season_id)
    partner = partners[0]
    partner_id = request.GET.get("partner", "")
    if partner_id.isdecimal() and len(partner_id) < 10:
        partner = next((p for p in partners if p.pk == int(partner_id)), None)
        if partner is None:
            raise Http404
    try:
        day = datetime.date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
        messages.error(request, _("Cette date n'est pas lisible : la feuille est celle d'aujourd'hui."))
    sheet = selectors.distribution_sheet(season=season, partner=partner, day=day)
    return render_program_page(
        request,
        "households/distribution_sheet.html",
        season.program,
        {"season": season, "partners": partners, "sheet": sheet},
    )


@login_required
def household_distribute(request, household_id: int):
    """Hand a household its coupons for today's period (or record that it did not come)."""
    household = get_household_for_user(request.user, household_id, write=True)
    season = household.season
    day = timezone.localdate()
    form = DistributionForm(posted(request), season=season)

    def record():
        data = form.cleaned_data
        if data.get("missed"):
            return services.distribution_record(household=household, day=day, missed=True, note=data["note"],
                                                by=request.user)
        return services.distribution_record(household=household, day=day, ranges=_ranges(season, data),
                                            note=data["note"], by=request.user)

    distribution = form_submit(request, form, record)
    if distribution:
        if distribution.status == Distribution.Status.MISSED:
            messages.info(request, _("C'est noté : le ménage n'est pas venu pour cette période."))
        else:
            messages.success(
                request,
                _("Remis : %(given)s sur %(due)s dus pour cette période.")
                % {"given": format_cents(distribution.given_cents), "due": format_cents(distribution.due_cents)},
            )
        return redirect("household_detail", household.pk)
    sheet = selectors.distribution_sheet(season=season, partner=household.partner, day=day)
    line = next((x for x in sheet.lines if x.household.pk == household.pk), None)
    return render_program_page(
        request,
        "households/household_distribute.html",
        season.program,
        {"household": household, "form": form, "period": sheet.period, "line": line,
         "cancel_url": reverse("household_detail", args=[household.pk])},
    )


def _ranges(season, data):
    from pcn.coupons import selectors as coupon_selectors

    if data["how"] == DistributionForm.BOOKLETS:
        return coupon_selectors.ranges_for_booklets(data["series"], data["numbers"])
    if data["how"] == DistributionForm.NUMBERS:
        return coupon_selectors.ranges_for_numbers(data["series"], data["numbers"])
    return coupon_selectors.ranges_for_codes(season, data["scanned"])


@login_required
def household_move(request, household_id: int):
    """The household changes partner (it moved, or another organization suits it better)."""
    household = get_household_for_user(request.user, household_id, write=True)
    if not program_roles(request.user, household.program) & CONFIGURE:
        raise Http404  # moving uses another partner's places: the coordination decides
    form = HouseholdMoveForm(posted(request), household=household)
    moved = form_submit(
        request, form, lambda: services.household_move(household=household, to_partner=form.cleaned_data["to_partner"],
                                                       by=request.user)
    )
    if moved:
        messages.success(request, _("Le ménage est maintenant suivi par « %(name)s ».")
                         % {"name": form.cleaned_data["to_partner"].name})
        return redirect("household_detail", household.pk)
    return render_program_page(
        request,
        "form_page.html",
        household.program,
        {"form": form, "title": _("Changer d'organisme"),
         "intro": _("Le ménage garde son code, ses coupons et son historique ; sa place chez l'organisme actuel va "
                    "à sa liste d'attente."),
         "cancel_url": reverse("household_detail", args=[household.pk])},
    )


@login_required
def household_export(request, household_id: int):
    """Portability (Law 25): the household's record as a JSON file, for the household on request."""
    household = get_household_for_user(request.user, household_id, write=True)
    response = JsonResponse(services.household_export(household), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="menage-{household.code}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def household_anonymize(request, household_id: int):
    household = get_household_for_user(request.user, household_id, write=True)
    try:
        services.household_anonymize(household=household, by=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, _("C'est fait : ce qui pouvait désigner le ménage est effacé. Ses remises restent, "
                                    "sans rien qui le nomme."))
    return redirect("household_detail", household.pk)


@login_required
def public_sales(request, season_id: int):
    """The « volet grand public »: record a sale of coupons to a citizen, and see the season's sales. The
    coordination and market managers (the kiosk at the market) sell from the central stock; a partner's
    workers sell from their partner's coupons."""
    season = get_season_for_seller(request.user, season_id)
    roles = program_roles(request.user, season.program)
    kiosk = bool(roles & (CONFIGURE | {Role.MARKET_MANAGER}))
    if kiosk:
        partners = [] if not roles & CONFIGURE else list(
            season.program.organizations.filter(kind__in=Organization.PARTNER_KINDS)
        )
    else:
        season, partners = get_season_partners_for_user(request.user, season_id, write=True)
    staff = kiosk
    form = PublicSaleForm(posted(request), season=season, partners=partners, staff=staff)
    if kiosk and not roles & CONFIGURE:  # a market manager sells from the central stock only
        form.fields["from_partner"].queryset = form.fields["from_partner"].queryset.none()

    def record():
        data = form.cleaned_data
        return services.public_sale_record(
            season=season, ranges=_ranges(season, data), price_paid_cents=data["price_paid_cents"],
            funding_source=data.get("funding_source", ""), grant=data.get("grant"), seller=data.get("from_partner"),
            by=request.user,
        )

    sale = form_submit(request, form, record)
    if sale:
        messages.success(
            request,
            _("Vente enregistrée : %(face)s de coupons pour %(price)s ; bonification de %(bonus)s.")
            % {"face": format_cents(sale.face_value_cents), "price": format_cents(sale.price_paid_cents),
               "bonus": format_cents(sale.bonus_cents)},
        )
        return redirect("public_sales", season.pk)
    sales = PublicSale.objects.filter(season=season).select_related("seller")
    if not roles & CONFIGURE:
        sales = sales.filter(seller__in=partners) if partners else sales.filter(seller__isnull=True)
    totals = sales.aggregate(price=Sum("price_paid_cents"), face=Sum("face_value_cents"), bonus=Sum("bonus_cents"))
    return render_program_page(
        request,
        "households/public_sales.html",
        season.program,
        {"season": season, "form": form, "sales": sales[:50], "totals": totals},
    )


@require_POST
@login_required
def household_card(request, household_id: int):
    """Give the household a digital card, or credit it for today's period."""
    household = get_household_for_user(request.user, household_id, write=True)
    try:
        if request.POST.get("action") == "credit" and hasattr(household, "card"):
            entry = services.card_credit_period(card=household.card, day=timezone.localdate(), by=request.user)
            messages.success(request, _("La carte est créditée de %(amount)s pour cette période.")
                             % {"amount": format_cents(entry.amount_cents)})
        else:
            card = services.card_issue(household=household, by=request.user)
            messages.success(request, _("Carte créée : %(code)s. Imprimez-la ou écrivez ce code sur la carte du ménage.")
                             % {"code": card.display_code})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("household_detail", household.pk)


@require_POST
@login_required
def household_consent(request, household_id: int):
    """The household changes its mind about one purpose (a new consent row; the history stays)."""
    household = get_household_for_user(request.user, household_id, write=True)
    purpose = request.POST.get("purpose", "")
    given = request.POST.get("given") == "yes"
    if purpose not in ConsentPurpose.values:
        messages.error(request, _("Choisissez pour quoi le ménage change d'avis."))
        return redirect("household_detail", household.pk)
    services.consent_record(household=household, purpose=purpose, given=given, by=request.user)
    if purpose == ConsentPurpose.PARTICIPATION and not given:
        messages.info(request, _("Le ménage ne participe plus : il quitte le programme et sa place est offerte à la "
                                 "liste d'attente."))
    else:
        messages.success(request, _("Sa réponse est notée."))
    return redirect("household_detail", household.pk)
