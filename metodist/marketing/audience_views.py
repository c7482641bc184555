"""The audience and quality page of a unit's subtree (figures from reporting, surveys and events)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from metodist.core import scope
from metodist.marketing import audience
from metodist.network.models import OrgUnit

NAV = "audience"


def _ancestor_paths(unit: OrgUnit) -> list[str]:
    return [unit.path[:end] for end in range(OrgUnit.steplen, len(unit.path), OrgUnit.steplen)]


@login_required
def audience_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    roots = list(scope.roots(user))
    if not roots:
        raise PermissionDenied
    pk = request.GET.get("unit")
    unit = scope.get_unit_or_404(user, pk) if pk else roots[0]
    page = audience.audience(unit)
    context = {
        "nav_active": NAV,
        "unit": unit,
        "page": page,
        "period": audience.label_period(page.months),
        "year_period": audience.label_period(page.months[-12:]),
        "ancestors": scope.units(user).filter(path__in=_ancestor_paths(unit)).order_by("path"),
        "children": scope.units(user)
        .filter(path__startswith=unit.path, depth=unit.depth + 1)
        .order_by("path"),
        "series": list(page.series.values()),
    }
    return render(request, "marketing/environment/audience.html", context)
