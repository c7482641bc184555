"""The Knigonosha piece of the home page: a volunteer's next deliveries, the library's deliveries of the next
two weeks for its staff, nothing for anybody else."""

import datetime

from django.urls import reverse
from django.utils import timezone

from metodist.outreach.models import DeliveryStatus
from metodist.outreach.tests.conftest import deliver


def _soon(kn):
    today = timezone.localdate()
    deliver(kn.zaure, today + datetime.timedelta(days=2), status=DeliveryStatus.PLANNED)
    deliver(kn.sholpan, today + datetime.timedelta(days=3), status=DeliveryStatus.PLANNED)
    deliver(kn.zaure, today - datetime.timedelta(days=12), books=["Абай жолы"])


def test_a_volunteer_sees_her_next_deliveries_with_addresses(kn, volunteer, client_for):
    _soon(kn)
    page = client_for(volunteer).get(reverse("outreach:home_piece")).content.decode()
    assert "Бекмуратова Зауре Кабдулловна" in page and "с. Мукур, ул. Абая, 14" in page
    assert "Жакупова" not in page


def test_the_librarian_sees_the_deliveries_of_her_library(kn, librarian, client_for):
    _soon(kn)
    page = client_for(librarian).get(reverse("outreach:home_piece")).content.decode()
    assert "Бекмуратова Зауре Кабдулловна" in page and "Жакупова Шолпан Ергалиевна" in page
    assert "Оспанова Гульмира Нурлановна" in page


def test_others_get_nothing(kn, methodist, marketer, outsider, client_for):
    _soon(kn)
    for user in (methodist, marketer, outsider):
        assert client_for(user).get(reverse("outreach:home_piece")).content == b""


def test_the_volunteers_page_lists_what_to_do_and_what_was_done(kn, volunteer, client_for):
    _soon(kn)
    answer = client_for(volunteer).get(reverse("outreach:my_deliveries"))
    assert [d.reader.full_name for d in answer.context["upcoming"]] == ["Бекмуратова Зауре Кабдулловна"]
    assert [d.status for d in answer.context["recent"]] == ["done"]
