from django.urls import path

from pcn.programs import views

urlpatterns = [
    path("network/", views.network_home, name="network_home"),
    path("network/programs/new/", views.program_create, name="program_create"),
    path("programs/<int:program_id>/", views.program_detail, name="program_detail"),
    path("programs/<int:program_id>/edit/", views.program_edit, name="program_edit"),
    path("programs/<int:program_id>/seasons/", views.season_list, name="season_list"),
    path("programs/<int:program_id>/seasons/new/", views.season_create, name="season_create"),
    path("seasons/<int:season_id>/", views.season_detail, name="season_detail"),
    path("seasons/<int:season_id>/edit/", views.season_edit, name="season_edit"),
    path("seasons/<int:season_id>/amounts/", views.season_entitlements, name="season_entitlements"),
    path("seasons/<int:season_id>/denominations/", views.season_denominations, name="season_denominations"),
    path("seasons/<int:season_id>/classes/new/", views.coupon_class_create, name="coupon_class_create"),
    path("coupon-classes/<int:coupon_class_id>/edit/", views.coupon_class_edit, name="coupon_class_edit"),
    path("programs/<int:program_id>/organizations/", views.organization_list, name="organization_list"),
    path("programs/<int:program_id>/organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:organization_id>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:organization_id>/edit/", views.organization_edit, name="organization_edit"),
]
