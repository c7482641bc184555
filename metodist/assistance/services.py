"""Writes of consultations: create and update, with the right checked on the consultant's unit."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from metodist.assistance.models import Consultation, Direction
from metodist.core import scope
from metodist.network.models import OrgUnit

MANAGE = "manage_assistance"
FIELDS = (
    "date",
    "consultant_unit",
    "to_unit",
    "to_department",
    "to_people",
    "form",
    "mode",
    "topic",
    "people_count",
    "duration_minutes",
    "result",
)


def default_unit(user) -> OrgUnit | None:
    """The unit a user's consultations belong to by default: the unit of their role that allows recording."""
    roles = user.roles.select_related("unit").order_by("-unit__depth", "unit__path")
    for role in roles:
        if MANAGE in role.capabilities:
            return role.unit
    return scope.roots(user, MANAGE).first()


def _require_manage(user, unit: OrgUnit) -> None:
    if not scope.covers(user, unit, MANAGE):
        raise PermissionDenied(
            _("You have no right to record consultations of “%(unit)s”.") % {"unit": unit.name}
        )


def _require_visible(user, unit: OrgUnit | None) -> None:
    if unit is not None and not scope.covers(user, unit, scope.VIEW):
        raise ValidationError({"to_unit": _("Choose a unit of your part of the network.")})


def _save(consultation: Consultation, directions: Iterable[Direction] | None) -> Consultation:
    try:
        consultation.full_clean(exclude=["consultant", "created_by"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    consultation.save()
    if directions is not None:
        consultation.directions.set(directions)
    return consultation


@transaction.atomic
def consultation_create(*, user, data: dict, directions: Iterable[Direction] = ()) -> Consultation:
    """Record a consultation given by `user` (or `data["consultant"]`) for `data["consultant_unit"]`."""
    fields = {name: value for name, value in data.items() if name in FIELDS}
    unit = fields.get("consultant_unit") or default_unit(user)
    if unit is None:
        raise PermissionDenied(_("You have no right to record consultations."))
    fields["consultant_unit"] = unit
    _require_manage(user, unit)
    _require_visible(user, fields.get("to_unit"))
    consultation = Consultation(**fields, consultant=data.get("consultant") or user, created_by=user)
    return _save(consultation, list(directions))


@transaction.atomic
def consultation_update(
    *, user, consultation: Consultation, data: dict, directions: Iterable[Direction] | None = None
) -> Consultation:
    """Change the fields in `data`; `directions`, when given, replace the directions."""
    # The stored unit, not one a form may already have put on the object in memory.
    stored = Consultation.objects.select_related("consultant_unit").get(pk=consultation.pk)
    _require_manage(user, stored.consultant_unit)
    fields = {name: value for name, value in data.items() if name in FIELDS}
    if fields.get("consultant_unit") is not None:
        _require_manage(user, fields["consultant_unit"])
    if "to_unit" in fields and fields["to_unit"] != stored.to_unit:
        _require_visible(user, fields["to_unit"])
    for name, value in fields.items():
        setattr(consultation, name, value)
    if data.get("consultant") is not None:
        consultation.consultant = data["consultant"]
    return _save(consultation, None if directions is None else list(directions))
