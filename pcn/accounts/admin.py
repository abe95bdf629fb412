from django.contrib import admin

from pcn.accounts.access import is_network_admin
from pcn.accounts.models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "network", "program", "organization", "market", "vendor"]
    list_filter = ["role", "program"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]


# The admin is a support tool for network admins, not the user interface.
_default_has_permission = admin.site.has_permission


def _has_permission(request) -> bool:
    return _default_has_permission(request) and (request.user.is_superuser or is_network_admin(request.user))


admin.site.has_permission = _has_permission
admin.site.site_header = "pcn · support"
