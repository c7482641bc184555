"""The page "Upload reports": templates to download, the check of an uploaded file, the write."""

import datetime
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from metodist.network.models import UnitKind
from metodist.reporting import services
from metodist.reporting.models import Report, Value, ValueType
from metodist.reporting.periods import Period, PeriodType
from metodist.reporting.testing import indicator, make_form

NOW = datetime.datetime(2025, 3, 20, 11, 0, tzinfo=ZoneInfo("Asia/Almaty"))
PERIOD = Period.parse("2025-02")
UPLOAD = reverse("reporting:upload")
TEMPLATE = reverse("reporting:upload_template")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def form(net):
    visits = indicator("pg_visits", "Посещения")
    events = indicator("pg_events", "Мероприятия")
    internet = indicator("pg_internet", "Есть интернет", value_type=ValueType.BOOLEAN)
    return make_form(
        "pg_monthly",
        "Ежемесячная статистика библиотеки",
        PeriodType.MONTH,
        [("Основные показатели", [visits, events, internet])],
        assign_to=net.region,
        kinds=[UnitKind.LIBRARY],
    )


def _xlsx(rows, *, period="2025-02") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["pg_monthly", period])
    sheet.append(["#unit", "#name", "pg_visits", "pg_events", "pg_internet"])
    sheet.append(["Код", "Библиотека", "Посещения", "Мероприятия", "Интернет"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("февраль.xlsx", buffer.getvalue())


def _token(html: str) -> str:
    return re.search(r'name="token" value="([A-Za-z0-9]+)"', html).group(1)


def _write(client, token: str):
    return client.post(UPLOAD, {"token": token, "submit_key": token}, follow=True)


def test_the_page_offers_the_forms_periods_and_units_of_the_methodologist(client_for, methodist, form):
    response = client_for(methodist).get(UPLOAD)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ежемесячная статистика библиотеки" in html
    assert '<option value="2025-02" selected>' in html  # the month just ended
    assert "Бескарагайский район" in html
    assert "Абайский район" not in html
    assert 'enctype="multipart/form-data"' in html


def test_people_who_do_not_enter_reports_cannot_open_the_page(client, client_for, outsider, volunteer, form):
    assert client.get(UPLOAD).status_code == 302  # to the login
    assert client_for(outsider).get(UPLOAD).status_code == 403
    assert client_for(volunteer).get(TEMPLATE).status_code == 403


def test_the_template_has_a_row_for_each_library_of_the_chosen_district(client_for, net, methodist, form):
    query = {"form": form.pk, "period": "2025-02", "unit": net.beskaragay.pk, "format": "xlsx"}
    response = client_for(methodist).get(TEMPLATE, query)
    assert response.status_code == 200
    assert "pg_monthly-2025-02-BSK.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [sheet.cell(row, 1).value for row in range(4, sheet.max_row + 1)] == ["BSK-LIB", "KAN-LIB"]
    assert sheet["C3"].value == "Посещения"

    response = client_for(methodist).get(TEMPLATE, {**query, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "KAN-LIB,Канонерская сельская библиотека" in response.content.decode("utf-8-sig")


def test_a_link_with_a_unit_deeper_than_the_list_keeps_that_unit_chosen(client_for, net, admin_user, form):
    response = client_for(admin_user).get(UPLOAD, {"unit": net.mukur_oc.pk})
    assert (
        f'<option value="{net.mukur_oc.pk}" selected>Онлайн-центр села Мукур</option>'
        in response.content.decode()
    )


def test_a_template_of_a_unit_outside_the_scope_is_not_given(client_for, net, methodist, form):
    query = {"form": form.pk, "period": "2025-02", "unit": net.abay.pk}
    response = client_for(methodist).get(TEMPLATE, query)
    assert response["Content-Type"].startswith("text/html")
    assert "Мукурская" not in response.content.decode()


def test_a_unit_without_libraries_gets_a_message_instead_of_an_empty_template(
    client_for, net, admin_user, form
):
    query = {"form": form.pk, "period": "2025-02", "unit": net.method_dept.pk}
    response = client_for(admin_user).get(TEMPLATE, query)
    assert response["Content-Type"].startswith("text/html")
    assert "Методический отдел" in response.content.decode()
    assert 'class="invalid-feedback d-block"' in response.content.decode()


def test_an_upload_is_checked_first_and_written_only_when_confirmed(client_for, net, methodist, form):
    client = client_for(methodist)
    response = client.post(UPLOAD, {"file": _xlsx([["BSK-LIB", "", 120, 4, "да"], ["KAN-LIB", "", 35]])})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="upload-plan"' in html
    assert "BSK-LIB" in html and "KAN-LIB" in html
    assert not Report.objects.exists() and not Value.objects.exists()

    response = _write(client, _token(html))
    assert response.redirect_chain[-1][0] == UPLOAD
    assert "февраль.xlsx" in response.content.decode()
    report = Report.objects.get(form=form, unit=net.beskaragay_lib, period_start=PERIOD.start)
    assert services.values_of(report) == {
        "pg_visits": Decimal(120),
        "pg_events": Decimal(4),
        "pg_internet": Decimal(1),
    }
    assert Value.objects.count() == 4


def test_a_second_click_on_write_writes_nothing_more(client_for, net, methodist, form):
    client = client_for(methodist)
    token = _token(client.post(UPLOAD, {"file": _xlsx([["KAN-LIB", "", 35]])}).content.decode())
    _write(client, token)
    counts = (Report.objects.count(), Value.objects.count(), Value.history.count(), Report.history.count())

    response = _write(client, token)
    assert response.status_code == 200
    assert (
        Report.objects.count(),
        Value.objects.count(),
        Value.history.count(),
        Report.history.count(),
    ) == counts


def test_a_file_with_errors_lists_them_and_offers_no_write(client_for, net, methodist, form):
    rows = [["BSK-LIB", "", "сто", 4], ["MUK-LIB", "", 10]]
    response = client_for(methodist).post(UPLOAD, {"file": _xlsx(rows)})
    html = response.content.decode()
    assert 'id="upload-errors"' in html
    table = html[html.index('id="upload-errors"') :]
    assert re.search(r"<td>4</td>\s*<td><span[^>]*>C</span> Посещения</td>", table)
    assert re.search(r"<td>5</td>\s*<td><span[^>]*>A</span>", table)
    assert 'name="token"' not in html
    assert not Report.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_gets_a_message(client_for, methodist, form):
    upload = SimpleUploadedFile("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    response = client_for(methodist).post(UPLOAD, {"file": upload})
    assert 'id="upload-errors"' in response.content.decode()
    assert not Report.objects.exists()


def test_a_report_changed_after_the_check_is_shown_again_instead_of_written(client_for, net, methodist, form):
    report = services.open_report(user=methodist, form=form, unit=net.beskaragay_lib, period=PERIOD)
    report = services.save_values(user=methodist, report=report, values={"pg_visits": "10"})
    client = client_for(methodist)
    token = _token(client.post(UPLOAD, {"file": _xlsx([["BSK-LIB", "", 12]])}).content.decode())
    services.save_values(user=methodist, report=report, values={"pg_visits": "11"})

    response = _write(client, token)
    html = response.content.decode()
    assert 'class="alert alert-warning"' in html
    assert _token(html) != token  # the new check can be written in its turn
    assert services.values_of(report)["pg_visits"] == Decimal(11)


def test_choosing_another_form_refreshes_the_periods_with_htmx(client_for, net, methodist, form):
    weekly = make_form(
        "pg_weekly",
        "Еженедельный отчёт",
        PeriodType.WEEK,
        [("Раздел", [indicator("pg_sessions", "Сеансы")])],
        assign_to=net.region,
        kinds=[UnitKind.ONLINE_CENTRE],
    )
    response = client_for(methodist).get(UPLOAD, {"form": weekly.pk}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="period-field"' in html
    assert 'value="2025-W12"' in html
    assert "<html" not in html


def test_the_upload_link_for_other_pages_points_to_the_page():
    assert UPLOAD in render_to_string("reporting/xlsx/_upload_link.html")
