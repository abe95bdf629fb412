"""Opening hours of sale points: the database rules, the service that replaces a week, whether a sale
point is open at a moment, and how the week reads on a page."""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from pcn.markets import services
from pcn.markets.models import OpeningHours, SalePoint, Weekday
from pcn.markets.selectors import format_time_of_day, opening_hours_lines, sale_point_is_open
from pcn.markets.tests.factories import make_market, make_program, make_sale_point

QUEBEC = ZoneInfo("America/Toronto")
UTC = datetime.UTC
MON, TUE, WED, THU, FRI, SAT, SUN = Weekday.values


def t(hour: int, minute: int = 0) -> datetime.time:
    return datetime.time(hour, minute)


def week_of(sale_point: SalePoint) -> list[tuple[int, datetime.time, datetime.time]]:
    return list(OpeningHours.objects.filter(sale_point=sale_point).values_list("weekday", "opens_at", "closes_at"))


def plain(text: str) -> str:
    """The text as a reader sees it: the non-breaking spaces inside « 9 h » read as spaces."""
    return text.replace("\u00a0", " ")


class OpeningHoursConstraintsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.sale_point = make_sale_point(make_market(make_program()))

    def test_the_database_refuses_a_stretch_that_closes_before_it_opens(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            OpeningHours.objects.create(sale_point=self.sale_point, weekday=SAT, opens_at=t(13), closes_at=t(9))
        self.assertEqual(week_of(self.sale_point), [])

    def test_the_database_refuses_a_stretch_that_closes_when_it_opens(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            OpeningHours.objects.create(sale_point=self.sale_point, weekday=SAT, opens_at=t(9), closes_at=t(9))

    def test_the_database_refuses_a_day_after_sunday(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            OpeningHours.objects.create(sale_point=self.sale_point, weekday=7, opens_at=t(9), closes_at=t(13))

    def test_model_validation_says_the_closing_time_must_come_after_the_opening_time(self):
        hours = OpeningHours(sale_point=self.sale_point, weekday=SAT, opens_at=t(13), closes_at=t(9))
        with self.assertRaisesMessage(ValidationError, "L'heure de fermeture doit venir après l'heure d'ouverture."):
            hours.full_clean()

    def test_hours_belong_to_the_program_of_their_market(self):
        hours = OpeningHours.objects.create(sale_point=self.sale_point, weekday=SAT, opens_at=t(9), closes_at=t(13))
        self.assertEqual(hours.program, self.sale_point.market.program)


class SalePointSetHoursTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.sale_point = make_sale_point(make_market(make_program()))
        services.sale_point_set_hours(sale_point=cls.sale_point, hours=[(SAT, t(9), t(13))])

    def test_it_replaces_the_whole_week(self):
        services.sale_point_set_hours(
            sale_point=self.sale_point, hours=[(SUN, t(10), t(14)), (THU, t(15), t(19)), (THU, t(9), t(12))]
        )
        self.assertEqual(week_of(self.sale_point), [(THU, t(9), t(12)), (THU, t(15), t(19)), (SUN, t(10), t(14))])

    def test_an_empty_week_removes_every_stretch(self):
        services.sale_point_set_hours(sale_point=self.sale_point, hours=[])
        self.assertEqual(week_of(self.sale_point), [])

    def test_stretches_that_touch_are_accepted(self):
        services.sale_point_set_hours(sale_point=self.sale_point, hours=[(SAT, t(9), t(12)), (SAT, t(12), t(17))])
        self.assertEqual(week_of(self.sale_point), [(SAT, t(9), t(12)), (SAT, t(12), t(17))])

    def test_it_refuses_overlapping_stretches_of_a_day_and_saves_nothing(self):
        with self.assertRaises(ValidationError) as raised:
            services.sale_point_set_hours(
                sale_point=self.sale_point, hours=[(FRI, t(15), t(19)), (SAT, t(9), t(13)), (SAT, t(12), t(17))]
            )
        self.assertEqual(
            [plain(m) for m in raised.exception.messages],
            [("Samedi : les heures 9 h à 13 h et 12 h à 17 h se chevauchent. Corrigez-les, ou réunissez-les en "
              "une seule plage.")],
        )
        self.assertEqual(week_of(self.sale_point), [(SAT, t(9), t(13))])

    def test_the_same_hours_on_two_days_do_not_overlap(self):
        services.sale_point_set_hours(sale_point=self.sale_point, hours=[(SAT, t(9), t(13)), (SUN, t(9), t(13))])
        self.assertEqual(week_of(self.sale_point), [(SAT, t(9), t(13)), (SUN, t(9), t(13))])

    def test_it_refuses_a_stretch_that_closes_before_it_opens_and_saves_nothing(self):
        with self.assertRaises(ValidationError) as raised:
            services.sale_point_set_hours(sale_point=self.sale_point, hours=[(SUN, t(14), t(10, 30))])
        self.assertEqual(
            [plain(m) for m in raised.exception.messages],
            ["Dimanche : l'heure de fermeture (10 h 30) doit venir après l'heure d'ouverture (14 h)."],
        )
        self.assertEqual(week_of(self.sale_point), [(SAT, t(9), t(13))])

    def test_it_refuses_a_day_that_does_not_exist(self):
        with self.assertRaisesMessage(ValidationError, "Choisissez un jour de la semaine, de lundi à dimanche."):
            services.sale_point_set_hours(sale_point=self.sale_point, hours=[(7, t(9), t(13))])
        self.assertEqual(week_of(self.sale_point), [(SAT, t(9), t(13))])

    def test_saving_a_sale_point_with_wrong_hours_saves_neither(self):
        self.sale_point.name = "Place de l'église"
        with self.assertRaises(ValidationError):
            services.sale_point_save(sale_point=self.sale_point, hours=[(SAT, t(9), t(13)), (SAT, t(10), t(11))])
        self.sale_point.refresh_from_db()
        self.assertEqual(self.sale_point.name, "Place du marché")
        self.assertEqual(week_of(self.sale_point), [(SAT, t(9), t(13))])

    def test_saving_a_sale_point_with_hours_saves_both(self):
        self.sale_point.name = "Place de l'église"
        services.sale_point_save(sale_point=self.sale_point, hours=[(WED, t(16), t(19))])
        self.sale_point.refresh_from_db()
        self.assertEqual(self.sale_point.name, "Place de l'église")
        self.assertEqual(week_of(self.sale_point), [(WED, t(16), t(19))])

    def test_saving_a_sale_point_without_hours_keeps_its_hours(self):
        self.sale_point.name = "Place de l'église"
        services.sale_point_save(sale_point=self.sale_point)
        self.assertEqual(week_of(self.sale_point), [(SAT, t(9), t(13))])


class SalePointIsOpenTest(TestCase):
    """A market open Saturday 9 h to 13 h, and Friday evening 17 h to 22 h."""

    @classmethod
    def setUpTestData(cls):
        cls.sale_point = make_sale_point(make_market(make_program()))
        services.sale_point_set_hours(sale_point=cls.sale_point, hours=[(SAT, t(9), t(13)), (FRI, t(17), t(22))])

    def is_open(self, at: datetime.datetime) -> bool:
        return sale_point_is_open(sale_point=SalePoint.objects.get(pk=self.sale_point.pk), at=at)

    def test_it_is_open_on_saturday_at_10_in_quebec(self):
        self.assertTrue(self.is_open(datetime.datetime(2026, 7, 4, 10, 0, tzinfo=QUEBEC)))

    def test_it_is_closed_on_saturday_at_14_in_quebec(self):
        self.assertFalse(self.is_open(datetime.datetime(2026, 7, 4, 14, 0, tzinfo=QUEBEC)))

    def test_it_is_closed_on_sunday(self):
        self.assertFalse(self.is_open(datetime.datetime(2026, 7, 5, 10, 0, tzinfo=QUEBEC)))

    def test_it_opens_on_the_minute_and_is_closed_at_closing_time(self):
        self.assertFalse(self.is_open(datetime.datetime(2026, 7, 4, 8, 59, tzinfo=QUEBEC)))
        self.assertTrue(self.is_open(datetime.datetime(2026, 7, 4, 9, 0, tzinfo=QUEBEC)))
        self.assertTrue(self.is_open(datetime.datetime(2026, 7, 4, 12, 59, tzinfo=QUEBEC)))
        self.assertFalse(self.is_open(datetime.datetime(2026, 7, 4, 13, 0, tzinfo=QUEBEC)))

    def test_a_utc_moment_on_saturday_is_read_as_friday_evening_in_quebec(self):
        # Saturday 1 h 30 UTC is Friday 21 h 30 in Québec (summer time, UTC-4): the Friday evening market.
        at = datetime.datetime(2026, 7, 4, 1, 30, tzinfo=UTC)
        self.assertEqual(at.weekday(), SAT)
        self.assertTrue(self.is_open(at))
        # Saturday 3 h UTC is Friday 23 h in Québec: closed, though Saturday 3 h would be too.
        self.assertFalse(self.is_open(datetime.datetime(2026, 7, 4, 3, 0, tzinfo=UTC)))

    def test_a_utc_moment_is_read_in_quebec_summer_and_winter_time(self):
        # 12 h 30 UTC on a Saturday: 8 h 30 in July (UTC-4), 7 h 30 in December (UTC-5): not yet open.
        self.assertFalse(self.is_open(datetime.datetime(2026, 7, 4, 12, 30, tzinfo=UTC)))
        self.assertTrue(self.is_open(datetime.datetime(2026, 7, 4, 13, 30, tzinfo=UTC)))  # 9 h 30
        self.assertFalse(self.is_open(datetime.datetime(2026, 12, 5, 13, 30, tzinfo=UTC)))  # 8 h 30
        self.assertTrue(self.is_open(datetime.datetime(2026, 12, 5, 14, 30, tzinfo=UTC)))  # 9 h 30

    def test_a_sale_point_without_hours_is_never_open(self):
        other = make_sale_point(self.sale_point.market, "Kiosque")
        self.assertFalse(sale_point_is_open(sale_point=other, at=datetime.datetime(2026, 7, 4, 10, tzinfo=QUEBEC)))

    def test_a_moment_without_a_time_zone_is_refused(self):
        with self.assertRaises(ValueError):
            self.is_open(datetime.datetime(2026, 7, 4, 10, 0))


class OpeningHoursLinesTest(TestCase):
    def lines(self, *hours) -> list[str]:
        return [plain(line) for line in opening_hours_lines(
            OpeningHours(weekday=day, opens_at=opens, closes_at=closes) for day, opens, closes in hours
        )]

    def test_one_day_reads_as_the_day_then_the_hours(self):
        self.assertEqual(self.lines((SAT, t(9), t(13))), ["samedi, 9 h à 13 h"])

    def test_minutes_are_written_after_the_h(self):
        self.assertEqual(self.lines((THU, t(15, 30), t(19, 5))), ["jeudi, 15 h 30 à 19 h 05"])

    def test_the_hour_and_its_h_never_wrap_apart(self):
        self.assertEqual(format_time_of_day(t(13, 30)), "13\u00a0h\u00a030")

    def test_a_day_with_a_break_at_noon_reads_on_one_line(self):
        self.assertEqual(
            self.lines((SAT, t(13), t(17)), (SAT, t(9), t(12))), ["samedi, 9 h à 12 h et 13 h à 17 h"]
        )

    def test_days_that_follow_each_other_with_the_same_hours_share_a_line(self):
        self.assertEqual(
            self.lines(*[(day, t(10), t(17)) for day in (THU, FRI, SAT, SUN)], (MON, t(9), t(12))),
            ["lundi, 9 h à 12 h", "jeudi au dimanche, 10 h à 17 h"],
        )
        self.assertEqual(self.lines((SAT, t(9), t(13)), (SUN, t(9), t(13))), ["samedi et dimanche, 9 h à 13 h"])

    def test_days_apart_or_with_other_hours_get_their_own_line(self):
        self.assertEqual(
            self.lines((WED, t(9), t(13)), (FRI, t(9), t(13)), (SAT, t(9), t(14))),
            ["mercredi, 9 h à 13 h", "vendredi, 9 h à 13 h", "samedi, 9 h à 14 h"],
        )

    def test_every_day_with_the_same_hours_reads_as_every_day(self):
        self.assertEqual(self.lines(*[(day, t(9), t(18)) for day in Weekday.values]), ["tous les jours, 9 h à 18 h"])

    def test_no_hours_give_no_line(self):
        self.assertEqual(self.lines(), [])
