from django.urls import path

from pcn.simulator import views

urlpatterns = [
    path("programs/<int:program_id>/simulator/", views.program_simulator, name="program_simulator"),
    path("programs/<int:program_id>/simulator/new/", views.scenario_create, name="scenario_create"),
    path("programs/<int:program_id>/simulator/compare/", views.simulator_compare, name="simulator_compare"),
    path("programs/<int:program_id>/simulator/compare.pdf", views.simulator_compare_pdf, name="simulator_compare_pdf"),
    path("programs/<int:program_id>/simulator/compare.xlsx", views.simulator_compare_xlsx,
         name="simulator_compare_xlsx"),
    path("scenarios/<int:scenario_id>/", views.scenario_detail, name="scenario_detail"),
    path("scenarios/<int:scenario_id>/edit/", views.scenario_edit, name="scenario_edit"),
    path("scenarios/<int:scenario_id>/copy/", views.scenario_copy, name="scenario_copy"),
    path("scenarios/<int:scenario_id>/delete/", views.scenario_delete, name="scenario_delete"),
    path("scenarios/<int:scenario_id>/scenario.pdf", views.scenario_pdf, name="scenario_pdf"),
    path("scenarios/<int:scenario_id>/scenario.xlsx", views.scenario_xlsx, name="scenario_xlsx"),
]
