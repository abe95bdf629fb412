"""What the API sends for each object: plain dicts, money in integer cents, dates as ISO 8601 (times are
turned into UTC by pcn.api.http.Encoder). Keep each in step with its schema in pcn.api.openapi (tested)."""

from pcn.coupons.models import CouponStatus, Series


def series_json(series: Series) -> dict:
    return {
        "id": series.pk,
        "season_id": series.season_id,
        "number": series.number,
        "denomination_cents": series.denomination_cents,
        "coupon_class": {"id": series.coupon_class_id, "name": series.coupon_class.name},
        "colour": series.colour,
        "valid_from": series.valid_from,
        "valid_until": series.valid_until,
        "funding_source": series.funding_source,
        "count": series.count,
        "booklet_size": series.booklet_size,
        "value_cents": series.value_cents,
        "status": series.status,
        "issued_at": series.issued_at,
    }


def series_detail_json(series: Series, holdings: dict[str, int]) -> dict:
    """The series, and how many of its coupons are in each state (every state named, zeros included)."""
    return {**series_json(series), "coupons_by_status": {s: holdings.get(s, 0) for s in CouponStatus.values}}
