from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pcn.accounts.shortcuts import render_program_page
from pcn.coupons import selectors, services
from pcn.coupons.access import get_series_for_user
from pcn.coupons.forms import MoveForm, SeriesForm, SeriesVoidForm
from pcn.coupons.models import CouponStatus, CustodyEvent, Series
from pcn.lib.formfields import form_submit, posted
from pcn.lib.money import format_cents
from pcn.programs.access import get_season_for_user
from pcn.tasks.services import task_enqueue

MOVE_TITLES = {
    CustodyEvent.Kind.ALLOCATE: gettext_lazy("Remettre des coupons à un partenaire"),
    CustodyEvent.Kind.TRANSFER: gettext_lazy("Transférer des coupons d'un partenaire à un autre"),
    CustodyEvent.Kind.RETURN: gettext_lazy("Reprendre des coupons en réserve"),
    CustodyEvent.Kind.VOID: gettext_lazy("Annuler des coupons perdus, volés ou détruits"),
}


@login_required
def season_stock(request, season_id: int):
    """Where every coupon of the season is, the series issued, and the latest moves."""
    season = get_season_for_user(request.user, season_id)
    holdings = selectors.season_holdings(season)
    return render_program_page(
        request,
        "coupons/season_stock.html",
        season.program,
        {
            "season": season,
            "holdings": holdings,
            "total_count": sum(h.count for h in holdings),
            "total_value": sum(h.value_cents for h in holdings),
            "series_list": season.series.select_related("coupon_class"),
            "events": season.custody_events.select_related("from_partner", "to_partner", "by").order_by("-sequence")[:20],
            "move_kinds": list(MOVE_TITLES.items()),
        },
    )


@login_required
def series_create(request, season_id: int):
    season = get_season_for_user(request.user, season_id, write=True)
    form = SeriesForm(posted(request), season=season)
    series = form_submit(
        request,
        form,
        lambda: services.series_issue(season=season, by=request.user, **form.cleaned_data),
    )
    if series:
        messages.success(
            request,
            _("La série %(number)s est émise : %(count)s coupons de %(value)s, en réserve. Imprimez-la maintenant.")
            % {"number": series.number, "count": series.count, "value": format_cents(series.denomination_cents)},
        )
        return redirect("series_detail", series.pk)
    if not season.denominations.exists() or not season.coupon_classes.exists():
        messages.warning(
            request, _("Choisissez d'abord les valeurs et les catégories de coupons de la saison.")
        )
        return redirect("season_detail", season.pk)
    return render_program_page(
        request,
        "coupons/series_form.html",
        season.program,
        {"form": form, "season": season, "cancel_url": reverse("season_stock", args=[season.pk])},
    )


@login_required
def series_detail(request, series_id: int):
    series = get_series_for_user(request.user, series_id)
    by_status = selectors.series_holdings(series)
    return render_program_page(
        request,
        "coupons/series_detail.html",
        series.season.program,
        {
            "series": series,
            "season": series.season,
            "by_status": [(str(CouponStatus(s).label), by_status[s]) for s in CouponStatus.values if s in by_status],
            "void_form": SeriesVoidForm(),
        },
    )


@require_POST
@login_required
def series_print(request, series_id: int):
    series = get_series_for_user(request.user, series_id, write=True)
    if series.status == Series.Status.VOID:
        messages.error(request, _("Cette série est annulée : on ne l'imprime plus."))
        return redirect("series_detail", series.pk)
    task = task_enqueue(
        program=series.season.program,
        name="coupons.print_series",
        kwargs={"series_id": series.pk, "language": request.LANGUAGE_CODE},
        label=_("Impression de la série %(number)s (%(count)s coupons)") % {"number": series.number, "count": series.count},
        by=request.user,
    )
    return redirect("task_detail", task.pk)


@require_POST
@login_required
def series_void(request, series_id: int):
    series = get_series_for_user(request.user, series_id, write=True)
    form = SeriesVoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cochez la case de confirmation et dites pourquoi la série est annulée."))
        return redirect("series_detail", series.pk)
    try:
        services.series_void(series=series, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("La série %(number)s est annulée.") % {"number": series.number})
    return redirect("series_detail", series.pk)


@login_required
def coupons_move(request, season_id: int, kind: str):
    if kind not in MOVE_TITLES:
        raise Http404
    season = get_season_for_user(request.user, season_id, write=True)
    form = MoveForm(posted(request), season=season, kind=kind)
    event = form_submit(request, form, lambda: _move(request, season, kind, form.cleaned_data))
    if event:
        messages.success(
            request,
            _("C'est fait : %(count)s coupons (%(value)s) ont bougé. Le registre est à jour.")
            % {"count": event.coupon_count, "value": format_cents(event.value_cents)},
        )
        return redirect("season_stock", season.pk)
    return render_program_page(
        request,
        "coupons/move_form.html",
        season.program,
        {"form": form, "season": season, "title": MOVE_TITLES[kind], "cancel_url": reverse("season_stock", args=[season.pk])},
    )


def _move(request, season, kind, data):
    how = data["how"]
    if how == MoveForm.BOOKLETS:
        ranges = selectors.ranges_for_booklets(data["series"], data["numbers"])
    elif how == MoveForm.NUMBERS:
        ranges = selectors.ranges_for_numbers(data["series"], data["numbers"])
    else:
        ranges = selectors.ranges_for_codes(season, data["scanned"])
    return services.coupons_move(
        season=season,
        kind=kind,
        ranges=ranges,
        from_partner=data.get("from_partner"),
        to_partner=data.get("to_partner"),
        reason=data.get("reason") or "",
        note=data.get("note", ""),
        by=request.user,
    )
