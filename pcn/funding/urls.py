from django.urls import path

from pcn.funding import views

urlpatterns = [
    path("programs/<int:program_id>/funding/", views.program_funding, name="program_funding"),
    path("programs/<int:program_id>/grants/new/", views.grant_create, name="grant_create"),
    path("grants/<int:grant_id>/", views.grant_detail, name="grant_detail"),
    path("grants/<int:grant_id>/edit/", views.grant_edit, name="grant_edit"),
    path("grants/<int:grant_id>/expenses/", views.expense_create, name="expense_create"),
    path("seasons/<int:season_id>/funding/", views.season_funding, name="season_funding"),
]
