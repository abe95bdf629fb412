from django.urls import path

from pcn.documents import views

urlpatterns = [
    path("programs/<int:program_id>/documents/", views.program_documents, name="program_documents"),
    path("programs/<int:program_id>/documents/<str:kind>/<str:language>/", views.program_document_pdf,
         name="program_document_pdf"),
    path("network/documents/", views.document_templates, name="document_templates"),
    path("network/documents/<str:kind>/<str:language>/", views.document_template_edit, name="document_template_edit"),
    path("network/documents/<str:kind>/<str:language>/history/", views.document_template_history,
         name="document_template_history"),
    path("network/documents/<str:kind>/<str:language>/v<int:number>/", views.document_template_version,
         name="document_template_version"),
    path("network/documents/<str:kind>/<str:language>/v<int:number>/sample.pdf", views.document_template_sample,
         name="document_template_sample"),
]
