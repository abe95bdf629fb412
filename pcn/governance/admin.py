from django.contrib import admin

from pcn.accounts.admin import SupportAdmin
from pcn.governance.models import Agreement, CommitteeMember, Decision


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(SupportAdmin):
    list_display = ["name", "role", "organization", "program"]


@admin.register(Agreement)
class AgreementAdmin(SupportAdmin):
    """Read-only: an uploaded file must go through the page, which checks what it is."""

    append_only = True
    list_display = ["kind", "organization", "vendor", "signed_on", "program"]


@admin.register(Decision)
class DecisionAdmin(SupportAdmin):
    """The decisions log is append-only, in the support tool too."""

    append_only = True
    list_display = ["decided_on", "title", "program"]
