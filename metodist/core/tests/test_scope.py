import pytest
from django.http import Http404

from metodist.accounts.models import RoleKind
from metodist.core import scope
from metodist.core.testing.factories import RoleFactory, StaffMemberFactory
from metodist.network.models import OrgUnit, StaffMember


def _codes(qs):
    return set(qs.values_list("code", flat=True))


def test_a_role_covers_its_units_whole_subtree(librarian, net):
    assert _codes(scope.units(librarian)) == {"MUK-LIB", "MUK-OC"}


def test_a_district_methodologist_sees_her_district(methodist, net):
    assert _codes(scope.units(methodist)) == {"BSK", "BSK-LIB", "BSK-OC", "KAN-LIB"}


def test_roles_on_several_units_add_up_without_duplicates(librarian, net):
    RoleFactory(user=librarian, unit=net.kainar, kind=RoleKind.LIBRARIAN)
    RoleFactory(user=librarian, unit=net.abay, kind=RoleKind.MARKETER)
    scope.forget(librarian)
    units = scope.units(librarian)
    assert units.count() == len(_codes(units)) == 4
    assert scope.prefixes(librarian) == (net.abay.path,)


def test_capabilities_follow_the_role(librarian, marketer, net):
    assert scope.covers(librarian, net.mukur, "edit_card")
    assert not scope.covers(librarian, net.mukur, "manage_units")
    assert scope.covers(marketer, net.mukur)
    assert not scope.covers(marketer, net.mukur, "edit_card")


def test_a_volunteer_sees_no_registry(volunteer, net):
    assert scope.units(volunteer).count() == 0


def test_a_user_without_roles_sees_nothing(outsider, net):
    assert scope.units(outsider).count() == 0
    assert scope.roots(outsider).count() == 0


def test_records_of_other_apps_are_scoped_by_their_unit(librarian, net):
    StaffMemberFactory(unit=net.mukur_oc, full_name="Своя")
    StaffMemberFactory(unit=net.kainar, full_name="Чужая")
    names = set(scope.records(librarian, StaffMember.objects.all()).values_list("full_name", flat=True))
    assert names == {"Своя"}


def test_an_out_of_scope_lookup_is_a_404(librarian, net):
    with pytest.raises(Http404):
        scope.get_unit_or_404(librarian, net.kainar.pk)
    with pytest.raises(Http404):
        scope.get_unit_or_404(librarian, "not-a-number")
    assert scope.get_unit_or_404(librarian, net.mukur_oc.pk) == net.mukur_oc


def test_the_superuser_sees_everything(net, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.kz", "x")
    assert scope.units(root).count() == OrgUnit.objects.count()


def test_a_sibling_with_a_longer_path_prefix_is_not_covered(admin_user, net):
    # Paths are fixed-width steps, so "0001" never matches "00010001"'s sibling "0002…".
    assert all(unit.path.startswith(net.abay.path) for unit in scope.units(admin_user).under(net.abay))
