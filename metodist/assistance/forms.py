"""Forms of the consultation pages: the full card, the quick entry, and the filters of the list and figures.

Unit pickers offer only units of the user's scope; the services check the rights again.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from metodist.assistance.models import Consultation, ConsultationKind, ConsultationMode, Direction
from metodist.assistance.selectors import MANAGE
from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.events.forms import DateInput, PeriodUnitFilterForm, unit_label
from metodist.network.models import OrgUnit

PICKER_LIMIT = 2000


def _unit_field(field: forms.ModelChoiceField, units: QuerySet) -> None:
    units = units.filter(archived_at__isnull=True).order_by("path")
    base = min((u.depth for u in units[:1]), default=1)
    field.queryset = units
    field.label_from_instance = lambda u: unit_label(u, base)


def _directions(instance: Consultation | None = None) -> QuerySet:
    qs = Direction.objects.filter(is_active=True)
    if instance is not None and instance.pk:
        qs = qs | Direction.objects.filter(consultations=instance)
    return qs.distinct().order_by("order", "name_ru")


class ConsultationCardForm(BootstrapMixin, forms.ModelForm):
    """The full card. The view passes `card_data()` and the directions to the services."""

    class Meta:
        model = Consultation
        fields = [
            "date",
            "consultant_unit",
            "to_unit",
            "to_department",
            "to_people",
            "form",
            "mode",
            "directions",
            "topic",
            "people_count",
            "duration_minutes",
            "result",
        ]
        widgets = {
            "date": DateInput(),
            "directions": forms.CheckboxSelectMultiple(),
            "result": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        own = scope.units(user, MANAGE)
        seen = scope.units(user)
        if self.instance.pk:
            own = own | OrgUnit.objects.filter(pk=self.instance.consultant_unit_id)
            if self.instance.to_unit_id:
                seen = seen | OrgUnit.objects.filter(pk=self.instance.to_unit_id)
        _unit_field(self.fields["consultant_unit"], own)
        _unit_field(self.fields["to_unit"], seen)
        self.fields["directions"].queryset = _directions(self.instance)
        self.fields["directions"].label_from_instance = lambda d: d.name

    def card_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "directions"}


class QuickConsultationForm(forms.Form):
    """The few fields of a short phone call; everything else takes its default."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    mode = forms.ChoiceField(
        label=_("Mode"), choices=ConsultationMode.choices, initial=ConsultationMode.PHONE
    )
    to_unit = forms.ModelChoiceField(label=_("To whom"), queryset=OrgUnit.objects.none())
    direction = forms.ModelChoiceField(
        label=_("Direction"), queryset=Direction.objects.none(), required=False
    )
    topic = forms.CharField(label=_("Topic"), max_length=500)
    people_count = forms.IntegerField(
        label=pgettext_lazy("number of people", "People"), min_value=1, max_value=10_000, initial=1
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        _unit_field(self.fields["to_unit"], scope.units(user))
        self.fields["direction"].queryset = _directions()
        self.fields["direction"].label_from_instance = lambda d: d.name
        self.fields["direction"].empty_label = _("— direction —")
        for name, field in self.fields.items():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css
            field.widget.attrs["id"] = f"quick_{name}"

    def card_data(self) -> dict:
        data = self.cleaned_data
        people = data["people_count"]
        return {
            "date": data["date"],
            "mode": data["mode"],
            "to_unit": data["to_unit"],
            "topic": data["topic"],
            "people_count": people,
            "form": ConsultationKind.GROUP if people > 1 else ConsultationKind.INDIVIDUAL,
        }


class ConsultationFilterForm(PeriodUnitFilterForm):
    filter_names = ("under", "date_from", "date_to", "mode", "form", "direction", "consultant")

    mode = forms.ChoiceField(label=_("Mode"), required=False)
    form = forms.ChoiceField(label=_("Individual or group"), required=False)
    direction = forms.ModelChoiceField(
        label=_("Direction"), required=False, queryset=Direction.objects.all(), to_field_name="code"
    )
    consultant = forms.ModelChoiceField(label=_("Consultant"), required=False, queryset=None)

    def __init__(self, *args, user, consultants: QuerySet | None = None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["mode"].choices = [("", _("any mode")), *ConsultationMode.choices]
        self.fields["form"].choices = [("", _("individual and group")), *ConsultationKind.choices]
        self.fields["direction"].label_from_instance = lambda d: d.name
        self.fields["direction"].empty_label = _("any direction")
        users = get_user_model().objects.all()
        self.fields["consultant"].queryset = (
            users.filter(pk__in=consultants) if consultants is not None else users.none()
        ).order_by("last_name", "first_name")
        self.fields["consultant"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["consultant"].empty_label = _("any consultant")
