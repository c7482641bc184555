"""Every error of the API has one shape, names the field to blame, and speaks the request's language."""

import pytest

UNITS = "/api/v1/units"


def assert_error_shape(response):
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str)
    assert body["detail"]
    for error in body["errors"]:
        assert set(error) == {"field", "message"}
        assert error["message"]
    return body


def fields(response):
    return [error["field"] for error in response.json()["errors"]]


def new_library(parent, **fields):
    return {"parent": parent.pk, "code": "NEW-1", "name_ru": "Новая библиотека", "kind": "library", **fields}


def test_a_bad_kind_under_a_district_is_a_400_naming_the_field(api_for, methodist, net):
    response = api_for(methodist).post(UNITS, new_library(net.beskaragay, kind="region"))

    assert response.status_code == 400
    body = assert_error_shape(response)
    assert fields(response) == ["parent"]
    assert body["detail"] == body["errors"][0]["message"]


def test_an_unknown_kind_is_a_422_naming_kind(api_for, methodist, net):
    response = api_for(methodist).post(UNITS, new_library(net.beskaragay, kind="castle"))

    assert response.status_code == 422
    assert_error_shape(response)
    assert fields(response) == ["kind"]


def test_an_unknown_library_type_is_a_400_naming_it(api_for, methodist, net):
    response = api_for(methodist).post(UNITS, new_library(net.beskaragay, library_type="castle"))

    assert response.status_code == 400
    assert fields(response) == ["library_type"]


def test_a_duplicate_code_is_a_400_naming_code(api_for, methodist, net):
    response = api_for(methodist).post(UNITS, new_library(net.beskaragay, code="KAN-LIB"))

    assert response.status_code == 400
    assert_error_shape(response)
    assert fields(response) == ["code"]


def test_several_invalid_fields_are_all_reported(api_for, methodist, net):
    response = api_for(methodist).patch(
        f"{UNITS}/{net.kanonerka.pk}",
        {"email": "not an e-mail", "opened_on": "2020-01-01", "closed_on": "2019-01-01"},
    )

    assert response.status_code == 400
    assert_error_shape(response)
    assert set(fields(response)) == {"email", "closed_on"}


def test_a_request_that_does_not_parse_is_a_422_with_the_field_names(api_for, methodist, net):
    response = api_for(methodist).post(
        UNITS, {"parent": net.beskaragay.pk, "opening_year": "soon", "languages": [[]]}
    )

    assert response.status_code == 422
    assert_error_shape(response)
    assert set(fields(response)) == {"code", "name_ru", "kind", "opening_year", "languages.0"}


def test_an_unknown_field_is_refused_rather_than_ignored(api_for, librarian, net):
    response = api_for(librarian).patch(f"{UNITS}/{net.mukur.pk}", {"phnoe": "+7 000"})

    assert response.status_code == 422
    assert fields(response) == ["phnoe"]


def test_a_bad_query_parameter_is_a_422_naming_it(api_for, admin_user):
    response = api_for(admin_user).get(UNITS, {"limit": 0, "kind": "castle"})

    assert response.status_code == 422
    assert_error_shape(response)
    assert set(fields(response)) == {"limit", "kind"}


def test_a_body_that_is_not_json_is_a_400(api_for, librarian, net):
    api = api_for(librarian)

    response = api.client.patch(
        f"{UNITS}/{net.mukur.pk}",
        "{not json",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **api.headers,
    )

    assert response.status_code == 400
    assert assert_error_shape(response)["detail"] == "The request body is not valid JSON."


@pytest.mark.parametrize(
    ("language", "message"),
    [("ru", "Обязательное поле."), ("en", "This field is required."), ("kk", "Бұл өрісті толтыру міндетті.")],
)
def test_messages_follow_accept_language(api_for, methodist, net, language, message):
    response = api_for(methodist).post(UNITS, {"parent": net.beskaragay.pk}, HTTP_ACCEPT_LANGUAGE=language)

    assert response["Content-Language"] == language
    assert {e["field"]: e["message"] for e in response.json()["errors"]}["code"] == message


def test_russian_is_the_default_language(api_for, admin_user):
    response = api_for(admin_user).get(UNITS)

    assert response["Content-Language"] == "ru"


def test_the_handler_runs_in_the_language_of_the_request(api_for, admin_user, net):
    # `name` is chosen by translation.get_language() while the handler runs.
    response = api_for(admin_user).get(f"{UNITS}/{net.abay.pk}", HTTP_ACCEPT_LANGUAGE="kk")

    assert response["Content-Language"] == "kk"
    assert response.json()["name"] == "Абай ауданы"


def test_a_missing_unit_is_a_404_in_the_shape(api_for, admin_user):
    response = api_for(admin_user).get(f"{UNITS}/999999")

    assert response.status_code == 404
    assert assert_error_shape(response)["errors"] == []


def test_a_refused_right_is_a_403_in_the_shape(api_for, librarian, net):
    response = api_for(librarian).patch(f"{UNITS}/{net.mukur.pk}", {"kind": "online_centre"})

    assert response.status_code == 403
    assert_error_shape(response)


def test_missing_credentials_are_a_401_in_the_shape(client, net):
    response = client.get(UNITS)

    assert response.status_code == 401
    assert_error_shape(response)
