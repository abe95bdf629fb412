"""The custody ledger: appending hash-chained events, and checking the whole chain and the balances.

Each season has its own chain. An event's hash covers all its fields, the coupons it moved and the
previous event's hash; the first event of a season links to GENESIS. Appending takes a lock on the
season row, so events of one season are written one at a time and the chain never forks.
"""

import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent, CustodyEventRange
from pcn.programs.models import Season

GENESIS = "0" * 64


def event_hash(event: CustodyEvent, ranges: list[tuple[int, int, int]]) -> str:
    """SHA-256 over a canonical JSON of the event's fields, its ranges and the previous hash."""
    payload = {
        "season": event.season_id,
        "sequence": event.sequence,
        "kind": event.kind,
        "from_status": event.from_status,
        "from_partner": event.from_partner_id,
        "to_status": event.to_status,
        "to_partner": event.to_partner_id,
        "coupon_count": event.coupon_count,
        "value_cents": event.value_cents,
        "reason": event.reason,
        "note": event.note,
        "by": event.by_id,
        "at": event.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "source": event.source,
        "ranges": sorted([list(r) for r in ranges]),
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def event_append(
    *,
    season: Season,
    kind: str,
    from_status: str,
    from_partner,
    to_status: str,
    to_partner,
    ranges: list[tuple[int, int, int]],
    coupon_count: int,
    value_cents: int,
    by,
    source: str,
    reason: str = "",
    note: str = "",
) -> CustodyEvent:
    """Append one event at the end of the season's chain. The caller holds the season row lock
    (`Season.objects.select_for_update()`) inside the same transaction."""
    last = CustodyEvent.objects.filter(season=season).order_by("-sequence").values("sequence", "hash").first()
    event = CustodyEvent(
        season=season,
        sequence=(last["sequence"] + 1) if last else 1,
        kind=kind,
        from_status=from_status,
        from_partner=from_partner,
        to_status=to_status,
        to_partner=to_partner,
        coupon_count=coupon_count,
        value_cents=value_cents,
        reason=reason,
        note=note,
        by=by,
        at=timezone.now(),
        source=source,
        prev_hash=last["hash"] if last else GENESIS,
    )
    event.hash = event_hash(event, ranges)
    event.save()
    CustodyEventRange.objects.bulk_create(
        CustodyEventRange(event=event, series_id=series_id, first_number=first, last_number=last_number)
        for series_id, first, last_number in ranges
    )
    return event


@dataclass
class Problem:
    season: Season
    message: str
    event_id: int | None = None


def _position(status: str, partner_id: int | None) -> tuple[str, int | None]:
    return (status, partner_id)


def season_verify(season: Season) -> list[Problem]:
    """Re-compute the season's chain, replay its events into balances, and compare them with where the
    coupons are. Returns the problems found, the first broken link first."""
    problems: list[Problem] = []
    ranges: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for r in CustodyEventRange.objects.filter(event__season=season).values_list(
        "event_id", "series_id", "first_number", "last_number"
    ):
        ranges[r[0]].append(r[1:])

    expected_prev = GENESIS
    balances: dict[tuple[str, int | None], list[int]] = defaultdict(lambda: [0, 0])
    issued_value = 0
    for number, event in enumerate(CustodyEvent.objects.filter(season=season).order_by("sequence"), start=1):
        if event.sequence != number or event.prev_hash != expected_prev:
            problems.append(Problem(season, _("l'événement n° %(n)s ne suit pas le précédent : la chaîne est rompue")
                                    % {"n": event.sequence}, event.pk))
            break
        if event_hash(event, ranges[event.pk]) != event.hash:
            problems.append(Problem(season, _("l'événement n° %(n)s a été modifié après son inscription")
                                    % {"n": event.sequence}, event.pk))
            break
        moved = sum(last - first + 1 for _series, first, last in ranges[event.pk])
        if moved != event.coupon_count:
            problems.append(Problem(season, _("l'événement n° %(n)s déplace %(moved)s coupons mais en annonce %(count)s")
                                    % {"n": event.sequence, "moved": moved, "count": event.coupon_count}, event.pk))
            break
        expected_prev = event.hash
        if event.kind == CustodyEvent.Kind.ISSUE:
            issued_value += event.value_cents
        else:
            source = balances[_position(event.from_status, event.from_partner_id)]
            source[0] -= event.coupon_count
            source[1] -= event.value_cents
        target = balances[_position(event.to_status, event.to_partner_id)]
        target[0] += event.coupon_count
        target[1] += event.value_cents
    if problems:
        return problems

    actual = {
        _position(row["status"], row["partner"]): [row["n"], row["value"]]
        for row in Coupon.objects.filter(season=season)
        .values("status", "partner")
        .annotate(n=Count("id"), value=Sum("value_cents"))
    }
    ledger = {position: totals for position, totals in balances.items() if totals != [0, 0]}
    if ledger != actual:
        for position in sorted(set(ledger) | set(actual), key=str):
            if ledger.get(position, [0, 0]) != actual.get(position, [0, 0]):
                status, partner = position
                problems.append(Problem(season, _(
                    "« %(where)s »%(partner)s : le registre dit %(ledger_n)s coupons (%(ledger_v)s ¢), "
                    "les coupons disent %(actual_n)s (%(actual_v)s ¢)"
                ) % {
                    "where": CouponStatus(status).label,
                    "partner": f" #{partner}" if partner else "",
                    "ledger_n": ledger.get(position, [0, 0])[0],
                    "ledger_v": ledger.get(position, [0, 0])[1],
                    "actual_n": actual.get(position, [0, 0])[0],
                    "actual_v": actual.get(position, [0, 0])[1],
                }))
    held_value = sum(value for _n, value in actual.values())
    if held_value != issued_value:
        problems.append(Problem(season, _("valeur émise %(issued)s ¢, valeur retrouvée %(held)s ¢")
                                % {"issued": issued_value, "held": held_value}))
    return problems
