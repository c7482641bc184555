"""A new plan (empty or a copy of last year's) and its items edited through the page's formset."""

import datetime

import pytest
from django.urls import reverse

from metodist.assistance.models import Direction, Plan, PlanItem, PlanStatus

KEY = "a" * 32


@pytest.fixture
def last_year(net):
    plan = Plan.objects.create(unit=net.beskaragay, year=2024, status=PlanStatus.APPROVED)
    reporting = Direction.objects.get(code="reporting")
    PlanItem.objects.create(
        plan=plan,
        kind="consultation",
        direction=reporting,
        quarter=1,
        target=12,
        title="Консультации по отчётности",
        responsible="Методист района",
        order=10,
    )
    PlanItem.objects.create(
        plan=plan,
        kind="material",
        title="Памятка к отчёту",
        month=2,
        quarter=1,
        due=datetime.date(2024, 2, 29),
    )
    return plan


def test_a_new_plan_copies_last_years_items_as_a_draft(net, methodist, client_for, last_year):
    client = client_for(methodist)
    answer = client.post(
        reverse("assistance:plan_create"),
        {"unit": net.beskaragay.pk, "year": 2025, "copy_previous": "on", "submit_key": KEY},
    )
    plan = Plan.objects.get(unit=net.beskaragay, year=2025)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("assistance:plan_edit", args=[plan.pk])
    assert plan.status == PlanStatus.DRAFT
    copied = {item.title: item for item in plan.items.all()}
    assert set(copied) == {"Консультации по отчётности", "Памятка к отчёту"}
    consultations = copied["Консультации по отчётности"]
    assert (consultations.kind, consultations.direction.code, consultations.quarter) == (
        "consultation",
        "reporting",
        1,
    )
    assert (consultations.target, consultations.responsible, consultations.order) == (
        12,
        "Методист района",
        10,
    )
    assert copied["Памятка к отчёту"].due == datetime.date(2025, 2, 28)
    assert last_year.items.count() == 2  # the old plan keeps its items


def test_a_double_submit_creates_one_plan_and_a_second_plan_for_the_year_is_refused(
    net, methodist, client_for, last_year
):
    client = client_for(methodist)
    data = {"unit": net.beskaragay.pk, "year": 2025, "submit_key": KEY}
    client.post(reverse("assistance:plan_create"), data)
    again = client.post(reverse("assistance:plan_create"), data)
    assert again.status_code == 302
    assert Plan.objects.filter(unit=net.beskaragay, year=2025).count() == 1
    refused = client.post(reverse("assistance:plan_create"), {**data, "submit_key": "b" * 32})
    assert refused.status_code == 200
    assert "already has a plan" in refused.content.decode() or "уже" in refused.content.decode()


def test_without_copying_the_plan_starts_empty(net, methodist, client_for, last_year):
    client_for(methodist).post(
        reverse("assistance:plan_create"), {"unit": net.beskaragay.pk, "year": 2025, "submit_key": KEY}
    )
    assert not Plan.objects.get(unit=net.beskaragay, year=2025).items.exists()


def _formset_data(plan, rows: list[dict], note: str = "") -> dict:
    """The edit form as a browser posts it: the existing items first, then the new rows."""
    existing = list(plan.items.order_by("direction__order", "order", "id"))
    data = {
        "note": note,
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": str(len(existing)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        prefix = f"items-{index}-"
        if index < len(existing):
            data[prefix + "id"] = str(existing[index].pk)
        data[prefix + "plan"] = str(plan.pk)
        for name, value in row.items():
            data[prefix + name] = "" if value is None else str(value)
    return data


def _row(item: PlanItem | None = None, **changes) -> dict:
    fields = (
        "order",
        "direction",
        "kind",
        "form_of_work",
        "title",
        "month",
        "quarter",
        "due",
        "target",
        "responsible",
    )
    row = dict.fromkeys(fields, "")
    if item is not None:
        row.update(
            order=item.order,
            direction=item.direction_id or "",
            kind=item.kind,
            form_of_work=item.form_of_work_id or "",
            title=item.title,
            month=item.month or "",
            quarter=item.quarter or "",
            due=item.due.isoformat() if item.due else "",
            target=item.target,
            responsible=item.responsible,
        )
    else:
        row.update(order=0, target=1)
    row.update(changes)
    return row


def test_the_edit_form_adds_changes_and_deletes_items(net, methodist, client_for):
    plan = Plan.objects.create(unit=net.beskaragay, year=2024)
    keep = PlanItem.objects.create(plan=plan, kind="visit", quarter=2, target=3, title="Выезды")
    drop = PlanItem.objects.create(
        plan=plan, kind="visit", quarter=3, target=1, title="Лишний выезд", order=1
    )
    children = Direction.objects.get(code="children")
    data = _formset_data(
        plan,
        [
            _row(keep, target=5),
            {**_row(drop), "DELETE": "on"},
            _row(kind="consultation", direction=children.pk, month=5, target=8, title="Летнее чтение"),
            _row(),  # an empty extra row is skipped
        ],
        note="Проект",
    )
    answer = client_for(methodist).post(reverse("assistance:plan_edit", args=[plan.pk]), data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    plan.refresh_from_db()
    assert plan.note == "Проект"
    items = {item.title: item for item in plan.items.all()}
    assert set(items) == {"Выезды", "Летнее чтение"}
    assert items["Выезды"].target == 5
    added = items["Летнее чтение"]
    assert (added.kind, added.direction, added.month, added.quarter) == ("consultation", children, 5, 2)


def test_the_edit_form_refuses_a_month_outside_its_quarter_and_a_date_of_another_year(
    net, methodist, client_for
):
    plan = Plan.objects.create(unit=net.beskaragay, year=2026)
    data = _formset_data(
        plan,
        [
            _row(kind="visit", month=5, quarter=3, title="Выезд"),
            _row(kind="visit", due="2027-01-15", title="Выезд в январе"),
        ],
    )
    answer = client_for(methodist).post(reverse("assistance:plan_edit", args=[plan.pk]), data)
    assert answer.status_code == 200
    assert not plan.items.exists()
    form = answer.context["formset"].forms
    assert "quarter" in form[0].errors
    assert "due" in form[1].errors


def test_a_form_of_work_belongs_only_to_events_and_trainings(net, methodist, client_for):
    from metodist.events.models import FormOfWork

    seminar, _created = FormOfWork.objects.get_or_create(code="seminar", defaults={"name_ru": "Семинар"})
    plan = Plan.objects.create(unit=net.beskaragay, year=2026)
    data = _formset_data(plan, [_row(kind="consultation", form_of_work=seminar.pk, title="Консультации")])
    answer = client_for(methodist).post(reverse("assistance:plan_edit", args=[plan.pk]), data)
    assert answer.status_code == 200
    assert "form_of_work" in answer.context["formset"].forms[0].errors
    data = _formset_data(plan, [_row(kind="training", form_of_work=seminar.pk, month=3, title="Семинар")])
    assert (
        client_for(methodist).post(reverse("assistance:plan_edit", args=[plan.pk]), data).status_code == 302
    )
    assert plan.items.get().form_of_work == seminar
