"""The user's own page: their roles, and their API tokens (created with the key shown once, revoked)."""

from django.urls import reverse

from metodist.accounts.models import ApiToken, RoleKind
from metodist.core.testing.factories import RoleFactory

PROFILE_URL = reverse("accounts:profile")


def test_the_profile_lists_the_roles_with_links_to_their_units(client_for, net, librarian):
    RoleFactory(user=librarian, unit=net.mukur_oc, kind=RoleKind.VOLUNTEER)

    response = client_for(librarian).get(PROFILE_URL, HTTP_ACCEPT_LANGUAGE="ru")

    html = response.content.decode()
    assert response.status_code == 200
    assert [role.unit for role in response.context["roles"]] == [net.mukur, net.mukur_oc]
    assert reverse("network:unit_detail", args=[net.mukur.pk]) in html
    assert reverse("network:unit_detail", args=[net.mukur_oc.pk]) in html


def test_a_new_token_shows_its_key_once(client_for, librarian):
    client = client_for(librarian)

    response = client.post(reverse("accounts:token_create"), {"name": "weekly report script"})

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    token = ApiToken.objects.get(user=librarian)
    assert token.name == "weekly report script"
    first = client.get(PROFILE_URL, HTTP_ACCEPT_LANGUAGE="ru")
    key = first.context["new_token"]["key"]
    assert ApiToken.find_active(key) == token
    assert key in first.content.decode()
    assert "no-store" in first["Cache-Control"]
    second = client.get(PROFILE_URL)
    assert key not in second.content.decode()
    assert token.prefix in second.content.decode()


def test_a_token_needs_a_name(client_for, librarian):
    response = client_for(librarian).post(reverse("accounts:token_create"), {"name": "  "})

    assert response.status_code == 200
    assert "name" in response.context["token_form"].errors
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_its_key(client_for, librarian):
    token, key = ApiToken.issue(librarian, name="old script")

    response = client_for(librarian).post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.find_active(key) is None
    assert ApiToken.objects.filter(pk=token.pk).exists()  # kept, shown as revoked


def test_revoking_another_users_token_answers_404(client_for, librarian, methodist):
    token, key = ApiToken.issue(methodist, name="methodist's script")
    client = client_for(librarian)

    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    page = client.get(PROFILE_URL)

    assert response.status_code == 404
    assert ApiToken.find_active(key) == token
    assert token not in page.context["tokens"]


def test_token_pages_need_a_login_and_a_post(client, client_for, librarian):
    token, _key = ApiToken.issue(librarian)

    anonymous = client.post(reverse("accounts:token_create"), {"name": "x"})
    get_revoke = client_for(librarian).get(reverse("accounts:token_revoke", args=[token.pk]))

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert get_revoke.status_code == 405
    assert ApiToken.objects.filter(user=librarian).count() == 1
    assert ApiToken.find_active(_key) == token
