from django.urls import path

from pcn.reports import views

urlpatterns = [
    path("seasons/<int:season_id>/dashboard/", views.season_dashboard, name="season_dashboard"),
    path("seasons/<int:season_id>/dashboard/refresh/", views.season_dashboard_refresh, name="season_dashboard_refresh"),
    path("seasons/<int:season_id>/dashboard/partner/", views.partner_dashboard, name="partner_dashboard"),
    path("vendors/<int:vendor_id>/dashboard/", views.vendor_dashboard, name="vendor_dashboard"),
    path("network/dashboard/", views.network_dashboard, name="network_dashboard"),
]
