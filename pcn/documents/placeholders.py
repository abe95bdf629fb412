"""The placeholders a wording may use, and their values from a program's data.

A placeholder is written ``{{ name }}``. Three sorts:

- text: replaced inside a sentence (``{{ program }}``, ``{{ valid_until }}``);
- list: alone on its line, becomes a bulleted list (``{{ markets }}``);
- rows: alone on its line inside a table, under the table's header, becomes rows of that table
  (``{{ entitlement_rows }}``); the table's header, written in the wording, says what the columns are.

Values are gathered first as plain `Facts` (from the database, or the sample used by the preview), then
written in the document's language by `values`.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from pcn.documents.kinds import FIXED
from pcn.programs.choices import ProductCategory, SalePointKind

TEXT, LIST, ROWS = "text", "list", "rows"

# name: (sort, what it shows, for the editing page)
PLACEHOLDERS: dict[str, tuple[str, object]] = {
    "program": (TEXT, _("le nom du programme")),
    "fiduciary": (TEXT, _("le fiduciaire, qui détient l'argent et paie les marchands")),
    "fiduciary_contact": (TEXT, _("le courriel et le téléphone du fiduciaire")),
    "season": (TEXT, _("le nom de la saison")),
    "season_start": (TEXT, _("la date de début de la saison")),
    "season_end": (TEXT, _("la date de fin de la saison")),
    "weeks": (TEXT, _("le nombre de semaines de la saison")),
    "frequency": (TEXT, _("la fréquence des remises (« chaque semaine »…)")),
    "valid_from": (TEXT, _("la date à partir de laquelle les coupons sont valides")),
    "valid_until": (TEXT, _("la dernière date où les coupons sont valides")),
    "denominations": (TEXT, _("les valeurs des coupons (« 2 $, 5 $ et 10 $ »)")),
    "places": (TEXT, _("les types de lieux où les coupons sont acceptés")),
    "vendor": (TEXT, _("le nom du marchand, ou une ligne à remplir")),
    "partner": (TEXT, _("le nom de l'organisme partenaire, ou une ligne à remplir")),
    "today": (TEXT, _("la date où le document est produit")),
    "coupon_classes": (LIST, _("liste : chaque sorte de coupon et ce qu'elle permet d'acheter")),
    "markets": (LIST, _("liste : les marchés et les points de vente du programme, avec leur adresse")),
    "partners": (LIST, _("liste : les organismes partenaires, avec leur téléphone")),
    "consent": (LIST, _("liste : les consentements demandés au ménage, avec ce qu'ils veulent dire")),
    "entitlement_rows": (ROWS, _("lignes de tableau : taille du ménage, montant par remise")),
    "denomination_rows": (ROWS, _("lignes de tableau : une par valeur de coupon, les autres cases vides")),
    "blank_rows": (ROWS, _("lignes de tableau : 16 lignes vides à remplir à la main")),
}

BLANK_LINE = "______________________________"
BLANK_ROWS = 16


@dataclass
class Facts:
    """A program's data as documents need it, in no language yet (codes, cents, dates)."""

    program: str
    fiduciary: str = ""
    fiduciary_contact: str = ""
    season: str = ""
    season_start: datetime.date | None = None
    season_end: datetime.date | None = None
    weeks: int = 0
    frequency: str = ""  # Season.Frequency value
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    size_cap: int = 0
    entitlements: list[tuple[int, int]] = field(default_factory=list)  # (household size, cents per period)
    denominations: list[int] = field(default_factory=list)  # cents
    coupon_classes: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, ProductCategory values)
    places: list[str] = field(default_factory=list)  # SalePointKind values
    markets: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)  # name, town, points
    partners: list[tuple[str, str]] = field(default_factory=list)  # (name, phone)
    vendor: str = ""
    partner: str = ""
    today: datetime.date | None = None


@dataclass
class Values:
    text: dict[str, str]
    lists: dict[str, list[str]]
    rows: dict[str, list[list[str]]]


def facts_for(*, season, vendor=None, partner=None) -> Facts:
    """The facts of a season of a program, for one vendor or partner or for nobody in particular."""
    from django.utils import timezone

    from pcn.programs.models import Organization

    program = season.program
    fiduciary = program.fiduciary
    markets = []
    for market in program.markets.prefetch_related("sale_points").order_by("name"):
        points = [(p.name, p.address) for p in market.sale_points.all() if p.kind in season.accepted_sale_point_kinds]
        if points:  # a market none of whose places takes the season's coupons would send households in vain
            markets.append((market.name, market.municipality, points))
    partners = program.organizations.filter(kind__in=Organization.PARTNER_KINDS).order_by("name")
    return Facts(
        program=program.name,
        fiduciary=fiduciary.name if fiduciary else "",
        fiduciary_contact=" · ".join(v for v in (fiduciary.email, fiduciary.phone) if v) if fiduciary else "",
        season=season.name,
        season_start=season.starts_on,
        season_end=season.ends_on,
        weeks=season.weeks,
        frequency=season.frequency,
        valid_from=season.coupons_valid_from,
        valid_until=season.coupons_valid_until,
        size_cap=season.household_size_cap,
        entitlements=[(r.household_size, r.amount_cents) for r in season.entitlement_rows.order_by("household_size")],
        denominations=[d.value_cents for d in season.denominations.order_by("value_cents")],
        coupon_classes=[(c.name, list(c.categories)) for c in season.coupon_classes.order_by("name")],
        places=list(season.accepted_sale_point_kinds),
        markets=markets,
        partners=[(p.name, p.phone) for p in partners],
        vendor=vendor.business_name if vendor else "",
        partner=partner.name if partner else "",
        today=timezone.localdate(),
    )


def sample_facts() -> Facts:
    """Made-up facts for the editing page's preview, modelled on the Portneuf pilot (no database)."""
    return Facts(
        program="PCN de Portneuf",
        fiduciary="UPA de la Capitale-Nationale–Côte-Nord",
        fiduciary_contact="coupons@example.org · 418 555-0100",
        season="Été 2026",
        season_start=datetime.date(2026, 6, 13),
        season_end=datetime.date(2026, 9, 5),
        weeks=12,
        frequency="weekly",
        valid_from=datetime.date(2026, 6, 13),
        valid_until=datetime.date(2026, 9, 12),
        size_cap=4,
        entitlements=[(1, 2500), (2, 4000), (3, 5000), (4, 6000)],
        denominations=[200, 500, 1000],
        coupon_classes=[("Fruits et légumes", ["vegetables", "fruit"]),
                        ("Tous les aliments admissibles", ["vegetables", "fruit", "eggs", "dairy", "meat", "honey"])],
        places=["market", "farm_stand"],
        markets=[("Marché public de Saint-Casimir", "Saint-Casimir",
                  [("Place de l'église", "510, boul. de la Montagne")]),
                 ("Marché de Saint-Raymond", "Saint-Raymond", [("Parc Alex-Paquet", "1, rue Saint-Jacques")])],
        partners=[("Carrefour F.M. Portneuf", "418 555-0111"), ("Service d'entraide de Pont-Rouge", "418 555-0122")],
        vendor="",
        partner="",
        today=datetime.date(2026, 5, 1),
    )


def day(value: datetime.date | None, language: str) -> str:
    """« 13 juin 2026 » or « June 13, 2026 » (Django's own month names, so no catalogue of ours is needed)."""
    if value is None:
        return BLANK_LINE
    with translation.override(language):
        return date_format(value, "j F Y" if language == "fr" else "F j, Y")


def money(cents: int, language: str) -> str:
    """A coupon value as a poster says it: « 5 $ », « 2,50 $ »; « $5 », « $2.50 »."""
    units, rest = divmod(cents, 100)
    if language == "fr":
        return f"{units}\u00a0$" if not rest else f"{units},{rest:02d}\u00a0$"
    return f"${units}" if not rest else f"${units}.{rest:02d}"


def joined(items: list[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {'et' if language == 'fr' else 'and'} {items[-1]}"


def _consents() -> list[str]:
    """The consents the enrolment form asks for, in its own words (pcn.households.forms), one per purpose."""
    from pcn.households.forms import HouseholdEnrolForm

    fields = HouseholdEnrolForm.base_fields
    return [f"{fields[name].label} {fields[name].help_text}" for _purpose, name in HouseholdEnrolForm.CONSENTS]


def values(facts: Facts, language: str) -> Values:
    """Every placeholder's value, written in `language` ("fr" or "en")."""
    from pcn.programs.models import Season

    fixed = FIXED[language]
    with translation.override(language):
        categories = dict(ProductCategory.choices)
        kinds = dict(SalePointKind.choices)
        frequencies = dict(Season.Frequency.choices)
        text = {
            "program": facts.program,
            "fiduciary": facts.fiduciary or BLANK_LINE,
            "fiduciary_contact": facts.fiduciary_contact or BLANK_LINE,
            "season": facts.season or BLANK_LINE,
            "season_start": day(facts.season_start, language),
            "season_end": day(facts.season_end, language),
            "weeks": str(facts.weeks) if facts.weeks else BLANK_LINE,
            "frequency": str(frequencies.get(facts.frequency, BLANK_LINE)).lower(),
            "valid_from": day(facts.valid_from, language),
            "valid_until": day(facts.valid_until, language),
            "denominations": joined([money(c, language) for c in facts.denominations], language) or BLANK_LINE,
            "places": joined([str(kinds.get(k, k)).lower() for k in facts.places], language) or BLANK_LINE,
            "vendor": facts.vendor or BLANK_LINE,
            "partner": facts.partner or BLANK_LINE,
            "today": day(facts.today, language),
        }
        lists = {
            "coupon_classes": [
                f"{name} : {', '.join(str(categories.get(c, c)).lower() for c in codes)}"
                if language == "fr" else f"{name}: {', '.join(str(categories.get(c, c)).lower() for c in codes)}"
                for name, codes in facts.coupon_classes
            ],
            "markets": [
                f"{name} ({town})" + (" — " + " ; ".join(f"{p}, {a}" for p, a in points) if points else "")
                for name, town, points in facts.markets
            ],
            "partners": [f"{name} ({phone})" if phone else name for name, phone in facts.partners],
            "consent": _consents(),
        }
    lists = {name: items or [fixed["none"]] for name, items in lists.items()}
    entitlement_rows = []
    for size, cents in facts.entitlements:
        label = fixed["or_more"].format(size=size) if facts.size_cap and size >= facts.size_cap else str(size)
        entitlement_rows.append([label, money(cents, language)])
    rows = {
        "entitlement_rows": entitlement_rows,
        "denomination_rows": [[money(c, language)] for c in facts.denominations],
        "blank_rows": [[] for _ in range(BLANK_ROWS)],
    }
    return Values(text=text, lists=lists, rows=rows)
