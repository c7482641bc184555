"""The list of events: filters, the htmx partial, and the export of the filtered list to XLSX."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from metodist.events.models import EventFamily, EventStatus
from metodist.events.tests.factories import EventFactory, FormOfWorkFactory, SectionFactory
from metodist.events.views import _export_columns

LIST = reverse("events:event_list")
EXPORT = reverse("events:event_export")


def at(day: int, month: int = 9, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2024, month, day, hour, 0))


@pytest.fixture
def events(net):
    quest = FormOfWorkFactory(code="literary-quest", name_ru="Литературный квест")
    return {
        "lesson": EventFactory(
            title="Библиотечный урок",
            organiser_unit=net.method_dept,
            venue_unit=net.regional,
            starts_at=at(20),
            ends_at=at(20, hour=13),
            audience="Специалисты областной библиотеки",
        ),
        "quest": EventFactory(
            title="Квест по Абаю",
            organiser_unit=net.mukur,
            family=EventFamily.PUBLIC,
            form=quest,
            starts_at=at(5, month=10),
            ends_at=None,
            audience="школьники 10-14 лет",
        ),
        "school": EventFactory(
            title="Школа сельского библиотекаря",
            organiser_unit=net.beskaragay,
            starts_at=at(23, month=8),
            ends_at=at(25, month=8, hour=17),
            status=EventStatus.HELD,
            audience="сельские библиотекари",
        ),
        "cancelled": EventFactory(
            title="Отменённая встреча",
            organiser_unit=net.kainar,
            family=EventFamily.PUBLIC,
            status=EventStatus.CANCELLED,
            starts_at=at(1, month=11),
            audience="читатели",
        ),
    }


def _titles(response) -> list[str]:
    return [event.title for event in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Отменённая встреча", "Квест по Абаю", "Библиотечный урок", "Школа сельского библиотекаря"]),
        ({"date_from": "2024-09-01", "date_to": "2024-09-30"}, ["Библиотечный урок"]),
        # A training of several days counts in a period that holds only its last day.
        ({"date_from": "2024-08-25", "date_to": "2024-08-31"}, ["Школа сельского библиотекаря"]),
        ({"form": "literary-quest"}, ["Квест по Абаю"]),
        ({"family": "public"}, ["Отменённая встреча", "Квест по Абаю"]),
        ({"status": "held"}, ["Школа сельского библиотекаря"]),
        ({"audience": "СЕЛЬСКИЕ"}, ["Школа сельского библиотекаря"]),
        ({"family": "public", "status": "planned"}, ["Квест по Абаю"]),
    ],
)
def test_the_list_filters_by_period_form_family_status_and_audience(
    client_for, admin_user, events, query, expected
):
    response = client_for(admin_user).get(LIST, query)

    assert _titles(response) == expected


def test_the_unit_filter_takes_the_subtree_by_organiser_or_venue(client_for, admin_user, net, events):
    held_in_mukur = EventFactory(title="Выездной семинар", organiser_unit=net.abay, venue_unit=net.mukur_oc)
    client = client_for(admin_user)

    mukur = client.get(LIST, {"under": net.mukur.pk})
    abay = client.get(LIST, {"under": net.abay.pk})

    assert set(_titles(mukur)) == {"Квест по Абаю", held_in_mukur.title}
    assert set(_titles(abay)) == {"Квест по Абаю", held_in_mukur.title, "Отменённая встреча"}


def test_a_unit_out_of_scope_in_the_filter_shows_nothing_more(client_for, librarian, net, events):
    response = client_for(librarian).get(LIST, {"under": net.kainar.pk})

    assert "under" in response.context["form"].errors
    assert _titles(response) == ["Квест по Абаю"]


def test_the_filter_offers_the_units_of_the_scope(client_for, librarian, net):
    response = client_for(librarian).get(LIST)

    values = [value for value, _label in response.context["form"].fields["under"].choices]
    assert values == ["", str(net.mukur.pk), str(net.mukur_oc.pk)]


def test_an_htmx_request_answers_only_the_rows(client_for, admin_user, events):
    response = client_for(admin_user).get(
        LIST, {"family": "public"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="event-rows"
    )

    body = response.content.decode()
    assert "<html" not in body
    assert "Квест по Абаю" in body
    assert "Библиотечный урок" not in body
    assert 'hx-swap-oob="true"' in body and "family=public" in body  # the export link follows the filters


def test_the_list_pages_by_fifty(client_for, librarian, net):
    for day in range(1, 56):
        EventFactory(organiser_unit=net.mukur, starts_at=at(1) + datetime.timedelta(days=day))
    client = client_for(librarian)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5


@pytest.fixture
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _sheet(response):
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


@pytest.mark.usefixtures("_english")
def test_the_export_holds_the_filtered_list_with_titles_and_real_dates(client_for, admin_user, events):
    SectionFactory(event=events["lesson"], speaker="О. Мальцева", topic="Новые формы")

    response = client_for(admin_user).get(EXPORT, {"date_from": "2024-08-01", "date_to": "2024-09-30"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = _sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    titles = rows[0]
    assert titles[:4] == ("Starts", "Ends", "Title", "Form of work")
    assert [row[2] for row in rows[1:]] == ["Школа сельского библиотекаря", "Библиотечный урок"]
    lesson = dict(zip(titles, rows[2], strict=True))
    assert lesson["Starts"] == datetime.datetime(2024, 9, 20, 10, 0)
    assert lesson["Ends"] == datetime.datetime(2024, 9, 20, 13, 0)
    assert lesson["Organiser"] == "Методический отдел"
    assert lesson["Venue"] == "ВКО универсальная библиотека имени Абая"
    assert lesson["Planned participants"] == 20
    assert lesson["Family"] == "training for librarians"
    assert lesson["Programme"] == "О. Мальцева — Новые формы"


def test_the_export_titles_follow_the_language_of_the_user(client_for, admin_user, events):
    response = client_for(admin_user).get(EXPORT, HTTP_ACCEPT_LANGUAGE="ru")

    titles = next(_sheet(response).iter_rows(values_only=True))
    with translation.override("ru"):
        expected = tuple(str(title) for title, _width in _export_columns())
    assert titles == expected
    assert titles[5] == "Статус"


def test_the_export_keeps_to_the_scope(client_for, librarian, events):
    sheet = _sheet(client_for(librarian).get(EXPORT))

    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Квест по Абаю"]
