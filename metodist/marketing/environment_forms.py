"""Forms of environment analysis: the card of an analysis and an item of its grid."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from metodist.core.forms import BootstrapMixin
from metodist.marketing import environment
from metodist.marketing.models.environment import (
    MAX_WEIGHT,
    MAX_YEAR,
    MIN_WEIGHT,
    MIN_YEAR,
    AnalysisKind,
    EnvironmentAnalysis,
)
from metodist.network.models import OrgUnit

WEIGHTS = [(w, str(w)) for w in range(MIN_WEIGHT, MAX_WEIGHT + 1)]


class AnalysisForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    kind = forms.ChoiceField(label=pgettext_lazy("analysis", "Kind"), choices=AnalysisKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    summary = forms.CharField(
        label=_("Conclusions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    copy_previous = forms.BooleanField(
        label=_("Copy the items of the previous year's analysis"), required=False, initial=True
    )

    def __init__(self, *args, user, analysis: EnvironmentAnalysis | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = environment.manager_units(user)
        if analysis is not None:
            for name in ("unit", "year", "kind", "copy_previous"):
                del self.fields[name]
        elif not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)

    def analysis_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("unit", "year", "kind", "title", "summary")
            if name in self.cleaned_data
        }


class ItemForm(BootstrapMixin, forms.Form):
    quadrant = forms.ChoiceField(label=_("Quadrant"))
    text = forms.CharField(
        label=pgettext_lazy("analysis item", "Factor"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.TypedChoiceField(label=_("Weight"), choices=WEIGHTS, coerce=int, initial=3)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Figures, facts, sources that support the item."),
    )
    indicator_code = forms.ChoiceField(label=_("Figure of the reports"), required=False)
    indicator_year = forms.IntegerField(
        label=_("Year of the figure"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    survey = forms.ModelChoiceField(label=_("Survey"), required=False, queryset=None)

    def __init__(self, *args, analysis: EnvironmentAnalysis, user, **kwargs):
        super().__init__(*args, **kwargs)
        from metodist.marketing import surveys
        from metodist.reporting.models import Indicator

        self.fields["quadrant"].choices = [(code, name) for code, name, _hint in analysis.quadrants]
        indicators = Indicator.objects.order_by("code")
        self.fields["indicator_code"].choices = [("", "—")] + [
            (i.code, f"{i.name} ({i.code})") for i in indicators
        ]
        self.fields["survey"].queryset = surveys.surveys_visible(user).order_by("-created_at")
        self.fields["survey"].label_from_instance = lambda s: s.title

    def clean(self):
        data = super().clean()
        if data.get("indicator_code") and not data.get("indicator_year"):
            self.add_error("indicator_year", _("Name the year of the figure."))
        if data.get("indicator_year") and not data.get("indicator_code"):
            self.add_error("indicator_code", _("Choose the indicator of the figure."))
        return data

    def item_data(self) -> dict:
        return dict(self.cleaned_data)
