"""Use of the forms of work across the network: counts, places, attendance, years, areas, never tried."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from metodist.events.catalogue import (
    catalogue_load,
    form_usage,
    forms_never_tried,
    forms_usage,
    usage_counts,
)
from metodist.events.models import EventFamily, EventStatus, FormOfWork
from metodist.events.tests.factories import EventFactory


def at(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 11, 0))


def held(form, organiser, when, attended, **fields):
    return EventFactory(
        form=form,
        organiser_unit=organiser,
        venue_unit=fields.pop("venue_unit", organiser),
        starts_at=when,
        status=EventStatus.HELD,
        participants_actual=attended,
        **fields,
    )


@pytest.fixture
def used(net):
    """Three held quests (two in Beskaragay district, one in Abay), a bibliodesant of the regional library
    held in Kainar, and events that do not count: planned, cancelled, held without a form."""
    catalogue_load()
    quest = FormOfWork.objects.get(code="literary_quest")
    bibliodesant = FormOfWork.objects.get(code="bibliodesant")
    events = SimpleNamespace(
        quest_2023=held(quest, net.beskaragay_lib, at(2023, 4, 23), 20),
        quest_2024=held(quest, net.kanonerka, at(2024, 4, 23), 30),
        quest_mukur=held(quest, net.mukur, at(2024, 9, 1), 10),
        desant=held(bibliodesant, net.regional, at(2024, 6, 5), 40, venue_unit=net.kainar),
    )
    EventFactory(form=quest, organiser_unit=net.beskaragay_lib, status=EventStatus.PLANNED)
    EventFactory(
        form=quest, organiser_unit=net.kanonerka, status=EventStatus.CANCELLED, starts_at=at(2024, 5, 1)
    )
    held(None, net.beskaragay_lib, at(2024, 3, 1), 99)
    return SimpleNamespace(quest=quest, bibliodesant=bibliodesant, **vars(events))


def test_a_forms_use_counts_held_events_their_places_attendance_and_last_date(admin_user, used):
    usage = form_usage(admin_user, used.quest)

    assert usage.times == 3
    assert usage.places == 3
    assert usage.attendance == pytest.approx(20)
    assert usage.last == at(2024, 9, 1)
    assert [row["year"] for row in usage.by_year] == [2023, 2024]
    assert [row["times"] for row in usage.by_year] == [1, 2]
    assert usage.by_year[1]["attendance"] == pytest.approx(20)
    assert usage.busiest_year == 2
    assert [e.pk for e in usage.recent] == [used.quest_mukur.pk, used.quest_2024.pk, used.quest_2023.pk]


def test_a_forms_use_is_broken_down_by_district(admin_user, net, used):
    areas = {row["unit"]: row for row in form_usage(admin_user, used.quest).by_area}

    assert set(areas) == {net.beskaragay, net.abay}
    assert areas[net.beskaragay]["times"] == 2
    assert areas[net.beskaragay]["attendance"] == pytest.approx(25)
    assert areas[net.abay]["times"] == 1
    assert areas[net.abay]["last"] == at(2024, 9, 1)


def test_an_event_counts_where_it_took_place_not_where_it_was_organised(admin_user, net, used):
    areas = [row["unit"] for row in form_usage(admin_user, used.bibliodesant).by_area]

    assert areas == [net.abay]


def test_the_figures_follow_the_users_scope(methodist, librarian, net, used):
    beskaragay = form_usage(methodist, used.quest)
    mukur = form_usage(librarian, used.quest)

    assert beskaragay.times == 2
    assert beskaragay.attendance == pytest.approx(25)
    assert [row["unit"] for row in beskaragay.by_area] == [net.beskaragay]
    assert mukur.times == 1
    # A village librarian sees her own library as the area, not the district above her.
    assert [row["unit"] for row in mukur.by_area] == [net.mukur]
    assert form_usage(librarian, used.bibliodesant).times == 0


def test_an_outsider_sees_no_use_at_all(outsider, used):
    assert form_usage(outsider, used.quest).times == 0
    assert usage_counts(outsider) == {}


def test_usage_counts_give_each_forms_number_of_held_events(admin_user, used):
    assert usage_counts(admin_user) == {used.quest.pk: 3, used.bibliodesant.pk: 1}


def test_the_usage_table_has_a_row_per_form_most_used_first_with_years(admin_user, used):
    table = forms_usage(admin_user)
    rows = {row["form"].code: row for row in table.rows}

    assert table.years == [2023, 2024]
    assert table.rows[0]["form"] == used.quest
    assert rows["literary_quest"]["times"] == 3
    assert rows["literary_quest"]["places"] == 3
    assert rows["literary_quest"]["attendance"] == pytest.approx(20)
    assert rows["literary_quest"]["per_year"] == [1, 2]
    assert rows["bibliodesant"]["per_year"] == [0, 1]
    assert rows["quiz"]["times"] == 0
    assert rows["quiz"]["attendance"] is None
    assert len(table.rows) == FormOfWork.objects.count()


def test_the_usage_table_narrows_to_a_unit_and_a_family(admin_user, net, used):
    in_abay = {row["form"].code: row["times"] for row in forms_usage(admin_user, under=net.abay).rows}
    trainings = forms_usage(admin_user, family=EventFamily.TRAINING).rows

    assert in_abay["literary_quest"] == 1
    assert in_abay["bibliodesant"] == 1
    assert {row["form"].family for row in trainings} == {EventFamily.TRAINING}
    assert all(row["times"] == 0 for row in trainings)


def test_the_usage_table_costs_the_same_queries_however_many_events(
    admin_user, net, used, django_assert_max_num_queries
):
    for day in range(1, 21):
        held(used.quest, net.kainar, at(2022, 1, day), day)

    with django_assert_max_num_queries(5):
        table = forms_usage(admin_user)

    assert table.rows[0]["times"] == 23


def test_forms_never_tried_in_a_district_leave_out_those_held_there(admin_user, net, used):
    beskaragay = {f.code for f in forms_never_tried(admin_user, unit=net.beskaragay)}
    abay = {f.code for f in forms_never_tried(admin_user, unit=net.abay)}

    assert "literary_quest" not in beskaragay
    assert "bibliodesant" in beskaragay
    assert "literary_quest" not in abay
    assert "bibliodesant" not in abay
    assert len(abay) == FormOfWork.objects.count() - 2


def test_a_planned_or_cancelled_event_is_not_a_try(admin_user, net, used):
    quiz = FormOfWork.objects.get(code="quiz")
    EventFactory(form=quiz, organiser_unit=net.kanonerka, status=EventStatus.PLANNED)

    assert quiz in forms_never_tried(admin_user, unit=net.beskaragay)


# --- pages ---------------------------------------------------------------------------------------------


def test_the_usage_page_shows_the_figures_and_the_forms_never_tried_in_a_district(
    client_for, methodist, net, used
):
    response = client_for(methodist).get(reverse("events:form_usage"), {"unit": net.beskaragay.pk})

    html = response.content.decode()
    rows = {row["form"].code: row for row in response.context["table"].rows}
    never = {f.code for f in response.context["never_tried"]}
    assert response.status_code == 200
    assert response.context["nav_active"] == "forms"
    assert rows["literary_quest"]["times"] == 2
    assert "literary_quest" not in never
    assert "bibliodesant" in never
    assert 'id="never-tried"' in html
    assert "Бескарагайский район" in html


def test_the_usage_page_refuses_a_district_outside_the_users_scope(client_for, methodist, net, used):
    response = client_for(methodist).get(reverse("events:form_usage"), {"unit": net.abay.pk})

    assert response.status_code == 200
    assert response.context["never_tried"] is None
    assert response.context["filters"].errors["unit"]
    assert {row["form"].code: row["times"] for row in response.context["table"].rows}["literary_quest"] == 2


def test_the_usage_page_offers_a_librarian_her_own_library(client_for, librarian, net, used):
    response = client_for(librarian).get(reverse("events:form_usage"), {"unit": net.mukur.pk})

    assert response.context["unit"] == net.mukur
    assert "literary_quest" not in {f.code for f in response.context["never_tried"]}


def test_a_form_card_shows_where_the_form_was_used(client_for, admin_user, used):
    response = client_for(admin_user).get(reverse("events:form_detail", args=["literary_quest"]))

    html = response.content.decode()
    assert response.context["usage"].times == 3
    assert 'data-figure="times">3<' in html
    assert 'data-figure="attendance">20<' in html
    assert "Бескарагайский район" in html
    assert used.quest_mukur.title in html
