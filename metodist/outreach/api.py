"""`/api/v1/outreach/…`: outreach projects with their indicators, Knigonosha deliveries and home readers.

Reads go through `metodist.outreach.selectors`, as the pages do:

- `deliveries`: the deliveries of the libraries the caller sees, and a volunteer's own (a volunteer sees
  only hers); each names its `volunteer`. The reader is named in full, with the address and the notes, only
  to the library's own staff and the reader's volunteer; anybody else gets initials and nulls.
- `readers`: the same readers as the page list, concealed the same way; `readers/{id}` is the reader's
  card, 404 to whoever may not read it, and every answer is written to the reader's view log.
- `projects`: the projects of the libraries the caller sees or that they take part in.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from metodist.api.errors import ApiError
from metodist.api.pagination import Pagination
from metodist.api.schemas import error_responses
from metodist.assistance.api_visits import UnitRef
from metodist.core import scope
from metodist.outreach import selectors, services
from metodist.outreach.models import DeliveryStatus, ProjectKind, ProjectStatus, ReaderReason

router = Router(tags=["outreach"])


def _choices(values: list[str]) -> dict[str, Any]:
    return {"json_schema_extra": {"enum": values}}


def _unit_ref(unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


# --- schemas --------------------------------------------------------------------------------------------


class VolunteerRef(Schema):
    id: int
    name: str


class ReaderRef(Schema):
    id: int
    name: str = Field(
        ..., description="The full name, or initials to whoever may not read the reader's data."
    )
    address: str | None = Field(..., description="Null to whoever may not read the reader's data.")


def _reader_ref(reader) -> dict:
    concealed = getattr(reader, "concealed", True)
    return {"id": reader.pk, "name": reader.full_name, "address": None if concealed else reader.address}


def _volunteer_ref(volunteer) -> dict | None:
    return {"id": volunteer.pk, "name": volunteer.full_name} if volunteer is not None else None


class DeliveryOut(Schema):
    id: int
    date: datetime.date
    status: str = Field(..., **_choices(DeliveryStatus.values))
    library: UnitRef
    reader: ReaderRef
    volunteer: VolunteerRef | None = Field(..., description="Who carries (or carried) the books.")
    items_brought: int
    items_returned: int
    notes: str | None = Field(..., description="Null to whoever may not read the reader's data.")

    @staticmethod
    def resolve_library(obj) -> dict:
        return _unit_ref(obj.reader.library)

    @staticmethod
    def resolve_reader(obj) -> dict:
        return _reader_ref(obj.reader)

    @staticmethod
    def resolve_volunteer(obj) -> dict | None:
        return _volunteer_ref(obj.volunteer)

    @staticmethod
    def resolve_items_brought(obj) -> int:
        return obj.brought

    @staticmethod
    def resolve_items_returned(obj) -> int:
        return obj.returned

    @staticmethod
    def resolve_notes(obj) -> str | None:
        return None if obj.reader.concealed else obj.notes


class DeliveryFilters(Schema):
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    status: DeliveryStatus | None = None
    under: int | None = Field(None, description="Deliveries to readers of this unit or a unit below it.")
    mine: bool = Field(False, description="Only the deliveries the caller carries as a volunteer.")


class ReaderOut(Schema):
    id: int
    library: UnitRef
    name: str = Field(
        ..., description="The full name, or initials to whoever may not read the reader's data."
    )
    address: str | None
    phone: str | None
    volunteer: VolunteerRef | None
    served_since: datetime.date
    stopped_on: datetime.date | None

    @staticmethod
    def resolve_library(obj) -> dict:
        return _unit_ref(obj.library)

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.full_name

    @staticmethod
    def resolve_address(obj) -> str | None:
        return None if obj.concealed else obj.address

    @staticmethod
    def resolve_phone(obj) -> str | None:
        return None if obj.concealed else obj.phone

    @staticmethod
    def resolve_volunteer(obj) -> dict | None:
        return _volunteer_ref(obj.volunteer)


class AtHomeOut(Schema):
    title: str
    author: str
    brought_on: datetime.date

    @staticmethod
    def resolve_brought_on(obj) -> datetime.date:
        return obj.brought_in.date


class ReaderDetailOut(ReaderOut):
    reason: str = Field(..., **_choices(ReaderReason.values))
    reason_note: str
    interests: str
    genres: str
    languages: list[str]
    consent_given_on: datetime.date
    at_home: list[AtHomeOut] = Field(..., description="What the reader has at home now.")

    @staticmethod
    def resolve_at_home(obj) -> list:
        return list(selectors.at_home(obj))


class IndicatorOut(Schema):
    name: str
    measure: str
    target: float | None
    actual: float | None
    source: str = Field(..., description="`manual`, or what the actual is counted from.")

    @staticmethod
    def resolve_target(obj) -> float | None:
        return float(obj.target) if obj.target is not None else None

    @staticmethod
    def resolve_actual(obj) -> float | None:
        return float(obj.actual) if isinstance(obj.actual, Decimal | int) else None


class ProjectOut(Schema):
    id: int
    name: str
    kind: str = Field(..., **_choices(ProjectKind.values))
    status: str = Field(..., **_choices(ProjectStatus.values))
    unit: UnitRef = Field(..., description="The organising library.")
    goal: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    participants: list[UnitRef]
    partners: list[str]

    @staticmethod
    def resolve_unit(obj) -> dict:
        return _unit_ref(obj.unit)

    @staticmethod
    def resolve_participants(obj) -> list[dict]:
        return [_unit_ref(u) for u in obj.participants.all()]

    @staticmethod
    def resolve_partners(obj) -> list[str]:
        return [p.name for p in obj.partners.all()]


class ProjectDetailOut(ProjectOut):
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(obj) -> list:
        return selectors.indicators_with_actuals(obj, today=timezone.localdate())


# --- routes ---------------------------------------------------------------------------------------------


@router.get("/deliveries", response={200: list[DeliveryOut], **error_responses(404, 422)})
@paginate(Pagination)
def delivery_list(request: HttpRequest, filters: Query[DeliveryFilters]):
    """Deliveries the caller sees, newest first: a volunteer sees only her own."""
    user = request.user
    under = None
    if filters.under is not None:
        try:
            under = scope.get_unit_or_404(user, filters.under)
        except Http404 as exc:
            raise ApiError(404, _("The unit was not found."), field="under") from exc
    found = selectors.filter_deliveries(
        selectors.deliveries_visible(user),
        under=under,
        date_from=filters.date_from,
        date_to=filters.date_to,
        status=filters.status or "",
    )
    if filters.mine:
        found = found.filter(volunteer__user=user)
    return _Shown(user, found.order_by("-date", "-id"), selectors.shown_deliveries)


@router.get("/deliveries/{int:pk}", response={200: DeliveryOut, **error_responses(404)})
def delivery_detail(request: HttpRequest, pk: int):
    delivery = selectors.get_delivery_or_404(request.user, pk)
    return selectors.shown_deliveries(request.user, [delivery])[0]


@router.get("/readers", response={200: list[ReaderOut], **error_responses(422)})
@paginate(Pagination)
def reader_list(request: HttpRequest):
    """Home readers the caller sees; names and addresses only to the library's staff and the volunteer."""
    user = request.user
    return _Shown(
        user, selectors.readers_visible(user).order_by("library__path", "full_name", "id"), selectors.shown
    )


@router.get("/readers/{int:pk}", response={200: ReaderDetailOut, **error_responses(404)})
def reader_detail(request: HttpRequest, pk: int):
    """The reader's card (404 to whoever may not read it); every answer is written to the view log."""
    user = request.user
    reader = selectors.get_reader_or_404(user, pk)
    services.reader_viewed(user=user, reader=reader, channel="api")
    reader.concealed = False
    return reader


@router.get("/projects", response={200: list[ProjectOut], **error_responses(422)})
@paginate(Pagination)
def project_list(request: HttpRequest):
    projects = selectors.projects_visible(request.user).prefetch_related("participants", "partners")
    return projects.order_by("-starts_on", "-id")


@router.get("/projects/{int:pk}", response={200: ProjectDetailOut, **error_responses(404)})
def project_detail(request: HttpRequest, pk: int):
    return selectors.get_project_or_404(request.user, pk)


class _Shown:
    """A queryset the paginator slices, whose page is passed through `show(user, rows)` (concealing)."""

    def __init__(self, user, queryset, show):
        self.user, self.queryset, self.show = user, queryset, show

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        return self.show(self.user, self.queryset[item])
