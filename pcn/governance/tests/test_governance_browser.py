"""The governance page and the agreement form in real Chromium on a small phone."""

import pytest

from pcn.accounts.models import Role
from pcn.conftest import sideways_overflow
from pcn.governance.models import CommitteeMember
from pcn.governance.tests.factories import make_agreement, make_committee_member, make_decision
from pcn.testing import make_user, make_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    world = make_world("Portneuf")
    coordinator = make_user("coordo", role=Role.COORDINATOR, program=world["program"])
    make_committee_member(world["program"], name="Hélène Gagnon-Bouchard", role="présidente du comité directeur")
    make_agreement(world["program"], organization=world["partner"])
    make_decision(
        world["program"],
        by=coordinator,
        title="Le montant hebdomadaire d'un ménage de quatre personnes passe à 45 $",
        details="Adopté à l'unanimité par le comité directeur, après la consultation des organismes partenaires.",
    )
    return world


def test_the_governance_page_fits_a_small_phone(live_server, phone_page, log_in, world, screenshot):
    log_in(phone_page, "coordo")
    phone_page.goto(f"/programs/{world['program'].pk}/governance/")

    assert phone_page.get_by_role("heading", name="Comité directeur").is_visible()
    assert sideways_overflow(phone_page) == 0
    screenshot(phone_page, "governance")


def test_a_coordinator_confirms_before_removing_a_member(live_server, phone_page, log_in, world):
    log_in(phone_page, "coordo")
    phone_page.goto(f"/programs/{world['program'].pk}/governance/")

    confirm = phone_page.get_by_role("button", name="Oui, retirer")
    assert not confirm.is_visible()
    phone_page.get_by_text("Retirer du comité").click()
    assert phone_page.get_by_text("Retirer Hélène Gagnon-Bouchard du comité directeur ?").is_visible()
    with phone_page.expect_navigation():
        confirm.click()

    assert phone_page.get_by_text("ne fait plus partie du comité directeur").is_visible()
    assert not CommitteeMember.objects.exists()


def test_the_agreement_form_fits_a_small_phone(live_server, phone_page, log_in, world, screenshot):
    log_in(phone_page, "coordo")
    phone_page.goto(f"/programs/{world['program'].pk}/agreements/new/")
    phone_page.get_by_role("button", name="Enregistrer l'entente").click()

    assert phone_page.get_by_text("Dites si l'entente est signée avec un partenaire ou avec un marchand.").first.is_visible()
    assert sideways_overflow(phone_page) == 0
    screenshot(phone_page, "agreement-form")
