from django.contrib import admin

from pcn.markets.models import Market, SalePoint, Vendor, VendorAuthorization


class SalePointInline(admin.StackedInline):
    model = SalePoint
    extra = 0


@admin.register(Market)
class MarketAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "program"]
    list_filter = ["program"]
    search_fields = ["name", "municipality"]
    inlines = [SalePointInline]


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["business_name", "kind", "program"]
    list_filter = ["program", "kind"]
    search_fields = ["business_name"]
    filter_horizontal = ["sale_points"]


admin.site.register(VendorAuthorization, list_display=["vendor", "season", "authorized_at", "revoked_at"])
