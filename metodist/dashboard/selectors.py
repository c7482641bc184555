"""Reads for the home page, each through the user's scope."""

from django.db.models import Count

from metodist.core import scope
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


def recent_changes(user, *, limit: int = 10) -> list:
    """The latest changes to unit cards in the user's scope."""
    history = OrgUnit.history.model.objects.filter(id__in=scope.units(user).values("id"))
    return list(history.select_related("history_user").order_by("-history_date")[:limit])
