"""Writes the demo annual plans (see `plans_data.py`) for the year of the anchor (the current month).

A plan is looked up by its unit and year; its items are written only with a new plan, so the changes people
made since are never overwritten and a rerun adds nothing. An approved plan was approved in January or
February of its year. Units the demo network lacks are skipped; a form of work missing from the catalogue
leaves the item without a form.
"""

from collections import Counter
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.utils import timezone

from metodist.assistance.models import Direction, Plan, PlanItem, PlanStatus
from metodist.demo import plans_data as data
from metodist.demo.events_load import anchor_month
from metodist.events.models import FormOfWork
from metodist.network.models import OrgUnit

AUTHOR_USERNAME = "methodist"
APPROVED_ON = {"VKOUB-MO": (1, 20), "BSK-CRB": (2, 5)}  # (month, day) in the plan's year


def _approved_at(spec: data.PlanSpec, year: int) -> datetime | None:
    if not spec.approved:
        return None
    month, day = APPROVED_ON.get(spec.unit, (1, 31))
    return datetime.combine(date(year, month, day), time(10, 0), tzinfo=timezone.get_default_timezone())


def _item(plan: Plan, item: data.Item, order: int, refs: dict) -> PlanItem:
    row = PlanItem(
        plan=plan,
        kind=item.kind,
        direction=refs["directions"].get(item.direction),
        form_of_work=refs["forms"].get(item.form),
        title=item.title,
        month=item.month,
        quarter=item.quarter or ((item.month - 1) // 3 + 1 if item.month else None),
        target=item.target,
        responsible=item.responsible,
        order=order,
    )
    row.full_clean(exclude=["plan"])
    return row


def load_plans(*, today: date | None = None) -> Counter:
    """Add the missing demo plans of the anchor's year; answers how many plans and items were created."""
    created: Counter = Counter()
    year = anchor_month(today).year
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[spec.unit for spec in data.PLANS])}
    refs = {
        "directions": {d.code: d for d in Direction.objects.all()},
        "forms": {
            f.code: f
            for f in FormOfWork.objects.filter(
                code__in={i.form for s in data.PLANS for i in s.items if i.form}
            )
        },
    }
    author = get_user_model().objects.filter(username=AUTHOR_USERNAME).first()
    have = set(Plan.objects.filter(unit__in=units.values(), year=year).values_list("unit__code", flat=True))
    for spec in data.PLANS:
        unit = units.get(spec.unit)
        if unit is None or spec.unit in have:
            continue
        approved_at = _approved_at(spec, year)
        plan = Plan.objects.create(
            unit=unit,
            year=year,
            status=PlanStatus.APPROVED if approved_at else PlanStatus.DRAFT,
            approved_at=approved_at,
            note=spec.note,
            created_by=author,
        )
        # Ordered by tens, so a methodologist can slot an item in between.
        items = [_item(plan, item, (index + 1) * 10, refs) for index, item in enumerate(spec.items)]
        PlanItem.objects.bulk_create(items)
        created["plans"] += 1
        created["plan_items"] += len(items)
    return created
