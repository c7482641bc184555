"""The reporting pages and API lists run as many SQL queries with 30 units or reports as with 3.

Each test counts the queries of one request with a small set of data, grows the data tenfold and
counts again: a count that grows means a query per row somewhere (N+1), which a national network of
4,000 libraries would turn into thousands of queries.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metodist.accounts.models import ApiToken
from metodist.core.testing.factories import add_unit
from metodist.network.models import OrgUnit, UnitKind
from metodist.reporting import services
from metodist.reporting.periods import Period

NOW = datetime.datetime(2025, 3, 20, 11, 0, tzinfo=ZoneInfo("Asia/Almaty"))
MONTH = "2025-02"
FIGURES = {
    "lib_users.children": 12,
    "lib_users.youth": 8,
    "lib_users.adults": 20,
    "lib_visits": 310,
    "lib_loans": 540,
    "lib_stock": 4200,
    "lib_share": "0.45",
}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _queries(client: Client, url: str, **headers) -> int:
    client.get(url, headers=headers)  # warm-up: a token's first use is written down once
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url, headers=headers)
    assert answer.status_code == 200, answer.content[:300]
    return len(captured.captured_queries)


def _libraries(parent: OrgUnit, count: int, start: int = 0) -> list[OrgUnit]:
    return [
        add_unit(
            OrgUnit.objects.get(pk=parent.pk),
            code=f"QC-{start + n:03d}",
            name_ru=f"Сельская библиотека № {start + n + 1}",
            kind=UnitKind.LIBRARY,
        )
        for n in range(count)
    ]


def _report(user, form, unit, code=MONTH, *, submit=False, **changes):
    report = services.open_report(user=user, form=form, unit=unit, period=Period.parse(code))
    report = services.save_values(user=user, report=report, values=FIGURES | changes, version=report.version)
    if submit:
        services.submit(user=user, report=report)
    return report


def _api(user) -> Client:
    _token, key = ApiToken.issue(user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_data_entry_page_runs_as_many_queries_with_30_reports_as_with_3(
    client_for, admin_user, librarian, net, lib_form
):
    months = [Period.parse(MONTH).shift(-back).code for back in range(30)]
    # The page shows the previous month's and last year's values beside each field: both are there.
    small_history = [months[1], months[12]]
    for code in small_history:
        _report(admin_user, lib_form, net.mukur, code)
    report = _report(librarian, lib_form, net.mukur)
    for unit in _libraries(net.abay, 1):
        _report(admin_user, lib_form, unit)
    client = client_for(librarian)
    url = reverse("reporting:report_detail", args=[report.pk])
    small = _queries(client, url)
    # Twenty-six more months of the library (its history for the outlier check) and the same month of
    # ten more libraries.
    for code in months[2:]:
        if code not in small_history:
            _report(admin_user, lib_form, net.mukur, code, lib_visits=300 + int(code[-2:]))
    for unit in _libraries(net.abay, 10, start=1):
        _report(admin_user, lib_form, unit)
    assert _queries(client, url) == small


def test_the_acceptance_queue_runs_as_many_queries_with_30_reports_as_with_3(
    client_for, admin_user, net, lib_form
):
    client = client_for(admin_user)
    url = reverse("reporting:review_queue")
    for unit in _libraries(net.beskaragay, 3):
        _report(admin_user, lib_form, unit, submit=True)
    small = _queries(client, url)
    for unit in _libraries(net.beskaragay, 27, start=3):
        _report(admin_user, lib_form, unit, submit=True)
    assert _queries(client, url) == small


def test_my_reports_runs_as_many_queries_with_30_units_as_with_3(
    client_for, methodist, admin_user, net, lib_form
):
    """The methodologist of Beskaragay enters the reports of her district's libraries."""
    client = client_for(methodist)
    url = reverse("reporting:my_reports")
    libraries = _libraries(net.beskaragay, 1)  # with Beskaragay and Kanonerka: 3
    _report(admin_user, lib_form, libraries[0])
    small = _queries(client, url)
    for unit in _libraries(net.beskaragay, 27, start=1):
        _report(admin_user, lib_form, unit)
    assert _queries(client, url) == small


def test_the_api_list_of_reports_runs_as_many_queries_with_30_reports_as_with_3(admin_user, net, lib_form):
    client = _api(admin_user)
    url = f"/api/v1/reports?form=lib_monthly&under={net.region.pk}"
    for unit in _libraries(net.abay, 3):
        _report(admin_user, lib_form, unit)
    small = _queries(client, url)
    for unit in _libraries(net.abay, 27, start=3):
        _report(admin_user, lib_form, unit)
    assert client.get(url).json()["count"] == 30
    assert _queries(client, url) == small


def test_the_api_roll_up_by_unit_runs_as_many_queries_with_30_units_as_with_3(admin_user, net, lib_form):
    client = _api(admin_user)
    url = (
        f"/api/v1/values?indicator=lib_visits&under={net.beskaragay.pk}&period_from=2025-01&period_to={MONTH}"
    )
    url += "&group_by=unit,period"
    for unit in _libraries(net.beskaragay, 1):  # with Beskaragay and Kanonerka: 3 children
        for code in ("2025-01", MONTH):
            _report(admin_user, lib_form, unit, code)
    for unit in (net.beskaragay_lib, net.kanonerka):
        _report(admin_user, lib_form, unit)
    small = _queries(client, url)
    for unit in _libraries(net.beskaragay, 27, start=1):
        for code in ("2025-01", MONTH):
            _report(admin_user, lib_form, unit, code)
    assert client.get(url).json()["count"] == 2 + 28 * 2
    assert _queries(client, url) == small


def test_the_api_derived_roll_up_runs_as_many_queries_with_30_units_as_with_3(admin_user, net, lib_form):
    from metodist.reporting.models import DerivedIndicator, Indicator

    DerivedIndicator.objects.create(
        code="loans_per_visit",
        name_ru="Книговыдача на одно посещение",
        numerator=Indicator.objects.get(code="lib_loans"),
        denominator=Indicator.objects.get(code="lib_visits"),
    )
    client = _api(admin_user)
    url = (
        f"/api/v1/values?derived=loans_per_visit&under={net.beskaragay.pk}&period_from={MONTH}&group_by=unit"
    )
    for unit in _libraries(net.beskaragay, 1):
        _report(admin_user, lib_form, unit)
    small = _queries(client, url)
    for unit in _libraries(net.beskaragay, 27, start=1):
        _report(admin_user, lib_form, unit)
    assert client.get(url).json()["count"] == 28
    assert _queries(client, url) == small
