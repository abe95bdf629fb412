"""Django's admin is a support tool: network admins may look at their network's rows (read-only, so that
every change goes through the services and their rules); superusers (the platform's operators) may also
change what is not append-only. It is never the user interface."""

from django.contrib import admin

from pcn.accounts.access import networks_for_user
from pcn.accounts.models import Membership, Role


def _admin_network_ids(request) -> list[int]:
    return [n.pk for n in networks_for_user(request.user, roles=[Role.NETWORK_ADMIN])]


class SupportPermissions:
    """Permission rules shared by the support ModelAdmins and inlines. `network_lookup` is the path from
    the model to its network; `append_only` models are never changed or deleted here."""

    network_lookup = "program__network"
    append_only = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.network_lookup}__in": _admin_network_ids(request)})

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(_admin_network_ids(request))

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and not self.append_only

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and not self.append_only

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and not self.append_only


class SupportAdmin(SupportPermissions, admin.ModelAdmin):
    pass


class SupportTabularInline(SupportPermissions, admin.TabularInline):
    extra = 0


class SupportStackedInline(SupportPermissions, admin.StackedInline):
    extra = 0


def _has_permission(request) -> bool:
    user = request.user
    return user.is_active and (user.is_superuser or bool(_admin_network_ids(request)))


admin.site.has_permission = _has_permission
admin.site.site_header = "pcn · support"


@admin.register(Membership)
class MembershipAdmin(SupportAdmin):
    list_display = ["user", "role", "network", "program", "organization", "market", "vendor"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]

    def get_queryset(self, request):
        queryset = super(SupportPermissions, self).get_queryset(request)  # both paths below, not one
        if request.user.is_superuser:
            return queryset
        networks = _admin_network_ids(request)
        return queryset.filter(program__network__in=networks) | queryset.filter(network__in=networks)
