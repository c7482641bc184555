"""Forms of the partner pages: the partner card with its people, the agreement, the joint activity and the
filters of the lists. The forms never save: the views pass their data to `metodist.marketing.partners`."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from metodist.assistance.forms import _unit_field
from metodist.core.forms import BootstrapMixin
from metodist.events.forms import DateInput
from metodist.events.selectors import events_visible
from metodist.marketing import partners
from metodist.marketing.models.partners import (
    STATE_LABELS,
    Agreement,
    JointActivity,
    Partner,
    PartnerKind,
)
from metodist.network.models import OrgUnit

CONTACT_ROWS = 3


class PartnerForm(BootstrapMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = ["unit", "name", "kind", "address", "phone", "email", "website", "libraries", "note"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
            "libraries": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {"libraries": _("Libraries of the network that work with this partner.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = partners.manage_units(user)
        if self.instance.pk:
            own = own | OrgUnit.objects.filter(pk=self.instance.unit_id)
        _unit_field(self.fields["unit"], own)
        libraries = self.fields["libraries"]
        libraries.queryset = partners.units_of_network(user)
        libraries.label_from_instance = lambda u: u.name
        libraries.required = False
        self.fields["libraries"].widget.attrs["class"] = "form-select"

    def _get_validation_exclusions(self):
        # The service refuses a second partner of the same name, with the message on the name field.
        return {*super()._get_validation_exclusions(), "name"}

    def partner_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in partners.PARTNER_FIELDS}


class ContactForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def clean(self):
        data = super().clean()
        filled = any(data.get(n) for n in ("position", "phone", "email"))
        if filled and not data.get("full_name"):
            self.add_error("full_name", _("Give the name of the person."))
        return data


ContactFormSet = forms.formset_factory(ContactForm, extra=0, max_num=30, validate_max=True)


def contact_formset(data=None, *, partner: Partner | None = None):
    """The people of the partner plus empty rows to add new ones."""
    initial = []
    if partner is not None and partner.pk:
        initial = [{n: getattr(c, n) for n in partners.CONTACT_FIELDS} for c in partner.contacts.all()]
    initial += [{}] * CONTACT_ROWS
    formset = ContactFormSet(data, initial=initial, prefix="contacts")
    return formset


def contacts_data(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data.get("full_name")]


class AgreementForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "unit",
            "partner",
            "number",
            "signed_on",
            "starts_on",
            "ends_on",
            "status",
            "subject",
            "file",
        ]
        widgets = {
            "signed_on": DateInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "subject": forms.Textarea(attrs={"rows": 4}),
            # Not the clearable widget: it links the file by its media URL, past the scope check.
            "file": forms.FileInput(),
        }
        help_texts = {
            "ends_on": _("Leave empty for an agreement without an end date."),
            "status": _("An active agreement is shown as expiring 30 days before its end."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = partners.manage_units(user)
        choosable = partners.partners_visible(user)
        if self.instance.pk:
            own = own | OrgUnit.objects.filter(pk=self.instance.unit_id)
            choosable = choosable | Partner.objects.filter(pk=self.instance.partner_id)
        _unit_field(self.fields["unit"], own)
        self.fields["partner"].queryset = choosable.order_by("name")
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

    def _get_validation_exclusions(self):
        # The service refuses a second agreement of the same number, with the message on the number field.
        return {*super()._get_validation_exclusions(), "number"}

    def agreement_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in partners.AGREEMENT_FIELDS}

    def new_file(self):
        value = self.cleaned_data.get("file")
        return value if value and hasattr(value, "content_type") else None

    def file_cleared(self) -> bool:
        return bool(self.cleaned_data.get("remove_file")) and self.new_file() is None


class ActivityForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = JointActivity
        fields = ["unit", "partner", "date", "title", "event", "our_contribution", "partner_contribution"]
        widgets = {
            "date": DateInput(),
            "our_contribution": forms.Textarea(attrs={"rows": 3}),
            "partner_contribution": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"event": _("The event of the network held with the partner, if there was one.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = partners.manage_units(user)
        choosable = partners.partners_visible(user)
        events = events_visible(user)
        if self.instance.pk:
            own = own | OrgUnit.objects.filter(pk=self.instance.unit_id)
            choosable = choosable | Partner.objects.filter(pk=self.instance.partner_id)
        _unit_field(self.fields["unit"], own)
        self.fields["partner"].queryset = choosable.order_by("name")
        event = self.fields["event"]
        event.queryset = events.order_by("-starts_at")
        event.label_from_instance = lambda e: f"{e.starts_at:%d.%m.%Y} · {e.title}"

    def activity_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in partners.ACTIVITY_FIELDS}


def _small(fields) -> None:
    for field in fields.values():
        small = (
            "form-select form-select-sm"
            if isinstance(field.widget, forms.Select)
            else "form-control form-control-sm"
        )
        field.widget.attrs["class"] = small


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=pgettext_lazy("partner", "Kind"), required=False)
    expiring = forms.ChoiceField(label=_("Agreements"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("any kind")), *PartnerKind.choices]
        self.fields["expiring"].choices = [("", _("any")), ("1", _("expiring within 30 days"))]
        _small(self.fields)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"kind": data["kind"], "search": data["q"].strip(), "expiring": data["expiring"] == "1"}


class AgreementFilterForm(forms.Form):
    state = forms.ChoiceField(label=pgettext_lazy("agreement", "Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind of partner"), required=False)
    expiring = forms.ChoiceField(label=_("Term"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("any status")), *STATE_LABELS.items()]
        self.fields["kind"].choices = [("", _("any kind")), *PartnerKind.choices]
        self.fields["expiring"].choices = [("", _("any")), ("1", _("expiring within 30 days"))]
        _small(self.fields)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"state": data["state"], "kind": data["kind"], "expiring": data["expiring"] == "1"}
