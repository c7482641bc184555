"""Pages of field visits and recommendations: the visit list with its yearly plan and the units not visited
lately, the visit form (findings, recommendations and photos inline), the visit card with its photos and
its DOCX report, the recommendations to act on / issued, a recommendation on its own (or from a
consultation), the recommendation's page with the unit's answer and evidence and the issuer's follow-up,
and the overdue piece for the home page.

Every lookup goes through `visits` / `recommendations` selectors; every write through their services.
Photos and evidence files are served by views that check the scope, never by their media URL.
"""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from metodist.assistance import materials as materials_selectors
from metodist.assistance import recommendations as recs
from metodist.assistance import visits
from metodist.assistance.models import Consultation, FieldVisit, Recommendation
from metodist.assistance.selectors import get_consultation_or_404
from metodist.assistance.services import default_unit
from metodist.assistance.views import _apply_errors
from metodist.assistance.visits_docx import visit_report_docx
from metodist.assistance.visits_forms import (
    AnswerForm,
    FindingFormSet,
    FollowUpForm,
    RecommendationCardForm,
    RecommendationFormSet,
    VisitFilterForm,
    VisitForm,
    VisitPhotoForm,
    directions_with,
    filled,
    recommendation_rows,
)
from metodist.core import scope
from metodist.core.files import stored_file_response
from metodist.core.submit_once import SubmitOnce, form_key
from metodist.network.models import OrgUnit, UnitKind

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


def _recommendation_formset(post, visit: FieldVisit | None, units: QuerySet) -> RecommendationFormSet:
    """The visit's recommendations as rows (answered ones marked), then blank rows for new ones."""
    recorded = (
        list(visit.recommendations.annotate(file_count=Count("files")).order_by("due", "id")) if visit else []
    )
    initial = [
        {"id": r.pk, "text": r.text, "direction": r.direction_id, "unit": r.unit_id, "due": r.due}
        for r in recorded
    ]
    if recorded:
        units = (
            (units | OrgUnit.objects.filter(pk__in=[r.unit_id for r in recorded])).distinct().order_by("path")
        )
    directions = directions_with([r.direction_id for r in recorded if r.direction_id])
    formset = RecommendationFormSet(
        post, prefix="recs", initial=initial, form_kwargs={"units": units, "directions": directions}
    )
    for form, recommendation in zip(formset.forms, recorded, strict=False):
        form.recommendation = recommendation
        recommendation.answered = bool(
            recommendation.answer or recommendation.answered_at or recommendation.file_count
        )
    return formset


def _visit_form_page(request: HttpRequest, visit: FieldVisit | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    units = _inline_units(user)
    initial = {"organiser_unit": default_unit(user)} if visit is None else {}
    form = VisitForm(post, request.FILES or None, instance=visit or FieldVisit(), user=user, initial=initial)
    findings_initial = (
        [{"direction": f.direction_id, "unit": f.unit_id, "text": f.text} for f in visit.findings.all()]
        if visit is not None
        else []
    )
    findings = FindingFormSet(post, prefix="findings", initial=findings_initial, form_kwargs={"units": units})
    recs_formset = _recommendation_formset(post, visit, units)
    if post is not None:
        guard = SubmitOnce(request, "assistance:visit", enabled=visit is None)
        if not guard.claim():
            messages.info(request, _("The visit was already saved."))
            if isinstance(guard.done, int):
                return redirect("assistance:visit_detail", pk=guard.done)
            return redirect("assistance:visit_list")
        if form.is_valid() and findings.is_valid() and recs_formset.is_valid():
            try:
                saved = _save_visit(user, visit, form, filled(findings), recommendation_rows(recs_formset))
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
        "recs_formset": recs_formset,
        # The page comes back after a POST only with errors; the browser has dropped the chosen files.
        "files_lost": post is not None and bool(request.FILES),
        "submit_key": form_key(request),
    }
    return render(request, "assistance/visit_form.html", context)


def _save_visit(
    user, visit, form: VisitForm, findings: list[dict], recommendations: list[dict]
) -> FieldVisit:
    common = {
        "user": user,
        "data": form.visit_data(),
        "destinations": form.cleaned_data["destinations"],
        "findings": findings,
        "recommendations": recommendations,
        "photos": form.cleaned_data["photos"],
        "photo_caption": form.cleaned_data["photo_caption"],
    }
    if visit is None:
        return visits.visit_create(**common)
    return visits.visit_update(visit=visit, **common)


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
    manage = visits.can_manage_visit(request.user, visit)
    context = {
        "nav_active": "assistance",
        "visit": visit,
        "findings": visit.findings.select_related("direction", "unit"),
        "recommendations": visit_recs.prefetch_related("files"),
        "photos": visit.photos.order_by("id"),
        # Only the materials the user may read (a material is read down the tree from its unit).
        "linked_materials": materials_selectors.materials_linked(request.user, visit=visit),
        "photo_form": VisitPhotoForm() if manage else None,
        "can_manage": manage,
        "today": timezone.localdate(),
    }
    return render(request, "assistance/visit_detail.html", context)


@login_required
@require_POST
def visit_photos_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visits.get_visit_or_404(request.user, pk, visits.MANAGE)
    form = VisitPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = visits.visit_photos_add(
                user=request.user,
                visit=visit,
                photos=form.cleaned_data["photos"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext("%(count)s photo was added.", "%(count)s photos were added.", len(added))
                % {"count": len(added)},
            )
            return redirect("assistance:visit_detail", pk=visit.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("assistance:visit_detail", pk=visit.pk)


@login_required
def visit_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A photo of a visit the user sees (shown in the page, so not as an attachment)."""
    return stored_file_response(visits.get_photo_or_404(request.user, pk, photo_pk).file, as_attachment=False)


@login_required
@require_POST
def visit_photo_delete(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    visits.get_visit_or_404(request.user, pk, visits.MANAGE)
    visits.visit_photo_delete(user=request.user, photo=visits.get_photo_or_404(request.user, pk, photo_pk))
    messages.success(request, _("The photo was removed."))
    return redirect("assistance:visit_detail", pk=pk)


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
        "recommendations": rows.prefetch_related("files").order_by("status", "due", "id")[:LIST_LIMIT],
        "only_open": bool(request.GET.get("open")),
        "can_record": _may_record(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "assistance/recommendation_list.html", context)


def _consultation_from(request: HttpRequest) -> Consultation | None:
    """The consultation named by `?consultation=` (or the posted field), looked up in the user's scope."""
    pk = request.POST.get("consultation") or request.GET.get("consultation")
    return get_consultation_or_404(request.user, pk) if pk else None


def _recommendation_form_page(request: HttpRequest, recommendation: Recommendation | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    consultation = _consultation_from(request) if recommendation is None else recommendation.consultation
    initial = {}
    if recommendation is None and consultation is not None:
        initial = {
            "issuer_unit": consultation.consultant_unit_id,
            "unit": consultation.to_unit_id,
            "direction": consultation.directions.values_list("pk", flat=True).first(),
        }
    form = RecommendationCardForm(
        post, instance=recommendation or Recommendation(), user=user, initial=initial
    )
    if post is not None:
        guard = SubmitOnce(request, "assistance:recommendation", enabled=recommendation is None)
        if not guard.claim():
            messages.info(request, _("The recommendation was already saved."))
            if isinstance(guard.done, int):
                return redirect("assistance:recommendation_answer", pk=guard.done)
            return redirect("assistance:recommendation_list")
        if form.is_valid():
            try:
                if recommendation is None:
                    saved = recs.recommendation_create(
                        user=user, data=form.recommendation_data(), consultation=consultation
                    )
                else:
                    saved = recs.recommendation_update(
                        user=user, recommendation=recommendation, data=form.recommendation_data()
                    )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The recommendation was saved."))
                return redirect("assistance:recommendation_answer", pk=saved.pk)
        guard.release()
    context = {
        "nav_active": "assistance",
        "recommendation": recommendation,
        "consultation": consultation,
        "form": form,
        "can_delete": recommendation is not None and not recs.is_answered(recommendation),
        "submit_key": form_key(request),
    }
    return render(request, "assistance/recommendation_form.html", context)


@login_required
def recommendation_create(request: HttpRequest) -> HttpResponse:
    """A recommendation on its own (after a report check) or from a consultation (`?consultation=<id>`)."""
    if not _may_record(request.user):
        raise PermissionDenied
    return _recommendation_form_page(request, None)


def _issued_or_404(user, pk) -> Recommendation:
    recommendation = recs.get_recommendation_or_404(user, pk)
    if not scope.covers(user, recommendation.issuer_unit, recs.MANAGE):
        raise PermissionDenied
    return recommendation


@login_required
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The issuer corrects a recommendation; one from a visit is corrected on the visit form."""
    recommendation = _issued_or_404(request.user, pk)
    if recommendation.visit_id:
        return redirect("assistance:visit_edit", pk=recommendation.visit_id)
    return _recommendation_form_page(request, recommendation)


@login_required
@require_POST
def recommendation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _issued_or_404(request.user, pk)
    try:
        recs.recommendation_delete(user=request.user, recommendation=recommendation)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("assistance:recommendation_answer", pk=pk)
    messages.success(request, _("The recommendation was deleted."))
    return redirect(f"{_list_url()}?tab=issued")


@login_required
def recommendation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The recommendation's page: both sides read it; the unit that must act answers with evidence here."""
    recommendation = recs.get_recommendation_or_404(request.user, pk)
    may_answer = recs.can_answer(request.user, recommendation)
    if request.method == "POST" and not may_answer:
        raise PermissionDenied
    form = None
    if may_answer:
        post = request.POST if request.method == "POST" else None
        form = AnswerForm(post, request.FILES or None, recommendation=recommendation)
    if request.method == "POST" and form.is_valid():
        try:
            recs.recommendation_answer(
                user=request.user,
                recommendation=recommendation,
                answer=form.cleaned_data["answer"],
                status=form.cleaned_data["status"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            recommendation.refresh_from_db()
        else:
            messages.success(request, _("The answer was saved."))
            return redirect(f"{_list_url()}?tab=act")
    return _recommendation_page(request, recommendation, answer_form=form)


def _recommendation_page(
    request: HttpRequest,
    recommendation: Recommendation,
    *,
    answer_form: AnswerForm | None = None,
    follow_up_form: FollowUpForm | None = None,
) -> HttpResponse:
    user = request.user
    may_follow_up = recs.can_follow_up(user, recommendation)
    if answer_form is None and recs.can_answer(user, recommendation):
        answer_form = AnswerForm(recommendation=recommendation)
    if may_follow_up and follow_up_form is None:
        follow_up_form = FollowUpForm(initial={"follow_up": recommendation.follow_up})
    issuer = scope.covers(user, recommendation.issuer_unit, recs.MANAGE)
    consultation = recommendation.consultation
    context = {
        "nav_active": "assistance",
        "recommendation": recommendation,
        "files": _named(recs.files_of(recommendation)),
        "form": answer_form,
        "files_lost": request.method == "POST" and bool(request.FILES),
        "follow_up_form": follow_up_form if may_follow_up else None,
        "can_edit": issuer,
        "consultation_editable": bool(consultation)
        and scope.covers(user, consultation.consultant_unit, recs.MANAGE),
        "today": timezone.localdate(),
    }
    return render(request, "assistance/recommendation_answer.html", context)


def _named(files) -> list:
    """The files with `display_name`: the caption, else the name the file was uploaded under."""
    files = list(files)
    for f in files:
        f.display_name = f.caption or os.path.basename(f.file.name)
    return files


@login_required
@require_POST
def recommendation_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """The issuer's follow-up of an answer: accept it as done, or reopen with a note."""
    recommendation = recs.get_recommendation_or_404(request.user, pk)
    if not recs.can_follow_up(request.user, recommendation):
        raise PermissionDenied
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return _recommendation_page(request, recommendation, follow_up_form=form)
    note = form.cleaned_data["follow_up"]
    if form.cleaned_data["action"] == FollowUpForm.REOPEN:
        recs.recommendation_reopen(user=request.user, recommendation=recommendation, note=note)
        messages.success(request, _("The recommendation is open again."))
    else:
        recs.recommendation_accept(user=request.user, recommendation=recommendation, note=note)
        messages.success(request, _("The answer was accepted; the recommendation is done."))
    return redirect("assistance:recommendation_answer", pk=pk)


@login_required
def recommendation_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """An evidence file, for whoever sees the recommendation (both sides)."""
    return stored_file_response(recs.get_file_or_404(request.user, pk, file_pk).file, as_attachment=True)


def _list_url() -> str:
    return reverse("assistance:recommendation_list")


@login_required
@require_POST
def recommendation_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = recs.get_recommendation_or_404(request.user, pk)
    recs.recommendation_reopen(
        user=request.user, recommendation=recommendation, note=request.POST.get("follow_up", "")
    )
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
