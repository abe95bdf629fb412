"""The coordination's pages about redemptions: every attempt of a season, the review queue, the alerts,
and revoking a vendor's device."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pcn.accounts.access import CONFIGURE, program_roles
from pcn.accounts.shortcuts import render_program_page
from pcn.coupons import codes
from pcn.lib.formfields import add_service_errors
from pcn.markets.models import Vendor
from pcn.programs.access import get_season_for_user
from pcn.redemptions import alerts as rules
from pcn.redemptions import services
from pcn.redemptions.access import get_device_for_user, get_redemption_for_user
from pcn.redemptions.alerts import season_alerts, with_day
from pcn.redemptions.explain import explain
from pcn.redemptions.models import Device, Outcome, Reason, Redemption, ReviewDecision, Source

PAGE_SIZE = 50
FLAGS = {
    "offline": gettext_lazy("Pris hors ligne"),
    "unissued": gettext_lazy("Jamais remis à un ménage"),
    "outside_hours": gettext_lazy("Hors des heures d'ouverture"),
}


def display_code(redemption: Redemption) -> str:
    """The code as people read it: grouped by four when it is a valid code, as typed otherwise."""
    if codes.is_valid(redemption.code):
        shown = codes.display(redemption.code)
        return "C-" + shown if redemption.card_id else shown
    return redemption.code or "—"


def _flags(redemption: Redemption) -> list[str]:
    shown = []
    if redemption.source == Source.OFFLINE:
        shown.append(FLAGS["offline"])
    if redemption.unissued:
        shown.append(FLAGS["unissued"])
    if redemption.outside_hours:
        shown.append(FLAGS["outside_hours"])
    return shown


def _sentence(r: Redemption) -> str:
    """What the coordination reads about a row: for an accepted one, what it buys (the value is in its own
    column); otherwise the sentence the vendor was given (`explain`)."""
    if r.outcome == Outcome.ACCEPTED:
        return r.coupon.series.coupon_class.name if r.coupon_id else _("Carte")
    return explain(r)


def _rows(redemptions) -> list[dict]:
    return [
        {"r": r, "code": display_code(r), "sentence": _sentence(r), "flags": _flags(r),
         "decided": r.outcome == Outcome.REVIEW and hasattr(r, "decision")}
        for r in redemptions
    ]


def _review_sentence(r: Redemption) -> str:
    """Why a redemption waits, said to the coordination (the vendor was told to wait)."""
    if r.reason == Reason.CONFLICT:
        return _("Le premier échange est accepté ; celui-ci attend votre décision. Si les deux ventes ont vraiment "
                 "eu lieu, le coupon a sans doute été copié.")
    return explain(r)


def _with_details(queryset):
    return queryset.select_related(
        "vendor", "market", "sale_point", "device", "season", "card", "recorded_by",
        "coupon__series__coupon_class", "conflicts_with__market", "conflicts_with__vendor", "decision__decided_by",
    )


# Every attempt of the season


def _filters(request, season) -> tuple[dict, list[str]]:
    """The filters asked for in the address, checked, and the words that describe them."""
    get = request.GET
    chosen, words = {}, []
    if get.get("outcome") in Outcome.values:
        chosen["outcome"] = get["outcome"]
    vendor_id = get.get("vendor", "")
    if vendor_id.isdecimal() and len(vendor_id) < 10:
        vendor = Vendor.objects.filter(program_id=season.program_id, pk=int(vendor_id)).first()
        if vendor is not None:
            chosen["vendor"] = vendor.pk
            words.append(vendor.business_name)
    device_id = get.get("device", "")
    if device_id.isdecimal() and len(device_id) < 10:
        device = Device.objects.filter(vendor__program_id=season.program_id, pk=int(device_id)).first()
        if device is not None:
            chosen["device"] = device.pk
            words.append(_("appareil « %(name)s »") % {"name": device.name})
    try:
        day = datetime.date.fromisoformat(get.get("day", ""))
    except ValueError:
        day = None
    if day is not None:
        chosen["day"] = day
        words.append(_("le %(date)s") % {"date": date_format(day, "j F Y")})
    if get.get("flag") in FLAGS:
        chosen["flag"] = get["flag"]
        words.append(str(FLAGS[get["flag"]]).lower())
    return chosen, words


@login_required
def season_redemptions(request, season_id: int):
    season = get_season_for_user(request.user, season_id)
    chosen, words = _filters(request, season)
    redemptions = Redemption.objects.filter(season=season)
    if "outcome" in chosen:
        redemptions = redemptions.filter(outcome=chosen["outcome"])
    if "vendor" in chosen:
        redemptions = redemptions.filter(vendor_id=chosen["vendor"])
    if "device" in chosen:
        redemptions = redemptions.filter(device_id=chosen["device"])
    if "day" in chosen:
        redemptions = with_day(redemptions).filter(day=chosen["day"])
    match chosen.get("flag"):
        case "offline":
            redemptions = redemptions.filter(source=Source.OFFLINE)
        case "unissued":
            redemptions = redemptions.filter(unissued=True)
        case "outside_hours":
            redemptions = redemptions.filter(outside_hours=True)
    totals = redemptions.aggregate(
        accepted=Count("pk", filter=Q(outcome=Outcome.ACCEPTED)),
        accepted_cents=Sum("value_cents", filter=Q(outcome=Outcome.ACCEPTED), default=0),
        refused=Count("pk", filter=Q(outcome=Outcome.REFUSED)),
        review=Count("pk", filter=Q(outcome=Outcome.REVIEW)),
    )
    page = Paginator(_with_details(redemptions).order_by("-recorded_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    keep = request.GET.copy()
    keep.pop("page", None)
    return render_program_page(
        request,
        "redemptions/season_redemptions.html",
        season.program,
        {
            "season": season,
            "rows": _rows(page.object_list),
            "page": page,
            "keep": keep.urlencode(),
            "totals": totals,
            "chosen": chosen,
            "filter_words": words,
            # The outcome and vendor menus; day, device and flag come from the alerts' links.
            "outcomes": Outcome.choices,
            "vendors": Vendor.objects.filter(program_id=season.program_id).order_by("business_name"),
            "hidden_filters": {k: v for k, v in keep.items() if k in ("day", "device", "flag")},
        },
    )


# Review queue


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Décision"), widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choisissez une décision.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Note (pourquoi)"), max_length=300, required=False,
        help_text=gettext_lazy("Gardée avec la décision, par exemple ce que le marchand a expliqué."),
    )

    def __init__(self, *args, redemption: Redemption, **kwargs):
        super().__init__(*args, prefix=f"r{redemption.pk}", **kwargs)
        Decision = ReviewDecision.Decision
        if redemption.conflicts_with_id is not None:
            choices = [
                (Decision.PAY_FIRST, _("Payer le premier échange seulement (celui-ci n'est pas payé)")),
                (Decision.PAY_BOTH, _("Payer les deux et inscrire la perte")),
                (Decision.REFUSE, _("Refuser les deux")),
            ]
        else:  # a card debit set aside: there is no first redemption
            choices = [(Decision.PAY_BOTH, _("Payer cet échange")), (Decision.REFUSE, _("Refuser cet échange"))]
        self.fields["decision"].choices = choices


def _review_page(request, season, *, bound: ReviewDecisionForm | None = None, status: int = 200):
    can_decide = bool(program_roles(request.user, season.program) & CONFIGURE)
    waiting = _with_details(
        Redemption.objects.filter(season=season).awaiting_review().select_related(
            "conflicts_with__device", "conflicts_with__sale_point", "conflicts_with__recorded_by"
        )
    ).order_by("recorded_at", "pk")
    items = []
    for r in waiting:
        form = bound if bound is not None and bound.prefix == f"r{r.pk}" else None
        if can_decide and form is None:
            form = ReviewDecisionForm(redemption=r)
        items.append({"r": r, "code": display_code(r), "sentence": _review_sentence(r), "flags": _flags(r),
                      "first": r.conflicts_with, "form": form})
    decided = _with_details(
        Redemption.objects.filter(season=season, outcome=Outcome.REVIEW, decision__isnull=False)
    ).order_by("-decision__decided_at", "-pk")[:100]
    return render_program_page(
        request,
        "redemptions/review_queue.html",
        season.program,
        {"season": season, "items": items, "decided": _rows(decided), "can_decide": can_decide},
        status=status,
    )


@login_required
def review_queue(request, season_id: int):
    season = get_season_for_user(request.user, season_id)
    return _review_page(request, season)


@require_POST
@login_required
def review_decide(request, redemption_id: int):
    redemption = get_redemption_for_user(request.user, redemption_id, write=True)
    season = redemption.season
    if redemption.outcome != Outcome.REVIEW or season is None:
        messages.error(request, _("Cet échange n'attend pas de décision : il a été accepté ou refusé au moment où "
                                  "le coupon a été présenté."))
        return redirect("season_redemptions", season.pk) if season else redirect("home")
    form = ReviewDecisionForm(request.POST, redemption=redemption)
    already = ReviewDecision.objects.filter(redemption=redemption).select_related("decided_by").first()
    if already is None and form.is_valid():
        try:
            decision = services.review_decide(
                redemption=redemption, decision=form.cleaned_data["decision"], note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Décision enregistrée pour le coupon %(code)s : %(decision)s.") % {
                "code": display_code(redemption), "decision": decision.get_decision_display()})
            return redirect(reverse("review_queue", args=[season.pk]) + "#historique")
    already = already or ReviewDecision.objects.filter(redemption=redemption).select_related("decided_by").first()
    if already is not None:
        messages.error(request, _("Une décision a déjà été prise pour ce coupon (%(decision)s, par %(who)s le "
                                  "%(date)s). Elle ne se change pas : voyez l'historique sous la liste.") % {
            "decision": already.get_decision_display(), "who": already.decided_by.get_username(),
            "date": date_format(already.decided_at, "j F Y")})
        return redirect(reverse("review_queue", args=[season.pk]) + "#historique")
    return _review_page(request, season, bound=form, status=400)


# Alerts


@login_required
def redemption_alerts(request, season_id: int):
    season = get_season_for_user(request.user, season_id)
    return render_program_page(
        request,
        "redemptions/alerts.html",
        season.program,
        {"season": season, "alerts": season_alerts(season), "rules": rules},
    )


# Devices


@require_POST
@login_required
def device_revoke(request, device_id: int):
    device = get_device_for_user(request.user, device_id, write=True)
    if device.revoked_at is not None:
        messages.info(request, _("Le téléphone « %(name)s » était déjà révoqué.") % {"name": device.name})
    else:
        services.device_revoke(device=device, by=request.user)
        messages.success(request, _("Le téléphone « %(name)s » est révoqué : il ne peut plus enregistrer de coupons. "
                                    "Pour continuer sur un autre téléphone, reliez-le depuis la page du kiosque.")
                         % {"name": device.name})
    return redirect(reverse("vendor_detail", args=[device.vendor_id]) + "#appareils")


urlpatterns = [
    path("seasons/<int:season_id>/redemptions/", season_redemptions, name="season_redemptions"),
    path("seasons/<int:season_id>/redemptions/review/", review_queue, name="review_queue"),
    path("seasons/<int:season_id>/redemptions/alerts/", redemption_alerts, name="redemption_alerts"),
    path("redemptions/<int:redemption_id>/decide/", review_decide, name="review_decide"),
    path("devices/<int:device_id>/revoke/", device_revoke, name="device_revoke"),
]
