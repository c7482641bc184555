"""Pages of the correspondence log: the list with filters and its XLSX export, the daily view of one
methodologist, the entry card with its thread, attachments and history, the entry and reply forms,
"no reply needed" and reopening, the figures by counterpart and by month (page and XLSX), and the home-page
piece of the replies the user owes.

Every lookup goes through `metodist.assistance.letters` selectors; every write through its services.
"""

import datetime
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from metodist.assistance import letters
from metodist.assistance.letters_forms import LetterFilterForm, LetterForm, ReplyForm, parse_day
from metodist.assistance.models import Letter
from metodist.assistance.views import _apply_errors, _cell, _header, _save_workbook, _xlsx_response
from metodist.core import scope
from metodist.core.files import stored_file_response
from metodist.core.submit_once import SubmitOnce, form_key

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
HOME_LIMIT = 20
DAY_WAITING_LIMIT = 200
NAV = "letters"


def _require_view(user) -> None:
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied


def _filtered(request: HttpRequest) -> tuple[LetterFilterForm, QuerySet]:
    form = LetterFilterForm(request.GET or None, user=request.user)
    visible = letters.letters_visible(request.user)
    return form, letters.filter_letters(visible, **form.filters())


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _next_url(request: HttpRequest) -> str:
    """Where to go back after a form: a `next` of this site, or ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _counterpart(letter: Letter) -> str:
    parts = [letter.counterpart_unit.name if letter.counterpart_unit else "", letter.counterpart_name]
    return " · ".join(p for p in parts if p)


# --- the list -------------------------------------------------------------------------------------------


@login_required
def letter_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form, rows = _filtered(request)
    rows = letters.with_marks(rows).order_by("-date", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav_active": NAV,
        "form": form,
        "page": page,
        "query": _query(request),
        "can_record": letters.may_record(request.user),
        "today": timezone.localdate(),
    }
    if request.htmx and request.htmx.target == "letter-rows":
        return render(request, "assistance/letter_list.html#rows", context)
    return render(request, "assistance/letter_list.html", context)


def letters_xlsx(rows) -> bytes:
    """The entries as a workbook: translated titles, then one row per entry."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Correspondence"))
    sheet.freeze_panes = "A2"
    _header(
        sheet,
        [
            (_("Date"), 12),
            (_("Direction"), 12),
            (_("Number"), 14),
            (_("Channel"), 14),
            (_("Counterpart"), 40),
            (_("Subject"), 50),
            (_("Summary"), 60),
            (_("Reply due"), 12),
            (_("Reply given"), 12),
            (_("Overdue"), 10),
            (_("In reply to"), 40),
            (_("Handled by"), 24),
            (_("Log of"), 30),
            (_("Attachments"), 40),
        ],
    )
    today = timezone.localdate()
    for letter in rows:
        closed = timezone.localtime(letter.closed_at).date() if letter.closed_at else None
        overdue = bool(letter.reply_due and not letter.closed_at and letter.reply_due < today)
        values = [
            letter.date,
            letter.get_direction_display(),
            letter.number,
            letter.get_channel_display(),
            _counterpart(letter),
            letter.subject,
            letter.summary,
            letter.reply_due,
            closed,
            _("yes") if overdue else "",
            str(letter.in_reply_to) if letter.in_reply_to else "",
            _person(letter.handled_by),
            letter.owner_unit.name,
            "; ".join(f.caption or os.path.basename(f.file.name) for f in letter.files.all()),
        ]
        sheet.append([_cell(sheet, v) for v in values])
    return _save_workbook(workbook)


@login_required
def letter_export(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    _form, rows = _filtered(request)
    rows = rows.select_related("in_reply_to").prefetch_related("files").order_by("date", "id")[:EXPORT_LIMIT]
    return _xlsx_response(letters_xlsx(rows), "correspondence")


# --- the daily view -------------------------------------------------------------------------------------


def _day_person(request: HttpRequest):
    """The methodologist whose day is shown: `?who=` among the people of the user's logs, else the user."""
    value = request.GET.get("who", "")
    if value.isdigit() and int(value) != request.user.pk:
        person = letters.handlers(request.user).filter(pk=int(value)).first()
        if person is not None:
            return person
    return request.user


@login_required
def letter_day(request: HttpRequest) -> HttpResponse:
    """One methodologist's day: what waits for her reply (overdue first) and the entries she handled."""
    _require_view(request.user)
    day = parse_day(request.GET.get("date"))
    person = _day_person(request)
    visible = letters.letters_visible(request.user)
    owed = list(letters.owed_by(person, within=visible)[:DAY_WAITING_LIMIT])
    for letter in owed:
        letter.manageable = letters.can_manage_letter(request.user, letter)
    today = timezone.localdate()
    handled = letters.with_marks(letters.handled_on(visible, person=person, day=day))
    context = {
        "nav_active": NAV,
        "day": day,
        "previous_day": day - datetime.timedelta(days=1),
        "next_day": day + datetime.timedelta(days=1),
        "today": today,
        "person": person,
        "people": letters.handlers(request.user) if letters.may_record(request.user) else [],
        "owed": owed,
        "owed_overdue": sum(1 for letter in owed if letter.reply_due < today),
        "handled": handled,
        "can_record": letters.may_record(request.user),
        "here": request.get_full_path(),
    }
    return render(request, "assistance/letter_day.html", context)


@login_required
def letter_waiting(request: HttpRequest) -> HttpResponse:
    """The home-page piece: replies the user owes, overdue first (empty when none)."""
    owed = letters.owed_by(request.user)
    rows = list(owed[:HOME_LIMIT])
    if not rows:
        return HttpResponse("")
    today = timezone.localdate()
    context = {
        "letters_loaded": True,
        "owed": rows,
        "owed_total": owed.count() if len(rows) == HOME_LIMIT else len(rows),
        "owed_overdue": letters.overdue(owed, today=today).count(),
        "today": today,
        "can_record": letters.may_record(request.user),
    }
    return render(request, "assistance/_home_letters.html", context)


# --- the card -------------------------------------------------------------------------------------------


@login_required
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    letter = letters.get_letter_or_404(user, pk)
    thread = letters.thread(user, letter)
    thread["replies"] = list(thread["replies"])
    letter.has_reply = letter.replies.exists()
    context = {
        "nav_active": NAV,
        "letter": letter,
        "thread": thread,
        "attachments": [(f, os.path.basename(f.file.name)) for f in letter.files.all()],
        "history": letters.letter_history(letter),
        "can_manage": letters.can_manage_letter(user, letter),
        "today": timezone.localdate(),
    }
    return render(request, "assistance/letter_detail.html", context)


@login_required
def letter_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    letter = letters.get_letter_or_404(request.user, pk)
    attachment = letter.files.filter(pk=file_pk).first()
    if attachment is None:
        raise Http404
    return stored_file_response(attachment.file)


# --- the forms ------------------------------------------------------------------------------------------


def _initial(request: HttpRequest) -> dict:
    """A new entry: the user's log, handled by her; `?date=` and `?to=` (a unit) from the daily view."""
    user = request.user
    initial = {"owner_unit": letters.default_owner(user), "handled_by": user.pk, "direction": "incoming"}
    if request.GET.get("date"):
        initial["date"] = parse_day(request.GET["date"])
    to = request.GET.get("to", "")
    if to.isdigit() and scope.units(user).filter(pk=int(to)).exists():
        initial["counterpart_unit"] = int(to)
    if request.GET.get("direction") in ("incoming", "outgoing"):
        initial["direction"] = request.GET["direction"]
    return initial


def _form_page(request: HttpRequest, letter: Letter | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    initial = _initial(request) if letter is None else {}
    form = LetterForm(post, files, instance=letter or Letter(), user=user, initial=initial)
    if post is not None:
        guard = SubmitOnce(request, "assistance:letter", enabled=letter is None)
        if not guard.claim():
            messages.info(request, _("The entry was already saved."))
            if isinstance(guard.done, int):
                return redirect("assistance:letter_detail", pk=guard.done)
            return redirect("assistance:letter_list")
        if form.is_valid():
            try:
                saved = _save(user, letter, form)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The entry was saved."))
                return redirect(_next_url(request) or reverse("assistance:letter_detail", args=[saved.pk]))
        guard.release()
    context = {
        "nav_active": NAV,
        "letter": letter,
        "form": form,
        "submit_key": form_key(request),
        "next": _next_url(request),
    }
    return render(request, "assistance/letter_form.html", context)


def _save(user, letter: Letter | None, form: LetterForm) -> Letter:
    if letter is None:
        return letters.letter_create(user=user, data=form.letter_data(), files=form.new_files())
    return letters.letter_update(
        user=user,
        letter=letter,
        data=form.letter_data(),
        files=form.new_files(),
        remove_files=form.files_to_remove(),
    )


@login_required
def letter_create(request: HttpRequest) -> HttpResponse:
    if not letters.may_record(request.user):
        raise PermissionDenied
    return _form_page(request, None)


@login_required
def letter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, letters.get_letter_or_404(request.user, pk, letters.MANAGE))


@login_required
def letter_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    original = letters.get_letter_or_404(user, pk, letters.MANAGE)
    post = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = ReplyForm(post, files, user=user, original=original)
    if post is not None:
        guard = SubmitOnce(request, f"assistance:letter_reply:{original.pk}")
        if not guard.claim():
            messages.info(request, _("The reply was already saved."))
            return redirect(_next_url(request) or reverse("assistance:letter_detail", args=[original.pk]))
        if form.is_valid():
            try:
                reply = letters.reply_create(
                    user=user, original=original, data=form.reply_data(), files=form.new_files()
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(reply.pk)
                messages.success(request, _("The reply was recorded; the letter no longer waits."))
                return redirect(_next_url(request) or reverse("assistance:letter_detail", args=[original.pk]))
        guard.release()
    context = {
        "nav_active": NAV,
        "original": original,
        "form": form,
        "today": timezone.localdate(),
        "submit_key": form_key(request),
        "next": _next_url(request),
    }
    return render(request, "assistance/letter_reply.html", context)


@login_required
@require_POST
def letter_close(request: HttpRequest, pk: int) -> HttpResponse:
    letter = letters.get_letter_or_404(request.user, pk, letters.MANAGE)
    letters.mark_no_reply_needed(user=request.user, letter=letter)
    messages.success(request, _("Marked: no reply is needed."))
    return redirect(_next_url(request) or reverse("assistance:letter_detail", args=[letter.pk]))


@login_required
@require_POST
def letter_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    letter = letters.get_letter_or_404(request.user, pk, letters.MANAGE)
    letters.letter_reopen(user=request.user, letter=letter)
    messages.success(request, _("The letter waits for a reply again."))
    return redirect(_next_url(request) or reverse("assistance:letter_detail", args=[letter.pk]))


# --- figures --------------------------------------------------------------------------------------------


@login_required
def letter_figures(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form, rows = _filtered(request)
    context = {
        "nav_active": NAV,
        "form": form,
        "figures": letters.letter_figures(rows),
        "query": _query(request),
    }
    return render(request, "assistance/letter_figures.html", context)


def _count_titles() -> list[str]:
    return [_("Entries"), _("Incoming"), _("Outgoing"), _("Waiting"), _("Overdue")]


def figures_xlsx(figures: dict) -> bytes:
    """Three sheets: by counterpart (with the totals), by month and by channel."""
    workbook = Workbook(write_only=True)
    sections = [
        (_("By counterpart"), _("Counterpart"), figures["by_counterpart"], 50),
        (_("By month"), _("Month"), figures["by_month"], 14),
        (_("By channel"), _("Channel"), figures["by_channel"], 20),
    ]
    for index, (title, first, rows, width) in enumerate(sections):
        sheet = workbook.create_sheet(title[:31])
        sheet.freeze_panes = "A2"
        _header(sheet, [(first, width)] + [(t, 12) for t in _count_titles()])
        for row in rows:
            label = row["label"]
            if isinstance(label, datetime.date):
                cell = _cell(sheet, label)
                cell.number_format = "mm.yyyy"
            else:
                cell = _cell(sheet, str(label))
            sheet.append([cell, *(row[name] for name in letters.COUNT_NAMES)])
        if index == 0:
            totals = figures["totals"]
            sheet.append([_cell(sheet, _("Total")), *(totals[name] for name in letters.COUNT_NAMES)])
    return _save_workbook(workbook)


@login_required
def letter_figures_export(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    _form, rows = _filtered(request)
    return _xlsx_response(figures_xlsx(letters.letter_figures(rows)), "correspondence-figures")


urlpatterns = [
    path("letters/", letter_list, name="letter_list"),
    path("letters/export.xlsx", letter_export, name="letter_export"),
    path("letters/day/", letter_day, name="letter_day"),
    path("letters/waiting/", letter_waiting, name="letter_waiting"),
    path("letters/figures/", letter_figures, name="letter_figures"),
    path("letters/figures/export.xlsx", letter_figures_export, name="letter_figures_export"),
    path("letters/new/", letter_create, name="letter_create"),
    path("letters/<int:pk>/", letter_detail, name="letter_detail"),
    path("letters/<int:pk>/edit/", letter_edit, name="letter_edit"),
    path("letters/<int:pk>/reply/", letter_reply, name="letter_reply"),
    path("letters/<int:pk>/close/", letter_close, name="letter_close"),
    path("letters/<int:pk>/reopen/", letter_reopen, name="letter_reopen"),
    path("letters/<int:pk>/files/<int:file_pk>/", letter_file, name="letter_file"),
]
