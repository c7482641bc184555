"""Pages of events: the list with filters and its XLSX export, the calendar, the card, create/edit/copy,
photos and files, and the private iCal feeds.

Every lookup goes through `metodist.events.selectors`; every write through `metodist.events.services`.
"""

import calendar as pycalendar
import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from metodist.core import scope
from metodist.core.submit_once import SubmitOnce, form_key
from metodist.events import services
from metodist.events.forms import (
    HANDOUT_PREFIX,
    SECTION_PREFIX,
    CalendarFeedForm,
    EventFileForm,
    EventFilterForm,
    EventForm,
    HandoutFormSet,
    SectionFormSet,
    handout_rows,
    raw_rows,
)
from metodist.events.models import CalendarFeed, Event, EventFamily, EventFile, EventFileKind, EventStatus
from metodist.events.selectors import MANAGE, can_manage, events_visible, filter_events, get_event_or_404

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50
EXPORT_LIMIT = 20_000
# A double click on "Save" must not create two events: the form carries a key remembered this long.
FAMILY_BADGE = {
    EventFamily.TRAINING: "text-bg-primary",
    EventFamily.PUBLIC: "text-bg-success",
    EventFamily.OPENING: "text-bg-warning",
}
SECTION_FIELDS = ("speaker", "speaker_position", "speaker_unit", "topic", "summary")
HANDOUT_FIELDS = ("id", "title", "remove")
# Pages of other parts of the card; a button shows only once its page exists.
CARD_ACTIONS = (
    ("events:participants", "people", gettext_lazy("Participants and attendance")),
    ("events:invitations_pdf", "ticket-perforated", gettext_lazy("Invitations (PDF)")),
    ("events:report", "newspaper", gettext_lazy("News report")),
    ("events:certificates_pdf", "award", gettext_lazy("Certificates (PDF)")),
    ("events:report_docx", "file-earmark-word", gettext_lazy("Event report (DOCX)")),
)


def _require_view(user) -> None:
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied


def _may_plan(user) -> bool:
    return scope.prefixes(user, MANAGE) != ()


def _badge(events) -> None:
    for event in events:
        event.badge_class = FAMILY_BADGE.get(event.family, "text-bg-secondary")


def _optional_url(name: str, *args) -> str | None:
    """The URL of a page another part provides, or None while that part is not there yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- the list -------------------------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[EventFilterForm, QuerySet]:
    form = EventFilterForm(request.GET or None, user=request.user)
    events = filter_events(events_visible(request.user), **form.filters())
    return form, events


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form, events = _filtered(request)
    page = Paginator(events.order_by("-starts_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    _badge(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav_active": "events",
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_plan": _may_plan(request.user),
    }
    if request.htmx and request.htmx.target == "event-rows":
        return render(request, "events/event_list.html#rows", context)
    return render(request, "events/event_list.html", context)


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    # Excel knows no time zones: the local wall-clock time, as the user sees it on the pages.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _export_columns() -> list[tuple[str, int]]:
    return [
        (_("Starts"), 17),
        (_("Ends"), 17),
        (_("Title"), 50),
        (_("Form of work"), 28),
        (_("Family"), 22),
        (_("Status"), 14),
        (_("Organiser"), 36),
        (_("Venue"), 36),
        (_("Room"), 16),
        (_("Audience"), 28),
        (_("Planned participants"), 12),
        (_("Actual participants"), 12),
        (_("Goal"), 50),
        (_("Expected result"), 50),
        (_("Outcome"), 50),
        (_("Programme"), 60),
    ]


def events_xlsx(events: QuerySet) -> bytes:
    """The events as a workbook: translated titles, then one row per event; dates are Excel dates."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Events"))
    sheet.freeze_panes = "C2"
    columns = _export_columns()
    for index, (_title, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F0")
    titles = []
    for title, _width in columns:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(wrap_text=True, vertical="top")
        titles.append(cell)
    sheet.append(titles)
    for event in events:
        programme = "; ".join(
            " — ".join(part for part in (s.speaker_name, s.topic) if part) for s in event.sections.all()
        )
        values = [
            _local(event.starts_at),
            _local(event.ends_at),
            event.title,
            event.form.name if event.form else "",
            event.get_family_display(),
            event.get_status_display(),
            event.organiser_unit.name,
            event.venue,
            event.room,
            event.audience,
            event.participants_planned,
            event.participants_actual,
            event.goal,
            event.expected_result,
            event.outcome,
            programme,
        ]
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime.datetime):
                cell.number_format = "dd.mm.yyyy hh:mm"
            elif isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@login_required
def event_export(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    _form, events = _filtered(request)
    events = events.order_by("starts_at", "id").prefetch_related("sections")[:EXPORT_LIMIT]
    response = HttpResponse(events_xlsx(events), content_type=XLSX_CONTENT_TYPE)
    filename = f"events-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


# --- the calendar ---------------------------------------------------------------------------------------


def _events_between(user, first: datetime.date, last: datetime.date, filters: dict) -> list[Event]:
    events = filter_events(events_visible(user), **{**filters, "date_from": first, "date_to": last})
    events = list(events.order_by("starts_at", "id"))
    _badge(events)
    return events


def _by_day(events: list[Event], first: datetime.date, last: datetime.date) -> dict[datetime.date, list]:
    days: dict[datetime.date, list] = {}
    for event in events:
        start = timezone.localtime(event.starts_at).date()
        end = timezone.localtime(event.ends_at).date() if event.ends_at else start
        day = max(start, first)
        while day <= min(end, last):
            days.setdefault(day, []).append(event)
            day += datetime.timedelta(days=1)
    return days


def _parse_month(value: str | None, today: datetime.date) -> datetime.date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _parse_day(value: str | None, today: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return today


@login_required
def calendar_month(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    today = timezone.localdate()
    month = _parse_month(request.GET.get("month"), today)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    form = EventFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    events = _events_between(request.user, weeks[0][0], weeks[-1][-1], filters)
    days = _by_day(events, weeks[0][0], weeks[-1][-1])
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    context = {
        "nav_active": "events",
        "mode": "month",
        "can_plan": _may_plan(request.user),
        "form": form,
        "month": month,
        "weeks": [[(day, days.get(day, [])) for day in week] for week in weeks],
        "weekdays": weeks[0],
        "today": today,
        "previous": previous.strftime("%Y-%m"),
        "following": following.strftime("%Y-%m"),
        "this_month": today.strftime("%Y-%m"),
        "filter_query": _filter_query(request, drop=("month", "date")),
    }
    return render(request, "events/calendar.html", context)


@login_required
def calendar_week(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    today = timezone.localdate()
    day = _parse_day(request.GET.get("date"), today)
    monday = day - datetime.timedelta(days=day.weekday())
    sunday = monday + datetime.timedelta(days=6)
    form = EventFilterForm(request.GET or None, user=request.user)
    events = _events_between(request.user, monday, sunday, form.filters())
    days = _by_day(events, monday, sunday)
    week = [monday + datetime.timedelta(days=i) for i in range(7)]
    context = {
        "nav_active": "events",
        "mode": "week",
        "form": form,
        "days": [(d, days.get(d, [])) for d in week],
        "monday": monday,
        "sunday": sunday,
        "today": today,
        "month": monday.replace(day=1),
        "previous": (monday - datetime.timedelta(days=7)).isoformat(),
        "following": (monday + datetime.timedelta(days=7)).isoformat(),
        "this_week": today.isoformat(),
        "filter_query": _filter_query(request, drop=("month", "date")),
    }
    return render(request, "events/calendar.html", context)


def _filter_query(request: HttpRequest, *, drop: tuple[str, ...]) -> str:
    query = request.GET.copy()
    for name in drop:
        query.pop(name, None)
    return query.urlencode()


# --- the card -------------------------------------------------------------------------------------------


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_or_404(request.user, pk)
    event.badge_class = FAMILY_BADGE.get(event.family, "text-bg-secondary")
    # The joint activities with partners (another part's records, read through the reverse relation):
    # only those whose partner the user may see, with the partner, in one query.
    activities = Event.partner_activities.rel.related_model.objects.select_related("partner")
    prefetch_related_objects(
        [event],
        Prefetch(
            "partner_activities",
            queryset=scope.filter_by_path(request.user, activities, path_field="partner__unit__path"),
        ),
    )
    manage = can_manage(request.user, event)
    files = list(event.files.all())
    actions = [
        {"url": url, "icon": icon, "label": label}
        for name, icon, label in CARD_ACTIONS
        if (url := _optional_url(name, event.pk))
    ]
    context = {
        "nav_active": "events",
        "event": event,
        "sections": event.sections.select_related("speaker_staff"),
        "handouts": event.handouts.all(),
        "photos": [f for f in files if f.kind == EventFileKind.PHOTO],
        "attachments": [f for f in files if f.kind != EventFileKind.PHOTO],
        "responsible": event.responsible.select_related("unit"),
        "can_manage": manage,
        "actions": actions,
        "file_form": EventFileForm() if manage else None,
        "capacity_warning": event.capacity_warning(),
        # The catalogue card is another part's page; until it exists the form is plain text.
        "form_url": _optional_url("events:form_detail", event.form.code) if event.form_id else None,
        "copied_from": event.copied_from_id
        and events_visible(request.user).filter(pk=event.copied_from_id).first(),
    }
    return render(request, "events/event_detail.html", context)


def _section_formset(request: HttpRequest, event: Event | None):
    if request.method == "POST":
        return SectionFormSet(request.POST, prefix=SECTION_PREFIX)
    if event is None:
        return SectionFormSet(initial=[{}], prefix=SECTION_PREFIX)
    initial = [{f: getattr(s, f) for f in SECTION_FIELDS} for s in event.sections.all()]
    if not initial:
        initial = [{}]
    # A speaker chosen from the staff keeps their name on the page.
    for row, section in zip(initial, event.sections.all(), strict=False):
        row["speaker"] = row["speaker"] or section.speaker_name
    return SectionFormSet(initial=initial, prefix=SECTION_PREFIX)


def _handout_formset(request: HttpRequest, event: Event | None, rows: list[dict] | None = None):
    """The handouts as submitted (bound), or as stored, or as typed (`rows`) after a row action."""
    if request.method == "POST" and rows is None:
        formset = HandoutFormSet(request.POST, request.FILES, prefix=HANDOUT_PREFIX)
    else:
        if rows is None:
            rows = [{"id": h.pk, "title": h.title} for h in event.handouts.all()] if event else []
        formset = HandoutFormSet(initial=rows, prefix=HANDOUT_PREFIX)
    stored = {h.pk: h.file for h in event.handouts.all()} if event else {}
    for form in formset.forms:
        handout_id = form["id"].value()
        form.current_file = stored.get(int(handout_id)) if str(handout_id or "").isdigit() else None
    return formset


def _row_action(request: HttpRequest) -> tuple[list[dict], list[dict]] | None:
    """Apply a row action to the rows as typed: add a section, remove or move section i, one more handout.

    Answers the programme and handout rows to show again, or None for a plain submit.
    """
    action = request.POST.get("programme_action", "")
    if not action:
        return None
    rows = raw_rows(request.POST, SECTION_PREFIX, SECTION_FIELDS)
    handouts = raw_rows(request.POST, HANDOUT_PREFIX, HANDOUT_FIELDS)
    verb, _sep, index = action.partition("-")
    position = int(index) if index.isdigit() else -1
    if verb == "add":
        rows.append({})
    elif verb == "handout":
        handouts.append({})
    elif verb == "remove" and 0 <= position < len(rows):
        rows.pop(position)
    elif verb in {"up", "down"} and 0 <= position < len(rows):
        target = position - 1 if verb == "up" else position + 1
        if 0 <= target < len(rows):
            rows[position], rows[target] = rows[target], rows[position]
    return rows, handouts


def _apply_service_errors(form, formsets: dict, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        prefix, _dot, rest = field.partition(".")
        if prefix in formsets and rest:
            index, _dot, name = rest.partition(".")
            forms = formsets[prefix].forms
            if index.isdigit() and int(index) < len(forms) and name in forms[int(index)].fields:
                forms[int(index)].add_error(name, errors)
                continue
        form.add_error(field if field in form.fields else None, errors)


def _event_form_page(request: HttpRequest, event: Event | None) -> HttpResponse:
    """Create (`event` None) or edit a card with its programme and handouts."""
    user = request.user
    post = request.POST if request.method == "POST" else None
    initial = {}
    if event is None:
        initial = _new_event_initial(request)
    form = EventForm(post, instance=event or Event(), user=user, initial=initial)
    typed = _row_action(request) if post else None
    if typed is not None:
        # A row action shows the rows again as typed; nothing is saved yet.
        sections = SectionFormSet(initial=typed[0], prefix=SECTION_PREFIX)
        if request.htmx:
            return render(request, "events/event_form.html#programme", {"sections": sections})
        handouts = _handout_formset(request, event, rows=typed[1])
        form = EventForm(instance=event or Event(), user=user, initial=_typed_card(post))
        return _render_form(request, event, form, sections, handouts)
    sections = _section_formset(request, event)
    handouts = _handout_formset(request, event)
    if post is None:
        return _render_form(request, event, form, sections, handouts)

    guard = SubmitOnce(request, "events:create", enabled=event is None)
    if isinstance(guard.done, int):
        messages.info(request, _("The event was already saved."))
        return redirect("events:event_detail", pk=guard.done)
    if not guard.claim():
        messages.info(request, _("The event is being saved; it will appear in the list in a moment."))
        return redirect("events:event_list")

    if form.is_valid() and sections.is_valid() and handouts.is_valid():
        try:
            saved = _save(user, event, form, sections, handouts)
        except ValidationError as exc:
            _apply_service_errors(form, {"sections": sections, "handouts": handouts}, exc)
        else:
            guard.saved(saved.pk)
            messages.success(request, _("The event “%(title)s” was saved.") % {"title": saved.title})
            return redirect(saved)
    guard.release()
    return _render_form(request, event, form, sections, handouts)


def _new_event_initial(request: HttpRequest) -> dict:
    """Start a new card at the user's own unit (or the one in `?organiser=` / `?venue=`, e.g. from a unit)."""
    roots = list(scope.roots(request.user, MANAGE)[:2])
    own = roots[0] if len(roots) == 1 else None
    # A library usually hosts its own events; a district or region names the place each time.
    venue = own.pk if own is not None and own.is_library else None
    return {
        "organiser_unit": request.GET.get("organiser") or (own and own.pk),
        "venue_unit": request.GET.get("venue") or venue,
        "starts_at": request.GET.get("date") and f"{request.GET['date']}T10:00",
    }


def _typed_card(data) -> dict:
    """The card as typed, shown again unvalidated after a row action (no errors before "Save")."""
    return {
        name: data.getlist(name) if name == "responsible" else data.get(name)
        for name in EventForm.Meta.fields
    }


def _save(user, event: Event | None, form, sections, handouts) -> Event:
    data = form.card_data()
    handout_data = handout_rows(handouts.rows())
    if event is None:
        return services.event_create(user=user, data=data, sections=sections.rows(), handouts=handout_data)
    return services.event_update(
        user=user, event=event, data=data, sections=sections.rows(), handouts=handout_data
    )


def _render_form(request: HttpRequest, event, form, sections, handouts) -> HttpResponse:
    context = {
        "nav_active": "events",
        "event": event,
        "form": form,
        "sections": sections,
        "handouts": handouts,
        "submit_key": form_key(request),
    }
    return render(request, "events/event_form.html", context)


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    if not _may_plan(request.user):
        raise PermissionDenied
    return _event_form_page(request, None)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_or_404(request.user, pk, MANAGE)
    return _event_form_page(request, event)


@login_required
def handout_row(request: HttpRequest) -> HttpResponse:
    """One more blank handout row (htmx), with the formset's row count and the "add" button moved on."""
    try:
        index = min(max(int(request.GET.get("index", "0")), 0), 99)
    except ValueError:
        index = 0
    formset = HandoutFormSet(initial=[{}] * (index + 1), prefix=HANDOUT_PREFIX)
    return render(
        request,
        "events/event_form.html#handout_row_added",
        {"handout": formset.forms[index], "next_index": index + 1},
    )


@login_required
@require_POST
def event_copy(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_or_404(request.user, pk, MANAGE)
    copy = services.event_copy(user=request.user, event=event)
    messages.warning(
        request, _("This is a copy of “%(title)s”. Set the dates of the new event.") % {"title": event.title}
    )
    return redirect("events:event_edit", pk=copy.pk)


@login_required
@require_POST
def event_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_or_404(request.user, pk, MANAGE)
    form = EventFileForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.event_file_add(
                user=request.user, event=event, file=data["file"], kind=data["kind"], caption=data["caption"]
            )
        except ValidationError as exc:
            form.add_error("file", exc.message_dict.get("file", exc.messages))
        else:
            messages.success(request, _("The file was added."))
            return redirect(event)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(event)


@login_required
@require_POST
def event_file_delete(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    event = get_event_or_404(request.user, pk, MANAGE)
    attachment = get_object_or_404(EventFile, pk=file_pk, event=event)
    services.event_file_delete(user=request.user, attachment=attachment)
    messages.success(request, _("The file was removed."))
    return redirect(event)


# --- iCal -----------------------------------------------------------------------------------------------


@login_required
def calendar_feeds(request: HttpRequest) -> HttpResponse:
    """The user's private iCal links; a new one for a unit of their scope."""
    _require_view(request.user)
    form = CalendarFeedForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        feed, created = CalendarFeed.objects.get_or_create(user=request.user, unit=form.cleaned_data["unit"])
        if created:
            messages.success(
                request, _("The calendar link was created. Add it to your calendar application.")
            )
        return redirect(f"{reverse('events:calendar_feeds')}#feed-{feed.pk}")
    feeds = CalendarFeed.objects.filter(user=request.user).select_related("unit").order_by("created_at")
    for feed in feeds:
        feed.url = request.build_absolute_uri(reverse("events:ical_feed", args=[feed.token]))
        feed.in_scope = scope.covers(request.user, feed.unit)
    return render(
        request, "events/calendar_feeds.html", {"nav_active": "events", "form": form, "feeds": feeds}
    )


@login_required
@require_POST
def calendar_feed_delete(request: HttpRequest, pk: int) -> HttpResponse:
    feed = get_object_or_404(CalendarFeed, pk=pk, user=request.user)
    feed.delete()
    messages.success(request, _("The calendar link was revoked."))
    return redirect("events:calendar_feeds")


ICAL_PAST_DAYS = 366


def feed_events(feed: CalendarFeed) -> QuerySet:
    """Events of the feed's subtree that its owner may see now (a revoked role empties the feed)."""
    since = timezone.now() - datetime.timedelta(days=ICAL_PAST_DAYS)
    unit = feed.unit
    return (
        events_visible(feed.user)
        .filter(Q(organiser_unit__path__startswith=unit.path) | Q(venue_unit__path__startswith=unit.path))
        .annotate(last_moment=Coalesce("ends_at", "starts_at"))
        .filter(last_moment__gte=since)
        .order_by("starts_at", "id")
    )


def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCal file of a feed; no login (calendar applications cannot log in), the token is the key."""
    from icalendar import Calendar
    from icalendar import Event as VEvent

    feed = CalendarFeed.objects.select_related("user", "unit").filter(token=token).first()
    if feed is None:
        raise Http404
    ical = Calendar()
    ical.add("prodid", "-//Metodist//events//RU")
    ical.add("version", "2.0")
    ical.add("x-wr-calname", f"{_('Events')}: {feed.unit.name}")
    stamp = timezone.now()
    for event in feed_events(feed):
        item = VEvent()
        item.add("uid", f"event-{event.pk}@metodist")
        item.add("dtstamp", stamp)
        item.add("dtstart", event.starts_at)
        if event.ends_at:
            item.add("dtend", event.ends_at)
        item.add("summary", event.title)
        location = ", ".join(part for part in (event.venue, event.room) if part)
        if location:
            item.add("location", location)
        description = "\n\n".join(part for part in (event.goal, event.expected_result) if part)
        if description:
            item.add("description", description)
        item.add("url", request.build_absolute_uri(event.get_absolute_url()))
        item.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
        item.add("categories", [event.get_family_display()])
        item.add("last-modified", event.updated_at)
        ical.add_component(item)
    response = HttpResponse(ical.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename="metodist.ics")
    response["Cache-Control"] = "private, max-age=300"
    return response


urlpatterns: list = [
    path("", event_list, name="event_list"),
    path("export.xlsx", event_export, name="event_export"),
    path("calendar/", calendar_month, name="calendar"),
    path("calendar/week/", calendar_week, name="calendar_week"),
    path("new/", event_create, name="event_create"),
    path("handout-row/", handout_row, name="handout_row"),
    path("<int:pk>/", event_detail, name="event_detail"),
    path("<int:pk>/edit/", event_edit, name="event_edit"),
    path("<int:pk>/copy/", event_copy, name="event_copy"),
    path("<int:pk>/files/", event_file_add, name="event_file_add"),
    path("<int:pk>/files/<int:file_pk>/delete/", event_file_delete, name="event_file_delete"),
    path("ical/", calendar_feeds, name="calendar_feeds"),
    path("ical/<int:pk>/delete/", calendar_feed_delete, name="calendar_feed_delete"),
    path("ical/<str:token>.ics", ical_feed, name="ical_feed"),
]
