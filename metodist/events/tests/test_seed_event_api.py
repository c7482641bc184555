"""The issue's acceptance test: the seed's event, created through the API, comes back as the seed's report."""

import json

from metodist.accounts.models import ApiToken
from metodist.events.tests.factories import FormOfWorkFactory


def _api(user):
    from django.test import Client

    _token, key = ApiToken.issue(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="ru")


def test_the_seed_event_created_through_the_api_gives_the_seeds_report(admin_user, net):
    FormOfWorkFactory(code="library_lesson", name_ru="библиотечный урок", family="training")
    client = _api(admin_user)
    payload = {
        "title": "Маркетинг и методическая помощь",
        "form": "library_lesson",
        "family": "training",
        "status": "held",
        "starts_at": "2013-09-20T10:00:00+06:00",
        "ends_at": "2013-09-20T13:00:00+06:00",
        "organiser_unit": net.regional.pk,
        "venue_unit": net.regional.pk,
        "audience": "специалисты ВКО универсальной библиотеки имени Абая",
        "participants_planned": 36,
        "participants_actual": 36,
        "goal": (
            "групповая консультация о методике проведения методической помощи и новых форм массовой работы"
        ),
        "expected_result": "повышение квалификации библиотечных работников",
        "sections": [
            {
                "speaker": "Мальцева О.",
                "speaker_position": "методист методического отдела библиотеки",
                "topic": (
                    "определение вопросов методической помощи специалистами библиотеки для сельских библиотек"
                ),
                "summary": "",
            },
            {
                "speaker": "Адикаева Р.",
                "speaker_position": "зав. отделом маркетинга и социально-культурных проектов",
                "topic": "вопросы маркетинговой деятельности в библиотеке",
                "summary": "",
            },
        ],
        "handouts": ["буклет «Новые формы массовой работы в библиотеках»"],
    }
    created = client.post("/api/v1/events", json.dumps(payload), content_type="application/json")
    assert created.status_code in (200, 201), created.content
    event_id = created.json()["id"]

    response = client.get(f"/api/v1/events/{event_id}/report", {"lang": "ru"})
    assert response.status_code == 200
    text = response.json()["text"]
    assert "20 сентября 2013 года" in text
    assert "ВКО универсальной библиотеке имени Абая" in text
    assert "36" in text
    assert "групповая консультация о методике проведения методической помощи" in text
    assert "повышение квалификации библиотечных работников" in text
    assert "Мальцева О." in text and "сельских библиотек" in text
    assert "Адикаева Р." in text and "маркетинговой деятельности" in text
    assert "None" not in text and "«»" not in text


def test_the_kazakh_report_of_the_seed_event_has_the_date_in_kazakh(admin_user, net):
    client = _api(admin_user)
    payload = {
        "title": "Маркетинг и методическая помощь",
        "family": "training",
        "starts_at": "2013-09-20T10:00:00+06:00",
        "organiser_unit": net.regional.pk,
        "venue_unit": net.regional.pk,
        "participants_actual": 36,
    }
    event_id = client.post("/api/v1/events", json.dumps(payload), content_type="application/json").json()[
        "id"
    ]
    text = client.get(f"/api/v1/events/{event_id}/report", {"lang": "kk"}).json()["text"]
    assert "2013 жылғы 20 қыркүйек" in text
    assert "36" in text
