"""Writes for markets, sale points, vendors and vendor authorizations. Views, commands and imports all call these."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcn.markets.models import Market, SalePoint, Vendor, VendorAuthorization
from pcn.programs.models import Season


@transaction.atomic
def market_save(*, market: Market) -> Market:
    """Create or update a market after checking every rule on it."""
    if market.operator_id and market.operator.program_id != market.program_id:
        raise ValidationError({"operator": _("L'organisme gestionnaire doit être une organisation de ce programme.")})
    market.full_clean()
    market.save()
    return market


@transaction.atomic
def sale_point_save(*, sale_point: SalePoint) -> SalePoint:
    sale_point.full_clean()
    sale_point.save()
    return sale_point


@transaction.atomic
def vendor_save(*, vendor: Vendor, sale_points: Iterable[SalePoint]) -> Vendor:
    """Create or update a vendor and set where it sells.

    A vendor sells at one sale point at least, and only at sale points of its own program. Nothing is
    saved unless every rule holds.
    """
    sale_points = list(sale_points)
    if not sale_points:
        raise ValidationError({"sale_points": _("Choisissez au moins un point de vente où ce marchand vend.")})
    ids = {sp.pk for sp in sale_points}
    in_program = SalePoint.objects.filter(pk__in=ids, market__program_id=vendor.program_id).count()
    if None in ids or in_program != len(ids):
        raise ValidationError(
            {"sale_points": _("Choisissez seulement des points de vente des marchés de ce programme.")}
        )
    vendor.full_clean()
    vendor.save()
    vendor.sale_points.set(sale_points)
    return vendor


@transaction.atomic
def vendor_authorize(*, vendor: Vendor, season: Season, by) -> VendorAuthorization:
    """Authorize the vendor for the season, so that its coupons of that season can be paid.

    Authorizing an already authorized vendor changes nothing and returns the active authorization.

    Locking: the vendor row is locked for the transaction, so two people authorizing at once create one
    row; the partial unique constraint `vendor_authorized_once_per_season` backs this up.
    """
    if vendor.program_id != season.program_id:
        raise ValidationError(
            _("« %(vendor)s » n'est pas un marchand de ce programme : il ne peut pas être autorisé pour cette saison.")
            % {"vendor": vendor.business_name}
        )
    Vendor.objects.select_for_update().get(pk=vendor.pk)
    active = VendorAuthorization.objects.filter(vendor=vendor, season=season, revoked_at__isnull=True).first()
    if active is not None:
        return active
    authorization = VendorAuthorization(vendor=vendor, season=season, authorized_by=by)
    authorization.full_clean()
    authorization.save()
    return authorization


@transaction.atomic
def vendor_revoke(*, vendor: Vendor, season: Season, by) -> VendorAuthorization | None:
    """Withdraw the vendor's authorization for the season.

    The authorization row is kept (revoked_at, revoked_by set), so the history shows who authorized and
    who withdrew, and when (UTC). Returns the revoked row, or None when the vendor was not authorized.

    Locking: a conditional update on the active row, so two people revoking at once revoke it once.
    """
    if vendor.program_id != season.program_id:
        raise ValidationError(
            _("« %(vendor)s » n'est pas un marchand de ce programme.") % {"vendor": vendor.business_name}
        )
    active = VendorAuthorization.objects.filter(vendor=vendor, season=season, revoked_at__isnull=True).first()
    if active is None:
        return None
    updated = VendorAuthorization.objects.filter(pk=active.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    if not updated:
        return None
    active.refresh_from_db()
    return active
