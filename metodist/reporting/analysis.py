"""Analysis of reported figures: a pivot of roll-ups over a subtree and a range of periods, and its XLSX.

    table = pivot(user, under=district, indicators=["lib_visits", "lib_users.children", "reading_rate"],
                  first="2025-01", last="2025-12", rows="unit", period_type="month")
    table.rows[0].cells[0].value, table.totals[2].change      # Decimal, % against a year earlier
    pivot_xlsx(table)                                         # the same table as a workbook

Rows are the children of `under` (with a row for `under`'s own figures when it has some) or the periods
of the range; columns are indicators (`code`), parts of split indicators (`code.part`) and derived
indicators (their codes). Every column costs a fixed number of roll-ups whatever the number of rows:
one grouped `selectors.rollup` for the range and one for the same range a year earlier, plus an
ungrouped one for the totals only where the total cannot be had from the groups (an average; "last
value" over periods). Roll-ups that several columns share (the numerator of two ratios) run once.

A derived indicator is computed on the roll-ups, a ratio of sums (`derived_rollup`, `ratio`): the reading
rate of a district is its loans over its users, never the average of its libraries' rates.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from metodist.core import scope
from metodist.network.models import OrgUnit
from metodist.reporting import selectors
from metodist.reporting.models import (
    Aggregation,
    Category,
    DerivedIndicator,
    FormField,
    FormVersion,
    Indicator,
    ValueType,
)
from metodist.reporting.periods import Period, PeriodError, PeriodType, periods_between

ROWS_BY_UNIT = "unit"
ROWS_BY_PERIOD = "period"
ROWS = (ROWS_BY_UNIT, ROWS_BY_PERIOD)
# Roll-ups group the reference day by these (selectors.rollup).
PERIOD_TYPES = (PeriodType.MONTH.value, PeriodType.QUARTER.value, PeriodType.YEAR.value)
MAX_COLUMNS = 20
MAX_PERIOD_ROWS = 120

Key = tuple[str | None, datetime.date | None]


class AnalysisError(ValueError):
    """A request the pivot cannot answer; the message is for the person, `field` names the input."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- roll-ups and ratios ------------------------------------------------------------------------------------


def rolled(indicator: Indicator, category: Category | None = None, **options) -> dict[Key, Decimal]:
    """`selectors.rollup` as {(group path, group period start): value}; (None, None) when not grouped."""
    return {
        (row.unit_path, row.period_start): row.value
        for row in selectors.rollup(indicator, category=category, **options)
        if row.value is not None
    }


def ratio(
    derived: DerivedIndicator, numerator: Decimal | None, denominator: Decimal | None
) -> Decimal | None:
    """numerator / denominator × factor, rounded to the derived indicator's decimals (None without both)."""
    if numerator is None or not denominator:
        return None
    step = Decimal(1).scaleb(-derived.decimals)
    return (numerator / denominator * derived.factor).quantize(step, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class DerivedRow:
    unit_path: str | None
    period_start: datetime.date | None
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None


def derived_rollup(
    derived: DerivedIndicator,
    *,
    under: OrgUnit,
    first: datetime.date,
    last: datetime.date,
    by_unit: bool = False,
    by_period: str | None = None,
) -> list[DerivedRow]:
    """A derived indicator per group (as `selectors.rollup` groups): the ratio of the groups' roll-ups.

    The denominator is another indicator's roll-up or, with `per_population`, the population the
    group's libraries serve (it does not change with the period). Rows come in tree, then time order.
    """
    options = {"under": under, "first": first, "last": last, "by_unit": by_unit, "by_period": by_period}
    numerators = rolled(derived.numerator, **options)
    if derived.per_population:
        people = selectors.population(under, by_unit=by_unit)
        denominators = {key: Decimal(people[key[0]]) for key in numerators if people.get(key[0])}
    else:
        denominators = rolled(derived.denominator, **options)
    keys = sorted(set(numerators) | set(denominators), key=lambda k: (k[0] or "", k[1] or datetime.date.min))
    return [
        DerivedRow(
            key[0],
            key[1],
            ratio(derived, numerators.get(key), denominators.get(key)),
            numerators.get(key),
            denominators.get(key),
        )
        for key in keys
    ]


# --- numbers for reading ------------------------------------------------------------------------------------


def format_number(value: Decimal | None, decimals: int = 0) -> str:
    """A number in the active language's format with grouping; empty for None."""
    if value is None:
        return ""
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def percent_change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    """The change from `before` to `now` in %, one decimal; None without both or from zero."""
    if now is None or before is None or before == 0:
        return None
    return ((now - before) / abs(before) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _decimals(indicator: Indicator) -> int:
    if indicator.aggregation == Aggregation.AVERAGE:
        return 1
    return 2 if indicator.value_type == ValueType.DECIMAL else 0


# --- the table ----------------------------------------------------------------------------------------------


@dataclass
class Column:
    code: str
    label: str
    decimals: int = 0
    measure: str = ""
    rule: str = ""  # how it rolls up, for the header
    indicator: Indicator | None = None
    category: Category | None = None
    derived: DerivedIndicator | None = None

    @property
    def is_derived(self) -> bool:
        return self.derived is not None

    @property
    def numerator_label(self) -> str:
        return self.derived.numerator.name if self.derived else ""

    @property
    def denominator_label(self) -> str:
        if self.derived is None:
            return ""
        if self.derived.per_population:
            return _("population served")
        return self.derived.denominator.name

    @property
    def parts_decimals(self) -> int:
        """Decimals of the numerator and denominator of a derived column."""
        if self.derived is None:
            return self.decimals
        return max(
            _decimals(self.derived.numerator),
            _decimals(self.derived.denominator) if self.derived.denominator else 0,
        )


@dataclass
class Cell:
    value: Decimal | None = None
    last_year: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    decimals: int = 0
    parts_decimals: int = 0
    derived: bool = False  # a ratio: numerator and denominator are its raw figures

    @property
    def change(self) -> Decimal | None:
        return percent_change(self.value, self.last_year)

    @property
    def shown(self) -> str:
        return format_number(self.value, self.decimals)

    @property
    def shown_last_year(self) -> str:
        return format_number(self.last_year, self.decimals)

    @property
    def shown_change(self) -> str:
        change = self.change
        if change is None:
            return ""
        sign = "+" if change > 0 else ("−" if change < 0 else "±")
        return f"{sign}{format_number(abs(change), 1)} %"

    @property
    def shown_numerator(self) -> str:
        return format_number(self.numerator, self.parts_decimals)

    @property
    def shown_denominator(self) -> str:
        return format_number(self.denominator, self.parts_decimals)


@dataclass
class Row:
    key: str  # the unit's path or the period's code
    label: str
    cells: list[Cell]
    unit: OrgUnit | None = None
    period: Period | None = None
    own: bool = False  # the figures of `under` itself, not of a child
    url: str = ""  # where the row drills to (set by the page)

    @property
    def can_drill(self) -> bool:
        return self.unit is not None and not self.own and self.unit.numchild > 0


@dataclass
class Pivot:
    under: OrgUnit
    rows_by: str
    period_type: str
    first: Period
    last: Period
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    totals: list[Cell] = field(default_factory=list)

    @property
    def year_ago(self) -> tuple[Period, Period]:
        return self.first.same_last_year(), self.last.same_last_year()

    @property
    def range_label(self) -> str:
        return _range_label(self.first, self.last)

    @property
    def year_ago_label(self) -> str:
        return _range_label(*self.year_ago)

    @property
    def has_data(self) -> bool:
        return any(cell.value is not None for cell in self.totals)


def _range_label(first: Period, last: Period) -> str:
    if first == last:
        return first.label()
    return _("%(first)s – %(last)s") % {"first": first.label(), "last": last.label()}


def snap_range(first: Period | str, last: Period | str, period_type: str) -> tuple[Period, Period]:
    """The range as whole periods of `period_type`: from the one holding `first` to the one holding
    `last` (a week belongs to the period of its Thursday)."""
    ends = []
    for name, value in (("first", first), ("last", last)):
        if isinstance(value, str):
            try:
                value = Period.parse(value)
            except PeriodError as exc:
                raise AnalysisError(
                    _("“%(code)s” is not a period: use 2026-03, 2026-Q1 or 2026.") % {"code": value}, name
                ) from exc
        ends.append(Period.containing(period_type, value.ref_date))
    if ends[1].start < ends[0].start:
        raise AnalysisError(_("The range ends before it begins."), "last")
    return ends[0], ends[1]


def _columns(codes: Sequence[str]) -> list[Column]:
    """The columns named by the codes, in their order (three queries whatever their number)."""
    codes = list(dict.fromkeys(code.strip() for code in codes if code and code.strip()))
    if not codes:
        raise AnalysisError(_("Choose at least one indicator."), "indicators")
    if len(codes) > MAX_COLUMNS:
        raise AnalysisError(
            _("Choose at most %(count)s indicators at a time.") % {"count": MAX_COLUMNS}, "indicators"
        )
    plain = {code.partition(".")[0] for code in codes}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=plain)}
    set_ids = {i.category_set_id for i in indicators.values() if i.category_set_id}
    categories = {
        (c.category_set_id, c.code): c for c in Category.objects.filter(category_set_id__in=set_ids)
    }
    derived = {
        d.code: d
        for d in DerivedIndicator.objects.filter(code__in=plain - set(indicators)).select_related(
            "numerator", "denominator"
        )
    }
    columns = []
    for code in codes:
        base, _dot, part = code.partition(".")
        indicator = indicators.get(base)
        if indicator is None and not part and base in derived:
            item = derived[base]
            columns.append(
                Column(code, item.name, decimals=item.decimals, rule=_("ratio of roll-ups"), derived=item)
            )
            continue
        category = categories.get((indicator.category_set_id, part)) if indicator and part else None
        if indicator is None or (part and category is None):
            raise AnalysisError(_("There is no indicator “%(code)s”.") % {"code": code}, "indicators")
        if indicator.value_type == ValueType.TEXT:
            raise AnalysisError(
                _("“%(code)s” holds text, which does not roll up.") % {"code": code}, "indicators"
            )
        label = indicator.name
        if category is not None:
            label = _("%(indicator)s: %(part)s") % {"indicator": indicator.name, "part": category.name}
        columns.append(
            Column(
                code,
                label,
                decimals=_decimals(indicator),
                measure=indicator.measure,
                rule=indicator.get_aggregation_display(),
                indicator=indicator,
                category=category,
            )
        )
    return columns


class _Rollups:
    """The roll-ups of one pivot, each made once: grouped as the rows are, and the totals, for the range
    ("now") and the same range a year earlier ("ago")."""

    def __init__(
        self, under: OrgUnit, ranges: dict[str, tuple[datetime.date, datetime.date]], rows_by, period_type
    ):
        self.under = under
        self.ranges = ranges
        self.by_unit = rows_by == ROWS_BY_UNIT
        self.by_period = period_type if rows_by == ROWS_BY_PERIOD else None
        self._groups: dict[tuple, dict[Key, Decimal]] = {}
        self._totals: dict[tuple, Decimal | None] = {}
        self._people: dict[bool, dict[str | None, int]] = {}

    def _options(self, when: str, grouped: bool) -> dict:
        first, last = self.ranges[when]
        return {
            "under": self.under,
            "first": first,
            "last": last,
            "by_unit": self.by_unit and grouped,
            "by_period": self.by_period if grouped else None,
        }

    def groups(self, indicator: Indicator, category: Category | None, when: str) -> dict[Key, Decimal]:
        key = (indicator.pk, category.pk if category else None, when)
        if key not in self._groups:
            self._groups[key] = rolled(indicator, category, **self._options(when, grouped=True))
        return self._groups[key]

    def total(self, indicator: Indicator, category: Category | None, when: str) -> Decimal | None:
        key = (indicator.pk, category.pk if category else None, when)
        if key not in self._totals:
            numbers = list(self.groups(indicator, category, when).values())
            rule = indicator.aggregation
            # The groups split the subtree (or the range) without overlap, so these totals follow from
            # them; an average, or "last" over periods, needs its own roll-up.
            if rule == Aggregation.SUM or (rule == Aggregation.LAST and self.by_unit):
                total = sum(numbers, Decimal(0)) if numbers else None
            elif rule == Aggregation.MIN:
                total = min(numbers, default=None)
            elif rule == Aggregation.MAX:
                total = max(numbers, default=None)
            else:
                total = rolled(indicator, category, **self._options(when, grouped=False)).get((None, None))
            self._totals[key] = total
        return self._totals[key]

    def value(self, indicator: Indicator, category: Category | None, when: str, key: Key | None):
        if key is None:
            return self.total(indicator, category, when)
        return self.groups(indicator, category, when).get(key)

    def people(self, key: Key | None) -> Decimal | None:
        grouped = key is not None and self.by_unit
        if grouped not in self._people:
            self._people[grouped] = selectors.population(self.under, by_unit=grouped)
        number = self._people[grouped].get(key[0] if grouped else None)
        return Decimal(number) if number else None

    def group_paths(self) -> set[str]:
        return {key[0] for groups in self._groups.values() for key in groups if key[0] is not None}


def _cell(source: _Rollups, column: Column, key: Key | None, year_ago_key: Key | None) -> Cell:
    cell = Cell(decimals=column.decimals, parts_decimals=column.parts_decimals, derived=column.is_derived)
    if column.derived is None:
        cell.value = source.value(column.indicator, column.category, "now", key)
        cell.last_year = source.value(column.indicator, column.category, "ago", year_ago_key)
        return cell
    derived = column.derived
    for when, which in (("now", key), ("ago", year_ago_key)):
        numerator = source.value(derived.numerator, None, when, which)
        if derived.per_population:
            denominator = source.people(which) if numerator is not None else None
        else:
            denominator = source.value(derived.denominator, None, when, which)
        if when == "now":
            cell.numerator, cell.denominator = numerator, denominator
            cell.value = ratio(derived, numerator, denominator)
        else:
            cell.last_year = ratio(derived, numerator, denominator)
    return cell


def pivot(
    user,
    *,
    under: OrgUnit,
    indicators: Sequence[str],
    first: Period | str,
    last: Period | str | None = None,
    rows: str = ROWS_BY_UNIT,
    period_type: str = PeriodType.MONTH,
) -> Pivot:
    """The pivot of `indicators` over the subtree of `under` and the periods first…last (whole periods of
    `period_type`), rows by child unit or by period, with totals and the same range a year earlier.

    `under` must be in the user's scope (else 404). Bad input raises `AnalysisError`.
    """
    if not scope.covers(user, under):
        raise Http404
    if rows not in ROWS:
        raise AnalysisError(_("Rows go by unit or by period."), "rows")
    if period_type not in PERIOD_TYPES:
        raise AnalysisError(_("Choose months, quarters or years."), "period_type")
    first, last = snap_range(first, last or first, period_type)
    periods = periods_between(period_type, first.start, last.end)
    if rows == ROWS_BY_PERIOD and len(periods) > MAX_PERIOD_ROWS:
        raise AnalysisError(
            _("The range holds %(count)s periods; choose a shorter range or longer periods.")
            % {"count": len(periods)},
            "period_type",
        )
    columns = _columns(indicators)
    ago_first, ago_last = first.same_last_year(), last.same_last_year()
    ranges = {"now": (first.start, last.end), "ago": (ago_first.start, ago_last.end)}
    source = _Rollups(under, ranges, rows, period_type)
    table = Pivot(under=under, rows_by=rows, period_type=period_type, first=first, last=last, columns=columns)
    table.totals = [_cell(source, column, None, None) for column in columns]
    if rows == ROWS_BY_PERIOD:
        for period in periods:
            key: Key = (None, period.start)
            ago: Key = (None, period.same_last_year().start)
            cells = [_cell(source, column, key, ago) for column in columns]
            table.rows.append(Row(period.code, period.label(), cells, period=period))
        return table
    children = list(selectors.children_of(under))
    paths = source.group_paths()
    if under.path in paths:
        key = (under.path, None)
        cells = [_cell(source, column, key, key) for column in columns]
        label = _("%(unit)s (own figures)") % {"unit": under.name}
        table.rows.append(Row(under.path, label, cells, unit=under, own=True))
    for child in children:
        if child.archived_at is not None and child.path not in paths:
            continue
        key = (child.path, None)
        cells = [_cell(source, column, key, key) for column in columns]
        table.rows.append(Row(child.path, child.name, cells, unit=child))
    return table


# --- what the picker offers ---------------------------------------------------------------------------------


def indicator_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Options of the indicator picker, grouped: each form's numeric indicators by section (of its current
    version, in form order; a split indicator offers its total, then each part), the numeric indicators of
    no form, then the derived indicators. Five queries whatever the number of forms."""
    current: dict[int, FormVersion] = {}
    for version in FormVersion.objects.select_related("form").order_by(
        "form__order", "form__code", "-number"
    ):
        current.setdefault(version.form_id, version)
    fields = (
        FormField.objects.filter(section__version__in=current.values())
        .select_related("indicator", "section")
        .order_by("section__order", "section_id", "order", "id")
    )
    by_version: dict[int, list[FormField]] = {}
    for form_field in fields:
        by_version.setdefault(form_field.section.version_id, []).append(form_field)
    set_ids = {f.indicator.category_set_id for fs in by_version.values() for f in fs}
    parts: dict[int, list[Category]] = {}
    for category in Category.objects.filter(category_set_id__in=set_ids - {None}).order_by("order", "id"):
        parts.setdefault(category.category_set_id, []).append(category)

    def options(indicator: Indicator) -> list[tuple[str, str]]:
        found = [(indicator.code, indicator.name)]
        for category in parts.get(indicator.category_set_id, []):
            label = _("%(indicator)s: %(part)s") % {"indicator": indicator.name, "part": category.name}
            found.append((f"{indicator.code}.{category.code}", label))
        return found

    groups: list[tuple[str, list[tuple[str, str]]]] = []
    seen: set[int] = set()
    for version in current.values():
        sections: dict[int, tuple[str, list]] = {}
        for form_field in by_version.get(version.pk, []):
            indicator = form_field.indicator
            if indicator.value_type == ValueType.TEXT or indicator.pk in seen:
                continue
            seen.add(indicator.pk)
            title = _("%(form)s — %(section)s") % {
                "form": version.form.name,
                "section": form_field.section.name,
            }
            sections.setdefault(form_field.section_id, (title, []))[1].extend(options(indicator))
        groups.extend(sections.values())
    others = (
        Indicator.objects.exclude(value_type=ValueType.TEXT)
        .exclude(pk__in=seen)
        .filter(is_active=True, category_set__isnull=True)
        .order_by("code")
    )
    other_options = [(indicator.code, indicator.name) for indicator in others]
    if other_options:
        groups.append((_("Indicators of no form"), other_options))
    derived = [(d.code, d.name) for d in DerivedIndicator.objects.order_by("order", "code")]
    if derived:
        groups.append((_("Derived indicators"), derived))
    return groups


# --- XLSX ---------------------------------------------------------------------------------------------------

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = "DDE7F0"
TOTAL_FILL = "EEF2F6"
UP_FILL = "D1E7DD"
DOWN_FILL = "F8D7DA"


def _number_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _xlsx_columns(table: Pivot) -> list[tuple[Column, str]]:
    """(column, what the sheet column holds): a derived column brings its numerator and denominator."""
    spread = []
    for column in table.columns:
        spread.append((column, "value"))
        if column.is_derived:
            spread += [(column, "numerator"), (column, "denominator")]
    return spread


def _header_text(column: Column, part: str) -> str:
    if part == "numerator":
        return _("%(indicator)s: numerator (%(name)s)") % {
            "indicator": column.label,
            "name": column.numerator_label,
        }
    if part == "denominator":
        return _("%(indicator)s: denominator (%(name)s)") % {
            "indicator": column.label,
            "name": column.denominator_label,
        }
    return f"{column.label}, {column.measure}" if column.measure else column.label


def _cell_number(cell: Cell, part: str):
    value = {"value": cell.value, "numerator": cell.numerator, "denominator": cell.denominator}[part]
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _append(sheet, values: list) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # a name that looks like a formula stays text


def pivot_xlsx(table: Pivot, *, today: datetime.date | None = None) -> bytes:
    """The pivot as one sheet: the title and the filters used, a header of indicators, a row per unit
    or period, the total, the same range a year earlier and the change in %. Numbers stay numbers, with
    number formats; the language is the active one."""
    today = today or timezone.localdate()
    spread = _xlsx_columns(table)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Analysis")[:31]
    sheet.column_dimensions["A"].width = 42
    for index in range(len(spread)):
        sheet.column_dimensions[get_column_letter(index + 2)].width = 18
    _append(sheet, [_("Analysis of reported figures")])
    sheet["A1"].font = Font(bold=True, size=13)
    rows_by = _("by unit") if table.rows_by == ROWS_BY_UNIT else _("by period")
    for line in (
        (_("Part of the network"), f"{table.under.name} ({table.under.code})"),
        (_("Periods"), table.range_label),
        (_("Length of a period"), str(PeriodType(table.period_type).label)),
        (_("Rows"), rows_by),
        (_("Compared with"), table.year_ago_label),
        (_("Exported"), date_format(today, "DATE_FORMAT")),
    ):
        _append(sheet, list(line))
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    _append(sheet, [])
    first_header = _("Unit") if table.rows_by == ROWS_BY_UNIT else _("Period")
    _append(sheet, [first_header, *(_header_text(column, part) for column, part in spread)])
    _append(sheet, [_("Roll-up rule"), *(column.rule if part == "value" else "" for column, part in spread)])
    for row_number in (sheet.max_row - 1, sheet.max_row):
        for cell in sheet[row_number]:
            cell.font = Font(bold=True, italic=row_number == sheet.max_row)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"B{sheet.max_row + 1}"

    def append(label: str, cells: list[Cell], *, which: str = "value", bold: bool = False) -> None:
        values: list = [label]
        for column, part in spread:
            cell = cells[table.columns.index(column)]
            if which == "last_year":
                number = _cell_number(Cell(value=cell.last_year), "value") if part == "value" else None
            else:
                number = _cell_number(cell, part)
            values.append(number)
        _append(sheet, values)
        for index, (column, part) in enumerate(spread, start=2):
            target = sheet.cell(row=sheet.max_row, column=index)
            decimals = column.decimals if part == "value" else column.parts_decimals
            target.number_format = _number_format(decimals)
        if bold:
            for target in sheet[sheet.max_row]:
                target.font = Font(bold=True)
                target.fill = PatternFill("solid", fgColor=TOTAL_FILL)

    for row in table.rows:
        append(row.label, row.cells)
    append(pgettext("analysis", "Total"), table.totals, bold=True)
    append(_("Same period a year earlier"), table.totals, which="last_year")
    changes: list = [_("Change against a year earlier")]
    for column, part in spread:
        change = table.totals[table.columns.index(column)].change if part == "value" else None
        changes.append(float(change) / 100 if change is not None else None)
    _append(sheet, changes)
    for index in range(2, len(spread) + 2):
        target = sheet.cell(row=sheet.max_row, column=index)
        target.number_format = "+0.0%;-0.0%;0.0%"
        value = changes[index - 1]
        if value:
            target.fill = PatternFill("solid", fgColor=UP_FILL if value > 0 else DOWN_FILL)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
