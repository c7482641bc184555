"""Writes to events: the card with its programme and handouts, copies, photos and files.

Pages and the API both go through these functions. Each checks `manage_events` on the organiser's unit
(and on the new one when the organiser changes), validates every row with `full_clean()` and writes in one
transaction, so a refused card leaves nothing half-saved.

    event = event_create(
        user=user,
        data={"title": ..., "organiser_unit": unit, ...},
        sections=[{"speaker": "О. Мальцева", "topic": "..."}],
        handouts=[{"title": "Буклет"}],
    )
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from metodist.core import scope
from metodist.events.models import (
    MAX_UPLOAD_BYTES,
    Event,
    EventFile,
    EventFileKind,
    EventSection,
    EventStatus,
    Handout,
)
from metodist.network.models import OrgUnit

MANAGE = "manage_events"

# Fields of the card a page or the API may set; `responsible` (many-to-many) is handled apart.
EVENT_FIELDS = (
    "title",
    "form",
    "family",
    "status",
    "starts_at",
    "ends_at",
    "organiser_unit",
    "venue_unit",
    "venue_text",
    "room",
    "audience",
    "participants_planned",
    "participants_actual",
    "participants_actual_manual",
    "capacity",
    "registration_open",
    "hours",
    "goal",
    "expected_result",
    "outcome",
    "assessment",
    "partners",
    "notes",
)
SECTION_FIELDS = ("speaker_staff", "speaker", "speaker_position", "speaker_unit", "topic", "summary")
# What a copy takes over: the plan and the programme, not what happened (outcome, attendance, report).
COPIED_FIELDS = (
    "title",
    "form",
    "family",
    "starts_at",
    "ends_at",
    "organiser_unit",
    "venue_unit",
    "venue_text",
    "room",
    "audience",
    "participants_planned",
    "capacity",
    "hours",
    "goal",
    "expected_result",
    "partners",
)

# Files are recognised by their first bytes, not by the name the browser sent.
_PDF = (b"%PDF",)
_ZIP = (b"PK\x03\x04",)  # DOCX, XLSX, PPTX and OpenDocument files are zip archives
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # DOC, XLS, PPT of old Office
_IMAGE_SIGNATURES = {
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),  # and "WEBP" at byte 8, checked below
}
_DOCUMENT_SIGNATURES = {
    "pdf": _PDF,
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "odp": _ZIP,
    "doc": _OLE,
    "xls": _OLE,
    "ppt": _OLE,
}
IMAGE_EXTENSIONS = tuple(_IMAGE_SIGNATURES)
DOCUMENT_EXTENSIONS = tuple(_DOCUMENT_SIGNATURES) + IMAGE_EXTENSIONS


# --- checks ---------------------------------------------------------------------------------------------


def _require_manage(user, unit: OrgUnit) -> None:
    if not scope.covers(user, unit, MANAGE):
        raise PermissionDenied(_("You have no right to plan events of “%(unit)s”.") % {"unit": unit.name})


def _require_visible_venue(user, venue: OrgUnit | None) -> None:
    if venue is not None and not scope.covers(user, venue, scope.VIEW):
        raise ValidationError({"venue_unit": _("Choose a unit of your part of the network.")})


def check_upload(file, *, images_only: bool = False) -> None:
    """Refuse a file over 50 MB or whose content is not what its name says (an image, PDF, Office file)."""
    if file is None:
        return
    limit_mb = MAX_UPLOAD_BYTES // (1024 * 1024)
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than %(size)s MB.") % {"size": limit_mb}, code="too_big")
    name = (getattr(file, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    signatures = _IMAGE_SIGNATURES if images_only else {**_DOCUMENT_SIGNATURES, **_IMAGE_SIGNATURES}
    if extension not in signatures:
        allowed = ", ".join(sorted(signatures))
        raise ValidationError(
            _("Files of this type are not accepted. Allowed: %(types)s.") % {"types": allowed}, code="type"
        )
    head = _first_bytes(file)
    matches = head.startswith(signatures[extension])
    if extension == "webp":
        matches = matches and head[8:12] == b"WEBP"
    if not matches:
        raise ValidationError(
            _("The content of the file is not a %(type)s file.") % {"type": extension.upper()}, code="content"
        )


def _first_bytes(file, count: int = 16) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(count)
    file.seek(position)
    return head or b""


def _clean_event(event: Event) -> None:
    # `form` is checked here too: a catalogue entry withdrawn from use can still be kept on old events.
    event.full_clean(exclude=["public_token"])


# --- the card -------------------------------------------------------------------------------------------


def _split(data: dict) -> tuple[dict, list | None]:
    data = dict(data)
    responsible = data.pop("responsible", None)
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    return data, responsible


@transaction.atomic
def event_create(
    *,
    user,
    data: dict,
    sections: Iterable[dict] = (),
    handouts: Iterable[dict] = (),
) -> Event:
    """Create an event with its programme (`sections`, in order) and `handouts` ({title, file})."""
    fields, responsible = _split(data)
    organiser = fields.get("organiser_unit")
    if organiser is None:
        raise ValidationError({"organiser_unit": _("This field is required.")})
    _require_manage(user, organiser)
    _require_visible_venue(user, fields.get("venue_unit"))
    if "participants_actual_manual" not in fields:
        fields["participants_actual_manual"] = fields.get("participants_actual") is not None
    event = Event(**fields, created_by=user if user and user.is_authenticated else None)
    _clean_event(event)
    event.save()
    if responsible is not None:
        event.responsible.set(responsible)
    _replace_sections(event, sections)
    _replace_handouts(event, handouts)
    return event


@transaction.atomic
def event_update(
    *,
    user,
    event: Event,
    data: dict,
    sections: Iterable[dict] | None = None,
    handouts: Iterable[dict] | None = None,
) -> Event:
    """Change the fields in `data`; `sections` or `handouts`, when given, replace the programme or handouts.

    A handout with an `id` keeps its file unless a new `file` is given; handouts not listed are removed.
    """
    fields, responsible = _split(data)
    # The stored organiser, not the one a form may already have put on the object in memory.
    stored = Event.objects.select_related("organiser_unit").select_for_update().get(pk=event.pk)
    _require_manage(user, stored.organiser_unit)
    if "organiser_unit" in fields and fields["organiser_unit"] is None:
        raise ValidationError({"organiser_unit": _("This field is required.")})
    if "organiser_unit" in fields and fields["organiser_unit"].pk != stored.organiser_unit_id:
        _require_manage(user, fields["organiser_unit"])
    if "venue_unit" in fields and fields["venue_unit"] != stored.venue_unit:
        _require_visible_venue(user, fields["venue_unit"])
    if "participants_actual" in fields and "participants_actual_manual" not in fields:
        # Entering a number means "counted by hand"; clearing it lets attendance count again.
        actual = fields["participants_actual"]
        if actual is None:
            fields["participants_actual_manual"] = False
        elif actual != stored.participants_actual:
            fields["participants_actual_manual"] = True
    for name, value in fields.items():
        setattr(event, name, value)
    _clean_event(event)
    event.save()
    if responsible is not None:
        event.responsible.set(responsible)
    if sections is not None:
        _replace_sections(event, sections)
    if handouts is not None:
        _replace_handouts(event, handouts)
    return event


@transaction.atomic
def event_copy(*, user, event: Event) -> Event:
    """A planned copy of the event with its programme, handouts and responsible people.

    The dates are those of the original: the user sets the new ones on the edit page that follows.
    What happened at the original (outcome, attendance, participants, photos, report) is not copied.
    """
    _require_manage(user, event.organiser_unit)
    copy = Event(
        **{name: getattr(event, name) for name in COPIED_FIELDS},
        status=EventStatus.PLANNED,
        copied_from=event,
        created_by=user if user and user.is_authenticated else None,
    )
    _clean_event(copy)
    copy.save()
    copy.responsible.set(event.responsible.all())
    EventSection.objects.bulk_create(
        EventSection(event=copy, order=s.order, **{f: getattr(s, f) for f in SECTION_FIELDS})
        for s in event.sections.all()
    )
    # The same stored file serves both events: handouts are published material, not per-event records.
    Handout.objects.bulk_create(Handout(event=copy, title=h.title, file=h.file) for h in event.handouts.all())
    return copy


# --- the programme --------------------------------------------------------------------------------------


def _section(event: Event, data: dict, order: int) -> EventSection:
    unknown = set(data) - set(SECTION_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    section = EventSection(event=event, order=order, **data)
    section.full_clean(exclude=["event"])
    return section


def _replace_sections(event: Event, sections: Iterable[dict]) -> None:
    rows, errors = [], {}
    for index, data in enumerate(sections):
        try:
            rows.append(_section(event, data, order=index))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"sections.{index}.{field}"] = messages
    if errors:
        raise ValidationError(errors)
    event.sections.all().delete()
    EventSection.objects.bulk_create(rows)


def _renumber(event: Event) -> None:
    for index, section in enumerate(event.sections.order_by("order", "id")):
        if section.order != index:
            EventSection.objects.filter(pk=section.pk).update(order=index)


@transaction.atomic
def section_add(*, user, event: Event, data: dict) -> EventSection:
    """Add a section at the end of the programme."""
    _require_manage(user, event.organiser_unit)
    section = _section(event, data, order=event.sections.count())
    section.save()
    return section


@transaction.atomic
def section_update(*, user, section: EventSection, data: dict) -> EventSection:
    _require_manage(user, section.event.organiser_unit)
    unknown = set(data) - set(SECTION_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in data.items():
        setattr(section, name, value)
    section.full_clean(exclude=["event"])
    section.save()
    return section


@transaction.atomic
def section_delete(*, user, section: EventSection) -> None:
    event = section.event
    _require_manage(user, event.organiser_unit)
    section.delete()
    _renumber(event)


@transaction.atomic
def section_move(*, user, section: EventSection, offset: int) -> EventSection:
    """Move a section up (`offset=-1`) or down (`offset=1`) the programme; at an end it stays."""
    event = section.event
    _require_manage(user, event.organiser_unit)
    _renumber(event)
    ordered = list(event.sections.order_by("order", "id"))
    index = next(i for i, s in enumerate(ordered) if s.pk == section.pk)
    target = index + offset
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
        for position, item in enumerate(ordered):
            EventSection.objects.filter(pk=item.pk).update(order=position)
    section.refresh_from_db()
    return section


# --- handouts, photos and files -------------------------------------------------------------------------


def _replace_handouts(event: Event, handouts: Iterable[dict]) -> None:
    existing = {h.pk: h for h in event.handouts.all()}
    keep, new, errors = [], [], {}
    for index, data in enumerate(handouts):
        handout = existing.get(data.get("id")) if data.get("id") else None
        handout = handout or Handout(event=event)
        handout.title = (data.get("title") or "").strip()
        upload = data.get("file")
        try:
            check_upload(upload)
        except ValidationError as exc:
            errors[f"handouts.{index}.file"] = exc.messages
        if upload:
            handout.file = upload
        try:
            handout.full_clean(exclude=["event"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"handouts.{index}.{field}"] = messages
        (keep if handout.pk else new).append(handout)
    if errors:
        raise ValidationError(errors)
    kept = {h.pk for h in keep}
    event.handouts.exclude(pk__in=kept).delete()
    for handout in keep + new:
        handout.save()


@transaction.atomic
def event_file_add(
    *, user, event: Event, file: File, kind: str = EventFileKind.PHOTO, caption: str = ""
) -> EventFile:
    """Attach a photo (an image, checked by content) or a file (a document or an image)."""
    _require_manage(user, event.organiser_unit)
    try:
        check_upload(file, images_only=kind == EventFileKind.PHOTO)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    attachment = EventFile(event=event, kind=kind, file=file, caption=caption)
    attachment.full_clean(exclude=["event"])
    attachment.save()
    return attachment


@transaction.atomic
def event_file_delete(*, user, attachment: EventFile) -> None:
    _require_manage(user, attachment.event.organiser_unit)
    attachment.file.delete(save=False)
    attachment.delete()
