from django.contrib import admin
from django.urls import include, path

# Uploaded files (signed agreements...) are never served as plain media: views serve them after an access check.
urlpatterns = [
    path("", include("pcn.accounts.urls")),
    path("", include("pcn.programs.urls")),
    path("", include("pcn.markets.urls")),
    path("", include("pcn.markets.directory")),  # public: no login
    path("", include("pcn.governance.urls")),
    path("", include("pcn.tasks.urls")),
    path("", include("pcn.coupons.urls")),
    path("", include("pcn.households.urls")),
    path("", include("pcn.redemptions.urls")),
    path("", include("pcn.funding.urls")),
    path("", include("pcn.payments.urls")),
    path("", include("pcn.reports.urls")),
    path("", include("pcn.research.urls")),
    path("", include("pcn.receipts.urls")),
    path("", include("pcn.toolbox.urls")),
    path("", include("pcn.imports.urls")),
    path("", include("pcn.documents.urls")),
    path("", include("pcn.simulator.urls")),
    path("api/v1/", include("pcn.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
