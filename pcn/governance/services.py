"""Writes for the governance records: steering committee, signed agreements and the decisions log.

Views, commands and imports all call these. The decisions log is append-only: there is no service to
change or delete a decision; a correction is recorded as a new decision.
"""

import datetime
import math
from pathlib import PurePath

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pcn.governance.models import Agreement, CommitteeMember, Decision
from pcn.markets.models import Vendor
from pcn.programs.models import Organization, Program

# Steering committee


@transaction.atomic
def committee_member_save(*, member: CommitteeMember) -> CommitteeMember:
    """Add or update a committee member. The committee gathers the program's staff and its partners'
    people, so each member represents an organization of the program (never a participant)."""
    if member.organization_id is None:
        raise ValidationError(
            {
                "organization": _(
                    "Choisissez l'organisation que cette personne représente. Le comité réunit le personnel "
                    "du programme et de ses partenaires, jamais des participants."
                )
            }
        )
    if member.organization.program_id != member.program_id:
        raise ValidationError({"organization": _("Choisissez une organisation de ce programme, dans la liste.")})
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def committee_member_remove(*, member: CommitteeMember) -> None:
    member.delete()


# Signed agreements

AGREEMENT_FILE_MAX_BYTES = 10 * 1024 * 1024

# Accepted file types: extension -> (name shown to people, what the file must start with).
# A PDF may carry a few bytes before its header, so it is looked for in the first kilobyte.
_AGREEMENT_FILE_TYPES = {
    ".pdf": ("PDF", b"%PDF-"),
    ".jpg": ("JPEG", b"\xff\xd8\xff"),
    ".jpeg": ("JPEG", b"\xff\xd8\xff"),
    ".png": ("PNG", b"\x89PNG\r\n\x1a\n"),
}


def check_agreement_file(file: File) -> str:
    """Raise ValidationError({"file": ...}) unless `file` is a PDF, JPEG or PNG of at most 10 MB, judged by
    both its extension and its first bytes. Returns the extension in lower case (".pdf"...)."""
    name = PurePath(file.name or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in _AGREEMENT_FILE_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "Le fichier « %(name)s » n'est ni un PDF, ni une photo JPEG ou PNG. "
                    "Joignez l'entente signée dans un de ces formats."
                )
                % {"name": name}
            }
        )
    if not file.size:
        raise ValidationError(
            {"file": _("Le fichier « %(name)s » est vide. Joignez de nouveau l'entente signée.") % {"name": name}}
        )
    if file.size > AGREEMENT_FILE_MAX_BYTES:
        raise ValidationError(
            {
                "file": _(
                    "Le fichier « %(name)s » pèse %(size)s Mo, plus que la limite de 10 Mo. Numérisez l'entente "
                    "en plus basse résolution ou en noir et blanc, puis joignez-la de nouveau."
                )
                % {"name": name, "size": number_format(math.ceil(file.size * 10 / (1024 * 1024)) / 10, 1)}
            }
        )
    type_name, signature = _AGREEMENT_FILE_TYPES[extension]
    file.seek(0)
    head = file.read(1024)
    file.seek(0)
    looks_right = signature in head if extension == ".pdf" else head.startswith(signature)
    if not looks_right:
        raise ValidationError(
            {
                "file": _(
                    "Le fichier « %(name)s » porte le nom d'un %(type)s, mais son contenu n'en est pas un. "
                    "Il est peut-être abîmé ou d'un autre type : enregistrez l'entente en PDF, JPEG ou PNG, "
                    "puis joignez-la de nouveau."
                )
                % {"name": name, "type": type_name}
            }
        )
    return extension


def check_agreement_party(
    *, program: Program, kind: str, organization: Organization | None, vendor: Vendor | None
) -> None:
    """Raise ValidationError naming the field to fill unless the agreement has exactly the party its kind
    asks for: a community partner or band council of the program, or a vendor of the program."""
    errors: dict[str, str] = {}
    if kind == Agreement.Kind.PARTNER:
        if organization is None:
            errors["organization"] = _("Choisissez le partenaire avec qui l'entente est signée.")
        elif organization.program_id != program.pk:
            errors["organization"] = _("Ce partenaire n'est pas dans ce programme. Choisissez un partenaire dans la liste.")
        elif organization.kind not in Organization.PARTNER_KINDS:
            errors["organization"] = _(
                "« %(name)s » n'est ni un organisme communautaire partenaire, ni un conseil de bande. "
                "Choisissez un de ceux-là, ou changez le type de l'organisation."
            ) % {"name": organization.name}
        if vendor is not None:
            errors["vendor"] = _(
                "Vous avez choisi une entente avec un partenaire : laissez la liste des marchands vide, "
                "ou cochez « Entente avec un marchand »."
            )
    elif kind == Agreement.Kind.VENDOR:
        if vendor is None:
            errors["vendor"] = _("Choisissez le marchand avec qui l'entente est signée.")
        elif vendor.program_id != program.pk:
            errors["vendor"] = _("Ce marchand n'est pas dans ce programme. Choisissez un marchand dans la liste.")
        if organization is not None:
            errors["organization"] = _(
                "Vous avez choisi une entente avec un marchand : laissez la liste des partenaires vide, "
                "ou cochez « Entente avec un partenaire »."
            )
    else:
        errors["kind"] = _("Dites si l'entente est signée avec un partenaire ou avec un marchand.")
    if errors:
        raise ValidationError(errors)


def _agreement_file_name(uploaded_name: str, extension: str) -> str:
    """The uploaded name made safe and short (it is also the name of the downloaded file): letters, digits
    and dashes, accents dropped, extension in lower case."""
    stem = slugify(PurePath(uploaded_name).stem)[:60].strip("-") or "entente"
    return f"{stem}{extension}"


@transaction.atomic
def agreement_record(
    *,
    program: Program,
    kind: str,
    organization: Organization | None = None,
    vendor: Vendor | None = None,
    signed_on: datetime.date | None,
    file: File | None,
    notes: str = "",
) -> Agreement:
    """Record a signed agreement with a partner (community partner or band council) or a vendor of the
    program, with the signed copy (PDF, JPEG or PNG, at most 10 MB).

    Every rule is checked before anything is written. The file is stored before the row; if the row
    cannot be saved, the stored file is deleted again. (Should an enclosing transaction roll back later,
    the file stays on disk without a row: unreachable, since files are only served through their row.)
    """
    errors: dict[str, str] = {}
    try:
        check_agreement_party(program=program, kind=kind, organization=organization, vendor=vendor)
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    if signed_on is None:
        errors["signed_on"] = _("Donnez la date où l'entente a été signée.")
    elif signed_on > timezone.localdate():
        errors["signed_on"] = _("La date de signature est dans le futur. Donnez la date où l'entente a été signée.")
    extension = None
    if file is None:
        errors["file"] = _("Joignez l'entente signée : un PDF, ou une photo en JPEG ou PNG.")
    else:
        try:
            extension = check_agreement_file(file)
        except ValidationError as error:
            errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)

    agreement = Agreement(
        program=program,
        kind=kind,
        organization=organization,
        vendor=vendor,
        signed_on=signed_on,
        notes=(notes or "").strip(),
    )
    agreement.full_clean(exclude=["file"])
    agreement.file.save(_agreement_file_name(file.name, extension), file, save=False)
    try:
        agreement.save()
    except BaseException:
        agreement.file.delete(save=False)
        raise
    return agreement


# Decisions log


@transaction.atomic
def decision_record(
    *, program: Program, decided_on: datetime.date | None, title: str, details: str = "", by: User
) -> Decision:
    """Append a decision to the program's log. Decisions are never changed: a correction is a new one."""
    title = (title or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Écrivez la décision en une phrase, par exemple « Le coupon passe à 5 $ ».")
    if decided_on is None:
        errors["decided_on"] = _("Donnez la date où la décision a été prise.")
    elif decided_on > timezone.localdate():
        errors["decided_on"] = _("Cette date est dans le futur. Donnez la date où la décision a été prise.")
    if errors:
        raise ValidationError(errors)
    decision = Decision(
        program=program, decided_on=decided_on, title=title, details=(details or "").strip(), recorded_by=by
    )
    decision.full_clean()
    decision.save()
    return decision
