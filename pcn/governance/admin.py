from django.contrib import admin

from pcn.governance.models import Agreement, CommitteeMember, Decision

admin.site.register(CommitteeMember, list_display=["name", "role", "organization", "program"])
admin.site.register(Agreement, list_display=["kind", "organization", "vendor", "signed_on", "program"])


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """The decisions log is append-only, in the support tool too."""

    list_display = ["decided_on", "title", "program"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
