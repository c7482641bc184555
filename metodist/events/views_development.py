"""Pages of professional development: a unit subtree's figures for a year, its XLSX export, and one person."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy

from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.events import development
from metodist.network.models import OrgUnit

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR = 2010
PEOPLE_PER_PAGE = 50


class DevelopmentFilterForm(BootstrapMixin, forms.Form):
    """The unit and year of the page; the unit itself is resolved through scope, not by this form."""

    unit = forms.ChoiceField(label=gettext_lazy("Unit"), required=False)
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False)

    def __init__(self, *args, units: list[OrgUnit], current: OrgUnit | None, **kwargs):
        super().__init__(*args, **kwargs)
        if current is not None and current.pk not in {unit.pk for unit in units}:
            units = sorted([*units, current], key=lambda unit: unit.path)
        top = min((unit.depth for unit in units), default=1)
        self.fields["unit"].choices = [
            (str(unit.pk), "\u2003" * (unit.depth - top) + unit.name) for unit in units
        ]
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year + 1, FIRST_YEAR - 1, -1)]


def _unit_and_year(request: HttpRequest) -> tuple[OrgUnit | None, int, DevelopmentFilterForm]:
    user = request.user
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied
    unit_id = request.GET.get("unit")
    unit = scope.get_unit_or_404(user, unit_id) if unit_id else development.default_unit(user)
    this_year = timezone.localdate().year
    # Bound to what the page shows, so the choosers always display the unit and year of the figures.
    form = DevelopmentFilterForm(
        {"unit": str(unit.pk) if unit else "", "year": request.GET.get("year") or this_year},
        units=list(development.chooser_units(user)),
        current=unit,
    )
    year = form.cleaned_data["year"] if form.is_valid() and form.cleaned_data["year"] else this_year
    return unit, year, form


@login_required
def development_page(request: HttpRequest) -> HttpResponse:
    unit, year, form = _unit_and_year(request)
    context = {"nav_active": "development", "form": form, "unit": unit, "year": year}
    if unit is not None:
        people = development.staff_development(request.user, unit=unit, year=year)
        page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
        for person in page.object_list:
            person.trainings_year, person.hours_year = development.person_year_figures(person)
        context.update(
            report=development.unit_development(request.user, unit=unit, year=year),
            plan=development.training_plan(request.user, unit=unit, year=year),
            people_page=page,
        )
    return render(request, "events/development.html", context)


@login_required
def development_export(request: HttpRequest) -> HttpResponse:
    unit, year, _form = _unit_and_year(request)
    if unit is None:
        raise PermissionDenied
    content = development.development_xlsx(
        report=development.unit_development(request.user, unit=unit, year=year),
        plan=development.training_plan(request.user, unit=unit, year=year),
        people=development.staff_development(request.user, unit=unit, year=year),
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"development-{unit.code}-{year}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@login_required
def development_person(request: HttpRequest, pk: int) -> HttpResponse:
    person = development.get_person_or_404(request.user, pk)
    year = timezone.localdate().year
    return render(
        request,
        "events/development_person.html",
        {
            "nav_active": "development",
            "person": person,
            "report": development.person_development(request.user, person=person, year=year),
        },
    )


urlpatterns: list = [
    path("development/", development_page, name="development"),
    path("development/export.xlsx", development_export, name="development_export"),
    path("development/people/<int:pk>/", development_person, name="development_person"),
]
