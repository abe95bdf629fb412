"""Printing a series: from the database to the PDF writer, streaming (one chunk of coupons at a time)."""

from typing import BinaryIO

from django.conf import settings
from django.utils import translation

from pcn.coupons import codes
from pcn.coupons.models import Series
from pcn.coupons.printing import PrintableCoupon, print_coupons


def coupon_url(code: str) -> str:
    """What the QR holds: the coupon's public check page."""
    return f"{settings.PUBLIC_BASE_URL}/c/{code}"


def series_printables(series: Series, language: str):
    with translation.override(language):
        program_name = series.season.program.name
        class_name = series.coupon_class.name
        products = ", ".join(series.coupon_class.get_categories_display())
    label = f"{'Série' if language == 'fr' else 'Series'} {series.number}"
    rows = series.coupons.order_by("number").values_list("code", "number", "booklet").iterator(chunk_size=5000)
    for code, number, booklet in rows:
        yield PrintableCoupon(
            code_display=codes.display(code),
            url=coupon_url(code),
            value_cents=series.denomination_cents,
            program_name=program_name,
            class_name=class_name,
            class_products=products,
            valid_from=series.valid_from,
            valid_until=series.valid_until,
            colour=series.colour,
            series_label=label,
            number=number,
            booklet=booklet,
        )


def series_print(series: Series, out: BinaryIO, *, language: str = "fr", on_progress=None) -> int:
    """Write the series' printable PDF to `out`. Refuses a voided series."""
    if series.status == Series.Status.VOID:
        raise SeriesVoidError(series)
    return print_coupons(
        series_printables(series, language),
        out,
        language=language,
        booklet_mode=bool(series.booklet_size),
        on_progress=on_progress,
        title=f"{series.season.program.name} · {series.season.name} · {series}",
    )


class SeriesVoidError(Exception):
    def __init__(self, series: Series):
        super().__init__(f"series {series.pk} is void")
