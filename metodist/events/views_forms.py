"""Pages of the catalogue of forms of work: the catalogue, a form's card, usage in the network, the booklet.

The catalogue itself is common to the whole network (any signed-in user reads it); every figure of use
comes from events in the user's scope (`catalogue.held_events` → `selectors.events_visible`).
"""

import re

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from metodist.core.files import stored_file_response
from metodist.core.forms import BootstrapMixin
from metodist.core.models import translated
from metodist.events import booklet as booklet_documents
from metodist.events import catalogue
from metodist.events.catalogue_data import BOOKLET_2013
from metodist.events.models import EventFamily, FormOfWork, FormScenario

# --- forms of the pages --------------------------------------------------------------------------------


class CatalogueFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=100)
    family = forms.ChoiceField(
        label=gettext_lazy("Family"),
        required=False,
        choices=[("", gettext_lazy("all")), *EventFamily.choices],
    )
    audience = forms.ChoiceField(label=gettext_lazy("For whom"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(placeholder=_("in Russian, Kazakh or English"), type="search")
        self.fields["audience"].choices = [("", _("everyone")), *catalogue.audience_choices()]


class UsageFilterForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Where"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("everywhere I see"),
    )
    family = forms.ChoiceField(
        label=gettext_lazy("Family"),
        required=False,
        choices=[("", gettext_lazy("all")), *EventFamily.choices],
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class BookletForm(BootstrapMixin, forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the booklet"),
        choices=[("ru", gettext_lazy("Russian")), ("kk", gettext_lazy("Kazakh"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    publisher = forms.ModelChoiceField(
        label=gettext_lazy("Library on the cover"), queryset=None, required=False, empty_label="—"
    )
    city = forms.CharField(
        label=gettext_lazy("City"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Left empty, the city is taken from the library's address."),
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1990, max_value=2100)
    # Declared last: inside the class body the name `forms` then hides the module.
    forms = forms.MultipleChoiceField(
        label=gettext_lazy("Forms of work"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": gettext_lazy("Choose at least one form of work.")},
    )

    def __init__(self, *args, choices, publishers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forms"].choices = choices
        self.fields["publisher"].queryset = publishers


# --- the catalogue and a form's card -------------------------------------------------------------------


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    filters = CatalogueFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    found = list(
        catalogue.forms_search(
            text=data.get("q", ""), family=data.get("family", ""), audience=data.get("audience", "")
        )
    )
    counts = catalogue.usage_counts(request.user)
    language = get_language()
    for form in found:
        form.times_used = counts.get(form.pk, 0)
        form.summary_text = form.text("summary", language)
        form.duration_text = catalogue.duration_text(form.duration, language)
    found.sort(key=lambda f: catalogue.name_sort_key(f.text("name", language), language))
    context = {
        "nav_active": "forms",
        "filters": filters,
        "forms": found,
        "booklet_2013": set(BOOKLET_2013),
        "can_edit": catalogue.can_edit_catalogue(request.user),
    }
    if request.htmx and request.htmx.target == "form-results":
        return render(request, "events/form_list.html#results", context)
    return render(request, "events/form_list.html", context)


def _url_or_none(name: str, *args) -> str | None:
    # The event card and the admin page belong to other modules; the catalogue works without them.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@login_required
def form_detail(request: HttpRequest, code: str) -> HttpResponse:
    form = catalogue.get_form_or_404(code)
    user = request.user
    context = {
        "nav_active": "forms",
        "form": form,
        "texts": catalogue.form_texts(form, get_language()),
        "related": form.related.filter(is_active=True).order_by("name_ru"),
        "scenarios": form.scenarios.all(),
        "usage": catalogue.form_usage(user, form),
        "in_booklet_2013": form.code in BOOKLET_2013,
        "event_links": _url_or_none("events:event_detail", 0) is not None,
        "admin_url": (
            _url_or_none("admin:events_formofwork_change", form.pk)
            if user.is_staff and catalogue.can_edit_catalogue(user)
            else None
        ),
    }
    return render(request, "events/form_detail.html", context)


@login_required
def form_scenario(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    scenario = get_object_or_404(FormScenario.objects.select_related("form"), pk=pk, form__code=code)
    if scenario.file:
        name = f"{code}-{pk}.{scenario.file.name.rsplit('.', 1)[-1].lower()}"
        return stored_file_response(scenario.file, filename=name)
    response = HttpResponse(
        f"{scenario.title}\n\n{scenario.text}\n", content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{code}-{pk}.txt"'
    return response


# --- usage across the network --------------------------------------------------------------------------


@login_required
def form_usage(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = UsageFilterForm(request.GET or None, units=catalogue.usage_units(user))
    data = filters.cleaned_data if filters.is_valid() else {}
    unit, family = data.get("unit"), data.get("family", "")
    context = {
        "nav_active": "forms",
        "filters": filters,
        "unit": unit,
        "table": catalogue.forms_usage(user, under=unit, family=family),
        "never_tried": list(catalogue.forms_never_tried(user, unit=unit, family=family)) if unit else None,
    }
    return render(request, "events/form_usage.html", context)


# --- the booklet ---------------------------------------------------------------------------------------


def _booklet_form(request: HttpRequest, data=None) -> tuple[BookletForm, list[FormOfWork]]:
    active = list(FormOfWork.objects.filter(is_active=True))
    language = get_language()
    active.sort(key=lambda f: (EventFamily.values.index(f.family), catalogue.name_sort_key(f.name, language)))
    publishers = catalogue.booklet_publishers(request.user)
    form = BookletForm(
        data,
        choices=[(f.code, f.name) for f in active],
        publishers=publishers,
        initial={
            "forms": request.GET.getlist("forms") or _preset(request.GET.get("preset", "2013"), active),
            "language": get_language() if get_language() in booklet_documents.LANGUAGES else "ru",
            "publisher": catalogue.default_publisher(publishers),
            "year": timezone.localdate().year,
        },
    )
    return form, active


def _preset(name: str, active: list[FormOfWork]) -> list[str]:
    if name == "all":
        return [f.code for f in active]
    if name == "none":
        return []
    return [code for code in BOOKLET_2013 if any(f.code == code for f in active)]


def _booklet_page(request: HttpRequest, form: BookletForm, active: list[FormOfWork], status: int = 200):
    families = {f.code: f.family for f in active}
    labels = dict(EventFamily.choices)
    groups: dict[str, list] = {}
    for checkbox in form["forms"]:
        groups.setdefault(families[checkbox.data["value"]], []).append(checkbox)
    context = {
        "nav_active": "forms",
        "form": form,
        "groups": [(labels[family], boxes) for family, boxes in groups.items()],
        "booklet_2013": BOOKLET_2013,
    }
    return render(request, "events/booklet.html", context, status=status)


@login_required
def booklet(request: HttpRequest) -> HttpResponse:
    form, active = _booklet_form(request)
    return _booklet_page(request, form, active)


def _city_of(address: str) -> str:
    match = re.search(r"(?:^|[\s,])(?:г\.|город|қ\.|қаласы)\s*([^,]+)", address or "")
    return match.group(1).strip() if match else ""


def _booklet_file(request: HttpRequest, kind: str) -> HttpResponse:
    form, active = _booklet_form(request, request.GET)
    if not form.is_valid():
        return _booklet_page(request, form, active, status=400)
    data = form.cleaned_data
    language = data["language"]
    chosen = [f for f in active if f.code in set(data["forms"])]
    unit = data["publisher"]
    arguments = {
        "forms": chosen,
        "language": language,
        "publisher": translated(unit, "name", language) if unit else "",
        "city": data["city"] or (_city_of(unit.address) if unit else ""),
        "year": data["year"],
    }
    if kind == "pdf":
        content, content_type = booklet_documents.booklet_pdf(**arguments), "application/pdf"
    else:
        content = booklet_documents.booklet_docx(**arguments)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="booklet-{language}-{data["year"]}.{kind}"'
    return response


@login_required
def booklet_pdf(request: HttpRequest) -> HttpResponse:
    return _booklet_file(request, "pdf")


@login_required
def booklet_docx(request: HttpRequest) -> HttpResponse:
    return _booklet_file(request, "docx")


# "usage" and "booklet" come before the card, whose code would otherwise match them.
urlpatterns = [
    path("forms/", form_list, name="form_list"),
    path("forms/usage/", form_usage, name="form_usage"),
    path("forms/booklet/", booklet, name="booklet"),
    path("forms/booklet.pdf", booklet_pdf, name="booklet_pdf"),
    path("forms/booklet.docx", booklet_docx, name="booklet_docx"),
    path("forms/<slug:code>/", form_detail, name="form_detail"),
    path("forms/<slug:code>/scenarios/<int:pk>/", form_scenario, name="form_scenario"),
]
