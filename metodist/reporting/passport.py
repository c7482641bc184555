"""The passport of figures of a unit over the years, and rankings of the libraries of a district.

    passport = unit_passport(mukur, [2022, 2023, 2024, 2025, 2026])
    passport.row("loans").cells[-1].value            # loans of 2026 so far
    ranking = rankings(beskaragay, loans_indicator, 2025)
    ranking.rows[0].rank, ranking.rows[0].per_1000    # the first library by loans per 1,000 people

A passport row is a key figure of a year: registered users, visits, loans, the collection at the end of
the year and public events, then the ratios librarians read from them — loans per user (читаемость),
visits per user (посещаемость), collection turnover (обращаемость) and the share of the population
reached (охват) — and, from the registry's yearly passport, computers and floor area.

Where a figure comes from, per library and per figure: the annual report ("1-библиотека": `year_users`,
`year_visits`, `year_loans`, `stock_end`, `year_events`) when the library has that figure in an
accepted or submitted annual report of the year; otherwise the sum of its monthly reports of the year
(`lib_users`, `lib_visits`, `lib_loans`, `lib_events`). The annual report is the checked statement of
the year and wins; the months fill the years not closed yet (the current one) and the libraries that do
not file the annual form. A month's "registered users" are those (re-)registered in the month, so their
sum is the year's users. The collection has no monthly figure: without an annual report it stays empty.
Each year says which sources it used. The ratios are computed from these figures (a ratio of sums).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import ExtractYear, TruncYear
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from openpyxl import Workbook

from metodist.network.models import LibraryPassport, OrgUnit, UnitKind
from metodist.reporting.consolidated import (
    INCLUDED_NOTE,
    INCLUDED_STATUSES,
    show_number,
    xlsx_bytes,
    xlsx_header,
    xlsx_row,
    xlsx_sheet,
)
from metodist.reporting.models import Aggregation, DerivedIndicator, Indicator, Value
from metodist.reporting.periods import PeriodType
from metodist.reporting.selectors import in_subtree, population

ANNUAL, MONTHLY, MIXED = "annual", "monthly", "mixed"
MAX_YEARS = 15


@dataclass(frozen=True)
class FigureDef:
    key: str
    label: object
    annual: str  # the indicator of the annual report
    monthly: str | None  # the indicator of the monthly report summed instead, if there is one


FIGURES = (
    FigureDef("users", pgettext_lazy("passport", "Registered users"), "year_users", "lib_users"),
    FigureDef("visits", pgettext_lazy("passport", "Visits"), "year_visits", "lib_visits"),
    FigureDef("loans", pgettext_lazy("passport", "Loans"), "year_loans", "lib_loans"),
    FigureDef(
        "collection", pgettext_lazy("passport", "Collection at the end of the year"), "stock_end", None
    ),
    FigureDef("events", pgettext_lazy("passport", "Public events"), "year_events", "lib_events"),
)


@dataclass(frozen=True)
class RatioDef:
    key: str  # the code of the shipped derived indicator, whose name and precision it takes when present
    label: object
    numerator: str
    denominator: str | None  # None: the population served
    factor: Decimal = Decimal(1)
    decimals: int = 1


RATIOS = (
    RatioDef("reading_rate", pgettext_lazy("passport", "Loans per user"), "loans", "users"),
    RatioDef("visit_rate", pgettext_lazy("passport", "Visits per user"), "visits", "users"),
    RatioDef(
        "turnover_rate", pgettext_lazy("passport", "Collection turnover"), "loans", "collection", decimals=2
    ),
    RatioDef(
        "coverage", pgettext_lazy("passport", "Population reached, %"), "users", None, factor=Decimal(100)
    ),
)
SOURCE_LABELS = {
    ANNUAL: gettext_lazy("annual report"),
    MONTHLY: gettext_lazy("monthly reports"),
    MIXED: gettext_lazy("annual and monthly reports"),
}


# --- the passport ---------------------------------------------------------------------------------------


@dataclass
class PassportCell:
    value: Decimal | None
    decimals: int | None = None

    @property
    def shown(self) -> str:
        return show_number(self.value, self.decimals)


@dataclass
class PassportRow:
    key: str
    label: str
    cells: list[PassportCell]
    kind: str = "figure"  # "figure", "ratio" or "registry"

    @property
    def values(self) -> list[Decimal | None]:
        return [cell.value for cell in self.cells]


@dataclass
class YearSource:
    year: int
    source: str  # ANNUAL, MONTHLY, MIXED or "" (nothing reported)
    months: int = 0  # the months of monthly reports used
    partial: bool = False  # the year is not over yet

    @property
    def label(self) -> str:
        return str(SOURCE_LABELS.get(self.source, ""))


@dataclass
class UnitPassport:
    unit: OrgUnit
    years: list[int]
    rows: list[PassportRow]
    sources: list[YearSource]
    population: int

    def row(self, key: str) -> PassportRow:
        return next(row for row in self.rows if row.key == key)

    @property
    def has_data(self) -> bool:
        return any(value is not None for row in self.rows for value in row.values)


def default_years(today: datetime.date | None = None, count: int = 5) -> list[int]:
    """The last `count` years up to the current one."""
    year = (today or timezone.localdate()).year
    return list(range(year - count + 1, year + 1))


def _included(under: OrgUnit, first: datetime.date, last: datetime.date) -> QuerySet:
    return Value.objects.filter(
        in_subtree("unit_path", under.path),
        report__status__in=INCLUDED_STATUSES,
        ref_date__gte=first,
        ref_date__lte=last,
        number__isnull=False,
    ).order_by()


def _figures_by_year(under: OrgUnit, years: list[int]) -> tuple[dict, dict, dict]:
    """({(figure key, year): value}, {year: sources used}, {year: months of monthly reports used})."""
    first, last = datetime.date(min(years), 1, 1), datetime.date(max(years), 12, 31)
    annual_codes = {f.annual: f.key for f in FIGURES}
    monthly_codes = {f.monthly: f for f in FIGURES if f.monthly}
    values: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    sources: dict[int, set[str]] = defaultdict(set)
    months: dict[int, int] = defaultdict(int)

    # The annual reports: one value per library and year (the collection's "last" rule is the sum
    # over libraries too).
    annual = (
        _included(under, first, last)
        .filter(indicator__code__in=list(annual_codes), period_type=PeriodType.YEAR)
        .annotate(year=ExtractYear("ref_date"))
        .values("indicator__code", "year")
        .annotate(total=Sum("number"))
    )
    for row in annual:
        values[(annual_codes[row["indicator__code"]], row["year"])] += row["total"]
        sources[row["year"]].add(ANNUAL)

    # The months of the libraries that have no annual figure of the year: each monthly value names the
    # annual indicator that would replace it, and is dropped when its library has that one.
    annual_twin = Case(
        *(When(indicator__code=code, then=V(figure.annual)) for code, figure in monthly_codes.items()),
        output_field=CharField(),
    )
    has_annual = _included(under, first, last).filter(
        unit_id=OuterRef("unit_id"),
        indicator__code=OuterRef("annual_code"),
        period_type=PeriodType.YEAR,
        ref_date=OuterRef("year_start"),
    )
    monthly = (
        _included(under, first, last)
        .filter(indicator__code__in=list(monthly_codes))
        .annotate(annual_code=annual_twin, year_start=TruncYear("ref_date"), year=ExtractYear("ref_date"))
        .filter(~Exists(has_annual))
        .values("indicator__code", "year")
        .annotate(total=Sum("number"), months=Count("ref_date", distinct=True))
    )
    for row in monthly:
        values[(monthly_codes[row["indicator__code"]].key, row["year"])] += row["total"]
        sources[row["year"]].add(MONTHLY)
        months[row["year"]] = max(months[row["year"]], row["months"])
    return dict(values), sources, months


def _registry(under: OrgUnit, years: list[int]) -> dict[tuple[str, int], Decimal]:
    """Computers and floor area from the registry's yearly passports of the libraries below."""
    rows = (
        LibraryPassport.objects.filter(in_subtree("unit__path", under.path), year__in=years)
        .order_by()
        .values("year")
        .annotate(computers=Sum("computers"), floor_area=Sum("floor_area"))
    )
    found = {}
    for row in rows:
        found[("computers", row["year"])] = Decimal(row["computers"] or 0)
        if row["floor_area"] is not None:
            found[("floor_area", row["year"])] = Decimal(row["floor_area"])
    return found


def _ratio(numerator, denominator, factor: Decimal, decimals: int) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator) * factor).quantize(Decimal(1).scaleb(-decimals))


def unit_passport(unit: OrgUnit, years: list[int] | None = None) -> UnitPassport:
    """The key yearly figures of `unit` (a library, or the whole subtree of a territory) over `years`."""
    years = sorted(set(years or default_years()))[-MAX_YEARS:]
    figures, sources, months = _figures_by_year(unit, years)
    people = population(unit)[None]
    rows = [
        PassportRow(
            figure.key, str(figure.label), [PassportCell(figures.get((figure.key, year))) for year in years]
        )
        for figure in FIGURES
    ]
    shipped = {d.code: d for d in DerivedIndicator.objects.filter(code__in=[r.key for r in RATIOS])}
    for ratio in RATIOS:
        derived = shipped.get(ratio.key)
        label = derived.name if derived else str(ratio.label)
        decimals = derived.decimals if derived else ratio.decimals
        cells = []
        for year in years:
            below = people if ratio.denominator is None else figures.get((ratio.denominator, year))
            value = _ratio(figures.get((ratio.numerator, year)), below, ratio.factor, decimals)
            cells.append(PassportCell(value, decimals))
        rows.append(PassportRow(ratio.key, label, cells, kind="ratio"))
    registry = _registry(unit, years)
    rows.append(
        PassportRow(
            "computers",
            str(pgettext_lazy("passport", "Computers")),
            [PassportCell(registry.get(("computers", year))) for year in years],
            kind="registry",
        )
    )
    rows.append(
        PassportRow(
            "floor_area",
            str(pgettext_lazy("passport", "Floor area, m²")),
            [PassportCell(registry.get(("floor_area", year))) for year in years],
            kind="registry",
        )
    )
    this_year = timezone.localdate().year
    year_sources = []
    for year in years:
        used = sources.get(year, set())
        source = MIXED if len(used) > 1 else next(iter(used), "")
        year_sources.append(YearSource(year, source, months.get(year, 0), partial=year >= this_year))
    return UnitPassport(unit, years, rows, year_sources, people)


# --- rankings -------------------------------------------------------------------------------------------

_AGGREGATES = {Aggregation.SUM: Sum, Aggregation.AVERAGE: Avg, Aggregation.MIN: Min, Aggregation.MAX: Max}


def per_unit(indicator: Indicator, under: OrgUnit, year: int) -> dict[int, Decimal]:
    """The indicator's figure of the year for every unit under `under` (each unit's own reports), with
    the indicator's rule: {unit id: value}."""
    values = _included(under, datetime.date(year, 1, 1), datetime.date(year, 12, 31)).filter(
        indicator=indicator
    )
    rule = indicator.aggregation
    if rule == Aggregation.LAST:
        latest = (
            values.filter(unit_id=OuterRef("unit_id"))
            .values("unit_id")
            .annotate(latest=Max("ref_date"))
            .values("latest")[:1]
        )
        values, rule = values.filter(ref_date=Subquery(latest)), Aggregation.SUM
    if indicator.category_set_id and rule != Aggregation.SUM:
        # Over report totals (the sum of the parts), as in selectors.rollup: one row per report.
        totals: dict[int, list[Decimal]] = defaultdict(list)
        for row in values.values("unit_id", "report_id").annotate(total=Sum("number")):
            totals[row["unit_id"]].append(Decimal(str(row["total"])))
        pick = {Aggregation.AVERAGE: lambda n: sum(n) / len(n), Aggregation.MIN: min, Aggregation.MAX: max}
        return {unit_id: Decimal(pick[rule](numbers)) for unit_id, numbers in totals.items()}
    rows = values.values("unit_id").annotate(value=_AGGREGATES[rule]("number"))
    return {row["unit_id"]: Decimal(str(row["value"])) for row in rows if row["value"] is not None}


@dataclass
class RankingRow:
    unit: OrgUnit
    value: Decimal | None
    population: int | None
    per_1000: Decimal | None = None
    rank: int | None = None
    decimals: int | None = None

    @property
    def shown_value(self) -> str:
        return show_number(self.value, self.decimals)

    @property
    def shown_per_1000(self) -> str:
        return show_number(self.per_1000, 1)


@dataclass
class Ranking:
    unit: OrgUnit
    subject: Indicator | DerivedIndicator
    year: int
    rows: list[RankingRow] = field(default_factory=list)
    total: RankingRow | None = None

    @property
    def is_derived(self) -> bool:
        return isinstance(self.subject, DerivedIndicator)

    @property
    def ranked(self) -> list[RankingRow]:
        return [row for row in self.rows if row.rank is not None]

    @property
    def unranked(self) -> list[RankingRow]:
        return [row for row in self.rows if row.rank is None]


PER_1000_STEP = Decimal("0.1")


def rankings(district: OrgUnit, subject: Indicator | DerivedIndicator, year: int) -> Ranking:
    """The libraries under `district` ranked for `year`.

    For an indicator: by its figure per 1,000 of the population each library serves (value / population
    × 1,000). For a derived indicator (already a ratio, or per population): by its value. Equal values
    share a rank (1, 2, 2, 4); libraries without a figure or without population come last, unranked.
    """
    derived = isinstance(subject, DerivedIndicator)
    libraries = list(
        OrgUnit.objects.filter(in_subtree("path", district.path), kind=UnitKind.LIBRARY).order_by("path")
    )
    decimals = subject.decimals if derived else None
    if derived:
        numerators = per_unit(subject.numerator, district, year)
        denominators = (
            {u.pk: Decimal(u.population_served) for u in libraries if u.population_served}
            if subject.per_population
            else per_unit(subject.denominator, district, year)
        )
        figures = {
            u.pk: _ratio(numerators.get(u.pk), denominators.get(u.pk), subject.factor, subject.decimals)
            for u in libraries
        }
    else:
        ids = {u.pk for u in libraries}
        figures = {pk: value for pk, value in per_unit(subject, district, year).items() if pk in ids}
    rows = []
    for unit in libraries:
        value = figures.get(unit.pk)
        if value is None and unit.archived_at is not None:
            continue  # closed libraries appear only with a figure of the year
        row = RankingRow(unit, value, unit.population_served, decimals=decimals)
        if not derived:
            row.per_1000 = _ratio(value, unit.population_served, Decimal(1000), 1)
        rows.append(row)
    key = (lambda r: r.value) if derived else (lambda r: r.per_1000)
    ranked = sorted((r for r in rows if key(r) is not None), key=lambda r: (-key(r), r.unit.path))
    for index, row in enumerate(ranked):
        previous = ranked[index - 1] if index else None
        row.rank = previous.rank if previous is not None and key(previous) == key(row) else index + 1
    unranked = [r for r in rows if key(r) is None]
    ranking = Ranking(district, subject, year, ranked + unranked)
    ranking.total = _total(ranking, libraries, figures if not derived else None)
    return ranking


def _total(ranking: Ranking, libraries: list[OrgUnit], figures: dict | None) -> RankingRow | None:
    """The district's line: the figure summed over its libraries, per 1,000 of the population all its
    libraries serve (as the district's own figure would be; a library without a report still has its
    people). Only for indicators that add up (sum, last); ratios and averages are not summed."""
    if figures is None or ranking.subject.aggregation not in (Aggregation.SUM, Aggregation.LAST):
        return None
    people = sum(u.population_served or 0 for u in libraries)
    value = sum(figures.values()) if figures else None
    row = RankingRow(ranking.unit, value, people or None)
    row.per_1000 = _ratio(value, people, Decimal(1000), 1)
    return row


# --- XLSX -----------------------------------------------------------------------------------------------


def passport_xlsx(passport: UnitPassport, *, language: str = "ru") -> bytes:
    """The passport as a sheet: the figures down, the years across, the source of each year below."""
    with translation.override(language):
        workbook = Workbook()
        sheet = xlsx_sheet(workbook, _("Passport of figures"), [44] + [14] * len(passport.years))
        xlsx_row(sheet, [_("Passport of figures")], bold=True)
        xlsx_row(sheet, [passport.unit.name])
        if passport.population:
            xlsx_row(sheet, [_("Population served: %(people)s") % {"people": passport.population}])
        sheet.append([])
        xlsx_header(sheet, [pgettext("passport", "Figure"), *[str(year) for year in passport.years]])
        for row in passport.rows:
            xlsx_row(sheet, [row.label, *row.values], italic=row.kind != "figure")
        xlsx_row(
            sheet,
            [pgettext("passport", "Source"), *[source.label for source in passport.sources]],
            italic=True,
        )
        sheet.append([])
        xlsx_row(sheet, [str(INCLUDED_NOTE)], italic=True)
        xlsx_row(
            sheet,
            [
                _(
                    "A year's figures come from the annual report where a library has one, "
                    "else from its monthly reports."
                )
            ],
            italic=True,
        )
        return xlsx_bytes(workbook)


def rankings_xlsx(ranking: Ranking, *, language: str = "ru") -> bytes:
    with translation.override(language):
        workbook = Workbook()
        sheet = xlsx_sheet(workbook, _("Rankings"), [8, 50, 16, 14, 16])
        xlsx_row(sheet, [_("Rankings of libraries")], bold=True)
        xlsx_row(sheet, [ranking.unit.name])
        xlsx_row(sheet, [f"{ranking.subject.name}, {ranking.year}"])
        sheet.append([])
        header = [
            pgettext("ranking", "Rank"),
            pgettext("ranking", "Library"),
            pgettext("ranking", "Value"),
            _("Population served"),
        ]
        if not ranking.is_derived:
            header.append(_("Per 1,000 population"))
        xlsx_header(sheet, header)
        for row in ranking.rows:
            cells = [row.rank, row.unit.name, row.value, row.population]
            if not ranking.is_derived:
                cells.append(row.per_1000)
            xlsx_row(sheet, cells)
        if ranking.total is not None:
            xlsx_row(
                sheet,
                [
                    "",
                    pgettext("ranking", "Total"),
                    ranking.total.value,
                    ranking.total.population,
                    ranking.total.per_1000,
                ],
                bold=True,
            )
        sheet.append([])
        xlsx_row(sheet, [str(INCLUDED_NOTE)], italic=True)
        return xlsx_bytes(workbook)
