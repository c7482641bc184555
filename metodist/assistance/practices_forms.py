"""Forms of the bank of best practices: the card (with new evidence files), the result figures as an inline
formset, the review status, the adoption by a library, and the filters of the list.

Pickers offer only what the user may choose; the services in `metodist.assistance.practices` check again.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metodist.assistance import practices
from metodist.assistance.forms import _unit_field
from metodist.assistance.models import Direction, Practice, PracticeAdoption, PracticeFile, PracticeStatus
from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.events.forms import DateInput, unit_choices, unit_label
from metodist.events.models import FormOfWork
from metodist.events.services import DOCUMENT_EXTENSIONS, check_upload
from metodist.network.models import OrgUnit

FIGURES_EXTRA = 3
MAX_FILES = 20
MAX_REASON = 2000
PICKER_LIMIT = 2000


def _directions(instance: Practice | None = None) -> QuerySet:
    qs = Direction.objects.filter(is_active=True)
    if instance is not None and instance.pk:
        qs = qs | Direction.objects.filter(practices=instance)
    return qs.distinct().order_by("order", "name_ru")


def _forms_of_work(instance: Practice | None = None) -> QuerySet:
    qs = FormOfWork.objects.filter(is_active=True)
    if instance is not None and instance.pk:
        qs = qs | FormOfWork.objects.filter(practices=instance)
    return qs.distinct().order_by("name_ru")


def _small(form: forms.Form) -> None:
    for f in form.fields.values():
        f.widget.attrs["class"] = (
            "form-select form-select-sm"
            if isinstance(f.widget, forms.Select)
            else "form-control form-control-sm"
        )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list, each checked by size and content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ",".join(f".{e}" for e in DOCUMENT_EXTENSIONS)})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not uploads:
            return []
        if len(uploads) > MAX_FILES:
            raise ValidationError(_("At most %(count)s files at once.") % {"count": MAX_FILES})
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(super().clean(upload, initial))
                check_upload(upload)
            except ValidationError as exc:
                errors += [f"{upload.name}: {message}" for message in exc.messages]
        if errors:
            raise ValidationError(errors)
        return cleaned


class PracticeForm(BootstrapMixin, forms.ModelForm):
    """The card. The view passes `practice_data()`, directions, forms of work and files to the services."""

    files = MultipleFileField(
        label=_("Add evidence files"),
        help_text=_(
            "Photos, scans, PDF or Office documents, up to 50 MB each; several may be chosen at once."
        ),
    )
    remove_files = forms.ModelMultipleChoiceField(
        label=_("Remove files"),
        queryset=PracticeFile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(),
    )

    class Meta:
        model = Practice
        fields = [
            "unit",
            "title",
            "problem",
            "actions",
            "results",
            "period_start",
            "period_end",
            "evidence",
            "directions",
            "forms_of_work",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.Textarea(attrs={"rows": 5}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
            "period_start": DateInput(),
            "period_end": DateInput(),
            "directions": forms.CheckboxSelectMultiple(),
            "forms_of_work": forms.SelectMultiple(attrs={"size": 8}),
        }
        labels = {
            "problem": _("Problem: what did not work"),
            "results": _("Results in words"),
            "evidence": _("Evidence: where to see it (publications, links, documents)"),
        }
        help_texts = {
            "results": _("The figures go in the table below."),
            "forms_of_work": _("Hold Ctrl (⌘ on a Mac) to choose several."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = practices.proposing_units(user)
        if self.instance.pk:
            units = units | OrgUnit.objects.filter(pk=self.instance.unit_id)
        _unit_field(self.fields["unit"], units)
        self.fields["unit"].label = _("Library")
        self.fields["directions"].queryset = _directions(self.instance)
        self.fields["directions"].label_from_instance = lambda d: d.name
        self.fields["forms_of_work"].queryset = _forms_of_work(self.instance)
        self.fields["forms_of_work"].label_from_instance = lambda f: f.name
        if self.instance.pk and self.instance.files.exists():
            self.fields["remove_files"].queryset = self.instance.files.all()
            self.fields["remove_files"].label_from_instance = lambda f: str(f)
        else:
            del self.fields["remove_files"]

    def practice_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in practices.PRACTICE_FIELDS}

    def new_files(self) -> list:
        return self.cleaned_data.get("files") or []

    def removed_files(self) -> list[int]:
        return [f.pk for f in self.cleaned_data.get("remove_files") or []]


class FigureForm(BootstrapMixin, forms.Form):
    label = forms.CharField(label=_("Figure"), max_length=300)
    before = forms.DecimalField(label=_("Before"), max_digits=14, decimal_places=2, required=False)
    after = forms.DecimalField(label=_("After"), max_digits=14, decimal_places=2)
    measure = forms.CharField(label=_("Unit of measure"), max_length=60, required=False)


FigureFormSet = forms.formset_factory(FigureForm, extra=FIGURES_EXTRA, can_delete=True)


def _plain(value: Decimal | None) -> Decimal | None:
    """64.00 → 64 and 1.50 → 1.5 in the form (never 1E+2)."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def figures_initial(practice: Practice | None) -> list[dict]:
    if practice is None:
        return []
    return [
        {"label": f.label, "before": _plain(f.before), "after": _plain(f.after), "measure": f.measure}
        for f in practice.figures.all()
    ]


def filled(formset) -> list[dict]:
    """The rows the user filled in and did not mark for removal (empty extra rows are skipped)."""
    return [
        {name: f.cleaned_data.get(name) for name in practices.FIGURE_FIELDS}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class StatusForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the practice goes back to an earlier status."),
    )

    def __init__(self, *args, practice: Practice, **kwargs):
        super().__init__(*args, **kwargs)
        forward, back = practices.status_targets(practice)
        self.forward = forward
        choices = [(forward.value, forward.label)] if forward else []
        choices += [(s.value, _("back to: %(status)s") % {"status": s.label}) for s in back]
        self.fields["status"].choices = choices


class AdoptionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = PracticeAdoption
        fields = ["unit", "adopted_on", "result"]
        widgets = {"adopted_on": DateInput(), "result": forms.Textarea(attrs={"rows": 4})}
        labels = {"result": _("With what result")}
        help_texts = {"result": _("What changed in the library, with figures where you have them.")}

    def __init__(self, *args, user, practice: Practice, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["unit"]
        else:
            units = practices.adoptable_units(user, practice)
            _unit_field(self.fields["unit"], units)
            self.fields["unit"].label = _("Library that adopted the practice")
            if not self.initial.get("unit") and len(units[:2]) == 1:
                self.initial["unit"] = units[0].pk
            if not self.initial.get("adopted_on"):
                self.initial["adopted_on"] = timezone.localdate()


class PracticeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    direction = forms.ModelChoiceField(
        label=_("Direction"), required=False, queryset=Direction.objects.all(), to_field_name="code"
    )
    under = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["status"].choices = [("", _("any status")), *PracticeStatus.choices]
        self.fields["direction"].queryset = Direction.objects.order_by("order", "name_ru")
        self.fields["direction"].label_from_instance = lambda d: d.name
        self.fields["direction"].empty_label = _("any direction")
        self.fields["under"].choices = [("", _("the whole network")), *unit_choices(user)]
        _small(self)

    def clean_under(self):
        pk = self.cleaned_data.get("under")
        if pk is None:
            return None
        try:
            return scope.units(self.user).get(pk=pk)
        except OrgUnit.DoesNotExist as exc:
            raise ValidationError(_("Choose a unit of your part of the network.")) from exc

    def filters(self) -> dict:
        """The filters to apply; an invalid field filters nothing."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        names = {"q": "text", "status": "status", "direction": "direction", "under": "under"}
        return {
            key: data.get(name)
            for name, key in names.items()
            if name not in self.errors and data.get(name) not in (None, "")
        }


class NextForm(forms.Form):
    """The library picker of "could adopt next"; the view looks the chosen unit up through the scope."""

    unit = forms.ChoiceField(label=_("Library"))

    def __init__(self, *args, user, selected: OrgUnit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        units = list(practices.next_units(user)[:PICKER_LIMIT])
        if selected is not None and all(u.pk != selected.pk for u in units):
            units.append(selected)
        base = min((u.depth for u in units), default=1)
        self.fields["unit"].choices = [(str(u.pk), unit_label(u, base)) for u in units]
        _small(self)


class ShowcaseForm(forms.Form):
    direction = forms.ModelChoiceField(
        label=_("Direction"), required=False, queryset=Direction.objects.all(), to_field_name="code"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = Direction.objects.order_by("order", "name_ru")
        self.fields["direction"].label_from_instance = lambda d: d.name
        self.fields["direction"].empty_label = _("all directions")
        _small(self)
