"""Forms of the correspondence log: the entry card with its attachments, the reply, and the filters of the
list and the figures. Pickers offer only units of the user's scope; the services check everything again.
"""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metodist.assistance import letters
from metodist.assistance.forms import _unit_field
from metodist.assistance.models import Letter, LetterChannel, LetterDirection
from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.events.forms import DateInput, PeriodUnitFilterForm
from metodist.network.models import OrgUnit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)]


def _person_label(user) -> str:
    return user.get_full_name() or user.username


def _files_field() -> MultipleFileField:
    return MultipleFileField(
        label=_("Attachments"),
        help_text=_("PDF, Office documents or images, up to 50 MB each; several may be chosen at once."),
    )


def _handler_field(field: forms.ModelChoiceField, user, current=None) -> None:
    people = letters.handlers(user)
    if current is not None:
        people = people | get_user_model().objects.filter(pk=current.pk)
    field.queryset = people.distinct().order_by("last_name", "first_name", "username")
    field.label_from_instance = _person_label


class LetterForm(BootstrapMixin, forms.ModelForm):
    """The entry card. The view passes `letter_data()`, the new files and those to remove to the services."""

    files = _files_field()
    remove_files = forms.ModelMultipleChoiceField(
        label=_("Remove attachments"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Letter
        fields = [
            "direction",
            "date",
            "channel",
            "number",
            "owner_unit",
            "handled_by",
            "counterpart_unit",
            "counterpart_name",
            "subject",
            "summary",
            "reply_due",
        ]
        widgets = {
            "date": DateInput(),
            "reply_due": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "counterpart_unit": _(
                "The library or online centre of the network that wrote or was written to."
            ),
            "counterpart_name": _("Or an outside organisation or person: an akimat, a provider, a ministry…"),
            "reply_due": _("Leave empty when no reply is expected."),
            "number": _("The registration number, if the letter has one."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = scope.units(user, letters.MANAGE)
        seen = scope.units(user)
        if self.instance.pk:
            own = own | OrgUnit.objects.filter(pk=self.instance.owner_unit_id)
            if self.instance.counterpart_unit_id:
                seen = seen | OrgUnit.objects.filter(pk=self.instance.counterpart_unit_id)
        _unit_field(self.fields["owner_unit"], own)
        _unit_field(self.fields["counterpart_unit"], seen)
        _handler_field(
            self.fields["handled_by"], user, self.instance.handled_by if self.instance.pk else None
        )
        if self.instance.pk:
            self.fields["remove_files"].queryset = self.instance.files.all()
            self.fields["remove_files"].label_from_instance = lambda f: f.caption or f.file.name
        if not self.instance.pk or not self.instance.files.exists():
            del self.fields["remove_files"]

    def letter_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def new_files(self) -> list:
        return self.cleaned_data.get("files") or []

    def files_to_remove(self) -> list:
        return list(self.cleaned_data.get("remove_files") or [])


class ReplyForm(BootstrapMixin, forms.ModelForm):
    """The reply to one entry: its log, counterpart and direction are those of the original."""

    files = _files_field()

    class Meta:
        model = Letter
        fields = ["date", "channel", "number", "handled_by", "subject", "summary", "reply_due"]
        widgets = {
            "date": DateInput(),
            "reply_due": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"reply_due": _("Only when the reply itself expects an answer.")}

    def __init__(self, *args, user, original: Letter, **kwargs):
        # The reply's own checks (a counterpart is named, the due date follows the date) see the original's.
        kwargs["instance"] = Letter(
            owner_unit=original.owner_unit,
            counterpart_unit=original.counterpart_unit,
            counterpart_name=original.counterpart_name,
            direction=letters.opposite(original.direction),
            in_reply_to=original,
        )
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("date", max(timezone.localdate(), original.date))
        initial.setdefault("channel", original.channel)
        initial.setdefault("handled_by", user.pk)
        initial.setdefault("subject", _("Re: %(subject)s") % {"subject": original.subject})
        super().__init__(*args, **kwargs)
        self.original = original
        _handler_field(self.fields["handled_by"], user)

    def clean_date(self):
        day = self.cleaned_data.get("date")
        if day and day < self.original.date:
            raise ValidationError(_("A reply cannot be dated before the letter it answers."))
        return day

    def reply_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def new_files(self) -> list:
        return self.cleaned_data.get("files") or []


class LetterFilterForm(PeriodUnitFilterForm):
    field_order = ("date_from", "date_to", "direction", "channel", "under", "state", "text")
    filter_names = ("date_from", "date_to", "direction", "channel", "under", "state", "text")

    direction = forms.ChoiceField(label=_("Direction"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    state = forms.ChoiceField(label=_("Reply"), required=False)
    text = forms.CharField(label=_("Search"), required=False, max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["under"].label = _("Counterpart")
        self.fields["direction"].choices = [("", _("incoming and outgoing")), *LetterDirection.choices]
        self.fields["channel"].choices = [("", _("any channel")), *LetterChannel.choices]
        self.fields["state"].choices = [
            ("", _("any")),
            (letters.WAITING, _("waiting for a reply")),
            (letters.OVERDUE, _("overdue")),
        ]
        self.fields["text"].widget.attrs["placeholder"] = _("subject, summary, number…")


def parse_day(value: str | None) -> datetime.date:
    """The day of the daily view: `?date=YYYY-MM-DD`, today when missing or not a date."""
    if value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    return timezone.localdate()
