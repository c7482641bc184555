"""Pages of the network registry: the tree, search, the unit card, its staff and passport."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metodist.core import scope
from metodist.network import selectors, services
from metodist.network.forms import (
    MoveForm,
    PassportForm,
    QualificationForm,
    SearchForm,
    StaffMemberForm,
    UnitForm,
)
from metodist.network.models import ALLOWED_PARENT_KINDS, LibraryPassport, OrgUnit, StaffMember, UnitKind


def _require_view(user) -> None:
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form = SearchForm(request.GET or None, districts=selectors.districts(request.user))
    archived = form.is_valid() and form.cleaned_data["archived"]
    context = {
        "nav_active": "network",
        "form": form,
        "archived": archived,
        "can_manage": scope.prefixes(request.user, "manage_units") != (),
    }
    if form.is_searching:
        data = form.cleaned_data
        results, total = selectors.unit_search(
            request.user, text=data["q"], kind=data["kind"], district=data["district"], archived=archived
        )
        context.update(results=results, total=total, searching=True)
    else:
        context.update(roots=selectors.tree_roots(request.user, archived=archived), searching=False)
    if request.htmx and request.htmx.target == "tree-results":
        return render(request, "network/tree.html#results", context)
    return render(request, "network/tree.html", context)


@login_required
def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    unit = scope.get_unit_or_404(request.user, pk)
    archived = request.GET.get("archived") == "on"
    children = selectors.unit_children(request.user, unit, archived=archived)
    return render(request, "network/tree.html#children", {"children": children, "archived": archived})


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = scope.get_unit_or_404(request.user, pk)
    user = request.user
    passports = list(unit.passports.all())
    current_year = timezone.localdate().year
    context = {
        "nav_active": "network",
        "unit": unit,
        "breadcrumbs": selectors.unit_breadcrumbs(user, unit),
        "children": selectors.unit_children(user, unit),
        "staff": selectors.unit_staff(unit),
        "former_staff_count": unit.staff.filter(left_on__isnull=False).count(),
        "passport": passports[0] if passports else None,
        "passports": passports,
        "passport_years": [current_year, current_year - 1],
        "counts": selectors.subtree_counts(unit) if unit.numchild else {},
        "kind_labels": dict(UnitKind.choices),
        "history": selectors.unit_history(unit, limit=5),
        "card_filled": any(
            getattr(unit, f) not in (None, "", [])
            for f in services.CARD_FIELDS
            if f not in ("code", "name_ru", "kind", "library_type")
        ),
        "can_edit": scope.covers(user, unit, "edit_card"),
        "can_manage": scope.covers(user, unit, "manage_units"),
        "child_kinds": _child_kinds(unit),
    }
    return render(request, "network/unit_detail.html", context)


def _child_kinds(unit: OrgUnit) -> list[tuple[str, str]]:
    return [
        (kind.value, kind.label)
        for kind in UnitKind
        if ALLOWED_PARENT_KINDS.get(kind) is not None and unit.kind in ALLOWED_PARENT_KINDS[kind]
    ]


@login_required
def unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    unit = scope.get_unit_or_404(request.user, pk)
    return render(
        request,
        "network/unit_history.html",
        {
            "nav_active": "network",
            "unit": unit,
            "breadcrumbs": selectors.unit_breadcrumbs(request.user, unit),
            "history": selectors.unit_history(unit, limit=200),
        },
    )


def _apply_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    parent = scope.get_unit_or_404(
        request.user, request.GET.get("parent") or request.POST.get("parent"), "manage_units"
    )
    initial = {"kind": request.GET.get("kind", "")}
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(user=request.user, parent=parent, data=form.card_data())
        except ValidationError as exc:
            _apply_service_errors(form, exc)
        else:
            messages.success(request, _("The unit “%(name)s” was created.") % {"name": unit.name})
            return redirect(unit)
    return render(
        request,
        "network/unit_form.html",
        {
            "nav_active": "network",
            "form": form,
            "parent": parent,
            "unit": None,
            "breadcrumbs": [*selectors.unit_breadcrumbs(request.user, parent), parent],
        },
    )


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = scope.get_unit_or_404(request.user, pk, "edit_card")
    can_restructure = scope.covers(request.user, unit, "manage_units")
    form = UnitForm(request.POST or None, instance=unit, can_restructure=can_restructure)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(user=request.user, unit=unit, data=form.card_data())
        except ValidationError as exc:
            _apply_service_errors(form, exc)
        else:
            messages.success(request, _("The card was saved."))
            return redirect(unit)
    return render(
        request,
        "network/unit_form.html",
        {
            "nav_active": "network",
            "form": form,
            "unit": unit,
            "parent": None,
            "breadcrumbs": selectors.unit_breadcrumbs(request.user, unit),
        },
    )


@login_required
def unit_move(request: HttpRequest, pk: int) -> HttpResponse:
    unit = scope.get_unit_or_404(request.user, pk, "manage_units")
    allowed_kinds = ALLOWED_PARENT_KINDS.get(unit.kind) or set()
    parents = (
        scope.units(request.user, "manage_units")
        .filter(kind__in=allowed_kinds, archived_at__isnull=True)
        .exclude(path__startswith=unit.path)
        .order_by("path")
    )
    form = MoveForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_move(user=request.user, unit=unit, new_parent=form.cleaned_data["new_parent"])
        except ValidationError as exc:
            _apply_service_errors(form, exc)
        else:
            messages.success(request, _("The unit was moved."))
            return redirect("network:unit_detail", pk=unit.pk)
    return render(
        request,
        "network/unit_move.html",
        {
            "nav_active": "network",
            "form": form,
            "unit": unit,
            "breadcrumbs": selectors.unit_breadcrumbs(request.user, unit),
        },
    )


@login_required
def unit_archive(request: HttpRequest, pk: int) -> HttpResponse:
    unit = scope.get_unit_or_404(request.user, pk, "manage_units")
    if request.method == "POST":
        count = services.unit_archive(user=request.user, unit=unit)
        messages.success(request, _("Archived units: %(count)s. Their records are kept.") % {"count": count})
        return redirect("network:unit_detail", pk=unit.pk)
    subtree = OrgUnit.objects.under(unit).filter(archived_at__isnull=True).count()
    return render(
        request,
        "network/unit_archive.html",
        {
            "nav_active": "network",
            "unit": unit,
            "subtree": subtree,
            "breadcrumbs": selectors.unit_breadcrumbs(request.user, unit),
        },
    )


@login_required
@require_POST
def unit_restore(request: HttpRequest, pk: int) -> HttpResponse:
    unit = scope.get_unit_or_404(request.user, pk, "manage_units")
    try:
        count = services.unit_restore(user=request.user, unit=unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Restored units: %(count)s.") % {"count": count})
    return redirect("network:unit_detail", pk=unit.pk)


def _staff_or_404(user, pk: int, capability: str = scope.VIEW) -> StaffMember:
    return scope.get_record_or_404(user, StaffMember.objects.select_related("unit"), capability, pk=pk)


@login_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _staff_or_404(request.user, pk)
    qualifications = list(person.qualifications.all())
    this_year = timezone.localdate().year
    return render(
        request,
        "network/staff_detail.html",
        {
            "nav_active": "network",
            "person": person,
            "unit": person.unit,
            "breadcrumbs": [*selectors.unit_breadcrumbs(request.user, person.unit), person.unit],
            "qualifications": qualifications,
            "hours_total": sum(q.hours for q in qualifications),
            "hours_this_year": sum(q.hours for q in qualifications if q.started_on.year == this_year),
            "can_edit": scope.covers(request.user, person.unit, "edit_card"),
        },
    )


def _staff_form_page(request, *, unit: OrgUnit, person: StaffMember | None):
    form = StaffMemberForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            person = form.save(commit=False)
            person.unit = unit
            person.save()
        messages.success(request, _("Saved: %(name)s.") % {"name": person.full_name})
        return redirect("network:staff_detail", pk=person.pk)
    return render(
        request,
        "network/staff_form.html",
        {
            "nav_active": "network",
            "form": form,
            "unit": unit,
            "person": person,
            "breadcrumbs": [*selectors.unit_breadcrumbs(request.user, unit), unit],
        },
    )


@login_required
def staff_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = scope.get_unit_or_404(request.user, pk, "edit_card")
    return _staff_form_page(request, unit=unit, person=None)


@login_required
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _staff_or_404(request.user, pk, "edit_card")
    return _staff_form_page(request, unit=person.unit, person=person)


@login_required
def qualification_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = _staff_or_404(request.user, pk, "edit_card")
    form = QualificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.staff_member = person
        record.save()
        messages.success(request, _("The training was added to the qualification record."))
        return redirect("network:staff_detail", pk=person.pk)
    return render(
        request,
        "network/qualification_form.html",
        {
            "nav_active": "network",
            "form": form,
            "person": person,
            "unit": person.unit,
            "breadcrumbs": [*selectors.unit_breadcrumbs(request.user, person.unit), person.unit],
        },
    )


@login_required
def passport_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    unit = scope.get_unit_or_404(request.user, pk, "edit_card")
    if not 1990 <= year <= timezone.localdate().year + 1:
        raise Http404
    passport = LibraryPassport.objects.filter(unit=unit, year=year).first()
    if passport is None:
        # Start from last year's figures: most of a passport does not change from year to year.
        previous = LibraryPassport.objects.filter(unit=unit, year__lt=year).order_by("-year").first()
        passport = LibraryPassport(unit=unit, year=year)
        if previous is not None:
            for field in PassportForm.Meta.fields:
                setattr(passport, field, getattr(previous, field))
    form = PassportForm(request.POST or None, instance=passport)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # A double submit of a new passport updates the row the first submit made.
            existing = LibraryPassport.objects.select_for_update().filter(unit=unit, year=year).first()
            if existing is not None and passport.pk is None:
                form.instance.pk = existing.pk
                form.instance.created_at = existing.created_at
            form.save()
        messages.success(request, _("The passport for %(year)s was saved.") % {"year": year})
        return redirect(unit)
    return render(
        request,
        "network/passport_form.html",
        {
            "nav_active": "network",
            "form": form,
            "unit": unit,
            "year": year,
            "breadcrumbs": [*selectors.unit_breadcrumbs(request.user, unit), unit],
        },
    )
