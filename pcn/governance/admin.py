from django.contrib import admin

from pcn.governance.models import Agreement, CommitteeMember, Decision

admin.site.register(CommitteeMember, list_display=["name", "role", "organization", "program"])
admin.site.register(Agreement, list_display=["kind", "organization", "vendor", "signed_on", "program"])
admin.site.register(Decision, list_display=["decided_on", "title", "program"])
