"""`/api/v1/partners` and `/api/v1/agreements`: lists through the scope with filters, creating with the
refused fields named, rights and units out of scope."""

import datetime

import pytest
from django.test import Client

from metodist.accounts.models import ApiToken
from metodist.marketing import partners as svc
from metodist.marketing.models.partners import Agreement, Partner

PARTNERS = "/api/v1/partners"
AGREEMENTS = "/api/v1/agreements"
TODAY = datetime.date.today()


def _api(user) -> Client:
    _token, key = ApiToken.issue(user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def museum(net, marketer):
    museum = svc.partner_create(
        user=marketer,
        data={"unit": net.regional, "name": "Областной историко-краеведческий музей", "kind": "museum"},
        contacts=[{"full_name": "Сейткали Нурлан", "position": "директор"}],
    )
    svc.partner_create(user=marketer, data={"unit": net.mukur, "name": "Акимат села Мукур", "kind": "akimat"})
    svc.agreement_create(
        user=marketer,
        data={
            "unit": net.regional,
            "partner": museum,
            "number": "5",
            "starts_on": TODAY - datetime.timedelta(days=200),
            "ends_on": TODAY + datetime.timedelta(days=5),
            "subject": "Совместные краеведческие выставки",
        },
    )
    return museum


def test_the_partner_list_follows_the_scope_and_its_filters(net, museum, marketer, librarian):
    everything = _api(marketer).get(PARTNERS).json()
    assert everything["count"] == 2
    assert [p["name"] for p in everything["items"]] == ["Акимат села Мукур", museum.name]
    assert everything["items"][1]["contacts"][0]["full_name"] == "Сейткали Нурлан"
    assert [p["kind"] for p in _api(marketer).get(PARTNERS, {"kind": "museum"}).json()["items"]] == ["museum"]
    assert _api(marketer).get(PARTNERS, {"expiring": "true"}).json()["count"] == 1
    own = _api(librarian).get(PARTNERS).json()
    assert [p["name"] for p in own["items"]] == ["Акимат села Мукур"]
    assert _api(librarian).get(f"{PARTNERS}/{museum.pk}").status_code == 404
    answer = _api(librarian).get(PARTNERS, {"unit": net.regional.pk})
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["field"] == "unit"


def test_the_agreement_list_gives_the_state_of_today(museum, marketer, librarian):
    answer = _api(marketer).get(AGREEMENTS, {"state": "expiring"}).json()
    assert answer["count"] == 1
    assert answer["items"][0]["state"] == "expiring"
    assert answer["items"][0]["status"] == "active"
    assert answer["items"][0]["partner_name"] == museum.name
    assert _api(marketer).get(AGREEMENTS, {"state": "expired"}).json()["count"] == 0
    assert _api(librarian).get(AGREEMENTS).json()["count"] == 0


def test_a_partner_and_an_agreement_are_created_through_the_api(net, museum, marketer):
    client = _api(marketer)
    body = {
        "name": "Телеканал «Ертіс»",
        "kind": "media",
        "libraries": [net.regional.pk, net.mukur.pk],
        "contacts": [{"full_name": "Жанар Омарова", "email": "zhanar@ertis.kz"}],
    }
    created = client.post(PARTNERS, body, content_type="application/json")
    assert created.status_code == 201
    data = created.json()
    assert data["unit"]["code"] == "VKOUB"  # the marketer's library by default
    assert {u["code"] for u in data["libraries"]} == {"VKOUB", "MUK-LIB"}
    agreement = client.post(
        AGREEMENTS,
        {
            "partner": data["id"],
            "number": "12-М",
            "starts_on": "2025-02-01",
            "ends_on": "2026-01-31",
            "subject": "Освещение мероприятий",
        },
        content_type="application/json",
    )
    assert agreement.status_code == 201
    assert agreement.json()["number"] == "12-М"
    assert Agreement.objects.get(number="12-М").created_by == marketer


def test_bad_input_is_refused_with_the_field_named(net, museum, marketer, librarian):
    client = _api(marketer)
    duplicate = client.post(
        PARTNERS, {"name": museum.name, "kind": "museum"}, content_type="application/json"
    )
    assert duplicate.status_code == 400
    assert duplicate.json()["errors"][0]["field"] == "name"
    kind = client.post(PARTNERS, {"name": "Кто-то", "kind": "circus"}, content_type="application/json")
    assert kind.status_code == 400
    assert kind.json()["errors"][0]["field"] == "kind"
    extra = client.post(
        PARTNERS, {"name": "Кто-то", "kind": "ngo", "rating": 5}, content_type="application/json"
    )
    assert extra.status_code == 422
    dates = client.post(
        AGREEMENTS,
        {
            "partner": museum.pk,
            "number": "6",
            "starts_on": "2025-05-01",
            "ends_on": "2025-01-01",
            "subject": "Предмет",
        },
        content_type="application/json",
    )
    assert dates.status_code == 400
    assert dates.json()["errors"][0]["field"] == "ends_on"
    number = client.post(
        AGREEMENTS,
        {"partner": museum.pk, "number": "5", "starts_on": "2025-05-01", "subject": "Предмет"},
        content_type="application/json",
    )
    assert number.json()["errors"][0]["field"] == "number"
    hidden = _api(librarian).post(
        AGREEMENTS,
        {"partner": museum.pk, "number": "7", "starts_on": "2025-05-01", "subject": "Предмет"},
        content_type="application/json",
    )
    assert hidden.status_code == 404
    assert hidden.json()["errors"][0]["field"] == "partner"
    no_right = _api(librarian).post(
        PARTNERS, {"name": "Школа", "kind": "school"}, content_type="application/json"
    )
    assert no_right.status_code == 403
    assert Partner.objects.count() == 2
