"""Forms of the documents' pages: the published report in one language."""

from django import forms
from django.utils.translation import gettext_lazy as _

from metodist.events.documents.report import LANGUAGES

MAX_REPORT_LENGTH = 50_000


class ReportForm(forms.Form):
    """Save a (possibly hand-edited) text as the published report, or regenerate it."""

    SAVE = "save"
    REGENERATE = "regenerate"

    language = forms.ChoiceField(choices=[(code, code) for code in LANGUAGES], widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[(SAVE, _("Save as published")), (REGENERATE, _("Regenerate"))], widget=forms.HiddenInput
    )
    text = forms.CharField(
        label=_("Published text"),
        required=False,
        max_length=MAX_REPORT_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "form-control"}),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("action") == self.SAVE and not (data.get("text") or "").strip():
            self.add_error("text", _("The report is empty: write it or regenerate it from the card."))
        return data
