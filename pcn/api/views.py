"""API endpoints, version 1. Each one: access helper (the pages' own) → service or selector → data.
See pcn.api.http for what the decorator does, pcn.api.openapi for the published description."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from pcn.api.forms import SeriesIssueForm
from pcn.api.http import ApiError, api_view, created, renamed, validated
from pcn.api.openapi import document
from pcn.api.representations import series_detail_json, series_json
from pcn.coupons import selectors, services
from pcn.coupons.access import get_series_for_user
from pcn.coupons.models import CustodyEvent
from pcn.programs.access import get_season_for_user


@api_view("GET", "POST")
def season_series(request, season_id: int):
    """GET: the season's series (the program's staff). POST: issue a series (coordinators), through the
    same service as the page and `pcn issue_series`."""
    if request.method == "GET":
        season = get_season_for_user(request.user, season_id)
        return {"series": [series_json(s) for s in season.series.select_related("coupon_class")]}
    season = get_season_for_user(request.user, season_id, write=True)
    data = validated(SeriesIssueForm, request)
    coupon_class = season.coupon_classes.filter(pk=data.pop("coupon_class_id")).first()
    try:
        series = services.series_issue(
            season=season, coupon_class=coupon_class, by=request.user, source=CustodyEvent.Source.API, **data
        )
    except ValidationError as error:
        raise renamed(error, coupon_class="coupon_class_id") from None
    return created(series_json(series), location=reverse("api_series_detail", args=[series.pk]))


@api_view("GET")
def series_detail(request, series_id: int):
    series = get_series_for_user(request.user, series_id)
    return series_detail_json(series, selectors.series_holdings(series))


@api_view("GET", public=True)
def openapi(request):
    return document()


@csrf_exempt
def unknown(request):
    """Any other address under /api/v1/, whatever the method: a JSON 404 that points to the document,
    rather than the site's HTML page."""
    return ApiError(
        404,
        "not_found",
        _("Cette adresse n'existe pas dans l'API. Les adresses possibles sont décrites dans %(document)s.")
        % {"document": reverse("api_openapi")},
    ).response()
