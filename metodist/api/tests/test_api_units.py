"""The registry through the API: lists, filters, scope, and writes through the network services."""

import pytest

from metodist.network import services
from metodist.network.models import OrgUnit

UNITS = "/api/v1/units"


def parent_of(unit):
    return OrgUnit.objects.get(path=unit.path[: -OrgUnit.steplen])


def codes(response):
    return [item["code"] for item in response.json()["items"]]


def test_the_list_answers_items_and_count_in_tree_order(api_for, admin_user):
    response = api_for(admin_user).get(UNITS)

    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"items", "count"}
    assert body["count"] == OrgUnit.objects.count() == 11
    assert codes(response) == list(OrgUnit.objects.order_by("path").values_list("code", flat=True))


def test_a_unit_carries_its_parent_depth_children_and_card(api_for, admin_user, net):
    OrgUnit.objects.filter(pk=net.mukur.pk).update(phone="+7 722 31 2-34-56", latitude="49.123456")

    items = {item["code"]: item for item in api_for(admin_user).get(UNITS).json()["items"]}

    mukur = items["MUK-LIB"]
    assert mukur["id"] == net.mukur.pk
    assert mukur["parent"] == net.abay.pk
    assert mukur["depth"] == 3
    assert mukur["children_count"] == 1
    assert mukur["kind"] == "library"
    assert mukur["archived"] is False
    assert mukur["phone"] == "+7 722 31 2-34-56"
    assert mukur["latitude"] == pytest.approx(49.123456)
    assert mukur["name_ru"] == "Мукурская сельская библиотека"
    assert items["VKO"]["parent"] is None
    assert items["ABY"]["children_count"] == 2


def test_the_list_reads_parents_without_a_query_per_unit(api_for, admin_user, django_assert_max_num_queries):
    api = api_for(admin_user)
    api.get(UNITS)  # warm up: the token lookup and the scope are the same on every request

    with django_assert_max_num_queries(6):
        response = api.get(UNITS)

    assert len(response.json()["items"]) == 11


def test_the_name_follows_the_language_of_the_request(api_for, admin_user, net):
    api = api_for(admin_user)

    kazakh = api.get(f"{UNITS}/{net.mukur.pk}", HTTP_ACCEPT_LANGUAGE="kk").json()
    english = api.get(f"{UNITS}/{net.region.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    russian = api.get(f"{UNITS}/{net.mukur.pk}").json()

    assert kazakh["name"] == "Мұқыр ауылдық кітапханасы"
    assert english["name"] == "East Kazakhstan Region"
    assert russian["name"] == "Мукурская сельская библиотека"


def test_limit_and_offset_page_through_the_list(api_for, admin_user):
    api = api_for(admin_user)
    everything = codes(api.get(UNITS))

    page = api.get(UNITS, {"limit": 3, "offset": 3})

    assert page.json()["count"] == 11
    assert codes(page) == everything[3:6]


def test_a_limit_above_500_is_lowered_to_500(api_for, admin_user, net):
    # Rows written directly with their tree paths: 501 add_child calls would only slow the test down.
    base = net.kainar
    OrgUnit.objects.bulk_create(
        OrgUnit(
            path=OrgUnit._get_path(base.path, base.depth + 1, i),
            depth=base.depth + 1,
            code=f"BULK-{i}",
            name_ru=f"Отдел {i}",
            kind="department",
        )
        for i in range(1, 502)
    )

    response = api_for(admin_user).get(UNITS, {"limit": 1000})

    assert response.status_code == 200
    assert response.json()["count"] == 512
    assert len(response.json()["items"]) == 500


def test_under_lists_the_subtree_below_a_unit(api_for, methodist, net):
    response = api_for(methodist).get(UNITS, {"under": net.beskaragay.pk})

    assert codes(response) == ["BSK-LIB", "BSK-OC", "KAN-LIB"]


def test_under_a_unit_out_of_scope_answers_404(api_for, methodist, net):
    response = api_for(methodist).get(UNITS, {"under": net.abay.pk})

    assert response.status_code == 404


def test_kind_filters_the_list(api_for, admin_user):
    response = api_for(admin_user).get(UNITS, {"kind": "online_centre"})

    assert codes(response) == ["BSK-OC", "MUK-OC"]


def test_q_finds_units_by_name_or_code(api_for, admin_user):
    api = api_for(admin_user)

    assert codes(api.get(UNITS, {"q": "Мукур"})) == ["MUK-LIB", "MUK-OC"]
    assert codes(api.get(UNITS, {"q": "kai"})) == ["KAI-LIB"]


def test_archived_units_are_listed_only_when_asked_for(api_for, admin_user, net):
    services.unit_archive(user=admin_user, unit=net.kanonerka)
    api = api_for(admin_user)

    assert "KAN-LIB" not in codes(api.get(UNITS))
    archived = api.get(UNITS, {"archived": "true"})
    assert codes(archived) == ["KAN-LIB"]
    assert archived.json()["items"][0]["archived"] is True


def test_the_librarian_lists_only_her_library_and_its_online_centre(api_for, librarian):
    assert codes(api_for(librarian).get(UNITS)) == ["MUK-LIB", "MUK-OC"]


def test_a_user_without_a_role_lists_nothing(api_for, outsider):
    assert api_for(outsider).get(UNITS).json() == {"items": [], "count": 0}


def test_the_librarian_gets_404_for_kainars_unit(api_for, librarian, net):
    response = api_for(librarian).get(f"{UNITS}/{net.kainar.pk}")

    assert response.status_code == 404
    assert "Кайнар" not in response.content.decode()


def test_the_librarian_gets_404_not_403_when_patching_kainar(api_for, librarian, net):
    response = api_for(librarian).patch(f"{UNITS}/{net.kainar.pk}", {"phone": "+7 000"})

    assert response.status_code == 404
    net.kainar.refresh_from_db()
    assert net.kainar.phone == ""


def test_the_librarian_can_patch_her_librarys_phone(api_for, librarian, net):
    response = api_for(librarian).patch(f"{UNITS}/{net.mukur.pk}", {"phone": "+7 722 31 2-11-22"})

    assert response.status_code == 200
    assert response.json()["phone"] == "+7 722 31 2-11-22"
    assert response.json()["parent"] == net.abay.pk
    net.mukur.refresh_from_db()
    assert net.mukur.phone == "+7 722 31 2-11-22"
    assert net.mukur.history.first().history_user == librarian


def test_patch_changes_only_the_fields_sent(api_for, librarian, net):
    OrgUnit.objects.filter(pk=net.mukur.pk).update(address="ул. Абая, 1", email="mukur@example.kz")

    api_for(librarian).patch(f"{UNITS}/{net.mukur.pk}", {"address": None})

    net.mukur.refresh_from_db()
    assert net.mukur.address == ""
    assert net.mukur.email == "mukur@example.kz"


@pytest.mark.parametrize("change", [{"kind": "online_centre"}, {"code": "MUK-NEW"}])
def test_the_librarian_cannot_change_her_librarys_kind_or_code(api_for, librarian, net, change):
    response = api_for(librarian).patch(f"{UNITS}/{net.mukur.pk}", change)

    assert response.status_code == 403
    assert response.json()["detail"]
    net.mukur.refresh_from_db()
    assert (net.mukur.kind, net.mukur.code) == ("library", "MUK-LIB")


def test_echoing_the_unchanged_parent_is_not_a_move(api_for, librarian, net):
    response = api_for(librarian).patch(f"{UNITS}/{net.mukur.pk}", {"parent": net.abay.pk, "phone": "1"})

    assert response.status_code == 200


def test_the_methodologist_creates_a_library_in_her_district(api_for, methodist, net):
    response = api_for(methodist).post(
        UNITS,
        {
            "parent": net.beskaragay.pk,
            "code": "BSK-NEW",
            "name_ru": "Новая сельская библиотека",
            "kind": "library",
            "languages": ["kk", "ru"],
            "staff_rate": 0.5,
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert body["parent"] == net.beskaragay.pk
    assert body["staff_rate"] == 0.5
    created = OrgUnit.objects.get(code="BSK-NEW")
    assert parent_of(created) == net.beskaragay
    assert created.languages == ["kk", "ru"]


def test_the_methodologist_gets_404_for_a_parent_out_of_her_scope(api_for, methodist, net):
    response = api_for(methodist).post(
        UNITS,
        {
            "parent": net.abay.pk,
            "code": "ABY-NEW",
            "name_ru": "Чужая библиотека",
            "kind": "library",
        },
    )

    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "parent"
    assert not OrgUnit.objects.filter(code="ABY-NEW").exists()


def test_a_user_who_sees_a_parent_but_may_not_manage_it_gets_403(api_for, marketer, net):
    response = api_for(marketer).post(
        UNITS,
        {
            "parent": net.beskaragay.pk,
            "code": "BSK-MKT",
            "name_ru": "Библиотека",
            "kind": "library",
        },
    )

    assert response.status_code == 403


def test_a_new_parent_moves_the_unit(api_for, methodist, net):
    response = api_for(methodist).patch(f"{UNITS}/{net.kanonerka.pk}", {"parent": net.beskaragay_lib.pk})

    assert response.status_code == 200
    assert response.json()["parent"] == net.beskaragay_lib.pk
    assert response.json()["depth"] == 4
    net.kanonerka.refresh_from_db()
    assert parent_of(net.kanonerka) == net.beskaragay_lib


def test_a_move_out_of_scope_answers_404_and_leaves_the_unit(api_for, methodist, net):
    response = api_for(methodist).patch(f"{UNITS}/{net.kanonerka.pk}", {"parent": net.abay.pk})

    assert response.status_code == 404
    net.kanonerka.refresh_from_db()
    assert parent_of(net.kanonerka) == net.beskaragay


def test_a_refused_card_change_undoes_the_move_sent_with_it(api_for, methodist, net):
    response = api_for(methodist).patch(
        f"{UNITS}/{net.kanonerka.pk}", {"parent": net.beskaragay_lib.pk, "code": "BSK-LIB"}
    )

    assert response.status_code == 400
    net.kanonerka.refresh_from_db()
    assert parent_of(net.kanonerka) == net.beskaragay
    assert net.kanonerka.code == "KAN-LIB"
