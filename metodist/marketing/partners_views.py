"""Pages of partners: the lists of partners and agreements with filters and XLSX export, the partner card
(people, libraries, agreements, joint activities, history of the agreements), the agreement card with its
file and history, the forms, and the home-page card of agreements that expire soon.

Every lookup goes through `metodist.marketing.partners` selectors; every write through its services.
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

from metodist.assistance.views import _apply_errors
from metodist.core import scope
from metodist.core.files import stored_file_response
from metodist.core.submit_once import SubmitOnce, form_key
from metodist.marketing import partners
from metodist.marketing.models.partners import (
    EXPIRING_DAYS,
    STATE_LABELS,
    Agreement,
    JointActivity,
    Partner,
)
from metodist.marketing.partners_export import agreements_xlsx, partners_xlsx, xlsx_response
from metodist.marketing.partners_forms import (
    ActivityForm,
    AgreementFilterForm,
    AgreementForm,
    PartnerFilterForm,
    PartnerForm,
    contact_formset,
    contacts_data,
)

NAV = "partners"
NAV_AGREEMENTS = "partner_agreements"
PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
HOME_LIMIT = 10


def _require_view(user) -> None:
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _with_state(agreements, today) -> list:
    rows = list(agreements)
    for agreement in rows:
        agreement.current_state = agreement.state(today)
        agreement.state_label = STATE_LABELS[agreement.current_state]
        agreement.left = agreement.days_left(today)
    return rows


# --- partners -------------------------------------------------------------------------------------------


def _partners(request: HttpRequest):
    today = timezone.localdate()
    form = PartnerFilterForm(request.GET or None)
    rows = partners.filter_partners(partners.partners_visible(request.user), today=today, **form.filters())
    return form, partners.with_counts(rows, today).order_by("name", "pk")


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form, rows = _partners(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav_active": NAV,
        "form": form,
        "page": page,
        "query": _query(request),
        "can_record": partners.may_manage(request.user),
    }
    if request.htmx and request.htmx.target == "partner-rows":
        return render(request, "marketing/partners/partner_list.html#rows", context)
    return render(request, "marketing/partners/partner_list.html", context)


@login_required
def partner_export(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    _form, rows = _partners(request)
    rows = rows.prefetch_related("contacts", "libraries")[:EXPORT_LIMIT]
    return xlsx_response(partners_xlsx(rows), "partners")


@login_required
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    partner = partners.get_partner_or_404(user, pk)
    today = timezone.localdate()
    agreements = _with_state(
        partners.agreements_visible(user).filter(partner=partner).order_by("-starts_on", "-pk"), today
    )
    activities = partners.activities_visible(user).filter(partner=partner).order_by("-date", "-pk")
    context = {
        "nav_active": NAV,
        "partner": partner,
        "contacts": partner.contacts.all(),
        "libraries": partners.units_of_network(user).filter(partners_worked_with=partner),
        "agreements": agreements,
        "activities": activities,
        "history": partners.agreement_history(agreements),
        "can_manage": partners.can_manage(user, partner),
        "may_record": partners.may_manage(user),
    }
    return render(request, "marketing/partners/partner_detail.html", context)


def _partner_form_page(request: HttpRequest, partner: Partner | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    initial = {"unit": partners.default_unit(user)} if partner is None else {}
    form = PartnerForm(post, instance=partner or Partner(), user=user, initial=initial)
    contacts = contact_formset(post, partner=partner)
    if post is not None:
        guard = SubmitOnce(request, "marketing:partner", enabled=partner is None)
        if not guard.claim():
            messages.info(request, _("The partner was already saved."))
            if isinstance(guard.done, int):
                return redirect("marketing:partner_detail", pk=guard.done)
            return redirect("marketing:partner_list")
        if form.is_valid() and contacts.is_valid():
            try:
                saved = _save_partner(user, partner, form, contacts)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The partner was saved."))
                return redirect("marketing:partner_detail", pk=saved.pk)
        guard.release()
    context = {
        "nav_active": NAV,
        "partner": partner,
        "form": form,
        "contacts": contacts,
        "submit_key": form_key(request),
    }
    return render(request, "marketing/partners/partner_form.html", context)


def _save_partner(user, partner, form, contacts) -> Partner:
    data = form.partner_data()
    libraries = form.cleaned_data["libraries"]
    people = contacts_data(contacts)
    if partner is None:
        return partners.partner_create(user=user, data=data, libraries=libraries, contacts=people)
    return partners.partner_update(
        user=user, partner=partner, data=data, libraries=libraries, contacts=people
    )


@login_required
def partner_create(request: HttpRequest) -> HttpResponse:
    if not partners.may_manage(request.user):
        raise PermissionDenied
    return _partner_form_page(request, None)


@login_required
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = partners.get_partner_or_404(request.user, pk, partners.MANAGE)
    return _partner_form_page(request, partner)


# --- agreements -----------------------------------------------------------------------------------------


def _agreements(request: HttpRequest):
    today = timezone.localdate()
    form = AgreementFilterForm(request.GET or None)
    rows = partners.filter_agreements(
        partners.agreements_visible(request.user), today=today, **form.filters()
    )
    return form, rows.order_by("-starts_on", "-pk"), today


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form, rows, today = _agreements(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_state(page.object_list, today)
    context = {
        "nav_active": NAV_AGREEMENTS,
        "form": form,
        "page": page,
        "query": _query(request),
        "can_record": partners.may_manage(request.user),
    }
    if request.htmx and request.htmx.target == "agreement-rows":
        return render(request, "marketing/partners/agreement_list.html#rows", context)
    return render(request, "marketing/partners/agreement_list.html", context)


@login_required
def agreement_export(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    _form, rows, today = _agreements(request)
    rows = _with_state(rows[:EXPORT_LIMIT], today)
    return xlsx_response(agreements_xlsx(rows), "partner-agreements")


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    agreement = partners.get_agreement_or_404(user, pk)
    today = timezone.localdate()
    _with_state([agreement], today)
    partner_visible = partners.partners_visible(user).filter(pk=agreement.partner_id).exists()
    activities = partners.activities_visible(user).filter(
        partner=agreement.partner_id, date__gte=agreement.starts_on
    )
    if agreement.ends_on:
        activities = activities.filter(date__lte=agreement.ends_on)
    context = {
        "nav_active": NAV_AGREEMENTS,
        "agreement": agreement,
        "partner_visible": partner_visible,
        "activities": activities.order_by("-date", "-pk"),
        "can_manage": partners.can_manage(user, agreement),
        "history": partners.agreement_history([agreement]),
        "file_name": os.path.basename(agreement.file.name) if agreement.file else "",
    }
    return render(request, "marketing/partners/agreement_detail.html", context)


@login_required
def agreement_file(request: HttpRequest, pk: int) -> FileResponse:
    agreement = partners.get_agreement_or_404(request.user, pk)
    return stored_file_response(agreement.file)


def _agreement_form_page(request: HttpRequest, agreement: Agreement | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    initial = {}
    if agreement is None:
        initial["unit"] = partners.default_unit(user)
        partner = request.GET.get("partner", "")
        if partner.isdigit() and partners.partners_visible(user).filter(pk=partner).exists():
            initial["partner"] = partner
    form = AgreementForm(post, files, instance=agreement or Agreement(), user=user, initial=initial)
    if post is not None:
        guard = SubmitOnce(request, "marketing:agreement", enabled=agreement is None)
        if not guard.claim():
            messages.info(request, _("The agreement was already saved."))
            if isinstance(guard.done, int):
                return redirect("marketing:agreement_detail", pk=guard.done)
            return redirect("marketing:agreement_list")
        if form.is_valid():
            try:
                if agreement is None:
                    saved = partners.agreement_create(
                        user=user, data=form.agreement_data(), file=form.new_file()
                    )
                else:
                    saved = partners.agreement_update(
                        user=user,
                        agreement=agreement,
                        data=form.agreement_data(),
                        file=form.new_file(),
                        remove_file=form.file_cleared(),
                    )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The agreement was saved."))
                return redirect("marketing:agreement_detail", pk=saved.pk)
        guard.release()
    context = {
        "nav_active": NAV_AGREEMENTS,
        "agreement": agreement,
        "form": form,
        "submit_key": form_key(request),
    }
    return render(request, "marketing/partners/agreement_form.html", context)


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    if not partners.may_manage(request.user):
        raise PermissionDenied
    return _agreement_form_page(request, None)


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = partners.get_agreement_or_404(request.user, pk, partners.MANAGE)
    return _agreement_form_page(request, agreement)


# --- joint activities -----------------------------------------------------------------------------------


def _activity_form_page(request: HttpRequest, activity: JointActivity | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    initial = {}
    if activity is None:
        initial["unit"] = partners.default_unit(user)
        initial["date"] = timezone.localdate()
        partner = request.GET.get("partner", "")
        if partner.isdigit() and partners.partners_visible(user).filter(pk=partner).exists():
            initial["partner"] = partner
    form = ActivityForm(post, instance=activity or JointActivity(), user=user, initial=initial)
    if post is not None:
        guard = SubmitOnce(request, "marketing:activity", enabled=activity is None)
        if not guard.claim():
            messages.info(request, _("The joint activity was already saved."))
            return redirect("marketing:partner_list")
        if form.is_valid():
            try:
                if activity is None:
                    saved = partners.activity_create(user=user, data=form.activity_data())
                else:
                    saved = partners.activity_update(user=user, activity=activity, data=form.activity_data())
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The joint activity was saved."))
                return redirect("marketing:partner_detail", pk=saved.partner_id)
        guard.release()
    context = {
        "nav_active": NAV,
        "activity": activity,
        "form": form,
        "submit_key": form_key(request),
    }
    return render(request, "marketing/partners/activity_form.html", context)


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    if not partners.may_manage(request.user):
        raise PermissionDenied
    return _activity_form_page(request, None)


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = partners.get_activity_or_404(request.user, pk, partners.MANAGE)
    if request.method == "POST" and "delete" in request.POST:
        partners.activity_delete(user=request.user, activity=activity)
        messages.success(request, _("The joint activity was deleted."))
        return redirect("marketing:partner_detail", pk=activity.partner_id)
    return _activity_form_page(request, activity)


# --- the home-page card ---------------------------------------------------------------------------------


@login_required
def partner_home(request: HttpRequest) -> HttpResponse:
    """Agreements the user keeps that expire within 30 days; nothing for those who keep no partners."""
    user = request.user
    if not partners.may_manage(user):
        return HttpResponse("")
    today = timezone.localdate()
    expiring = partners.expiring_agreements(user, today=today, capability=partners.MANAGE)
    context = {
        "marketing_loaded": True,
        "expiring": _with_state(expiring[:HOME_LIMIT], today),
        "expiring_count": expiring.count(),
        "expiring_days": EXPIRING_DAYS,
    }
    return render(request, "marketing/_home_marketing.html", context)


urlpatterns = [
    path("partners/", partner_list, name="partner_list"),
    path("partners/export.xlsx", partner_export, name="partner_export"),
    path("partners/new/", partner_create, name="partner_create"),
    path("partners/home/", partner_home, name="partner_home"),
    path("partners/<int:pk>/", partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", partner_edit, name="partner_edit"),
    path("agreements/", agreement_list, name="agreement_list"),
    path("agreements/export.xlsx", agreement_export, name="agreement_export"),
    path("agreements/new/", agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/file/", agreement_file, name="agreement_file"),
    path("agreements/<int:pk>/edit/", agreement_edit, name="agreement_edit"),
    path("joint-activities/new/", activity_create, name="activity_create"),
    path("joint-activities/<int:pk>/edit/", activity_edit, name="activity_edit"),
]
