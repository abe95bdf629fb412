"""Program templates: ready-made configurations modelled on the pilots (../shared/domain/FACTS.md), and the
same configuration read back from an existing season ("use Portneuf 2026 as a model").

A template is only a starting point: the setup wizard copies its values into a draft, where every value
stays editable. All of a draft's answers share one plain shape (JSON-ready, money in cents), whatever it
started from:

    {"program": {"name", "kind", "region", "languages", "fiduciary"},
     "season": {"name", "starts_on" (ISO date), "weeks", "frequency", "household_size_cap",
                "accepted_sale_point_kinds", "cards_enabled", "counts_only", "accept_unissued",
                "expected_redemption_rate"},
     "amounts": {"entitlements": {"1": cents, ...}, "denominations": [cents, ...]},
     "classes": [{"name", "categories"}, ...],
     "partners": {"band_council", "names": [...], "local_currency_name", "local_units_per_100_cad"}}
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from pcn.programs.choices import Language, ProductCategory, SalePointKind
from pcn.programs.models import Program, Season

ALL_FOODS = list(ProductCategory.values)
FRESH = [ProductCategory.VEGETABLES, ProductCategory.FRUIT, ProductCategory.HERBS, ProductCategory.FOOD_PLANTS]


@dataclass(frozen=True)
class ProgramTemplate:
    key: str
    label: str
    summary: str  # who it is for, in one sentence
    why: tuple[str, ...]  # the template's main choices, each with its reason
    kind: str
    languages: tuple[str, ...]
    weeks: int
    frequency: str
    household_size_cap: int
    amounts_cents: tuple[int | None, ...]  # per period, for sizes 1, 2, ... cap (None: not set yet)
    denominations_cents: tuple[int, ...]
    classes: tuple[tuple[str, tuple[str, ...]], ...]
    sale_point_kinds: tuple[str, ...]
    expected_redemption_rate: int | None
    cards_enabled: bool = False
    counts_only: bool = False
    accept_unissued: bool = False
    local_currency_name: str = ""
    local_units_per_100_cad: int | None = None
    # The documents to print first (pcn.documents.kinds.Kind values), in the order they are needed.
    documents: tuple[str, ...] = ("vendor_agreement", "partner_agreement", "participant_sheet", "poster")


TEMPLATES: dict[str, ProgramTemplate] = {
    t.key: t
    for t in (
        ProgramTemplate(
            key="rural_mrc",
            label=_("MRC rurale"),
            summary=_("Quelques marchés publics et des kiosques à la ferme, une centaine de ménages, comme le projet "
                      "pilote de Portneuf."),
            why=(
                _("Une remise chaque semaine, pendant 12 semaines : l'été des marchés publics."),
                _("Jusqu'à 60 $ par semaine selon la taille du ménage, soit 720 $ pour l'été."),
                _("Des coupons de 2 $ et de 5 $ : les marchands ne rendent pas la monnaie, les petites valeurs "
                  "évitent de perdre la différence."),
            ),
            kind=Program.Kind.MRC,
            languages=(Language.FRENCH,),
            weeks=12,
            frequency=Season.Frequency.WEEKLY,
            household_size_cap=5,
            amounts_cents=(2000, 3000, 4000, 5000, 6000),
            denominations_cents=(200, 500),
            classes=((_("Aliments locaux"), tuple(ALL_FOODS)),),
            sale_point_kinds=(SalePointKind.MARKET, SalePointKind.FARM_STAND, SalePointKind.SELF_SERVE),
            expected_redemption_rate=80,
        ),
        ProgramTemplate(
            key="remote_region",
            label=_("Région éloignée"),
            summary=_("Plusieurs MRC, des partenaires dispersés et un réseau cellulaire faible, comme le "
                      "Bas-Saint-Laurent."),
            why=(
                _("Une remise aux deux semaines : moins de déplacements pour les partenaires et les ménages."),
                _("Des coupons papier, saisis par les gestionnaires de marché : les marchands n'ont pas besoin de "
                  "téléphone, et la page du kiosque fonctionne aussi sans réseau."),
                _("Un coupon pas encore inscrit comme remis est accepté et signalé, au lieu d'être refusé : loin du "
                  "bureau, les remises sont parfois saisies en retard."),
            ),
            kind=Program.Kind.REGION,
            languages=(Language.FRENCH,),
            weeks=14,
            frequency=Season.Frequency.BIWEEKLY,
            household_size_cap=5,
            amounts_cents=(4000, 6000, 8000, 10000, 12000),
            denominations_cents=(500, 1000),
            classes=((_("Aliments locaux"), tuple(ALL_FOODS)),),
            sale_point_kinds=(SalePointKind.MARKET, SalePointKind.FARM_STAND, SalePointKind.SELF_SERVE,
                              SalePointKind.U_PICK),
            expected_redemption_rate=78,
            accept_unissued=True,
            documents=("vendor_agreement", "partner_agreement", "participant_sheet", "poster", "distribution_log",
                       "vendor_slip"),
        ),
        ProgramTemplate(
            key="city",
            label=_("Ville"),
            summary=_("Beaucoup d'organismes partenaires, des milliers de ménages et plusieurs marchés."),
            why=(
                _("Des cartes numériques sont permises : moins de papier à imprimer et à compter quand les volumes "
                  "sont grands."),
                _("Deux catégories de coupons : une pour les fruits et légumes, une pour tous les aliments "
                  "admissibles."),
                _("16 semaines : les marchés urbains ouvrent plus longtemps."),
            ),
            kind=Program.Kind.CITY,
            languages=(Language.FRENCH, Language.ENGLISH),
            weeks=16,
            frequency=Season.Frequency.WEEKLY,
            household_size_cap=6,
            amounts_cents=(1500, 2500, 3500, 4500, 5000, 5500),
            denominations_cents=(100, 200, 500),
            classes=((_("Fruits et légumes"), tuple(FRESH)), (_("Tous les aliments admissibles"), tuple(ALL_FOODS))),
            sale_point_kinds=(SalePointKind.MARKET, SalePointKind.FARM_STAND, SalePointKind.CSA_PICKUP),
            expected_redemption_rate=85,
            cards_enabled=True,
        ),
        ProgramTemplate(
            key="local_currency",
            label=_("Monnaie locale"),
            summary=_("Les marchands sont remboursés dans la monnaie locale du territoire, à un taux fixé, comme "
                      "la Petite-monnaie de la MRC de Papineau."),
            why=(
                _("Les coupons circulent comme la monnaie locale : personne ne distingue les ménages des autres "
                  "clients."),
                _("Un taux de 105 unités pour 100 $ : le marchand gagne à rester dans l'économie locale."),
            ),
            kind=Program.Kind.MRC,
            languages=(Language.FRENCH, Language.ENGLISH),
            weeks=12,
            frequency=Season.Frequency.WEEKLY,
            household_size_cap=5,
            amounts_cents=(2000, 3000, 4000, 5000, 6000),
            denominations_cents=(100, 500),
            classes=((_("Aliments locaux"), tuple(ALL_FOODS)),),
            sale_point_kinds=(SalePointKind.MARKET, SalePointKind.FARM_STAND),
            expected_redemption_rate=90,
            local_currency_name="Petite-monnaie",
            local_units_per_100_cad=105,
            documents=("vendor_agreement", "participant_sheet", "poster", "vendor_slip"),
        ),
        ProgramTemplate(
            key="indigenous_community",
            label=_("Communauté autochtone"),
            summary=_("Le conseil de bande est partenaire ; la communauté choisit ses langues et garde ses données."),
            why=(
                _("Le conseil de bande remet les coupons, comme un organisme partenaire."),
                _("Les langues de la communauté s'ajoutent au français et à l'anglais."),
                _("Les données restent à la communauté : l'analyse du réseau voit les totaux de ses saisons, jamais "
                  "le détail, et rien n'est partagé pour la recherche sans l'accord écrit du conseil de bande "
                  "(principes PCAP)."),
            ),
            kind=Program.Kind.INDIGENOUS_COMMUNITY,
            languages=(Language.FRENCH, Language.ANISHINAABEMOWIN, Language.ENGLISH),
            weeks=12,
            frequency=Season.Frequency.WEEKLY,
            household_size_cap=6,
            amounts_cents=(2000, 3000, 4000, 5000, 6000, 7000),
            denominations_cents=(500, 1000),
            classes=((_("Aliments locaux et traditionnels"), tuple(ALL_FOODS)),),
            sale_point_kinds=(SalePointKind.MARKET, SalePointKind.FARM_STAND, SalePointKind.CSA_PICKUP),
            expected_redemption_rate=85,
            documents=("partner_agreement", "participant_sheet", "poster", "distribution_log"),
        ),
    )
}


def first_monday_of_june(today: datetime.date) -> datetime.date:
    """The first Monday of the next June not yet begun: when most public markets open."""
    year = today.year if today < datetime.date(today.year, 6, 1) else today.year + 1
    june = datetime.date(year, 6, 1)
    return june + datetime.timedelta(days=(7 - june.weekday()) % 7)


def summer_name(starts_on: datetime.date) -> str:
    return str(_("Été %(year)s") % {"year": starts_on.year})


def template_answers(template: ProgramTemplate, *, today: datetime.date, program: Program | None = None) -> dict:
    """A draft's answers filled from `template` (and from `program` when it already exists)."""
    starts_on = first_monday_of_june(today)
    return {
        "program": program_answers(program) if program else {
            "name": "", "kind": template.kind, "region": "", "languages": list(template.languages), "fiduciary": "",
        },
        "season": {
            "name": summer_name(starts_on),
            "starts_on": starts_on.isoformat(),
            "weeks": template.weeks,
            "frequency": template.frequency,
            "household_size_cap": template.household_size_cap,
            "accepted_sale_point_kinds": list(template.sale_point_kinds),
            "cards_enabled": template.cards_enabled,
            "counts_only": template.counts_only,
            "accept_unissued": template.accept_unissued,
            "expected_redemption_rate": template.expected_redemption_rate,
        },
        "amounts": {
            "entitlements": {str(size): cents for size, cents in enumerate(template.amounts_cents, start=1) if cents},
            "denominations": list(template.denominations_cents),
        },
        "classes": [{"name": str(name), "categories": list(categories)} for name, categories in template.classes],
        "partners": {
            "band_council": "",
            "names": [],
            "local_currency_name": template.local_currency_name,
            "local_units_per_100_cad": template.local_units_per_100_cad,
        },
    }


def program_answers(program: Program) -> dict:
    return {
        "name": program.name,
        "kind": program.kind,
        "region": program.region,
        "languages": list(program.languages),
        "fiduciary": program.fiduciary.name if program.fiduciary_id else "",
    }


def model_answers(season: Season, *, today: datetime.date, program: Program | None = None) -> dict:
    """A draft's answers copied from another program's season: its rules, amounts, coupons and classes, moved
    to next summer's dates. Nothing about its people (partners' names, households, vendors) nor its payment
    settings (another program's rate is its treasury's) is copied."""
    amounts = {row.household_size: row.amount_cents for row in season.entitlement_rows.all()}
    model = ProgramTemplate(
        key="", label=str(season), summary="", why=(), kind=season.program.kind,
        languages=tuple(season.program.languages), weeks=season.weeks, frequency=season.frequency,
        household_size_cap=season.household_size_cap,
        amounts_cents=tuple(amounts.get(size) for size in range(1, season.household_size_cap + 1)),
        denominations_cents=tuple(d.value_cents for d in season.denominations.all()),
        classes=tuple((c.name, tuple(c.categories)) for c in season.coupon_classes.all()),
        sale_point_kinds=tuple(season.accepted_sale_point_kinds),
        expected_redemption_rate=season.expected_redemption_rate, cards_enabled=season.cards_enabled,
        counts_only=season.counts_only, accept_unissued=season.accept_unissued,
    )
    return template_answers(model, today=today, program=program)
