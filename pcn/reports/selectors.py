"""The dashboards' figures, from the report facts (`snapshot.py`): one query per page, the sums done here.

Words, as the pages say them:
- households reached: given coupons or a card credit at least once (counted in the week of the first time,
  under their partner of today), with their people by age band;
- handed out: coupons handed to households plus card credits; sold: coupons sold to the public;
- redeemed: coupons and card purchases accepted by vendors, plus coupons counted by face value at markets;
- redemption rate: redeemed ÷ (handed out + sold), in value;
- paid: what paid batches paid, to vendors (or to a market for its vendors).

Filters: a date range (to the week: facts are weekly), a partner (applies to what is counted by partner:
households, handed out, redeemed by that partner's households) and a market (applies to what is counted
where it was spent: redeemed, refused, by vendor). A redeemed coupon does not say which partner handed it
out *and* where it was spent in the same fact, so the two filters each narrow their own side.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcn.coupons.closeout import STATES
from pcn.households.models import Household
from pcn.lib.money import format_cents
from pcn.markets.models import Market, Vendor
from pcn.programs.models import CouponClass, Organization, Season
from pcn.reports.models import Fact, Measure
from pcn.reports.tables import COUNT, DATE, MONEY, PERCENT, Column, Table

M = Measure
PARTNER_SIDE = {M.REACHED, M.PEOPLE, M.AGE_0_5, M.AGE_6_17, M.AGE_18_64, M.AGE_65_PLUS, M.ALLOCATED,
                M.DISTRIBUTED, M.SOLD, M.RETURNED, M.CARD_CREDITED, M.REDEEMED_FROM, M.CARD_SPENT_FROM}
MARKET_SIDE = {M.REDEEMED, M.CARD_SPENT, M.COUNTED, M.REFUSED, M.PAID}
AGE_BANDS = [
    (M.AGE_0_5, gettext_lazy("0 à 5 ans")),
    (M.AGE_6_17, gettext_lazy("6 à 17 ans")),
    (M.AGE_18_64, gettext_lazy("18 à 64 ans")),
    (M.AGE_65_PLUS, gettext_lazy("65 ans ou plus")),
]


@dataclass
class Filters:
    start: datetime.date | None = None
    end: datetime.date | None = None
    partner_id: int | None = None
    market_id: int | None = None
    vendor_id: int | None = None  # a vendor's own view: only what it took and was paid

    @property
    def any(self) -> bool:
        return any((self.start, self.end, self.partner_id, self.market_id, self.vendor_id))


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _query(seasons: list[int], filters: Filters):
    facts = Fact.objects.filter(season_id__in=seasons)
    if filters.start:
        facts = facts.filter(week__gte=monday(filters.start))
    if filters.end:
        facts = facts.filter(week__lte=monday(filters.end))
    if filters.partner_id:
        facts = facts.filter(~Q(measure__in=PARTNER_SIDE) | Q(partner_id=filters.partner_id))
    if filters.market_id:
        facts = facts.filter(~Q(measure__in=MARKET_SIDE) | Q(market_id=filters.market_id))
    if filters.vendor_id:
        facts = facts.filter(measure__in=MARKET_SIDE, vendor_id=filters.vendor_id)
    return facts


@dataclass
class Sums:
    """Count and cents per measure."""

    count: dict = field(default_factory=lambda: defaultdict(int))
    cents: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, measure: str, count: int, cents: int) -> None:
        self.count[measure] += count
        self.cents[measure] += cents

    # The indicators, defined once for every page.
    @property
    def reached(self) -> int:
        return self.count[M.REACHED]

    @property
    def people(self) -> int:
        return self.count[M.PEOPLE]

    @property
    def handed_out_cents(self) -> int:
        return self.cents[M.DISTRIBUTED] + self.cents[M.CARD_CREDITED]

    @property
    def sold_cents(self) -> int:
        return self.cents[M.SOLD]

    @property
    def redeemed_cents(self) -> int:
        """Where spent: coupons, card purchases, coupons counted at a market."""
        return self.cents[M.REDEEMED] + self.cents[M.CARD_SPENT] + self.cents[M.COUNTED]

    @property
    def redeemed_from_cents(self) -> int:
        """By whose households: the same coupons and card purchases (counted coupons say no partner)."""
        return self.cents[M.REDEEMED_FROM] + self.cents[M.CARD_SPENT_FROM]

    @property
    def paid_cents(self) -> int:
        return self.cents[M.PAID]

    def rate(self) -> Decimal | None:
        """Redeemed ÷ (handed out + sold), in percent to one decimal; None when nothing was handed out."""
        return percent(self.redeemed_cents, self.handed_out_cents + self.sold_cents)

    def households_rate(self) -> Decimal | None:
        """What households redeemed ÷ what they were handed out: a partner's rate. Coupons sold to the public
        are left out on both sides (once spent, a sold coupon no longer says who sold it)."""
        return percent(self.redeemed_from_cents, self.handed_out_cents)


def percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1")) if whole else None


@dataclass
class Dashboard:
    season: Season
    filters: Filters
    total: Sums
    by_week: dict[datetime.date, Sums]
    by_partner: dict[int | None, Sums]
    by_market: dict[int | None, Sums]
    by_vendor: dict[int | None, Sums]
    by_class: dict[int | None, Sums]
    waiting: int
    names: dict = field(default_factory=dict)  # {"partner": {id: name}, "market": ..., "vendor": ..., "class": ...}

    @property
    def rate(self) -> Decimal | None:
        # A partner's households: what they redeemed over what they were handed (counted coupons say no partner).
        if self.filters.partner_id:
            return self.total.households_rate()
        return self.total.rate()

    def paid(self, s: "Sums") -> int | None:
        """Paid, unless a market is chosen: vendors are paid for all their markets at once."""
        return None if self.filters.market_id else s.paid_cents

    def name(self, kind: str, pk) -> str:
        if pk is None:
            return {"partner": _("Programme (réserve, vente au public)"), "market": _("Sans marché"),
                    "vendor": _("Sans marchand"), "class": _("Cartes et coupons comptés")}[kind]
        return self.names[kind].get(pk, "?")


def season_dashboard(season: Season, filters: Filters | None = None) -> Dashboard:
    """The season's figures, each breakdown summed by the database (a few hundred rows each come back)."""
    filters = filters or Filters()
    facts = _query([season.pk], filters)

    def grouped(dimension: str, measures=None) -> dict:
        rows = facts if measures is None else facts.filter(measure__in=list(measures))
        found = defaultdict(Sums)
        for measure, key, n, v in (rows.values_list("measure", dimension).annotate(n=Sum("count"), v=Sum("cents"))
                                   .order_by()):
            found[key].add(measure, n, v)
        return dict(found)

    by_week = grouped("week")
    total = Sums()
    for sums in by_week.values():
        for measure, n in sums.count.items():
            total.add(measure, n, sums.cents[measure])
    by_partner = grouped("partner_id", PARTNER_SIDE)
    by_market = grouped("market_id", (M.REDEEMED, M.CARD_SPENT, M.COUNTED, M.REFUSED))
    by_vendor = grouped("vendor_id", MARKET_SIDE)
    by_class = grouped("coupon_class_id", (M.ISSUED, M.DISTRIBUTED, M.SOLD, M.REDEEMED))
    waiting = Household.objects.filter(season=season).waiting()
    if filters.partner_id:
        waiting = waiting.filter(partner_id=filters.partner_id)
    names = {
        "partner": dict(Organization.objects.filter(program_id=season.program_id).values_list("pk", "name")),
        "market": dict(Market.objects.filter(program_id=season.program_id).values_list("pk", "name")),
        "vendor": dict(Vendor.objects.filter(program_id=season.program_id).values_list("pk", "business_name")),
        "class": dict(CouponClass.objects.filter(season=season).values_list("pk", "name")),
    }
    return Dashboard(season=season, filters=filters, total=total, by_week=dict(sorted(by_week.items())),
                     by_partner=by_partner, by_market=by_market, by_vendor=by_vendor, by_class=by_class,
                     waiting=waiting.count(), names=names)


# Tables: what the page shows and what people download, built once.


def _money(code: str, label) -> Column:
    return Column(code, label, MONEY)


def week_table(d: Dashboard) -> Table:
    rows = [
        {"week": week, "handed_out": s.handed_out_cents, "sold": s.sold_cents,
         "redeemed": s.redeemed_cents, "paid": d.paid(s), "reached": s.reached}
        for week, s in d.by_week.items()
    ]
    t = d.total
    return Table(
        title=_("Par semaine"), slug="semaines",
        columns=[Column("week", _("Semaine du (lundi)"), DATE), Column("reached", _("Nouveaux ménages rejoints"), COUNT),
                 _money("handed_out", _("Remis aux ménages")), _money("sold", _("Vendus au public")),
                 _money("redeemed", _("Échangés chez les marchands")), _money("paid", _("Payés aux marchands"))],
        rows=rows,
        total={"week": _("Total"), "reached": t.reached, "handed_out": t.handed_out_cents, "sold": t.sold_cents,
               "redeemed": t.redeemed_cents, "paid": d.paid(t)},
    )


def partner_week_table(d: Dashboard) -> Table:
    """A partner's weeks: its new households, what it handed out or sold, what its households redeemed."""
    rows = [{"week": week, "reached": s.reached, "handed_out": s.handed_out_cents + s.sold_cents,
             "redeemed": s.redeemed_from_cents} for week, s in d.by_week.items()]
    t = d.total
    return Table(
        title=_("Par semaine"), slug="semaines",
        columns=[Column("week", _("Semaine du (lundi)"), DATE), Column("reached", _("Nouveaux ménages rejoints"), COUNT),
                 _money("handed_out", _("Remis ou vendus")), _money("redeemed", _("Échangés par ses ménages"))],
        rows=rows,
        total={"week": _("Total"), "reached": t.reached, "handed_out": t.handed_out_cents + t.sold_cents,
               "redeemed": t.redeemed_from_cents},
    )


def vendor_week_table(d: Dashboard) -> Table:
    rows = [{"week": week, "redeemed": s.redeemed_cents, "refused": s.count[M.REFUSED],
             "paid": s.paid_cents} for week, s in d.by_week.items()]
    t = d.total
    return Table(
        title=_("Par semaine"), slug="semaines",
        columns=[Column("week", _("Semaine du (lundi)"), DATE), _money("redeemed", _("Échangés")),
                 Column("refused", _("Présentations refusées"), COUNT), _money("paid", _("Payés"))],
        rows=rows,
        total={"week": _("Total"), "redeemed": t.redeemed_cents, "refused": t.count[M.REFUSED], "paid": t.paid_cents},
    )


def partner_table(d: Dashboard) -> Table:
    """One row per partner (its households: handed out, redeemed, rate), then the public sale (every seller)."""
    rows = []
    partners = sorted((pk for pk in d.by_partner if pk is not None), key=lambda pk: d.name("partner", pk))
    for pk in partners:
        s = d.by_partner[pk]
        rows.append({"id": pk, "name": d.name("partner", pk), "reached": s.reached, "people": s.people,
                     "handed_out": s.handed_out_cents, "redeemed": s.redeemed_from_cents,
                     "rate": s.households_rate()})
    t = d.total
    public = d.by_partner.get(None, Sums())
    if t.sold_cents or public.redeemed_from_cents:
        rows.append({"name": _("Vente au grand public (et coupons jamais remis)"), "reached": None, "people": None,
                     "handed_out": t.sold_cents, "redeemed": public.redeemed_from_cents,
                     "rate": percent(public.redeemed_from_cents, t.sold_cents)})
    return Table(
        title=_("Par organisme partenaire"), slug="partenaires",
        columns=[Column("name", _("Organisme")), Column("reached", _("Ménages rejoints"), COUNT),
                 Column("people", _("Personnes"), COUNT), _money("handed_out", _("Remis ou vendus")),
                 _money("redeemed", _("Échangés")), Column("rate", _("Taux d'échange (%)"), PERCENT)],
        rows=rows,
        total={"name": _("Total"), "reached": t.reached, "people": t.people,
               "handed_out": t.handed_out_cents + t.sold_cents, "redeemed": t.redeemed_from_cents,
               "rate": percent(t.redeemed_from_cents, t.handed_out_cents + t.sold_cents)},
    )


def market_table(d: Dashboard) -> Table:
    rows = [
        {"id": pk, "name": d.name("market", pk), "redeemed": s.redeemed_cents,
         "coupons": s.count[M.REDEEMED] + s.count[M.COUNTED], "cards": s.count[M.CARD_SPENT],
         "refused": s.count[M.REFUSED]}
        for pk, s in sorted(d.by_market.items(), key=lambda item: -item[1].redeemed_cents)
    ]
    t = d.total
    return Table(
        title=_("Par marché"), slug="marches",
        columns=[Column("name", _("Marché")), _money("redeemed", _("Échangés")),
                 Column("coupons", _("Coupons"), COUNT), Column("cards", _("Achats par carte"), COUNT),
                 Column("refused", _("Présentations refusées"), COUNT)],
        rows=rows,
        total={"name": _("Total"), "redeemed": t.redeemed_cents, "coupons": t.count[M.REDEEMED] + t.count[M.COUNTED],
               "cards": t.count[M.CARD_SPENT], "refused": t.count[M.REFUSED]},
    )


def vendor_table(d: Dashboard) -> Table:
    rows = [
        {"id": pk, "name": d.name("vendor", pk), "redeemed": s.redeemed_cents, "paid": d.paid(s),
         "refused": s.count[M.REFUSED]}
        for pk, s in sorted(d.by_vendor.items(), key=lambda item: (-item[1].redeemed_cents, -item[1].paid_cents))
    ]
    t = d.total
    return Table(
        title=_("Par marchand"), slug="marchands",
        columns=[Column("name", _("Marchand")), _money("redeemed", _("Échangés")),
                 _money("paid", _("Payés")), Column("refused", _("Présentations refusées"), COUNT)],
        rows=rows,
        total={"name": _("Total"), "redeemed": t.redeemed_cents, "paid": d.paid(t), "refused": t.count[M.REFUSED]},
    )


def class_table(d: Dashboard) -> Table:
    rows = [
        {"name": d.name("class", pk), "issued": s.cents[M.ISSUED], "handed_out": s.cents[M.DISTRIBUTED] + s.cents[M.SOLD],
         "redeemed": s.cents[M.REDEEMED]}
        for pk, s in sorted(d.by_class.items(), key=lambda item: d.name("class", item[0]))
    ]
    return Table(
        title=_("Par catégorie de coupon"), slug="categories",
        columns=[Column("name", _("Catégorie")), _money("issued", _("Émis")),
                 _money("handed_out", _("Remis ou vendus")), _money("redeemed", _("Échangés"))],
        rows=rows,
    )


def people_table(d: Dashboard) -> Table:
    t = d.total
    rows = [{"band": str(label), "people": t.count[measure], "share": percent(t.count[measure], t.people)}
            for measure, label in AGE_BANDS]
    return Table(
        title=_("Personnes rejointes, par âge"), slug="ages",
        columns=[Column("band", _("Âge")), Column("people", _("Personnes"), COUNT), Column("share", _("Part (%)"), PERCENT)],
        rows=rows, total={"band": _("Total"), "people": t.people, "share": Decimal("100.0") if t.people else None},
    )


def disposition_table(summary: dict) -> Table:
    issued_count, issued_cents = summary["issued"]
    rows = [{"state": str(STATES[key]), "count": count, "value": cents, "share": percent(cents, issued_cents)}
            for key, (count, cents) in summary["disposition"].items()]
    return Table(
        title=_("Où sont les coupons (bilan de la saison)"), slug="bilan",
        columns=[Column("state", _("État")), Column("count", _("Coupons"), COUNT), _money("value", _("Valeur")),
                 Column("share", _("Part de l'émis (%)"), PERCENT)],
        rows=rows, total={"state": _("Valeur émise"), "count": issued_count, "value": issued_cents,
                          "share": Decimal("100.0") if issued_cents else None},
    )


def dashboard_tables(d: Dashboard, summary: dict | None) -> list[Table]:
    tables = [week_table(d), partner_table(d), market_table(d), vendor_table(d), class_table(d), people_table(d)]
    if summary and not d.filters.any:
        tables.append(disposition_table(summary))
    return tables


def money_text(cents: int) -> str:
    from django.utils.translation import get_language

    return format_cents(cents, get_language() or "fr")

