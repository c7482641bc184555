"""Reads of consultations, always through the user's scope, and their figures (aggregated in SQL).

A consultation is visible to whoever sees its consultant's unit or the unit that was helped (a village
library sees the consultations given to it); it can be changed by whoever has `manage_assistance` on the
consultant's unit.
"""

import datetime

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr
from django.http import Http404

from metodist.assistance.models import Consultation, ConsultationKind, ConsultationMode, Direction
from metodist.core import scope
from metodist.network.models import OrgUnit, UnitKind

MANAGE = "manage_assistance"


def consultations_visible(user, capability: str = scope.VIEW) -> QuerySet:
    """Consultations the user may see (`view`) or change (`manage_assistance`)."""
    qs = Consultation.objects.select_related("consultant", "consultant_unit", "to_unit")
    if capability != scope.VIEW:
        return scope.records(user, qs, capability, unit_field="consultant_unit")
    allowed = scope.prefixes(user, scope.VIEW)
    if allowed is None:
        return qs
    if not allowed:
        return qs.none()
    condition = Q()
    for prefix in allowed:
        condition |= Q(consultant_unit__path__startswith=prefix) | Q(to_unit__path__startswith=prefix)
    return qs.filter(condition)


def get_consultation_or_404(user, pk, capability: str = scope.VIEW) -> Consultation:
    try:
        return consultations_visible(user, capability).get(pk=pk)
    except (Consultation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_manage(user, consultation: Consultation) -> bool:
    return scope.covers(user, consultation.consultant_unit, MANAGE)


def filter_consultations(
    consultations: QuerySet,
    *,
    under: OrgUnit | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    mode: str = "",
    form: str = "",
    direction: Direction | None = None,
    consultant=None,
) -> QuerySet:
    """Narrow consultations already limited to the user's scope: given by or to a unit under `under`."""
    if under is not None:
        consultations = consultations.filter(
            Q(consultant_unit__path__startswith=under.path) | Q(to_unit__path__startswith=under.path)
        )
    if date_from:
        consultations = consultations.filter(date__gte=date_from)
    if date_to:
        consultations = consultations.filter(date__lte=date_to)
    if mode:
        consultations = consultations.filter(mode=mode)
    if form:
        consultations = consultations.filter(form=form)
    if direction is not None:
        consultations = consultations.filter(directions=direction)
    if consultant is not None:
        consultations = consultations.filter(consultant=consultant)
    return consultations


# --- figures --------------------------------------------------------------------------------------------


def _by_choice(consultations: QuerySet, field: str, choices) -> list[dict]:
    rows = {
        row[field]: row
        for row in consultations.order_by().values(field).annotate(n=Count("id"), people=Sum("people_count"))
    }
    return [
        {"key": value, "label": label, "count": rows[value]["n"], "people": rows[value]["people"] or 0}
        for value, label in choices
        if value in rows
    ]


def _by_direction(consultations: QuerySet) -> list[dict]:
    ids = consultations.order_by().values("pk")
    rows = (
        Direction.objects.filter(consultations__in=ids)
        .annotate(n=Count("consultations"), people=Sum("consultations__people_count"))
        .order_by("order", "name_ru")
    )
    return [{"key": d.code, "label": d.name, "count": d.n, "people": d.people or 0} for d in rows]


def district_depth() -> int:
    """The tree depth of districts (and cities of the region), where the roll-up by district groups."""
    depth = OrgUnit.objects.filter(kind=UnitKind.DISTRICT).aggregate(depth=Min("depth"))["depth"]
    return depth or 2


def _by_district(consultations: QuerySet) -> list[dict]:
    """By the ancestor at the district level of the unit helped: one GROUP BY on the path prefix."""
    length = district_depth() * OrgUnit.steplen
    rows = list(
        consultations.filter(to_unit__isnull=False, to_unit__depth__gte=district_depth())
        .order_by()
        .annotate(prefix=Substr("to_unit__path", 1, length))
        .values("prefix")
        .annotate(n=Count("id"), people=Sum("people_count"))
        .order_by("prefix")
    )
    units = {u.path: u for u in OrgUnit.objects.filter(path__in=[r["prefix"] for r in rows])}
    return [
        {
            "key": row["prefix"],
            "label": units[row["prefix"]].name if row["prefix"] in units else row["prefix"],
            "count": row["n"],
            "people": row["people"] or 0,
        }
        for row in rows
    ]


def _by_consultant(consultations: QuerySet) -> list[dict]:
    rows = (
        consultations.order_by()
        .values("consultant", "consultant__last_name", "consultant__first_name", "consultant__username")
        .annotate(n=Count("id"), people=Sum("people_count"))
        .order_by("-n", "consultant__last_name")
    )
    return [
        {
            "key": row["consultant"],
            "label": " ".join(p for p in (row["consultant__last_name"], row["consultant__first_name"]) if p)
            or row["consultant__username"],
            "count": row["n"],
            "people": row["people"] or 0,
        }
        for row in rows
    ]


def consultation_figures(consultations: QuerySet) -> dict:
    """Counts and people reached, in total and by mode, form, direction, district and consultant."""
    totals = consultations.order_by().aggregate(
        count=Count("id"),
        people=Coalesce(Sum("people_count"), 0),
        minutes=Coalesce(Sum("duration_minutes"), 0),
    )
    return {
        "total": totals["count"],
        "people": totals["people"],
        "minutes": totals["minutes"],
        "by_mode": _by_choice(consultations, "mode", ConsultationMode.choices),
        "by_form": _by_choice(consultations, "form", ConsultationKind.choices),
        "by_direction": _by_direction(consultations),
        "by_district": _by_district(consultations),
        "by_consultant": _by_consultant(consultations),
    }
