"""Certificates of participation: numbered once, one landscape page per attendee of a training, and the
training written once into the qualification record of attendees who are staff of the network."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from metodist.events.documents.certificates import certificates_issue, certificates_pdf, training_kind
from metodist.events.models import EventFamily, Participant, ParticipantStatus
from metodist.events.tests.test_report_generation import at, build_seed_event, make_event
from metodist.network.models import QualificationRecord, StaffMember, TrainingKind


@pytest.fixture
def seed_event(net):
    return build_seed_event(net)


@pytest.fixture
def staff(net):
    return StaffMember.objects.create(unit=net.mukur, full_name="Серікқызы Жанар", position="библиотекарь")


def attend(event, name, staff_member=None, attended=True):
    return Participant.objects.create(
        event=event,
        full_name=name,
        staff_member=staff_member,
        status=ParticipantStatus.ACCEPTED,
        attended=attended,
    )


def url(event):
    return reverse("events:certificates_pdf", args=[event.pk])


def test_each_attendee_gets_a_landscape_page_with_name_number_and_both_languages(
    client_for, admin_user, seed_event, staff
):
    attend(seed_event, "Мальцева Ольга Петровна")
    attend(seed_event, "Серікқызы Жанар", staff)
    attend(seed_event, "Не Пришедший", attended=False)

    response = client_for(admin_user).get(url(seed_event))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    first, second = (page.extract_text() for page in reader.pages)
    box = reader.pages[0].mediabox
    assert box.width > box.height
    assert "Мальцева Ольга Петровна" in first and "№ 2013-0001" in first
    assert "Серікқызы Жанар" in second and "№ 2013-0002" in second
    assert "Не Пришедший" not in first + second
    assert "кітапханалық сабаққа қатысқаны үшін берілді" in first
    assert "за участие в библиотечном уроке «Маркетинг и методическая помощь»" in first
    assert "2013 жылғы 20 қыркүйек" in first
    assert "20 сентября 2013 года" in first
    assert "3 академических часа" in first
    assert "ВКО универсальная библиотека имени Абая" in first


def test_numbers_are_given_once_and_kept_on_reprint(admin_user, seed_event):
    late = attend(seed_event, "Яковлева Анна")
    first = attend(seed_event, "Абенова Гульнар")

    certificates_issue(user=admin_user, event=seed_event)
    late.refresh_from_db()
    first.refresh_from_db()
    newcomer = attend(seed_event, "Бекова Алия")
    certificates_issue(user=admin_user, event=seed_event)

    assert (first.certificate_number, late.certificate_number) == ("2013-0001", "2013-0002")
    late.refresh_from_db()
    first.refresh_from_db()
    newcomer.refresh_from_db()
    assert (first.certificate_number, late.certificate_number) == ("2013-0001", "2013-0002")
    assert newcomer.certificate_number == "2013-0003"


def test_numbering_runs_through_the_year_across_events(admin_user, net, seed_event):
    attend(seed_event, "Абенова Гульнар")
    certificates_issue(user=admin_user, event=seed_event)
    later = make_event(net, title="Семинар", organiser_unit=net.regional, starts_at=at(2013, 11, 5))
    other_year = make_event(net, title="Семинар", organiser_unit=net.regional, starts_at=at(2014, 2, 5))
    attend(later, "Бекова Алия")
    attend(other_year, "Бекова Алия")

    assert certificates_issue(user=admin_user, event=later)[0].certificate_number == "2013-0002"
    assert certificates_issue(user=admin_user, event=other_year)[0].certificate_number == "2014-0001"


def test_attending_a_training_adds_it_to_the_qualification_record_once(admin_user, seed_event, staff):
    attend(seed_event, "Серікқызы Жанар", staff)
    attend(seed_event, "Гость Без Карточки")

    certificates_issue(user=admin_user, event=seed_event)
    certificates_issue(user=admin_user, event=seed_event)

    records = list(QualificationRecord.objects.all())
    assert len(records) == 1
    record = records[0]
    assert record.staff_member == staff
    assert record.title == "Маркетинг и методическая помощь"
    assert record.kind == TrainingKind.LIBRARY_LESSON
    assert record.hours == 3
    assert str(record.started_on) == "2013-09-20"
    assert record.certificate_number == "2013-0002"  # after "Гость Без Карточки" in the order of names
    assert record.provider == "ВКО универсальная библиотека имени Абая"


def test_half_hours_are_rounded_to_whole_hours_in_the_record(admin_user, net, staff):
    event = make_event(net, organiser_unit=net.regional, hours=Decimal("1.5"))
    attend(event, "Серікқызы Жанар", staff)

    certificates_issue(user=admin_user, event=event)

    assert QualificationRecord.objects.get().hours == 2
    text = PdfReader(io.BytesIO(certificates_pdf(event=event, attendees=list(event.participants.all()))))
    assert "1,5 академического часа" in text.pages[0].extract_text()


def test_certificates_are_only_for_trainings(client_for, admin_user, net):
    event = make_event(net, organiser_unit=net.regional, family=EventFamily.PUBLIC)
    attend(event, "Читатель Библиотеки")

    with pytest.raises(ValidationError):
        certificates_issue(user=admin_user, event=event)
    response = client_for(admin_user).get(url(event))

    assert response.status_code == 302
    assert Participant.objects.get().certificate_number == ""


def test_no_attendees_is_a_clear_refusal(admin_user, seed_event):
    attend(seed_event, "Не Пришедший", attended=False)

    with pytest.raises(ValidationError):
        certificates_issue(user=admin_user, event=seed_event)


def test_the_service_refuses_a_user_who_cannot_manage_the_event(librarian, net):
    event = make_event(net, organiser_unit=net.regional, venue_unit=net.mukur)
    attend(event, "Абенова Гульнар")

    with pytest.raises(PermissionDenied):
        certificates_issue(user=librarian, event=event)
    assert Participant.objects.get().certificate_number == ""


def test_the_page_is_not_found_for_a_viewer_or_outsider(client_for, librarian, outsider, net):
    event = make_event(net, organiser_unit=net.regional, venue_unit=net.mukur)
    attend(event, "Абенова Гульнар")

    assert client_for(librarian).get(url(event)).status_code == 404
    assert client_for(outsider).get(url(event)).status_code == 404
    assert Participant.objects.get().certificate_number == ""


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [
        ("library_lesson", "Библиотечный урок", TrainingKind.LIBRARY_LESSON),
        ("seminar-practicum", "Семинар-практикум", TrainingKind.WORKSHOP),
        ("rural-school", "Школа сельского библиотекаря", TrainingKind.RURAL_SCHOOL),
        ("method-day", "День методиста", TrainingKind.METHODOLOGICAL_DAY),
        ("other", "Круглый стол", TrainingKind.SEMINAR),
    ],
)
def test_the_kind_of_training_follows_the_form_of_work(net, code, name, kind):
    from metodist.events.models import FormOfWork

    event = make_event(net, form=FormOfWork.objects.create(code=code, name_ru=name))

    assert training_kind(event) == kind
