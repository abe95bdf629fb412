from django.contrib import admin

from pcn.programs.models import CouponClass, Denomination, EntitlementRow, Network, Organization, Program, Season

admin.site.register(Network)
admin.site.register(Organization, list_display=["name", "kind", "program"], list_filter=["kind", "program"])


class EntitlementInline(admin.TabularInline):
    model = EntitlementRow
    extra = 0


class DenominationInline(admin.TabularInline):
    model = Denomination
    extra = 0


class CouponClassInline(admin.TabularInline):
    model = CouponClass
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "network"]
    search_fields = ["name"]


@admin.register(Season)
class SeasonAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "starts_on", "ends_on", "weeks", "frequency"]
    inlines = [EntitlementInline, DenominationInline, CouponClassInline]
