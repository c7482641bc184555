"""The calendar of events by month and by week."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from metodist.events.models import EventFamily
from metodist.events.tests.factories import EventFactory

MONTH = reverse("events:calendar")
WEEK = reverse("events:calendar_week")


def at(day: int, month: int = 9, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2024, month, day, hour, 0))


def _day(response, date: datetime.date) -> list[str]:
    for week in response.context["weeks"]:
        for day, events in week:
            if day == date:
                return [event.title for event in events]
    raise AssertionError(f"{date} is not on the page")


@pytest.fixture
def lesson(net):
    return EventFactory(
        title="Библиотечный урок", organiser_unit=net.method_dept, starts_at=at(20), ends_at=at(20, hour=13)
    )


def test_the_month_shows_the_event_on_its_day_as_a_link_to_the_card(client_for, admin_user, lesson):
    response = client_for(admin_user).get(MONTH, {"month": "2024-09"})

    body = response.content.decode()
    assert response.status_code == 200
    assert _day(response, datetime.date(2024, 9, 20)) == ["Библиотечный урок"]
    assert _day(response, datetime.date(2024, 9, 19)) == []
    assert reverse("events:event_detail", args=[lesson.pk]) in body
    assert "text-bg-primary" in body  # a training's colour


def test_a_late_evening_event_is_on_its_local_day(client_for, admin_user, net):
    # 23:30 in Almaty is still the previous day in UTC.
    EventFactory(title="Библионочь", organiser_unit=net.regional, starts_at=at(21, hour=23), ends_at=None)

    response = client_for(admin_user).get(MONTH, {"month": "2024-09"})

    assert _day(response, datetime.date(2024, 9, 21)) == ["Библионочь"]


def test_an_event_of_several_days_is_on_each_of_them(client_for, admin_user, net):
    EventFactory(title="Школа библиотекаря", organiser_unit=net.beskaragay, starts_at=at(23), ends_at=at(25))

    response = client_for(admin_user).get(MONTH, {"month": "2024-09"})

    assert [_day(response, datetime.date(2024, 9, d)) for d in (22, 23, 24, 25, 26)] == [
        [],
        ["Школа библиотекаря"],
        ["Школа библиотекаря"],
        ["Школа библиотекаря"],
        [],
    ]


def test_the_month_has_whole_weeks_and_links_to_the_neighbour_months(client_for, admin_user):
    response = client_for(admin_user).get(MONTH, {"month": "2024-09"})

    weeks = response.context["weeks"]
    body = response.content.decode()
    assert weeks[0][0][0] == datetime.date(2024, 8, 26)  # a Monday
    assert weeks[-1][-1][0] == datetime.date(2024, 10, 6)
    assert "month=2024-08" in body
    assert "month=2024-10" in body


@time_machine.travel(datetime.datetime(2025, 3, 14, 6, 0, tzinfo=datetime.UTC), tick=False)
def test_without_a_month_the_calendar_opens_on_today(client_for, admin_user):
    response = client_for(admin_user).get(MONTH, {"month": "nonsense"})

    assert response.context["month"] == datetime.date(2025, 3, 1)
    assert response.context["today"] == datetime.date(2025, 3, 14)


def test_the_calendar_keeps_to_the_scope_and_the_filters(client_for, librarian, net):
    EventFactory(
        title="Мукурский квест", organiser_unit=net.mukur, family=EventFamily.PUBLIC, starts_at=at(10)
    )
    EventFactory(title="Мукурский семинар", organiser_unit=net.mukur, starts_at=at(10, hour=15))
    EventFactory(title="Кайнарский квест", organiser_unit=net.kainar, starts_at=at(10))
    client = client_for(librarian)

    everything = client.get(MONTH, {"month": "2024-09"})
    public = client.get(MONTH, {"month": "2024-09", "family": "public"})

    assert _day(everything, datetime.date(2024, 9, 10)) == ["Мукурский квест", "Мукурский семинар"]
    assert _day(public, datetime.date(2024, 9, 10)) == ["Мукурский квест"]
    assert "family=public" in public.content.decode()  # the navigation keeps the filter


def test_the_week_lists_each_day_from_monday_with_times(client_for, admin_user, lesson):
    response = client_for(admin_user).get(WEEK, {"date": "2024-09-19"})

    days = response.context["days"]
    body = response.content.decode()
    assert days[0][0] == datetime.date(2024, 9, 16)
    assert len(days) == 7
    assert [[e.title for e in events] for _day, events in days][4] == ["Библиотечный урок"]
    assert "10:00" in body and "13:00" in body
    assert "date=2024-09-09" in body and "date=2024-09-23" in body
