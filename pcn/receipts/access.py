"""Access helpers for receipt verification (see pcn.accounts.access).

- The results (counts and rates, no household) are for the program's staff who read its figures:
  coordinators, treasurers, the network's admins and analysts (READ_CONFIG).
- Drawing a sample is for those who configure the program (CONFIGURE).
- A partner's list of sampled households, and recording answers, are for that partner's workers and the
  coordination (CONFIGURE), like a household's own page (pcn.households.access): a worker of another
  partner, or anyone else, gets 404.
"""

from django.http import Http404

from pcn.accounts.access import CONFIGURE, READ_CONFIG, check_program_access, memberships_of, program_roles
from pcn.accounts.models import Role
from pcn.programs.models import Season
from pcn.receipts.models import ReceiptSample, SampleStratum

RESULTS = READ_CONFIG


def worker_partner_ids(user, program) -> set[int]:
    """The partners of this program the user works for."""
    return {
        m.organization_id
        for m in memberships_of(user)
        if m.role == Role.PARTNER_WORKER and m.program_id == program.pk and m.organization_id
    }


def can_draw(user, program) -> bool:
    return bool(program_roles(user, program) & CONFIGURE)


def can_read_results(user, program) -> bool:
    return bool(program_roles(user, program) & RESULTS)


def get_receipts_season_for_user(user, season_id: int, *, write: bool = False) -> tuple[Season, set[int] | None]:
    """The season, and the partners whose samples the user may open: None for all (program staff), else the
    partner workers' own partners. `write` (drawing a sample) is for the coordination only."""
    season = Season.objects.select_related("program__network").filter(pk=season_id).first()
    if season is None:
        raise Http404
    if write:
        check_program_access(user, season.program, roles=CONFIGURE)
        return season, None
    if program_roles(user, season.program) & RESULTS:
        return season, None
    own = worker_partner_ids(user, season.program)
    if not own:
        raise Http404
    return season, own


def get_sample_for_user(user, sample_id: int) -> ReceiptSample:
    """A sample's results: counts and rates per partner, for the staff who read the program's figures."""
    sample = ReceiptSample.objects.select_related("program__network", "season", "drawn_by").filter(pk=sample_id).first()
    if sample is None:
        raise Http404
    check_program_access(user, sample.program, roles=RESULTS)
    return sample


def get_stratum_for_user(user, sample_id: int, partner_id: int) -> SampleStratum:
    """One partner's sampled households (their codes and answers): its own workers and the coordination,
    to read and to record answers."""
    stratum = (
        SampleStratum.objects.select_related("sample__program__network", "sample__season", "partner")
        .filter(sample_id=sample_id, partner_id=partner_id)
        .first()
    )
    if stratum is None:
        raise Http404
    check_program_access(
        user,
        stratum.sample.program,
        roles=CONFIGURE,
        scoped=[(Role.PARTNER_WORKER, "organization_id", stratum.partner_id)],
    )
    return stratum
