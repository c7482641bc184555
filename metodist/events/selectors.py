"""Reads of events, always through the user's scope.

An event is visible to whoever sees its organiser's unit or its venue (a village library sees the events
held in it); it can be changed by whoever has `manage_events` on its organiser's unit.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from metodist.core import scope
from metodist.events.models import Event

MANAGE = "manage_events"


def events_visible(user, capability: str = scope.VIEW) -> QuerySet:
    """Events the user may see (`view`) or change (`manage_events`)."""
    qs = Event.objects.select_related("form", "organiser_unit", "venue_unit")
    if capability != scope.VIEW:
        return scope.records(user, qs, capability, unit_field="organiser_unit")
    allowed = scope.prefixes(user, scope.VIEW)
    if allowed is None:
        return qs
    if not allowed:
        return qs.none()
    condition = Q()
    for prefix in allowed:
        condition |= Q(organiser_unit__path__startswith=prefix) | Q(venue_unit__path__startswith=prefix)
    return qs.filter(condition)


def get_event_or_404(user, pk, capability: str = scope.VIEW) -> Event:
    try:
        return events_visible(user, capability).get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_manage(user, event: Event) -> bool:
    return scope.covers(user, event.organiser_unit, MANAGE)
