"""Attendance: ticking the list, check-in by the ticket's QR code, the actual number, the sign-in sheet."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from metodist.events.models import ParticipantStatus
from metodist.events.participants import attendance_sync
from metodist.events.tests.factories import EventFactory, ParticipantFactory


@pytest.fixture
def event(net):
    return EventFactory(organiser_unit=net.beskaragay, venue_unit=net.beskaragay_lib, participants_planned=20)


def _attended_url(event, person):
    return reverse("events:participant_attended", args=[event.pk, person.pk])


def test_ticking_a_participant_saves_at_once_and_the_actual_number_follows(client_for, methodist, event):
    person = ParticipantFactory(event=event, full_name="Ахметова Гульнар")
    ParticipantFactory(event=event, attended=True)

    response = client_for(methodist).post(
        _attended_url(event, person), {"attended": "on"}, HTTP_HX_REQUEST="true"
    )

    person.refresh_from_db()
    event.refresh_from_db()
    fragment = response.content.decode()
    assert person.attended is True
    assert event.participants_actual == 2
    assert f'id="participant-{person.pk}"' in fragment
    assert 'id="actual-count" hx-swap-oob="true">2<' in fragment


def test_unticking_lowers_the_actual_number(client_for, methodist, event):
    person = ParticipantFactory(event=event, attended=True)
    ParticipantFactory(event=event, attended=True)
    attendance_sync(event)

    response = client_for(methodist).post(_attended_url(event, person), {})

    person.refresh_from_db()
    event.refresh_from_db()
    assert response.status_code == 302
    assert person.attended is False
    assert event.participants_actual == 1


def test_no_attendance_leaves_the_actual_number_empty_not_zero(event):
    ParticipantFactory(event=event)
    event.participants_actual = 5
    event.save()

    assert attendance_sync(event) is None
    event.refresh_from_db()
    assert event.participants_actual is None


def test_a_number_entered_by_hand_is_kept(client_for, methodist, event):
    event.participants_actual = 36
    event.participants_actual_manual = True
    event.save()
    person = ParticipantFactory(event=event)

    client_for(methodist).post(_attended_url(event, person), {"attended": "on"})

    event.refresh_from_db()
    person.refresh_from_db()
    assert person.attended is True
    assert event.participants_actual == 36


def test_a_viewer_cannot_tick_the_list(client_for, librarian, net):
    event = EventFactory(organiser_unit=net.region, venue_unit=net.mukur)
    person = ParticipantFactory(event=event)

    response = client_for(librarian).post(_attended_url(event, person), {"attended": "on"})

    person.refresh_from_db()
    assert response.status_code == 404
    assert person.attended is False


def test_a_participant_of_another_event_cannot_be_ticked_through_this_one(client_for, methodist, event, net):
    other = ParticipantFactory(event=EventFactory(organiser_unit=net.mukur))

    response = client_for(methodist).post(_attended_url(event, other), {"attended": "on"})

    other.refresh_from_db()
    assert response.status_code == 404
    assert other.attended is False


def _checkin_url(person):
    return reverse("events:checkin", args=[person.token])


def test_scanning_a_ticket_checks_the_person_in(client_for, methodist, event):
    person = ParticipantFactory(event=event, full_name="Ахметова Гульнар", status=ParticipantStatus.ACCEPTED)

    with time_machine.travel(datetime.datetime(2025, 3, 10, 4, 15, tzinfo=datetime.UTC), tick=False):
        page = client_for(methodist).get(_checkin_url(person)).content.decode()

    person.refresh_from_db()
    event.refresh_from_db()
    assert 'data-checkin="done"' in page
    assert "Ахметова Гульнар" in page
    assert person.attended is True
    assert person.checked_in_at == datetime.datetime(2025, 3, 10, 4, 15, tzinfo=datetime.UTC)
    assert event.participants_actual == 1


def test_a_second_scan_says_when_the_person_was_checked_in(client_for, methodist, event):
    person = ParticipantFactory(event=event)
    client = client_for(methodist)
    with time_machine.travel(datetime.datetime(2025, 3, 10, 4, 15, tzinfo=datetime.UTC), tick=False):
        client.get(_checkin_url(person))
    with time_machine.travel(datetime.datetime(2025, 3, 10, 4, 40, tzinfo=datetime.UTC), tick=False):
        page = client.get(_checkin_url(person)).content.decode()

    person.refresh_from_db()
    local = timezone.localtime(person.checked_in_at).strftime("%H:%M")
    assert 'data-checkin="already"' in page
    assert local in page
    assert person.checked_in_at == datetime.datetime(2025, 3, 10, 4, 15, tzinfo=datetime.UTC)


def test_scanning_when_not_logged_in_asks_to_log_in_and_comes_back(client, event):
    person = ParticipantFactory(event=event)

    response = client.get(_checkin_url(person))

    person.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert f"next={_checkin_url(person)}" in response["Location"]
    assert person.attended is False


@pytest.mark.parametrize("who", ["librarian", "outsider", "volunteer"])
def test_a_ticket_of_an_event_out_of_scope_is_not_found(client_for, event, who, request):
    person = ParticipantFactory(event=event)

    response = client_for(request.getfixturevalue(who)).get(_checkin_url(person))

    person.refresh_from_db()
    assert response.status_code == 404
    assert person.attended is False


def test_seeing_an_event_is_not_enough_to_check_people_in(client_for, librarian, net):
    event = EventFactory(organiser_unit=net.region, venue_unit=net.mukur)
    person = ParticipantFactory(event=event)

    assert client_for(librarian).get(_checkin_url(person)).status_code == 404


def test_the_sign_in_sheet_lists_the_expected_people_and_blank_rows(client_for, methodist, event, net):
    ParticipantFactory(event=event, full_name="Ахметова Гульнар", unit=net.kanonerka)
    ParticipantFactory(event=event, full_name="Мальцева Ольга", organisation="Отдел культуры")
    ParticipantFactory(event=event, full_name="Отказавшаяся", status=ParticipantStatus.DECLINED)
    ParticipantFactory(
        event=event, full_name="Пришедшая из очереди", status=ParticipantStatus.WAITLISTED, attended=True
    )

    page = (
        client_for(methodist)
        .get(reverse("events:signin_sheet", args=[event.pk]), {"blank": 3})
        .content.decode()
    )

    assert "Ахметова Гульнар" in page
    assert "Канонерская сельская библиотека" in page
    assert "Отдел культуры" in page
    assert "Пришедшая из очереди" in page
    assert "Отказавшаяся" not in page
    assert "@page" in page
    assert page.count("<tr>") == 1 + 3 + 3  # header, three people, three blank rows


def test_the_sign_in_sheet_escapes_markup_and_is_out_of_scope_for_others(
    client_for, methodist, librarian, event
):
    ParticipantFactory(event=event, full_name="<script>alert(1)</script>")

    page = client_for(methodist).get(reverse("events:signin_sheet", args=[event.pk])).content.decode()
    other = client_for(librarian).get(reverse("events:signin_sheet", args=[event.pk]))

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert other.status_code == 404


def test_the_check_in_page_escapes_markup_in_the_name(client_for, methodist, event):
    person = ParticipantFactory(event=event, full_name="<b>Жирный</b>")

    page = client_for(methodist).get(_checkin_url(person)).content.decode()

    assert "<b>Жирный</b>" not in page
    assert "&lt;b&gt;Жирный&lt;/b&gt;" in page
