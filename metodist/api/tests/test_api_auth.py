"""Tokens of the API: obtaining one with a password, using it, listing and revoking one's own."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from metodist.accounts.models import ApiToken, _digest
from metodist.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token"
TOKENS_URL = "/api/v1/auth/tokens"


def obtain(client, username, password, **extra):
    return client.post(
        TOKEN_URL, {"username": username, "password": password, **extra}, content_type="application/json"
    )


def test_it_issues_a_token_for_a_good_password_and_stores_only_its_digest(client, librarian):
    response = obtain(client, "mukur", PASSWORD, name="reporting script")

    assert response.status_code == 200
    key = response.json()["token"]
    token = ApiToken.objects.get(user=librarian)
    assert token.name == "reporting script"
    assert token.digest == _digest(key)
    assert key not in {token.digest, token.prefix}
    assert key.startswith(token.prefix)


def test_it_refuses_a_wrong_password_with_401_and_no_token(client, librarian):
    response = obtain(client, "mukur", "wrong-password")

    assert response.status_code == 401
    assert response.json()["detail"]
    assert response.json()["errors"] == []
    assert not ApiToken.objects.exists()


def test_it_refuses_an_inactive_user(client, librarian):
    librarian.is_active = False
    librarian.save()

    assert obtain(client, "mukur", PASSWORD).status_code == 401


def test_it_throttles_after_repeated_failures_even_with_the_right_password(client, librarian, settings):
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    for _attempt in range(3):
        assert obtain(client, "mukur", "wrong-password").status_code == 401

    response = obtain(client, "mukur", PASSWORD)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_a_bearer_token_authenticates_requests(client, librarian, key_for):
    key = key_for(librarian)

    response = client.get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 200
    assert response.json()["count"] > 0


def test_it_answers_401_without_credentials(client, net):
    response = client.get("/api/v1/units")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer not-a-real-key", "Bearer ", "Token abc"])
def test_it_answers_401_for_a_bad_authorization_header(client, net, header):
    assert client.get("/api/v1/units", HTTP_AUTHORIZATION=header).status_code == 401


def test_a_revoked_token_answers_401(client, librarian, key_for):
    key = key_for(librarian)
    ApiToken.objects.update(revoked_at=timezone.now())

    response = client.get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 401


def test_a_token_of_an_inactive_user_answers_401(client, librarian, key_for):
    key = key_for(librarian)
    librarian.is_active = False
    librarian.save()

    assert client.get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_a_bad_token_is_refused_even_with_a_session(client_for, librarian):
    client = client_for(librarian)

    assert client.get("/api/v1/units", HTTP_AUTHORIZATION="Bearer revoked-or-unknown").status_code == 401


def test_it_records_when_a_token_was_last_used_at_most_once_a_minute(
    client, librarian, key_for, time_machine
):
    time_machine.move_to("2025-03-01 10:00:00+05:00", tick=False)
    key = key_for(librarian)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    client.get("/api/v1/units", **headers)
    first = ApiToken.objects.get().last_used_at
    time_machine.shift(timedelta(seconds=30))
    client.get("/api/v1/units", **headers)
    second = ApiToken.objects.get().last_used_at
    time_machine.shift(timedelta(seconds=60))
    client.get("/api/v1/units", **headers)
    third = ApiToken.objects.get().last_used_at

    assert first == timezone.now() - timedelta(seconds=90)
    assert second == first
    assert third == timezone.now()


def test_a_logged_in_browser_session_can_read(client_for, librarian):
    response = client_for(librarian).get("/api/v1/units")

    assert response.status_code == 200


def test_a_session_needs_the_csrf_token_for_unsafe_methods(librarian, net):
    client = Client(enforce_csrf_checks=True)
    client.force_login(librarian)
    url = f"/api/v1/units/{net.mukur.pk}"

    refused = client.patch(url, {"phone": "+7 722 000"}, content_type="application/json")
    client.get("/api/v1/docs")  # the page sets the CSRF cookie, as it would for Swagger UI
    csrf = client.cookies["csrftoken"].value
    accepted = client.patch(
        url, {"phone": "+7 722 000"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )

    assert refused.status_code == 403
    assert refused.json()["detail"]
    assert accepted.status_code == 200
    assert accepted.json()["phone"] == "+7 722 000"


def test_a_bearer_token_needs_no_csrf_token(librarian, net, key_for):
    client = Client(enforce_csrf_checks=True)

    response = client.patch(
        f"/api/v1/units/{net.mukur.pk}",
        {"phone": "+7 722 111"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key_for(librarian)}",
    )

    assert response.status_code == 200


def test_it_lists_only_the_callers_own_tokens(api_for, librarian, methodist, key_for):
    key_for(methodist, name="someone else's")
    api = api_for(librarian)
    ApiToken.objects.filter(user=librarian).update(name="mine")

    response = api.get(TOKENS_URL)

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    assert [item["name"] for item in body["items"]] == ["mine"]
    assert set(body["items"][0]) == {"id", "name", "prefix", "created_at", "last_used_at", "revoked_at"}


def test_it_revokes_an_own_token_and_the_key_stops_working(api_for, librarian, key_for):
    other_key = key_for(librarian, name="old script")
    other = ApiToken.objects.get(digest=_digest(other_key))
    api = api_for(librarian)

    response = api.delete(f"{TOKENS_URL}/{other.pk}")

    assert response.status_code == 204
    other.refresh_from_db()
    assert other.revoked_at is not None
    assert Client().get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {other_key}").status_code == 401
    assert api.get("/api/v1/units").status_code == 200


def test_it_answers_404_when_revoking_another_users_token(api_for, librarian, methodist, key_for):
    key = key_for(methodist)
    theirs = ApiToken.objects.get(digest=_digest(key))

    response = api_for(librarian).delete(f"{TOKENS_URL}/{theirs.pk}")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_session_user_sees_a_csrf_protected_docs_page(client_for, librarian):
    response = client_for(librarian).get("/api/v1/docs")

    assert response.status_code == 200
    # Swagger's "Try it out" runs in the session, so the page carries the CSRF token for it.
    assert b'data-api-csrf="true"' in response.content
    assert response.cookies["csrftoken"].value
