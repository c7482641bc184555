"""Writes of outreach projects and Knigonosha, each in a transaction, each checking the right first.

A project is kept by whoever has `manage_outreach` on its organising library. The readers, volunteers,
rounds and deliveries of a library are kept by its own staff with `manage_outreach` (a marketer of the
region runs projects but does not read readers' addresses); the volunteer of a delivery records how it went.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metodist.core import scope
from metodist.events.services import check_upload
from metodist.network.models import OrgUnit
from metodist.outreach import selectors
from metodist.outreach.models import (
    Delivery,
    DeliveryItem,
    DeliverySchedule,
    DeliveryStatus,
    HomeReader,
    Project,
    ProjectFile,
    ProjectIndicator,
    ProjectPartner,
    ReaderViewLog,
    Volunteer,
)

PROJECT_FIELDS = (
    "unit",
    "name",
    "kind",
    "status",
    "goal",
    "description",
    "initiator",
    "starts_on",
    "ends_on",
)
READER_FIELDS = (
    "library",
    "full_name",
    "address",
    "phone",
    "reason",
    "reason_note",
    "interests",
    "genres",
    "languages",
    "consent_given_on",
    "consent_note",
    "volunteer",
    "served_since",
    "stopped_on",
    "note",
)
VOLUNTEER_FIELDS = ("library", "user", "full_name", "phone", "is_active", "note")
SCHEDULE_FIELDS = (
    "library",
    "name",
    "volunteer",
    "rule",
    "weekday",
    "every",
    "starts_on",
    "ends_on",
    "is_active",
)
DELIVERY_FIELDS = ("reader", "volunteer", "date", "status", "notes")
PLAN_WEEKS = 8


def _clean(obj, *, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def _pick(data: dict, names: tuple[str, ...]) -> dict:
    return {name: value for name, value in data.items() if name in names}


# --- projects -------------------------------------------------------------------------------------------


def _require_project_right(user, unit: OrgUnit | None) -> None:
    if unit is None or not scope.covers(user, unit, selectors.MANAGE):
        name = unit.name if unit is not None else ""
        raise PermissionDenied(_("You have no right to run projects of “%(unit)s”.") % {"unit": name})


def _check_participants(user, participants) -> list[OrgUnit]:
    participants = list(participants or [])
    for unit in participants:
        if not scope.covers(user, unit, scope.VIEW):
            raise ValidationError({"participants": _("Choose libraries of your part of the network.")})
    return participants


def _save_rows(project: Project, indicators, partners) -> None:
    if indicators is not None:
        project.indicators.all().delete()
        for row in indicators:
            indicator = ProjectIndicator(project=project, **row)
            if indicator.is_counted:
                indicator.actual = None  # counted from the deliveries, never typed in
            _clean(indicator, exclude=["project"])
            indicator.save()
    if partners is not None:
        project.partners.all().delete()
        for row in partners:
            partner = ProjectPartner(project=project, **row)
            _clean(partner, exclude=["project"])
            partner.save()


@transaction.atomic
def project_create(
    *, user, data: dict, participants=(), indicators: list[dict] = (), partners: list[dict] = ()
) -> Project:
    fields = _pick(data, PROJECT_FIELDS)
    _require_project_right(user, fields.get("unit"))
    project = Project(**fields, created_by=user)
    _clean(project, exclude=["created_by"])
    project.save()
    project.participants.set(_check_participants(user, participants))
    _save_rows(project, list(indicators), list(partners))
    return project


@transaction.atomic
def project_update(
    *, user, project: Project, data: dict, participants=None, indicators=None, partners=None
) -> Project:
    """Change the fields in `data`; `participants`, `indicators`, `partners` replace the stored ones."""
    stored = Project.objects.select_related("unit").get(pk=project.pk)
    _require_project_right(user, stored.unit)
    fields = _pick(data, PROJECT_FIELDS)
    if fields.get("unit") is not None and fields["unit"] != stored.unit:
        _require_project_right(user, fields["unit"])
    for name, value in fields.items():
        setattr(project, name, value)
    _clean(project, exclude=["created_by"])
    project.save()
    if participants is not None:
        # Libraries the user cannot see stay where they were: the user may not remove what they do not see.
        hidden = [u for u in stored.participants.all() if not scope.covers(user, u, scope.VIEW)]
        project.participants.set([*_check_participants(user, participants), *hidden])
    _save_rows(project, indicators, partners)
    return project


@transaction.atomic
def project_file_add(*, user, project: Project, file, caption: str = "") -> ProjectFile:
    _require_project_right(user, project.unit)
    try:
        check_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    return ProjectFile.objects.create(project=project, file=file, caption=caption, uploaded_by=user)


@transaction.atomic
def project_file_delete(*, user, project_file: ProjectFile) -> None:
    _require_project_right(user, project_file.project.unit)
    project_file.file.delete(save=False)
    project_file.delete()


# --- volunteers -----------------------------------------------------------------------------------------


def _require_library_right(user, library: OrgUnit | None, field: str = "library") -> None:
    if library is None:
        raise ValidationError({field: _("This field is required.")})
    if not selectors.may_manage_library(user, library):
        raise PermissionDenied(
            _("Only the staff of “%(unit)s” keep its home readers and deliveries.") % {"unit": library.name}
        )


@transaction.atomic
def volunteer_save(*, user, volunteer: Volunteer | None, data: dict) -> Volunteer:
    fields = _pick(data, VOLUNTEER_FIELDS)
    if volunteer is not None:
        stored = Volunteer.objects.select_related("library").get(pk=volunteer.pk)
        _require_library_right(user, stored.library)
    else:
        volunteer = Volunteer()
    _require_library_right(user, fields.get("library", volunteer.library if volunteer.pk else None))
    for name, value in fields.items():
        setattr(volunteer, name, value)
    twin = Volunteer.objects.filter(library=volunteer.library_id, user=volunteer.user_id).exclude(
        pk=volunteer.pk
    )
    if volunteer.user_id is not None and twin.exists():
        raise ValidationError({"user": _("This login is already a volunteer of the library.")})
    _clean(volunteer)
    try:
        with transaction.atomic():
            volunteer.save()
    except IntegrityError as exc:
        raise ValidationError({"user": _("This login is already a volunteer of the library.")}) from exc
    return volunteer


# --- readers --------------------------------------------------------------------------------------------


def _check_volunteer(volunteer: Volunteer | None, library: OrgUnit | None) -> None:
    if volunteer is not None and library is not None and volunteer.library_id != library.pk:
        raise ValidationError({"volunteer": _("Choose a volunteer of the reader's library.")})


@transaction.atomic
def reader_create(*, user, data: dict) -> HomeReader:
    """Record a home reader; refused without the date of the reader's consent to the processing of data."""
    fields = _pick(data, READER_FIELDS)
    _require_library_right(user, fields.get("library"))
    if not fields.get("consent_given_on"):
        raise ValidationError(
            {
                "consent_given_on": _(
                    "Record the date of the reader's consent to the processing of personal data: "
                    "without it the reader cannot be recorded."
                )
            }
        )
    _check_volunteer(fields.get("volunteer"), fields.get("library"))
    reader = HomeReader(**fields, created_by=user)
    _clean(reader, exclude=["created_by"])
    reader.save()
    # From its first home reader on, the library reports its Knigonosha figures every month.
    from metodist.outreach.reporting_feed import assign_form

    assign_form(reader.library)
    return reader


@transaction.atomic
def reader_update(*, user, reader: HomeReader, data: dict) -> HomeReader:
    stored = HomeReader.objects.select_related("library").get(pk=reader.pk)
    _require_library_right(user, stored.library)
    fields = _pick(data, READER_FIELDS)
    if fields.get("library") is not None and fields["library"] != stored.library:
        _require_library_right(user, fields["library"])
    if "consent_given_on" in fields and not fields["consent_given_on"]:
        raise ValidationError({"consent_given_on": _("The date of the consent cannot be removed.")})
    for name, value in fields.items():
        setattr(reader, name, value)
    _check_volunteer(reader.volunteer, reader.library)
    _clean(reader, exclude=["created_by"])
    reader.save()
    return reader


def reader_viewed(*, user, reader: HomeReader, channel: str = "page") -> ReaderViewLog:
    """Write down that `user` looked at the reader's card (every look, the page or the API)."""
    return ReaderViewLog.objects.create(reader=reader, user=user, channel=channel)


# --- rounds and their plan ------------------------------------------------------------------------------


@transaction.atomic
def schedule_save(*, user, schedule: DeliverySchedule | None, data: dict, readers) -> DeliverySchedule:
    fields = _pick(data, SCHEDULE_FIELDS)
    if schedule is not None:
        stored = DeliverySchedule.objects.select_related("library").get(pk=schedule.pk)
        _require_library_right(user, stored.library)
    else:
        schedule = DeliverySchedule()
    library = fields.get("library") or (schedule.library if schedule.pk else None)
    _require_library_right(user, library)
    for name, value in fields.items():
        setattr(schedule, name, value)
    _clean(schedule)
    readers = list(readers)
    if not readers:
        raise ValidationError({"readers": _("Choose at least one reader for the round.")})
    if any(r.library_id != library.pk for r in readers):
        raise ValidationError({"readers": _("Choose readers of the library of the round.")})
    schedule.save()
    schedule.readers.set(readers)
    return schedule


@transaction.atomic
def schedule_plan(
    *, user, schedule: DeliverySchedule, until: datetime.date, today: datetime.date | None = None
) -> int:
    """Plan the deliveries of the round from today to `until`; a day already planned is left as it is.

    Answers how many deliveries were added (a second run adds none).
    """
    _require_library_right(user, schedule.library)
    today = today or timezone.localdate()
    dates = schedule.dates(today, until)
    readers = list(schedule.readers.select_related("volunteer").all())
    if not dates or not readers:
        return 0
    have = set(Delivery.objects.filter(reader__in=readers, date__in=dates).values_list("reader_id", "date"))
    new = [
        Delivery(
            reader=reader,
            volunteer=schedule.volunteer or reader.volunteer,
            date=day,
            schedule=schedule,
            created_by=user,
        )
        for day in dates
        for reader in readers
        if (reader.pk, day) not in have and reader.is_served
    ]
    Delivery.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# --- deliveries -----------------------------------------------------------------------------------------


def _save_delivery(delivery: Delivery) -> Delivery:
    _clean(delivery, exclude=["created_by", "recorded_by", "schedule"])
    try:
        with transaction.atomic():
            delivery.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"date": _("A delivery to this reader is already recorded on this day.")}
        ) from exc
    return delivery


@transaction.atomic
def delivery_create(*, user, data: dict) -> Delivery:
    fields = _pick(data, DELIVERY_FIELDS)
    reader = fields.get("reader")
    if reader is None:
        raise ValidationError({"reader": _("This field is required.")})
    _require_library_right(user, reader.library, "reader")
    if "volunteer" not in fields or fields["volunteer"] is None:
        fields["volunteer"] = reader.volunteer
    _check_volunteer(fields["volunteer"], reader.library)
    if Delivery.objects.filter(reader=reader, date=fields.get("date")).exists():
        raise ValidationError({"date": _("A delivery to this reader is already recorded on this day.")})
    delivery = Delivery(**fields, created_by=user)
    if delivery.status != DeliveryStatus.PLANNED:
        delivery.recorded_at, delivery.recorded_by = timezone.now(), user
    return _save_delivery(delivery)


@transaction.atomic
def delivery_update(*, user, delivery: Delivery, data: dict) -> Delivery:
    stored = Delivery.objects.select_related("reader__library").get(pk=delivery.pk)
    _require_library_right(user, stored.reader.library, "reader")
    fields = _pick(data, DELIVERY_FIELDS)
    if fields.get("reader") is not None and fields["reader"] != stored.reader:
        _require_library_right(user, fields["reader"].library, "reader")
    for name, value in fields.items():
        setattr(delivery, name, value)
    _check_volunteer(delivery.volunteer, delivery.reader.library)
    if delivery.status != stored.status:
        delivery.recorded_at, delivery.recorded_by = timezone.now(), user
    return _save_delivery(delivery)


def _pk(item) -> int:
    return item.pk if hasattr(item, "pk") else int(item)


@transaction.atomic
def delivery_record(
    *,
    user,
    delivery: Delivery,
    status: str,
    notes: str,
    brought: list[dict] = (),
    returned=(),
    removed=(),
) -> Delivery:
    """Record how a delivery went: made or not, the notes, the items `brought` (title, author), the items
    taken back (`returned`: items the reader had at home) and brought items to strike (`removed`: typed by
    mistake). Only the volunteer of the delivery or the staff of the reader's library may."""
    stored = Delivery.objects.select_related("reader__library", "volunteer").get(pk=delivery.pk)
    if not selectors.may_record_delivery(user, stored):
        raise PermissionDenied(_("Only the volunteer of the delivery or the library's staff record it."))
    if status not in DeliveryStatus.values:
        raise ValidationError({"status": _("Choose how the delivery went.")})
    brought = [row for row in brought if (row.get("title") or "").strip()]
    returned_ids = {_pk(item) for item in returned}
    if status != DeliveryStatus.DONE and (brought or returned_ids):
        raise ValidationError({"status": _("Items are recorded only for a delivery that took place.")})
    if returned_ids - set(selectors.return_candidates(stored).values_list("pk", flat=True)):
        raise ValidationError({"returned": _("The reader does not have this item at home.")})
    delivery.status, delivery.notes = status, notes
    delivery.recorded_at, delivery.recorded_by = timezone.now(), user
    _save_delivery(delivery)
    # What this delivery takes back is exactly what is ticked now.
    DeliveryItem.objects.filter(returned_in=delivery).exclude(pk__in=returned_ids).update(returned_in=None)
    DeliveryItem.objects.filter(pk__in=returned_ids).update(returned_in=delivery)
    removed_ids = {_pk(item) for item in removed}
    if removed_ids:
        DeliveryItem.objects.filter(
            brought_in=delivery, pk__in=removed_ids, returned_in__isnull=True
        ).delete()
    for row in brought:
        title, author = row["title"].strip(), (row.get("author") or "").strip()
        item = DeliveryItem(brought_in=delivery, title=title, author=author)
        _clean(item, exclude=["brought_in", "returned_in"])
        item.save()
    return delivery
