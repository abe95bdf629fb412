"""What can be imported, one class per kind: its columns, the checks across rows and against the program's
data, and how one row is created — always through the apps' own services (markets, programs, households),
so an imported vendor obeys exactly the rules of a vendor entered by hand.

`prepare` runs once over the parsed rows (duplicates in the file, names already taken, references to
resolve); `create` writes one row and raises ValidationError when a service refuses it.
"""

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from pcn.households import services as household_services
from pcn.households.models import MAX_HOUSEHOLD_SIZE, ConsentPurpose, Flag, Household
from pcn.imports import columns as c
from pcn.imports.columns import Column, normalize
from pcn.markets import services as market_services
from pcn.markets.forms import CoordinateField
from pcn.markets.models import Market, SalePoint, Vendor
from pcn.programs import services as program_services
from pcn.programs.choices import Language, ProductCategory, SalePointKind
from pcn.programs.models import Organization, Program, Season


@dataclass
class Problem:
    line: int
    column: str  # the column's header as shown, or "" for the whole line
    message: str
    fix: str = ""


@dataclass
class Row:
    line: int
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    outcome: str = ""  # what the row does (« nouveau marché », « liste d'attente »...)
    created: Any = None


@dataclass
class Target:
    """Where the rows go: the program, and for households (or partners' quotas) the season; for households
    the partners the person may enrol for."""

    program: Program
    season: Season | None = None
    partners: list[Organization] = field(default_factory=list)


class Kind(ABC):
    slug = ""
    title = ""
    intro = ""
    columns: list[Column] = []
    default_column = ""  # where a service's error that names no field lands ("" = the whole line)
    season_scoped = False
    refuse_identity = False

    def __init__(self):
        self.by_key = {col.key: col for col in self.columns}

    def add(self, row: Row, key: str, message: str, fix: str = "") -> None:
        col = self.by_key.get(key)
        if not fix and col is not None:
            fix = str(col.help)
        row.problems.append(Problem(row.line, str(col.header) if col else "", str(message), str(fix)))

    def add_validation_error(self, row: Row, error: ValidationError) -> None:
        """A service's refusal, on the column its field belongs to."""
        fields = {name: col.key for col in self.columns for name in (col.key, *col.fields)}
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                key = fields.get(name, self.default_column if name == NON_FIELD_ERRORS else "")
                for message in ValidationError(errors).messages:
                    self.add(row, key, message, _("Corrigez cette case, puis renvoyez le fichier."))
        else:
            for message in error.messages:
                self.add(row, self.default_column, message, _("Corrigez cette ligne, puis renvoyez le fichier."))

    def prepare(self, rows: list[Row], target: Target) -> None:
        pass

    @abstractmethod
    def create(self, row: Row, target: Target, by, state: dict) -> None:
        """Write one checked row through the kind's service."""

    def example(self) -> dict[str, str]:
        return {col.key: col.example for col in self.columns}


def _duplicates(kind: Kind, rows: list[Row], key, column: str) -> None:
    """Rows whose `key(row)` repeats an earlier row's: an error on the later line, naming the first."""
    seen: dict = {}
    for row in rows:
        value = key(row)
        if not value:
            continue
        if value in seen:
            kind.add(row, column, _("Cette ligne répète la ligne %(line)s.") % {"line": seen[value]},
                     _("Gardez une seule de ces lignes, ou changez le nom."))
        else:
            seen[value] = row.line


# Markets and sale points: one row per sale point, with its market (created by its first row).


class MarketsKind(Kind):
    slug = "markets"
    title = _lazy("Marchés et points de vente")
    intro = _lazy("Une ligne par point de vente. Les lignes d'un même marché répètent son nom ; le marché est créé "
                  "à sa première ligne. Un marché qui existe déjà reçoit les nouveaux points de vente.")
    default_column = "name"
    columns = [
        Column("market", _lazy("Marché"), c.text(200), _lazy("Le nom du marché public ou de l'entreprise."),
               "Marché public de Saint-Casimir", required=True, aliases=("market",)),
        Column("municipality", _lazy("Municipalité"), c.text(120),
               _lazy("La municipalité du marché. Obligatoire pour un nouveau marché."), "Saint-Casimir",
               aliases=("municipality", "ville", "city")),
        Column("operator", _lazy("Organisme gestionnaire"), c.text(200),
               _lazy("Facultatif : le nom d'une organisation du programme qui gère ce marché."), "",
               aliases=("operator",)),
        Column("market_email", _lazy("Courriel du marché"), c.email, _lazy("Facultatif."), "",
               aliases=("market email",)),
        Column("market_phone", _lazy("Téléphone du marché"), c.text(40), _lazy("Facultatif."), "",
               aliases=("market phone",)),
        Column("name", _lazy("Point de vente"), c.text(200),
               _lazy("Le nom de l'endroit, par exemple « Place du marché »."), "Place du marché", required=True,
               aliases=("sale point",)),
        Column("kind", _lazy("Type de lieu"), c.choice(SalePointKind.choices),
               _lazy("L'un de : Marché public, Kiosque à la ferme, Kiosque libre-service, Autocueillette, Point de "
                     "chute de paniers ASC."), "Marché public", required=True,
               aliases=("kind", "type", "kind of place")),
        Column("address", _lazy("Adresse"), c.text(300), _lazy("L'adresse où les gens se rendent pour acheter."),
               "510 rue Notre-Dame, Saint-Casimir", required=True, aliases=("address",)),
        Column("latitude", _lazy("Latitude"),
               c.form_field(CoordinateField(limit=90, out_of_range=_lazy("La latitude doit être entre -90 et 90."),
                                            required=False), _lazy("Écrivez un nombre comme 46.6512.")),
               _lazy("Facultatif, pour la carte. Par exemple 46.6512."), "46.6512"),
        Column("longitude", _lazy("Longitude"),
               c.form_field(CoordinateField(limit=180, out_of_range=_lazy("La longitude doit être entre -180 et 180."),
                                            required=False), _lazy("Écrivez un nombre comme -72.1385.")),
               _lazy("Facultatif. Au Québec, elle commence par un moins, par exemple -72.1385."), "-72.1385"),
        Column("hours", _lazy("Heures d'ouverture"), c.opening_hours,
               _lazy("Le jour puis les heures ; un point-virgule entre les jours. Par exemple « samedi 9:00-13:00; "
                     "mercredi 15:00-18:00 »."), "samedi 9:00-13:00", aliases=("opening hours", "hours", "heures")),
        Column("schedule", _lazy("Précisions sur l'horaire"), c.text(300),
               _lazy("Facultatif, par exemple « de juin à septembre »."), "de juin à septembre",
               aliases=("schedule notes", "schedule")),
    ]
    MARKET_FIELDS = ("municipality", "operator", "market_email", "market_phone")

    def prepare(self, rows, target):
        existing = {normalize(m.name): m for m in Market.objects.filter(program=target.program)}
        taken = set(
            SalePoint.objects.filter(market__program=target.program).values_list("market__name", "name")
        )
        taken = {(normalize(m), normalize(s)) for m, s in taken}
        organizations = {normalize(o.name): o for o in Organization.objects.filter(program=target.program)}
        first_of_market: dict[str, Row] = {}
        for row in rows:
            values = row.values
            name = normalize(values.get("market", ""))
            if not name:
                continue
            if values.get("operator"):
                operator = organizations.get(normalize(values["operator"]))
                if operator is None:
                    self.add(row, "operator", _("Aucune organisation du programme ne s'appelle « %(name)s ».")
                             % {"name": values["operator"]},
                             _("Écrivez le nom exact d'une organisation du programme, ou laissez la case vide."))
                values["operator"] = operator
            market = existing.get(name)
            if market is not None:
                row.values["existing_market"] = market
                if values.get("municipality") and normalize(values["municipality"]) != normalize(market.municipality):
                    self.add(row, "municipality",
                             _("Le marché « %(market)s » existe déjà, à %(town)s.")
                             % {"market": market.name, "town": market.municipality},
                             _("Écrivez « %(town)s » ou laissez la case vide.") % {"town": market.municipality})
            elif name in first_of_market:
                first = first_of_market[name]
                for key in self.MARKET_FIELDS:
                    if values.get(key) and first.values.get(key) and (
                        normalize(str(values[key])) != normalize(str(first.values[key]))
                    ):
                        self.add(row, key, _("La ligne %(line)s donne autre chose pour ce marché.") % {"line": first.line},
                                 _("Écrivez la même chose sur chaque ligne du marché, ou laissez la case vide."))
            else:
                first_of_market[name] = row
                if not values.get("municipality") and "market" in values:
                    self.add(row, "municipality", _("La municipalité manque pour ce nouveau marché."),
                             _("Écrivez la municipalité sur la première ligne du marché."))
            point = (name, normalize(values.get("name", "")))
            if point[1] and point in taken:
                self.add(row, "name", _("Ce marché a déjà un point de vente de ce nom."),
                         _("Retirez cette ligne, ou donnez un autre nom au point de vente."))
        _duplicates(self, rows, lambda r: (normalize(r.values.get("market", "")), normalize(r.values.get("name", "")))
                    if r.values.get("name") else None, "name")

    def create(self, row, target, by, state):
        values = row.values
        key = normalize(values["market"])
        market = values.get("existing_market") or state.get(key)
        new_market = market is None
        if new_market:
            market = Market(program=target.program, name=values["market"], municipality=values.get("municipality", ""),
                            operator=values.get("operator"), contact_email=values.get("market_email", ""),
                            contact_phone=values.get("market_phone", ""))
            try:
                market_services.market_save(market=market)
            except ValidationError as error:
                raise _renamed(error, {"name": "market", "contact_email": "market_email",
                                       "contact_phone": "market_phone"}) from None
        sale_point = SalePoint(market=market, name=values["name"], kind=values["kind"], address=values["address"],
                               latitude=values.get("latitude"), longitude=values.get("longitude"),
                               schedule=values.get("schedule", ""))
        market_services.sale_point_save(sale_point=sale_point, hours=values.get("hours") or [])
        state[key] = market
        row.created = sale_point
        row.outcome = str(_("Nouveau marché") if new_market else _("Marché existant"))


def _renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(k, k): v for k, v in error.error_dict.items()})


# Vendors


SALE_POINT_HELP = _lazy("Où le marchand vend : le nom du marché, un tiret, puis le nom du point de vente, comme sur "
                        "la page des marchés. Plusieurs : séparez-les par un point-virgule. Importez d'abord les "
                        "marchés.")


class VendorsKind(Kind):
    slug = "vendors"
    title = _lazy("Marchands")
    intro = _lazy("Une ligne par marchand. Les points de vente doivent déjà exister dans le programme.")
    default_column = "business_name"
    columns = [
        Column("business_name", _lazy("Nom de l'entreprise"), c.text(200), _lazy("Le nom de l'entreprise."),
               "Ferme des Érables", required=True, aliases=("business name", "vendor", "marchand", "entreprise")),
        Column("kind", _lazy("Type"), c.choice(Vendor.Kind.choices),
               _lazy("Producteur, Transformateur ou Artisan."), "Producteur", required=True, aliases=("kind",)),
        Column("contact_name", _lazy("Personne-ressource"), c.text(200), _lazy("Facultatif."), "Julie Gagnon",
               aliases=("contact", "contact name")),
        Column("email", _lazy("Courriel"), c.email, _lazy("Facultatif."), "info@fermedeserables.ca",
               aliases=("email", "e-mail")),
        Column("phone", _lazy("Téléphone"), c.text(40), _lazy("Facultatif."), "418 555-0123",
               aliases=("phone", "telephone")),
        Column("categories", _lazy("Produits vendus"), c.choices(ProductCategory.choices),
               _lazy("Un ou plusieurs, séparés par des virgules : Légumes, Fruits, Œufs, Produits laitiers, Viandes, "
                     "Poissons et fruits de mer, Miel, Produits de l'érable, Noix, Fines herbes, Plants potagers, "
                     "Aliments transformés locaux."), "Légumes, Fruits", required=True,
               aliases=("products", "products sold", "produits")),
        Column("sale_points", _lazy("Points de vente"), c.long_text, SALE_POINT_HELP,
               "Marché public de Saint-Casimir – Place du marché", required=True, aliases=("sale points",)),
    ]

    def prepare(self, rows, target):
        points = list(SalePoint.objects.filter(market__program=target.program).select_related("market"))
        by_full = {(normalize(p.market.name), normalize(p.name)): p for p in points}
        by_name: dict[str, list[SalePoint]] = {}
        by_market: dict[str, list[SalePoint]] = {}
        for p in points:
            by_name.setdefault(normalize(p.name), []).append(p)
            by_market.setdefault(normalize(p.market.name), []).append(p)
        taken = {normalize(n) for n in Vendor.objects.filter(program=target.program).values_list("business_name", flat=True)}
        for row in rows:
            name = row.values.get("business_name")
            if name and normalize(name) in taken:
                self.add(row, "business_name", _("Un marchand de ce programme porte déjà ce nom."),
                         _("Retirez cette ligne : ce marchand est déjà inscrit. Ou donnez un autre nom."))
            text = row.values.get("sale_points")
            if not text:
                continue
            found, wrong = [], []
            for item in re.split(r"[;|\n]+", text):
                item = item.strip()
                if not item:
                    continue
                point = _find_sale_point(item, by_full, by_name, by_market)
                # Commas separate places too, unless the name itself holds one (« Place du marché, côté rue »).
                parts = [_find_sale_point(part.strip(), by_full, by_name, by_market) for part in item.split(",")]
                points = [point] if point is not None else parts if "," in item and all(parts) else []
                if not points:
                    wrong.append(item)
                found.extend(p for p in points if p not in found)
            if wrong:
                self.add(row, "sale_points", _("Aucun point de vente de ce programme ne correspond à : %(items)s.")
                         % {"items": ", ".join(f"« {w} »" for w in wrong)}, SALE_POINT_HELP)
            row.values["sale_points"] = found
        _duplicates(self, rows, lambda r: normalize(r.values.get("business_name", "")), "business_name")

    def create(self, row, target, by, state):
        values = row.values
        vendor = Vendor(program=target.program, business_name=values["business_name"], kind=values["kind"],
                        contact_name=values.get("contact_name", ""), email=values.get("email", ""),
                        phone=values.get("phone", ""), categories=values["categories"])
        row.created = market_services.vendor_save(vendor=vendor, sale_points=values["sale_points"])
        row.outcome = str(_("Nouveau marchand"))


def _find_sale_point(item, by_full, by_name, by_market):
    """« Marché – Point de vente », or a sale point's name alone when only one has it, or a market's name
    when it has one sale point."""
    for dash in (" – ", " — ", " - ", "–", "—"):
        if dash in item:
            market, _sep, name = item.rpartition(dash)
            point = by_full.get((normalize(market), normalize(name)))
            if point is not None:
                return point
    for candidates in (by_name.get(normalize(item), []), by_market.get(normalize(item), [])):
        if len(candidates) == 1:
            return candidates[0]
    return None


# Partners (community organizations and band councils), with their quota for a season if wanted.

PARTNER_KINDS = [(k.value, k.label) for k in Organization.PARTNER_KINDS]


class PartnersKind(Kind):
    slug = "partners"
    title = _lazy("Organismes partenaires")
    intro = _lazy("Une ligne par organisme communautaire ou conseil de bande qui inscrit des ménages et remet les "
                  "coupons. Les quotas sont facultatifs ; pour les donner, choisissez la saison en envoyant le fichier.")
    default_column = "name"
    columns = [
        Column("name", _lazy("Nom de l'organisme"), c.text(200), _lazy("Le nom de l'organisme."),
               "Entraide Portneuf", required=True, aliases=("name", "partner", "organisme", "organization")),
        Column("kind", _lazy("Type"), c.choice(PARTNER_KINDS),
               _lazy("Organisme communautaire partenaire (si vide) ou Conseil de bande."),
               "Organisme communautaire partenaire", aliases=("kind",)),
        Column("contact_name", _lazy("Personne-ressource"), c.text(200), _lazy("Facultatif."), "Marc Tremblay",
               aliases=("contact", "contact name")),
        Column("email", _lazy("Courriel"), c.email, _lazy("Facultatif."), "accueil@entraide.org",
               aliases=("email", "e-mail")),
        Column("phone", _lazy("Téléphone"), c.text(40), _lazy("Facultatif."), "418 555-0199",
               aliases=("phone", "telephone")),
        Column("address", _lazy("Adresse"), c.text(300), _lazy("Facultatif."), "12 rue de l'Église, Donnacona",
               aliases=("address",)),
        Column("notes", _lazy("Notes"), c.long_text, _lazy("Facultatif."), "", aliases=("notes",)),
        Column("quota_households", _lazy("Quota de ménages"), c.integer(1, 100000),
               _lazy("Facultatif : combien de ménages l'organisme peut inscrire pour la saison choisie."), "40",
               aliases=("household quota", "quota households"), fields=("max_households",)),
        Column("quota_value", _lazy("Quota en dollars"), c.money,
               _lazy("Avec le quota de ménages : la valeur des coupons pour la saison, par exemple 12 000,00."),
               "12000", aliases=("value quota", "quota value", "quota dollars"), fields=("max_value_cents",)),
    ]

    def prepare(self, rows, target):
        taken = {normalize(n) for n in Organization.objects.filter(program=target.program).values_list("name", flat=True)}
        for row in rows:
            values = row.values
            if values.get("name") and normalize(values["name"]) in taken:
                self.add(row, "name", _("Une organisation de ce programme porte déjà ce nom."),
                         _("Retirez cette ligne : cet organisme est déjà inscrit. Ou donnez un autre nom."))
            households, value = values.get("quota_households"), values.get("quota_value")
            if (households is None) != (value is None) and "quota_households" in row.raw and "quota_value" in row.raw:
                missing = "quota_value" if value is None else "quota_households"
                if not any(p.column == str(self.by_key[missing].header) for p in row.problems):
                    self.add(row, missing, _("Un quota donne le nombre de ménages et la valeur ensemble."),
                             _("Remplissez les deux cases du quota, ou laissez-les vides toutes les deux."))
            elif households is not None and target.season is None:
                self.add(row, "quota_households", _("Aucune saison n'est choisie pour ce quota."),
                         _("Renvoyez le fichier en choisissant la saison, ou videz les colonnes de quota."))
        _duplicates(self, rows, lambda r: normalize(r.values.get("name", "")), "name")

    def create(self, row, target, by, state):
        values = row.values
        organization = Organization(
            program=target.program, name=values["name"], kind=values.get("kind") or Organization.Kind.COMMUNITY_PARTNER,
            contact_name=values.get("contact_name", ""), email=values.get("email", ""), phone=values.get("phone", ""),
            address=values.get("address", ""), notes=values.get("notes", ""),
        )
        program_services.organization_save(organization=organization)
        if values.get("quota_households") is not None and values.get("quota_value") is not None and target.season:
            household_services.partner_quota_set(season=target.season, partner=organization,
                                                 max_households=values["quota_households"],
                                                 max_value_cents=values["quota_value"])
        row.created = organization
        row.outcome = str(_("Nouvel organisme"))


# Households: size and composition only, never identity.

# Headers that would carry someone's identity: refused, whatever they hold.
IDENTITY_WORDS = {
    "nom", "prenom", "name", "firstname", "lastname", "surname", "adresse", "address", "rue", "street",
    "telephone", "tel", "phone", "cellulaire", "cell", "mobile", "courriel", "email", "mail", "naissance", "birth",
    "birthday", "dob", "ddn", "nas", "sin", "nam", "ramq", "postal",
}
IDENTITY_PHRASES = ("assurance maladie", "assurance sociale", "code postal", "e mail", "date de naissance")


def looks_like_identity(header: str) -> bool:
    words = normalize(header)
    return bool(set(words.split()) & IDENTITY_WORDS) or any(phrase in words for phrase in IDENTITY_PHRASES)


def _count(key, header, aliases, example):
    return Column(key, header, c.integer(0, MAX_HOUSEHOLD_SIZE),
                  _lazy("Un nombre de 0 à 20 (vide : 0). Les quatre âges additionnés donnent le nombre de personnes."),
                  example, aliases=aliases)


class HouseholdsKind(Kind):
    slug = "households"
    title = _lazy("Ménages")
    intro = _lazy("Une ligne par ménage : sa taille, les âges et ses consentements. Jamais de nom, d'adresse, de "
                  "téléphone ni de date de naissance : une colonne de ce genre fait refuser le fichier. Chaque ménage "
                  "reçoit un code à écrire sur sa carte.")
    default_column = ""  # the quota and the composition rules are about the whole line
    season_scoped = True
    refuse_identity = True
    columns = [
        Column("partner", _lazy("Organisme"), c.text(200),
               _lazy("Le nom de l'organisme qui inscrit le ménage. Vide si vous inscrivez pour votre seul organisme."),
               "Entraide Portneuf", aliases=("partner", "organization")),
        Column("size", _lazy("Nombre de personnes"), c.integer(1, MAX_HOUSEHOLD_SIZE),
               _lazy("Le nombre de personnes du ménage, de 1 à 20."), "3", required=True,
               aliases=("household size", "size", "taille")),
        _count("age_0_5", _lazy("0 à 5 ans"), ("age 0 5", "0 5", "0-5 years"), "1"),
        _count("age_6_17", _lazy("6 à 17 ans"), ("age 6 17", "6 17", "6-17 years"), "0"),
        _count("age_18_64", _lazy("18 à 64 ans"), ("age 18 64", "18 64", "18-64 years"), "2"),
        _count("age_65_plus", _lazy("65 ans et plus"), ("age 65 plus", "65", "65 and over", "65 years and over"), "0"),
        Column("flags", _lazy("Situations"), c.choices(Flag.choices),
               _lazy("Facultatif, séparées par des virgules : Grossesse dans le ménage, Famille monoparentale, "
                     "Personne vivant avec un handicap, Personne nouvellement arrivée au pays."), "",
               aliases=("flags", "situations to count")),
        Column("community", _lazy("Communauté"), c.text(120), _lazy("Facultatif."), "", aliases=("community",)),
        Column("language", _lazy("Langue préférée"), c.choice(Language.choices),
               _lazy("Facultatif : Français (si vide), Anglais ou une langue autochtone de la liste."), "Français",
               aliases=("language", "langue", "preferred language")),
        Column("consent_participation", _lazy("Accepte de participer"), c.yes_no,
               _lazy("« oui » : le ménage accepte de participer. Sans son accord, il ne peut pas être inscrit."),
               "oui", required=True, aliases=("consent participation", "participation")),
        Column("consent_surveys", _lazy("Accepte les sondages"), c.yes_no, _lazy("« oui » ou « non » (vide : non)."),
               "non", aliases=("consent surveys", "surveys", "sondages")),
        Column("consent_research", _lazy("Accepte la recherche"), c.yes_no, _lazy("« oui » ou « non » (vide : non)."),
               "non", aliases=("consent research", "research", "recherche")),
    ]
    COMPOSITION = ("age_0_5", "age_6_17", "age_18_64", "age_65_plus")

    def prepare(self, rows, target):
        allowed = {normalize(p.name): p for p in target.partners}
        others = {normalize(o.name) for o in Organization.objects.filter(program=target.program)}
        for row in rows:
            values = row.values
            if values.get("partner"):
                partner = allowed.get(normalize(values["partner"]))
                if partner is None:
                    if normalize(values["partner"]) in others and len(target.partners) == 1:
                        self.add(row, "partner", _("Vous inscrivez des ménages seulement pour %(partner)s.")
                                 % {"partner": target.partners[0].name},
                                 _("Écrivez « %(partner)s » ou laissez la case vide.") % {"partner": target.partners[0].name})
                    else:
                        self.add(row, "partner", _("Aucun organisme partenaire ne s'appelle « %(name)s ».")
                                 % {"name": values["partner"]},
                                 _("Écrivez l'un de : %(names)s.") % {"names": ", ".join(f"« {p.name} »" for p in target.partners)})
                values["partner"] = partner
            elif not row.raw.get("partner"):
                if len(target.partners) == 1:
                    values["partner"] = target.partners[0]
                else:
                    self.add(row, "partner", _("L'organisme manque."),
                             _("Écrivez l'un de : %(names)s.") % {"names": ", ".join(f"« {p.name} »" for p in target.partners)})

    def create(self, row, target, by, state):
        values = row.values
        household = household_services.household_enrol(
            season=target.season,
            partner=values["partner"],
            size=values["size"],
            composition={k: values.get(k) or 0 for k in self.COMPOSITION},
            flags=values.get("flags") or [],
            community=values.get("community", ""),
            language=values.get("language") or Language.FRENCH,
            consents={
                ConsentPurpose.PARTICIPATION: bool(values.get("consent_participation")),
                ConsentPurpose.SURVEYS: bool(values.get("consent_surveys")),
                ConsentPurpose.RESEARCH: bool(values.get("consent_research")),
            },
            identity=None,
            by=by,
        )
        row.created = household
        row.outcome = str(household.get_status_display() if household.status != Household.Status.ACTIVE
                          else _("Inscrit"))


KINDS: dict[str, Kind] = {kind.slug: kind for kind in (MarketsKind(), VendorsKind(), PartnersKind(), HouseholdsKind())}
