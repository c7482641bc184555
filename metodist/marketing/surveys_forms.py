"""Forms of the survey builder and of the results: the survey card, a copy (from a template or as a new
wave), a section, a question with its options written one a line, public links, the results filters.

Pickers offer only what the user may choose; the services in `metodist.marketing.surveys` check again.
"""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from metodist.core.forms import BootstrapMixin
from metodist.marketing import surveys
from metodist.marketing.models import Question, ResponseSource, Section, Survey
from metodist.marketing.models.surveys import CHOICE_KINDS, CLOSED_KINDS
from metodist.marketing.surveys_answers import DateInput
from metodist.network.models import OrgUnit


def unit_label(unit: OrgUnit, base_depth: int = 1) -> str:
    # Indentation shows the tree in a flat select.
    return "\u2003" * max(unit.depth - base_depth, 0) + unit.name


def _units_field(field: forms.ModelChoiceField, units: QuerySet) -> None:
    units = list(units[: surveys.PICKER_LIMIT])
    base = min((u.depth for u in units), default=1)
    field.queryset = OrgUnit.objects.filter(pk__in=[u.pk for u in units]).order_by("path")
    field.label_from_instance = lambda u: unit_label(u, base)


class SurveyForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = surveys.SURVEY_FIELDS
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "intro_ru": forms.Textarea(attrs={"rows": 3}),
            "intro_kk": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _units_field(self.fields["unit"], surveys.manager_units(user))
        self.fields["unit"].required = True
        self.fields["previous_wave"].queryset = surveys.wave_candidates(user, self.instance)
        self.fields["previous_wave"].help_text = _(
            "The earlier run of the same survey: the results compare the two question by question."
        )

    def survey_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in surveys.SURVEY_FIELDS}


class CopyForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("run by"), queryset=OrgUnit.objects.none())
    title_ru = forms.CharField(label=_("title (Russian)"), max_length=300)
    title_kk = forms.CharField(label=_("title (Kazakh)"), max_length=300, required=False)

    def __init__(self, *args, user, source: Survey, **kwargs):
        kwargs.setdefault(
            "initial",
            {"title_ru": source.title_ru, "title_kk": source.title_kk, "unit": source.unit_id},
        )
        super().__init__(*args, **kwargs)
        _units_field(self.fields["unit"], surveys.manager_units(user))


class SectionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Section
        fields = ("title_ru", "title_kk")


class QuestionForm(BootstrapMixin, forms.ModelForm):
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One a line, the Kazakh text after a vertical bar: “в выходные дни | демалыс күндері”. For a "
            "matrix, the lines are the rows rated on the scale. Rewording a line keeps its answers."
        ),
    )

    class Meta:
        model = Question
        fields = surveys.QUESTION_FIELDS
        widgets = {"text_ru": forms.Textarea(attrs={"rows": 2}), "text_kk": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.fields["section"].queryset = survey.sections.all()
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Small Latin letters; left empty, it is numbered (q1, q2…).")
        # Only an option of a choice question asked before this one can decide whether it is asked.
        ordered = surveys.questions_of(survey)
        if self.instance.pk:
            ordered = ordered[
                : next((i for i, q in enumerate(ordered) if q.pk == self.instance.pk), len(ordered))
            ]
        earlier = [q for q in ordered if q.kind in CHOICE_KINDS]
        field = self.fields["show_if"]
        field.queryset = field.queryset.model.objects.filter(question__in=earlier).select_related("question")
        field.label_from_instance = lambda c: f"{c.question.text_ru[:60]} → {c.text_ru}"
        field.help_text = _("Leave empty to ask everyone.")
        if not self.is_bound:
            self.initial["options"] = surveys.options_text(self.instance)

    def question_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in surveys.QUESTION_FIELDS}

    def option_list(self) -> list[surveys.Option]:
        return surveys.parse_options(self.cleaned_data.get("options", ""))


class LinksForm(BootstrapMixin, forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Libraries"),
        queryset=OrgUnit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Each library gets its own address and QR code; its answers are counted for it."),
    )

    def __init__(self, *args, user, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        linked = survey.links.values("unit_id")
        _units_field(self.fields["units"], surveys.link_units(user).exclude(pk__in=linked))


class ResultsFilterForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Library"), queryset=OrgUnit.objects.none(), required=False)
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[("", pgettext_lazy("source of responses", "all")), *ResponseSource.choices],
    )
    since = forms.DateField(label=pgettext_lazy("period", "from"), required=False, widget=DateInput())
    until = forms.DateField(label=pgettext_lazy("period", "to"), required=False, widget=DateInput())

    def __init__(self, *args, user, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        units = [link.unit for link in surveys.links_visible(user, survey)]
        self.fields["unit"].queryset = OrgUnit.objects.filter(pk__in=[u.pk for u in units]).order_by("path")
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


def filter_responses(responses: QuerySet, *, unit=None, source: str = "", since=None, until=None) -> QuerySet:
    if unit is not None:
        responses = responses.filter(unit=unit)
    if source:
        responses = responses.filter(source=source)
    if since is not None:
        responses = responses.filter(submitted_at__date__gte=since)
    if until is not None:
        responses = responses.filter(submitted_at__date__lte=until)
    return responses


def closed_questions(questions: list[Question]) -> list[Question]:
    return [q for q in questions if q.kind in CLOSED_KINDS]
