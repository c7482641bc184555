"""Forms of field visits and recommendations: the visit card with its photos, the inline findings and
recommendations, the list filters, a recommendation on its own, the answer of a unit with its evidence and
the issuer's follow-up. Pickers offer only units of the user's scope; the services check again.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from metodist.assistance.forms import _unit_field
from metodist.assistance.models import (
    Direction,
    FieldVisit,
    Recommendation,
    RecommendationStatus,
    VisitStatus,
)
from metodist.assistance.services import default_unit
from metodist.assistance.visits import MANAGE
from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.events.forms import DateInput, unit_choices
from metodist.events.services import DOCUMENT_EXTENSIONS, IMAGE_EXTENSIONS, check_upload
from metodist.network.models import OrgUnit, UnitKind

FINDINGS_EXTRA = 3
RECOMMENDATIONS_EXTRA = 2
MAX_FILES = 20  # in one upload


def _directions():
    return Direction.objects.filter(is_active=True).order_by("order", "name_ru")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (`<input type=file multiple>`); cleans to a list, checked by content."""

    def __init__(self, *args, images_only: bool = False, **kwargs):
        self.images_only = images_only
        extensions = IMAGE_EXTENSIONS if images_only else DOCUMENT_EXTENSIONS
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ",".join(f".{e}" for e in extensions)})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not uploads:
            return super().clean(None, initial) or []
        if len(uploads) > MAX_FILES:
            raise ValidationError(_("At most %(count)s files at once.") % {"count": MAX_FILES})
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(super().clean(upload, initial))
                check_upload(upload, images_only=self.images_only)
            except ValidationError as exc:
                errors += [f"{upload.name}: {message}" for message in exc.messages]
        if errors:
            raise ValidationError(errors)
        return cleaned


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

    photos = MultipleFileField(
        label=_("Photos"), images_only=True, help_text=_("Several photos can be chosen at once.")
    )
    photo_caption = forms.CharField(label=_("Caption of the photos"), max_length=300, required=False)

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
    def __init__(self, *args, units=None, directions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = directions if directions is not None else _directions()
        self.fields["direction"].label_from_instance = lambda d: d.name
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.fields["unit"].label_from_instance = lambda u: u.name


class FindingForm(_InlineForm):
    direction = forms.ModelChoiceField(label=_("Direction"), queryset=Direction.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    text = forms.CharField(label=_("What was checked and found"), widget=forms.Textarea(attrs={"rows": 2}))


class RecommendationForm(_InlineForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}))
    direction = forms.ModelChoiceField(
        label=_("Direction"), queryset=Direction.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(label=_("Unit that must act"), queryset=OrgUnit.objects.none())
    due = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set by the view on the rows of recommendations already recorded.
        self.recommendation: Recommendation | None = None

    def full_clean(self):
        # A recorded recommendation marked for deletion needs no valid fields, only its id.
        if self.is_bound and self.data.get(self.add_prefix("DELETE")):
            try:
                pk = int(self.data.get(self.add_prefix("id")) or "")
            except ValueError:
                pk = None
            if pk:
                self.cleaned_data = {"id": pk, "DELETE": True}
                self._errors = forms.utils.ErrorDict()
                return
        super().full_clean()


FindingFormSet = forms.formset_factory(FindingForm, extra=FINDINGS_EXTRA)
RecommendationFormSet = forms.formset_factory(
    RecommendationForm,
    extra=RECOMMENDATIONS_EXTRA,
    can_delete=True,
    can_delete_extra=False,
    max_num=200,
)


def filled(formset) -> list[dict]:
    """The rows the user filled in (empty extra rows are skipped by the formset)."""
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def directions_with(used) -> QuerySet:
    """The directions in use, plus those `used` (a queryset of ids) that were withdrawn since."""
    return (
        (Direction.objects.filter(is_active=True) | Direction.objects.filter(pk__in=used))
        .distinct()
        .order_by("order", "name_ru")
    )


def recommendation_rows(formset) -> list[dict]:
    """The filled rows for `visits._save_recommendations`: new ones, corrected ones and those to delete."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or (data.get("DELETE") and not data.get("id")):
            continue
        rows.append(data)
    return rows


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


class AnswerForm(BootstrapMixin, forms.Form):
    """The unit's answer. A plain form: the recommendation changes only when the service saves it."""

    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in (RecommendationStatus.IN_PROGRESS, RecommendationStatus.DONE)],
    )
    files = MultipleFileField(
        label=_("Evidence files"),
        help_text=_(
            "Photos, scans or documents; several can be chosen at once. They are added to the earlier ones."
        ),
    )

    def __init__(self, *args, recommendation: Recommendation, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "answer": recommendation.answer,
                "status": recommendation.status
                if recommendation.status != RecommendationStatus.OPEN
                else RecommendationStatus.IN_PROGRESS,
            },
        )
        super().__init__(*args, **kwargs)


class FollowUpForm(BootstrapMixin, forms.Form):
    ACCEPT, REOPEN = "accept", "reopen"

    follow_up = forms.CharField(
        label=_("Follow-up"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you checked; when reopening, what is still to be done."),
    )
    action = forms.ChoiceField(choices=[(ACCEPT, _("Accept as done")), (REOPEN, _("Reopen"))])

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REOPEN and not (data.get("follow_up") or "").strip():
            self.add_error("follow_up", _("Say what is still to be done."))
        return data


class RecommendationCardForm(BootstrapMixin, forms.ModelForm):
    """A recommendation on its own or from a consultation (one from a visit is written on the visit)."""

    class Meta:
        model = Recommendation
        fields = ["issuer_unit", "text", "direction", "unit", "due"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "due": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = scope.units(user, MANAGE)
        if self.instance.pk:
            own = own | OrgUnit.objects.filter(pk=self.instance.issuer_unit_id)
        _unit_field(self.fields["issuer_unit"], own)
        _unit_field(self.fields["unit"], scope.units(user).exclude(kind=UnitKind.REGION))
        self.fields["direction"].queryset = _directions()
        self.fields["direction"].label_from_instance = lambda d: d.name
        if not self.instance.pk and not self.initial.get("issuer_unit"):
            self.initial["issuer_unit"] = default_unit(user)

    def recommendation_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class VisitPhotoForm(BootstrapMixin, forms.Form):
    photos = MultipleFileField(label=_("Photos"), images_only=True, required=True)
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
