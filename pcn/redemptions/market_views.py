"""The market manager's entry: at the end of the day, a vendor's stack of coupons, each code checked as it is
scanned, then recorded all at once; or, in a season that does not read codes, the coupons counted by value.

With JavaScript (market_entry.js) each code is checked at once through `market_entry_check`, which records
nothing. Without it, the codes go in a box, one per line, and a preview page shows each line checked before
it is saved. Either way the page sends the lines with a key each, and each line is recorded with the nonce
"<stack>.<line>": sending the same page twice records each coupon once. A save that is refused (no vendor,
too many lines, a broken page) shows the page again with every line it received, keys and all: in the box
without JavaScript, rebuilt by the script with it. (The script also keeps the stack in the tab until its
summary has loaded, for a session that expired at saving.)
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcn.accounts.access import CONFIGURE, check_program_access
from pcn.accounts.models import Role
from pcn.accounts.shortcuts import render_program_page
from pcn.lib.formfields import form_submit, posted
from pcn.markets.models import Market
from pcn.markets.selectors import authorized_vendors
from pcn.redemptions import selectors, services
from pcn.redemptions.explain import explain
from pcn.redemptions.market_forms import MAX_LINES, STACK_KEY, CountsForm, StackForm, scanned_code
from pcn.redemptions.models import Outcome, Source


def get_market_for_entry(user, market_id: int) -> Market:
    """The market whose vendors' coupons the user may enter: its own manager, or the program's coordination
    (and network administration). Anyone else, even a reader of the program, gets 404."""
    market = Market.objects.select_related("program__network").filter(pk=market_id).first()
    if market is None:
        raise Http404
    check_program_access(user, market.program, roles=CONFIGURE, scoped=[(Role.MARKET_MANAGER, "market_id", market.pk)])
    return market


def _setting(market: Market) -> dict:
    today = timezone.localdate()
    season = services.season_on(market.program_id, today)
    vendors = selectors.market_vendors(market)
    authorized = set(authorized_vendors(season).values_list("pk", flat=True)) if season else set()
    return {
        "market": market, "season": season, "vendors": vendors, "authorized": authorized,
        "not_yet": season is not None and today < season.coupons_valid_from,
    }


@login_required
def market_entry(request, market_id: int):
    market = get_market_for_entry(request.user, market_id)
    setting = _setting(market)
    season = setting["season"]
    if season is not None and season.counts_only:
        return _counts_entry(request, setting)
    return _codes_entry(request, setting)


def _codes_entry(request, setting: dict):
    market = setting["market"]
    saving = request.method == "POST" and request.POST.get("action") == "save"
    form = StackForm(posted(request), vendors=setting["vendors"], authorized=setting["authorized"], saving=saving,
                     initial={"vendor": request.GET.get("vendor")})
    if request.method == "POST" and setting["season"] is not None and form.is_valid():
        vendor, stack, lines = (form.cleaned_data[k] for k in ("vendor", "stack", "lines"))
        if saving:
            for code, key in lines:
                services.redemption_record(vendor=vendor, code=code, nonce=f"{stack}.{key}", source=Source.MARKET,
                                           by=request.user, market=market)
            return redirect(_saved_url(market, stack))
        preview = selectors.stack_preview(vendor=vendor, market=market, typed=[c for c, _k in lines],
                                          keys=[k for _c, k in lines], by=request.user)
        return render_program_page(request, "redemptions/market_preview.html", market.program, {
            **setting, "form": form, "vendor": vendor, "stack": stack, "lines": preview,
            "totals": selectors.stack_totals(preview),
        })
    stack, sent = form.page_stack(), form.sent_lines()  # a refused save: its lines are shown again, none lost
    chosen = _number(str(form["vendor"].value() or ""))
    return render_program_page(request, "redemptions/market_entry.html", market.program, {
        **setting, "form": form, "duplicate_message": selectors.DUPLICATE, "stack": stack, "sent": sent,
        "sent_data": {"stack": stack, "lines": sent} if sent else None, "max_lines": MAX_LINES,
        "chosen_unauthorized": chosen is not None and chosen not in setting["authorized"]
        and any(v.pk == chosen for v in setting["vendors"]),
    })


def _counts_entry(request, setting: dict):
    market, season = setting["market"], setting["season"]
    form = CountsForm(posted(request), season=season, vendors=setting["vendors"], authorized=setting["authorized"],
                      initial={"vendor": request.GET.get("vendor")})

    def record():
        data = form.cleaned_data
        return services.redemption_count_record(
            season=season, vendor=data["vendor"], market=market, day=data["day"], counts=data["counts"],
            nonce=data["nonce"], by=request.user,
        )

    if form_submit(request, form, record) is not None:
        return redirect(_saved_url(market, form.cleaned_data["nonce"]))
    return render_program_page(request, "redemptions/market_counts.html", market.program, {**setting, "form": form})


def _number(text: str) -> int | None:
    """A database id sent as text, or None. (str.isdigit is not enough: "²" is a digit that int() refuses.)"""
    if not (0 < len(text) <= 18 and text.isascii() and text.isdigit()):
        return None
    return int(text)


def _saved_url(market: Market, stack: str) -> str:
    return f"{reverse('market_entry_saved', args=[market.pk])}?{urlencode({'stack': stack})}"


@login_required
@require_POST
def market_entry_check(request, market_id: int):
    """What recording this code for this vendor would answer now, in JSON; records nothing."""
    market = get_market_for_entry(request.user, market_id)
    vendor_id = _number(request.POST.get("vendor", ""))
    vendor = selectors.market_vendors(market).filter(pk=vendor_id).first() if vendor_id is not None else None
    if vendor is None:
        return JsonResponse({"error": _("Choisissez d'abord le marchand.")}, status=400)
    typed = scanned_code(request.POST.get("code", ""))
    r = selectors.redemption_preview(vendor=vendor, code=typed, market=market, by=request.user)
    return JsonResponse({
        "code": selectors.display_code(r),
        "key": (r.code or typed).upper(),
        "outcome": r.outcome,
        "reason": r.reason,
        "tone": selectors.tone(r),
        "value_cents": r.value_cents if r.outcome == Outcome.ACCEPTED else 0,
        "message": explain(r),
    })


@login_required
def market_entry_saved(request, market_id: int):
    """What a saved stack (or a saved count) came to: printable, readable on a phone."""
    market = get_market_for_entry(request.user, market_id)
    stack = request.GET.get("stack", "")
    lines, counts = [], []
    if STACK_KEY.match(stack):
        lines = selectors.stack_saved(market=market, by=request.user, stack=stack)
        if not lines:
            counts = selectors.counts_saved(market=market, by=request.user, nonce=stack)
    first = lines[0].redemption if lines else counts[0] if counts else None
    return render_program_page(request, "redemptions/market_saved.html", market.program, {
        "market": market, "lines": lines, "counts": counts, "first": first, "stack": stack,
        "totals": selectors.stack_totals(lines),
        "refused": [line for line in lines if line.tone == selectors.REFUSED],
        "flagged": [line for line in lines if line.tone == selectors.REVIEW],
        "counts_total": sum(c.value_cents for c in counts), "counts_number": sum(c.count for c in counts),
    })


urlpatterns = [
    path("markets/<int:market_id>/coupons/", market_entry, name="market_entry"),
    path("markets/<int:market_id>/coupons/check/", market_entry_check, name="market_entry_check"),
    path("markets/<int:market_id>/coupons/saved/", market_entry_saved, name="market_entry_saved"),
]
