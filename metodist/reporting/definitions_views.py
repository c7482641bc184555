"""Pages of the definitions: report forms (header, assignments, rules, versioned fields) and indicators.

Definitions are shared by the whole network, so every page needs `manage_forms` somewhere (any part of
the network); others get 403. Writes go through `definitions_services`, which checks it again, and an
assignment also needs the capability on the unit it names.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from metodist.core.submit_once import SubmitOnce, form_key
from metodist.network.models import UnitKind
from metodist.reporting import definitions_services as services
from metodist.reporting import rules
from metodist.reporting.definitions_forms import (
    LAYOUT_PREFIX,
    AssignmentForm,
    IndicatorForm,
    LayoutNoteForm,
    LayoutRowFormSet,
    ReportFormForm,
    RuleForm,
    apply_row_action,
    layout_initial,
    typed_rows,
)
from metodist.reporting.models import (
    DerivedIndicator,
    FormAssignment,
    FormVersion,
    Indicator,
    ReportForm,
    ValidationRule,
)
from metodist.reporting.services import field_specs

NAV = "report_forms"
TEMPLATES = "reporting/definitions/"


def _with_kind_labels(assignments) -> list[FormAssignment]:
    assignments = list(assignments)
    for assignment in assignments:
        assignment.kind_labels = [
            UnitKind(kind).label if kind in UnitKind.values else kind for kind in assignment.kinds
        ]
    return assignments


def _require_manage(request: HttpRequest) -> None:
    if not services.can_manage_forms(request.user):
        raise PermissionDenied


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- report forms ----------------------------------------------------------------------------------------


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    forms = ReportForm.objects.annotate(version_count=Count("versions", distinct=True)).prefetch_related(
        Prefetch("assignments", queryset=FormAssignment.objects.select_related("unit").order_by("unit__path"))
    )
    forms = list(forms)
    for form in forms:
        form.assignment_rows = _with_kind_labels(form.assignments.all())
    return render(request, TEMPLATES + "form_list.html", {"nav_active": NAV, "forms": forms})


def _rule_rows(form: ReportForm, codes: set[str]) -> list[dict]:
    rows = []
    for rule in form.rules.all():
        try:
            unknown = sorted(rules.names(rule.expression) - codes)
        except rules.RuleError:
            unknown = []
        rows.append({"rule": rule, "unknown": unknown})
    return rows


@login_required
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    form = get_object_or_404(ReportForm, pk=pk)
    versions = list(form.versions.annotate(report_count=Count("reports")).order_by("-number"))
    shown = versions[0] if versions else None
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        shown = next((v for v in versions if v.number == int(wanted)), shown)
    layout = services.layout_of(shown)
    context = {
        "nav_active": NAV,
        "form": form,
        "versions": versions,
        "shown": shown,
        "is_current": bool(versions) and shown == versions[0],
        "layout": layout,
        "assignments": _with_kind_labels(form.assignments.select_related("unit").order_by("unit__path")),
        "rules": _rule_rows(form, services.form_codes(form)),
    }
    return render(request, TEMPLATES + "form_detail.html", context)


@login_required
def form_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    form = ReportFormForm(request.POST or None)
    if request.method == "POST":
        guard = SubmitOnce(request, "reporting:form_create")
        if isinstance(guard.done, int):
            return redirect("reporting:form_detail", pk=guard.done)
        if not guard.claim():
            messages.info(request, _("The form is being saved; it will appear in the list in a moment."))
            return redirect("reporting:form_list")
        if form.is_valid():
            try:
                created = services.form_create(user=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(created.pk)
                messages.success(request, _("The form is created. Now add its sections and fields."))
                return redirect("reporting:form_fields", pk=created.pk)
        guard.release()
    context = {"nav_active": NAV, "form": form, "report_form": None, "submit_key": form_key(request)}
    return render(request, TEMPLATES + "form_edit.html", context)


def _edit_context(request, report_form, header, assignment_form) -> dict:
    return {
        "nav_active": NAV,
        "form": header,
        "report_form": report_form,
        "assignment_form": assignment_form,
        "assignments": _with_kind_labels(
            report_form.assignments.select_related("unit").order_by("unit__path")
        ),
    }


@login_required
def form_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    report_form = get_object_or_404(ReportForm, pk=pk)
    has_reports = services.form_has_reports(report_form)
    header = ReportFormForm(request.POST or None, instance=report_form, has_reports=has_reports)
    if request.method == "POST" and header.is_valid():
        data = {
            name: header.cleaned_data[name] for name in services.FORM_FIELDS if name in header.cleaned_data
        }
        try:
            services.form_update(user=request.user, form=report_form, data=data)
        except ValidationError as exc:
            _apply_errors(header, exc)
        else:
            messages.success(request, _("The form is saved."))
            return redirect("reporting:form_detail", pk=report_form.pk)
    report_form.refresh_from_db()
    context = _edit_context(request, report_form, header, AssignmentForm(user=request.user))
    return render(request, TEMPLATES + "form_edit.html", context)


@login_required
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    report_form = get_object_or_404(ReportForm, pk=pk)
    if request.method != "POST":
        return redirect("reporting:form_edit", pk=report_form.pk)
    form = AssignmentForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.assignment_add(
                user=request.user,
                form=report_form,
                unit=form.cleaned_data["unit"],
                kinds=form.cleaned_data["kinds"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The assignment is added."))
            return redirect("reporting:form_edit", pk=report_form.pk)
    header = ReportFormForm(instance=report_form, has_reports=services.form_has_reports(report_form))
    return render(request, TEMPLATES + "form_edit.html", _edit_context(request, report_form, header, form))


@login_required
def assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    assignment = get_object_or_404(FormAssignment.objects.select_related("unit"), pk=pk)
    if request.method == "POST":
        services.assignment_delete(user=request.user, assignment=assignment)
        messages.success(request, _("The assignment is removed."))
    return redirect("reporting:form_edit", pk=assignment.form_id)


# --- fields ----------------------------------------------------------------------------------------------


def _indicators():
    return Indicator.objects.select_related("category_set").order_by("code")


def _fields_page(request, report_form, rows, note_form, *, version) -> HttpResponse:
    context = {
        "nav_active": NAV,
        "report_form": report_form,
        "rows": rows,
        "note_form": note_form,
        "version": version,
        "report_count": version.reports.count() if version else 0,
    }
    if request.htmx and request.POST.get("row_action"):
        return render(request, TEMPLATES + "form_fields.html#layout", context)
    return render(request, TEMPLATES + "form_fields.html", context)


@login_required
def form_fields(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    report_form = get_object_or_404(ReportForm, pk=pk)
    version = report_form.current_version()
    indicators = _indicators()
    if request.method != "POST":
        rows = LayoutRowFormSet(
            initial=layout_initial(services.layout_of(version)), prefix=LAYOUT_PREFIX, indicators=indicators
        )
        return _fields_page(request, report_form, rows, LayoutNoteForm(), version=version)
    note_form = LayoutNoteForm(request.POST)
    action = request.POST.get("row_action", "")
    if action:
        # A row action shows the rows again as typed, changed; nothing is saved yet.
        typed = apply_row_action(typed_rows(request.POST), action)
        rows = LayoutRowFormSet(initial=typed, prefix=LAYOUT_PREFIX, indicators=indicators)
        return _fields_page(request, report_form, rows, note_form, version=version)
    rows = LayoutRowFormSet(request.POST, prefix=LAYOUT_PREFIX, indicators=indicators)
    if rows.is_valid() and note_form.is_valid():
        try:
            sections = rows.sections()
            saved = services.form_fields_save(
                user=request.user, form=report_form, sections=sections, note=note_form.cleaned_data["note"]
            )
        except ValidationError as exc:
            rows.layout_errors = exc.messages
        else:
            if version is None or saved.number == version.number:
                messages.success(request, _("The sections and fields are saved."))
            else:
                messages.success(
                    request,
                    _(
                        "Version %(number)s of the form is created; reports filed earlier keep version "
                        "%(previous)s and its fields."
                    )
                    % {"number": saved.number, "previous": version.number},
                )
            return redirect("reporting:form_detail", pk=report_form.pk)
    return _fields_page(request, report_form, rows, note_form, version=version)


# --- rules -----------------------------------------------------------------------------------------------


def _rule_page(request, report_form, form, rule) -> HttpResponse:
    version = report_form.current_version()
    codes = [] if version is None else list(field_specs(version).items())
    context = {
        "nav_active": NAV,
        "report_form": report_form,
        "form": form,
        "rule": rule,
        "codes": codes,
        "submit_key": form_key(request),
    }
    return render(request, TEMPLATES + "rule_form.html", context)


@login_required
def rule_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    report_form = get_object_or_404(ReportForm, pk=pk)
    form = RuleForm(request.POST or None, report_form=report_form)
    if request.method == "POST":
        guard = SubmitOnce(request, "reporting:rule_create")
        if isinstance(guard.done, int) or not guard.claim():
            messages.info(request, _("The rule was already saved."))
            return redirect("reporting:form_detail", pk=report_form.pk)
        if form.is_valid():
            try:
                rule = services.rule_create(user=request.user, form=report_form, data=form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(rule.pk)
                messages.success(request, _("The rule is added."))
                return redirect("reporting:form_detail", pk=report_form.pk)
        guard.release()
    return _rule_page(request, report_form, form, None)


@login_required
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    rule = get_object_or_404(ValidationRule.objects.select_related("form"), pk=pk)
    form = RuleForm(request.POST or None, instance=rule, report_form=rule.form)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_update(user=request.user, rule=rule, data=form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The rule is saved."))
            return redirect("reporting:form_detail", pk=rule.form_id)
    return _rule_page(request, rule.form, form, rule)


@login_required
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    rule = get_object_or_404(ValidationRule, pk=pk)
    if request.method == "POST":
        services.rule_delete(user=request.user, rule=rule)
        messages.success(request, _("The rule is deleted."))
    return redirect("reporting:form_detail", pk=rule.form_id)


# --- indicators ------------------------------------------------------------------------------------------


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    query = request.GET.get("q", "").strip()
    indicators = Indicator.objects.select_related("category_set").annotate(
        form_count=Count("form_fields__section__version__form", distinct=True)
    )
    if query:
        indicators = indicators.filter(
            Q(code__icontains=query)
            | Q(name_ru__icontains=query)
            | Q(name_kk__icontains=query)
            | Q(name_en__icontains=query)
        )
    derived = DerivedIndicator.objects.select_related("numerator", "denominator")
    context = {"nav_active": NAV, "indicators": indicators, "derived": derived, "query": query}
    return render(request, TEMPLATES + "indicator_list.html", context)


@login_required
def indicator_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST":
        guard = SubmitOnce(request, "reporting:indicator_create")
        if isinstance(guard.done, int) or not guard.claim():
            messages.info(request, _("The indicator was already saved."))
            return redirect("reporting:indicator_list")
        if form.is_valid():
            try:
                services.indicator_create(user=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(1)
                messages.success(request, _("The indicator is created."))
                return redirect("reporting:indicator_list")
        guard.release()
    context = {"nav_active": NAV, "form": form, "indicator": None, "submit_key": form_key(request)}
    return render(request, TEMPLATES + "indicator_form.html", context)


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    indicator = get_object_or_404(Indicator, pk=pk)
    has_values = services.indicator_has_values(indicator)
    form = IndicatorForm(request.POST or None, instance=indicator, has_values=has_values)
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name] for name in services.INDICATOR_FIELDS if name in form.cleaned_data
        }
        try:
            services.indicator_update(user=request.user, indicator=indicator, data=data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The indicator is saved."))
            return redirect("reporting:indicator_list")
    indicator.refresh_from_db()
    used_in = (
        FormVersion.objects.filter(sections__fields__indicator=indicator)
        .select_related("form")
        .distinct()
        .order_by("form__order", "form__code", "-number")
    )
    context = {
        "nav_active": NAV,
        "form": form,
        "indicator": indicator,
        "has_values": has_values,
        "used_in": used_in,
    }
    return render(request, TEMPLATES + "indicator_form.html", context)


urlpatterns = [
    path("forms/", form_list, name="form_list"),
    path("forms/new/", form_create, name="form_create"),
    path("forms/<int:pk>/", form_detail, name="form_detail"),
    path("forms/<int:pk>/edit/", form_edit, name="form_edit"),
    path("forms/<int:pk>/fields/", form_fields, name="form_fields"),
    path("forms/<int:pk>/assignments/add/", assignment_add, name="assignment_add"),
    path("assignments/<int:pk>/delete/", assignment_delete, name="assignment_delete"),
    path("forms/<int:pk>/rules/new/", rule_create, name="rule_create"),
    path("rules/<int:pk>/edit/", rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete/", rule_delete, name="rule_delete"),
    path("indicators/", indicator_list, name="indicator_list"),
    path("indicators/new/", indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/edit/", indicator_edit, name="indicator_edit"),
]
