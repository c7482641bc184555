from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metodist.core.testing.factories import add_unit
from metodist.network.models import OrgUnit, UnitKind


def test_it_shows_the_roots_of_the_users_scope(client_for, methodist, net):
    response = client_for(methodist).get(reverse("network:tree"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-code="BSK"' in html
    assert 'data-code="VKO"' not in html  # above her scope
    assert 'data-code="ABY"' not in html


def test_it_loads_the_children_of_a_node_on_demand(client_for, admin_user, net):
    response = client_for(admin_user).get(
        reverse("network:unit_children", args=[net.beskaragay.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'data-code="BSK-LIB"' in html
    assert 'data-code="KAN-LIB"' in html
    assert 'data-code="BSK-OC"' not in html  # a grandchild: loaded when its parent opens
    assert "<html" not in html


def test_children_of_an_out_of_scope_node_answer_404(client_for, librarian, net):
    response = client_for(librarian).get(reverse("network:unit_children", args=[net.beskaragay.pk]))
    assert response.status_code == 404


def test_it_searches_by_name_and_shows_where_the_unit_is(client_for, admin_user, net):
    response = client_for(admin_user).get(reverse("network:tree"), {"q": "мукур"})
    html = response.content.decode()
    assert "Мукурская сельская библиотека" in html
    assert "Абайский район" in html  # breadcrumb
    assert "Кайнарская" not in html


def test_it_searches_by_code(client_for, admin_user, net):
    html = client_for(admin_user).get(reverse("network:tree"), {"q": "KAI-LIB"}).content.decode()
    assert "Кайнарская сельская библиотека" in html


def test_it_searches_by_kazakh_name(client_for, admin_user, net):
    html = client_for(admin_user).get(reverse("network:tree"), {"q": "Мұқыр"}).content.decode()
    assert "Мукурская сельская библиотека" in html


def test_search_never_leaves_the_scope(client_for, librarian, net):
    html = client_for(librarian).get(reverse("network:tree"), {"q": "библиотека"}).content.decode()
    assert "Мукурская" in html
    assert "Кайнарская" not in html
    assert "Бескарагайская" not in html


def test_it_filters_by_kind_and_district(client_for, admin_user, net):
    html = (
        client_for(admin_user)
        .get(reverse("network:tree"), {"kind": UnitKind.ONLINE_CENTRE, "district": net.beskaragay.pk})
        .content.decode()
    )
    assert "Онлайн-центр села Бескарагай" in html
    assert "Онлайн-центр села Мукур" not in html
    assert "Бескарагайская сельская библиотека</strong>" not in html


def test_an_htmx_search_answers_only_the_results(client_for, admin_user, net):
    response = client_for(admin_user).get(
        reverse("network:tree"), {"q": "Кайнар"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="tree-results"
    )
    html = response.content.decode()
    assert "Кайнарская" in html
    assert "<html" not in html


def test_archived_units_are_hidden_unless_asked_for(client_for, admin_user, net):
    from django.utils import timezone

    OrgUnit.objects.filter(pk=net.kainar.pk).update(archived_at=timezone.now())
    client = client_for(admin_user)
    assert "Кайнарская" not in client.get(reverse("network:tree"), {"q": "Кайнар"}).content.decode()
    assert (
        "Кайнарская"
        in client.get(reverse("network:tree"), {"q": "Кайнар", "archived": "on"}).content.decode()
    )


def test_a_volunteer_has_no_registry(client_for, volunteer):
    assert client_for(volunteer).get(reverse("network:tree")).status_code == 403


def _grow(parent, count):
    parent.refresh_from_db()
    for i in range(count):
        add_unit(parent, code=f"{parent.code}-{i}", name_ru=f"Сельская библиотека {i}", kind=UnitKind.LIBRARY)


def _queries(client, url, **extra):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **extra).status_code == 200
    return len(ctx.captured_queries)


def test_the_tree_answers_in_a_bounded_number_of_queries_whatever_the_size(client_for, admin_user, net):
    client = client_for(admin_user)
    tree_url = reverse("network:tree")
    children_url = reverse("network:unit_children", args=[net.beskaragay.pk])
    search_url = tree_url + "?q=Кайнар"
    small = [_queries(client, tree_url), _queries(client, children_url), _queries(client, search_url)]
    district = OrgUnit.objects.get(pk=net.beskaragay.pk)
    _grow(district, 60)
    for settlement in range(3):
        parent = add_unit(
            OrgUnit.objects.get(pk=net.abay.pk), code=f"S{settlement}", kind=UnitKind.SETTLEMENT
        )
        _grow(parent, 20)
    large = [_queries(client, tree_url), _queries(client, children_url), _queries(client, search_url)]
    assert large == small
