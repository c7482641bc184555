"""The page of the consolidated report (свод): a form, a period and a unit of the user's part of the network,
the svod in the form's layout, and the same as XLSX (`format=xlsx`) or DOCX (`format=docx`).

    /reporting/consolidated/?form=lib_monthly&period=2026-03&unit=29&format=docx

A unit out of the user's scope answers 404. The figures are computed when the page is asked for.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metodist.core import scope
from metodist.network.models import OrgUnit
from metodist.reporting.consolidated import (
    DOCX_CONTENT_TYPE,
    INCLUDED_NOTE,
    XLSX_CONTENT_TYPE,
    ConsolidationError,
    consolidated,
    consolidated_docx,
    consolidated_xlsx,
    period_fits,
)
from metodist.reporting.models import ReportForm
from metodist.reporting.periods import ORDER, Period, PeriodError, PeriodType

TEMPLATE = "reporting/consolidated/consolidated.html"
PICKER_LIMIT = 400
# How many periods of each type the picker offers, the current one included.
RECENT = {
    PeriodType.WEEK: 26,
    PeriodType.MONTH: 24,
    PeriodType.QUARTER: 8,
    PeriodType.HALF_YEAR: 4,
    PeriodType.YEAR: 5,
}
GROUP_LABELS = {
    PeriodType.WEEK: gettext_lazy("Weeks"),
    PeriodType.MONTH: gettext_lazy("Months"),
    PeriodType.QUARTER: gettext_lazy("Quarters"),
    PeriodType.HALF_YEAR: gettext_lazy("Half-years"),
    PeriodType.YEAR: gettext_lazy("Years"),
}


def language() -> str:
    return (translation.get_language() or "ru")[:2]


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def require_scope(user) -> None:
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied


def unit_choices(user, selected: OrgUnit | None = None, kinds=None) -> list[tuple[int, str]]:
    """The top of the user's scope, two levels deep, indented; the selected unit is kept."""
    roots = list(scope.roots(user).filter(archived_at__isnull=True))
    if not roots:
        return [(selected.pk, selected.name)] if selected else []
    base = min(u.depth for u in roots)
    units = scope.units(user).filter(archived_at__isnull=True, depth__lte=base + 2)
    if kinds is not None:
        units = units.filter(kind__in=kinds)
    units = list(units.order_by("path")[:PICKER_LIMIT])
    if selected is not None and all(u.pk != selected.pk for u in units):
        units.append(selected)
    return [(u.pk, "\u2003" * max(u.depth - base, 0) + u.name) for u in units]


def unit_from_request(request: HttpRequest, default=None) -> OrgUnit | None:
    """The unit named by `?unit=` (404 out of scope), or the top of the user's scope."""
    raw = request.GET.get("unit")
    if raw:
        return scope.get_unit_or_404(request.user, raw)
    if default is not None:
        return default
    return scope.roots(request.user).filter(archived_at__isnull=True).first()


def period_choices(form: ReportForm | None, today) -> list:
    """The recent periods of the form's type and of every longer type, grouped by type."""
    if form is None:
        return []
    groups = []
    for period_type in ORDER[ORDER.index(form.period_type) :]:
        current = Period.containing(period_type, today)
        periods = [current.shift(-step) for step in range(RECENT[period_type])]
        groups.append((capfirst(str(GROUP_LABELS[period_type])), [(p.code, p.label()) for p in periods]))
    return groups


def default_period(form: ReportForm, today) -> Period:
    """The last period of the form that has ended: the one being reported now."""
    return Period.containing(form.period_type, today).previous()


class SvodForm(forms.Form):
    form = forms.ModelChoiceField(
        label=gettext_lazy("Report form"), queryset=ReportForm.objects.none(), to_field_name="code"
    )
    period = forms.ChoiceField(label=gettext_lazy("Period"))
    unit = forms.TypedChoiceField(label=gettext_lazy("Unit"), coerce=int)

    def __init__(self, *args, user, unit: OrgUnit | None, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = ReportForm.objects.order_by("order", "code")
        self.fields["form"].empty_label = None
        self.fields["unit"].choices = unit_choices(user, unit)
        chosen = self._chosen_form()
        choices = period_choices(chosen, today)
        asked = (self.data.get("period") or "").strip().upper() if self.is_bound else ""
        known = {code for _label, group in choices for code, _name in group}
        if asked and asked not in known:
            try:
                extra = Period.parse(asked)
            except PeriodError:
                pass
            else:
                choices.append((_("Chosen"), [(extra.code, extra.label())]))
        self.fields["period"].choices = choices
        url = reverse("reporting:consolidated")
        for field in self.fields.values():
            # Any change reloads the svod (htmx); without JavaScript the button does.
            field.widget.attrs.update(
                {"class": "form-select form-select-sm", "hx-get": url, "hx-include": "closest form"}
            )
        # A form chosen anew opens on its own latest period.
        self.fields["form"].widget.attrs["hx-vals"] = '{"changed": "form"}'

    def _chosen_form(self) -> ReportForm | None:
        code = self.data.get("form") if self.is_bound else self.initial.get("form")
        forms_ = self.fields["form"].queryset
        found = forms_.filter(code=code).first() if code else None
        return found or forms_.first()

    def clean_period(self) -> Period:
        try:
            return Period.parse(self.cleaned_data["period"])
        except PeriodError as exc:
            raise forms.ValidationError(_("Choose a period from the list.")) from exc

    def clean(self):
        data = super().clean()
        form, period = data.get("form"), data.get("period")
        if form is not None and period is not None and not period_fits(form, period):
            self.add_error(
                "period",
                _("The form is reported by %(type)s: choose such a period or a longer one.")
                % {"type": form.get_period_type_display()},
            )
        return data


def _filename(svod, extension: str) -> str:
    return f"svod-{svod.form.code}-{svod.unit.code}-{svod.period.code}-{language()}.{extension}"


@login_required
def consolidated_page(request: HttpRequest) -> HttpResponse:
    """The svod page; `format=xlsx|docx` answers the document instead."""
    user = request.user
    unit = unit_from_request(request)  # first: a unit out of scope is a 404 for everybody
    require_scope(user)
    today = timezone.localdate()
    first_form = ReportForm.objects.order_by("order", "code").first()
    form_code = request.GET.get("form") or (first_form.code if first_form else "")
    period_code = request.GET.get("period", "")
    chosen = ReportForm.objects.filter(code=form_code).first()
    if chosen is not None and (not period_code or request.GET.get("changed") == "form"):
        # A form chosen anew opens on its latest finished period.
        period_code = default_period(chosen, today).code
    data = {"form": form_code, "period": period_code, "unit": str(unit.pk) if unit else ""}
    filters = SvodForm(data, user=user, unit=unit, today=today)
    svod = None
    if first_form is not None and filters.is_valid():
        try:
            svod = consolidated(filters.cleaned_data["form"], filters.cleaned_data["period"], unit)
        except ConsolidationError as exc:
            filters.add_error("period", str(exc))
    wanted = request.GET.get("format")
    if svod is not None and wanted == "xlsx":
        content = consolidated_xlsx(svod, language=language())
        return download(content, XLSX_CONTENT_TYPE, _filename(svod, "xlsx"))
    if svod is not None and wanted == "docx":
        content = consolidated_docx(svod, language=language())
        return download(content, DOCX_CONTENT_TYPE, _filename(svod, "docx"))
    query = ""
    if svod is not None:
        query = f"form={svod.form.code}&period={svod.period.code}&unit={svod.unit.pk}"
    context = {
        "nav_active": "consolidated",
        "filters": filters,
        "svod": svod,
        "query": query,
        "included_note": INCLUDED_NOTE,
        "no_forms": first_form is None,
    }
    if request.htmx and request.htmx.target == "svod-body":
        return render(request, f"{TEMPLATE}#body", context)
    return render(request, TEMPLATE, context)


urlpatterns = [
    path("consolidated/", consolidated_page, name="consolidated"),
]
