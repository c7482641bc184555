"""Agreement expiry warning appears once: `metodist remind` mails about an agreement once per end date, and
the home card lists it while it is within 30 days of its end, only for those who keep partners."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from metodist.marketing import partners as svc

NOON = datetime.datetime(2025, 6, 10, 6, 0, tzinfo=datetime.UTC)  # 12:00 in Almaty


@pytest.fixture
def ends_july(net, marketer):
    """An agreement of the regional library with the medical university that ends on 1 July 2025."""
    partner = svc.partner_create(
        user=marketer,
        data={"unit": net.regional, "name": "Семейский медицинский университет", "kind": "university"},
    )
    return svc.agreement_create(
        user=marketer,
        data={
            "unit": net.regional,
            "partner": partner,
            "number": "44",
            "starts_on": datetime.date(2024, 7, 2),
            "ends_on": datetime.date(2025, 7, 1),
            "subject": "Информационное обслуживание студентов",
        },
    )


def test_agreement_expiry_warning_appears_once(ends_july, marketer, admin_user, mailoutbox):
    marketer.email, admin_user.email = "marketer@example.kz", "admin@example.kz"
    marketer.save()
    admin_user.save()
    with time_machine.travel(datetime.datetime(2025, 5, 30, 6, 0, tzinfo=datetime.UTC)):
        call_command("remind")  # 32 days before the end: not yet
    assert mailoutbox == []
    with time_machine.travel(NOON):
        call_command("remind")
        call_command("remind")
    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == ["admin@example.kz", "marketer@example.kz"]
    assert "Семейский медицинский университет" in mailoutbox[0].subject
    assert reverse("marketing:agreement_detail", args=[ends_july.pk]) in mailoutbox[0].body
    # Prolonged, then expiring again: a new end date is reminded of once more.
    svc.agreement_update(user=marketer, agreement=ends_july, data={"ends_on": datetime.date(2025, 7, 5)})
    with time_machine.travel(NOON):
        call_command("remind")
    assert len(mailoutbox) == 2


def test_the_home_card_lists_the_agreement_while_it_is_within_30_days(ends_july, marketer, client_for):
    client = client_for(marketer)
    with time_machine.travel(datetime.datetime(2025, 5, 30, 6, 0, tzinfo=datetime.UTC)):
        early = client.get(reverse("marketing:partner_home"))
    assert "№ 44" not in early.text and "No. 44" not in early.text
    assert "Семейский медицинский университет" not in early.text
    with time_machine.travel(NOON):
        card = client.get(reverse("marketing:partner_home"))
    assert "Семейский медицинский университет" in card.text
    assert "21" in card.text  # days left
    with time_machine.travel(datetime.datetime(2025, 7, 2, 6, 0, tzinfo=datetime.UTC)):
        late = client.get(reverse("marketing:partner_home"))
    assert "Семейский медицинский университет" not in late.text


def test_the_home_card_is_empty_for_those_who_keep_no_partners(ends_july, librarian, methodist, client_for):
    with time_machine.travel(NOON):
        assert client_for(librarian).get(reverse("marketing:partner_home")).content == b""
        assert client_for(methodist).get(reverse("marketing:partner_home")).content == b""


def test_the_home_page_loads_the_card_by_itself(marketer, client_for):
    html = render_to_string("marketing/_home_marketing.html", {})
    assert f'hx-get="{reverse("marketing:partner_home")}"' in html
    home = client_for(marketer).get("/")
    assert reverse("marketing:partner_home") in home.text
