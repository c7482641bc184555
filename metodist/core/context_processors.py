"""Template context shared by every page: the navigation shows only the parts that exist for the user."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from metodist.core import scope


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [{"url": reverse("dashboard:home"), "label": _("Home"), "icon": "house", "key": "home"}]
    if scope.prefixes(user, scope.VIEW) != ():
        items.append(
            {"url": reverse("network:tree"), "label": _("Network"), "icon": "diagram-3", "key": "network"}
        )
    if scope.prefixes(user, scope.VIEW) != ():
        items.append(
            {
                "url": reverse("events:event_list"),
                "label": _("Events"),
                "icon": "calendar-event",
                "key": "events",
            }
        )
        items.append(
            {
                "url": reverse("events:form_list"),
                "label": _("Forms of work"),
                "icon": "lightbulb",
                "key": "forms",
            }
        )
        items.append(
            {
                "url": reverse("events:development"),
                "label": _("Professional development"),
                "icon": "mortarboard",
                "key": "development",
            }
        )
    if scope.prefixes(user, "manage_roles") != ():
        items.append(
            {
                "url": reverse("accounts:user_list"),
                "label": _("Users and roles"),
                "icon": "people",
                "key": "accounts",
            }
        )
    return {"nav_items": items}
