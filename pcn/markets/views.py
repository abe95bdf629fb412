from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pcn.accounts.shortcuts import render_form_page, render_program_page
from pcn.lib.formfields import add_service_errors, form_submit, posted
from pcn.markets import selectors, services
from pcn.markets.access import get_market_for_user, get_sale_point_for_user, get_vendor_for_user
from pcn.markets.forms import AuthorizationActionForm, MarketForm, OpeningHoursForm, SalePointForm, VendorForm
from pcn.markets.models import Market, SalePoint, Vendor
from pcn.programs.access import get_program_for_user, get_season_for_user

# Markets


@login_required
def market_list(request, program_id: int):
    program = get_program_for_user(request.user, program_id)
    query = request.GET.get("q", "").strip()
    markets = selectors.markets_with_counts(program, query)
    return render_program_page(request, "markets/market_list.html", program, {"markets": markets, "query": query})


@login_required
def market_create(request, program_id: int):
    program = get_program_for_user(request.user, program_id, write=True)
    return _market_form(
        request,
        Market(program=program),
        title=_("Nouveau marché"),
        cancel_url=reverse("market_list", args=[program.pk]),
        created=True,
    )


@login_required
def market_detail(request, market_id: int):
    market = get_market_for_user(request.user, market_id)
    return render_program_page(
        request,
        "markets/market_detail.html",
        market.program,
        {"market": market, "sale_points": selectors.market_sale_points(market)},
    )


@login_required
def market_edit(request, market_id: int):
    market = get_market_for_user(request.user, market_id, write=True)
    return _market_form(
        request, market, title=_("Modifier le marché"), cancel_url=reverse("market_detail", args=[market.pk])
    )


def _market_form(request, market, *, title, cancel_url, created=False):
    form = MarketForm(posted(request), instance=market)
    if saved := form_submit(request, form, lambda: services.market_save(market=form.instance)):
        if created:
            messages.success(
                request,
                _("Le marché « %(name)s » est créé. Ajoutez maintenant ses points de vente.") % {"name": saved.name},
            )
        else:
            messages.success(request, _("Le marché « %(name)s » est enregistré.") % {"name": saved.name})
        return redirect("market_detail", saved.pk)
    return render_form_page(
        request,
        market.program,
        form,
        title=title,
        intro=_("Un marché public, ou l'entreprise d'un producteur qui vend chez lui. Il a un ou plusieurs points de vente."),
        cancel_url=cancel_url,
    )


# Sale points


@login_required
def sale_point_create(request, market_id: int):
    market = get_market_for_user(request.user, market_id, write=True)
    return _sale_point_form(
        request,
        SalePoint(market=market),
        title=_("Nouveau point de vente · %(market)s") % {"market": market.name},
    )


@login_required
def sale_point_edit(request, sale_point_id: int):
    sale_point = get_sale_point_for_user(request.user, sale_point_id, write=True)
    return _sale_point_form(request, sale_point, title=_("Modifier le point de vente"))


def _sale_point_form(request, sale_point, *, title):
    """The sale point's fields and its week of opening hours, saved together or not at all."""
    market = sale_point.market
    form = SalePointForm(posted(request), instance=sale_point)
    saved_hours = sale_point.opening_hours.values_list("weekday", "opens_at", "closes_at") if sale_point.pk else []
    hours_form = OpeningHoursForm(posted(request), hours=saved_hours)
    if request.method == "POST" and all([form.is_valid(), hours_form.is_valid()]):  # both, to show every message
        try:
            sale_point = services.sale_point_save(sale_point=form.instance, hours=hours_form.hours())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Le point de vente « %(name)s » est enregistré.") % {"name": sale_point.name})
            return redirect("market_detail", market.pk)
    return render_program_page(
        request,
        "markets/sale_point_form.html",
        market.program,
        {
            "form": form,
            "hours_form": hours_form,
            "title": title,
            "intro": _("Un endroit où les gens dépensent leurs coupons : la place du marché, un kiosque à la ferme, un champ d'autocueillette, un point de chute de paniers."),
            "cancel_url": reverse("market_detail", args=[market.pk]),
        },
    )


# Vendors


@login_required
def vendor_list(request, program_id: int):
    program = get_program_for_user(request.user, program_id)
    query = request.GET.get("q", "").strip()
    vendors = selectors.program_vendors(program, query)
    return render_program_page(request, "markets/vendor_list.html", program, {"vendors": vendors, "query": query})


@login_required
def vendor_create(request, program_id: int):
    program = get_program_for_user(request.user, program_id, write=True)
    return _vendor_form(
        request,
        Vendor(program=program),
        title=_("Nouveau marchand"),
        cancel_url=reverse("vendor_list", args=[program.pk]),
    )


@login_required
def vendor_detail(request, vendor_id: int):
    vendor = get_vendor_for_user(request.user, vendor_id)
    sale_points = vendor.sale_points.select_related("market").prefetch_related("opening_hours").order_by(
        "market__name", "name"
    )
    return render_program_page(
        request,
        "markets/vendor_detail.html",
        vendor.program,
        {"vendor": vendor, "sale_points": sale_points, "seasons": selectors.vendor_seasons(vendor)},
    )


@login_required
def vendor_edit(request, vendor_id: int):
    vendor = get_vendor_for_user(request.user, vendor_id, write=True)
    return _vendor_form(
        request, vendor, title=_("Modifier le marchand"), cancel_url=reverse("vendor_detail", args=[vendor.pk])
    )


def _vendor_form(request, vendor, *, title, cancel_url):
    form = VendorForm(posted(request), instance=vendor)
    saved = form_submit(
        request, form, lambda: services.vendor_save(vendor=form.instance, sale_points=form.cleaned_data["sale_points"])
    )
    if saved:
        messages.success(request, _("Le marchand « %(name)s » est enregistré.") % {"name": saved.business_name})
        return redirect("vendor_detail", saved.pk)
    intro = _("Une entreprise qui accepte les coupons et se fait rembourser : producteur, transformateur ou artisan.")
    if not form.fields["sale_points"].queryset.exists():
        intro = _(
            "Ce programme n'a encore aucun point de vente. Ajoutez d'abord un marché et ses points de vente, "
            "puis revenez inscrire le marchand."
        )
    return render_form_page(request, vendor.program, form, title=title, intro=intro, cancel_url=cancel_url)


# Authorizations for a season


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def season_vendors(request, season_id: int):
    """The program's vendors and whether each is authorized for the season. Coordinators authorize or
    withdraw with the buttons on each row (POST back to this page)."""
    if request.method == "POST":
        season = get_season_for_user(request.user, season_id, write=True)
        _season_vendor_action(request, season)
        return redirect("season_vendors", season.pk)
    season = get_season_for_user(request.user, season_id)
    rows = selectors.season_vendor_rows(season)
    return render_program_page(
        request,
        "markets/season_vendors.html",
        season.program,
        {
            "season": season,
            "rows": rows,
            "authorized_count": sum(1 for row in rows if row.active),
        },
    )


def _season_vendor_action(request, season) -> None:
    form = AuthorizationActionForm(request.POST, season=season)
    if not form.is_valid():
        messages.error(
            request,
            _("Ce marchand n'a pas été trouvé dans ce programme. Rien n'a changé : rechargez la page et réessayez."),
        )
        return
    vendor = form.cleaned_data["vendor"]
    names = {"vendor": vendor.business_name, "season": season.name}
    try:
        if form.cleaned_data["action"] == AuthorizationActionForm.AUTHORIZE:
            services.vendor_authorize(vendor=vendor, season=season, by=request.user)
            messages.success(request, _("« %(vendor)s » est autorisé pour la saison « %(season)s ».") % names)
            if not selectors.sells_at_accepted_place(vendor, season):
                messages.warning(
                    request,
                    _(
                        "Attention : « %(vendor)s » ne vend à aucun type de lieu où les coupons de cette saison sont "
                        "acceptés. Vérifiez ses points de vente ou les lieux acceptés par la saison."
                    )
                    % names,
                )
        elif services.vendor_revoke(vendor=vendor, season=season, by=request.user) is None:
            messages.info(request, _("« %(vendor)s » n'était pas autorisé pour cette saison : rien n'a changé.") % names)
        else:
            messages.success(
                request,
                _("L'autorisation de « %(vendor)s » pour la saison « %(season)s » est retirée. L'historique est conservé.")
                % names,
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
