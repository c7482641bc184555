"""Pages of outreach projects: the list, the card with indicators (target against actual), partners and
files, the project form; and the home-page piece of Knigonosha (`home_piece`).

Every lookup goes through `metodist.outreach.selectors`; every write through `metodist.outreach.services`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from metodist.core import scope
from metodist.core.files import stored_file_response
from metodist.core.submit_once import SubmitOnce, form_key
from metodist.outreach import selectors, services
from metodist.outreach.forms import (
    IndicatorFormSet,
    PartnerFormSet,
    ProjectFileForm,
    ProjectFilterForm,
    ProjectForm,
)
from metodist.outreach.models import DeliveryStatus, Project, ProjectFile

NAV = "outreach_projects"
HOME_LIMIT = 6
STAFF_DAYS = 14
INDICATOR_PREFIX = "indicators"
PARTNER_PREFIX = "partners"


def require_view(user) -> None:
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied


def apply_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- the list and the card ------------------------------------------------------------------------------


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_view(user)
    form = ProjectFilterForm(request.GET or None)
    projects = selectors.filter_projects(selectors.projects_visible(user), **form.filters())
    projects = projects.prefetch_related("participants").order_by("-starts_on", "-id")
    context = {
        "nav_active": NAV,
        "form": form,
        "projects": projects,
        "can_create": scope.prefixes(user, selectors.MANAGE) != (),
    }
    return render(request, "outreach/project_list.html", context)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    project = selectors.get_project_or_404(user, pk)
    can_manage = selectors.may_manage_project(user, project)
    context = {
        "nav_active": NAV,
        "project": project,
        "can_manage": can_manage,
        "indicators": selectors.indicators_with_actuals(project, today=timezone.localdate()),
        "participants": project.participants.order_by("path"),
        "partners": project.partners.all(),
        "files": project.files.all(),
        "file_form": ProjectFileForm() if can_manage else None,
    }
    return render(request, "outreach/project_detail.html", context)


@login_required
def project_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    project = selectors.get_project_or_404(request.user, pk)
    stored = ProjectFile.objects.filter(project=project, pk=file_pk).first()
    if stored is None:
        raise Http404
    return stored_file_response(stored.file)


@login_required
def project_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.get_project_or_404(request.user, pk, selectors.MANAGE)
    if request.method != "POST":
        return redirect("outreach:project_detail", pk=project.pk)
    form = ProjectFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.project_file_add(
                user=request.user,
                project=project,
                file=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The file was added."))
            return redirect("outreach:project_detail", pk=project.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("outreach:project_detail", pk=project.pk)


@login_required
def project_file_delete(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    project = selectors.get_project_or_404(request.user, pk, selectors.MANAGE)
    stored = ProjectFile.objects.filter(project=project, pk=file_pk).select_related("project__unit").first()
    if stored is None:
        raise Http404
    if request.method == "POST":
        services.project_file_delete(user=request.user, project_file=stored)
        messages.success(request, _("The file was removed."))
    return redirect("outreach:project_detail", pk=project.pk)


# --- the form -------------------------------------------------------------------------------------------


def _plain(value):
    """600.00 → 600 in the form; 12.50 stays."""
    return int(value) if value is not None and value == int(value) else value


def _rows(project: Project | None) -> tuple[list[dict], list[dict]]:
    if project is None:
        return [], []
    indicators = [
        {
            "name": i.name,
            "measure": i.measure,
            "target": _plain(i.target),
            "actual": _plain(i.actual),
            "source": i.source,
        }
        for i in project.indicators.all()
    ]
    partners = [{"name": p.name, "contribution": p.contribution} for p in project.partners.all()]
    return indicators, partners


def _form_page(request: HttpRequest, project: Project | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    indicator_rows, partner_rows = _rows(project)
    form = ProjectForm(post, instance=project or Project(), user=user)
    indicators = IndicatorFormSet(post, initial=indicator_rows, prefix=INDICATOR_PREFIX)
    partners = PartnerFormSet(post, initial=partner_rows, prefix=PARTNER_PREFIX)
    if post is not None:
        guard = SubmitOnce(request, "outreach:project", enabled=project is None)
        if not guard.claim():
            messages.info(request, _("The project was already saved."))
            if isinstance(guard.done, int):
                return redirect("outreach:project_detail", pk=guard.done)
            return redirect("outreach:project_list")
        if form.is_valid() & indicators.is_valid() & partners.is_valid():
            try:
                saved = _save(user, project, form, indicators.rows(), partners.rows())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The project was saved."))
                return redirect("outreach:project_detail", pk=saved.pk)
        guard.release()
    context = {
        "nav_active": NAV,
        "project": project,
        "form": form,
        "indicators": indicators,
        "partners": partners,
        "submit_key": form_key(request),
    }
    return render(request, "outreach/project_form.html", context)


def _save(user, project: Project | None, form: ProjectForm, indicators, partners) -> Project:
    data = form.project_data()
    participants = form.cleaned_data.get("participants") or []
    if project is None:
        return services.project_create(
            user=user, data=data, participants=participants, indicators=indicators, partners=partners
        )
    return services.project_update(
        user=user,
        project=project,
        data=data,
        participants=participants,
        indicators=indicators,
        partners=partners,
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    if scope.prefixes(request.user, selectors.MANAGE) == ():
        raise PermissionDenied
    return _form_page(request, None)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.get_project_or_404(request.user, pk, selectors.MANAGE)
    return _form_page(request, project)


# --- the home-page piece --------------------------------------------------------------------------------


@login_required
def home_piece(request: HttpRequest) -> HttpResponse:
    """A volunteer's next deliveries; for the staff of a library, its deliveries of the next two weeks;
    nothing for anybody else."""
    user = request.user
    today = timezone.localdate()
    own = list(
        selectors.shown_deliveries(
            user,
            selectors.deliveries_visible(user)
            .filter(volunteer__user=user, status=DeliveryStatus.PLANNED, date__gte=today)
            .order_by("date", "id")[:HOME_LIMIT],
        )
    )
    is_volunteer = bool(own) or selectors.is_volunteer(user)
    is_staff = selectors.is_staff_anywhere(user)
    if not is_volunteer and not is_staff:
        return HttpResponse("")
    library = []
    if is_staff:
        upcoming = selectors.upcoming_for_staff(user, today=today, days=STAFF_DAYS)
        library = selectors.shown_deliveries(user, upcoming[: HOME_LIMIT * 3])
    context = {
        "outreach_loaded": True,
        "own": own,
        "library_deliveries": library,
        "is_volunteer": is_volunteer,
        "is_staff": is_staff,
        "staff_days": STAFF_DAYS,
    }
    return render(request, "outreach/_home_outreach.html", context)
