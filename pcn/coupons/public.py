"""The coupon's public check page: what any phone camera opens from the QR. No login, no personal data,
and a limit on lookups per visitor so that nobody can try codes at random."""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from pcn.coupons import codes
from pcn.coupons.models import Coupon, CouponStatus, Series
from pcn.markets.models import SalePoint


def _over_limit(request) -> bool:
    """Fixed window per client address, counted in the cache shared by the web processes."""
    address = request.META.get("REMOTE_ADDR", "unknown")
    key = f"coupon-check:{address}"
    cache.add(key, 0, timeout=settings.COUPON_CHECK_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.COUPON_CHECK_WINDOW_SECONDS)
        count = 1
    return count > settings.COUPON_CHECK_LIMIT


def coupon_state(coupon: Coupon, today) -> str:
    if coupon.status == CouponStatus.VOID or coupon.series.status == Series.Status.VOID:
        return "void"
    if coupon.status == CouponStatus.REDEEMED:
        return "redeemed"
    if coupon.status == CouponStatus.EXPIRED or today > coupon.series.valid_until:
        return "expired"
    if today < coupon.series.valid_from:
        return "not_yet"
    return "valid"


@never_cache
def coupon_check(request, code: str = ""):
    typed = code or request.GET.get("code", "")
    context = {"typed": typed}
    if typed:
        if _over_limit(request):
            return render(request, "coupons/check.html", {"limited": True}, status=429)
        try:
            canonical = codes.normalize(typed)
        except codes.CodeFormatError as error:
            context["format_error"] = error.reason
        else:
            coupon = (
                Coupon.objects.select_related("series__coupon_class", "season__program")
                .filter(code=canonical)
                .first()
            )
            if coupon is None:
                context["unknown"] = True
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
