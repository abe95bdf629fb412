"""Reads for coupons: turning what people type into coupon ranges, and where the season's coupons are."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _

from pcn.coupons import codes
from pcn.coupons.ledger import holder_totals
from pcn.coupons.models import Coupon, CouponStatus, Series
from pcn.programs.models import Organization, Season


def ranges_for_booklets(series: Series, text: str) -> list[tuple[int, int, int]]:
    """Booklets typed as "3, 5-8" → the coupon ranges they hold."""
    if not series.booklet_size:
        raise ValidationError(_("Cette série n'est pas imprimée en carnets : choisissez des numéros de coupons."))
    ranges = []
    for first, last in _number_ranges(text):
        if last > series.booklet_count:
            raise ValidationError(
                _("La série %(series)s a %(count)s carnets : le carnet %(n)s n'existe pas.")
                % {"series": series.number, "count": series.booklet_count, "n": last}
            )
        ranges.append(
            (series.pk, (first - 1) * series.booklet_size + 1, min(last * series.booklet_size, series.count))
        )
    return ranges


def ranges_for_numbers(series: Series, text: str) -> list[tuple[int, int, int]]:
    """Coupon numbers as printed, typed as "1-100, 250" → ranges."""
    ranges = []
    for first, last in _number_ranges(text):
        if last > series.count:
            raise ValidationError(
                _("La série %(series)s a %(count)s coupons : le numéro %(n)s n'existe pas.")
                % {"series": series.number, "count": series.count, "n": last}
            )
        ranges.append((series.pk, first, last))
    return ranges


def _number_ranges(text: str) -> list[tuple[int, int]]:
    parts = [p for p in re.split(r"[,;\s]+", text.replace("–", "-").strip()) if p]
    if not parts:
        raise ValidationError(_("Écrivez au moins un numéro, par exemple « 1-50 » ou « 3, 7, 12 »."))
    result = []
    for part in parts:
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not match:
            raise ValidationError(_("« %(part)s » n'est pas un numéro ni une plage comme « 1-50 ».") % {"part": part})
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first < 1 or last < first:
            raise ValidationError(_("« %(part)s » : le premier numéro doit être 1 ou plus, et pas plus grand que le dernier.")
                                  % {"part": part})
        result.append((first, last))
    return result


def ranges_for_codes(season: Season, text: str) -> list[tuple[int, int, int]]:
    """Codes scanned or typed, one per line (or separated by spaces) → ranges. Every code must be valid and
    belong to this season; the error names the first ones that are not."""
    typed = [line.strip() for line in re.split(r"[\n,;]+", text) if line.strip()]
    if not typed:
        raise ValidationError(_("Scannez ou tapez au moins un code."))
    canonical, bad = [], []
    for item in typed:
        try:
            canonical.append(codes.normalize(item))
        except codes.CodeFormatError:
            bad.append(item)
    if bad:
        raise ValidationError(
            _("Ces codes sont mal tapés (vérifiez chaque caractère) : %(codes)s") % {"codes": ", ".join(bad[:5])}
        )
    found = dict(Coupon.objects.filter(season=season, code__in=canonical).values_list("code", "pk"))
    unknown = [codes.display(c) for c in canonical if c not in found]
    if unknown:
        raise ValidationError(
            _("Ces codes ne sont pas des coupons de cette saison : %(codes)s") % {"codes": ", ".join(unknown[:5])}
        )
    rows = Coupon.objects.filter(pk__in=found.values()).values_list("series_id", "number")
    return [(series_id, number, number) for series_id, number in rows]


@dataclass
class Holding:
    status: str
    label: str
    partner: Organization | None
    count: int
    value_cents: int


def season_holdings(season: Season) -> list[Holding]:
    """Where the season's coupons are: count and value per holder (aggregated in the database)."""
    partners = {o.pk: o for o in season.program.organizations.all()}
    order = list(CouponStatus.values)
    merged: dict[tuple[str, int | None], list[int]] = {}
    for (status, partner_id, _household), (count, value) in holder_totals(season).items():
        totals = merged.setdefault((status, partner_id), [0, 0])  # households are shown together
        totals[0] += count
        totals[1] += value
    holdings = [
        Holding(
            status=status,
            label=str(CouponStatus(status).label),
            partner=partners.get(partner_id),
            count=count,
            value_cents=value,
        )
        for (status, partner_id), (count, value) in merged.items()
    ]
    holdings.sort(key=lambda h: (order.index(h.status), h.partner.name if h.partner else ""))
    return holdings


def series_holdings(series: Series) -> dict[str, int]:
    return dict(series.coupons.values_list("status").annotate(n=Count("id")).order_by())
