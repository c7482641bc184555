"""The completeness page (scope, drill-down, the chart, the overdue list, XLSX, a fixed number of queries)
and the reports card of the home page for a reviewer and a librarian."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from metodist.core.testing.factories import RoleFactory, UserFactory, add_unit
from metodist.network.models import UnitKind
from metodist.reporting.models import Report, ReportStatus
from metodist.reporting.periods import Period

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime.datetime(2025, 3, 10, 11, 0, tzinfo=ALMATY)  # February (due 5 March) is the latest due
FEB = Period.parse("2025-02")
URL = reverse("reporting:completeness")
CARD = reverse("reporting:home_reports")


def ru(message: str) -> str:
    """A message as the tests' Russian user reads it."""
    with translation.override("ru"):
        return translation.gettext(message)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def report(form, unit, period, status, submitted_day=None) -> Report:
    submitted = (
        datetime.datetime.combine(submitted_day, datetime.time(10), tzinfo=ALMATY) if submitted_day else None
    )
    return Report.objects.create(
        form=form,
        form_version=form.current_version(),
        unit=unit,
        period_type=period.type,
        period_start=period.start,
        period_end=period.end,
        ref_date=period.ref_date,
        due=period.deadline(form.deadline_days),
        status=status,
        submitted_at=submitted,
    )


@pytest.fixture
def february(net, lib_form):
    report(lib_form, net.beskaragay_lib, FEB, ReportStatus.ACCEPTED, datetime.date(2025, 3, 3))
    report(lib_form, net.kanonerka, FEB, ReportStatus.SUBMITTED, datetime.date(2025, 3, 7))
    report(lib_form, net.mukur, FEB, ReportStatus.DRAFT)
    net.kainar.phone, net.kainar.email = "+7 (72252) 2-79-74", "kainar@example.kz"
    net.kainar.save()
    return lib_form


def _table(html: str) -> dict[str, list[str]]:
    """Rows of the completeness table by unit code: the cells' text."""
    rows = {}
    for code, body in re.findall(r'<tr data-unit="([^"]+)">(.*?)</tr>', html, re.S):
        rows[code] = [
            re.sub(r"<[^>]+>|\s+", " ", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body, re.S)
        ]
    return rows


def test_the_page_shows_the_methodologists_district_by_default(client_for, methodist, february):
    response = client_for(methodist).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    rows = _table(html)
    assert list(rows) == ["BSK-LIB", "KAN-LIB"]  # her district's libraries, not Abay's
    assert rows["BSK-LIB"][1:4] == ["1", "1", "100%"]
    assert rows["KAN-LIB"][1:6] == ["1", "1", "100%", "0", "1"]  # submitted late
    assert 'data-figure="expected">2<' in html
    assert "Мукурская" not in html
    assert 'id="completeness-chart"' in html and 'id="completeness-trend"' in html


def test_the_region_drills_down_into_a_district(client_for, admin_user, net, february):
    client = client_for(admin_user)
    region = _table(client.get(URL, {"form": february.pk, "period": "2025-02"}).content.decode())
    assert list(region) == ["BSK", "ABY", "VKOUB"]
    drill = f'href="{URL}?form={february.pk}&amp;period=2025-02&amp;unit={net.abay.pk}"'
    assert drill in client.get(URL, {"form": february.pk}).content.decode()
    html = client.get(URL, {"form": february.pk, "period": "2025-02", "unit": net.abay.pk}).content.decode()
    assert list(_table(html)) == ["MUK-LIB", "KAI-LIB"]
    assert "Восточно-Казахстанская область" in html  # the way back up


def test_an_htmx_drill_down_answers_only_the_body(client_for, admin_user, net, february):
    response = client_for(admin_user).get(
        URL,
        {"form": february.pk, "unit": net.abay.pk},
        headers={"HX-Request": "true", "HX-Target": "completeness-body"},
    )
    html = response.content.decode()
    assert "<html" not in html and 'id="completeness-table"' in html
    assert list(_table(html)) == ["MUK-LIB", "KAI-LIB"]


def test_the_overdue_list_gives_contacts_of_the_unit_and_its_librarian(
    client_for, admin_user, librarian, net, february
):
    html = client_for(admin_user).get(URL, {"form": february.pk, "unit": net.abay.pk}).content.decode()
    listed = re.findall(r'<li class="list-group-item" data-unit="([^"]+)">(.*?)</li>', html, re.S)
    assert [code for code, _body in listed] == ["MUK-LIB", "KAI-LIB"]
    mukur, kainar = (body for _code, body in listed)
    assert "mukur@example.kz" in mukur
    assert (
        reverse("reporting:report_detail", args=[Report.objects.get(unit=net.mukur).pk]) in mukur
    )  # the draft
    assert "kainar@example.kz" in kainar and "tel:+7(72252)2-79-74" in kainar


def test_before_the_due_day_the_missing_units_are_not_called_overdue(client_for, admin_user, net, lib_form):
    html = client_for(admin_user).get(URL, {"form": lib_form.pk, "period": "2025-03"}).content.decode()
    assert 'data-figure="missing">5<' in html
    assert (
        ru("Units that have not submitted yet") in html and ru("Overdue units and their contacts") not in html
    )


def test_a_librarian_sees_only_her_library(client_for, librarian, net, february):
    client = client_for(librarian)
    html = client.get(URL).content.decode()
    assert list(_table(html)) == ["MUK-LIB"]
    assert client.get(URL, {"unit": net.abay.pk}).status_code == 404
    assert client.get(URL, {"unit": net.beskaragay_lib.pk}).status_code == 404
    assert client.get(URL, {"unit": "x"}).status_code == 404


def test_an_outsider_is_refused_and_a_stranger_must_log_in(client, client_for, outsider, february):
    assert client.get(URL).status_code == 302
    assert client_for(outsider).get(URL).status_code == 403
    assert client_for(outsider).get(CARD).content == b""


def test_a_wrong_period_falls_back_to_the_latest_due_with_a_message(client_for, methodist, february):
    client = client_for(methodist)
    html = client.get(URL, {"form": february.pk, "period": "весна"}).content.decode()
    not_a_period = ru("“%(code)s” is not a period; the latest period due is shown.") % {"code": "весна"}
    assert not_a_period in html and 'value="2025-02" selected' in html
    assert client.get(URL, {"form": 999999}).status_code == 404
    # A week after switching to a monthly form: no message, the latest month due.
    html = client.get(URL, {"form": february.pk, "period": "2025-W07"}).content.decode()
    assert "весна" not in html and 'value="2025-02" selected' in html


def test_the_xlsx_holds_the_table_and_the_units_that_have_not_reported(
    client_for, admin_user, librarian, net, february
):
    response = client_for(admin_user).get(URL, {"form": february.pk, "unit": net.abay.pk, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Ежемесячная статистика библиотеки"
    assert rows[2][0] == "Абайский район"
    by_name = {row[0]: row for row in rows if row and row[0]}
    assert by_name["Мукурская сельская библиотека"][1:4] == [1, 0, 0]
    assert by_name["Кайнарская сельская библиотека"][1] == 1
    total = rows[-1]
    assert total[1:4] == [2, 0, 0] and total[-1] == 2
    listed = [list(row) for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert [row[1] for row in listed[1:]] == ["MUK-LIB", "KAI-LIB"]
    assert "mukur@example.kz" in listed[1][5] and listed[2][4] == "kainar@example.kz"


def _network_of(district, size: int, form) -> None:
    for number in range(size):
        library = add_unit(district, code=f"{district.code}-{number}", name_ru=f"Библиотека № {number}")
        if number % 3 == 0:
            report(form, library, FEB, ReportStatus.ACCEPTED, datetime.date(2025, 3, 3))
        elif number % 3 == 1:
            report(form, library, FEB, ReportStatus.DRAFT)
            RoleFactory(user=UserFactory(username=f"lib-{district.code}-{number}"), unit=library)


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries)


def test_the_page_runs_the_same_number_of_queries_for_3_and_30_units(client_for, admin_user, net, lib_form):
    small = add_unit(net.region, code="SML", name_ru="Малый район", kind=UnitKind.DISTRICT)
    large = add_unit(net.region, code="LRG", name_ru="Большой район", kind=UnitKind.DISTRICT)
    _network_of(small, 3, lib_form)
    _network_of(large, 30, lib_form)
    client = client_for(admin_user)
    client.get(URL, {"form": lib_form.pk})  # warm-up: session, caches
    assert _queries(client, {"form": lib_form.pk, "unit": small.pk}) == _queries(
        client, {"form": lib_form.pk, "unit": large.pk}
    )
    assert len(_table(client.get(URL, {"form": lib_form.pk, "unit": large.pk}).content.decode())) == 30


# --- the home card ---------------------------------------------------------------------------------------


def test_the_reviewers_card_shows_completeness_and_the_acceptance_queue(client_for, methodist, february):
    html = client_for(methodist).get(CARD).content.decode()
    assert 'id="home-reports"' in html
    assert 'data-figure="queue">1<' in html  # Kanonerka's report waits
    assert 'data-form="lib_monthly"' in html
    assert (
        ru("submitted %(submitted)s of %(expected)s (%(percent)s%%)")
        % {
            "submitted": 2,
            "expected": 2,
            "percent": 100,
        }
        in html
    )
    assert f"?form={february.pk}&amp;period=2025-02" in html


def test_the_librarians_card_lists_her_reports_due_and_overdue(client_for, librarian, net, february, oc_form):
    html = client_for(librarian).get(CARD).content.decode()
    items = re.findall(r'<li( class="text-danger")? data-form="([^"]+)" data-period="([^"]+)"', html)
    overdue = {(form, period): bool(danger) for danger, form, period in items}
    assert overdue[("lib_monthly", "2025-02")] is True  # the draft, due 5 March
    assert overdue[("lib_monthly", "2025-01")] is True  # never begun
    assert overdue[("oc_weekly", "2025-W10")] is False  # last week, due 12 March
    assert ("lib_monthly", "2025-03") not in overdue  # the month is not over
    assert [key for key, late in overdue.items() if not late] == [("oc_weekly", "2025-W10")]  # overdue first
    draft = Report.objects.get(unit=net.mukur, form=february)
    assert reverse("reporting:report_detail", args=[draft.pk]) in html


def test_the_home_page_loads_the_card_only_for_people_with_reports(
    client_for, librarian, marketer, volunteer
):
    home = reverse("dashboard:home")
    assert CARD in client_for(librarian).get(home).content.decode()
    assert CARD not in client_for(marketer).get(home).content.decode()
    assert CARD not in client_for(volunteer).get(home).content.decode()
    assert client_for(volunteer).get(CARD).content == b""
