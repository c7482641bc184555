"""`metodist demo` builds the seed's East Kazakhstan network once; the synthetic network is a sound tree."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from metodist.accounts.models import Role, RoleKind
from metodist.core import scope
from metodist.demo.synthetic import build_synthetic
from metodist.network.models import (
    LIBRARY_KINDS,
    TERRITORY_KINDS,
    FoundingDepartment,
    LibraryPassport,
    OrgUnit,
    QualificationRecord,
    StaffMember,
    UnitKind,
)

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
SEED_LESSON = "Библиотечный урок «Маркетинг и методическая помощь»"


def _snapshot() -> dict:
    return {
        "units": list(OrgUnit.objects.values_list("code", "path", "numchild", "updated_at").order_by("code")),
        "unit_history": OrgUnit.history.count(),
        "staff": list(
            StaffMember.objects.values_list("pk", "full_name", "user_id", "updated_at").order_by("pk")
        ),
        "qualifications": list(QualificationRecord.objects.values_list("pk", "updated_at").order_by("pk")),
        "passports": list(LibraryPassport.objects.values_list("pk", "updated_at").order_by("pk")),
        "users": list(get_user_model().objects.values_list("username", "password").order_by("username")),
        "roles": list(Role.objects.values_list("user__username", "unit__code", "kind").order_by("pk")),
    }


def _unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def test_running_the_demo_twice_changes_nothing(demo):
    before = _snapshot()

    call_command("demo", quiet=True)

    assert _snapshot() == before
    assert len(before["units"]) > 100
    assert len(before["staff"]) > 100


def test_a_second_run_keeps_a_password_the_user_changed(demo):
    user = get_user_model().objects.get(username="mukur")
    user.set_password("my-own-secret-42")
    user.save()

    call_command("demo", quiet=True)

    user.refresh_from_db()
    assert user.check_password("my-own-secret-42")


def test_the_demo_users_log_in_with_the_published_password_and_hold_their_roles(demo):
    users = {user.username: user for user in get_user_model().objects.all()}
    roles = set(Role.objects.values_list("user__username", "unit__code", "kind"))

    assert all(users[name].check_password("metodist-demo") for name in users)
    assert roles == {
        ("admin", "VKO", RoleKind.ADMINISTRATOR),
        ("methodist", "VKO", RoleKind.METHODOLOGIST),
        ("marketer", "VKO", RoleKind.MARKETER),
        ("mukur", "MUK-LIB", RoleKind.LIBRARIAN),
        ("volunteer", "MUK-LIB", RoleKind.VOLUNTEER),
    }
    assert users["admin"].is_staff
    assert not any(user.is_superuser for user in users.values())


def test_the_places_of_the_seed_exist_with_their_fixed_codes(demo):
    region = _unit("VKO")
    expected = {
        "VKOUB": UnitKind.LIBRARY,
        "VKOUB-MO": UnitKind.DEPARTMENT,
        "VKOUB-MSKP": UnitKind.DEPARTMENT,
        "SEM": UnitKind.CITY,
        "KUR": UnitKind.CITY,
        "SHU": UnitKind.SETTLEMENT,
        "ABY": UnitKind.DISTRICT,
        "ABR": UnitKind.DISTRICT,
        "BSK": UnitKind.DISTRICT,
        "BRD": UnitKind.DISTRICT,
        "MUK-LIB": UnitKind.LIBRARY,
        "KAI-LIB": UnitKind.LIBRARY,
        "KAS-LIB": UnitKind.LIBRARY,
        "KAN-LIB": UnitKind.LIBRARY,
    }

    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=expected)}

    assert {code: unit.kind for code, unit in units.items()} == expected
    assert all(unit.is_within(region) for unit in units.values())
    assert region.is_root() and region.name_ru == "Восточно-Казахстанская область"
    assert units["VKOUB"].name_ru == "ВКО универсальная библиотека имени Абая"
    assert OrgUnit.objects.get_parent(units["VKOUB-MO"]).code == "VKOUB"
    assert OrgUnit.objects.get_parent(units["VKOUB"]).code == "SEM"
    assert OrgUnit.objects.get_parent(units["SHU"]).code == "SEM"


def test_online_centres_stand_under_their_village_libraries(demo):
    parents = {
        code: OrgUnit.objects.get_parent(_unit(code)) for code in ("MUK-OC", "KAI-OC", "KAN-OC", "BSK-OC")
    }

    assert {code: parent.code for code, parent in parents.items()} == {
        "MUK-OC": "MUK-LIB",
        "KAI-OC": "KAI-LIB",
        "KAN-OC": "KAN-LIB",
        "BSK-OC": "BSK-CRB",
    }
    assert all(_unit(code).kind == UnitKind.ONLINE_CENTRE for code in parents)
    mukur_village = OrgUnit.objects.get_parent(parents["MUK-OC"])
    assert (
        mukur_village.kind == UnitKind.SETTLEMENT and OrgUnit.objects.get_parent(mukur_village).code == "ABY"
    )
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get_parent(parents["BSK-OC"])).code == "BSK"


def test_the_mukur_librarian_sees_the_online_centre_but_not_kainar(demo):
    librarian = get_user_model().objects.get(username="mukur")

    visible = set(scope.units(librarian).values_list("code", flat=True))

    assert {"MUK-LIB", "MUK-OC"} <= visible
    assert "KAI-LIB" not in visible
    assert "ABY" not in visible


def test_the_speakers_of_the_lesson_work_in_their_departments_with_their_logins(demo):
    maltseva = StaffMember.objects.select_related("unit", "user").get(full_name="Мальцева Ольга Николаевна")
    adikaeva = StaffMember.objects.select_related("unit", "user").get(full_name__startswith="Адикаева Роза")
    mukur_head = StaffMember.objects.get(unit__code="MUK-LIB", user__username="mukur")
    attendees = QualificationRecord.objects.filter(title=SEED_LESSON, started_on=date(2013, 9, 20))

    assert (maltseva.unit.code, maltseva.position, maltseva.user.username) == (
        "VKOUB-MO",
        "методист",
        "methodist",
    )
    assert adikaeva.unit.code == "VKOUB-MSKP" and adikaeva.user.username == "marketer"
    assert adikaeva.position == "заведующая отделом маркетинга и социально-культурных проектов"
    assert mukur_head.position == "заведующая библиотекой"
    assert {maltseva.pk, adikaeva.pk} <= set(attendees.values_list("staff_member_id", flat=True))
    regional = _unit("VKOUB")
    assert all(
        record.staff_member.unit.is_within(regional)
        for record in attendees.select_related("staff_member__unit")
    )


def test_kazakh_names_are_written_with_kazakh_letters(demo):
    region = _unit("VKO")
    named = OrgUnit.objects.under(region).exclude(kind__in=TERRITORY_KINDS)

    assert _unit("MUK-LIB").name_kk == "Мұқыр ауылдық кітапханасы"
    assert _unit("BSK").name_kk == "Бесқарағай ауданы"
    assert _unit("VKOUB").name_kk == "Абай атындағы ШҚО әмбебап кітапханасы"
    assert _unit("MUK-OC").name_kk == "Мұқыр ауылының онлайн-орталығы"
    assert all(KAZAKH_LETTERS & set(unit.name_kk) for unit in named), [
        unit.name_kk for unit in named if not KAZAKH_LETTERS & set(unit.name_kk)
    ]
    assert not OrgUnit.objects.under(region).filter(name_kk="").exists()


def test_library_cards_staff_and_passports_are_filled_in(demo):
    region = _unit("VKO")
    libraries = list(OrgUnit.objects.under(region).filter(kind__in=LIBRARY_KINDS))
    staffed = [unit for unit in libraries if unit.kind != UnitKind.ONLINE_CENTRE]
    passport_years = set(LibraryPassport.objects.values_list("unit_id", "year"))

    assert all(48 < unit.latitude < 52 and 77 < unit.longitude < 82 for unit in libraries)
    assert all(unit.languages == ["kk", "ru"] and unit.library_type and unit.address for unit in libraries)
    assert all(
        unit.founding_department == FoundingDepartment.EDUCATION
        for unit in libraries
        if unit.kind in (UnitKind.SCHOOL_LIBRARY, UnitKind.COLLEGE_LIBRARY)
    )
    assert all(1 <= unit.staff.count() <= 3 for unit in staffed)
    assert {(unit.pk, year) for unit in libraries for year in (2024, 2025)} == passport_years
    assert {str(rate) for rate in _rates(libraries)} >= {"0.25", "0.50"}


def _rates(units):
    return {unit.staff_rate for unit in units if unit.staff_rate is not None}


def test_the_command_prints_a_summary_and_the_demo_logins(db):
    out = StringIO()

    call_command("demo", stdout=out)

    text = out.getvalue()
    assert "metodist-demo" in text
    assert all(name in text for name in ("admin", "methodist", "marketer", "mukur", "volunteer"))


def test_the_synthetic_network_is_a_consistent_tree_beside_the_demo(demo):
    call_command("demo", "--synthetic", "300", "--quiet")

    root = _unit("SYN-KZ")
    units = OrgUnit.objects.under(root)
    assert units.count() == 300
    assert all(problems == [] for problems in OrgUnit.objects.find_problems())
    assert units.filter(kind=UnitKind.REGION).count() == 17
    assert not units.exclude(code__startswith="SYN-").exists()
    assert set(units.values_list("kind", flat=True)) >= {
        UnitKind.DISTRICT,
        UnitKind.SETTLEMENT,
        UnitKind.LIBRARY,
        UnitKind.ONLINE_CENTRE,
    }
    assert root.path > _unit("VKO").path
    admin = get_user_model().objects.get(username="admin")
    assert scope.units(admin).filter(code="SYN-KZ").exists()


def test_treebeard_keeps_working_on_the_bulk_created_tree(db):
    root = build_synthetic(120)
    village = OrgUnit.objects.under(root).filter(kind=UnitKind.SETTLEMENT).last()
    children_before = village.numchild

    OrgUnit.objects.add_child(
        village, create_kwargs={"code": "SYN-NEW", "name_ru": "Новая библиотека", "kind": UnitKind.LIBRARY}
    )

    village.refresh_from_db()
    assert village.numchild == children_before + 1
    assert OrgUnit.objects.get_parent(_unit("SYN-NEW")) == village
    assert all(problems == [] for problems in OrgUnit.objects.find_problems())


def test_the_synthetic_network_is_the_same_every_time_and_built_once(db):
    first = list(
        OrgUnit.objects.under(build_synthetic(150)).values_list("path", "code", "name_ru", "latitude")
    )
    assert OrgUnit.objects.under(build_synthetic(150)).count() == 150  # a second call adds nothing

    OrgUnit.objects.filter(code__startswith="SYN-").delete()
    second = list(
        OrgUnit.objects.under(build_synthetic(150)).values_list("path", "code", "name_ru", "latitude")
    )

    assert first == second


def test_a_synthetic_network_too_small_for_every_level_is_refused(db):
    with pytest.raises(ValueError, match="at least"):
        build_synthetic(20)
    with pytest.raises(CommandError):
        call_command("demo", "--synthetic", "20", "--quiet")
