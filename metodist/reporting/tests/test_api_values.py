"""`/api/v1/values`: roll-ups through the API against sums computed here, independently of the SQL."""

import datetime
import json
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.test import Client

from metodist.accounts.models import ApiToken, RoleKind
from metodist.core.testing.factories import RoleFactory, add_unit
from metodist.reporting import services
from metodist.reporting.models import DerivedIndicator, Indicator
from metodist.reporting.periods import Period

URL = "/api/v1/values"
MONTHS = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]


def _api(user, **headers) -> Client:
    _token, key = ApiToken.issue(user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", **headers)


def _get(client, **params):
    answer = client.get(URL, params)
    assert answer.status_code == 200, answer.content
    return answer.json()


def _fill(user, form, unit, period, values):
    report = services.open_report(user=user, form=form, unit=unit, period=Period.parse(period))
    services.save_values(user=user, report=report, values=values, version=report.version)


def _monthly_figures(net, admin_user, lib_form, units, months, seed=7):
    """Fill the monthly form for the units and months with figures from a seeded generator; answer the
    figures as they were sent: [(unit, month, {key: number})]."""
    generator = random.Random(seed)
    sent = []
    for unit in units:
        stock = generator.randint(2000, 9000)
        for month in months:
            children, youth, adults = (generator.randint(5, 60) for _part in range(3))
            stock += generator.randint(0, 40)
            values = {
                "lib_users.children": children,
                "lib_users.youth": youth,
                "lib_users.adults": adults,
                "lib_visits": generator.randint(children + youth + adults, 900),
                "lib_loans": generator.randint(50, 2000),
                "lib_stock": stock,
            }
            _fill(admin_user, lib_form, unit, month, values)
            sent.append((unit, month, values))
    return sent


@pytest.fixture
def figures(net, admin_user, lib_form):
    return _monthly_figures(
        net, admin_user, lib_form, [net.beskaragay_lib, net.kanonerka, net.mukur, net.kainar], MONTHS
    )


def _district(net, unit):
    return net.beskaragay if unit.path.startswith(net.beskaragay.path) else net.abay


def _users(values):
    return values["lib_users.children"] + values["lib_users.youth"] + values["lib_users.adults"]


# --- plain indicators ---------------------------------------------------------------------------------------


def test_one_row_for_the_subtree_and_range(figures, admin_user, net):
    body = _get(
        _api(admin_user),
        indicator="lib_visits",
        under=net.region.pk,
        period_from="2025-01",
        period_to="2025-06",
    )
    expected = sum(values["lib_visits"] for _unit, _month, values in figures)
    assert body == {
        "items": [
            {
                "unit": net.region.pk,
                "unit_name": "Восточно-Казахстанская область",
                "period": None,
                "value": expected,
                "numerator": None,
                "denominator": None,
            }
        ],
        "count": 1,
    }
    # One month; period_to defaults to period_from.
    march = sum(values["lib_visits"] for _unit, month, values in figures if month == "2025-03")
    assert _get(_api(admin_user), indicator="lib_visits", period_from="2025-03")["items"][0]["value"] == march


def test_grouped_by_child_unit(figures, admin_user, net):
    client = _api(admin_user, HTTP_ACCEPT_LANGUAGE="kk")
    body = _get(
        client,
        indicator="lib_visits",
        under=net.region.pk,
        period_from="2025-02",
        period_to="2025-05",
        group_by="unit",
    )
    expected = defaultdict(int)
    for unit, month, values in figures:
        if "2025-02" <= month <= "2025-05":
            expected[_district(net, unit).pk] += values["lib_visits"]
    # Tree order: Beskaragay, then Abay; names in the language of the request.
    assert [(row["unit"], row["unit_name"], row["value"]) for row in body["items"]] == [
        (net.beskaragay.pk, "Бесқарағай ауданы", expected[net.beskaragay.pk]),
        (net.abay.pk, "Абай ауданы", expected[net.abay.pk]),
    ]
    assert {row["period"] for row in body["items"]} == {None}


def test_grouped_by_period_and_by_both(figures, admin_user, net):
    client = _api(admin_user)
    by_quarter = _get(
        client,
        indicator="lib_loans",
        under=net.abay.pk,
        period_from="2025",
        group_by="period",
        period_type="quarter",
    )
    expected = defaultdict(int)
    for unit, month, values in figures:
        if _district(net, unit) == net.abay:
            expected[Period.parse(month).within("quarter").code] += values["lib_loans"]
    assert [(row["period"], row["value"]) for row in by_quarter["items"]] == [
        ("2025-Q1", expected["2025-Q1"]),
        ("2025-Q2", expected["2025-Q2"]),
    ]
    assert {row["unit"] for row in by_quarter["items"]} == {net.abay.pk}
    # By default the periods of `period_from`: months here.
    by_month = _get(
        client,
        indicator="lib_loans",
        under=net.abay.pk,
        period_from="2025-01",
        period_to="2025-06",
        group_by="period",
    )
    assert [row["period"] for row in by_month["items"]] == MONTHS
    both = _get(
        client,
        indicator="lib_loans",
        under=net.abay.pk,
        period_from="2025-Q1",
        group_by="unit,period",
        period_type="month",
    )
    expected_rows = [
        (unit.pk, month, values["lib_loans"])
        for unit in (net.mukur, net.kainar)
        for u, month, values in figures
        if u == unit and month <= "2025-03"
    ]
    assert [(row["unit"], row["period"], row["value"]) for row in both["items"]] == expected_rows
    assert both["count"] == 6
    page = _get(
        client,
        indicator="lib_loans",
        under=net.abay.pk,
        period_from="2025-Q1",
        group_by="unit,period",
        period_type="month",
        limit=2,
        offset=2,
    )
    assert [(row["unit"], row["period"]) for row in page["items"]] == [
        (net.mukur.pk, "2025-03"),
        (net.kainar.pk, "2025-01"),
    ]
    assert page["count"] == 6


def test_parts_totals_and_the_last_value_rule(figures, admin_user, net):
    client = _api(admin_user)
    params = {"under": net.region.pk, "period_from": "2025-01", "period_to": "2025-06", "group_by": "unit"}
    children = _get(client, indicator="lib_users.children", **params)
    totals = _get(client, indicator="lib_users", **params)
    stock = _get(client, indicator="lib_stock", **params)
    for district in (net.beskaragay, net.abay):
        mine = [(unit, month, values) for unit, month, values in figures if _district(net, unit) == district]
        row = next(r for r in children["items"] if r["unit"] == district.pk)
        assert row["value"] == sum(values["lib_users.children"] for _u, _m, values in mine)
        row = next(r for r in totals["items"] if r["unit"] == district.pk)
        assert row["value"] == sum(_users(values) for _u, _m, values in mine)
        # "last value in the period": each library's June stock, summed over the district's libraries.
        row = next(r for r in stock["items"] if r["unit"] == district.pk)
        assert row["value"] == sum(values["lib_stock"] for _u, month, values in mine if month == "2025-06")


def test_weeks_fall_into_the_month_and_year_of_their_thursday(oc_form, admin_user, net):
    visitors = {"2024-W52": 11, "2025-W01": 13, "2025-W05": 17, "2025-W06": 19}
    for week, number in visitors.items():
        _fill(admin_user, oc_form, net.mukur_oc, week, {"oc_visitors": number})
    client = _api(admin_user)
    # 2025-W01 runs 30.12.2024–05.01.2025: its Thursday is in January 2025; 2025-W05 (27.01–02.02) too.
    by_month = _get(
        client,
        indicator="oc_visitors",
        under=net.region.pk,
        period_from="2024-12",
        period_to="2025-02",
        group_by="period",
    )
    assert [(row["period"], row["value"]) for row in by_month["items"]] == [
        ("2024-12", 11),
        ("2025-01", 13 + 17),
        ("2025-02", 19),
    ]
    assert _get(client, indicator="oc_visitors", period_from="2024")["items"][0]["value"] == 11
    assert _get(client, indicator="oc_visitors", period_from="2025")["items"][0]["value"] == 13 + 17 + 19
    # A range of weeks covers their days.
    weeks = _get(client, indicator="oc_visitors", period_from="2025-W01", period_to="2025-W05")
    assert weeks["items"][0]["value"] == 13 + 17
    by_year = _get(
        client, indicator="oc_visitors", period_from="2024-W52", period_to="2025-W06", group_by="period"
    )
    assert [(row["period"], row["value"]) for row in by_year["items"]] == [
        ("2024-12", 11),
        ("2025-01", 30),
        ("2025-02", 19),
    ]


# --- derived indicators -------------------------------------------------------------------------------------


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def test_a_derived_indicator_is_the_ratio_of_the_sums(figures, admin_user, net):
    DerivedIndicator.objects.create(
        code="readability",
        name_ru="Читаемость",
        numerator=Indicator.objects.get(code="lib_loans"),
        denominator=Indicator.objects.get(code="lib_users"),
        decimals=3,
    )
    body = _get(
        _api(admin_user),
        derived="readability",
        under=net.region.pk,
        period_from="2025-01",
        period_to="2025-06",
        group_by="unit",
    )
    for district in (net.beskaragay, net.abay):
        mine = [values for unit, _month, values in figures if _district(net, unit) == district]
        loans = sum(values["lib_loans"] for values in mine)
        users = sum(_users(values) for values in mine)
        row = next(r for r in body["items"] if r["unit"] == district.pk)
        assert (row["numerator"], row["denominator"]) == (loans, users)
        assert Decimal(str(row["value"])) == _round(Decimal(loans) / Decimal(users), 3)
        mean_of_ratios = sum(Decimal(v["lib_loans"]) / _users(v) for v in mine) / len(mine)
        assert _round(mean_of_ratios, 3) != Decimal(str(row["value"]))  # the data tells the two apart


def test_a_derived_indicator_per_population(figures, admin_user, net):
    for unit, people in (
        (net.mukur, 1800),
        (net.kainar, 950),
        (net.beskaragay_lib, 4200),
        (net.kanonerka, 700),
    ):
        unit.population_served = people
        unit.save()
    DerivedIndicator.objects.create(
        code="coverage",
        name_ru="Охват населения",
        numerator=Indicator.objects.get(code="lib_visits"),
        per_population=True,
        factor=Decimal(100),
        decimals=1,
    )
    client = _api(admin_user)
    body = _get(client, derived="coverage", under=net.region.pk, period_from="2025-03", group_by="unit")
    people = {net.beskaragay.pk: 4200 + 700, net.abay.pk: 1800 + 950}
    for district in (net.beskaragay, net.abay):
        visits = sum(
            v["lib_visits"]
            for unit, month, v in figures
            if month == "2025-03" and _district(net, unit) == district
        )
        row = next(r for r in body["items"] if r["unit"] == district.pk)
        assert row["denominator"] == people[district.pk]
        assert Decimal(str(row["value"])) == _round(Decimal(visits) * 100 / people[district.pk], 1)
    whole = _get(client, derived="coverage", under=net.region.pk, period_from="2025-03")["items"][0]
    assert whole["denominator"] == 4200 + 700 + 1800 + 950


# --- scope and refusals -------------------------------------------------------------------------------------


def test_under_defaults_to_the_top_of_the_callers_scope(figures, librarian, net):
    body = _get(_api(librarian), indicator="lib_visits", period_from="2025-01", period_to="2025-06")
    row = body["items"][0]
    assert row["unit"] == net.mukur.pk
    assert row["value"] == sum(values["lib_visits"] for unit, _m, values in figures if unit == net.mukur)


def test_out_of_scope_is_404_and_several_tops_need_under(figures, librarian, outsider, net):
    answer = _api(librarian).get(
        URL, {"indicator": "lib_visits", "under": net.kainar.pk, "period_from": "2025"}
    )
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["field"] == "under"
    answer = _api(outsider).get(URL, {"indicator": "lib_visits", "period_from": "2025"})
    assert answer.status_code == 404
    RoleFactory(user=librarian, unit=net.kainar, kind=RoleKind.LIBRARIAN)
    answer = _api(librarian).get(URL, {"indicator": "lib_visits", "period_from": "2025"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "under"
    # Her second library, named; the district above both stays out of her scope.
    kainar = _get(_api(librarian), indicator="lib_visits", under=net.kainar.pk, period_from="2025")
    assert kainar["items"][0]["value"] == sum(
        v["lib_visits"] for unit, _m, v in figures if unit == net.kainar
    )
    answer = _api(librarian).get(
        URL, {"indicator": "lib_visits", "under": net.abay.pk, "period_from": "2025"}
    )
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"indicator": "nope"}, 404, "indicator"),
        ({"indicator": "lib_users.elders"}, 404, "indicator"),
        ({"indicator": "lib_visits.children"}, 404, "indicator"),
        ({"derived": "nope"}, 404, "derived"),
        ({}, 422, "indicator"),
        ({"indicator": "lib_visits", "derived": "coverage"}, 422, "indicator"),
        ({"indicator": "lib_visits", "period_from": "2025-13"}, 422, "period_from"),
        ({"indicator": "lib_visits", "period_to": "2024-12"}, 422, "period_to"),
        ({"indicator": "lib_visits", "group_by": "district"}, 422, "group_by"),
        ({"indicator": "lib_visits", "group_by": "period", "period_type": "week"}, 422, "period_type"),
        ({"indicator": "lib_note"}, 400, "indicator"),
    ],
)
def test_refusals_name_the_parameter(params, status, field, lib_form, admin_user, net):
    Indicator.objects.create(code="lib_note", name_ru="Примечание", value_type="text")
    answer = _api(admin_user, HTTP_ACCEPT_LANGUAGE="en").get(URL, {"period_from": "2025-01", **params})
    assert answer.status_code == status, answer.content
    body = answer.json()
    assert body["errors"][0]["field"] == field
    assert body["detail"]


def test_messages_follow_the_language_of_the_request(lib_form, admin_user):
    answer = _api(admin_user, HTTP_ACCEPT_LANGUAGE="en").get(
        URL, {"indicator": "lib_visits", "period_from": "2025-W99"}
    )
    assert json.loads(answer.content)["detail"] == (
        "“2025-W99” is not a period: use 2026-W07, 2026-03, 2026-Q1, 2026-H1 or 2026."
    )


# --- efficiency ---------------------------------------------------------------------------------------------


def _more_libraries(net, count):
    units = []
    for number in range(count):
        district = net.beskaragay if number % 2 else net.abay
        units.append(
            add_unit(district, code=f"LIB-{number:02d}", name_ru=f"Сельская библиотека № {number + 1}")
        )
    return units


@pytest.mark.parametrize(
    "params",
    [
        {"indicator": "lib_visits", "group_by": "unit,period"},
        {"indicator": "lib_users", "group_by": "unit"},
        {"indicator": "lib_users.youth", "group_by": "period", "period_type": "quarter"},
        {"indicator": "lib_stock", "group_by": "unit,period"},
        {"derived": "readability", "group_by": "unit,period"},
        {"derived": "coverage", "group_by": "unit"},
    ],
)
def test_the_number_of_queries_does_not_grow_with_the_data(
    params, net, admin_user, lib_form, django_assert_max_num_queries
):
    loans, users, visits = (
        Indicator.objects.get(code=code) for code in ("lib_loans", "lib_users", "lib_visits")
    )
    DerivedIndicator.objects.create(
        code="readability", name_ru="Читаемость", numerator=loans, denominator=users
    )
    DerivedIndicator.objects.create(
        code="coverage", name_ru="Охват", numerator=visits, per_population=True, factor=Decimal(100)
    )
    client = _api(admin_user)
    request = {"under": net.region.pk, "period_from": "2025-01", "period_to": "2025-12", **params}
    _monthly_figures(net, admin_user, lib_form, [net.mukur], MONTHS[:2])
    client.get(URL, request)  # the key's first use is recorded once
    with django_assert_max_num_queries(8):
        small = _get(client, **request)
    more = _more_libraries(net, 6)
    for unit in [*more, net.kainar]:
        unit.population_served = 1000
        unit.save()
    months = [f"2025-{month:02d}" for month in range(1, 13)]
    _monthly_figures(net, admin_user, lib_form, [*more, net.kainar, net.kanonerka], months, seed=11)
    with django_assert_max_num_queries(8):
        large = _get(client, **request)
    assert large["count"] > small["count"]
    assert large["items"] != small["items"]


def test_an_empty_range_answers_no_rows(lib_form, admin_user, net):
    assert _get(
        _api(admin_user),
        indicator="lib_visits",
        period_from="2023",
        period_to=str(datetime.date.today().year),
    ) == {
        "items": [],
        "count": 0,
    }
