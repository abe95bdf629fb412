from django.urls import path

from pcn.households import views

urlpatterns = [
    path("seasons/<int:season_id>/partners/", views.season_partners, name="season_partners"),
    path("seasons/<int:season_id>/households/", views.household_list, name="household_list"),
    path("seasons/<int:season_id>/households/new/", views.household_enrol, name="household_enrol"),
    path("seasons/<int:season_id>/distribution-sheet/", views.distribution_sheet, name="distribution_sheet"),
    path("seasons/<int:season_id>/public-sales/", views.public_sales, name="public_sales"),
    path("households/<int:household_id>/", views.household_detail, name="household_detail"),
    path("households/<int:household_id>/leave/", views.household_leave, name="household_leave"),
    path("households/<int:household_id>/distribute/", views.household_distribute, name="household_distribute"),
    path("households/<int:household_id>/move/", views.household_move, name="household_move"),
    path("households/<int:household_id>/card/", views.household_card, name="household_card"),
    path("households/<int:household_id>/consent/", views.household_consent, name="household_consent"),
    path("households/<int:household_id>/export/", views.household_export, name="household_export"),
    path("households/<int:household_id>/anonymize/", views.household_anonymize, name="household_anonymize"),
    path(
        "households/<int:household_id>/not-duplicate/<int:other_id>/",
        views.household_not_duplicate,
        name="household_not_duplicate",
    ),
]
