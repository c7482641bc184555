"""Writes to the network registry. Pages, the API and imports all go through these functions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metodist.core import scope
from metodist.network.models import OrgUnit
from metodist.network.signals import unit_moved

# Fields of a unit that a card edit may change (not the tree position: that is unit_move).
CARD_FIELDS = (
    "code",
    "name_ru",
    "name_kk",
    "name_en",
    "kind",
    "opened_on",
    "closed_on",
    "library_type",
    "founding_department",
    "address",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "languages",
    "opening_year",
    "population_served",
    "staff_rate",
    "description",
)
# A librarian edits her own library's card, but not what places it in the network.
STRUCTURAL_FIELDS = ("code", "kind")


def _require(user, unit: OrgUnit | None, capability: str) -> None:
    if unit is None:
        if not (user and user.is_superuser):
            raise PermissionDenied(_("Only a superuser can create a top-level unit."))
        return
    if not scope.covers(user, unit, capability):
        raise PermissionDenied(_("You have no right to do this with “%(unit)s”.") % {"unit": unit.name})


def _validate(unit: OrgUnit, parent: OrgUnit | None) -> None:
    # The card first: an unknown kind must be reported on `kind`, not as a wrong parent.
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit.check_parent_kind(parent)


@transaction.atomic
def unit_create(*, user, parent: OrgUnit | None, data: dict) -> OrgUnit:
    _require(user, parent, "manage_units")
    unknown = set(data) - set(CARD_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    unit = OrgUnit(**data)
    _validate(unit, parent)
    fields = {f: getattr(unit, f) for f in CARD_FIELDS}
    if parent is None:
        return OrgUnit.objects.add_root(create_kwargs=fields)
    parent.refresh_from_db()  # numchild and path may have changed since the caller loaded it
    return OrgUnit.objects.add_child(parent, create_kwargs=fields)


@transaction.atomic
def unit_update(*, user, unit: OrgUnit, data: dict) -> OrgUnit:
    _require(user, unit, "edit_card")
    unknown = set(data) - set(CARD_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    changes_structure = any(f in data and data[f] != getattr(unit, f) for f in STRUCTURAL_FIELDS)
    if changes_structure:
        _require(user, unit, "manage_units")
    for field, value in data.items():
        setattr(unit, field, value)
    _validate(unit, OrgUnit.objects.get_parent(unit))
    unit.save()
    return unit


@transaction.atomic
def unit_move(*, user, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    _require(user, unit, "manage_units")
    _require(user, new_parent, "manage_units")
    if new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("A unit cannot be moved under itself or its own subtree.")})
    unit.check_parent_kind(new_parent)
    old_path = unit.path
    OrgUnit.objects.move(unit, new_parent, pos="last-child")
    unit.refresh_from_db()
    unit_moved.send(sender=OrgUnit, old_path=old_path, new_path=unit.path)
    # treebeard moves by raw SQL; record the move in the unit's history.
    unit._change_reason = _("moved under “%(parent)s”") % {"parent": new_parent.name}
    unit.save()
    return unit


@transaction.atomic
def unit_archive(*, user, unit: OrgUnit) -> int:
    """Archive the unit with its whole subtree; records stay. Answers how many units were archived."""
    _require(user, unit, "manage_units")
    now = timezone.now()
    count = 0
    for member in OrgUnit.objects.under(unit).filter(archived_at__isnull=True):
        member.archived_at = now
        member._change_reason = _("moved to the archive")
        member.save(update_fields=["archived_at", "updated_at"])
        count += 1
    return count


@transaction.atomic
def unit_restore(*, user, unit: OrgUnit) -> int:
    """Bring an archived unit back with its subtree, unless its parent is still archived."""
    _require(user, unit, "manage_units")
    parent = OrgUnit.objects.get_parent(unit)
    if parent is not None and parent.is_archived:
        raise ValidationError(_("Restore “%(parent)s” first: it is archived too.") % {"parent": parent.name})
    count = 0
    for member in OrgUnit.objects.under(unit).filter(archived_at=unit.archived_at):
        member.archived_at = None
        member._change_reason = _("restored from the archive")
        member.save(update_fields=["archived_at", "updated_at"])
        count += 1
    return count
