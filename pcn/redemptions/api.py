"""The stall page's JSON endpoints (/api/v1/stall/...), authenticated by the device's key rather than a
personal API token. Each one: the device → the same services as the market manager's page → a result in
the shape `result_json` gives (described in pcn.api.openapi)."""

import base64
import datetime
import hashlib
import struct

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from pcn.api.forms import JsonDateTimeField, JsonIntegerField, JsonStringField
from pcn.api.http import api_view, bearer_key, json_response, unauthenticated, validated
from pcn.api.models import key_hash
from pcn.coupons import codes
from pcn.coupons.models import CouponStatus, CustodyEvent, Series
from pcn.redemptions import services
from pcn.redemptions.explain import explain
from pcn.redemptions.alerts import with_day
from pcn.redemptions.explain import format_cents
from pcn.redemptions.models import Device, Outcome, Reason, Redemption, Source

MAX_SYNC_ITEMS = 1000
PREFIX_SYMBOLS = 6  # 30 bits of a code's random part: what the device looks codes up by when offline
LAST_SEEN_RESOLUTION = datetime.timedelta(minutes=1)


def device_authenticate(request) -> None:
    """The linked, not revoked device named by `Authorization: Bearer <device key>`. Its vendor is
    `request.device.vendor`; `request.user` is the person who linked it (who the records say acted)."""
    key = bearer_key(request)
    device = (
        Device.objects.select_related("vendor__program", "linked_by").filter(key_hash=key_hash(key)).first()
    )
    if device is None or not device.linked_by.is_active:
        raise unauthenticated(_("Ce téléphone n'est pas relié au kiosque. Reliez-le : connectez-vous et ouvrez la "
                                "page du kiosque."))
    if device.revoked_at is not None:
        raise unauthenticated(_("Ce téléphone a été retiré du kiosque par la coordination. Pour l'utiliser de "
                                "nouveau, reliez-le : connectez-vous et ouvrez la page du kiosque."))
    now = timezone.now()
    if device.last_seen_at is None or now - device.last_seen_at >= LAST_SEEN_RESOLUTION:
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)
    request.device = device
    request.user = device.linked_by


def stall_view(*methods: str):
    return api_view(*methods, authenticator=device_authenticate)


# What the endpoints send


NOT_RECORDED = "not_recorded"  # a sync item the server could not record (the message says why)


def result_json(redemption: Redemption, *, balance_cents: int | None = None) -> dict:
    """`balance_cents`: the card's balance right after a refused debit, said to the vendor."""
    r = redemption
    message = explain(r)
    if balance_cents is not None and r.reason == Reason.CARD_BALANCE and r.outcome == Outcome.REFUSED:
        message += " " + _("Il reste %(balance)s sur cette carte.") % {"balance": format_cents(balance_cents)}
    card = r.code.startswith("C-")  # card rows keep the card's printed prefix
    if r.coupon_id:
        code, class_name = codes.display(r.code), r.coupon.series.coupon_class.name
    elif r.card_id:
        code, class_name = "C-" + codes.display(r.code[2:]), None
    else:
        code, class_name = r.code, None
    return {
        "nonce": r.nonce,
        "outcome": r.outcome,
        "reason": r.reason,
        "message": message,
        "value_cents": r.value_cents,
        "class_name": class_name,
        "code": code,
        "kind": "card" if card else "coupon",
        "recorded_at": r.recorded_at,
        "offline": r.source == Source.OFFLINE,
    }


def code_prefix(canonical: str) -> int:
    """The first PREFIX_SYMBOLS symbols of a canonical code as a number (the stall page computes the same)."""
    value = 0
    for symbol in canonical[:PREFIX_SYMBOLS]:
        value = value * 32 + codes.ALPHABET.index(symbol)
    return value


def _series_prefixes(series: Series) -> str:
    """Base64 of the sorted little-endian uint32 prefixes of the series' coupons, void and expired ones left
    out. Redeemed ones stay: the list then changes only when coupons are issued or voided, not at every
    redemption (a phone offline cannot know another's redemptions anyway; the server judges at sync)."""
    live = series.coupons.exclude(status__in=[CouponStatus.VOID, CouponStatus.EXPIRED])
    prefixes = sorted(code_prefix(code) for code in live.values_list("code", flat=True).iterator(chunk_size=20000))
    return base64.b64encode(struct.pack(f"<{len(prefixes)}I", *prefixes)).decode()


# Endpoints


@stall_view("GET")
def stall_cache(request):
    """What the page needs to check codes offline: the season's live series and their code prefixes.
    The ETag changes when coupons are issued or voided in the season (the series part is cached per such
    state), not at every redemption."""
    device, vendor = request.device, request.device.vendor
    today = timezone.localdate()
    season = services.season_on(vendor.program_id, today)
    last_event = (
        CustodyEvent.objects.filter(season=season, kind__in=[CustodyEvent.Kind.ISSUE, CustodyEvent.Kind.VOID])
        .order_by("-sequence").values_list("hash", flat=True).first()
        if season else None
    )
    sale_points = list(vendor.sale_points.select_related("market").order_by("market__name", "name"))
    state = "|".join(str(x) for x in (
        season.pk if season else "-", last_event, today, device.pk, device.name, vendor.business_name,
        request.LANGUAGE_CODE, ",".join(f"{p.pk}:{p.name}:{p.market.name}" for p in sale_points),
        season and (season.cards_enabled, season.card_offline_cap_cents, season.name),
    ))
    etag = '"' + hashlib.sha256(state.encode()).hexdigest()[:32] + '"'
    # Compression makes the ETag weak on the way out (W/"..."): the page sends it back in that form.
    sent = {tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")}
    if etag in sent:
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response

    series_data: list = []
    classes: list = []
    if season is not None:
        key = f"stall-series:{season.pk}:{last_event}:{today}"
        series_data = cache.get(key)
        if series_data is None:
            series_data = [
                {
                    "id": s.pk, "number": s.number, "denomination_cents": s.denomination_cents,
                    "class_id": s.coupon_class_id, "valid_from": s.valid_from, "valid_until": s.valid_until,
                    "prefixes": _series_prefixes(s),
                }
                for s in season.series.filter(status=Series.Status.ACTIVE, valid_until__gte=today).order_by("number")
            ]
            cache.set(key, series_data, timeout=3600)
        classes = [{"id": c.pk, "name": c.name} for c in season.coupon_classes.order_by("name")]
    data = {
        "vendor": {"id": vendor.pk, "name": vendor.business_name},
        "program": {"id": vendor.program_id, "name": vendor.program.name},
        "device": {"id": device.pk, "name": device.name},
        "sale_points": [{"id": p.pk, "name": p.name, "market": p.market.name} for p in sale_points],
        "season": season and {
            "id": season.pk, "name": season.name, "cards_enabled": season.cards_enabled,
            "card_offline_cap_cents": season.card_offline_cap_cents,
            "valid_from": season.coupons_valid_from, "valid_until": season.coupons_valid_until,
        },
        "classes": classes,
        "series": series_data,
        "generated_at": timezone.now(),
    }
    response = json_response(data)
    response["ETag"] = etag
    return response


class RedeemForm(forms.Form):
    code = JsonStringField(max_length=200)
    nonce = JsonStringField(max_length=64)
    client_at = JsonDateTimeField(required=False)
    sale_point_id = JsonIntegerField(required=False)


class CardDebitForm(forms.Form):
    card_code = JsonStringField(max_length=200)
    amount_cents = JsonIntegerField()
    nonce = JsonStringField(max_length=64)
    client_at = JsonDateTimeField(required=False)
    sale_point_id = JsonIntegerField(required=False)


class SyncItemForm(forms.Form):
    nonce = JsonStringField(max_length=64)
    kind = forms.ChoiceField(choices=[("coupon", "coupon"), ("card", "card")])
    code = JsonStringField(max_length=200)
    amount_cents = JsonIntegerField(required=False)
    client_at = JsonDateTimeField(required=False)
    sale_point_id = JsonIntegerField(required=False)
    refused_on_device = forms.ChoiceField(required=False, choices=[(r, r) for r in services.DEVICE_REFUSALS])

    def clean(self):
        data = super().clean()
        if data.get("kind") == "card" and not data.get("amount_cents"):
            self.add_error("amount_cents", _("Un achat par carte dit son montant en cents."))
        return data


def _sale_point(request, sale_point_id):
    """The vendor's sale point the page chose; an id that is not (or no longer) the vendor's is ignored.
    The vendor's sale points are read once per request (a sync names them for every item)."""
    if not sale_point_id:
        return None
    if not hasattr(request, "stall_sale_points"):
        points = request.device.vendor.sale_points.select_related("market")
        request.stall_sale_points = {p.pk: p for p in points}
    return request.stall_sale_points.get(sale_point_id)


def _coupon(request, data: dict, source: str) -> Redemption:
    return services.redemption_record(
        vendor=request.device.vendor, code=data["code"], nonce=data["nonce"], source=source, by=request.user,
        device=request.device, sale_point=_sale_point(request, data.get("sale_point_id")),
        client_at=data.get("client_at"), refused_on_device=data.get("refused_on_device", ""),
    )


def _card(request, data: dict, source: str) -> Redemption:
    return services.card_debit(
        vendor=request.device.vendor, card_code=data.get("card_code") or data.get("code"),
        amount_cents=data["amount_cents"], nonce=data["nonce"], source=source, by=request.user,
        device=request.device, sale_point=_sale_point(request, data.get("sale_point_id")),
        client_at=data.get("client_at"),
    )


@stall_view("POST")
def stall_redeem(request):
    return result_json(_coupon(request, validated(RedeemForm, request), Source.STALL))


def _card_result(redemption: Redemption) -> dict:
    balance = services.card_balance_cents(redemption.card) if redemption.card_id else None
    return result_json(redemption, balance_cents=balance)


@stall_view("POST")
def stall_card_debit(request):
    return _card_result(_card(request, validated(CardDebitForm, request), Source.STALL))


class SyncForm(forms.Form):
    items = forms.JSONField()


@stall_view("POST")
def stall_sync(request):
    """Record a batch the page queued offline, item by item (each in its own transaction, idempotent on
    its nonce): uploading it again, or again after a cut, returns the same results and records nothing new."""
    items = validated(SyncForm, request)["items"]
    if not isinstance(items, list) or not items:
        raise ValidationError({"items": [_("Envoyez une liste d'échanges, d'au moins un élément.")]})
    if len(items) > MAX_SYNC_ITEMS:
        raise ValidationError({"items": [_("Envoyez au plus %(max)s échanges à la fois.") % {"max": MAX_SYNC_ITEMS}]})
    checked, errors = [], {}
    for index, item in enumerate(items):
        form = SyncItemForm(item if isinstance(item, dict) else {})
        if not isinstance(item, dict):
            errors[f"items[{index}]"] = [_("Chaque échange est un objet JSON.")]
        elif not form.is_valid():
            for name, messages in form.errors.items():
                errors[f"items[{index}].{name}"] = list(messages)
        else:
            checked.append(form.cleaned_data)
    if errors:
        raise ValidationError(errors)
    results = []
    for data in checked:
        try:
            if data["kind"] == "card":
                results.append(_card_result(_card(request, data, Source.OFFLINE)))
            else:
                results.append(result_json(_coupon(request, data, Source.OFFLINE)))
        except ValidationError as error:  # e.g. a nonce reused for another code: that item only
            results.append(not_recorded(data, " ".join(error.messages)))
    return {"results": results}


def not_recorded(data: dict, message: str) -> dict:
    """The result for a sync item the server could not record: nothing was kept for it."""
    return {
        "nonce": data["nonce"], "outcome": Outcome.REFUSED, "reason": NOT_RECORDED, "message": message,
        "value_cents": 0, "class_name": None, "code": data["code"], "kind": data["kind"],
        "recorded_at": timezone.now(), "offline": True,
    }


@stall_view("GET")
def stall_today(request):
    """The vendor's accepted redemptions today (every device and the market manager's entries), by class."""
    vendor = request.device.vendor
    today = timezone.localdate()
    since = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time.min))
    rows = (  # counted on the day the coupon was taken, as the coordination's alerts count days
        with_day(Redemption.objects.filter(vendor=vendor, outcome=Outcome.ACCEPTED, recorded_at__gte=since))
        .filter(day=today)
        .values("coupon__series__coupon_class__name")
        .annotate(count=Count("id"), total=Sum("value_cents"), cards=Count("id", filter=Q(card__isnull=False)))
        .order_by("coupon__series__coupon_class__name")
    )
    by_class = [
        {"name": row["coupon__series__coupon_class__name"] or _("Cartes"), "count": row["count"],
         "total_cents": row["total"]}
        for row in rows
    ]
    return {
        "date": today,
        "count": sum(r["count"] for r in by_class),
        "total_cents": sum(r["total_cents"] for r in by_class),
        "by_class": by_class,
    }
