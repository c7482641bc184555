"""Forms of the outreach pages. They offer only what the user may choose (their libraries, their readers and
volunteers) and never save: the views pass the cleaned data to `metodist.outreach.services`."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from metodist.accounts.models import RoleKind
from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.events.forms import DateInput, ExtraRowsFormSet, PeriodUnitFilterForm, unit_label
from metodist.network.models import LIBRARY_KINDS, OrgUnit, ServiceLanguage, UnitKind
from metodist.outreach import selectors
from metodist.outreach.models import (
    DeliverySchedule,
    DeliveryStatus,
    HomeReader,
    IndicatorSource,
    Project,
    ProjectFile,
    ProjectKind,
    ProjectStatus,
    Volunteer,
)

PICKER_LIMIT = 400
LIBRARY_PICK_KINDS = (*LIBRARY_KINDS, UnitKind.DEPARTMENT)


def _units(field: forms.ModelChoiceField, units: QuerySet) -> None:
    units = units.order_by("path")
    base = min((u.depth for u in units[:1]), default=1)
    field.queryset = units
    field.label_from_instance = lambda u: unit_label(u, base)


def _small(form: forms.Form) -> None:
    for field in form.fields.values():
        select = isinstance(field.widget, forms.Select)
        field.widget.attrs["class"] = (
            "form-select form-select-sm" if select else "form-control form-control-sm"
        )


# --- projects -------------------------------------------------------------------------------------------


class ProjectForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "kind",
            "status",
            "unit",
            "initiator",
            "goal",
            "description",
            "starts_on",
            "ends_on",
            "participants",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "goal": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "participants": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = scope.units(user, selectors.MANAGE).filter(
            kind__in=LIBRARY_PICK_KINDS, archived_at__isnull=True
        )
        if self.instance.pk:
            own = own | OrgUnit.objects.filter(pk=self.instance.unit_id)
        _units(self.fields["unit"], own)
        libraries = scope.units(user).filter(kind__in=LIBRARY_KINDS, archived_at__isnull=True)
        libraries = OrgUnit.objects.filter(pk__in=libraries.order_by("path").values("pk")[:PICKER_LIMIT])
        if self.instance.pk:
            libraries = libraries | self.instance.participants.all()
        _units(self.fields["participants"], libraries.distinct())
        self.fields["participants"].help_text = _("Hold Ctrl (⌘ on a Mac) to choose several.")
        self.fields["participants"].widget.attrs["aria-describedby"] = "id_participants_helptext"
        if not self.instance.pk and len(self.fields["unit"].queryset[:2]) == 1:
            self.initial.setdefault("unit", self.fields["unit"].queryset[0].pk)

    def project_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields if name != "participants"}


class IndicatorForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300)
    measure = forms.CharField(label=_("Unit of measure"), max_length=60, required=False)
    target = forms.DecimalField(
        label=_("Target"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    actual = forms.DecimalField(
        label=_("Actual"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    source = forms.ChoiceField(
        label=_("Where the actual comes from"),
        choices=IndicatorSource.choices,
        initial=IndicatorSource.MANUAL,
    )


class PartnerForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Partner"), max_length=300)
    contribution = forms.CharField(label=_("Contribution"), max_length=500, required=False)


class RowsFormSet(ExtraRowsFormSet):
    """Rows shown with a few blank ones to fill in; blank rows are skipped. The inputs of a row stand in a
    table without labels, so each carries its label as `aria-label`."""

    blank_rows = 3

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        for field in form.fields.values():
            field.widget.attrs["aria-label"] = str(field.label)
        return form

    def total_form_count(self) -> int:
        if self.is_bound:
            return super().total_form_count()
        return len(self.initial or ()) + self.blank_rows


IndicatorFormSet = formset_factory(IndicatorForm, formset=RowsFormSet, extra=0, max_num=50)
PartnerFormSet = formset_factory(PartnerForm, formset=RowsFormSet, extra=0, max_num=50)


class ProjectFileForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ProjectFile
        fields = ["file", "caption"]


class ProjectFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of project"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("any kind")), *ProjectKind.choices]
        self.fields["status"].choices = [("", _("any status")), *ProjectStatus.choices]
        _small(self)

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {n: data[n] for n in ("kind", "status", "year") if n not in self.errors and data.get(n)}


# --- Knigonosha -----------------------------------------------------------------------------------------


def volunteer_users(libraries: QuerySet) -> QuerySet:
    """Logins that may be linked to a volunteer: those with a volunteer role on one of the libraries."""
    return (
        get_user_model()
        .objects.filter(roles__kind=RoleKind.VOLUNTEER, roles__unit__in=libraries, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class VolunteerForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Volunteer
        fields = ["library", "full_name", "phone", "user", "is_active", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "user": _(
                "The volunteer's login, to see their deliveries: a user with a volunteer role on the library."
            )
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        libraries = selectors.managed_libraries(user)
        _units(self.fields["library"], libraries)
        users = Q(pk__in=volunteer_users(libraries).values("pk"))
        if self.instance.user_id:
            users |= Q(pk=self.instance.user_id)
        self.fields["user"].queryset = (
            get_user_model().objects.filter(users).order_by("last_name", "username")
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.username})"
        )
        if not self.instance.pk and len(libraries[:2]) == 1:
            self.initial.setdefault("library", libraries[0].pk)

    def volunteer_data(self) -> dict:
        return dict(self.cleaned_data)


class ReaderForm(BootstrapMixin, forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages of reading"),
        choices=ServiceLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = HomeReader
        fields = [
            "library",
            "full_name",
            "address",
            "phone",
            "reason",
            "reason_note",
            "interests",
            "genres",
            "languages",
            "consent_given_on",
            "consent_note",
            "volunteer",
            "served_since",
            "stopped_on",
            "note",
        ]
        widgets = {
            "consent_given_on": DateInput(),
            "served_since": DateInput(),
            "stopped_on": DateInput(),
            "interests": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        libraries = selectors.managed_libraries(user)
        _units(self.fields["library"], libraries)
        volunteers = Volunteer.objects.filter(library__in=libraries, is_active=True)
        if self.instance.volunteer_id:
            volunteers = volunteers | Volunteer.objects.filter(pk=self.instance.volunteer_id)
        self.fields["volunteer"].queryset = volunteers.select_related("library").order_by("full_name")
        self.fields["consent_given_on"].required = True
        self.fields["consent_given_on"].error_messages["required"] = _(
            "Record the date of the reader's consent to the processing of personal data: without it the "
            "reader cannot be recorded."
        )
        if not self.instance.pk and len(libraries[:2]) == 1:
            self.initial.setdefault("library", libraries[0].pk)

    def clean(self):
        data = super().clean()
        volunteer, library = data.get("volunteer"), data.get("library")
        if volunteer is not None and library is not None and volunteer.library_id != library.pk:
            self.add_error("volunteer", _("Choose a volunteer of the reader's library."))
        return data

    def reader_data(self) -> dict:
        return dict(self.cleaned_data)


class ReaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} · {obj.address}"


class ScheduleForm(BootstrapMixin, forms.ModelForm):
    readers = forms.ModelMultipleChoiceField(
        label=_("Readers"), queryset=HomeReader.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = DeliverySchedule
        fields = [
            "library",
            "name",
            "volunteer",
            "rule",
            "every",
            "weekday",
            "starts_on",
            "ends_on",
            "is_active",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        libraries = selectors.managed_libraries(user)
        _units(self.fields["library"], libraries)
        self.fields["volunteer"].queryset = Volunteer.objects.filter(library__in=libraries, is_active=True)
        readers = selectors.readers_personal(user).filter(library__in=libraries)
        self.fields["readers"].queryset = readers.order_by("full_name")
        self.fields["readers"].label_from_instance = lambda r: f"{r.full_name} · {r.address}"
        if self.instance.pk:
            self.initial.setdefault("readers", [r.pk for r in self.instance.readers.all()])
        elif len(libraries[:2]) == 1:
            self.initial.setdefault("library", libraries[0].pk)

    def schedule_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "readers"}


class PlanForm(forms.Form):
    until = forms.DateField(label=_("Plan up to"), widget=DateInput())

    def clean_until(self):
        until = self.cleaned_data["until"]
        today = timezone.localdate()
        if until < today:
            raise ValidationError(_("Choose a day from today on."))
        if (until - today).days > 366:
            raise ValidationError(_("Plan at most a year ahead."))
        return until


class DeliveryCardForm(BootstrapMixin, forms.Form):
    """A delivery planned (or recorded afterwards) by the library's staff."""

    reader = ReaderChoiceField(label=_("Reader"), queryset=HomeReader.objects.none())
    volunteer = forms.ModelChoiceField(
        label=_("Volunteer"),
        queryset=Volunteer.objects.none(),
        required=False,
        help_text=_("Empty: the reader's own volunteer."),
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"), choices=DeliveryStatus.choices, initial=DeliveryStatus.PLANNED
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        libraries = selectors.managed_libraries(user)
        readers = selectors.readers_personal(user).filter(library__in=libraries)
        self.fields["reader"].queryset = readers.order_by("full_name")
        self.fields["volunteer"].queryset = Volunteer.objects.filter(library__in=libraries).order_by(
            "full_name"
        )

    def clean(self):
        data = super().clean()
        reader, volunteer = data.get("reader"), data.get("volunteer")
        if reader is not None and volunteer is not None and volunteer.library_id != reader.library_id:
            self.add_error("volunteer", _("Choose a volunteer of the reader's library."))
        return data


class BroughtForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    author = forms.CharField(label=_("Author"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs.update({"class": "form-control", "placeholder": _("Title")})
        self.fields["author"].widget.attrs.update({"class": "form-control", "placeholder": _("Author")})

    def clean(self):
        data = super().clean()
        if data.get("author") and not data.get("title"):
            self.add_error("title", _("Write the title of the book."))
        return data


class BroughtFormSet(RowsFormSet):
    blank_rows = 4


BroughtItemsFormSet = formset_factory(BroughtForm, formset=BroughtFormSet, extra=0, max_num=50)


class DeliveryRecordForm(forms.Form):
    """How a delivery went, for the volunteer's phone: made or not, what was taken back, the notes."""

    status = forms.ChoiceField(
        label=_("How did it go?"),
        choices=[
            (DeliveryStatus.DONE, pgettext_lazy("delivery", "Delivered")),
            (DeliveryStatus.CANCELLED, pgettext_lazy("delivery", "Did not take place")),
            (DeliveryStatus.PLANNED, pgettext_lazy("delivery", "Still planned")),
        ],
        widget=forms.RadioSelect,
        initial=DeliveryStatus.DONE,
    )
    returned = forms.MultipleChoiceField(
        label=_("Taken back to the library"), required=False, widget=forms.CheckboxSelectMultiple
    )
    removed = forms.MultipleChoiceField(
        label=_("Strike out (typed by mistake)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Wishes of the reader for the next time, what to bring, how they feel."),
    )

    def __init__(self, *args, candidates, brought, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("returned", "removed"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        self.fields["returned"].choices = [(str(i.pk), str(i)) for i in candidates]
        self.fields["removed"].choices = [(str(i.pk), str(i)) for i in brought if i.returned_in_id is None]


class ReaderFilterForm(forms.Form):
    library = forms.TypedChoiceField(label=_("Library"), required=False, coerce=int, empty_value=None)
    volunteer = forms.TypedChoiceField(label=_("Volunteer"), required=False, coerce=int, empty_value=None)
    served = forms.ChoiceField(
        label=_("Served"),
        required=False,
        choices=[("", _("served now")), ("no", _("no longer served")), ("all", _("all readers"))],
    )

    def __init__(self, *args, libraries, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].choices = [("", _("all libraries")), *((u.pk, u.name) for u in libraries)]
        self.fields["volunteer"].choices = [
            ("", _("all volunteers")),
            *((v.pk, v.full_name) for v in volunteers),
        ]
        _small(self)

    def filters(self) -> dict:
        data = {}
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
        served = data.get("served", "")
        return {
            "library_id": data.get("library"),
            "volunteer_id": data.get("volunteer"),
            "served": {"": True, "no": False, "all": None}.get(served, True),
        }


class DeliveryFilterForm(PeriodUnitFilterForm):
    filter_names = ("under", "date_from", "date_to", "status")

    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["status"].choices = [("", _("any status")), *DeliveryStatus.choices]
        self.fields["status"].widget.attrs["class"] = "form-select form-select-sm"


class FiguresFilterForm(PeriodUnitFilterForm):
    pass
