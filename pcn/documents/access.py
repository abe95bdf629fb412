"""Who may make which documents of a program (see pcn.accounts.access).

- The program's staff (coordination, treasury, the network's admins and analysts: READ_CONFIG) make every
  document, for any of its vendors or partners, or blank (lines to fill in by hand).
- A vendor makes the documents that concern it, always with its own name: its agreement, its
  reimbursement slip, and the stall poster.
- A partner worker makes its organization's agreement and distribution log, and the participant sheet.
- A market manager makes the stall poster.
Anyone else gets 404, as for every object of a program the user may not reach.
"""

from dataclasses import dataclass, field

from django.http import Http404

from pcn.accounts.access import READ_CONFIG, memberships_of, program_roles
from pcn.accounts.models import Role
from pcn.documents.kinds import PARTY, Kind
from pcn.markets.models import Vendor
from pcn.programs.models import Organization, Program, Season

VENDOR_KINDS = (Kind.VENDOR_AGREEMENT, Kind.VENDOR_SLIP, Kind.POSTER)
PARTNER_KINDS = (Kind.PARTNER_AGREEMENT, Kind.PARTICIPANT_SHEET, Kind.DISTRIBUTION_LOG)
MARKET_KINDS = (Kind.POSTER,)


@dataclass
class DocumentsAccess:
    program: Program
    staff: bool
    kinds: list[str]
    vendors: list[Vendor] = field(default_factory=list)  # a vendor's own (staff: chosen from the program's)
    partners: list[Organization] = field(default_factory=list)

    def vendor_choices(self):
        return Vendor.objects.filter(program=self.program) if self.staff else self.vendors

    def partner_choices(self):
        if self.staff:
            return Organization.objects.filter(program=self.program, kind__in=Organization.PARTNER_KINDS)
        return self.partners


def get_documents_for_user(user, program_id: int) -> DocumentsAccess:
    program = Program.objects.select_related("network", "fiduciary").filter(pk=program_id).first()
    if program is None:
        raise Http404
    if program_roles(user, program) & READ_CONFIG:
        return DocumentsAccess(program=program, staff=True, kinds=list(Kind.values))
    access = DocumentsAccess(program=program, staff=False, kinds=[])
    for m in memberships_of(user):
        if m.program_id != program.pk:
            continue
        if m.role == Role.VENDOR and m.vendor_id:
            access.vendors.append(Vendor.objects.get(pk=m.vendor_id))
            access.kinds += VENDOR_KINDS
        elif m.role == Role.PARTNER_WORKER and m.organization_id:
            organization = Organization.objects.get(pk=m.organization_id)
            if organization.is_partner_in(program.pk):
                access.partners.append(organization)
                access.kinds += PARTNER_KINDS
        elif m.role == Role.MARKET_MANAGER:
            access.kinds += MARKET_KINDS
    if not access.kinds:
        raise Http404
    access.kinds = [kind for kind in Kind.values if kind in access.kinds]  # each once, in the usual order
    return access


def _id(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def pick_season(access: DocumentsAccess, season_id) -> Season | None:
    """The season asked for (404 if it is not the program's), else the latest one (None if there is none)."""
    seasons = Season.objects.filter(program=access.program).select_related("program__fiduciary")
    season_id = _id(season_id)
    if season_id is None:
        return seasons.order_by("-starts_on").first()
    season = seasons.filter(pk=season_id).first()
    if season is None:
        raise Http404
    return season


def pick_vendor(access: DocumentsAccess, vendor_id) -> Vendor | None:
    """The vendor asked for, if the user may name it; a vendor's own when it asks for none; None (blank) for
    staff asking for none."""
    vendor_id = _id(vendor_id)
    if vendor_id is None:
        return None if access.staff else access.vendors[0] if access.vendors else None
    vendor = next((v for v in access.vendor_choices() if v.pk == vendor_id), None) if not access.staff else (
        Vendor.objects.filter(program=access.program, pk=vendor_id).first())
    if vendor is None:
        raise Http404
    return vendor


def pick_partner(access: DocumentsAccess, partner_id) -> Organization | None:
    partner_id = _id(partner_id)
    if partner_id is None:
        return None if access.staff else access.partners[0] if access.partners else None
    partner = next((p for p in access.partners if p.pk == partner_id), None) if not access.staff else (
        access.partner_choices().filter(pk=partner_id).first())
    if partner is None:
        raise Http404
    return partner


def party_for(kind: str, vendor: Vendor | None, partner: Organization | None) -> dict:
    """The facts_for() keyword arguments: the party a document of `kind` names, if any."""
    return {"vendor": vendor if PARTY[kind] == "vendor" else None,
            "partner": partner if PARTY[kind] == "partner" else None}
