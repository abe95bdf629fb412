from django.urls import path

from pcn.receipts import views

urlpatterns = [
    path("seasons/<int:season_id>/receipts/", views.season_receipts, name="season_receipts"),
    path("receipt-samples/<int:sample_id>/", views.sample_results, name="receipt_sample_results"),
    path(
        "receipt-samples/<int:sample_id>/partners/<int:partner_id>/",
        views.stratum_households,
        name="receipt_stratum_households",
    ),
]
