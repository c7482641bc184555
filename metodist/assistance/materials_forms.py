"""Forms of the materials pages: the card with its file, and the search box with the filters of the list.

Pickers offer only what the user may choose (units they publish for, events and visits they see); the
services check it again.
"""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metodist.assistance.materials import MANAGE
from metodist.assistance.materials_text import FILE_TYPES
from metodist.assistance.models import Direction, FieldVisit, Material, MaterialLanguage, MaterialType
from metodist.assistance.visits import visits_visible
from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.events.forms import unit_label
from metodist.events.models import Event, FormOfWork
from metodist.events.selectors import events_visible
from metodist.network.models import OrgUnit

PICKER_LIMIT = 300
# Events and visits offered for linking: those of the last two years and the ones planned.
LINK_YEARS = 2
ACCEPT = ",".join(f".{t}" for t in FILE_TYPES)


def _with_linked(qs: QuerySet, linked: QuerySet, instance: Material, order: str) -> QuerySet:
    recent = list(qs.order_by(order).values_list("pk", flat=True)[:PICKER_LIMIT])
    if instance.pk:
        recent += list(linked.values_list("pk", flat=True))
    return qs.model.objects.filter(pk__in=recent).order_by(order)


class MaterialForm(BootstrapMixin, forms.ModelForm):
    """The card. The view passes `card_data()`, the file and the lists to the services."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("DOCX, PDF, PPTX, XLSX or ODT, up to 50 MB; its type is checked by its content."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    class Meta:
        model = Material
        fields = [
            "unit",
            "type",
            "title",
            "authors",
            "year",
            "language",
            "audience",
            "description",
            "directions",
            "forms_of_work",
            "events",
            "visits",
        ]
        widgets = {
            "directions": forms.CheckboxSelectMultiple(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "forms_of_work": forms.SelectMultiple(attrs={"size": 6}),
            "events": forms.SelectMultiple(attrs={"size": 6}),
            "visits": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk:
            self.fields["file"].required = False
            self.fields["file"].help_text = _("Leave empty to keep the file; a new one replaces it.")
        else:
            self.initial.setdefault("year", timezone.localdate().year)
        own = scope.units(user, MANAGE)
        if instance.pk:
            own = own | OrgUnit.objects.filter(pk=instance.unit_id)
        units = own.filter(archived_at__isnull=True).order_by("path")
        base = min((u.depth for u in units[:1]), default=1)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: unit_label(u, base)

        directions = Direction.objects.filter(is_active=True)
        forms_of_work = FormOfWork.objects.filter(is_active=True)
        if instance.pk:
            directions = directions | Direction.objects.filter(materials=instance)
            forms_of_work = forms_of_work | FormOfWork.objects.filter(materials=instance)
        self.fields["directions"].queryset = directions.distinct().order_by("order", "name_ru")
        self.fields["directions"].label_from_instance = lambda d: d.name
        self.fields["forms_of_work"].queryset = forms_of_work.distinct().order_by("name_ru")
        self.fields["forms_of_work"].label_from_instance = lambda f: f.name

        since = timezone.now() - datetime.timedelta(days=365 * LINK_YEARS)
        events = events_visible(user).filter(starts_at__gte=since)
        self.fields["events"].queryset = _with_linked(
            events, instance.events.all() if instance.pk else Event.objects.none(), instance, "-starts_at"
        )
        self.fields["events"].label_from_instance = lambda e: f"{e.starts_at:%d.%m.%Y} · {e.title}"
        visits = visits_visible(user).filter(start__gte=since.date())
        self.fields["visits"].queryset = _with_linked(
            visits, instance.visits.all() if instance.pk else FieldVisit.objects.none(), instance, "-start"
        )
        for name in ("forms_of_work", "events", "visits"):
            self.fields[name].help_text = _("Hold Ctrl (⌘ on a Mac) to choose several.")
            self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    def card_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields[:8]}

    def lists(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields[8:]}


class MaterialFilterForm(forms.Form):
    q = forms.CharField(label=_("Words to find"), required=False, max_length=200)
    type = forms.ChoiceField(label=_("Type"), required=False)
    direction = forms.ModelChoiceField(
        label=_("Direction"), required=False, queryset=Direction.objects.all(), to_field_name="code"
    )
    form_of_work = forms.ModelChoiceField(
        label=_("Form of work"), required=False, queryset=FormOfWork.objects.all(), to_field_name="code"
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    unit = forms.ModelChoiceField(label=_("Published by"), required=False, queryset=OrgUnit.objects.none())

    def __init__(self, *args, publishers: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("e.g. online centre opening scenario")}
        )
        self.fields["type"].choices = [("", _("any type")), *MaterialType.choices]
        self.fields["language"].choices = [("", _("any language")), *MaterialLanguage.choices]
        self.fields["direction"].label_from_instance = lambda d: d.name
        self.fields["direction"].empty_label = _("any direction")
        self.fields["form_of_work"].queryset = FormOfWork.objects.filter(materials__isnull=False).distinct()
        self.fields["form_of_work"].label_from_instance = lambda f: f.name
        self.fields["form_of_work"].empty_label = _("any form of work")
        self.fields["unit"].queryset = publishers
        self.fields["unit"].label_from_instance = lambda u: u.name
        self.fields["unit"].empty_label = _("any unit")
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )

    def filters(self) -> dict:
        """The filters to apply (without `q`); an invalid field filters nothing."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        names = ("type", "direction", "form_of_work", "language", "year", "unit")
        return {n: data.get(n) for n in names if n not in self.errors and data.get(n) not in (None, "")}

    def query(self) -> str:
        if not self.is_bound or not self.is_valid():
            return (self.data.get("q") or "")[:200].strip() if self.is_bound else ""
        return self.cleaned_data.get("q", "").strip()
