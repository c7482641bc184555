from django.urls import reverse

from metodist.network.models import OrgUnit, UnitKind


def _card(unit, **changes):
    data = {
        "code": unit.code,
        "name_ru": unit.name_ru,
        "name_kk": unit.name_kk,
        "name_en": unit.name_en,
        "kind": unit.kind,
        "library_type": unit.library_type,
        "founding_department": unit.founding_department,
        "address": "",
        "phone": "",
        "email": "",
        "website": "",
        "description": "",
    }
    data.update(changes)
    return data


def test_the_librarian_edits_her_library_card(client_for, librarian, net):
    response = client_for(librarian).post(
        reverse("network:unit_edit", args=[net.mukur.pk]),
        _card(
            net.mukur,
            phone="+7 72239 2-14-55",
            address="с. Мукур, ул. Абая, 12",
            languages=["kk", "ru"],
            staff_rate="0.5",
        ),
    )
    assert response.status_code == 302
    net.mukur.refresh_from_db()
    assert net.mukur.phone == "+7 72239 2-14-55"
    assert net.mukur.languages == ["kk", "ru"]
    assert str(net.mukur.staff_rate) == "0.50"


def test_the_librarian_cannot_change_the_code_or_kind(client_for, librarian, net):
    client_for(librarian).post(
        reverse("network:unit_edit", args=[net.mukur.pk]),
        _card(net.mukur, code="HACK", kind=UnitKind.SCHOOL_LIBRARY),
    )
    net.mukur.refresh_from_db()
    assert net.mukur.code == "MUK-LIB"
    assert net.mukur.kind == UnitKind.LIBRARY


def test_the_librarian_cannot_edit_kainar(client_for, librarian, net):
    response = client_for(librarian).post(
        reverse("network:unit_edit", args=[net.kainar.pk]), _card(net.kainar)
    )
    assert response.status_code == 404


def test_a_marketer_cannot_edit_cards(client_for, marketer, net):
    assert client_for(marketer).get(reverse("network:unit_edit", args=[net.mukur.pk])).status_code == 404


def test_errors_are_shown_next_to_the_field_and_nothing_is_saved(client_for, admin_user, net):
    response = client_for(admin_user).post(
        reverse("network:unit_edit", args=[net.mukur.pk]),
        _card(net.mukur, email="not-an-email", latitude="123"),
    )
    assert response.status_code == 200
    assert 'id="id_email_error"' in response.content.decode()
    assert 'id="id_latitude_error"' in response.content.decode()
    net.mukur.refresh_from_db()
    assert net.mukur.email == ""


def test_an_edit_is_kept_in_the_history_with_who_and_what(client_for, admin_user, net):
    client = client_for(admin_user)
    client.post(reverse("network:unit_edit", args=[net.mukur.pk]), _card(net.mukur, phone="+7 72239 2-14-55"))
    html = client.get(reverse("network:unit_history", args=[net.mukur.pk])).content.decode()
    assert "+7 72239 2-14-55" in html
    assert admin_user.get_full_name() in html


def test_the_methodologist_creates_a_library_in_her_district(client_for, methodist, net):
    response = client_for(methodist).post(
        reverse("network:unit_create") + f"?parent={net.beskaragay.pk}",
        _card(
            OrgUnit(code="GLU-LIB", name_ru="Глуховская сельская библиотека", kind=UnitKind.LIBRARY),
            name_kk="Глуховка ауылдық кітапханасы",
        ),
    )
    assert response.status_code == 302
    unit = OrgUnit.objects.get(code="GLU-LIB")
    assert OrgUnit.objects.get_parent(unit) == net.beskaragay
    assert unit.name_kk == "Глуховка ауылдық кітапханасы"


def test_the_methodologist_cannot_create_under_another_district(client_for, methodist, net):
    response = client_for(methodist).post(
        reverse("network:unit_create") + f"?parent={net.abay.pk}",
        _card(OrgUnit(code="X-LIB", name_ru="Чужая", kind=UnitKind.LIBRARY)),
    )
    assert response.status_code == 404
    assert not OrgUnit.objects.filter(code="X-LIB").exists()


def test_a_kind_that_cannot_stand_there_is_refused(client_for, methodist, net):
    response = client_for(methodist).post(
        reverse("network:unit_create") + f"?parent={net.beskaragay.pk}",
        _card(OrgUnit(code="REG2", name_ru="Область", kind=UnitKind.REGION)),
    )
    assert response.status_code == 200
    assert not OrgUnit.objects.filter(code="REG2").exists()


def test_a_duplicate_code_is_refused_next_to_the_field(client_for, methodist, net):
    response = client_for(methodist).post(
        reverse("network:unit_create") + f"?parent={net.beskaragay.pk}",
        _card(OrgUnit(code="KAN-LIB", name_ru="Дубль", kind=UnitKind.LIBRARY)),
    )
    assert response.status_code == 200
    assert 'id="id_code_error"' in response.content.decode()
    assert OrgUnit.objects.filter(code="KAN-LIB").count() == 1


def test_a_double_submit_creates_one_unit(client_for, methodist, net):
    client = client_for(methodist)
    url = reverse("network:unit_create") + f"?parent={net.beskaragay.pk}"
    data = _card(OrgUnit(code="BEG-LIB", name_ru="Бегеньская сельская библиотека", kind=UnitKind.LIBRARY))
    client.post(url, data)
    client.post(url, data)
    assert OrgUnit.objects.filter(code="BEG-LIB").count() == 1


def test_the_methodologist_moves_a_library_within_her_district(client_for, methodist, net):
    response = client_for(methodist).post(
        reverse("network:unit_move", args=[net.beskaragay_oc.pk]), {"new_parent": "KAN-LIB"}
    )
    assert response.status_code == 302
    net.beskaragay_oc.refresh_from_db()
    assert OrgUnit.objects.get_parent(net.beskaragay_oc).code == "KAN-LIB"
    assert OrgUnit.find_problems() == ([], [], [], [], [])


def test_a_move_out_of_her_district_is_refused(client_for, methodist, net):
    response = client_for(methodist).post(
        reverse("network:unit_move", args=[net.kanonerka.pk]), {"new_parent": "ABY"}
    )
    assert response.status_code == 200  # ABY is not among the choices
    net.kanonerka.refresh_from_db()
    assert OrgUnit.objects.get_parent(net.kanonerka) == net.beskaragay


def test_archiving_keeps_the_unit_and_its_subtree(client_for, methodist, net):
    client = client_for(methodist)
    response = client.post(reverse("network:unit_archive", args=[net.beskaragay_lib.pk]))
    assert response.status_code == 302
    archived = OrgUnit.objects.filter(code__in=["BSK-LIB", "BSK-OC"])
    assert archived.count() == 2
    assert all(u.archived_at for u in archived)
    client.post(reverse("network:unit_restore", args=[net.beskaragay_lib.pk]))
    assert not OrgUnit.objects.filter(code__in=["BSK-LIB", "BSK-OC"], archived_at__isnull=False).exists()


def test_a_librarian_cannot_archive_her_library(client_for, librarian, net):
    assert client_for(librarian).post(reverse("network:unit_archive", args=[net.mukur.pk])).status_code == 404
    net.mukur.refresh_from_db()
    assert net.mukur.archived_at is None
