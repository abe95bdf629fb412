"""The coupon's public check page: what any phone camera opens from the QR. No login, no personal data,
and a limit on failed lookups per visitor so that nobody can try codes at random (55 random bits make
guessing hopeless anyway; the limit keeps scripts from trying)."""

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from pcn.coupons import codes
from pcn.coupons.models import Coupon, CouponStatus, Series
from pcn.households.models import Card
from pcn.markets.models import SalePoint


def client_address(request) -> str:
    """The visitor's address. Behind our HTTPS proxy, the last X-Forwarded-For entry is the one the proxy
    added (earlier entries are whatever the client sent). IPv6 visitors count per /64, the block one
    household or phone gets."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_HTTPS_PROXY:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        address = forwarded[-1] if forwarded else address
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _limited(request) -> bool:
    """True once the visitor has used up its failed lookups for the window."""
    count = cache.get(f"coupon-check:{client_address(request)}", 0)
    return count >= settings.COUPON_CHECK_LIMIT


def _count_failure(request) -> None:
    """Fixed window per visitor, counted in the cache shared by the web processes."""
    key = f"coupon-check:{client_address(request)}"
    cache.add(key, 0, timeout=settings.COUPON_CHECK_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.COUPON_CHECK_WINDOW_SECONDS)


def coupon_state(coupon: Coupon, today) -> str:
    if coupon.status == CouponStatus.VOID or coupon.series.status == Series.Status.VOID:
        return "void"
    if coupon.status == CouponStatus.REDEEMED:
        return "redeemed"
    if coupon.status == CouponStatus.EXPIRED or today > coupon.series.valid_until:
        return "expired"
    if today < coupon.series.valid_from:
        return "not_yet"
    if coupon.status == CouponStatus.STOCK:
        return "not_issued"  # still in the program's central stock: nobody should be holding it
    return "valid"


@never_cache
def coupon_check(request, code: str = ""):
    typed = code or request.GET.get("code", "")
    context = {"typed": typed}
    if typed:
        if _limited(request):
            return render(request, "coupons/check.html", {"limited": True}, status=429)
        card_prefix = typed.strip()[:2].upper() == "C-"  # a household's digital card, printed « C-K7M2-… »
        try:
            canonical = codes.normalize(typed.strip()[2:] if card_prefix else typed)
        except codes.CodeFormatError as error:
            context["format_error"] = error.reason
            _count_failure(request)
        else:
            coupon = (
                Coupon.objects.select_related("series__coupon_class", "season__program")
                .filter(code=canonical)
                .first()
            )
            card = None if coupon else Card.objects.select_related("household__season__program").filter(
                code=canonical
            ).first()
            if card is not None:
                context.update(card=card, code_display=card.display_code)
            elif coupon is None:
                context["unknown"] = True
                _count_failure(request)
            else:
                season = coupon.season
                context.update(
                    coupon=coupon,
                    code_display=codes.display(canonical),
                    state=coupon_state(coupon, timezone.localdate()),
                    sale_points=SalePoint.objects.filter(
                        market__program=season.program, kind__in=season.accepted_sale_point_kinds
                    ).select_related("market").order_by("market__name", "name"),
                )
    return render(request, "coupons/check.html", context)
