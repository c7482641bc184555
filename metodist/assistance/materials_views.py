"""Pages of the library of methodological materials: the list with its search box and filters (ranked
results with the matched words highlighted), the card and its form, the download, and two self-loading
pieces — "New materials" for the home page and the materials linked to an event or a visit.

Every lookup goes through `metodist.assistance.materials` (scope: a material is read by its unit's part of
the network and by everyone below it); every write through its services.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from metodist.assistance import materials
from metodist.assistance.materials_forms import MaterialFilterForm, MaterialForm
from metodist.assistance.materials_search import attach_snippets, match_materials, search_materials
from metodist.assistance.materials_text import CONTENT_TYPES
from metodist.assistance.models import Material
from metodist.assistance.views import _apply_errors
from metodist.assistance.visits import get_visit_or_404, visits_visible
from metodist.core import scope
from metodist.core.files import stored_file_response
from metodist.core.submit_once import SubmitOnce, form_key
from metodist.events.selectors import events_visible, get_event_or_404

PAGE_SIZE = 20
_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def _require_view(user) -> None:
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- the list -------------------------------------------------------------------------------------------


@login_required
def material_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    visible = materials.materials_visible(request.user)
    form = MaterialFilterForm(request.GET or None, publishers=materials.publishers(visible))
    q = form.query()
    filters = form.filters()
    filtered = materials.filter_materials(visible, **filters)
    # The counts by type ignore the type chosen, so the other types stay one click away.
    counted = materials.filter_materials(visible, **{k: v for k, v in filters.items() if k != "type"})
    if q:
        counted = match_materials(counted, q)
        rows = search_materials(filtered, q).defer("search_text")
    else:
        rows = filtered.defer("text", "search_text").order_by("-created_at", "-id")
    page = Paginator(rows.prefetch_related("directions"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav_active": "materials",
        "form": form,
        "q": q,
        "page": page,
        "items": attach_snippets(page.object_list, q),
        "type_counts": materials.type_counts(counted),
        "selected_type": filters.get("type", ""),
        "query": _query(request),
        "can_publish": materials.may_publish(request.user),
    }
    if request.htmx and request.htmx.target == "material-rows":
        return render(request, "assistance/material_list.html#rows", context)
    return render(request, "assistance/material_list.html", context)


# --- the card -------------------------------------------------------------------------------------------


def _save(user, material: Material | None, form: MaterialForm) -> Material:
    file = form.cleaned_data.get("file") or None
    if material is None:
        return materials.material_create(user=user, data=form.card_data(), file=file, **form.lists())
    return materials.material_update(
        user=user, material=material, data=form.card_data(), file=file, **form.lists()
    )


def _form_page(request: HttpRequest, material: Material | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    initial = {"unit": materials.default_unit(user)} if material is None else {}
    form = MaterialForm(post, files, instance=material or Material(), user=user, initial=initial)
    if post is not None:
        guard = SubmitOnce(request, "assistance:material", enabled=material is None)
        if not guard.claim():
            messages.info(request, _("The material was already saved."))
            if isinstance(guard.done, int):
                return redirect("assistance:material_detail", pk=guard.done)
            return redirect("assistance:material_list")
        if form.is_valid():
            try:
                saved = _save(user, material, form)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The material was saved."))
                return redirect("assistance:material_detail", pk=saved.pk)
        guard.release()
    context = {
        "nav_active": "materials",
        "material": material,
        "form": form,
        "submit_key": form_key(request),
    }
    return render(request, "assistance/material_form.html", context)


@login_required
def material_create(request: HttpRequest) -> HttpResponse:
    if not materials.may_publish(request.user):
        raise PermissionDenied
    return _form_page(request, None)


@login_required
def material_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, materials.get_material_or_404(request.user, pk, materials.MANAGE))


@login_required
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    material = materials.get_material_or_404(request.user, pk)
    context = {
        "nav_active": "materials",
        "material": material,
        "directions": material.directions.all(),
        "forms_of_work": material.forms_of_work.all(),
        # Only the events and visits this user sees, whoever linked them.
        "events": events_visible(request.user).filter(materials=material).order_by("-starts_at"),
        "visits": visits_visible(request.user).filter(materials=material).order_by("-start"),
        "can_manage": materials.can_manage_material(request.user, material),
    }
    return render(request, "assistance/material_detail.html", context)


@login_required
def material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    material = materials.get_material_or_404(request.user, pk, materials.MANAGE)
    if request.method == "POST":
        materials.material_delete(user=request.user, material=material)
        messages.success(request, _("The material was deleted."))
        return redirect("assistance:material_list")
    return render(
        request, "assistance/material_delete.html", {"nav_active": "materials", "material": material}
    )


def download_filename(material: Material) -> str:
    """The title as a file name: without the characters file systems refuse, with the real extension."""
    stem = " ".join(_UNSAFE_IN_FILENAME.sub(" ", material.title).split())[:120].strip(" .") or "material"
    return f"{stem}.{material.file_type}"


def file_response(material: Material) -> FileResponse:
    """The material's file as an attachment (counted as one download); 404 when it has none."""
    if not material.file or material.file_type not in CONTENT_TYPES:
        raise Http404
    response = stored_file_response(
        material.file, filename=download_filename(material), content_type=CONTENT_TYPES[material.file_type]
    )
    materials.material_count_download(material)
    return response


@login_required
def material_download(request: HttpRequest, pk: int) -> FileResponse:
    return file_response(materials.get_material_or_404(request.user, pk))


# --- pieces of other pages ------------------------------------------------------------------------------


@login_required
def material_new(request: HttpRequest) -> HttpResponse:
    """The home-page card "New materials": the latest the user may read (nothing for one who reads none)."""
    if scope.prefixes(request.user, scope.VIEW) == ():
        return HttpResponse("")
    context = {
        "new_materials": materials.new_materials(request.user),
        "new_materials_loaded": True,
        "can_publish": materials.may_publish(request.user),
    }
    return render(request, "assistance/_home_materials.html", context)


@login_required
def material_linked(request: HttpRequest) -> HttpResponse:
    """The materials used at `?event=` or on `?visit=` that the user may read (empty when none)."""
    if request.GET.get("event"):
        event = get_event_or_404(request.user, request.GET["event"])
        linked = materials.materials_linked(request.user, event=event)
    elif request.GET.get("visit"):
        visit = get_visit_or_404(request.user, request.GET["visit"])
        linked = materials.materials_linked(request.user, visit=visit)
    else:
        raise Http404
    rows = list(linked)
    if not rows:
        return HttpResponse("")
    return render(request, "assistance/_linked_materials.html", {"materials": rows})


urlpatterns = [
    path("materials/", material_list, name="material_list"),
    path("materials/new/", material_create, name="material_create"),
    path("materials/latest/", material_new, name="material_new"),
    path("materials/linked/", material_linked, name="material_linked"),
    path("materials/<int:pk>/", material_detail, name="material_detail"),
    path("materials/<int:pk>/edit/", material_edit, name="material_edit"),
    path("materials/<int:pk>/delete/", material_delete, name="material_delete"),
    path("materials/<int:pk>/download/", material_download, name="material_download"),
]
