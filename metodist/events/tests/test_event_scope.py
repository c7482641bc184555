"""Scope of events per role: an event is seen where it is organised or held, changed only by its organiser."""

import pytest
from django.urls import reverse

from metodist.events.tests.factories import EventFactory


@pytest.fixture
def events(net):
    return {
        "mukur": EventFactory(title="Мукурский час краеведения", organiser_unit=net.mukur),
        "held_in_mukur": EventFactory(
            title="Выездной семинар района", organiser_unit=net.abay, venue_unit=net.mukur
        ),
        "kainar": EventFactory(title="Кайнарский квест", organiser_unit=net.kainar),
        "beskaragay": EventFactory(title="Бескарагайская школа библиотекаря", organiser_unit=net.beskaragay),
    }


def _titles(response) -> set[str]:
    return {event.title for event in response.context["page"].object_list}


def test_the_mukur_librarian_sees_events_organised_by_or_held_in_mukur_and_not_kainars(
    client_for, librarian, events
):
    response = client_for(librarian).get(reverse("events:event_list"))

    assert response.status_code == 200
    assert _titles(response) == {"Мукурский час краеведения", "Выездной семинар района"}
    assert "Кайнарский квест" not in response.content.decode()


def test_a_district_methodologist_sees_her_district_only(client_for, methodist, events):
    response = client_for(methodist).get(reverse("events:event_list"))

    assert _titles(response) == {"Бескарагайская школа библиотекаря"}


def test_the_regional_administrator_sees_every_event(client_for, admin_user, events):
    response = client_for(admin_user).get(reverse("events:event_list"))

    assert _titles(response) == {event.title for event in events.values()}


def test_the_card_of_an_event_out_of_scope_is_404(client_for, librarian, events):
    client = client_for(librarian)

    assert client.get(reverse("events:event_detail", args=[events["kainar"].pk])).status_code == 404
    assert client.get(reverse("events:event_detail", args=[events["mukur"].pk])).status_code == 200


def test_an_event_held_in_mukur_can_be_read_but_not_edited_by_the_mukur_librarian(
    client_for, librarian, events
):
    client = client_for(librarian)
    event = events["held_in_mukur"]

    card = client.get(reverse("events:event_detail", args=[event.pk]))
    edit = client.get(reverse("events:event_edit", args=[event.pk]))
    copy = client.post(reverse("events:event_copy", args=[event.pk]))

    assert card.status_code == 200
    assert reverse("events:event_edit", args=[event.pk]) not in card.content.decode()
    assert edit.status_code == 404
    assert copy.status_code == 404


def test_editing_copying_and_uploading_out_of_scope_is_404(client_for, librarian, events):
    client = client_for(librarian)
    pk = events["kainar"].pk

    assert client.get(reverse("events:event_edit", args=[pk])).status_code == 404
    assert client.post(reverse("events:event_copy", args=[pk])).status_code == 404
    assert client.post(reverse("events:event_file_add", args=[pk])).status_code == 404


@pytest.mark.parametrize("who", ["volunteer", "outsider"])
def test_people_without_a_view_role_cannot_open_the_events_pages(client_for, request, who, events):
    client = client_for(request.getfixturevalue(who))

    assert client.get(reverse("events:event_list")).status_code == 403
    assert client.get(reverse("events:calendar")).status_code == 403
    assert client.get(reverse("events:event_create")).status_code == 403
    assert client.get(reverse("events:event_detail", args=[events["mukur"].pk])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, events):
    response = client.get(reverse("events:event_list"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response.url
