"""Demonstration data: three fictional programs modelled on the Québec pilots, and one login per role.

Everything here is invented (people, businesses, most organizations); places, schedules and amounts
follow the public facts in the design notes (FACTS.md). `demo_seed` is idempotent: rows are found by
their natural names, updated only when they differ from the data below, and append-only records
(authorizations, decisions, agreements, memberships) are created only when missing. Coupon series are
issued, and booklets handed to partners, only in a season that has no series yet: the custody ledger is
append-only, so a second run never adds to it. Likewise the running season's coupons are handed to households,
sold and redeemed only while none has gone past the partners. Portneuf's summer 2026, a whole past season for the
dashboards, is in `pcn.accounts.demo_summer`; every season's dashboard figures are computed at the end.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from pcn.accounts.demo_summer import seed_summer
from pcn.accounts.models import Membership, Role
from pcn.coupons import codes
from pcn.coupons.models import Colour, Coupon, CouponStatus, CustodyEvent
from pcn.coupons.selectors import ranges_for_booklets
from pcn.coupons.services import coupons_move, series_issue
from pcn.governance.models import Agreement, CommitteeMember
from pcn.governance.services import agreement_record, committee_member_save, decision_record
from pcn.markets.models import Market, SalePoint, Vendor, Weekday
from pcn.markets.services import (
    market_save,
    sale_point_save,
    sale_point_set_hours,
    vendor_authorize,
    vendor_save,
)
from pcn.programs.choices import ProductCategory, Region, SalePointKind
from pcn.programs.models import CouponClass, Network, Organization, Program, Season
from pcn.programs.services import (
    coupon_class_save,
    organization_save,
    program_save,
    season_save,
    season_set_denominations,
    season_set_entitlements,
)
from pcn.redemptions.models import Source

DEMO_PASSWORD = "pcn-demo-2026"
NETWORK_NAME = "Réseau des marchés publics du Québec (démo)"

Org = Organization.Kind
Kind = SalePointKind
Cat = ProductCategory
FRUITS_AND_VEGETABLES = [Cat.VEGETABLES, Cat.FRUIT, Cat.HERBS, Cat.FOOD_PLANTS]
ALL_FOODS = list(Cat.values)


# --- What the data looks like ---------------------------------------------------------------------


@dataclass(frozen=True)
class OrgSpec:
    name: str
    kind: str
    contact_name: str = ""
    phone: str = ""
    address: str = ""

    @property
    def email(self) -> str:
        return f"{_slug(self.contact_name)}@example.org" if self.contact_name else ""


Hours = tuple[tuple[int, datetime.time, datetime.time], ...]  # (weekday, opens, closes) in local time
MON, TUE, WED, THU, FRI, SAT, SUN = Weekday.values
EVERY_DAY = tuple(Weekday.values)


def _open(days: tuple[int, ...], opens: str, closes: str) -> Hours:
    """The same hours on each of the days: _open((SAT,), "09:00", "13:00")."""
    return tuple((day, datetime.time.fromisoformat(opens), datetime.time.fromisoformat(closes)) for day in days)


@dataclass(frozen=True)
class SalePointSpec:
    name: str
    kind: str
    address: str
    latitude: str
    longitude: str
    hours: Hours
    note: str  # the sale point's `schedule`: what the hours do not say (months, every other week)


@dataclass(frozen=True)
class MarketSpec:
    name: str
    municipality: str
    sale_points: tuple[SalePointSpec, ...]
    operator: str = ""  # an OrgSpec name of the same program


@dataclass(frozen=True)
class VendorSpec:
    business_name: str
    kind: str
    contact_name: str
    categories: tuple[str, ...]
    sells_at: tuple[str, ...]  # market names; the vendor is attached to every sale point of each
    phone: str = ""


@dataclass(frozen=True)
class SeasonSpec:
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    weeks: int
    frequency: str
    amounts_dollars: tuple[int, ...]  # per period, for household sizes 1..cap (the cap is the length)
    denominations_dollars: tuple[int, ...]
    classes: tuple[tuple[str, tuple[str, ...]], ...]
    accepted_kinds: tuple[str, ...]
    not_authorized: tuple[str, ...] = ()  # vendors not (yet) authorized for this season


@dataclass(frozen=True)
class ProgramSpec:
    name: str
    kind: str
    region: str
    languages: tuple[str, ...]
    fiduciary: str
    organizations: tuple[OrgSpec, ...]
    markets: tuple[MarketSpec, ...]
    vendors: tuple[VendorSpec, ...]
    seasons: tuple[SeasonSpec, ...]
    authorized_by: str  # username of the login that authorizes the vendors


@dataclass(frozen=True)
class LoginSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    title: str  # the role in French, as the printed table shows it
    program: str = ""  # ProgramSpec name; empty for network roles
    organization: str = ""
    market: str = ""
    vendor: str = ""
    superuser: bool = False


@dataclass(frozen=True)
class Login:
    """What the command prints for each demo account."""

    role: str
    username: str
    password: str = field(default=DEMO_PASSWORD)


def _d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _slug(name: str) -> str:
    table = str.maketrans("àâçéèêëîïôöùûüÀÂÇÉÈÊËÎÏÔÖÙÛÜ", "aaceeeeiioouuuAACEEEEIIOOUUU")
    return ".".join(name.translate(table).lower().replace("-", " ").replace("'", " ").split())


# --- PCN Portneuf: a rural MRC, three public markets and some farm stands -------------------------

PORTNEUF = ProgramSpec(
    name="PCN Portneuf",
    kind=Program.Kind.MRC,
    region=Region.CAPITALE_NATIONALE,
    languages=("fr",),
    fiduciary="Syndicat régional des producteurs (démo)",
    organizations=(
        OrgSpec("Syndicat régional des producteurs (démo)", Org.FIDUCIARY, "Hélène Bédard", "418-555-0101",
                "185, rue Dupont, Pont-Rouge (Québec) G3H 1N4"),
        OrgSpec("Fonds de développement du milieu de Portneuf (démo)", Org.FUNDER, "François Morin", "418-555-0102",
                "160, rue Saint-Joseph, Saint-Raymond (Québec) G3L 1J1"),
        OrgSpec("MRC de Portneuf – développement économique (démo)", Org.FUNDER, "Nadia Bouchard", "418-555-0103",
                "185, route 138, Cap-Santé (Québec) G0A 1L0"),
        OrgSpec("Coopérative des marchés publics de Portneuf (démo)", Org.MARKET_OPERATOR, "Pierre Lavoie",
                "418-555-0104", "510, boulevard de la Montagne, Saint-Casimir (Québec) G0A 3L0"),
        OrgSpec("Entraide alimentaire de Saint-Raymond", Org.COMMUNITY_PARTNER, "Sophie Trudel", "418-555-0111",
                "300, rue Saint-Cyrille, Saint-Raymond (Québec) G3L 4A5"),
        OrgSpec("Maison de la famille de Portneuf", Org.COMMUNITY_PARTNER, "Lucie Alain", "418-555-0112",
                "222, rue Principale, Saint-Casimir (Québec) G0A 3L0"),
        OrgSpec("Centre d'action bénévole de Portneuf-Ouest", Org.COMMUNITY_PARTNER, "Gilles Beaupré", "418-555-0113",
                "45, rue de l'Église, Saint-Marc-des-Carrières (Québec) G0A 4B0"),
        OrgSpec("Comptoir solidaire de Deschambault", Org.COMMUNITY_PARTNER, "Maryse Perron", "418-555-0114",
                "120, chemin du Roy, Deschambault-Grondines (Québec) G0A 1S0"),
    ),
    markets=(
        MarketSpec("Marché public de Saint-Raymond", "Saint-Raymond", (
            SalePointSpec("Place de l'Église", Kind.MARKET, "Place de l'Église, rue Saint-Joseph, Saint-Raymond "
                          "(Québec) G3L 1H3", "46.8995", "-71.8381", _open((SAT,), "09:00", "13:00"),
                          "de juin à septembre"),
        ), operator="Coopérative des marchés publics de Portneuf (démo)"),
        MarketSpec("Marché public de Saint-Casimir", "Saint-Casimir", (
            SalePointSpec("Place publique", Kind.MARKET, "510, boulevard de la Montagne, Saint-Casimir (Québec) "
                          "G0A 3L0", "46.6556", "-72.1372", _open((FRI,), "15:00", "19:00"), "de juin à septembre"),
        ), operator="Coopérative des marchés publics de Portneuf (démo)"),
        MarketSpec("Marché public de Deschambault-Grondines", "Deschambault-Grondines", (
            SalePointSpec("Site du Moulin de La Chevrotière", Kind.MARKET, "109, chemin du Roy, "
                          "Deschambault-Grondines (Québec) G0A 1S0", "46.6478", "-71.9283",
                          _open((SUN,), "10:00", "14:00"), "de juin à septembre"),
        ), operator="Coopérative des marchés publics de Portneuf (démo)"),
        MarketSpec("Ferme des Trois-Ruisseaux", "Saint-Basile", (
            SalePointSpec("Kiosque à la ferme", Kind.FARM_STAND, "215, rang Sainte-Angélique, Saint-Basile (Québec) "
                          "G0A 3G0", "46.7664", "-71.8152", _open((THU, FRI, SAT, SUN), "10:00", "17:00"),
                          "de juillet à octobre"),
        )),
        MarketSpec("Ferme Bel-Horizon", "Pont-Rouge", (
            SalePointSpec("Kiosque libre-service", Kind.SELF_SERVE, "48, rang du Brûlé, Pont-Rouge (Québec) G3H 1A1",
                          "46.7721", "-71.7048", _open(EVERY_DAY, "07:00", "20:00"),
                          "de juillet à septembre, du lever au coucher du soleil"),
        )),
        MarketSpec("Ferme du Coteau fleuri", "Neuville", (
            SalePointSpec("Champs d'autocueillette", Kind.U_PICK, "780, route 138, Neuville (Québec) G0A 2R0",
                          "46.7034", "-71.5897", _open(EVERY_DAY, "08:00", "16:00"),
                          "fraises en juin et juillet, framboises en août"),
        )),
    ),
    vendors=(
        VendorSpec("Ferme des Trois-Ruisseaux", Vendor.Kind.PRODUCER, "Martin Gauthier",
                   (Cat.VEGETABLES, Cat.EGGS, Cat.HERBS),
                   ("Ferme des Trois-Ruisseaux", "Marché public de Saint-Raymond"), "418-555-0121"),
        VendorSpec("Ferme Bel-Horizon", Vendor.Kind.PRODUCER, "Chantal Robitaille", (Cat.VEGETABLES, Cat.FRUIT),
                   ("Ferme Bel-Horizon", "Marché public de Saint-Casimir"), "418-555-0122"),
        VendorSpec("Ferme du Coteau fleuri", Vendor.Kind.PRODUCER, "Yves Delisle",
                   (Cat.FRUIT, Cat.VEGETABLES, Cat.FOOD_PLANTS),
                   ("Ferme du Coteau fleuri", "Marché public de Deschambault-Grondines"), "418-555-0123"),
        VendorSpec("Les Jardins de la Sainte-Anne", Vendor.Kind.PRODUCER, "Annie Côté",
                   (Cat.VEGETABLES, Cat.HERBS, Cat.FOOD_PLANTS),
                   ("Marché public de Saint-Casimir", "Marché public de Saint-Raymond"), "418-555-0124"),
        VendorSpec("Érablière du rang Notre-Dame", Vendor.Kind.PRODUCER, "Réjean Matte", (Cat.MAPLE,),
                   ("Marché public de Saint-Raymond", "Marché public de Saint-Casimir"), "418-555-0125"),
        VendorSpec("Rucher des Grondines", Vendor.Kind.PRODUCER, "Isabelle Hamel", (Cat.HONEY,),
                   ("Marché public de Deschambault-Grondines",), "418-555-0126"),
        VendorSpec("Fromagerie du Vieux-Moulin", Vendor.Kind.PROCESSOR, "Jean-Philippe Naud", (Cat.DAIRY,),
                   ("Marché public de Deschambault-Grondines", "Marché public de Saint-Casimir"), "418-555-0127"),
        VendorSpec("Boulangerie La Mie de Portneuf", Vendor.Kind.PROCESSOR, "Caroline Genois", (Cat.PROCESSED,),
                   ("Marché public de Saint-Raymond",), "418-555-0128"),
        VendorSpec("Ferme d'élevage Lachance", Vendor.Kind.PRODUCER, "Guy Lachance", (Cat.MEAT, Cat.EGGS),
                   ("Marché public de Saint-Casimir", "Marché public de Saint-Raymond"), "418-555-0129"),
        VendorSpec("Les Conserves de grand-maman Huot", Vendor.Kind.ARTISAN, "Monique Huot",
                   (Cat.PROCESSED, Cat.FRUIT), ("Marché public de Saint-Casimir",), "418-555-0130"),
    ),
    seasons=(
        SeasonSpec("Été 2026", _d("2026-06-13"), _d("2026-09-05"), 12, Season.Frequency.WEEKLY,
                   (25, 35, 45, 50, 55, 60), (2, 5, 10),
                   (("Fruits et légumes", tuple(FRUITS_AND_VEGETABLES)), ("Tous les aliments admissibles",
                                                                          tuple(ALL_FOODS))),
                   (Kind.MARKET, Kind.FARM_STAND, Kind.SELF_SERVE, Kind.U_PICK),
                   not_authorized=("Les Conserves de grand-maman Huot",)),  # joined in 2027
        SeasonSpec("Été 2027", _d("2027-06-12"), _d("2027-09-04"), 12, Season.Frequency.WEEKLY,
                   (25, 35, 45, 50, 55, 60), (2, 5, 10),
                   (("Fruits et légumes", tuple(FRUITS_AND_VEGETABLES)), ("Tous les aliments admissibles",
                                                                          tuple(ALL_FOODS))),
                   (Kind.MARKET, Kind.FARM_STAND, Kind.SELF_SERVE, Kind.U_PICK),
                   not_authorized=("Boulangerie La Mie de Portneuf",)),  # renewal pending: work for the coordinator
    ),
    authorized_by="coordo",
)


# --- PCN Bas-Saint-Laurent: a remote region, six public markets over six MRCs ---------------------

BSL = ProgramSpec(
    name="PCN Bas-Saint-Laurent",
    kind=Program.Kind.REGION,
    region=Region.BAS_SAINT_LAURENT,
    languages=("fr",),
    fiduciary="Regroupement bioalimentaire du Bas-Saint-Laurent (démo)",
    organizations=(
        OrgSpec("Regroupement bioalimentaire du Bas-Saint-Laurent (démo)", Org.FIDUCIARY, "Catherine Dionne",
                "418-555-0201", "337, rue Moreault, Rimouski (Québec) G5L 1P4"),
        OrgSpec("Fonds régional pour la sécurité alimentaire (démo)", Org.FUNDER, "Richard Pelletier",
                "418-555-0202", "70, rue Saint-Germain Est, Rimouski (Québec) G5L 7J9"),
        OrgSpec("Entraide alimentaire du Kamouraska", Org.COMMUNITY_PARTNER, "Josée Lévesque", "418-555-0211",
                "470, avenue Chapleau, Saint-Pascal (Québec) G0L 3Y0"),
        OrgSpec("Cuisines collectives de La Pocatière", Org.COMMUNITY_PARTNER, "Martine Ouellet", "418-555-0212",
                "900, 6e Avenue, La Pocatière (Québec) G0R 1Z0"),
        OrgSpec("Comptoir alimentaire de Rimouski", Org.COMMUNITY_PARTNER, "Simon Gagné", "418-555-0213",
                "145, rue de l'Évêché Est, Rimouski (Québec) G5L 1X8"),
        OrgSpec("Maison des familles de Rimouski-Neigette", Org.COMMUNITY_PARTNER, "Valérie Roy", "418-555-0214",
                "250, rue Saint-Louis, Rimouski (Québec) G5L 5R1"),
        OrgSpec("Centre d'entraide de La Mitis", Org.COMMUNITY_PARTNER, "Denise Proulx", "418-555-0215",
                "1, avenue de la Gare, Mont-Joli (Québec) G5H 1N8"),
        OrgSpec("Popote roulante de Sainte-Flavie", Org.COMMUNITY_PARTNER, "Claude Saint-Pierre", "418-555-0216",
                "775, route de la Mer, Sainte-Flavie (Québec) G0J 2L0"),
        OrgSpec("Carrefour solidaire de Matane", Org.COMMUNITY_PARTNER, "Élise Fournier", "418-555-0217",
                "382, avenue Saint-Jérôme, Matane (Québec) G4W 3B3"),
        OrgSpec("Jardins communautaires du Témiscouata", Org.COMMUNITY_PARTNER, "Luc Thériault", "418-555-0218",
                "45, rue Commerciale, Témiscouata-sur-le-Lac (Québec) G0L 1X0"),
        OrgSpec("Maison de la famille de Rivière-du-Loup", Org.COMMUNITY_PARTNER, "Karine Michaud", "418-555-0219",
                "95, rue Lafontaine, Rivière-du-Loup (Québec) G5R 3A7"),
    ),
    markets=(
        MarketSpec("Marché public de Kamouraska", "Kamouraska", (
            SalePointSpec("Terrain du quai", Kind.MARKET, "69, avenue Morel, Kamouraska (Québec) G0L 1M0",
                          "47.5663", "-69.8678", _open((SAT,), "09:00", "13:00"), "de juin à septembre"),
        )),
        MarketSpec("Marché public de Rimouski", "Rimouski", (
            SalePointSpec("Place du marché", Kind.MARKET, "35, rue Saint-Germain Ouest, Rimouski (Québec) G5L 4B4",
                          "48.4488", "-68.5257", _open((SAT,), "09:00", "14:00"), "de juin à octobre"),
        )),
        MarketSpec("Marché public de Mont-Joli", "Mont-Joli", (
            SalePointSpec("Parc de la gare", Kind.MARKET, "1, avenue Doucet, Mont-Joli (Québec) G5H 1R1",
                          "48.5841", "-68.1916", _open((THU,), "15:00", "19:00"), "de juillet à septembre"),
        )),
        MarketSpec("Marché public de Matane", "Matane", (
            SalePointSpec("Promenade des Capitaines", Kind.MARKET, "235, avenue Saint-Jérôme, Matane (Québec) "
                          "G4W 3A7", "48.8468", "-67.5313", _open((SAT,), "09:00", "13:00"), "de juin à septembre"),
        )),
        MarketSpec("Marché public de Témiscouata-sur-le-Lac", "Témiscouata-sur-le-Lac", (
            SalePointSpec("Halte du lac", Kind.MARKET, "20, rue Commerciale, Témiscouata-sur-le-Lac (Québec) "
                          "G0L 1X0", "47.6803", "-68.8762", _open((FRI,), "14:00", "18:00"),
                          "de juillet à septembre"),
        )),
        MarketSpec("Marché public de Rivière-du-Loup", "Rivière-du-Loup", (
            SalePointSpec("Parc de l'Hôtel-de-Ville", Kind.MARKET, "65, rue de l'Hôtel-de-Ville, Rivière-du-Loup "
                          "(Québec) G5R 1L4", "47.8335", "-69.5340", _open((SUN,), "10:00", "14:00"),
                          "de juin à septembre"),
        )),
    ),
    vendors=(
        VendorSpec("Ferme La Rose des Champs", Vendor.Kind.PRODUCER, "Mélanie Dubé", (Cat.VEGETABLES, Cat.HERBS),
                   ("Marché public de Kamouraska", "Marché public de Rivière-du-Loup"), "418-555-0221"),
        VendorSpec("Bergerie du Littoral", Vendor.Kind.PRODUCER, "Serge Bérubé", (Cat.MEAT,),
                   ("Marché public de Kamouraska", "Marché public de Rimouski"), "418-555-0222"),
        VendorSpec("Fromagerie du Fleuve", Vendor.Kind.PROCESSOR, "Geneviève Landry", (Cat.DAIRY,),
                   ("Marché public de Rivière-du-Loup", "Marché public de Rimouski",
                    "Marché public de Témiscouata-sur-le-Lac"), "418-555-0223"),
        VendorSpec("Poissonnerie du Golfe", Vendor.Kind.PROCESSOR, "Roger Desjardins", (Cat.FISH,),
                   ("Marché public de Matane", "Marché public de Mont-Joli", "Marché public de Rimouski"),
                   "418-555-0224"),
        VendorSpec("Les Serres de la Neigette", Vendor.Kind.PRODUCER, "Audrey Lepage",
                   (Cat.VEGETABLES, Cat.HERBS, Cat.FOOD_PLANTS), ("Marché public de Rimouski",), "418-555-0225"),
        VendorSpec("Érablière des Hauts-Plateaux", Vendor.Kind.PRODUCER, "Normand Caron", (Cat.MAPLE,),
                   ("Marché public de Témiscouata-sur-le-Lac", "Marché public de Rivière-du-Loup"), "418-555-0226"),
        VendorSpec("Miellerie de la Mitis", Vendor.Kind.PRODUCER, "Julien Banville", (Cat.HONEY,),
                   ("Marché public de Mont-Joli", "Marché public de Matane"), "418-555-0227"),
        VendorSpec("Ferme Beaulieu et fils", Vendor.Kind.PRODUCER, "André Beaulieu", (Cat.VEGETABLES, Cat.EGGS),
                   ("Marché public de Mont-Joli",), "418-555-0228"),
        VendorSpec("Jardins du Lac-Témiscouata", Vendor.Kind.PRODUCER, "Nathalie Ouellet",
                   (Cat.VEGETABLES, Cat.FRUIT), ("Marché public de Témiscouata-sur-le-Lac",), "418-555-0229"),
        VendorSpec("Boulangerie Le Levain du Bas", Vendor.Kind.PROCESSOR, "Olivier Marquis", (Cat.PROCESSED,),
                   ("Marché public de Rimouski", "Marché public de Matane"), "418-555-0230"),
        VendorSpec("Petits fruits de La Matanie", Vendor.Kind.PRODUCER, "Sylvie Gendron", (Cat.FRUIT,),
                   ("Marché public de Matane",), "418-555-0231"),
        VendorSpec("Confiturerie de l'Anse", Vendor.Kind.ARTISAN, "Hugo Lebel", (Cat.PROCESSED, Cat.FRUIT),
                   ("Marché public de Kamouraska", "Marché public de Rivière-du-Loup"), "418-555-0232"),
    ),
    seasons=(
        # Every two weeks: 40 $ to 100 $ a period, about 450 $ a season for a household of three.
        SeasonSpec("Été 2026", _d("2026-06-20"), _d("2026-09-12"), 12, Season.Frequency.BIWEEKLY,
                   (40, 60, 75, 85, 95, 100), (5, 10), (("Tous les aliments admissibles", tuple(ALL_FOODS)),),
                   (Kind.MARKET,)),
        SeasonSpec("Été 2027", _d("2027-06-19"), _d("2027-09-11"), 12, Season.Frequency.BIWEEKLY,
                   (40, 60, 75, 85, 95, 100), (5, 10), (("Tous les aliments admissibles", tuple(ALL_FOODS)),),
                   (Kind.MARKET,), not_authorized=("Petits fruits de La Matanie",)),
    ),
    authorized_by="coordo-bsl",
)


# --- PCN Ville de Québec: a city, a year-round market and winter CSA baskets ----------------------

QUEBEC = ProgramSpec(
    name="PCN Ville de Québec",
    kind=Program.Kind.CITY,
    region=Region.CAPITALE_NATIONALE,
    languages=("fr", "en"),
    fiduciary="Coopérative de solidarité alimentaire de la Capitale (démo)",
    organizations=(
        OrgSpec("Coopérative de solidarité alimentaire de la Capitale (démo)", Org.FIDUCIARY, "Benoît Paradis",
                "418-555-0301", "870, boulevard Charest Est, Québec (Québec) G1K 8S5"),
        OrgSpec("Fonds de sécurité alimentaire de la Capitale (démo)", Org.FUNDER, "Manon Giroux", "418-555-0302",
                "2, rue des Jardins, Québec (Québec) G1R 4S9"),
        OrgSpec("Centre communautaire de Limoilou", Org.COMMUNITY_PARTNER, "Patrick Vézina", "418-555-0311",
                "1050, 3e Avenue, Québec (Québec) G1L 2X2"),
        OrgSpec("Entraide Saint-Roch", Org.COMMUNITY_PARTNER, "Amélie Bernier", "418-555-0312",
                "230, rue du Pont, Québec (Québec) G1K 6M2"),
        OrgSpec("Maison de quartier de Vanier", Org.COMMUNITY_PARTNER, "Jacques Fortin", "418-555-0313",
                "330, rue Beaucage, Québec (Québec) G1M 1H3"),
        OrgSpec("Carrefour des familles de Sainte-Foy", Org.COMMUNITY_PARTNER, "Isabelle Nadeau", "418-555-0314",
                "2670, chemin des Quatre-Bourgeois, Québec (Québec) G1V 1X8"),
        OrgSpec("Cuisines collectives de Beauport", Org.COMMUNITY_PARTNER, "Daniel Giguère", "418-555-0315",
                "790, avenue Royale, Québec (Québec) G1E 1Z1"),
    ),
    markets=(
        MarketSpec("Grand Marché de Québec", "Québec", (
            SalePointSpec("Halle du marché", Kind.MARKET, "250, boulevard Wilfrid-Hamel, Québec (Québec) G1L 5A7",
                          "46.8297", "-71.2459", _open(EVERY_DAY, "09:00", "18:00"), "toute l'année"),
        )),
        MarketSpec("Marché public de Sainte-Foy", "Québec", (
            SalePointSpec("Place du marché", Kind.MARKET, "939, avenue Roland-Beaudin, Québec (Québec) G1V 3V7",
                          "46.7789", "-71.2851", _open((WED, THU, FRI, SAT, SUN), "09:00", "17:00"),
                          "de mai à octobre"),
        )),
        MarketSpec("Marché de quartier de Limoilou", "Québec", (
            SalePointSpec("Parvis de l'église Saint-Charles", Kind.MARKET, "1080, 3e Avenue, Québec (Québec) "
                          "G1L 2X3", "46.8236", "-71.2330", _open((THU,), "15:00", "19:00"), "de juin à octobre"),
        )),
        MarketSpec("Paniers ASC de la Ferme des Grands Vents", "Québec", (
            SalePointSpec("Point de chute Saint-Roch", Kind.CSA_PICKUP, "230, rue du Pont, Québec (Québec) G1K 6M2",
                          "46.8168", "-71.2236", _open((THU,), "16:00", "19:00"),
                          "aux deux semaines, de novembre à avril"),
            SalePointSpec("Point de chute Limoilou", Kind.CSA_PICKUP, "1050, 3e Avenue, Québec (Québec) G1L 2X2",
                          "46.8241", "-71.2334", _open((THU,), "16:00", "19:00"),
                          "aux deux semaines, de novembre à avril"),
            SalePointSpec("Point de chute Sainte-Foy", Kind.CSA_PICKUP, "2670, chemin des Quatre-Bourgeois, "
                          "Québec (Québec) G1V 1X8", "46.7712", "-71.2960",
                          _open((FRI,), "16:00", "19:00"),
                          "aux deux semaines, de novembre à avril"),
        )),
    ),
    vendors=(
        VendorSpec("Ferme des Grands Vents", Vendor.Kind.PRODUCER, "Émilie Rousseau", (Cat.VEGETABLES, Cat.EGGS),
                   ("Paniers ASC de la Ferme des Grands Vents", "Grand Marché de Québec"), "418-555-0321"),
        VendorSpec("Boucherie champêtre de l'Île", Vendor.Kind.PRODUCER, "Stéphane Pouliot", (Cat.MEAT,),
                   ("Grand Marché de Québec",), "418-555-0322"),
        VendorSpec("Verger Bel-Automne", Vendor.Kind.PRODUCER, "Louise Drouin", (Cat.FRUIT, Cat.PROCESSED),
                   ("Grand Marché de Québec", "Marché public de Sainte-Foy"), "418-555-0323"),
        VendorSpec("Fromagerie Côte-de-Beaupré", Vendor.Kind.PROCESSOR, "Alain Cloutier", (Cat.DAIRY,),
                   ("Grand Marché de Québec", "Marché public de Sainte-Foy"), "418-555-0324"),
        VendorSpec("Miel de la Jacques-Cartier", Vendor.Kind.PRODUCER, "Mireille Gosselin", (Cat.HONEY,),
                   ("Grand Marché de Québec", "Marché de quartier de Limoilou"), "418-555-0325"),
        VendorSpec("Érablière de la Côte", Vendor.Kind.PRODUCER, "Raymond Simard", (Cat.MAPLE,),
                   ("Grand Marché de Québec",), "418-555-0326"),
        VendorSpec("Pêcheries du Saint-Laurent", Vendor.Kind.PROCESSOR, "Maxime Boucher", (Cat.FISH,),
                   ("Grand Marché de Québec",), "418-555-0327"),
        VendorSpec("Potager urbain de Limoilou", Vendor.Kind.PRODUCER, "Camille Lemieux",
                   (Cat.VEGETABLES, Cat.HERBS, Cat.FOOD_PLANTS),
                   ("Marché de quartier de Limoilou", "Marché public de Sainte-Foy"), "418-555-0328"),
        VendorSpec("Boulangerie du Faubourg", Vendor.Kind.PROCESSOR, "Thomas Bilodeau", (Cat.PROCESSED,),
                   ("Grand Marché de Québec", "Marché de quartier de Limoilou"), "418-555-0329"),
    ),
    seasons=(
        # The season running on the demo's "today" (late November 2026): monthly, in small coupons.
        SeasonSpec("Hiver 2026-2027", _d("2026-11-07"), _d("2027-04-24"), 24, Season.Frequency.MONTHLY,
                   (80, 120, 150, 175, 200), (1, 2, 5, 10), (("Tous les aliments admissibles", tuple(ALL_FOODS)),),
                   (Kind.MARKET, Kind.CSA_PICKUP), not_authorized=("Potager urbain de Limoilou",)),  # summer only
    ),
    authorized_by="admin",
)

PROGRAMS = (PORTNEUF, BSL, QUEBEC)


# --- Governance (Portneuf) ------------------------------------------------------------------------

COMMITTEE = (
    # name, organization, role, joined on
    ("Hélène Bédard", "Syndicat régional des producteurs (démo)", "présidente", "2023-02-14"),
    ("Julie Gagnon", "Syndicat régional des producteurs (démo)", "coordonnatrice, secrétaire du comité", "2023-02-14"),
    ("Marc-André Gingras", "Syndicat régional des producteurs (démo)", "trésorier", "2023-02-14"),
    ("Nadia Bouchard", "MRC de Portneuf – développement économique (démo)", "représentante de la MRC", "2023-02-14"),
    ("Sophie Trudel", "Entraide alimentaire de Saint-Raymond", "représentante des organismes", "2024-01-23"),
    ("Denis Paquet", "Syndicat régional des producteurs (démo)", "représentant des producteurs", "2024-01-23"),
)

DECISIONS = (
    ("2026-03-18", "Grille des montants de l'été 2026 reconduite",
     "Le comité reconduit la grille de 25 $ à 60 $ par semaine selon la taille du ménage (plafond à "
     "six personnes), pour 12 semaines, soit jusqu'à 720 $ par ménage pour l'été."),
    ("2026-10-21", "Volet grand public reconduit pour l'été 2027",
     "Les citoyens pourront de nouveau acheter des coupons : 20 $ payés donnent 30 $ en coupons, par la "
     "campagne de sociofinancement. Ce sont les mêmes coupons que ceux remis par les organismes."),
)

AGREEMENTS = (
    # kind, party, signed on, notes
    (Agreement.Kind.PARTNER, "Entraide alimentaire de Saint-Raymond", "2026-04-15",
     "Entente de distribution des coupons aux ménages inscrits, été 2026."),
    (Agreement.Kind.VENDOR, "Les Jardins de la Sainte-Anne", "2026-05-20",
     "Entente d'acceptation des coupons : dates de validité, aucune monnaie rendue, remise des coupons au "
     "gestionnaire du marché chaque semaine."),
)


# --- Coupons: series issued and booklets handed to partners -------------------------------------------


@dataclass(frozen=True)
class SeriesSpec:
    program: str
    season: str
    value_dollars: int
    coupon_class: str
    count: int
    booklet_size: int | None
    colour: str
    funding: str
    issued_by: str  # username
    allocations: tuple[tuple[str, str], ...] = ()  # (partner name, booklets as typed, e.g. "1-10")


COUPON_SERIES = (
    # Portneuf prepares next summer: green 5 $ booklets for fruit and vegetables, blue 10 $ for all foods.
    SeriesSpec("PCN Portneuf", "Été 2027", 5, "Fruits et légumes", 600, 12, Colour.GREEN,
               "Fonds de développement du milieu de Portneuf (démo) – 2027", "coordo",
               (("Entraide alimentaire de Saint-Raymond", "1-10"), ("Maison de la famille de Portneuf", "11-15"))),
    SeriesSpec("PCN Portneuf", "Été 2027", 10, "Tous les aliments admissibles", 300, None, Colour.BLUE,
               "MRC de Portneuf – développement économique (démo)", "coordo"),
    # Québec's winter season is running: small 2 $ coupons in booklets of 20 (40 $), for the CSA baskets.
    SeriesSpec("PCN Ville de Québec", "Hiver 2026-2027", 2, "Tous les aliments admissibles", 400, 20, Colour.ORANGE,
               "Fonds de sécurité alimentaire de la Capitale (démo)", "admin",
               (("Centre communautaire de Limoilou", "1-6"), ("Entraide Saint-Roch", "7-10"))),
)


# --- Redemption: Québec's winter season in circulation --------------------------------------------
# Two partners hand coupons to a household each, a citizen buys some at the Grand Marché's kiosk, and the
# coupons come back through vendors: two phones (one synced after a pick-up with no signal), and the market
# manager's entry at the end of the day. One coupon is presented twice, one code does not exist, and one
# coupon was taken offline on both phones: that one waits for the coordination's decision.

CIRCULATION_SEASON = ("PCN Ville de Québec", "Hiver 2026-2027")


@dataclass(frozen=True)
class HandOutSpec:
    partner: str
    household_size: int  # the partner's demo household of that size (DEMO_HOUSEHOLDS)
    day: str  # sets the distribution period
    booklets: str
    note: str = ""


HAND_OUTS = (
    HandOutSpec("Centre communautaire de Limoilou", 2, "2026-11-10", "1-3"),  # 120 $: November in full
    HandOutSpec("Entraide Saint-Roch", 4, "2026-11-12", "7-9",  # 120 $ of the 175 $ due
                "Le reste à la prochaine livraison de carnets."),
)

# (first, last coupon number, price paid in dollars): 15 coupons of 2 $, 30 $ for 20 $.
PUBLIC_SALE = (381, 395, 20)
PUBLIC_SALE_FUNDING = "Campagne de sociofinancement 2026-2027 (démo)"
PUBLIC_SALE_BY = "gestionnaire-quebec"

DEVICES = (  # (vendor, phone's name, linked by)
    ("Ferme des Grands Vents", "Téléphone d'Émilie", "marchand-quebec"),
    ("Boulangerie du Faubourg", "Téléphone de la boulangerie", "admin"),
)

# A well-formed code (its check symbol is right) that no series holds: the market manager mistyped nothing,
# the coupon is simply not one of the program's.
UNKNOWN_DATA = "QC2026HVR7K"


@dataclass(frozen=True)
class PresentationSpec:
    nonce: str  # fixed, so that a second run finds the row instead of recording it again
    vendor: str
    coupon: int | None  # the coupon's number in the season's series; None for the unknown code
    source: str
    device: str = ""  # a DEVICES name (stall, offline); empty for the market manager's entry
    by: str = ""  # the market manager's username (market entry)
    where: tuple[str, str] = ("Grand Marché de Québec", "Halle du marché")  # market, sale point
    client_at: str = ""  # when the phone took it offline, local time


FARM, BAKERY = "Ferme des Grands Vents", "Boulangerie du Faubourg"
FARM_PHONE, BAKERY_PHONE = (name for _vendor, name, _by in DEVICES)
LIMOILOU_PICKUP = ("Paniers ASC de la Ferme des Grands Vents", "Point de chute Limoilou")
MANAGER = "gestionnaire-quebec"
P = PresentationSpec

PRESENTATIONS = (  # in the order they reach the server
    # Thursday's basket pick-up in Limoilou, in a basement with no signal: the farm's phone synced afterwards.
    P("demo-qc-01", FARM, 8, Source.OFFLINE, FARM_PHONE, where=LIMOILOU_PICKUP, client_at="2026-11-19 16:35"),
    P("demo-qc-02", FARM, 9, Source.OFFLINE, FARM_PHONE, where=LIMOILOU_PICKUP, client_at="2026-11-19 16:36"),
    P("demo-qc-03", FARM, 125, Source.OFFLINE, FARM_PHONE, where=LIMOILOU_PICKUP, client_at="2026-11-19 17:20"),
    # Saturday at the Grand Marché, the bakery's phone offline too, and coupon 125 again (a copy?): to review.
    P("demo-qc-04", BAKERY, 126, Source.OFFLINE, BAKERY_PHONE, client_at="2026-11-21 10:40"),
    P("demo-qc-05", BAKERY, 125, Source.OFFLINE, BAKERY_PHONE, client_at="2026-11-21 10:41"),
    # Today at the Grand Marché, the farm's phone online.
    P("demo-qc-06", FARM, 1, Source.STALL, FARM_PHONE),
    P("demo-qc-07", FARM, 2, Source.STALL, FARM_PHONE),
    P("demo-qc-08", FARM, 3, Source.STALL, FARM_PHONE),
    # At the end of the day, the market manager enters the stacks of three vendors who have no phone.
    P("demo-qc-09", "Boucherie champêtre de l'Île", 4, Source.MARKET, by=MANAGER),
    P("demo-qc-10", "Boucherie champêtre de l'Île", 5, Source.MARKET, by=MANAGER),
    P("demo-qc-11", "Boucherie champêtre de l'Île", 6, Source.MARKET, by=MANAGER),
    P("demo-qc-12", "Fromagerie Côte-de-Beaupré", 121, Source.MARKET, by=MANAGER),
    P("demo-qc-13", "Fromagerie Côte-de-Beaupré", 122, Source.MARKET, by=MANAGER),
    P("demo-qc-14", "Fromagerie Côte-de-Beaupré", 2, Source.MARKET, by=MANAGER),  # taken at the farm's stall
    P("demo-qc-15", "Fromagerie Côte-de-Beaupré", None, Source.MARKET, by=MANAGER),  # UNKNOWN_DATA
    P("demo-qc-16", "Verger Bel-Automne", 381, Source.MARKET, by=MANAGER),  # bought at the kiosk
    P("demo-qc-17", "Verger Bel-Automne", 382, Source.MARKET, by=MANAGER),
)


# --- One login per role ---------------------------------------------------------------------------

LOGINS = (
    LoginSpec("admin", "Geneviève", "Lapointe", Role.NETWORK_ADMIN, "Administration du réseau (+ admin Django)",
              superuser=True),
    LoginSpec("analyste", "Mathieu", "Caron", Role.NETWORK_ANALYST, "Analyse pour le réseau"),
    LoginSpec("coordo", "Julie", "Gagnon", Role.COORDINATOR, "Coordination · Portneuf", program=PORTNEUF.name),
    LoginSpec("coordo-bsl", "Étienne", "Bélanger", Role.COORDINATOR, "Coordination · Bas-Saint-Laurent",
              program=BSL.name),
    LoginSpec("tresorier", "Marc-André", "Gingras", Role.TREASURER, "Trésorerie · Portneuf", program=PORTNEUF.name),
    LoginSpec("intervenant", "Sophie", "Trudel", Role.PARTNER_WORKER, "Intervention · organisme de Saint-Raymond",
              program=PORTNEUF.name, organization="Entraide alimentaire de Saint-Raymond"),
    LoginSpec("gestionnaire", "Pierre", "Lavoie", Role.MARKET_MANAGER, "Gestion de marché · Saint-Casimir",
              program=PORTNEUF.name, market="Marché public de Saint-Casimir"),
    LoginSpec("marchand", "Annie", "Côté", Role.VENDOR, "Marchand · Jardins de la Sainte-Anne",
              program=PORTNEUF.name, vendor="Les Jardins de la Sainte-Anne"),
    # Québec's winter season is the one running: these two try the stall page and the market manager's entry.
    LoginSpec("gestionnaire-quebec", "Nicolas", "Tremblay", Role.MARKET_MANAGER,
              "Gestion de marché · Grand Marché de Québec", program=QUEBEC.name, market="Grand Marché de Québec"),
    LoginSpec("marchand-quebec", "Émilie", "Rousseau", Role.VENDOR, "Marchand · Ferme des Grands Vents",
              program=QUEBEC.name, vendor="Ferme des Grands Vents"),
    # Québec's treasury: one prepares payment batches and pays them, the other approves (never the same person).
    LoginSpec("tresorier-quebec", "Luc", "Bouchard", Role.TREASURER, "Trésorerie · Québec (prépare et paie)",
              program=QUEBEC.name),
    LoginSpec("tresoriere-quebec", "Hélène", "Fortin", Role.TREASURER, "Trésorerie · Québec (approuve les lots)",
              program=QUEBEC.name),
    LoginSpec("chercheur", "Karine", "Ouellet", Role.RESEARCHER, "Recherche · Portneuf", program=PORTNEUF.name),
    LoginSpec("bailleur", "François", "Morin", Role.FUNDER_VIEWER, "Bailleur de fonds (lecture) · Portneuf",
              program=PORTNEUF.name, organization="Fonds de développement du milieu de Portneuf (démo)"),
)


# --- Writing it -----------------------------------------------------------------------------------


def _full_clean_and_save(obj: models.Model) -> models.Model:
    obj.full_clean()
    obj.save()
    return obj


def _upsert(model, *, lookup: dict, values: dict, save: Callable = _full_clean_and_save):
    """Find the row by `lookup`; create it, or bring `values` up to date, and save only if something differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
    elif all(getattr(obj, name) == value for name, value in values.items()):
        return obj
    else:
        for name, value in values.items():
            setattr(obj, name, value)
    return save(obj)


def _seed_user(spec: LoginSpec):
    user = _upsert(
        get_user_model(),
        lookup={"username": spec.username},
        values={
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": f"{spec.username}@example.org",
            "is_active": True,
            "is_staff": spec.superuser,
            "is_superuser": spec.superuser,
        },
        save=lambda u: (u.save(), u)[1],  # full_clean would reject the still empty password of a new user
    )
    return user


def _seed_passwords(users) -> None:
    """Give every demo login the demo password. Re-hashing on every run would change the rows: only a password
    that was changed is reset. Hashing takes a good part of a second with the default hasher, so it is done
    once: the logins share that one hash (the password is public anyway), and a login whose stored hash is
    one already checked needs no check of its own."""
    known: set[str] = set()  # stored hashes that match DEMO_PASSWORD
    shared = ""
    for user in users:
        if user.password in known:
            continue
        # A new login has no password yet: checking one would hash anyway (Django's guard against timing attacks).
        if user.password and user.has_usable_password() and user.check_password(DEMO_PASSWORD):
            known.add(user.password)
            continue
        shared = shared or next(iter(known), "") or make_password(DEMO_PASSWORD)
        known.add(shared)
        user.password = shared
        user.save(update_fields=["password"])


def _seed_program(network: Network, spec: ProgramSpec, users: dict) -> Program:
    base = {"network": network, "kind": spec.kind, "region": spec.region, "languages": list(spec.languages)}
    save_program = lambda p: program_save(program=p)  # noqa: E731
    program = _upsert(Program, lookup={"name": spec.name}, values=base, save=save_program)

    orgs = {}
    for o in spec.organizations:
        orgs[o.name] = _upsert(
            Organization,
            lookup={"program": program, "name": o.name},
            values={"kind": o.kind, "contact_name": o.contact_name, "email": o.email, "phone": o.phone,
                    "address": o.address},
            save=lambda org: organization_save(organization=org),
        )
    # The fiduciary must be one of the program's own organizations, so it is set once they exist.
    program = _upsert(Program, lookup={"name": spec.name}, values={**base, "fiduciary": orgs[spec.fiduciary]},
                      save=save_program)

    sale_points_of: dict[str, list[SalePoint]] = {}
    for m in spec.markets:
        market = _upsert(
            Market,
            lookup={"program": program, "name": m.name},
            values={"municipality": m.municipality, "operator": orgs[m.operator] if m.operator else None},
            save=lambda market: market_save(market=market),
        )
        sale_points_of[m.name] = [_seed_sale_point(market, sp) for sp in m.sale_points]

    vendors = [
        _seed_vendor(program, v, [sp for name in v.sells_at for sp in sale_points_of[name]]) for v in spec.vendors
    ]

    for s in spec.seasons:
        season = _seed_season(program, s)
        for vendor in vendors:
            # Any record, even a revoked one, means someone already decided for this season: leave it.
            if vendor.business_name in s.not_authorized or season.vendor_authorizations.filter(vendor=vendor).exists():
                continue
            vendor_authorize(vendor=vendor, season=season, by=users[spec.authorized_by])
    return program


def _seed_sale_point(market: Market, sp: SalePointSpec) -> SalePoint:
    sale_point = _upsert(
        SalePoint,
        lookup={"market": market, "name": sp.name},
        values={"kind": sp.kind, "address": sp.address, "latitude": Decimal(sp.latitude),
                "longitude": Decimal(sp.longitude), "schedule": sp.note},
        save=lambda sale_point: sale_point_save(sale_point=sale_point),
    )
    # The service replaces the whole week (new rows), so it runs only when the week differs.
    if list(sale_point.opening_hours.values_list("weekday", "opens_at", "closes_at")) != sorted(sp.hours):
        sale_point_set_hours(sale_point=sale_point, hours=sp.hours)
    return sale_point


def _seed_vendor(program: Program, v: VendorSpec, sale_points: list[SalePoint]) -> Vendor:
    values = {"kind": v.kind, "contact_name": v.contact_name, "email": f"{_slug(v.contact_name)}@example.org",
              "phone": v.phone, "categories": list(v.categories)}
    vendor = Vendor.objects.filter(program=program, business_name=v.business_name).first()
    if vendor is None:
        vendor = Vendor(program=program, business_name=v.business_name, **values)
        return vendor_save(vendor=vendor, sale_points=sale_points)
    # Sale points added since (through the pages) are kept: the demo only adds its own.
    current = list(vendor.sale_points.all())
    missing = [sp for sp in sale_points if sp not in current]
    if missing or any(getattr(vendor, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(vendor, name, value)
        vendor_save(vendor=vendor, sale_points=current + missing)
    return vendor


def _seed_season(program: Program, s: SeasonSpec) -> Season:
    season = _upsert(
        Season,
        lookup={"program": program, "name": s.name},
        values={
            "starts_on": s.starts_on,
            "ends_on": s.ends_on,
            "weeks": s.weeks,
            "frequency": s.frequency,
            "household_size_cap": len(s.amounts_dollars),
            # A week's grace after the last market day for coupons handed out at the end.
            "coupons_valid_from": s.starts_on,
            "coupons_valid_until": s.ends_on + datetime.timedelta(days=7),
            "accepted_sale_point_kinds": list(s.accepted_kinds),
        },
        save=lambda season: season_save(season=season),
    )
    # These services replace the whole table (new rows), so they run only when the table differs.
    amounts = {size: dollars * 100 for size, dollars in enumerate(s.amounts_dollars, start=1)}
    if dict(season.entitlement_rows.values_list("household_size", "amount_cents")) != amounts:
        season_set_entitlements(season=season, amounts_cents=amounts)
    values = [dollars * 100 for dollars in s.denominations_dollars]
    if sorted(season.denominations.values_list("value_cents", flat=True)) != sorted(values):
        season_set_denominations(season=season, values_cents=values)
    for name, categories in s.classes:
        _upsert(CouponClass, lookup={"season": season, "name": name}, values={"categories": list(categories)},
                save=lambda c: coupon_class_save(coupon_class=c))
    return season


def _seed_governance(program: Program, coordinator) -> None:
    orgs = {o.name: o for o in program.organizations.all()}
    for name, org_name, role, joined_on in COMMITTEE:
        _upsert(
            CommitteeMember,
            lookup={"program": program, "name": name},
            values={"organization": orgs[org_name], "role": role, "email": f"{_slug(name)}@example.org",
                    "joined_on": _d(joined_on)},
            save=lambda member: committee_member_save(member=member),
        )
    # Decisions and agreements are records of what happened: added when missing, never rewritten.
    for decided_on, title, details in DECISIONS:
        if not program.decisions.filter(decided_on=_d(decided_on), title=title).exists():
            decision_record(program=program, decided_on=_d(decided_on), title=title, details=details, by=coordinator)
    for kind, party_name, signed_on, notes in AGREEMENTS:
        if kind == Agreement.Kind.PARTNER:
            party = {"organization": orgs[party_name], "vendor": None}
        else:
            party = {"organization": None, "vendor": program.vendors.get(business_name=party_name)}
        if not program.agreements.filter(kind=kind, signed_on=_d(signed_on), **party).exists():
            agreement_record(program=program, kind=kind, signed_on=_d(signed_on), notes=notes, **party,
                             file=_placeholder_agreement_pdf(party_name))


def _placeholder_agreement_pdf(party_name: str) -> ContentFile:
    """A one-page PDF standing in for the scanned signed copy (the service requires a file)."""
    lines = ["Entente fictive – données de démonstration", party_name, "Aucun document réel n'a été signé."]
    text = " T* ".join(f"({_pdf_escape(line)}) Tj" for line in lines)
    stream = f"BT /F1 14 Tf 72 760 Td 20 TL {text} ET".encode("cp1252", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return ContentFile(pdf, name="entente-demo.pdf")


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _seed_membership(spec: LoginSpec, user, network: Network, programs: dict[str, Program]) -> None:
    program = programs.get(spec.program)
    if program is None:
        if not Membership.objects.filter(user=user, role=spec.role, network=network).exists():
            _full_clean_and_save(Membership(user=user, role=spec.role, network=network))
        return
    party = {
        "organization": program.organizations.get(name=spec.organization) if spec.organization else None,
        "market": program.markets.get(name=spec.market) if spec.market else None,
        "vendor": program.vendors.get(business_name=spec.vendor) if spec.vendor else None,
    }
    if not Membership.objects.filter(user=user, role=spec.role, program=program, **party).exists():
        _full_clean_and_save(Membership(user=user, role=spec.role, program=program, **party))


@transaction.atomic
def demo_seed() -> list[Login]:
    """Create or bring up to date the demo network, its three programs and one login per role.

    Returns the logins to show, in the order of LOGINS. Safe to run again: it creates no duplicates and
    changes no row that already matches.
    """
    network = _upsert(Network, lookup={"name": NETWORK_NAME}, values={})
    users = {spec.username: _seed_user(spec) for spec in LOGINS}
    _seed_passwords(users.values())
    programs = {spec.name: _seed_program(network, spec, users) for spec in PROGRAMS}
    _seed_governance(programs[PORTNEUF.name], users["coordo"])
    _seed_coupons(programs, users)
    _seed_households(programs, users)
    for spec in LOGINS:
        _seed_membership(spec, users[spec.username], network, programs)
    _seed_circulation(programs, users)
    _seed_payments(programs, users)
    seed_summer(programs, users)
    _seed_budget_scenarios(programs[PORTNEUF.name], users["coordo"])
    _refresh_dashboards(programs)
    return [Login(role=spec.title, username=spec.username) for spec in LOGINS]


def _seed_budget_scenarios(program: Program, coordinator) -> None:
    """Two budgets for Portneuf's next summer, side by side in the simulator: its rules, two grants it hopes for,
    100 households then 150 (the same mix of sizes), a public sale (20 $ paid for 30 $) and 10 % for operations."""
    from dataclasses import replace

    from pcn.simulator.budget import GrantLine
    from pcn.simulator.models import BudgetScenario
    from pcn.simulator.selectors import inputs_from_season
    from pcn.simulator.services import budget_scenario_create

    season = program.seasons.get(name="Été 2027")
    base = inputs_from_season(season)
    mix = (20, 30, 25, 15, 10, 0, 0, 0)[: base.cap]
    for name, factor in (("Été 2027 · 100 ménages", 1), ("Été 2027 · 150 ménages", 1.5)):
        if BudgetScenario.objects.filter(program=program, name=name).exists():
            continue
        inputs = replace(base, households=tuple(int(n * factor) for n in mix), printing_cost_cents=5,
                         grants=(GrantLine("MRC de Portneuf (demandée)", 5_000_000),
                                 GrantLine("Fonds de développement du milieu (demandée)", 3_000_000)),
                         public_sales=60, public_sale_price_cents=2000, public_sale_face_cents=3000,
                         operations_percent=10)
        budget_scenario_create(program=program, name=name, inputs=inputs, source_season=season, by=coordinator)


def _refresh_dashboards(programs: dict[str, Program]) -> None:
    """Compute every season's dashboard figures now, so that the first visit does not wait for them."""
    from pcn.reports.snapshot import season_refresh

    for program in programs.values():
        for season in program.seasons.order_by("starts_on"):
            season_refresh(season)


# Quotas for every partner of these seasons, and a few households (sizes and ages only: never an identity),
# enrolled through the same service as the page, in seasons that have none yet.
HOUSEHOLD_SEASONS = [("PCN Portneuf", "Été 2027", "coordo"), ("PCN Ville de Québec", "Hiver 2026-2027", "admin")]
DEMO_HOUSEHOLDS = [  # (size, 0-5, 6-17, 18-64, 65+)
    (1, 0, 0, 0, 1), (2, 0, 1, 1, 0), (3, 1, 0, 2, 0), (4, 1, 1, 2, 0), (5, 0, 3, 2, 0), (6, 2, 2, 2, 0),
]


def _seed_households(programs: dict[str, Program], users: dict) -> None:
    from pcn.households.models import ConsentPurpose, Household
    from pcn.households.services import household_enrol, partner_quota_set

    for program_name, season_name, username in HOUSEHOLD_SEASONS:
        program = programs[program_name]
        season = program.seasons.get(name=season_name)
        if Household.objects.filter(season=season).exists():
            continue
        partners = list(program.organizations.filter(kind__in=Organization.PARTNER_KINDS).order_by("name"))
        for partner in partners:
            partner_quota_set(season=season, partner=partner, max_households=25, max_value_cents=25 * 72000)
        for number, (size, *ages) in enumerate(DEMO_HOUSEHOLDS):
            household = household_enrol(
                season=season,
                partner=partners[number % len(partners)],
                size=size,
                composition=dict(zip(["age_0_5", "age_6_17", "age_18_64", "age_65_plus"], ages, strict=True)),
                flags=[],
                community="",
                language="fr",
                consents={ConsentPurpose.PARTICIPATION: True, ConsentPurpose.SURVEYS: number % 2 == 0,
                          ConsentPurpose.RESEARCH: True},
                identity=None,
                by=users[username],
            )
            # Demo households were enrolled the week before the season opened (the page records "now").
            before_opening = timezone.make_aware(datetime.datetime.combine(season.starts_on, datetime.time(10)))
            Household.objects.filter(pk=household.pk).update(enrolled_at=before_opening - datetime.timedelta(days=7))


def _seed_coupons(programs: dict[str, Program], users: dict) -> None:
    """Issue the demo series through the same services as the pages, in seasons that have none yet."""
    untouched = {
        (spec.program, spec.season) for spec in COUPON_SERIES
        if not programs[spec.program].seasons.get(name=spec.season).series.exists()
    }
    for spec in COUPON_SERIES:
        if (spec.program, spec.season) not in untouched:
            continue
        program = programs[spec.program]
        season = program.seasons.get(name=spec.season)
        by = users[spec.issued_by]
        series = series_issue(
            season=season,
            denomination_cents=spec.value_dollars * 100,
            coupon_class=season.coupon_classes.get(name=spec.coupon_class),
            colour=spec.colour,
            valid_from=season.coupons_valid_from,
            valid_until=season.coupons_valid_until,
            funding_source=spec.funding,
            count=spec.count,
            booklet_size=spec.booklet_size,
            by=by,
            source=CustodyEvent.Source.COMMAND,
        )
        for partner_name, booklets in spec.allocations:
            coupons_move(
                season=season,
                kind=CustodyEvent.Kind.ALLOCATE,
                ranges=ranges_for_booklets(series, booklets),
                to_partner=program.organizations.get(name=partner_name),
                by=by,
                source=CustodyEvent.Source.COMMAND,
            )


def _seed_circulation(programs: dict[str, Program], users: dict) -> None:
    """Québec's winter season in use (see PRESENTATIONS), through the same services as the pages and the stall
    API. Only in a season where nothing has gone past the partners yet (no distribution, sale or redemption):
    the ledger and the redemptions are append-only, so a second run adds nothing. The nonces are fixed too:
    each presentation sent again would be found, not recorded twice."""
    from pcn.households.models import Distribution, Household, PublicSale
    from pcn.households.services import distribution_record, public_sale_record
    from pcn.redemptions.models import Device, Redemption
    from pcn.redemptions.services import device_link, redemption_record

    program_name, season_name = CIRCULATION_SEASON
    program = programs[program_name]
    season = program.seasons.get(name=season_name)
    series = season.series.order_by("number").first()
    if (
        series is None
        or Distribution.objects.filter(household__season=season).exists()
        or PublicSale.objects.filter(season=season).exists()
        or Redemption.objects.filter(season=season).exists()
    ):
        return
    coordination = users["admin"]  # stands in for Québec's coordination, as when its households were enrolled

    for spec in HAND_OUTS:
        household = (
            Household.objects.active()
            .filter(season=season, partner__name=spec.partner, size=spec.household_size)
            .order_by("pk")
            .first()
        )
        if household is not None:
            distribution_record(household=household, day=_d(spec.day),
                                ranges=ranges_for_booklets(series, spec.booklets), note=spec.note, by=coordination)
    first, last, price_dollars = PUBLIC_SALE
    public_sale_record(season=season, ranges=[(series.pk, first, last)], price_paid_cents=price_dollars * 100,
                       funding_source=PUBLIC_SALE_FUNDING, by=users[PUBLIC_SALE_BY])

    # The demo's phones stand for the vendors' own: their keys are not kept, so no page can use them (a newcomer
    # links a phone of their own at /stall/link/).
    devices = {}
    for vendor_name, name, username in DEVICES:
        vendor = program.vendors.get(business_name=vendor_name)
        device = Device.objects.active().filter(vendor=vendor, name=name).first()
        if device is None:
            device = device_link(vendor=vendor, name=name, by=users[username])[0]
            # Linked when the season opened, so the times the phones took coupons offline are believed.
            opened = timezone.make_aware(datetime.datetime.combine(season.starts_on, datetime.time(9)))
            Device.objects.filter(pk=device.pk).update(linked_at=opened)
            device.refresh_from_db()
        devices[name] = device

    code_of = dict(series.coupons.values_list("number", "code"))
    for spec in PRESENTATIONS:
        market = program.markets.get(name=spec.where[0])
        device = devices.get(spec.device)
        typed = code_of[spec.coupon] if spec.coupon else UNKNOWN_DATA + codes.check_symbol(UNKNOWN_DATA)
        redemption_record(
            vendor=program.vendors.get(business_name=spec.vendor),
            code=codes.display(typed),  # as a person types it
            nonce=spec.nonce,
            source=spec.source,
            by=device.linked_by if device else users[spec.by],  # as the stall API does
            device=device,
            market=None if device else market,
            sale_point=market.sale_points.get(name=spec.where[1]) if device else None,
            client_at=timezone.make_aware(datetime.datetime.fromisoformat(spec.client_at)) if spec.client_at else None,
        )


# Fictional bank numbers (institution, transit, account): a demo must never hold a real account.
DEMO_PAYEES = {
    "Ferme des Grands Vents": ("bank", "815", "20301", "4001234"),
    "Boucherie champêtre de l'Île": ("bank", "006", "01234", "5009876"),
    "Verger Bel-Automne": ("cheque", "", "", ""),
    "Fromagerie Côte-de-Beaupré": ("interac", "", "", ""),
}


def _seed_payments(programs: dict[str, Program], users: dict) -> None:
    """Québec's winter season paid as the pages would: the fiduciary's settings, vendors' payment details,
    claims for what the demo redeemed, all approved, one of them paid in a batch made, approved and paid
    by the two treasurers. Only once: when the season has no claim yet."""
    from pcn.payments import services as pay
    from pcn.payments.models import Claim, PayeeDetails, PaymentSettings

    program_name, season_name = CIRCULATION_SEASON
    program = programs[program_name]
    season = program.seasons.get(name=season_name)
    maker, approver = users["tresorier-quebec"], users["tresoriere-quebec"]
    _upsert(PaymentSettings, lookup={"program": program}, values={
        "originator_name": "Marché de solidarité régionale", "originator_short_name": "PCN QUEBEC",
        "originator_number": "0000012345", "data_centre": "00610", "institution": "815", "transit": "20001",
        "account": "1000001", "settlement_days": 0, "updated_by": maker,
    })
    for vendor_name, (method, institution, transit, account) in DEMO_PAYEES.items():
        vendor = program.vendors.filter(business_name=vendor_name).first()
        if vendor is not None and not PayeeDetails.objects.filter(vendor=vendor).exists():
            PayeeDetails.objects.create(
                vendor=vendor, method=method, institution=institution, transit=transit, account=account,
                interac_email=_slug(vendor_name)[:30] + "@example.org" if method == "interac" else "",
                mailing_address="123, rang Saint-Joseph, Québec (Québec) G1A 1A1" if method == "cheque" else "",
                updated_by=maker,
            )
    if Claim.objects.filter(season=season).exists() or not season.redemptions.exists():
        return
    until = timezone.localdate()
    claims = pay.claims_prepare(season=season, by=users["admin"], until=until)
    for claim in claims:
        pay.claim_approve(claim=claim, by=users["admin"])
    bank = [c for c in claims if getattr(getattr(c.vendor, "payee", None), "method", "") == "bank"][:1]
    if bank:
        batch = pay.batch_create(season=season, method="bank", payment_on=until, claims=bank, by=maker)
        pay.batch_approve(batch=batch, by=approver)
        pay.batch_export(batch=batch, format="cpa005", by=maker)
        pay.batch_mark_paid(batch=batch, by=maker)


def coupons_to_try(limit: int = 3) -> list[Coupon]:
    """A few coupons of the running season that a vendor may take now (held by a household, or sold to a
    citizen): the highest-numbered of each holder, far from those the demo spent, and never one already used."""
    program_name, season_name = CIRCULATION_SEASON
    held = (
        Coupon.objects.filter(season__program__name=program_name, season__name=season_name,
                              status__in=[CouponStatus.HOUSEHOLD, CouponStatus.SOLD])
        .order_by("-series__number", "-number")
    )
    picked: dict[tuple, Coupon] = {}
    for coupon in held.iterator():
        picked.setdefault((coupon.status, coupon.household_id), coupon)
        if len(picked) == limit:
            break
    return sorted(picked.values(), key=lambda coupon: coupon.status == CouponStatus.SOLD)  # households' first
