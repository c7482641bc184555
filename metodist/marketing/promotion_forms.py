"""Forms of services and promotion, PR and image: the service card, the campaign card, a material, a media
mention, a press release and the list filters.

Pickers offer only what the user may choose; the services in `metodist.marketing.promotion` check again.
"""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.events.documents.report import LANGUAGES
from metodist.events.selectors import events_visible
from metodist.marketing import promotion
from metodist.marketing.models.promotion import (
    LibraryService,
    MediaMention,
    MentionKind,
    PressRelease,
    PromotionCampaign,
    PromotionChannel,
    ServiceChannel,
    TargetGroup,
    Tone,
    codes_to_text,
    text_to_codes,
)
from metodist.network.models import LIBRARY_KINDS, OrgUnit, UnitKind
from metodist.reporting.models import Indicator

PICKER_LIMIT = 500


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _unit_label(unit: OrgUnit, base: int) -> str:
    return "\u2003" * max(unit.depth - base, 0) + unit.name


def _units(field, units: QuerySet) -> None:
    units = list(units.order_by("path")[:PICKER_LIMIT])
    base = min((u.depth for u in units), default=1)
    field.queryset = OrgUnit.objects.filter(pk__in=[u.pk for u in units]).order_by("path")
    field.label_from_instance = lambda u: _unit_label(u, base)


def _multi(label, choices, required=False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=required, widget=forms.CheckboxSelectMultiple
    )


SERVICE_FIELDS = (
    "unit",
    "name_ru",
    "name_kk",
    "description_ru",
    "description_kk",
    "is_paid",
    "price",
    "price_note",
    "channel",
    "indicator",
    "is_active",
)


class ServiceForm(BootstrapMixin, forms.ModelForm):
    FIELDS = SERVICE_FIELDS
    target_groups = _multi(_("target groups"), TargetGroup.choices)
    offered_by = forms.ModelMultipleChoiceField(
        label=_("offered by"), queryset=OrgUnit.objects.none(), required=False
    )

    class Meta:
        model = LibraryService
        fields = (*SERVICE_FIELDS, "target_groups", "offered_by")
        widgets = {
            "description_ru": forms.Textarea(attrs={"rows": 3}),
            "description_kk": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        managed = scope.units(user, promotion.MANAGE)
        _units(self.fields["unit"], managed)
        _units(self.fields["offered_by"], managed.filter(kind__in=LIBRARY_KINDS))
        self.fields["offered_by"].widget.attrs["size"] = 10
        self.fields["indicator"].queryset = Indicator.objects.filter(is_active=True).order_by("code")
        if self.instance.pk:
            self.initial["target_groups"] = text_to_codes(self.instance.target_groups)

    def clean_target_groups(self):
        return codes_to_text(self.cleaned_data["target_groups"])

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        data["target_groups"] = text_to_codes(self.cleaned_data["target_groups"])
        data["offered_by"] = list(self.cleaned_data["offered_by"])
        return data


CAMPAIGN_FIELDS = (
    "unit",
    "title",
    "starts_on",
    "ends_on",
    "target_group",
    "status",
    "materials_text",
    "reach_planned",
    "reach_actual",
    "result",
)


class CampaignForm(BootstrapMixin, forms.ModelForm):
    FIELDS = CAMPAIGN_FIELDS
    channels = _multi(_("channels"), PromotionChannel.choices, required=True)
    services = forms.ModelMultipleChoiceField(
        label=_("services promoted"), queryset=LibraryService.objects.none(), required=False
    )

    class Meta:
        model = PromotionCampaign
        fields = (*CAMPAIGN_FIELDS, "channels", "services")
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "materials_text": forms.Textarea(attrs={"rows": 3}),
            "result": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["unit"], scope.units(user, promotion.MANAGE))
        self.fields["services"].queryset = promotion.services_visible(user).order_by("name_ru")
        self.fields["services"].widget.attrs["size"] = 8
        if self.instance.pk:
            self.initial["channels"] = text_to_codes(self.instance.channels)

    def clean_channels(self):
        return codes_to_text(self.cleaned_data["channels"])

    def campaign_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        data["channels"] = text_to_codes(self.cleaned_data["channels"])
        data["services"] = list(self.cleaned_data["services"])
        return data


class MaterialForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=300, required=False)
    file = forms.FileField(label=_("file"))


class MentionForm(BootstrapMixin, forms.ModelForm):
    FIELDS = (
        "unit",
        "date",
        "outlet",
        "kind",
        "title",
        "url",
        "tone",
        "reach",
        "event",
        "service",
        "campaign",
    )

    class Meta:
        model = MediaMention
        fields = (
            "unit",
            "date",
            "outlet",
            "kind",
            "title",
            "url",
            "tone",
            "reach",
            "event",
            "service",
            "campaign",
        )
        widgets = {"date": DateInput(), "url": forms.URLInput(attrs={"placeholder": "https://"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["unit"], scope.units(user, promotion.MANAGE))
        self.fields["event"].queryset = events_visible(user).order_by("-starts_at")
        self.fields["service"].queryset = promotion.services_visible(user).order_by("name_ru")
        self.fields["campaign"].queryset = promotion.campaigns_visible(user)
        self.fields["outlet"].widget.attrs["list"] = "outlet-names"

    def mention_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class ReleaseCreateForm(BootstrapMixin, forms.Form):
    event = forms.ModelChoiceField(label=_("event"), queryset=OrgUnit.objects.none())
    language = forms.ChoiceField(
        label=_("language"), choices=[(code, {"ru": "Русский", "kk": "Қазақша"}[code]) for code in LANGUAGES]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = promotion.release_events(user)
        self.fields["event"].label_from_instance = lambda e: f"{e.starts_at:%d.%m.%Y} — {e.title}"


class ReleaseForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = PressRelease
        fields = ("title", "released_on", "text")
        widgets = {"released_on": DateInput(), "text": forms.Textarea(attrs={"rows": 16})}


class ServiceFilterForm(BootstrapMixin, forms.Form):
    paid = forms.ChoiceField(
        label=_("price"),
        required=False,
        choices=[
            ("", pgettext_lazy("services", "all")),
            ("free", _("free")),
            ("paid", _("paid")),
        ],
    )
    target_group = forms.ChoiceField(
        label=_("target group"),
        required=False,
        choices=[("", pgettext_lazy("services", "all")), *TargetGroup.choices],
    )
    channel = forms.ChoiceField(
        label=_("how it is delivered"),
        required=False,
        choices=[("", pgettext_lazy("services", "all")), *ServiceChannel.choices],
    )
    unit = forms.ModelChoiceField(label=_("library"), required=False, queryset=OrgUnit.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["unit"], scope.units(user).filter(kind__in=LIBRARY_KINDS))


class MentionFilterForm(BootstrapMixin, forms.Form):
    first = forms.DateField(label=_("from"), required=False, widget=DateInput())
    last = forms.DateField(label=_("to"), required=False, widget=DateInput())
    kind = forms.ChoiceField(
        label=_("kind of media"),
        required=False,
        choices=[("", pgettext_lazy("media", "all")), *MentionKind.choices],
    )
    tone = forms.ChoiceField(label=_("tone"), required=False)
    outlet = forms.CharField(label=_("media outlet"), required=False, max_length=200)
    unit = forms.ModelChoiceField(
        label=_("part of the network"), required=False, queryset=OrgUnit.objects.none()
    )
    q = forms.CharField(label=_("search"), required=False, max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tone"].choices = [("", pgettext_lazy("media", "all")), *Tone.choices]
        self.fields["outlet"].widget.attrs["list"] = "outlet-names"
        _units(
            self.fields["unit"],
            scope.units(user).exclude(kind__in=[UnitKind.ONLINE_CENTRE, UnitKind.DEPARTMENT]),
        )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "first": data["first"],
            "last": data["last"],
            "kind": data["kind"],
            "tone": data["tone"],
            "outlet": data["outlet"].strip(),
            "unit": data["unit"],
            "text": data["q"].strip(),
        }
