"""`metodist remind`: a reminder the day before, once, to everyone expected at tomorrow's events."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from metodist.events.management.commands.remind import REMINDERS
from metodist.events.models import EventStatus, ParticipantStatus
from metodist.events.tests.factories import EventFactory, ParticipantFactory

ALMATY = ZoneInfo("Asia/Almaty")
# 20:30 in Almaty on 19 September: "tomorrow" is 20 September there, though it is still the 19th in UTC.
RUN_AT = datetime.datetime(2025, 9, 19, 20, 30, tzinfo=ALMATY)


@pytest.fixture
def tomorrow_event(net):
    return EventFactory(
        organiser_unit=net.region,
        venue_unit=net.regional,
        title="Библиотечный урок",
        starts_at=datetime.datetime(2025, 9, 20, 10, 0, tzinfo=ALMATY),
    )


def _remind() -> str:
    out = io.StringIO()
    with time_machine.travel(RUN_AT, tick=False):
        call_command("remind", "--base-url", "https://metodist.example.kz", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_reminds_the_invited_the_accepted_and_the_registered(tomorrow_event):
    for status in (ParticipantStatus.INVITED, ParticipantStatus.ACCEPTED, ParticipantStatus.REGISTERED):
        ParticipantFactory(event=tomorrow_event, status=status, email=f"{status}@example.kz")

    _remind()

    assert sorted(m.to[0] for m in mail.outbox) == [
        "accepted@example.kz",
        "invited@example.kz",
        "registered@example.kz",
    ]
    assert "Библиотечный урок" in mail.outbox[0].subject


def test_the_reminder_carries_the_links_of_the_participant(tomorrow_event):
    registered = ParticipantFactory(event=tomorrow_event, status=ParticipantStatus.REGISTERED)

    _remind()

    body = mail.outbox[0].body
    assert (
        "https://metodist.example.kz" + reverse("events:registration_cancel", args=[registered.token]) in body
    )
    assert "ВКО универсальная библиотека имени Абая" in body


@pytest.mark.parametrize(
    "status", [ParticipantStatus.DECLINED, ParticipantStatus.WAITLISTED, ParticipantStatus.CANCELLED]
)
def test_it_does_not_remind_those_not_expected(tomorrow_event, status):
    ParticipantFactory(event=tomorrow_event, status=status)

    _remind()

    assert mail.outbox == []


def test_it_skips_people_without_an_email(tomorrow_event):
    person = ParticipantFactory(event=tomorrow_event, email="", phone="+77011234567")

    _remind()

    person.refresh_from_db()
    assert mail.outbox == []
    assert person.reminded_at is None


def test_it_reminds_only_about_events_starting_tomorrow_in_almaty(net):
    late_tomorrow = EventFactory(
        organiser_unit=net.region, starts_at=datetime.datetime(2025, 9, 20, 23, 30, tzinfo=ALMATY)
    )
    today = EventFactory(
        organiser_unit=net.region, starts_at=datetime.datetime(2025, 9, 19, 22, 0, tzinfo=ALMATY)
    )
    day_after = EventFactory(
        organiser_unit=net.region, starts_at=datetime.datetime(2025, 9, 21, 0, 0, tzinfo=ALMATY)
    )
    ParticipantFactory(event=late_tomorrow, email="tomorrow@example.kz")
    ParticipantFactory(event=today, email="today@example.kz")
    ParticipantFactory(event=day_after, email="dayafter@example.kz")

    _remind()

    assert [m.to for m in mail.outbox] == [["tomorrow@example.kz"]]


def test_it_does_not_remind_about_a_cancelled_event(tomorrow_event):
    tomorrow_event.status = EventStatus.CANCELLED
    tomorrow_event.save()
    ParticipantFactory(event=tomorrow_event)

    _remind()

    assert mail.outbox == []


def test_it_reminds_once_however_often_it_runs(tomorrow_event):
    person = ParticipantFactory(event=tomorrow_event)

    first = _remind()
    second = _remind()

    person.refresh_from_db()
    assert len(mail.outbox) == 1
    assert person.reminded_at == RUN_AT
    assert re.findall(r"\d+", first) == ["1", "1"]  # one reminder, one event
    assert re.findall(r"\d+", second) == ["0", "0"]


def test_it_prints_a_summary_line_per_reminder(tomorrow_event):
    ParticipantFactory(event=tomorrow_event)
    ParticipantFactory(event=tomorrow_event)

    output = _remind()

    assert len(output.strip().splitlines()) == len(REMINDERS)
    assert sorted(re.findall(r"\d+", output)) == ["1", "2"]  # two reminders, one event
