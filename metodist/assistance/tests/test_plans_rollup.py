"""The roll-up sums the plans of every unit under a district (or the region) against the fact of that part of
the network, per quarter and for the year, by direction of work and kind."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from metodist.assistance import plans
from metodist.assistance.models import Consultation, Direction, FieldVisit, Plan, PlanItem

TODAY = datetime.date(2026, 12, 31)


def consult(user, unit, day, directions=("reporting",)):
    consultation = Consultation.objects.create(
        consultant=user, consultant_unit=unit, to_unit=unit, topic="Годовой отчёт", date=day
    )
    consultation.directions.set(Direction.objects.filter(code__in=directions))


@pytest.fixture
def two_library_plans(net, methodist):
    reporting = Direction.objects.get(code="reporting")
    beskaragay_plan = Plan.objects.create(unit=net.beskaragay_lib, year=2026)
    kanonerka_plan = Plan.objects.create(unit=net.kanonerka, year=2026)
    mukur_plan = Plan.objects.create(unit=net.mukur, year=2026)  # Abay district: not summed for Beskaragay
    PlanItem.objects.create(
        plan=beskaragay_plan, kind="consultation", direction=reporting, quarter=1, target=5
    )
    PlanItem.objects.create(plan=beskaragay_plan, kind="visit", quarter=2, target=2)
    PlanItem.objects.create(plan=kanonerka_plan, kind="consultation", direction=reporting, month=2, target=7)
    PlanItem.objects.create(plan=kanonerka_plan, kind="consultation", direction=reporting, target=4)
    PlanItem.objects.create(plan=mukur_plan, kind="consultation", direction=reporting, quarter=1, target=100)
    PlanItem.objects.create(plan=Plan.objects.create(unit=net.kanonerka, year=2025), kind="visit", target=50)
    for unit, day in [
        (net.beskaragay_lib, datetime.date(2026, 1, 12)),
        (net.beskaragay_oc, datetime.date(2026, 2, 3)),
        (net.kanonerka, datetime.date(2026, 3, 30)),
        (net.beskaragay, datetime.date(2026, 3, 2)),  # the district itself is part of the subtree
        (net.kanonerka, datetime.date(2026, 5, 19)),
    ]:
        consult(methodist, unit, day)
    consult(methodist, net.kanonerka, datetime.date(2026, 2, 4), directions=("online_centres",))
    consult(methodist, net.mukur, datetime.date(2026, 2, 4))
    visit = FieldVisit.objects.create(
        start=datetime.date(2026, 4, 8),
        end=datetime.date(2026, 4, 8),
        organiser_unit=net.kanonerka,
        purpose="Взаимопосещение",
        status="done",
    )
    visit.destinations.set([net.beskaragay_lib])
    return beskaragay_plan, kanonerka_plan


def _row(rollup, kind, direction_code=None):
    (row,) = [
        r
        for r in rollup.rows
        if r.kind == kind and (r.direction.code if r.direction else None) == direction_code
    ]
    return row


def test_the_district_roll_up_sums_two_libraries_plans_and_the_districts_records(
    net, methodist, two_library_plans
):
    rollup = plans.plan_rollup(methodist, net.beskaragay, year=2026, today=TODAY)
    assert {p.unit for p in rollup.plans} == {net.beskaragay_lib, net.kanonerka}
    consultations = _row(rollup, "consultation", "reporting")
    q1, q2, _q3, _q4, year = consultations.cells
    assert (q1.target, q1.fact, q1.percent) == (12, 4, 33)
    assert q1.status == plans.BEHIND
    assert (q2.target, q2.fact) == (0, 1)
    assert (year.target, year.fact, year.percent) == (16, 5, 31)
    visits = _row(rollup, "visit")
    assert [(c.target, c.fact) for c in visits.cells] == [(0, 0), (2, 1), (0, 0), (0, 0), (2, 1)]
    assert len(rollup.rows) == 2
    assert {(row.kind_label, column) for row, column, _cell in rollup.behind} >= {
        (consultations.kind_label, rollup.column_labels()[0]),
        (visits.kind_label, rollup.column_labels()[1]),
    }


def test_the_region_roll_up_adds_the_other_district(net, admin_user, two_library_plans):
    rollup = plans.plan_rollup(admin_user, net.region, year=2026, today=TODAY)
    consultations = _row(rollup, "consultation", "reporting")
    assert (consultations.cells[0].target, consultations.cells[0].fact) == (112, 5)


def test_the_roll_up_page_and_its_exports_show_the_sums(net, methodist, client_for, two_library_plans):
    client = client_for(methodist)
    query = {"unit": net.beskaragay.pk, "year": 2026}
    page = client.get(reverse("assistance:plan_rollup"), query)
    assert page.status_code == 200
    html = page.content.decode()
    for plan in two_library_plans:
        assert reverse("assistance:plan_detail", args=[plan.pk]) in html
    mukur_plan = Plan.objects.get(unit=net.mukur, year=2026)
    assert reverse("assistance:plan_detail", args=[mukur_plan.pk]) not in html
    assert "31 %" in html

    workbook = client.get(reverse("assistance:plan_rollup_xlsx"), query)
    rows = list(load_workbook(io.BytesIO(workbook.content)).active.iter_rows(values_only=True))
    (consultations,) = [r for r in rows if r[0] == str(_row_label("consultation"))]
    assert consultations[1:4] == (12, 4, 33)
    assert consultations[13:16] == (16, 5, 31)

    document = Document(io.BytesIO(client.get(reverse("assistance:plan_rollup_docx"), query).content))
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    (consultations,) = [r for r in cells if r[0] == str(_row_label("consultation"))]
    assert consultations[1:4] == ["12", "4", "33 %"]


def _row_label(kind):
    from django.utils import translation

    from metodist.assistance.models import PlanItemKind

    with translation.override("ru"):
        return str(PlanItemKind(kind).label)


def test_a_unit_out_of_scope_gives_no_roll_up(net, librarian, client_for, two_library_plans):
    client = client_for(librarian)
    query = {"unit": net.beskaragay.pk, "year": 2026}
    page = client.get(reverse("assistance:plan_rollup"), query)
    assert page.status_code == 200
    assert "Канонерская" not in page.content.decode()
    assert client.get(reverse("assistance:plan_rollup_xlsx"), query).status_code == 404
    assert client.get(reverse("assistance:plan_rollup_docx"), query).status_code == 404
    # Her own library is hers to roll up.
    own = client.get(reverse("assistance:plan_rollup"), {"unit": net.mukur.pk, "year": 2026})
    mukur_plan = Plan.objects.get(unit=net.mukur, year=2026)
    assert reverse("assistance:plan_detail", args=[mukur_plan.pk]) in own.content.decode()
    assert "100" in own.content.decode()
