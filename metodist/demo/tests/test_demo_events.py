"""The demo holds the seed's library lesson exactly, the openings of 2013 and a year of events."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from metodist.demo.events_load import anchor_month, load_events
from metodist.events import development
from metodist.events.models import (
    Event,
    EventFamily,
    EventSection,
    EventStatus,
    FormOfWork,
    Handout,
    Participant,
)
from metodist.network.models import OrgUnit, QualificationRecord, StaffMember

ALMATY = ZoneInfo("Asia/Almaty")
SEED_TITLE = "Маркетинг и методическая помощь"


def _seed_event() -> Event:
    return Event.objects.select_related("form", "organiser_unit", "venue_unit").get(
        title=SEED_TITLE, starts_at__date=date(2013, 9, 20)
    )


def _counts() -> dict[str, int]:
    return {
        "events": Event.objects.count(),
        "sections": EventSection.objects.count(),
        "handouts": Handout.objects.count(),
        "participants": Participant.objects.count(),
        "forms": FormOfWork.objects.count(),
        "qualifications": QualificationRecord.objects.count(),
        "history": Event.history.count(),
    }


def test_the_seed_event_is_in_the_demo_with_its_exact_figures(demo):
    event = _seed_event()

    assert timezone.localtime(event.starts_at).date() == date(2013, 9, 20)
    assert event.organiser_unit.code == "VKOUB" and event.venue_unit.code == "VKOUB"
    assert event.form.code == "library_lesson"
    assert (event.family, event.status) == (EventFamily.TRAINING, EventStatus.HELD)
    assert event.audience == "специалисты ВКО универсальной библиотеки имени Абая"
    assert (event.participants_planned, event.participants_actual) == (36, 36)
    assert event.goal == (
        "групповая консультация о методике проведения методической помощи и новых форм массовой работы"
    )
    assert event.expected_result == "повышение квалификации библиотечных работников"
    assert event.hours == 2
    assert list(event.handouts.values_list("title", flat=True)) == [
        "буклет «Новые формы массовой работы в библиотеках»"
    ]


def test_the_seed_speakers_are_linked_to_their_staff_rows(demo):
    sections = list(_seed_event().sections.select_related("speaker_staff__unit"))

    assert [(s.speaker, s.speaker_position, s.topic) for s in sections] == [
        (
            "Мальцева О.",
            "методист методического отдела",
            "Определение вопросов методической помощи специалистами библиотеки для сельских библиотек",
        ),
        (
            "Адикаева Р.",
            "зав. отделом маркетинга и социально-культурных проектов",
            "Маркетинговая деятельность в библиотеке",
        ),
    ]
    assert [(s.speaker_staff.full_name, s.speaker_staff.unit.code) for s in sections] == [
        ("Мальцева Ольга Николаевна", "VKOUB-MO"),
        ("Адикаева Роза Мухтаровна", "VKOUB-MSKP"),
    ]
    assert "Каскабулак" in sections[0].summary
    assert "двуединый и взаимодополняющий подход" in sections[1].summary


def test_the_online_centres_opened_in_2013_with_their_events(demo):
    openings = Event.objects.filter(family=EventFamily.OPENING).select_related("venue_unit")

    assert {event.venue_unit.code for event in openings} == {"BSK-OC", "KAN-OC", "MUK-OC", "KAI-OC"}
    assert all(timezone.localtime(e.starts_at).date() == e.venue_unit.opened_on for e in openings)
    visited = Event.objects.filter(
        family=EventFamily.TRAINING, starts_at__year=2013, organiser_unit__code="VKOUB-MO"
    ).values_list("venue_unit__code", flat=True)
    assert set(visited) == {"MUK-LIB", "KAI-LIB", "KAS-LIB"}


def test_running_the_demo_twice_adds_no_event(demo):
    before = _counts()

    call_command("demo", "--quiet")

    assert _counts() == before
    assert before["events"] > 80


def test_the_year_of_events_spreads_over_units_and_months(demo):
    anchor = anchor_month()
    recent = Event.objects.filter(starts_at__year__gt=2013)
    months = {timezone.localtime(e.starts_at).strftime("%Y-%m") for e in recent}

    assert recent.values("organiser_unit").distinct().count() >= 10
    assert len(months) >= 10
    assert recent.filter(status=EventStatus.PLANNED, starts_at__gte=_start(anchor)).exists()
    assert not recent.filter(status=EventStatus.PLANNED, starts_at__lt=_start(anchor)).exists()
    assert recent.filter(family=EventFamily.PUBLIC, title="Абай оқулары").exists()
    assert set(recent.values_list("family", flat=True)) == {EventFamily.TRAINING, EventFamily.PUBLIC}


def _start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ALMATY)


def test_held_trainings_have_staff_with_attendance_marks(demo):
    held = Participant.objects.filter(
        event__family=EventFamily.TRAINING, event__status=EventStatus.HELD, event__starts_at__year__gt=2013
    )

    assert held.filter(attended=True).count() > 50
    assert held.filter(attended=False).exists()
    assert not held.filter(staff_member__isnull=True).exists()
    trainings = Event.objects.filter(
        family=EventFamily.TRAINING,
        status=EventStatus.HELD,
        participants_actual_manual=False,
        starts_at__year__gt=2013,
    )
    assert all(e.participants_actual == e.participants.filter(attended=True).count() for e in trainings)


def test_a_later_month_adds_only_that_months_events(demo):
    anchor = anchor_month()
    before = set(Event.objects.values_list("title", "starts_at", "organiser_unit_id"))
    following = date(anchor.year + anchor.month // 12, anchor.month % 12 + 1, 1)
    new_month = date(following.year + following.month // 12, following.month % 12 + 1, 1)

    load_events(anchor=following)

    after = set(Event.objects.values_list("title", "starts_at", "organiser_unit_id"))
    added = after - before
    assert before <= after
    assert added
    assert {timezone.localtime(start).date().replace(day=1) for _, start, _ in added} == {new_month}


def test_the_demo_shows_professional_development_figures(demo):
    admin = get_user_model().objects.get(username="admin")
    region = OrgUnit.objects.get(code="VKO")
    maltseva = StaffMember.objects.get(full_name="Мальцева Ольга Николаевна")

    # The year of the last month before the anchor has held trainings even in January.
    last_month = anchor_month() - timedelta(days=1)
    report = development.unit_development(admin, unit=region, year=last_month.year)
    person = development.person_development(admin, person=maltseva, year=2013)

    assert report.total.trained > 0 and report.total.trainings_held > 0
    # The lesson is in her qualification record and on the attendance list: counted once.
    assert [line.title for line in person.lines].count(
        "Библиотечный урок «Маркетинг и методическая помощь»"
    ) == 1
    assert not [line for line in person.lines if line.title == SEED_TITLE]
