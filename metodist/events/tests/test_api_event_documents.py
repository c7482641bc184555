"""`/api/v1/events/{id}/report`, `/invitations.pdf` and `/certificates.pdf`: answers, scope and errors."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from metodist.accounts.models import ApiToken
from metodist.events.models import EventFamily, Participant, ParticipantStatus
from metodist.events.tests.test_report_generation import build_seed_event, make_event


@pytest.fixture
def seed_event(net):
    return build_seed_event(net)


def api(user=None) -> Client:
    """A client sending the user's bearer key (none for an anonymous caller)."""
    if user is None:
        return Client()
    _token, key = ApiToken.issue(user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def pdf_text(response) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(response.content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_report_answers_the_generated_russian_text(admin_user, seed_event):
    response = api(admin_user).get(f"/api/v1/events/{seed_event.pk}/report", {"lang": "ru"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"text", "published", "hand_edited", "language"}
    text = body["text"]
    assert "20 сентября 2013 года" in text
    assert "в ВКО универсальной библиотеке имени Абая" in text
    assert "36 специалистов" in text
    assert "групповая консультация о методике проведения методической помощи" in text
    assert "повышение квалификации библиотечных работников" in text
    assert "Мальцева О." in text and "Адикаева Р." in text
    assert "Определение вопросов методической помощи специалистами библиотеки" in text
    assert "Вопросы маркетинговой деятельности в библиотеке" in text
    assert body["published"] == ""
    assert body["hand_edited"] is False


def test_the_report_in_kazakh_and_the_published_text(admin_user, seed_event):
    seed_event.report_kk = "Өзім жазған мәтін."
    seed_event.save()

    body = api(admin_user).get(f"/api/v1/events/{seed_event.pk}/report", {"lang": "kk"}).json()

    assert body["language"] == "kk"
    assert body["text"].split("\n\n")[1].startswith("2013 жылғы 20 қыркүйекте")
    assert "Іс-шараға 36 маман қатысты." in body["text"]
    assert body["published"] == "Өзім жазған мәтін."
    assert body["hand_edited"] is True


def test_the_report_language_defaults_to_russian_and_refuses_others(admin_user, seed_event):
    client = api(admin_user)

    assert "был проведен" in client.get(f"/api/v1/events/{seed_event.pk}/report").json()["text"]
    refused = client.get(f"/api/v1/events/{seed_event.pk}/report", {"lang": "en"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "lang"


def test_an_event_out_of_scope_is_not_found(methodist, seed_event):
    client = api(methodist)

    for suffix in ("report", "invitations.pdf?blank=1", "certificates.pdf"):
        response = client.get(f"/api/v1/events/{seed_event.pk}/{suffix}")
        assert response.status_code == 404
        assert response.json() == {"detail": response.json()["detail"], "errors": []}


def test_an_anonymous_caller_is_refused(seed_event):
    assert api().get(f"/api/v1/events/{seed_event.pk}/report").status_code == 401
    assert api().get(f"/api/v1/events/{seed_event.pk}/invitations.pdf?blank=1").status_code == 401


def test_invitations_for_repeated_names(admin_user, seed_event):
    response = api(admin_user).get(
        f"/api/v1/events/{seed_event.pk}/invitations.pdf", {"names": ["Мальцева Ольга", "Серікқызы Жанар"]}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages, text = pdf_text(response)
    assert pages == 1
    assert "Мальцева Ольга" in text
    assert "Серікқызы Жанар" in text
    assert "Маркетинг и" in text and "методическая помощь" in text


def test_blank_invitations_and_their_limits(admin_user, seed_event):
    client = api(admin_user)

    pages, _text = pdf_text(client.get(f"/api/v1/events/{seed_event.pk}/invitations.pdf", {"blank": 12}))
    assert pages == 2
    for blank in (0, 201):
        response = client.get(f"/api/v1/events/{seed_event.pk}/invitations.pdf", {"blank": blank})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "blank"


def test_invitations_without_names_or_invitees_is_a_bad_request(admin_user, seed_event):
    response = api(admin_user).get(f"/api/v1/events/{seed_event.pk}/invitations.pdf")

    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_viewer_reads_the_report_but_prints_nothing(librarian, net):
    event = make_event(net, organiser_unit=net.regional, venue_unit=net.mukur)
    client = api(librarian)

    assert client.get(f"/api/v1/events/{event.pk}/report").status_code == 200
    assert client.get(f"/api/v1/events/{event.pk}/invitations.pdf?blank=1").status_code == 404
    assert client.get(f"/api/v1/events/{event.pk}/certificates.pdf").status_code == 404


def test_certificates_are_numbered_and_printed(admin_user, seed_event):
    Participant.objects.create(
        event=seed_event, full_name="Серікқызы Жанар", status=ParticipantStatus.ACCEPTED, attended=True
    )

    response = api(admin_user).get(f"/api/v1/events/{seed_event.pk}/certificates.pdf")

    assert response.status_code == 200
    pages, text = pdf_text(response)
    assert pages == 1
    assert "Серікқызы Жанар" in text
    assert "2013-0001" in text
    assert Participant.objects.get().certificate_number == "2013-0001"


def test_certificates_of_a_public_event_are_a_bad_request(admin_user, net):
    event = make_event(net, organiser_unit=net.regional, family=EventFamily.PUBLIC)
    Participant.objects.create(
        event=event, full_name="Читатель", status=ParticipantStatus.REGISTERED, attended=True
    )

    response = api(admin_user).get(f"/api/v1/events/{event.pk}/certificates.pdf")

    assert response.status_code == 400
    assert response.json()["detail"]
