"""The demo holds the current year's plans of the methodological department, the Beskaragay central district
library and the Mukur library, with some items done and some behind; a second run adds nothing."""

import time_machine
from django.urls import reverse

from metodist.assistance import plans
from metodist.assistance.models import Plan, PlanItem, PlanStatus
from metodist.demo.plans_load import load_plans

NOW = "2026-11-25 12:00 +06:00"
DEMO_NOW = NOW  # the shared `demo` fixture loads the demo on this day


def test_the_demo_plans_are_there_and_measured_against_the_demo_records(demo):
    by_unit = {plan.unit.code: plan for plan in Plan.objects.filter(year=2026).select_related("unit")}
    assert set(by_unit) == {"VKOUB-MO", "BSK-CRB", "MUK-LIB"}
    assert by_unit["VKOUB-MO"].status == PlanStatus.APPROVED
    assert by_unit["MUK-LIB"].status == PlanStatus.DRAFT
    department = by_unit["VKOUB-MO"]
    items = department.items.all()
    assert items.filter(kind="training", month__isnull=False).count() == 12
    assert sum(items.filter(kind="visit").values_list("target", flat=True)) == 12
    assert items.filter(kind="material").exclude(title="").count() >= 5
    with time_machine.travel(NOW, tick=False):
        fulfilment = plans.plan_fulfilment(department)
    statuses = {row.status for row in fulfilment.rows}
    assert {plans.DONE, plans.BEHIND} <= statuses
    trainings = [row for row in fulfilment.rows if row.item.kind == "training"]
    assert sum(row.status == plans.DONE for row in trainings) >= 8
    for code in ("BSK-CRB", "MUK-LIB"):
        with time_machine.travel(NOW, tick=False):
            rows = plans.plan_fulfilment(by_unit[code]).rows
        assert any(row.status == plans.DONE for row in rows), code


def test_loading_the_plans_again_adds_nothing(demo):
    before = sorted(PlanItem.objects.values_list("plan__unit__code", "kind", "title", "target"))
    with time_machine.travel(NOW, tick=False):
        assert load_plans() == {}
    assert sorted(PlanItem.objects.values_list("plan__unit__code", "kind", "title", "target")) == before


def test_the_demo_methodologist_opens_the_plan_and_the_region_roll_up(demo, client):
    client.login(username="methodist", password="metodist-demo")
    plan = Plan.objects.get(unit__code="VKOUB-MO", year=2026)
    with time_machine.travel(NOW, tick=False):
        assert client.get(reverse("assistance:plan_detail", args=[plan.pk])).status_code == 200
        rollup = client.get(reverse("assistance:plan_rollup"), {"year": 2026})
    assert rollup.status_code == 200
    html = rollup.content.decode()
    for unit_plan in Plan.objects.filter(year=2026):
        assert reverse("assistance:plan_detail", args=[unit_plan.pk]) in html
