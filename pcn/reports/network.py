"""The provincial view: every program of a network side by side, by region and in total, and each program's
seasons compared, with the same indicators as a season's dashboard (`selectors.Sums`), from the report facts
(one GROUP BY over them, by season and measure)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _

from pcn.accounts.access import READ_CONFIG, program_roles
from pcn.programs.choices import Region
from pcn.programs.models import Network, Program, Season
from pcn.reports import snapshot
from pcn.reports.models import Fact
from pcn.reports.selectors import Sums
from pcn.research.models import MIN_THRESHOLD
from pcn.reports.tables import COUNT, MONEY, PERCENT, Column, Table


def season_years(network: Network) -> list[int]:
    """Years in which the network's seasons started, latest first."""
    return list(Season.objects.filter(program__network=network).annotate(y=ExtractYear("starts_on"))
                .values_list("y", flat=True).distinct().order_by("-y"))


def _indicators(s: Sums, outstanding: int | None = None) -> dict:
    return {"reached": s.reached, "people": s.people, "handed_out": s.handed_out_cents + s.sold_cents,
            "redeemed": s.redeemed_cents, "rate": s.rate(), "paid": s.paid_cents, "outstanding": outstanding}


def _columns(first: list[Column], outstanding: bool = True) -> list[Column]:
    columns = first + [
        Column("reached", _("Ménages rejoints"), COUNT), Column("people", _("Personnes"), COUNT),
        Column("handed_out", _("Remis ou vendus"), MONEY), Column("redeemed", _("Échangés"), MONEY),
        Column("rate", _("Taux d'échange (%)"), PERCENT), Column("paid", _("Payés aux marchands"), MONEY),
    ]
    if outstanding:
        columns.append(Column("outstanding", _("Peut encore être réclamé"), MONEY))
    return columns


@dataclass
class NetworkView:
    season_table: Table
    region_table: Table
    history_table: Table
    region_rows: list[dict]
    pending: list[Season] = field(default_factory=list)  # big seasons whose figures are being recomputed
    missing: list[Season] = field(default_factory=list)  # seasons with no figures yet
    hidden: list[Season] = field(default_factory=list)  # a community's seasons with too few households to show
    oldest: object = None  # when the oldest figures shown were computed


def network_view(network: Network, *, year: int | None, by) -> NetworkView:
    seasons = list(Season.objects.filter(program__network=network).select_related("program")
                   .order_by("program__name", "-starts_on"))
    current = [s for s in seasons if year is None or s.starts_on.year == year]
    snapshots, pending, missing = {}, [], []
    for season in seasons:
        snap, busy = snapshot.current_snapshot(season, by=by, inline=False)
        if snap is None:
            missing.append(season)
        else:
            snapshots[season.pk] = snap
        if busy:
            pending.append(season)
    sums: dict[int, Sums] = defaultdict(Sums)
    for season_id, measure, n, v in (Fact.objects.filter(season__in=[s.pk for s in seasons])
                                     .values_list("season_id", "measure").annotate(n=Sum("count"), v=Sum("cents"))
                                     .order_by()):
        sums[season_id].add(measure, n, v)

    def dashboard_url(season) -> str | None:
        """The season's dashboard, for a viewer who reaches it (a network analyst does not reach an Indigenous
        community's pages: its totals show here, its detail stays with the community)."""
        if program_roles(by, season.program) & READ_CONFIG:
            return reverse("season_dashboard", args=[season.pk])
        return None

    def is_hidden(season, s: Sums) -> bool:
        """An Indigenous community's season that reached fewer households than the smallest count any aggregate
        shows (DESIGN.md §7: others see aggregates with small counts suppressed)."""
        return season.program.kind == Program.Kind.INDIGENOUS_COMMUNITY and 0 < s.reached < MIN_THRESHOLD

    def outstanding(season) -> int | None:
        snap = snapshots.get(season.pk)
        return snap.summary["funding"]["outstanding_cents"] if snap else None

    regions = dict(Region.choices)
    season_rows, by_region, total = [], defaultdict(Sums), Sums()
    region_programs = defaultdict(set)
    total_outstanding = 0
    hidden = []
    for season in current:
        s = sums[season.pk]
        if is_hidden(season, s):
            # Shown without figures, and out of every total: a total minus the other rows would give them back.
            hidden.append(season)
            season_rows.append({"program": season.program.name, "program_id": season.program_id, "season": season.name,
                                "region": str(regions.get(season.program.region, season.program.region)),
                                "url": dashboard_url(season)})
            continue
        season_rows.append({"program": season.program.name, "program_id": season.program_id,
                            "region": str(regions.get(season.program.region, season.program.region)),
                            "season": season.name, "url": dashboard_url(season), **_indicators(s, outstanding(season))})
        for measure, n in s.count.items():
            by_region[season.program.region].add(measure, n, s.cents[measure])
            total.add(measure, n, s.cents[measure])
        region_programs[season.program.region].add(season.program_id)
        total_outstanding += outstanding(season) or 0
    region_rows = [
        {"name": str(regions.get(code, code)), "programs": len(region_programs[code]), **_indicators(s)}
        for code, s in sorted(by_region.items(), key=lambda item: str(regions.get(item[0], item[0])))
    ]
    program_count = len({s.program_id for s in current})
    history_rows = [
        {"program": s.program.name, "season": s.name, "url": dashboard_url(s), "start": s.starts_on.isoformat(),
         "closed": _("fermée") if s.closed_at else _("en cours"), **_indicators(sums[s.pk])}
        for s in seasons if not is_hidden(s, sums[s.pk])
    ]
    return NetworkView(
        season_table=Table(
            title=_("Programmes, côte à côte"), slug="programmes",
            columns=_columns([Column("program", _("Programme")), Column("region", _("Région")),
                              Column("season", _("Saison"))]),
            rows=season_rows,
            total={"program": _("Total"), **_indicators(total, total_outstanding)},
        ),
        region_table=Table(
            title=_("Par région"), slug="regions",
            columns=_columns([Column("name", _("Région")), Column("programs", _("Programmes"), COUNT)],
                             outstanding=False),
            rows=region_rows,
            total={"name": _("Total"), "programs": program_count, **_indicators(total)},
        ),
        history_table=Table(
            title=_("Saisons comparées"), slug="saisons",
            columns=_columns([Column("program", _("Programme")), Column("season", _("Saison")),
                              Column("start", _("Début")), Column("closed", _("État"))], outstanding=False),
            rows=history_rows,
        ),
        region_rows=region_rows,
        pending=pending,
        missing=missing,
        hidden=hidden,
        oldest=min((snap.built_at for snap in snapshots.values()), default=None),
    )
