"""The pivot of roll-ups (`metodist.reporting.analysis`) against figures summed here by hand, and the chart
geometry (`metodist.reporting.charts`)."""

import datetime
import io
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from metodist.core.testing.factories import add_unit
from metodist.network.models import OrgUnit
from metodist.reporting import analysis, charts, services
from metodist.reporting.models import DerivedIndicator, Indicator, ValueType
from metodist.reporting.periods import Period
from metodist.reporting.testing import indicator


def _fill(user, form, unit, period, values):
    report = services.open_report(user=user, form=form, unit=unit, period=Period.parse(period))
    services.save_values(user=user, report=report, values=values, version=report.version)


def _row(table, label):
    return next(row for row in table.rows if row.label == label)


def _values(table, column=0):
    return {row.label: row.cells[column].value for row in table.rows}


# --- the roll-up rules --------------------------------------------------------------------------------------


@pytest.fixture
def visits(net, admin_user, lib_form):
    """Visits of four libraries in three months (and one month outside the range): {(unit, month): n}."""
    figures = {
        (net.beskaragay_lib, "2025-01"): 120,
        (net.beskaragay_lib, "2025-02"): 95,
        (net.kanonerka, "2025-01"): 40,
        (net.kanonerka, "2025-03"): 61,
        (net.mukur, "2025-02"): 230,
        (net.mukur, "2025-03"): 210,
        (net.kainar, "2025-03"): 18,
        (net.kainar, "2025-04"): 999,  # outside the range
    }
    for (unit, month), number in figures.items():
        _fill(admin_user, lib_form, unit, month, {"lib_visits": number})
    return figures


def test_rows_by_unit_are_the_sums_of_each_childs_subtree(net, admin_user, visits):
    table = analysis.pivot(
        admin_user, under=net.region, indicators=["lib_visits"], first="2025-01", last="2025-03"
    )
    in_range = {key: n for key, n in visits.items() if key[1] <= "2025-03"}
    beskaragay = sum(n for (unit, _m), n in in_range.items() if unit in (net.beskaragay_lib, net.kanonerka))
    abay = sum(n for (unit, _m), n in in_range.items() if unit in (net.mukur, net.kainar))
    # Every child of the region in tree order, those without figures too.
    assert _values(table) == {
        "Бескарагайский район": beskaragay,
        "Абайский район": abay,
        "ВКО универсальная библиотека имени Абая": None,
    }
    assert table.totals[0].value == beskaragay + abay == 774
    assert [row.can_drill for row in table.rows] == [True, True, True]
    # One level down: the libraries of Abay district.
    inside = analysis.pivot(
        admin_user, under=net.abay, indicators=["lib_visits"], first="2025-01", last="2025-03"
    )
    assert _values(inside) == {"Мукурская сельская библиотека": 440, "Кайнарская сельская библиотека": 18}


def test_rows_by_period_and_longer_periods(net, admin_user, visits):
    by_month = analysis.pivot(
        admin_user,
        under=net.region,
        indicators=["lib_visits"],
        first="2025-01",
        last="2025-04",
        rows="period",
    )
    expected = {}
    for (_unit, month), number in visits.items():
        expected[month] = expected.get(month, 0) + number
    assert [(row.key, row.cells[0].value) for row in by_month.rows] == [
        ("2025-01", expected["2025-01"]),
        ("2025-02", expected["2025-02"]),
        ("2025-03", expected["2025-03"]),
        ("2025-04", expected["2025-04"]),
    ]
    # A range given in months snaps to whole quarters: February…April is Q1 and Q2.
    by_quarter = analysis.pivot(
        admin_user,
        under=net.region,
        indicators=["lib_visits"],
        first="2025-02",
        last="2025-04",
        rows="period",
        period_type="quarter",
    )
    assert (by_quarter.first.code, by_quarter.last.code) == ("2025-Q1", "2025-Q2")
    first_quarter = sum(n for (_u, month), n in visits.items() if month <= "2025-03")
    assert [(row.key, row.cells[0].value) for row in by_quarter.rows] == [
        ("2025-Q1", first_quarter),
        ("2025-Q2", 999),
    ]
    assert by_quarter.totals[0].value == first_quarter + 999


def test_average_is_over_every_report_and_last_is_each_units_latest_value(net, admin_user, lib_form):
    shares = {
        (net.beskaragay_lib, "2025-01"): "10",
        (net.kanonerka, "2025-01"): "20",
        (net.mukur, "2025-02"): "60",
    }
    stocks = {
        (net.beskaragay_lib, "2025-01"): 5000,
        (net.beskaragay_lib, "2025-02"): 5040,
        (net.kanonerka, "2025-01"): 3000,
        (net.mukur, "2025-01"): 7000,
        (net.mukur, "2025-04"): 7100,
        (net.mukur, "2025-05"): 7150,
    }
    for (unit, month), share in shares.items():
        _fill(admin_user, lib_form, unit, month, {"lib_share": share})
    for (unit, month), stock in stocks.items():
        _fill(admin_user, lib_form, unit, month, {"lib_stock": stock})
    table = analysis.pivot(
        admin_user, under=net.region, indicators=["lib_share", "lib_stock"], first="2025-01", last="2025-06"
    )
    assert _row(table, "Бескарагайский район").cells[0].value == Decimal(15)
    assert _row(table, "Абайский район").cells[0].value == Decimal(60)
    # The region's average is over the three reports (30), not over the districts' averages (37.5).
    assert table.totals[0].value == Decimal(30)
    assert table.columns[0].decimals == 1
    # Last: each library's latest stock, summed.
    assert _row(table, "Бескарагайский район").cells[1].value == 5040 + 3000
    assert _row(table, "Абайский район").cells[1].value == 7150
    assert table.totals[1].value == 5040 + 3000 + 7150
    # By quarter, each library's latest stock within the quarter; the total is the latest of the range.
    by_quarter = analysis.pivot(
        admin_user,
        under=net.region,
        indicators=["lib_stock"],
        first="2025-01",
        last="2025-06",
        rows="period",
        period_type="quarter",
    )
    assert [row.cells[0].value for row in by_quarter.rows] == [5040 + 3000 + 7000, 7150]
    assert by_quarter.totals[0].value == 5040 + 3000 + 7150


def test_a_split_indicator_gives_a_part_or_the_sum_of_its_parts(net, admin_user, lib_form):
    reports = {
        (net.beskaragay_lib, "2025-03"): (12, 7, 30),
        (net.kanonerka, "2025-03"): (4, 2, 9),
        (net.mukur, "2025-03"): (20, 11, 41),
    }
    for (unit, month), (children, youth, adults) in reports.items():
        _fill(
            admin_user,
            lib_form,
            unit,
            month,
            {"lib_users.children": children, "lib_users.youth": youth, "lib_users.adults": adults},
        )
    with translation.override("en"):
        table = analysis.pivot(
            admin_user, under=net.beskaragay, indicators=["lib_users", "lib_users.children"], first="2025-03"
        )
    assert [column.label for column in table.columns] == [
        "Зарегистрированные пользователи",
        "Зарегистрированные пользователи: дети до 14 лет",
    ]
    assert _row(table, "Бескарагайская сельская библиотека").cells[0].value == 12 + 7 + 30
    assert _row(table, "Бескарагайская сельская библиотека").cells[1].value == 12
    assert _row(table, "Канонерская сельская библиотека").cells[0].value == 4 + 2 + 9
    assert [cell.value for cell in table.totals] == [12 + 7 + 30 + 4 + 2 + 9, 12 + 4]


def test_weeks_fall_into_the_month_of_their_thursday(net, admin_user, oc_form):
    # 2025-W13 is Monday 24 to Sunday 30 March; 2025-W14 starts on Monday 31 March, but its Thursday is
    # 3 April: it belongs to April.
    _fill(admin_user, oc_form, net.mukur_oc, "2025-W13", {"oc_visitors": 30})
    _fill(admin_user, oc_form, net.mukur_oc, "2025-W14", {"oc_visitors": 45})
    _fill(admin_user, oc_form, net.beskaragay_oc, "2025-W14", {"oc_visitors": 8})
    _fill(admin_user, oc_form, net.beskaragay_oc, "2025-W18", {"oc_visitors": 5})  # Thursday 1 May
    table = analysis.pivot(
        admin_user,
        under=net.region,
        indicators=["oc_visitors"],
        first="2025-03",
        last="2025-04",
        rows="period",
    )
    assert [(row.key, row.cells[0].value) for row in table.rows] == [("2025-03", 30), ("2025-04", 45 + 8)]
    assert table.totals[0].value == 30 + 45 + 8
    # The online centre sits under its library: the library's row holds it.
    abay = analysis.pivot(admin_user, under=net.mukur, indicators=["oc_visitors"], first="2025-04")
    assert [(row.label, row.own, row.cells[0].value) for row in abay.rows] == [
        ("Онлайн-центр села Мукур", False, 45)
    ]


# --- derived indicators -------------------------------------------------------------------------------------


@pytest.fixture
def loans_per_visit(lib_form):
    return DerivedIndicator.objects.create(
        code="loans_per_visit",
        name_ru="Книговыдача на одно посещение",
        numerator=Indicator.objects.get(code="lib_loans"),
        denominator=Indicator.objects.get(code="lib_visits"),
        decimals=2,
    )


def test_a_derived_indicator_is_the_ratio_of_the_sums_not_the_average_of_ratios(
    net, admin_user, lib_form, loans_per_visit
):
    # Beskaragay library: 100 loans / 10 visits = 10; Kanonerka: 10 / 100 = 0.1. The district's rate
    # is 110 / 110 = 1, where the average of the two rates would be 5.05.
    _fill(admin_user, lib_form, net.beskaragay_lib, "2025-03", {"lib_loans": 100, "lib_visits": 10})
    _fill(admin_user, lib_form, net.kanonerka, "2025-03", {"lib_loans": 10, "lib_visits": 100})
    _fill(admin_user, lib_form, net.mukur, "2025-03", {"lib_loans": 500, "lib_visits": 300})
    table = analysis.pivot(
        admin_user,
        under=net.region,
        indicators=["lib_loans", "loans_per_visit", "lib_visits"],
        first="2025-03",
    )
    beskaragay = _row(table, "Бескарагайский район").cells[1]
    assert (beskaragay.value, beskaragay.numerator, beskaragay.denominator) == (Decimal("1.00"), 110, 110)
    assert beskaragay.derived and beskaragay.shown_numerator == "110"
    assert _row(table, "Абайский район").cells[1].value == Decimal("1.67")  # 500 / 300
    assert table.totals[1].value == Decimal("1.49")  # 610 / 410, not (1 + 1.67) / 2
    assert table.totals[1].numerator == 610 and table.totals[1].denominator == 410
    # A unit without figures has no ratio.
    assert _row(table, "ВКО универсальная библиотека имени Абая").cells[1].value is None
    inside = analysis.pivot(admin_user, under=net.beskaragay, indicators=["loans_per_visit"], first="2025-03")
    assert _values(inside) == {
        "Бескарагайская сельская библиотека": Decimal("10.00"),
        "Канонерская сельская библиотека": Decimal("0.10"),
    }


def test_a_derived_indicator_per_population(net, admin_user, lib_form):
    coverage = DerivedIndicator.objects.create(
        code="reach",
        name_ru="Охват населения, %",
        numerator=Indicator.objects.get(code="lib_visits"),
        per_population=True,
        factor=Decimal(100),
    )
    for unit, people in ((net.beskaragay_lib, 3000), (net.kanonerka, 1000), (net.mukur, 2000)):
        OrgUnit.objects.filter(pk=unit.pk).update(population_served=people)
    _fill(admin_user, lib_form, net.beskaragay_lib, "2025-03", {"lib_visits": 600})
    _fill(admin_user, lib_form, net.kanonerka, "2025-03", {"lib_visits": 100})
    _fill(admin_user, lib_form, net.mukur, "2025-03", {"lib_visits": 150})
    table = analysis.pivot(admin_user, under=net.region, indicators=[coverage.code], first="2025-03")
    assert _row(table, "Бескарагайский район").cells[0].value == Decimal("17.5")  # 700 / 4000
    assert _row(table, "Абайский район").cells[0].value == Decimal("7.5")  # 150 / 2000
    assert table.totals[0].value == Decimal("14.2")  # 850 / 6000
    assert table.totals[0].denominator == 6000
    assert table.columns[0].denominator_label  # "population served", in the active language
    # The same through the shared function the API can use.
    rows = analysis.derived_rollup(
        coverage,
        under=net.region,
        first=datetime.date(2025, 3, 1),
        last=datetime.date(2025, 3, 31),
        by_unit=True,
    )
    assert [(row.unit_path, row.value) for row in rows] == [
        (net.beskaragay.path, Decimal("17.5")),
        (net.abay.path, Decimal("7.5")),
    ]


# --- the same range a year earlier --------------------------------------------------------------------------


def test_change_against_the_same_periods_a_year_earlier(net, admin_user, lib_form, loans_per_visit):
    _fill(admin_user, lib_form, net.mukur, "2024-02", {"lib_visits": 200, "lib_loans": 300})
    _fill(admin_user, lib_form, net.mukur, "2024-03", {"lib_visits": 200, "lib_loans": 500})
    _fill(admin_user, lib_form, net.mukur, "2025-02", {"lib_visits": 250, "lib_loans": 300})
    _fill(admin_user, lib_form, net.mukur, "2025-03", {"lib_visits": 150, "lib_loans": 200})
    _fill(admin_user, lib_form, net.kainar, "2025-03", {"lib_visits": 40})
    table = analysis.pivot(
        admin_user,
        under=net.abay,
        indicators=["lib_visits", "loans_per_visit"],
        first="2025-02",
        last="2025-03",
        rows="period",
    )
    assert table.year_ago_label == "Февраль 2024 г. – Март 2024 г."
    february, march = table.rows
    assert (february.cells[0].value, february.cells[0].last_year, february.cells[0].change) == (
        250,
        200,
        Decimal("25.0"),
    )
    assert (march.cells[0].value, march.cells[0].last_year, march.cells[0].change) == (
        190,
        200,
        Decimal("-5.0"),
    )
    total = table.totals[0]
    assert (total.value, total.last_year, total.change) == (440, 400, Decimal("10.0"))
    # The ratio of a year earlier is a ratio of its sums too: 800 / 400 = 2 against 500 / 440 = 1.14.
    ratio = table.totals[1]
    assert (ratio.value, ratio.last_year, ratio.change) == (
        Decimal("1.14"),
        Decimal("2.00"),
        Decimal("-43.0"),
    )
    with translation.override("ru"):
        assert total.shown_change == "+10,0 %"
        assert ratio.shown_change == "−43,0 %"
    # Nothing a year earlier: no change to show.
    kainar = analysis.pivot(admin_user, under=net.abay, indicators=["lib_visits"], first="2025-03")
    assert _row(kainar, "Кайнарская сельская библиотека").cells[0].change is None


# --- scope, bad input, cost ---------------------------------------------------------------------------------


def test_a_librarian_sees_only_her_library_and_an_outsider_nothing(
    net, admin_user, librarian, outsider, lib_form, oc_form
):
    _fill(admin_user, lib_form, net.mukur, "2025-03", {"lib_visits": 77})
    _fill(admin_user, oc_form, net.mukur_oc, "2025-W11", {"oc_visitors": 12})
    with translation.override("en"):
        table = analysis.pivot(
            librarian, under=net.mukur, indicators=["lib_visits", "oc_visitors"], first="2025-03"
        )
    assert [(row.label, row.own, [c.value for c in row.cells]) for row in table.rows] == [
        ("Мукурская сельская библиотека (own figures)", True, [77, None]),
        ("Онлайн-центр села Мукур", False, [None, 12]),
    ]
    for user, unit in ((librarian, net.abay), (librarian, net.kainar), (outsider, net.mukur)):
        with pytest.raises(Http404):
            analysis.pivot(user, under=unit, indicators=["lib_visits"], first="2025-03")


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"indicators": []}, "indicators"),
        ({"indicators": ["nope"]}, "indicators"),
        ({"indicators": ["lib_users.elders"]}, "indicators"),
        ({"indicators": ["lib_visits.children"]}, "indicators"),
        ({"indicators": ["note"]}, "indicators"),
        ({"first": "March"}, "first"),
        ({"first": "2025-05", "last": "2025-02"}, "last"),
        ({"first": "2000-01", "last": "2025-12", "rows": "period"}, "period_type"),
        ({"period_type": "week"}, "period_type"),
        ({"rows": "both"}, "rows"),
    ],
)
def test_bad_requests_name_the_input(net, admin_user, lib_form, options, field):
    indicator("note", "Примечание", value_type=ValueType.TEXT)
    arguments = {"indicators": ["lib_visits"], "first": "2025-01", "last": "2025-03", **options}
    with translation.override("en"), pytest.raises(analysis.AnalysisError) as error:
        analysis.pivot(admin_user, under=net.region, **arguments)
    assert error.value.field == field
    assert str(error.value)


def _count(function):
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def test_the_cost_is_per_column_not_per_row(net, admin_user, lib_form, loans_per_visit):
    _fill(admin_user, lib_form, net.mukur, "2025-03", {"lib_visits": 10, "lib_loans": 20, "lib_share": "3"})
    columns = ["lib_visits", "lib_loans", "loans_per_visit", "lib_share"]

    def by_period(last):
        return lambda: analysis.pivot(
            admin_user, under=net.region, indicators=columns, first="2024-01", last=last, rows="period"
        )

    # Two months or three years of rows: the same queries. Loans and visits are rolled up once for
    # their own columns and the ratio.
    assert _count(by_period("2024-02")) == _count(by_period("2026-12"))

    def by_unit():
        return analysis.pivot(admin_user, under=net.beskaragay, indicators=columns, first="2025-03")

    few = _count(by_unit)
    for number in range(12):
        add_unit(
            OrgUnit.objects.get(pk=net.beskaragay.pk), code=f"NEW-{number}", name_ru=f"Библиотека {number}"
        )
    assert _count(by_unit) == few
    # The indicators and the derived ones, the children, a grouped roll-up of each of the three
    # indicators for the range and a year earlier, and the two totals of the average.
    assert few == 2 + 1 + 2 * 3 + 2


def test_the_workbook_holds_the_table_and_the_filters(net, admin_user, lib_form, loans_per_visit):
    _fill(admin_user, lib_form, net.mukur, "2024-03", {"lib_visits": 100, "lib_loans": 150})
    _fill(admin_user, lib_form, net.mukur, "2025-03", {"lib_visits": 120, "lib_loans": 300})
    _fill(admin_user, lib_form, net.kainar, "2025-03", {"lib_visits": 60, "lib_loans": 90})
    OrgUnit.objects.filter(pk=net.kainar.pk).update(name_ru="=Кайнарская библиотека")
    with translation.override("en"):
        table = analysis.pivot(
            admin_user, under=net.abay, indicators=["lib_visits", "loans_per_visit"], first="2025-03"
        )
        content = analysis.pivot_xlsx(table, today=datetime.date(2025, 4, 7))
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    lines = {row[0]: row[1] for row in rows if row[0] and len(row) > 1 and row[1] is not None}
    assert any(value == "Абайский район (ABY)" for value in lines.values())
    assert lines["Periods"] == "March 2025" and lines["Compared with"] == "March 2024"
    assert lines["Exported"] == "April 7, 2025"
    header = next(row for row in rows if row[0] == "Unit")
    assert header[1:5] == [
        "Посещения",
        "Книговыдача на одно посещение",
        "Книговыдача на одно посещение: numerator (Книговыдача)",
        "Книговыдача на одно посещение: denominator (Посещения)",
    ]
    by_label = {row[0]: row[1:5] for row in rows}
    assert by_label["Мукурская сельская библиотека"] == [120, 2.5, 300, 120]
    # A name that looks like a formula stays text.
    assert by_label["=Кайнарская библиотека"] == [60, 1.5, 90, 60]
    total = next(row for row in rows if row[0] == "Total")
    assert total[1:5] == [180, 2.17, 390, 180]
    change = next(row for row in rows if row[0] == "Change against a year earlier")
    assert change[1] == pytest.approx(0.8) and change[2] == pytest.approx(0.447)  # 2.17 against 1.5
    numbers = next(r for r in sheet.iter_rows() if r[0].value == "Total")
    assert numbers[1].number_format == "#,##0" and numbers[2].number_format == "#,##0.00"


# --- charts -------------------------------------------------------------------------------------------------


def test_axis_ticks_are_round_numbers_covering_the_values():
    assert charts.nice_ticks(0, 4421) == [0, 1000, 2000, 3000, 4000, 5000]
    assert charts.nice_ticks(0, 0.8) == [0, 0.2, 0.4, 0.6, 0.8]
    assert charts.nice_ticks(-30, 70) == [-40, -20, 0, 20, 40, 60, 80]
    assert charts.nice_ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    with translation.override("ru"):
        assert charts.tick_label(25000, [0, 25000]) == "25\xa0000"
        assert charts.tick_label(0.5, [0, 0.5]) == "0,5"


def test_bars_are_proportional_and_a_missing_value_keeps_its_line():
    chart = charts.bar_chart(
        [
            ("Абайский район", Decimal(2000), "2 000"),
            ("Нет данных", None, ""),
            ("Семей", Decimal(500), "500"),
        ],
        title="Посещения",
        links=["/a", "", "/c"],
    )
    first, empty, last = chart.bars
    assert first.width == pytest.approx(last.width * 4, rel=0.01)
    assert first.x == last.x == chart.zero
    assert not empty.has_value and empty.shown == "—"
    assert first.y < empty.y < last.y
    assert (first.href, empty.href) == ("/a", "")
    long = charts.bar_chart([("Очень длинное название сельской библиотеки района", 1, "1")], title="x")
    assert long.bars[0].label.endswith("…") and len(long.bars[0].label) <= charts.LABEL_CHARS


def test_lines_break_where_a_value_is_missing():
    chart = charts.line_chart(
        ["01", "02", "03", "04"],
        [charts.Series("2025", [Decimal(10), None, Decimal(30), Decimal(20)], ["10", "", "30", "20"])],
        title="Посещения",
    )
    (series,) = chart.series
    assert len(series.segments) == 2 and len(series.segments[1].split()) == 2
    assert [marker.title for marker in series.markers] == ["2025, 01: 10", "2025, 03: 30", "2025, 04: 20"]
    heights = [marker.y for marker in series.markers]
    assert heights[1] < heights[2] < heights[0]  # higher values are drawn higher


def test_long_axis_labels_are_thinned_out_so_they_do_not_overlap():
    with translation.override("ru"):
        chart = charts.bar_chart([("Семей", Decimal(1201655), "1 201 655")], title="Книговыдача")
    labels = [tick.label for tick in chart.ticks]
    assert labels[0] == "0" and "" in labels
    shown = [tick for tick in chart.ticks if tick.label]
    gaps = [b.position - a.position for a, b in itertools.pairwise(shown)]
    assert min(gaps) >= max(len(tick.label) for tick in shown) * 7
