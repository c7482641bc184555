"""The top services of a subtree: ranked by their usage over the last 12 whole months (the service's
reporting indicator), then by how many libraries of the subtree offer them; shown on the audience page."""

import datetime
from decimal import Decimal

import time_machine

from metodist.marketing import promotion
from metodist.marketing.tests.test_promotion_services import _value, make_service
from metodist.reporting.testing import indicator, make_form

TODAY = datetime.date(2026, 6, 15)  # the window is June 2025 – May 2026


def _services(net, marketer):
    egov = indicator("oc_egov_services", "Консультации по электронным госуслугам")
    prints = indicator("print_pages", "Распечатано страниц")
    form = make_form("svc_monthly_test", "Отчёт об услугах", "month", [("Услуги", [egov, prints])])
    make_service(marketer, net.regional, "Госуслуги в библиотеке", offered_by=[net.mukur], indicator=egov)
    make_service(marketer, net.regional, "Распечатка", offered_by=[net.mukur, net.kainar], indicator=prints)
    make_service(
        marketer, net.regional, "Громкие чтения", offered_by=[net.mukur, net.kainar, net.beskaragay_lib]
    )
    make_service(marketer, net.regional, "Буккроссинг", offered_by=[net.kainar])
    make_service(marketer, net.regional, "Библиотечные уроки", offered_by=[net.regional])
    make_service(marketer, net.regional, "Снято с обслуживания", offered_by=[net.mukur], is_active=False)
    _value(form, net.mukur, "2026-05", egov, 40)
    _value(form, net.mukur, "2025-12", egov, 25)  # 65 in the window
    _value(form, net.mukur, "2026-06", egov, 1000)  # the current month is not whole yet
    _value(form, net.mukur, "2026-03", prints, 30)
    _value(form, net.kainar, "2026-03", prints, 20)  # 50 in the window
    _value(form, net.kainar, "2025-05", prints, 900)  # before the window
    return egov, prints


def test_the_most_used_services_come_first_then_the_most_offered(net, marketer):
    _services(net, marketer)
    top = promotion.top_services(net.abay, limit=5, today=TODAY)
    assert [(t.name, t.usage, t.libraries) for t in top] == [
        ("Госуслуги в библиотеке", Decimal(65), 1),
        ("Распечатка", Decimal(50), 2),
        ("Громкие чтения", None, 2),  # Beskaragay is outside Abay district
        ("Буккроссинг", None, 1),
    ]
    assert [t.name for t in promotion.top_services(net.abay, limit=2, today=TODAY)] == [
        "Госуслуги в библиотеке",
        "Распечатка",
    ]
    whole = promotion.top_services(net.region, limit=5, today=TODAY)
    assert [t.name for t in whole][2:] == [
        "Громкие чтения",
        "Библиотечные уроки",
        "Буккроссинг",
    ]  # ties by name
    assert whole[2].libraries == 3
    assert promotion.top_services(net.beskaragay_oc, limit=5, today=TODAY) == []


def test_the_audience_page_lists_the_top_services(net, marketer, client_for):
    _services(net, marketer)
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        page = client_for(marketer).get("/marketing/audience/", {"unit": net.abay.pk})
    assert page.status_code == 200
    services = page.context["page"].services
    assert [s.name for s in services][:2] == ["Госуслуги в библиотеке", "Распечатка"]
    text = page.content.decode()
    assert 'id="services-title"' in text and "Громкие чтения" in text and "Снято с обслуживания" not in text
