from django.contrib import admin

from pcn.accounts.admin import SupportAdmin, SupportStackedInline
from pcn.markets.models import Market, OpeningHours, SalePoint, Vendor, VendorAuthorization


class SalePointInline(SupportStackedInline):
    model = SalePoint
    network_lookup = "market__program__network"


@admin.register(Market)
class MarketAdmin(SupportAdmin):
    list_display = ["name", "municipality", "program"]
    search_fields = ["name", "municipality"]
    inlines = [SalePointInline]


@admin.register(OpeningHours)
class OpeningHoursAdmin(SupportAdmin):
    network_lookup = "sale_point__market__program__network"
    list_display = ["sale_point", "weekday", "opens_at", "closes_at"]


@admin.register(Vendor)
class VendorAdmin(SupportAdmin):
    list_display = ["business_name", "kind", "program"]
    list_filter = ["kind"]
    search_fields = ["business_name"]
    filter_horizontal = ["sale_points"]


@admin.register(VendorAuthorization)
class VendorAuthorizationAdmin(SupportAdmin):
    network_lookup = "season__program__network"
    append_only = True
    list_display = ["vendor", "season", "authorized_at", "revoked_at"]
