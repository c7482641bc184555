"""Writes the demo consultations (see `assistance_data.py`): a year of the methodologist's help.

Each calendar month draws its consultations from its own generator (`random.Random("consultations:2025-03")`),
so a month's consultations are the same whatever day the demo is loaded, and a rerun adds nothing.
A consultation is looked up by its date, topic, the unit helped and the consultant's unit; only missing
ones are added. Units the demo network lacks are skipped.
"""

import random
from collections import Counter
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from metodist.assistance.models import Consultation, ConsultationKind, ConsultationMode, Direction
from metodist.demo import assistance_data as data
from metodist.demo.visits_load import load_visits
from metodist.network.models import OrgUnit, UnitKind


def _months(today: date) -> list[date]:
    first = today.replace(day=1)
    months = []
    for offset in range(data.HISTORY_MONTHS, 0, -1):
        index = first.year * 12 + first.month - 1 - offset
        months.append(date(index // 12, index % 12 + 1, 1))
    return months


def _month_plan(month: date, units: dict[str, OrgUnit]) -> list[dict]:
    rng = random.Random(f"consultations:{month:%Y-%m}")
    codes = [code for code, _weight in data.RECIPIENTS]
    weights = [weight for _code, weight in data.RECIPIENTS]
    topics = {topic.text: topic for topic in data.TOPICS}
    next_month = (month + timedelta(days=32)).replace(day=1)
    days = (next_month - month).days
    plan = []
    for _ in range(rng.randint(*data.PER_MONTH)):
        code = rng.choices(codes, weights)[0]
        day = month + timedelta(days=rng.randrange(days))
        unit = units.get(code)
        if unit is None:
            continue
        if unit.kind == UnitKind.COLLEGE_LIBRARY:
            topic = topics[rng.choice(data.COLLEGE_TOPICS)]
        elif unit.kind == UnitKind.ONLINE_CENTRE:
            topic = topics[rng.choice(data.ONLINE_CENTRE_TOPICS)]
        else:
            topic = rng.choice(data.TOPICS)
        # Most are phone calls; a visit to the village brings an on-site, often group, consultation.
        mode = rng.choices(
            [
                ConsultationMode.PHONE,
                ConsultationMode.ON_SITE,
                ConsultationMode.ONLINE,
                ConsultationMode.WRITTEN,
            ],
            [6, 2, 2, 1],
        )[0]
        group = mode == ConsultationMode.ON_SITE and rng.random() < 0.5
        plan.append(
            {
                "date": day,
                "to_unit": unit,
                "topic": topic.text,
                "direction": topic.direction,
                "result": topic.result,
                "mode": mode,
                "form": ConsultationKind.GROUP if group else ConsultationKind.INDIVIDUAL,
                "people_count": rng.randint(2, 6) if group else 1,
                "duration_minutes": rng.choice((10, 15, 20)) if mode == ConsultationMode.PHONE else 45,
            }
        )
    return plan


def load_assistance(*, today: date | None = None) -> Counter:
    """Add the missing demo consultations; answers how many were created."""
    created: Counter = Counter()
    consultant = get_user_model().objects.filter(username=data.CONSULTANT_USERNAME).first()
    own_unit = OrgUnit.objects.filter(code=data.CONSULTANT_UNIT).first()
    if consultant is None or own_unit is None:
        return created
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[c for c, _w in data.RECIPIENTS])}
    directions = {d.code: d for d in Direction.objects.all()}
    have = set(
        Consultation.objects.filter(consultant_unit=own_unit).values_list("date", "topic", "to_unit_id")
    )
    for month in _months(today or timezone.localdate()):
        for row in _month_plan(month, units):
            key = (row["date"], row["topic"], row["to_unit"].pk)
            if key in have:
                continue
            have.add(key)
            direction = directions.get(row.pop("direction"))
            consultation = Consultation.objects.create(
                consultant=consultant, consultant_unit=own_unit, created_by=consultant, **row
            )
            if direction is not None:
                consultation.directions.add(direction)
            created["consultations"] += 1
    created.update(load_visits(today=today))  # the department's field visits and recommendations
    return created
