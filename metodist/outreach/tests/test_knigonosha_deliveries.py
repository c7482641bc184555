"""Deliveries: what a reader has at home now (brought minus returned, counted only for deliveries that took
place), the volunteer recording a delivery on the phone page, a double submit saving once, the XLSX export
read back and the API list naming each delivery's volunteer."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from metodist.outreach import selectors, services
from metodist.outreach.models import Delivery, DeliveryItem, DeliveryStatus
from metodist.outreach.tests.conftest import api_client, deliver

MARCH = datetime.date(2025, 3, 4)
KEY = "k" * 32


def _titles(items) -> list[str]:
    return sorted(item.title for item in items)


def test_at_home_now_is_what_was_brought_and_not_yet_returned(kn):
    first = deliver(kn.zaure, MARCH, books=["Абай жолы", "Көшпенділер", "Ұлпан"])
    brought = {i.title: i for i in first.items_brought.all()}
    deliver(kn.zaure, MARCH + datetime.timedelta(days=14), books=["Қара сөздер"], returns=[brought["Ұлпан"]])
    assert _titles(selectors.at_home(kn.zaure)) == ["Абай жолы", "Көшпенділер", "Қара сөздер"]


def test_a_delivery_that_did_not_take_place_changes_nothing_at_home(kn):
    first = deliver(kn.zaure, MARCH, books=["Абай жолы"])
    item = first.items_brought.get()
    deliver(kn.zaure, MARCH + datetime.timedelta(days=14), status=DeliveryStatus.CANCELLED, returns=[item])
    deliver(kn.zaure, MARCH + datetime.timedelta(days=28), status=DeliveryStatus.PLANNED, books=["Ұлпан"])
    assert _titles(selectors.at_home(kn.zaure)) == ["Абай жолы"]
    assert _titles(selectors.at_home(kn.sholpan)) == []


def test_the_reader_list_counts_what_is_at_home(kn, librarian, client_for):
    first = deliver(kn.zaure, MARCH, books=["Абай жолы", "Ұлпан"])
    deliver(kn.zaure, MARCH + datetime.timedelta(days=14), returns=list(first.items_brought.all()[:1]))
    row = selectors.with_delivery_counts(selectors.readers_visible(librarian)).get(pk=kn.zaure.pk)
    assert (row.deliveries_done, row.at_home, row.last_delivery) == (
        2,
        1,
        MARCH + datetime.timedelta(days=14),
    )


def test_the_volunteer_records_a_delivery_with_books_brought_and_taken_back(kn, volunteer, client_for):
    earlier = deliver(kn.zaure, MARCH, books=["Абай жолы", "Ұлпан"])
    abai = earlier.items_brought.get(title="Абай жолы")
    today = deliver(kn.zaure, MARCH + datetime.timedelta(days=14), status=DeliveryStatus.PLANNED)
    answer = client_for(volunteer).post(
        reverse("outreach:delivery_record", args=[today.pk]),
        {
            "submit_key": KEY,
            "status": "done",
            "returned": [str(abai.pk)],
            "notes": "Просит продолжение «Абай жолы».",
            "brought-TOTAL_FORMS": "2",
            "brought-INITIAL_FORMS": "0",
            "brought-0-title": "Абай жолы. 2-кітап",
            "brought-0-author": "Мұхтар Әуезов",
            "brought-1-title": "",
            "brought-1-author": "",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == reverse("outreach:my_deliveries")
    today.refresh_from_db()
    assert today.status == DeliveryStatus.DONE and today.recorded_by == volunteer
    assert _titles(today.items_brought.all()) == ["Абай жолы. 2-кітап"]
    assert _titles(today.items_returned.all()) == ["Абай жолы"]
    assert _titles(selectors.at_home(kn.zaure)) == ["Абай жолы. 2-кітап", "Ұлпан"]


def test_a_double_submit_of_the_record_adds_the_books_once(kn, volunteer, client_for):
    planned = deliver(kn.zaure, MARCH, status=DeliveryStatus.PLANNED)
    data = {
        "submit_key": KEY,
        "status": "done",
        "notes": "",
        "brought-TOTAL_FORMS": "1",
        "brought-INITIAL_FORMS": "0",
        "brought-0-title": "Қара сөздер",
        "brought-0-author": "Абай Құнанбайұлы",
    }
    client = client_for(volunteer)
    url = reverse("outreach:delivery_record", args=[planned.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert DeliveryItem.objects.filter(brought_in=planned).count() == 1


def test_a_delivery_is_not_recorded_as_made_before_its_day(kn, volunteer, client_for):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    planned = deliver(kn.zaure, tomorrow, status=DeliveryStatus.PLANNED)
    answer = client_for(volunteer).post(
        reverse("outreach:delivery_record", args=[planned.pk]),
        {
            "submit_key": KEY,
            "status": "done",
            "notes": "Принесла заранее",
            "brought-TOTAL_FORMS": "1",
            "brought-INITIAL_FORMS": "0",
            "brought-0-title": "Ұлпан",
            "brought-0-author": "",
        },
    )
    assert answer.status_code == 200
    assert answer.context["form"].errors["status"]
    planned.refresh_from_db()
    assert planned.status == DeliveryStatus.PLANNED
    assert not planned.items_brought.exists()
    assert 'value="Ұлпан"' in answer.content.decode()  # what was typed is kept


def test_a_book_not_at_home_cannot_be_taken_back(kn, volunteer):
    other = deliver(kn.sholpan, MARCH, books=["Ұлпан"])
    planned = deliver(kn.zaure, MARCH + datetime.timedelta(days=14), status=DeliveryStatus.PLANNED)
    with pytest.raises(ValidationError) as refused:
        services.delivery_record(
            user=volunteer, delivery=planned, status="done", notes="", returned=[other.items_brought.get().pk]
        )
    assert "returned" in refused.value.message_dict
    assert DeliveryItem.objects.get(brought_in=other).returned_in is None


def test_the_librarian_plans_a_delivery_and_a_double_submit_saves_it_once(kn, librarian, client_for):
    client = client_for(librarian)
    data = {
        "submit_key": KEY,
        "reader": kn.zaure.pk,
        "volunteer": "",
        "date": "2025-03-18",
        "status": "planned",
    }
    first = client.post(reverse("outreach:delivery_create"), data)
    second = client.post(reverse("outreach:delivery_create"), data)
    delivery = Delivery.objects.get(reader=kn.zaure)
    assert first["Location"] == second["Location"] == reverse("outreach:delivery_detail", args=[delivery.pk])
    assert delivery.volunteer == kn.ahmetov  # the reader's own volunteer


def test_a_second_delivery_on_the_same_day_is_refused_with_a_message(kn, librarian, client_for):
    deliver(kn.zaure, MARCH, status=DeliveryStatus.PLANNED)
    data = {"submit_key": "m" * 32, "reader": kn.zaure.pk, "date": MARCH.isoformat(), "status": "planned"}
    answer = client_for(librarian).post(reverse("outreach:delivery_create"), data)
    assert answer.status_code == 200
    assert answer.context["form"].errors["date"]
    assert Delivery.objects.filter(reader=kn.zaure).count() == 1


def test_a_volunteer_cannot_plan_deliveries(kn, volunteer, client_for):
    assert client_for(volunteer).get(reverse("outreach:delivery_create")).status_code == 403


def test_the_xlsx_export_conceals_what_the_viewer_may_not_read(kn, librarian, marketer, client_for):
    deliver(kn.zaure, MARCH, books=["Абай жолы", "Ұлпан"])
    mine = client_for(librarian).get(reverse("outreach:delivery_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(mine.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    with translation.override("ru"):
        assert rows[0][:4] == tuple(gettext(t) for t in ("Date", "Library", "Reader", "Address"))
        done = str(DeliveryStatus.DONE.label)
    assert rows[1][0].date() == MARCH
    assert rows[1][1] == "Мукурская сельская библиотека"
    assert rows[1][2:7] == (
        "Бекмуратова Зауре Кабдулловна",
        "с. Мукур, ул. Абая, 14",
        "Ахметов Данияр Серикович",
        done,
        2,
    )
    theirs = client_for(marketer).get(reverse("outreach:delivery_export"))
    rows = list(openpyxl.load_workbook(io.BytesIO(theirs.content)).active.iter_rows(values_only=True))
    assert rows[1][2] == "Б. З. К." and rows[1][3] in (None, "")


def test_the_api_lists_deliveries_each_naming_its_volunteer(kn, librarian):
    deliver(kn.zaure, MARCH, books=["Абай жолы"])
    deliver(kn.sholpan, MARCH + datetime.timedelta(days=1), books=["Ұлпан", "Ботагөз"])
    answer = api_client(librarian).get("/api/v1/outreach/deliveries").json()
    assert answer["count"] == 2
    first, second = answer["items"]
    assert first["date"] == "2025-03-05" and first["volunteer"]["name"] == "Оспанова Гульмира Нурлановна"
    assert first["reader"]["name"] == "Жакупова Шолпан Ергалиевна" and first["items_brought"] == 2
    assert second["volunteer"] == {"id": kn.ahmetov.pk, "name": "Ахметов Данияр Серикович"}
    assert second["library"]["code"] == "MUK-LIB"


def test_the_api_filters_deliveries_by_status_and_refuses_a_unit_out_of_scope(kn, librarian, net):
    deliver(kn.zaure, MARCH, books=["Абай жолы"])
    deliver(kn.zaure, MARCH + datetime.timedelta(days=14), status=DeliveryStatus.PLANNED)
    client = api_client(librarian)
    assert client.get("/api/v1/outreach/deliveries", {"status": "planned"}).json()["count"] == 1
    refused = client.get("/api/v1/outreach/deliveries", {"under": net.kainar.pk})
    assert refused.status_code == 404 and refused.json()["errors"][0]["field"] == "under"
