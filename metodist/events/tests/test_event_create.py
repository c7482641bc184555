"""Creating and editing an event through the pages: the card, the inline programme, handouts, bad input."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from metodist.events.models import MAX_UPLOAD_BYTES, Event, Handout
from metodist.events.tests.factories import EventFactory, SectionFactory, event_form_data

CREATE = reverse("events:event_create")
KEY = "k" * 32
SECTIONS = [
    {
        "speaker": "О. Мальцева",
        "speaker_position": "методист",
        "speaker_unit": "ВКО УБ им. Абая",
        "topic": "Новые формы массовой работы",
    },
    {"speaker": "Р. Адикаева", "topic": "Библиодесант и аукцион знаний", "summary": "Опыт района"},
]


@pytest.fixture(autouse=True)
def _english(settings):
    # Messages are compared in English, the msgids; the catalogues translate them.
    settings.LANGUAGE_CODE = "en"


def test_a_methodologist_creates_an_event_with_two_sections_through_the_page(client_for, admin_user, net):
    data = event_form_data(organiser=net.method_dept, venue=net.regional, sections=SECTIONS, submit_key=KEY)

    response = client_for(admin_user).post(CREATE, data)

    event = Event.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("events:event_detail", args=[event.pk])
    assert event.title == "Библиотечный урок"
    assert event.organiser_unit == net.method_dept
    assert event.venue_unit == net.regional
    assert event.participants_planned == 36
    assert timezone.localtime(event.starts_at).replace(tzinfo=None) == datetime.datetime(2024, 9, 20, 10, 0)
    assert event.created_by == admin_user
    assert [(s.order, s.speaker, s.topic) for s in event.sections.all()] == [
        (0, "О. Мальцева", "Новые формы массовой работы"),
        (1, "Р. Адикаева", "Библиодесант и аукцион знаний"),
    ]
    assert event.sections.first().speaker_unit == "ВКО УБ им. Абая"


def test_a_double_submit_of_the_create_form_creates_one_event(client_for, librarian, net):
    client = client_for(librarian)
    data = event_form_data(organiser=net.mukur, sections=SECTIONS[:1], submit_key=KEY)

    first = client.post(CREATE, data)
    second = client.post(CREATE, data)

    assert Event.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert second.url == first.url


def test_two_forms_opened_separately_create_two_events(client_for, librarian, net):
    client = client_for(librarian)

    client.post(CREATE, event_form_data(organiser=net.mukur, submit_key="a" * 32))
    client.post(CREATE, event_form_data(organiser=net.mukur, submit_key="b" * 32))

    assert Event.objects.count() == 2


def test_a_refused_submit_can_be_corrected_and_sent_again_with_the_same_key(client_for, librarian, net):
    client = client_for(librarian)

    refused = client.post(CREATE, event_form_data(organiser=net.mukur, title="", submit_key=KEY))
    accepted = client.post(CREATE, event_form_data(organiser=net.mukur, submit_key=KEY))

    assert refused.status_code == 200
    assert f'value="{KEY}"' in refused.content.decode()
    assert accepted.status_code == 302
    assert Event.objects.count() == 1


def test_the_create_page_offers_only_units_in_scope(client_for, librarian, net):
    response = client_for(librarian).get(CREATE)

    form = response.context["form"]
    assert set(form.fields["organiser_unit"].queryset) == {net.mukur, net.mukur_oc}
    assert set(form.fields["venue_unit"].queryset) == {net.mukur, net.mukur_oc}
    assert 'name="submit_key"' in response.content.decode()


def test_an_organiser_out_of_scope_is_refused_next_to_the_field(client_for, librarian, net):
    response = client_for(librarian).post(CREATE, event_form_data(organiser=net.kainar, venue=net.mukur))

    assert response.status_code == 200
    assert response.context["form"].errors["organiser_unit"]
    assert not Event.objects.exists()


def test_an_end_before_the_start_is_refused_next_to_the_field_and_nothing_is_saved(
    client_for, librarian, net
):
    data = event_form_data(organiser=net.mukur, ends_at="2024-09-20T09:00", sections=SECTIONS)

    response = client_for(librarian).post(CREATE, data)

    form = response.context["form"]
    assert form.errors["ends_at"] == ["An event cannot end before it starts."]
    assert 'id="id_ends_at_error"' in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "Ensure this value is greater than or equal to 0."),
        ("1000000", "Ensure this value is less than or equal to 100000."),
    ],
)
def test_negative_or_absurd_counts_are_refused(client_for, librarian, net, value, message):
    response = client_for(librarian).post(
        CREATE, event_form_data(organiser=net.mukur, participants_planned=value)
    )

    assert response.context["form"].errors["participants_planned"] == [message]
    assert not Event.objects.exists()


def test_a_missing_venue_is_refused_but_a_named_place_will_do(client_for, librarian, net):
    client = client_for(librarian)

    refused = client.post(CREATE, event_form_data(organiser=net.mukur, venue_unit="", submit_key="a" * 32))
    accepted = client.post(
        CREATE,
        event_form_data(organiser=net.mukur, venue_unit="", venue_text="Дом культуры", submit_key="b" * 32),
    )

    assert refused.context["form"].errors["venue_text"] == [
        "Choose a unit of the network as the venue or name the place."
    ]
    assert accepted.status_code == 302
    assert Event.objects.get().venue == "Дом культуры"


def test_a_section_without_a_topic_is_refused_and_blank_rows_are_skipped(client_for, librarian, net):
    client = client_for(librarian)
    sections = [{"speaker": "О. Мальцева", "topic": ""}, {"speaker": "", "topic": ""}]

    refused = client.post(CREATE, event_form_data(organiser=net.mukur, sections=sections))
    sections[0]["topic"] = "Тема"
    accepted = client.post(CREATE, event_form_data(organiser=net.mukur, sections=sections, submit_key=KEY))

    assert refused.context["sections"].forms[0].errors["topic"] == ["This field is required."]
    assert accepted.status_code == 302
    assert Event.objects.get().sections.count() == 1


def test_handouts_are_saved_with_files_checked_by_their_content(client_for, librarian, net):
    pdf = SimpleUploadedFile("booklet.pdf", b"%PDF-1.4 booklet", content_type="application/pdf")
    data = event_form_data(organiser=net.mukur, handouts=["Буклет «Новые формы»", "Памятка"], submit_key=KEY)
    data["handouts-0-file"] = pdf

    response = client_for(librarian).post(CREATE, data)

    assert response.status_code == 302
    handouts = list(Handout.objects.order_by("id"))
    assert [h.title for h in handouts] == ["Буклет «Новые формы»", "Памятка"]
    assert handouts[0].file.read() == b"%PDF-1.4 booklet"
    assert not handouts[1].file


def test_a_handout_file_whose_content_is_not_its_type_is_refused_next_to_the_field(
    client_for, librarian, net
):
    fake = SimpleUploadedFile("booklet.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    data = event_form_data(organiser=net.mukur, handouts=["Буклет"])
    data["handouts-0-file"] = fake

    response = client_for(librarian).post(CREATE, data)

    assert response.context["handouts"].forms[0].errors["file"] == [
        "The content of the file is not a PDF file."
    ]
    assert not Event.objects.exists()


def test_a_handout_of_an_unknown_type_is_refused(client_for, librarian, net):
    data = event_form_data(organiser=net.mukur, handouts=["Программа"])
    data["handouts-0-file"] = SimpleUploadedFile("setup.exe", b"MZ\x90\x00")

    response = client_for(librarian).post(CREATE, data)

    assert "Files of this type are not accepted" in response.context["handouts"].forms[0].errors["file"][0]
    assert not Event.objects.exists()


def test_a_handout_over_50_mb_is_refused(client_for, librarian, net):
    big = SimpleUploadedFile("booklet.pdf", b"%PDF" + b"0" * MAX_UPLOAD_BYTES)
    data = event_form_data(organiser=net.mukur, handouts=["Буклет"])
    data["handouts-0-file"] = big

    response = client_for(librarian).post(CREATE, data)

    assert response.context["handouts"].forms[0].errors["file"] == ["The file is larger than 50 MB."]
    assert not Event.objects.exists()


def _programme_action(client, url, rows, action):
    data = event_form_data(organiser=rows["organiser"], sections=rows["sections"], programme_action=action)
    return client.post(url, data, HTTP_HX_REQUEST="true")


def _topics(response) -> list[str]:
    return [form["topic"].value() or "" for form in response.context["sections"].forms]


@pytest.mark.parametrize(
    ("action", "topics"),
    [
        ("add", ["Первая", "Вторая", "Третья", ""]),
        ("remove-1", ["Первая", "Третья"]),
        ("up-2", ["Первая", "Третья", "Вторая"]),
        ("down-0", ["Вторая", "Первая", "Третья"]),
        ("up-0", ["Первая", "Вторая", "Третья"]),
    ],
)
def test_the_programme_rows_are_added_removed_and_moved_inline_without_saving(
    client_for, librarian, net, action, topics
):
    rows = {"organiser": net.mukur, "sections": [{"topic": t} for t in ("Первая", "Вторая", "Третья")]}

    response = _programme_action(client_for(librarian), CREATE, rows, action)

    body = response.content.decode()
    assert response.status_code == 200
    assert _topics(response) == topics
    assert body.lstrip().startswith('<fieldset id="programme"')  # only the partial, for htmx
    assert f'name="sections-TOTAL_FORMS" value="{len(topics)}"' in body
    assert not Event.objects.exists()


def test_without_htmx_a_row_action_shows_the_whole_form_again_as_typed(client_for, librarian, net):
    data = event_form_data(organiser=net.mukur, title="Урок краеведения", programme_action="add")

    response = client_for(librarian).post(CREATE, data)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Урок краеведения"' in body
    assert 'name="sections-0-topic"' in body
    assert not response.context["form"].errors
    assert not Event.objects.exists()


def test_one_more_handout_row_comes_with_the_new_row_count(client_for, librarian):
    response = client_for(librarian).get(reverse("events:handout_row"), {"index": 2}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert 'name="handouts-2-title"' in body
    assert 'name="handouts-TOTAL_FORMS" value="3"' in body
    assert "index=3" in body


def test_the_edit_page_shows_the_programme_and_saving_replaces_it(client_for, librarian, net):
    event = EventFactory(organiser_unit=net.mukur)
    SectionFactory(event=event, topic="Старая тема", order=0)
    SectionFactory(event=event, topic="Удаляемая тема", order=1)
    client = client_for(librarian)
    url = reverse("events:event_edit", args=[event.pk])

    page = client.get(url)
    data = event_form_data(
        organiser=net.mukur,
        title="Новое название",
        sections=[{"topic": "Новая первая"}, {"topic": "Старая тема", "speaker": "Р. Адикаева"}],
    )
    response = client.post(url, data)

    assert _topics(page) == ["Старая тема", "Удаляемая тема"]
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Новое название"
    assert [(s.topic, s.speaker) for s in event.sections.all()] == [
        ("Новая первая", ""),
        ("Старая тема", "Р. Адикаева"),
    ]


def test_editing_keeps_a_handout_file_and_removes_a_handout_marked_for_removal(client_for, librarian, net):
    event = EventFactory(organiser_unit=net.mukur)
    kept = Handout.objects.create(event=event, title="Буклет", file=SimpleUploadedFile("b.pdf", b"%PDF-1.4"))
    removed = Handout.objects.create(event=event, title="Памятка")
    data = event_form_data(organiser=net.mukur, handouts=["Буклет (2-е изд.)", "Памятка"])
    data.update({"handouts-0-id": kept.pk, "handouts-1-id": removed.pk, "handouts-1-remove": "on"})

    response = client_for(librarian).post(reverse("events:event_edit", args=[event.pk]), data)

    assert response.status_code == 302
    handouts = list(event.handouts.all())
    assert [(h.pk, h.title) for h in handouts] == [(kept.pk, "Буклет (2-е изд.)")]
    assert handouts[0].file.read() == b"%PDF-1.4"


def test_entering_the_actual_number_by_hand_marks_it_as_counted_by_hand(client_for, librarian, net):
    event = EventFactory(organiser_unit=net.mukur, participants_actual=12)
    client = client_for(librarian)
    url = reverse("events:event_edit", args=[event.pk])

    client.post(url, event_form_data(organiser=net.mukur, participants_actual="12"))
    event.refresh_from_db()
    untouched = event.participants_actual_manual
    client.post(url, event_form_data(organiser=net.mukur, participants_actual="40"))
    event.refresh_from_db()

    assert untouched is False
    assert event.participants_actual == 40
    assert event.participants_actual_manual is True


def test_a_new_card_starts_at_the_librarians_own_library_and_the_chosen_day(client_for, librarian, net):
    response = client_for(librarian).get(CREATE, {"date": "2024-09-20"})

    form = response.context["form"]
    assert form["organiser_unit"].value() == net.mukur.pk
    assert form["venue_unit"].value() == net.mukur.pk
    assert form["starts_at"].value() == "2024-09-20T10:00"
