from django.urls import path

from pcn.markets import views

urlpatterns = [
    path("programs/<int:program_id>/markets/", views.market_list, name="market_list"),
    path("programs/<int:program_id>/markets/new/", views.market_create, name="market_create"),
    path("markets/<int:market_id>/", views.market_detail, name="market_detail"),
    path("markets/<int:market_id>/edit/", views.market_edit, name="market_edit"),
    path("markets/<int:market_id>/sale-points/new/", views.sale_point_create, name="sale_point_create"),
    path("sale-points/<int:sale_point_id>/edit/", views.sale_point_edit, name="sale_point_edit"),
    path("programs/<int:program_id>/vendors/", views.vendor_list, name="vendor_list"),
    path("programs/<int:program_id>/vendors/new/", views.vendor_create, name="vendor_create"),
    path("vendors/<int:vendor_id>/", views.vendor_detail, name="vendor_detail"),
    path("vendors/<int:vendor_id>/edit/", views.vendor_edit, name="vendor_edit"),
    path("seasons/<int:season_id>/vendors/", views.season_vendors, name="season_vendors"),
]
