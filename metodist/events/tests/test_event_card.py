"""The event card: the whole seed card, the goal → result → outcome block, actions, photos and files."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from metodist.events.models import EventFile, EventFileKind, Handout
from metodist.events.tests.factories import EventFactory, FormOfWorkFactory, SectionFactory


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "orange").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def event(net):
    event = EventFactory(
        title="Библиотечный урок «Новые формы»",
        organiser_unit=net.method_dept,
        venue_unit=net.regional,
        room="зал периодики",
        form=FormOfWorkFactory(code="bibliodesant", name_ru="Библиодесант", name_en="Bibliodesant"),
        audience="специалисты областной библиотеки",
        participants_planned=36,
        participants_actual=36,
        goal="Повысить профессиональную компетентность.",
        expected_result="Внедрение новых форм работы.",
        outcome="Специалисты познакомились с новыми формами.",
        assessment="Цель достигнута.",
        partners="Управление культуры",
        notes="Фото в архиве.",
    )
    SectionFactory(event=event, speaker="О. Мальцева", speaker_position="методист", topic="Новые формы")
    Handout.objects.create(event=event, title="Буклет «Новые формы массовой работы»")
    return event


def test_the_card_shows_every_part_of_the_event(client_for, admin_user, event):
    response = client_for(admin_user).get(reverse("events:event_detail", args=[event.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Библиотечный урок «Новые формы»",
        "Bibliodesant",
        "ВКО универсальная библиотека имени Абая",
        "зал периодики",
        "Методический отдел",
        "специалисты областной библиотеки",
        "Повысить профессиональную компетентность.",
        "Внедрение новых форм работы.",
        "Специалисты познакомились с новыми формами.",
        "Цель достигнута.",
        "О. Мальцева",
        "Новые формы",
        "Буклет «Новые формы массовой работы»",
        "Управление культуры",
        "Фото в архиве.",
        "training for librarians",
        "planned",
    ):
        assert text in body, text


def test_the_card_warns_when_the_actual_number_is_far_above_the_plan(client_for, admin_user, event):
    event.participants_actual = 100
    event.save()

    response = client_for(admin_user).get(reverse("events:event_detail", args=[event.pk]))

    assert "more than twice the planned number" in response.content.decode()


def test_the_card_links_only_the_pages_that_exist(client_for, admin_user, event):
    from django.urls import NoReverseMatch

    response = client_for(admin_user).get(reverse("events:event_detail", args=[event.pk]))

    body = response.content.decode()
    assert reverse("events:event_edit", args=[event.pk]) in body
    for name in ("events:participants", "events:report", "events:invitations_pdf", "events:certificates_pdf"):
        try:
            url = reverse(name, args=[event.pk])
        except NoReverseMatch:
            continue
        assert url in body


def test_a_photo_is_uploaded_on_the_card(client_for, admin_user, event):
    photo = SimpleUploadedFile("hall.png", _png(), content_type="image/png")

    response = client_for(admin_user).post(
        reverse("events:event_file_add", args=[event.pk]), {"kind": "photo", "file": photo, "caption": "Зал"}
    )

    attachment = EventFile.objects.get()
    assert response.status_code == 302
    assert (attachment.kind, attachment.caption) == (EventFileKind.PHOTO, "Зал")
    card = client_for(admin_user).get(reverse("events:event_detail", args=[event.pk])).content.decode()
    assert attachment.file.url in card


def test_a_photo_that_is_not_an_image_is_refused_with_a_message(client_for, admin_user, event):
    fake = SimpleUploadedFile("hall.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")

    response = client_for(admin_user).post(
        reverse("events:event_file_add", args=[event.pk]), {"kind": "photo", "file": fake}, follow=True
    )

    assert not EventFile.objects.exists()
    assert "The content of the file is not a JPG file." in response.content.decode()


def test_a_document_is_not_accepted_as_a_photo_but_is_as_a_file(client_for, admin_user, event):
    client = client_for(admin_user)
    url = reverse("events:event_file_add", args=[event.pk])

    client.post(url, {"kind": "photo", "file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4")})
    client.post(url, {"kind": "file", "file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4")})

    assert list(EventFile.objects.values_list("kind", flat=True)) == [EventFileKind.FILE]


def test_a_file_is_removed_from_the_card(client_for, admin_user, event):
    attachment = EventFile.objects.create(
        event=event, kind=EventFileKind.FILE, file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4")
    )

    response = client_for(admin_user).post(
        reverse("events:event_file_delete", args=[event.pk, attachment.pk])
    )

    assert response.status_code == 302
    assert not EventFile.objects.exists()


def test_someone_who_only_sees_the_event_gets_no_upload_form(client_for, librarian, net):
    event = EventFactory(organiser_unit=net.abay, venue_unit=net.mukur)

    response = client_for(librarian).get(reverse("events:event_detail", args=[event.pk]))
    upload = client_for(librarian).post(
        reverse("events:event_file_add", args=[event.pk]),
        {"kind": "photo", "file": SimpleUploadedFile("a.png", _png())},
    )

    assert response.context["file_form"] is None
    assert upload.status_code == 404
    assert not EventFile.objects.exists()
