from django.urls import path

from pcn.coupons import closeout_views, public, views

urlpatterns = [
    # Public: no login (what a phone camera opens from the QR).
    path("c/", public.coupon_check, name="coupon_check_form"),
    path("c/<str:code>", public.coupon_check, name="coupon_check"),
    path("seasons/<int:season_id>/coupons/", views.season_stock, name="season_stock"),
    path("seasons/<int:season_id>/series/new/", views.series_create, name="series_create"),
    path("seasons/<int:season_id>/coupons/<str:kind>/", views.coupons_move, name="coupons_move"),
    path("series/<int:series_id>/", views.series_detail, name="series_detail"),
    path("series/<int:series_id>/print/", views.series_print, name="series_print"),
    path("series/<int:series_id>/void/", views.series_void, name="series_void"),
    *closeout_views.urlpatterns,
]
