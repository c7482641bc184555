"""Pages of environment analysis: the list per unit and year, the 2×2 grid editor (items added, edited and
deleted in place with htmx; the same forms work as pages without JavaScript), copying last year's items,
the comparison with the previous year and the one-page PDF. The audience page is mounted here too.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metodist.core import scope
from metodist.core.submit_once import SubmitOnce, form_key
from metodist.events.documents.pdf import pdf_response
from metodist.marketing import environment
from metodist.marketing.audience_views import audience_page
from metodist.marketing.environment_forms import AnalysisForm, ItemForm
from metodist.marketing.models.environment import (
    AnalysisItem,
    AnalysisKind,
    EnvironmentAnalysis,
    quadrant_codes,
)

NAV = "environment"


def _require_view(user) -> None:
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied


def _require_manage(user, analysis: EnvironmentAnalysis) -> None:
    if not environment.may_manage(user, analysis.unit):
        raise PermissionDenied


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- the list and the card ------------------------------------------------------------------------------


@login_required
def analysis_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    found = environment.analyses_visible(request.user)
    unit_pk, year, kind = (
        request.GET.get("unit", ""),
        request.GET.get("year", ""),
        request.GET.get("kind", ""),
    )
    unit = scope.get_unit_or_404(request.user, unit_pk) if unit_pk else None
    if unit is not None:
        found = found.filter(unit__path__startswith=unit.path)
    if year.isdigit():
        found = found.filter(year=int(year))
    if kind in AnalysisKind.values:
        found = found.filter(kind=kind)
    years = sorted(
        set(environment.analyses_visible(request.user).values_list("year", flat=True)), reverse=True
    )
    context = {
        "nav_active": NAV,
        "analyses": found.order_by("-year", "unit__path", "kind"),
        "unit": unit,
        "year": year,
        "kind": kind,
        "years": years,
        "kinds": AnalysisKind.choices,
        "may_create": environment.may_manage(request.user),
    }
    return render(request, "marketing/environment/analysis_list.html", context)


@login_required
def analysis_create(request: HttpRequest) -> HttpResponse:
    return _analysis_form(request, None)


@login_required
def analysis_edit(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = environment.get_analysis_or_404(request.user, pk)
    _require_manage(request.user, analysis)
    return _analysis_form(request, analysis)


def _analysis_form(request: HttpRequest, analysis: EnvironmentAnalysis | None) -> HttpResponse:
    user = request.user
    if analysis is None and not environment.may_manage(user):
        raise PermissionDenied
    initial = {}
    if analysis is not None:
        initial = {"title": analysis.title, "summary": analysis.summary}
    else:
        if request.GET.get("kind") in AnalysisKind.values:
            initial["kind"] = request.GET["kind"]
        if request.GET.get("unit"):
            initial["unit"] = request.GET["unit"]
    form = AnalysisForm(request.POST or None, user=user, analysis=analysis, initial=initial)
    if request.method == "POST":
        guard = SubmitOnce(request, "marketing:environment", enabled=analysis is None)
        if not guard.claim():
            messages.info(request, _("The analysis was already saved."))
            if isinstance(guard.done, int):
                return redirect("marketing:environment_detail", pk=guard.done)
            return redirect("marketing:environment_list")
        if form.is_valid():
            try:
                if analysis is None:
                    saved = environment.analysis_create(
                        user=user,
                        data=form.analysis_data(),
                        copy_previous=form.cleaned_data.get("copy_previous", False),
                    )
                else:
                    saved = environment.analysis_update(
                        user=user, analysis=analysis, data=form.analysis_data()
                    )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The analysis was saved."))
                return redirect("marketing:environment_detail", pk=saved.pk)
        guard.release()
    context = {"nav_active": NAV, "analysis": analysis, "form": form, "submit_key": form_key(request)}
    return render(request, "marketing/environment/analysis_form.html", context)


@login_required
@require_POST
def analysis_delete(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = environment.get_analysis_or_404(request.user, pk)
    _require_manage(request.user, analysis)
    environment.analysis_delete(user=request.user, analysis=analysis)
    messages.success(request, _("The analysis was deleted."))
    return redirect("marketing:environment_list")


# --- the grid -------------------------------------------------------------------------------------------


def _grid_context(request: HttpRequest, analysis: EnvironmentAnalysis) -> dict:
    previous = environment.previous_of(analysis)
    next_year = EnvironmentAnalysis.objects.filter(
        unit_id=analysis.unit_id, kind=analysis.kind, year=analysis.year + 1
    ).first()
    return {
        "nav_active": NAV,
        "analysis": analysis,
        "quadrants": environment.grid(analysis),
        "previous": previous,
        "next_analysis": next_year,
        "may_manage": environment.may_manage(request.user, analysis.unit),
    }


@login_required
def analysis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = environment.get_analysis_or_404(request.user, pk)
    context = _grid_context(request, analysis)
    context["empty"] = not any(q.items for q in context["quadrants"])
    return render(request, "marketing/environment/analysis_detail.html", context)


def _quadrant_response(request: HttpRequest, analysis: EnvironmentAnalysis, code: str) -> HttpResponse:
    context = {
        "analysis": analysis,
        "quadrant": environment.quadrant_of(analysis, code),
        "may_manage": True,
    }
    response = render(request, "marketing/environment/analysis_detail.html#quadrant", context)
    # The item form posts onto itself (so its errors show in place); the saved grid replaces the quadrant.
    response["HX-Retarget"] = f"#quadrant-{code}"
    response["HX-Reswap"] = "outerHTML"
    return response


@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = environment.get_analysis_or_404(request.user, pk)
    _require_manage(request.user, analysis)
    return _item_form(request, analysis, None)


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = environment.get_item_or_404(request.user, pk)
    _require_manage(request.user, item.analysis)
    return _item_form(request, item.analysis, item)


def _item_form(
    request: HttpRequest, analysis: EnvironmentAnalysis, item: AnalysisItem | None
) -> HttpResponse:
    quadrant = item.quadrant if item else request.POST.get("quadrant") or request.GET.get("quadrant")
    if quadrant not in quadrant_codes(analysis.kind):
        quadrant = None
    if item is not None:
        initial = {
            "quadrant": item.quadrant,
            "text": item.text,
            "weight": item.weight,
            "evidence": item.evidence,
            "indicator_code": item.indicator_code,
            "indicator_year": item.indicator_year,
            "survey": item.survey_id,
        }
    else:
        initial = {"quadrant": quadrant, "weight": 3}
    form = ItemForm(request.POST or None, analysis=analysis, user=request.user, initial=initial)
    if request.method == "POST":
        guard = SubmitOnce(request, f"marketing:environment_item:{analysis.pk}", enabled=item is None)
        if not guard.claim():
            return _after_item(request, analysis, quadrant)
        if form.is_valid():
            try:
                saved = environment.item_save(
                    user=request.user, analysis=analysis, item=item, data=form.item_data()
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                if not request.htmx:
                    messages.success(request, _("The item was saved."))
                return _after_item(request, analysis, saved.quadrant, previous_quadrant=quadrant)
        guard.release()
    context = {
        "nav_active": NAV,
        "analysis": analysis,
        "item": item,
        "form": form,
        "quadrant_code": quadrant,
        "submit_key": form_key(request),
    }
    if request.htmx:
        return render(request, "marketing/environment/item_form.html#item_form", context)
    return render(request, "marketing/environment/item_form.html", context)


def _after_item(request, analysis, code, previous_quadrant=None) -> HttpResponse:
    if request.htmx and code and previous_quadrant in (None, code):
        return _quadrant_response(request, analysis, code)
    if request.htmx:  # the item moved to another quadrant: both change, reload the grid
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect("marketing:environment_detail", pk=analysis.pk)


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = environment.get_item_or_404(request.user, pk)
    analysis = item.analysis
    _require_manage(request.user, analysis)
    code = item.quadrant
    environment.item_delete(user=request.user, item=item)
    if request.htmx:
        return _quadrant_response(request, analysis, code)
    messages.success(request, _("The item was deleted."))
    return redirect("marketing:environment_detail", pk=analysis.pk)


@login_required
def quadrant_view(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """One quadrant as it stands (htmx: "cancel" of an item form puts it back)."""
    analysis = environment.get_analysis_or_404(request.user, pk)
    if not request.htmx:
        return redirect("marketing:environment_detail", pk=analysis.pk)
    context = {
        "analysis": analysis,
        "quadrant": environment.quadrant_of(analysis, code),
        "may_manage": environment.may_manage(request.user, analysis.unit),
    }
    return render(request, "marketing/environment/analysis_detail.html#quadrant", context)


@login_required
@require_POST
def analysis_copy(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = environment.get_analysis_or_404(request.user, pk)
    _require_manage(request.user, analysis)
    try:
        copied = environment.analysis_copy_previous(user=request.user, analysis=analysis)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(count)s items of %(year)s were copied.") % {"count": copied, "year": analysis.year - 1},
        )
    return redirect("marketing:environment_detail", pk=analysis.pk)


@login_required
@require_POST
def analysis_next_year(request: HttpRequest, pk: int) -> HttpResponse:
    """Start next year's analysis of the same unit and kind from this one."""
    analysis = environment.get_analysis_or_404(request.user, pk)
    _require_manage(request.user, analysis)
    data = {"unit": analysis.unit, "year": analysis.year + 1, "kind": analysis.kind, "title": ""}
    existing = EnvironmentAnalysis.objects.filter(
        unit=analysis.unit, kind=analysis.kind, year=analysis.year + 1
    ).first()
    if existing is not None:  # a second click lands on what the first one made
        return redirect("marketing:environment_detail", pk=existing.pk)
    try:
        created = environment.analysis_create(user=request.user, data=data, copy_previous=True)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("marketing:environment_detail", pk=analysis.pk)
    messages.success(
        request, _("The analysis of %(year)s was started from this one.") % {"year": created.year}
    )
    return redirect("marketing:environment_detail", pk=created.pk)


@login_required
def analysis_compare(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = environment.get_analysis_or_404(request.user, pk)
    result = environment.comparison(analysis)
    context = {"nav_active": NAV, "analysis": analysis, "previous": None, "quadrants": []}
    if result is not None:
        context["previous"], context["quadrants"] = result
    return render(request, "marketing/environment/analysis_compare.html", context)


@login_required
def analysis_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = environment.get_analysis_or_404(request.user, pk)
    pdf = environment.analysis_pdf(analysis)
    return pdf_response(pdf, f"{analysis.kind}-{analysis.unit.code or analysis.unit.pk}-{analysis.year}.pdf")


urlpatterns: list = [
    path("environment/", analysis_list, name="environment_list"),
    path("environment/new/", analysis_create, name="environment_create"),
    path("environment/<int:pk>/", analysis_detail, name="environment_detail"),
    path("environment/<int:pk>/edit/", analysis_edit, name="environment_edit"),
    path("environment/<int:pk>/delete/", analysis_delete, name="environment_delete"),
    path("environment/<int:pk>/copy/", analysis_copy, name="environment_copy"),
    path("environment/<int:pk>/next-year/", analysis_next_year, name="environment_next_year"),
    path("environment/<int:pk>/compare/", analysis_compare, name="environment_compare"),
    path("environment/<int:pk>/pdf/", analysis_pdf, name="environment_pdf"),
    path("environment/<int:pk>/items/add/", item_add, name="environment_item_add"),
    path("environment/<int:pk>/quadrant/<str:code>/", quadrant_view, name="environment_quadrant"),
    path("environment/items/<int:pk>/edit/", item_edit, name="environment_item_edit"),
    path("environment/items/<int:pk>/delete/", item_delete, name="environment_item_delete"),
    path("audience/", audience_page, name="audience"),
]
