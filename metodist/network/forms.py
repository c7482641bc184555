"""Forms of the network registry pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from metodist.core.forms import BootstrapMixin
from metodist.network.models import (
    LibraryPassport,
    OrgUnit,
    QualificationRecord,
    ServiceLanguage,
    StaffMember,
    UnitKind,
)
from metodist.network.services import CARD_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class UnitForm(BootstrapMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    languages = forms.MultipleChoiceField(
        label=_("Languages of service"),
        choices=ServiceLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = OrgUnit
        fields = CARD_FIELDS
        widgets = {
            "opened_on": DateInput(),
            "closed_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, can_restructure: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_restructure:
            # A librarian edits her library's card but not what places it in the network.
            for name in ("code", "kind"):
                self.fields[name].disabled = True

    def card_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in CARD_FIELDS if name in self.cleaned_data}


class MoveForm(BootstrapMixin, forms.Form):
    new_parent = forms.ModelChoiceField(
        label=_("New parent unit"), queryset=OrgUnit.objects.none(), to_field_name="code"
    )

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents
        self.fields["new_parent"].label_from_instance = lambda u: f"{u.name} ({u.code})"


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all kinds")), *UnitKind.choices]
    )
    district = forms.ModelChoiceField(
        label=_("District or city"),
        required=False,
        queryset=OrgUnit.objects.none(),
        empty_label=_("whole network"),
    )
    archived = forms.BooleanField(label=_("Show archived"), required=False)

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        for name in ("q",):
            self.fields[name].widget.attrs.update({"class": "form-control", "type": "search"})
        self.fields["kind"].widget.attrs["class"] = "form-select"
        self.fields["district"].widget.attrs["class"] = "form-select"
        self.fields["archived"].widget.attrs["class"] = "form-check-input"

    @property
    def is_searching(self) -> bool:
        if not self.is_valid():
            return False
        data = self.cleaned_data
        return bool(data.get("q") or data.get("kind") or data.get("district"))


class StaffMemberForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = ["full_name", "position", "education", "started_on", "left_on", "phone", "email"]
        widgets = {"started_on": DateInput(), "left_on": DateInput()}


class QualificationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = QualificationRecord
        fields = ["title", "kind", "provider", "started_on", "ended_on", "hours", "certificate_number"]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}


class PassportForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = LibraryPassport
        fields = [
            "floor_area",
            "premises_condition",
            "access_vision",
            "access_hearing",
            "access_mobility",
            "computers",
            "computers_for_users",
            "internet",
            "internet_speed_mbps",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
