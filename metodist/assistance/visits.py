"""Field visits: reads through the user's scope, the yearly plan, the units not visited lately, and writes.

A visit is visible to whoever sees its organiser unit or one of its destination units; it can be changed by
whoever has `manage_assistance` on the organiser unit. Findings are replaced as a whole when the visit's
report is saved; recommendations are added, corrected or (while nobody has answered them) deleted one by
one, so the answers given survive an edit of the visit. Photos are added and removed one by one.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import DateField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.utils.translation import gettext as _

from metodist.assistance import recommendations as recs
from metodist.assistance.models import FieldVisit, VisitFinding, VisitPhoto, VisitStatus
from metodist.assistance.services import default_unit
from metodist.core import scope
from metodist.events.services import check_upload
from metodist.network.models import OrgUnit, UnitKind

MANAGE = "manage_assistance"
VISIT_FIELDS = ("start", "end", "organiser_unit", "purpose", "team", "transport", "status", "people_met")


# --- reads ----------------------------------------------------------------------------------------------


def visits_visible(user, capability: str = scope.VIEW) -> QuerySet:
    """Visits the user may see (`view`) or change (`manage_assistance`)."""
    qs = FieldVisit.objects.select_related("organiser_unit")
    if capability != scope.VIEW:
        return scope.records(user, qs, capability, unit_field="organiser_unit")
    allowed = scope.prefixes(user, scope.VIEW)
    if allowed is None:
        return qs
    if not allowed:
        return qs.none()
    condition = Q()
    for prefix in allowed:
        condition |= Q(organiser_unit__path__startswith=prefix) | Q(destinations__path__startswith=prefix)
    # The join on destinations repeats a visit; the subquery keeps each once.
    return qs.filter(pk__in=FieldVisit.objects.filter(condition).values("pk"))


def get_visit_or_404(user, pk, capability: str = scope.VIEW) -> FieldVisit:
    try:
        return visits_visible(user, capability).get(pk=pk)
    except (FieldVisit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_manage_visit(user, visit: FieldVisit) -> bool:
    return scope.covers(user, visit.organiser_unit, MANAGE)


def filter_visits(
    visits: QuerySet,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    unit: OrgUnit | None = None,
    status: str = "",
) -> QuerySet:
    """Narrow visits already limited to the user's scope: overlapping the period, to a unit's subtree."""
    if date_from:
        visits = visits.filter(end__gte=date_from)
    if date_to:
        visits = visits.filter(start__lte=date_to)
    if unit is not None:
        visits = visits.filter(
            pk__in=FieldVisit.objects.filter(destinations__path__startswith=unit.path).values("pk")
        )
    if status:
        visits = visits.filter(status=status)
    return visits


def yearly_plan(visits: QuerySet, *, year: int) -> list[tuple[int, list[FieldVisit]]]:
    """The year's visits by month of their start: twelve (month, visits) pairs."""
    rows = (
        visits.filter(start__year=year)
        .annotate(month=ExtractMonth("start"))
        .prefetch_related("destinations")
        .order_by("start", "id")
    )
    months: dict[int, list[FieldVisit]] = {m: [] for m in range(1, 13)}
    for visit in rows:
        months[visit.month].append(visit)
    return list(months.items())


def months_ago(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    # The 31st of a shorter month falls back to that month's last day.
    for last in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def units_not_visited(user, *, months: int, today: datetime.date) -> QuerySet:
    """Libraries in the user's scope whose last done visit ended before `months` ago (or never happened).

    `last_visit` is annotated by a correlated subquery, so the whole list is one SQL query.
    """
    last_done = (
        FieldVisit.objects.filter(destinations=OuterRef("pk"), status=VisitStatus.DONE)
        .order_by("-end")
        .values("end")[:1]
    )
    cutoff = months_ago(today, months)
    return (
        scope.units(user)
        .filter(kind=UnitKind.LIBRARY, archived_at__isnull=True)
        .annotate(last_visit=Subquery(last_done, output_field=DateField()))
        .filter(Q(last_visit__lt=cutoff) | Q(last_visit__isnull=True))
        .order_by("last_visit", "path")
    )


# --- writes ---------------------------------------------------------------------------------------------


def _require_manage(user, unit: OrgUnit) -> None:
    if not scope.covers(user, unit, MANAGE):
        raise PermissionDenied(_("You have no right to record visits of “%(unit)s”.") % {"unit": unit.name})


def _require_visible(user, units: Iterable[OrgUnit], field: str = "destinations") -> None:
    for unit in units:
        if not scope.covers(user, unit, scope.VIEW):
            raise ValidationError({field: _("Choose a unit of your part of the network.")})


def _save_findings(visit: FieldVisit, findings: Iterable[dict]) -> None:
    visit.findings.all().delete()
    VisitFinding.objects.bulk_create(
        VisitFinding(visit=visit, direction=f["direction"], unit=f.get("unit"), text=f["text"])
        for f in findings
    )


def _save_recommendations(user, visit: FieldVisit, recommendations: Iterable[dict]) -> None:
    """Rows without `id` are new; rows with `id` correct that recommendation of the visit (or delete it
    with `DELETE`, refused once answered). Recommendations not named are left as they are."""
    existing = {r.pk: r for r in visit.recommendations.all()} if visit.pk else {}
    for data in recommendations:
        pk = data.get("id")
        if not pk:
            if not data.get("DELETE"):
                recs.recommendation_create(user=user, data=data, visit=visit)
            continue
        recommendation = existing.get(pk)
        if recommendation is None:
            raise ValidationError({"recommendations": _("The recommendation is not one of this visit.")})
        if data.get("DELETE"):
            recs.recommendation_delete(user=user, recommendation=recommendation)
        else:
            recs.recommendation_update(user=user, recommendation=recommendation, data=data)


def _check_photos(photos: Iterable[File]) -> list[File]:
    photos = [p for p in photos if p]
    errors = []
    for photo in photos:
        try:
            check_upload(photo, images_only=True)
        except ValidationError as exc:
            errors += [f"{photo.name}: {message}" for message in exc.messages]
    if errors:
        raise ValidationError({"photos": errors})
    return photos


def _add_photos(visit: FieldVisit, photos: list[File], caption: str = "") -> list[VisitPhoto]:
    return [VisitPhoto.objects.create(visit=visit, file=photo, caption=caption.strip()) for photo in photos]


@transaction.atomic
def visit_create(
    *,
    user,
    data: dict,
    destinations: Iterable[OrgUnit],
    findings: Iterable[dict] = (),
    recommendations: Iterable[dict] = (),
    photos: Iterable[File] = (),
    photo_caption: str = "",
) -> FieldVisit:
    """Record a visit of `data["organiser_unit"]` (default: the user's unit) with its report pieces."""
    fields = {name: value for name, value in data.items() if name in VISIT_FIELDS}
    unit = fields.get("organiser_unit") or default_unit(user)
    if unit is None:
        raise PermissionDenied(_("You have no right to record visits."))
    fields["organiser_unit"] = unit
    _require_manage(user, unit)
    destinations = list(destinations)
    if not destinations:
        raise ValidationError({"destinations": _("Choose at least one unit to visit.")})
    _require_visible(user, destinations)
    photos = _check_photos(photos)
    visit = FieldVisit(**fields, created_by=user)
    visit.full_clean(exclude=["created_by"])
    visit.save()
    visit.destinations.set(destinations)
    _save_findings(visit, findings)
    _save_recommendations(user, visit, recommendations)
    _add_photos(visit, photos, photo_caption)
    return visit


@transaction.atomic
def visit_update(
    *,
    user,
    visit: FieldVisit,
    data: dict,
    destinations: Iterable[OrgUnit] | None = None,
    findings: Iterable[dict] | None = None,
    recommendations: Iterable[dict] = (),
    photos: Iterable[File] = (),
    photo_caption: str = "",
) -> FieldVisit:
    """Change the visit; `findings`, when given, replace its findings; `recommendations` are added or,
    with an `id`, corrected or deleted (see `_save_recommendations`); `photos` are added."""
    stored = FieldVisit.objects.select_related("organiser_unit").get(pk=visit.pk)
    _require_manage(user, stored.organiser_unit)
    photos = _check_photos(photos)
    fields = {name: value for name, value in data.items() if name in VISIT_FIELDS}
    if fields.get("organiser_unit") is not None:
        _require_manage(user, fields["organiser_unit"])
    for name, value in fields.items():
        setattr(visit, name, value)
    visit.full_clean(exclude=["created_by"])
    visit.save()
    if destinations is not None:
        destinations = list(destinations)
        added = set(destinations) - set(stored.destinations.all())
        _require_visible(user, added)
        if not destinations:
            raise ValidationError({"destinations": _("Choose at least one unit to visit.")})
        visit.destinations.set(destinations)
    if findings is not None:
        _save_findings(visit, findings)
    _save_recommendations(user, visit, recommendations)
    _add_photos(visit, photos, photo_caption)
    return visit


@transaction.atomic
def visit_photos_add(
    *, user, visit: FieldVisit, photos: Iterable[File], caption: str = ""
) -> list[VisitPhoto]:
    """Add photos (images, checked by content) to a visit; `caption` goes under each of them."""
    _require_manage(user, visit.organiser_unit)
    photos = _check_photos(photos)
    if not photos:
        raise ValidationError({"photos": _("Choose one or more photos.")})
    return _add_photos(visit, photos, caption)


@transaction.atomic
def visit_photo_delete(*, user, photo: VisitPhoto) -> None:
    _require_manage(user, photo.visit.organiser_unit)
    photo.file.delete(save=False)
    photo.delete()


def get_photo_or_404(user, pk, photo_pk) -> VisitPhoto:
    """A photo of a visit the user sees."""
    visit = get_visit_or_404(user, pk)
    try:
        return visit.photos.select_related("visit__organiser_unit").get(pk=photo_pk)
    except (VisitPhoto.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
