from django.urls import path

from pcn.governance import views

# Decisions have no edit or delete URL on purpose: the log is append-only.
urlpatterns = [
    path("programs/<int:program_id>/governance/", views.governance, name="governance"),
    path("programs/<int:program_id>/committee/new/", views.committee_member_create, name="committee_member_create"),
    path("committee/<int:member_id>/edit/", views.committee_member_edit, name="committee_member_edit"),
    path("committee/<int:member_id>/remove/", views.committee_member_remove, name="committee_member_remove"),
    path("programs/<int:program_id>/agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:agreement_id>/file/", views.agreement_file, name="agreement_file"),
    path("programs/<int:program_id>/decisions/new/", views.decision_create, name="decision_create"),
]
