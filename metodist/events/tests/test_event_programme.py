"""The programme through the services: a section added, changed, moved up or down, removed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from metodist.events import services
from metodist.events.tests.factories import EventFactory, SectionFactory


@pytest.fixture
def event(net):
    event = EventFactory(organiser_unit=net.mukur)
    for order, topic in enumerate(("Первая", "Вторая", "Третья")):
        SectionFactory(event=event, order=order, topic=topic)
    return event


def _topics(event) -> list[str]:
    return list(event.sections.values_list("topic", flat=True))


def test_a_section_is_added_at_the_end(librarian, event):
    services.section_add(user=librarian, event=event, data={"speaker": "О. Мальцева", "topic": "Четвёртая"})

    assert _topics(event) == ["Первая", "Вторая", "Третья", "Четвёртая"]


def test_a_section_without_a_topic_is_refused(librarian, event):
    with pytest.raises(ValidationError) as error:
        services.section_add(user=librarian, event=event, data={"speaker": "О. Мальцева", "topic": ""})

    assert "topic" in error.value.message_dict
    assert event.sections.count() == 3


def test_a_section_moves_up_and_down_and_stays_at_the_ends(librarian, event):
    third = event.sections.get(topic="Третья")
    first = event.sections.get(topic="Первая")

    services.section_move(user=librarian, section=third, offset=-1)
    after_up = _topics(event)
    services.section_move(user=librarian, section=first, offset=-1)
    after_top = _topics(event)
    services.section_move(user=librarian, section=first, offset=1)

    assert after_up == ["Первая", "Третья", "Вторая"]
    assert after_top == after_up
    assert _topics(event) == ["Третья", "Первая", "Вторая"]


def test_removing_a_section_renumbers_the_rest(librarian, event):
    services.section_delete(user=librarian, section=event.sections.get(topic="Вторая"))

    assert list(event.sections.values_list("order", "topic")) == [(0, "Первая"), (1, "Третья")]


def test_a_section_is_changed(librarian, event):
    section = event.sections.get(topic="Вторая")

    services.section_update(
        user=librarian, section=section, data={"speaker": "Р. Адикаева", "summary": "Опыт"}
    )

    section.refresh_from_db()
    assert (section.speaker, section.summary, section.topic) == ("Р. Адикаева", "Опыт", "Вторая")


def test_someone_else_cannot_touch_the_programme(methodist, event):
    section = event.sections.first()

    with pytest.raises(PermissionDenied):
        services.section_add(user=methodist, event=event, data={"topic": "Чужая"})
    with pytest.raises(PermissionDenied):
        services.section_delete(user=methodist, section=section)
    with pytest.raises(PermissionDenied):
        services.section_move(user=methodist, section=section, offset=1)
    assert _topics(event) == ["Первая", "Вторая", "Третья"]


def test_a_refused_programme_leaves_the_event_unchanged(librarian, event):
    with pytest.raises(ValidationError) as error:
        services.event_update(
            user=librarian,
            event=event,
            data={"title": "Новое название"},
            sections=[{"topic": "Годная"}, {"speaker": "Без темы", "topic": ""}],
        )

    event.refresh_from_db()
    assert "sections.1.topic" in error.value.message_dict
    assert event.title != "Новое название"
    assert _topics(event) == ["Первая", "Вторая", "Третья"]
