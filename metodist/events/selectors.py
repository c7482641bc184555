"""Reads of events, always through the user's scope.

An event is visible to whoever sees its organiser's unit or its venue (a village library sees the events
held in it); it can be changed by whoever has `manage_events` on its organiser's unit.
"""

import datetime
import re

from django.db.models import Q, QuerySet
from django.http import Http404

from metodist.core import scope
from metodist.events.models import Event, FormOfWork
from metodist.network.models import OrgUnit

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


def filter_events(
    events: QuerySet,
    *,
    under: OrgUnit | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    form: FormOfWork | None = None,
    family: str = "",
    status: str = "",
    audience: str = "",
) -> QuerySet:
    """Narrow events already limited to the user's scope: held or organised under `under`, in the period."""
    if under is not None:
        events = events.filter(
            Q(organiser_unit__path__startswith=under.path) | Q(venue_unit__path__startswith=under.path)
        )
    if date_from:
        # An event of several days counts in every period it touches.
        events = events.filter(
            Q(ends_at__date__gte=date_from) | Q(ends_at__isnull=True, starts_at__date__gte=date_from)
        )
    if date_to:
        events = events.filter(starts_at__date__lte=date_to)
    if form is not None:
        events = events.filter(form=form)
    if family:
        events = events.filter(family=family)
    if status:
        events = events.filter(status=status)
    if audience.strip():
        # A regex, not icontains: SQLite's LIKE folds only ASCII case, and audiences are Cyrillic.
        events = events.filter(audience__iregex=re.escape(audience.strip()))
    return events
