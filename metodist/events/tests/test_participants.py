"""The participants page: the list, invitations of staff and outside people, accept and decline links."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from metodist.core.testing.factories import StaffMemberFactory
from metodist.events.models import Participant, ParticipantStatus
from metodist.events.tests.factories import EventFactory, ParticipantFactory


@pytest.fixture
def event(net):
    return EventFactory(
        organiser_unit=net.beskaragay, venue_unit=net.beskaragay_lib, title="Школа сельского библиотекаря"
    )


@pytest.fixture
def staff(net):
    """Four people working under Beskaragay district, one who left, and one in Mukur."""
    return {
        "head": StaffMemberFactory(
            unit=net.beskaragay_lib,
            full_name="Ахметова Гульнар",
            position="заведующая библиотекой",
            email="gulnar@example.kz",
        ),
        "librarian": StaffMemberFactory(unit=net.beskaragay_lib, full_name="Иванова Ольга", email=""),
        "oc": StaffMemberFactory(
            unit=net.beskaragay_oc,
            full_name="Сейтказы Айжан",
            position="заведующая библиотекой",
            email="aizhan@example.kz",
        ),
        "kanonerka": StaffMemberFactory(
            unit=net.kanonerka, full_name="Петрова Нина", email="nina@example.kz"
        ),
        "left": StaffMemberFactory(
            unit=net.kanonerka,
            full_name="Ушедшая Вера",
            left_on=timezone.localdate() - datetime.timedelta(days=3),
        ),
        "mukur": StaffMemberFactory(unit=net.mukur, full_name="Мукурская Алия", email="aliya@example.kz"),
    }


def _url(name, event, *args):
    return reverse(f"events:{name}", args=[event.pk, *args])


def test_it_lists_participants_with_their_status_and_contact(client_for, methodist, event):
    ParticipantFactory(event=event, full_name="Нурланова Сауле", email="saule@example.kz")
    ParticipantFactory(event=event, full_name="Ким Дмитрий", status=ParticipantStatus.DECLINED)

    page = client_for(methodist).get(_url("participants", event)).content.decode()

    assert "Нурланова Сауле" in page
    assert "saule@example.kz" in page
    assert 'data-status="declined"' in page
    assert _url("signin_sheet", event) in page


def test_it_filters_the_list_by_status(client_for, methodist, event):
    ParticipantFactory(event=event, full_name="Нурланова Сауле")
    ParticipantFactory(event=event, full_name="Ким Дмитрий", status=ParticipantStatus.DECLINED)

    page = client_for(methodist).get(_url("participants", event), {"status": "declined"}).content.decode()

    assert "Ким Дмитрий" in page
    assert "Нурланова Сауле" not in page


def test_an_htmx_filter_answers_only_the_rows(client_for, methodist, event):
    ParticipantFactory(event=event, full_name="Ким Дмитрий", status=ParticipantStatus.DECLINED)

    response = client_for(methodist).get(
        _url("participants", event),
        {"status": "declined"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="participant-rows",
    )

    assert "Ким Дмитрий" in response.content.decode()
    assert "<nav" not in response.content.decode()


def test_invite_by_unit_creates_one_participant_per_current_staff_member(
    client_for, methodist, event, staff, net
):
    client = client_for(methodist)

    response = client.post(_url("participant_invite_group", event), {"group-unit": net.beskaragay.pk})

    assert response.status_code == 302
    names = set(event.participants.values_list("full_name", flat=True))
    assert names == {"Ахметова Гульнар", "Иванова Ольга", "Сейтказы Айжан", "Петрова Нина"}
    assert set(event.participants.values_list("status", flat=True)) == {ParticipantStatus.INVITED}
    assert event.participants.get(full_name="Петрова Нина").unit == net.kanonerka
    # Everyone with an address gets a mail; the librarian without one does not.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "aizhan@example.kz",
        "gulnar@example.kz",
        "nina@example.kz",
    ]


def test_inviting_the_same_unit_again_makes_no_duplicates(client_for, methodist, event, staff, net):
    client = client_for(methodist)
    client.post(_url("participant_invite_group", event), {"group-unit": net.beskaragay.pk})
    mail.outbox.clear()

    client.post(_url("participant_invite_group", event), {"group-unit": net.beskaragay_lib.pk})

    assert event.participants.count() == 4
    assert mail.outbox == []


def test_it_invites_by_position_within_the_chosen_unit(client_for, methodist, event, staff, net):
    client_for(methodist).post(
        _url("participant_invite_group", event),
        {"group-unit": net.beskaragay.pk, "group-position": "заведующая библиотекой"},
    )

    assert set(event.participants.values_list("full_name", flat=True)) == {
        "Ахметова Гульнар",
        "Сейтказы Айжан",
    }


def test_it_invites_by_position_across_the_whole_scope(client_for, methodist, event, staff):
    client_for(methodist).post(
        _url("participant_invite_group", event), {"group-position": "заведующая библиотекой"}
    )

    assert event.participants.count() == 2


def test_it_refuses_to_invite_the_staff_of_a_unit_out_of_scope(client_for, methodist, event, staff, net):
    response = client_for(methodist).post(
        _url("participant_invite_group", event), {"group-unit": net.mukur.pk}
    )

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert event.participants.count() == 0


def test_it_asks_for_a_unit_or_a_position(client_for, methodist, event, staff):
    response = client_for(methodist).post(_url("participant_invite_group", event), {})

    assert response.status_code == 200
    assert 'class="alert alert-danger"' in response.content.decode()
    assert event.participants.count() == 0


def test_it_finds_staff_by_name_and_invites_the_ticked_ones(client_for, methodist, event, staff):
    client = client_for(methodist)

    found = client.get(_url("participants", event), {"q": "петрова"}).content.decode()
    assert "Петрова Нина" in found
    assert (
        "Мукурская Алия" not in client.get(_url("participants", event), {"q": "Мукурская"}).content.decode()
    )

    client.post(_url("participant_invite_pick", event), {"pick-staff": [staff["kanonerka"].pk]})

    assert list(event.participants.values_list("full_name", flat=True)) == ["Петрова Нина"]


def test_it_ignores_a_picked_staff_member_out_of_scope(client_for, methodist, event, staff):
    client_for(methodist).post(_url("participant_invite_pick", event), {"pick-staff": [staff["mukur"].pk]})

    assert event.participants.count() == 0


def test_colleagues_sharing_a_mailbox_are_both_invited(client_for, methodist, event, net):
    StaffMemberFactory(unit=net.kanonerka, full_name="Первая", email="library@example.kz")
    StaffMemberFactory(unit=net.kanonerka, full_name="Вторая", email="Library@example.kz")

    client_for(methodist).post(_url("participant_invite_group", event), {"group-unit": net.kanonerka.pk})

    assert event.participants.count() == 2


def test_it_invites_an_outside_person_and_mails_the_invitation(client_for, methodist, event):
    response = client_for(methodist).post(
        _url("participant_invite_outside", event),
        {
            "outside-full_name": "Мальцева Ольга",
            "outside-organisation": "Городской отдел культуры",
            "outside-email": "maltseva@example.kz",
            "outside-phone": "8 (701) 123-45-67",
        },
    )

    assert response.status_code == 302
    person = event.participants.get()
    assert person.organisation == "Городской отдел культуры"
    assert person.phone == "+77011234567"
    assert person.status == ParticipantStatus.INVITED
    assert mail.outbox[0].to == ["maltseva@example.kz"]
    assert "Школа сельского библиотекаря" in mail.outbox[0].subject


def test_it_refuses_a_second_outside_invitation_with_the_same_contact(client_for, methodist, event):
    ParticipantFactory(event=event, email="maltseva@example.kz")

    response = client_for(methodist).post(
        _url("participant_invite_outside", event),
        {"outside-full_name": "Мальцева Ольга", "outside-email": "MALTSEVA@example.kz"},
    )

    assert response.status_code == 200
    assert event.participants.count() == 1
    # The filled answers stay in the form.
    assert 'value="Мальцева Ольга"' in response.content.decode()


def _links(message):
    return re.findall(r"http://testserver(/\S+)", message.body)


def _accept_path(message):
    return next(link for link in _links(message) if link.endswith("/accept/"))


def _decline_path(message):
    return next(link for link in _links(message) if link.endswith("/decline/"))


def test_an_invitee_accepts_by_the_link_in_the_mail_without_logging_in(client_for, methodist, event, client):
    client_for(methodist).post(
        _url("participant_invite_outside", event),
        {"outside-full_name": "Гость", "outside-email": "guest@example.kz"},
    )
    client.logout()
    path = _accept_path(mail.outbox[0])

    shown = client.get(path)
    answered = client.post(path)

    assert shown.status_code == 200
    assert "Гость" in shown.content.decode()
    assert answered.status_code == 302
    assert event.participants.get().status == ParticipantStatus.ACCEPTED


def test_opening_the_link_alone_does_not_answer(client, event):
    # Mail scanners open links: only the button on the page answers.
    person = ParticipantFactory(event=event)

    client.get(reverse("events:invitation_decline", args=[person.token]))

    person.refresh_from_db()
    assert person.status == ParticipantStatus.INVITED


def test_an_invitee_declines_and_may_change_their_mind(client, event):
    person = ParticipantFactory(event=event)

    client.post(reverse("events:invitation_decline", args=[person.token]))
    person.refresh_from_db()
    assert person.status == ParticipantStatus.DECLINED

    client.post(reverse("events:invitation_accept", args=[person.token]))
    person.refresh_from_db()
    assert person.status == ParticipantStatus.ACCEPTED


def test_a_declined_invitation_frees_the_place_for_the_first_person_waiting(client, event):
    event.capacity = 1
    event.save()
    invitee = ParticipantFactory(event=event)
    waiting = ParticipantFactory(event=event, status=ParticipantStatus.WAITLISTED, email="wait@example.kz")

    client.post(reverse("events:invitation_decline", args=[invitee.token]))

    waiting.refresh_from_db()
    assert waiting.status == ParticipantStatus.REGISTERED
    assert mail.outbox[0].to == ["wait@example.kz"]


def test_an_invitation_cannot_be_answered_after_the_event_started(client, event):
    event.starts_at = timezone.now() - datetime.timedelta(hours=1)
    event.save()
    person = ParticipantFactory(event=event)

    response = client.post(reverse("events:invitation_accept", args=[person.token]))

    assert response.status_code == 200
    assert 'class="alert alert-warning"' in response.content.decode()
    person.refresh_from_db()
    assert person.status == ParticipantStatus.INVITED


def test_an_unknown_invitation_token_is_not_found(client, event):
    assert client.get(reverse("events:invitation_accept", args=["no-such-token"])).status_code == 404


def test_the_organiser_takes_a_person_off_the_list(client_for, methodist, event):
    person = ParticipantFactory(event=event)

    client_for(methodist).post(_url("participant_withdraw", event, person.pk))

    person.refresh_from_db()
    assert person.status == ParticipantStatus.CANCELLED


def test_a_librarian_sees_the_participants_of_an_event_in_her_library_but_cannot_change_them(
    client_for, librarian, net
):
    event = EventFactory(organiser_unit=net.region, venue_unit=net.mukur)
    ParticipantFactory(event=event, full_name="Нурланова Сауле", email="saule@example.kz")
    client = client_for(librarian)

    page = client.get(_url("participants", event)).content.decode()
    posted = client.post(_url("participant_invite_outside", event), {"outside-full_name": "Чужой"})

    assert "Нурланова Сауле" in page
    assert "saule@example.kz" not in page  # contacts are for the organisers
    assert _url("participant_invite_outside", event) not in page
    assert posted.status_code == 404
    assert event.participants.count() == 1


@pytest.mark.parametrize("who", ["librarian", "outsider", "volunteer"])
def test_the_participants_of_an_event_out_of_scope_are_not_found(client_for, event, who, request):
    user = request.getfixturevalue(who)

    assert client_for(user).get(_url("participants", event)).status_code == 404


def test_the_page_asks_an_anonymous_visitor_to_log_in(client, event):
    response = client.get(_url("participants", event))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_markup_in_names_is_shown_as_text_on_the_participants_page(client_for, methodist, event):
    ParticipantFactory(event=event, full_name="<script>alert(1)</script>", organisation="<b>ТОО</b>")

    page = client_for(methodist).get(_url("participants", event)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;ТОО&lt;/b&gt;" in page


def test_an_invitation_with_markup_in_the_name_is_mailed_as_plain_text(client_for, methodist, event):
    client_for(methodist).post(
        _url("participant_invite_outside", event),
        {"outside-full_name": "Ольга <b>М.</b>", "outside-email": "olga@example.kz"},
    )

    assert "Ольга <b>М.</b>" in mail.outbox[0].body  # plain text: nothing to escape, nothing executed
    assert Participant.objects.get().full_name == "Ольга <b>М.</b>"
