"""`/api/v1/practices`: the bank of best practices, to list, to read with figures and adoptions, to propose.

Reads go through `metodist.assistance.practices` (a practice recommended for the network is read by everyone
with a part of the network, the others by whoever sees the library); writes only through its services
(403 without `manage_assistance` or `edit_card` on the library, 400 for refused data with the field named).
A unit the caller cannot see, as `unit` or `under` (filters or body), is 404 with that field named. The
adoptions of a practice are listed for the libraries the caller sees (all of them to whoever sees the
practice's library); `adoption_count` counts them all.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from metodist.api.errors import ApiError
from metodist.api.pagination import Pagination
from metodist.api.schemas import InputSchema, error_responses
from metodist.assistance import practices
from metodist.assistance.api_visits import UnitRef
from metodist.assistance.models import Direction, Practice, PracticeStatus
from metodist.core import scope
from metodist.events.models import FormOfWork

router = Router(tags=["practices"])


def _choices(values: list[str]) -> dict[str, Any]:
    return {"json_schema_extra": {"enum": values}}


# --- schemas --------------------------------------------------------------------------------------------


def _unit_ref(unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


class PracticeFigureOut(Schema):
    label: str
    before: float | None
    after: float
    measure: str
    change_percent: float | None = Field(
        ..., description="(after − before) / before × 100; null without a base."
    )

    @staticmethod
    def resolve_before(obj) -> float | None:
        return float(obj.before) if obj.before is not None else None

    @staticmethod
    def resolve_after(obj) -> float:
        return float(obj.after)

    @staticmethod
    def resolve_change_percent(obj) -> float | None:
        change = practices.figure_change(obj)
        return float(change) if change is not None else None


class PracticeAdoptionOut(Schema):
    unit: UnitRef
    adopted_on: datetime.date
    result: str

    @staticmethod
    def resolve_unit(obj) -> dict:
        return _unit_ref(obj.unit)


class PracticeFileOut(Schema):
    caption: str
    url: str = Field(..., description="The download address (a session or bearer token is needed).")

    @staticmethod
    def resolve_caption(obj) -> str:
        return str(obj)

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("assistance:practice_file", args=[obj.practice_id, obj.pk])


class PracticeOut(Schema):
    id: int
    unit: UnitRef
    title: str
    problem: str
    actions: str = Field(..., description="What was done.")
    results: str
    period_start: datetime.date | None
    period_end: datetime.date | None
    evidence: str
    directions: list[str] = Field(..., description="Codes of the directions of work.")
    forms_of_work: list[str] = Field(..., description="Codes of the forms of work.")
    status: str = Field(..., **_choices(PracticeStatus.values))
    status_changed_at: datetime.datetime | None
    adoption_count: int = Field(..., description="How many libraries adopted the practice.")

    @staticmethod
    def resolve_unit(obj: Practice) -> dict:
        return _unit_ref(obj.unit)

    @staticmethod
    def resolve_directions(obj: Practice) -> list[str]:
        return [d.code for d in obj.directions.all()]

    @staticmethod
    def resolve_forms_of_work(obj: Practice) -> list[str]:
        return [f.code for f in obj.forms_of_work.all()]


class PracticeDetailOut(PracticeOut):
    figures: list[PracticeFigureOut]
    files: list[PracticeFileOut]
    adoptions: list[PracticeAdoptionOut] = Field(..., description="Adoptions by libraries the caller sees.")

    @staticmethod
    def resolve_figures(obj: Practice) -> list:
        return list(obj.figures.all())

    @staticmethod
    def resolve_files(obj: Practice) -> list:
        return list(obj.files.all())

    @staticmethod
    def resolve_adoptions(obj: Practice) -> list:
        return obj.shown_adoptions


class PracticeFigureIn(InputSchema):
    label: str
    before: Decimal | None = None
    after: Decimal
    measure: str = ""


class PracticeCreateIn(InputSchema):
    unit: int | None = Field(None, description="The library; the caller's own library when not sent.")
    title: str
    problem: str
    actions: str = Field(..., description="What was done.")
    results: str
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    evidence: str = ""
    directions: list[str] = Field(default_factory=list, description="Codes of the directions of work.")
    forms_of_work: list[str] = Field(default_factory=list, description="Codes of the forms of work.")
    figures: list[PracticeFigureIn] = Field(default_factory=list)


class PracticeFilters(Schema):
    status: PracticeStatus | None = None
    direction: str | None = Field(None, description="The code of a direction of work.")
    unit: int | None = Field(None, description="Practices of this library.")
    under: int | None = Field(None, description="Practices of this unit or a unit below it.")


# --- helpers --------------------------------------------------------------------------------------------


def _unit_or_404(user, pk: int, field: str):
    try:
        return scope.get_unit_or_404(user, pk)
    except Http404 as exc:
        raise ApiError(404, _("The unit was not found."), field=field) from exc


def _by_code(model, codes: list[str], field: str, message: str) -> list:
    found = {item.code: item for item in model.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError({field: message % {"code": missing[0]}})
    return [found[code] for code in dict.fromkeys(codes)]


def _listed(queryset):
    return practices.with_adoption_counts(queryset).prefetch_related("directions", "forms_of_work")


def _detail(user, pk: int) -> Practice:
    practice = _listed(practices.practices_visible(user).filter(pk=pk)).prefetch_related("figures", "files")
    try:
        found = practice.get()
    except Practice.DoesNotExist as exc:
        raise Http404 from exc
    found.shown_adoptions = list(practices.adoptions_shown(user, found))
    return found


# --- routes ---------------------------------------------------------------------------------------------


@router.get("", response={200: list[PracticeOut], **error_responses(404, 422)})
@paginate(Pagination)
def practice_list(request: HttpRequest, filters: Query[PracticeFilters]):
    """Practices the caller may read, oldest first."""
    user = request.user
    unit = _unit_or_404(user, filters.unit, "unit") if filters.unit is not None else None
    under = _unit_or_404(user, filters.under, "under") if filters.under is not None else None
    direction = None
    if filters.direction:
        direction = Direction.objects.filter(code=filters.direction).first()
        if direction is None:
            raise ApiError(404, _("The direction of work was not found."), field="direction")
    found = practices.filter_practices(
        practices.practices_visible(user),
        status=filters.status or "",
        direction=direction,
        unit=unit,
        under=under,
    )
    return _listed(found).order_by("created_at", "id")


@router.get("/{int:pk}", response={200: PracticeDetailOut, **error_responses(404)})
def practice_detail(request: HttpRequest, pk: int):
    """One practice with its figures, evidence files and adoptions."""
    return _detail(request.user, pk)


@router.post("", response={201: PracticeDetailOut, **error_responses(400, 403, 404, 422)})
def practice_create(request: HttpRequest, payload: PracticeCreateIn):
    """Propose a practice of a library. Needs `manage_assistance` or `edit_card` on the library."""
    user = request.user
    data = payload.dict(exclude={"directions", "forms_of_work", "figures"})
    if data["unit"] is not None:
        data["unit"] = _unit_or_404(user, data["unit"], "unit")
    directions = _by_code(
        Direction,
        payload.directions,
        "directions",
        _("There is no direction of work with the code “%(code)s”."),
    )
    forms_of_work = _by_code(
        FormOfWork,
        payload.forms_of_work,
        "forms_of_work",
        _("There is no form of work with the code “%(code)s”."),
    )
    practice = practices.practice_create(
        user=user,
        data=data,
        directions=directions,
        forms_of_work=forms_of_work,
        figures=[f.dict() for f in payload.figures],
    )
    return Status(201, _detail(user, practice.pk))
