"""The demo outreach on the test network: Knigonosha of the regional library and of Mukur with a year of
fortnightly deliveries, the demo volunteer seeing only her own readers, and a second run adding nothing."""

import datetime

from django.urls import reverse

from metodist.demo import outreach_data as data
from metodist.demo.outreach_load import load_outreach
from metodist.outreach import selectors
from metodist.outreach.models import Delivery, DeliveryStatus, HomeReader, Project

TODAY = datetime.date(2026, 3, 12)


def test_the_demo_outreach_is_plausible_private_and_loaded_once(
    net, admin_user, librarian, volunteer, client_for
):
    created = load_outreach(today=TODAY)
    assert created["outreach_projects"] == 2 and created["home_readers"] == len(data.READERS) == 12
    assert created["volunteers"] == 3 and created["delivery_rounds"] == 3
    assert load_outreach(today=TODAY) == {}

    knigonosha = Project.objects.get(name="Книгоноша")
    assert list(knigonosha.participants.values_list("code", flat=True)) == ["MUK-LIB"]
    assert knigonosha.files.count() == 1
    made = Delivery.objects.filter(status=DeliveryStatus.DONE)
    assert not made.filter(date__gte=TODAY).exists()
    assert Delivery.objects.filter(status=DeliveryStatus.PLANNED, date__lt=TODAY).count() == 0
    assert {d.weekday() for d in Delivery.objects.values_list("date", flat=True)} == {
        1,
        3,
    }  # Tuesday, Thursday
    year = selectors.knigonosha_figures(net.region, datetime.date(2025, 3, 12), TODAY)
    assert year["readers"] == 12 and 150 < year["deliveries"] < 312 and year["items"] > year["deliveries"]
    for reader in HomeReader.objects.all():
        assert reader.consent_given_on <= reader.served_since
        assert selectors.at_home(reader).count() <= 6

    mine = client_for(volunteer).get(reverse("outreach:reader_list")).context["page"].object_list
    assert {r.volunteer.user_id for r in mine} == {volunteer.pk}
    assert len(mine) == 4 and not any(r.concealed for r in mine)
