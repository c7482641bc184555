"""`/api/v1/events`: the cards of events with their programme and handouts.

Reads go through `metodist.events.selectors` (an event out of scope is 404); writes only through
`metodist.events.services` (403 without `manage_events` on the organiser, 400 for refused data, with the
field named: `ends_at`, `participants_planned`, `sections.1.topic`…). A unit the caller cannot see, as
`organiser_unit`, `venue_unit` or the `under` filter, is 404 with that field named.

`sections` and `handouts`, when sent, replace the programme and the list of handouts; a handout keeps its
file when its title is sent again.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from metodist.api.errors import ApiError
from metodist.api.pagination import Pagination
from metodist.api.schemas import InputSchema, error_responses
from metodist.core import scope
from metodist.events import services
from metodist.events.models import Event, EventFamily, EventStatus, FormOfWork
from metodist.events.selectors import events_visible, filter_events, get_event_or_404

router = Router(tags=["events"])

_TEXT_FIELDS = {
    "title",
    "family",
    "status",
    "venue_text",
    "room",
    "audience",
    "goal",
    "expected_result",
    "outcome",
    "assessment",
    "partners",
    "notes",
}


def _choices(choices: type) -> dict[str, Any]:
    # Documented in the schema but validated by the model, so the message is Django's translated one.
    return {"json_schema_extra": {"enum": list(choices.values)}}


class SectionIn(InputSchema):
    speaker: str = ""
    speaker_position: str = ""
    speaker_unit: str = ""
    topic: str
    summary: str = ""


class SectionOut(Schema):
    speaker: str
    speaker_position: str
    speaker_unit: str
    topic: str
    summary: str

    @staticmethod
    def resolve_speaker(obj) -> str:
        return obj.speaker_name


class EventOut(Schema):
    id: int
    title: str
    form: str | None = Field(None, description="The code of the form of work (see /forms-of-work).")
    family: str = Field(..., **_choices(EventFamily))
    status: str = Field(..., **_choices(EventStatus))
    starts_at: datetime
    ends_at: datetime | None
    venue_unit: int | None = Field(None, description="The id of the unit where the event is held.")
    venue_text: str = Field(..., description="The place when it is not a unit of the network.")
    room: str
    organiser_unit: int
    audience: str
    participants_planned: int | None
    participants_actual: int | None
    capacity: int | None
    hours: float | None
    goal: str
    expected_result: str
    outcome: str
    assessment: str
    partners: str
    notes: str
    sections: list[SectionOut]
    handouts: list[str] = Field(..., description="Titles of the handouts.")

    @staticmethod
    def resolve_form(obj: Event) -> str | None:
        return obj.form.code if obj.form_id else None

    @staticmethod
    def resolve_venue_unit(obj: Event) -> int | None:
        return obj.venue_unit_id

    @staticmethod
    def resolve_organiser_unit(obj: Event) -> int:
        return obj.organiser_unit_id

    @staticmethod
    def resolve_hours(obj: Event) -> float | None:
        return float(obj.hours) if obj.hours is not None else None

    @staticmethod
    def resolve_sections(obj: Event) -> list:
        return list(obj.sections.all())

    @staticmethod
    def resolve_handouts(obj: Event) -> list[str]:
        return [h.title for h in obj.handouts.all()]


class EventCreateIn(InputSchema):
    title: str
    form: str | None = Field(None, description="The code of a form of work.")
    family: str = Field(EventFamily.TRAINING.value, **_choices(EventFamily))
    status: str = Field(EventStatus.PLANNED.value, **_choices(EventStatus))
    starts_at: datetime = Field(..., description="Without a zone offset, the time is in the server's zone.")
    ends_at: datetime | None = None
    venue_unit: int | None = None
    venue_text: str | None = None
    room: str | None = None
    organiser_unit: int
    audience: str | None = None
    participants_planned: int | None = None
    participants_actual: int | None = None
    capacity: int | None = None
    hours: Decimal | None = None
    goal: str | None = None
    expected_result: str | None = None
    outcome: str | None = None
    assessment: str | None = None
    partners: str | None = None
    notes: str | None = None
    sections: list[SectionIn] = Field(default_factory=list, description="The programme, in order.")
    handouts: list[str] = Field(default_factory=list, description="Titles of the handouts.")


class EventPatchIn(InputSchema):
    title: str | None = None
    form: str | None = None
    family: str | None = Field(None, **_choices(EventFamily))
    status: str | None = Field(None, **_choices(EventStatus))
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    venue_unit: int | None = None
    venue_text: str | None = None
    room: str | None = None
    organiser_unit: int | None = None
    audience: str | None = None
    participants_planned: int | None = None
    participants_actual: int | None = None
    capacity: int | None = None
    hours: Decimal | None = None
    goal: str | None = None
    expected_result: str | None = None
    outcome: str | None = None
    assessment: str | None = None
    partners: str | None = None
    notes: str | None = None
    sections: list[SectionIn] | None = Field(None, description="Replaces the whole programme.")
    handouts: list[str] | None = Field(None, description="Replaces the list of handouts.")


class EventFilters(Schema):
    under: int | None = Field(None, description="Events organised or held in this unit or below it.")
    date_from: date | None = Field(None, description="Events that end on or after this day.")
    date_to: date | None = Field(None, description="Events that start on or before this day.")
    form: str | None = Field(None, description="The code of a form of work.")
    family: EventFamily | None = None
    status: EventStatus | None = None


def _unit_or_404(user, pk: int, field: str):
    try:
        return scope.get_unit_or_404(user, pk)
    except Http404 as exc:
        raise ApiError(404, _("The unit was not found."), field=field) from exc


def _form_of_work(code: str | None) -> FormOfWork | None:
    if not code:
        return None
    form = FormOfWork.objects.filter(code=code).first()
    if form is None:
        raise ValidationError(
            {"form": _("There is no form of work with the code “%(code)s”.") % {"code": code}}
        )
    return form


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _card_data(user, payload: InputSchema) -> dict[str, Any]:
    """The fields sent, with units and the form of work looked up and null text as empty text."""
    data = payload.dict(exclude_unset=True, exclude={"sections", "handouts"})
    for field, value in list(data.items()):
        if value is None and field in _TEXT_FIELDS:
            data[field] = ""
    if "organiser_unit" in data:
        if data["organiser_unit"] is None:
            raise ValidationError({"organiser_unit": _("This field is required.")})
        data["organiser_unit"] = _unit_or_404(user, data["organiser_unit"], "organiser_unit")
    if data.get("venue_unit") is not None:
        data["venue_unit"] = _unit_or_404(user, data["venue_unit"], "venue_unit")
    if "form" in data:
        data["form"] = _form_of_work(data["form"])
    for field in ("starts_at", "ends_at"):
        if field in data:
            data[field] = _aware(data[field])
    return data


def _sections(payload: InputSchema) -> list[dict] | None:
    if "sections" not in payload.model_fields_set or payload.sections is None:
        return None
    return [section.dict() for section in payload.sections]


def _handouts(event: Event | None, titles: list[str]) -> list[dict]:
    """Handouts for the titles; an existing handout with the same title is kept with its file."""
    existing = list(event.handouts.all()) if event else []
    result = []
    for title in titles:
        match = next((h for h in existing if h.title == title.strip()), None)
        if match is not None:
            existing.remove(match)
            result.append({"id": match.pk, "title": match.title})
        else:
            result.append({"title": title})
    return result


def _read_back(pk: int) -> Event:
    # Only after the caller's scope was checked: the card with its programme and handouts in two queries.
    return Event.objects.select_related("form").prefetch_related("sections", "handouts").get(pk=pk)


@router.get("", response={200: list[EventOut], **error_responses(404, 422)})
@paginate(Pagination)
def event_list(request: HttpRequest, filters: Query[EventFilters]):
    """Events the caller may see, by start date."""
    under = _unit_or_404(request.user, filters.under, "under") if filters.under is not None else None
    events = filter_events(
        events_visible(request.user),
        under=under,
        date_from=filters.date_from,
        date_to=filters.date_to,
        family=filters.family or "",
        status=filters.status or "",
    )
    if filters.form:
        events = events.filter(form__code=filters.form)
    return events.prefetch_related("sections", "handouts").order_by("starts_at", "id")


@router.get("/{event_id}", response={200: EventOut, **error_responses(404)})
def event_detail(request: HttpRequest, event_id: int):
    get_event_or_404(request.user, event_id)
    return _read_back(event_id)


@router.post("", response={201: EventOut, **error_responses(400, 403, 404, 422)})
def event_create(request: HttpRequest, payload: EventCreateIn):
    """Create an event with its programme and handouts. Needs `manage_events` on `organiser_unit`."""
    data = _card_data(request.user, payload)
    event = services.event_create(
        user=request.user,
        data=data,
        sections=_sections(payload) or [],
        handouts=_handouts(None, payload.handouts),
    )
    return Status(201, _read_back(event.pk))


@router.patch("/{event_id}", response={200: EventOut, **error_responses(400, 403, 404, 422)})
def event_update(request: HttpRequest, event_id: int, payload: EventPatchIn):
    """Change the fields sent; `sections` or `handouts`, when sent, replace the programme or handouts."""
    event = get_event_or_404(request.user, event_id)
    data = _card_data(request.user, payload)
    handouts = None
    if "handouts" in payload.model_fields_set and payload.handouts is not None:
        handouts = _handouts(event, payload.handouts)
    with transaction.atomic():
        services.event_update(
            user=request.user, event=event, data=data, sections=_sections(payload), handouts=handouts
        )
    return _read_back(event.pk)
