"""`/api/v1/materials`: the library of methodological materials — search, read, download, publish.

Reads go through `metodist.assistance.materials` (a material is read by whoever sees its unit and by
everyone with a unit below it); `?q=` searches titles, descriptions and the text of the files in Russian
and Kazakh (any form of a word finds the others), ranked, each item with a `snippet` in which the matched
words are wrapped in `<mark>` (everything else HTML-escaped). Publishing (multipart) goes through the
services: 403 without `manage_assistance` on the unit, 400 for a refused file (checked by its content)
or refused data.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from metodist.api.errors import ApiError
from metodist.api.pagination import Pagination
from metodist.api.schemas import InputSchema, error_responses
from metodist.assistance import materials
from metodist.assistance.materials_search import material_snippet, query_terms, search_materials
from metodist.assistance.materials_views import file_response
from metodist.assistance.models import Direction, FieldVisit, Material, MaterialLanguage, MaterialType
from metodist.assistance.visits import visits_visible
from metodist.core import scope
from metodist.events.models import Event, FormOfWork
from metodist.events.selectors import events_visible
from metodist.network.models import OrgUnit

router = Router(tags=["materials"])

FILE_RESPONSE = {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}


def _choices(choices: type) -> dict[str, Any]:
    return {"json_schema_extra": {"enum": list(choices.values)}}


def _request(context) -> HttpRequest | None:
    return (context or {}).get("request")


class UnitRef(Schema):
    id: int
    name: str


class MaterialOut(Schema):
    id: int
    title: str
    type: str = Field(..., **_choices(MaterialType))
    year: int
    language: str = Field(..., **_choices(MaterialLanguage))
    authors: str
    audience: str
    unit: UnitRef
    directions: list[str] = Field(..., description="Codes of the directions of work.")
    forms_of_work: list[str] = Field(..., description="Codes of the forms of work.")
    file_type: str = Field(..., description="The real type of the file, by its content.")
    file_size: int | None
    downloads: int
    download_url: str | None = Field(..., description="The file; each request counts as a download.")
    created_at: datetime.datetime
    rank: float | None = Field(None, description="With `q`: the higher, the better the match.")
    snippet: str | None = Field(
        None, description="With `q`: HTML, the best passage with the matched words in <mark>."
    )

    @staticmethod
    def resolve_unit(obj: Material) -> dict:
        return {"id": obj.unit_id, "name": obj.unit.name}

    @staticmethod
    def resolve_directions(obj: Material) -> list[str]:
        return [d.code for d in obj.directions.all()]

    @staticmethod
    def resolve_forms_of_work(obj: Material) -> list[str]:
        return [f.code for f in obj.forms_of_work.all()]

    @staticmethod
    def resolve_download_url(obj: Material, context) -> str | None:
        if not obj.file:
            return None
        url = reverse("api-v1:material_file", kwargs={"material_id": obj.pk})
        request = _request(context)
        return request.build_absolute_uri(url) if request is not None else url

    @staticmethod
    def resolve_rank(obj: Material) -> float | None:
        rank = getattr(obj, "rank", None)
        return None if rank is None else round(float(rank), 6)

    @staticmethod
    def resolve_snippet(obj: Material, context) -> str | None:
        request = _request(context)
        q = request.GET.get("q", "") if request is not None else ""
        terms = query_terms(q) if q else []
        return str(material_snippet(obj, terms)) if terms else None


class MaterialDetailOut(MaterialOut):
    description: str
    events: list[int] = Field(..., description="Ids of the events that used it (those the caller sees).")
    visits: list[int] = Field(
        ..., description="Ids of the field visits that used it (those the caller sees)."
    )

    @staticmethod
    def resolve_events(obj: Material, context) -> list[int]:
        request = _request(context)
        return list(events_visible(request.user).filter(materials=obj).values_list("pk", flat=True))

    @staticmethod
    def resolve_visits(obj: Material, context) -> list[int]:
        request = _request(context)
        return list(visits_visible(request.user).filter(materials=obj).values_list("pk", flat=True))


class MaterialFilters(Schema):
    q: str | None = Field(
        None, max_length=200, description="Words to find, in Russian or Kazakh; results come best first."
    )
    type: MaterialType | None = None
    direction: str | None = Field(None, description="The code of a direction of work.")
    form_of_work: str | None = Field(None, description="The code of a form of work.")
    language: MaterialLanguage | None = None
    year: int | None = None
    unit: int | None = Field(None, description="Published by this unit or a unit below it.")


class MaterialCreateIn(InputSchema):
    unit: int | None = Field(None, description="The caller's own unit when not sent.")
    type: str = Field(..., **_choices(MaterialType))
    title: str
    authors: str = ""
    year: int
    language: str = Field(MaterialLanguage.RUSSIAN.value, **_choices(MaterialLanguage))
    audience: str = ""
    description: str = ""
    directions: list[str] = Field(default_factory=list, description="Codes of the directions of work.")
    forms_of_work: list[str] = Field(default_factory=list, description="Codes of the forms of work.")
    events: list[int] = Field(default_factory=list, description="Ids of events that used it.")
    visits: list[int] = Field(default_factory=list, description="Ids of field visits that used it.")


def _by_code(model, code: str, field: str):
    found = model.objects.filter(code=code).first()
    if found is None:
        raise ApiError(404, _("“%(code)s” was not found.") % {"code": code}, field=field)
    return found


def _unit_or_404(user, pk: int, visible_materials) -> OrgUnit:
    # Units of the caller's scope, and the units above it whose materials the caller reads.
    units = scope.units(user) | materials.publishers(visible_materials)
    try:
        return units.distinct().get(pk=pk)
    except OrgUnit.DoesNotExist as exc:
        raise ApiError(404, _("The unit was not found."), field="unit") from exc


def _with_relations(queryset):
    return queryset.select_related("unit").prefetch_related("directions", "forms_of_work")


@router.get("", response={200: list[MaterialOut], **error_responses(404, 422)})
@paginate(Pagination)
def material_list(request: HttpRequest, filters: Query[MaterialFilters]):
    """Materials the caller may read: newest first, or with `q` the best matches first."""
    visible = materials.materials_visible(request.user)
    found = materials.filter_materials(
        visible,
        type=filters.type or "",
        direction=_by_code(Direction, filters.direction, "direction") if filters.direction else None,
        form_of_work=_by_code(FormOfWork, filters.form_of_work, "form_of_work")
        if filters.form_of_work
        else None,
        language=filters.language or "",
        year=filters.year,
        unit=_unit_or_404(request.user, filters.unit, visible) if filters.unit is not None else None,
    )
    if filters.q and filters.q.strip():
        return _with_relations(search_materials(found, filters.q).defer("search_text"))
    return _with_relations(found.defer("text", "search_text")).order_by("-created_at", "-id")


@router.get("/{material_id}", response={200: MaterialDetailOut, **error_responses(404)})
def material_detail(request: HttpRequest, material_id: int):
    material = materials.get_material_or_404(request.user, material_id)
    return _with_relations(Material.objects.filter(pk=material.pk)).get()


@router.get(
    "/{material_id}/file",
    response={200: None, **error_responses(404)},
    openapi_extra={"responses": {200: FILE_RESPONSE}},
    url_name="material_file",
)
def material_file(request: HttpRequest, material_id: int):
    """The material's file, with its real content type; counted as a download."""
    return file_response(materials.get_material_or_404(request.user, material_id))


def _lookup_ids(model, queryset, ids: list[int], field: str) -> list:
    found = list(queryset.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ApiError(404, _("Not found: %(model)s.") % {"model": model._meta.verbose_name}, field=field)
    return found


@router.post("", response={201: MaterialDetailOut, **error_responses(400, 403, 404, 422)})
def material_create(request: HttpRequest, payload: Form[MaterialCreateIn], file: File[UploadedFile]):
    """Publish a material (multipart: the fields and `file`). Needs `manage_assistance` on `unit`."""
    data = payload.dict(exclude={"directions", "forms_of_work", "events", "visits"})
    if data["unit"] is not None:
        try:
            data["unit"] = scope.get_unit_or_404(request.user, data["unit"])
        except Http404 as exc:
            raise ApiError(404, _("The unit was not found."), field="unit") from exc
    else:
        del data["unit"]
    material = materials.material_create(
        user=request.user,
        data=data,
        file=file,
        directions=[_by_code(Direction, c, "directions") for c in dict.fromkeys(payload.directions)],
        forms_of_work=[
            _by_code(FormOfWork, c, "forms_of_work") for c in dict.fromkeys(payload.forms_of_work)
        ],
        events=_lookup_ids(Event, events_visible(request.user), payload.events, "events"),
        visits=_lookup_ids(FieldVisit, visits_visible(request.user), payload.visits, "visits"),
    )
    return Status(201, _with_relations(Material.objects.filter(pk=material.pk)).get())
