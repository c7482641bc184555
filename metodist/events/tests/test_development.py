"""Professional development: a person's trainings and hours, a subtree's figures by district, plan, XLSX."""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from metodist.core.testing.factories import StaffMemberFactory
from metodist.events import development
from metodist.events.models import EventFamily, EventStatus, ParticipantStatus
from metodist.events.tests.factories import EventFactory, ParticipantFactory
from metodist.network.models import QualificationRecord, TrainingKind

ALMATY = ZoneInfo("Asia/Almaty")


def _at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=ALMATY)


def _attend(event, person, *, attended=True, certificate_number=""):
    return ParticipantFactory(
        event=event,
        staff_member=person,
        full_name=person.full_name,
        unit=person.unit,
        status=ParticipantStatus.ACCEPTED,
        attended=attended,
        certificate_number=certificate_number,
    )


def _training(unit, title, when, *, hours, actual=None, status=EventStatus.HELD):
    return EventFactory(
        organiser_unit=unit,
        title=title,
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=3),
        status=status,
        hours=Decimal(hours),
        participants_actual=actual,
    )


@pytest.fixture
def year_2026(time_machine):
    time_machine.move_to(_at(2026, 6, 15, 12), tick=False)
    return 2026


@pytest.fixture
def data(net, year_2026):
    """Seven people in post (one more has left), five trainings and a public event.

    2026 at the region: A, B, C, E trained out of A, B, C, E, F, G, M (4 of 7); held trainings T1 (30
    participants, 6 h, method department) and T2 (8 participants, 2 h, Mukur); hours received 6 + 2 + 72 + 6.
    """
    staff = SimpleNamespace(
        a=StaffMemberFactory(unit=net.mukur, full_name="Ахметова Айгуль"),
        b=StaffMemberFactory(unit=net.mukur, full_name="Бейсенова Жанар"),
        c=StaffMemberFactory(unit=net.mukur_oc, full_name="Касымова Динара"),
        d=StaffMemberFactory(unit=net.mukur, full_name="Иванова Ольга", left_on=datetime.date(2025, 12, 31)),
        e=StaffMemberFactory(unit=net.kainar, full_name="Оспанова Сауле"),
        f=StaffMemberFactory(unit=net.beskaragay_lib, full_name="Петренко Елена"),
        g=StaffMemberFactory(unit=net.kanonerka, full_name="Попова Вера"),
        m=StaffMemberFactory(unit=net.method_dept, full_name="Мальцева Ольга"),
    )
    t1 = _training(net.method_dept, "Школа сельского библиотекаря", _at(2026, 3, 10), hours=6, actual=30)
    t2 = _training(net.mukur, "Практикум «Буктрейлер»", _at(2026, 4, 5), hours=2, actual=8)
    t3 = _training(
        net.beskaragay_lib, "Семинар «Летнее чтение»", _at(2026, 9, 10), hours=4, status=EventStatus.PLANNED
    )
    t4 = _training(net.kainar, "Методический день в Кайнаре", _at(2025, 11, 10), hours=3, actual=5)
    t5 = _training(net.mukur, "Отменённый семинар", _at(2026, 5, 1), hours=5, status=EventStatus.CANCELLED)
    public = EventFactory(
        organiser_unit=net.mukur,
        family=EventFamily.PUBLIC,
        title="Библионочь",
        starts_at=_at(2026, 4, 20, 18),
        status=EventStatus.HELD,
        participants_actual=60,
        hours=Decimal(3),
    )
    _attend(t1, staff.a)
    _attend(t1, staff.e)
    _attend(t1, staff.f, attended=False)
    _attend(t2, staff.b)
    _attend(t4, staff.e)
    _attend(t5, staff.c)
    _attend(public, staff.g)
    # B's attendance of T2 is already in her qualification record: it must not count twice.
    QualificationRecord.objects.create(
        staff_member=staff.b,
        title="Практикум «Буктрейлер»",
        kind=TrainingKind.WORKSHOP,
        started_on=datetime.date(2026, 4, 5),
        hours=2,
    )
    QualificationRecord.objects.create(
        staff_member=staff.c,
        title="Курсы повышения квалификации",
        kind=TrainingKind.COURSE,
        started_on=datetime.date(2026, 2, 1),
        ended_on=datetime.date(2026, 2, 12),
        hours=72,
    )
    QualificationRecord.objects.create(
        staff_member=staff.g,
        title="Курсы АБИС",
        kind=TrainingKind.COURSE,
        started_on=datetime.date(2025, 9, 12),
        hours=36,
    )
    return SimpleNamespace(staff=staff, t1=t1, t2=t2, t3=t3, t4=t4, t5=t5, public=public)


def _row(report, unit):
    return next(row for row in report.rows if row.unit == unit)


def test_the_region_figures_count_staff_trained_trainings_participants_and_hours(admin_user, net, data):
    report = development.unit_development(admin_user, unit=net.region, year=2026)

    total = report.total
    assert (total.staff, total.trained, total.share_percent) == (7, 4, 57)
    assert (total.trainings_held, total.participants) == (2, 38)
    assert total.training_hours == Decimal(8)
    assert total.staff_hours == Decimal(86)


def test_the_region_is_broken_down_by_district_in_sql_groups(admin_user, net, data):
    report = development.unit_development(admin_user, unit=net.region, year=2026)

    abay, beskaragay, regional = (
        _row(report, net.abay),
        _row(report, net.beskaragay),
        _row(report, net.regional),
    )
    assert report.depth == net.abay.depth
    assert {row.unit for row in report.rows} == {net.abay, net.beskaragay, net.regional}
    assert (abay.staff, abay.trained, abay.trainings_held, abay.participants) == (4, 4, 1, 8)
    assert abay.staff_hours == Decimal(86) and abay.training_hours == Decimal(2)
    assert (beskaragay.staff, beskaragay.trained, beskaragay.share_percent) == (2, 0, 0)
    assert (regional.staff, regional.trained, regional.trainings_held, regional.participants) == (1, 0, 1, 30)


def test_a_past_year_counts_its_own_trainings(admin_user, net, data):
    report = development.unit_development(admin_user, unit=net.region, year=2025)

    assert (report.total.trained, report.total.trainings_held, report.total.participants) == (2, 1, 5)
    assert report.total.staff_hours == Decimal(39)  # E's 3 hours at Kainar and G's 36-hour course


def test_a_person_has_attended_events_and_qualification_records_once_each(admin_user, data):
    b = development.person_development(admin_user, person=data.staff.b, year=2026)
    e = development.person_development(admin_user, person=data.staff.e, year=2026)
    c = development.person_development(admin_user, person=data.staff.c, year=2026)

    assert [line.title for line in b.lines] == ["Практикум «Буктрейлер»"]
    assert (b.trainings_year, b.hours_year) == (1, Decimal(2))
    assert [line.title for line in e.lines] == ["Школа сельского библиотекаря", "Методический день в Кайнаре"]
    assert (e.hours_year, e.hours_total, e.trainings_total) == (Decimal(6), Decimal(9), 2)
    assert [line.title for line in c.lines] == ["Курсы повышения квалификации"]  # the cancelled one is out


def test_a_record_with_the_certificate_number_of_the_participation_replaces_it(admin_user, data):
    _attend(data.t2, data.staff.a, certificate_number="ВКОУБ-17/2026")
    QualificationRecord.objects.create(
        staff_member=data.staff.a,
        title="Повышение квалификации (практикум)",
        kind=TrainingKind.WORKSHOP,
        started_on=datetime.date(2026, 4, 5),
        hours=2,
        certificate_number="ВКОУБ-17/2026",
    )

    report = development.person_development(admin_user, person=data.staff.a, year=2026)

    assert report.trainings_year == 2
    assert report.hours_year == Decimal(8)


def test_the_plan_lists_the_trainings_of_the_year_by_month(admin_user, net, data):
    plan = development.training_plan(admin_user, unit=net.region, year=2026)

    assert [(month.month.month, [e.title for e in month.events]) for month in plan] == [
        (3, ["Школа сельского библиотекаря"]),
        (4, ["Практикум «Буктрейлер»"]),
        (5, ["Отменённый семинар"]),
        (9, ["Семинар «Летнее чтение»"]),
    ]
    assert [month.planned for month in plan] == [0, 0, 0, 1]


def test_the_page_shows_the_figures_the_plan_and_the_people(client_for, admin_user, net, data):
    response = client_for(admin_user).get(reverse("events:development"), {"year": 2026})

    text = response.content.decode()
    assert response.status_code == 200
    assert response.context["unit"] == net.region
    assert response.context["report"].total.trained == 4
    assert "57%" in text
    assert "Семинар «Летнее чтение»" in text
    assert reverse("events:development_person", args=[data.staff.a.pk]) in text
    assert "Иванова Ольга" not in text  # she has left


def test_the_mukur_librarian_sees_only_her_library(client_for, librarian, net, data):
    client = client_for(librarian)

    response = client.get(reverse("events:development"))

    report = response.context["report"]
    assert response.context["unit"] == net.mukur
    assert (report.total.staff, report.total.trained, report.total.trainings_held) == (3, 3, 1)
    assert {row.unit for row in report.rows} == {net.mukur, net.mukur_oc}
    text = response.content.decode()
    assert "Оспанова Сауле" not in text and "Школа сельского библиотекаря" not in text
    assert client.get(reverse("events:development"), {"unit": net.kainar.pk}).status_code == 404
    assert client.get(reverse("events:development_export"), {"unit": net.abay.pk}).status_code == 404
    assert client.get(reverse("events:development_person", args=[data.staff.e.pk])).status_code == 404


def test_a_person_page_does_not_link_an_event_out_of_scope(client_for, librarian, data):
    response = client_for(librarian).get(reverse("events:development_person", args=[data.staff.a.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Школа сельского библиотекаря" in text  # her own training is part of her record
    assert data.t1.get_absolute_url() not in text  # but the event card is not hers to open


def test_a_person_page_shows_hours_this_year_and_in_all(client_for, methodist, admin_user, data):
    response = client_for(admin_user).get(reverse("events:development_person", args=[data.staff.e.pk]))

    report = response.context["report"]
    assert (report.hours_year, report.hours_total) == (Decimal(6), Decimal(9))
    assert data.t1.get_absolute_url() in response.content.decode()


def test_someone_without_a_role_is_refused(client_for, outsider):
    assert client_for(outsider).get(reverse("events:development")).status_code == 403


def test_an_impossible_year_shows_an_error_and_the_current_year(client_for, methodist, net, year_2026):
    response = client_for(methodist).get(reverse("events:development"), {"year": "3000"})

    assert response.status_code == 200
    assert response.context["year"] == 2026
    assert response.context["form"].errors["year"]
    assert response.context["unit"] == net.beskaragay


def test_the_xlsx_export_reads_back_with_the_same_figures(client_for, admin_user, net, data):
    response = client_for(admin_user).get(
        reverse("events:development_export"), {"unit": net.region.pk, "year": 2026}
    )

    assert response.status_code == 200
    assert "development-VKO-2026.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    summary, districts, plan, people = book.worksheets
    assert [c.value for c in summary[2]] == [net.region.name, 2026, 7, 4, 57, 2, 38, 8, 86]
    *parts, total = districts.iter_rows(min_row=2, values_only=True)
    rows = {row[0]: row[1:] for row in parts}
    assert rows[net.abay.name] == (4, 4, 100, 1, 8, 2, 86)
    assert rows[net.beskaragay.name] == (2, 0, 0, 0, 0, 0, 0)
    assert total[1:] == (7, 4, 57, 2, 38, 8, 86)
    plan_rows = list(plan.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2]) for r in plan_rows] == [
        (3, "Школа сельского библиотекаря"),
        (4, "Практикум «Буктрейлер»"),
        (5, "Отменённый семинар"),
        (9, "Семинар «Летнее чтение»"),
    ]
    assert plan_rows[0][1] == datetime.datetime(2026, 3, 10)
    people_rows = {r[0]: r[3:] for r in people.iter_rows(min_row=2, values_only=True)}
    assert people_rows["Касымова Динара"] == (1, 72)
    assert people_rows["Бейсенова Жанар"] == (1, 2)
    assert "Иванова Ольга" not in people_rows
