"""Who reads the personal data of home readers: the library's own staff and the reader's volunteer; a
volunteer never reads another volunteer's readers (pages and API); a district methodologist and the region's
marketer see initials and figures; every look at a reader's card is written down."""

import datetime

from django.urls import reverse
from django.utils.html import escape

from metodist.accounts.models import RoleKind
from metodist.core.testing.factories import RoleFactory, UserFactory
from metodist.outreach.models import ReaderViewLog
from metodist.outreach.tests.conftest import api_client, deliver

READERS = "/api/v1/outreach/readers"


def test_a_volunteer_cannot_open_the_card_of_another_volunteers_reader(kn, volunteer, client_for):
    client = client_for(volunteer)
    assert client.get(reverse("outreach:reader_detail", args=[kn.zaure.pk])).status_code == 200
    assert client.get(reverse("outreach:reader_detail", args=[kn.sholpan.pk])).status_code == 404
    assert client.get(reverse("outreach:reader_edit", args=[kn.sholpan.pk])).status_code == 404
    assert not ReaderViewLog.objects.filter(reader=kn.sholpan).exists()


def test_a_volunteers_reader_list_holds_only_her_own_readers(kn, other_volunteer, client_for):
    page = client_for(other_volunteer).get(reverse("outreach:reader_list")).content.decode()
    assert "Жакупова Шолпан Ергалиевна" in page
    assert "Бекмуратова" not in page and "ул. Абая, 14" not in page
    assert "Литвиненко" not in page


def test_a_volunteer_cannot_read_another_volunteers_reader_through_the_api(kn, volunteer):
    client = api_client(volunteer)
    listed = client.get(READERS).json()
    assert [r["name"] for r in listed["items"]] == ["Бекмуратова Зауре Кабдулловна"]
    assert client.get(f"{READERS}/{kn.sholpan.pk}").status_code == 404
    mine = client.get(f"{READERS}/{kn.zaure.pk}").json()
    assert mine["address"] == "с. Мукур, ул. Абая, 14"


def test_a_volunteer_does_not_see_another_volunteers_deliveries(kn, volunteer, client_for):
    theirs = deliver(kn.sholpan, datetime.date(2025, 3, 4), books=["Ұлпан"])
    mine = deliver(kn.zaure, datetime.date(2025, 3, 4), books=["Абай жолы"])
    client = client_for(volunteer)
    assert client.get(reverse("outreach:delivery_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("outreach:delivery_record", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("outreach:delivery_detail", args=[mine.pk])).status_code == 200
    listed = api_client(volunteer).get("/api/v1/outreach/deliveries").json()
    assert [d["id"] for d in listed["items"]] == [mine.pk]


def test_the_librarian_of_the_library_reads_the_card_with_address_and_phone(kn, librarian, client_for):
    page = client_for(librarian).get(reverse("outreach:reader_detail", args=[kn.sholpan.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "с. Мукур, ул. Шакарима, 9" in text and "+7 777 655 31 80" in text


def test_a_district_methodologist_sees_initials_but_no_phone_or_address(kn, methodist, client_for):
    client = client_for(methodist)
    page = client.get(reverse("outreach:reader_list")).content.decode()
    assert "Л. В. П." in page
    assert "Литвиненко" not in page
    assert "Школьная" not in page and "118 40 92" not in page
    assert "Бекмуратова" not in page and "Б. З. К." not in page  # Mukur is outside her district
    assert client.get(reverse("outreach:reader_detail", args=[kn.kanonerka.pk])).status_code == 404
    answer = api_client(methodist).get(READERS).json()
    assert answer["items"][0]["name"] == "Л. В. П."
    assert answer["items"][0]["address"] is None and answer["items"][0]["phone"] is None
    assert api_client(methodist).get(f"{READERS}/{kn.kanonerka.pk}").status_code == 404


def test_a_methodologist_on_the_library_itself_is_its_staff(kn, client_for):
    user = UserFactory(username="kanonerka-staff")
    RoleFactory(user=user, unit=kn.kanonerka.library, kind=RoleKind.METHODOLOGIST)
    page = client_for(user).get(reverse("outreach:reader_detail", args=[kn.kanonerka.pk]))
    assert "+7 705 118 40 92" in page.content.decode()


def test_staff_of_the_online_centre_under_the_library_are_its_staff_too(kn, net, client_for):
    user = UserFactory(username="mukur-oc")
    RoleFactory(user=user, unit=net.mukur_oc, kind=RoleKind.LIBRARIAN)
    assert client_for(user).get(reverse("outreach:reader_detail", args=[kn.zaure.pk])).status_code == 200


def test_the_regions_marketer_sees_deliveries_without_names(kn, marketer, client_for):
    deliver(kn.zaure, datetime.date(2025, 3, 4), books=["Абай жолы"])
    page = client_for(marketer).get(reverse("outreach:delivery_list")).content.decode()
    assert "Б. З. К." in page
    assert "Бекмуратова" not in page
    answer = api_client(marketer).get("/api/v1/outreach/deliveries").json()
    item = answer["items"][0]
    assert item["reader"] == {"id": kn.zaure.pk, "name": "Б. З. К.", "address": None}
    assert item["volunteer"]["name"] == "Ахметов Данияр Серикович"


def test_the_region_administrator_reads_the_cards(kn, admin_user, client_for):
    page = client_for(admin_user).get(reverse("outreach:reader_detail", args=[kn.kanonerka.pk]))
    assert "+7 705 118 40 92" in page.content.decode()


def test_an_outsider_sees_no_reader(kn, outsider, client_for):
    client = client_for(outsider)
    assert client.get(reverse("outreach:reader_list")).status_code == 403
    assert client.get(reverse("outreach:reader_detail", args=[kn.zaure.pk])).status_code == 404
    assert api_client(outsider).get(READERS).json() == {"items": [], "count": 0}


def test_every_view_of_a_card_is_logged_and_shown_to_the_librarian(kn, volunteer, librarian, client_for):
    client_for(volunteer).get(reverse("outreach:reader_detail", args=[kn.zaure.pk]))
    api_client(volunteer).get(f"{READERS}/{kn.zaure.pk}")
    log = list(ReaderViewLog.objects.filter(reader=kn.zaure).order_by("id").values_list("user", "channel"))
    assert log == [(volunteer.pk, "page"), (volunteer.pk, "api")]
    page = client_for(librarian).get(reverse("outreach:reader_detail", args=[kn.zaure.pk])).content.decode()
    assert ReaderViewLog.objects.filter(reader=kn.zaure).count() == 3
    assert 'id="view-log"' in page
    assert escape(volunteer.get_full_name()) in page


def test_the_volunteer_does_not_see_who_opened_the_card(kn, volunteer, client_for):
    page = client_for(volunteer).get(reverse("outreach:reader_detail", args=[kn.zaure.pk])).content.decode()
    assert 'id="view-log"' not in page


def test_a_superuser_reads_every_reader(kn, client_for):
    root = UserFactory(username="root", is_superuser=True)
    rows = client_for(root).get(reverse("outreach:reader_list")).context["page"].object_list
    assert sorted(r.full_name for r in rows) == [
        "Бекмуратова Зауре Кабдулловна",
        "Жакупова Шолпан Ергалиевна",
        "Литвиненко Валентина Петровна",
    ]
    assert api_client(root).get(f"{READERS}/{kn.kanonerka.pk}").status_code == 200
