"""Builders for the governance tests, on top of pcn.testing's program world. Records are made through
the services, as the pages make them."""

import datetime
import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from pcn.governance import services
from pcn.governance.models import Agreement, CommitteeMember
from pcn.programs.models import Organization, Program

# The first bytes are what the upload check reads; the rest is filler.
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def upload(name: str = "entente signée.pdf", content: bytes = PDF_BYTES, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def make_organization(program: Program, name: str, kind: str = Organization.Kind.COMMUNITY_PARTNER) -> Organization:
    return Organization.objects.create(program=program, name=name, kind=kind)


def make_committee_member(program: Program, *, name: str = "Hélène Gagnon", organization=None, role: str = "présidente"):
    organization = organization or program.organizations.first()
    return services.committee_member_save(
        member=CommitteeMember(program=program, name=name, organization=organization, role=role)
    )


def make_agreement(program: Program, *, organization=None, vendor=None, signed_on=None, file=None) -> Agreement:
    return services.agreement_record(
        program=program,
        kind=Agreement.Kind.VENDOR if vendor is not None else Agreement.Kind.PARTNER,
        organization=organization,
        vendor=vendor,
        signed_on=signed_on or days_ago(30),
        file=file or upload(),
    )


def make_decision(program: Program, *, by, title: str = "Le coupon passe à 5 $", decided_on=None, details: str = ""):
    return services.decision_record(
        program=program, decided_on=decided_on or days_ago(10), title=title, details=details, by=by
    )


class MediaInTempDir:
    """Mixin for TestCase: uploads go to a fresh temporary MEDIA_ROOT (self.media_root), removed afterwards."""

    def setUp(self):
        super().setUp()
        self.media_root = tempfile.mkdtemp(prefix="pcn-governance-")
        self.addCleanup(shutil.rmtree, self.media_root, ignore_errors=True)
        media = override_settings(MEDIA_ROOT=self.media_root)
        media.enable()
        self.addCleanup(media.disable)

