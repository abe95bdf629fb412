"""Writes of the research app: a program's decision to share with research, and the record of a download."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pcn.programs.models import Program, Season
from pcn.research.models import MIN_THRESHOLD, ResearchDownload, ResearchSharing

MAX_THRESHOLD = 100


@transaction.atomic
def research_sharing_decide(
    *, program: Program, shared: bool, threshold: int = MIN_THRESHOLD, community_signoff: bool = False,
    note: str = "", by,
) -> ResearchSharing:
    """Record the program's decision (a new row: the latest one is in force).

    An Indigenous community's program shares only with its band council's sign-off (OCAP): the decision
    confirms it was given, and the note says who gave it. Locking: the program row, so that two decisions
    made at once are recorded one after the other."""
    note = (note or "").strip()
    indigenous = program.kind == Program.Kind.INDIGENOUS_COMMUNITY
    errors: dict[str, str] = {}
    if not isinstance(threshold, int) or not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
        errors["threshold"] = _("Choisissez un nombre de %(min)s à %(max)s.") % {"min": MIN_THRESHOLD,
                                                                                "max": MAX_THRESHOLD}
    if shared and indigenous and not community_signoff:
        errors["community_signoff"] = _(
            "Les données d'une communauté autochtone ne se partagent qu'avec l'accord de son conseil de bande. "
            "Cochez la case une fois l'accord reçu."
        )
    if shared and indigenous and not note:
        errors["note"] = _("Écrivez qui, au conseil de bande, a donné l'accord, et à quelle date (par exemple "
                           "« Résolution du conseil du 3 mars 2026 »).")
    if len(note) > 500:
        errors["note"] = _("Écrivez au plus 500 caractères.")
    if errors:
        raise ValidationError(errors)
    Program.objects.select_for_update().filter(pk=program.pk).first()
    sharing = ResearchSharing(
        program=program, shared=shared, threshold=threshold, community_signoff=bool(indigenous and community_signoff),
        note=note, decided_by=by,
    )
    sharing.full_clean()
    sharing.save()
    return sharing


def research_download_record(*, season: Season, sharing: ResearchSharing, by) -> ResearchDownload:
    return ResearchDownload.objects.create(program=season.program, season=season, sharing=sharing, user=by)
