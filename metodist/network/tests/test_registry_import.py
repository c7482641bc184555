import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from metodist.accounts.models import RoleKind
from metodist.core.testing.factories import RoleFactory
from metodist.network import registry_io, services
from metodist.network.models import OrgUnit, UnitKind

IMPORT = reverse("network:registry_import")
EXPORT = reverse("network:registry_export")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["code", "parent_code", "kind", "name_ru", "name_kk", "phone", "latitude", "opening_year"]


@pytest.fixture(autouse=True)
def _english_and_own_stash(settings, tmp_path):
    # Django's own validation messages are translated; compare them in English.
    settings.LANGUAGE_CODE = "en"
    settings.REGISTRY_IMPORT_STASH_DIR = tmp_path / "stash"


def _xlsx(rows, *, header=HEADER, titles=None, name="registry.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    if titles:
        sheet.append(titles)
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(code) for code in header] if isinstance(row, dict) else row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def _post(client, upload, *, dry_run=False):
    data = {"file": upload}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(IMPORT, data)


def _errors(response) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in response.context["errors"]]


NEW_LIBRARY = {"code": "NEW-OK", "parent_code": "ABY", "kind": "library", "name_ru": "Новая библиотека"}
MUKUR_PHONE = {
    "code": "MUK-LIB",
    "parent_code": "ABY",
    "kind": "library",
    "name_ru": "Мукурская сельская библиотека",
    "name_kk": "Мұқыр ауылдық кітапханасы",
    "phone": "+7 72239 2-14-55",
}


def test_a_good_file_creates_and_updates_units(client_for, admin_user, net):
    before = OrgUnit.objects.count()
    rows = [
        # The department comes before its library: the import writes parents first.
        {"code": "NEW-DEPT", "parent_code": "NEW-LIB", "kind": "department", "name_ru": "Абонемент"},
        {
            "code": "NEW-LIB",
            "parent_code": "ABY",
            "kind": "library",
            "name_ru": "Новая сельская библиотека",
            "name_kk": "Жаңа ауылдық кітапхана",
            "latitude": 49.95,
            "opening_year": 1965,
        },
        MUKUR_PHONE,
    ]

    response = _post(client_for(admin_user), _xlsx(rows))

    assert response.status_code == 302
    assert OrgUnit.objects.count() == before + 2
    library = OrgUnit.objects.get(code="NEW-LIB")
    assert library.is_within(net.abay)
    assert library.name_kk == "Жаңа ауылдық кітапхана"
    assert library.latitude == Decimal("49.95")
    assert library.opening_year == 1965
    assert OrgUnit.objects.get(code="NEW-DEPT").is_within(library)
    net.mukur.refresh_from_db()
    assert net.mukur.phone == "+7 72239 2-14-55"


def test_it_moves_a_unit_whose_parent_code_changed(client_for, admin_user, net):
    row = {"code": "KAI-LIB", "parent_code": "BSK", "kind": "library", "name_ru": net.kainar.name_ru}

    response = _post(client_for(admin_user), _xlsx([row], header=["code", "parent_code", "kind", "name_ru"]))

    assert response.status_code == 302
    net.kainar.refresh_from_db()
    net.beskaragay.refresh_from_db()
    assert net.kainar.is_within(net.beskaragay)


def test_columns_left_out_of_the_file_are_not_changed(client_for, admin_user, net):
    services.unit_update(user=admin_user, unit=net.mukur, data={"address": "с. Мукур, ул. Абая, 12"})
    # Any order, any titles: the importer reads the codes in row 2.
    upload = _xlsx([["+7 700 000 00 00", "MUK-LIB"]], header=["phone", "code"], titles=["Телефон", "Код"])

    response = _post(client_for(admin_user), upload)

    assert response.status_code == 302
    net.mukur.refresh_from_db()
    assert net.mukur.phone == "+7 700 000 00 00"
    assert net.mukur.address == "с. Мукур, ул. Абая, 12"
    assert net.mukur.kind == UnitKind.LIBRARY


BAD_ROWS = [
    ({"code": None}, "Code", "required"),
    ({"code": "NEW-OK"}, "Code", "already used in row 2"),
    ({"code": "БИБ-1"}, "Code", "Latin letters"),
    ({"name_ru": None}, "Name (Russian)", "required"),
    ({"name_ru": "Б" * 300}, "Name (Russian)", "at most 255"),
    ({"kind": None}, "Kind", "required"),
    ({"kind": "castle"}, "Kind", "not a known code"),
    ({"kind": "district"}, "Kind", "cannot stand under"),
    ({"parent_code": "NOWHERE"}, "Parent code", "no unit with the code NOWHERE"),
    ({"latitude": 95}, "Latitude", "less than or equal to 90"),
    ({"latitude": "north"}, "Latitude", "not a number"),
    ({"opening_year": 1500}, "Opening year", "greater than or equal to 1700"),
    ({"opening_year": "19x5"}, "Opening year", "not a number"),
    ({"opening_year": 1965.5}, "Opening year", "not a whole number"),
    ({"email": "library-at-mail"}, "E-mail", "valid email"),
    ({"website": "not a web address"}, "Website", "valid URL"),
    ({"opened_on": "32.13.2020"}, "Opened on", "not a date"),
    ({"opened_on": "2020-05-01", "closed_on": "2019-01-01"}, "Closed on", "cannot close before it opens"),
    ({"languages": "kk, de"}, "Languages of service", "Unknown language code “de”"),
]


@pytest.mark.parametrize(("change", "column", "message"), BAD_ROWS)
def test_a_bad_row_is_reported_with_its_row_and_column_and_nothing_is_written(
    client_for, admin_user, net, change, column, message
):
    header = [*HEADER, "email", "website", "opened_on", "closed_on", "languages"]
    bad = {
        "code": "NEW-BAD",
        "parent_code": "MUK-LIB",
        "kind": "library",
        "name_ru": "Плохая строка",
        **change,
    }
    before = OrgUnit.objects.count()

    response = _post(client_for(admin_user), _xlsx([NEW_LIBRARY, MUKUR_PHONE, bad], header=header))

    assert response.status_code == 200
    errors = _errors(response)
    assert [(row, col) for row, col, _m in errors] == [(4, column)]
    assert message in errors[0][2]
    assert OrgUnit.objects.count() == before
    assert not OrgUnit.objects.filter(code="NEW-OK").exists()
    net.mukur.refresh_from_db()
    assert net.mukur.phone == ""
    assert "Nothing was written" in response.content.decode()


def test_the_error_table_lists_every_error_with_row_column_and_problem(client_for, admin_user, net):
    rows = [
        {**NEW_LIBRARY, "latitude": "north"},
        {**NEW_LIBRARY, "code": "NEW-2", "kind": "castle", "opening_year": 1500},
    ]

    response = _post(client_for(admin_user), _xlsx(rows))

    assert [(row, column) for row, column, _m in _errors(response)] == [
        (2, "Latitude"),
        (3, "Kind"),
        (3, "Opening year"),
    ]
    page = response.content.decode()
    assert 'id="import-errors"' in page
    assert '<th scope="col">Problem</th>' in page
    assert "(G)" in page  # the latitude column's letter in the file


def test_errors_are_written_in_the_users_language(client_for, admin_user, net):
    client = client_for(admin_user)
    client.cookies["metodist_language"] = "ru"

    response = _post(client, _xlsx([{**NEW_LIBRARY, "name_ru": None}]))

    with translation.override("ru"):
        required = translation.gettext("This field is required.")
    assert required != "This field is required."
    assert [(row, message) for row, _column, message in _errors(response)] == [(2, required)]


def test_an_unknown_column_code_is_reported_on_the_codes_row(client_for, admin_user, net):
    response = _post(client_for(admin_user), _xlsx([["NEW-OK", "blue"]], header=["code", "colour"]))

    assert _errors(response)[0][:2] == (1, "colour")
    assert "Unknown column code" in _errors(response)[0][2]
    assert not OrgUnit.objects.filter(code="NEW-OK").exists()


def test_a_unit_cannot_be_moved_under_its_own_subtree(client_for, admin_user, net):
    rows = [
        {"code": "NEW-A", "parent_code": "MUK-LIB", "kind": "library", "name_ru": "Филиал"},
        {"code": "MUK-LIB", "parent_code": "NEW-A", "kind": "library", "name_ru": net.mukur.name_ru},
    ]
    before = OrgUnit.objects.count()

    response = _post(client_for(admin_user), _xlsx(rows))

    assert (3, "Parent code", "A unit cannot stand under itself or its own subtree.") in _errors(response)
    assert OrgUnit.objects.count() == before


def test_a_new_unit_differing_only_in_letter_case_is_refused(client_for, admin_user, net):
    response = _post(client_for(admin_user), _xlsx([{**NEW_LIBRARY, "code": "muk-lib"}]))

    assert _errors(response)[0][:2] == (2, "Code")
    assert not OrgUnit.objects.filter(code="muk-lib").exists()


def test_a_dry_run_writes_nothing_and_shows_the_plan(client_for, admin_user, net):
    rows = [
        NEW_LIBRARY,
        MUKUR_PHONE,
        {"code": "KAI-LIB", "parent_code": "BSK", "kind": "library", "name_ru": net.kainar.name_ru},
        {
            "code": "ABY",
            "parent_code": "VKO",
            "kind": "district",
            "name_ru": net.abay.name_ru,
            "name_kk": net.abay.name_kk,
        },
    ]
    before = OrgUnit.objects.count()

    response = _post(client_for(admin_user), _xlsx(rows), dry_run=True)

    assert response.status_code == 200
    plan = response.context["plan"]
    assert [r.code for r in plan.to_create] == ["NEW-OK"]
    assert [r.code for r in plan.to_update] == ["MUK-LIB"]
    assert [(c.column, c.old, c.new) for c in plan.to_update[0].changes] == [
        ("Phone", "—", "+7 72239 2-14-55")
    ]
    assert [r.code for r in plan.to_move] == ["KAI-LIB"]
    assert [r.code for r in plan.unchanged] == ["ABY"]
    assert OrgUnit.objects.count() == before
    net.mukur.refresh_from_db()
    assert net.mukur.phone == ""
    assert "Write these changes" in response.content.decode()


def test_confirming_a_dry_run_writes_the_checked_file_once(client_for, admin_user, net, tmp_path):
    client = client_for(admin_user)
    before = OrgUnit.objects.count()
    token = _post(client, _xlsx([NEW_LIBRARY, MUKUR_PHONE]), dry_run=True).context["token"]

    response = client.post(IMPORT, {"token": token})

    assert response.status_code == 302
    assert OrgUnit.objects.count() == before + 1
    net.mukur.refresh_from_db()
    assert net.mukur.phone == "+7 72239 2-14-55"
    assert list((tmp_path / "stash").iterdir()) == []  # the kept file is gone once written
    again = client.post(IMPORT, {"token": token})
    assert again.status_code == 200
    assert "no longer kept" in again.content.decode()
    assert OrgUnit.objects.count() == before + 1


def test_importing_the_same_file_twice_creates_no_duplicates(client_for, admin_user, net):
    client = client_for(admin_user)
    _post(client, _xlsx([NEW_LIBRARY]))

    response = _post(client, _xlsx([NEW_LIBRARY]), dry_run=True)

    assert OrgUnit.objects.filter(code="NEW-OK").count() == 1
    assert len(response.context["plan"].unchanged) == 1
    assert response.context["plan"].to_create == []


def _fill_cards(user, net):
    services.unit_update(
        user=user,
        unit=net.mukur,
        data={
            "latitude": Decimal("49.951234"),
            "longitude": Decimal("82.100000"),
            "languages": ["kk", "ru"],
            "opened_on": "1965-09-01",
            "staff_rate": Decimal("0.50"),
            "population_served": 1450,
            "opening_year": 1965,
            "email": "mukur@example.kz",
            "website": "https://mukur.example.kz",
            "library_type": "village",
            "founding_department": "culture",
            "description": "Библиотека села Мұқыр\nвторая строка",
        },
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_file_imports_back_unchanged(client_for, admin_user, net, fmt):
    _fill_cards(admin_user, net)
    client = client_for(admin_user)
    exported = client.get(EXPORT, {"format": fmt}).content

    response = _post(client, SimpleUploadedFile(f"registry.{fmt}", exported), dry_run=True)

    assert response.context["errors"] == []
    plan = response.context["plan"]
    assert len(plan.unchanged) == OrgUnit.objects.count() == 11
    assert plan.to_create == plan.to_update == plan.to_move == []
    assert "nothing to write" in response.content.decode()


def test_a_methodologist_exports_and_imports_her_district_unchanged(client_for, methodist, net):
    client = client_for(methodist)
    exported = client.get(EXPORT).content

    response = _post(client, SimpleUploadedFile("registry.xlsx", exported), dry_run=True)

    assert response.context["errors"] == []
    assert [r.code for r in response.context["plan"].unchanged] == ["BSK", "BSK-LIB", "KAN-LIB", "BSK-OC"]


def test_a_methodologist_of_beskaragay_cannot_import_a_unit_under_abay(client_for, methodist, net):
    rows = [
        {"code": "BSK-NEW", "parent_code": "BSK", "kind": "library", "name_ru": "Новая библиотека района"},
        {"code": "ABY-NEW", "parent_code": "ABY", "kind": "library", "name_ru": "Чужая библиотека"},
        MUKUR_PHONE,
    ]

    response = _post(client_for(methodist), _xlsx(rows))

    assert [(row, column) for row, column, _m in _errors(response)] == [(3, "Parent code"), (4, "Code")]
    assert "outside your part of the network" in _errors(response)[0][2]
    assert not OrgUnit.objects.filter(code__in=["BSK-NEW", "ABY-NEW"]).exists()


def test_a_librarian_cannot_open_or_post_the_import(client_for, librarian, net):
    client = client_for(librarian)

    assert client.get(IMPORT).status_code == 403
    assert _post(client, _xlsx([NEW_LIBRARY])).status_code == 403
    assert not OrgUnit.objects.filter(code="NEW-OK").exists()


def test_the_import_page_explains_the_format_and_links_the_template(client_for, methodist, net):
    response = client_for(methodist).get(IMPORT)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{EXPORT}"' in page
    assert 'name="dry_run"' in page
    assert "checked" in page.split('name="dry_run"')[1].split(">")[0]
    assert response.context["nav_active"] == "network"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("registry.xlsx", b"\x00\x01garbage bytes, not a workbook\xff\xfe"),
        ("registry.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old xls"),
        ("registry.pdf", b"%PDF-1.7"),
    ],
)
def test_a_file_that_is_not_a_workbook_gets_a_clear_message(client_for, admin_user, net, name, content):
    response = _post(client_for(admin_user), SimpleUploadedFile(name, content), dry_run=True)

    assert response.status_code == 200
    assert "The file is not an Excel workbook (.xlsx)." in response.content.decode()


def test_a_zip_that_is_not_a_workbook_gets_a_clear_message(client_for, admin_user, net):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a spreadsheet")

    response = _post(client_for(admin_user), SimpleUploadedFile("registry.xlsx", buffer.getvalue()))

    assert "The file is not an Excel workbook (.xlsx)." in response.content.decode()


def test_a_workbook_without_a_code_column_is_refused(client_for, admin_user, net):
    response = _post(client_for(admin_user), _xlsx([["x", "y"]], header=["name", "phone"]))

    assert "The file has no column with the code" in response.content.decode()


def test_posting_without_a_file_asks_for_one(client_for, admin_user, net):
    response = client_for(admin_user).post(IMPORT, {"dry_run": "on"})

    assert response.status_code == 200
    assert "Choose a file." in response.content.decode()


def test_a_file_over_5_mb_is_refused(client_for, admin_user, net):
    upload = SimpleUploadedFile("registry.csv", b"code\n" + b"A" * (5 * 1024 * 1024))

    response = _post(client_for(admin_user), upload)

    assert "larger than 5 MB" in response.content.decode()


def test_a_file_over_20000_rows_is_refused(client_for, admin_user, net):
    lines = ["code,parent_code,kind,name_ru"] + [f"N{i},ABY,library,Библиотека {i}" for i in range(20_001)]
    upload = SimpleUploadedFile("registry.csv", "\n".join(lines).encode())

    response = _post(client_for(admin_user), upload, dry_run=True)

    assert "more than 20000 rows" in response.content.decode()
    assert not OrgUnit.objects.filter(code="N1").exists()


def test_a_csv_saved_by_excel_with_semicolons_is_read(client_for, admin_user, net):
    content = "code;parent_code;kind;name_ru\r\nNEW-OK;ABY;library;Новая библиотека\r\n".encode("utf-8-sig")

    response = _post(client_for(admin_user), SimpleUploadedFile("registry.csv", content))

    assert response.status_code == 302
    assert OrgUnit.objects.get(code="NEW-OK").name_ru == "Новая библиотека"


def test_a_unit_can_change_its_kind_while_it_moves(client_for, admin_user, net):
    # A library cannot stand under an online centre, but a department of a library can.
    row = {"code": "KAN-LIB", "parent_code": "BSK-OC", "kind": "department", "name_ru": net.kanonerka.name_ru}

    response = _post(client_for(admin_user), _xlsx([row], header=["code", "parent_code", "kind", "name_ru"]))

    assert response.status_code == 302
    net.kanonerka.refresh_from_db()
    net.beskaragay_oc.refresh_from_db()
    assert net.kanonerka.kind == UnitKind.DEPARTMENT
    assert net.kanonerka.is_within(net.beskaragay_oc)


def test_a_new_kind_must_still_fit_the_units_under_it(client_for, admin_user, net):
    # The methodological department cannot stand under a settlement.
    row = {"code": "VKOUB", "parent_code": "VKO", "kind": "settlement", "name_ru": net.regional.name_ru}

    response = _post(client_for(admin_user), _xlsx([row], header=["code", "parent_code", "kind", "name_ru"]))

    assert [(r, c) for r, c, _m in _errors(response)] == [(2, "Kind")]
    assert _errors(response)[0][2].startswith("VKOUB-MO: ")
    net.regional.refresh_from_db()
    assert net.regional.kind == UnitKind.LIBRARY


def test_only_a_superuser_creates_a_top_level_unit(client_for, admin_user, net):
    row = {"code": "KZ-2", "parent_code": None, "kind": "region", "name_ru": "Другая область"}

    response = _post(client_for(admin_user), _xlsx([row]))

    assert _errors(response) == [(2, "Parent code", "Only a superuser can create a top-level unit.")]


def test_a_write_that_fails_after_the_check_rolls_the_whole_file_back(admin_user, net):
    table = registry_io.registry_file_read(
        content=_xlsx([MUKUR_PHONE, NEW_LIBRARY]).read(), filename="r.xlsx"
    )
    plan = registry_io.registry_import_plan(user=admin_user, table=table)
    # Someone else creates the same code between the check and the write.
    services.unit_create(
        user=admin_user,
        parent=net.abay,
        data={"code": "NEW-OK", "name_ru": "Другая", "kind": UnitKind.LIBRARY},
    )

    with pytest.raises(registry_io.RegistryImportFailed) as failure:
        registry_io.registry_import_apply(user=admin_user, plan=plan)

    assert failure.value.errors[0].row == 3
    net.mukur.refresh_from_db()
    assert net.mukur.phone == ""
    assert OrgUnit.objects.filter(code="NEW-OK").count() == 1


def test_units_seen_but_not_managed_import_back_unchanged_but_cannot_be_changed(client_for, methodist, net):
    # She also reads the whole region as a marketing specialist, but manages only Beskaragay.
    RoleFactory(user=methodist, unit=net.region, kind=RoleKind.MARKETER)
    client = client_for(methodist)
    exported = client.get(EXPORT).content

    unchanged = _post(client, SimpleUploadedFile("registry.xlsx", exported), dry_run=True)
    changed = _post(client, _xlsx([MUKUR_PHONE]), dry_run=True)

    assert unchanged.context["errors"] == []
    assert len(unchanged.context["plan"].unchanged) == 11
    assert [(row, column) for row, column, _m in _errors(changed)] == [(2, "Code")]
    assert "you do not manage" in _errors(changed)[0][2]
