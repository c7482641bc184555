"""Template context shared by every page: the navigation shows only the parts that exist for the user."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from metodist.core import scope
from metodist.outreach.selectors import is_volunteer


def _item(
    url_name: str, label, icon: str, key: str, children: list | None = None, *, compact: bool = False
) -> dict:
    # A compact item shows only its icon on laptop-wide screens: the bar fits on one line in every language.
    item = {
        "url": reverse(url_name),
        "url_name": url_name,
        "label": label,
        "icon": icon,
        "key": key,
        "compact": compact,
    }
    if children:
        item["children"] = children
        item["keys"] = {key, *(child["key"] for child in children)}
    return item


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [_item("dashboard:home", _("Home"), "house", "home", compact=True)]
    if scope.prefixes(user, scope.VIEW) != ():
        items.append(_item("network:tree", _("Network"), "diagram-3", "network", compact=True))
        # The event pages share one menu, so the bar fits on a laptop screen in every language.
        events = [
            _item("events:event_list", _("List of events"), "list-ul", "events"),
            _item("events:calendar", _("Calendar"), "calendar3", "calendar"),
            _item("events:form_list", _("Forms of work"), "lightbulb", "forms"),
            _item("events:development", _("Professional development"), "mortarboard", "development"),
        ]
        items.append(_item("events:event_list", _("Events"), "calendar-event", "events", children=events))
        assistance = [
            _item("assistance:consultation_list", _("Consultations"), "telephone", "assistance"),
            _item("assistance:visit_list", _("Field visits"), "geo", "visits"),
            _item("assistance:recommendation_list", _("Recommendations"), "check2-square", "recommendations"),
            _item("assistance:letter_list", _("Correspondence"), "envelope", "letters"),
            _item("assistance:material_list", _("Materials"), "journal-richtext", "materials"),
            _item("assistance:practice_list", _("Best practices"), "stars", "practices"),
            _item("assistance:coordination", _("Coordination"), "link-45deg", "coordination"),
            _item("assistance:plan_list", _("Annual plans"), "clipboard-check", "plans"),
        ]
        items.append(
            _item(
                "assistance:consultation_list",
                _("Assistance"),
                "life-preserver",
                "assistance",
                children=assistance,
            )
        )
    reporting = []
    if scope.prefixes(user, "enter_reports") != ():
        reporting.append(_item("reporting:my_reports", _("My reports"), "clipboard-data", "reporting"))
        reporting.append(_item("reporting:upload", _("Upload reports"), "file-earmark-spreadsheet", "upload"))
    if scope.prefixes(user, "review_reports") != ():
        reporting.append(_item("reporting:review_queue", _("Acceptance queue"), "inbox", "review"))
    if scope.prefixes(user, scope.VIEW) != ():
        reporting += [
            _item("reporting:completeness", _("Completeness"), "check2-all", "completeness"),
            _item("reporting:analysis", _("Analysis of figures"), "bar-chart-line", "analysis"),
            _item("reporting:consolidated", _("Consolidated report"), "table", "consolidated"),
            _item("reporting:rankings", _("Rankings of libraries"), "bar-chart-steps", "rankings"),
        ]
    if scope.prefixes(user, "manage_forms") != ():
        reporting.append(_item("reporting:form_list", _("Report forms"), "ui-checks", "report_forms"))
    if reporting:
        items.append(
            _item(reporting[0]["url_name"], _("Reports"), "clipboard-data", "reporting", children=reporting)
        )
    if scope.prefixes(user, scope.VIEW) != ():
        marketing = [
            _item("marketing:survey_list", _("Surveys"), "ui-radios", "surveys"),
            _item("marketing:partner_list", _("Partners"), "briefcase", "partners"),
            _item(
                "marketing:agreement_list",
                _("Agreements with partners"),
                "file-earmark-text",
                "partner_agreements",
            ),
            _item("marketing:service_list", _("Library services"), "grid", "promotion"),
            _item("marketing:campaign_list", _("Promotion campaigns"), "megaphone", "promotion_campaigns"),
            _item(
                "marketing:campaign_calendar", _("Campaign calendar"), "calendar-range", "promotion_calendar"
            ),
            _item("marketing:mention_list", _("Media mentions"), "newspaper", "promotion_mentions"),
            _item("marketing:mention_figures", _("PR figures"), "graph-up", "promotion_figures"),
            _item("marketing:environment_list", _("SWOT and PEST"), "grid-1x2", "environment"),
            _item("marketing:audience", _("Audience and quality"), "people-fill", "audience"),
        ]
        items.append(
            _item("marketing:survey_list", _("Marketing"), "megaphone", "marketing", children=marketing)
        )
        outreach = [
            _item("outreach:project_list", _("Projects"), "flag", "outreach_projects"),
            _item("outreach:reader_list", _("Knigonosha: readers"), "person-heart", "outreach_readers"),
            _item("outreach:delivery_list", _("Deliveries"), "box2-heart", "outreach_deliveries"),
            _item("outreach:schedule_list", _("Delivery rounds"), "calendar2-week", "outreach_schedules"),
            _item("outreach:volunteer_list", _("Volunteers"), "people", "outreach_volunteers"),
            _item("outreach:figures", _("Home delivery figures"), "bar-chart", "outreach_figures"),
        ]
        items.append(
            _item(
                "outreach:project_list",
                pgettext_lazy("menu", "Outreach"),
                "heart",
                "outreach_projects",
                children=outreach,
            )
        )
    if is_volunteer(user):  # a volunteer has no view of the network, only of the deliveries given to them
        items.append(_item("outreach:my_deliveries", _("My deliveries"), "bicycle", "outreach_my"))
    # Users and roles live in the user's own menu, beside the profile.
    roles_url = reverse("accounts:user_list") if scope.prefixes(user, "manage_roles") != () else None
    return {"nav_items": items, "nav_roles_url": roles_url}
