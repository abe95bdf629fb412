"""Shared by the documents tests: a world with a fiduciary, and the text of a PDF."""

import pypdfium2 as pdfium

from pcn.accounts.models import Role
from pcn.programs.models import Organization
from pcn.testing import make_role_users, make_user, make_world


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with every run of spaces and line breaks as one space: words wrap where the page
    ends, not where a test expects."""
    document = pdfium.PdfDocument(pdf)
    try:
        text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()
    return " ".join(text.replace("\u00a0", " ").split())


def documents_world(name: str, prefix: str) -> dict:
    world = make_world(name)
    program = world["program"]
    program.fiduciary = Organization.objects.create(
        program=program, name=f"UPA {name}", kind=Organization.Kind.FIDUCIARY, email=f"fiducie@{name.lower()}.example",
    )
    program.save()
    world["users"] = make_role_users(world, prefix)
    world["coordinator"] = world["users"][Role.COORDINATOR]
    world["admin"] = make_user(f"{prefix}-admin", role=Role.NETWORK_ADMIN, network=world["network"])
    return world
