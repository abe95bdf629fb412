"""Walks every URL pattern of the project as an outsider and as an anonymous visitor: each one must be
refused (redirect to login, 403, 404 or 405), never show data. New URLs are covered automatically: a URL
with a keyword this test does not know fails until the test learns which object it names.

The API (/api/) has no session authentication: without a token it answers 401, which is a refusal there,
for anonymous visitors and signed-in outsiders alike. Outsiders holding an API token are walked too."""

import datetime
import json

from django.apps import apps
from django.core.files.base import ContentFile
from django.test import TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pcn.accounts.models import Role
from pcn.api.services import api_token_create
from pcn.coupons.services import series_issue
from pcn.funding.services import grant_create
from pcn.governance.models import Agreement, CommitteeMember, Decision
from pcn.households.services import household_enrol, partner_quota_set
from pcn.payments.models import BatchItem, Claim, ClaimLine, PaymentBatch
from pcn.programs.models import Network, Organization
from pcn.redemptions.models import Source
from pcn.redemptions.services import device_link, redemption_record
from pcn.receipts.models import ReceiptSample, SampledHousehold, SampleStratum
from pcn.research.services import research_sharing_decide
from pcn.tasks.models import Task
from pcn.documents.kinds import Kind as DocumentKind
from pcn.documents.services import wording_current
from pcn.simulator.budget import GrantLine, Inputs
from pcn.simulator.services import budget_scenario_create
from pcn.testing import PASSWORD, make_role_users, make_user, make_world
from pcn.toolbox.setup import setup_draft_start

# URLs anyone may open: the way in, the way out, and the language switch.
PUBLIC = {"login", "logout", "set_language", "coupon_check", "coupon_check_form",
          "api_openapi", "api_unknown",  # the API's description, and its JSON 404 for any other address
          "stall", "stall_sw", "stall_manifest",
          # the stall app's shell (no data; the phone's key opens the API), and the public directory (what
          # programs publish: places, hours, organizations' contact details)
          "directory", "directory_program", "directory_geojson",
          # the guides: how-to pages, public so a future coordinator can read them before having an account
          "guide_list", "guide_detail"}
# Pages of a network's own settings (not of a program): another network's admin reaches their own, never ours.
NETWORK_PAGES = {"document_templates", "document_template_edit", "document_template_history",
                 "document_template_version", "document_template_sample"}
# A signed-in outsider must be refused outright: a redirect could be a write that went through.
REFUSED = {403, 404, 405}
# The API without a valid token: 401 (no session authentication there), or 405 for a method it never answers.
API_REFUSED_WITHOUT_TOKEN = {401, 405}
# The API with an outsider's token: as if the object did not exist.
API_REFUSED = {404, 405}


def is_api(url: str) -> bool:
    return url.startswith("/api/")


def is_stall_api(url: str) -> bool:
    """The stall page's endpoints: opened by a linked phone's device key, never by a personal token."""
    return url.startswith("/api/v1/stall/")


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # Django's admin guards itself (staff only); its index is checked below.
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


@override_settings(MEDIA_ROOT="/tmp/pcn-test-media")
class TenantIsolationTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.a = make_world("Alpha")
        cls.b = make_world("Bravo", network=Network.objects.create(name="Autre réseau"))
        cls.a_users = make_role_users(cls.a, "a")
        cls.b_users = make_role_users(cls.b, "b")
        cls.b_network_admin = make_user("b-admin", role=Role.NETWORK_ADMIN, network=cls.b["network"])
        program = cls.a["program"]
        cls.member = CommitteeMember.objects.create(
            program=program, name="Alice Tremblay", role="présidente", organization=cls.a["partner"]
        )
        cls.agreement = Agreement.objects.create(
            program=program, kind="partner", organization=cls.a["partner"], signed_on=datetime.date(2026, 5, 1)
        )
        cls.agreement.file.save("entente.pdf", ContentFile(b"%PDF-1.4 secret agreement"), save=True)
        cls.decision = Decision.objects.create(
            program=program, decided_on=datetime.date(2026, 5, 2), title="Montant maximal 60 $",
            recorded_by=cls.a_users[Role.COORDINATOR],
        )
        cls.series = series_issue(
            season=cls.a["season"], denomination_cents=500, coupon_class=cls.a["coupon_class"], colour="#1f6b3a",
            valid_from=cls.a["season"].coupons_valid_from, valid_until=cls.a["season"].coupons_valid_until,
            funding_source="Fonds secret Alpha", count=3, by=cls.a_users[Role.COORDINATOR],
        )
        cls.task = Task.objects.create(
            program=program, name="coupons.print_series", label="Impression de la série secrète",
            status=Task.Status.DONE, done_count=1, total_count=1, result_name="serie.pdf",
            finished_at=datetime.datetime(2026, 5, 3, tzinfo=datetime.UTC),
        )
        cls.task.result_file.save("serie.pdf", ContentFile(b"%PDF-1.4 secret coupons"), save=True)
        # Households of program A: one at its partner, one at its other partner enrolled with the same identity,
        # so the duplicate pages have an `other_id`. The other partner's worker must not reach the first.
        cls.other_partner = Organization.objects.create(
            program=program, name="Organisme voisin", kind=Organization.Kind.COMMUNITY_PARTNER
        )
        cls.other_partner_worker = make_user(
            "a-intervenant-est", role=Role.PARTNER_WORKER, program=program, organization=cls.other_partner
        )
        households = []
        for partner, by in ((cls.a["partner"], cls.a_users[Role.PARTNER_WORKER]), (cls.other_partner, cls.other_partner_worker)):
            partner_quota_set(season=cls.a["season"], partner=partner, max_households=5, max_value_cents=500_000)
            households.append(household_enrol(
                season=cls.a["season"], partner=partner, size=2, composition={"age_18_64": 2}, flags=[],
                community="", language="fr", consents={"participation": True}, by=by,
                identity={"family_name": "Secret", "first_name": "Alpha", "birth_date": "1980-01-01"},
            ))
        cls.household, cls.other_household = households
        cls.device, cls.device_key = device_link(vendor=cls.a["vendor"], name="Téléphone secret",
                                                 by=cls.a_users[Role.VENDOR])
        cls.b_device_key = device_link(vendor=cls.b["vendor"], name="Téléphone B", by=cls.b_users[Role.VENDOR])[1]
        cls.redemption = redemption_record(vendor=cls.a["vendor"], code="0000-0000-0000", nonce="walk",
                                           source=Source.STALL, by=cls.a_users[Role.VENDOR], device=cls.device)
        cls.grant = grant_create(
            program=program, funder=Organization.objects.create(program=program, name="Bailleur secret Alpha",
                                                                kind=Organization.Kind.FUNDER),
            name="Subvention secrète Alpha", amount_cents=1_000_000, starts_on=cls.a["season"].starts_on,
            ends_on=cls.a["season"].ends_on, purposes=["coupons", "operations"], by=cls.a_users[Role.TREASURER],
        )
        # A claim with one line, in a batch (written directly: the walk needs the rows, not the rules).
        cls.claim = Claim.objects.create(
            program=program, season=cls.a["season"], vendor=cls.a["vendor"], number=1,
            period_start=cls.a["season"].starts_on, period_end=cls.a["season"].starts_on,
            created_by=cls.a_users[Role.COORDINATOR],
        )
        cls.claim_line = ClaimLine.objects.create(claim=cls.claim, redemption=cls.redemption, amount_cents=500)
        cls.batch = PaymentBatch.objects.create(
            program=program, season=cls.a["season"], number=1, method="bank", payment_on=cls.a["season"].starts_on,
            created_by=cls.a_users[Role.TREASURER], changed_by=cls.a_users[Role.TREASURER],
        )
        BatchItem.objects.create(batch=cls.batch, claim=cls.claim, amount_cents=500, added_by=cls.a_users[Role.TREASURER])
        # A receipt-verification sample holding the household.
        cls.receipt_sample = ReceiptSample.objects.create(program=program, season=cls.a["season"], per_partner=10,
                                                          seed=1, drawn_by=cls.a_users[Role.COORDINATOR])
        stratum = SampleStratum.objects.create(sample=cls.receipt_sample, partner=cls.a["partner"], eligible=1,
                                               asked=10, drawn=1)
        SampledHousehold.objects.create(sample=cls.receipt_sample, stratum=stratum, household=cls.household,
                                        partner=cls.a["partner"])
        research_sharing_decide(program=program, shared=True, by=cls.a_users[Role.COORDINATOR])
        cls.scenario = budget_scenario_create(program=program, name="Scénario secret Alpha", by=cls.a_users[Role.TREASURER],
                                              inputs=Inputs(grants=(GrantLine("MRC", 1_000_000),),
                                                            starts_on=datetime.date(2026, 6, 13), weeks=12,
                                                            frequency="weekly", entitlement_cents=(2500, 3500, 4500),
                                                            households=(10, 10, 10), denominations_cents=(500,),
                                                            redemption_rate_percent=80))
        # Each network's document wording, version 1 (the pages would write it on first use: not a change here).
        for network in (cls.a["network"], cls.b["network"]):
            for kind in DocumentKind.values:
                for language in ("fr", "en"):
                    wording_current(network=network, kind=kind, language=language)
        cls.setup_draft = setup_draft_start(user=cls.a_users[Role.COORDINATOR], network=cls.a["network"],
                                            program=program, template="rural_mrc")
        cls.api_keys = {
            user.username: api_token_create(user=user, name="walk")[1]
            for user in [*cls.a_users.values(), *cls.b_users.values(), cls.b_network_admin]
        }

    def bearer(self, user) -> dict:
        return {"Authorization": f"Bearer {self.api_keys[user.username]}"}

    def api_issue_body(self) -> str:
        """A series the season would accept: if access were not checked, it would be issued."""
        season = self.a["season"]
        return json.dumps({
            "denomination_cents": 500, "coupon_class_id": self.a["coupon_class"].pk, "colour": "#1f6b3a",
            "valid_from": season.coupons_valid_from.isoformat(), "valid_until": season.coupons_valid_until.isoformat(),
            "funding_source": "Piraté", "count": 2,
        })

    def kwargs_for(self, route: str, pattern: URLPattern) -> dict:
        a = self.a
        documents = "/documents/" in route
        known = {
            "program_id": a["program"].pk,
            "season_id": a["season"].pk,
            "coupon_class_id": a["coupon_class"].pk,
            "organization_id": a["partner"].pk,
            "market_id": a["market"].pk,
            "sale_point_id": a["sale_point"].pk,
            "vendor_id": a["vendor"].pk,
            "member_id": self.member.pk,
            "agreement_id": self.agreement.pk,
            "decision_id": self.decision.pk,
            "membership_id": self.a_users[Role.RESEARCHER].memberships.get().pk,
            "task_id": self.task.pk,
            "series_id": self.series.pk,
            "kind": "poster" if documents else "allocate",
            "language": "fr",
            "number": 1,
            "household_id": self.household.pk,
            "other_id": self.other_household.pk,
            "redemption_id": self.redemption.pk,
            "device_id": self.device.pk,
            "grant_id": self.grant.pk,
            "claim_id": self.claim.pk,
            "line_id": self.claim_line.pk,
            "batch_id": self.batch.pk,
            "format": "csv_remittance",
            "sample_id": self.receipt_sample.pk,
            "partner_id": a["partner"].pk,
            "draft_id": self.setup_draft.pk,
            "scenario_id": self.scenario.pk,
            "step": "program",
        }
        names = list(pattern.pattern.converters)
        unknown = [n for n in names if n not in known]
        self.assertFalse(unknown, f"{route}: teach this test which object {unknown} names")
        return {n: known[n] for n in names}

    def urls(self):
        for route, pattern in walk(get_resolver().url_patterns):
            if pattern.name in PUBLIC:
                continue
            kwargs = self.kwargs_for(route, pattern)
            yield pattern.name, reverse(pattern.name, kwargs=kwargs), bool(kwargs)

    def secrets(self) -> list[str]:
        a = self.a
        return [a["program"].name, a["partner"].name, a["market"].name, a["vendor"].business_name,
                self.member.name, self.decision.title, self.task.label, self.series.funding_source,
                self.household.display_code, self.grant.name, self.scenario.name]

    def assert_no_secret(self, response, url, who):
        body = response.content.decode(errors="replace")
        for secret in self.secrets():
            self.assertNotIn(secret, body, f"{who} saw {secret!r} at {url}")

    def test_the_walk_covers_the_project(self):
        names = {name for name, _url, _scoped in self.urls()}
        for expected in ("home", "program_detail", "season_detail", "market_detail", "vendor_detail", "governance",
                         "task_detail", "api_season_series", "api_series_detail"):
            self.assertIn(expected, names)

    def test_an_insider_reaches_every_url_so_the_walk_is_meaningful(self):
        for name, url, _scoped in self.urls():
            if name in ("network_home", "program_create", "network_dashboard", "setup_new") or name in NETWORK_PAGES:
                continue  # network pages: a coordinator is not in the network's staff
            if name == "setup_done" or name.startswith("simulator_compare"):
                continue  # without their query, these send back (an open draft to its step, a comparison to its
                # list); their own tests open them (pcn/toolbox/tests/test_setup.py, pcn/simulator/tests/test_pages.py)
            # Bank details and batches are the treasury's; everything else the coordination reaches.
            treasury = name in ("batch_create", "payee_edit", "payment_settings")
            username = "a-tresorier" if treasury else "a-chercheur" if name == "research_export" else "a-coordo"
            self.client.login(username=username, password=PASSWORD)
            headers = self.bearer(self.a_users[Role.COORDINATOR]) if is_api(url) else {}
            if is_stall_api(url):
                headers = {"Authorization": f"Bearer {self.device_key}"}
            response = self.client.get(url, headers=headers)
            self.assertIn(response.status_code, {200, 405}, f"coordinator got {response.status_code} at {url}")

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        for _name, url, _scoped in self.urls():
            for method in ("get", "post"):
                response = getattr(self.client, method)(url)
                if is_api(url):
                    self.assertIn(response.status_code, API_REFUSED_WITHOUT_TOKEN, f"anonymous {method} {url}")
                    if response.status_code == 401:
                        self.assertEqual(response.json()["error"]["code"], "unauthenticated")
                    continue
                self.assertIn(response.status_code, {302, 405}, f"anonymous {method} {url}")
                if response.status_code == 302:
                    self.assertTrue(response["Location"].startswith(reverse("login")), url)

    def row_counts(self) -> dict[str, int]:
        """Every table's rows, except the dashboards' figures: a cache any reader may fill (for its own
        programs), not a record."""
        return {model._meta.label: model.objects.count() for model in apps.get_models()
                if model._meta.app_label != "reports"}

    def test_users_of_another_program_are_refused_everywhere(self):
        outsiders = [*self.b_users.values(), self.b_network_admin]
        before = self.row_counts()
        for user in outsiders:
            self.client.force_login(user)
            for name, url, scoped in self.urls():
                for method in ("get", "post"):
                    response = getattr(self.client, method)(url)
                    who = f"{user.username} {method}"
                    if scoped and not (name in NETWORK_PAGES and user == self.b_network_admin):
                        refused = API_REFUSED_WITHOUT_TOKEN if is_api(url) else REFUSED
                        self.assertIn(response.status_code, refused, f"{who} {url}")
                    self.assert_no_secret(response, url, who)
        after = self.row_counts()
        after.pop("sessions.Session")
        before.pop("sessions.Session")
        self.assertEqual(after, before, "an outsider's request changed data")

    def test_outsiders_with_an_api_token_are_refused_everywhere_in_the_api(self):
        outsiders = [*self.b_users.values(), self.b_network_admin]
        api_urls = [(name, url) for name, url, _scoped in self.urls() if is_api(url)]
        self.assertTrue(api_urls)
        before = self.row_counts()
        for user in outsiders:
            for _name, url in api_urls:
                for method, response in (
                    ("get", self.client.get(url, headers=self.bearer(user))),
                    ("post", self.client.post(url, self.api_issue_body(), content_type="application/json",
                                              headers=self.bearer(user))),
                ):
                    who = f"{user.username} {method} with a token"
                    refused = {401, 405} if is_stall_api(url) else API_REFUSED  # the stall takes device keys only
                    self.assertIn(response.status_code, refused, f"{who} {url}")
                    self.assert_no_secret(response, url, who)
        # Another program's phone reaches the stall endpoints, and sees only its own program there.
        phone = {"Authorization": f"Bearer {self.b_device_key}"}
        for _name, url in api_urls:
            if is_stall_api(url):
                for response in (self.client.get(url, headers=phone),
                                 self.client.post(url, "{}", content_type="application/json", headers=phone)):
                    self.assertIn(response.status_code, {200, 400, 405}, url)
                    self.assert_no_secret(response, url, "program B's phone")
        self.assertEqual(self.row_counts(), before, "an outsider's API request changed data")

    def test_insiders_without_the_role_are_refused_configuration_changes(self):
        change_views = {"program_edit", "season_create", "season_edit", "season_entitlements", "season_denominations",
                        "coupon_class_create", "coupon_class_edit", "organization_create", "organization_edit",
                        "market_create", "market_edit", "sale_point_create", "sale_point_edit", "vendor_create",
                        "vendor_edit", "committee_member_create", "committee_member_edit", "committee_member_remove",
                        "agreement_create", "decision_create", "team", "membership_create",
                        "membership_remove", "series_create", "coupons_move", "series_print", "series_void",
                        "api_season_series", "season_partners", "season_close",
                        "claim_approve", "claim_line_reject", "setup_program", "setup_step",
                        "document_template_edit"}
        readers = [Role.TREASURER, Role.PARTNER_WORKER, Role.MARKET_MANAGER, Role.VENDOR, Role.RESEARCHER,
                   Role.FUNDER_VIEWER]
        for role in readers:
            self.client.force_login(self.a_users[role])
            for name, url, _scoped in self.urls():
                if name in change_views and is_api(url):
                    response = self.client.post(url, self.api_issue_body(), content_type="application/json",
                                                headers=self.bearer(self.a_users[role]))
                    self.assertIn(response.status_code, API_REFUSED, f"{role} POST {url} with a token")
                elif name in change_views:
                    response = self.client.post(url, {"name": "Piraté"})
                    self.assertIn(response.status_code, {403, 404, 405}, f"{role} POST {url}")

    def test_a_worker_of_another_partner_in_the_program_cannot_reach_the_partners_households(self):
        self.client.force_login(self.other_partner_worker)
        before = self.row_counts()
        for name, url, _scoped in self.urls():
            if "household_id" not in get_resolver().reverse_dict[name][0][0][1]:
                continue
            for method in ("get", "post"):
                response = getattr(self.client, method)(url)
                self.assertIn(response.status_code, REFUSED, f"other partner's worker {method} {url}")
                self.assertNotContains(response, self.household.display_code, status_code=response.status_code)
        listing = self.client.get(reverse("household_list", args=[self.a["season"].pk]))
        self.assertContains(listing, self.other_household.display_code)
        self.assertNotContains(listing, self.household.display_code)
        self.assertNotContains(listing, self.a["partner"].name)
        self.assertEqual(self.client.get(reverse("season_partners", args=[self.a["season"].pk])).status_code, 404)
        before.pop("sessions.Session")
        after = self.row_counts()
        after.pop("sessions.Session")
        self.assertEqual(after, before)

    def test_the_support_admin_is_closed_to_program_staff_even_with_the_staff_flag(self):
        coordinator = self.a_users[Role.COORDINATOR]
        coordinator.is_staff = True
        coordinator.save()
        self.client.force_login(coordinator)
        response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])

    def test_the_support_admin_opens_to_network_admins(self):
        admin_user = make_user("a-admin", role=Role.NETWORK_ADMIN, network=self.a["network"])
        self.client.force_login(admin_user)
        response = self.client.get(reverse("admin:programs_program_changelist"))
        self.assertContains(response, self.a["program"].name)
        decision = self.client.get(reverse("admin:governance_decision_change", args=[self.decision.pk]))
        self.assertNotContains(decision, 'name="_save"')  # append-only: readable, not editable

    def test_the_support_admin_shows_a_network_admin_only_their_network(self):
        self.client.force_login(self.b_network_admin)
        for model in ("programs_program", "programs_organization", "markets_vendor", "governance_decision",
                      "accounts_membership"):
            response = self.client.get(reverse(f"admin:{model}_changelist"))
            self.assertEqual(response.status_code, 200, model)
            self.assert_no_secret(response, model, "b-admin")
        response = self.client.get(reverse("admin:programs_program_change", args=[self.a["program"].pk]))
        self.assertEqual(response.status_code, 302)
        self.assertNotContains(response, self.a["program"].name, status_code=302)
