from django.contrib import admin

from pcn.accounts.admin import SupportAdmin, SupportTabularInline
from pcn.programs.models import CouponClass, Denomination, EntitlementRow, Network, Organization, Program, Season


@admin.register(Network)
class NetworkAdmin(SupportAdmin):
    network_lookup = "pk"


@admin.register(Organization)
class OrganizationAdmin(SupportAdmin):
    list_display = ["name", "kind", "program"]
    list_filter = ["kind"]
    search_fields = ["name"]


class EntitlementInline(SupportTabularInline):
    model = EntitlementRow
    network_lookup = "season__program__network"


class DenominationInline(SupportTabularInline):
    model = Denomination
    network_lookup = "season__program__network"


class CouponClassInline(SupportTabularInline):
    model = CouponClass
    network_lookup = "season__program__network"


@admin.register(Program)
class ProgramAdmin(SupportAdmin):
    network_lookup = "network"
    list_display = ["name", "kind", "region", "network"]
    search_fields = ["name"]


@admin.register(Season)
class SeasonAdmin(SupportAdmin):
    list_display = ["name", "program", "starts_on", "ends_on", "weeks", "frequency"]
    inlines = [EntitlementInline, DenominationInline, CouponClassInline]
