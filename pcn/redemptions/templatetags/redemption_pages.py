"""Pieces of redemption pages shown inside other apps' pages: a vendor's devices on the vendor page, the
season's redemptions (with what waits for the coordination) on the season page."""

from django import template

from pcn.redemptions.access import can_revoke_devices
from pcn.redemptions.alerts import season_alerts
from pcn.redemptions.models import Redemption

register = template.Library()


@register.inclusion_tag("redemptions/devices.html", takes_context=True)
def vendor_devices(context, vendor):
    """{% vendor_devices vendor %}: the vendor's linked phones, with a revoke button for the coordination and
    the vendor itself. The page around it already checked that the user may see the vendor."""
    user = context["request"].user
    return {
        "vendor": vendor,
        "devices": vendor.devices.select_related("linked_by", "revoked_by").order_by("revoked_at", "-linked_at"),
        "can_revoke": can_revoke_devices(user, vendor),
    }


@register.inclusion_tag("redemptions/review_season_card.html")
def season_redemptions_card(season):
    """{% season_redemptions_card season %}: links to the season's redemptions, review queue and alerts, with
    how many wait. The season page is for those who read the program's configuration."""
    return {
        "season": season,
        "waiting": Redemption.objects.filter(season=season).awaiting_review().count(),
        "alert_count": season_alerts(season).count,
    }
