"""The consolidated report (свод): a form's figures for a subtree and a period, as XLSX and DOCX.

    svod = consolidated(form, Period.parse("2025-03"), beskaragay)
    svod.sections[0].rows[0].figure.value      # the roll-up of every report under Beskaragay
    consolidated_xlsx(svod, language="kk")     # the document a district sends up
    consolidated_docx(svod, language="ru")

The layout is the form's current version: its sections, fields and the parts of split indicators. Every
cell is the roll-up, with the indicator's rule, of the reports of the form under the unit whose
reference day falls in the period — the form's own period, or a longer one (a quarter of weekly
reports). Only accepted and submitted reports count: a draft or a returned report may still change.
Beside each figure stand the same figure of the same period last year and the change; below the form,
the derived indicators whose numerator and denominator the form holds, computed from the rolled-up
figures (a ratio of sums, never a sum of ratios).

Nothing is precomputed: the figures are read at the moment the page or the document is made, with one
grouped query for every field of the form (plus one for "last value" fields and one for split
averages, when the form has such fields), so a report saved a minute ago is already in.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from metodist.network.models import OrgUnit
from metodist.reporting.models import (
    Aggregation,
    DerivedIndicator,
    FormVersion,
    Indicator,
    Report,
    ReportForm,
    ReportStatus,
    Value,
    ValueType,
)
from metodist.reporting.periods import ORDER, Period, periods_between
from metodist.reporting.selectors import expected_units, in_subtree, population

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Reports that count: a draft or a returned report may still change, so its figures stay out.
INCLUDED_STATUSES = (ReportStatus.ACCEPTED, ReportStatus.SUBMITTED)
INCLUDED_NOTE = gettext_lazy(
    "Only accepted and submitted reports are counted; drafts and returned reports are left out "
    "until they are submitted again."
)
# Averages keep the precision of a stored value.
AVERAGE_STEP = Decimal("0.0001")
PERCENT_STEP = Decimal("0.1")

# DejaVu has every Kazakh letter where LibreOffice runs (see metodist/assistance/plans_export.py).
FONT = "DejaVu Sans"
HEADER_FILL = "DDE7F0"
SECTION_FILL = "EEF2F6"


class ConsolidationError(ValueError):
    """The period cannot carry the form: it is shorter than the form's own period."""


# --- what the svod holds --------------------------------------------------------------------------------


def show_number(value: Decimal | None, decimals: int | None = None) -> str:
    """A figure for reading in the active language: grouped thousands; `decimals` places, or at most
    two when not given (trailing zeros dropped)."""
    if value is None:
        return ""
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals))
        return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    value = value.quantize(Decimal("0.01")).normalize()
    return number_format(value, decimal_pos=None, use_l10n=True, force_grouping=True)


@dataclass
class Figure:
    """A figure of the period beside the same figure of the same period last year."""

    value: Decimal | None
    last_year: Decimal | None
    decimals: int | None = None

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.last_year is None:
            return None
        return self.value - self.last_year

    @property
    def change_percent(self) -> Decimal | None:
        if self.change is None or not self.last_year:
            return None
        return (self.change / self.last_year * 100).quantize(PERCENT_STEP)

    @property
    def trend(self) -> str:
        change = self.change
        if change is None or change == 0:
            return ""
        return "up" if change > 0 else "down"

    @property
    def shown(self) -> str:
        return show_number(self.value, self.decimals)

    @property
    def shown_last_year(self) -> str:
        return show_number(self.last_year, self.decimals)

    @property
    def shown_change(self) -> str:
        change = self.change
        if change is None:
            return ""
        text = show_number(abs(change), self.decimals)
        return ("+" if change > 0 else "−" if change < 0 else "") + text

    @property
    def shown_percent(self) -> str:
        percent = self.change_percent
        if percent is None:
            return ""
        text = show_number(abs(percent), 1)
        return ("+" if percent > 0 else "−" if percent < 0 else "") + text + " %"


@dataclass
class PartRow:
    number: str
    label: str
    figure: Figure


@dataclass
class FieldRow:
    number: str
    indicator: Indicator
    figure: Figure
    parts: list[PartRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.indicator.name

    @property
    def measure(self) -> str:
        return self.indicator.measure

    @property
    def is_text(self) -> bool:
        return self.indicator.value_type == ValueType.TEXT

    @property
    def rule(self) -> str:
        """How the figure was rolled up, when it is not a plain sum."""
        if self.indicator.value_type == ValueType.BOOLEAN and self.indicator.aggregation in (
            Aggregation.SUM,
            Aggregation.LAST,
        ):
            return _("number of units answering yes")
        if self.indicator.aggregation == Aggregation.SUM:
            return ""
        return self.indicator.get_aggregation_display()


@dataclass
class SectionRows:
    name: str
    rows: list[FieldRow] = field(default_factory=list)


@dataclass
class DerivedRow:
    derived: DerivedIndicator
    figure: Figure
    numerator: Figure
    denominator: Figure

    @property
    def label(self) -> str:
        return self.derived.name

    @property
    def formula(self) -> str:
        below = _("population served") if self.derived.per_population else self.derived.denominator.name
        text = f"{self.derived.numerator.name} / {below}"
        if self.derived.factor != 1:
            text += f" × {show_number(self.derived.factor)}"
        return text


@dataclass
class ReportCounts:
    """Reports of the form under the unit in the period: how many were expected, how many count."""

    expected: int
    by_status: dict[str, int]

    @property
    def accepted(self) -> int:
        return self.by_status.get(ReportStatus.ACCEPTED, 0)

    @property
    def submitted(self) -> int:
        return self.by_status.get(ReportStatus.SUBMITTED, 0)

    @property
    def included(self) -> int:
        return self.accepted + self.submitted

    @property
    def left_out(self) -> int:
        """Drafts and returned reports: begun, not counted."""
        return sum(self.by_status.values()) - self.included

    @property
    def not_begun(self) -> int:
        return max(self.expected - sum(self.by_status.values()), 0)


@dataclass
class Consolidated:
    form: ReportForm
    version: FormVersion | None
    period: Period
    last_year_period: Period
    unit: OrgUnit
    sections: list[SectionRows]
    derived: list[DerivedRow]
    counts: ReportCounts
    last_year_counts: ReportCounts
    made_at: datetime.datetime

    @property
    def rows(self) -> list[FieldRow]:
        return [row for section in self.sections for row in section.rows]


# --- the roll-up of many indicators at once --------------------------------------------------------------

Key = tuple[int, int | None]  # (indicator id, category id or None for a total)


def period_fits(form: ReportForm, period: Period) -> bool:
    """A svod can be made for the form's own period or a longer one (a quarter of weekly reports)."""
    return ORDER.index(period.type) >= ORDER.index(form.period_type)


def included_values(form: ReportForm, period: Period, under: OrgUnit) -> QuerySet:
    """The numbers of the accepted and submitted reports of `form` under `under` in `period`."""
    return Value.objects.filter(
        in_subtree("unit_path", under.path),
        report__form=form,
        report__status__in=INCLUDED_STATUSES,
        ref_date__gte=period.start,
        ref_date__lte=period.end,
        number__isnull=False,
    ).order_by()


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _by_rule(rule: str, numbers: list[Decimal]) -> Decimal:
    if rule == Aggregation.AVERAGE:
        return (sum(numbers) / len(numbers)).quantize(AVERAGE_STEP)
    if rule == Aggregation.MIN:
        return min(numbers)
    if rule == Aggregation.MAX:
        return max(numbers)
    return sum(numbers)


def values_rollup(
    form: ReportForm, period: Period, under: OrgUnit, indicators: list[Indicator]
) -> dict[Key, Decimal]:
    """Every indicator (and part) of `indicators` rolled up over the subtree and the period, each with
    its own rule, as {(indicator id, category id): value}; a split indicator's total is under
    (indicator id, None).

    The same rules as `selectors.rollup`: sum/avg/min/max over every value; "last" takes each unit's
    value of its latest period, then sums the units; a split indicator's average, minimum or maximum
    is taken over report totals (the sum of the parts of each report), not over parts.
    """
    numeric = {i.pk: i for i in indicators if i.is_numeric}
    if not numeric:
        return {}
    values = included_values(form, period, under).filter(indicator_id__in=list(numeric))
    result: dict[Key, Decimal] = {}
    # One grouped query for every indicator and part: the four aggregates side by side, each
    # indicator keeps its rule's.
    rows = values.values("indicator_id", "category_id").annotate(
        total=Sum("number"), average=Avg("number"), low=Min("number"), high=Max("number")
    )
    pick = {
        Aggregation.SUM: "total",
        Aggregation.AVERAGE: "average",
        Aggregation.MIN: "low",
        Aggregation.MAX: "high",
    }
    for row in rows:
        indicator = numeric[row["indicator_id"]]
        if indicator.aggregation == Aggregation.LAST:
            continue
        value = _decimal(row[pick[indicator.aggregation]])
        if indicator.aggregation == Aggregation.AVERAGE:
            value = value.quantize(AVERAGE_STEP)
        result[(indicator.pk, row["category_id"])] = value

    last = [pk for pk, indicator in numeric.items() if indicator.aggregation == Aggregation.LAST]
    if last:
        # Each unit's latest reference day for the indicator within the period, then the sum of units.
        latest = (
            values.filter(unit_id=OuterRef("unit_id"), indicator_id=OuterRef("indicator_id"))
            .values("unit_id")
            .annotate(latest=Max("ref_date"))
            .values("latest")[:1]
        )
        rows = (
            values.filter(indicator_id__in=last, ref_date=Subquery(latest))
            .values("indicator_id", "category_id")
            .annotate(total=Sum("number"))
        )
        for row in rows:
            result[(row["indicator_id"], row["category_id"])] = _decimal(row["total"])

    # Totals of split indicators.
    split = {pk: i for pk, i in numeric.items() if i.category_set_id}
    by_reports = [pk for pk, i in split.items() if i.aggregation not in (Aggregation.SUM, Aggregation.LAST)]
    for pk in split:
        if pk in by_reports:
            continue
        parts = [value for (indicator_id, category_id), value in result.items() if indicator_id == pk]
        if parts:
            result[(pk, None)] = sum(parts)
    if by_reports:
        # Few rows (one per report of such a field): the rule runs in Python over report totals that
        # SQL already summed, as in selectors.rollup.
        totals: dict[int, list[Decimal]] = defaultdict(list)
        rows = (
            values.filter(indicator_id__in=by_reports)
            .values("indicator_id", "report_id")
            .annotate(total=Sum("number"))
        )
        for row in rows:
            totals[row["indicator_id"]].append(_decimal(row["total"]))
        for pk, numbers in totals.items():
            result[(pk, None)] = _by_rule(split[pk].aggregation, numbers)
    return result


def _expected_reports(form: ReportForm, period: Period, under: OrgUnit) -> int:
    """Reports expected under the unit in the period: for a longer period than the form's, the sum over
    the form's periods in it, counted in one query."""
    if period.type == form.period_type:
        return expected_units(form, period, under).count()
    # Periods not begun yet owe nothing: a year's svod made in November expects ten months.
    today = timezone.localdate()
    each = [one for one in periods_between(form.period_type, period.start, period.end) if one.start <= today]
    if not each:
        return 0
    # The conditions of selectors.expected_units, one filtered count per period of the form.
    condition = Q(pk__in=[])
    for assignment in form.assignments.select_related("unit"):
        if assignment.kinds:
            condition |= in_subtree("path", assignment.unit.path) & Q(kind__in=assignment.kinds)
        else:
            condition |= Q(pk=assignment.unit_id)
    units = OrgUnit.objects.filter(condition, in_subtree("path", under.path)).order_by()
    counts = {
        f"p{index}": Count(
            "pk",
            filter=Q(
                Q(opened_on__isnull=True) | Q(opened_on__lte=one.end),
                Q(closed_on__isnull=True) | Q(closed_on__gte=one.start),
                Q(archived_at__isnull=True)
                | Q(pk__in=Report.objects.filter(form=form, period_start=one.start).values("unit_id")),
            ),
        )
        for index, one in enumerate(each)
    }
    return sum(units.aggregate(**counts).values())


def report_counts(form: ReportForm, period: Period, under: OrgUnit) -> ReportCounts:
    """How many reports were expected under the unit in the period, and how many there are by status."""
    reports = Report.objects.filter(
        in_subtree("unit__path", under.path),
        form=form,
        ref_date__gte=period.start,
        ref_date__lte=period.end,
    ).order_by()
    by_status = dict(reports.values_list("status").annotate(n=Count("id")))
    return ReportCounts(_expected_reports(form, period, under), by_status)


def _derived_for(indicators: list[Indicator]) -> list[DerivedIndicator]:
    """Derived indicators the form can carry: its fields hold the numerator and the denominator."""
    ids = [i.pk for i in indicators if i.is_numeric]
    return list(
        DerivedIndicator.objects.filter(numerator_id__in=ids)
        .filter(Q(denominator_id__in=ids) | Q(per_population=True))
        .select_related("numerator", "denominator")
        .order_by("order", "code")
    )


def _ratio(derived: DerivedIndicator, numerator: Decimal | None, denominator: Decimal | None):
    if numerator is None or not denominator:
        return None
    step = Decimal(1).scaleb(-derived.decimals)
    return (numerator / denominator * derived.factor).quantize(step)


def consolidated(
    form: ReportForm, period: Period, under: OrgUnit, *, now: datetime.datetime | None = None
) -> Consolidated:
    """The svod of `form` for `period` over the subtree of `under` (see the module's docstring).

    Raises ConsolidationError when the period is shorter than the form's.
    """
    if not period_fits(form, period):
        raise ConsolidationError(
            _("The form “%(form)s” is reported by %(type)s: choose such a period or a longer one.")
            % {"form": form.name, "type": form.get_period_type_display()}
        )
    last_year_period = period.same_last_year()
    version = form.current_version()
    form_fields = (
        list(version.fields_in_order().prefetch_related("indicator__category_set__categories"))
        if version
        else []
    )
    indicators = [f.indicator for f in form_fields]
    now_values = values_rollup(form, period, under, indicators)
    before_values = values_rollup(form, last_year_period, under, indicators)

    def figure(key: Key) -> Figure:
        return Figure(now_values.get(key), before_values.get(key))

    sections: dict[int, SectionRows] = {}
    for number, form_field in enumerate(form_fields, start=1):
        indicator = form_field.indicator
        section = sections.setdefault(form_field.section_id, SectionRows(form_field.section.name))
        row = FieldRow(str(number), indicator, figure((indicator.pk, None)))
        if indicator.category_set_id:
            row.parts = [
                PartRow(f"{number}.{index}", category.name, figure((indicator.pk, category.pk)))
                for index, category in enumerate(indicator.category_set.categories.all(), start=1)
            ]
        section.rows.append(row)

    derived_rows = []
    derived_list = _derived_for(indicators)
    people = None
    if any(d.per_population for d in derived_list):
        # The population served does not change with the period: the same people both years.
        people = Decimal(population(under)[None]) or None
    for derived in derived_list:
        numerator = figure((derived.numerator_id, None))
        if derived.per_population:
            denominator = Figure(people, people)
        else:
            denominator = figure((derived.denominator_id, None))
        derived_rows.append(
            DerivedRow(
                derived,
                Figure(
                    _ratio(derived, numerator.value, denominator.value),
                    _ratio(derived, numerator.last_year, denominator.last_year),
                    decimals=derived.decimals,
                ),
                numerator,
                denominator,
            )
        )
    return Consolidated(
        form=form,
        version=version,
        period=period,
        last_year_period=last_year_period,
        unit=under,
        sections=list(sections.values()),
        derived=derived_rows,
        counts=report_counts(form, period, under),
        last_year_counts=report_counts(form, last_year_period, under),
        made_at=now or timezone.now(),
    )


# --- the texts of the documents ---------------------------------------------------------------------------


def _made_on(moment: datetime.datetime) -> str:
    return _("Made on %(date)s") % {"date": date_format(timezone.localtime(moment), "d.m.Y H:i")}


def counts_text(svod: Consolidated) -> str:
    counts = svod.counts
    text = _(
        "Reports included: %(included)s of %(expected)s expected (accepted: %(accepted)s, "
        "submitted: %(submitted)s)."
    ) % {
        "included": counts.included,
        "expected": counts.expected,
        "accepted": counts.accepted,
        "submitted": counts.submitted,
    }
    if counts.left_out:
        text += " " + _("Left out, drafts and returned: %(count)s.") % {"count": counts.left_out}
    if counts.not_begun:
        text += " " + _("Not begun: %(count)s.") % {"count": counts.not_begun}
    return text


def _heading_lines(svod: Consolidated) -> list[str]:
    return [
        svod.form.name,
        svod.unit.name,
        _("Period: %(period)s") % {"period": svod.period.label()},
        _made_on(svod.made_at),
    ]


def _header(svod: Consolidated) -> list[str]:
    return [
        _("No."),
        _("Indicator"),
        _("Unit of measure"),
        svod.period.label(),
        svod.last_year_period.label(),
        pgettext("difference", "Change"),
        _("Change, %"),
    ]


def _signatures() -> list[str]:
    line = "____________________"
    return [
        _("Head: %(signature)s / %(name)s /") % {"signature": line, "name": line},
        _("Prepared by: %(signature)s / %(name)s /") % {"signature": line, "name": line},
        _("Phone: %(line)s") % {"line": line},
    ]


# --- DOCX -----------------------------------------------------------------------------------------------


def _document():
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    return document


def _centered(document, text: str, *, bold: bool = False, size: int = 11) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(2)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _set_text(cell, text: str, *, bold: bool = False, italic: bool = False, right: bool = False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def docx_table(document, header: list[str], widths: list[float]):
    """A bordered table with a shaded header row; `finish_table` sets the widths once it is filled."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _set_text(cell, text, bold=True)
        _shade(cell, HEADER_FILL)
    # The header row repeats on every page of a long table.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    table._metodist_widths = widths
    return table


def docx_row(table, values: list[str], *, bold: bool = False, italic: bool = False, numbers_from: int = 0):
    cells = table.add_row().cells
    for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
        _set_text(cell, value, bold=bold, italic=italic, right=bool(numbers_from) and index >= numbers_from)
    return cells


def docx_band(table, text: str) -> None:
    """A row across the whole table: a section's name."""
    cells = table.add_row().cells
    merged = cells[0].merge(cells[-1])
    _set_text(merged, text, bold=True)
    _shade(merged, SECTION_FILL)


def finish_table(table) -> None:
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    widths = table._metodist_widths
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        spans: dict[int, list] = {}
        for cell, width in zip(row.cells, widths, strict=True):
            spans.setdefault(id(cell._tc), [cell, 0.0])[1] += width
        for cell, width in spans.values():
            cell.width = Cm(width)


def _figure_texts(figure: Figure) -> list[str]:
    return [figure.shown, figure.shown_last_year, figure.shown_change, figure.shown_percent]


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def consolidated_docx(svod: Consolidated, *, language: str = "ru") -> bytes:
    """The svod as a Word document: title, unit, period, date of making, the form's table, the derived
    indicators, the counts of reports and the signature lines."""
    with translation.override(language):
        document = _document()
        _centered(document, _("Consolidated report"), bold=True, size=14)
        for index, line in enumerate(_heading_lines(svod)):
            _centered(document, line, bold=index == 0)
        document.add_paragraph(counts_text(svod))
        table = docx_table(document, _header(svod), [1.3, 10.2, 2.6, 3.2, 3.2, 2.6, 2.6])
        for section in svod.sections:
            docx_band(table, section.name)
            for row in section.rows:
                if row.is_text:
                    docx_row(
                        table, [row.number, row.label, "", _("text, not summed"), "", "", ""], numbers_from=3
                    )
                    continue
                docx_row(
                    table,
                    [row.number, row.label, row.measure, *_figure_texts(row.figure)],
                    bold=bool(row.parts),
                    numbers_from=3,
                )
                for part in row.parts:
                    docx_row(
                        table,
                        [
                            part.number,
                            _("including %(part)s") % {"part": part.label},
                            row.measure,
                            *_figure_texts(part.figure),
                        ],
                        italic=True,
                        numbers_from=3,
                    )
        if svod.derived:
            docx_band(table, _("Derived indicators"))
            for index, row in enumerate(svod.derived, start=1):
                docx_row(
                    table,
                    [f"D{index}", f"{row.label} ({row.formula})", "", *_figure_texts(row.figure)],
                    numbers_from=3,
                )
        finish_table(table)
        note = document.add_paragraph()
        note.add_run(str(INCLUDED_NOTE)).italic = True
        document.add_paragraph()
        for line in _signatures():
            document.add_paragraph(line)
        return docx_bytes(document)


# --- XLSX -----------------------------------------------------------------------------------------------


def xlsx_sheet(workbook: Workbook, title: str, widths: list[int]):
    sheet = workbook.active
    sheet.title = title[:31]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sheet


def xlsx_row(sheet, values: list, *, bold: bool = False, italic: bool = False, fill: str | None = None):
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text that looks like a formula stays text
        elif isinstance(cell.value, Decimal | int | float):
            cell.number_format = "#,##0" if cell.value == int(cell.value) else "#,##0.0###"
        if bold or italic:
            cell.font = Font(bold=bold, italic=italic)
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
    return sheet[sheet.max_row]


def xlsx_header(sheet, values: list[str]) -> None:
    xlsx_row(sheet, values, bold=True, fill=HEADER_FILL)
    for cell in sheet[sheet.max_row]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def xlsx_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _figure_cells(figure: Figure) -> list:
    return [figure.value, figure.last_year, figure.change, figure.change_percent]


def consolidated_xlsx(svod: Consolidated, *, language: str = "ru") -> bytes:
    """The svod as a workbook of one sheet, in the form's layout; the figures are numbers."""
    with translation.override(language):
        workbook = Workbook()
        sheet = xlsx_sheet(workbook, _("Consolidated report"), [8, 60, 12, 16, 16, 14, 12])
        xlsx_row(sheet, [_("Consolidated report")], bold=True)
        for line in _heading_lines(svod):
            xlsx_row(sheet, [line])
        xlsx_row(sheet, [counts_text(svod)])
        sheet.append([])
        xlsx_header(sheet, _header(svod))
        sheet.freeze_panes = f"A{sheet.max_row + 1}"
        for section in svod.sections:
            xlsx_row(sheet, ["", section.name], bold=True, fill=SECTION_FILL)
            for row in section.rows:
                if row.is_text:
                    xlsx_row(sheet, [row.number, row.label, "", _("text, not summed")])
                    continue
                xlsx_row(
                    sheet,
                    [row.number, row.label, row.measure, *_figure_cells(row.figure)],
                    bold=bool(row.parts),
                )
                for part in row.parts:
                    xlsx_row(
                        sheet,
                        [
                            part.number,
                            _("including %(part)s") % {"part": part.label},
                            row.measure,
                            *_figure_cells(part.figure),
                        ],
                        italic=True,
                    )
        if svod.derived:
            xlsx_row(sheet, ["", _("Derived indicators")], bold=True, fill=SECTION_FILL)
            for index, row in enumerate(svod.derived, start=1):
                xlsx_row(sheet, [f"D{index}", f"{row.label} ({row.formula})", "", *_figure_cells(row.figure)])
        sheet.append([])
        xlsx_row(sheet, [str(INCLUDED_NOTE)], italic=True)
        sheet.append([])
        for line in _signatures():
            xlsx_row(sheet, [line])
        return xlsx_bytes(workbook)
