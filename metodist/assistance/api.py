"""`/api/v1/consultations`: the consultations given by the methodologists, to list and to record.

Reads go through `metodist.assistance.selectors` (visible to whoever sees the consultant's unit or the unit
helped); writes only through `metodist.assistance.services` (403 without `manage_assistance` on the
consultant's unit, 400 for refused data with the field named). A unit the caller cannot see, as
`consultant_unit`, `to_unit` or the `under` filter, is 404 with that field named.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from metodist.api.errors import ApiError
from metodist.api.pagination import Pagination
from metodist.api.schemas import InputSchema, error_responses
from metodist.assistance import services
from metodist.assistance.models import Consultation, ConsultationKind, ConsultationMode, Direction
from metodist.assistance.selectors import consultations_visible, filter_consultations
from metodist.core import scope

router = Router(tags=["consultations"])


def _choices(choices: type) -> dict[str, Any]:
    # Documented in the schema but validated by the model, so the message is Django's translated one.
    return {"json_schema_extra": {"enum": list(choices.values)}}


class ConsultationOut(Schema):
    id: int
    date: datetime.date
    consultant: str = Field(..., description="The login of the consultant.")
    consultant_unit: int
    to_unit: int | None
    to_department: str
    to_people: str
    form: str = Field(..., **_choices(ConsultationKind))
    mode: str = Field(..., **_choices(ConsultationMode))
    directions: list[str] = Field(..., description="Codes of the directions of work.")
    topic: str
    people_count: int
    duration_minutes: int | None
    result: str

    @staticmethod
    def resolve_consultant(obj: Consultation) -> str:
        return obj.consultant.username

    @staticmethod
    def resolve_consultant_unit(obj: Consultation) -> int:
        return obj.consultant_unit_id

    @staticmethod
    def resolve_to_unit(obj: Consultation) -> int | None:
        return obj.to_unit_id

    @staticmethod
    def resolve_directions(obj: Consultation) -> list[str]:
        return [d.code for d in obj.directions.all()]


class ConsultationCreateIn(InputSchema):
    date: datetime.date | None = Field(None, description="Today when not sent.")
    consultant_unit: int | None = Field(None, description="The caller's own unit when not sent.")
    to_unit: int | None = None
    to_department: str = ""
    to_people: str = ""
    form: str = Field(ConsultationKind.INDIVIDUAL.value, **_choices(ConsultationKind))
    mode: str = Field(ConsultationMode.PHONE.value, **_choices(ConsultationMode))
    directions: list[str] = Field(default_factory=list, description="Codes of the directions of work.")
    topic: str
    people_count: int = 1
    duration_minutes: int | None = None
    result: str = ""


class ConsultationFilters(Schema):
    under: int | None = Field(None, description="Consultations given by or to this unit or a unit below it.")
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    mode: ConsultationMode | None = None
    direction: str | None = Field(None, description="The code of a direction of work.")


def _unit_or_404(user, pk: int, field: str):
    try:
        return scope.get_unit_or_404(user, pk)
    except Http404 as exc:
        raise ApiError(404, _("The unit was not found."), field=field) from exc


def _directions(codes: list[str]) -> list[Direction]:
    found = {d.code: d for d in Direction.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError(
            {
                "directions": _("There is no direction of work with the code “%(code)s”.")
                % {"code": missing[0]}
            }
        )
    return [found[code] for code in dict.fromkeys(codes)]


@router.get("", response={200: list[ConsultationOut], **error_responses(404, 422)})
@paginate(Pagination)
def consultation_list(request: HttpRequest, filters: Query[ConsultationFilters]):
    """Consultations the caller may see, by date."""
    under = _unit_or_404(request.user, filters.under, "under") if filters.under is not None else None
    direction = None
    if filters.direction:
        direction = Direction.objects.filter(code=filters.direction).first()
        if direction is None:
            raise ApiError(404, _("The direction of work was not found."), field="direction")
    consultations = filter_consultations(
        consultations_visible(request.user),
        under=under,
        date_from=filters.date_from,
        date_to=filters.date_to,
        mode=filters.mode or "",
        direction=direction,
    )
    return consultations.prefetch_related("directions").order_by("date", "id")


@router.post("", response={201: ConsultationOut, **error_responses(400, 403, 404, 422)})
def consultation_create(request: HttpRequest, payload: ConsultationCreateIn):
    """Record a consultation given by the caller. Needs `manage_assistance` on `consultant_unit`."""
    data = payload.dict(exclude={"directions"})
    if data["date"] is None:
        del data["date"]
    for field in ("consultant_unit", "to_unit"):
        if data[field] is not None:
            data[field] = _unit_or_404(request.user, data[field], field)
    consultation = services.consultation_create(
        user=request.user, data=data, directions=_directions(payload.directions)
    )
    saved = (
        Consultation.objects.select_related("consultant")
        .prefetch_related("directions")
        .get(pk=consultation.pk)
    )
    return Status(201, saved)
