"""Login throttling: a pause after repeated failures, per user name and per client address."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from metodist.accounts import throttle
from metodist.conftest import PASSWORD
from metodist.core.testing.factories import UserFactory

LOGIN_URL = reverse("accounts:login")
START = datetime(2024, 9, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _throttle_settings(settings):
    settings.LOGIN_THROTTLE_ATTEMPTS = 5
    settings.LOGIN_THROTTLE_WINDOW = 900
    cache.clear()
    yield
    cache.clear()


def login(client, username, password, address="10.0.0.1", language="en"):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE=language,
    )


def fail(client, username, times, address="10.0.0.1"):
    for _attempt in range(times):
        response = login(client, username, "wrong-password", address)
        assert response.status_code == 200


def test_after_five_failures_the_correct_password_is_refused(client, librarian):
    fail(client, "mukur", 5)

    response = login(client, "mukur", PASSWORD)

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert [e.code for e in response.context["form"].errors.as_data()["__all__"]] == ["throttled"]


def test_the_refusal_says_how_long_to_wait(client, librarian):
    fail(client, "mukur", 5)

    response = login(client, "mukur", PASSWORD)

    assert "Too many failed attempts. Try again in 15 minutes." in response.content.decode()


def test_four_failures_still_let_the_right_password_in(client, librarian):
    fail(client, "mukur", 4)

    response = login(client, "mukur", PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(librarian.pk)


def test_time_passing_lets_the_user_in_again(client, librarian):
    with time_machine.travel(START, tick=False) as traveller:
        fail(client, "mukur", 5)
        traveller.shift(600)
        refused = login(client, "mukur", PASSWORD)
        assert refused.status_code == 200
        assert "Try again in 5 minutes." in refused.content.decode()

        traveller.shift(301)
        response = login(client, "mukur", PASSWORD)
        # Read inside the travel: the session made in 2024 would have expired by the real date.
        assert client.session[SESSION_KEY] == str(librarian.pk)

    assert response.status_code == 302


def test_failures_slide_out_of_the_window_one_by_one(client, librarian):
    with time_machine.travel(START, tick=False) as traveller:
        fail(client, "mukur", 1)
        traveller.shift(500)
        fail(client, "mukur", 4)
        traveller.shift(401)  # the first failure has left the window; four remain

        response = login(client, "mukur", PASSWORD)

    assert response.status_code == 302


def test_a_success_resets_the_counter_of_the_user_name(client, librarian):
    fail(client, "mukur", 4, address="10.0.0.1")
    assert login(client, "mukur", PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()

    fail(client, "mukur", 4, address="10.0.0.3")
    response = login(client, "mukur", PASSWORD, address="10.0.0.4")

    assert response.status_code == 302


def test_failures_of_one_user_name_block_it_from_every_address(client, librarian):
    for number in range(5):
        fail(client, "MUKUR", 1, address=f"10.0.1.{number}")

    response = login(client, "mukur", PASSWORD, address="10.0.2.1")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_failures_from_one_address_block_every_user_name_from_it(client, librarian):
    for number in range(5):
        fail(client, f"guess{number}", 1, address="10.0.0.9")

    blocked = login(client, "mukur", PASSWORD, address="10.0.0.9")
    elsewhere = login(Client(), "mukur", PASSWORD, address="10.0.0.10")

    assert blocked.status_code == 200
    assert elsewhere.status_code == 302


def test_a_refused_attempt_does_not_check_the_password(client, librarian, django_assert_num_queries):
    fail(client, "mukur", 5)

    # No query at all: the user is not even looked up, let alone the password hashed.
    with django_assert_num_queries(0):
        response = login(Client(), "mukur", PASSWORD)

    assert response.status_code == 200


def test_the_functions_for_the_api_count_and_raise(db):
    user = UserFactory(username="script")
    request = RequestFactory().post("/api/v1/auth/token", REMOTE_ADDR="10.0.0.7")
    with time_machine.travel(START, tick=False):
        for _attempt in range(5):
            throttle.check(request, user.username)
            throttle.failed(request, user.username)

        with pytest.raises(throttle.Throttled) as refused:
            throttle.check(request, user.username)

    assert refused.value.retry_after == 900
    assert refused.value.minutes == 15
    assert throttle.wait(RequestFactory().post("/", REMOTE_ADDR="10.0.0.8"), "someone-else") == 0
