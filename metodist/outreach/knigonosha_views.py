"""Pages of Knigonosha, the home delivery of books: readers (the list with initials or names, the card whose
every view is logged), volunteers, delivery rounds with their plan, deliveries (the list and its XLSX
export, the card, the phone page where a volunteer records a delivery, the volunteer's own list) and the
figures of a period.

What a viewer may read of a reader is decided by `metodist.outreach.selectors` (`shown`, `conceal`): the
pages receive readers with their personal data already blanked where the viewer may not read it.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from metodist.assistance.views import _cell, _header, _save_workbook, _xlsx_response
from metodist.core import scope
from metodist.core.submit_once import SubmitOnce, form_key
from metodist.network.models import OrgUnit
from metodist.outreach import reporting_feed, selectors, services
from metodist.outreach.forms import (
    BroughtItemsFormSet,
    DeliveryCardForm,
    DeliveryFilterForm,
    DeliveryRecordForm,
    FiguresFilterForm,
    PlanForm,
    ReaderFilterForm,
    ReaderForm,
    ScheduleForm,
    VolunteerForm,
)
from metodist.outreach.models import Delivery, DeliveryStatus, HomeReader, Volunteer
from metodist.outreach.views import apply_errors, require_view
from metodist.reporting.periods import Period, PeriodError, PeriodType

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
BROUGHT_PREFIX = "brought"
MY_PAST_DAYS = 14


def _require_view_or_volunteer(user) -> None:
    if scope.prefixes(user, scope.VIEW) == () and not selectors.is_volunteer(user):
        raise PermissionDenied


def _may_manage_any(user) -> bool:
    return selectors.managed_libraries(user).exists()


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- readers --------------------------------------------------------------------------------------------


@login_required
def reader_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_view_or_volunteer(user)
    visible = selectors.readers_visible(user)
    libraries = OrgUnit.objects.filter(pk__in=visible.values("library")).order_by("path")
    volunteers = Volunteer.objects.filter(pk__in=visible.values("volunteer")).order_by("full_name")
    form = ReaderFilterForm(request.GET or None, libraries=libraries, volunteers=volunteers)
    filters = form.filters()
    readers = visible
    if filters["library_id"]:
        readers = readers.filter(library_id=filters["library_id"])
    if filters["volunteer_id"]:
        readers = readers.filter(volunteer_id=filters["volunteer_id"])
    readers = selectors.filter_readers(readers, served=filters["served"], today=timezone.localdate())
    readers = selectors.with_delivery_counts(readers).order_by("library__path", "full_name", "id")
    page = Paginator(readers, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.shown(user, page.object_list)
    context = {
        "nav_active": "outreach_readers",
        "can_view": scope.prefixes(user, scope.VIEW) != (),
        "form": form,
        "page": page,
        "query": _query(request),
        "can_create": _may_manage_any(user),
    }
    if request.htmx and request.htmx.target == "reader-rows":
        return render(request, "outreach/reader_list.html#rows", context)
    return render(request, "outreach/reader_list.html", context)


@login_required
def reader_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The reader's card, with their personal data: every view is written down."""
    user = request.user
    reader = selectors.get_reader_or_404(user, pk)
    services.reader_viewed(user=user, reader=reader)
    is_staff = selectors.is_library_staff(user, reader.library)
    deliveries = selectors.deliveries_visible(user).filter(reader=reader).order_by("-date", "-id")
    context = {
        "nav_active": "outreach_readers",
        "reader": reader,
        "can_manage": selectors.may_manage_library(user, reader.library),
        "at_home": selectors.at_home(reader),
        "deliveries": deliveries[:30],
        "views": selectors.reader_views(reader) if is_staff else None,
    }
    return render(request, "outreach/reader_detail.html", context)


def _reader_form_page(request: HttpRequest, reader: HomeReader | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    form = ReaderForm(post, instance=reader or HomeReader(), user=user)
    if post is not None:
        guard = SubmitOnce(request, "outreach:reader", enabled=reader is None)
        if not guard.claim():
            messages.info(request, _("The reader was already saved."))
            if isinstance(guard.done, int):
                return redirect("outreach:reader_detail", pk=guard.done)
            return redirect("outreach:reader_list")
        if form.is_valid():
            try:
                if reader is None:
                    saved = services.reader_create(user=user, data=form.reader_data())
                else:
                    saved = services.reader_update(user=user, reader=reader, data=form.reader_data())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The reader's card was saved."))
                return redirect("outreach:reader_detail", pk=saved.pk)
        guard.release()
    context = {
        "nav_active": "outreach_readers",
        "reader": reader,
        "form": form,
        "submit_key": form_key(request),
    }
    return render(request, "outreach/reader_form.html", context)


@login_required
def reader_create(request: HttpRequest) -> HttpResponse:
    if not _may_manage_any(request.user):
        raise PermissionDenied
    return _reader_form_page(request, None)


@login_required
def reader_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reader = selectors.get_managed_reader_or_404(request.user, pk)
    return _reader_form_page(request, reader)


# --- volunteers -----------------------------------------------------------------------------------------


@login_required
def volunteer_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_view(user)
    volunteers = selectors.with_volunteer_counts(selectors.volunteers_visible(user)).order_by(
        "library__path", "full_name"
    )
    rows = list(volunteers)
    for volunteer in rows:
        volunteer.manageable = selectors.may_manage_library(user, volunteer.library)
        if not selectors.is_library_staff(user, volunteer.library):
            volunteer.phone = ""
    context = {
        "nav_active": "outreach_volunteers",
        "volunteers": rows,
        "can_create": _may_manage_any(user),
    }
    return render(request, "outreach/volunteer_list.html", context)


def _volunteer_form_page(request: HttpRequest, volunteer: Volunteer | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    form = VolunteerForm(post, instance=volunteer or Volunteer(), user=user)
    if post is not None:
        guard = SubmitOnce(request, "outreach:volunteer", enabled=volunteer is None)
        if not guard.claim():
            messages.info(request, _("The volunteer was already saved."))
            return redirect("outreach:volunteer_list")
        if form.is_valid():
            try:
                saved = services.volunteer_save(user=user, volunteer=volunteer, data=form.volunteer_data())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The volunteer was saved."))
                return redirect("outreach:volunteer_list")
        guard.release()
    context = {
        "nav_active": "outreach_volunteers",
        "volunteer": volunteer,
        "form": form,
        "submit_key": form_key(request),
    }
    return render(request, "outreach/volunteer_form.html", context)


@login_required
def volunteer_create(request: HttpRequest) -> HttpResponse:
    if not _may_manage_any(request.user):
        raise PermissionDenied
    return _volunteer_form_page(request, None)


@login_required
def volunteer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _volunteer_form_page(request, selectors.get_managed_volunteer_or_404(request.user, pk))


# --- rounds ---------------------------------------------------------------------------------------------


@login_required
def schedule_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_view(user)
    today = timezone.localdate()
    visible = selectors.schedules_visible(user).order_by("library__path", "name")
    schedules = list(selectors.schedules_with_readers(user, visible))
    for schedule in schedules:
        schedule.manageable = selectors.may_manage_library(user, schedule.library)
        schedule.next_dates = schedule.dates(today, today + datetime.timedelta(days=62))[:4]
        schedule.shown_readers = selectors.shown(user, schedule.readers.all())
    context = {
        "nav_active": "outreach_schedules",
        "schedules": schedules,
        "can_create": _may_manage_any(user),
        "plan_until": today + datetime.timedelta(weeks=services.PLAN_WEEKS),
    }
    return render(request, "outreach/schedule_list.html", context)


def _schedule_form_page(request: HttpRequest, schedule) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    form = ScheduleForm(post, instance=schedule, user=user)
    if post is not None:
        guard = SubmitOnce(request, "outreach:schedule", enabled=schedule is None)
        if not guard.claim():
            messages.info(request, _("The round was already saved."))
            return redirect("outreach:schedule_list")
        if form.is_valid():
            try:
                services.schedule_save(
                    user=user,
                    schedule=schedule,
                    data=form.schedule_data(),
                    readers=form.cleaned_data["readers"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                guard.saved(0)
                messages.success(request, _("The round was saved."))
                return redirect("outreach:schedule_list")
        guard.release()
    context = {
        "nav_active": "outreach_schedules",
        "schedule": schedule,
        "form": form,
        "submit_key": form_key(request),
    }
    return render(request, "outreach/schedule_form.html", context)


@login_required
def schedule_create(request: HttpRequest) -> HttpResponse:
    if not _may_manage_any(request.user):
        raise PermissionDenied
    return _schedule_form_page(request, None)


@login_required
def schedule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _schedule_form_page(request, selectors.get_managed_schedule_or_404(request.user, pk))


@login_required
def schedule_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan the round's deliveries up to a day (POST); a day already planned is not planned again."""
    schedule = selectors.get_managed_schedule_or_404(request.user, pk)
    if request.method != "POST":
        return redirect("outreach:schedule_list")
    form = PlanForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("until", []):
            messages.error(request, error)
        return redirect("outreach:schedule_list")
    added = services.schedule_plan(user=request.user, schedule=schedule, until=form.cleaned_data["until"])
    messages.success(
        request,
        _("Deliveries planned: %(count)s (days already planned were kept).") % {"count": added},
    )
    return redirect("outreach:schedule_list")


# --- deliveries -----------------------------------------------------------------------------------------


def _deliveries(request: HttpRequest):
    form = DeliveryFilterForm(request.GET or None, user=request.user)
    deliveries = selectors.filter_deliveries(selectors.deliveries_visible(request.user), **form.filters())
    return form, deliveries


@login_required
def delivery_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_view_or_volunteer(user)
    form, deliveries = _deliveries(request)
    page = Paginator(deliveries.order_by("-date", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.shown_deliveries(user, page.object_list)
    context = {
        "nav_active": "outreach_deliveries",
        "can_view": scope.prefixes(user, scope.VIEW) != (),
        "form": form,
        "page": page,
        "query": _query(request),
        "can_create": _may_manage_any(user),
    }
    if request.htmx and request.htmx.target == "delivery-rows":
        return render(request, "outreach/delivery_list.html#rows", context)
    return render(request, "outreach/delivery_list.html", context)


def deliveries_xlsx(deliveries: list[Delivery]) -> bytes:
    """The deliveries as a workbook; a reader the viewer may not read: initials, no address."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Home deliveries"))
    sheet.freeze_panes = "A2"
    _header(
        sheet,
        [
            (_("Date"), 12),
            (_("Library"), 40),
            (_("Reader"), 30),
            (_("Address"), 36),
            (_("Volunteer"), 26),
            (_("Status"), 16),
            (_("Items brought"), 10),
            (_("Items returned"), 10),
            (_("Notes"), 50),
        ],
    )
    for d in deliveries:
        values = [
            d.date,
            d.reader.library.name,
            d.reader.full_name,
            d.reader.address,
            d.volunteer.full_name if d.volunteer else "",
            d.get_status_display(),
            d.brought,
            d.returned,
            d.notes,
        ]
        sheet.append([_cell(sheet, v) for v in values])
    return _save_workbook(workbook)


@login_required
def delivery_export(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_view_or_volunteer(user)
    _form, deliveries = _deliveries(request)
    rows = selectors.shown_deliveries(user, deliveries.order_by("date", "id")[:EXPORT_LIMIT])
    return _xlsx_response(deliveries_xlsx(rows), "deliveries")


@login_required
def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    delivery = selectors.get_delivery_or_404(user, pk)
    selectors.shown_deliveries(user, [delivery])
    context = {
        "nav_active": "outreach_deliveries",
        "delivery": delivery,
        "brought": delivery.items_brought.all(),
        "returned": delivery.items_returned.select_related("brought_in"),
        "can_record": selectors.may_record_delivery(user, delivery),
        "can_manage": selectors.may_manage_library(user, delivery.reader.library),
    }
    return render(request, "outreach/delivery_detail.html", context)


def _delivery_form_page(request: HttpRequest, delivery: Delivery | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    initial = {}
    if delivery is not None:
        initial = {f: getattr(delivery, f) for f in ("reader", "volunteer", "date", "status", "notes")}
    else:
        reader_id = request.GET.get("reader", "")
        if reader_id.isdigit():
            initial["reader"] = int(reader_id)
        initial["date"] = timezone.localdate()
    form = DeliveryCardForm(post, user=user, initial=initial)
    if post is not None:
        guard = SubmitOnce(request, "outreach:delivery", enabled=delivery is None)
        if not guard.claim():
            messages.info(request, _("The delivery was already saved."))
            if isinstance(guard.done, int):
                return redirect("outreach:delivery_detail", pk=guard.done)
            return redirect("outreach:delivery_list")
        if form.is_valid():
            try:
                if delivery is None:
                    saved = services.delivery_create(user=user, data=form.cleaned_data)
                else:
                    saved = services.delivery_update(user=user, delivery=delivery, data=form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The delivery was saved."))
                return redirect("outreach:delivery_detail", pk=saved.pk)
        guard.release()
    context = {
        "nav_active": "outreach_deliveries",
        "delivery": delivery,
        "form": form,
        "submit_key": form_key(request),
    }
    return render(request, "outreach/delivery_form.html", context)


@login_required
def delivery_create(request: HttpRequest) -> HttpResponse:
    if not _may_manage_any(request.user):
        raise PermissionDenied
    return _delivery_form_page(request, None)


@login_required
def delivery_edit(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.get_delivery_or_404(request.user, pk)
    if not selectors.may_manage_library(request.user, delivery.reader.library):
        raise Http404
    return _delivery_form_page(request, delivery)


@login_required
def delivery_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone page: the volunteer (or the library's staff) records how the delivery went."""
    user = request.user
    delivery = selectors.get_delivery_or_404(user, pk)
    if not selectors.may_record_delivery(user, delivery):
        raise Http404
    post = request.POST if request.method == "POST" else None
    candidates = list(selectors.return_candidates(delivery))
    brought = list(delivery.items_brought.all())
    initial = {
        "status": DeliveryStatus.DONE if delivery.status == DeliveryStatus.PLANNED else delivery.status,
        "notes": delivery.notes,
        "returned": [str(i.pk) for i in candidates if i.returned_in_id == delivery.pk],
    }
    form = DeliveryRecordForm(post, candidates=candidates, brought=brought, initial=initial)
    items = BroughtItemsFormSet(post, prefix=BROUGHT_PREFIX)
    if post is not None:
        guard = SubmitOnce(request, f"outreach:record:{delivery.pk}")
        if not guard.claim():
            messages.info(request, _("The delivery was already recorded."))
            return redirect(_after_record(user, delivery))
        if form.is_valid() & items.is_valid():
            try:
                services.delivery_record(
                    user=user,
                    delivery=delivery,
                    status=form.cleaned_data["status"],
                    notes=form.cleaned_data["notes"],
                    brought=items.rows(),
                    returned=[int(pk) for pk in form.cleaned_data["returned"]],
                    removed=[int(pk) for pk in form.cleaned_data["removed"]],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                guard.saved(delivery.pk)
                messages.success(request, _("The delivery was recorded."))
                return redirect(_after_record(user, delivery))
        guard.release()
    selectors.shown_deliveries(user, [delivery])
    own = delivery.volunteer is not None and delivery.volunteer.user_id == user.pk
    context = {
        "nav_active": "outreach_my" if own else "outreach_deliveries",
        "delivery": delivery,
        "form": form,
        "items": items,
        "brought": brought,
        "submit_key": form_key(request),
    }
    return render(request, "outreach/delivery_record.html", context)


def _after_record(user, delivery: Delivery) -> str:
    if delivery.volunteer is not None and delivery.volunteer.user_id == user.pk:
        return reverse("outreach:my_deliveries")
    return reverse("outreach:delivery_detail", args=[delivery.pk])


@login_required
def my_deliveries(request: HttpRequest) -> HttpResponse:
    """The volunteer's page (made for a phone): the deliveries still to make and those of the last days."""
    user = request.user
    today = timezone.localdate()
    rows = selectors.shown_deliveries(
        user, selectors.my_deliveries(user, today=today, past_days=MY_PAST_DAYS)
    )
    readers = selectors.shown(user, selectors.readers_visible(user).filter(volunteer__user=user))
    context = {
        "nav_active": "outreach_my",
        "upcoming": [d for d in rows if d.status == DeliveryStatus.PLANNED],
        "recent": [d for d in rows if d.status != DeliveryStatus.PLANNED][::-1],
        "readers": readers,
        "today": today,
        "is_volunteer": selectors.is_volunteer(user),
    }
    return render(request, "outreach/my_deliveries.html", context)


# --- figures --------------------------------------------------------------------------------------------


def _months(first: datetime.date, last: datetime.date, today: datetime.date) -> list[Period]:
    """The months between `first` and `last` that have begun, newest first (at most two years)."""
    months = []
    month = Period.containing(PeriodType.MONTH, min(last, today))
    while month.end >= first and len(months) < 24:
        months.append(month)
        month = month.previous()
    return months


def _transfer(request: HttpRequest) -> HttpResponse:
    """«Передать в отчёт»: a library's figures of a month into its report (htmx: the row's answer)."""
    user = request.user
    library = scope.get_unit_or_404(user, request.POST.get("library"), reporting_feed.ENTER)
    context = {"unit": library}
    try:
        period = Period.parse(request.POST.get("month", ""))
        if period.start > timezone.localdate():
            raise PeriodError(period.code)
        transfer = reporting_feed.figures_to_report(user=user, library=library, period=period)
    except (PeriodError, ValidationError) as exc:
        error = exc.messages[0] if isinstance(exc, ValidationError) else _("Choose a month that has begun.")
        context["error"] = error
        if not request.htmx:
            messages.error(request, error)
            return redirect(request.get_full_path())
    else:
        context["transfer"] = transfer
        if not request.htmx:
            if transfer.written:
                messages.success(request, _("The figures were transferred to the report."))
            else:
                messages.warning(request, _("The report is already submitted; it was not changed."))
            return redirect("reporting:report_detail", pk=transfer.report.pk)
    return render(request, "outreach/figures.html#transfer", context)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_view(user)
    if request.method == "POST":
        return _transfer(request)
    today = timezone.localdate()
    form = FiguresFilterForm(request.GET or None, user=user)
    filters = form.filters()
    first = filters.get("date_from") or today.replace(month=1, day=1)
    last = filters.get("date_to") or today
    under = filters.get("under")
    rows = list(selectors.figures_by_library(user, first, last, under=under))
    months = _months(first, last, today) if rows else []
    transferable = set()
    if months and reporting_feed.feed_form() is not None:
        transferable = set(
            scope.units(user, reporting_feed.ENTER)
            .filter(pk__in=[row.pk for row in rows])
            .values_list("pk", flat=True)
        )
    finished = [m for m in months if m.end < today]
    context = {
        "nav_active": "outreach_figures",
        "form": form,
        "rows": rows,
        "totals": selectors.scope_figures(user, first, last, under=under),
        "first": first,
        "last": last,
        "under": under,
        "months": months,
        "default_month": (finished or months or [None])[0],
        "transferable": transferable,
    }
    return render(request, "outreach/figures.html", context)
