import datetime
import re
from collections import defaultdict
from io import StringIO
from unittest import mock

from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import TestCase, override_settings

from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from pcn.accounts.demo import DEMO_PASSWORD, NETWORK_NAME
from pcn.accounts.models import Membership, Role
from pcn.coupons import codes
from pcn.coupons.closeout import season_disposition
from pcn.coupons.ledger import season_verify
from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent, Series
from pcn.governance.models import Agreement, Decision
from pcn.households.models import Distribution, Household, PublicSale
from pcn.markets.models import SalePoint, Vendor, VendorAuthorization
from pcn.markets.selectors import opening_hours_lines
from pcn.programs.choices import SalePointKind
from pcn.programs.entitlements import entitlement_per_period_cents
from pcn.programs.models import Organization, Program, Season
from pcn.redemptions.models import Device, Outcome, Reason, Redemption, ReviewDecision, Source
from pcn.payments.models import ClaimLine, PaymentBatch
from pcn.payments.selectors import season_payment_totals
from pcn.payments.services import batch_totals
from pcn.receipts.models import Answer, ReceiptSample
from pcn.redemptions.services import device_link, redemption_record
from pcn.reports.models import Snapshot
from pcn.reports.selectors import season_dashboard
from pcn.reports.snapshot import is_current
from pcn.research.models import ResearchSharing

# The demo hashes twelve passwords per run; the default hasher would make these tests take a minute.
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The demo's "today": a Thursday afternoon in Québec's winter season, when the Grand Marché is open. The
# stall's and the market manager's redemptions happen "now", so the tests pin it: what they record must not
# depend on the day the tests run.
DEMO_NOW = datetime.datetime(2026, 11, 26, 20, 0, tzinfo=datetime.UTC)  # 15 h in Québec


def at_demo_time():
    return mock.patch("django.utils.timezone.now", return_value=DEMO_NOW)


def seed(*args) -> str:
    out = StringIO()
    with at_demo_time():
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def printed_codes(output: str) -> list[str]:
    """The coupon codes printed after the logins, in display form."""
    return re.findall(r"^ +([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}) ", output, flags=re.MULTILINE)


def printed_logins(output: str) -> list[tuple[str, str, str]]:
    """(role, username, password) for each row of the printed table, found after its dashed rule."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("---")) + 1
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        rows.append(tuple(re.split(r"\s{2,}", line.strip())))
    return rows


def snapshot() -> dict[str, list[dict]]:
    """Every row the demo may write, field by field (many-to-many tables and users included)."""
    models = [get_user_model()]
    for label in ("accounts", "programs", "markets", "governance", "coupons", "households", "redemptions", "payments",
                  "funding", "receipts", "research"):
        models += apps.get_app_config(label).get_models(include_auto_created=True)
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models}


@override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHER)
class SeedDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = seed()

    def test_running_it_again_changes_no_row_and_creates_no_duplicate(self):
        before = snapshot()
        seed()
        after = snapshot()
        self.assertEqual(len(before["programs.Program"]), 3)
        self.assertEqual({label: len(rows) for label, rows in after.items()},
                         {label: len(rows) for label, rows in before.items()})
        self.assertEqual(after, before)

    def test_running_it_again_restores_a_changed_demo_password(self):
        user = get_user_model().objects.get(username="coordo")
        user.set_password("autre-mot-de-passe")
        user.save()
        seed()
        self.assertIsNotNone(authenticate(username="coordo", password=DEMO_PASSWORD))

    def test_it_prints_the_login_page_and_one_row_per_role(self):
        self.assertIn("http://127.0.0.1:8000/login/", self.output)
        rows = printed_logins(self.output)
        self.assertEqual(
            [username for _, username, _ in rows],
            ["admin", "analyste", "coordo", "coordo-bsl", "tresorier", "intervenant", "gestionnaire", "marchand",
             "gestionnaire-quebec", "marchand-quebec", "tresorier-quebec", "tresoriere-quebec", "chercheur", "bailleur"],
        )
        self.assertEqual({password for _, _, password in rows}, {DEMO_PASSWORD})

    def test_the_printed_output_fits_an_80_column_terminal(self):
        self.assertEqual([line for line in self.output.splitlines() if len(line) > 80], [])

    def test_each_printed_login_signs_in_and_holds_its_role(self):
        expected = {
            "admin": (Role.NETWORK_ADMIN, None),
            "analyste": (Role.NETWORK_ANALYST, None),
            "coordo": (Role.COORDINATOR, "PCN Portneuf"),
            "coordo-bsl": (Role.COORDINATOR, "PCN Bas-Saint-Laurent"),
            "tresorier": (Role.TREASURER, "PCN Portneuf"),
            "intervenant": (Role.PARTNER_WORKER, "PCN Portneuf"),
            "gestionnaire": (Role.MARKET_MANAGER, "PCN Portneuf"),
            "marchand": (Role.VENDOR, "PCN Portneuf"),
            "gestionnaire-quebec": (Role.MARKET_MANAGER, "PCN Ville de Québec"),
            "marchand-quebec": (Role.VENDOR, "PCN Ville de Québec"),
            "tresorier-quebec": (Role.TREASURER, "PCN Ville de Québec"),
            "tresoriere-quebec": (Role.TREASURER, "PCN Ville de Québec"),
            "chercheur": (Role.RESEARCHER, "PCN Portneuf"),
            "bailleur": (Role.FUNDER_VIEWER, "PCN Portneuf"),
        }
        rows = printed_logins(self.output)
        self.assertEqual({username for _, username, _ in rows}, set(expected))
        for _, username, password in rows:
            with self.subTest(username=username):
                user = authenticate(username=username, password=password)
                self.assertIsNotNone(user)
                role, program_name = expected[username]
                membership = Membership.objects.get(user=user)
                self.assertEqual(membership.role, role)
                if program_name is None:
                    self.assertEqual(membership.network.name, NETWORK_NAME)
                    self.assertIsNone(membership.program)
                else:
                    self.assertEqual(membership.program.name, program_name)
                    self.assertIsNone(membership.network)

    def test_only_the_admin_login_opens_the_django_admin(self):
        staff = get_user_model().objects.filter(is_staff=True)
        self.assertEqual([(u.username, u.is_superuser) for u in staff], [("admin", True)])

    def test_party_logins_are_tied_to_a_partner_a_market_a_vendor_and_a_funder(self):
        worker = Membership.objects.get(user__username="intervenant")
        self.assertEqual(worker.organization.kind, Organization.Kind.COMMUNITY_PARTNER)
        self.assertEqual(worker.organization.program, worker.program)

        manager = Membership.objects.get(user__username="gestionnaire")
        self.assertEqual(manager.market.name, "Marché public de Saint-Casimir")

        vendor = Membership.objects.get(user__username="marchand").vendor
        self.assertEqual(vendor.program.name, "PCN Portneuf")
        self.assertTrue(vendor.sale_points.filter(market=manager.market).exists())

        # In Québec, whose winter season is running: the Grand Marché's manager, and a farm that sells there.
        manager = Membership.objects.get(user__username="gestionnaire-quebec")
        self.assertEqual(manager.market.name, "Grand Marché de Québec")
        vendor = Membership.objects.get(user__username="marchand-quebec").vendor
        self.assertEqual(vendor.business_name, "Ferme des Grands Vents")
        self.assertTrue(vendor.sale_points.filter(market=manager.market).exists())
        winter = Season.objects.get(program__name="PCN Ville de Québec", name="Hiver 2026-2027")
        self.assertTrue(VendorAuthorization.objects.filter(vendor=vendor, season=winter).exists())

        funder = Membership.objects.get(user__username="bailleur")
        self.assertEqual(funder.organization.kind, Organization.Kind.FUNDER)
        self.assertEqual(funder.organization.program, funder.program)

    def test_portneuf_gives_a_household_of_eight_60_dollars_a_week_720_for_the_summer(self):
        portneuf = Program.objects.get(name="PCN Portneuf")
        seasons = portneuf.seasons.order_by("starts_on")
        self.assertEqual([s.name for s in seasons], ["Été 2026", "Été 2027"])
        for season in seasons:
            with self.subTest(season=season.name):
                self.assertEqual(season.frequency, Season.Frequency.WEEKLY)
                self.assertEqual(entitlement_per_period_cents(season=season, household_size=8), 6000)
                self.assertEqual(entitlement_per_period_cents(season=season, household_size=1), 2500)
                self.assertEqual(season.weeks * entitlement_per_period_cents(season=season, household_size=8), 72000)

    def test_portneuf_has_its_three_public_markets_and_a_fiduciary_of_its_own(self):
        portneuf = Program.objects.get(name="PCN Portneuf")
        public_markets = portneuf.markets.filter(sale_points__kind=SalePointKind.MARKET).values_list("name", flat=True)
        self.assertEqual(
            sorted(public_markets),
            ["Marché public de Deschambault-Grondines", "Marché public de Saint-Casimir",
             "Marché public de Saint-Raymond"],
        )
        self.assertEqual(portneuf.fiduciary.kind, Organization.Kind.FIDUCIARY)
        self.assertEqual(portneuf.fiduciary.program, portneuf)

    def test_bas_saint_laurent_has_six_markets_nine_partners_and_biweekly_coupons(self):
        bsl = Program.objects.get(name="PCN Bas-Saint-Laurent")
        self.assertEqual(bsl.markets.count(), 6)
        self.assertEqual(bsl.organizations.filter(kind=Organization.Kind.COMMUNITY_PARTNER).count(), 9)
        self.assertEqual({s.frequency for s in bsl.seasons.all()}, {Season.Frequency.BIWEEKLY})

    def test_every_vendor_sells_at_a_sale_point_of_its_own_program(self):
        vendors = Vendor.objects.prefetch_related("sale_points__market")
        self.assertGreaterEqual(len(vendors), 30)
        for vendor in vendors:
            with self.subTest(vendor=vendor.business_name):
                self.assertTrue(vendor.sale_points.all())
                self.assertEqual({sp.market.program_id for sp in vendor.sale_points.all()}, {vendor.program_id})

    def test_every_sale_point_has_opening_hours_and_a_note_for_the_rest(self):
        sale_points = SalePoint.objects.prefetch_related("opening_hours")
        self.assertGreaterEqual(len(sale_points), 15)
        for sale_point in sale_points:
            with self.subTest(sale_point=str(sale_point)):
                self.assertTrue(sale_point.opening_hours.all())
                self.assertTrue(sale_point.schedule)
                self.assertNotRegex(sale_point.schedule, r"\d h")  # the hours themselves are rows, not text
        saint_raymond = sale_points.get(market__name="Marché public de Saint-Raymond")
        self.assertEqual(
            [line.replace("\u00a0", " ") for line in opening_hours_lines(saint_raymond.opening_hours.all())],
            ["samedi, 9 h à 13 h"],
        )
        self.assertEqual(saint_raymond.schedule, "de juin à septembre")

    def test_every_authorized_vendor_sells_somewhere_the_season_accepts_coupons(self):
        authorizations = VendorAuthorization.objects.select_related("season", "vendor")
        self.assertTrue(authorizations)
        for a in authorizations:
            with self.subTest(vendor=a.vendor.business_name, season=str(a.season)):
                self.assertEqual(a.vendor.program_id, a.season.program_id)
                self.assertTrue(a.vendor.sale_points.filter(kind__in=a.season.accepted_sale_point_kinds).exists())

    def test_portneuf_keeps_a_committee_decisions_and_agreements(self):
        portneuf = Program.objects.get(name="PCN Portneuf")
        self.assertGreaterEqual(portneuf.committee_members.count(), 3)
        self.assertEqual(
            set(Decision.objects.filter(program=portneuf).values_list("recorded_by__username", flat=True)), {"coordo"}
        )
        self.assertEqual(
            set(Agreement.objects.filter(program=portneuf).values_list("kind", flat=True)),
            {Agreement.Kind.PARTNER, Agreement.Kind.VENDOR},
        )

    def test_portneuf_and_quebec_have_series_issued_and_booklets_with_two_partners(self):
        issued = {
            (s.season.program.name, s.season.name, s.denomination_cents, s.coupon_class.name, s.count, s.booklet_size)
            for s in Series.objects.select_related("season__program", "coupon_class")
        }
        self.assertEqual(issued, {
            # Last summer's, in booklets of 10: tens for fruits and vegetables and for all foods, fives.
            ("PCN Portneuf", "Été 2026", 1000, "Fruits et légumes", 1100, 10),
            ("PCN Portneuf", "Été 2026", 1000, "Tous les aliments admissibles", 900, 10),
            ("PCN Portneuf", "Été 2026", 500, "Tous les aliments admissibles", 450, 10),
            ("PCN Portneuf", "Été 2027", 500, "Fruits et légumes", 600, 12),
            ("PCN Portneuf", "Été 2027", 1000, "Tous les aliments admissibles", 300, None),
            ("PCN Ville de Québec", "Hiver 2026-2027", 200, "Tous les aliments admissibles", 400, 20),
        })
        held = {
            (program, partner): n
            for program, partner, n in Coupon.objects.filter(status=CouponStatus.PARTNER)
            .values_list("season__program__name", "partner__name")
            .annotate(n=Count("id"))
            .order_by()
        }
        self.assertEqual(held, {
            ("PCN Portneuf", "Entraide alimentaire de Saint-Raymond"): 120,  # booklets 1-10 of 12
            ("PCN Portneuf", "Maison de la famille de Portneuf"): 60,  # booklets 11-15
            ("PCN Ville de Québec", "Centre communautaire de Limoilou"): 60,  # booklets 4-6 of 20 (1-3: a household)
            ("PCN Ville de Québec", "Entraide Saint-Roch"): 20,  # booklet 10 (7-9: a household)
        })
        # The partner worker's organization holds coupons: her pages have something to show.
        worker = Membership.objects.get(user__username="intervenant")
        self.assertTrue(Coupon.objects.filter(partner=worker.organization).exists())
        self.assertEqual(
            set(CustodyEvent.objects.filter(season__program__name="PCN Portneuf", season__name="Été 2027")
                .values_list("kind", flat=True)),
            {CustodyEvent.Kind.ISSUE, CustodyEvent.Kind.ALLOCATE},
        )

    def test_the_ledger_verifies_after_seeding_and_after_seeding_again(self):
        out = StringIO()
        call_command("verify_ledger", stdout=out, stderr=StringIO())
        self.assertIn("Ledger verified", out.getvalue())
        self.assertIn("PCN Portneuf · Été 2026: OK", out.getvalue())
        written = dict(CustodyEvent.objects.values_list("kind").annotate(n=Count("id")).order_by())
        seed()
        call_command("verify_ledger", stdout=StringIO(), stderr=StringIO())  # raises CommandError if not
        self.assertEqual(dict(CustodyEvent.objects.values_list("kind").annotate(n=Count("id")).order_by()),
                         written)  # no more than the first run wrote
        kinds = dict(CustodyEvent.objects.exclude(season__name="Été 2026").values_list("kind")
                     .annotate(n=Count("id")).order_by())
        self.assertEqual(kinds, {
            CustodyEvent.Kind.ISSUE: 3,
            CustodyEvent.Kind.ALLOCATE: 4,
            CustodyEvent.Kind.DISTRIBUTE: 2,  # to a household of Limoilou and one of Saint-Roch
            CustodyEvent.Kind.SELL: 1,  # to a citizen at the Grand Marché
            CustodyEvent.Kind.REDEEM: 14,  # one per accepted redemption
        })

    def test_quebec_households_got_their_coupons_and_a_citizen_bought_some(self):
        winter = Season.objects.get(program__name="PCN Ville de Québec", name="Hiver 2026-2027")
        given = {
            (d.household.partner.name, d.household.size): (d.period_number, d.due_cents, d.given_cents, d.status)
            for d in Distribution.objects.filter(household__season=winter).select_related("household__partner")
        }
        self.assertEqual(given, {
            ("Centre communautaire de Limoilou", 2): (1, 12000, 12000, Distribution.Status.GIVEN),
            ("Entraide Saint-Roch", 4): (1, 17500, 12000, Distribution.Status.PARTIAL),
        })
        sale = PublicSale.objects.get(season=winter)
        self.assertEqual((sale.face_value_cents, sale.price_paid_cents, sale.bonus_cents), (3000, 2000, 1000))
        # What is still in hand once the vendors took theirs: coupons to try at the stall.
        in_hand = dict(
            Coupon.objects.filter(season=winter, status__in=[CouponStatus.HOUSEHOLD, CouponStatus.SOLD])
            .values_list("status").annotate(n=Count("id")).order_by()
        )
        self.assertEqual(in_hand, {CouponStatus.HOUSEHOLD: (60 - 8) + (60 - 4), CouponStatus.SOLD: 15 - 2})

    def test_quebec_vendors_redeemed_coupons_at_the_stall_offline_and_through_the_market_manager(self):
        rows = {
            r.nonce: (r.vendor.business_name, r.source, r.device.name if r.device else r.recorded_by.username,
                      r.sale_point.name if r.sale_point else None, r.coupon.number if r.coupon else None,
                      r.outcome, r.reason)
            for r in Redemption.objects.filter(program__name="PCN Ville de Québec")
            .select_related("vendor", "device", "recorded_by", "sale_point", "coupon")
        }
        farm, bakery, manager = "Ferme des Grands Vents", "Boulangerie du Faubourg", "gestionnaire-quebec"
        farm_phone, bakery_phone = "Téléphone d'Émilie", "Téléphone de la boulangerie"
        hall, pickup = "Halle du marché", "Point de chute Limoilou"
        ok, no, review = Outcome.ACCEPTED, Outcome.REFUSED, Outcome.REVIEW
        self.assertEqual(rows, {
            "demo-qc-01": (farm, Source.OFFLINE, farm_phone, pickup, 8, ok, ""),
            "demo-qc-02": (farm, Source.OFFLINE, farm_phone, pickup, 9, ok, ""),
            "demo-qc-03": (farm, Source.OFFLINE, farm_phone, pickup, 125, ok, ""),
            "demo-qc-04": (bakery, Source.OFFLINE, bakery_phone, hall, 126, ok, ""),
            "demo-qc-05": (bakery, Source.OFFLINE, bakery_phone, hall, 125, review, Reason.CONFLICT),
            "demo-qc-06": (farm, Source.STALL, farm_phone, hall, 1, ok, ""),
            "demo-qc-07": (farm, Source.STALL, farm_phone, hall, 2, ok, ""),
            "demo-qc-08": (farm, Source.STALL, farm_phone, hall, 3, ok, ""),
            "demo-qc-09": ("Boucherie champêtre de l'Île", Source.MARKET, manager, hall, 4, ok, ""),
            "demo-qc-10": ("Boucherie champêtre de l'Île", Source.MARKET, manager, hall, 5, ok, ""),
            "demo-qc-11": ("Boucherie champêtre de l'Île", Source.MARKET, manager, hall, 6, ok, ""),
            "demo-qc-12": ("Fromagerie Côte-de-Beaupré", Source.MARKET, manager, hall, 121, ok, ""),
            "demo-qc-13": ("Fromagerie Côte-de-Beaupré", Source.MARKET, manager, hall, 122, ok, ""),
            "demo-qc-14": ("Fromagerie Côte-de-Beaupré", Source.MARKET, manager, hall, 2, no, Reason.ALREADY_REDEEMED),
            "demo-qc-15": ("Fromagerie Côte-de-Beaupré", Source.MARKET, manager, hall, None, no, Reason.UNKNOWN),
            "demo-qc-16": ("Verger Bel-Automne", Source.MARKET, manager, hall, 381, ok, ""),
            "demo-qc-17": ("Verger Bel-Automne", Source.MARKET, manager, hall, 382, ok, ""),
        })
        self.assertEqual({r.program.name for r in Redemption.objects.all()}, {"PCN Ville de Québec", "PCN Portneuf"})
        self.assertEqual({r.season.name for r in Redemption.objects.filter(program__name="PCN Portneuf")}, {"Été 2026"})
        # Taken at a time the sale points were open: no alert comes from the demo's own data.
        self.assertFalse(Redemption.objects.filter(outside_hours=True).exists())

        # The refusal and the conflict name the redemption that came first; only the conflict awaits a decision.
        twice = Redemption.objects.get(nonce="demo-qc-14")
        self.assertEqual(twice.conflicts_with.nonce, "demo-qc-07")
        conflict = Redemption.objects.awaiting_review().get()  # Portneuf's summer had none left
        self.assertEqual(conflict.nonce, "demo-qc-05")
        self.assertEqual(conflict.conflicts_with.nonce, "demo-qc-03")
        self.assertNotEqual(conflict.device, conflict.conflicts_with.device)
        self.assertFalse(ReviewDecision.objects.exists())  # left for the coordination to decide
        # The phones are stand-ins: linked, not revoked, their keys not kept.
        self.assertEqual(set(Device.objects.active().values_list("vendor__business_name", "name")),
                         {(farm, farm_phone), (bakery, bakery_phone),
                          ("Les Jardins de la Sainte-Anne", "Téléphone d'Annie")})  # Portneuf's, since last summer

    def test_the_ledger_of_quebecs_running_season_has_no_problem(self):
        winter = Season.objects.get(program__name="PCN Ville de Québec", name="Hiver 2026-2027")
        self.assertEqual(season_verify(winter), [])
        seed()
        self.assertEqual(season_verify(winter), [])

    def test_it_prints_coupons_that_the_quebec_vendor_can_take_at_the_stall(self):
        printed = printed_codes(self.output)
        self.assertEqual(len(printed), 3)
        self.assertIn("http://127.0.0.1:8000/stall/", self.output)
        coupons = [Coupon.objects.get(code=codes.normalize(code)) for code in printed]
        self.assertEqual([c.status for c in coupons],
                         [CouponStatus.HOUSEHOLD, CouponStatus.HOUSEHOLD, CouponStatus.SOLD])
        self.assertEqual({c.season.name for c in coupons}, {"Hiver 2026-2027"})
        self.assertEqual(len({c.household_id for c in coupons}), 3)  # two households, and a citizen
        # Typed on the stall page of a phone the vendor links, as the stall API records them.
        user = get_user_model().objects.get(username="marchand-quebec")
        vendor = Membership.objects.get(user=user).vendor
        device, _key = device_link(vendor=vendor, name="Mon téléphone", by=user)
        with at_demo_time():
            for number, code in enumerate(printed):
                redemption = redemption_record(
                    vendor=vendor, code=code, nonce=f"essai-{number}", source=Source.STALL, by=user, device=device,
                    sale_point=vendor.sale_points.get(name="Halle du marché"),
                )
                with self.subTest(code=code):
                    self.assertEqual((redemption.outcome, redemption.reason), (Outcome.ACCEPTED, ""))
        # Used now: the next run prints others.
        self.assertEqual(set(printed_codes(seed())) & set(printed), set())

    # Portneuf's summer 2026: a whole past season, for the dashboards.

    def summer(self) -> Season:
        return Season.objects.get(program__name="PCN Portneuf", name="Été 2026")

    def test_portneufs_last_summer_is_closed_every_coupon_accounted_for_and_its_ledger_intact(self):
        summer = self.summer()
        self.assertEqual(timezone.localdate(summer.closed_at), datetime.date(2026, 9, 18))
        report = season_disposition(summer)
        self.assertTrue(report.balanced)
        values = {line.key: line.value_cents for line in report.states}
        # Nothing left in anyone's hands: what households kept expired, partners brought back what they had left.
        self.assertEqual([values[k] for k in ("partner", "household", "sold", "redeemed_unpaid")], [0, 0, 0, 0])
        self.assertEqual(values["void"], 10 * 500)  # the lost booklet of 5 $ coupons
        self.assertEqual(values["redeemed_refused"], 1000)  # the torn coupon whose claim line was rejected
        self.assertGreater(values["expired"], 0)
        self.assertGreater(values["stock"], 0)
        self.assertEqual(sum(values.values()), report.issued.value_cents)
        self.assertEqual(season_verify(summer), [])

    def test_portneufs_last_summer_dashboard_shows_households_reached_and_vendors_paid(self):
        summer = self.summer()
        board = season_dashboard(summer)
        self.assertGreater(board.total.reached, 30)
        self.assertGreater(board.total.paid_cents, 0)
        self.assertEqual(board.total.paid_cents, season_payment_totals(summer)["paid"])
        self.assertTrue(70 <= board.rate <= 86, board.rate)  # as the pilots measured (FACTS.md)
        self.assertEqual(board.total.handed_out_cents + board.total.sold_cents,
                         sum(d.given_cents for d in Distribution.objects.filter(household__season=summer))
                         + sum(p.face_value_cents for p in PublicSale.objects.filter(season=summer)))
        # Every week from the first hand-out to the coupons' last valid day has coupons spent; nothing before.
        spent = [week for week, sums in board.by_week.items() if sums.redeemed_cents]
        first, last = datetime.date(2026, 6, 8), datetime.date(2026, 9, 7)  # Mondays of June 13 and September 12
        self.assertEqual(spent, [first + datetime.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)])
        # The coordination sees it so on the page.
        self.client.force_login(get_user_model().objects.get(username="coordo"))
        page = self.client.get(reverse("season_dashboard", args=[summer.pk]))
        self.assertContains(page, f"<strong>{board.total.reached}</strong> ménages rejoints", html=False)

    def test_portneufs_last_summer_happened_in_summer(self):
        summer = self.summer()
        events = CustodyEvent.objects.filter(season=summer).aggregate(first=Min("at"), last=Max("at"))
        self.assertEqual((timezone.localdate(events["first"]), timezone.localdate(events["last"])),
                         (datetime.date(2026, 6, 8), datetime.date(2026, 9, 18)))  # issued; closed
        taken = Redemption.objects.filter(season=summer).aggregate(first=Min("taken_at"), last=Max("taken_at"))
        self.assertEqual((timezone.localdate(taken["first"]), timezone.localdate(taken["last"])),
                         (datetime.date(2026, 6, 13), datetime.date(2026, 9, 13)))  # the 13th: refused, expired
        self.assertFalse(Redemption.objects.filter(season=summer, outcome=Outcome.ACCEPTED,
                                                   taken_at__date__gt=datetime.date(2026, 9, 12)).exists())
        paid = PaymentBatch.objects.filter(season=summer).values_list("paid_at", flat=True)
        self.assertEqual({timezone.localdate(at) for at in paid},  # every other Thursday, the last one after the end
                         {datetime.date(2026, m, d) for m, d in ((7, 2), (7, 16), (7, 30), (8, 13), (8, 27), (9, 17))})

    def test_portneufs_last_summer_households_got_their_weekly_amounts_some_weeks_missed(self):
        summer = self.summer()
        households = Household.objects.filter(season=summer)
        self.assertEqual(dict(households.values_list("status").annotate(n=Count("id")).order_by()),
                         {Household.Status.ACTIVE: 40, Household.Status.WAITING: 2, Household.Status.LEFT: 1})
        self.assertEqual(set(households.values_list("partner__name", flat=True)),
                         {"Entraide alimentaire de Saint-Raymond", "Maison de la famille de Portneuf"})
        self.assertEqual(set(households.values_list("size", flat=True)), {1, 2, 3, 4, 5, 6, 7})
        self.assertGreaterEqual(households.filter(size=1, age_65_plus=1).count(), 4)  # seniors living alone
        self.assertGreaterEqual(households.filter(age_0_5__gt=0).count(), 15)  # families with young children
        given = Distribution.objects.filter(household__season=summer).select_related("household")
        self.assertEqual({d.status for d in given}, {Distribution.Status.GIVEN, Distribution.Status.MISSED})
        for d in given:
            with self.subTest(household=d.household.code, period=d.period_number):
                due = entitlement_per_period_cents(season=summer, household_size=d.household.size)
                self.assertEqual((d.due_cents, d.given_cents),
                                 (due, due if d.status == Distribution.Status.GIVEN else 0))
        missed = given.filter(status=Distribution.Status.MISSED).count()
        self.assertTrue(0.05 < missed / len(given) < 0.15, missed)
        # The household that moved away got coupons until July; the first one waiting got its place then.
        left = households.get(status=Household.Status.LEFT)
        self.assertEqual(max(d.period_number for d in given if d.household_id == left.pk), 5)
        periods = defaultdict(list)
        for d in given:
            periods[d.household_id].append(d.period_number)
        self.assertEqual([sorted(p) for p in periods.values() if min(p) == 6], [list(range(6, 13))])

    def test_portneufs_last_summer_sales_refusals_claims_and_checks(self):
        summer = self.summer()
        for sale in PublicSale.objects.filter(season=summer):
            with self.subTest(sale=sale.pk):
                self.assertEqual(sale.price_paid_cents * 3, sale.face_value_cents * 2)  # 20 $ for 30 $
        self.assertEqual(
            set(Redemption.objects.filter(season=summer).exclude(outcome=Outcome.ACCEPTED)
                .values_list("reason", flat=True)),
            {Reason.ALREADY_REDEEMED, Reason.VENDOR_NOT_AUTHORIZED, Reason.CLASS_NOT_SOLD, Reason.UNKNOWN, Reason.VOID,
             Reason.EXPIRED},
        )
        (rejected,) = ClaimLine.objects.filter(claim__season=summer, rejected_at__isnull=False)
        self.assertIn("déchiré", rejected.rejected_reason)
        batches = PaymentBatch.objects.filter(season=summer)
        self.assertTrue(batches and all(b.paid_at and b.approved_by_id != b.created_by_id for b in batches))
        self.assertEqual(sum(batch_totals(b)["cents"] for b in batches), season_payment_totals(summer)["paid"])
        # A receipt check mid-season: five households asked per partner, all answered.
        (sample,) = ReceiptSample.objects.filter(season=summer)
        answers = [h.answers.get().answer for h in sample.households.all()]
        self.assertEqual(sorted(answers), [Answer.RECEIVED] * 9 + [Answer.UNREACHABLE])
        # Portneuf shares its data with research (its researcher's export has something to show).
        self.assertTrue(ResearchSharing.objects.filter(program=summer.program).latest_first().first().shared)

    def test_every_seasons_dashboard_is_computed_when_the_demo_is_seeded(self):
        for season in Season.objects.all():
            with self.subTest(season=str(season)), at_demo_time():
                self.assertTrue(is_current(Snapshot.objects.filter(season=season).first(), season))


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class SeedDemoSafetyTests(TestCase):
    @override_settings(DEBUG=False)
    def test_it_refuses_to_run_when_debug_is_off(self):
        with self.assertRaisesMessage(CommandError, "--force"):
            seed()
        self.assertFalse(get_user_model().objects.exists())
        self.assertFalse(Program.objects.exists())

    @override_settings(DEBUG=False)
    def test_it_runs_when_debug_is_off_if_forced(self):
        with mock.patch("pcn.accounts.demo.seed_summer") as summer:  # the whole season is SeedDemoTests' (slow)
            seed("--force")
        summer.assert_called_once()
        self.assertIsNotNone(authenticate(username="admin", password=DEMO_PASSWORD))
