"""Pages of consultations: the list with filters and its XLSX export, the card form, the quick entry (an htmx
piece for the home page) and the figures for a period and a subtree with their XLSX export.

Every lookup goes through `metodist.assistance.selectors`; every write through `metodist.assistance.services`.
"""

import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from metodist.assistance import services
from metodist.assistance.forms import ConsultationCardForm, ConsultationFilterForm, QuickConsultationForm
from metodist.assistance.models import Consultation
from metodist.assistance.selectors import (
    MANAGE,
    consultation_figures,
    consultations_visible,
    filter_consultations,
    get_consultation_or_404,
)
from metodist.core import scope
from metodist.core.submit_once import SubmitOnce, form_key

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
UNIT_SEARCH_LIMIT = 50
# A double click on "Save" must not record two consultations: the form carries a key remembered this long.


def _require_view(user) -> None:
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied


def _may_record(user) -> bool:
    return scope.prefixes(user, MANAGE) != ()


def _filtered(request: HttpRequest) -> tuple[ConsultationFilterForm, QuerySet]:
    visible = consultations_visible(request.user)
    consultants = visible.order_by().values("consultant").distinct()
    form = ConsultationFilterForm(request.GET or None, user=request.user, consultants=consultants)
    return form, filter_consultations(visible, **form.filters())


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- the list -------------------------------------------------------------------------------------------


@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form, consultations = _filtered(request)
    consultations = consultations.prefetch_related("directions").order_by("-date", "-id")
    page = Paginator(consultations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav_active": "assistance",
        "form": form,
        "page": page,
        "query": _query(request),
        "can_record": _may_record(request.user),
    }
    if request.htmx and request.htmx.target == "consultation-rows":
        return render(request, "assistance/consultation_list.html#rows", context)
    return render(request, "assistance/consultation_list.html", context)


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.date):
        cell.number_format = "dd.mm.yyyy"
    elif isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text
    return cell


def _header(sheet, columns: list[tuple[str, int]]) -> None:
    for index, (_title, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F0")
    cells = []
    for title, _width in columns:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    sheet.append(cells)


def _save_workbook(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def consultations_xlsx(consultations: QuerySet) -> bytes:
    """The consultations as a workbook: translated titles, then one row per consultation."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Consultations"))
    sheet.freeze_panes = "A2"
    _header(
        sheet,
        [
            (_("Date"), 12),
            (_("Consultant"), 24),
            (_("Consultant's unit"), 30),
            (_("To whom"), 36),
            (_("Individual or group"), 14),
            (_("Mode"), 14),
            (_("Directions of work"), 30),
            (_("Topic"), 50),
            (_("Number of people"), 10),
            (_("Duration, minutes"), 10),
            (_("Result"), 40),
        ],
    )
    for c in consultations:
        whom = ", ".join(p for p in (c.to_unit.name if c.to_unit else "", c.to_department, c.to_people) if p)
        values = [
            c.date,
            c.consultant.get_full_name() or c.consultant.username,
            c.consultant_unit.name,
            whom,
            c.get_form_display(),
            c.get_mode_display(),
            "; ".join(d.name for d in c.directions.all()),
            c.topic,
            c.people_count,
            c.duration_minutes,
            c.result,
        ]
        sheet.append([_cell(sheet, v) for v in values])
    return _save_workbook(workbook)


def _xlsx_response(content: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"{stem}-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@login_required
def consultation_export(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    _form, consultations = _filtered(request)
    consultations = consultations.prefetch_related("directions").order_by("date", "id")[:EXPORT_LIMIT]
    return _xlsx_response(consultations_xlsx(consultations), "consultations")


# --- the card -------------------------------------------------------------------------------------------


def _apply_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _form_page(request: HttpRequest, consultation: Consultation | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    initial = {"consultant_unit": services.default_unit(user)} if consultation is None else {}
    if consultation is None and request.GET.get("to"):
        initial["to_unit"] = request.GET["to"]
    form = ConsultationCardForm(post, instance=consultation or Consultation(), user=user, initial=initial)
    if post is not None:
        guard = SubmitOnce(request, "assistance:consultation", enabled=consultation is None)
        if not guard.claim():
            messages.info(request, _("The consultation was already saved."))
            return redirect("assistance:consultation_list")
        if form.is_valid():
            try:
                saved = _save_card(user, consultation, form)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The consultation was saved."))
                return redirect("assistance:consultation_list")
        guard.release()
    context = {
        "nav_active": "assistance",
        "consultation": consultation,
        "form": form,
        "submit_key": form_key(request),
    }
    return render(request, "assistance/consultation_form.html", context)


def _save_card(user, consultation: Consultation | None, form: ConsultationCardForm) -> Consultation:
    data, directions = form.card_data(), form.cleaned_data["directions"]
    if consultation is None:
        return services.consultation_create(user=user, data=data, directions=directions)
    return services.consultation_update(
        user=user, consultation=consultation, data=data, directions=directions
    )


@login_required
def consultation_create(request: HttpRequest) -> HttpResponse:
    if not _may_record(request.user):
        raise PermissionDenied
    return _form_page(request, None)


@login_required
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_consultation_or_404(request.user, pk, MANAGE)
    return _form_page(request, consultation)


# --- quick entry ----------------------------------------------------------------------------------------


def _quick_context(
    request: HttpRequest, form: QuickConsultationForm, saved: Consultation | None = None
) -> dict:
    return {"quick_form": form, "quick_saved": saved, "quick_submit_key": get_random_string(32)}


@login_required
def quick_consultation(request: HttpRequest) -> HttpResponse:
    """The quick-entry piece: GET renders it (empty for one who records nothing); POST saves, resets it."""
    template = "assistance/_quick_consultation.html"
    if not _may_record(request.user):
        if request.method == "POST":
            raise PermissionDenied
        return HttpResponse("")
    if request.method != "POST":
        return render(request, template, _quick_context(request, QuickConsultationForm(user=request.user)))
    form = QuickConsultationForm(request.POST, user=request.user)
    guard = SubmitOnce(request, "assistance:quick")
    if not guard.claim():
        # The second click of a double click: the first one saves; answer as if this one had.
        done = guard.done
        previous = Consultation.objects.filter(pk=done).first() if isinstance(done, int) else None
        fresh = QuickConsultationForm(user=request.user)
        return render(request, template, _quick_context(request, fresh, previous or Consultation()))
    if form.is_valid():
        try:
            saved = services.consultation_create(
                user=request.user,
                data=form.card_data(),
                directions=[form.cleaned_data["direction"]] if form.cleaned_data.get("direction") else [],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            guard.saved(saved.pk)
            if not request.htmx:
                messages.success(request, _("The consultation was saved."))
                return redirect(request.POST.get("next") or "assistance:consultation_list")
            fresh = QuickConsultationForm(user=request.user, initial={"date": form.cleaned_data["date"]})
            return render(request, template, _quick_context(request, fresh, saved))
    guard.release()
    if not request.htmx:
        # Without JavaScript the full card shows the errors in a page of its own.
        return render(
            request,
            "assistance/quick_page.html",
            {**_quick_context(request, form), "nav_active": "assistance"},
        )
    return render(request, template, _quick_context(request, form))


@login_required
def unit_options(request: HttpRequest) -> HttpResponse:
    """`<option>`s of the units in scope matching `?q=`, for the quick-entry picker."""
    _require_view(request.user)
    units = (
        scope.units(request.user)
        .filter(archived_at__isnull=True)
        .search(request.GET.get("q", ""))
        .order_by("path")[:UNIT_SEARCH_LIMIT]
    )
    return render(request, "assistance/_unit_options.html", {"units": units})


# --- figures --------------------------------------------------------------------------------------------


@login_required
def consultation_figures_page(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form, consultations = _filtered(request)
    context = {
        "nav_active": "assistance",
        "form": form,
        "figures": consultation_figures(consultations),
        "query": _query(request),
    }
    return render(request, "assistance/figures.html", context)


def _section_titles() -> list[tuple[str, str]]:
    return [
        ("by_mode", _("By mode")),
        ("by_form", _("Individual or group")),
        ("by_direction", _("By direction of work")),
        ("by_district", _("By district")),
        ("by_consultant", _("By consultant")),
    ]


def figures_xlsx(figures: dict) -> bytes:
    """One sheet: the totals, then a block per grouping (name, consultations, people)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Figures"))
    _header(sheet, [("", 40), (_("Consultations"), 16), (pgettext("number of people", "People"), 14)])
    sheet.append([_("Total"), figures["total"], figures["people"]])
    for key, title in _section_titles():
        sheet.append([])
        sheet.append([_cell(sheet, title)])
        for row in figures[key]:
            sheet.append([_cell(sheet, str(row["label"])), row["count"], row["people"]])
    return _save_workbook(workbook)


@login_required
def consultation_figures_export(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    _form, consultations = _filtered(request)
    return _xlsx_response(figures_xlsx(consultation_figures(consultations)), "consultation-figures")
