import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from metodist.network import services
from metodist.network.models import UnitKind

EXPORT = reverse("network:registry_export")


@pytest.fixture(autouse=True)
def _english(settings):
    # The column titles are translated; compare them in English.
    settings.LANGUAGE_CODE = "en"


def _sheet(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return workbook.worksheets[0]


def _codes_column(sheet) -> list[str]:
    return [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]


def _rows_by_code(sheet) -> dict[str, dict]:
    codes = [cell.value for cell in sheet[2]]
    return {
        row[0]: dict(zip(codes, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)
    }


def test_the_export_has_titles_a_hidden_row_of_codes_and_one_row_per_unit_in_tree_order(
    client_for, admin_user, net
):
    response = client_for(admin_user).get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = _sheet(response)
    assert [cell.value for cell in sheet[1]][:4] == ["Code", "Parent code", "Kind", "Name (Russian)"]
    assert sheet["A1"].font.b
    assert [cell.value for cell in sheet[2]][:4] == ["code", "parent_code", "kind", "name_ru"]
    assert sheet.row_dimensions[2].hidden
    assert sheet.freeze_panes == "B3"
    assert sheet.column_dimensions["D"].width >= 30
    assert _codes_column(sheet) == [
        "VKO",
        "BSK",
        "BSK-LIB",
        "BSK-OC",
        "KAN-LIB",
        "ABY",
        "MUK-LIB",
        "MUK-OC",
        "KAI-LIB",
        "VKOUB",
        "VKOUB-MO",
    ]


def test_the_export_gives_each_unit_its_parent_code(client_for, admin_user, net):
    rows = _rows_by_code(_sheet(client_for(admin_user).get(EXPORT)))

    assert rows["VKO"]["parent_code"] is None
    assert rows["BSK"]["parent_code"] == "VKO"
    assert rows["BSK-OC"]["parent_code"] == "BSK-LIB"
    assert rows["VKOUB-MO"]["parent_code"] == "VKOUB"


def test_kazakh_letters_and_card_fields_survive_the_export(client_for, admin_user, net):
    services.unit_update(
        user=admin_user,
        unit=net.mukur,
        data={
            "latitude": Decimal("49.951234"),
            "languages": ["kk", "ru"],
            "opened_on": date(1965, 9, 1),
            "staff_rate": Decimal("0.50"),
            "phone": "+7 72239 2-14-55",
            "description": "=1+1 is text, not a formula",
        },
    )

    row = _rows_by_code(_sheet(client_for(admin_user).get(EXPORT)))["MUK-LIB"]

    assert row["name_kk"] == "Мұқыр ауылдық кітапханасы"
    assert row["kind"] == "library"
    assert row["latitude"] == 49.951234
    assert row["languages"] == "kk, ru"
    assert row["opened_on"] == datetime(1965, 9, 1)
    assert row["staff_rate"] == 0.5
    assert row["phone"] == "+7 72239 2-14-55"
    assert row["description"] == "=1+1 is text, not a formula"


def test_the_kind_column_offers_a_dropdown_of_kinds(client_for, admin_user, net):
    sheet = _sheet(client_for(admin_user).get(EXPORT))

    kind_lists = [dv for dv in sheet.data_validations.dataValidation if "C3" in str(dv.sqref)]
    assert len(kind_lists) == 1
    assert kind_lists[0].type == "list"
    assert "online_centre" in kind_lists[0].formula1


def test_the_mukur_librarian_exports_only_her_library_and_its_online_centre(client_for, librarian, net):
    response = client_for(librarian).get(EXPORT)

    assert response.status_code == 200
    sheet = _sheet(response)
    assert _codes_column(sheet) == ["MUK-LIB", "MUK-OC"]
    # The parent above her scope is named by code, so the file can be imported back.
    assert _rows_by_code(sheet)["MUK-LIB"]["parent_code"] == "ABY"
    today = timezone.localdate().isoformat()
    assert f"registry-MUK-LIB-{today}.xlsx" in response["Content-Disposition"]


def test_the_librarian_cannot_export_kainar(client_for, librarian, net):
    client = client_for(librarian)

    assert client.get(EXPORT, {"under": net.kainar.pk}).status_code == 404
    assert client.get(EXPORT, {"under": "not-a-number"}).status_code == 404


def test_under_limits_the_export_to_a_subtree(client_for, admin_user, net):
    response = client_for(admin_user).get(EXPORT, {"under": net.beskaragay.pk})

    assert _codes_column(_sheet(response)) == ["BSK", "BSK-LIB", "BSK-OC", "KAN-LIB"]
    assert "registry-BSK-" in response["Content-Disposition"]


def test_archived_units_are_exported_only_when_asked(client_for, admin_user, net):
    services.unit_archive(user=admin_user, unit=net.kainar)
    client = client_for(admin_user)

    assert "KAI-LIB" not in _codes_column(_sheet(client.get(EXPORT)))
    assert "KAI-LIB" in _codes_column(_sheet(client.get(EXPORT, {"archived": "1"})))


def test_the_csv_export_has_the_codes_as_header_and_a_bom_for_excel(client_for, admin_user, net):
    services.unit_update(user=admin_user, unit=net.mukur, data={"languages": ["kk", "ru"]})

    response = client_for(admin_user).get(EXPORT, {"format": "csv", "under": net.abay.pk})

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["code"] == "ABY"
    mukur = next(row for row in rows if row["code"] == "MUK-LIB")
    assert mukur["parent_code"] == "ABY"
    assert mukur["name_kk"] == "Мұқыр ауылдық кітапханасы"
    assert mukur["languages"] == "kk,ru"
    assert mukur["kind"] == UnitKind.LIBRARY


def test_people_without_the_registry_cannot_export(client_for, volunteer, outsider):
    assert client_for(volunteer).get(EXPORT).status_code == 403
    assert client_for(outsider).get(EXPORT).status_code == 403
