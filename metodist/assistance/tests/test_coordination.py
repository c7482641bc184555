"""Coordination with libraries of other departments: who sees and changes agreements, the status of an
agreement, the joint activity counted for a partner, the agreement form and the XLSX export."""

import datetime
import io
from types import SimpleNamespace

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from metodist.accounts.models import RoleKind
from metodist.assistance import coordination
from metodist.assistance.models import Consultation, CoordinationAgreement, FieldVisit, VisitStatus
from metodist.core.testing.factories import RoleFactory, UserFactory, add_unit
from metodist.events.models import Event, EventStatus, Participant, ParticipantStatus
from metodist.network.models import FoundingDepartment, LibraryType, OrgUnit, UnitKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
YEAR = 2025
TODAY = datetime.date(2025, 6, 2)


@pytest.fixture
def partners(net):
    """A college library in Semey, a school library in Abay district; Kainar is a library of culture."""
    OrgUnit.objects.filter(pk=net.regional.pk).update(library_type=LibraryType.REGIONAL)
    OrgUnit.objects.filter(pk=net.kainar.pk).update(founding_department=FoundingDepartment.CULTURE)
    net.kainar.refresh_from_db()
    semey = add_unit(net.region, code="SEM", name_ru="город Семей", kind=UnitKind.CITY)
    college = add_unit(
        semey,
        code="SEM-PED",
        name_ru="Библиотека Семейского педагогического колледжа",
        kind=UnitKind.COLLEGE_LIBRARY,
        founding_department=FoundingDepartment.EDUCATION,
    )
    school = add_unit(
        net.abay,
        code="MUK-SCH",
        name_ru="Библиотека Мукурской средней школы",
        kind=UnitKind.SCHOOL_LIBRARY,
        founding_department=FoundingDepartment.EDUCATION,
    )
    net.regional.refresh_from_db()
    return SimpleNamespace(semey=semey, college=college, school=school)


@pytest.fixture
def college_librarian(partners):
    user = UserFactory(username="college")
    RoleFactory(user=user, unit=partners.college, kind=RoleKind.LIBRARIAN)
    return user


def agree(net, partner, *, number="14", valid_from=datetime.date(2025, 2, 12), valid_to=None, **fields):
    return CoordinationAgreement.objects.create(
        owner_unit=fields.pop("owner_unit", net.regional),
        partner_unit=partner,
        number=number,
        signed_on=valid_from,
        valid_from=valid_from,
        valid_to=valid_to,
        subject="Совместные библиотечные уроки и доступ к электронным ресурсам",
        **fields,
    )


@pytest.fixture
def agreement(net, partners):
    return agree(net, partners.college, valid_to=datetime.date(2028, 2, 11))


# --- scope ----------------------------------------------------------------------------------------------


def test_an_outsider_gets_404_for_the_agreement_and_its_file(agreement, outsider, client_for):
    agreement.file.save("dogovor.pdf", SimpleUploadedFile("dogovor.pdf", PDF))
    client = client_for(outsider)
    for name in ("agreement_detail", "agreement_file", "agreement_edit", "agreement_delete"):
        assert client.get(reverse(f"assistance:{name}", args=[agreement.pk])).status_code == 404
    assert client.get(reverse("assistance:coordination")).status_code == 403


def test_a_methodologist_of_another_district_neither_sees_nor_lists_it(agreement, methodist, client_for):
    client = client_for(methodist)
    assert client.get(reverse("assistance:agreement_detail", args=[agreement.pk])).status_code == 404
    listed = client.get(reverse("assistance:coordination"))
    assert listed.status_code == 200
    assert "Семейского педагогического колледжа" not in listed.text
    assert not coordination.agreements_visible(methodist).exists()


def test_the_partner_librarian_reads_her_agreement_but_cannot_change_it(
    agreement, college_librarian, client_for
):
    agreement.file.save("dogovor.pdf", SimpleUploadedFile("dogovor.pdf", PDF))
    client = client_for(college_librarian)
    card = client.get(reverse("assistance:agreement_detail", args=[agreement.pk]))
    assert card.status_code == 200
    assert "Совместные библиотечные уроки" in card.text
    assert reverse("assistance:agreement_edit", args=[agreement.pk]) not in card.text
    download = client.get(reverse("assistance:agreement_file", args=[agreement.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    edit = reverse("assistance:agreement_edit", args=[agreement.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"number": "15"}).status_code == 404
    delete = reverse("assistance:agreement_delete", args=[agreement.pk])
    assert client.post(delete).status_code == 404
    assert client.get(reverse("assistance:agreement_create")).status_code == 403
    agreement.refresh_from_db()
    assert agreement.number == "14"
    with pytest.raises(PermissionDenied):
        coordination.agreement_update(user=college_librarian, agreement=agreement, data={"number": "15"})


def test_the_partner_librarian_sees_only_her_library_in_the_list(
    agreement, partners, college_librarian, client_for
):
    page = client_for(college_librarian).get(reverse("assistance:coordination"))
    assert "Семейского педагогического колледжа" in page.text
    assert "Мукурской средней школы" not in page.text
    assert "Мукурская сельская библиотека" not in page.text


def test_the_mukur_librarian_does_not_see_an_agreement_with_the_college(agreement, librarian, client_for):
    client = client_for(librarian)
    assert client.get(reverse("assistance:agreement_detail", args=[agreement.pk])).status_code == 404


def test_a_district_methodologist_may_not_sign_for_the_regional_library(net, partners, methodist):
    with pytest.raises(PermissionDenied):
        coordination.agreement_create(
            user=methodist,
            data={
                "owner_unit": net.regional,
                "partner_unit": partners.college,
                "number": "1",
                "signed_on": TODAY,
                "valid_from": TODAY,
                "subject": "Сотрудничество",
            },
        )
    assert not CoordinationAgreement.objects.exists()


# --- status and expiry ----------------------------------------------------------------------------------


def _status_of(user, unit, today):
    return coordination.partner_libraries(user, year=today.year, today=today).get(pk=unit.pk).status


def test_an_agreement_ending_within_60_days_is_expiring_and_on_the_61st_day_valid(net, partners, admin_user):
    agreement = agree(net, partners.college, valid_to=TODAY + datetime.timedelta(days=60))
    assert coordination.agreement_status(agreement, TODAY) == "expiring"
    assert _status_of(admin_user, partners.college, TODAY) == "expiring"
    assert list(coordination.expiring_agreements(admin_user, today=TODAY)) == [agreement]
    day_before = TODAY - datetime.timedelta(days=1)
    assert coordination.agreement_status(agreement, day_before) == "valid"
    assert _status_of(admin_user, partners.college, day_before) == "valid"
    assert not coordination.expiring_agreements(admin_user, today=day_before).exists()


def test_the_last_day_of_the_term_is_still_expiring_and_the_next_day_expired(net, partners, admin_user):
    agreement = agree(net, partners.college, valid_to=TODAY)
    assert _status_of(admin_user, partners.college, TODAY) == "expiring"
    next_day = TODAY + datetime.timedelta(days=1)
    assert coordination.agreement_status(agreement, next_day) == "expired"
    assert _status_of(admin_user, partners.college, next_day) == "expired"
    assert not coordination.expiring_agreements(admin_user, today=next_day).exists()


def test_future_and_open_ended_agreements_and_libraries_without_one(net, partners, admin_user):
    agree(net, partners.college, valid_from=TODAY + datetime.timedelta(days=10))
    agree(net, partners.school, valid_from=datetime.date(2024, 9, 1), valid_to=None, number="3")
    rows = {
        u.code: u.status
        for u in coordination.partner_libraries(admin_user, year=YEAR, today=TODAY).filter(
            code__in=["SEM-PED", "MUK-SCH"]
        )
    }
    assert rows == {"SEM-PED": "future", "MUK-SCH": "valid"}
    CoordinationAgreement.objects.all().delete()
    assert _status_of(admin_user, partners.college, TODAY) == "none"


def test_a_renewed_agreement_is_not_reported_as_expiring(net, partners, admin_user):
    old = agree(net, partners.college, number="5", valid_from=datetime.date(2022, 6, 1), valid_to=TODAY)
    assert list(coordination.expiring_agreements(admin_user, today=TODAY)) == [old]
    new = agree(net, partners.college, number="14", valid_from=TODAY + datetime.timedelta(days=1))
    assert not coordination.expiring_agreements(admin_user, today=TODAY).exists()
    assert coordination.agreement_status(old, TODAY) == "valid"
    row = coordination.attach_agreements(
        coordination.partner_libraries(admin_user, year=YEAR, today=TODAY).filter(pk=partners.college.pk)
    )[0]
    assert (row.status, row.agreement) == ("valid", old)
    assert coordination.agreement_status(new, TODAY) == "future"


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC))
def test_the_home_piece_lists_expiring_agreements_for_both_sides(
    net, partners, admin_user, college_librarian, methodist, client_for
):
    agree(net, partners.college, number="9", valid_to=datetime.date(2025, 7, 1))
    agree(net, partners.school, number="3", valid_to=datetime.date(2025, 12, 31))
    url = reverse("assistance:agreement_expiring")
    for user in (admin_user, college_librarian):
        piece = client_for(user).get(url)
        assert "Семейского педагогического колледжа" in piece.text
        assert "Мукурской средней школы" not in piece.text
        assert reverse(
            "assistance:agreement_detail", args=[CoordinationAgreement.objects.get(number="9").pk]
        ) in (piece.text)
    assert client_for(methodist).get(url).content == b""


def test_the_home_piece_loads_itself_when_included():
    from django.template.loader import render_to_string

    html = render_to_string("assistance/_home_agreements.html", {})
    assert f'hx-get="{reverse("assistance:agreement_expiring")}"' in html


# --- joint activity -------------------------------------------------------------------------------------


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(11), tzinfo=timezone.get_default_timezone())


def _event(net, title, day, *, venue, status=EventStatus.HELD):
    return Event.objects.create(
        title=title, starts_at=_at(day), organiser_unit=net.regional, venue_unit=venue, status=status
    )


def _participant(event, unit, name):
    return Participant.objects.create(
        event=event, unit=unit, full_name=name, status=ParticipantStatus.REGISTERED, attended=True
    )


@pytest.fixture
def joint(net, partners, admin_user):
    """Records with the college in 2025 (and a few that must not count) and one with the school."""
    college = partners.college
    held_there = _event(net, "Библиотечный урок в колледже", datetime.date(2025, 3, 5), venue=college)
    # Two people of the college at an event in Mukur: one event, not two.
    with_people = _event(
        net, "Семинар «Информационная грамотность»", datetime.date(2025, 4, 9), venue=net.mukur
    )
    _participant(with_people, college, "Ахметова Жанар")
    _participant(with_people, college, "Иванова Ольга")
    both = _event(net, "Литературный вечер к юбилею Ауэзова", datetime.date(2025, 9, 28), venue=college)
    _participant(both, college, "Серикова Айгуль")
    _event(net, "Отменённая встреча", datetime.date(2025, 5, 1), venue=college, status=EventStatus.CANCELLED)
    earlier = _event(net, "Урок прошлого года", datetime.date(2024, 10, 2), venue=college)
    _event(net, "Урок в школе", datetime.date(2025, 3, 6), venue=partners.school)

    def consult(day, topic, to_unit=college):
        return Consultation.objects.create(
            date=day, consultant=admin_user, consultant_unit=net.method_dept, to_unit=to_unit, topic=topic
        )

    consultations = [
        consult(datetime.date(2025, 2, 20), "Доступ к базам данных"),
        consult(datetime.date(2025, 10, 5), "Справочный аппарат библиотеки колледжа"),
    ]
    consult(datetime.date(2024, 12, 30), "Списание литературы")

    def visit(day, status=VisitStatus.DONE, destinations=(college,)):
        v = FieldVisit.objects.create(
            start=day, end=day, organiser_unit=net.method_dept, purpose=f"Выезд {day:%d.%m.%Y}", status=status
        )
        v.destinations.set(destinations)
        return v

    visits = [visit(datetime.date(2025, 9, 18), destinations=(college, net.mukur))]
    visit(datetime.date(2025, 11, 3), status=VisitStatus.CANCELLED)
    return SimpleNamespace(
        events=[held_there, with_people, both],
        earlier=earlier,
        consultations=consultations,
        visits=visits,
    )


def test_the_counts_of_joint_activity_equal_the_records_of_the_year(partners, joint, admin_user):
    rows = {u.code: u for u in coordination.partner_libraries(admin_user, year=YEAR, today=TODAY)}
    college = rows["SEM-PED"]
    assert (college.events, college.consultations, college.visits) == (
        len(joint.events),
        len(joint.consultations),
        len(joint.visits),
    )
    assert (college.events, college.consultations, college.visits) == (3, 2, 1)
    assert (rows["MUK-SCH"].events, rows["MUK-SCH"].consultations, rows["MUK-SCH"].visits) == (1, 0, 0)
    earlier = coordination.partner_libraries(admin_user, year=2024, today=TODAY).get(code="SEM-PED")
    assert (earlier.events, earlier.consultations, earlier.visits) == (1, 1, 0)


def test_the_counts_follow_the_scope_of_the_reader(partners, joint, college_librarian):
    # The seminar in Mukur is organised and held outside her scope: she does not see it, nor counts it.
    row = coordination.partner_libraries(college_librarian, year=YEAR, today=TODAY).get()
    assert (row.events, row.consultations, row.visits) == (2, 2, 1)


def test_the_list_is_counted_in_a_fixed_number_of_queries(
    net, partners, joint, admin_user, django_assert_max_num_queries
):
    for index in range(6):
        add_unit(
            partners.semey,
            code=f"SEM-C{index}",
            name_ru=f"Библиотека колледжа № {index}",
            kind=UnitKind.COLLEGE_LIBRARY,
            founding_department=FoundingDepartment.EDUCATION,
        )
    with django_assert_max_num_queries(3):
        rows = coordination.attach_agreements(
            coordination.partner_libraries(admin_user, year=YEAR, today=TODAY)
        )
    assert len(rows) == 8


def test_the_card_lists_the_joint_activity_of_the_term_with_links(
    net, partners, joint, admin_user, client_for
):
    agreement = agree(
        net, partners.college, valid_from=datetime.date(2025, 1, 1), valid_to=datetime.date(2025, 12, 31)
    )
    page = client_for(admin_user).get(reverse("assistance:agreement_detail", args=[agreement.pk]))
    for event in joint.events:
        assert reverse("events:event_detail", args=[event.pk]) in page.text
    assert reverse("events:event_detail", args=[joint.earlier.pk]) not in page.text
    assert "Отменённая встреча" not in page.text
    for consultation in joint.consultations:
        assert consultation.topic in page.text
    assert "Списание литературы" not in page.text
    assert reverse("assistance:visit_detail", args=[joint.visits[0].pk]) in page.text
    activity = coordination.joint_activity(admin_user, agreement)
    assert [e.pk for e in activity["events"]] == [e.pk for e in joint.events]
    assert list(activity["visits"]) == joint.visits


# --- the form -------------------------------------------------------------------------------------------


def _post_data(net, partners, **overrides):
    data = {
        "owner_unit": net.regional.pk,
        "partner_unit": partners.college.pk,
        "number": "14",
        "signed_on": "2025-02-12",
        "valid_from": "2025-02-12",
        "valid_to": "2028-02-11",
        "subject": "Совместные библиотечные уроки, информационная грамотность студентов",
        "joint_plan": "Библиотечный урок «Электронный каталог»",
    }
    data.update(overrides)
    return data


def test_the_form_offers_partners_of_other_departments_and_our_library_by_default(
    net, partners, admin_user, client_for
):
    page = client_for(admin_user).get(reverse("assistance:agreement_create"))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["owner_unit"] == net.regional
    partner_ids = set(form.fields["partner_unit"].queryset.values_list("pk", flat=True))
    assert partner_ids == {partners.college.pk, partners.school.pk}
    assert partners.college.pk not in set(form.fields["owner_unit"].queryset.values_list("pk", flat=True))


def test_an_agreement_is_recorded_with_its_file_and_downloads_back(net, partners, admin_user, client_for):
    client = client_for(admin_user)
    upload = SimpleUploadedFile("dogovor-14.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("assistance:agreement_create"), {**_post_data(net, partners), "file": upload}
    )
    agreement = CoordinationAgreement.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("assistance:agreement_detail", args=[agreement.pk])
    assert (agreement.owner_unit, agreement.partner_unit, agreement.created_by) == (
        net.regional,
        partners.college,
        admin_user,
    )
    download = client.get(reverse("assistance:agreement_file", args=[agreement.pk]))
    assert b"".join(download.streaming_content) == PDF


def test_an_agreement_that_ends_before_it_starts_is_refused(net, partners, admin_user, client_for):
    response = client_for(admin_user).post(
        reverse("assistance:agreement_create"), _post_data(net, partners, valid_to="2025-01-31")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["valid_to"]
    assert not CoordinationAgreement.objects.exists()


def test_a_library_of_the_culture_department_is_refused_with_a_message(net, partners, admin_user, client_for):
    response = client_for(admin_user).post(
        reverse("assistance:agreement_create"), _post_data(net, partners, partner_unit=net.kainar.pk)
    )
    assert response.status_code == 200
    with translation.override("ru"):
        message = coordination.not_other_department_message(net.kainar)
    assert response.context["form"].errors["partner_unit"] == [message]
    assert escape(message) in response.text
    assert not CoordinationAgreement.objects.exists()
    with pytest.raises(ValidationError) as refused:
        coordination.agreement_create(
            user=admin_user,
            data={**_post_data(net, partners), "partner_unit": net.kainar, "owner_unit": None},
        )
    assert "partner_unit" in refused.value.message_dict


def test_a_file_that_is_not_what_its_name_says_is_refused(net, partners, admin_user, client_for):
    fake = SimpleUploadedFile("dogovor.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(admin_user).post(
        reverse("assistance:agreement_create"), {**_post_data(net, partners), "file": fake}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not CoordinationAgreement.objects.exists()


def test_an_edit_is_kept_in_the_history_with_the_old_and_new_values(agreement, admin_user, client_for):
    client = client_for(admin_user)
    data = {
        "owner_unit": agreement.owner_unit_id,
        "partner_unit": agreement.partner_unit_id,
        "number": "14/1",
        "signed_on": "2025-02-12",
        "valid_from": "2025-02-12",
        "valid_to": "2028-02-11",
        "subject": agreement.subject,
        "joint_plan": "",
    }
    response = client.post(reverse("assistance:agreement_edit", args=[agreement.pk]), data)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.number == "14/1"
    card = client.get(reverse("assistance:agreement_detail", args=[agreement.pk]))
    assert '<del class="text-danger">14</del>' in card.text
    assert '<ins class="text-success">14/1</ins>' in card.text
    history = coordination.agreement_history(agreement)
    assert history[0]["record"].history_user == admin_user


def test_the_owner_removes_the_file_and_deletes_the_agreement(agreement, admin_user, client_for):
    agreement.file.save("dogovor.pdf", SimpleUploadedFile("dogovor.pdf", PDF))
    client = client_for(admin_user)
    data = {
        "owner_unit": agreement.owner_unit_id,
        "partner_unit": agreement.partner_unit_id,
        "number": agreement.number,
        "signed_on": "2025-02-12",
        "valid_from": "2025-02-12",
        "subject": agreement.subject,
        "remove_file": "on",
    }
    assert client.post(reverse("assistance:agreement_edit", args=[agreement.pk]), data).status_code == 302
    agreement.refresh_from_db()
    assert not agreement.file
    assert agreement.valid_to is None
    assert client.get(reverse("assistance:agreement_file", args=[agreement.pk])).status_code == 404
    assert client.post(reverse("assistance:agreement_delete", args=[agreement.pk])).status_code == 302
    assert not CoordinationAgreement.objects.exists()


# --- the list and its export ----------------------------------------------------------------------------


def test_the_list_filters_by_kind_and_status(net, partners, agreement, admin_user, client_for):
    client = client_for(admin_user)
    schools = client.get(reverse("assistance:coordination"), {"kind": "school_library"})
    assert "Мукурской средней школы" in schools.text
    assert "Семейского педагогического колледжа" not in schools.text
    without = client.get(reverse("assistance:coordination"), {"status": "none"})
    assert "Мукурской средней школы" in without.text
    assert "Семейского педагогического колледжа" not in without.text
    rows = client.get(
        reverse("assistance:coordination"),
        {"department": "other"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="coordination-rows",
    )
    assert "<html" not in rows.text
    assert "Семейского педагогического колледжа" not in rows.text


def test_the_export_is_a_workbook_of_the_filtered_partners(
    partners, agreement, joint, admin_user, client_for
):
    response = client_for(admin_user).get(
        reverse("assistance:coordination_export"), {"kind": "college_library", "year": YEAR}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # the header and the college
    college = rows[1]
    assert college[0] == "Библиотека Семейского педагогического колледжа"
    assert college[4] == "14"
    assert college[6] == datetime.datetime(2025, 2, 12)
    assert college[9:12] == (3, 2, 1)
