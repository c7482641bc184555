"""Pages of coordination with libraries of other departments: the partner list with agreement statuses and
joint activity (and its XLSX export), the agreement card with its file, history and joint activity, the
agreement form, and the home-page piece of agreements that expire soon.

Every lookup goes through `metodist.assistance.coordination` selectors; every write through its services.
"""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from metodist.assistance import coordination
from metodist.assistance.coordination_forms import AgreementForm, CoordinationFilterForm
from metodist.assistance.models import CoordinationAgreement
from metodist.assistance.views import _apply_errors, _cell, _header, _save_workbook, _xlsx_response
from metodist.core import scope
from metodist.core.files import stored_file_response
from metodist.core.submit_once import SubmitOnce, form_key

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
HOME_LIMIT = 20
NAV = "coordination"


def _require_view(user) -> None:
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied


def _partners(request: HttpRequest) -> tuple[CoordinationFilterForm, int, object]:
    today = timezone.localdate()
    form = CoordinationFilterForm(request.GET or None)
    filters = form.filters()
    year = filters.pop("year", today.year)
    rows = coordination.partner_libraries(request.user, year=year, today=today, **filters)
    return form, year, rows


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- the partner list -----------------------------------------------------------------------------------


@login_required
def coordination_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form, year, rows = _partners(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = coordination.attach_agreements(page.object_list)
    context = {
        "nav_active": NAV,
        "form": form,
        "page": page,
        "year": year,
        "query": _query(request),
        "can_record": coordination.may_record(request.user),
    }
    if request.htmx and request.htmx.target == "coordination-rows":
        return render(request, "assistance/coordination.html#rows", context)
    return render(request, "assistance/coordination.html", context)


def coordination_xlsx(rows, *, year: int) -> bytes:
    """The partner libraries as a workbook: the current agreement and the year's joint activity."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Coordination"))
    sheet.freeze_panes = "A2"
    _header(
        sheet,
        [
            (_("Library"), 50),
            (_("Kind"), 18),
            (_("Department"), 18),
            (_("Agreement"), 16),
            (_("Number"), 12),
            (_("Signed on"), 12),
            (_("Valid from"), 12),
            (_("Valid to"), 12),
            (_("Subject"), 60),
            (_("Events in %(year)s") % {"year": year}, 12),
            (_("Consultations in %(year)s") % {"year": year}, 14),
            (_("Field visits in %(year)s") % {"year": year}, 12),
        ],
    )
    statuses = dict(coordination.AgreementStatus.choices)
    for unit in rows:
        agreement = unit.agreement
        values = [
            unit.name,
            unit.get_kind_display(),
            unit.get_founding_department_display(),
            str(statuses[unit.status]),
            agreement.number if agreement else None,
            agreement.signed_on if agreement else None,
            agreement.valid_from if agreement else None,
            agreement.valid_to if agreement else None,
            agreement.subject if agreement else None,
            unit.events,
            unit.consultations,
            unit.visits,
        ]
        sheet.append([_cell(sheet, v) for v in values])
    return _save_workbook(workbook)


@login_required
def coordination_export(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    _form, year, rows = _partners(request)
    rows = coordination.attach_agreements(rows[:EXPORT_LIMIT])
    return _xlsx_response(coordination_xlsx(rows, year=year), "coordination")


# --- the agreement card ---------------------------------------------------------------------------------


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    agreement = coordination.get_agreement_or_404(user, pk)
    today = timezone.localdate()
    activity = coordination.joint_activity(user, agreement)
    limit = coordination.ACTIVITY_LIMIT
    consultations = list(activity["consultations"][:limit])
    for consultation in consultations:
        consultation.editable = coordination.can_manage_consultation(user, consultation)
    status = coordination.agreement_status(agreement, today)
    context = {
        "nav_active": NAV,
        "agreement": agreement,
        "status": status,
        "status_label": coordination.AgreementStatus(status).label,
        "can_manage": coordination.can_manage_agreement(user, agreement),
        "events": activity["events"][:limit],
        "events_count": activity["events"].count(),
        "consultations": consultations,
        "consultations_count": activity["consultations"].count(),
        "visits": activity["visits"].prefetch_related("destinations")[:limit],
        "visits_count": activity["visits"].count(),
        "history": coordination.agreement_history(agreement),
        "file_name": os.path.basename(agreement.file.name) if agreement.file else "",
    }
    return render(request, "assistance/agreement_detail.html", context)


@login_required
def agreement_file(request: HttpRequest, pk: int) -> FileResponse:
    agreement = coordination.get_agreement_or_404(request.user, pk)
    return stored_file_response(agreement.file)


# --- the form -------------------------------------------------------------------------------------------


def _form_page(request: HttpRequest, agreement: CoordinationAgreement | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    initial = {}
    if agreement is None:
        initial["owner_unit"] = coordination.default_owner(user)
        partner = request.GET.get("partner")
        if (
            partner
            and coordination.partner_units(user).filter(pk=partner if partner.isdigit() else 0).exists()
        ):
            initial["partner_unit"] = partner
    form = AgreementForm(
        post, files, instance=agreement or CoordinationAgreement(), user=user, initial=initial
    )
    if post is not None:
        guard = SubmitOnce(request, "assistance:agreement", enabled=agreement is None)
        if not guard.claim():
            messages.info(request, _("The agreement was already saved."))
            if isinstance(guard.done, int):
                return redirect("assistance:agreement_detail", pk=guard.done)
            return redirect("assistance:coordination")
        if form.is_valid():
            try:
                saved = _save(user, agreement, form)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The agreement was saved."))
                return redirect("assistance:agreement_detail", pk=saved.pk)
        guard.release()
    context = {
        "nav_active": NAV,
        "agreement": agreement,
        "form": form,
        "submit_key": form_key(request),
    }
    return render(request, "assistance/agreement_form.html", context)


def _save(user, agreement: CoordinationAgreement | None, form: AgreementForm) -> CoordinationAgreement:
    data = form.agreement_data()
    if agreement is None:
        return coordination.agreement_create(user=user, data=data, file=form.new_file())
    return coordination.agreement_update(
        user=user,
        agreement=agreement,
        data=data,
        file=form.new_file(),
        remove_file=form.file_cleared(),
    )


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    if not coordination.may_record(request.user):
        raise PermissionDenied
    return _form_page(request, None)


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = coordination.get_agreement_or_404(request.user, pk, coordination.MANAGE)
    return _form_page(request, agreement)


@login_required
def agreement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = coordination.get_agreement_or_404(request.user, pk, coordination.MANAGE)
    if request.method == "POST":
        coordination.agreement_delete(user=request.user, agreement=agreement)
        messages.success(request, _("The agreement was deleted."))
        return redirect("assistance:coordination")
    return render(request, "assistance/agreement_delete.html", {"nav_active": NAV, "agreement": agreement})


# --- the home-page piece --------------------------------------------------------------------------------


@login_required
def agreement_expiring(request: HttpRequest) -> HttpResponse:
    """Agreements the user sees that end within 60 days and were not renewed (empty when none)."""
    today = timezone.localdate()
    rows = list(coordination.expiring_agreements(request.user, today=today)[:HOME_LIMIT])
    if not rows:
        return HttpResponse("")
    for agreement in rows:
        agreement.days_left = (agreement.valid_to - today).days
    context = {"expiring": rows, "expiring_loaded": True, "expiring_days": coordination.EXPIRING_DAYS}
    return render(request, "assistance/_home_agreements.html", context)


urlpatterns = [
    path("coordination/", coordination_list, name="coordination"),
    path("coordination/export.xlsx", coordination_export, name="coordination_export"),
    path("coordination/agreements/new/", agreement_create, name="agreement_create"),
    path("coordination/agreements/expiring/", agreement_expiring, name="agreement_expiring"),
    path("coordination/agreements/<int:pk>/", agreement_detail, name="agreement_detail"),
    path("coordination/agreements/<int:pk>/file/", agreement_file, name="agreement_file"),
    path("coordination/agreements/<int:pk>/edit/", agreement_edit, name="agreement_edit"),
    path("coordination/agreements/<int:pk>/delete/", agreement_delete, name="agreement_delete"),
]
