"""Private iCal feeds: a link per user and unit subtree, answered with the owner's current scope."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from metodist.accounts.models import Role
from metodist.events.models import CalendarFeed, EventStatus
from metodist.events.tests.factories import EventFactory

FEEDS = reverse("events:calendar_feeds")


def at(day: int, hour: int = 10) -> datetime.datetime:
    return timezone.now().replace(hour=hour, minute=0, second=0, microsecond=0) + datetime.timedelta(days=day)


@pytest.fixture
def events(net):
    return {
        "mukur": EventFactory(
            title="Мукурский час краеведения",
            organiser_unit=net.mukur,
            starts_at=at(3),
            ends_at=at(3, hour=12),
            room="читальный зал",
            goal="Познакомить с историей села.",
        ),
        "held_in_mukur": EventFactory(
            title="Выездной семинар", organiser_unit=net.abay, venue_unit=net.mukur_oc
        ),
        "kainar": EventFactory(title="Кайнарский квест", organiser_unit=net.kainar),
        "cancelled": EventFactory(
            title="Отменённая встреча", organiser_unit=net.mukur, status=EventStatus.CANCELLED
        ),
        "long_ago": EventFactory(title="Давнее", organiser_unit=net.mukur, starts_at=at(-800), ends_at=None),
    }


def _parse(response) -> dict:
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(item["summary"]): item for item in calendar.walk("VEVENT")}


def test_the_subscribe_page_creates_a_link_for_a_unit_of_the_scope_and_shows_it(client_for, librarian, net):
    client = client_for(librarian)

    response = client.post(FEEDS, {"unit": net.mukur.pk}, follow=True)

    feed = CalendarFeed.objects.get()
    assert (feed.user, feed.unit) == (librarian, net.mukur)
    assert len(feed.token) >= 30
    assert f"http://testserver/events/ical/{feed.token}.ics" in response.content.decode()


def test_asking_twice_for_the_same_unit_gives_the_same_link(client_for, librarian, net):
    client = client_for(librarian)

    client.post(FEEDS, {"unit": net.mukur.pk})
    client.post(FEEDS, {"unit": net.mukur.pk})

    assert CalendarFeed.objects.count() == 1


def test_a_unit_out_of_scope_is_refused(client_for, librarian, net):
    response = client_for(librarian).post(FEEDS, {"unit": net.kainar.pk})

    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert not CalendarFeed.objects.exists()


def test_the_feed_parses_and_holds_the_events_of_the_subtree_without_login(client, librarian, net, events):
    feed = CalendarFeed.objects.create(user=librarian, unit=net.mukur)

    response = client.get(reverse("events:ical_feed", args=[feed.token]))

    items = _parse(response)
    assert set(items) == {"Мукурский час краеведения", "Выездной семинар", "Отменённая встреча"}
    lesson = items["Мукурский час краеведения"]
    assert lesson["dtstart"].dt == events["mukur"].starts_at
    assert lesson["dtend"].dt == events["mukur"].ends_at
    assert str(lesson["location"]) == "Мукурская сельская библиотека, читальный зал"
    assert "Познакомить с историей села." in str(lesson["description"])
    assert str(lesson["uid"]) == f"event-{events['mukur'].pk}@metodist"
    assert str(lesson["url"]).endswith(reverse("events:event_detail", args=[events["mukur"].pk]))
    assert str(items["Отменённая встреча"]["status"]) == "CANCELLED"


def test_a_feed_of_a_wider_unit_still_shows_only_the_owners_scope(client, librarian, net, events):
    # A feed can outlive the role that made it, or name a unit above the owner's scope.
    feed = CalendarFeed.objects.create(user=librarian, unit=net.abay)

    items = _parse(client.get(reverse("events:ical_feed", args=[feed.token])))

    assert "Кайнарский квест" not in items
    assert "Мукурский час краеведения" in items


def test_a_revoked_role_empties_the_feed(client, librarian, net, events):
    feed = CalendarFeed.objects.create(user=librarian, unit=net.mukur)
    Role.objects.filter(user=librarian).delete()

    items = _parse(client.get(reverse("events:ical_feed", args=[feed.token])))

    assert items == {}


def test_a_deactivated_owner_empties_the_feed(client, librarian, net, events):
    feed = CalendarFeed.objects.create(user=librarian, unit=net.mukur)
    librarian.is_active = False
    librarian.save()

    assert _parse(client.get(reverse("events:ical_feed", args=[feed.token]))) == {}


def test_an_unknown_token_is_404(client, net):
    assert client.get(reverse("events:ical_feed", args=["not-a-token"])).status_code == 404


def test_a_revoked_link_stops_answering(client_for, librarian, net):
    client = client_for(librarian)
    feed = CalendarFeed.objects.create(user=librarian, unit=net.mukur)

    client.post(reverse("events:calendar_feed_delete", args=[feed.pk]))

    assert client.get(reverse("events:ical_feed", args=[feed.token])).status_code == 404


def test_one_cannot_revoke_someone_elses_link(client_for, librarian, methodist, net):
    feed = CalendarFeed.objects.create(user=librarian, unit=net.mukur)

    response = client_for(methodist).post(reverse("events:calendar_feed_delete", args=[feed.pk]))

    assert response.status_code == 404
    assert CalendarFeed.objects.filter(pk=feed.pk).exists()
