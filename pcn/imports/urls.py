"""One address per kind (the kind is a fixed part of the path, passed to the view as a default), so that
no address takes a free-form word: a mistyped kind is a plain 404, and links are reversed with
`kind=` as a keyword (`{% url 'import_upload' program_id=program.pk kind='vendors' %}`)."""

from django.urls import path

from pcn.imports import views

PROGRAM_KINDS = ("markets", "vendors", "partners")

urlpatterns = [
    path("programs/<int:program_id>/import/", views.import_start, name="import_start"),
    path("seasons/<int:season_id>/import/households/", views.household_import_upload, name="household_import_upload"),
    path("seasons/<int:season_id>/import/households/preview/", views.household_import_preview,
         name="household_import_preview"),
]
for _kind in PROGRAM_KINDS:
    urlpatterns += [
        path(f"programs/<int:program_id>/import/{_kind}/", views.import_upload, {"kind": _kind}, name="import_upload"),
        path(f"programs/<int:program_id>/import/{_kind}/preview/", views.import_preview, {"kind": _kind},
             name="import_preview"),
    ]
for _kind in (*PROGRAM_KINDS, "households"):
    for _fmt in ("xlsx", "csv"):
        urlpatterns.append(
            path(f"import/templates/{_kind}.{_fmt}", views.import_template, {"kind": _kind, "fmt": _fmt},
                 name="import_template")
        )
