"""Reads about what is owed and what was paid. The rule of what may be paid lives here, once."""

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from pcn.payments.models import BatchItem, Claim, ClaimLine, PaymentBatch
from pcn.programs.models import Season
from pcn.redemptions.models import Outcome, Redemption, RedemptionCount, ReviewDecision

Decision = ReviewDecision.Decision


def payable_redemptions(season: Season) -> QuerySet[Redemption]:
    """The season's redemptions a vendor may be paid for: accepted ones, except those whose conflicting twin
    was decided "refuse both"; and those set aside for review and decided "pay both" (the program books the
    loss). A review decided "pay the first only" adds nothing: the first is already accepted."""
    return Redemption.objects.filter(season=season).filter(
        (Q(outcome=Outcome.ACCEPTED) & ~refused_twin())
        | Q(outcome=Outcome.REVIEW, decision__decision=Decision.PAY_BOTH)
    )


def refused_twin(redemption: str = "pk") -> Exists:
    """The redemption (`redemption`: the outer query's field that holds it) has a twin, the same coupon taken
    offline on another phone, decided « refuse both »: neither is paid."""
    return Exists(Redemption.objects.filter(conflicts_with=OuterRef(redemption), decision__decision=Decision.REFUSE))


def awaiting_twin_decision(redemption: str = "pk") -> Exists:
    """The redemption has a twin waiting for review: it may yet be refused with its twin, so it waits too
    before being claimed or paid."""
    return Exists(Redemption.objects.filter(conflicts_with=OuterRef(redemption), outcome=Outcome.REVIEW,
                                            decision__isnull=True))


def unclaimed_redemptions(season: Season) -> QuerySet[Redemption]:
    return payable_redemptions(season).filter(claim_line__isnull=True).exclude(awaiting_twin_decision())


def unclaimed_counts(season: Season) -> QuerySet[RedemptionCount]:
    return RedemptionCount.objects.filter(season=season, claim_line__isnull=True)


def claim_amount_cents(claim: Claim) -> int:
    """What the claim pays: its lines that were not rejected."""
    return claim.lines.filter(rejected_at__isnull=True).aggregate(t=Coalesce(Sum("amount_cents"), 0))["t"]


def claims_with_amounts(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """Each claim with `claimed_cents` (all lines), `rejected_cents` and `amount_cents` (what it pays)."""
    return queryset.annotate(
        claimed_cents=Coalesce(Sum("lines__amount_cents"), 0),
        rejected_cents=Coalesce(Sum("lines__amount_cents", filter=Q(lines__rejected_at__isnull=False)), 0),
    ).annotate(pays_cents=Coalesce(Sum("lines__amount_cents", filter=Q(lines__rejected_at__isnull=True)), 0))


def claim_status(claim: Claim) -> str:
    item = getattr(claim, "batch_item", None) if claim.pk else None
    if item is not None:
        return Claim.Status.PAID if item.batch.paid_at else Claim.Status.BATCHED
    return Claim.Status.APPROVED if claim.approved_at else Claim.Status.SUBMITTED


def paid_lines(season: Season) -> QuerySet[ClaimLine]:
    """Claim lines paid: not rejected, in a claim of a paid batch."""
    return ClaimLine.objects.filter(
        claim__season=season, rejected_at__isnull=True, claim__batch_item__batch__paid_at__isnull=False
    )


def batch_total_cents(batch: PaymentBatch) -> int:
    return batch.items.aggregate(t=Coalesce(Sum("amount_cents"), 0))["t"]


def season_payment_totals(season: Season) -> dict[str, int]:
    """Owed and paid for the season, in cents: `payable` (every redemption that may be paid), `claimed`,
    `rejected`, `approved` (approved claims, net), `paid` (in paid batches)."""
    payable = payable_redemptions(season).aggregate(t=Coalesce(Sum("value_cents"), 0))["t"]
    payable += RedemptionCount.objects.filter(season=season).aggregate(t=Coalesce(Sum("value_cents"), 0))["t"]
    lines = ClaimLine.objects.filter(claim__season=season).aggregate(
        claimed=Coalesce(Sum("amount_cents"), 0),
        rejected=Coalesce(Sum("amount_cents", filter=Q(rejected_at__isnull=False)), 0),
        approved=Coalesce(Sum("amount_cents", filter=Q(rejected_at__isnull=True, claim__approved_at__isnull=False)), 0),
    )
    paid = BatchItem.objects.filter(batch__season=season, batch__paid_at__isnull=False).aggregate(
        t=Coalesce(Sum("amount_cents"), 0))["t"]
    return {"payable": payable, **lines, "paid": paid}


def season_paid_in_local_currency(season: Season) -> list[dict]:
    """What paid batches settled in a local currency: per currency, `cents` (dollars' worth) and `units`
    (hundredths of a unit, at each batch's rate)."""
    return list(
        BatchItem.objects.filter(batch__season=season, batch__paid_at__isnull=False, local_amount__isnull=False)
        .values(name=F("batch__currency_name")).annotate(cents=Sum("amount_cents"), units=Sum("local_amount"))
        .order_by("name")
    )
