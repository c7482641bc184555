"""Recording home readers: no consent to the processing of personal data, no record; only the library's
own staff with `manage_outreach` record them; the volunteer must belong to the reader's library."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from metodist.outreach import services
from metodist.outreach.models import HomeReader, Volunteer

KEY = "r" * 32


def _form(net, **changes) -> dict:
    data = {
        "submit_key": KEY,
        "library": net.mukur.pk,
        "full_name": "Нуртазина Айман Сапаровна",
        "address": "с. Мукур, ул. Бейбітшілік, 5",
        "phone": "",
        "reason": "old_age",
        "reason_note": "88 лет, плохо видит",
        "interests": "поэзия, песни",
        "genres": "поэзия",
        "languages": ["kk"],
        "consent_given_on": "2025-02-03",
        "consent_note": "Согласие № 6/2025",
        "served_since": "2025-02-05",
    }
    data.update(changes)
    return data


def test_a_reader_without_the_date_of_consent_is_not_recorded(net, librarian, client_for):
    answer = client_for(librarian).post(reverse("outreach:reader_create"), _form(net, consent_given_on=""))
    assert answer.status_code == 200
    assert answer.context["form"].errors["consent_given_on"]
    assert not HomeReader.objects.exists()
    assert "ул. Бейбітшілік, 5" in answer.content.decode()  # what was typed is kept


def test_the_service_refuses_a_reader_without_consent_too(net, librarian):
    with pytest.raises(ValidationError) as refused:
        services.reader_create(
            user=librarian, data={"library": net.mukur, "full_name": "Нуртазина Айман", "address": "с. Мукур"}
        )
    assert "consent_given_on" in refused.value.message_dict
    assert not HomeReader.objects.exists()


def test_a_consent_dated_in_the_future_is_refused(net, librarian, client_for):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    answer = client_for(librarian).post(
        reverse("outreach:reader_create"), _form(net, consent_given_on=tomorrow)
    )
    assert answer.context["form"].errors["consent_given_on"]
    assert not HomeReader.objects.exists()


def test_the_librarian_records_a_reader_once_however_often_she_clicks(net, librarian, client_for):
    client = client_for(librarian)
    first = client.post(reverse("outreach:reader_create"), _form(net))
    second = client.post(reverse("outreach:reader_create"), _form(net))
    reader = HomeReader.objects.get()
    assert first["Location"] == second["Location"] == reverse("outreach:reader_detail", args=[reader.pk])
    assert reader.consent_given_on == datetime.date(2025, 2, 3)
    assert reader.languages == ["kk"] and reader.created_by == librarian


def test_a_marketer_of_the_region_cannot_record_readers(net, marketer, client_for):
    assert client_for(marketer).get(reverse("outreach:reader_create")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.reader_create(
            user=marketer,
            data={
                "library": net.mukur,
                "full_name": "Нуртазина Айман",
                "consent_given_on": datetime.date(2025, 2, 3),
            },
        )


def test_a_librarian_cannot_record_readers_of_another_library(net, librarian):
    with pytest.raises(PermissionDenied):
        services.reader_create(
            user=librarian,
            data={
                "library": net.kainar,
                "full_name": "Нуртазина Айман",
                "address": "с. Кайнар",
                "reason": "old_age",
                "consent_given_on": datetime.date(2025, 2, 3),
            },
        )


def test_the_volunteer_of_another_library_cannot_be_assigned(net, librarian, admin_user):
    stranger = Volunteer.objects.create(library=net.kainar, full_name="Сапаров Ерлан")
    with pytest.raises(ValidationError) as refused:
        services.reader_create(
            user=admin_user,
            data={
                "library": net.mukur,
                "full_name": "Нуртазина Айман",
                "address": "с. Мукур",
                "reason": "old_age",
                "consent_given_on": datetime.date(2025, 2, 3),
                "volunteer": stranger,
            },
        )
    assert "volunteer" in refused.value.message_dict


def test_the_librarian_edits_the_card_but_cannot_remove_the_consent(kn, librarian):
    with pytest.raises(ValidationError):
        services.reader_update(user=librarian, reader=kn.zaure, data={"consent_given_on": None})
    services.reader_update(user=librarian, reader=kn.zaure, data={"phone": "+7 722 525 00 00"})
    kn.zaure.refresh_from_db()
    assert kn.zaure.phone == "+7 722 525 00 00"


def test_a_volunteer_cannot_edit_the_card_of_her_reader(kn, volunteer, client_for):
    assert client_for(volunteer).get(reverse("outreach:reader_edit", args=[kn.zaure.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.reader_update(user=volunteer, reader=kn.zaure, data={"phone": ""})


def test_the_librarian_links_a_volunteer_login_only_once(kn, librarian, volunteer):
    with pytest.raises(ValidationError) as refused:
        services.volunteer_save(
            user=librarian,
            volunteer=None,
            data={
                "library": kn.zaure.library,
                "full_name": "Ахметов Д.",
                "user": volunteer,
                "is_active": True,
            },
        )
    assert "user" in refused.value.message_dict
