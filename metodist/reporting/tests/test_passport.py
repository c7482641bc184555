"""The passport of figures over the years (annual report where present, else the months) and the rankings of
libraries per 1,000 population, against hand arithmetic; their pages, XLSX and scope."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from metodist.core.testing.factories import add_unit
from metodist.network.models import LibraryPassport, UnitKind
from metodist.reporting.definitions import install_definitions
from metodist.reporting.models import DerivedIndicator, Indicator, ReportForm, ReportStatus
from metodist.reporting.passport import ANNUAL, MIXED, MONTHLY, rankings, unit_passport
from metodist.reporting.tests.test_consolidated import KAZAKH_LETTERS, file_report

# A test name holding every Kazakh letter that Russian lacks.
KAZAKH_NAME = "Әуезов атындағы Үлкен Өңір шаһар ұлттық кітапханасы"


def _annual(users, visits, loans, stock, events) -> dict:
    children, youth, adults = users
    return {
        "year_users.children": children,
        "year_users.youth": youth,
        "year_users.adults": adults,
        "year_visits": visits,
        "year_loans": loans,
        "stock_end": stock,
        "year_events": events,
    }


def _monthly(users, visits, loans, events) -> dict:
    children, youth, adults = users
    return {
        "lib_users.children": children,
        "lib_users.youth": youth,
        "lib_users.adults": adults,
        "lib_visits": visits,
        "lib_loans.kk": loans,
        "lib_events": events,
    }


@pytest.fixture
def shipped(net):
    install_definitions(net.region)
    return {form.code: form for form in ReportForm.objects.all()}


@pytest.fixture
def figures(net, shipped):
    """Beskaragay: its village library files the annual report of 2024 (and months, which the annual one
    replaces) and only months in 2025; Kanonerka files months in 2024, and an annual draft that does
    not count."""
    annual, monthly = shipped["lib_annual"], shipped["lib_monthly"]
    net.beskaragay_lib.population_served = 1200
    net.beskaragay_lib.save()
    net.kanonerka.population_served = 800
    net.kanonerka.save()
    file_report(annual, net.beskaragay_lib, "2024", _annual((100, 50, 150), 2400, 6000, 8000, 40))
    file_report(monthly, net.beskaragay_lib, "2024-01", _monthly((10, 5, 5), 200, 500, 3))
    file_report(monthly, net.beskaragay_lib, "2024-02", _monthly((8, 4, 6), 210, 520, 4))
    file_report(monthly, net.kanonerka, "2024-05", _monthly((6, 2, 4), 90, 300, 2))
    file_report(monthly, net.kanonerka, "2024-06", _monthly((4, 3, 1), 80, 250, 1))
    file_report(
        annual, net.kanonerka, "2024", _annual((90, 90, 90), 9000, 9000, 9000, 90), ReportStatus.DRAFT
    )
    file_report(monthly, net.beskaragay_lib, "2025-01", _monthly((12, 6, 7), 230, 610, 5))
    file_report(monthly, net.beskaragay_lib, "2025-02", _monthly((9, 5, 4), 190, 480, 3))
    file_report(
        monthly, net.beskaragay_lib, "2025-03", _monthly((7, 3, 5), 205, 530, 4), ReportStatus.SUBMITTED
    )
    file_report(
        monthly, net.beskaragay_lib, "2025-04", _monthly((99, 99, 99), 999, 999, 99), ReportStatus.RETURNED
    )
    LibraryPassport.objects.create(
        unit=net.beskaragay_lib, year=2024, computers=5, floor_area=Decimal("120.5")
    )
    LibraryPassport.objects.create(unit=net.kanonerka, year=2024, computers=2, floor_area=Decimal("64.0"))
    return net


def _cells(passport, key) -> list:
    return passport.row(key).values


# --- the passport ---------------------------------------------------------------------------------------


def test_a_library_passport_takes_the_annual_report_and_the_months_of_years_without_one(figures):
    passport = unit_passport(figures.beskaragay_lib, [2023, 2024, 2025])
    assert passport.years == [2023, 2024, 2025]
    # 2024 from the annual report alone (its months are not added); 2025 the three counted months.
    assert _cells(passport, "users") == [None, 300, 25 + 18 + 15]
    assert _cells(passport, "visits") == [None, 2400, 230 + 190 + 205]
    assert _cells(passport, "loans") == [None, 6000, 610 + 480 + 530]
    assert _cells(passport, "collection") == [None, 8000, None]  # no monthly figure for the stock
    assert _cells(passport, "events") == [None, 40, 12]
    assert [(s.year, s.source, s.months) for s in passport.sources] == [
        (2023, "", 0),
        (2024, ANNUAL, 0),
        (2025, MONTHLY, 3),
    ]
    assert _cells(passport, "computers") == [None, 5, None]
    assert _cells(passport, "floor_area") == [None, Decimal("120.5"), None]
    assert passport.population == 1200


def test_the_ratios_of_the_passport_are_computed_from_its_figures(figures):
    passport = unit_passport(figures.beskaragay_lib, [2024, 2025])
    assert _cells(passport, "reading_rate") == [
        Decimal("20.0"),
        (Decimal(1620) / 58).quantize(Decimal("0.1")),
    ]
    assert _cells(passport, "visit_rate") == [Decimal("8.0"), (Decimal(625) / 58).quantize(Decimal("0.1"))]
    assert _cells(passport, "turnover_rate") == [Decimal("0.75"), None]
    assert _cells(passport, "coverage") == [
        Decimal("25.0"),
        (Decimal(58) / 1200 * 100).quantize(Decimal("0.1")),
    ]
    # The shipped derived indicators lend their names.
    assert passport.row("reading_rate").label == "Читаемость"


def test_a_district_passport_adds_each_librarys_own_source(figures):
    passport = unit_passport(figures.beskaragay, [2024])
    # Beskaragay library's annual report plus Kanonerka's two months (its annual draft does not count).
    assert _cells(passport, "users") == [300 + 12 + 8]
    assert _cells(passport, "visits") == [2400 + 90 + 80]
    assert _cells(passport, "loans") == [6000 + 300 + 250]
    assert _cells(passport, "collection") == [8000]
    assert passport.sources[0].source == MIXED
    assert passport.sources[0].months == 2
    assert passport.population == 2000
    assert _cells(passport, "coverage") == [(Decimal(320) / 2000 * 100).quantize(Decimal("0.1"))]
    assert _cells(passport, "computers") == [7]


def test_the_passport_page_draws_the_years_and_downloads_them(figures, client_for, methodist):
    client = client_for(methodist)
    url = f"/reporting/passport/{figures.beskaragay_lib.pk}/"
    page = client.get(url, {"from": 2024, "to": 2025})
    assert page.status_code == 200
    assert page.context["passport"].years == [2024, 2025]
    assert page.context["district"] == figures.beskaragay  # the link to the rankings of its district
    html = page.content.decode()
    assert "<svg" in html and "<polyline" in html
    assert "Читаемость" in html
    sheet = load_workbook(
        io.BytesIO(client.get(url, {"from": 2024, "to": 2025, "format": "xlsx"}).content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if row[1] == "2024")
    assert header[2] == "2025"
    by_label = {row[0]: row for row in rows if row[0]}
    assert by_label["Читаемость"][1:3] == (
        20,
        pytest.approx(float((Decimal(1620) / 58).quantize(Decimal("0.1")))),
    )


def test_the_passport_xlsx_shows_kazakh_names(figures, client_for, admin_user):
    figures.beskaragay_lib.name_kk = KAZAKH_NAME
    figures.beskaragay_lib.save()
    client = client_for(admin_user)
    client.cookies["metodist_language"] = "kk"
    answer = client.get(
        f"/reporting/passport/{figures.beskaragay_lib.pk}/", {"from": 2024, "to": 2025, "format": "xlsx"}
    )
    text = " ".join(
        str(v)
        for row in load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True)
        for v in row
        if v
    )
    assert KAZAKH_NAME in text
    for letter in KAZAKH_LETTERS:
        assert letter in text.lower(), letter
    assert "Оқу белсенділігі" in text  # the derived indicator's Kazakh name


def test_the_passport_of_a_unit_out_of_scope_is_404(figures, client_for, outsider, librarian):
    url = f"/reporting/passport/{figures.beskaragay_lib.pk}/"
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(librarian).get(url).status_code == 404
    assert client_for(librarian).get(f"/reporting/passport/{figures.mukur.pk}/").status_code == 200


# --- rankings -------------------------------------------------------------------------------------------


@pytest.fixture
def district(figures, shipped):
    """Beskaragay with more libraries filing the annual report of 2024."""
    annual = shipped["lib_annual"]
    net = figures
    tegistik = add_unit(
        net.beskaragay,
        code="TEG-LIB",
        name_ru="Тегистикская библиотека",
        name_kk=KAZAKH_NAME,
        kind=UnitKind.LIBRARY,
        population_served=400,
    )
    shabay = add_unit(net.beskaragay, code="SHB-LIB", name_ru="Шабайская библиотека", kind=UnitKind.LIBRARY)
    bodene = add_unit(
        net.beskaragay,
        code="BOD-LIB",
        name_ru="Боденинская библиотека",
        kind=UnitKind.LIBRARY,
        population_served=1000,
    )
    file_report(annual, tegistik, "2024", _annual((40, 20, 20), 900, 2000, 3000, 12))
    file_report(annual, shabay, "2024", _annual((10, 10, 10), 300, 900, 1000, 5))  # no population
    file_report(annual, bodene, "2024", _annual((100, 100, 100), 1800, 3000, 7000, 20))
    net.tegistik, net.shabay, net.bodene = tegistik, shabay, bodene
    return net


def test_libraries_are_ranked_by_the_indicator_per_1000_people_they_serve(district):
    ranking = rankings(district.beskaragay, Indicator.objects.get(code="year_loans"), 2024)
    rows = [(row.unit.code, row.rank, row.value, row.population, row.per_1000) for row in ranking.rows]
    assert rows == [
        # 6,000 / 1,200 × 1,000 and 2,000 / 400 × 1,000: equal, the same rank.
        ("BSK-LIB", 1, 6000, 1200, Decimal("5000.0")),
        ("TEG-LIB", 1, 2000, 400, Decimal("5000.0")),
        ("BOD-LIB", 3, 3000, 1000, Decimal("3000.0")),
        # Kanonerka's annual report is a draft; Shabay has no population: both unranked.
        ("KAN-LIB", None, None, 800, None),
        ("SHB-LIB", None, 900, None, None),
    ]
    total = ranking.total
    assert total.value == 6000 + 2000 + 3000 + 900
    assert total.population == 1200 + 800 + 400 + 1000
    assert total.per_1000 == (Decimal(11900) / 3400 * 1000).quantize(Decimal("0.1"))


def test_libraries_are_ranked_by_a_derived_indicator_itself(district):
    reading = rankings(district.beskaragay, DerivedIndicator.objects.get(code="reading_rate"), 2024)
    assert [(row.unit.code, row.rank, row.value) for row in reading.ranked] == [
        ("SHB-LIB", 1, Decimal("30.0")),  # 900 / 30
        ("TEG-LIB", 2, Decimal("25.0")),  # 2,000 / 80
        ("BSK-LIB", 3, Decimal("20.0")),  # 6,000 / 300
        ("BOD-LIB", 4, Decimal("10.0")),  # 3,000 / 300
    ]
    assert reading.total is None
    coverage = rankings(district.beskaragay, DerivedIndicator.objects.get(code="coverage"), 2024)
    assert [(row.unit.code, row.value) for row in coverage.ranked] == [
        ("BOD-LIB", Decimal("30.0")),  # 300 / 1,000 × 100
        ("BSK-LIB", Decimal("25.0")),
        ("TEG-LIB", Decimal("20.0")),
    ]


def test_a_monthly_indicator_is_ranked_by_its_sum_over_the_year(district):
    ranking = rankings(district.beskaragay, Indicator.objects.get(code="lib_visits"), 2024)
    ranked = {row.unit.code: (row.value, row.per_1000) for row in ranking.ranked}
    assert ranked == {
        "BSK-LIB": (410, (Decimal(410) / 1200 * 1000).quantize(Decimal("0.1"))),
        "KAN-LIB": (170, (Decimal(170) / 800 * 1000).quantize(Decimal("0.1"))),
    }


def test_the_rankings_page_and_its_xlsx(district, client_for, methodist):
    client = client_for(methodist)
    query = {"unit": district.beskaragay.pk, "indicator": "year_loans", "year": 2024}
    page = client.get("/reporting/rankings/", query)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Боденинская библиотека" in html and "5\xa0000,0" in html
    client.cookies["metodist_language"] = "kk"
    answer = client.get("/reporting/rankings/", {**query, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    body = {row[1]: row for row in rows if isinstance(row[0], int)}
    assert body[KAZAKH_NAME][0] == 1 and body[KAZAKH_NAME][4] == 5000
    assert body["Боденинская библиотека"][0] == 3
    text = " ".join(str(v) for row in rows for v in row if v)
    for letter in KAZAKH_LETTERS:
        assert letter in text.lower(), letter


def test_the_rankings_of_a_district_out_of_scope_are_404(district, client_for, outsider, librarian):
    query = {"unit": district.beskaragay.pk, "indicator": "year_loans", "year": 2024}
    assert client_for(outsider).get("/reporting/rankings/", query).status_code == 404
    assert client_for(librarian).get("/reporting/rankings/", query).status_code == 404


def test_a_librarian_opens_the_rankings_of_her_own_library_only(district, client_for, librarian, shipped):
    file_report(shipped["lib_annual"], district.mukur, "2024", _annual((10, 10, 10), 100, 300, 500, 2))
    file_report(shipped["lib_annual"], district.kainar, "2024", _annual((10, 10, 10), 100, 300, 500, 2))
    page = client_for(librarian).get("/reporting/rankings/", {"year": 2024})
    assert page.status_code == 200
    ranking = page.context["ranking"]
    assert ranking.unit == district.mukur  # not Abay district, which she does not see
    assert [row.unit for row in ranking.rows] == [district.mukur]
    assert "Кайнарская" not in page.content.decode()
