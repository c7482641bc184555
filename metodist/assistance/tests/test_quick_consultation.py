"""Quick entry: a phone call recorded in a few seconds, once even when "Save" is clicked twice."""

import datetime

import time_machine
from django.urls import reverse

from metodist.assistance.models import Consultation, Direction


def _post(client, unit, key="q" * 32, **extra):
    data = {
        "submit_key": key,
        "date": "2025-06-03",
        "mode": "phone",
        "to_unit": unit.pk,
        "direction": Direction.objects.get(code="online_centres").pk,
        "topic": "Работа онлайн-центра: учёт посетителей",
        "people_count": 1,
        **extra,
    }
    return client.post(reverse("assistance:quick_consultation"), data, HTTP_HX_REQUEST="true")


@time_machine.travel(datetime.datetime(2025, 6, 3, 9, 0, tzinfo=datetime.UTC))
def test_the_quick_form_starts_today_by_phone_with_one_person(methodist, client_for):
    page = client_for(methodist).get(reverse("assistance:quick_consultation"))
    assert page.status_code == 200
    assert 'value="2025-06-03"' in page.text
    assert '<option value="phone" selected>' in page.text
    assert 'name="people_count" value="1"' in page.text


def test_quick_entry_records_one_consultation_and_resets_with_saved(net, methodist, client_for):
    answer = _post(client_for(methodist), net.kanonerka)
    assert answer.status_code == 200
    assert "Сохранено" in answer.text or "Saved" in answer.text
    consultation = Consultation.objects.get()
    assert consultation.to_unit == net.kanonerka
    assert consultation.consultant == methodist
    assert consultation.consultant_unit == net.beskaragay
    assert [d.code for d in consultation.directions.all()] == ["online_centres"]
    assert 'name="topic"' in answer.text
    assert 'value="Работа онлайн-центра' not in answer.text


def test_a_double_submit_records_only_one(net, methodist, client_for):
    client = client_for(methodist)
    _post(client, net.kanonerka)
    second = _post(client, net.kanonerka)
    assert second.status_code == 200
    assert Consultation.objects.count() == 1
    _post(client, net.kanonerka, key="r" * 32)
    assert Consultation.objects.count() == 2


def test_quick_entry_shows_errors_and_saves_nothing_without_a_topic(net, methodist, client_for):
    answer = _post(client_for(methodist), net.kanonerka, topic="")
    assert answer.status_code == 200
    assert "text-danger" in answer.text
    assert not Consultation.objects.exists()


def test_quick_entry_refuses_a_unit_outside_scope(net, methodist, client_for):
    _post(client_for(methodist), net.mukur)
    assert not Consultation.objects.exists()


def test_quick_entry_is_empty_for_a_librarian_and_refuses_her_post(net, librarian, client_for):
    client = client_for(librarian)
    assert client.get(reverse("assistance:quick_consultation")).content == b""
    assert _post(client, net.mukur).status_code == 403
    assert not Consultation.objects.exists()


def test_the_unit_search_offers_only_units_in_scope(net, methodist, client_for):
    client = client_for(methodist)
    found = client.get(reverse("assistance:unit_options"), {"q": "Канонер"})
    assert f'value="{net.kanonerka.pk}"' in found.text
    hidden = client.get(reverse("assistance:unit_options"), {"q": "Мукур"})
    assert f'value="{net.mukur.pk}"' not in hidden.text
