"""Reads for the home page, each through the user's scope."""

import datetime

from django.db.models import Count
from django.utils import timezone

from metodist.core import scope
from metodist.core.models import translated
from metodist.network.models import LIBRARY_KINDS, OrgUnit, StaffMember


def user_roles(user) -> list:
    return list(user.roles.select_related("unit").order_by("unit__path"))


def network_figures(user) -> dict:
    """Counts of active units by kind and of current staff in the user's scope (two grouped queries)."""
    units = scope.units(user).filter(archived_at__isnull=True)
    by_kind = {row["kind"]: row["n"] for row in units.values("kind").annotate(n=Count("id")).order_by()}
    staff = scope.records(
        user, StaffMember.objects.filter(left_on__isnull=True, unit__archived_at__isnull=True)
    )
    return {
        "libraries": sum(n for kind, n in by_kind.items() if kind in LIBRARY_KINDS),
        "by_kind": by_kind,
        "staff": staff.count(),
    }


def upcoming_events(user, *, days: int = 14, limit: int = 8) -> list:
    """Events of the user's scope from today over the next `days`, soonest first."""
    from metodist.events.models import EventStatus
    from metodist.events.selectors import events_visible

    today = timezone.localdate()
    return list(
        events_visible(user)
        .filter(
            starts_at__date__gte=today,
            starts_at__date__lte=today + datetime.timedelta(days=days),
            status=EventStatus.PLANNED,
        )
        .order_by("starts_at")[:limit]
    )


def recent_changes(user, *, limit: int = 10) -> list:
    """The latest changes to unit cards in the user's scope."""
    history = OrgUnit.history.model.objects.filter(id__in=scope.units(user).values("id"))
    records = list(history.select_related("history_user").order_by("-history_date")[:limit])
    for record in records:
        # The record's own name fields: `record.instance` would fetch the live unit once per row.
        record.unit_name = translated(record, "name")
    return records
