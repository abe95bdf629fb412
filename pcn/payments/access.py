"""Who may do what with claims, batches and vendors' payment details (see pcn.accounts.access).

- Read a season's claims and batches: whoever reads the program's configuration (coordination, treasury,
  network). A vendor reads its own claims and statement; a market manager those of its market.
- Prepare claims: the coordination, the treasury, a vendor (its own), a market manager (its market's).
- Reject a line, approve a claim: the coordination.
- Make a batch, export its files, mark it paid: the treasury. Approve a batch: the treasury or the
  coordination (a second person: the services check it is not the one who made it).
- Bank details and the fiduciary's numbers: the treasury only.
"""

from django.http import Http404

from pcn.accounts.access import CONFIGURE, READ_CONFIG, check_program_access, memberships_of, program_roles
from pcn.accounts.models import Role
from pcn.markets.models import Market, Vendor
from pcn.payments.models import Claim, PaymentBatch
from pcn.programs.models import Program, Season

PREPARE = CONFIGURE | {Role.TREASURER}
REVIEW = CONFIGURE
TREASURY = frozenset({Role.TREASURER})
APPROVE_BATCH = frozenset({Role.TREASURER, Role.COORDINATOR})


def can(user, program: Program, roles) -> bool:
    return bool(program_roles(user, program) & set(roles))


def holds(user, role: str, **scope) -> bool:
    """Whether the user holds `role` tied to that party, e.g. holds(user, Role.VENDOR, vendor_id=3)."""
    return any(m.role == role and all(getattr(m, k) == v for k, v in scope.items()) for m in memberships_of(user))


def get_season_for_payments(user, season_id: int, *, roles=READ_CONFIG) -> Season:
    season = Season.objects.select_related("program__network").filter(pk=season_id).first()
    if season is None:
        raise Http404
    check_program_access(user, season.program, roles=roles)
    return season


def get_claim_for_user(user, claim_id: int, *, roles=None) -> Claim:
    """Reading (roles=None): the program's readers, the claim's vendor, its market's manager. Otherwise only
    the given roles."""
    claim = Claim.objects.select_related("program__network", "season", "vendor", "market").filter(pk=claim_id).first()
    if claim is None:
        raise Http404
    if roles is not None:
        check_program_access(user, claim.program, roles=roles)
        return claim
    scoped = [(Role.VENDOR, "vendor_id", claim.vendor_id)]
    if claim.market_id:
        scoped.append((Role.MARKET_MANAGER, "market_id", claim.market_id))
    check_program_access(user, claim.program, roles=READ_CONFIG, scoped=scoped)
    return claim


def get_batch_for_user(user, batch_id: int, *, roles=READ_CONFIG) -> PaymentBatch:
    batch = PaymentBatch.objects.select_related("program__network", "season").filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    check_program_access(user, batch.program, roles=roles)
    return batch


def get_vendor_for_payments(user, vendor_id: int, *, treasury: bool = False, own: bool = True) -> Vendor:
    """`treasury=True`: the vendor's bank details (the treasury only). Otherwise the vendor's claims and
    statement: the program's readers and the vendor itself (a market manager sees its market's claims on the
    market's page, not the vendor's whole statement)."""
    vendor = Vendor.objects.select_related("program__network").filter(pk=vendor_id).first()
    if vendor is None:
        raise Http404
    if treasury:
        check_program_access(user, vendor.program, roles=TREASURY)
    else:
        check_program_access(user, vendor.program, roles=READ_CONFIG,
                             scoped=[(Role.VENDOR, "vendor_id", vendor.pk)] if own else [])
    return vendor


def get_market_for_claims(user, market_id: int) -> Market:
    """A market's own claims (the market pays its vendors): its manager, and the program's readers."""
    market = Market.objects.select_related("program__network").filter(pk=market_id).first()
    if market is None:
        raise Http404
    check_program_access(user, market.program, roles=READ_CONFIG,
                         scoped=[(Role.MARKET_MANAGER, "market_id", market.pk)])
    return market


def get_program_for_treasury(user, program_id: int) -> Program:
    program = Program.objects.select_related("network").filter(pk=program_id).first()
    if program is None:
        raise Http404
    check_program_access(user, program, roles=TREASURY)
    return program
