"""Writes on document wordings. A new version is a new row; nothing is ever changed or deleted."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pcn.documents import wording
from pcn.documents.kinds import LANGUAGES, Kind
from pcn.documents.models import WordingVersion
from pcn.programs.models import Network

SHIPPED_DIR = Path(__file__).resolve().parent / "wording"


def shipped_wording(kind: str, language: str) -> str:
    """The default text of a template, as the repository ships it."""
    if kind not in Kind.values or language not in LANGUAGES:
        raise ValueError(f"no wording for {kind!r} in {language!r}")
    return (SHIPPED_DIR / f"{kind}.{language}.md").read_text(encoding="utf-8")


def wording_current(*, network: Network, kind: str, language: str) -> WordingVersion:
    """The version in force: the highest number; version 1 is saved from the shipped text on first use.

    Two requests using a template for the first time at once both try to save version 1; the unique
    constraint lets one win and the other reads the winner's row."""
    current = WordingVersion.objects.of(network, kind, language).order_by("-number").first()
    if current is not None:
        return current
    try:
        with transaction.atomic():
            return WordingVersion.objects.create(
                network=network, kind=kind, language=language, number=1, body=shipped_wording(kind, language),
                note=_("Texte d'origine"),
            )
    except IntegrityError:
        return WordingVersion.objects.of(network, kind, language).get(number=1)


@transaction.atomic
def wording_version_add(
    *, network: Network, kind: str, language: str, body: str, note: str = "", based_on: int | None = None, user
) -> WordingVersion:
    """Save new words for a template as its next version, after checking them (nothing is saved otherwise).

    `based_on` is the version number the editor started from: if someone saved another version meanwhile,
    this one is refused rather than silently replacing theirs.

    Locking: the network row is locked for the transaction, so two editors never get the same number."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    problems = wording.check(body)
    if problems:
        raise ValidationError({"body": problems})
    Network.objects.select_for_update().filter(pk=network.pk).first()
    current = wording_current(network=network, kind=kind, language=language)
    if based_on is not None and based_on != current.number:
        raise ValidationError(_(
            "Quelqu'un a enregistré la version %(number)s de ce modèle pendant que vous écriviez. Copiez votre "
            "texte, rouvrez la page pour partir de la version %(number)s, puis recollez vos changements."
        ) % {"number": current.number})
    if body.strip() == current.body.strip():
        raise ValidationError({"body": [_("Le texte n'a pas changé : il n'y a rien à enregistrer.")]})
    return WordingVersion.objects.create(
        network=network, kind=kind, language=language, number=current.number + 1, body=body,
        note=note.strip(), created_by=user,
    )
