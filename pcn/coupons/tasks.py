"""Background work of the coupons app (run by `pcn worker`)."""

from django.utils.translation import gettext_noop

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from pcn.coupons import closeout
from pcn.coupons.models import Series
from pcn.programs.models import Season
from pcn.coupons.printjobs import series_print
from pcn.tasks.registry import TaskError, register


@register("coupons.print_series")
def print_series_task(progress, *, series_id: int, language: str = "fr") -> None:
    series = Series.objects.select_related("season__program", "coupon_class").get(pk=series_id)
    if series.status == Series.Status.VOID:
        raise TaskError(gettext_noop("Cette série a été annulée depuis : elle ne s'imprime plus."))
    progress.set_total(series.count)
    done_before = 0

    def advance(done: int) -> None:
        nonlocal done_before
        progress.advance(done - done_before)
        done_before = done

    name = f"serie-{series.number}-{series.season.name}.pdf".replace(" ", "-")
    with progress.open_result(name) as out:
        series_print(series, out, language=language, on_progress=advance)


@register("coupons.close_season")
def close_season_task(progress, *, season_id: int, by_id: int) -> None:
    """Close a season in the background: on a city's season (hundreds of thousands of coupons to expire and
    the whole ledger to verify) it takes minutes, longer than a web request may last."""
    season = Season.objects.get(pk=season_id)
    by = get_user_model().objects.get(pk=by_id)
    progress.set_total(1)
    try:
        closeout.season_close(season=season, by=by)
    except ValidationError as error:
        raise TaskError(" ".join(error.messages)) from None
    progress.advance()
