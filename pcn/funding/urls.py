from django.urls import path

from pcn.funding import views
from pcn.reports.tables import FORMATS

urlpatterns = [
    path("programs/<int:program_id>/funding/", views.program_funding, name="program_funding"),
    path("programs/<int:program_id>/grants/new/", views.grant_create, name="grant_create"),
    path("grants/<int:grant_id>/", views.grant_detail, name="grant_detail"),
    path("grants/<int:grant_id>/edit/", views.grant_edit, name="grant_edit"),
    path("grants/<int:grant_id>/expenses/", views.expense_create, name="expense_create"),
    path("seasons/<int:season_id>/funding/", views.season_funding, name="season_funding"),
    path("grants/<int:grant_id>/report.pdf", views.grant_report_pdf, name="grant_report"),
]
# Downloads of the pages' tables: one URL per format (no format in the URL's arguments).
for fmt in FORMATS:
    urlpatterns += [
        path(f"programs/<int:program_id>/funding.{fmt}", views.program_funding_download, {"fmt": fmt},
             name=f"program_funding_{fmt}"),
        path(f"grants/<int:grant_id>/grant.{fmt}", views.grant_download, {"fmt": fmt}, name=f"grant_{fmt}"),
        path(f"seasons/<int:season_id>/funding.{fmt}", views.season_funding_download, {"fmt": fmt},
             name=f"season_funding_{fmt}"),
    ]
