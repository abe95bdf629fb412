"""Reads for receipt verification: the answers in force, the results per partner and in total, and the
samples a partner still has households to ask in."""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from pcn.receipts import stats
from pcn.receipts.models import Answer, ReceiptAnswer, ReceiptSample, SampledHousehold, SampleStratum
from pcn.reports.tables import COUNT, PERCENT, Column, Table


def latest_answer(field: str = "answer") -> Subquery:
    """The answer in force for a SampledHousehold (OuterRef "pk"): its latest row."""
    return Subquery(
        ReceiptAnswer.objects.filter(sampled=OuterRef("pk")).order_by("-recorded_at", "-pk").values(field)[:1]
    )


def with_answers(queryset):
    return queryset.annotate(current=latest_answer(), current_note=latest_answer("note"),
                             current_at=latest_answer("recorded_at"))


@dataclass
class ResultRow:
    """One partner's figures (or the total: partner None, its `parts` the partners' rows)."""

    partner: object = None
    eligible: int = 0  # households of the partner that were given coupons, at the draw
    asked: int = 0
    sampled: int = 0
    received: int = 0
    not_received: int = 0
    unreachable: int = 0
    withdrawn: int = 0  # anonymized at their request after the draw, without an answer: not to be asked
    took_all: bool = False
    parts: list["ResultRow"] | None = None

    @property
    def answered(self) -> int:
        return self.received + self.not_received + self.unreachable

    @property
    def pending(self) -> int:
        return self.sampled - self.answered - self.withdrawn

    @property
    def rate(self) -> stats.Rate | stats.StratifiedRate | None:
        """A partner's rate: Wilson with the finite population correction. The total's: the stratified
        estimate, each partner weighing by its households given coupons (stats.stratified_rate)."""
        if self.parts is not None:
            return stats.stratified_rate(
                [stats.Stratum(r.received, r.not_received, r.eligible) for r in self.parts]
            )
        return stats.confirmed_rate(self.received, self.not_received, population=self.eligible)

    @property
    def left_out(self) -> list:
        """For the total: the partners with households but no answer either way, left out of its rate."""
        rate = self.rate if self.parts is not None else None
        return [self.parts[i].partner for i in rate.left_out] if rate else []

    @property
    def unsure(self) -> list:
        """For the total: the partners, answered only in part, whose answers were all the same (0 % or
        100 %): they add no margin of error to the total's, which is then too narrow."""
        rate = self.rate if self.parts is not None else None
        return [self.parts[i].partner for i in rate.unsure] if rate else []


@dataclass
class Results:
    rows: list[ResultRow] = field(default_factory=list)
    total: ResultRow = field(default_factory=ResultRow)


def sample_results(sample: ReceiptSample) -> Results:
    """Per partner and in total: sampled, answered, received, not received, unreachable, and the
    confirmed rate with its margin (pcn.receipts.stats). The total adds up the counts, but its rate is the
    stratified estimate: each partner weighs by its number of households given coupons, not by its number
    of answers (the partners were sampled at different fractions).

    A household anonymized at its request after the draw is nobody's to call any more: without an answer
    it counts as `withdrawn`, not as pending. An answer it gave before stays counted (it was given, and the
    rate needs no detail about the household)."""
    counts = {
        row["stratum"]: row
        for row in with_answers(SampledHousehold.objects.filter(sample=sample))
        .values("stratum")
        .annotate(
            sampled=Count("pk"),
            received=Count("pk", filter=Q(current=Answer.RECEIVED)),
            not_received=Count("pk", filter=Q(current=Answer.NOT_RECEIVED)),
            unreachable=Count("pk", filter=Q(current=Answer.UNREACHABLE)),
            withdrawn=Count("pk", filter=Q(current__isnull=True, household__anonymized_at__isnull=False)),
        )
        .order_by()
    }
    results = Results()
    total = results.total
    total.parts = results.rows
    for stratum in SampleStratum.objects.filter(sample=sample).select_related("partner").order_by("partner__name"):
        c = counts.get(stratum.pk, {})
        row = ResultRow(
            partner=stratum.partner, eligible=stratum.eligible, asked=stratum.asked, sampled=c.get("sampled", 0),
            received=c.get("received", 0), not_received=c.get("not_received", 0),
            unreachable=c.get("unreachable", 0), withdrawn=c.get("withdrawn", 0), took_all=stratum.took_all,
        )
        results.rows.append(row)
        for name in ("eligible", "asked", "sampled", "received", "not_received", "unreachable", "withdrawn"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return results


def results_table(sample: ReceiptSample, results: Results) -> Table:
    """The results as a table to download (pcn.reports.tables); rates in percent, one decimal."""
    columns = [
        Column("partner", _("Organisme")),
        Column("eligible", _("Ménages qui ont reçu des coupons"), COUNT),
        Column("sampled", _("Ménages tirés"), COUNT),
        Column("answered", _("Réponses"), COUNT),
        Column("received", _("Reçu"), COUNT),
        Column("not_received", _("Pas reçu"), COUNT),
        Column("unreachable", _("Injoignable"), COUNT),
        Column("pending", _("Pas encore joints"), COUNT),
        Column("rate", _("Taux confirmé (%)"), PERCENT),
        Column("low", _("Bas de l'intervalle à 95 % (%)"), PERCENT),
        Column("high", _("Haut de l'intervalle à 95 % (%)"), PERCENT),
        Column("margin", _("Marge d'erreur (± points)"), PERCENT),
        Column("withdrawn", _("Anonymisés après le tirage, pas à joindre"), COUNT),
    ]

    def cells(row: ResultRow, name) -> dict:
        rate = row.rate
        return {
            "partner": name, "eligible": row.eligible, "sampled": row.sampled, "answered": row.answered,
            "received": row.received, "not_received": row.not_received, "unreachable": row.unreachable,
            "pending": row.pending,
            "rate": rate.rate_percent if rate else None, "low": rate.low_percent if rate else None,
            "high": rate.high_percent if rate else None, "margin": rate.margin_points if rate else None,
            "withdrawn": row.withdrawn,
        }

    note = _("%(season)s · tirage du %(day)s. Taux confirmé = reçu ÷ (reçu + pas reçu). Pour chaque organisme : "
             "intervalle de Wilson à 95 %%, avec la correction pour population finie. Pour tous les organismes : "
             "chaque organisme pèse selon son nombre de ménages qui ont reçu des coupons (estimation stratifiée, "
             "intervalle à 95 %% par l'approximation normale).") % {
        "season": sample.season.name, "day": sample.drawn_at.date().isoformat()}
    left_out = results.total.left_out
    if left_out:
        note += " " + _("Sans réponse, donc pas comptés dans « Tous les organismes » : %(names)s.") % {
            "names": ", ".join(p.name for p in left_out)}
    return Table(
        title=_("Vérification des remises"),
        columns=columns,
        rows=[cells(r, r.partner.name) for r in results.rows],
        total=cells(results.total, _("Tous les organismes")),
        slug="verification-remises",
        note=note,
    )


def to_ask(queryset):
    """Sampled households someone may still call: not anonymized at their request since the draw. (Their
    earlier answers stay counted in the results; nobody is asked to call them again.)"""
    return queryset.filter(household__anonymized_at__isnull=True)


def stratum_households(stratum: SampleStratum) -> list[SampledHousehold]:
    """A partner's sampled households with their answer in force (`current`, `current_note`), the ones
    still to ask first, then by household code. Households anonymized since the draw are not listed."""
    rows = list(with_answers(to_ask(stratum.households.select_related("household"))).order_by("household__code"))
    rows.sort(key=lambda s: s.current is not None)
    return rows


def season_samples(season, partner_ids: set[int] | None = None) -> list[dict]:
    """The season's samples, newest first, with their strata (only `partner_ids`' when given) and how many
    households each still has to ask."""
    samples = list(ReceiptSample.objects.filter(season=season).select_related("drawn_by").order_by("-drawn_at", "-pk"))
    strata = SampleStratum.objects.filter(sample__in=samples).select_related("partner").order_by("partner__name")
    if partner_ids is not None:
        strata = strata.filter(partner_id__in=partner_ids)
    pending = _pending_by_stratum([s.pk for s in strata])
    by_sample: dict[int, list] = {}
    for stratum in strata:
        stratum.pending = pending.get(stratum.pk, 0)
        by_sample.setdefault(stratum.sample_id, []).append(stratum)
    return [{"sample": s, "strata": by_sample.get(s.pk, [])} for s in samples
            if partner_ids is None or by_sample.get(s.pk)]


def _pending_by_stratum(stratum_ids: list[int]) -> dict[int, int]:
    return dict(
        to_ask(SampledHousehold.objects.filter(stratum_id__in=stratum_ids))
        .annotate(current=latest_answer())
        .filter(current__isnull=True)
        .values_list("stratum")
        .annotate(n=Count("pk"))
        .order_by()
    )


def partner_strata_to_ask(partner) -> list[SampleStratum]:
    """For a partner worker's home page: the samples where the partner still has households to ask
    (each with `.pending`), newest first."""
    strata = list(
        SampleStratum.objects.filter(partner=partner, drawn__gt=0)
        .select_related("sample__season")
        .order_by("-sample__drawn_at", "-pk")
    )
    pending = _pending_by_stratum([s.pk for s in strata])
    for stratum in strata:
        stratum.pending = pending.get(stratum.pk, 0)
    return [s for s in strata if s.pending]
