"""The figures of home delivery for reporting and the figures page, against counts made by hand."""

import datetime

from django.urls import reverse

from metodist.outreach import selectors
from metodist.outreach.models import DeliveryStatus, IndicatorSource, Project, ProjectIndicator
from metodist.outreach.tests.conftest import deliver, make_reader

D = datetime.date


def _year(kn):
    """Zaure: 2 made (3 + 1 books, 2 returned), 1 cancelled; Sholpan: 1 made (2 books); Kanonerka: 1 made
    in the year (1 book) and 1 in the year before; one planned delivery."""
    first = deliver(kn.zaure, D(2025, 3, 4), books=["Абай жолы", "Ұлпан", "Ботагөз"])
    deliver(kn.zaure, D(2025, 3, 18), status=DeliveryStatus.CANCELLED)
    deliver(kn.zaure, D(2025, 4, 1), books=["Қара сөздер"], returns=list(first.items_brought.all()[:2]))
    deliver(kn.zaure, D(2025, 4, 15), status=DeliveryStatus.PLANNED, books=["Көшпенділер"])
    deliver(kn.sholpan, D(2025, 6, 3), books=["Ұлпан", "Ботагөз"])
    deliver(kn.kanonerka, D(2025, 2, 11), books=["Анна Каренина"])
    deliver(kn.kanonerka, D(2024, 12, 10), books=["Лавр"])


def test_knigonosha_figures_match_a_hand_count(kn, net):
    _year(kn)
    year = (D(2025, 1, 1), D(2025, 12, 31))
    assert selectors.knigonosha_figures(net.region, *year) == {
        "readers": 3,
        "deliveries": 4,
        "items": 7,
        "returned": 2,
        "volunteers": 2,  # Kanonerka's reader has no volunteer
        "registered": 3,
    }
    mukur = selectors.knigonosha_figures(net.mukur, *year)
    assert (mukur["readers"], mukur["deliveries"], mukur["items"]) == (2, 3, 6)
    spring = selectors.knigonosha_figures(net.abay, D(2025, 3, 1), D(2025, 3, 31))
    assert (spring["readers"], spring["deliveries"], spring["items"], spring["returned"]) == (1, 1, 3, 0)


def test_a_reader_who_stopped_before_the_period_is_not_on_its_list(kn, net):
    make_reader(net.mukur, "Нуртазина Айман Сапаровна", served_since=D(2024, 1, 5), stopped_on=D(2024, 11, 1))
    assert selectors.knigonosha_figures(net.mukur, D(2025, 1, 1), D(2025, 12, 31))["registered"] == 2
    assert selectors.knigonosha_figures(net.mukur, D(2024, 1, 1), D(2024, 12, 31))["registered"] == 1


def test_the_figures_page_shows_each_library_and_the_district_total(kn, methodist, admin_user, client_for):
    _year(kn)
    page = client_for(admin_user).get(
        reverse("outreach:figures"), {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    )
    rows = {
        unit.code: (unit.registered, unit.readers, unit.deliveries, unit.items, unit.returned)
        for unit in page.context["rows"]
    }
    assert rows == {"MUK-LIB": (2, 2, 3, 6, 2), "KAN-LIB": (1, 1, 1, 1, 0)}
    assert page.context["totals"]["deliveries"] == 4
    district = client_for(methodist).get(
        reverse("outreach:figures"), {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    )
    assert [unit.code for unit in district.context["rows"]] == ["KAN-LIB"]
    assert district.context["totals"]["items"] == 1
    assert "Литвиненко" not in district.content.decode()


def test_counted_project_indicators_take_their_actual_from_the_deliveries(kn, net):
    _year(kn)
    project = Project.objects.create(
        unit=net.mukur,
        name="Книгоноша",
        kind="home_delivery",
        goal="Книги на дом",
        starts_on=D(2025, 3, 1),
        ends_on=D(2025, 12, 31),
    )
    ProjectIndicator.objects.create(
        project=project, name="Доставок", target=10, source=IndicatorSource.DELIVERIES
    )
    ProjectIndicator.objects.create(
        project=project, name="Экземпляров", target=12, source=IndicatorSource.ITEMS
    )
    ProjectIndicator.objects.create(project=project, name="Отзывов", target=4, actual=3)
    indicators = selectors.indicators_with_actuals(project, today=D(2026, 1, 10))
    assert [(i.name, i.actual, i.percent) for i in indicators] == [
        ("Доставок", 3, 30),
        ("Экземпляров", 6, 50),
        ("Отзывов", 3, 75),
    ]
    project.participants.set([net.kanonerka])  # its February delivery is before the project
    project.starts_on = D(2025, 2, 1)
    assert [i.actual for i in selectors.indicators_with_actuals(project, today=D(2026, 1, 10))][:2] == [4, 7]
