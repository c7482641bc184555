"""`/api/v1/forms-of-work`: the catalogue through the API, its shape, pages, filters and languages."""

import pytest
from django.test import Client

from metodist.accounts.models import ApiToken
from metodist.events.catalogue import catalogue_load, split_steps
from metodist.events.catalogue_data import FORMS
from metodist.events.models import FormOfWork

URL = "/api/v1/forms-of-work"
LIST_FIELDS = {"code", "name", "name_ru", "name_kk", "name_en", "family", "description"}


@pytest.fixture
def api(db, librarian):
    """A client calling as the Mukur librarian with a bearer key; the catalogue loaded."""
    catalogue_load()
    _token, key = ApiToken.issue(librarian)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def items(response) -> dict[str, dict]:
    return {item["code"]: item for item in response.json()["items"]}


def test_the_list_answers_items_and_count_with_the_documented_fields(api):
    response = api.get(URL)

    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"items", "count"}
    assert body["count"] == len(FORMS)
    assert all(set(item) == LIST_FIELDS for item in body["items"])
    desant = items(response)["bibliodesant"]
    assert desant["name"] == desant["name_ru"] == "Библиодесант"
    assert desant["family"] == "public"
    assert desant["description"] == FormOfWork.objects.get(code="bibliodesant").summary_ru


def test_the_name_and_description_follow_the_language_of_the_request(api):
    kazakh = items(api.get(URL, HTTP_ACCEPT_LANGUAGE="kk"))
    english = items(api.get(URL, HTTP_ACCEPT_LANGUAGE="en"))
    auction = FormOfWork.objects.get(code="knowledge_auction")

    assert kazakh["knowledge_auction"]["name"] == "Білім аукционы"
    assert kazakh["knowledge_auction"]["description"] == auction.summary_kk
    assert kazakh["knowledge_auction"]["name_ru"] == "Аукцион знаний"
    assert english["knowledge_auction"]["name"] == "Knowledge auction"
    assert english["knowledge_auction"]["description"] == auction.summary_en


def test_the_list_pages_with_limit_and_offset_in_a_stable_order(api):
    everything = [item["code"] for item in api.get(URL, {"limit": 500}).json()["items"]]

    page = api.get(URL, {"limit": 5, "offset": 5}).json()

    assert page["count"] == len(FORMS)
    assert [item["code"] for item in page["items"]] == everything[5:10]


def test_the_list_filters_by_name_and_family(api):
    found = api.get(URL, {"q": "квест"}).json()
    trainings = api.get(URL, {"family": "training", "limit": 500}).json()

    assert [item["code"] for item in found["items"]] == ["literary_quest"]
    assert trainings["count"] == 11
    assert {item["family"] for item in trainings["items"]} == {"training"}


def test_an_unknown_family_is_refused_with_the_field_named(api):
    response = api.get(URL, {"family": "party"})

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["family"]


def test_one_form_has_every_section_steps_related_codes_and_scenarios(api):
    response = api.get(f"{URL}/bibliodesant", HTTP_ACCEPT_LANGUAGE="kk")

    body = response.json()
    form = FormOfWork.objects.get(code="bibliodesant")
    assert response.status_code == 200
    assert body["name"] == "Библиодесант"
    assert body["description"] == form.summary_kk
    assert body["full_description"] == form.description_kk
    assert body["audiences"] == form.audiences_kk
    assert body["preparation"] == split_steps(form.preparation_kk)
    assert body["conduct"] == split_steps(form.conduct_kk)
    assert body["duration"] == "1–2 сағат"
    assert "book_exhibition" in body["related"]
    assert {s["language"] for s in body["scenarios"]} == {"ru", "kk"}
    assert body["is_active"] is True


def test_an_unknown_form_answers_404_in_the_error_shape(api):
    response = api.get(f"{URL}/no-such-form")

    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


def test_the_catalogue_needs_credentials(db):
    assert Client().get(URL).status_code == 401


def test_a_withdrawn_form_leaves_the_list_but_keeps_its_card(api):
    FormOfWork.objects.filter(code="quiz").update(is_active=False)

    listed = items(api.get(URL, {"limit": 500}))
    card = api.get(f"{URL}/quiz").json()

    assert "quiz" not in listed
    assert card["is_active"] is False
