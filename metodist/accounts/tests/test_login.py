"""The login page, logging out and changing one's password."""

from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from metodist.conftest import PASSWORD

LOGIN_URL = reverse("accounts:login")


def test_the_login_page_is_a_labelled_form_with_the_product_name(client, db):
    response = client.get(LOGIN_URL, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert '<label class="form-label" for="id_username">' in html
    assert '<label class="form-label" for="id_password">' in html
    assert 'autocomplete="current-password"' in html
    assert reverse("accounts:password_reset") in html


def test_a_correct_password_logs_in_and_goes_home(client, librarian):
    response = client.post(LOGIN_URL, {"username": "mukur", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")
    assert client.session[SESSION_KEY] == str(librarian.pk)


def test_it_follows_the_next_parameter_within_the_site(client, librarian):
    response = client.post(
        f"{LOGIN_URL}?next=/accounts/profile/",
        {"username": "mukur", "password": PASSWORD, "next": "/accounts/profile/"},
    )

    assert response["Location"] == "/accounts/profile/"


def test_a_wrong_password_stays_on_the_page_with_an_error(client, librarian):
    response = client.post(LOGIN_URL, {"username": "mukur", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    assert response.context["form"].errors["__all__"]
    assert 'role="alert"' in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_deactivated_account_cannot_log_in(client, librarian):
    librarian.is_active = False
    librarian.save()

    response = client.post(LOGIN_URL, {"username": "mukur", "password": PASSWORD})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_a_logged_in_user_is_sent_away_from_the_login_page(client_for, librarian):
    response = client_for(librarian).get(LOGIN_URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")


def test_logout_is_a_post_that_ends_the_session(client_for, librarian):
    client = client_for(librarian)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert SESSION_KEY not in client.session


def test_pages_send_an_anonymous_visitor_to_the_login_page(client, db):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN_URL}?next=")


def test_changing_the_password_needs_the_old_one_and_then_works(client_for, librarian):
    client = client_for(librarian)
    url = reverse("accounts:password_change")
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="ru").status_code == 200

    refused = client.post(
        url,
        {"old_password": "wrong", "new_password1": "Lilac-river-2024", "new_password2": "Lilac-river-2024"},
    )
    accepted = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "Lilac-river-2024", "new_password2": "Lilac-river-2024"},
    )

    assert refused.status_code == 200
    assert "old_password" in refused.context["form"].errors
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("accounts:password_change_done")
    librarian.refresh_from_db()
    assert librarian.check_password("Lilac-river-2024")
    assert client.get(accepted["Location"]).status_code == 200
