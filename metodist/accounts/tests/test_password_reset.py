"""Setting a new password from a mailed link: the reset asked for on the login page, and the link an
administrator sends to a new account."""

import re

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.urls import reverse

from metodist.conftest import PASSWORD

NEW_PASSWORD = "Steppe-wind-1961"


def link_in(message) -> str:
    found = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert found, message.body
    return found.group(1)


def set_password_from(client, path: str, password: str = NEW_PASSWORD):
    # The link redirects to a URL without the token (kept in the session), where the form is.
    form_page = client.get(path, follow=True, HTTP_ACCEPT_LANGUAGE="ru")
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    return client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


def test_the_reset_mail_link_sets_a_new_password(client, librarian):
    page = client.get(reverse("accounts:password_reset"), HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200

    sent = client.post(reverse("accounts:password_reset"), {"email": "MUKUR@example.kz"})

    assert sent.status_code == 302
    assert sent["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mukur@example.kz"]
    assert "mukur" in mail.outbox[0].body  # the login is reminded

    done = set_password_from(client, link_in(mail.outbox[0]))

    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")
    librarian.refresh_from_db()
    assert librarian.check_password(NEW_PASSWORD)
    assert (
        client.post(reverse("accounts:login"), {"username": "mukur", "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_a_used_link_does_not_work_twice(client, librarian):
    client.post(reverse("accounts:password_reset"), {"email": "mukur@example.kz"})
    path = link_in(mail.outbox[0])
    set_password_from(client, path)

    again = client.get(path, follow=True, HTTP_ACCEPT_LANGUAGE="ru")

    assert again.context["validlink"] is False
    assert reverse("accounts:password_reset") in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, librarian):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.kz"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_deactivated_account_gets_no_reset_mail(client, librarian):
    librarian.is_active = False
    librarian.save()

    client.post(reverse("accounts:password_reset"), {"email": "mukur@example.kz"})

    assert mail.outbox == []


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_reset_pages_render_in_every_language(client, db, language):
    for name in ("password_reset", "password_reset_done", "password_reset_complete"):
        assert client.get(reverse(f"accounts:{name}"), HTTP_ACCEPT_LANGUAGE=language).status_code == 200


def test_a_new_account_with_a_mailed_link_sets_its_own_password(client_for, admin_user):
    admin = client_for(admin_user)

    response = admin.post(
        reverse("accounts:user_create"),
        {
            "username": "kainar",
            "last_name": "Ахметова",
            "first_name": "Гульнар",
            "email": "kainar@example.kz",
            "send_link": "on",
        },
    )

    user = get_user_model().objects.get(username="kainar")
    assert response.status_code == 302
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kainar@example.kz"]
    assert "kainar" in mail.outbox[0].body
    admin.logout()

    done = set_password_from(admin, link_in(mail.outbox[0]))

    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    admin.post(reverse("accounts:login"), {"username": "kainar", "password": NEW_PASSWORD})
    assert admin.session[SESSION_KEY] == str(user.pk)


def test_an_account_without_a_password_yet_can_ask_for_the_link_again(client, db):
    user = get_user_model().objects.create_user("newcomer", email="newcomer@example.kz", password=None)
    assert not user.has_usable_password()

    client.post(reverse("accounts:password_reset"), {"email": "newcomer@example.kz"})

    assert len(mail.outbox) == 1


def test_an_administrator_resends_the_link_to_an_existing_user(client_for, admin_user, librarian):
    response = client_for(admin_user).post(reverse("accounts:user_send_link", args=[librarian.pk]))

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [librarian.email]
    librarian.refresh_from_db()
    assert librarian.check_password(PASSWORD)  # nothing changes until the owner uses the link
