"""Forms of field visits: the visit card, the inline findings and recommendations, the list filters and the
answer of a unit to a recommendation. Pickers offer only units of the user's scope; the services check again.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from metodist.assistance.forms import _unit_field
from metodist.assistance.models import (
    Direction,
    FieldVisit,
    Recommendation,
    RecommendationStatus,
    VisitStatus,
)
from metodist.assistance.visits import MANAGE
from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.events.forms import DateInput, unit_choices
from metodist.network.models import OrgUnit, UnitKind

FINDINGS_EXTRA = 3
RECOMMENDATIONS_EXTRA = 2


def _directions():
    return Direction.objects.filter(is_active=True).order_by("order", "name_ru")


class VisitForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = FieldVisit
        fields = [
            "start",
            "end",
            "organiser_unit",
            "destinations",
            "purpose",
            "team",
            "transport",
            "status",
            "people_met",
        ]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "people_met": forms.Textarea(attrs={"rows": 2}),
            "destinations": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = scope.units(user, MANAGE)
        seen = scope.units(user)
        if self.instance.pk:
            own = own | OrgUnit.objects.filter(pk=self.instance.organiser_unit_id)
            seen = seen | self.instance.destinations.all()
        _unit_field(self.fields["organiser_unit"], own)
        _unit_field(self.fields["destinations"], seen.exclude(kind=UnitKind.REGION).distinct())

    def visit_data(self) -> dict:
        return {n: self.cleaned_data[n] for n in self.Meta.fields if n != "destinations"}


class _InlineForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = _directions()
        self.fields["direction"].label_from_instance = lambda d: d.name
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.fields["unit"].label_from_instance = lambda u: u.name


class FindingForm(_InlineForm):
    direction = forms.ModelChoiceField(label=_("Direction"), queryset=Direction.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    text = forms.CharField(label=_("What was checked and found"), widget=forms.Textarea(attrs={"rows": 2}))


class RecommendationForm(_InlineForm):
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}))
    direction = forms.ModelChoiceField(
        label=_("Direction"), queryset=Direction.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(label=_("Unit that must act"), queryset=OrgUnit.objects.none())
    due = forms.DateField(label=_("Due date"), widget=DateInput())


FindingFormSet = forms.formset_factory(FindingForm, extra=FINDINGS_EXTRA)
RecommendationFormSet = forms.formset_factory(RecommendationForm, extra=RECOMMENDATIONS_EXTRA)


def filled(formset) -> list[dict]:
    """The rows the user filled in (empty extra rows are skipped by the formset)."""
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class VisitFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    year = forms.IntegerField(label=_("Year of the plan"), required=False, min_value=2000, max_value=2100)
    months = forms.IntegerField(
        label=_("Not visited for, months"), required=False, min_value=1, max_value=120
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].choices = [("", _("all units")), *unit_choices(user)]
        self.fields["status"].choices = [("", _("any status")), *VisitStatus.choices]
        for field in self.fields.values():
            small = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = small

    def clean_unit(self):
        pk = self.cleaned_data.get("unit")
        if pk is None:
            return None
        try:
            return scope.units(self.user).get(pk=pk)
        except OrgUnit.DoesNotExist as exc:
            raise ValidationError(_("Choose a unit of your part of the network.")) from exc

    def value(self, name: str, default=None):
        if not self.is_bound or not self.is_valid():
            return self.initial.get(name, default) if not self.is_bound else default
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


class AnswerForm(BootstrapMixin, forms.ModelForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in (RecommendationStatus.IN_PROGRESS, RecommendationStatus.DONE)],
    )

    class Meta:
        model = Recommendation
        fields = ["answer", "status"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True
