"""Coordination with libraries of other departments (college, school and other libraries): agreements and
the joint activity with them. Reads go through the user's scope, writes check the right on our side.

An agreement belongs to its owner unit (our side: whoever has `manage_assistance` on it may change it) and
is visible as well to whoever sees the partner library, so a college librarian reads her agreement. The
status of an agreement (valid, expiring, not yet in force, expired) is derived from its term and today,
never stored; the partner list computes it, the current agreement and the counts of joint activity in SQL.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import (
    Case,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metodist.assistance.models import Consultation, CoordinationAgreement, FieldVisit, VisitStatus
from metodist.assistance.selectors import consultations_visible
from metodist.assistance.services import default_unit
from metodist.assistance.visits import visits_visible
from metodist.core import scope
from metodist.events.models import Event, EventStatus
from metodist.events.selectors import events_visible
from metodist.events.services import check_upload
from metodist.network.models import FoundingDepartment, LibraryType, OrgUnit, UnitKind

MANAGE = "manage_assistance"
EXPIRING_DAYS = 60
HISTORY_LIMIT = 50
ACTIVITY_LIMIT = 200
AGREEMENT_FIELDS = (
    "owner_unit",
    "partner_unit",
    "number",
    "signed_on",
    "valid_from",
    "valid_to",
    "subject",
    "joint_plan",
)

OTHER_DEPARTMENTS = (FoundingDepartment.EDUCATION, FoundingDepartment.OTHER)
# Kinds of unit that can be a partner: a library (of another department), a college or a school library.
PARTNER_KINDS = (UnitKind.LIBRARY, UnitKind.COLLEGE_LIBRARY, UnitKind.SCHOOL_LIBRARY)
# Kinds of unit that can sign for our side: a library or one of its departments.
OWNER_KINDS = (UnitKind.LIBRARY, UnitKind.DEPARTMENT)


class AgreementStatus(models.TextChoices):
    VALID = "valid", gettext_lazy("valid")
    EXPIRING = "expiring", gettext_lazy("expiring soon")
    FUTURE = "future", gettext_lazy("not yet in force")
    EXPIRED = "expired", gettext_lazy("expired")
    NONE = "none", gettext_lazy("no agreement")


# --- who is a partner -----------------------------------------------------------------------------------


def other_department_q() -> Q:
    """Libraries founded by another department; a college or school library without one counts as such."""
    return Q(kind__in=PARTNER_KINDS) & (
        Q(founding_department__in=OTHER_DEPARTMENTS)
        | Q(kind__in=(UnitKind.COLLEGE_LIBRARY, UnitKind.SCHOOL_LIBRARY), founding_department="")
    )


def is_other_department(unit: OrgUnit) -> bool:
    if unit.kind not in PARTNER_KINDS:
        return False
    if unit.founding_department in OTHER_DEPARTMENTS:
        return True
    return not unit.founding_department and unit.kind in (UnitKind.COLLEGE_LIBRARY, UnitKind.SCHOOL_LIBRARY)


def partner_units(user) -> QuerySet:
    """Libraries of other departments the user sees: whom an agreement may be made with."""
    return scope.units(user).filter(other_department_q(), archived_at__isnull=True).order_by("path")


def owner_units(user) -> QuerySet:
    """Units that may sign for our side: libraries and departments where the user manages assistance."""
    return (
        scope.units(user, MANAGE)
        .filter(kind__in=OWNER_KINDS, archived_at__isnull=True)
        .exclude(other_department_q())
        .order_by("path")
    )


def default_owner(user) -> OrgUnit | None:
    """The user's own library where she manages assistance; for a territory role, its main library."""
    unit = default_unit(user)
    if unit is None:
        return None
    if unit.kind in OWNER_KINDS and not is_other_department(unit):
        return unit
    rank = Case(
        When(library_type=LibraryType.REGIONAL, then=Value(0)),
        When(library_type__in=(LibraryType.CENTRAL_CITY, LibraryType.CENTRAL_DISTRICT), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        owner_units(user)
        .filter(path__startswith=unit.path, kind=UnitKind.LIBRARY)
        .annotate(rank=rank)
        .order_by("rank", "depth", "path")
        .first()
    )


# --- agreements -----------------------------------------------------------------------------------------


def agreements_visible(user, capability: str = scope.VIEW) -> QuerySet:
    """Agreements the user may see (owner or partner in scope) or change (`manage_assistance` on owner)."""
    qs = CoordinationAgreement.objects.select_related("owner_unit", "partner_unit", "created_by")
    if capability != scope.VIEW:
        return scope.records(user, qs, capability, unit_field="owner_unit")
    allowed = scope.prefixes(user, scope.VIEW)
    if allowed is None:
        return qs
    if not allowed:
        return qs.none()
    condition = Q()
    for prefix in allowed:
        condition |= Q(owner_unit__path__startswith=prefix) | Q(partner_unit__path__startswith=prefix)
    return qs.filter(condition)


def get_agreement_or_404(user, pk, capability: str = scope.VIEW) -> CoordinationAgreement:
    try:
        return agreements_visible(user, capability).get(pk=pk)
    except (CoordinationAgreement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_manage_agreement(user, agreement: CoordinationAgreement) -> bool:
    return scope.covers(user, agreement.owner_unit, MANAGE)


def may_record(user) -> bool:
    return scope.prefixes(user, MANAGE) != ()


def _renewed() -> QuerySet:
    """A later agreement of the same sides that runs beyond the one in `OuterRef`: it was renewed."""
    return CoordinationAgreement.objects.filter(
        owner_unit=OuterRef("owner_unit"),
        partner_unit=OuterRef("partner_unit"),
        valid_from__gt=OuterRef("valid_from"),
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("valid_to")))


def agreement_status(agreement: CoordinationAgreement, today: datetime.date) -> str:
    """The status of one agreement on `today` (the card; the list computes the same in SQL)."""
    if agreement.valid_from > today:
        return AgreementStatus.FUTURE
    if agreement.valid_to is None:
        return AgreementStatus.VALID
    if agreement.valid_to < today:
        return AgreementStatus.EXPIRED
    if agreement.valid_to <= today + datetime.timedelta(days=EXPIRING_DAYS):
        # The conditions of `_renewed`, with the outer references replaced by this agreement's values.
        renewed = CoordinationAgreement.objects.filter(
            owner_unit=agreement.owner_unit_id,
            partner_unit=agreement.partner_unit_id,
            valid_from__gt=agreement.valid_from,
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=agreement.valid_to))
        if not renewed.exists():
            return AgreementStatus.EXPIRING
    return AgreementStatus.VALID


def expiring_agreements(user, *, today: datetime.date, days: int = EXPIRING_DAYS) -> QuerySet:
    """Visible agreements in force that end within `days` and were not renewed, soonest first."""
    return (
        agreements_visible(user)
        .filter(
            valid_from__lte=today, valid_to__gte=today, valid_to__lte=today + datetime.timedelta(days=days)
        )
        .exclude(models.Exists(_renewed()))
        .order_by("valid_to", "pk")
    )


def agreement_history(agreement: CoordinationAgreement, *, limit: int = HISTORY_LIMIT) -> list[dict]:
    """Changes of the agreement, newest first, with the fields that changed between versions."""
    records = list(
        agreement.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    pairs = list(zip(records, [*records[1:], None], strict=False))[:limit]
    diffs = [
        (newer, newer.diff_against(older).changes if older is not None else []) for newer, older in pairs
    ]
    # Units appear in the diff by their id: one query names them all.
    unit_ids = {
        value
        for _newer, changes in diffs
        for change in changes
        if change.field in ("owner_unit", "partner_unit")
        for value in (change.old, change.new)
        if value
    }
    names = {u.pk: u.name for u in OrgUnit.objects.filter(pk__in=unit_ids)}
    changes = []
    for newer, field_changes in diffs:
        diff = []
        for change in field_changes:
            if change.field == "created_by":
                continue
            field = CoordinationAgreement._meta.get_field(change.field)
            old, new = change.old, change.new
            if change.field in ("owner_unit", "partner_unit"):
                old, new = names.get(old, old), names.get(new, new)
            diff.append({"field": field.verbose_name, "old": old, "new": new})
        changes.append({"record": newer, "diff": diff})
    return changes


# --- joint activity -------------------------------------------------------------------------------------


def _joint_events(user, unit) -> QuerySet:
    """Events held at the library or with participants from it; `unit` may be an `OuterRef`."""
    return (
        events_visible(user)
        .exclude(status=EventStatus.CANCELLED)
        .filter(Q(venue_unit=unit) | Q(participants__unit=unit))
    )


def _consultations_to(user, unit) -> QuerySet:
    return consultations_visible(user).filter(to_unit=unit)


def _visits_to(user, unit) -> QuerySet:
    return visits_visible(user).exclude(status=VisitStatus.CANCELLED).filter(destinations=unit)


class _CountDistinct(Func):
    function = "COUNT"
    template = "COUNT(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def _count(queryset: QuerySet) -> Subquery:
    """The number of distinct rows of a correlated queryset, as one SQL expression."""
    counted = queryset.order_by().annotate(n=_CountDistinct(F("pk"))).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def partner_libraries(
    user,
    *,
    year: int,
    today: datetime.date,
    department: str = "",
    kind: str = "",
    status: str = "",
) -> QuerySet:
    """Libraries of other departments in the user's scope with their current agreement and joint activity.

    Annotated in SQL: `agreement_id` (the agreement in force, else the next one, else the last expired),
    `status` (an `AgreementStatus`), and the year's `events`, `consultations` and `visits` with the library.
    """
    here = OuterRef("pk")
    agreements = CoordinationAgreement.objects.filter(partner_unit=here)
    in_force = agreements.filter(valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    in_force = in_force.order_by(F("valid_to").desc(nulls_first=True), "-signed_on", "-pk")
    upcoming = agreements.filter(valid_from__gt=today).order_by("valid_from", "pk")
    ended = agreements.filter(valid_to__lt=today).order_by("-valid_to", "-pk")
    soon = today + datetime.timedelta(days=EXPIRING_DAYS)
    units = (
        scope.units(user)
        .filter(other_department_q(), archived_at__isnull=True)
        .annotate(
            current_id=Subquery(in_force.values("pk")[:1]),
            current_to=Subquery(in_force.values("valid_to")[:1]),
            upcoming_id=Subquery(upcoming.values("pk")[:1]),
            ended_id=Subquery(ended.values("pk")[:1]),
        )
        .annotate(
            agreement_id=Coalesce("current_id", "upcoming_id", "ended_id"),
            status=Case(
                When(
                    current_id__isnull=False,
                    current_to__isnull=False,
                    current_to__lte=soon,
                    upcoming_id__isnull=True,
                    then=Value(AgreementStatus.EXPIRING.value),
                ),
                When(current_id__isnull=False, then=Value(AgreementStatus.VALID.value)),
                When(upcoming_id__isnull=False, then=Value(AgreementStatus.FUTURE.value)),
                When(ended_id__isnull=False, then=Value(AgreementStatus.EXPIRED.value)),
                default=Value(AgreementStatus.NONE.value),
                output_field=models.CharField(),
            ),
            events=_count(_joint_events(user, here).filter(starts_at__year=year)),
            consultations=_count(_consultations_to(user, here).filter(date__year=year)),
            visits=_count(_visits_to(user, here).filter(start__year=year)),
        )
    )
    if department:
        if department in OTHER_DEPARTMENTS:
            units = units.filter(founding_department=department)
        else:
            units = units.none()
    if kind:
        units = units.filter(kind=kind)
    if status:
        units = units.filter(status=status)
    return units.order_by("path")


def attach_agreements(rows) -> list:
    """Put each row's current agreement on it as `agreement` (one query a page) and its status label."""
    rows = list(rows)
    found = CoordinationAgreement.objects.in_bulk([r.agreement_id for r in rows if r.agreement_id])
    for row in rows:
        row.agreement = found.get(row.agreement_id)
        row.status_label = AgreementStatus(row.status).label
    return rows


def joint_activity(user, agreement: CoordinationAgreement) -> dict[str, QuerySet]:
    """What was done with the partner during the agreement's term: events, consultations, visits."""
    unit = agreement.partner_unit
    start, end = agreement.valid_from, agreement.valid_to
    events = Event.objects.filter(pk__in=_joint_events(user, unit).values("pk")).select_related(
        "form", "organiser_unit", "venue_unit"
    )
    events = events.filter(starts_at__date__gte=start)
    consultations = _consultations_to(user, unit).filter(date__gte=start)
    visits = FieldVisit.objects.filter(pk__in=_visits_to(user, unit).values("pk")).filter(end__gte=start)
    if end is not None:
        events = events.filter(starts_at__date__lte=end)
        consultations = consultations.filter(date__lte=end)
        visits = visits.filter(start__lte=end)
    return {
        "events": events.order_by("starts_at", "pk"),
        "consultations": consultations.order_by("date", "pk"),
        "visits": visits.select_related("organiser_unit").order_by("start", "pk"),
    }


def can_manage_consultation(user, consultation: Consultation) -> bool:
    return scope.covers(user, consultation.consultant_unit, MANAGE)


# --- writes ---------------------------------------------------------------------------------------------


def _require_manage(user, unit: OrgUnit) -> None:
    if not scope.covers(user, unit, MANAGE):
        raise PermissionDenied(_("You have no right to keep agreements of “%(unit)s”.") % {"unit": unit.name})


def _check_partner(user, partner: OrgUnit | None) -> None:
    if partner is None:
        return
    if not scope.covers(user, partner, scope.VIEW):
        raise ValidationError({"partner_unit": _("Choose a library of your part of the network.")})
    if not is_other_department(partner):
        raise ValidationError({"partner_unit": not_other_department_message(partner)})


def not_other_department_message(unit: OrgUnit) -> str:
    if unit.founding_department == FoundingDepartment.CULTURE:
        return _(
            "“%(unit)s” is a library of the culture department: coordination agreements are made with "
            "libraries of other departments."
        ) % {"unit": unit.name}
    return _("“%(unit)s” is not a library of another department.") % {"unit": unit.name}


def _check_file(file) -> None:
    try:
        check_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc


def _save(agreement: CoordinationAgreement) -> CoordinationAgreement:
    try:
        agreement.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    agreement.save()
    return agreement


@transaction.atomic
def agreement_create(*, user, data: dict, file=None) -> CoordinationAgreement:
    """Record an agreement of `data["owner_unit"]` (default: the user's library) with a partner library."""
    fields = {name: value for name, value in data.items() if name in AGREEMENT_FIELDS}
    owner = fields.get("owner_unit") or default_owner(user)
    if owner is None:
        raise PermissionDenied(_("You have no right to keep agreements."))
    fields["owner_unit"] = owner
    _require_manage(user, owner)
    _check_partner(user, fields.get("partner_unit"))
    agreement = CoordinationAgreement(**fields, created_by=user)
    if file:
        _check_file(file)
        agreement.file = file
    return _save(agreement)


@transaction.atomic
def agreement_update(
    *, user, agreement: CoordinationAgreement, data: dict, file=None, remove_file: bool = False
) -> CoordinationAgreement:
    """Change the fields in `data`; a new `file` replaces the stored one, `remove_file` drops it."""
    # The stored sides, not what a form may already have put on the object in memory.
    stored = CoordinationAgreement.objects.select_related("owner_unit", "partner_unit").get(pk=agreement.pk)
    _require_manage(user, stored.owner_unit)
    fields = {name: value for name, value in data.items() if name in AGREEMENT_FIELDS}
    if fields.get("owner_unit") is not None and fields["owner_unit"] != stored.owner_unit:
        _require_manage(user, fields["owner_unit"])
    if "partner_unit" in fields and fields["partner_unit"] != stored.partner_unit:
        _check_partner(user, fields["partner_unit"])
    for name, value in fields.items():
        setattr(agreement, name, value)
    if file:
        _check_file(file)
        agreement.file = file
    elif remove_file:
        agreement.file = ""
    else:
        agreement.file = stored.file
    return _save(agreement)


@transaction.atomic
def agreement_delete(*, user, agreement: CoordinationAgreement) -> None:
    stored = CoordinationAgreement.objects.select_related("owner_unit").get(pk=agreement.pk)
    _require_manage(user, stored.owner_unit)
    stored.delete()
