"""The audience and quality page against figures worked out by hand from a few monthly reports, surveys and
events, its scope and its fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from metodist.core.testing.factories import add_unit
from metodist.events.models import Event, EventFamily, EventStatus
from metodist.marketing import audience, surveys
from metodist.marketing.tests.conftest import build_survey, submit
from metodist.network.models import UnitKind
from metodist.reporting import services
from metodist.reporting.models import Value
from metodist.reporting.periods import Period
from metodist.reporting.testing import library_monthly

NOW = datetime.datetime(2025, 6, 15, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _report(user, form, unit, month, users, visits):
    report = services.open_report(user=user, form=form, unit=unit, period=Period.parse(month))
    services.save_values(
        user=user,
        report=report,
        values={"lib_users.adults": users, "lib_visits": visits},
        version=report.version,
    )


@pytest.fixture
def abay(net, admin_user):
    """Mukur serves 2,400 people, Kainar 1,100 (3,500 in the district).

    | library | month   | users | visits |
    |---------|---------|-------|--------|
    | Mukur   | 2024-05 | 50    | 400    |  ← 13 months ago: in the chart, not in the last 12 months
    | Mukur   | 2024-07 | 120   | 900    |
    | Mukur   | 2025-06 | 30    | 350    |
    | Kainar  | 2025-01 | 45    | 210    |
    | Beskaragay (another district) | 2025-02 | 999 | 9999 |
    """
    net.mukur.population_served = 2400
    net.mukur.save(update_fields=["population_served"])
    net.kainar.population_served = 1100
    net.kainar.save(update_fields=["population_served"])
    form = library_monthly(net.region)
    _report(admin_user, form, net.mukur, "2024-05", 50, 400)
    _report(admin_user, form, net.mukur, "2024-07", 120, 900)
    _report(admin_user, form, net.mukur, "2025-06", 30, 350)
    _report(admin_user, form, net.kainar, "2025-01", 45, 210)
    _report(admin_user, form, net.beskaragay_lib, "2025-02", 999, 9999)
    return form


def test_the_months_are_the_last_24_with_the_current_one_last():
    months = audience.month_starts(datetime.date(2025, 6, 15))
    assert len(months) == 24
    assert (months[0], months[-1]) == (datetime.date(2023, 7, 1), datetime.date(2025, 6, 1))


def test_users_per_1000_residents_are_the_users_of_12_months_over_the_population(net, abay):
    page = audience.audience(net.abay)
    # users of July 2024 – June 2025: 120 + 30 + 45 = 195; per 1,000 of 3,500: 195 × 1000 / 3500 = 55.71…
    assert page.users_12 == Decimal(195)
    assert page.population == 3500
    assert page.per_1000 == Decimal("55.7")
    visits = page.series["lib_visits"]
    assert visits.last_12 == Decimal(900 + 350 + 210)
    assert visits.previous_12 == Decimal(400)
    assert visits.values[-1] == Decimal(350) and visits.values[-14] == Decimal(400)
    assert visits.values.count(None) == 24 - 4


def test_one_library_has_its_own_figures(net, abay):
    page = audience.audience(net.kainar)
    # 45 × 1000 / 1100 = 40.909…
    assert (page.users_12, page.population, page.per_1000) == (Decimal(45), 1100, Decimal("40.9"))


def test_new_users_are_a_series_of_their_own_when_the_form_has_them(net, admin_user, abay, client_for):
    from metodist.reporting.testing import indicator

    new_users = indicator("lib_new_users", "Впервые записавшиеся")
    for unit, month, number in (
        (net.mukur, "2025-06", 12),
        (net.kainar, "2025-01", 20),
        (net.mukur, "2024-05", 7),
    ):
        report = abay.reports.get(unit=unit, period_start=Period.parse(month).start)
        Value.objects.create(
            report=report,
            indicator=new_users,
            unit=unit,
            unit_path=unit.path,
            ref_date=report.ref_date,
            period_type=report.period_type,
            number=number,
        )
    series = audience.audience(net.abay).series["lib_new_users"]
    assert series.last_12 == Decimal(12 + 20) and series.previous_12 == Decimal(7)
    html = client_for(admin_user).get(reverse("marketing:audience"), {"unit": net.abay.pk}).content.decode()
    assert '<h3 class="h6" id="s-lib_new_users">Впервые записавшиеся</h3>' in html


def test_satisfaction_and_nps_come_from_the_questionnaires_of_the_subtree(net, marketer, abay):
    survey = build_survey(marketer, net.regional)
    mukur, regional = surveys.links_create(user=marketer, survey=survey, units=[net.mukur, net.regional])
    submit(mukur, {"overall": 5, "nps": 10})
    submit(mukur, {"overall": 3, "nps": 9})
    submit(mukur, {"overall": 4, "nps": 2})
    submit(regional, {"overall": 1, "nps": 0})  # not in Abay district
    figures = audience.audience(net.abay).surveys
    assert figures.responses == 3
    # scale answers 5, 3, 4 of 5 → (100 + 60 + 80) / 3 = 80 %; NPS: 2 promoters, 1 detractor of 3 → 33.3
    assert figures.satisfaction == 80.0
    assert figures.nps == 33.3


def test_without_questionnaires_the_page_says_there_are_no_surveys_yet(net, abay, admin_user, client_for):
    page = client_for(admin_user).get(reverse("marketing:audience") + f"?unit={net.abay.pk}")
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count('id="fig-nps"') == 1 and "<svg" in body
    assert audience.audience(net.abay).surveys.responses == 0


def test_event_participation_counts_held_events_of_the_last_12_months(net, admin_user):
    now = timezone.now()
    for unit, status, days_ago, people, family in [
        (net.mukur, EventStatus.HELD, 10, 25, EventFamily.PUBLIC),
        (net.kainar, EventStatus.HELD, 200, 15, EventFamily.PUBLIC),
        (net.mukur, EventStatus.HELD, 30, 12, EventFamily.TRAINING),
        (net.mukur, EventStatus.CANCELLED, 5, None, EventFamily.PUBLIC),
        (net.mukur, EventStatus.HELD, 400, 80, EventFamily.PUBLIC),  # more than a year ago
        (net.beskaragay_lib, EventStatus.HELD, 3, 50, EventFamily.PUBLIC),  # another district
    ]:
        Event.objects.create(
            title="Библиотечный урок",
            organiser_unit=unit,
            status=status,
            starts_at=now - datetime.timedelta(days=days_ago),
            participants_actual=people,
            family=family,
        )
    page = audience.audience(net.abay)
    assert {row.family: (row.events, row.participants) for row in page.events} == {
        EventFamily.PUBLIC: (2, 40),
        EventFamily.TRAINING: (1, 12),
    }
    assert (page.events_total, page.participants_total) == (3, 52)


def test_the_number_of_queries_does_not_grow_with_the_network(net, admin_user, abay):
    with CaptureQueriesContext(connection) as small:
        audience.audience(net.region)
    for n in range(5):
        library = add_unit(net.abay, code=f"ABY-NEW-{n}", name_ru=f"Библиотека № {n}", kind=UnitKind.LIBRARY)
        library.population_served = 500
        library.save(update_fields=["population_served"])
        _report(admin_user, abay, library, "2025-03", 10 + n, 100)
    with CaptureQueriesContext(connection) as large:
        audience.audience(net.region)
    assert len(large) == len(small)


def test_a_librarian_sees_her_library_and_nothing_above_it(net, librarian, abay, client_for):
    client = client_for(librarian)
    own = client.get(reverse("marketing:audience"))
    assert own.status_code == 200 and "Мукурская сельская библиотека" in own.content.decode()
    assert client.get(reverse("marketing:audience") + f"?unit={net.abay.pk}").status_code == 404
    assert client.get(reverse("marketing:audience") + "?unit=abc").status_code == 404


def test_an_outsider_is_refused(outsider, client_for):
    assert client_for(outsider).get(reverse("marketing:audience")).status_code == 403
