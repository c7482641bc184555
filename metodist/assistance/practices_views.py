"""Pages of the bank of best practices: the list with filters and status badges, the card form (figures
inline, evidence files), the practice page (figures before → after, files, adoptions, status history), the
review status, the adoption by a library, "what others do well" by direction, and what a library could
adopt next.

Every lookup goes through `metodist.assistance.practices` selectors; every write through its services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metodist.assistance import practices
from metodist.assistance.models import Practice, PracticeAdoption, PracticeStatus
from metodist.assistance.practices_forms import (
    AdoptionForm,
    FigureFormSet,
    NextForm,
    PracticeFilterForm,
    PracticeForm,
    ShowcaseForm,
    StatusForm,
    figures_initial,
    filled,
)
from metodist.assistance.views import _apply_errors
from metodist.core import scope
from metodist.core.files import stored_file_response
from metodist.core.submit_once import SubmitOnce, form_key

PAGE_SIZE = 50
NEXT_LIMIT = 100
NAV = "practices"


def _require_view(user) -> None:
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- the list -------------------------------------------------------------------------------------------


@login_required
def practice_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form = PracticeFilterForm(request.GET or None, user=request.user)
    found = practices.filter_practices(practices.practices_visible(request.user), **form.filters())
    found = practices.ordered_by_status(found).prefetch_related("directions")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav_active": NAV,
        "form": form,
        "page": page,
        "query": _query(request),
        "can_propose": practices.may_propose(request.user),
    }
    if request.htmx and request.htmx.target == "practice-rows":
        return render(request, "assistance/practice_list.html#rows", context)
    return render(request, "assistance/practice_list.html", context)


# --- the card form --------------------------------------------------------------------------------------


def _form_page(request: HttpRequest, practice: Practice | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    initial = {"unit": practices.own_library(user)} if practice is None else {}
    form = PracticeForm(post, files, instance=practice or Practice(), user=user, initial=initial)
    figures = FigureFormSet(post, prefix="figures", initial=figures_initial(practice))
    if post is not None:
        guard = SubmitOnce(request, "assistance:practice", enabled=practice is None)
        if not guard.claim():
            messages.info(request, _("The practice was already saved."))
            if isinstance(guard.done, int):
                return redirect("assistance:practice_detail", pk=guard.done)
            return redirect("assistance:practice_list")
        if form.is_valid() and figures.is_valid():
            try:
                saved = _save(user, practice, form, filled(figures))
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The practice was saved."))
                return redirect("assistance:practice_detail", pk=saved.pk)
        guard.release()
    context = {
        "nav_active": NAV,
        "practice": practice,
        "form": form,
        "figures": figures,
        "submit_key": form_key(request),
    }
    return render(request, "assistance/practice_form.html", context)


def _save(user, practice: Practice | None, form: PracticeForm, figures: list[dict]) -> Practice:
    common = {
        "user": user,
        "data": form.practice_data(),
        "directions": form.cleaned_data["directions"],
        "forms_of_work": form.cleaned_data["forms_of_work"],
        "figures": figures,
        "files": form.new_files(),
    }
    if practice is None:
        return practices.practice_create(**common)
    return practices.practice_update(practice=practice, remove_files=form.removed_files(), **common)


@login_required
def practice_create(request: HttpRequest) -> HttpResponse:
    if not practices.may_propose(request.user):
        raise PermissionDenied
    return _form_page(request, None)


@login_required
def practice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    practice = practices.get_practice_or_404(request.user, pk)
    if not practices.can_edit(request.user, practice):
        raise PermissionDenied
    return _form_page(request, practice)


# --- the practice page ----------------------------------------------------------------------------------


@login_required
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    practice = practices.get_practice_or_404(user, pk)
    adoptions = list(practices.adoptions_shown(user, practice))
    for adoption in adoptions:
        adoption.editable = practices.may_act_for(user, adoption.unit)
    can_review = practices.can_review(user, practice)
    context = {
        "nav_active": NAV,
        "practice": practice,
        "figures": practices.figures_with_change(practice),
        "files": practice.files.all(),
        "directions": practice.directions.all(),
        "forms_of_work": practice.forms_of_work.all(),
        "adoptions": adoptions,
        "adoption_count": practice.adoptions.count(),
        "steps": practices.status_history(practice),
        "can_edit": practices.can_edit(user, practice),
        "can_review": can_review,
        "status_form": StatusForm(practice=practice) if can_review else None,
        "can_adopt": practices.adoptable_units(user, practice).exists(),
        "statuses": practices.STATUS_ORDER,
    }
    return render(request, "assistance/practice_detail.html", context)


@login_required
def practice_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    practice = practices.get_practice_or_404(request.user, pk)
    attachment = get_object_or_404(practice.files, pk=file_pk)
    return stored_file_response(attachment.file)


@login_required
@require_POST
def practice_status(request: HttpRequest, pk: int) -> HttpResponse:
    practice = practices.get_practice_or_404(request.user, pk)
    if not practices.can_review(request.user, practice):
        raise PermissionDenied
    form = StatusForm(request.POST, practice=practice)
    if form.is_valid():
        try:
            changed = practices.practice_set_status(
                user=request.user,
                practice=practice,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(
                request,
                _("The practice is now “%(status)s”.") % {"status": PracticeStatus(changed.status).label},
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("assistance:practice_detail", pk=practice.pk)


# --- adoptions ------------------------------------------------------------------------------------------


def _adoption_or_404(user, practice: Practice, adoption_pk: int) -> PracticeAdoption:
    adoption = get_object_or_404(practices.adoptions_shown(user, practice), pk=adoption_pk)
    if not practices.may_act_for(user, adoption.unit):
        raise PermissionDenied
    return adoption


@login_required
def practice_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a library took the practice over; `?adoption=<id>` changes a recorded one."""
    user = request.user
    practice = practices.get_practice_or_404(user, pk)
    adoption_pk = request.GET.get("adoption", "")
    adoption = _adoption_or_404(user, practice, adoption_pk) if adoption_pk.isdigit() else None
    if adoption is None and not practices.adoptable_units(user, practice).exists():
        raise PermissionDenied
    initial = {}
    if adoption is None and request.GET.get("unit", "").isdigit():
        initial["unit"] = request.GET["unit"]
    form = AdoptionForm(
        request.POST or None,
        instance=adoption or PracticeAdoption(practice=practice),
        user=user,
        practice=practice,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if adoption is None:
                practices.practice_adopt(
                    user=user,
                    practice=practice,
                    unit=data["unit"],
                    adopted_on=data["adopted_on"],
                    result=data["result"],
                )
            else:
                practices.adoption_update(
                    user=user, adoption=adoption, adopted_on=data["adopted_on"], result=data["result"]
                )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The adoption was saved."))
            return redirect("assistance:practice_detail", pk=practice.pk)
    context = {"nav_active": NAV, "practice": practice, "adoption": adoption, "form": form}
    return render(request, "assistance/practice_adopt.html", context)


@login_required
@require_POST
def practice_unadopt(request: HttpRequest, pk: int, adoption_pk: int) -> HttpResponse:
    practice = practices.get_practice_or_404(request.user, pk)
    adoption = _adoption_or_404(request.user, practice, adoption_pk)
    practices.practice_unadopt(user=request.user, adoption=adoption)
    messages.success(request, _("The adoption was removed."))
    return redirect("assistance:practice_detail", pk=practice.pk)


# --- what others do well, and what to adopt next --------------------------------------------------------


@login_required
def practice_showcase(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form = ShowcaseForm(request.GET or None)
    direction = form.cleaned_data.get("direction") if form.is_bound and form.is_valid() else None
    own = practices.own_library(request.user)
    context = {
        "nav_active": NAV,
        "form": form,
        "groups": practices.showcase(request.user, direction=direction),
        "own": own,
    }
    return render(request, "assistance/practice_showcase.html", context)


@login_required
def practice_next(request: HttpRequest) -> HttpResponse:
    """Practices a library the user sees could adopt next (default: the user's own library)."""
    user = request.user
    _require_view(user)
    unit = None
    value = request.GET.get("unit", "")
    if value:
        unit = scope.get_unit_or_404(user, value)
        if unit.kind not in practices.PRACTICE_KINDS:
            raise Http404
    else:
        unit = practices.own_library(user)
    context = {"nav_active": NAV, "unit": unit, "form": NextForm(user=user, selected=unit)}
    if unit is not None:
        directions = list(practices.library_directions(unit))
        context.update(
            {
                "directions": directions,
                "candidates": practices.could_adopt_next(user, unit, directions=directions).prefetch_related(
                    "directions"
                )[:NEXT_LIMIT],
                "may_adopt": practices.may_act_for(user, unit),
            }
        )
        context["form"].initial["unit"] = str(unit.pk)
    return render(request, "assistance/practice_next.html", context)


urlpatterns = [
    path("practices/", practice_list, name="practice_list"),
    path("practices/new/", practice_create, name="practice_create"),
    path("practices/showcase/", practice_showcase, name="practice_showcase"),
    path("practices/next/", practice_next, name="practice_next"),
    path("practices/<int:pk>/", practice_detail, name="practice_detail"),
    path("practices/<int:pk>/edit/", practice_edit, name="practice_edit"),
    path("practices/<int:pk>/status/", practice_status, name="practice_status"),
    path("practices/<int:pk>/adopt/", practice_adopt, name="practice_adopt"),
    path(
        "practices/<int:pk>/adoptions/<int:adoption_pk>/remove/",
        practice_unadopt,
        name="practice_unadopt",
    ),
    path("practices/<int:pk>/files/<int:file_pk>/", practice_file, name="practice_file"),
]
