from django.urls import path

from pcn.imports import views

urlpatterns = [
    path("programs/<int:program_id>/import/", views.import_start, name="import_start"),
    path("programs/<int:program_id>/import/<slug:kind>/", views.import_upload, name="import_upload"),
    path("programs/<int:program_id>/import/<slug:kind>/preview/", views.import_preview, name="import_preview"),
    path("seasons/<int:season_id>/import/households/", views.household_import_upload, name="household_import_upload"),
    path("seasons/<int:season_id>/import/households/preview/", views.household_import_preview,
         name="household_import_preview"),
    path("import/templates/<slug:kind>.<str:fmt>", views.import_template, name="import_template"),
]
