"""`/api/v1/events`: list and filters, the card, create and PATCH through the services, errors, scope."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from metodist.accounts.models import ApiToken
from metodist.events.models import Event, EventFamily, EventStatus, Handout
from metodist.events.tests.factories import EventFactory, FormOfWorkFactory, SectionFactory

EVENTS = "/api/v1/events"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


class Api:
    """A JSON client with a bearer key of the user."""

    def __init__(self, user):
        _token, key = ApiToken.issue(user)
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    def get(self, url, params=None):
        return self.client.get(url, params or {})

    def post(self, url, data):
        return self.client.post(url, json.dumps(data), content_type="application/json")

    def patch(self, url, data):
        return self.client.patch(url, json.dumps(data), content_type="application/json")


def at(day: int, month: int = 9, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2024, month, day, hour, 0))


@pytest.fixture
def events(net):
    quest = FormOfWorkFactory(code="literary-quest")
    return {
        "mukur": EventFactory(
            title="Квест по Абаю",
            organiser_unit=net.mukur,
            family=EventFamily.PUBLIC,
            form=quest,
            starts_at=at(5),
        ),
        "held_in_mukur": EventFactory(
            title="Выездной семинар", organiser_unit=net.abay, venue_unit=net.mukur, starts_at=at(10)
        ),
        "kainar": EventFactory(title="Кайнарская встреча", organiser_unit=net.kainar, starts_at=at(12)),
        "beskaragay": EventFactory(
            title="Школа библиотекаря",
            organiser_unit=net.beskaragay,
            status=EventStatus.HELD,
            starts_at=at(1, 8),
        ),
    }


def _titles(response) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


def seed_event(net) -> dict:
    return {
        "title": "Библиотечный урок «Новые формы массовой работы в библиотеках»",
        "family": "training",
        "starts_at": "2013-09-20T10:00:00+06:00",
        "ends_at": "2013-09-20T13:00:00+06:00",
        "organiser_unit": net.method_dept.pk,
        "venue_unit": net.regional.pk,
        "audience": "специалисты ВКО универсальной библиотеки имени Абая",
        "participants_planned": 36,
        "participants_actual": 36,
        "goal": "Повышение профессиональной компетентности специалистов.",
        "expected_result": "Внедрение новых форм массовой работы.",
        "sections": [
            {
                "speaker": "О. Мальцева",
                "speaker_position": "методист",
                "topic": "Новые формы массовой работы",
            },
            {"speaker": "Р. Адикаева", "topic": "Опыт работы библиотек области"},
        ],
        "handouts": ["Буклет «Новые формы массовой работы в библиотеках»"],
    }


def test_the_list_answers_items_and_count_in_the_callers_scope(net, librarian, events):
    response = Api(librarian).get(EVENTS)

    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"items", "count"}
    assert body["count"] == 2
    assert _titles(response) == ["Квест по Абаю", "Выездной семинар"]


def test_an_event_carries_the_fields_of_the_card(net, admin_user, events):
    SectionFactory(event=events["mukur"], speaker="О. Мальцева", speaker_position="методист", topic="Тема")
    Handout.objects.create(event=events["mukur"], title="Памятка")

    item = Api(admin_user).get(f"{EVENTS}/{events['mukur'].pk}").json()

    assert item["id"] == events["mukur"].pk
    assert item["form"] == "literary-quest"
    assert item["family"] == "public"
    assert item["status"] == "planned"
    assert item["organiser_unit"] == net.mukur.pk
    assert item["venue_unit"] == net.mukur.pk
    assert datetime.datetime.fromisoformat(item["starts_at"]) == at(5)
    assert item["participants_planned"] == 20
    assert item["participants_actual"] is None
    assert item["sections"] == [
        {
            "speaker": "О. Мальцева",
            "speaker_position": "методист",
            "speaker_unit": "",
            "topic": "Тема",
            "summary": "",
        }
    ]
    assert item["handouts"] == ["Памятка"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"family": "public"}, ["Квест по Абаю"]),
        ({"status": "held"}, ["Школа библиотекаря"]),
        ({"form": "literary-quest"}, ["Квест по Абаю"]),
        ({"date_from": "2024-09-06", "date_to": "2024-09-11"}, ["Выездной семинар"]),
        ({"date_to": "2024-08-31"}, ["Школа библиотекаря"]),
    ],
)
def test_the_list_filters(admin_user, events, params, expected):
    assert _titles(Api(admin_user).get(EVENTS, params)) == expected


def test_the_under_filter_takes_events_organised_or_held_in_the_subtree(net, admin_user, events):
    response = Api(admin_user).get(EVENTS, {"under": net.mukur.pk})

    assert _titles(response) == ["Квест по Абаю", "Выездной семинар"]


def test_an_under_unit_out_of_scope_is_404_naming_the_field(net, librarian, events):
    response = Api(librarian).get(EVENTS, {"under": net.kainar.pk})

    assert response.status_code == 404
    assert response.json()["errors"] == [{"field": "under", "message": "The unit was not found."}]


def test_a_wrong_family_in_the_filter_is_422(admin_user, events):
    response = Api(admin_user).get(EVENTS, {"family": "party"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "family"


def test_the_list_pages(librarian, net):
    for day in range(1, 6):
        EventFactory(organiser_unit=net.mukur, starts_at=at(day))

    body = Api(librarian).get(EVENTS, {"limit": 2, "offset": 2}).json()

    assert body["count"] == 5
    assert len(body["items"]) == 2


def test_the_list_reads_programmes_without_a_query_per_event(admin_user, net, django_assert_max_num_queries):
    for day in range(1, 11):
        SectionFactory(event=EventFactory(organiser_unit=net.mukur, starts_at=at(day)))
    api = Api(admin_user)
    api.get(EVENTS)

    with django_assert_max_num_queries(8):
        response = api.get(EVENTS)

    assert len(response.json()["items"]) == 10


def test_an_event_out_of_scope_is_404(librarian, events):
    api = Api(librarian)

    assert api.get(f"{EVENTS}/{events['kainar'].pk}").status_code == 404
    assert api.patch(f"{EVENTS}/{events['kainar'].pk}", {"title": "Чужое"}).status_code == 404
    assert api.get(f"{EVENTS}/{events['mukur'].pk}").status_code == 200


def test_the_seed_event_is_created_with_its_two_sections_and_handout(net, admin_user):
    response = Api(admin_user).post(EVENTS, seed_event(net))

    body = response.json()
    event = Event.objects.get()
    assert response.status_code == 201
    assert body["id"] == event.pk
    assert event.created_by == admin_user
    assert timezone.localtime(event.starts_at).date() == datetime.date(2013, 9, 20)
    assert event.participants_planned == 36
    assert [(s.speaker, s.topic) for s in event.sections.all()] == [
        ("О. Мальцева", "Новые формы массовой работы"),
        ("Р. Адикаева", "Опыт работы библиотек области"),
    ]
    assert body["handouts"] == ["Буклет «Новые формы массовой работы в библиотеках»"]
    assert body["venue_unit"] == net.regional.pk
    assert body["form"] is None


def test_a_time_without_a_zone_is_read_in_the_servers_zone(net, librarian):
    data = {**seed_event(net), "organiser_unit": net.mukur.pk, "venue_unit": None, "venue_text": "Клуб"}
    data.update(starts_at="2024-09-20T10:00:00", ends_at=None)

    Api(librarian).post(EVENTS, data)

    event = Event.objects.get()
    assert timezone.localtime(event.starts_at).hour == 10
    assert event.venue == "Клуб"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_at": "2013-09-20T09:00:00+06:00"}, "ends_at", "An event cannot end before it starts."),
        (
            {"participants_planned": -5},
            "participants_planned",
            "Ensure this value is greater than or equal to 0.",
        ),
        (
            {"participants_actual": 5_000_000},
            "participants_actual",
            "Ensure this value is less than or equal to 100000.",
        ),
        (
            {"venue_unit": None},
            "venue_text",
            "Choose a unit of the network as the venue or name the place.",
        ),
        ({"family": "party"}, "family", "Value 'party' is not a valid choice."),
        ({"form": "no-such-form"}, "form", "There is no form of work with the code “no-such-form”."),
        (
            {"sections": [{"speaker": "Без темы", "topic": ""}]},
            "sections.0.topic",
            "This field cannot be blank.",
        ),
    ],
)
def test_bad_data_is_refused_with_the_field_named_and_nothing_saved(net, admin_user, change, field, message):
    response = Api(admin_user).post(EVENTS, {**seed_event(net), **change})

    body = response.json()
    assert response.status_code == 400
    assert {"field": field, "message": message} in body["errors"]
    assert not Event.objects.exists()


def test_a_body_missing_a_required_field_is_422(net, admin_user):
    data = seed_event(net)
    del data["starts_at"]

    response = Api(admin_user).post(EVENTS, data)

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "starts_at", "message": "This field is required."}]


def test_an_unknown_field_is_422(net, admin_user):
    response = Api(admin_user).post(EVENTS, {**seed_event(net), "colour": "red"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "colour"


def test_an_organiser_out_of_sight_is_404_naming_the_field(net, librarian):
    api = Api(librarian)
    hidden = api.post(
        EVENTS, {**seed_event(net), "organiser_unit": net.kainar.pk, "venue_unit": net.mukur.pk}
    )

    assert hidden.status_code == 404
    assert hidden.json()["errors"][0]["field"] == "organiser_unit"
    assert not Event.objects.exists()


def test_a_venue_out_of_sight_is_404_naming_the_field(net, librarian):
    data = {**seed_event(net), "organiser_unit": net.mukur.pk, "venue_unit": net.kainar.pk}

    response = Api(librarian).post(EVENTS, data)

    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "venue_unit"


def test_patching_an_event_one_sees_but_does_not_organise_is_403(librarian, events):
    response = Api(librarian).patch(f"{EVENTS}/{events['held_in_mukur'].pk}", {"title": "Моё"})

    assert response.status_code == 403
    events["held_in_mukur"].refresh_from_db()
    assert events["held_in_mukur"].title == "Выездной семинар"


def test_patch_changes_only_the_fields_sent(librarian, events):
    event = events["mukur"]
    SectionFactory(event=event, topic="Остаётся")

    response = Api(librarian).patch(
        f"{EVENTS}/{event.pk}", {"status": "held", "participants_actual": 25, "outcome": "Прошло."}
    )

    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["participants_actual"], body["outcome"]) == ("held", 25, "Прошло.")
    assert body["title"] == "Квест по Абаю"
    assert [s["topic"] for s in body["sections"]] == ["Остаётся"]
    event.refresh_from_db()
    assert event.participants_actual_manual is True


def test_patch_with_sections_replaces_the_programme_and_handouts_keep_their_files(librarian, events):
    from django.core.files.uploadedfile import SimpleUploadedFile

    event = events["mukur"]
    SectionFactory(event=event, topic="Старая")
    kept = Handout.objects.create(event=event, title="Буклет", file=SimpleUploadedFile("b.pdf", b"%PDF-1.4"))
    Handout.objects.create(event=event, title="Лишнее")

    response = Api(librarian).patch(
        f"{EVENTS}/{event.pk}",
        {"sections": [{"speaker": "Р. Адикаева", "topic": "Новая"}], "handouts": ["Буклет", "Закладка"]},
    )

    assert response.status_code == 200
    assert [s["topic"] for s in response.json()["sections"]] == ["Новая"]
    handouts = list(event.handouts.all())
    assert [h.title for h in handouts] == ["Буклет", "Закладка"]
    assert handouts[0].pk == kept.pk and handouts[0].file


def test_a_refused_patch_changes_nothing(librarian, events):
    event = events["mukur"]
    SectionFactory(event=event, topic="Остаётся")

    response = Api(librarian).patch(
        f"{EVENTS}/{event.pk}", {"title": "Новое", "sections": [{"topic": "Годная"}, {"topic": ""}]}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "sections.1.topic", "message": "This field cannot be blank."}
    ]
    event.refresh_from_db()
    assert event.title == "Квест по Абаю"
    assert list(event.sections.values_list("topic", flat=True)) == ["Остаётся"]


def test_without_credentials_the_api_answers_401(client, events):
    response = client.get(EVENTS)

    assert response.status_code == 401
