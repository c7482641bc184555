"""Delivery rounds: the days of "every second Tuesday" and of "the second Tuesday of the month" across month
and year ends, and planning a round twice adding its deliveries once."""

import datetime

from django.urls import reverse
from django.utils import timezone, translation

from metodist.outreach import services
from metodist.outreach.models import Delivery, DeliverySchedule, ScheduleRule, Weekday, schedule_dates

D = datetime.date


def test_every_second_tuesday_runs_across_month_and_year_ends():
    days = schedule_dates(
        rule=ScheduleRule.WEEKS,
        weekday=Weekday.TUESDAY,
        every=2,
        starts_on=D(2025, 12, 2),
        first=D(2025, 12, 1),
        last=D(2026, 3, 10),
    )
    assert days == [
        D(2025, 12, 2),
        D(2025, 12, 16),
        D(2025, 12, 30),
        D(2026, 1, 13),
        D(2026, 1, 27),
        D(2026, 2, 10),
        D(2026, 2, 24),
        D(2026, 3, 10),
    ]
    assert all(day.weekday() == 1 for day in days)


def test_the_fortnights_keep_their_phase_whatever_the_first_day_asked():
    fortnights = {
        "rule": ScheduleRule.WEEKS,
        "weekday": Weekday.TUESDAY,
        "every": 2,
        "starts_on": D(2025, 12, 2),
        "last": D(2026, 2, 28),
    }
    assert schedule_dates(first=D(2026, 1, 20), **fortnights) == [
        D(2026, 1, 27),
        D(2026, 2, 10),
        D(2026, 2, 24),
    ]
    assert schedule_dates(first=D(2026, 1, 27), **fortnights)[0] == D(2026, 1, 27)


def test_a_round_starting_on_a_friday_begins_on_the_next_tuesday():
    days = schedule_dates(
        rule=ScheduleRule.WEEKS,
        weekday=Weekday.TUESDAY,
        every=2,
        starts_on=D(2026, 1, 30),
        first=D(2026, 1, 1),
        last=D(2026, 2, 28),
        ends_on=D(2026, 2, 20),
    )
    assert days == [D(2026, 2, 3), D(2026, 2, 17)]


def test_the_second_tuesday_of_every_month():
    days = schedule_dates(
        rule=ScheduleRule.MONTH,
        weekday=Weekday.TUESDAY,
        every=2,
        starts_on=D(2025, 1, 1),
        first=D(2025, 11, 15),
        last=D(2026, 3, 31),
    )
    assert days == [D(2025, 12, 9), D(2026, 1, 13), D(2026, 2, 10), D(2026, 3, 10)]


def test_the_last_friday_of_the_month():
    days = schedule_dates(
        rule=ScheduleRule.MONTH,
        weekday=Weekday.FRIDAY,
        every=5,
        starts_on=D(2026, 1, 1),
        first=D(2026, 1, 1),
        last=D(2026, 3, 31),
    )
    assert days == [D(2026, 1, 30), D(2026, 2, 27), D(2026, 3, 27)]


def test_planning_a_round_twice_adds_its_deliveries_once(kn, librarian):
    schedule = DeliverySchedule.objects.create(
        library=kn.zaure.library,
        name="Мукур: ул. Абая (вторник)",
        volunteer=kn.ospanova,
        weekday=Weekday.TUESDAY,
        every=2,
        starts_on=D(2026, 1, 6),
    )
    schedule.readers.set([kn.zaure, kn.sholpan])
    Delivery.objects.create(reader=kn.zaure, date=D(2026, 1, 20), volunteer=kn.ahmetov, notes="по звонку")
    added = services.schedule_plan(
        user=librarian, schedule=schedule, until=D(2026, 2, 3), today=D(2026, 1, 5)
    )
    assert added == 5  # 6 and 20 January, 3 February for two readers, minus the day already planned
    assert (
        services.schedule_plan(user=librarian, schedule=schedule, until=D(2026, 2, 3), today=D(2026, 1, 5))
        == 0
    )
    days = list(Delivery.objects.filter(reader=kn.zaure).order_by("date").values_list("date", "volunteer"))
    assert days == [
        (D(2026, 1, 6), kn.ospanova.pk),
        (D(2026, 1, 20), kn.ahmetov.pk),
        (D(2026, 2, 3), kn.ospanova.pk),
    ]


def test_the_round_page_plans_with_a_message(kn, librarian, client_for):
    today = timezone.localdate()
    schedule = DeliverySchedule.objects.create(
        library=kn.zaure.library, name="Мукур: ул. Абая", weekday=today.weekday(), every=2, starts_on=today
    )
    schedule.readers.set([kn.zaure])
    client = client_for(librarian)
    until = (today + datetime.timedelta(weeks=4)).isoformat()
    answer = client.post(reverse("outreach:schedule_plan", args=[schedule.pk]), {"until": until}, follow=True)
    assert Delivery.objects.filter(reader=kn.zaure, volunteer=kn.ahmetov).count() == 3
    with translation.override("ru"):
        expected = translation.gettext("Deliveries planned: %(count)s (days already planned were kept).")
    assert [str(m) for m in answer.context["messages"]][-1] == expected % {"count": 3}
