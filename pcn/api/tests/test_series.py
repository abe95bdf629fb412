"""The series endpoints as a script uses them: list, issue, read; with the pages' roles and tenancy."""

import datetime

from django.urls import reverse

from pcn.accounts.models import Role
from pcn.api.tests.base import ApiTestCase, make_key
from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent, Series
from pcn.coupons.services import coupons_move
from pcn.coupons.tests.factories import coupon_world, issue
from pcn.programs.models import CouponClass
from pcn.testing import make_user


class SeriesApiTest(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = coupon_world("Portneuf")
        cls.season = cls.w["season"]
        cls.key = make_key(cls.w["coordinator"])
        cls.treasurer = make_user("tresorier", role=Role.TREASURER, program=cls.w["program"])
        cls.other = coupon_world("Bellechasse")
        cls.other_key = make_key(cls.other["coordinator"])
        cls.url = reverse("api_season_series", args=[cls.season.pk])

    def body(self, **overrides) -> dict:
        return {
            "denomination_cents": 500,
            "coupon_class_id": self.w["coupon_class"].pk,
            "colour": "#1f4e9c",
            "valid_from": "2026-06-13",
            "valid_until": "2026-09-12",
            "funding_source": "MRC – fonds 2026",
            "count": 40,
            "booklet_size": 10,
            **overrides,
        }

    def test_a_coordinator_issues_a_series_through_the_api(self):
        response = self.post(self.url, self.body())
        self.assertEqual(response.status_code, 201, response.content)
        series = Series.objects.get()
        self.assertEqual(response["Location"], reverse("api_series_detail", args=[series.pk]))
        data = response.json()
        self.assertEqual(data["id"], series.pk)
        self.assertEqual(data["number"], 1)
        self.assertEqual(data["denomination_cents"], 500)
        self.assertEqual(data["value_cents"], 20_000)
        self.assertEqual(data["coupon_class"], {"id": self.w["coupon_class"].pk, "name": "Fruits et légumes"})
        self.assertEqual((data["valid_from"], data["valid_until"]), ("2026-06-13", "2026-09-12"))
        self.assertEqual(data["booklet_size"], 10)
        self.assertEqual(data["status"], "active")
        self.assertRegex(data["issued_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(series.coupons.filter(status=CouponStatus.STOCK).count(), 40)
        self.assertEqual(series.coupons.filter(booklet=4).count(), 10)
        event = CustodyEvent.objects.get()
        self.assertEqual((event.kind, event.source, event.by), ("issue", "api", self.w["coordinator"]))
        self.assertEqual(event.value_cents, 20_000)

    def test_booklet_size_may_be_left_out(self):
        body = self.body(count=3)
        del body["booklet_size"]
        response = self.post(self.url, body)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertIsNone(response.json()["booklet_size"])

    def test_a_denomination_the_season_does_not_allow_is_refused_and_nothing_is_saved(self):
        response = self.post(self.url, self.body(denomination_cents=700))
        error = self.assert_error(response, 400, "invalid")
        self.assertIn("Cette valeur n'est pas prévue pour la saison", error["fields"]["denomination_cents"][0])
        self.assertIn("5,00\u00a0$", error["fields"]["denomination_cents"][0])
        self.assertIn("denomination_cents : Cette valeur", error["message"])
        self.assertFalse(Series.objects.exists())
        self.assertFalse(Coupon.objects.exists())
        self.assertFalse(CustodyEvent.objects.exists())

    def test_a_class_of_another_season_is_refused_under_the_api_field_name(self):
        foreign = CouponClass.objects.get(season=self.other["season"])
        error = self.assert_error(self.post(self.url, self.body(coupon_class_id=foreign.pk)), 400, "invalid")
        self.assertEqual(list(error["fields"]), ["coupon_class_id"])
        self.assertEqual(error["fields"]["coupon_class_id"], ["Choisissez une catégorie de coupon de cette saison."])
        self.assertFalse(Series.objects.exists())

    def test_dates_outside_the_season_are_refused(self):
        error = self.assert_error(self.post(self.url, self.body(valid_until="2027-01-31")), 400, "invalid")
        self.assertIn("choisissez des dates dans cette période", error["fields"]["valid_until"][0])

    def test_values_of_the_wrong_json_type_are_refused_field_by_field(self):
        response = self.post(
            self.url,
            self.body(denomination_cents="500", count=5.5, booklet_size=True, valid_from="13/06/2026", colour="vert",
                      funding_source=12),
        )
        fields = self.assert_error(response, 400, "invalid")["fields"]
        self.assertEqual(fields["denomination_cents"], ["Écrivez un nombre entier, sans guillemets, par exemple 500."])
        self.assertEqual(fields["count"], ["Écrivez un nombre entier, sans guillemets, par exemple 500."])
        self.assertEqual(fields["booklet_size"], ["Écrivez un nombre entier, sans guillemets, par exemple 500."])
        self.assertEqual(fields["valid_from"], ["Écrivez une date au format AAAA-MM-JJ, par exemple 2026-06-13."])
        self.assertEqual(fields["funding_source"], ["Écrivez du texte, entre guillemets."])
        self.assertIn("vert", fields["colour"][0])
        self.assertFalse(Series.objects.exists())

    def test_missing_and_unknown_fields_are_named(self):
        response = self.post(self.url, {"denomination": 500, "count": 10})
        fields = self.assert_error(response, 400, "invalid")["fields"]
        self.assertEqual(fields["denomination_cents"], ["Ce champ est obligatoire."])
        self.assertIn("Ce champ n'existe pas", fields["denomination"][0])
        self.assertNotIn("count", fields)
        self.assertNotIn("booklet_size", fields)

    def test_an_absurdly_large_number_is_refused_before_the_database(self):
        fields = self.assert_error(self.post(self.url, self.body(denomination_cents=10**30)), 400, "invalid")["fields"]
        self.assertIn("denomination_cents", fields)

    def test_a_body_that_is_not_json_is_refused_with_where_it_breaks(self):
        error = self.assert_error(self.post(self.url, '{"count": 10,'), 400, "malformed")
        self.assertIn("ligne 1", error["message"])
        self.assertNotIn("fields", error)
        self.assert_error(self.post(self.url, ""), 400, "malformed")
        self.assert_error(self.post(self.url, b"\xff\xfe"), 400, "malformed")
        self.assertFalse(Series.objects.exists())

    def test_a_body_that_is_not_an_object_is_refused(self):
        for body in ('[{"count": 10}]', "500", "null", '"texte"'):
            error = self.assert_error(self.post(self.url, body), 400, "malformed")
            self.assertIn("objet JSON", error["message"])

    def test_messages_are_in_english_when_the_request_asks(self):
        response = self.post(self.url, self.body(colour="green"), headers={"Accept-Language": "en"})
        self.assertEqual(response["Content-Language"], "en")
        error = self.assert_error(response, 400, "invalid")
        self.assertEqual(error["fields"]["colour"], ["Select a valid choice. green is not one of the available choices."])
        french = self.post(self.url, self.body(colour="green"))
        self.assertEqual(french["Content-Language"], "fr")
        self.assertIn("Sélectionnez un choix valide", french.json()["error"]["fields"]["colour"][0])

    def test_a_coordinator_of_another_program_gets_404_and_changes_nothing(self):
        issue(self.w, count=3)
        self.assert_error(self.get(self.url, self.other_key), 404, "not_found")
        self.assert_error(self.post(self.url, self.body(), self.other_key), 404, "not_found")
        self.assertEqual(Series.objects.count(), 1)
        self.assertEqual(Coupon.objects.count(), 3)

    def test_an_invalid_body_from_an_outsider_still_gets_404(self):
        self.assert_error(self.post(self.url, "not json", self.other_key), 404, "not_found")

    def test_a_treasurer_reads_the_series_but_cannot_issue(self):
        issue(self.w, count=3)
        key = make_key(self.treasurer)
        response = self.get(self.url, key)
        self.assertEqual(response.status_code, 200)
        self.assertEqual([s["count"] for s in response.json()["series"]], [3])
        self.assert_error(self.post(self.url, self.body(), key), 404, "not_found")
        self.assertEqual(Series.objects.count(), 1)

    def test_roles_without_access_to_the_season_get_404(self):
        worker = make_user("intervenant", role=Role.PARTNER_WORKER, program=self.w["program"],
                           organization=self.w["partner"])
        self.assert_error(self.get(self.url, make_key(worker)), 404, "not_found")

    def test_the_list_shows_the_season_series_in_order(self):
        issue(self.w, count=3)
        issue(self.w, count=5, booklet_size=5, funding_source="Centraide")
        issue(self.other, count=2)
        series = self.get(self.url, self.key).json()["series"]
        self.assertEqual([(s["number"], s["count"], s["funding_source"]) for s in series],
                         [(1, 3, "MRC – fonds 2026"), (2, 5, "Centraide")])

    def test_the_detail_counts_coupons_by_status(self):
        series = issue(self.w, count=20)
        coupons_move(season=self.season, kind=CustodyEvent.Kind.ALLOCATE, ranges=[(series.pk, 1, 5)],
                     to_partner=self.w["partner"], by=self.w["coordinator"])
        coupons_move(season=self.season, kind=CustodyEvent.Kind.VOID, ranges=[(series.pk, 6, 6)], reason="lost",
                     by=self.w["coordinator"])
        response = self.get(reverse("api_series_detail", args=[series.pk]), self.key)
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["id"], series.pk)
        self.assertEqual(data["coupons_by_status"],
                         {"stock": 14, "partner": 5, "household": 0, "sold": 0, "redeemed": 0, "expired": 0, "void": 1})

    def test_the_detail_of_another_program_series_is_404(self):
        series = issue(self.other, count=2)
        self.assert_error(self.get(reverse("api_series_detail", args=[series.pk]), self.key), 404, "not_found")
        self.assert_error(self.get(reverse("api_series_detail", args=[series.pk + 1000]), self.key), 404, "not_found")

    def test_a_method_an_address_does_not_answer_is_405_with_allow(self):
        series = issue(self.w, count=1)
        response = self.client.delete(reverse("api_series_detail", args=[series.pk]), headers=self.headers(self.SAME, {}))
        self.assert_error(response, 405, "method_not_allowed")
        self.assertEqual(response["Allow"], "GET")
        self.assertTrue(Series.objects.filter(pk=series.pk).exists())

    def test_an_unknown_address_answers_json_404(self):
        for url in ("/api/v1/", "/api/v1/seasons/1/series/", "/api/v1/coupons"):
            error = self.assert_error(self.get(url, self.key), 404, "not_found")
            self.assertIn("/api/v1/openapi.json", error["message"])

    def test_times_are_sent_in_utc(self):
        series = issue(self.w, count=1)
        Series.objects.filter(pk=series.pk).update(
            issued_at=datetime.datetime(2026, 6, 13, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-4)))
        )
        data = self.get(reverse("api_series_detail", args=[series.pk]), self.key).json()
        self.assertEqual(data["issued_at"], "2026-06-13T13:30:00Z")
