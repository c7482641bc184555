"""`/api/v1/units`: the network registry (org units and their cards).

Reads go through the scoping helper: a unit outside the caller's scope answers 404, exactly like the
pages. Writes go only through `metodist.network.services`, which check rights (403) and validate (400).

A `parent` the caller cannot see (on create, or on a PATCH that moves the unit) answers 404 with the
field `parent`, the same as asking for that unit directly; a parent the caller sees but may not change
answers 403.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from metodist.api.errors import ApiError
from metodist.api.pagination import Pagination
from metodist.api.schemas import InputSchema, error_responses
from metodist.core import scope
from metodist.network import services
from metodist.network.models import FoundingDepartment, LibraryType, OrgUnit, ServiceLanguage, UnitKind

router = Router(tags=["units"])

# Card fields that are text in the database: a JSON null there means "empty".
_TEXT_FIELDS = {
    "code",
    "name_ru",
    "name_kk",
    "name_en",
    "kind",
    "library_type",
    "founding_department",
    "address",
    "phone",
    "email",
    "website",
    "description",
}


def _choices(choices: type, *, blank: bool = False) -> dict[str, Any]:
    # Documented in the schema but validated by the model, so the message is Django's translated one.
    values = [*([""] if blank else []), *choices.values]
    return {"json_schema_extra": {"enum": values}}


class UnitOut(Schema):
    id: int
    code: str
    name: str = Field(..., description="The name in the language of the request (Accept-Language).")
    name_ru: str
    name_kk: str
    name_en: str
    kind: str = Field(..., **_choices(UnitKind))
    parent: int | None = Field(None, description="The id of the parent unit; null for a top unit.")
    depth: int
    children_count: int
    archived: bool
    archived_at: datetime | None
    opened_on: date | None
    closed_on: date | None
    library_type: str = Field(..., **_choices(LibraryType, blank=True))
    founding_department: str = Field(..., **_choices(FoundingDepartment, blank=True))
    address: str
    latitude: float | None
    longitude: float | None
    phone: str
    email: str
    website: str
    languages: list[str] = Field(
        ..., description=f"Languages of service: {', '.join(ServiceLanguage.values)}."
    )
    opening_year: int | None
    population_served: int | None
    staff_rate: float | None
    description: str

    @staticmethod
    def resolve_parent(obj: OrgUnit) -> int | None:
        return obj.parent_pk

    @staticmethod
    def resolve_children_count(obj: OrgUnit) -> int:
        return obj.numchild

    @staticmethod
    def resolve_archived(obj: OrgUnit) -> bool:
        return obj.archived_at is not None


class _CardIn(InputSchema):
    """Card fields common to create and update; omitted fields are left as they are."""

    name_kk: str | None = None
    name_en: str | None = None
    opened_on: date | None = None
    closed_on: date | None = None
    library_type: str | None = Field(None, **_choices(LibraryType, blank=True))
    founding_department: str | None = Field(None, **_choices(FoundingDepartment, blank=True))
    address: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    languages: list[str] | None = None
    opening_year: int | None = None
    population_served: int | None = None
    staff_rate: Decimal | None = None
    description: str | None = None


class UnitCreateIn(_CardIn):
    parent: int | None = Field(
        ..., description="The id of the parent unit (null only for a superuser's top unit)."
    )
    code: str
    name_ru: str
    # An enum here (unlike the other choices): the service checks the kind against the parent before the
    # model validates it, so an unknown kind would be reported as a wrong parent.
    kind: UnitKind


class UnitPatchIn(_CardIn):
    parent: int | None = Field(None, description="Move the unit under another unit.")
    code: str | None = None
    name_ru: str | None = None
    kind: UnitKind | None = None


class UnitFilters(Schema):
    under: int | None = Field(None, description="Only units below this one (not the unit itself).")
    kind: UnitKind | None = None
    q: str = Field("", description="Part of a name in any language, or the beginning of a code.")
    archived: bool = Field(False, description="false: units in service; true: archived units only.")


def _with_parent(queryset: QuerySet) -> QuerySet:
    """Annotate each unit with its parent's id: the parent's path is the unit's path less one step.

    One correlated lookup on the unique path index inside the same query, so a page costs one query.
    """
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - OrgUnit.steplen)
    parents = OrgUnit.objects.filter(path=parent_path).order_by().values("pk")[:1]
    return queryset.annotate(parent_pk=Subquery(parents))


def _with_parent_pk(unit: OrgUnit) -> OrgUnit:
    """The same for one unit."""
    parent_path = unit.path[: -OrgUnit.steplen]
    unit.parent_pk = OrgUnit.objects.filter(path=parent_path).values_list("pk", flat=True).first()
    return unit


def _parent_or_404(user, pk: int) -> OrgUnit:
    try:
        return scope.get_unit_or_404(user, pk)
    except Http404 as exc:
        raise ApiError(404, _("The parent unit was not found."), field="parent") from exc


def _card_data(payload: InputSchema) -> dict[str, Any]:
    """The fields the client sent, without `parent`, with null text fields as empty text."""
    data = payload.dict(exclude_unset=True, exclude={"parent"})
    for field, value in data.items():
        if value is None and field in _TEXT_FIELDS:
            data[field] = ""
        elif value is None and field == "languages":
            data[field] = []
    return data


@router.get("", response={200: list[UnitOut], **error_responses(404, 422)})
@paginate(Pagination)
def unit_list(request: HttpRequest, filters: Query[UnitFilters]):
    """Units in the caller's scope, in tree order."""
    units = scope.units(request.user)
    if filters.under is not None:
        top = scope.get_unit_or_404(request.user, filters.under)
        units = units.under(top, include_self=False)
    if filters.kind:
        units = units.filter(kind=filters.kind)
    units = units.filter(archived_at__isnull=not filters.archived).search(filters.q)
    return _with_parent(units).order_by("path")


@router.get("/{unit_id}", response={200: UnitOut, **error_responses(404)})
def unit_detail(request: HttpRequest, unit_id: int):
    return _with_parent_pk(scope.get_unit_or_404(request.user, unit_id))


@router.post("", response={201: UnitOut, **error_responses(400, 403, 404, 422)})
def unit_create(request: HttpRequest, payload: UnitCreateIn):
    """Create a unit under `parent`. Needs the right to manage units there."""
    parent = _parent_or_404(request.user, payload.parent) if payload.parent is not None else None
    unit = services.unit_create(user=request.user, parent=parent, data=_card_data(payload))
    return Status(201, _with_parent_pk(unit))


@router.patch("/{unit_id}", response={200: UnitOut, **error_responses(400, 403, 404, 422)})
def unit_update(request: HttpRequest, unit_id: int, payload: UnitPatchIn):
    """Change the fields sent. A new `parent` moves the unit (with its subtree) under that unit.

    A librarian may change her library's card but not its `code` or `kind` (403).
    """
    unit = scope.get_unit_or_404(request.user, unit_id)
    data = _card_data(payload)
    with transaction.atomic():
        if "parent" in payload.model_fields_set:
            _move(request.user, unit, payload.parent)
        if data:
            services.unit_update(user=request.user, unit=unit, data=data)
    unit.refresh_from_db()  # treebeard moves by raw SQL
    return _with_parent_pk(unit)


def _move(user, unit: OrgUnit, parent_pk: int | None) -> None:
    if parent_pk is None:
        raise ValidationError({"parent": _("A unit cannot be moved to the top of the tree.")})
    current = OrgUnit.objects.filter(path=unit.path[: -OrgUnit.steplen]).values_list("pk", flat=True).first()
    if parent_pk == current:
        # Sending back the parent unchanged (a client echoing the object) needs neither sight nor right of it.
        return
    services.unit_move(user=user, unit=unit, new_parent=_parent_or_404(user, parent_pk))
