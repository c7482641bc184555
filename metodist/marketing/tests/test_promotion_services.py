"""The catalogue of library services: who sees which card, the filters, bad input, and the usage read from a
reporting indicator against a sum worked out by hand."""

import datetime
from decimal import Decimal

import pytest

from metodist.marketing import promotion
from metodist.marketing.models.promotion import LibraryService, ServiceChannel, TargetGroup
from metodist.reporting.models import Report, ReportStatus, Value
from metodist.reporting.periods import Period
from metodist.reporting.testing import indicator, make_form

LIST = "/marketing/services/"


def make_service(
    user, unit, name, *, offered_by=(), paid=False, price=None, groups=(), channel="in_library", **extra
):
    return promotion.service_save(
        user=user,
        service=None,
        data={
            "unit": unit,
            "name_ru": name,
            "name_kk": "",
            "is_paid": paid,
            "price": price,
            "channel": channel,
            "target_groups": list(groups),
            "offered_by": list(offered_by),
            **extra,
        },
    )


@pytest.fixture
def services(net, marketer):
    copy = make_service(
        marketer,
        net.regional,
        "Ксерокопирование",
        offered_by=[net.regional, net.mukur],
        paid=True,
        price=Decimal("20"),
        groups=[TargetGroup.ADULTS, TargetGroup.YOUTH],
        price_note="за страницу",
    )
    delivery = make_service(
        marketer,
        net.regional,
        "Доставка книг на дом",
        offered_by=[net.beskaragay_lib],
        groups=[TargetGroup.SENIORS, TargetGroup.DISABLED],
        channel=ServiceChannel.OUTREACH,
    )
    lessons = make_service(
        marketer, net.regional, "Библиотечные уроки", offered_by=[net.regional], groups=[TargetGroup.CHILDREN]
    )
    return copy, delivery, lessons


def test_the_marketer_sees_every_service_in_the_catalogue(client_for, marketer, services):
    page = client_for(marketer).get(LIST).content.decode()
    for service in services:
        assert service.name_ru in page


def test_a_librarian_sees_only_the_services_her_library_offers(client_for, librarian, services):
    copy, delivery, _lessons = services
    client = client_for(librarian)
    page = client.get(LIST).content.decode()
    assert copy.name_ru in page
    assert delivery.name_ru not in page
    assert client.get(f"/marketing/services/{copy.pk}/").status_code == 200
    assert client.get(f"/marketing/services/{delivery.pk}/").status_code == 404


def test_a_librarian_cannot_create_or_edit_a_service(client_for, librarian, services):
    client = client_for(librarian)
    assert client.get("/marketing/services/new/").status_code == 403
    assert client.get(f"/marketing/services/{services[0].pk}/edit/").status_code == 404


def test_an_outsider_sees_no_catalogue(client_for, outsider, services):
    client = client_for(outsider)
    assert client.get(LIST).status_code == 403
    assert client.get(f"/marketing/services/{services[0].pk}/").status_code == 404


def test_the_filters_pick_free_paid_target_group_channel_and_library(marketer, net, services):
    copy, delivery, lessons = services
    visible = promotion.services_visible(marketer)
    assert set(promotion.filter_services(visible, paid="paid")) == {copy}
    assert set(promotion.filter_services(visible, paid="free")) == {delivery, lessons}
    assert set(promotion.filter_services(visible, target_group="seniors")) == {delivery}
    assert set(promotion.filter_services(visible, target_group="youth")) == {copy}
    assert set(promotion.filter_services(visible, channel="outreach")) == {delivery}
    assert set(promotion.filter_services(visible, unit=net.mukur)) == {copy}


def test_the_list_page_filters_by_target_group(client_for, marketer, services):
    page = client_for(marketer).get(LIST, {"target_group": "children"}).content.decode()
    assert "Библиотечные уроки" in page
    assert "Ксерокопирование" not in page


def test_a_paid_service_without_a_price_is_refused_and_the_form_keeps_what_was_typed(
    client_for, marketer, net
):
    response = client_for(marketer).post(
        "/marketing/services/new/",
        {
            "unit": net.regional.pk,
            "name_ru": "Сканирование документов",
            "is_paid": "on",
            "price": "",
            "channel": "in_library",
            "target_groups": ["adults"],
        },
    )
    assert response.status_code == 200
    assert "Сканирование документов" in response.content.decode()
    assert response.context["form"].errors["price"]
    assert not LibraryService.objects.filter(name_ru="Сканирование документов").exists()


def test_a_service_is_created_once_even_when_submitted_twice(client_for, marketer, net):
    client = client_for(marketer)
    data = {
        "unit": net.regional.pk,
        "name_ru": "Распечатка",
        "is_paid": "on",
        "price": "30",
        "channel": "in_library",
        "target_groups": ["adults"],
        "offered_by": [net.mukur.pk],
        "submit_key": "k" * 32,
    }
    first = client.post("/marketing/services/new/", data)
    second = client.post("/marketing/services/new/", data)
    assert first.status_code == 302 and second.status_code == 302
    service = LibraryService.objects.get(name_ru="Распечатка")
    assert service.price == Decimal("30")
    assert list(service.offered_by.all()) == [net.mukur]
    assert service.target_group_list == ["adults"]


def _value(form, unit, code, ind, number):
    period = Period.parse(code)
    report = Report.objects.create(
        form=form,
        form_version=form.current_version(),
        unit=unit,
        period_type=period.type,
        period_start=period.start,
        period_end=period.end,
        ref_date=period.ref_date,
        due=period.deadline(form.deadline_days),
        status=ReportStatus.ACCEPTED,
    )
    Value.objects.create(
        report=report,
        indicator=ind,
        unit=unit,
        unit_path=unit.path,
        ref_date=period.ref_date,
        period_type=period.type,
        number=Decimal(number),
    )


def test_the_usage_of_a_service_sums_its_indicator_over_the_last_twelve_months_per_library(marketer, net):
    egov = indicator("oc_egov_services", "Консультации по электронным госуслугам")
    form = make_form("oc_monthly_test", "Отчёт", "month", [("Услуги", [egov])])
    service = make_service(
        marketer,
        net.regional,
        "Консультации по электронным госуслугам",
        offered_by=[net.mukur, net.beskaragay_lib],
        indicator=egov,
    )
    # Today is 15 June 2026: the window is June 2025 – May 2026.
    _value(form, net.mukur_oc, "2025-06", egov, 7)  # inside, counted for Mukur (its online centre)
    _value(form, net.mukur, "2026-05", egov, 5)  # inside
    _value(form, net.mukur, "2025-05", egov, 100)  # before the window
    _value(form, net.mukur, "2026-06", egov, 100)  # the current month is not whole yet
    _value(form, net.beskaragay_lib, "2026-01", egov, 11)
    _value(form, net.kainar, "2026-01", egov, 1000)  # Kainar does not offer the service
    usage = promotion.service_usage(marketer, service, today=datetime.date(2026, 6, 15))
    assert usage.first == datetime.date(2025, 6, 1) and usage.last == datetime.date(2026, 5, 31)
    by_unit = {row.unit: row.value for row in usage.rows}
    assert by_unit == {net.mukur: Decimal(12), net.beskaragay_lib: Decimal(11)}
    assert usage.total == Decimal(23)


def test_the_usage_shown_to_a_librarian_covers_only_her_library(librarian, marketer, net):
    egov = indicator("oc_egov_services", "Консультации по электронным госуслугам")
    form = make_form("oc_monthly_test", "Отчёт", "month", [("Услуги", [egov])])
    service = make_service(
        marketer, net.regional, "Госуслуги", offered_by=[net.mukur, net.beskaragay_lib], indicator=egov
    )
    _value(form, net.mukur, "2026-05", egov, 5)
    _value(form, net.beskaragay_lib, "2026-05", egov, 11)
    usage = promotion.service_usage(librarian, service, today=datetime.date(2026, 6, 15))
    assert [(row.unit, row.value) for row in usage.rows] == [(net.mukur, Decimal(5))]
    assert usage.total == Decimal(5)
