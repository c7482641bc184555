"""Partner pages: scope per role, the forms (with people, double submit, bad input), the agreement card with
its file and history, the lists with their filters and the XLSX exports read back."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from metodist.marketing import partners as svc
from metodist.marketing.models.partners import Agreement, JointActivity, Partner, PartnerContact

TODAY = datetime.date.today()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def kept(net, marketer):
    """A university kept by the regional library and a school kept by the Mukur library."""
    university = svc.partner_create(
        user=marketer,
        data={"unit": net.regional, "name": "ВКУ имени С. Аманжолова", "kind": "university"},
        libraries=[net.regional, net.mukur],
        contacts=[
            {"full_name": "Ахметова Гульнар Сериковна", "position": "проректор", "phone": "+7 7232 540000"}
        ],
    )
    school = svc.partner_create(
        user=marketer,
        data={"unit": net.mukur, "name": "Мукурская средняя школа", "kind": "school"},
    )
    agreement = svc.agreement_create(
        user=marketer,
        data={
            "unit": net.regional,
            "partner": university,
            "number": "17",
            "signed_on": TODAY - datetime.timedelta(days=300),
            "starts_on": TODAY - datetime.timedelta(days=300),
            "ends_on": TODAY + datetime.timedelta(days=12),
            "subject": "Совместные читательские конференции студентов",
        },
    )
    return university, school, agreement


def test_each_role_sees_only_the_partners_of_its_part_of_the_network(
    net, kept, marketer, librarian, methodist, outsider, client_for
):
    university, school, _agreement = kept

    def names(user):
        return {p.name for p in client_for(user).get(reverse("marketing:partner_list")).context["page"]}

    assert names(marketer) == {university.name, school.name}
    assert names(librarian) == {school.name}
    assert names(methodist) == set()
    assert (
        client_for(librarian).get(reverse("marketing:partner_detail", args=[university.pk])).status_code
        == 404
    )
    assert client_for(outsider).get(reverse("marketing:partner_list")).status_code == 403
    assert client_for(librarian).get(reverse("marketing:partner_edit", args=[school.pk])).status_code == 404


def test_the_partner_card_shows_people_libraries_agreements_and_joint_activities(
    net, kept, marketer, client_for
):
    university, _school, _agreement = kept
    svc.activity_create(
        user=marketer,
        data={
            "unit": net.regional,
            "partner": university,
            "date": TODAY,
            "title": "Фестиваль «Читающий студент»",
            "our_contribution": "книжная выставка",
            "partner_contribution": "актовый зал",
        },
    )
    page = client_for(marketer).get(reverse("marketing:partner_detail", args=[university.pk]))
    assert page.status_code == 200
    text = page.text
    assert "Ахметова Гульнар Сериковна" in text
    assert net.mukur.name in text
    assert "№ 17" in text or "No. 17" in text
    assert "Фестиваль «Читающий студент»" in text
    assert "актовый зал" in text


def test_a_partner_is_created_with_its_people_once_despite_a_double_submit(net, marketer, client_for):
    client = client_for(marketer)
    data = {
        "submit_key": "k" * 32,
        "unit": net.regional.pk,
        "name": "Газета «Рудный Алтай»",
        "kind": "media",
        "libraries": [net.regional.pk],
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-full_name": "Иванова Ольга",
        "contacts-0-position": "редактор",
        "contacts-1-full_name": "",
    }
    first = client.post(reverse("marketing:partner_create"), data)
    second = client.post(reverse("marketing:partner_create"), data)
    partner = Partner.objects.get()
    assert first.status_code == second.status_code == 302
    assert second.url == reverse("marketing:partner_detail", args=[partner.pk])
    assert list(partner.contacts.values_list("full_name", "position")) == [("Иванова Ольга", "редактор")]


def test_bad_partner_input_is_refused_with_a_message_and_keeps_what_was_typed(
    net, kept, marketer, client_for
):
    data = {
        "unit": net.regional.pk,
        "name": "ВКУ имени С. Аманжолова",
        "kind": "university",
        "email": "not-an-address",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-full_name": "",
        "contacts-0-phone": "+7 700 000 00 00",
    }
    page = client_for(marketer).post(reverse("marketing:partner_create"), data)
    assert page.status_code == 200
    assert "email" in page.context["form"].errors
    assert page.context["contacts"].forms[0].errors["full_name"]
    assert 'value="+7 700 000 00 00"' in page.text
    data["email"] = ""
    data["contacts-0-phone"] = ""
    page = client_for(marketer).post(reverse("marketing:partner_create"), data)
    assert page.context["form"].errors["name"]
    assert Partner.objects.count() == 2


def test_a_librarian_cannot_record_partners(librarian, client_for):
    assert client_for(librarian).get(reverse("marketing:partner_create")).status_code == 403
    assert client_for(librarian).get(reverse("marketing:agreement_create")).status_code == 403


def test_an_agreement_is_recorded_with_its_file_and_its_changes_are_shown(net, kept, marketer, client_for):
    university, _school, _agreement = kept
    client = client_for(marketer)
    data = {
        "submit_key": "a" * 32,
        "unit": net.regional.pk,
        "partner": university.pk,
        "number": "18-П",
        "signed_on": "2025-01-10",
        "starts_on": "2025-01-10",
        "ends_on": "2026-01-09",
        "status": "active",
        "subject": "Практика студентов-библиотековедов",
        "file": SimpleUploadedFile("dogovor-18.pdf", PDF, content_type="application/pdf"),
    }
    response = client.post(reverse("marketing:agreement_create"), data)
    agreement = Agreement.objects.get(number="18-П")
    assert response.url == reverse("marketing:agreement_detail", args=[agreement.pk])
    download = client.get(reverse("marketing:agreement_file", args=[agreement.pk]))
    assert b"".join(download.streaming_content) == PDF
    edit = {k: v for k, v in data.items() if k not in ("file", "submit_key")}
    client.post(reverse("marketing:agreement_edit", args=[agreement.pk]), {**edit, "status": "terminated"})
    agreement.refresh_from_db()
    assert agreement.status == "terminated"
    assert agreement.file  # kept when no new file is sent
    page = client.get(reverse("marketing:agreement_detail", args=[agreement.pk]))
    history = page.text.split('id="agreement-history"')[1]
    assert "расторгнут" in history or "terminated" in history
    assert marketer.username in history or marketer.get_full_name() in history
    card = client.get(reverse("marketing:partner_detail", args=[university.pk]))
    assert "18-П" in card.text.split('id="history-heading"')[1]


def test_an_agreement_that_ends_before_it_starts_or_a_fake_pdf_is_refused(net, kept, marketer, client_for):
    university, _school, _agreement = kept
    data = {
        "unit": net.regional.pk,
        "partner": university.pk,
        "number": "19",
        "starts_on": "2025-05-01",
        "ends_on": "2025-04-01",
        "status": "active",
        "subject": "Предмет",
        "file": SimpleUploadedFile("dogovor.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
    }
    page = client_for(marketer).post(reverse("marketing:agreement_create"), data)
    assert page.status_code == 200
    assert not Agreement.objects.filter(number="19").exists()
    data["ends_on"] = "2025-06-01"
    data["file"] = SimpleUploadedFile("dogovor.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    page = client_for(marketer).post(reverse("marketing:agreement_create"), data)
    assert page.context["form"].errors["file"]
    assert "Предмет</textarea>" in page.text


def test_the_agreement_list_filters_by_state_and_exports_what_it_shows(net, kept, marketer, client_for):
    _university, school, _expiring = kept
    svc.agreement_create(
        user=marketer,
        data={
            "unit": net.mukur,
            "partner": school,
            "number": "3",
            "starts_on": TODAY - datetime.timedelta(days=800),
            "ends_on": TODAY - datetime.timedelta(days=70),
            "subject": "Летнее чтение школьников",
        },
    )
    client = client_for(marketer)
    shown = lambda **q: [a.number for a in client.get(reverse("marketing:agreement_list"), q).context["page"]]  # noqa: E731
    assert shown(state="expiring") == ["17"]
    assert shown(state="expired") == ["3"]
    assert shown(expiring="1") == ["17"]
    assert sorted(shown()) == ["17", "3"]
    answer = client.get(reverse("marketing:agreement_export"), {"state": "expired"})
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "3"
    assert rows[1][1] == "Мукурская средняя школа"
    assert rows[1][6].date() == TODAY - datetime.timedelta(days=70)


def test_the_partner_export_lists_people_libraries_and_counts(net, kept, marketer, client_for):
    answer = client_for(marketer).get(reverse("marketing:partner_export"), {"kind": "university"})
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    name, _kind, unit, *_rest, people, libraries, in_force, activities = rows[1]
    assert name == "ВКУ имени С. Аманжолова"
    assert unit == net.regional.name
    assert "Ахметова Гульнар Сериковна" in people
    assert net.mukur.name in libraries
    assert (in_force, activities) == (1, 0)


def test_a_joint_activity_links_an_event_the_user_sees_and_can_be_deleted(net, kept, marketer, client_for):
    from metodist.events.models import Event

    university, _school, _agreement = kept
    event = Event.objects.create(
        title="Библионочь-2025",
        starts_at=datetime.datetime(2025, 4, 25, 18, tzinfo=datetime.UTC),
        organiser_unit=net.regional,
    )
    client = client_for(marketer)
    data = {
        "submit_key": "j" * 32,
        "unit": net.regional.pk,
        "partner": university.pk,
        "date": "2025-04-25",
        "title": "Библионочь со студентами",
        "event": event.pk,
        "our_contribution": "площадка и книги",
        "partner_contribution": "волонтёры",
    }
    assert client.post(reverse("marketing:activity_create"), data).status_code == 302
    activity = JointActivity.objects.get()
    assert activity.event == event
    assert (
        client.post(reverse("marketing:activity_edit", args=[activity.pk]), {"delete": "1"}).status_code
        == 302
    )
    assert not JointActivity.objects.exists()
    assert PartnerContact.objects.count() == 1
