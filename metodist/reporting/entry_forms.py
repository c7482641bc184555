"""Forms of data entry and of the acceptance queue: one autosaved value, the submit and review comments,
the queue's filters."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.network.models import UnitKind
from metodist.reporting.models import ReportForm
from metodist.reporting.periods import Period, PeriodError
from metodist.reporting.selectors import REVIEW

TEXT_LIMIT = 5000


class CellForm(forms.Form):
    """One autosaved value: what the person typed, and what she saw before typing (`expected`)."""

    key = forms.CharField(max_length=130)
    value = forms.CharField(required=False, max_length=TEXT_LIMIT, strip=False)
    expected = forms.CharField(required=False, max_length=TEXT_LIMIT, strip=False)
    comment = forms.CharField(required=False, max_length=TEXT_LIMIT, strip=False)
    expected_comment = forms.CharField(required=False, max_length=TEXT_LIMIT, strip=False)
    # Answers of the conflict box: "mine" saves what she typed over theirs, "theirs" takes theirs.
    resolve = forms.ChoiceField(required=False, choices=[("", ""), ("mine", "mine"), ("theirs", "theirs")])

    def changed_value(self) -> bool:
        return self.cleaned_data["value"].strip() != self.cleaned_data["expected"].strip()

    def changed_comment(self) -> bool:
        return self.cleaned_data["comment"].strip() != self.cleaned_data["expected_comment"].strip()


class SubmitForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(
        label=_("Explanation of the warnings"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the report has warnings: say why the figures are right."),
    )

    def ask_for_explanation(self, message: str) -> None:
        self.add_error("comment", message)
        attrs = self.fields["comment"].widget.attrs
        attrs["class"] = attrs.get("class", "") + " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = "id_comment_error"


class ReturnForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(
        label=_("What must be fixed"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what must be fixed.")},
    )


class ReopenForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for reopening.")},
    )


class QueueFilterForm(forms.Form):
    """Filters of the acceptance queue: form, period, district (within the reviewer's part of the network)."""

    form = forms.ModelChoiceField(label=_("Form"), queryset=ReportForm.objects.none(), required=False)
    period = forms.ChoiceField(label=_("Period"), required=False)
    district = forms.ModelChoiceField(label=_("District"), queryset=None, required=False)

    def __init__(self, *args, user, periods: list[Period], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = ReportForm.objects.order_by("order", "code")
        self.fields["form"].empty_label = gettext("all forms")
        self.fields["period"].choices = [("", gettext("all periods"))] + [
            (p.code, p.label()) for p in periods
        ]
        self.fields["district"].queryset = scope.units(user, REVIEW).filter(
            kind__in=[UnitKind.REGION, UnitKind.DISTRICT, UnitKind.CITY], archived_at__isnull=True
        )
        self.fields["district"].empty_label = gettext("the whole of my part of the network")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def clean_period(self) -> Period | None:
        code = self.cleaned_data.get("period")
        if not code:
            return None
        try:
            return Period.parse(code)
        except PeriodError as exc:
            raise forms.ValidationError(gettext("Choose a period from the list.")) from exc

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
