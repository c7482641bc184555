"""Pages of the annual plan: the list of plans, a new plan, the plan against fact, its items' form, approval,
the roll-up for a district or the region, and their DOCX and XLSX exports.

Every lookup goes through the selectors of `metodist.assistance.plans`; every write through its services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metodist.assistance import plans
from metodist.assistance.plans_export import (
    DOCX_CONTENT_TYPE,
    VARIANTS,
    XLSX_CONTENT_TYPE,
    plan_docx,
    plan_xlsx,
    rollup_docx,
    rollup_xlsx,
)
from metodist.assistance.plans_forms import (
    ITEM_ROWS_EXTRA,
    PlanCreateForm,
    PlanListFilterForm,
    PlanNoteForm,
    RollupForm,
    first_unit,
    formset_changes,
    item_formset,
)
from metodist.assistance.views import _apply_errors
from metodist.core import scope
from metodist.core.submit_once import SubmitOnce, form_key
from metodist.network.models import OrgUnit

LIST_LIMIT = 500
MAX_EXTRA_ROWS = 30


def _require_view(user) -> None:
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied


def _language() -> str:
    return (translation.get_language() or "ru")[:2]


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


# --- the list and a new plan ----------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form = PlanListFilterForm(request.GET or None, initial={"year": timezone.localdate().year})
    year = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None
    year = year or timezone.localdate().year
    years = plans.plan_years(request.user)
    rows = plans.plans_visible(request.user).filter(year=year).order_by("unit__path")
    context = {
        "nav_active": "plans",
        "form": form,
        "year": year,
        "years": years,
        "plans": rows.prefetch_related("items")[:LIST_LIMIT],
        "can_create": plans.may_write_plans(request.user),
    }
    return render(request, "assistance/plan_list.html", context)


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not plans.may_write_plans(user):
        raise PermissionDenied
    initial = {}
    if request.GET.get("unit"):
        initial["unit"] = request.GET["unit"]
    form = PlanCreateForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST":
        guard = SubmitOnce(request, "assistance:plan")
        if not guard.claim():
            messages.info(request, _("The plan was already created."))
            if isinstance(guard.done, int):
                return redirect("assistance:plan_edit", pk=guard.done)
            return redirect("assistance:plan_list")
        if form.is_valid():
            try:
                plan = plans.plan_create(
                    user=user,
                    unit=form.cleaned_data["unit"],
                    year=form.cleaned_data["year"],
                    note=form.cleaned_data["note"],
                    copy_previous=form.cleaned_data["copy_previous"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(plan.pk)
                messages.success(request, _("The plan was created; add its items."))
                return redirect("assistance:plan_edit", pk=plan.pk)
        guard.release()
    context = {"nav_active": "plans", "form": form, "submit_key": form_key(request)}
    return render(request, "assistance/plan_form.html", context)


# --- one plan -------------------------------------------------------------------------------------------


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plans.get_plan_or_404(request.user, pk)
    fulfilment = plans.plan_fulfilment(plan)
    context = {
        "nav_active": "plans",
        "plan": plan,
        "fulfilment": fulfilment,
        "quarters": plans.Rollup.column_labels()[:4],
        "can_edit": plans.can_edit(request.user, plan),
        "can_approve": plans.can_approve(request.user, plan),
        "may_write": plans.can_write_unit(request.user, plan.unit),
    }
    return render(request, "assistance/plan_detail.html", context)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = plans.get_plan_or_404(user, pk)
    if not plans.can_write_unit(user, plan.unit):
        raise PermissionDenied
    if not plans.can_edit(user, plan):
        messages.warning(
            request, _("The plan is approved: a methodologist must reopen it before it changes.")
        )
        return redirect("assistance:plan_detail", pk=plan.pk)
    try:
        extra = min(max(int(request.GET.get("rows", ITEM_ROWS_EXTRA)), 1), MAX_EXTRA_ROWS)
    except ValueError:
        extra = ITEM_ROWS_EXTRA
    post = request.POST if request.method == "POST" else None
    note_form = PlanNoteForm(post, instance=plan)
    formset = item_formset(plan, post, extra=extra)
    if post is not None and note_form.is_valid() and formset.is_valid():
        added, changed, deleted = formset_changes(formset)
        try:
            plans.plan_items_save(
                user=user,
                plan=plan,
                note=note_form.cleaned_data["note"],
                added=added,
                changed=changed,
                deleted=deleted,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The plan was saved."))
            if "more" in request.POST:
                return redirect(f"{request.path}?rows={min(extra + 5, MAX_EXTRA_ROWS)}")
            return redirect("assistance:plan_detail", pk=plan.pk)
    context = {"nav_active": "plans", "plan": plan, "note_form": note_form, "formset": formset}
    return render(request, "assistance/plan_edit.html", context)


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plans.get_plan_or_404(request.user, pk)
    try:
        plans.plan_approve(user=request.user, plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The plan is approved."))
    return redirect("assistance:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plans.get_plan_or_404(request.user, pk)
    plans.plan_reopen(user=request.user, plan=plan)
    messages.success(request, _("The plan is open for changes again."))
    return redirect("assistance:plan_detail", pk=plan.pk)


def _plan_filename(plan, suffix: str, extension: str) -> str:
    return f"plan-{plan.unit.code}-{plan.year}{suffix}-{_language()}.{extension}"


@login_required
def plan_export_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plans.get_plan_or_404(request.user, pk)
    variant = request.GET.get("variant", "plan")
    if variant not in VARIANTS:
        variant = "plan"
    content = plan_docx(plans.plan_fulfilment(plan), variant=variant, language=_language())
    suffix = "" if variant == "plan" else f"-{variant}"
    return _download(content, DOCX_CONTENT_TYPE, _plan_filename(plan, suffix, "docx"))


@login_required
def plan_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plans.get_plan_or_404(request.user, pk)
    content = plan_xlsx(plans.plan_fulfilment(plan), language=_language())
    return _download(content, XLSX_CONTENT_TYPE, _plan_filename(plan, "", "xlsx"))


# --- the roll-up ----------------------------------------------------------------------------------------


def _rollup(request: HttpRequest):
    """The form and the roll-up it asks for (None while the form is invalid or the user sees no unit)."""
    user = request.user
    _require_view(user)
    selected = None
    if request.GET.get("unit"):
        try:
            selected = plans.rollup_units(user).get(pk=request.GET["unit"])
        except (ValueError, TypeError, OrgUnit.DoesNotExist):
            selected = None
    form = RollupForm(request.GET or None, user=user, selected=selected)
    unit, year = first_unit(user), timezone.localdate().year
    if form.is_bound:
        if not form.is_valid():
            return form, None
        unit = form.cleaned_data["unit"] or unit
        year = form.cleaned_data["year"] or year
    if unit is None:
        return form, None
    if not form.is_bound:
        form = RollupForm(initial={"unit": unit.pk, "year": year}, user=user, selected=unit)
    return form, plans.plan_rollup(user, unit, year=year)


@login_required
def plan_rollup(request: HttpRequest) -> HttpResponse:
    form, rollup = _rollup(request)
    context = {
        "nav_active": "plans",
        "form": form,
        "rollup": rollup,
        "query": f"unit={rollup.unit.pk}&year={rollup.year}" if rollup else "",
    }
    return render(request, "assistance/plan_rollup.html", context)


def _rollup_or_404(request: HttpRequest):
    _form, rollup = _rollup(request)
    if rollup is None:
        raise Http404
    return rollup


@login_required
def plan_rollup_docx(request: HttpRequest) -> HttpResponse:
    rollup = _rollup_or_404(request)
    filename = f"plans-{rollup.unit.code}-{rollup.year}-{_language()}.docx"
    return _download(rollup_docx(rollup, language=_language()), DOCX_CONTENT_TYPE, filename)


@login_required
def plan_rollup_xlsx(request: HttpRequest) -> HttpResponse:
    rollup = _rollup_or_404(request)
    filename = f"plans-{rollup.unit.code}-{rollup.year}-{_language()}.xlsx"
    return _download(rollup_xlsx(rollup, language=_language()), XLSX_CONTENT_TYPE, filename)


urlpatterns = [
    path("plans/", plan_list, name="plan_list"),
    path("plans/new/", plan_create, name="plan_create"),
    path("plans/rollup/", plan_rollup, name="plan_rollup"),
    path("plans/rollup/export.docx", plan_rollup_docx, name="plan_rollup_docx"),
    path("plans/rollup/export.xlsx", plan_rollup_xlsx, name="plan_rollup_xlsx"),
    path("plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plan_edit, name="plan_edit"),
    path("plans/<int:pk>/approve/", plan_approve, name="plan_approve"),
    path("plans/<int:pk>/reopen/", plan_reopen, name="plan_reopen"),
    path("plans/<int:pk>/export.docx", plan_export_docx, name="plan_export_docx"),
    path("plans/<int:pk>/export.xlsx", plan_export_xlsx, name="plan_export_xlsx"),
]
