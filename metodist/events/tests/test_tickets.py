"""Invitation tickets (PDF): eight per A4 page, the invitees' names, Kazakh letters, QR codes for check-in."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from metodist.events.documents.tickets import Ticket, checkin_url, invitations_pdf, tickets_for
from metodist.events.models import Participant, ParticipantStatus
from metodist.events.tests.test_report_generation import at, make_event

KAZAKH_LETTERS = "әғқңөұүһі"


@pytest.fixture
def event(net):
    net.beskaragay_lib.name_kk = "Бесқарағай ауылдық кітапханасы"
    net.beskaragay_lib.save()
    return make_event(
        net,
        title="Әдістемелік күн: шаһар кітапханаларындағы әдебиет, өңір және ұлттық үрдіс",
        organiser_unit=net.beskaragay_lib,
        venue_unit=net.beskaragay_lib,
        room="читальный зал",
        starts_at=at(2024, 10, 3, 11, 30),
    )


def invite(event, name, status=ParticipantStatus.INVITED):
    return Participant.objects.create(event=event, full_name=name, status=status)


def url(event, query=""):
    return reverse("events:invitations_pdf", args=[event.pk]) + query


def read(response_or_bytes) -> PdfReader:
    data = getattr(response_or_bytes, "content", response_or_bytes)
    return PdfReader(io.BytesIO(data))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_tickets_for_the_named_people_carry_the_names_title_date_and_time(client_for, methodist, event):
    response = client_for(methodist).get(url(event, "?names=Мальцева Ольга&names=Адикаева Раушан"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = read(response)
    assert len(reader.pages) == 1
    text = text_of(reader)
    assert "Мальцева Ольга" in text
    assert "Адикаева Раушан" in text
    assert "Әдістемелік күн" in text
    assert "3 октября 2024 года" in text
    assert "11:30" in text
    assert "Бескарагайская сельская" in text
    assert "читальный зал" in text


def test_kazakh_letters_print_and_read_back(client_for, methodist, event):
    client = client_for(methodist)
    client.post(reverse("set_language"), {"language": "kk"})

    text = text_of(read(client.get(url(event, "?blank=1"))))

    for letter in KAZAKH_LETTERS:
        assert letter in text
    assert "2024 жылғы 3 қазан" in text
    assert "Бесқарағай ауылдық" in text


def test_eight_tickets_go_to_a_page(client_for, methodist, event):
    client = client_for(methodist)

    assert len(read(client.get(url(event, "?blank=8"))).pages) == 1
    assert len(read(client.get(url(event, "?blank=9"))).pages) == 2
    assert len(read(client.get(url(event, "?blank=17"))).pages) == 3


def test_by_default_everyone_holding_a_place_gets_a_ticket(client_for, methodist, event):
    for i in range(10):
        invite(event, f"Приглашённый {i:02d}")
    invite(event, "Передумавший Читатель", ParticipantStatus.DECLINED)
    invite(event, "Ожидающий Читатель", ParticipantStatus.WAITLISTED)
    invite(event, "Записавшийся Читатель", ParticipantStatus.REGISTERED)

    reader = read(client_for(methodist).get(url(event)))

    text = text_of(reader)
    assert len(reader.pages) == 2
    assert "Приглашённый 00" in text and "Приглашённый 09" in text
    assert "Записавшийся Читатель" in text
    assert "Передумавший" not in text
    assert "Ожидающий" not in text


def test_a_participants_qr_code_encodes_the_check_in_url_and_a_blank_one_the_event(rf, settings, event):
    settings.ALLOWED_HOSTS = ["metodist.example.kz"]
    participant = invite(event, "Мальцева Ольга")
    request = rf.get("/", HTTP_HOST="metodist.example.kz")

    tickets = tickets_for(
        event,
        names=["мальцева  ольга", "Гость Со Стороны"],
        url_for_token=lambda token: checkin_url(request, event, token),
        event_url="http://metodist.example.kz/events/1/",
    )

    assert tickets[0].name == "мальцева ольга"
    assert tickets[0].url.startswith("http://metodist.example.kz/")
    assert participant.token in tickets[0].url
    assert "checkin" in tickets[0].url
    assert tickets[1].url == "http://metodist.example.kz/events/1/"


def test_a_ticket_pdf_embeds_one_qr_image_per_ticket(event):
    pdf = invitations_pdf(
        event=event,
        tickets=[Ticket(name="", url="https://example.kz/a"), Ticket(name="Б", url="https://example.kz/b")],
        language="ru",
    )

    page = read(pdf).pages[0]
    # segno's SVG becomes vector paths: the QR codes are there when the page draws far more than text.
    assert len(page.get_contents().get_data()) > 20_000


def test_no_one_invited_and_no_names_is_a_clear_message(client_for, methodist, event):
    response = client_for(methodist).get(url(event), follow=True)

    assert response.redirect_chain
    with translation.override("ru"):
        expected = translation.gettext(
            "No one is invited to this event yet: add participants or print blank tickets."
        )
    assert expected in [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("blank", ["0", "201", "много"])
def test_a_wrong_number_of_blank_tickets_is_refused(client_for, methodist, event, blank):
    response = client_for(methodist).get(url(event, f"?blank={blank}"))

    assert response.status_code == 302


def test_a_viewer_who_cannot_manage_the_event_gets_not_found(client_for, librarian, net):
    event = make_event(net, organiser_unit=net.regional, venue_unit=net.mukur)

    assert client_for(librarian).get(url(event, "?blank=1")).status_code == 404


def test_an_event_out_of_scope_is_not_found(client_for, methodist, net):
    event = make_event(net, organiser_unit=net.mukur, venue_unit=net.mukur)

    assert client_for(methodist).get(url(event, "?blank=1")).status_code == 404
