"""Forms of the annual plan: a new plan, the plan's items as an inline formset, the list and roll-up filters.

Pickers offer only units of the user's scope; the services in `metodist.assistance.plans` check again.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from metodist.assistance import plans
from metodist.assistance.forms import _unit_field
from metodist.assistance.models import Direction, Plan, PlanItem, PlanItemKind
from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.events.forms import DateInput, unit_choices
from metodist.events.models import FormOfWork
from metodist.network.models import OrgUnit

ITEM_ROWS_EXTRA = 3
MAX_ITEMS = 500


def default_year(today=None) -> int:
    """From November on, people plan the next year."""
    today = today or timezone.localdate()
    return today.year + 1 if today.month >= 11 else today.year


def _month_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((str(m), MONTHS[m]) for m in range(1, 13))]


def _quarter_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((str(q), plans.ROMAN[q]) for q in plans.QUARTERS)]


class PlanCreateForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    copy_previous = forms.BooleanField(
        label=_("Copy the items of last year's plan"),
        required=False,
        help_text=_("Months and quarters are kept; dates move on by a year."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("year", default_year())
        super().__init__(*args, **kwargs)
        _unit_field(self.fields["unit"], plans.units_to_plan(user))


class PlanNoteForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class PlanItemForm(BootstrapMixin, forms.ModelForm):
    month = forms.TypedChoiceField(label=_("Month"), required=False, coerce=int, empty_value=None)
    quarter = forms.TypedChoiceField(label=_("Quarter"), required=False, coerce=int, empty_value=None)

    class Meta:
        model = PlanItem
        fields = [
            "order",
            "direction",
            "kind",
            "form_of_work",
            "title",
            "month",
            "quarter",
            "due",
            "target",
            "responsible",
        ]
        widgets = {"due": DateInput(), "order": forms.NumberInput(attrs={"min": 0})}

    def __init__(self, *args, directions=(), forms_of_work=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = _month_choices()
        self.fields["quarter"].choices = _quarter_choices()
        self.fields["kind"].choices = [("", "—"), *PlanItemKind.choices]
        # The querysets validate; the lists (read once for the whole formset) render.
        self.fields["direction"].queryset = Direction.objects.all()
        self.fields["direction"].choices = [("", _("general work")), *directions]
        self.fields["form_of_work"].queryset = FormOfWork.objects.all()
        self.fields["form_of_work"].choices = [("", "—"), *forms_of_work]
        self.fields["order"].required = False

    def clean_order(self):
        return self.cleaned_data.get("order") or 0

    def clean(self):
        data = super().clean()
        month, quarter = data.get("month"), data.get("quarter")
        if month and not quarter:
            data["quarter"] = plans.quarter_of(month)
        due, plan = data.get("due"), getattr(self.instance, "plan", None)
        if due and plan is not None and due.year != plan.year:
            self.add_error("due", _("The date must fall in the plan's year."))
        return data

    def item_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


def item_choice_lists(plan: Plan) -> dict:
    """The directions and forms of work to offer (the active ones and those the plan already uses)."""
    used = plan.items.values("direction_id", "form_of_work_id") if plan.pk else []
    used_directions = {row["direction_id"] for row in used if row["direction_id"]}
    used_forms = {row["form_of_work_id"] for row in used if row["form_of_work_id"]}
    directions = Direction.objects.filter(is_active=True) | Direction.objects.filter(pk__in=used_directions)
    forms_of_work = FormOfWork.objects.filter(is_active=True) | FormOfWork.objects.filter(pk__in=used_forms)
    return {
        "directions": [(d.pk, d.name) for d in directions.distinct().order_by("order", "name_ru")],
        "forms_of_work": sorted(((f.pk, f.name) for f in forms_of_work.distinct()), key=lambda c: c[1]),
    }


def item_formset(plan: Plan, data=None, *, extra: int = ITEM_ROWS_EXTRA):
    formset_class = forms.inlineformset_factory(
        Plan,
        PlanItem,
        form=PlanItemForm,
        extra=extra,
        can_delete=True,
        max_num=MAX_ITEMS,
        validate_max=True,
    )
    queryset = plan.items.select_related("direction", "form_of_work").order_by(
        "direction__order", "order", "id"
    )
    return formset_class(
        data, instance=plan, queryset=queryset, prefix="items", form_kwargs=item_choice_lists(plan)
    )


def formset_changes(formset) -> tuple[list[dict], list[tuple[PlanItem, dict]], list[PlanItem]]:
    """(added, changed, deleted) of a valid formset, for `plans.plan_items_save`."""
    added, changed, deleted = [], [], []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        if form.cleaned_data.get("DELETE"):
            if form.instance.pk:
                deleted.append(form.instance)
            continue
        if form.instance.pk:
            if form.has_changed():
                changed.append((form.instance, form.item_data()))
        else:
            added.append(form.item_data())
    return added, changed, deleted


class PlanListFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["class"] = "form-control form-control-sm"


class RollupForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, user, selected: OrgUnit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].choices = unit_choices(user, selected=selected)
        self.fields["unit"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["year"].widget.attrs["class"] = "form-control form-control-sm"

    def clean_unit(self):
        pk = self.cleaned_data.get("unit")
        if pk is None:
            return None
        try:
            return plans.rollup_units(self.user).get(pk=pk)
        except OrgUnit.DoesNotExist as exc:
            raise ValidationError(_("Choose a unit of your part of the network.")) from exc


def first_unit(user) -> OrgUnit | None:
    """The unit the roll-up opens on: the top of the user's scope."""
    return scope.roots(user).filter(archived_at__isnull=True).first()
