import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from pcn.accounts.models import Role
from pcn.households.identity import identity_hash
from pcn.households.models import Consent, DuplicateDismissal, Household, PartnerQuota
from pcn.households.services import (
    consent_record,
    duplicate_dismiss,
    household_duplicates,
    household_leave,
    waitlist_promote,
)
from pcn.households.tests.factories import enrol, quota
from pcn.programs.models import Organization
from pcn.testing import make_user, make_world

DISTINCT = ["Zyxwvuçéthorpe", "Quintessa-Éloïse", "1913-07-29"]
# What a careless implementation would store instead of the typed text.
DISTINCT_NORMALIZED = ["zyxwvucethorpe", "quintessa eloise"]


def all_text_in_database() -> str:
    """Every value of every row of every table, as text."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(chunks)


class ServiceTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Alpha")
        cls.worker = make_user("intervenante", role=Role.PARTNER_WORKER, program=cls.world["program"],
                               organization=cls.world["partner"])


class IdentityTest(ServiceTestCase):
    def test_it_matches_the_same_person_typed_differently(self):
        self.assertEqual(
            identity_hash({"family_name": "Côté ", "first_name": "  Marie-Ève", "birth_date": "1990-02-03"}),
            identity_hash({"family_name": "cote", "first_name": "MARIE-EVE", "birth_date": " 1990-02-03"}),
        )
        self.assertEqual(
            identity_hash({"family_name": "O’Neil", "first_name": "Marie-Ève", "birth_date": "1990-02-03"}),
            identity_hash({"family_name": "o neil", "first_name": "marie eve", "birth_date": "1990-02-03"}),
        )
        self.assertNotEqual(
            identity_hash({"family_name": "Côté", "first_name": "Marie", "birth_date": "1990-02-03"}),
            identity_hash({"family_name": "Côté Marie", "first_name": "x", "birth_date": "1990-02-03"}),
        )

    def test_a_family_name_alone_is_not_hashed(self):
        self.assertEqual(identity_hash({"family_name": "Roy"}), "")
        self.assertEqual(identity_hash({"family_name": "Roy", "first_name": "Luc"}), "")

    def test_it_depends_on_the_key(self):
        identity = {"family_name": "Côté", "first_name": "Luc", "birth_date": "1990-02-03"}
        with self.settings(HOUSEHOLD_IDENTITY_KEY="autre clé"):
            other = identity_hash(identity)
        self.assertNotEqual(identity_hash(identity), other)
        self.assertEqual(len(other), 64)

    def test_no_identity_typed_gives_no_hash(self):
        self.assertEqual(identity_hash(None), "")
        self.assertEqual(identity_hash({"family_name": "  "}), "")

    def test_enrolment_keeps_no_identity_in_the_database_nor_the_logs(self):
        quota(self.world)
        identity = dict(zip(("family_name", "first_name", "birth_date"), DISTINCT))
        with self.assertLogs(level=logging.DEBUG) as logs, CaptureQueriesContext(connection) as queries:
            logging.getLogger("pcn").debug("début de l'inscription")  # assertLogs needs one record
            household = enrol(self.world, self.worker, identity=identity)
        self.assertEqual(household.identity_hash, identity_hash(identity))
        dump = all_text_in_database()
        self.assertIn(household.code, dump)  # the dump is real
        sql = "\n".join(q["sql"] for q in queries.captured_queries)
        logged = "\n".join(record.getMessage() for record in logs.records)
        for text in DISTINCT + DISTINCT_NORMALIZED:
            for where, haystack in (("database", dump), ("SQL", sql), ("logs", logged)):
                self.assertNotIn(text.casefold(), haystack.casefold(), f"{text!r} reached the {where}")


class EnrolmentTest(ServiceTestCase):
    def test_it_enrols_with_a_code_and_one_consent_per_purpose(self):
        quota(self.world)
        household = enrol(self.world, self.worker, size=3, composition={"age_0_5": 1, "age_18_64": 2},
                          flags=["pregnancy"], consents={"participation": True, "surveys": True})
        self.assertEqual(household.status, Household.Status.ACTIVE)
        self.assertTrue(household.display_code.startswith("M-"))
        self.assertEqual(len(household.code), 12)
        current = household.current_consents()
        self.assertEqual({p: c.given for p, c in current.items()},
                         {"participation": True, "surveys": True, "research": False})

    def test_it_refuses_bad_input_with_a_clear_message_and_saves_nothing(self):
        quota(self.world)
        cases = [
            ({"size": 0, "composition": {}}, "Un ménage compte de 1 à 20 personnes."),
            ({"size": 3, "composition": {"age_18_64": 2}},
             "Le nombre de personnes par âge doit donner le nombre total de personnes du ménage."),
            ({"consents": {"participation": False, "surveys": True}}, "Le ménage doit accepter de participer"),
            ({"flags": ["vip"]}, "Choisissez des situations dans la liste."),
        ]
        for overrides, message in cases:
            with self.subTest(overrides=overrides):
                with self.assertRaises(ValidationError) as raised:
                    enrol(self.world, self.worker, **overrides)
                self.assertIn(message, " ".join(raised.exception.messages))
        self.assertFalse(Household.objects.exists())
        self.assertFalse(Consent.objects.exists())

    def test_it_refuses_a_partner_without_a_quota(self):
        with self.assertRaisesMessage(ValidationError, "pas encore fixé le nombre de ménages"):
            enrol(self.world, self.worker)
        self.assertFalse(Household.objects.exists())

    def test_the_database_refuses_a_composition_that_does_not_add_up(self):
        household = Household(program=self.world["program"], season=self.world["season"],
                              partner=self.world["partner"], size=2, age_18_64=1)
        with self.assertRaises(IntegrityError), transaction.atomic():
            household.save()

    def test_the_database_refuses_a_second_quota_for_the_same_partner(self):
        quota(self.world)
        with self.assertRaises(IntegrityError), transaction.atomic():
            PartnerQuota.objects.create(season=self.world["season"], partner=self.world["partner"],
                                        max_households=1, max_value_cents=1)

    def test_consents_are_appended(self):
        quota(self.world)
        household = enrol(self.world, self.worker)
        consent_record(household=household, purpose="surveys", given=True, by=self.worker)
        self.assertTrue(household.current_consents()["surveys"].given)
        self.assertEqual(household.consents.filter(purpose="surveys").count(), 2)


class WaitingListTest(ServiceTestCase):
    def test_a_full_quota_puts_households_on_the_waiting_list_and_leaving_promotes_the_oldest(self):
        quota(self.world, households=2)
        first, second = enrol(self.world, self.worker), enrol(self.world, self.worker)
        oldest, youngest = enrol(self.world, self.worker), enrol(self.world, self.worker)
        self.assertEqual([h.status for h in (first, second)], ["active", "active"])
        self.assertEqual([h.status for h in (oldest, youngest)], ["waiting", "waiting"])

        promoted = household_leave(household=first, by=self.worker)

        self.assertEqual(promoted, [oldest])
        statuses = dict(Household.objects.values_list("pk", "status"))
        self.assertEqual(statuses, {first.pk: "left", second.pk: "active", oldest.pk: "active", youngest.pk: "waiting"})

    def test_the_last_place_goes_to_only_one_of_two_enrolments(self):
        quota(self.world, households=1)
        one, two = enrol(self.world, self.worker), enrol(self.world, self.worker)
        self.assertEqual(sorted([one.status, two.status]), ["active", "waiting"])
        self.assertEqual(Household.objects.active().count(), 1)

    def test_the_value_quota_counts_the_season_value(self):
        # Weekly, 12 weeks, 25 $ for 1 person and 45 $ for 3 or more: 300 $ and 540 $ over the season.
        quota(self.world, households=10, value_cents=300_00 + 540_00)
        small, large, next_one = (enrol(self.world, self.worker, size=1), enrol(self.world, self.worker, size=4),
                                  enrol(self.world, self.worker, size=1))
        self.assertEqual([small.status, large.status, next_one.status], ["active", "active", "waiting"])

    def test_raising_the_quota_promotes_waiting_households(self):
        quota(self.world, households=1)
        enrol(self.world, self.worker)
        waiting = enrol(self.world, self.worker)
        quota(self.world, households=2)
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, "active")
        self.assertEqual(waitlist_promote(season=self.world["season"], partner=self.world["partner"]), [])

    def test_leaving_twice_is_refused(self):
        quota(self.world)
        household = enrol(self.world, self.worker)
        household_leave(household=household, by=self.worker)
        with self.assertRaisesMessage(ValidationError, "déjà quitté"):
            household_leave(household=household, by=self.worker)


class DuplicateTest(ServiceTestCase):
    def test_a_match_across_partners_is_raised_until_dismissed(self):
        other_partner = Organization.objects.create(program=self.world["program"], name="Voisins",
                                                    kind=Organization.Kind.BAND_COUNCIL)
        quota(self.world)
        quota(self.world, partner=other_partner)
        born = "1990-02-03"
        first = enrol(self.world, self.worker,
                      identity={"family_name": "Côté", "first_name": "Marie-Ève", "birth_date": born})
        unrelated = enrol(self.world, self.worker,
                          identity={"family_name": "Roy", "first_name": "Marie-Ève", "birth_date": born})
        second = enrol(self.world, self.worker, partner=other_partner,
                       identity={"family_name": "COTE", "first_name": "marie eve", "birth_date": born})
        self.assertEqual(household_duplicates(second), [first])
        self.assertEqual(household_duplicates(unrelated), [])

        duplicate_dismiss(household=second, other=first, by=self.worker)
        duplicate_dismiss(household=first, other=second, by=self.worker)  # the same pair, seen from the other side

        self.assertEqual(household_duplicates(second), [])
        self.assertEqual(household_duplicates(first), [])
        self.assertEqual(DuplicateDismissal.objects.count(), 1)

    def test_households_without_identity_never_match(self):
        quota(self.world)
        first, second = enrol(self.world, self.worker), enrol(self.world, self.worker)
        self.assertEqual(household_duplicates(first), [])
        self.assertEqual(household_duplicates(second), [])
