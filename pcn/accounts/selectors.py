"""What each person sees on their home page: their places and what to do next."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pcn.accounts.access import CONFIGURE, READ_CONFIG, memberships_of, program_roles
from pcn.accounts.models import Role
from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent
from pcn.markets.models import VendorAuthorization
from pcn.markets.selectors import vendor_is_authorized
from pcn.programs.models import Organization, Program
from pcn.programs.selectors import season_in_focus


@dataclass
class Step:
    label: str
    done: bool
    url: str


@dataclass
class ProgramCard:
    program: Program
    roles: list[str]
    season: object = None
    steps: list[Step] = field(default_factory=list)
    can_read_config: bool = False
    reads_reports_only: bool = False
    is_researcher: bool = False
    is_funder_viewer: bool = False

    @property
    def next_step(self) -> Step | None:
        return next((step for step in self.steps if not step.done), None)


# A coupon in one of these places has left the central stock for a partner (and maybe gone further).
HANDED_OUT = [CouponStatus.PARTNER, CouponStatus.HOUSEHOLD, CouponStatus.SOLD, CouponStatus.REDEEMED]


def program_setup_steps(program: Program, season) -> list[Step]:
    """The checklist a coordinator follows to get a program running, in order."""
    steps = [
        Step(_("Mettre en place la saison avec l'assistant : des modèles prêts à l'emploi, étape par étape"), False,
             reverse("setup_program", args=[program.pk])),
    ] if season is None else []
    steps += [
        Step(_("Désigner le fiduciaire, qui détient l'argent et paie les marchands"), program.fiduciary_id is not None,
             reverse("program_edit", args=[program.pk])),
        Step(_("Ajouter les organismes partenaires qui remettront les coupons"),
             program.organizations.filter(kind__in=Organization.PARTNER_KINDS).exists(),
             reverse("organization_create", args=[program.pk])),
        Step(_("Créer la saison : dates, semaines, fréquence des remises"), season is not None,
             reverse("season_create", args=[program.pk])),
    ]
    if season is not None:
        steps += [
            Step(_("Remplir les montants remis par taille de ménage"),
                 season.entitlement_rows.count() == season.household_size_cap,
                 reverse("season_entitlements", args=[season.pk])),
            Step(_("Choisir les valeurs des coupons"), season.denominations.exists(),
                 reverse("season_denominations", args=[season.pk])),
            Step(_("Dire ce que les coupons permettent d'acheter (catégories)"), season.coupon_classes.exists(),
                 reverse("coupon_class_create", args=[season.pk])),
            Step(_("Émettre et imprimer une série de coupons"), season.series.exists(),
                 reverse("series_create", args=[season.pk])),
        ]
    steps += [
        Step(_("Ajouter les marchés et les points de vente"), program.markets.exists(),
             reverse("market_create", args=[program.pk])),
        Step(_("Inscrire les marchands"), program.vendors.exists(), reverse("vendor_create", args=[program.pk])),
    ]
    if season is not None:
        steps.append(
            Step(_("Autoriser les marchands pour la saison"),
                 VendorAuthorization.objects.active().filter(season=season).exists(),
                 reverse("season_vendors", args=[season.pk]))
        )
        steps.append(
            Step(_("Remettre des coupons aux partenaires"),
                 Coupon.objects.filter(season=season, status__in=HANDED_OUT).exists(),
                 reverse("coupons_move", args=[season.pk, CustodyEvent.Kind.ALLOCATE]))
        )
    return steps


def home_program_cards(user) -> list[ProgramCard]:
    today = timezone.localdate()
    cards = []
    # Network staff reach every program from the network page; their home lists only the programs
    # where they hold a role of their own (so it stays a few cards, not one per program in Québec).
    own = {m.program_id for m in memberships_of(user) if m.program_id}
    for program in Program.objects.filter(pk__in=own).select_related("network"):
        roles = program_roles(user, program)
        season = season_in_focus(program, today)
        card = ProgramCard(
            program=program,
            roles=sorted(str(Role(r).label) for r in roles),
            season=season,
            can_read_config=bool(roles & READ_CONFIG),
            reads_reports_only=bool(roles) and roles <= {Role.RESEARCHER, Role.FUNDER_VIEWER},
            is_researcher=Role.RESEARCHER in roles,
            is_funder_viewer=Role.FUNDER_VIEWER in roles,
        )
        if not (card.can_read_config or card.reads_reports_only):
            continue  # partner workers, market managers and vendors get their own cards
        if roles & CONFIGURE:
            card.steps = program_setup_steps(program, season)
        cards.append(card)
    return cards


def home_party_memberships(user) -> dict[str, list]:
    """Memberships tied to one party: the partner a worker belongs to, a manager's market, a vendor."""
    today = timezone.localdate()
    parties: dict[str, list] = {"partners": [], "markets": [], "vendors": []}
    for m in memberships_of(user):
        if m.role == Role.PARTNER_WORKER and m.organization_id:
            season = season_in_focus(m.program, today)
            parties["partners"].append({"organization": m.organization, "season": season,
                                        "rows": list(season.entitlement_rows.all()) if season else []})
        elif m.role == Role.MARKET_MANAGER and m.market_id:
            parties["markets"].append({"market": m.market, "season": season_in_focus(m.program, today)})
        elif m.role == Role.VENDOR and m.vendor_id:
            season = season_in_focus(m.program, today)
            authorized = season is not None and vendor_is_authorized(vendor=m.vendor, season=season)
            parties["vendors"].append({"vendor": m.vendor, "season": season, "authorized": authorized})
    return parties
