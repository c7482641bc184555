"""The event card lists the joint activities held with partners: the partner (linked to its card) and what
each side gave, only for partners the viewer may see, in one query however many there are."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metodist.events.tests.factories import EventFactory
from metodist.marketing.models.partners import JointActivity, Partner


def _partner(unit, name):
    return Partner.objects.create(unit=unit, name=name, kind="school")


def _activity(event, partner, title, ours="", theirs=""):
    return JointActivity.objects.create(
        unit=event.organiser_unit,
        partner=partner,
        event=event,
        date=datetime.date(2025, 4, 23),
        title=title,
        our_contribution=ours,
        partner_contribution=theirs,
    )


def test_the_event_card_shows_the_partners_and_what_each_side_gave(net, librarian, client_for):
    event = EventFactory(organiser_unit=net.mukur, title="Всемирный день книги в Мукуре")
    school = _partner(net.mukur, "Мукурская средняя школа")
    _activity(
        event, school, "Книжная ярмарка со школой", "выставка книг Мұқағали Мақатаева", "чтецы 7 класса"
    )
    page = client_for(librarian).get(reverse("events:event_detail", args=[event.pk])).content.decode()
    assert 'id="joint-activities"' in page
    assert reverse("marketing:partner_detail", args=[school.pk]) in page
    assert "Мукурская средняя школа" in page and "Книжная ярмарка со школой" in page
    assert "выставка книг Мұқағали Мақатаева" in page and "чтецы 7 класса" in page


def test_a_partner_the_viewer_may_not_see_is_left_out_and_no_activity_no_card(
    net, librarian, admin_user, client_for
):
    event = EventFactory(organiser_unit=net.mukur, title="Библионочь")
    university = _partner(net.regional, "ВКУ имени С. Аманжолова")  # kept by the regional library
    _activity(event, university, "Студенты-волонтёры на Библионочи", "площадка", "волонтёры")
    url = reverse("events:event_detail", args=[event.pk])
    mine = client_for(librarian).get(url).content.decode()
    assert "ВКУ имени С. Аманжолова" not in mine and 'id="joint-activities"' not in mine
    everything = client_for(admin_user).get(url).content.decode()
    assert "ВКУ имени С. Аманжолова" in everything and 'id="joint-activities"' in everything

    lonely = EventFactory(organiser_unit=net.mukur, title="Час поэзии")
    assert (
        'id="joint-activities"'
        not in client_for(admin_user).get(reverse("events:event_detail", args=[lonely.pk])).content.decode()
    )


def test_the_activities_cost_the_same_queries_however_many_there_are(net, admin_user, client_for):
    event = EventFactory(organiser_unit=net.mukur, title="Неделя детской книги")
    school = _partner(net.mukur, "Мукурская средняя школа")
    _activity(event, school, "Первая встреча")
    client = client_for(admin_user)
    url = reverse("events:event_detail", args=[event.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(4):
        _activity(event, _partner(net.mukur, f"Партнёр {number}"), f"Встреча {number}")
    with CaptureQueriesContext(connection) as five:
        page = client.get(url).content.decode()
    assert page.count("marketing/partners/") >= 5
    assert len(five.captured_queries) == len(one.captured_queries)
