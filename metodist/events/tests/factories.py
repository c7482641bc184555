"""factory_boy factories for the events part; other test files of the app import them by these names.

event = EventFactory(organiser_unit=net.mukur)              # a planned training held in its organiser
SectionFactory(event=event, speaker="О. Мальцева")          # a section of the programme
ParticipantFactory(event=event, attended=True)              # an invitee
"""

import datetime

import factory
from django.utils import timezone

from metodist.core.testing.factories import add_unit
from metodist.events.models import (
    Event,
    EventFamily,
    EventSection,
    EventStatus,
    FormOfWork,
    Handout,
    Participant,
    ParticipantStatus,
)


class FormOfWorkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormOfWork
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"form-{n}")
    name_ru = factory.Sequence(lambda n: f"Форма работы {n}")
    name_kk = factory.Sequence(lambda n: f"Жұмыс түрі {n}")
    name_en = factory.Sequence(lambda n: f"Form of work {n}")
    family = EventFamily.PUBLIC


class EventFactory(factory.django.DjangoModelFactory):
    """An event organised by and held in `organiser_unit` (pass a unit; planned, a week from now)."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Семинар {n}")
    # Tests normally pass a unit of the `net` fixture; the default is a fresh root so the factory never fails.
    organiser_unit = factory.LazyFunction(lambda: add_unit(None))
    family = EventFamily.TRAINING
    status = EventStatus.PLANNED
    starts_at = factory.LazyFunction(
        lambda: (
            timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) + datetime.timedelta(days=7)
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    venue_unit = factory.SelfAttribute("organiser_unit")
    audience = "сельские библиотекари"
    participants_planned = 20
    goal = "Повысить профессиональную компетентность библиотекарей."
    expected_result = "Библиотекари применят новые формы работы."


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventSection

    event = factory.SubFactory(EventFactory)
    order = factory.Sequence(lambda n: n)
    speaker = factory.Sequence(lambda n: f"Докладчик {n}")
    speaker_position = "методист"
    topic = factory.Sequence(lambda n: f"Тема доклада {n}")


class HandoutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Handout

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Буклет {n}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    event = factory.SubFactory(EventFactory)
    full_name = factory.Sequence(lambda n: f"Участник {n}")
    email = factory.Sequence(lambda n: f"participant{n}@example.kz")
    contact_key = factory.LazyAttribute(lambda o: o.email.lower() if o.email else "")
    status = ParticipantStatus.INVITED


def event_form_data(*, organiser, venue=None, sections=(), handouts=(), **fields) -> dict:
    """What the event form posts: the card, the programme rows and the handout rows (titles only)."""
    data = {
        "title": "Библиотечный урок",
        "family": EventFamily.TRAINING,
        "status": EventStatus.PLANNED,
        "starts_at": "2024-09-20T10:00",
        "ends_at": "2024-09-20T13:00",
        "organiser_unit": organiser.pk,
        "venue_unit": (venue or organiser).pk,
        "venue_text": "",
        "room": "",
        "audience": "специалисты библиотек",
        "participants_planned": "36",
        "participants_actual": "",
        "goal": "Повысить профессиональную компетентность.",
        "expected_result": "Новые формы работы в практике библиотек.",
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": "0",
        "handouts-TOTAL_FORMS": str(len(handouts)),
        "handouts-INITIAL_FORMS": "0",
    }
    for index, section in enumerate(sections):
        for name, value in section.items():
            data[f"sections-{index}-{name}"] = value
    for index, title in enumerate(handouts):
        data[f"handouts-{index}-title"] = title
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}
