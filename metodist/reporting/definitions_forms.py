"""Forms of the definition pages: an indicator, a form's header, an assignment, a rule, and the rows of a
form's layout (section headings and fields, in the order they are shown)."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.network.models import TERRITORY_KINDS, OrgUnit, UnitKind
from metodist.reporting import definitions_services as services
from metodist.reporting.models import NUMERIC_TYPES, Indicator, ReportForm, ValidationRule
from metodist.reporting.selectors import MANAGE_FORMS

LAYOUT_PREFIX = "rows"
LAYOUT_FIELDS = ("kind", "name_ru", "name_kk", "name_en", "indicator", "required", "carry_from")
MAX_ROWS = 300
SECTION, FIELD = "section", "field"
# The kinds of unit that report; a territory is assigned "units of these kinds under it".
REPORTING_KINDS = [
    UnitKind.LIBRARY,
    UnitKind.ONLINE_CENTRE,
    UnitKind.COLLEGE_LIBRARY,
    UnitKind.SCHOOL_LIBRARY,
    UnitKind.DEPARTMENT,
]


class IndicatorForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_ru",
            "name_kk",
            "name_en",
            "description",
            "value_type",
            "measure",
            "aggregation",
            "category_set",
            "allow_negative",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "code": _("Used in rules and in the columns of uploads; it cannot change later."),
            "aggregation": _("How the figures of several units and periods add up."),
        }

    def __init__(self, *args, has_values: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
        if has_values:
            for name in services.VALUE_SHAPING:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Values are already stored: this cannot change any more.")


class ReportFormForm(BootstrapMixin, forms.ModelForm):
    """The header of a report form."""

    class Meta:
        model = ReportForm
        fields = [
            "code",
            "name_ru",
            "name_kk",
            "name_en",
            "description",
            "period_type",
            "deadline_days",
            "is_open",
            "entry_closed_before",
            "outlier_factor",
            "outlier_window",
            "order",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "entry_closed_before": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "entry_closed_before": _(
                "Nothing can be entered or changed in periods that end before this day."
            ),
            "outlier_factor": _(
                "Warn when a value is more than this many times the unit's usual one (0 switches it off)."
            ),
        }

    def __init__(self, *args, has_reports: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
        if has_reports:
            self.fields["period_type"].disabled = True
            self.fields["period_type"].help_text = _("Reports are already filed: the period cannot change.")


class UnitCodeField(forms.CharField):
    """A unit named by its code (a list suggests the territories); it must be in the user's scope."""

    def __init__(self, *args, **kwargs):
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self, value):
        code = super().clean(value).strip()
        unit = OrgUnit.objects.filter(code__iexact=code, archived_at__isnull=True).first()
        if unit is None or not scope.covers(self.user, unit, MANAGE_FORMS):
            raise ValidationError(_("No unit with this code in your part of the network."))
        return unit


class AssignmentForm(BootstrapMixin, forms.Form):
    unit = UnitCodeField(
        label=_("Unit (code)"),
        max_length=40,
        help_text=_("A territory (e.g. the region or a district) or one library."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of units that report"),
        required=False,
        choices=[(kind.value, kind.label) for kind in REPORTING_KINDS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Units of these kinds under the unit report; none ticked: the unit itself reports."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user
        self.fields["unit"].widget.attrs["list"] = "assignment-units"
        self.fields["kinds"].widget.attrs["class"] = "form-check-input"
        self.suggestions = (
            scope.units(user, MANAGE_FORMS)
            .filter(kind__in=TERRITORY_KINDS, archived_at__isnull=True)
            .exclude(kind=UnitKind.SETTLEMENT)
            .order_by("path")
            .only("code", "name_ru", "name_kk", "name_en")[:500]
        )


class RuleForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ValidationRule
        fields = ["expression", "severity", "message_ru", "message_kk", "message_en", "is_active"]
        help_texts = {
            "expression": _(
                "Compare two sides with < <= > >= == !=, e.g. lib_visits >= lib_users; "
                "a part of a split indicator is code.part, e.g. lib_loans.kk."
            ),
        }

    def __init__(self, *args, report_form: ReportForm, **kwargs):
        super().__init__(*args, **kwargs)
        self.report_form = report_form
        self.fields["expression"].widget.attrs.update(
            {"class": "form-control font-monospace", "spellcheck": "false"}
        )

    def clean_expression(self):
        try:
            return services.check_expression(self.report_form, self.cleaned_data.get("expression", ""))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["expression"]) from exc

    def _post_clean(self):
        # The model's clean parses the expression again; the form already said what is wrong with it.
        self.instance.form = self.report_form
        super()._post_clean()
        if "expression" in self._errors:
            self._errors["expression"].data = self._errors["expression"].data[:1]


# --- the layout: section headings and fields, one row each ---------------------------------------------


def _indicator_label(indicator: Indicator) -> str:
    return f"{indicator.code} — {indicator.name}"


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _indicator_label(obj)


class LayoutRowForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(choices=[(SECTION, SECTION), (FIELD, FIELD)], widget=forms.HiddenInput)
    name_ru = forms.CharField(label=_("name (Russian)"), required=False, max_length=300)
    name_kk = forms.CharField(label=_("name (Kazakh)"), required=False, max_length=300)
    name_en = forms.CharField(label=_("name (English)"), required=False, max_length=300)
    indicator = IndicatorChoiceField(
        label=_("indicator"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("— choose an indicator —"),
    )
    required = forms.BooleanField(label=_("required"), required=False)
    carry_from = IndicatorChoiceField(
        label=_("equals last period's"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("— not carried over —"),
    )

    def __init__(self, *args, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["carry_from"].queryset = indicators.filter(value_type__in=NUMERIC_TYPES)
        for name in ("indicator", "carry_from"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        for name in ("name_ru", "name_kk", "name_en"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"

    @property
    def is_section(self) -> bool:
        return (self["kind"].value() or FIELD) == SECTION

    def clean(self):
        data = super().clean()
        if data.get("kind") == SECTION and not (data.get("name_ru") or "").strip():
            self.add_error("name_ru", _("Name the section in Russian."))
        return data


class LayoutFormSet(BaseFormSet):
    """The rows as shown: a section heading starts a section, the field rows after it belong to it.
    Every row is an "extra" row, so rows come back in the order they were shown; a field row without an
    indicator is left out."""

    def __init__(self, *args, indicators=None, **kwargs):
        self.indicators = indicators
        super().__init__(*args, **kwargs)

    def initial_form_count(self) -> int:
        return 0

    def total_form_count(self) -> int:
        if self.is_bound:
            return min(super().total_form_count(), MAX_ROWS)
        return len(self.initial or ())

    def get_form_kwargs(self, index):
        return {"indicators": self.indicators}

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.empty_permitted = False
        form.use_required_attribute = False
        return form

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            indicators=self.indicators,
        )
        self.add_fields(form, None)
        return form

    def sections(self) -> list[services.SectionInput]:
        """The layout for `definitions_services.form_fields_save` (call after is_valid)."""
        sections: list[services.SectionInput] = []
        for form in self.forms:
            data = form.cleaned_data
            if data.get("kind") == SECTION:
                sections.append(
                    services.SectionInput(
                        data.get("name_ru", "").strip(),
                        data.get("name_kk", "").strip(),
                        data.get("name_en", "").strip(),
                    )
                )
            elif data.get("indicator") is not None:
                if not sections:
                    raise ValidationError(_("Start the form with a section heading."))
                sections[-1].fields.append(
                    services.FieldInput(data["indicator"], bool(data.get("required")), data.get("carry_from"))
                )
        return sections


LayoutRowFormSet = formset_factory(LayoutRowForm, formset=LayoutFormSet, extra=0, max_num=MAX_ROWS)


def layout_initial(sections: list[services.SectionInput]) -> list[dict]:
    rows = []
    for section in sections:
        rows.append(
            {
                "kind": SECTION,
                "name_ru": section.name_ru,
                "name_kk": section.name_kk,
                "name_en": section.name_en,
            }
        )
        for form_field in section.fields:
            rows.append(
                {
                    "kind": FIELD,
                    "indicator": form_field.indicator.pk,
                    "required": form_field.required,
                    "carry_from": form_field.carry_from.pk if form_field.carry_from else None,
                }
            )
    return rows


def typed_rows(data) -> list[dict]:
    """The rows of a submitted layout as they were typed, to show them again after a row action."""
    try:
        total = min(int(data.get(f"{LAYOUT_PREFIX}-TOTAL_FORMS", 0)), MAX_ROWS)
    except ValueError:
        total = 0
    return [
        {name: data.get(f"{LAYOUT_PREFIX}-{i}-{name}", "") for name in LAYOUT_FIELDS} for i in range(total)
    ]


def apply_row_action(rows: list[dict], action: str) -> list[dict]:
    """`section` adds a heading at the end; `field-i` adds a field at the end of row i's section;
    `remove-i`, `up-i`, `down-i` remove or move row i."""
    verb, _sep, index = action.partition("-")
    position = int(index) if index.isdigit() else -1
    if verb == SECTION:
        rows.append({"kind": SECTION, "name_ru": "", "name_kk": "", "name_en": ""})
    elif verb == FIELD and 0 <= position < len(rows):
        end = position + 1
        while end < len(rows) and rows[end].get("kind") != SECTION:
            end += 1
        rows.insert(end, {"kind": FIELD, "required": "on"})
    elif verb == "remove" and 0 <= position < len(rows):
        rows.pop(position)
    elif verb in {"up", "down"} and 0 <= position < len(rows):
        target = position - 1 if verb == "up" else position + 1
        if 0 <= target < len(rows):
            rows[position], rows[target] = rows[target], rows[position]
    return rows


class LayoutNoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=300,
        help_text=_("Kept with the version, e.g. “added remote users”."),
    )
