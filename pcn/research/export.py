"""The research export of one season: a ZIP file built in memory.

What it holds (the data dictionary inside says the same, for the researchers):
- `households.csv`, `distributions.csv`: one row per household whose latest research consent is « yes »
  (and per distribution period of such a household), under an identifier drawn at random for this export.
- `redemptions.csv`, `redemption_counts.csv`: every coupon or card presented to a vendor in the season,
  and the coupons counted by value where markets do not read codes. Coupons are bearer instruments: these
  rows carry no link to a household, and no consent is asked of anyone for them.
- `agg_*.csv`: counts over all the season's households (consenting or not) and all redemptions, with small
  cells suppressed (pcn.research.suppression).
- `dictionary.csv`, `LISEZ-MOI.txt` (French), `README.txt` (English), and the same tables as one workbook.

Never in the export: household, card or coupon codes, database ids, people's or businesses' names (only
partners' and markets' names, which the public directory shows), exact dates (weeks only), notes typed by
workers, the community field, languages, who recorded what.

It is built in memory in one request: a city's season (tens of thousands of rows) takes a few seconds. A
province-wide export would go to a background task (pcn.tasks) instead.
"""

import csv
import datetime
import io
import secrets
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify

from pcn.households.models import CardEntry, Consent, ConsentPurpose, Distribution, Flag, Household
from pcn.markets.models import Vendor
from pcn.payments.formats.csv_remittance import dollars, safe_cell
from pcn.programs.entitlements import season_periods
from pcn.programs.models import Season
from pcn.redemptions.models import Outcome, Redemption, RedemptionCount
from pcn.research import xlsx
from pcn.research.suppression import suppression_pattern

# Column kinds, as the dictionary names them.
TEXT, INTEGER, DOLLARS, WEEK, FLAG = "text", "integer", "dollars", "week", "flag"
KIND_WORDS = {
    TEXT: ("texte", "text"),
    INTEGER: ("nombre entier", "integer"),
    DOLLARS: ("montant", "amount"),
    WEEK: ("date (AAAA-MM-JJ)", "date (YYYY-MM-DD)"),
    FLAG: ("0 ou 1", "0 or 1"),
}
UNITS = {
    DOLLARS: ("dollars, point décimal", "dollars, decimal point"),
    WEEK: ("lundi de la semaine ISO", "Monday of the ISO week"),
}
TOTAL = "(total)"


@dataclass
class Column:
    name: str
    kind: str
    fr: str
    en: str
    unit: tuple[str, str] | None = None

    def units(self) -> tuple[str, str]:
        return self.unit or UNITS.get(self.kind, ("", ""))


@dataclass
class Dataset:
    name: str  # file name without .csv
    fr: str  # what one row is
    en: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week `day` falls in."""
    return day - datetime.timedelta(days=day.weekday())


def local_week(moment: datetime.datetime, zone=None) -> datetime.date:
    """The Monday of the week of `moment` in Québec time (pass `zone`, the current time zone, in a loop:
    looking it up on each row is most of the cost)."""
    return week_of(moment.astimezone(zone or timezone.get_current_timezone()).date())


SIZE_BANDS = ("1", "2", "3", "4", "5+")


def size_band(size: int) -> str:
    return SIZE_BANDS[min(size, 5) - 1]


AGE_BANDS = (("age_0_5", "0-5"), ("age_6_17", "6-17"), ("age_18_64", "18-64"), ("age_65_plus", "65+"))


def _random_ids(keys, prefix: str) -> dict:
    """A new identifier for each key, drawn at random for this export only (two exports of the same season
    give different identifiers, so they cannot be joined on them)."""
    keys = list(keys)
    numbers = list(range(1, len(keys) + 1))
    secrets.SystemRandom().shuffle(numbers)
    width = max(4, len(str(len(keys))))
    return {key: f"{prefix}{number:0{width}d}" for key, number in zip(keys, numbers, strict=True)}


# --- Rows ---------------------------------------------------------------------------------------------------

def research_consenting(season: Season) -> set[int]:
    """Households of the season whose latest research consent is « yes » (latest by time, then by row)."""
    latest: dict[int, bool] = {}
    rows = (
        Consent.objects.filter(household__season=season, purpose=ConsentPurpose.RESEARCH)
        .order_by("household_id", "recorded_at", "pk")
        .values_list("household_id", "given")
    )
    for household_id, given in rows:
        latest[household_id] = given
    return {pk for pk, given in latest.items() if given}


HOUSEHOLD_COLUMNS = [
    Column("household_id", TEXT, "Identifiant du ménage, tiré au hasard pour cet export seulement.",
           "Household identifier, drawn at random for this export only."),
    Column("partner", TEXT, "Organisme partenaire (ou conseil de bande) qui a inscrit le ménage.",
           "Partner organization (or band council) that enrolled the household."),
    Column("size", INTEGER, "Nombre de personnes du ménage.", "Number of people in the household.",
           ("personnes", "people")),
    Column("size_band", TEXT, "Taille du ménage en classes : 1, 2, 3, 4, 5+.", "Household size band: 1, 2, 3, 4, 5+."),
    Column("age_0_5", INTEGER, "Enfants de 0 à 5 ans.", "Children aged 0 to 5.", ("personnes", "people")),
    Column("age_6_17", INTEGER, "Jeunes de 6 à 17 ans.", "Youth aged 6 to 17.", ("personnes", "people")),
    Column("age_18_64", INTEGER, "Adultes de 18 à 64 ans.", "Adults aged 18 to 64.", ("personnes", "people")),
    Column("age_65_plus", INTEGER, "Personnes de 65 ans ou plus.", "People aged 65 or over.", ("personnes", "people")),
    Column("flag_pregnancy", FLAG, "Grossesse dans le ménage (1 = oui).", "Pregnancy in the household (1 = yes)."),
    Column("flag_single_parent", FLAG, "Famille monoparentale (1 = oui).", "Single-parent family (1 = yes)."),
    Column("flag_disability", FLAG, "Personne vivant avec un handicap (1 = oui).",
           "Person living with a disability (1 = yes)."),
    Column("flag_newcomer", FLAG, "Personne nouvellement arrivée au pays (1 = oui).",
           "Person newly arrived in Canada (1 = yes)."),
    Column("status", TEXT, "Statut à la date de l'export : active = inscrit, waiting = en attente d'une place, "
           "left = a quitté le programme.",
           "Status on the export date: active = enrolled, waiting = on the waiting list, left = left the program."),
    Column("enrolment_week", WEEK, "Semaine de l'inscription.", "Week of enrolment."),
    Column("received_total", DOLLARS, "Valeur des coupons reçus sur la saison (somme des remises).",
           "Value of the coupons received over the season (sum of distributions)."),
    Column("periods_received", INTEGER, "Nombre de périodes de remise où le ménage a reçu des coupons.",
           "Number of distribution periods in which the household received coupons.", ("périodes", "periods")),
]

DISTRIBUTION_COLUMNS = [
    Column("household_id", TEXT, "Identifiant du ménage (le même que dans households.csv).",
           "Household identifier (the same as in households.csv)."),
    Column("period", INTEGER, "Numéro de la période de remise (1 = la première de la saison).",
           "Distribution period number (1 = the season's first)."),
    Column("period_week", WEEK, "Semaine où la période commence.", "Week in which the period starts."),
    Column("means", TEXT, "coupons = coupons papier, card = crédit sur la carte numérique du ménage.",
           "coupons = paper coupons, card = credit on the household's digital card."),
    Column("due", DOLLARS, "Montant auquel le ménage avait droit pour la période.",
           "Amount the household was entitled to for the period."),
    Column("given", DOLLARS, "Valeur des coupons remis pour la période (0 si la remise a été manquée).",
           "Value of the coupons handed out for the period (0 when the distribution was missed)."),
    Column("outcome", TEXT, "given = remis en entier, partial = remis en partie, missed = manqué.",
           "given = in full, partial = in part, missed = missed."),
]


def card_credits(season: Season) -> list[tuple[int, int, int]]:
    """(household, period, cents) of the entitlements credited on cards: a period received on a card."""
    return list(
        CardEntry.objects.filter(card__household__season=season, kind=CardEntry.Kind.CREDIT,
                                 period_number__isnull=False)
        .values_list("card__household_id", "period_number", "amount_cents")
    )


def household_rows(season: Season) -> tuple[Dataset, Dataset, set[int]]:
    """households.csv and distributions.csv, and the households (database ids, never written) they hold."""
    consenting = research_consenting(season)
    households = list(
        h for h in Household.objects.filter(season=season, anonymized_at__isnull=True)
        .select_related("partner").order_by("pk")
        if h.pk in consenting
    )
    ids = _random_ids([h.pk for h in households], "H")
    given: dict[tuple[int, int], list] = {}  # (household, period) → [due, given, means]
    for household_id, period, due, cents in (
        Distribution.objects.filter(household__season=season)
        .order_by("household_id", "period_number", "recorded_at", "pk")
        .values_list("household_id", "period_number", "due_cents", "given_cents")
    ):
        if household_id not in ids:
            continue
        entry = given.setdefault((household_id, period), [due, 0, "coupons"])
        entry[0] = max(entry[0], due)
        entry[1] += cents
    for household_id, period, cents in card_credits(season):
        if household_id not in ids:
            continue
        given[(household_id, period)] = [cents, cents, "card"]
    starts = {p.number: p.starts_on for p in season_periods(season)}

    people = Dataset("households", "Un ménage qui a accepté que ses données servent à la recherche.",
                     "One household that agreed to its data being used for research.", HOUSEHOLD_COLUMNS)
    by_household: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for (pk, period), (due, cents, _means) in given.items():
        by_household[pk].append((period, due, cents))
    for h in households:
        mine = by_household[h.pk]
        people.rows.append([
            ids[h.pk], h.partner.name, h.size, size_band(h.size), h.age_0_5, h.age_6_17, h.age_18_64, h.age_65_plus,
            *[int(flag in h.flags) for flag in (Flag.PREGNANCY, Flag.SINGLE_PARENT, Flag.DISABILITY, Flag.NEWCOMER)],
            h.status, local_week(h.enrolled_at), sum(c for _p, _d, c in mine), sum(1 for _p, _d, c in mine if c > 0),
        ])
    people.rows.sort(key=lambda row: row[0])

    periods = Dataset("distributions", "Une période de remise d'un ménage de households.csv.",
                      "One distribution period of a household in households.csv.", DISTRIBUTION_COLUMNS)
    for (pk, period), (due, cents, means) in given.items():
        outcome = "missed" if cents == 0 else "given" if cents >= due else "partial"
        start = starts.get(period)
        periods.rows.append([ids[pk], period, week_of(start) if start else None, means, due, cents, outcome])
    periods.rows.sort(key=lambda row: (row[0], row[1]))
    return people, periods, set(ids)


REDEMPTION_COLUMNS = [
    Column("week", WEEK, "Semaine où le coupon ou la carte a été présenté.", "Week the coupon or card was presented."),
    Column("market", TEXT, "Marché où l'échange a eu lieu (vide si non noté).",
           "Market where it happened (blank when not recorded)."),
    Column("sale_point_kind", TEXT, "Type de lieu : market = marché public, farm_stand = kiosque à la ferme, "
           "self_serve = libre-service, u_pick = autocueillette, csa_pickup = point de chute ASC (vide si non noté).",
           "Kind of place: market, farm_stand, self_serve, u_pick, csa_pickup (blank when not recorded)."),
    Column("vendor_id", TEXT, "Identifiant du marchand, tiré au hasard pour cet export seulement.",
           "Vendor identifier, drawn at random for this export only."),
    Column("vendor_kind", TEXT, "producer = producteur, processor = transformateur, artisan = artisan.",
           "producer, processor or artisan."),
    Column("means", TEXT, "coupon = coupon papier, card = carte numérique.",
           "coupon = paper coupon, card = digital card."),
    Column("coupon_class", TEXT, "Catégorie du coupon (ce qu'il permet d'acheter) ; vide pour une carte ou un code "
           "inconnu.", "Coupon class (what it buys); blank for a card or an unknown code."),
    Column("value", DOLLARS, "Valeur du coupon ou de l'achat par carte.", "Value of the coupon or card purchase."),
    Column("outcome", TEXT, "accepted = accepté, refused = refusé, review = mis de côté pour examen.",
           "accepted, refused, or review (set aside for the coordination to decide)."),
    Column("reason", TEXT, "Raison d'un refus ou d'un examen (code), vide si accepté : format, unknown, "
           "other_program, not_yet_valid, expired, void, not_issued, already_redeemed, vendor_not_authorized, "
           "class_not_sold, conflict, card_unknown, card_balance, card_over_cap, cards_off.",
           "Reason for a refusal or review (code), blank when accepted (same codes)."),
    Column("review_decision", TEXT, "Décision sur un échange mis de côté : first = payer le premier seulement, "
           "both = payer les deux, refuse = refuser ; vide sinon.",
           "Decision on a redemption set aside: first = pay the first only, both = pay both, refuse; blank "
           "otherwise."),
    Column("source", TEXT, "stall = kiosque en ligne, offline = kiosque hors ligne, market = saisie du "
           "gestionnaire de marché, api = API.",
           "stall = stall page online, offline = stall page offline, market = entered by the market manager, api."),
]

COUNT_COLUMNS = [
    Column("week", WEEK, "Semaine du jour où les coupons ont été reçus.", "Week of the day the coupons were taken."),
    Column("market", TEXT, "Marché qui a compté les coupons.", "Market that counted the coupons."),
    Column("vendor_id", TEXT, "Identifiant du marchand (le même que dans redemptions.csv).",
           "Vendor identifier (the same as in redemptions.csv)."),
    Column("vendor_kind", TEXT, "producer, processor ou artisan.", "producer, processor or artisan."),
    Column("denomination", DOLLARS, "Valeur d'un coupon.", "Value of one coupon."),
    Column("coupons", INTEGER, "Nombre de coupons comptés.", "Number of coupons counted.", ("coupons", "coupons")),
    Column("value", DOLLARS, "Valeur des coupons comptés.", "Value of the coupons counted."),
]


def redemption_rows(season: Season) -> tuple[Dataset, Dataset]:
    rows = list(
        Redemption.objects.filter(season=season)
        .order_by("taken_at", "pk")
        .values_list(
            "taken_at", "market__name", "sale_point__kind", "vendor_id", "card_id",
            "coupon__series__coupon_class__name",
            "value_cents", "outcome", "reason", "decision__decision", "source",
        )
    )
    counts = list(
        RedemptionCount.objects.filter(season=season)
        .order_by("day", "pk")
        .values_list("day", "market__name", "vendor_id", "denomination_cents", "count", "value_cents")
    )
    vendor_pks = {row[3] for row in rows} | {row[2] for row in counts}
    vendor_kinds = dict(Vendor.objects.filter(pk__in=vendor_pks).values_list("pk", "kind"))
    ids = _random_ids(sorted(vendor_pks), "V")

    redemptions = Dataset("redemptions", "Un coupon ou une carte présenté à un marchand.",
                          "One coupon or card presented to a vendor.", REDEMPTION_COLUMNS)
    zone = timezone.get_current_timezone()
    for taken_at, market, kind, vendor, card, coupon_class, cents, outcome, reason, decision, source in rows:
        redemptions.rows.append([
            local_week(taken_at, zone), market or "", kind or "", ids[vendor], vendor_kinds[vendor],
            "card" if card else "coupon", coupon_class or "", cents, outcome, reason, decision or "", source,
        ])
    counted = Dataset("redemption_counts",
                      "Des coupons d'une même valeur comptés par un marché pour un marchand, un jour.",
                      "Coupons of one value counted by a market for a vendor on one day.", COUNT_COLUMNS)
    for day, market, vendor, denomination, number, cents in counts:
        counted.rows.append([week_of(day), market, ids[vendor], vendor_kinds[vendor], denomination, number, cents])
    return redemptions, counted


# --- Aggregates ---------------------------------------------------------------------------------------------

def _table(name, fr, en, row_column: Column, column_column: Column, measures: list[Column],
           row_keys: list, column_keys: list, cells: dict, threshold: int, unexported: dict | None = None) -> Dataset:
    """A two-way table in long form (one line per cell, margins as « (total) »), suppressed on the first
    measure (a count): the other measures (amounts) are hidden wherever it is.

    `unexported`: the same count for the households that are not in households.csv. A reader can subtract
    the rows from a published cell; that difference must not be a small number either."""
    counts = [[cells.get((r, c), [0] * len(measures))[0] for c in column_keys] for r in row_keys]
    also = []
    if unexported is not None:
        also.append([[unexported.get((r, c), 0) for c in column_keys] for r in row_keys])
    pattern = suppression_pattern(counts, threshold, also=also)
    sums = [[[0] * len(measures) for _c in range(len(column_keys) + 1)] for _r in range(len(row_keys) + 1)]
    for i, r in enumerate(row_keys):
        for j, c in enumerate(column_keys):
            values = cells.get((r, c), [0] * len(measures))
            for target in ((i, j), (i, len(column_keys)), (len(row_keys), j), (len(row_keys), len(column_keys))):
                for m, value in enumerate(values):
                    sums[target[0]][target[1]][m] += value
    suppressed = Column("suppressed", FLAG, "1 = cellule cachée (les mesures sont vides) : petit nombre, ou cachée "
                        "pour qu'un petit nombre ne se déduise pas des totaux.",
                        "1 = suppressed cell (measures left blank): a small count, or hidden so that a small count "
                        "cannot be worked out from the totals.")
    dataset = Dataset(name, fr, en, [row_column, column_column, *measures, suppressed])
    labels_r = [*row_keys, TOTAL]
    labels_c = [*column_keys, TOTAL]
    for i, r in enumerate(labels_r):
        for j, c in enumerate(labels_c):
            hidden = pattern.is_hidden(i, j)
            values = [None] * len(measures) if hidden else sums[i][j]
            dataset.rows.append([r, c, *values, int(hidden)])
    return dataset


PARTNER = Column("partner", TEXT, "Organisme partenaire ; « (total) » pour la somme des organismes.",
                 "Partner organization; « (total) » for the sum over partners.")


def aggregate_tables(season: Season, threshold: int, exported: set[int], redemptions: Dataset,
                     counted: Dataset) -> list[Dataset]:
    """`exported`: the households in households.csv (see `_table`); `redemptions` and `counted`: the rows
    of redemptions.csv and redemption_counts.csv."""
    households = list(
        Household.objects.filter(season=season).exclude(status=Household.Status.WAITING)
        .select_related("partner").order_by("pk")
    )
    partners = sorted({h.partner.name for h in households})
    tables = []

    cells: dict = defaultdict(lambda: [0])
    hidden_part: dict = defaultdict(int)
    for h in households:
        cells[(h.partner.name, size_band(h.size))][0] += 1
        if h.pk not in exported:
            hidden_part[(h.partner.name, size_band(h.size))] += 1
    tables.append(_table(
        "agg_households_partner_size", "Ménages inscrits (tous, avec ou sans accord pour la recherche) par "
        "organisme et taille du ménage.", "Enrolled households (all, with or without research consent) by partner "
        "and household size.",
        PARTNER, Column("size_band", TEXT, "Taille du ménage : 1, 2, 3, 4, 5+ ; « (total) » pour toutes.",
                        "Household size band; « (total) » for all."),
        [Column("households", INTEGER, "Nombre de ménages.", "Number of households.", ("ménages", "households"))],
        partners, list(SIZE_BANDS), cells, threshold, hidden_part,
    ))

    cells, hidden_part = defaultdict(lambda: [0]), defaultdict(int)
    weeks = set()
    for h in households:
        week = local_week(h.enrolled_at)
        weeks.add(week)
        cells[(h.partner.name, week)][0] += 1
        if h.pk not in exported:
            hidden_part[(h.partner.name, week)] += 1
    tables.append(_table(
        "agg_households_partner_week", "Ménages inscrits par organisme et semaine d'inscription.",
        "Enrolled households by partner and week of enrolment.",
        PARTNER, Column("enrolment_week", WEEK, "Semaine de l'inscription ; « (total) » pour toutes.",
                        "Week of enrolment; « (total) » for all."),
        [Column("households", INTEGER, "Nombre de ménages.", "Number of households.", ("ménages", "households"))],
        partners, sorted(weeks), cells, threshold, hidden_part,
    ))

    cells, hidden_part = defaultdict(lambda: [0]), defaultdict(int)
    for h in households:
        for attribute, band in AGE_BANDS:
            cells[(h.partner.name, band)][0] += getattr(h, attribute)
            if h.pk not in exported:
                hidden_part[(h.partner.name, band)] += getattr(h, attribute)
    tables.append(_table(
        "agg_people_partner_age", "Personnes des ménages inscrits par organisme et groupe d'âge.",
        "People in enrolled households by partner and age band.",
        PARTNER, Column("age_band", TEXT, "Groupe d'âge : 0-5, 6-17, 18-64, 65+ ; « (total) » pour tous.",
                        "Age band: 0-5, 6-17, 18-64, 65+; « (total) » for all."),
        [Column("people", INTEGER, "Nombre de personnes.", "Number of people.", ("personnes", "people"))],
        partners, [band for _a, band in AGE_BANDS], cells, threshold, hidden_part,
    ))

    partner_of = {h.pk: h.partner.name for h in households}
    cells, hidden_part = defaultdict(lambda: [0, 0]), defaultdict(int)
    given = (
        Distribution.objects.filter(household__season=season, given_cents__gt=0)
        .values("household_id", "period_number").annotate(total=Sum("given_cents")).order_by()
    )
    credits = [{"household_id": h, "period_number": p, "total": c} for h, p, c in card_credits(season)]
    for row in [*given, *credits]:
        partner = partner_of.get(row["household_id"])
        if partner is None:
            continue
        cell = cells[(partner, row["period_number"])]
        cell[0] += 1
        cell[1] += row["total"]
        if row["household_id"] not in exported:
            hidden_part[(partner, row["period_number"])] += 1
    periods = [p.number for p in season_periods(season)]
    tables.append(_table(
        "agg_distributed_partner_period", "Coupons remis (et crédits sur les cartes) par organisme et période de "
        "remise.", "Coupons handed out (and card credits) by partner and distribution period.",
        PARTNER, Column("period", INTEGER, "Numéro de la période de remise ; « (total) » pour toutes.",
                        "Distribution period number; « (total) » for all."),
        [Column("households", INTEGER, "Ménages qui ont reçu des coupons pour la période (dans un total, un ménage "
                "compte une fois par période).", "Households that received coupons for the period (in a total, a "
                "household counts once per period).", ("ménages", "households")),
         Column("value", DOLLARS, "Valeur des coupons remis.", "Value of the coupons handed out.")],
        partners, periods, cells, threshold, hidden_part,
    ))

    # From the rows already read (redemptions.csv and redemption_counts.csv), not from the database again.
    cells = defaultdict(lambda: [0, 0])
    markets, weeks = set(), set()
    for week, market, _kind, _vendor, _vendor_kind, _means, _class, cents, outcome, *_rest in redemptions.rows:
        if outcome != Outcome.ACCEPTED:
            continue
        markets.add(market)
        weeks.add(week)
        cells[(market, week)][0] += 1
        cells[(market, week)][1] += cents
    for week, market, _vendor, _vendor_kind, _denomination, number, cents in counted.rows:
        markets.add(market)
        weeks.add(week)
        cells[(market, week)][0] += number
        cells[(market, week)][1] += cents
    tables.append(_table(
        "agg_redeemed_market_week", "Coupons acceptés (et achats par carte) par marché et semaine, coupons comptés "
        "par valeur compris.", "Accepted coupons (and card purchases) by market and week, coupons counted by value "
        "included.",
        Column("market", TEXT, "Marché (vide : non noté) ; « (total) » pour tous.",
               "Market (blank: not recorded); « (total) » for all."),
        Column("week", WEEK, "Semaine ; « (total) » pour toutes.", "Week; « (total) » for all."),
        [Column("coupons", INTEGER, "Nombre de coupons (ou d'achats par carte).", "Number of coupons (or card "
                "purchases).", ("coupons", "coupons")),
         Column("value", DOLLARS, "Valeur acceptée.", "Value accepted.")],
        sorted(markets), sorted(weeks), cells, threshold,
    ))
    return tables


# --- Files --------------------------------------------------------------------------------------------------

DICTIONARY_COLUMNS = [
    Column("file", TEXT, "Nom du fichier.", "File name."),
    Column("column", TEXT, "Nom de la colonne.", "Column name."),
    Column("type", TEXT, "Type de valeur.", "Value type."),
    Column("unit_fr", TEXT, "Unité (en français).", "Unit (in French)."),
    Column("unit_en", TEXT, "Unité (en anglais).", "Unit (in English)."),
    Column("description_fr", TEXT, "Ce que la colonne contient, en français.", "What the column holds, in French."),
    Column("description_en", TEXT, "Ce que la colonne contient, en anglais.", "What the column holds, in English."),
]


def dictionary(datasets: list[Dataset]) -> Dataset:
    entry = Dataset("dictionary", "Une colonne d'un fichier de l'export.", "One column of one file of the export.",
                    DICTIONARY_COLUMNS)
    for dataset in [*datasets, entry]:
        for column in dataset.columns:
            kind_fr, kind_en = KIND_WORDS[column.kind]
            unit_fr, unit_en = column.units()
            entry.rows.append([f"{dataset.name}.csv", column.name, kind_en, unit_fr, unit_en, column.fr, column.en])
    return entry


def _cell(column: Column, value) -> str:
    if value is None:
        return ""
    if column.kind == DOLLARS:
        return dollars(value)
    if column.kind == WEEK and isinstance(value, datetime.date):
        return value.isoformat()
    if column.kind == TEXT:
        return safe_cell(str(value))
    return str(value)


def written_rows(dataset: Dataset) -> list[list[str]]:
    """The rows as text, as both the CSV and the workbook write them (computed once for both)."""
    columns = dataset.columns
    return [[_cell(c, v) for c, v in zip(columns, row, strict=True)] for row in dataset.rows]


def to_csv(dataset: Dataset, rows: list[list[str]] | None = None) -> bytes:
    """UTF-8 with a byte order mark (Excel in French reads the accents), comma-separated, one header line."""
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow([c.name for c in dataset.columns])
    out.writerows(written_rows(dataset) if rows is None else rows)
    return buffer.getvalue().encode("utf-8-sig")


XLSX_KINDS = {DOLLARS: xlsx.AMOUNT, INTEGER: xlsx.NUMBER, FLAG: xlsx.NUMBER}


def to_xlsx(datasets: list[Dataset], written: dict[str, list[list[str]]] | None = None) -> tuple[bytes, list[str]]:
    """One sheet per file, named as the file; amounts as numbers in dollars. A table too long for a sheet
    (over a million rows) is left out: its names are returned, and the notes say it is in the CSV only."""
    written = written or {}
    sheets, left_out = [], []
    for dataset in datasets:
        if len(dataset.rows) >= xlsx.MAX_ROWS:
            left_out.append(dataset.name)
            continue
        rows = written.get(dataset.name) or written_rows(dataset)
        sheets.append((dataset.name, [c.name for c in dataset.columns],
                       [XLSX_KINDS.get(c.kind, xlsx.TEXT) for c in dataset.columns], rows))
    return xlsx.workbook(sheets), left_out


def season_export(season: Season, *, threshold: int) -> tuple[str, bytes]:
    """The file name and the bytes of the season's research export (a ZIP)."""
    from pcn.research.readme import readme_en, readme_fr

    households, distributions, exported = household_rows(season)
    redemptions, counted = redemption_rows(season)
    aggregates = aggregate_tables(season, threshold, exported, redemptions, counted)
    datasets = [households, distributions, redemptions, counted, *aggregates]
    entry = dictionary(datasets)
    facts = {
        "program": season.program.name, "season": season.name, "starts_on": season.starts_on,
        "ends_on": season.ends_on, "threshold": threshold, "made_on": timezone.localdate(),
        "datasets": [entry, *datasets],
    }
    workbook_name = "pcn-recherche.xlsx"
    written = {dataset.name: written_rows(dataset) for dataset in [entry, *datasets]}
    book, left_out = to_xlsx([entry, *datasets], written)
    facts["not_in_workbook"] = left_out
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LISEZ-MOI.txt", readme_fr(facts, workbook_name).encode("utf-8"))
        archive.writestr("README.txt", readme_en(facts, workbook_name).encode("utf-8"))
        for dataset in [entry, *datasets]:
            archive.writestr(f"{dataset.name}.csv", to_csv(dataset, written[dataset.name]))
        archive.writestr(workbook_name, book)
    name = f"recherche-{slugify(season.program.name)}-{slugify(season.name)}.zip"
    return name, buffer.getvalue()
