"""Forms of the coordination pages: the agreement card and the filters of the partner list.

The partner picker offers only libraries of other departments in the user's scope; a library of the culture
department sent anyway is refused with a message saying why. The services check everything again.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from metodist.assistance import coordination
from metodist.assistance.forms import _unit_field
from metodist.assistance.models import CoordinationAgreement
from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.events.forms import DateInput
from metodist.network.models import FoundingDepartment, OrgUnit, UnitKind


class PartnerChoiceField(forms.ModelChoiceField):
    """Offers the libraries of other departments but looks a posted unit up among all the user sees, so a
    library of the culture department is refused with a message, not as an unknown choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup = OrgUnit.objects.none()

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            unit = self.lookup.get(pk=value)
        except (OrgUnit.DoesNotExist, ValueError, TypeError) as exc:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from exc
        if not coordination.is_other_department(unit) and not self.queryset.filter(pk=unit.pk).exists():
            raise ValidationError(coordination.not_other_department_message(unit), code="department")
        return unit


class AgreementForm(BootstrapMixin, forms.ModelForm):
    """The card. The view passes `agreement_data()` and the file to the services; the form never saves."""

    partner_unit = PartnerChoiceField(label=_("Partner library"), queryset=OrgUnit.objects.none())

    class Meta:
        model = CoordinationAgreement
        fields = [
            "owner_unit",
            "partner_unit",
            "number",
            "signed_on",
            "valid_from",
            "valid_to",
            "subject",
            "joint_plan",
            "file",
        ]
        widgets = {
            "signed_on": DateInput(),
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "subject": forms.Textarea(attrs={"rows": 4}),
            "joint_plan": forms.Textarea(attrs={"rows": 6}),
            # Not the clearable widget: it links the file by its media URL, past the scope check.
            "file": forms.FileInput(),
        }
        help_texts = {
            "valid_to": _("Leave empty for an agreement without an end date."),
            "joint_plan": _("The joint events and work planned with the partner, one a line."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = coordination.owner_units(user)
        partners = coordination.partner_units(user)
        if self.instance.pk:
            # The stored sides stay choosable even if they are archived or out of the usual picker.
            own = own | OrgUnit.objects.filter(pk=self.instance.owner_unit_id)
            partners = partners | OrgUnit.objects.filter(pk=self.instance.partner_unit_id)
        _unit_field(self.fields["owner_unit"], own)
        partner = self.fields["partner_unit"]
        partner.queryset = partners.order_by("path")
        partner.label_from_instance = lambda u: u.name
        partner.lookup = scope.units(user).filter(kind__in=coordination.PARTNER_KINDS)
        if self.instance.pk:
            partner.lookup = partner.lookup | OrgUnit.objects.filter(pk=self.instance.partner_unit_id)
        help_text = _("The signed agreement: PDF, DOCX or a scan, up to 50 MB.")
        if self.instance.file:
            name = self.instance.file.name.rsplit("/", 1)[-1]
            help_text = _("Attached: %(name)s. Choose another file to replace it.") % {"name": name}
            self.fields["remove_file"] = forms.BooleanField(
                label=_("Remove the attached file"), required=False
            )
            self.fields["remove_file"].widget.attrs["class"] = "form-check-input"
        self.fields["file"].help_text = help_text
        self.fields["file"].widget.attrs["aria-describedby"] = "id_file_helptext"

    def agreement_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in coordination.AGREEMENT_FIELDS}

    def new_file(self):
        """The uploaded file, or None when the stored one is kept or cleared."""
        value = self.cleaned_data.get("file")
        return value if value and hasattr(value, "content_type") else None

    def file_cleared(self) -> bool:
        return bool(self.cleaned_data.get("remove_file")) and self.new_file() is None


class CoordinationFilterForm(forms.Form):
    department = forms.ChoiceField(label=_("Department"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Agreement"), required=False)
    year = forms.IntegerField(label=_("Year of activity"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = [
            (d.value, d.label) for d in FoundingDepartment if d.value in coordination.OTHER_DEPARTMENTS
        ]
        self.fields["department"].choices = [("", _("any department")), *departments]
        kinds = [(k.value, k.label) for k in UnitKind if k.value in coordination.PARTNER_KINDS]
        self.fields["kind"].choices = [("", _("any kind")), *kinds]
        self.fields["status"].choices = [("", _("any status")), *coordination.AgreementStatus.choices]
        for field in self.fields.values():
            small = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = small

    def filters(self) -> dict:
        """The filters to apply; an invalid field filters nothing."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        names = ("department", "kind", "status", "year")
        return {n: data.get(n) for n in names if n not in self.errors and data.get(n) not in (None, "")}
