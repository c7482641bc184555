"""A small Knigonosha for the outreach tests: two volunteers of the Mukur library, each with a reader, and a
reader of the Beskaragay village library; deliveries made in 2025 with the books they brought."""

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client

from metodist.accounts.models import ApiToken, RoleKind
from metodist.core.testing.factories import RoleFactory, UserFactory
from metodist.outreach.models import Delivery, DeliveryItem, DeliveryStatus, HomeReader, Volunteer

CONSENT = datetime.date(2025, 1, 10)


def make_reader(library, full_name, *, volunteer=None, **fields) -> HomeReader:
    fields.setdefault("address", "с. Мукур, ул. Абая, 14")
    fields.setdefault("phone", "+7 722 525 14 36")
    fields.setdefault("reason", "old_age")
    fields.setdefault("consent_given_on", CONSENT)
    fields.setdefault("served_since", CONSENT)
    return HomeReader.objects.create(library=library, full_name=full_name, volunteer=volunteer, **fields)


def deliver(reader, day, *, volunteer=None, status=DeliveryStatus.DONE, books=(), returns=()) -> Delivery:
    """A delivery to `reader` on `day` bringing `books` (titles) and taking back the items `returns`."""
    delivery = Delivery.objects.create(
        reader=reader, volunteer=volunteer or reader.volunteer, date=day, status=status
    )
    for title in books:
        DeliveryItem.objects.create(brought_in=delivery, title=title, author="Мұхтар Әуезов")
    DeliveryItem.objects.filter(pk__in=[i.pk for i in returns]).update(returned_in=delivery)
    return delivery


def api_client(user) -> Client:
    _token, key = ApiToken.issue(user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def other_volunteer(net):
    """A second volunteer login of the Mukur library."""
    user = UserFactory(username="volunteer2", first_name="Гульмира", last_name="Оспанова")
    RoleFactory(user=user, unit=net.mukur, kind=RoleKind.VOLUNTEER)
    return user


@pytest.fixture
def kn(net, volunteer, other_volunteer):
    ahmetov = Volunteer.objects.create(
        library=net.mukur, user=volunteer, full_name="Ахметов Данияр Серикович"
    )
    ospanova = Volunteer.objects.create(
        library=net.mukur,
        user=other_volunteer,
        full_name="Оспанова Гульмира Нурлановна",
        phone="+7 705 631 22 47",
    )
    zaure = make_reader(net.mukur, "Бекмуратова Зауре Кабдулловна", volunteer=ahmetov)
    sholpan = make_reader(
        net.mukur,
        "Жакупова Шолпан Ергалиевна",
        volunteer=ospanova,
        address="с. Мукур, ул. Шакарима, 9",
        phone="+7 777 655 31 80",
    )
    kanonerka = make_reader(
        net.kanonerka,
        "Литвиненко Валентина Петровна",
        address="с. Канонерка, ул. Школьная, 3",
        phone="+7 705 118 40 92",
    )
    return SimpleNamespace(
        ahmetov=ahmetov, ospanova=ospanova, zaure=zaure, sholpan=sholpan, kanonerka=kanonerka
    )
