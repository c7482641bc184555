"""Pages of the passport of figures of a unit (a table over the years with line charts drawn on the server,
and its XLSX) and of the rankings of the libraries of a district per 1,000 population (and XLSX).

    /reporting/passport/<unit id>/?from=2022&to=2026[&format=xlsx]
    /reporting/rankings/?unit=<district id>&indicator=year_loans&year=2025[&format=xlsx]

Units come through `scope.get_unit_or_404`: out of the user's part of the network, 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metodist.core import scope
from metodist.network.models import TERRITORY_KINDS, OrgUnit, UnitKind
from metodist.reporting.consolidated import XLSX_CONTENT_TYPE, show_number
from metodist.reporting.consolidated_views import download, language, require_scope, unit_choices
from metodist.reporting.models import DerivedIndicator, Indicator, ValueType
from metodist.reporting.passport import (
    INCLUDED_NOTE,
    MAX_YEARS,
    default_years,
    passport_xlsx,
    rankings,
    rankings_xlsx,
    unit_passport,
)

RANKING_YEARS = 8


# --- a line chart drawn on the server ---------------------------------------------------------------------


@dataclass
class Marker:
    x: float
    y: float
    title: str
    partial: bool = False  # a year not over yet: drawn hollow, reached by a dashed line


@dataclass
class Segment:
    points: str  # "x,y x,y …"
    dashed: bool = False


@dataclass
class LineChart:
    """One figure over the years in an SVG: coordinates computed here, the template only draws them."""

    id: str
    title: str
    last: str
    width: int = 300
    height: int = 130
    segments: list[Segment] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    top_label: str = ""
    top_y: float = 0.0
    baseline_y: float = 0.0
    left: float = 8.0
    right: float = 292.0


def line_chart(key: str, title: str, sources, cells) -> LineChart | None:
    """A chart of the figure over the years of `sources` (the passport's YearSource list), or None when
    it has fewer than two values. The scale starts at zero, so a small change does not look like a fall;
    a year not over yet is drawn apart (dashed, hollow), as its figure is only the months so far."""
    known = [cell.value for cell in cells if cell.value is not None]
    if len(known) < 2:
        return None
    chart = LineChart(id=f"chart-{key}", title=title, last=next(c.shown for c in reversed(cells) if c.shown))
    top, bottom = 22.0, chart.height - 22.0
    highest = max(max(known), Decimal(0)) or Decimal(1)
    step = (chart.right - chart.left) / max(len(sources) - 1, 1)
    chart.baseline_y, chart.top_y = bottom, top
    chart.top_label = show_number(highest, cells[0].decimals)
    previous: Marker | None = None
    run: list[str] = []
    for index, (source, cell) in enumerate(zip(sources, cells, strict=True)):
        x = round(chart.left + index * step, 1)
        chart.x_labels.append((x, f"{source.year}{'*' if source.partial else ''}"))
        if cell.value is None:
            if len(run) > 1:
                chart.segments.append(Segment(" ".join(run)))
            run, previous = [], None
            continue
        y = round(bottom - (bottom - top) * float(cell.value) / float(highest), 1)
        marker = Marker(x, y, f"{source.year}: {cell.shown}", partial=source.partial)
        if marker.partial and previous is not None:
            chart.segments.append(Segment(f"{previous.x},{previous.y} {x},{y}", dashed=True))
        else:
            run.append(f"{x},{y}")
        chart.markers.append(marker)
        previous = marker
    if len(run) > 1:
        chart.segments.append(Segment(" ".join(run)))
    return chart


# --- the passport ---------------------------------------------------------------------------------------


def _year(raw, fallback: int) -> int:
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return fallback
    return year if 1990 <= year <= 2100 else fallback


def _years(request: HttpRequest) -> tuple[list[int], bool]:
    """The years asked for (`from`, `to`), at most MAX_YEARS; whether they are the default ones."""
    default = default_years()
    if not request.GET.get("from") and not request.GET.get("to"):
        return default, True
    last = _year(request.GET.get("to"), default[-1])
    first = _year(request.GET.get("from"), last - len(default) + 1)
    first, last = min(first, last), max(first, last)
    first = max(first, last - MAX_YEARS + 1)
    return list(range(first, last + 1)), False


def _district_of(unit: OrgUnit) -> OrgUnit | None:
    """The nearest district or city above (or at) the unit, else the nearest territory: where its
    libraries are ranked."""
    if unit.kind in TERRITORY_KINDS:
        return unit
    paths = [unit.path[:end] for end in range(OrgUnit.steplen, len(unit.path), OrgUnit.steplen)]
    above = OrgUnit.objects.filter(path__in=paths, kind__in=TERRITORY_KINDS).order_by("-depth")
    return above.filter(kind__in=[UnitKind.DISTRICT, UnitKind.CITY]).first() or above.first()


@login_required
def passport_page(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = scope.get_unit_or_404(request.user, unit_id)
    years, is_default = _years(request)
    passport = unit_passport(unit, years)
    if is_default and passport.has_data:
        # Years before the first figure say nothing: start with the first year that has one.
        first = next(
            index
            for index in range(len(years))
            if any(row.cells[index].value is not None for row in passport.rows)
        )
        if first:
            passport = unit_passport(unit, years[first:])
    if request.GET.get("format") == "xlsx":
        filename = f"passport-{unit.code}-{passport.years[0]}-{passport.years[-1]}-{language()}.xlsx"
        return download(passport_xlsx(passport, language=language()), XLSX_CONTENT_TYPE, filename)
    charts = [
        chart
        for row in passport.rows
        if row.kind != "registry"
        for chart in [line_chart(row.key, row.label, passport.sources, row.cells)]
        if chart is not None
    ]
    district = _district_of(unit)
    this_year = timezone.localdate().year
    context = {
        "nav_active": "consolidated",
        "unit": unit,
        "passport": passport,
        "charts": charts,
        "district": district if district and scope.covers(request.user, district) else None,
        "year_choices": list(range(this_year - MAX_YEARS + 1, this_year + 1)),
        "included_note": INCLUDED_NOTE,
        "query": f"from={passport.years[0]}&to={passport.years[-1]}",
    }
    return render(request, "reporting/passport/passport.html", context)


# --- rankings -------------------------------------------------------------------------------------------


def _subjects() -> tuple[list[Indicator], list[DerivedIndicator]]:
    indicators = list(
        Indicator.objects.filter(is_active=True).exclude(value_type=ValueType.TEXT).order_by("code")
    )
    derived = list(
        DerivedIndicator.objects.select_related("numerator", "denominator").order_by("order", "code")
    )
    return indicators, derived


def default_subject(indicators, derived) -> str:
    for code in ("year_loans", "lib_loans"):
        if any(i.code == code for i in indicators):
            return code
    if indicators:
        return indicators[0].code
    return derived[0].code if derived else ""


class RankingForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("District"), coerce=int)
    indicator = forms.ChoiceField(label=gettext_lazy("Indicator"))
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)

    def __init__(self, *args, user, unit: OrgUnit | None, indicators, derived, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(user, unit, kinds=sorted(TERRITORY_KINDS))
        self.fields["indicator"].choices = [
            (_("Indicators"), [(i.code, f"{i.name} ({i.code})") for i in indicators]),
            (_("Derived indicators"), [(d.code, d.name) for d in derived]),
        ]
        self.fields["year"].choices = [(year, str(year)) for year in years]
        url = reverse("reporting:rankings")
        for field_ in self.fields.values():
            field_.widget.attrs.update(
                {"class": "form-select form-select-sm", "hx-get": url, "hx-include": "closest form"}
            )
        self.by_code = {i.code: i for i in indicators}
        for item in derived:
            self.by_code.setdefault(item.code, item)

    def clean_indicator(self):
        return self.by_code[self.cleaned_data["indicator"]]


@login_required
def rankings_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    # First: a unit out of scope is a 404 for everybody.
    unit = scope.get_unit_or_404(user, request.GET["unit"]) if request.GET.get("unit") else None
    require_scope(user)
    if unit is None:
        # The district of the top of her scope, when she sees it whole; else that top itself.
        root = scope.roots(user).filter(archived_at__isnull=True).first()
        district = _district_of(root) if root is not None else None
        unit = district if district is not None and scope.covers(user, district) else root
    indicators, derived = _subjects()
    this_year = timezone.localdate().year
    years = list(range(this_year, this_year - RANKING_YEARS, -1))
    data = {
        "unit": str(unit.pk) if unit else "",
        "indicator": request.GET.get("indicator") or default_subject(indicators, derived),
        "year": request.GET.get("year") or str(this_year - 1),
    }
    filters = RankingForm(data, user=user, unit=unit, indicators=indicators, derived=derived, years=years)
    ranking = None
    if filters.is_valid():
        ranking = rankings(unit, filters.cleaned_data["indicator"], filters.cleaned_data["year"])
    if ranking is not None and request.GET.get("format") == "xlsx":
        filename = f"rankings-{unit.code}-{ranking.subject.code}-{ranking.year}-{language()}.xlsx"
        return download(rankings_xlsx(ranking, language=language()), XLSX_CONTENT_TYPE, filename)
    rows = []
    if ranking is not None:
        key = (lambda r: r.value) if ranking.is_derived else (lambda r: r.per_1000)
        best = max((key(row) or 0 for row in ranking.rows), default=0)
        # The bar beside each library: its share of the best figure, in per cent of the cell.
        rows = [
            (row, round(float(key(row) / best * 100), 1) if best and key(row) else 0) for row in ranking.rows
        ]
    context = {
        "nav_active": "rankings",
        "filters": filters,
        "ranking": ranking,
        "rows": rows,
        "included_note": INCLUDED_NOTE,
        "query": (f"unit={unit.pk}&indicator={ranking.subject.code}&year={ranking.year}" if ranking else ""),
    }
    if request.htmx and request.htmx.target == "rankings-body":
        return render(request, "reporting/passport/rankings.html#body", context)
    return render(request, "reporting/passport/rankings.html", context)


urlpatterns = [
    path("passport/<int:unit_id>/", passport_page, name="unit_passport"),
    path("rankings/", rankings_page, name="rankings"),
]
