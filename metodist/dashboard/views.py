"""The home page: what the user's roles cover and what changed there lately."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from metodist.core import scope
from metodist.dashboard import selectors
from metodist.network.models import UnitKind


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    can_view = scope.prefixes(user, scope.VIEW) != ()
    context = {
        "nav_active": "home",
        "roles": selectors.user_roles(user),
        "can_view": can_view,
        "kind_labels": dict(UnitKind.choices),
    }
    if can_view:
        context["figures"] = selectors.network_figures(user)
        context["changes"] = selectors.recent_changes(user)
        context["upcoming"] = selectors.upcoming_events(user)
    return render(request, "dashboard/home.html", context)
