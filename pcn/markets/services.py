"""Writes for markets, sale points, vendors and vendor authorizations. Views, commands and imports all call these."""

import datetime
from collections.abc import Iterable
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from pcn.markets.models import Market, OpeningHours, SalePoint, Vendor, VendorAuthorization, Weekday
from pcn.markets.selectors import format_stretch, format_time_of_day
from pcn.programs.models import Season


@transaction.atomic
def market_save(*, market: Market) -> Market:
    """Create or update a market after checking every rule on it."""
    if market.operator_id and market.operator.program_id != market.program_id:
        raise ValidationError({"operator": _("L'organisme gestionnaire doit être une organisation de ce programme.")})
    market.full_clean()
    market.save()
    return market


Hours = tuple[int, datetime.time, datetime.time]  # weekday (0 = Monday), opens at, closes at (local time)


@transaction.atomic
def sale_point_save(*, sale_point: SalePoint, hours: Iterable[Hours] | None = None) -> SalePoint:
    """Create or update a sale point after checking every rule on it.

    With `hours`, its opening hours are replaced too (see `sale_point_set_hours`), in the same
    transaction: the hours are checked before anything is written, so either both are saved or neither.
    """
    sale_point.full_clean()
    if hours is not None:
        hours = opening_hours_check(hours)
    sale_point.save()
    if hours is not None:
        _replace_hours(sale_point, hours)
    return sale_point


@transaction.atomic
def sale_point_set_hours(*, sale_point: SalePoint, hours: Iterable[Hours]) -> SalePoint:
    """Replace the sale point's opening hours with `hours`: (weekday 0 = Monday … 6 = Sunday, opens, closes).

    Nothing is saved unless every stretch holds: a day of the week, closing after opening, and no two
    stretches of a day overlapping (9 h à 12 h and 12 h à 17 h touch, which is fine). An empty list
    leaves the sale point with no hours.

    Locking: the sale point row is locked for the transaction, so two people saving at once leave one
    whole week or the other, never a mix.
    """
    _replace_hours(sale_point, opening_hours_check(hours))
    return sale_point


def _replace_hours(sale_point: SalePoint, hours: list[Hours]) -> None:
    SalePoint.objects.select_for_update().get(pk=sale_point.pk)
    sale_point.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(sale_point=sale_point, weekday=weekday, opens_at=opens, closes_at=closes)
        for weekday, opens, closes in hours
    )


def opening_hours_check(hours: Iterable[Hours]) -> list[Hours]:
    """The stretches sorted by day and time, or a ValidationError listing every problem in plain words.

    Each error carries `params["weekday"]` and `params["at"]` (when the stretch at fault opens: the
    later one of an overlap), so that a form can show it on the right line.
    """
    hours = [tuple(row) for row in hours]
    problems = []
    valid = []
    for weekday, opens, closes in hours:
        if weekday not in Weekday.values:
            problems.append(
                ValidationError(
                    _("Choisissez un jour de la semaine, de lundi à dimanche."),
                    code="weekday",
                    params={"weekday": None, "at": opens},
                )
            )
        elif closes <= opens:
            problems.append(
                ValidationError(
                    _("%(day)s : l'heure de fermeture (%(closes)s) doit venir après l'heure d'ouverture (%(opens)s)."),
                    code="closes_before_opens",
                    params={"day": capfirst(Weekday(weekday).label), "opens": format_time_of_day(opens),
                            "closes": format_time_of_day(closes), "weekday": weekday, "at": opens},
                )
            )
        else:
            valid.append((weekday, opens, closes))
    valid.sort()
    for (day, opens, closes), (next_day, next_opens, next_closes) in pairwise(valid):
        if day == next_day and next_opens < closes:
            problems.append(
                ValidationError(
                    _("%(day)s : les heures %(first)s et %(second)s se chevauchent. Corrigez-les, ou réunissez-les "
                      "en une seule plage."),
                    code="overlap",
                    params={
                        "day": capfirst(Weekday(day).label),
                        "first": format_stretch(opens, closes),
                        "second": format_stretch(next_opens, next_closes),
                        "weekday": day,
                        "at": next_opens,
                    },
                )
            )
    if problems:
        raise ValidationError(problems)
    return valid


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
    active = VendorAuthorization.objects.active().filter(vendor=vendor, season=season).first()
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
    active = VendorAuthorization.objects.active().filter(vendor=vendor, season=season).first()
    if active is None:
        return None
    updated = VendorAuthorization.objects.filter(pk=active.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    if not updated:
        return None
    active.refresh_from_db()
    return active
