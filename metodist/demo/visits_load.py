"""Writes the demo field visits (see `visits_data.py`) with their findings and recommendations.

The anchor is the first day of the current month, as for the demo events: each trip of the data is placed
in the last occurrence of its calendar month before the anchor, so a rerun in the same month finds exactly
the same visits, and a run a month later adds only the trip whose month came round again. A visit is
looked up by its organiser, start and first destination; findings and recommendations are written only
with a new visit, so the answers given since are never overwritten. Units the demo network lacks are
skipped (a trip without its first destination is skipped whole).
"""

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from metodist.assistance.models import (
    Direction,
    FieldVisit,
    Recommendation,
    RecommendationStatus,
    VisitFinding,
    VisitStatus,
)
from metodist.demo import visits_data as data
from metodist.demo.events_load import anchor_month
from metodist.network.models import OrgUnit

# The demo librarian who answers for her library; other units' answers stay anonymous.
ANSWERERS = {"MUK-LIB": "mukur"}


def trip_start(trip: data.Trip, anchor: date) -> date:
    """The trip's day in the last occurrence of its month before the anchor month."""
    year = anchor.year if trip.month < anchor.month else anchor.year - 1
    return date(year, trip.month, trip.day)


def _local(day: date) -> datetime:
    return datetime.combine(day, time(11, 0), tzinfo=timezone.get_default_timezone())


def _answered_on(advice: data.Advice, end: date) -> date:
    # The library answers well before the due date when it did the work, halfway when still at it.
    return end + timedelta(days=max(1, advice.due_days // (2 if advice.outcome == data.IN_PROGRESS else 3)))


def _add_recommendations(visit: FieldVisit, trip: data.Trip, refs: dict) -> None:
    users = refs["users"]
    for advice in trip.advice:
        unit = refs["units"].get(advice.unit)
        if unit is None:
            continue
        answered = advice.outcome != data.OPEN
        Recommendation.objects.create(
            visit=visit,
            issuer_unit=visit.organiser_unit,
            issued_by=refs["author"],
            text=advice.text,
            direction=refs["directions"].get(advice.direction),
            unit=unit,
            due=visit.end + timedelta(days=advice.due_days),
            status=RecommendationStatus(advice.outcome),
            answer=advice.answer if answered else "",
            answered_at=_local(_answered_on(advice, visit.end)) if answered else None,
            answered_by=users.get(ANSWERERS.get(advice.unit)) if answered else None,
        )


def _create_visit(trip: data.Trip, start: date, refs: dict) -> FieldVisit:
    destinations = [refs["units"][code] for code in trip.destinations if code in refs["units"]]
    visit = FieldVisit.objects.create(
        start=start,
        end=start + timedelta(days=trip.days - 1),
        organiser_unit=refs["organiser"],
        purpose=trip.purpose,
        team=data.TEAM,
        transport=data.TRANSPORT,
        status=VisitStatus.DONE,
        people_met=trip.people_met,
        created_by=refs["author"],
    )
    visit.destinations.set(destinations)
    VisitFinding.objects.bulk_create(
        VisitFinding(
            visit=visit,
            direction=refs["directions"][f.direction],
            unit=refs["units"].get(f.unit),
            text=f.text,
        )
        for f in trip.findings
        if f.direction in refs["directions"]
    )
    _add_recommendations(visit, trip, refs)
    return visit


def load_visits(*, today: date | None = None) -> Counter:
    """Add the missing demo visits; answers how many visits and recommendations were created."""
    created: Counter = Counter()
    organiser = OrgUnit.objects.filter(code=data.ORGANISER_UNIT).first()
    if organiser is None:
        return created
    codes = {code for trip in data.TRIPS for code in trip.destinations}
    codes |= {advice.unit for trip in data.TRIPS for advice in trip.advice}
    refs = {
        "organiser": organiser,
        "author": get_user_model().objects.filter(username=data.AUTHOR_USERNAME).first(),
        "units": {u.code: u for u in OrgUnit.objects.filter(code__in=codes)},
        "directions": {d.code: d for d in Direction.objects.all()},
        "users": {u.username: u for u in get_user_model().objects.filter(username__in=ANSWERERS.values())},
    }
    anchor = anchor_month(today)
    for trip in data.TRIPS:
        first = refs["units"].get(trip.destinations[0])
        if first is None:
            continue
        start = trip_start(trip, anchor)
        if FieldVisit.objects.filter(organiser_unit=organiser, start=start, destinations=first).exists():
            continue
        visit = _create_visit(trip, start, refs)
        created["visits"] += 1
        created["recommendations"] += visit.recommendations.count()
    return created
