from django.urls import path

from pcn.research import views

urlpatterns = [
    path("programs/<int:program_id>/research/", views.research_sharing, name="research_sharing"),
    path("research/", views.research_home, name="research_home"),
    path("seasons/<int:season_id>/research/export/", views.research_export, name="research_export"),
]
