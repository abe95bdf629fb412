from django.http import Http404
from django.test import TestCase

from pcn.accounts.models import Role
from pcn.governance.access import get_agreement_for_user, get_committee_member_for_user, get_decision_for_user
from pcn.governance.tests.factories import MediaInTempDir, make_agreement, make_committee_member, make_decision
from pcn.programs.models import Network
from pcn.testing import make_role_users, make_user, make_world


class GovernanceAccessTest(MediaInTempDir, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.users = make_role_users(cls.world, "p")
        cls.other = make_world("Rimouski", network=Network.objects.create(name="Autre réseau"))
        cls.outsider = make_user("coordo-rimouski", role=Role.COORDINATOR, program=cls.other["program"])
        cls.network_admin = make_user("admin", role=Role.NETWORK_ADMIN, network=cls.world["network"])
        cls.analyst = make_user("analyste", role=Role.NETWORK_ANALYST, network=cls.world["network"])

    def setUp(self):
        super().setUp()
        program = self.world["program"]
        self.member = make_committee_member(program)
        self.agreement = make_agreement(program, organization=self.world["partner"])
        self.decision = make_decision(program, by=self.users[Role.COORDINATOR])
        self.helpers = [
            (get_committee_member_for_user, self.member),
            (get_agreement_for_user, self.agreement),
        ]

    def test_coordinators_and_network_admins_may_change_the_records(self):
        for user in (self.users[Role.COORDINATOR], self.network_admin):
            for helper, record in self.helpers:
                self.assertEqual(helper(user, record.pk, write=True), record)

    def test_treasurers_and_analysts_may_read_but_not_change(self):
        for user in (self.users[Role.TREASURER], self.analyst):
            for helper, record in self.helpers:
                self.assertEqual(helper(user, record.pk), record)
                with self.assertRaises(Http404):
                    helper(user, record.pk, write=True)
            self.assertEqual(get_decision_for_user(user, self.decision.pk), self.decision)

    def test_other_roles_of_the_program_get_404(self):
        for role in (Role.PARTNER_WORKER, Role.MARKET_MANAGER, Role.VENDOR, Role.RESEARCHER, Role.FUNDER_VIEWER):
            user = self.users[role]
            for helper, record in self.helpers:
                with self.assertRaises(Http404, msg=role):
                    helper(user, record.pk)
            with self.assertRaises(Http404, msg=role):
                get_decision_for_user(user, self.decision.pk)

    def test_a_coordinator_of_another_program_gets_404(self):
        for helper, record in self.helpers:
            with self.assertRaises(Http404):
                helper(self.outsider, record.pk)
        with self.assertRaises(Http404):
            get_decision_for_user(self.outsider, self.decision.pk)

    def test_an_unknown_id_gets_404(self):
        for helper in (get_committee_member_for_user, get_agreement_for_user, get_decision_for_user):
            with self.assertRaises(Http404):
                helper(self.users[Role.COORDINATOR], 999_999)
