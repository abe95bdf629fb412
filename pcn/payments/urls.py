from django.urls import path

from pcn.payments import views

urlpatterns = [
    path("seasons/<int:season_id>/payments/", views.season_payments, name="season_payments"),
    path("seasons/<int:season_id>/claims/prepare/", views.claims_prepare, name="claims_prepare"),
    path("seasons/<int:season_id>/batches/new/", views.batch_create, name="batch_create"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:claim_id>/approve/", views.claim_approve, name="claim_approve"),
    path("claim-lines/<int:line_id>/reject/", views.claim_line_reject, name="claim_line_reject"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:batch_id>/approve/", views.batch_approve, name="batch_approve"),
    path("batches/<int:batch_id>/pay/", views.batch_pay, name="batch_pay"),
    path("batches/<int:batch_id>/claims/<int:claim_id>/remove/", views.batch_remove_claim, name="batch_remove_claim"),
    path("batches/<int:batch_id>/files/<slug:format>/", views.batch_file, name="batch_file"),
    path("vendors/<int:vendor_id>/payee/", views.payee_edit, name="payee_edit"),
    path("vendors/<int:vendor_id>/statement/", views.vendor_statement_page, name="vendor_statement"),
    path("vendors/<int:vendor_id>/statement.pdf", views.vendor_statement_pdf, name="vendor_statement_pdf"),
    path("vendors/<int:vendor_id>/claim/", views.vendor_claim, name="vendor_claim"),
    path("markets/<int:market_id>/claims/", views.market_claims, name="market_claims"),
    path("programs/<int:program_id>/payment-settings/", views.payment_settings_edit, name="payment_settings"),
]
