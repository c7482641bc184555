"""Pages of field visits and recommendations: the visit list with its yearly plan and the units not visited
lately, the visit form (findings and recommendations inline), the visit card and its DOCX report, the
recommendations to act on / issued, the answer form, and the overdue piece for the home page.

Every lookup goes through `visits` / `recommendations` selectors; every write through their services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metodist.assistance import recommendations as recs
from metodist.assistance import visits
from metodist.assistance.models import FieldVisit
from metodist.assistance.services import default_unit
from metodist.assistance.views import _apply_errors
from metodist.assistance.visits_docx import visit_report_docx
from metodist.assistance.visits_forms import (
    AnswerForm,
    FindingFormSet,
    RecommendationFormSet,
    VisitFilterForm,
    VisitForm,
    filled,
)
from metodist.core import scope
from metodist.core.submit_once import SubmitOnce, form_key
from metodist.network.models import UnitKind

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LIST_LIMIT = 200
DEFAULT_MONTHS = 12
REPORT_LANGUAGES = ("ru", "kk")


def _require_view(user) -> None:
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied


def _may_record(user) -> bool:
    return scope.prefixes(user, visits.MANAGE) != ()


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    today = timezone.localdate()
    form = VisitFilterForm(request.GET or None, user=request.user)
    visible = visits.visits_visible(request.user)
    filtered = visits.filter_visits(
        visible,
        date_from=form.value("date_from"),
        date_to=form.value("date_to"),
        unit=form.value("unit"),
        status=form.value("status", ""),
    )
    year = form.value("year", today.year)
    months = form.value("months", DEFAULT_MONTHS)
    context = {
        "nav_active": "assistance",
        "form": form,
        "visits": filtered.prefetch_related("destinations")[:LIST_LIMIT],
        "year": year,
        "plan": visits.yearly_plan(filtered, year=year),
        "months": months,
        "not_visited": visits.units_not_visited(request.user, months=months, today=today)[:LIST_LIMIT],
        "can_record": _may_record(request.user),
    }
    return render(request, "assistance/visit_list.html", context)


def _inline_units(user):
    return scope.units(user).filter(archived_at__isnull=True).exclude(kind=UnitKind.REGION).order_by("path")


def _visit_form_page(request: HttpRequest, visit: FieldVisit | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    units = _inline_units(user)
    initial = {"organiser_unit": default_unit(user)} if visit is None else {}
    form = VisitForm(post, instance=visit or FieldVisit(), user=user, initial=initial)
    findings_initial = (
        [{"direction": f.direction_id, "unit": f.unit_id, "text": f.text} for f in visit.findings.all()]
        if visit is not None
        else []
    )
    findings = FindingFormSet(post, prefix="findings", initial=findings_initial, form_kwargs={"units": units})
    new_recs = RecommendationFormSet(post, prefix="recs", form_kwargs={"units": units})
    if post is not None:
        guard = SubmitOnce(request, "assistance:visit", enabled=visit is None)
        if not guard.claim():
            messages.info(request, _("The visit was already saved."))
            if isinstance(guard.done, int):
                return redirect("assistance:visit_detail", pk=guard.done)
            return redirect("assistance:visit_list")
        if form.is_valid() and findings.is_valid() and new_recs.is_valid():
            try:
                saved = _save_visit(user, visit, form, filled(findings), filled(new_recs))
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The visit was saved."))
                return redirect("assistance:visit_detail", pk=saved.pk)
        guard.release()
    context = {
        "nav_active": "assistance",
        "visit": visit,
        "form": form,
        "findings": findings,
        "new_recs": new_recs,
        "submit_key": form_key(request),
    }
    return render(request, "assistance/visit_form.html", context)


def _save_visit(user, visit, form: VisitForm, findings: list[dict], new_recs: list[dict]) -> FieldVisit:
    destinations = form.cleaned_data["destinations"]
    if visit is None:
        return visits.visit_create(
            user=user,
            data=form.visit_data(),
            destinations=destinations,
            findings=findings,
            recommendations=new_recs,
        )
    return visits.visit_update(
        user=user,
        visit=visit,
        data=form.visit_data(),
        destinations=destinations,
        findings=findings,
        recommendations=new_recs,
    )


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    if not _may_record(request.user):
        raise PermissionDenied
    return _visit_form_page(request, None)


@login_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _visit_form_page(request, visits.get_visit_or_404(request.user, pk, visits.MANAGE))


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visits.get_visit_or_404(request.user, pk)
    # A destination unit sees only the recommendations its scope covers; the organiser sees all.
    visit_recs = recs.recommendations_visible(request.user).filter(visit=visit).order_by("due", "id")
    context = {
        "nav_active": "assistance",
        "visit": visit,
        "findings": visit.findings.select_related("direction", "unit"),
        "recommendations": visit_recs,
        "can_manage": visits.can_manage_visit(request.user, visit),
        "today": timezone.localdate(),
    }
    return render(request, "assistance/visit_detail.html", context)


@login_required
def visit_report(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visits.get_visit_or_404(request.user, pk)
    language = request.GET.get("lang", "ru")
    if language not in REPORT_LANGUAGES:
        language = "ru"
    content = visit_report_docx(visit, language=language)
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    filename = f"visit-{visit.pk}-{visit.start.isoformat()}-{language}.docx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


# --- recommendations ------------------------------------------------------------------------------------


@login_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    tab = request.GET.get("tab", "")
    if tab not in ("act", "issued"):
        tab = "issued" if _may_record(request.user) else "act"
    rows = recs.issued(request.user) if tab == "issued" else recs.to_act_on(request.user)
    if request.GET.get("open"):
        rows = rows.exclude(status="done")
    context = {
        "nav_active": "assistance",
        "tab": tab,
        "recommendations": rows.order_by("status", "due", "id")[:LIST_LIMIT],
        "only_open": bool(request.GET.get("open")),
        "today": timezone.localdate(),
    }
    return render(request, "assistance/recommendation_list.html", context)


@login_required
def recommendation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = recs.get_recommendation_or_404(request.user, pk)
    may_answer = recs.can_answer(request.user, recommendation)
    if request.method == "POST" and not may_answer:
        raise PermissionDenied
    form = AnswerForm(request.POST or None, instance=recommendation) if may_answer else None
    if request.method == "POST" and form.is_valid():
        try:
            recs.recommendation_answer(
                user=request.user,
                recommendation=recommendation,
                answer=form.cleaned_data["answer"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The answer was saved."))
            return redirect(f"{_list_url()}?tab=act")
    context = {
        "nav_active": "assistance",
        "recommendation": recommendation,
        "form": form,
        "today": timezone.localdate(),
        "can_reopen": recs.can_reopen(request.user, recommendation),
    }
    return render(request, "assistance/recommendation_answer.html", context)


def _list_url() -> str:
    return reverse("assistance:recommendation_list")


@login_required
@require_POST
def recommendation_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = recs.get_recommendation_or_404(request.user, pk)
    recs.recommendation_reopen(user=request.user, recommendation=recommendation)
    messages.success(request, _("The recommendation is open again."))
    return redirect(f"{_list_url()}?tab=issued")


@login_required
def overdue_recommendations(request: HttpRequest) -> HttpResponse:
    """The home-page piece: overdue recommendations the user issued or must act on (empty when none)."""
    rows = list(recs.overdue_for(request.user)[:20])
    if not rows:
        return HttpResponse("")
    context = {"overdue": rows, "overdue_loaded": True}
    return render(request, "assistance/_overdue_recommendations.html", context)
