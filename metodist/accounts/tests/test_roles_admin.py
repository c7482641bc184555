"""Users and roles, for administrators: the user list, creating accounts, granting and revoking roles."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from metodist.accounts import services
from metodist.accounts.models import Role, RoleKind
from metodist.conftest import PASSWORD
from metodist.core import scope
from metodist.core.testing.factories import RoleFactory, UserFactory, add_unit
from metodist.network.models import UnitKind

User = get_user_model()


def grant_url(user):
    return reverse("accounts:role_grant", args=[user.pk])


def fresh(user):
    """The user as the next request loads them, without any scope cached on the object."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def pavlodar(db):
    """A second region, outside the administrator's subtree."""
    region = add_unit(None, code="PVL", name_ru="Павлодарская область", kind=UnitKind.REGION)
    library = add_unit(region, code="PVL-LIB", name_ru="Павлодарская библиотека", kind=UnitKind.LIBRARY)
    return library


def test_the_user_list_shows_users_of_the_scope_and_users_without_roles(
    client_for, admin_user, methodist, librarian, outsider, pavlodar
):
    stranger = UserFactory(username="pavlodar-librarian")
    RoleFactory(user=stranger, unit=pavlodar, kind=RoleKind.LIBRARIAN)

    response = client_for(admin_user).get(reverse("accounts:user_list"), HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    shown = {user.username for user in response.context["page"]}
    assert {"admin", "methodist", "mukur", "outsider"} <= shown
    assert "pavlodar-librarian" not in shown


def test_the_user_list_searches_and_filters_by_role_and_subtree(
    client_for, net, admin_user, methodist, librarian
):
    client = client_for(admin_user)
    url = reverse("accounts:user_list")

    def usernames(**params):
        return {user.username for user in client.get(url, params).context["page"]}

    assert usernames(q="MUKUR") == {"mukur"}
    assert usernames(kind=RoleKind.METHODOLOGIST) == {"methodist"}
    assert usernames(unit=net.abay.pk) == {"mukur"}
    assert usernames(unit=net.beskaragay.pk, kind=RoleKind.LIBRARIAN) == set()


def test_the_user_list_answers_htmx_with_the_results_only(client_for, admin_user, librarian):
    response = client_for(admin_user).get(
        reverse("accounts:user_list"), {"q": "mukur"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results">')
    assert "<html" not in html


def test_a_methodologist_cannot_open_the_user_pages(client_for, methodist, librarian, net):
    client = client_for(methodist)
    role = librarian.roles.get()

    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_create")).status_code == 403
    assert client.get(reverse("accounts:user_detail", args=[librarian.pk])).status_code == 403
    assert client.post(grant_url(librarian), {"kind": "librarian", "unit": net.kainar.pk}).status_code == 403
    assert client.post(reverse("accounts:role_revoke", args=[role.pk])).status_code == 403
    assert Role.objects.filter(user=librarian).count() == 1


def test_a_district_administrator_does_not_reach_users_of_other_districts(client_for, net, librarian):
    district_admin = UserFactory(username="bsk-admin")
    RoleFactory(user=district_admin, unit=net.beskaragay, kind=RoleKind.ADMINISTRATOR)
    client = client_for(district_admin)

    assert client.get(reverse("accounts:user_detail", args=[librarian.pk])).status_code == 404
    assert client.post(reverse("accounts:role_revoke", args=[librarian.roles.get().pk])).status_code == 404
    assert librarian.roles.exists()


def test_an_administrator_grants_a_role_and_the_grantee_sees_the_unit(client_for, net, admin_user, outsider):
    assert not scope.units(fresh(outsider)).exists()
    client = client_for(admin_user)
    page = client.get(reverse("accounts:user_detail", args=[outsider.pk]), HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200
    assert f'action="{grant_url(outsider)}"' in page.content.decode()

    response = client.post(grant_url(outsider), {"kind": RoleKind.LIBRARIAN, "unit": net.kainar.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[outsider.pk])
    role = Role.objects.get(user=outsider)
    assert (role.kind, role.unit, role.granted_by) == (RoleKind.LIBRARIAN, net.kainar, admin_user)
    assert set(scope.units(fresh(outsider))) == {net.kainar}


def test_an_administrator_revokes_a_role_and_the_scope_shrinks(client_for, net, admin_user, librarian):
    role = librarian.roles.get()
    assert scope.covers(fresh(librarian), net.mukur)

    response = client_for(admin_user).post(reverse("accounts:role_revoke", args=[role.pk]))

    assert response.status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()
    assert not scope.covers(fresh(librarian), net.mukur)


def test_revoking_needs_a_post(client_for, admin_user, librarian):
    role = librarian.roles.get()

    response = client_for(admin_user).get(reverse("accounts:role_revoke", args=[role.pk]))

    assert response.status_code == 405
    assert Role.objects.filter(pk=role.pk).exists()


def test_the_user_page_shows_who_granted_and_revoked_what(client_for, net, admin_user, outsider):
    client = client_for(admin_user)
    client.post(grant_url(outsider), {"kind": RoleKind.LIBRARIAN, "unit": net.kainar.pk})
    client.post(reverse("accounts:role_revoke", args=[Role.objects.get(user=outsider).pk]))

    page = client.get(reverse("accounts:user_detail", args=[outsider.pk]), HTTP_ACCEPT_LANGUAGE="ru")

    history = page.context["history"]
    assert [record.history_type for record in history] == ["-", "+"]
    assert {record.history_user for record in history} == {admin_user}
    assert page.content.decode().count(net.kainar.name) >= 2


def test_a_region_administrator_cannot_grant_a_role_outside_their_subtree(
    client_for, admin_user, outsider, pavlodar
):
    with pytest.raises(PermissionDenied):
        services.role_grant(granted_by=admin_user, user=outsider, unit=pavlodar, kind=RoleKind.LIBRARIAN)

    response = client_for(admin_user).post(
        grant_url(outsider), {"kind": RoleKind.LIBRARIAN, "unit": pavlodar.pk}
    )

    assert response.status_code == 200
    assert "unit" in response.context["grant_form"].errors
    assert not Role.objects.filter(user=outsider).exists()


def test_the_unit_select_never_offers_units_outside_the_scope(client_for, admin_user, outsider, pavlodar):
    response = client_for(admin_user).get(grant_url(outsider), {"unit_q": "Павлодар"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert f'value="{pavlodar.pk}"' not in response.content.decode()


def test_the_unit_search_narrows_the_select(client_for, net, admin_user, outsider):
    client = client_for(admin_user)

    htmx = client.get(grant_url(outsider), {"unit_q": "Мукур"}, HTTP_HX_REQUEST="true")
    plain = client.get(grant_url(outsider), {"unit_q": "KAI-LIB"}, HTTP_ACCEPT_LANGUAGE="ru")

    options = htmx.content.decode()
    assert options.lstrip().startswith('<div id="unit-field"')
    assert f'value="{net.mukur.pk}"' in options
    assert f'value="{net.kainar.pk}"' not in options
    assert plain.status_code == 200
    assert "<html" in plain.content.decode()
    assert f'value="{net.kainar.pk}"' in plain.content.decode()


def test_a_double_submit_of_a_grant_creates_one_role(client_for, net, admin_user, outsider):
    client = client_for(admin_user)
    data = {"kind": RoleKind.METHODOLOGIST, "unit": net.abay.pk}

    first = client.post(grant_url(outsider), data)
    second = client.post(grant_url(outsider), data, HTTP_ACCEPT_LANGUAGE="ru")

    assert first.status_code == 302
    assert second.status_code == 200
    assert [e.code for e in second.context["grant_form"].non_field_errors().as_data()] == ["duplicate"]
    assert Role.objects.filter(user=outsider).count() == 1


def test_the_service_refuses_a_duplicate_with_a_clear_message(net, admin_user, librarian):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.role_grant(granted_by=admin_user, user=librarian, unit=net.mukur, kind=RoleKind.LIBRARIAN)

    assert refused.value.code == "duplicate"
    assert "already holds" in refused.value.messages[0]
    assert librarian.roles.count() == 1


def test_an_administrator_cannot_revoke_their_own_administrator_role(client_for, admin_user):
    role = admin_user.roles.get()

    response = client_for(admin_user).post(reverse("accounts:role_revoke", args=[role.pk]), follow=True)

    assert response.status_code == 200
    assert Role.objects.filter(pk=role.pk).exists()
    assert any(message.level_tag == "error" for message in response.context["messages"])


def test_an_administrator_creates_an_account_with_an_initial_password(client_for, admin_user):
    response = client_for(admin_user).post(
        reverse("accounts:user_create"),
        {
            "username": "kanonerka",
            "last_name": "Иванова",
            "first_name": "Мария",
            "email": "",
            "password1": "Birch-grove-1977",
            "password2": "Birch-grove-1977",
        },
    )

    user = User.objects.get(username="kanonerka")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert user.check_password("Birch-grove-1977")
    assert not user.roles.exists()


def test_creating_an_account_needs_a_password_or_a_link_and_a_free_login(client_for, admin_user, librarian):
    client = client_for(admin_user)
    url = reverse("accounts:user_create")

    no_password = client.post(url, {"username": "kainar"})
    taken = client.post(
        url, {"username": "MUKUR", "password1": "Birch-grove-1977", "password2": "Birch-grove-1977"}
    )
    link_without_mail = client.post(url, {"username": "kainar", "send_link": "on"})

    assert "password1" in no_password.context["form"].errors
    assert "username" in taken.context["form"].errors
    assert "email" in link_without_mail.context["form"].errors
    assert not User.objects.filter(username="kainar").exists()


def test_a_deactivated_account_cannot_log_in_until_activated_again(client_for, admin_user, librarian):
    admin = client_for(admin_user)
    url = reverse("accounts:user_set_active", args=[librarian.pk])

    admin.post(url, {"active": "0"})
    refused = Client().post(reverse("accounts:login"), {"username": "mukur", "password": PASSWORD})
    admin.post(url, {"active": "1"})
    accepted = Client().post(reverse("accounts:login"), {"username": "mukur", "password": PASSWORD})

    assert refused.status_code == 200
    assert accepted.status_code == 302
    librarian.refresh_from_db()
    assert librarian.is_active


def test_an_administrator_cannot_deactivate_a_user_who_also_works_elsewhere(
    client_for, admin_user, librarian, pavlodar
):
    RoleFactory(user=librarian, unit=pavlodar, kind=RoleKind.LIBRARIAN)
    client = client_for(admin_user)

    page = client.get(reverse("accounts:user_detail", args=[librarian.pk]))
    response = client.post(reverse("accounts:user_set_active", args=[librarian.pk]), {"active": "0"})

    assert page.context["roles_elsewhere"] == 1
    assert [role.unit.code for role in page.context["roles"]] == ["MUK-LIB"]
    assert response.status_code == 403
    librarian.refresh_from_db()
    assert librarian.is_active


def test_a_superuser_manages_everyone(client, net, librarian, pavlodar):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)

    listed = {user.username for user in client.get(reverse("accounts:user_list")).context["page"]}
    response = client.post(grant_url(librarian), {"kind": RoleKind.LIBRARIAN, "unit": pavlodar.pk})

    assert "mukur" in listed
    assert response.status_code == 302
    assert librarian.roles.filter(unit=pavlodar).exists()
