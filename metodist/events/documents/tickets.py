"""Invitation tickets (PDF): eight per A4 page with cut lines, each with the event, the invitee and a QR code.

The QR code of a ticket made for a participant of the event encodes the absolute check-in URL of that
participant (scanning it at the door marks attendance); a blank ticket, or one for a name that is not on
the list, encodes the event's card instead.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from metodist.events.documents.grammar import date_span_in_words
from metodist.events.documents.pdf import qr_data_uri, render_pdf
from metodist.events.models import HOLDS_PLACE, Event

TICKETS_PER_PAGE = 8
MAX_BLANK = 200
MAX_NAMES = 500


@dataclass
class Ticket:
    name: str  # empty on a blank ticket
    url: str  # what the QR code encodes


def checkin_url(request, event: Event, token: str) -> str:
    """The absolute URL that checks a participant in (the `events:checkin` view)."""
    for args in ([token], [event.pk, token]):
        try:
            return request.build_absolute_uri(reverse("events:checkin", args=args))
        except NoReverseMatch:
            continue
    return request.build_absolute_uri(f"/events/checkin/{token}/")


def event_page_url(event: Event) -> str:
    """The event's card, or its report page while the card page does not exist."""
    try:
        return event.get_absolute_url()
    except NoReverseMatch:
        return reverse("events:report", args=[event.pk])


def tickets_for(
    event: Event,
    *,
    names: list[str] | None = None,
    blank: int | None = None,
    url_for_token: Callable[[str], str],
    event_url: str,
) -> list[Ticket]:
    """The tickets to print: for the given names, `blank` empty ones, or else for everyone invited."""
    if blank is not None:
        if not 1 <= blank <= MAX_BLANK:
            raise ValidationError(
                {"blank": _("Print from 1 to %(max)s blank tickets at a time.") % {"max": MAX_BLANK}}
            )
        return [Ticket(name="", url=event_url) for _i in range(blank)]
    names = [" ".join(n.split()) for n in names or [] if n.strip()]
    if len(names) > MAX_NAMES:
        raise ValidationError({"names": _("Print at most %(max)s tickets at a time.") % {"max": MAX_NAMES}})
    if names:
        # Lower-cased in Python: SQLite's LOWER() folds only ASCII letters.
        tokens = {
            " ".join(name.split()).lower(): token
            for name, token in event.participants.values_list("full_name", "token").order_by("-id")
        }
        return [Ticket(name=n, url=_url(tokens.get(n.lower()), url_for_token, event_url)) for n in names]
    invited = event.participants.filter(status__in=HOLDS_PLACE).order_by("full_name", "id")
    tickets = [Ticket(name=p.full_name, url=url_for_token(p.token)) for p in invited]
    if not tickets:
        raise ValidationError(
            _("No one is invited to this event yet: add participants or print blank tickets.")
        )
    return tickets


def _url(token: str | None, url_for_token: Callable[[str], str], event_url: str) -> str:
    return url_for_token(token) if token else event_url


def invitations_pdf(*, event: Event, tickets: list[Ticket], language: str) -> bytes:
    """The PDF of the tickets, laid out TICKETS_PER_PAGE to an A4 page."""
    with translation.override(language):
        start = timezone.localtime(event.starts_at)
        end = timezone.localtime(event.ends_at) if event.ends_at else None
        items = [
            {"name": t.name, "qr": qr_data_uri(t.url), "col": i % 2, "row": (i // 2) % 4}
            for i, t in enumerate(tickets)
        ]
        pages = [items[i : i + TICKETS_PER_PAGE] for i in range(0, len(items), TICKETS_PER_PAGE)]
        context = {
            "event": event,
            "venue": event.venue_unit.name if event.venue_unit_id else event.venue_text,
            "organiser": event.organiser_unit.name,
            "form": event.form.name if event.form_id else "",
            "date": date_span_in_words(start.date(), end.date() if end else None, language),
            "time": start.strftime("%H:%M"),
            "pages": pages,
            "language": language,
        }
        return render_pdf("events/documents/invitations.html", context)
