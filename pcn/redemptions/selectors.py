"""Reads about redemptions: what recording a code would answer (without recording it), and the stacks of
coupons a market manager enters for a vendor, line by line with their totals by denomination."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcn.coupons import codes
from pcn.markets.models import Market, Vendor
from pcn.redemptions import services
from pcn.redemptions.explain import explain
from pcn.redemptions.models import Outcome, Redemption, RedemptionCount, Source

# How a line looks: green (taken), orange (taken but flagged, or set aside for review), red (refused).
OK, REVIEW, REFUSED = "ok", "review", "refused"

# Said of a line whose code came earlier in the same stack ("%(line)s": the earlier line's number).
DUPLICATE = _("Déjà dans cette pile (ligne %(line)s). Scanné deux fois ? Retirez cette ligne. Sinon, ce coupon "
              "sera refusé : un coupon n'est remboursé qu'une fois.")


def redemption_preview(*, vendor: Vendor, code: str, market: Market | None = None, source: str = Source.MARKET,
                       by=None) -> Redemption:
    """What `services.redemption_record` would answer for this code now, without writing anything: an unsaved
    Redemption whose code, coupon, value, outcome and reason come from the same rules
    (`services.redemption_judge`), ready for `explain`. Only a hint: a redemption elsewhere may change the
    answer before the code is recorded, and recording decides."""
    now = timezone.now()
    row = Redemption(
        program_id=vendor.program_id, vendor=vendor, market=market, code=(code or "").strip()[:40], value_cents=0,
        source=source, nonce="preview", recorded_at=now,
    )
    if by is not None:
        row.recorded_by = by
    services.redemption_judge(row, code=code, when=now, lock=False)
    return row


def tone(redemption: Redemption) -> str:
    if redemption.outcome == Outcome.ACCEPTED:
        return REVIEW if redemption.unissued else OK
    return REVIEW if redemption.outcome == Outcome.REVIEW else REFUSED


def display_code(redemption: Redemption) -> str:
    """K7M2-9XQ4-PD3A when the code could be read, else what was typed."""
    return codes.display(redemption.code) if codes.is_valid(redemption.code) else redemption.code


def market_vendors(market: Market) -> QuerySet[Vendor]:
    """The vendors who sell at one of the market's sale points, by name."""
    return Vendor.objects.filter(program_id=market.program_id, sale_points__market=market).distinct().order_by(
        "business_name"
    )


# A stack of coupons


@dataclass
class StackLine:
    number: int  # 1, 2, 3… in the order entered
    typed: str
    redemption: Redemption  # saved, or a preview
    duplicate_of: int | None = None  # the number of the earlier line with the same code
    key: str = ""  # the line's part of its nonce, for a preview waiting to be saved

    @property
    def tone(self) -> str:
        return REFUSED if self.duplicate_of else tone(self.redemption)

    @property
    def code(self) -> str:
        return display_code(self.redemption)

    @property
    def message(self) -> str:
        if self.duplicate_of:
            return DUPLICATE % {"line": self.duplicate_of}
        return explain(self.redemption)

    @property
    def counted(self) -> bool:
        return self.duplicate_of is None and self.redemption.outcome == Outcome.ACCEPTED


@dataclass
class DenominationTotal:
    value_cents: int
    count: int = 0
    total_cents: int = 0


@dataclass
class StackTotals:
    by_denomination: list[DenominationTotal] = field(default_factory=list)
    count: int = 0
    value_cents: int = 0
    refused: int = 0
    review: int = 0


def stack_lines(pairs: Iterable[tuple[str, Redemption]], keys: Iterable[str] | None = None) -> list[StackLine]:
    """Lines in the order entered, each later line whose code already came earlier marked as a duplicate of
    the first (recording it would refuse it as already redeemed, or for the same reason as the first)."""
    lines, first_line = [], {}
    keys = list(keys) if keys is not None else None
    for i, (typed, redemption) in enumerate(pairs):
        line = StackLine(number=i + 1, typed=typed, redemption=redemption, key=keys[i] if keys else "")
        same = (redemption.code or typed).upper()
        if same in first_line and redemption.pk is None:
            line.duplicate_of = first_line[same]
        first_line.setdefault(same, line.number)
        lines.append(line)
    return lines


def stack_totals(lines: Iterable[StackLine]) -> StackTotals:
    totals = StackTotals()
    by_value: dict[int, DenominationTotal] = {}
    for line in lines:
        if line.counted:
            value = line.redemption.value_cents
            row = by_value.setdefault(value, DenominationTotal(value))
            row.count += 1
            row.total_cents += value
            totals.count += 1
            totals.value_cents += value
        if line.tone == REVIEW:
            totals.review += 1
        elif line.tone == REFUSED:
            totals.refused += 1
    totals.by_denomination = [by_value[v] for v in sorted(by_value)]
    return totals


def stack_preview(*, vendor: Vendor, market: Market, typed: list[str], keys: list[str], by=None) -> list[StackLine]:
    """Each typed code checked as if recorded now, duplicates in the stack flagged."""
    return stack_lines(
        ((code, redemption_preview(vendor=vendor, code=code, market=market, by=by)) for code in typed), keys
    )


def stack_saved(*, market: Market, by, stack: str) -> list[StackLine]:
    """The lines of a stack the user saved at this market, in the order recorded. (A later line with the code
    of an earlier one was refused as already redeemed: it shows its own reason, not as a duplicate.)"""
    rows = (
        Redemption.objects.filter(market=market, recorded_by=by, source=Source.MARKET, nonce__startswith=f"{stack}.")
        .select_related("vendor", "coupon__series__coupon_class", "season", "conflicts_with__market",
                        "conflicts_with__vendor")
        .order_by("pk")
    )
    return stack_lines((r.code, r) for r in rows)


def counts_saved(*, market: Market, by, nonce: str) -> list[RedemptionCount]:
    return list(
        RedemptionCount.objects.filter(market=market, recorded_by=by, nonce=nonce)
        .select_related("vendor", "season")
        .order_by("denomination_cents")
    )
