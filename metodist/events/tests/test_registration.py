"""Public registration: capacity and the waiting list, duplicates, closed registration, self-cancel."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from metodist.events.models import EventFamily, Participant, ParticipantStatus
from metodist.events.tests.factories import EventFactory, ParticipantFactory


@pytest.fixture
def event(net):
    return EventFactory(
        organiser_unit=net.mukur,
        venue_unit=net.mukur,
        room="читальный зал",
        family=EventFamily.PUBLIC,
        title="Библионочь в Мукуре",
        capacity=2,
        registration_open=True,
    )


def _register(client, event, name, email="", phone=""):
    return client.post(
        reverse("events:register", args=[event.public_token]),
        {"full_name": name, "email": email, "phone": phone},
    )


def test_the_registration_page_shows_the_event_and_the_places_left(client, event):
    ParticipantFactory(event=event, status=ParticipantStatus.REGISTERED)

    page = client.get(reverse("events:register", args=[event.public_token])).content.decode()

    assert "Библионочь в Мукуре" in page
    assert "Мукурская сельская библиотека" in page
    assert "читальный зал" in page
    assert 'data-places-left="1"' in page
    assert 'name="full_name"' in page


def test_the_registration_page_speaks_the_visitors_language(client, event):
    page = client.get(reverse("events:register", args=[event.public_token]), HTTP_ACCEPT_LANGUAGE="kk")

    assert '<html lang="kk">' in page.content.decode()


def test_a_visitor_registers_and_gets_a_confirmation_with_a_cancel_link(client, event):
    response = _register(client, event, "Ержанов Даурен", email="dauren@example.kz")

    person = Participant.objects.get()
    assert person.status == ParticipantStatus.REGISTERED
    assert person.contact_key == "dauren@example.kz"
    assert response["Location"] == reverse("events:registration", args=[person.token])
    confirmation = client.get(response["Location"]).content.decode()
    assert 'data-status="registered"' in confirmation
    assert "<svg" in confirmation  # the ticket's QR code
    assert mail.outbox[0].to == ["dauren@example.kz"]
    assert reverse("events:registration_cancel", args=[person.token]) in mail.outbox[0].body


def test_beyond_capacity_people_go_to_the_waiting_list_and_are_told_so(client, event):
    _register(client, event, "Первый", email="one@example.kz")
    _register(client, event, "Второй", phone="+7 701 000 00 02")

    page_before = client.get(reverse("events:register", args=[event.public_token])).content.decode()
    response = _register(client, event, "Третий", email="three@example.kz")

    third = Participant.objects.get(full_name="Третий")
    assert 'data-places-left="0"' in page_before
    assert third.status == ParticipantStatus.WAITLISTED
    assert 'data-status="waitlisted"' in client.get(response["Location"]).content.decode()
    with translation.override("ru"):
        assert mail.outbox[-1].subject == gettext("You are on the waiting list: %(title)s") % {
            "title": event.title
        }


def test_cancelling_moves_the_first_waiting_person_up_and_mails_them(client, event):
    _register(client, event, "Первый", email="one@example.kz")
    _register(client, event, "Второй", email="two@example.kz")
    _register(client, event, "Третий", email="three@example.kz")
    _register(client, event, "Четвёртый", email="four@example.kz")
    first = Participant.objects.get(full_name="Первый")
    cancel_path = re.search(r"http://testserver(/\S+/cancel/)", mail.outbox[0].body).group(1)
    mail.outbox.clear()

    shown = client.get(cancel_path)
    response = client.post(cancel_path, {"confirm": "yes"})

    first.refresh_from_db()
    statuses = dict(Participant.objects.values_list("full_name", "status"))
    assert shown.status_code == 200
    assert response.status_code == 302
    assert first.status == ParticipantStatus.CANCELLED
    assert statuses["Третий"] == ParticipantStatus.REGISTERED
    assert statuses["Четвёртый"] == ParticipantStatus.WAITLISTED
    assert [m.to for m in mail.outbox] == [["three@example.kz"]]


def test_cancelling_needs_the_confirmation(client, event):
    _register(client, event, "Первый", email="one@example.kz")
    person = Participant.objects.get()

    client.post(reverse("events:registration_cancel", args=[person.token]))

    person.refresh_from_db()
    assert person.status == ParticipantStatus.REGISTERED


def test_cancelling_twice_moves_nobody_else_up(client, event):
    _register(client, event, "Первый", email="one@example.kz")
    _register(client, event, "Второй", email="two@example.kz")
    _register(client, event, "Третий", email="three@example.kz")
    _register(client, event, "Четвёртый", email="four@example.kz")
    url = reverse("events:registration_cancel", args=[Participant.objects.get(full_name="Первый").token])

    client.post(url, {"confirm": "yes"})
    client.post(url, {"confirm": "yes"})

    assert Participant.objects.get(full_name="Четвёртый").status == ParticipantStatus.WAITLISTED


def test_a_waiting_person_who_cancels_frees_no_place(client, event):
    _register(client, event, "Первый", email="one@example.kz")
    _register(client, event, "Второй", email="two@example.kz")
    _register(client, event, "Третий", email="three@example.kz")
    _register(client, event, "Четвёртый", email="four@example.kz")

    client.post(
        reverse("events:registration_cancel", args=[Participant.objects.get(full_name="Третий").token]),
        {"confirm": "yes"},
    )

    assert Participant.objects.filter(status=ParticipantStatus.REGISTERED).count() == 2
    assert Participant.objects.get(full_name="Четвёртый").status == ParticipantStatus.WAITLISTED


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"email": "Dauren@Example.kz"}, {"email": "dauren@example.kz"}),
        ({"phone": "8 701 123 45 67"}, {"phone": "+7 (701) 123-45-67"}),
        ({"email": "dauren@example.kz", "phone": "+77011234567"}, {"phone": "87011234567"}),
    ],
)
def test_a_second_registration_with_the_same_contact_makes_no_duplicate(client, event, first, second):
    _register(client, event, "Ержанов Даурен", **first)

    response = _register(client, event, "Даурен Е.", **second)

    assert response.status_code == 200
    assert 'class="alert alert-danger"' in response.content.decode()
    assert Participant.objects.count() == 1


def test_the_same_contact_may_register_for_another_event(client, event, net):
    other = EventFactory(organiser_unit=net.mukur, registration_open=True, family=EventFamily.PUBLIC)
    _register(client, event, "Ержанов Даурен", email="dauren@example.kz")

    _register(client, other, "Ержанов Даурен", email="dauren@example.kz")

    assert Participant.objects.count() == 2


def test_a_registration_needs_an_email_or_a_phone_and_keeps_the_answers(client, event):
    response = _register(client, event, "Ержанов Даурен")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Ержанов Даурен"' in page
    assert 'class="alert alert-danger"' in page
    assert Participant.objects.count() == 0


def test_a_wrong_email_is_marked_and_the_name_stays(client, event):
    response = _register(client, event, "Ержанов Даурен", email="not-an-address")

    page = response.content.decode()
    assert 'value="Ержанов Даурен"' in page
    assert 'value="not-an-address"' in page
    assert "is-invalid" in page
    assert Participant.objects.count() == 0


def test_too_long_answers_are_refused(client, event):
    response = _register(client, event, "Я" * 201, email="long@example.kz")

    assert "is-invalid" in response.content.decode()
    assert Participant.objects.count() == 0


def test_a_phone_with_too_few_digits_is_refused(client, event):
    _register(client, event, "Ержанов Даурен", phone="12")

    assert Participant.objects.count() == 0


def test_registration_is_refused_when_it_is_closed(client, event):
    event.registration_open = False
    event.save()

    page = client.get(reverse("events:register", args=[event.public_token])).content.decode()
    _register(client, event, "Ержанов Даурен", email="dauren@example.kz")

    assert "data-refusal" in page
    assert 'name="full_name"' not in page
    assert Participant.objects.count() == 0


def test_registration_is_refused_after_the_event_has_started(client, event):
    event.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    event.save()

    response = _register(client, event, "Ержанов Даурен", email="dauren@example.kz")

    assert "data-refusal" in response.content.decode()
    assert Participant.objects.count() == 0


def test_a_registration_cannot_be_cancelled_after_the_event_has_started(client, event):
    person = ParticipantFactory(event=event, status=ParticipantStatus.REGISTERED)
    event.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    event.save()

    response = client.post(reverse("events:registration_cancel", args=[person.token]), {"confirm": "yes"})

    person.refresh_from_db()
    assert response.status_code == 200
    assert person.status == ParticipantStatus.REGISTERED


def test_an_unknown_registration_link_is_not_found(client, event):
    assert client.get(reverse("events:register", args=["nope"])).status_code == 404
    assert client.get(reverse("events:registration", args=["nope"])).status_code == 404
    assert (
        client.post(reverse("events:registration_cancel", args=["nope"]), {"confirm": "yes"}).status_code
        == 404
    )


def test_markup_in_a_registered_name_is_shown_as_text(client, event):
    response = _register(client, event, '<img src=x onerror="alert(1)">', email="x@example.kz")

    page = client.get(response["Location"]).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_the_event_title_with_markup_is_shown_as_text_on_the_public_page(client, event):
    event.title = "<script>alert(1)</script> Библионочь"
    event.save()

    page = client.get(reverse("events:register", args=[event.public_token])).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
