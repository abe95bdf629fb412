"""Access helpers for the governance records (see pcn.accounts.access).

`write=True` asks for the right to change the record (coordinators and network admins); otherwise the
right to read it (those who read the program's configuration). Anything else answers 404.
"""

from django.http import Http404

from pcn.accounts.access import CONFIGURE, READ_CONFIG, check_program_access
from pcn.governance.models import Agreement, CommitteeMember, Decision


def get_committee_member_for_user(user, member_id: int, *, write: bool = False) -> CommitteeMember:
    member = CommitteeMember.objects.select_related("program__network", "organization").filter(pk=member_id).first()
    if member is None:
        raise Http404
    check_program_access(user, member.program, roles=CONFIGURE if write else READ_CONFIG)
    return member


def get_agreement_for_user(user, agreement_id: int, *, write: bool = False) -> Agreement:
    agreement = (
        Agreement.objects.select_related("program__network", "organization", "vendor").filter(pk=agreement_id).first()
    )
    if agreement is None:
        raise Http404
    check_program_access(user, agreement.program, roles=CONFIGURE if write else READ_CONFIG)
    return agreement


def get_decision_for_user(user, decision_id: int) -> Decision:
    """Decisions are read-only once recorded, so there is no `write` variant."""
    decision = Decision.objects.select_related("program__network").filter(pk=decision_id).first()
    if decision is None:
        raise Http404
    check_program_access(user, decision.program, roles=READ_CONFIG)
    return decision
