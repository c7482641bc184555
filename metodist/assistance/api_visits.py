"""`/api/v1/visits` and `/api/v1/recommendations`: field visits with their findings, and the recommendations.

Reads go through `metodist.assistance.visits` and `metodist.assistance.recommendations` (a visit is visible
to whoever sees its organiser or one of its destinations; a recommendation to whoever sees the issuer or the
unit that must act); writes only through their services. A recommendation comes from a visit, from a
consultation or on its own. Its `status` is `overdue` on read when it is past due and not done: it is never
stored, so it cannot be set. PATCH checks the transitions: the unit that must act sets `in_progress` or
`done` with an `answer`; the issuer, after the answer, sets `done` (accepts) or `open` (reopens), with a
`follow_up` note. Evidence files are listed with the URL that serves them to both sides.
"""

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from metodist.api.errors import ApiError
from metodist.api.pagination import Pagination
from metodist.api.schemas import InputSchema, error_responses
from metodist.assistance import recommendations as recs
from metodist.assistance import visits
from metodist.assistance.models import (
    Consultation,
    Direction,
    FieldVisit,
    Recommendation,
    RecommendationStatus,
    VisitStatus,
)
from metodist.assistance.selectors import get_consultation_or_404
from metodist.core import scope

visits_router = Router(tags=["visits"])
recommendations_router = Router(tags=["recommendations"])

OVERDUE = "overdue"
STATUSES = [*RecommendationStatus.values, OVERDUE]


def _choices(values: list[str]) -> dict[str, Any]:
    return {"json_schema_extra": {"enum": values}}


# --- schemas --------------------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    code: str
    name: str


class FindingOut(Schema):
    direction: str = Field(..., description="The code of the direction of work.")
    unit: int | None
    text: str

    @staticmethod
    def resolve_direction(obj) -> str:
        return obj.direction.code

    @staticmethod
    def resolve_unit(obj) -> int | None:
        return obj.unit_id


class VisitOut(Schema):
    id: int
    start: datetime.date
    end: datetime.date
    organiser_unit: int
    destinations: list[UnitRef]
    purpose: str
    team: str
    transport: str
    status: str = Field(..., **_choices(VisitStatus.values))
    people_met: str
    findings: list[FindingOut]

    @staticmethod
    def resolve_organiser_unit(obj: FieldVisit) -> int:
        return obj.organiser_unit_id

    @staticmethod
    def resolve_destinations(obj: FieldVisit) -> list[dict]:
        return [{"id": u.pk, "code": u.code, "name": u.name} for u in obj.destinations.all()]

    @staticmethod
    def resolve_findings(obj: FieldVisit) -> list:
        return list(obj.findings.all())


class FindingIn(InputSchema):
    direction: str = Field(..., description="The code of the direction of work.")
    unit: int | None = None
    text: str


class RecommendationIn(InputSchema):
    text: str
    direction: str | None = Field(None, description="The code of the direction of work.")
    unit: int = Field(..., description="The unit that must act.")
    due: datetime.date


class VisitCreateIn(InputSchema):
    start: datetime.date
    end: datetime.date
    organiser_unit: int | None = Field(None, description="The caller's own unit when not sent.")
    destinations: list[int]
    purpose: str
    team: str = ""
    transport: str = ""
    status: str = Field(VisitStatus.PLANNED.value, **_choices(VisitStatus.values))
    people_met: str = ""
    findings: list[FindingIn] = Field(default_factory=list)
    recommendations: list[RecommendationIn] = Field(default_factory=list)


class VisitFilters(Schema):
    under: int | None = Field(None, description="Visits to this unit or a unit below it.")
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    status: VisitStatus | None = None


class EvidenceFileOut(Schema):
    id: int
    caption: str
    name: str
    url: str = Field(..., description="Served to whoever sees the recommendation (a logged-in session).")

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.file.name.rsplit("/", 1)[-1]

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("assistance:recommendation_file", args=[obj.recommendation_id, obj.pk])


class RecommendationOut(Schema):
    id: int
    visit: int | None
    consultation: int | None
    issuer_unit: int
    unit: int = Field(..., description="The unit that must act.")
    text: str
    direction: str | None
    due: datetime.date
    status: str = Field(..., **_choices(STATUSES))
    answer: str
    answered_at: datetime.datetime | None
    files: list[EvidenceFileOut]
    follow_up: str

    @staticmethod
    def resolve_visit(obj: Recommendation) -> int | None:
        return obj.visit_id

    @staticmethod
    def resolve_consultation(obj: Recommendation) -> int | None:
        return obj.consultation_id

    @staticmethod
    def resolve_files(obj: Recommendation) -> list:
        return list(obj.files.all())

    @staticmethod
    def resolve_issuer_unit(obj: Recommendation) -> int:
        return obj.issuer_unit_id

    @staticmethod
    def resolve_unit(obj: Recommendation) -> int:
        return obj.unit_id

    @staticmethod
    def resolve_direction(obj: Recommendation) -> str | None:
        return obj.direction.code if obj.direction_id else None

    @staticmethod
    def resolve_status(obj: Recommendation) -> str:
        return OVERDUE if obj.is_overdue else obj.status


class RecommendationCreateIn(RecommendationIn):
    visit: int | None = Field(None, description="The visit the recommendation comes from.")
    consultation: int | None = Field(None, description="The consultation it comes from (not with `visit`).")
    issuer_unit: int | None = Field(
        None,
        description="The issuing unit outside a visit; by default the consultation's or the caller's unit.",
    )


class RecommendationPatchIn(InputSchema):
    status: str = Field(..., **_choices(STATUSES))
    answer: str = ""
    follow_up: str = Field("", description="The issuer's note when accepting or reopening.")


class RecommendationFilters(Schema):
    status: Literal["open", "in_progress", "done", "overdue"] | None = None
    unit: int | None = Field(None, description="Recommendations this unit or a unit below it must act on.")
    visit: int | None = None
    consultation: int | None = None


# --- helpers --------------------------------------------------------------------------------------------


def _unit_or_404(user, pk: int, field: str):
    try:
        return scope.get_unit_or_404(user, pk)
    except Http404 as exc:
        raise ApiError(404, _("The unit was not found."), field=field) from exc


def _direction(code: str | None, field: str) -> Direction | None:
    if not code:
        return None
    direction = Direction.objects.filter(code=code).first()
    if direction is None:
        raise ValidationError(
            {field: _("There is no direction of work with the code “%(code)s”.") % {"code": code}}
        )
    return direction


def _recommendation_data(user, item: RecommendationIn) -> dict:
    return {
        "text": item.text,
        "direction": _direction(item.direction, "direction"),
        "unit": _unit_or_404(user, item.unit, "unit"),
        "due": item.due,
    }


def _visit_out(pk: int) -> FieldVisit:
    return (
        FieldVisit.objects.prefetch_related("destinations", "findings__direction")
        .select_related("organiser_unit")
        .get(pk=pk)
    )


# --- visits ---------------------------------------------------------------------------------------------


@visits_router.get("", response={200: list[VisitOut], **error_responses(404, 422)})
@paginate(Pagination)
def visit_list(request: HttpRequest, filters: Query[VisitFilters]):
    """Visits the caller may see, by start date."""
    under = _unit_or_404(request.user, filters.under, "under") if filters.under is not None else None
    found = visits.filter_visits(
        visits.visits_visible(request.user),
        date_from=filters.date_from,
        date_to=filters.date_to,
        unit=under,
        status=filters.status or "",
    )
    return found.prefetch_related("destinations", "findings__direction").order_by("start", "id")


@visits_router.post("", response={201: VisitOut, **error_responses(400, 403, 404, 422)})
def visit_create(request: HttpRequest, payload: VisitCreateIn):
    """Record a visit organised by the caller's unit. Needs `manage_assistance` on `organiser_unit`."""
    user = request.user
    data = payload.dict(exclude={"destinations", "findings", "recommendations"})
    if data["organiser_unit"] is not None:
        data["organiser_unit"] = _unit_or_404(user, data["organiser_unit"], "organiser_unit")
    destinations = [_unit_or_404(user, pk, "destinations") for pk in payload.destinations]
    findings = [
        {
            "direction": _direction(f.direction, "findings"),
            "unit": _unit_or_404(user, f.unit, "findings") if f.unit is not None else None,
            "text": f.text,
        }
        for f in payload.findings
    ]
    visit = visits.visit_create(
        user=user,
        data=data,
        destinations=destinations,
        findings=findings,
        recommendations=[_recommendation_data(user, r) for r in payload.recommendations],
    )
    return Status(201, _visit_out(visit.pk))


# --- recommendations ------------------------------------------------------------------------------------


def _filter_status(found: QuerySet, status: str) -> QuerySet:
    today = timezone.localdate()
    if status == OVERDUE:
        return recs.overdue(found, today=today)
    if status == RecommendationStatus.DONE:
        return found.filter(status=status)
    # Open and in progress as read: those not overdue.
    return found.filter(status=status).filter(due__gte=today)


@recommendations_router.get("", response={200: list[RecommendationOut], **error_responses(404, 422)})
@paginate(Pagination)
def recommendation_list(request: HttpRequest, filters: Query[RecommendationFilters]):
    """Recommendations the caller may see, by due date."""
    found = recs.recommendations_visible(request.user)
    if filters.unit is not None:
        unit = _unit_or_404(request.user, filters.unit, "unit")
        found = found.filter(Q(unit__path__startswith=unit.path))
    if filters.visit is not None:
        found = found.filter(visit_id=filters.visit)
    if filters.consultation is not None:
        found = found.filter(consultation_id=filters.consultation)
    if filters.status:
        found = _filter_status(found, filters.status)
    return found.prefetch_related("files").order_by("due", "id")


@recommendations_router.post("", response={201: RecommendationOut, **error_responses(400, 403, 404, 422)})
def recommendation_create(request: HttpRequest, payload: RecommendationCreateIn):
    """Issue a recommendation from a visit, from a consultation, or on its own (after a report check).

    Needs `manage_assistance` on the issuing unit (a visit's organiser unit).
    """
    user = request.user
    visit = consultation = issuer = None
    if payload.visit is not None:
        try:
            visit = visits.get_visit_or_404(user, payload.visit)
        except Http404 as exc:
            raise ApiError(404, _("The visit was not found."), field="visit") from exc
    if payload.consultation is not None:
        try:
            consultation: Consultation = get_consultation_or_404(user, payload.consultation)
        except Http404 as exc:
            raise ApiError(404, _("The consultation was not found."), field="consultation") from exc
    if payload.issuer_unit is not None:
        issuer = _unit_or_404(user, payload.issuer_unit, "issuer_unit")
    data = {**_recommendation_data(user, payload), "issuer_unit": issuer}
    created = recs.recommendation_create(user=user, data=data, visit=visit, consultation=consultation)
    return Status(201, recs.get_recommendation_or_404(user, created.pk))


@recommendations_router.patch(
    "/{int:pk}", response={200: RecommendationOut, **error_responses(400, 403, 404, 422)}
)
def recommendation_patch(request: HttpRequest, pk: int, payload: RecommendationPatchIn):
    """Answer (`in_progress`, `done` with `answer`: the unit that must act), or follow up (the issuer, after
    the answer: `done` accepts it, `open` reopens; `follow_up` is the note)."""
    user = request.user
    recommendation = recs.get_recommendation_or_404(user, pk)
    if payload.status == RecommendationStatus.OPEN:
        recs.recommendation_reopen(user=user, recommendation=recommendation, note=payload.follow_up)
    elif payload.status == OVERDUE:
        raise ValidationError({"status": _("“Overdue” follows from the due date; it cannot be set.")})
    elif (
        payload.status == RecommendationStatus.DONE
        and not payload.answer
        and not recs.can_answer(user, recommendation)
        and recs.can_follow_up(user, recommendation)
    ):
        recs.recommendation_accept(user=user, recommendation=recommendation, note=payload.follow_up)
    else:
        recs.recommendation_answer(
            user=user, recommendation=recommendation, answer=payload.answer, status=payload.status
        )
    return recs.get_recommendation_or_404(user, pk)
