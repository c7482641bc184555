"""The analysis page: `/reporting/analysis/`, a pivot of roll-ups with a chart, and the same table as XLSX.

Everything is in the URL (GET), so a table can be bookmarked and sent: `under` (a unit of the user's
scope; out of scope is 404), `indicators` (repeated: `code`, `code.part`, derived codes), `first` and
`last` (period codes, usually months) or `preset` (this_year, last_year, last_12), `period_type`
(month, quarter, year) and `rows` (unit, period); `format=xlsx` downloads the table. A missing parameter
takes its default, so `?under=<pk>` alone shows that unit. The reads are in `metodist.reporting.analysis`.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.network.models import OrgUnit
from metodist.reporting import analysis, charts
from metodist.reporting.periods import Period, PeriodType

PAGE = "reporting/analysis/pivot.html"
FIELDS = ("under", "indicators", "first", "last", "preset", "period_type", "rows")
PICKER_LIMIT = 300
DEFAULT_INDICATORS = 3
PRESETS = [
    ("this_year", gettext_lazy("This year")),
    ("last_year", gettext_lazy("Last year")),
    ("last_12", gettext_lazy("Last 12 months")),
]


def preset_range(preset: str, today: datetime.date) -> tuple[Period, Period]:
    """The months of a preset: this year up to the current month, last year, or the 12 finished months."""
    month = Period.containing(PeriodType.MONTH, today)
    if preset == "this_year":
        return Period.make(PeriodType.MONTH, today.year, 1), month
    if preset == "last_year":
        return Period.make(PeriodType.MONTH, today.year - 1, 1), Period.make(
            PeriodType.MONTH, today.year - 1, 12
        )
    last = month.previous()
    return last.shift(-11), last


def _month_code(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _unit_choices(user, selected: OrgUnit) -> list[tuple[int, str]]:
    """The top of the user's scope, two levels deep (and the selected unit), indented by depth."""
    roots = list(scope.roots(user).filter(archived_at__isnull=True))
    base = min((u.depth for u in roots), default=selected.depth)
    units = list(
        scope.units(user)
        .filter(archived_at__isnull=True, depth__lte=base + 2)
        .order_by("path")[:PICKER_LIMIT]
    )
    if all(u.pk != selected.pk for u in units):
        units.append(selected)
    return [(u.pk, "— " * max(0, u.depth - base) + u.name) for u in units]


class AnalysisForm(BootstrapMixin, forms.Form):
    under = forms.TypedChoiceField(label=gettext_lazy("Part of the network"), coerce=int)
    indicators = forms.MultipleChoiceField(
        label=gettext_lazy("Indicators"),
        widget=forms.SelectMultiple(attrs={"size": 14}),
        help_text=gettext_lazy("Hold Ctrl (⌘ on a Mac) to choose several."),
        error_messages={"required": gettext_lazy("Choose at least one indicator.")},
    )
    first = forms.CharField(
        label=pgettext_lazy("period", "From"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"}),
    )
    last = forms.CharField(
        label=pgettext_lazy("period", "To"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-12"}),
    )
    preset = forms.ChoiceField(required=False, choices=[("", ""), *PRESETS])
    period_type = forms.ChoiceField(label=gettext_lazy("Periods of"))
    rows = forms.ChoiceField(
        label=gettext_lazy("Rows"),
        choices=[
            (analysis.ROWS_BY_UNIT, gettext_lazy("units")),
            (analysis.ROWS_BY_PERIOD, gettext_lazy("periods")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, under: OrgUnit, indicator_choices, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["under"].choices = _unit_choices(user, under)
        self.fields["indicators"].choices = indicator_choices
        self.fields["period_type"].choices = [(t, PeriodType(t).label) for t in analysis.PERIOD_TYPES]

    def clean(self):
        data = super().clean()
        if data.get("preset"):
            first, last = preset_range(data["preset"], self.today)
        else:
            first, last = data.get("first"), data.get("last") or data.get("first")
            if not first:
                self.add_error("first", _("Give the first month of the range."))
                return data
        try:
            data["first"], data["last"] = analysis.snap_range(first, last, data.get("period_type") or "month")
        except analysis.AnalysisError as exc:
            self.add_error(exc.field, str(exc))
        return data

    def show_range(self, first: Period, last: Period) -> None:
        """Put the range's first and last months into the inputs (a preset or a code like 2025-Q1 too)."""
        self.data = self.data.copy()
        self.data["first"], self.data["last"] = _month_code(first.start), _month_code(last.end)


def _with_defaults(query: QueryDict, user, choices) -> QueryDict:
    """The request's parameters, the missing ones taken from the defaults: the top of the user's scope, the
    first indicators of the first form, the last 12 months by month, rows by unit.

    A submitted form always sends `period_type`: then nothing chosen stays unchosen and is explained,
    while a bare link (`?under=12`) gets the defaults."""
    data = QueryDict(mutable=True)
    for name in FIELDS:
        if name in query:
            data.setlist(name, query.getlist(name))
    if not data.get("under"):
        root = scope.roots(user).filter(archived_at__isnull=True).first()
        if root is None:
            raise Http404
        data["under"] = str(root.pk)
    if "period_type" not in query:
        if "indicators" not in data and choices:
            codes = [code for code, _label in choices[0][1] if "." not in code]
            data.setlist("indicators", codes[:DEFAULT_INDICATORS])
        if not any(data.get(name) for name in ("first", "last", "preset")):
            data["preset"] = "last_12"
    data.setdefault("period_type", PeriodType.MONTH.value)
    data.setdefault("rows", analysis.ROWS_BY_UNIT)
    return data


def _under(user, value: str | None) -> OrgUnit:
    try:
        pk = int(value or "")
    except ValueError as exc:
        raise Http404 from exc
    return scope.get_unit_or_404(user, pk)


def _ancestors(user, unit: OrgUnit) -> list[OrgUnit]:
    """The units above `unit` that the user sees, top first (one query)."""
    paths = [unit.path[:end] for end in range(OrgUnit.steplen, len(unit.path), OrgUnit.steplen)]
    if not paths:
        return []
    return [u for u in OrgUnit.objects.filter(path__in=paths).order_by("path") if scope.covers(user, u)]


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _short_label(period: Period) -> str:
    """A period's name short enough for the axis of a chart: 03.2026, II 2026, 2026."""
    if period.type == PeriodType.MONTH:
        return date_format(period.start, "m.Y")
    if period.type == PeriodType.QUARTER:
        return f"{ROMAN[period.number]} {period.year}"
    return str(period.year)


def _chart(table: analysis.Pivot, links: dict[str, str]):
    """("bars" or "line", the chart) of the first chosen indicator that has figures; None without any."""
    index = next(
        (i for i in range(len(table.columns)) if any(row.cells[i].value is not None for row in table.rows)),
        None,
    )
    if index is None:
        return None
    column = table.columns[index]
    cells = [row.cells[index] for row in table.rows]
    if table.rows_by == analysis.ROWS_BY_UNIT:
        chart = charts.bar_chart(
            [(row.label, cell.value, cell.shown) for row, cell in zip(table.rows, cells, strict=True)],
            title=column.label,
            links=[links.get(row.key, "") for row in table.rows],
            chart_id="analysis-chart",
        )
        return "bars", chart
    series = [
        charts.Series(table.range_label, [c.value for c in cells], [c.shown for c in cells]),
        charts.Series(
            table.year_ago_label,
            [c.last_year for c in cells],
            [c.shown_last_year for c in cells],
            css="chart-line-muted",
        ),
    ]
    labels = [_short_label(row.period) for row in table.rows]
    return "line", charts.line_chart(labels, series, title=column.label, chart_id="analysis-chart")


def _download(table: analysis.Pivot) -> HttpResponse:
    response = HttpResponse(analysis.pivot_xlsx(table), content_type=analysis.XLSX_CONTENT_TYPE)
    filename = f"analysis-{table.under.code}-{table.first.code}-{table.last.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def analysis_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if scope.prefixes(user) == ():
        raise PermissionDenied
    choices = analysis.indicator_choices()
    data = _with_defaults(request.GET, user, choices)
    under = _under(user, data.get("under"))
    form = AnalysisForm(data, user=user, under=under, indicator_choices=choices, today=timezone.localdate())
    table = None
    if form.is_valid():
        chosen = form.cleaned_data
        try:
            table = analysis.pivot(
                user,
                under=under,
                indicators=chosen["indicators"],
                first=chosen["first"],
                last=chosen["last"],
                rows=chosen["rows"],
                period_type=chosen["period_type"],
            )
        except analysis.AnalysisError as exc:
            form.add_error(exc.field, str(exc))
        else:
            form.show_range(table.first, table.last)
    if table is not None and request.GET.get("format") == "xlsx":
        return _download(table)
    page_url = reverse("reporting:analysis")
    query = form.data.copy()
    links: dict[str, str] = {}
    if table is not None:
        for row in table.rows:
            if row.can_drill:
                query["under"] = str(row.unit.pk)
                row.url = links[row.key] = f"{page_url}?{query.urlencode()}"
        query["under"] = str(under.pk)
    ancestors = []
    for unit in _ancestors(user, under):
        query["under"] = str(unit.pk)
        ancestors.append((unit, f"{page_url}?{query.urlencode()}"))
    query["under"] = str(under.pk)
    xlsx_query = query.copy()
    xlsx_query["format"] = "xlsx"
    chart = _chart(table, links) if table is not None and table.columns else None
    context = {
        "nav_active": "analysis",
        "form": form,
        "table": table,
        "links": links,
        "ancestors": ancestors,
        "under": under,
        "page_url": page_url,
        "xlsx_url": f"{page_url}?{xlsx_query.urlencode()}",
        "chart_kind": chart[0] if chart else "",
        "chart": chart[1] if chart else None,
        "presets": PRESETS,
    }
    if request.htmx and request.htmx.target == "analysis":
        return render(request, f"{PAGE}#analysis", context)
    return render(request, PAGE, context)


urlpatterns = [
    path("analysis/", analysis_page, name="analysis"),
]
