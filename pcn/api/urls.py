from django.urls import path, re_path

from pcn.api import views

# Mounted at /api/v1/. Every address here is described in pcn.api.openapi (tested), except the last one.
urlpatterns = [
    path("seasons/<int:season_id>/series", views.season_series, name="api_season_series"),
    path("series/<int:series_id>", views.series_detail, name="api_series_detail"),
    path("openapi.json", views.openapi, name="api_openapi"),
    re_path(r"^.*$", views.unknown, name="api_unknown"),
]
