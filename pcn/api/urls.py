from django.urls import path, re_path

from pcn.api import views
from pcn.redemptions import api as stall

# Mounted at /api/v1/. Every address here is described in pcn.api.openapi (tested), except the last one.
urlpatterns = [
    path("seasons/<int:season_id>/series", views.season_series, name="api_season_series"),
    path("series/<int:series_id>", views.series_detail, name="api_series_detail"),
    path("stall/cache", stall.stall_cache, name="api_stall_cache"),
    path("stall/redeem", stall.stall_redeem, name="api_stall_redeem"),
    path("stall/card-debit", stall.stall_card_debit, name="api_stall_card_debit"),
    path("stall/sync", stall.stall_sync, name="api_stall_sync"),
    path("stall/today", stall.stall_today, name="api_stall_today"),
    path("openapi.json", views.openapi, name="api_openapi"),
    re_path(r"^.*$", views.unknown, name="api_unknown"),
]
