"""Copying an event as the template of the next one: the plan and the programme, not what happened."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from metodist.events import services
from metodist.events.models import Event, EventStatus, Handout
from metodist.events.tests.factories import EventFactory, ParticipantFactory, SectionFactory
from metodist.network.models import StaffMember


@pytest.fixture
def held(net):
    event = EventFactory(
        title="Школа сельского библиотекаря",
        organiser_unit=net.mukur,
        status=EventStatus.HELD,
        participants_actual=21,
        outcome="Прошло хорошо.",
        assessment="Цель достигнута.",
        report_ru="Опубликованный отчёт.",
        hours=6,
    )
    SectionFactory(event=event, order=0, speaker="О. Мальцева", topic="Первая тема")
    SectionFactory(event=event, order=1, speaker="Р. Адикаева", topic="Вторая тема")
    Handout.objects.create(event=event, title="Буклет")
    ParticipantFactory(event=event, attended=True)
    event.responsible.add(
        StaffMember.objects.create(unit=net.mukur, full_name="А. Серикова", position="зав.")
    )
    return event


def test_copying_through_the_card_opens_the_edit_page_of_a_planned_copy(client_for, librarian, held):
    response = client_for(librarian).post(reverse("events:event_copy", args=[held.pk]))

    copy = Event.objects.exclude(pk=held.pk).get()
    assert response.status_code == 302
    assert response.url == reverse("events:event_edit", args=[copy.pk])
    assert copy.copied_from == held
    assert copy.status == EventStatus.PLANNED
    assert copy.title == held.title
    assert copy.goal == held.goal
    assert copy.hours == held.hours
    assert copy.created_by == librarian


def test_the_copy_takes_the_programme_handouts_and_responsible_but_not_the_outcome(librarian, held):
    copy = services.event_copy(user=librarian, event=held)

    assert [(s.order, s.speaker, s.topic) for s in copy.sections.all()] == [
        (0, "О. Мальцева", "Первая тема"),
        (1, "Р. Адикаева", "Вторая тема"),
    ]
    assert [h.title for h in copy.handouts.all()] == ["Буклет"]
    assert [p.full_name for p in copy.responsible.all()] == ["А. Серикова"]
    assert copy.participants_actual is None
    assert copy.outcome == copy.assessment == copy.report_ru == ""
    assert copy.participants.count() == 0
    assert copy.public_token != held.public_token
    assert held.sections.count() == 2  # the original keeps its programme


def test_copying_an_event_one_may_not_manage_is_refused(methodist, held):
    with pytest.raises(PermissionDenied):
        services.event_copy(user=methodist, event=held)
    assert Event.objects.count() == 1


def test_copy_answers_only_to_post(client_for, librarian, held):
    response = client_for(librarian).get(reverse("events:event_copy", args=[held.pk]))

    assert response.status_code == 405
    assert Event.objects.count() == 1
