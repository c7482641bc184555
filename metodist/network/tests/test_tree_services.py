import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from metodist.network import services
from metodist.network.models import OrgUnit, UnitKind


def test_a_unit_is_created_in_the_right_place(admin_user, net):
    unit = services.unit_create(
        user=admin_user,
        parent=net.abay,
        data={"code": "KSK-LIB", "name_ru": "Каскабулакская сельская библиотека", "kind": UnitKind.LIBRARY},
    )
    assert OrgUnit.objects.get_parent(unit) == net.abay
    assert set(OrgUnit.objects.under(net.abay).values_list("code", flat=True)) >= {
        "KSK-LIB",
        "MUK-LIB",
        "MUK-OC",
    }


def test_the_subtree_is_a_prefix_query(net):
    codes = set(OrgUnit.objects.under(net.abay).values_list("code", flat=True))
    assert codes == {"ABY", "MUK-LIB", "MUK-OC", "KAI-LIB"}
    assert "ABY" not in set(
        OrgUnit.objects.under(net.abay, include_self=False).values_list("code", flat=True)
    )


def test_moving_a_library_carries_its_online_centre(admin_user, net):
    services.unit_move(user=admin_user, unit=net.mukur, new_parent=net.beskaragay)
    net.mukur_oc.refresh_from_db()
    assert OrgUnit.objects.get_parent(net.mukur_oc).code == "MUK-LIB"
    assert net.mukur_oc.path.startswith(OrgUnit.objects.get(code="BSK").path)
    assert OrgUnit.find_problems() == ([], [], [], [], [])


def test_a_unit_cannot_move_under_itself(admin_user, net):
    with pytest.raises(ValidationError):
        services.unit_move(user=admin_user, unit=net.mukur, new_parent=net.mukur_oc)


def test_a_librarian_cannot_move_units(librarian, net):
    with pytest.raises(PermissionDenied):
        services.unit_move(user=librarian, unit=net.mukur_oc, new_parent=net.mukur)


def test_only_a_superuser_makes_a_root(admin_user, db):
    with pytest.raises(PermissionDenied):
        services.unit_create(
            user=admin_user, parent=None, data={"code": "R", "name_ru": "Р", "kind": UnitKind.REGION}
        )


def test_a_unit_cannot_close_before_it_opens(admin_user, net):
    import datetime

    with pytest.raises(ValidationError) as exc:
        services.unit_update(
            user=admin_user,
            unit=net.kainar,
            data={"opened_on": datetime.date(2010, 1, 1), "closed_on": datetime.date(2009, 1, 1)},
        )
    assert "closed_on" in exc.value.message_dict


def test_archive_and_restore_record_history(admin_user, net):
    services.unit_archive(user=admin_user, unit=net.abay)
    assert OrgUnit.objects.under(net.abay).filter(archived_at__isnull=True).count() == 0
    assert net.kainar.history.count() == 2
    services.unit_restore(user=admin_user, unit=OrgUnit.objects.get(pk=net.abay.pk))
    assert OrgUnit.objects.under(net.abay).filter(archived_at__isnull=True).count() == 4
