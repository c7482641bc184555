"""Forms of the event pages: the card with its programme and handouts, the list filters, uploads, iCal.

Unit pickers offer only units of the user's scope. The programme and the handouts are formsets whose rows
are all "extra" rows, so a row left blank is skipped rather than refused.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.events import services
from metodist.events.models import (
    Event,
    EventFamily,
    EventFile,
    EventFileKind,
    EventSection,
    EventStatus,
    FormOfWork,
    Handout,
)
from metodist.network.models import OrgUnit, StaffMember

MANAGE = services.MANAGE
# A unit picker never lists more than this; a unit further down can still be passed by id (`?under=`).
PICKER_LIMIT = 400


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def unit_label(unit: OrgUnit, base_depth: int = 1) -> str:
    # Indentation shows the tree in a flat select.
    return "\u2003" * max(unit.depth - base_depth, 0) + unit.name


def _unit_field(field: forms.ModelChoiceField, units: QuerySet) -> None:
    units = units.filter(archived_at__isnull=True).order_by("path")
    base = min((u.depth for u in units[:1]), default=1)
    field.queryset = units
    field.label_from_instance = lambda u: unit_label(u, base)


class EventForm(BootstrapMixin, forms.ModelForm):
    """The card. The view passes `card_data()` to the services; the form itself never saves."""

    class Meta:
        model = Event
        fields = [
            "title",
            "form",
            "family",
            "status",
            "starts_at",
            "ends_at",
            "organiser_unit",
            "venue_unit",
            "venue_text",
            "room",
            "responsible",
            "audience",
            "participants_planned",
            "participants_actual",
            "capacity",
            "registration_open",
            "hours",
            "goal",
            "expected_result",
            "outcome",
            "assessment",
            "partners",
            "notes",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "goal": forms.Textarea(attrs={"rows": 3}),
            "expected_result": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "assessment": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "responsible": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        instance = self.instance
        organisers = scope.units(user, MANAGE)
        venues = scope.units(user)
        if instance.pk:
            # The current choice stays selectable even if it was archived since.
            organisers = organisers | OrgUnit.objects.filter(pk=instance.organiser_unit_id)
            if instance.venue_unit_id:
                venues = venues | OrgUnit.objects.filter(pk=instance.venue_unit_id)
        _unit_field(self.fields["organiser_unit"], organisers)
        _unit_field(self.fields["venue_unit"], venues)
        self.fields["venue_unit"].empty_label = _("— another place (name it below) —")
        forms_of_work = Q(is_active=True)
        if instance.form_id:
            forms_of_work |= Q(pk=instance.form_id)
        self.fields["form"].queryset = FormOfWork.objects.filter(forms_of_work)
        self.fields["form"].label_from_instance = lambda f: f.name
        self.fields["responsible"].queryset = (
            scope.records(user, StaffMember.objects.filter(left_on__isnull=True))
            .select_related("unit")
            .order_by("full_name")
        )
        self.fields["responsible"].label_from_instance = lambda s: (
            f"{s.full_name} — {s.position}, {s.unit.name}"
        )
        self.fields["participants_actual"].help_text = _(
            "Leave empty to count the attendance list; a number entered here is kept as counted by hand."
        )

    def card_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _label(model, name: str):
    # The model's own (translated) name of the field, as a ModelForm would show it.
    return capfirst(model._meta.get_field(name).verbose_name)


class SectionForm(BootstrapMixin, forms.Form):
    speaker = forms.CharField(label=_label(EventSection, "speaker"), max_length=200, required=False)
    speaker_position = forms.CharField(
        label=_label(EventSection, "speaker_position"), max_length=300, required=False
    )
    speaker_unit = forms.CharField(label=_label(EventSection, "speaker_unit"), max_length=300, required=False)
    topic = forms.CharField(label=_label(EventSection, "topic"), max_length=500)
    summary = forms.CharField(
        label=_label(EventSection, "summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class HandoutForm(BootstrapMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_label(Handout, "title"), max_length=300)
    file = forms.FileField(label=_label(Handout, "file"), required=False)
    remove = forms.BooleanField(label=_("Remove"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{e}" for e in services.DOCUMENT_EXTENSIONS)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        services.check_upload(upload)
        return upload

    def full_clean(self):
        # A row marked for removal needs no title.
        if self.is_bound and self.data.get(self.add_prefix("remove")):
            self.cleaned_data = {"remove": True}
            self._errors = forms.utils.ErrorDict()
            return
        super().full_clean()


class ExtraRowsFormSet(BaseFormSet):
    """Every row is an "extra" row: a blank one is skipped, and rows come in the order they are shown."""

    def initial_form_count(self) -> int:
        return 0

    def total_form_count(self) -> int:
        if self.is_bound:
            return super().total_form_count()
        return len(self.initial or ())

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.empty_permitted = True
        form.use_required_attribute = False
        return form

    def rows(self) -> list[dict]:
        """The filled rows, in order (for the services)."""
        return [form.cleaned_data for form in self.forms if form.has_changed() and form.cleaned_data]


SectionFormSet = formset_factory(SectionForm, formset=ExtraRowsFormSet, extra=0, max_num=200)
HandoutFormSet = formset_factory(HandoutForm, formset=ExtraRowsFormSet, extra=0, max_num=100)

SECTION_PREFIX = "sections"
HANDOUT_PREFIX = "handouts"


def raw_rows(data, prefix: str, fields: tuple[str, ...]) -> list[dict]:
    """The rows of a submitted formset as they were typed, to show them again after a row action."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), 200)
    except ValueError:
        total = 0
    return [{f: data.get(f"{prefix}-{i}-{f}", "") for f in fields} for i in range(total)]


def handout_rows(data) -> list[dict]:
    """The handout rows to keep: those not marked for removal and not blank."""
    result = []
    for row in data:
        if row.get("remove") or (not row.get("title") and not row.get("file")):
            continue
        result.append({"id": row.get("id"), "title": row.get("title", ""), "file": row.get("file")})
    return result


class EventFileForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = EventFile
        fields = ["kind", "file", "caption"]

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            try:
                services.check_upload(upload, images_only=data.get("kind") == EventFileKind.PHOTO)
            except ValidationError as exc:
                self.add_error("file", exc)
        return data


# --- the list -------------------------------------------------------------------------------------------


def unit_choices(user, *, selected: OrgUnit | None = None) -> list[tuple[str, str]]:
    """The top of the user's scope, two levels deep, for a filter or a feed; the selected unit is kept."""
    roots = list(scope.roots(user).filter(archived_at__isnull=True))
    if not roots:
        return []
    base = min(u.depth for u in roots)
    units = list(
        scope.units(user)
        .filter(archived_at__isnull=True, depth__lte=base + 2)
        .order_by("path")[:PICKER_LIMIT]
    )
    if selected is not None and all(u.pk != selected.pk for u in units):
        units.append(selected)
    return [(str(u.pk), unit_label(u, base)) for u in units]


class PeriodUnitFilterForm(forms.Form):
    """A list's filter bar: a period, a unit of the user's scope (its subtree) and the subclass's fields.

    `filter_names` lists the fields `filters()` answers; a field that does not validate filters nothing.
    """

    date_from = forms.DateField(label=pgettext_lazy("period", "From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=pgettext_lazy("period", "To"), required=False, widget=DateInput())
    under = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    filter_names: tuple[str, ...] = ("under", "date_from", "date_to")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.under_unit = self._selected_unit()
        self.fields["under"].choices = [("", _("all units")), *unit_choices(user, selected=self.under_unit)]
        for field in self.fields.values():
            small = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = small

    def _selected_unit(self) -> OrgUnit | None:
        value = self.data.get("under") if self.is_bound else None
        if not value:
            return None
        try:
            return scope.units(self.user).get(pk=int(value))
        except (OrgUnit.DoesNotExist, ValueError, TypeError):
            return None

    def clean_under(self):
        if self.cleaned_data.get("under") is not None and self.under_unit is None:
            raise ValidationError(
                _("Select a valid choice. That choice is not one of the available choices.")
            )
        return self.under_unit

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the period is before its beginning."))
        return data

    def filters(self) -> dict:
        """The filters to apply; an invalid field filters nothing."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: data.get(name)
            for name in self.filter_names
            if name not in self.errors and data.get(name) not in (None, "")
        }


class EventFilterForm(PeriodUnitFilterForm):
    filter_names = ("under", "date_from", "date_to", "form", "family", "status", "audience")

    form = forms.ModelChoiceField(
        label=_("Form of work"), required=False, queryset=FormOfWork.objects.all(), to_field_name="code"
    )
    family = forms.ChoiceField(label=_("Family"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    audience = forms.CharField(label=_("Audience"), required=False, max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["form"].label_from_instance = lambda f: f.name
        self.fields["form"].empty_label = _("any form")
        self.fields["family"].choices = [("", _("any family")), *EventFamily.choices]
        self.fields["status"].choices = [("", _("any status")), *EventStatus.choices]
        self.fields["audience"].widget.attrs["type"] = "search"


class CalendarFeedForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Events of"), coerce=int)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].choices = unit_choices(user)
        self.fields["unit"].widget.attrs["class"] = "form-select"

    def clean_unit(self):
        try:
            return scope.units(self.user).get(pk=self.cleaned_data["unit"])
        except OrgUnit.DoesNotExist as exc:
            raise ValidationError(
                _("Select a valid choice. That choice is not one of the available choices.")
            ) from exc
