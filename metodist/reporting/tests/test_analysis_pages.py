"""`/reporting/analysis/`: the pivot page, its chart, drilling into a unit, the XLSX, scope and cost."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from metodist.core.testing.factories import add_unit
from metodist.network.models import OrgUnit
from metodist.reporting import services
from metodist.reporting.models import DerivedIndicator, Indicator
from metodist.reporting.periods import Period

URL = reverse("reporting:analysis")
TODAY = datetime.datetime(2025, 4, 15, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _fill(user, form, unit, period, values):
    report = services.open_report(user=user, form=form, unit=unit, period=Period.parse(period))
    services.save_values(user=user, report=report, values=values, version=report.version)


@pytest.fixture
def figures(net, admin_user, lib_form):
    """March 2025 and March 2024 of three libraries, and a ratio of loans to visits."""
    rows = [
        (net.beskaragay_lib, "2025-03", 1234, 2500),
        (net.kanonerka, "2025-03", 300, 330),
        (net.mukur, "2025-03", 800, 1000),
        (net.beskaragay_lib, "2024-03", 1000, 2600),
        (net.mukur, "2024-03", 1000, 900),
    ]
    for unit, month, visits, loans in rows:
        _fill(admin_user, lib_form, unit, month, {"lib_visits": visits, "lib_loans": loans})
    return DerivedIndicator.objects.create(
        code="loans_per_visit",
        name_ru="Книговыдача на одно посещение",
        numerator=Indicator.objects.get(code="lib_loans"),
        denominator=Indicator.objects.get(code="lib_visits"),
        decimals=2,
    )


def _query(**params):
    params.setdefault("indicators", ["lib_visits", "lib_loans", "loans_per_visit"])
    params.setdefault("first", "2025-03")
    return params


def test_the_page_opens_at_the_top_of_the_scope_with_the_last_twelve_months(client_for, methodist, figures):
    answer = client_for(methodist).get(URL)
    assert answer.status_code == 200
    html = answer.content.decode()
    table = answer.context["table"]
    # Beskaragay district (her scope), April 2024 … March 2025, the first indicators of the first form.
    assert table.under.code == "BSK"
    assert (table.first.code, table.last.code) == ("2024-04", "2025-03")
    assert [column.code for column in table.columns] == ["lib_users", "lib_visits", "lib_loans"]
    assert [row.label for row in table.rows] == [
        "Бескарагайская сельская библиотека",
        "Канонерская сельская библиотека",
    ]
    # The number in the Russian format, the month inputs show the range, the chart is drawn.
    assert "1\xa0234" in html and "1\xa0534" in html
    assert 'value="2024-04"' in html and 'value="2025-03"' in html
    assert 'role="img"' in html and "<rect" in html
    assert "Мукурская" not in html  # another district


def test_numbers_follow_the_language(client_for, admin_user, figures, net):
    client = client_for(admin_user)
    english = client.get(URL, _query(under=net.region.pk), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2,334" in english and "1.84" in english  # 1,234 + 300 + 800 visits; 2,830 / 1,534
    kazakh = client.get(URL, _query(under=net.region.pk), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "2\xa0334" in kazakh and "1,84" in kazakh and "Абай ауданы" in kazakh


def test_derived_figures_stand_beside_the_raw_ones_with_the_change(client_for, admin_user, figures, net):
    answer = client_for(admin_user).get(URL, _query(under=net.region.pk))
    html = answer.content.decode()
    table = answer.context["table"]
    beskaragay = next(row for row in table.rows if row.unit == net.beskaragay)
    ratio = beskaragay.cells[2]
    # 2,830 loans over 1,534 visits: 1.84; the raw figures are shown with it.
    assert (ratio.value, ratio.numerator, ratio.denominator) == (Decimal("1.84"), 2830, 1534)
    assert "2\xa0830 ÷ 1\xa0534" in html and "1,84" in html
    # Visits went up in Beskaragay (1,534 against 1,000) and down in Abay (800 against 1,000).
    assert beskaragay.cells[0].shown_change == "+53,4 %"
    abay = next(row for row in table.rows if row.unit == net.abay)
    assert abay.cells[0].shown_change == "−20,0 %"
    assert "analysis-up" in html and "analysis-down" in html
    assert "+53,4 %" in html and "−20,0 %" in html


def test_a_unit_row_drills_into_the_unit(client_for, admin_user, figures, net):
    client = client_for(admin_user)
    answer = client.get(URL, _query(under=net.region.pk))
    beskaragay = next(row for row in answer.context["table"].rows if row.unit == net.beskaragay)
    assert f"under={net.beskaragay.pk}" in beskaragay.url
    assert beskaragay.url in answer.content.decode().replace("&amp;", "&")
    inside = client.get(beskaragay.url)
    table = inside.context["table"]
    assert table.under == net.beskaragay
    assert [row.cells[0].value for row in table.rows] == [1234, 300]
    # The same indicators, and a way back up.
    assert [column.code for column in table.columns] == ["lib_visits", "lib_loans", "loans_per_visit"]
    assert [unit for unit, _url in inside.context["ancestors"]] == [net.region]


def test_rows_by_period_draw_a_line_with_the_year_before(client_for, admin_user, figures, net):
    answer = client_for(admin_user).get(
        URL, _query(under=net.region.pk, first="2025-01", last="2025-03", rows="period")
    )
    html = answer.content.decode()
    assert [row.key for row in answer.context["table"].rows] == ["2025-01", "2025-02", "2025-03"]
    assert answer.context["chart_kind"] == "line"
    assert "<polyline" in html and "chart-line-muted" in html


def test_htmx_gets_the_piece_of_the_page(client_for, admin_user, figures, net):
    answer = client_for(admin_user).get(
        URL, _query(under=net.region.pk), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="analysis"
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "<html" not in html and 'id="analysis"' in html and 'id="analysis-table"' in html


def test_the_workbook_is_the_table_on_the_page(client_for, admin_user, figures, net):
    answer = client_for(admin_user).get(
        URL, _query(under=net.abay.pk, format="xlsx"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "analysis-ABY-2025-03-2025-03.xlsx" in answer["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert rows["Part of the network"][0] == "Абайский район (ABY)"
    assert rows["Мукурская сельская библиотека"][:5] == (800, 1000, 1.25, 1000, 800)
    assert rows["Total"][:2] == (800, 1000)
    assert rows["Same period a year earlier"][:2] == (1000, 900)
    assert rows["Change against a year earlier"][0] == pytest.approx(-0.2)


def test_the_link_to_the_workbook_carries_the_choices(client_for, admin_user, figures, net):
    answer = client_for(admin_user).get(URL, _query(under=net.abay.pk, rows="period"))
    url = answer.context["xlsx_url"]
    assert "format=xlsx" in url and "rows=period" in url and f"under={net.abay.pk}" in url
    assert url.count("indicators=") == 3


def test_bad_input_is_explained_and_the_choices_are_kept(client_for, admin_user, figures, net):
    client = client_for(admin_user)
    answer = client.get(URL, _query(under=net.region.pk, first="march"), HTTP_ACCEPT_LANGUAGE="en")
    html = answer.content.decode()
    assert answer.status_code == 200 and answer.context["table"] is None
    assert "is not a period" in html
    assert '<option value="loans_per_visit" selected>' in html
    backwards = client.get(URL, _query(under=net.region.pk, last="2024-12"), HTTP_ACCEPT_LANGUAGE="en")
    assert "The range ends before it begins." in backwards.content.decode()
    nothing = client.get(URL, {"under": net.region.pk, "indicators": "", "first": "2025-03"})
    assert nothing.context["table"] is None and nothing.context["form"].errors["indicators"]
    unknown = client.get(URL, _query(under=net.region.pk, indicators=["nope"]))
    assert unknown.context["table"] is None and unknown.context["form"].errors["indicators"]
    # A broken request for the workbook shows the page with the message, not a file.
    broken = client.get(URL, _query(under=net.region.pk, first="march", format="xlsx"))
    assert broken["Content-Type"].startswith("text/html")


def test_a_preset_sets_the_range(client_for, admin_user, figures, net):
    client = client_for(admin_user)
    last_year = client.get(URL, _query(under=net.region.pk, preset="last_year"))
    assert (last_year.context["table"].first.code, last_year.context["table"].last.code) == (
        "2024-01",
        "2024-12",
    )
    this_year = client.get(URL, _query(under=net.region.pk, preset="this_year", period_type="quarter"))
    assert (this_year.context["table"].first.code, this_year.context["table"].last.code) == (
        "2025-Q1",
        "2025-Q2",
    )


def test_the_librarian_sees_her_library_and_the_outsider_nothing(
    client, client_for, librarian, outsider, figures, net
):
    assert client.get(URL).status_code == 302  # to the login page
    mine = client_for(librarian).get(URL, _query())
    assert mine.status_code == 200
    assert mine.context["table"].under == net.mukur
    assert mine.context["table"].totals[0].value == 800
    for unit in (net.abay, net.kainar, net.beskaragay):
        assert client_for(librarian).get(URL, _query(under=unit.pk)).status_code == 404
    assert client_for(librarian).get(URL, _query(under="x")).status_code == 404
    assert client_for(outsider).get(URL).status_code == 403


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL, params).status_code == 200
    return len(context.captured_queries)


def test_the_number_of_queries_is_the_same_for_3_and_30_units(client_for, admin_user, lib_form, figures, net):
    client = client_for(admin_user)
    params = _query(under=net.beskaragay.pk)
    by_period = _query(under=net.beskaragay.pk, first="2024-01", last="2025-03", rows="period")
    small = (_queries(client, params), _queries(client, by_period))
    assert len(client.get(URL, params).context["table"].rows) == 2
    district = OrgUnit.objects.get(pk=net.beskaragay.pk)
    for number in range(28):
        add_unit(district, code=f"BSK-NEW-{number}", name_ru=f"Сельская библиотека №{number}")
    for number in range(3):
        unit = OrgUnit.objects.get(code=f"BSK-NEW-{number}")
        _fill(admin_user, lib_form, unit, "2025-03", {"lib_visits": 10})
    assert len(client.get(URL, params).context["table"].rows) == 30
    assert (_queries(client, params), _queries(client, by_period)) == small
