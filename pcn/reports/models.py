"""Report facts: a season's sums by week and by party, recomputed from the raw tables (`snapshot.py`).

Dashboards read these few thousand rows instead of scanning millions of coupons and redemptions. Nothing
here is a record: a refresh deletes a season's facts and writes them again from the tables that are.
"""

from django.db import models

from pcn.programs.models import Season


class Measure(models.TextChoices):
    """What a fact counts. `count` is coupons (or households, people, payments), `cents` their value."""

    ISSUED = "issued"  # coupons issued, by class (week of issue)
    ALLOCATED = "allocated"  # coupons given to a partner, by partner and class
    DISTRIBUTED = "distributed"  # coupons handed to households, by the household's partner (today) and class
    SOLD = "sold"  # coupons sold to the public, by seller (partner or none) and class
    RETURNED = "returned"  # coupons a partner gave back to the stock
    VOIDED = "voided"  # coupons voided (lost, stolen, destroyed, misprinted), by class
    EXPIRED = "expired"  # coupons expired at the close, by class
    CARD_CREDITED = "card_credited"  # card credits, by the household's partner (count: credits)
    REACHED = "reached"  # households given coupons or a card credit, by partner, week of the first time
    PEOPLE = "people"  # people in those households (count), same keys
    AGE_0_5 = "age_0_5"
    AGE_6_17 = "age_6_17"
    AGE_18_64 = "age_18_64"
    AGE_65_PLUS = "age_65_plus"
    REDEEMED = "redeemed"  # coupons taken by vendors (accepted, or paid both after review), by market, vendor, class
    REDEEMED_FROM = "redeemed_from"  # the same coupons, by the spending household's partner (today); none when sold
    CARD_SPENT = "card_spent"  # card purchases accepted, by market and vendor (count: purchases)
    CARD_SPENT_FROM = "card_spent_from"  # the same, by the card holder's partner
    COUNTED = "counted"  # coupons counted by face value at a market (codes not read), by market and vendor
    REFUSED = "refused"  # presentations refused at the stall (count only), by market and vendor
    PAID = "paid"  # money paid in paid batches, by vendor or market (count: batch items)


class Fact(models.Model):
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=16, choices=Measure.choices)
    week = models.DateField()  # the Monday of the week (local time), ISO weeks
    # The parties a fact is about, when the measure has them. No database constraint: these rows are rebuilt
    # wholesale and never read on their own.
    partner_id = models.BigIntegerField(null=True)
    market_id = models.BigIntegerField(null=True)
    vendor_id = models.BigIntegerField(null=True)
    coupon_class_id = models.BigIntegerField(null=True)
    count = models.BigIntegerField(default=0)
    cents = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["season", "measure", "week"], name="fact_season_measure_week")]


class Snapshot(models.Model):
    """When a season's facts were last recomputed, how long it took, what the ledger looked like then (to
    tell whether they are still current) and the season's totals from the authoritative reports (the
    close-out's disposition, the funding figures, the payment totals), as JSON of integers."""

    season = models.OneToOneField(Season, on_delete=models.CASCADE, related_name="report_snapshot")
    built_at = models.DateTimeField()
    build_seconds = models.FloatField()
    fingerprint = models.CharField(max_length=200)
    summary = models.JSONField(default=dict)
