"""`/api/v1/consultations`: the list within scope with its filters, and recording one."""

from django.test import Client

from metodist.accounts.models import ApiToken
from metodist.assistance.models import Consultation

URL = "/api/v1/consultations"


def _api(user) -> Client:
    _token, key = ApiToken.issue(user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_list_is_paginated_and_limited_to_the_callers_scope(given, librarian):
    answer = _api(librarian).get(URL).json()
    assert answer["count"] == 2
    assert {item["topic"] for item in answer["items"]} == {
        "Заполнение паспорта библиотеки",
        "Еженедельный отчёт онлайн-центра",
    }


def test_the_list_filters_by_unit_period_mode_and_direction(given, admin_user, net):
    api = _api(admin_user)
    assert api.get(URL, {"under": net.kainar.pk}).json()["count"] == 1
    assert api.get(URL, {"date_from": "2025-04-01"}).json()["count"] == 1
    assert api.get(URL, {"mode": "on_site"}).json()["items"][0]["people_count"] == 4
    items = api.get(URL, {"direction": "reporting"}).json()["items"]
    assert [item["id"] for item in items] == [given["mukur"].pk, given["kainar"].pk]
    assert items[1]["directions"] == ["online_centres", "reporting"]  # in the order of the list


def test_a_unit_out_of_scope_in_the_filter_is_404(given, librarian, net):
    answer = _api(librarian).get(URL, {"under": net.kainar.pk})
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["field"] == "under"


def test_a_methodologist_records_a_consultation(net, methodist):
    answer = _api(methodist).post(
        URL,
        {
            "to_unit": net.kanonerka.pk,
            "mode": "phone",
            "directions": ["online_centres"],
            "topic": "Работа онлайн-центра: учёт посетителей",
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["consultant"] == "methodist"
    assert body["consultant_unit"] == net.beskaragay.pk
    assert body["directions"] == ["online_centres"]
    assert Consultation.objects.get().to_unit == net.kanonerka


def test_recording_refuses_bad_data_with_the_field_named(net, methodist):
    api = _api(methodist)
    base = {"to_unit": net.kanonerka.pk, "topic": "Тема"}
    answer = api.post(URL, {**base, "mode": "fax"}, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "mode"
    answer = api.post(URL, {**base, "form": "group", "people_count": 20000}, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "people_count"
    answer = api.post(URL, {**base, "directions": ["nope"]}, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "directions"
    answer = api.post(URL, {**base, "colour": "red"}, content_type="application/json")
    assert answer.status_code == 422
    assert not Consultation.objects.exists()


def test_recording_for_a_unit_out_of_scope_is_404_and_without_the_right_403(net, methodist, librarian):
    answer = _api(methodist).post(
        URL, {"to_unit": net.mukur.pk, "topic": "Т"}, content_type="application/json"
    )
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["field"] == "to_unit"
    answer = _api(librarian).post(
        URL, {"to_unit": net.mukur.pk, "topic": "Т"}, content_type="application/json"
    )
    assert answer.status_code == 403
    assert not Consultation.objects.exists()
