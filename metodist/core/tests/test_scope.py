import pytest
from django.conf import settings
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


@pytest.mark.parametrize(
    ("prefix", "high"),
    [("0001", "0002"), ("00010009", "0001000A"), ("000Z", "001"), ("0001ZZZZ", "0002"), ("ZZZZ", None)],
)
def test_a_subtree_ends_where_the_next_path_of_its_length_begins(prefix, high):
    assert scope.subtree_bounds(prefix) == (prefix, high)


PATHS = ["0001", "00010002", "0001000Z", "0001000Z0001", "00010010", "0002", "00020001", "000A"]
# A server set up in Kazakhstan compares with a Russian or Kazakh collation; Debian's PostgreSQL 15 has
# them from ICU. SQLite compares bytes, as the C collation does.
ICU_COLLATIONS = ["und-x-icu", "ru-KZ-x-icu", "kk-KZ-x-icu"]


def pytest_generate_tests(metafunc):
    if "collation" in metafunc.fixturenames:
        postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
        metafunc.parametrize("collation", [None, *ICU_COLLATIONS] if postgres else [None])


@pytest.mark.django_db
def test_the_range_of_a_subtree_holds_in_the_databases_collations(collation):
    """The range must select exactly the subtree in every collation, where `prefix~` fails under ICU."""
    from django.db import connection

    collate = "" if collation is None else f' COLLATE "{collation}"'
    rows = " UNION ALL ".join(["SELECT %s AS path"] * len(PATHS))
    for prefix in ("0001", "0001000Z", "00010002"):
        low, high = scope.subtree_bounds(prefix)
        sql = f"SELECT path FROM ({rows}) AS t WHERE path{collate} >= %s AND path{collate} < %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [*PATHS, low, high])
            found = sorted(row[0] for row in cursor.fetchall())
        assert found == sorted(p for p in PATHS if p.startswith(prefix)), (prefix, collation)
