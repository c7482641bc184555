"""The demo partners (`load_partners`) on the test network: partners of the regional library and of Mukur,
an agreement expiring within 30 days and an expired one, joint activities (one linked to the event held
that month), and nothing added by a second run. Units the network lacks are skipped."""

import datetime

import time_machine
from django.utils import timezone

from metodist.demo.partners_load import load_partners
from metodist.events.models import Event
from metodist.marketing import partners as svc
from metodist.marketing.models.partners import Agreement, JointActivity, Partner

TODAY = datetime.date(2025, 6, 17)


def test_the_demo_partners_load_once_with_an_expiring_and_an_expired_agreement(net, marketer):
    Event.objects.create(
        title="Вечер памяти: тарих өлкесі",
        starts_at=datetime.datetime(2024, 9, 18, 12, tzinfo=datetime.UTC),
        organiser_unit=net.regional,
    )
    with time_machine.travel(datetime.datetime(2025, 6, 17, 6, tzinfo=datetime.UTC)):
        created = load_partners()
        today = timezone.localdate()
        assert today == TODAY
        assert created["marketing partners"] == Partner.objects.count() >= 11
        assert set(Partner.objects.values_list("unit__code", flat=True)) == {"VKOUB", "MUK-LIB"}
        states = {a.number: a.state(today) for a in Agreement.objects.all()}
        assert states["7"] == "expiring"
        assert states["5-СМИ"] == "expired"
        assert len(states) >= 9
        assert JointActivity.objects.count() >= 17
        linked = JointActivity.objects.get(event__isnull=False)
        assert linked.partner.kind == "museum"
        assert [a.number for a in svc.expiring_agreements(marketer, today=today)] == ["7"]
        assert not load_partners()
    with time_machine.travel(datetime.datetime(2025, 6, 30, 6, tzinfo=datetime.UTC)):
        # On the last day of the anchor's month the agreement is still expiring (ends on 1 July).
        assert [a.number for a in svc.expiring_agreements(marketer, today=timezone.localdate())] == ["7"]
