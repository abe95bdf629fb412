from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcn.accounts.access import READ_CONFIG, get_network_for_user, program_roles
from pcn.accounts.shortcuts import render_program_page
from pcn.research.models import MIN_THRESHOLD
from pcn.households.access import get_season_partners_for_user
from pcn.payments.access import get_vendor_for_payments
from pcn.programs.access import get_season_for_user
from pcn.programs.models import Season
from pcn.reports import network, selectors, snapshot
from pcn.reports.charts import PALETTE, bars, columns
from pcn.reports.forms import FilterForm, YearForm
from pcn.reports.selectors import Filters, money_text
from pcn.reports.tables import FORMATS, download

TOP = 10  # bars shown per chart; the table below has every row
# One colour per meaning on every chart: handed out green, redeemed blue, paid orange.
HANDED_OUT, REDEEMED, PAID = PALETTE[0], PALETTE[1], PALETTE[2]


def _count_text(n: int) -> str:
    from django.utils.formats import number_format

    return number_format(n, force_grouping=True)


def _week_labels(weeks) -> list[str]:
    return [f"{w.day}/{w.month}" for w in weeks]


def _charts(d: selectors.Dashboard, *, partner_side: bool = True, market_side: bool = True) -> list:
    weeks = list(d.by_week)
    found = []
    if weeks:
        series = [(_("Remis ou vendus"), [d.by_week[w].handed_out_cents + d.by_week[w].sold_cents for w in weeks])]
        colours = [HANDED_OUT, REDEEMED]
        if market_side:
            series.append((_("Échangés"), [d.by_week[w].redeemed_cents for w in weeks]))
        else:
            series.append((_("Échangés par les ménages"), [d.by_week[w].redeemed_from_cents for w in weeks]))
        if market_side and not d.filters.market_id:
            series.append((_("Payés"), [d.by_week[w].paid_cents for w in weeks]))
            colours.append(PAID)
        found.append(columns(_("Par semaine"), _week_labels(weeks), series, money_text, colours=colours))
    if partner_side and len(d.by_partner) > 1:
        rows = sorted(((d.name("partner", pk), s.handed_out_cents) for pk, s in d.by_partner.items()
                       if pk and s.handed_out_cents), key=lambda r: -r[1])[:TOP]
        found.append(bars(_("Remis aux ménages, par organisme"), rows, money_text, colour=HANDED_OUT))
    if market_side and d.by_market:
        rows = sorted(((d.name("market", pk), s.redeemed_cents) for pk, s in d.by_market.items()
                       if s.redeemed_cents), key=lambda r: -r[1])[:TOP]
        found.append(bars(_("Échangés, par marché"), rows, money_text, colour=REDEEMED))
    if market_side and d.by_vendor:
        rows = sorted(((d.name("vendor", pk), s.redeemed_cents) for pk, s in d.by_vendor.items()
                       if s.redeemed_cents), key=lambda r: -r[1])[:TOP]
        found.append(bars(_("Les %(n)s marchands qui ont le plus échangé") % {"n": len(rows)}, rows, money_text,
                          colour=REDEEMED))
    return [c for c in found if not c.empty]


def _link_rows(tables, season: Season) -> None:
    """Each partner, market and vendor row links to the rows behind it (pages that check access again)."""
    for table in tables:
        for row in table.rows:
            pk = row.get("id")
            if pk is None:
                continue
            if table.slug == "partenaires":
                row["url"] = reverse("household_list", args=[season.pk]) + f"?partner={pk}"
            elif table.slug == "marches":
                row["url"] = reverse("market_detail", args=[pk])
            elif table.slug == "marchands":
                row["url"] = reverse("season_redemptions", args=[season.pk]) + f"?vendor={pk}&outcome=accepted"


def _wants_file(request) -> str | None:
    fmt = request.GET.get("format", "")
    if fmt and fmt not in FORMATS:
        raise Http404
    return fmt or None


def _filename(season: Season, what: str) -> str:
    return f"{what}-{season.program.name}-{season.name}"


@login_required
def season_dashboard(request, season_id: int):
    season = get_season_for_user(request.user, season_id)  # the program's readers: coordination, treasury, network
    form = FilterForm(request.GET or None, season=season)
    filters = Filters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = Filters(start=data["start"], end=data["end"],
                          partner_id=data["partner"].pk if data["partner"] else None,
                          market_id=data["market"].pk if data["market"] else None)
    snap, pending = snapshot.current_snapshot(season, by=request.user)
    if snap is None:
        return render_program_page(request, "reports/preparing.html", season.program, {"season": season})
    d = selectors.season_dashboard(season, filters)
    summary = snap.summary
    tables = selectors.dashboard_tables(d, summary)
    if fmt := _wants_file(request):
        return download(tables, fmt, _filename(season, "tableau-de-bord"))
    _link_rows(tables, season)
    funding = summary["funding"]
    return render_program_page(request, "reports/season_dashboard.html", season.program, {
        "season": season, "form": form, "d": d, "snapshot": snap, "pending": pending, "summary": summary,
        "funding": funding, "tables": {t.name: t for t in tables}, "charts": _charts(d),
        "query": request.GET.urlencode(),
        "spent_cents": funding["committed_cents"] + funding["bonus_cents"],
        "spent_percent": selectors.percent(funding["committed_cents"] + funding["bonus_cents"],
                                           funding["grants_budget_cents"]),
    })


@login_required
@require_POST
def season_dashboard_refresh(request, season_id: int):
    season = get_season_for_user(request.user, season_id)
    if snapshot.refresh_pending(season):
        messages.info(request, _("Une mise à jour est déjà en cours. Rechargez la page dans une minute."))
    elif snapshot.Snapshot.objects.filter(season=season, build_seconds__lt=snapshot.INLINE_SECONDS).exists():
        snapshot.season_refresh(season)
        messages.success(request, _("Les chiffres sont à jour."))
    else:
        from pcn.tasks.services import task_enqueue

        task_enqueue(program=season.program, name=snapshot.REFRESH_TASK, kwargs={"season_id": season.pk},
                     label=_("Mise à jour du tableau de bord · %(season)s") % {"season": season.name},
                     by=request.user)
        messages.info(request, _("La mise à jour est lancée. Rechargez la page dans une minute."))
    return redirect("season_dashboard", season.pk)


@login_required
def partner_dashboard(request, season_id: int):
    """A partner's own figures: its households, what it handed out, what its households redeemed."""
    season, partners = get_season_partners_for_user(request.user, season_id)
    chosen = request.GET.get("partner", "")
    partner = next((p for p in partners if str(p.pk) == chosen), None) or (partners[0] if partners else None)
    if partner is None:
        raise Http404
    snap, pending = snapshot.current_snapshot(season, by=request.user)
    if snap is None:
        return render_program_page(request, "reports/preparing.html", season.program, {"season": season})
    d = selectors.season_dashboard(season, Filters(partner_id=partner.pk))
    tables = [selectors.partner_week_table(d), selectors.people_table(d)]
    if fmt := _wants_file(request):
        return download(tables, fmt, _filename(season, f"organisme-{partner.name}"))
    return render_program_page(request, "reports/partner_dashboard.html", season.program, {
        "season": season, "partner": partner, "partners": partners, "d": d, "snapshot": snap, "pending": pending,
        "tables": {t.name: t for t in tables}, "charts": _charts(d, partner_side=False, market_side=False),
        "can_read": bool(program_roles(request.user, season.program) & READ_CONFIG),
    })


@login_required
def vendor_dashboard(request, vendor_id: int):
    """A vendor's own figures for a season: what it took, where, of which class, what it was paid."""
    vendor = get_vendor_for_payments(request.user, vendor_id)
    seasons = list(Season.objects.filter(program_id=vendor.program_id).order_by("-starts_on"))
    chosen = request.GET.get("season", "")
    started = [s for s in seasons if s.starts_on <= timezone.localdate()]  # by default, the latest begun
    season = next((s for s in seasons if str(s.pk) == chosen), None) or next(iter(started or seasons), None)
    if season is None:
        raise Http404
    snap, pending = snapshot.current_snapshot(season, by=request.user)
    if snap is None:
        return render_program_page(request, "reports/preparing.html", season.program, {"season": season})
    d = selectors.season_dashboard(season, Filters(vendor_id=vendor.pk))
    tables = [selectors.vendor_week_table(d), selectors.market_table(d), selectors.class_table(d)]
    if fmt := _wants_file(request):
        return download(tables, fmt, _filename(season, vendor.business_name))
    weeks = list(d.by_week)
    charts = []
    if weeks:
        charts.append(columns(_("Par semaine"), _week_labels(weeks), [
            (_("Échangés"), [d.by_week[w].redeemed_cents for w in weeks]),
            (_("Payés"), [d.by_week[w].paid_cents for w in weeks])], money_text, colours=[REDEEMED, PAID]))
    return render_program_page(request, "reports/vendor_dashboard.html", season.program, {
        "vendor": vendor, "season": season, "seasons": seasons, "d": d, "snapshot": snap, "pending": pending,
        "tables": {t.name: t for t in tables}, "charts": [c for c in charts if not c.empty],
    })


@login_required
def network_dashboard(request):
    net = get_network_for_user(request.user)
    years = network.season_years(net)
    form = YearForm(request.GET or None, years=years)
    begun = [y for y in years if y <= timezone.localdate().year]  # by default, the latest year begun
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() and form.cleaned_data["year"] else (
        next(iter(begun or years), None))
    if not form.is_bound and year is not None:
        form = YearForm(initial={"year": year}, years=years)
    view = network.network_view(net, year=year, by=request.user)
    tables = [view.season_table, view.region_table, view.history_table]
    if fmt := _wants_file(request):
        return download(tables, fmt, f"reseau-{year or ''}")
    charts = []
    if view.region_rows:
        charts.append(bars(_("Échangés chez les marchands, par région"),
                           [(r["name"], r["redeemed"]) for r in view.region_rows], money_text, colour=REDEEMED))
        charts.append(bars(_("Ménages rejoints, par région"), [(r["name"], r["reached"]) for r in view.region_rows],
                           _count_text, colour=HANDED_OUT))
    return render(request, "reports/network_dashboard.html", {
        "network": net, "form": form, "year": year, "view": view, "charts": [c for c in charts if not c.empty],
        "smallest": MIN_THRESHOLD,
        "query": request.GET.urlencode(),
    })
