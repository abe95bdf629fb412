"""The band council's sign-off and the researcher's download, in real Chromium on a small phone."""

import io
import zipfile

import pytest

from pcn.accounts.models import Role
from pcn.conftest import sideways_overflow
from pcn.programs.models import Organization, Program
from pcn.research.models import ResearchSharing
from pcn.testing import make_user, make_world

pytestmark = pytest.mark.browser


@pytest.fixture
def community(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    world = make_world("Lac-Simon")
    Program.objects.filter(pk=world["program"].pk).update(kind=Program.Kind.INDIGENOUS_COMMUNITY)
    Organization.objects.filter(pk=world["partner"].pk).update(kind=Organization.Kind.BAND_COUNCIL)
    make_user("coordo", role=Role.COORDINATOR, program=world["program"])
    make_user("chercheuse", role=Role.RESEARCHER, program=world["program"])
    return world


def test_the_coordination_records_the_sign_off_and_the_researcher_downloads(
    live_server, make_page, log_in, community, screenshot
):
    program = community["program"]
    phone = make_page()
    log_in(phone, "coordo")
    phone.goto(f"/programs/{program.pk}/research/")
    assert phone.get_by_role("heading", name="Données d'une communauté autochtone").is_visible()
    assert sideways_overflow(phone) == 0
    phone.get_by_label("Oui, partager les données sans nom").check()
    phone.get_by_role("button", name="Enregistrer la décision").click()
    assert phone.get_by_text("Les données d'une communauté autochtone ne se partagent qu'avec l'accord").is_visible()
    assert not ResearchSharing.objects.exists()
    phone.get_by_label("Le conseil de bande a donné son accord pour ce partage").check()
    phone.get_by_label("Qui a donné l'accord du conseil de bande, et quand").fill("Résolution du conseil du 3 mars 2026")
    phone.get_by_role("button", name="Enregistrer la décision").click()
    assert phone.get_by_text("Les données sans nom sont partagées avec la recherche.").is_visible()
    assert sideways_overflow(phone) == 0
    screenshot(phone, "sharing")

    researcher = make_page()
    log_in(researcher, "chercheuse")
    researcher.goto("/research/")
    assert researcher.get_by_role("heading", name=program.name).is_visible()
    assert sideways_overflow(researcher) == 0
    screenshot(researcher, "researcher")
    with researcher.expect_download() as downloaded:
        researcher.get_by_role("link", name="Été 2026").click()
    assert downloaded.value.suggested_filename == "recherche-pcn-lac-simon-ete-2026.zip"
    with open(downloaded.value.path(), "rb") as handle:
        assert "dictionary.csv" in zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
