"""Reports as a spreadsheet: a template to fill in for one unit or a subtree, and its all-or-nothing upload.

A template (XLSX, or CSV for other tools) is one sheet:

- row 1 (hidden): the code of the form and the code of the period (`lib_monthly`, `2026-03`);
- row 2 (hidden): the key of each column: `#unit`, `#name`, then `indicator` or `indicator.part`;
- row 3: the titles in the user's language;
- then one row per unit: its code, its name and the values (what is stored already, if anything).

The upload reads the keys, not the positions, so columns may be moved or left out; an empty cell changes
nothing. Everything is checked before anything is written, and every problem is listed by row, column
and reason; a clean file is written in one transaction with a handful of bulk statements whatever its
size (history rows included, as `save_values` leaves them through django-simple-history).

    content = template_xlsx(form, period, units)               # or template_csv(...)
    plan = parse_upload(uploaded_file, form=form, user=user)   # a dry run: checks everything, writes nothing
    if not plan.errors:
        summary = upload_apply(plan, user=user)                 # writes all of it, or nothing
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from metodist.core import scope
from metodist.network.models import OrgUnit
from metodist.reporting import services
from metodist.reporting.models import (
    FormVersion,
    Indicator,
    Report,
    ReportForm,
    ReportStatus,
    Value,
    ValueType,
)
from metodist.reporting.periods import Period, PeriodError
from metodist.reporting.selectors import ENTER, REVIEW, expected_units

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
UNIT_KEY = "#unit"
NAME_KEY = "#name"
STATUS_KEY = "#status"  # what the template says about a report that cannot be changed; not read back
FIRST_DATA_ROW = 4
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 1_000
# Lists of ids and codes go into one query each up to this size (far under every database's limit).
_CHUNK = 5_000
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"
_LOCKED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
_NUMBERS = (ValueType.INTEGER, ValueType.DECIMAL)
_FAST_LIMIT = 10**15  # services._MAX_NUMBER: a whole number cell below it needs no other check
# Booleans are written in the words parse_value reads back, in the language of the template.
_YES_NO = {"ru": ("да", "нет"), "kk": ("иә", "жоқ"), "en": ("yes", "no")}
_TITLE_FILL = "DDE7F0"
_UNIT_FILL = "EEF2F6"
_LOCKED_FILL = "E9ECEF"


# --- the columns of a form ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One value column: an indicator, or one part of a split indicator."""

    key: str
    indicator: Indicator
    category_id: int | None
    label: str


def form_columns(version: FormVersion) -> list[Column]:
    """The value columns of a form version in the order of the form (two queries)."""
    columns = []
    form_fields = version.fields_in_order().prefetch_related("indicator__category_set__categories")
    for form_field in form_fields:
        indicator = form_field.indicator
        if indicator.category_set_id:
            for category in indicator.category_set.categories.all():
                columns.append(
                    Column(
                        f"{indicator.code}.{category.code}",
                        indicator,
                        category.pk,
                        f"{indicator.name}: {category.name}",
                    )
                )
        else:
            columns.append(Column(indicator.code, indicator, None, indicator.name))
    return columns


# --- the template ------------------------------------------------------------------------------------------


@dataclass
class TemplateRow:
    unit: OrgUnit
    report: Report | None
    values: dict[str, Decimal | str]

    @property
    def locked(self) -> bool:
        return self.report is not None and self.report.status in _LOCKED


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def template_rows(form: ReportForm, period: Period, units: Iterable[OrgUnit]) -> list[TemplateRow]:
    """One row per unit with the values already stored for the period (a few queries for any number)."""
    units = list(units)
    reports: dict[int, Report] = {}
    for chunk in _chunks([unit.pk for unit in units]):
        for report in Report.objects.filter(form=form, period_start=period.start, unit_id__in=chunk):
            reports[report.unit_id] = report
    by_report: dict[int, dict[str, Decimal | str]] = {report.pk: {} for report in reports.values()}
    for chunk in _chunks(list(by_report)):
        rows = Value.objects.filter(report_id__in=chunk).values_list(
            "report_id", "indicator__code", "indicator__value_type", "category__code", "number", "text"
        )
        for report_id, code, value_type, category_code, number, text in rows:
            key = code if category_code is None else f"{code}.{category_code}"
            by_report[report_id][key] = text if value_type == ValueType.TEXT else number
    return [
        TemplateRow(unit, reports.get(unit.pk), by_report.get(getattr(reports.get(unit.pk), "pk", None), {}))
        for unit in units
    ]


def _yes_no() -> tuple[str, str]:
    return _YES_NO.get((get_language() or "ru")[:2], _YES_NO["ru"])


def _cell_value(column: Column, value):
    """A stored value as a spreadsheet cell: a number, a yes/no word or the text."""
    if value is None or value == "":
        return None
    if column.indicator.value_type == ValueType.BOOLEAN:
        yes, no = _yes_no()
        return yes if value else no
    if isinstance(value, Decimal):
        value = value.normalize()
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _status_note(row: TemplateRow) -> str:
    if not row.locked:
        return ""
    if row.report.status == ReportStatus.ACCEPTED:
        return _("accepted: not changed by an upload")
    return _("submitted: not changed by an upload")


def template_filename(form: ReportForm, period: Period, unit: OrgUnit | None, extension: str) -> str:
    label = f"-{unit.code}" if unit is not None else ""
    return f"{form.code}-{period.code}{label}.{extension}"


def template_xlsx(form: ReportForm, period: Period, units: Iterable[OrgUnit]) -> bytes:
    """The template of a form for a period: the hidden codes, the titles, one row per unit."""
    version = form.current_version()
    columns = form_columns(version) if version is not None else []
    rows = template_rows(form, period, units)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(period.code))
    sheet.freeze_panes = "C4"
    sheet.row_dimensions[1].hidden = True
    sheet.row_dimensions[2].hidden = True
    sheet.row_dimensions[3].height = 60
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 40
    for index in range(len(columns)):
        sheet.column_dimensions[get_column_letter(index + 3)].width = 14
    sheet.column_dimensions[get_column_letter(len(columns) + 3)].width = 30
    _add_validations(sheet, columns, last_row=FIRST_DATA_ROW + max(len(rows), 1) - 1)

    sheet.append([form.code, period.code])
    sheet.append([UNIT_KEY, NAME_KEY, *(column.key for column in columns), STATUS_KEY])
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    title_fill = PatternFill("solid", fgColor=_TITLE_FILL)
    titles = []
    for text in (
        _("Unit code"),
        _("Unit"),
        *(column.label for column in columns),
        pgettext("upload template", "Note"),
    ):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill, cell.alignment = bold, title_fill, wrap
        titles.append(cell)
    sheet.append(titles)
    unit_fill = PatternFill("solid", fgColor=_UNIT_FILL)
    locked_fill = PatternFill("solid", fgColor=_LOCKED_FILL)
    for row in rows:
        cells = []
        for value in (row.unit.code, row.unit.name):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # a code like 0012 or a name like "=…" stays text
            cell.fill = unit_fill
            cells.append(cell)
        for column in columns:
            cell = WriteOnlyCell(sheet, value=_cell_value(column, row.values.get(column.key)))
            if isinstance(cell.value, str):
                cell.data_type = "s"
            if row.locked:
                cell.fill = locked_fill
            cells.append(cell)
        cells.append(_status_note(row) or None)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_validations(sheet, columns: list[Column], *, last_row: int) -> None:
    """Excel's own checks while typing: yes/no lists, whole and non-negative numbers."""
    last_row = max(last_row, FIRST_DATA_ROW + 500)
    yes, no = _yes_no()
    for index, column in enumerate(columns, start=3):
        indicator = column.indicator
        letter = get_column_letter(index)
        if indicator.value_type == ValueType.BOOLEAN:
            validation = DataValidation(type="list", formula1=f'"{yes},{no}"', allow_blank=True)
            validation.error = _("Answer yes or no.")
        elif indicator.value_type in (ValueType.INTEGER, ValueType.DECIMAL):
            kind = "whole" if indicator.value_type == ValueType.INTEGER else "decimal"
            if indicator.allow_negative:
                validation = DataValidation(
                    type=kind, operator="between", formula1="-999999999999", formula2="999999999999"
                )
            else:
                validation = DataValidation(type=kind, operator="greaterThanOrEqual", formula1="0")
            validation.allow_blank = True
            if indicator.value_type == ValueType.INTEGER:
                validation.error = _("A whole number is expected.")
            else:
                validation.error = _("Not a number.")
        else:
            continue
        validation.errorTitle = column.label[:32]
        validation.showErrorMessage = True
        validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
        sheet.data_validations.append(validation)


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    text = str(value)
    if text.startswith(("=", "+", "-", "@")) and not _looks_numeric(text):
        return "'" + text  # Excel would run it as a formula; the upload strips the quote again
    return text


def _looks_numeric(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def template_csv(form: ReportForm, period: Period, units: Iterable[OrgUnit]) -> bytes:
    """The same template as CSV (UTF-8 with a BOM, so Excel reads Cyrillic and Kazakh letters)."""
    version = form.current_version()
    columns = form_columns(version) if version is not None else []
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([form.code, period.code])
    writer.writerow([UNIT_KEY, NAME_KEY, *(column.key for column in columns), STATUS_KEY])
    writer.writerow(
        [
            _("Unit code"),
            _("Unit"),
            *(column.label for column in columns),
            pgettext("upload template", "Note"),
        ]
    )
    for row in template_rows(form, period, units):
        values = [_csv_text(_cell_value(column, row.values.get(column.key))) for column in columns]
        writer.writerow([_csv_text(row.unit.code), _csv_text(row.unit.name), *values, _status_note(row)])
    return buffer.getvalue().encode("utf-8-sig")


# --- reading a file ----------------------------------------------------------------------------------------


class UploadFileError(Exception):
    """The file cannot be read at all; the message is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _content(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        content = bytes(file)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        content = file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise UploadFileError(_("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 2**20})
    if not content.strip():
        raise UploadFileError(_("The file is empty."))
    return content


def read_lines(content: bytes) -> list[list]:
    """The rows of the first sheet of an XLSX file, or of a CSV file: told apart by their content."""
    if content.startswith(_ZIP):
        return _xlsx_lines(content)
    if content.startswith(_OLE):
        raise UploadFileError(
            _("The file is an old Excel file (.xls): save it in Excel as “Excel Workbook (.xlsx)”.")
        )
    return _csv_lines(content)


def _too_many_rows() -> UploadFileError:
    return UploadFileError(
        _("The file has more than %(limit)s rows. Split it into several files.") % {"limit": MAX_ROWS}
    )


def _limited(rows: Iterable) -> Iterator[list]:
    """Rows without their empty cells at the end; stops early on a file with too many rows and skips the
    million empty rows of a formatted sheet."""
    filled = 0
    for number, row in enumerate(rows, start=1):
        cells = list(row[:MAX_COLUMNS])
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        if not cells or _is_blank(cells):
            if number > 10 * MAX_ROWS:
                break
            yield []
            continue
        filled += 1
        if filled > MAX_ROWS + FIRST_DATA_ROW - 1:
            raise _too_many_rows()
        yield cells


def _xlsx_lines(content: bytes) -> list[list]:
    """The first sheet's rows, read by calamine (Rust; ten times openpyxl's speed on a month of a whole
    network). Formatted empty cells are not in its range, so a sheet styled down to row 1,048,576 costs
    nothing; whole-number cells come back as `int`, as openpyxl gave them."""
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
        lines = list(_limited([_as_read(value) for value in row] for row in sheet.iter_rows()))
    except UploadFileError:
        raise
    except Exception as exc:  # a damaged or foreign zip can fail anywhere inside the reader
        raise UploadFileError(_("The file is not an Excel workbook (.xlsx).")) from exc
    return lines


def _as_read(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _csv_lines(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in a Russian Windows saves CSV in the Windows Cyrillic code page.
        text = content.decode("cp1251", errors="replace")
    if "\x00" in text[:4096]:
        raise UploadFileError(_("The file is neither an Excel workbook (.xlsx) nor a CSV file."))
    # The row of keys (row 2) has one separator between every two columns and nothing to quote.
    lines = text.splitlines()
    sample = lines[1] if len(lines) > 1 else text
    delimiter = max(",;\t", key=sample.count)
    try:
        return list(_limited(csv.reader(io.StringIO(text), delimiter=delimiter)))
    except csv.Error as exc:
        raise UploadFileError(_("The file cannot be read as CSV: %(error)s") % {"error": exc}) from exc


def _is_blank(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if text.startswith(("'=", "'+", "'-", "'@")):
        text = text[1:]  # the quote a CSV template puts before formula-like text
    return text


_DAY_OR_TIME = (datetime.date, datetime.time)


def _raw(value):
    """A cell as parse_value reads it: whole floats as integers, text without the formula quote."""
    if type(value) is int:
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        return repr(value)
    if isinstance(value, _DAY_OR_TIME):
        return value.isoformat()  # a date where a number belongs: parse_value says it is not a number
    if isinstance(value, str) and value.startswith(("'=", "'+", "'-", "'@")):
        return value[1:]
    return value


def _period(form: ReportForm, value) -> Period:
    """The period of row 1; a spreadsheet program may have turned a month code into a date."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return Period.containing(form.period_type, value)
    text = _text(value)
    try:
        day = datetime.datetime.strptime(text, "%d.%m.%Y").date()
    except ValueError:
        return Period.parse(text)
    return Period.containing(form.period_type, day)


def _cell(cells: list, index: int):
    return cells[index] if index < len(cells) else None


# --- the plan ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadError:
    row: int | None  # the spreadsheet's row number; None for the file as a whole
    column: str  # the column letter, "" when the problem is the whole row or file
    title: str  # what the column is, in the user's language
    message: str
    position: int = MAX_COLUMNS  # to list a row's errors from left to right


@dataclass
class Change:
    key: str
    label: str
    indicator: Indicator
    category_id: int | None
    old: tuple[Decimal | None, str] | None  # None: no value yet
    new: tuple[Decimal | None, str]
    value_id: int | None = None

    @property
    def old_shown(self) -> str:
        return _shown(self.indicator, self.old)

    @property
    def new_shown(self) -> str:
        return _shown(self.indicator, self.new)


@dataclass
class RowPlan:
    """What the upload will do for one unit's row."""

    row: int
    unit: OrgUnit
    report: Report | None  # None: a new draft report is opened
    values: dict[str, tuple[Decimal | None, str]] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.report is None


@dataclass
class UploadPlan:
    form: ReportForm | None
    period: Period | None
    version: FormVersion | None  # the form version new reports are opened in
    user_id: int | None
    columns: list[Column] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[UploadError] = field(default_factory=list)

    @property
    def to_write(self) -> list[RowPlan]:
        return [row for row in self.rows if row.changes]

    @property
    def new_reports(self) -> int:
        return sum(1 for row in self.to_write if row.is_new)

    @property
    def changed_reports(self) -> int:
        return sum(1 for row in self.to_write if not row.is_new)

    @property
    def unchanged_rows(self) -> int:
        return sum(1 for row in self.rows if not row.changes)

    @property
    def value_count(self) -> int:
        return sum(len(row.changes) for row in self.rows)

    def fingerprint(self) -> str:
        """What the plan would write and over what: it differs if anything changed since the check."""
        digest = hashlib.sha256()
        for row in self.to_write:
            report = row.report
            digest.update(
                f"{row.unit.pk}:{report.pk if report else '-'}:{report.version if report else 0};".encode()
            )
            for change in row.changes:
                digest.update(f"{change.key}={change.old}>{change.new};".encode())
        return digest.hexdigest()


def _shown(indicator: Indicator, pair: tuple[Decimal | None, str] | None) -> str:
    if pair is None:
        return "—"
    number, text = pair
    if indicator.value_type == ValueType.TEXT:
        return text or "—"
    if number is None:
        return "—"
    if indicator.value_type == ValueType.BOOLEAN:
        return _("yes") if number else _("no")
    return number_format(number.normalize(), decimal_pos=None, use_l10n=True, force_grouping=True)


def parse_upload(file, *, form: ReportForm | None = None, user) -> UploadPlan:
    """Read an uploaded template (XLSX or CSV) and check all of it against the database; write nothing.

    `form`, when given, is the form the person meant: a template of another form is an error. Every
    problem is in `plan.errors`; an empty list means `upload_apply` may write the plan.
    """
    plan = UploadPlan(form=form, period=None, version=None, user_id=getattr(user, "pk", None))
    try:
        lines = read_lines(_content(file))
    except UploadFileError as exc:
        plan.errors.append(UploadError(None, "", "", exc.message))
        return plan
    _Planner(plan, lines, user).run()
    plan.errors.sort(key=lambda e: (e.row or 0, e.position, e.column))
    return plan


@dataclass
class _Line:
    row: int
    code: str
    cells: list


class _Planner:
    """Fills an UploadPlan. Each check records its errors and goes on, so the person sees all of them."""

    def __init__(self, plan: UploadPlan, lines: list[list], user):
        self.plan = plan
        self.lines = lines
        self.user = user
        self.columns: dict[int, Column] = {}  # file column index → value column
        self.unit_index: int | None = None
        self.unkeyed: list[int] = []  # columns without a key in row 2

    def error(self, row: int | None, index: int | None, title: str, message: str) -> None:
        letter = get_column_letter(index + 1) if index is not None else ""
        position = index if index is not None else -1
        self.plan.errors.append(UploadError(row, letter, title, message, position))

    def run(self) -> None:
        if not self._header():
            return
        self._keys()
        if self.unit_index is None:
            return
        lines = self._data_lines()
        units = self._units(lines)
        self._rows(lines, units)
        period = self.plan.period
        if period is not None and period.type == self.plan.form.period_type:
            self._reports()

    # row 1: the form and the period

    def _header(self) -> bool:
        plan = self.plan
        first = self.lines[0] if self.lines else []
        form_code, period_code = _text(_cell(first, 0)).lower(), _cell(first, 1)
        form_title, period_title = _("Report form"), _("Period")
        if not form_code:
            self.error(
                1, 0, form_title, _("Row 1 must hold the codes of the form and the period: use a template.")
            )
            return False
        if plan.form is not None and plan.form.code != form_code:
            self.error(
                1,
                0,
                form_title,
                _("The file is a template of the form “%(code)s”, not of “%(form)s”.")
                % {"code": form_code, "form": plan.form.name},
            )
            return False
        if plan.form is None:
            plan.form = ReportForm.objects.filter(code=form_code).first()
            if plan.form is None:
                self.error(1, 0, form_title, _("Unknown form code “%(code)s”.") % {"code": form_code})
                return False
        form = plan.form
        plan.version = form.current_version()
        if plan.version is None:
            self.error(1, 0, form_title, _("The form “%(form)s” has no fields yet.") % {"form": form.name})
            return False
        plan.columns = form_columns(plan.version)
        try:
            period = _period(form, period_code)
        except PeriodError:
            example = Period.containing(form.period_type, timezone.localdate()).code
            self.error(
                1,
                1,
                period_title,
                _("“%(value)s” is not a period code such as %(example)s.")
                % {"value": _text(period_code), "example": example},
            )
            return True
        plan.period = period
        if period.type != form.period_type:
            self.error(
                1,
                1,
                period_title,
                _("The form “%(form)s” is reported by %(type)s.")
                % {"form": form.name, "type": form.get_period_type_display()},
            )
        elif services.period_closed(form, period):
            self.error(1, 1, period_title, _("The period %(period)s is closed.") % {"period": period.label()})
        elif period.start > timezone.localdate():
            self.error(
                1, 1, period_title, _("The period %(period)s has not begun yet.") % {"period": period.label()}
            )
        return True

    # row 2: the keys of the columns

    def _keys(self) -> None:
        keys = self.lines[1] if len(self.lines) > 1 else []
        by_key = {column.key: column for column in self.plan.columns}
        split_codes = {c.indicator.code for c in self.plan.columns if c.category_id is not None}
        seen: dict[str, int] = {}
        for index, raw in enumerate(keys):
            key = _text(raw).lower()
            if not key:
                self.unkeyed.append(index)
                continue
            if key in seen:
                self.error(2, index, key, _("The column appears twice in the file."))
                continue
            seen[key] = index
            if key == UNIT_KEY:
                self.unit_index = index
            elif key in (NAME_KEY, STATUS_KEY):
                continue
            elif key in by_key:
                self.columns[index] = by_key[key]
            elif key in split_codes:
                self.error(
                    2, index, key, _("“%(key)s” is the total of its parts: fill in the parts.") % {"key": key}
                )
            else:
                self.error(2, index, key, _("This form has no field “%(key)s”.") % {"key": key})
        if self.unit_index is None:
            self.error(
                2,
                None,
                "",
                _("Row 2 of the file has no column “%(key)s” of unit codes: use a template.")
                % {"key": UNIT_KEY},
            )

    # the rows of units

    def _data_lines(self) -> list[_Line]:
        lines = []
        for number, cells in enumerate(self.lines[2:], start=3):
            if _is_blank(cells):
                continue
            lines.append(_Line(number, _text(_cell(cells, self.unit_index)), cells))
        width = max((len(line.cells) for line in lines), default=0)
        for index in (i for i in self.unkeyed if i < width):
            if any(not _is_blank([_cell(line.cells, index)]) for line in lines if line.row >= FIRST_DATA_ROW):
                letter = get_column_letter(index + 1)
                self.error(2, index, letter, _("The column has data but no column code."))
        return lines

    def _units(self, lines: list[_Line]) -> dict[str, OrgUnit]:
        """The units named by the file, by code; a code typed in small letters finds its unit too."""
        codes = sorted({line.code for line in lines if line.code} | {line.code.upper() for line in lines})
        units: dict[str, OrgUnit] = {}
        for chunk in _chunks(codes):
            units.update((unit.code, unit) for unit in OrgUnit.objects.filter(code__in=chunk))
        return units

    def _rows(self, lines: list[_Line], units: dict[str, OrgUnit]) -> None:
        plan = self.plan
        unit_title = _("Unit code")
        first_row: dict[int, int] = {}
        for line in lines:
            unit = units.get(line.code) or units.get(line.code.upper())
            if line.row < FIRST_DATA_ROW and unit is None:
                continue  # row 3 holds the titles (unless they were deleted and a unit moved up)
            errors_before = len(plan.errors)
            values = self._values(line)
            if not line.code:
                if values or len(plan.errors) > errors_before:
                    self.error(line.row, self.unit_index, unit_title, _("The unit code is missing."))
                continue
            if unit is None:
                self.error(
                    line.row,
                    self.unit_index,
                    unit_title,
                    _("Unknown unit code “%(code)s”.") % {"code": line.code},
                )
                continue
            if not (scope.covers(self.user, unit, ENTER) or scope.covers(self.user, unit, REVIEW)):
                self.error(
                    line.row,
                    self.unit_index,
                    unit_title,
                    _("The unit %(code)s is outside your part of the network.") % {"code": line.code},
                )
                continue
            if unit.pk in first_row:
                self.error(
                    line.row,
                    self.unit_index,
                    unit_title,
                    _("The unit %(code)s is already in row %(row)s.")
                    % {"code": unit.code, "row": first_row[unit.pk]},
                )
                continue
            first_row[unit.pk] = line.row
            plan.rows.append(RowPlan(row=line.row, unit=unit, report=None, values=values))

    def _values(self, line: _Line) -> dict[str, tuple[Decimal | None, str]]:
        values = {}
        cells, width = line.cells, len(line.cells)
        for index, column in self.columns.items():
            raw = _raw(cells[index]) if index < width else None
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            if type(raw) is int and 0 <= raw < _FAST_LIMIT and column.indicator.value_type in _NUMBERS:
                values[column.key] = (Decimal(raw), "")  # what parse_value answers, without its checks
                continue
            try:
                values[column.key] = services.parse_value(column.indicator, raw)
            except ValidationError as exc:
                self.error(line.row, index, column.label, exc.messages[0])
        return values

    # the reports of the period

    def _reports(self) -> None:
        plan = self.plan
        form, period = plan.form, plan.period
        unit_ids = [row.unit.pk for row in plan.rows]
        reports: dict[int, Report] = {}
        expected: set[int] = set()
        for chunk in _chunks(unit_ids):
            for report in Report.objects.filter(form=form, period_start=period.start, unit_id__in=chunk):
                reports[report.unit_id] = report
            expected.update(expected_units(form, period).filter(pk__in=chunk).values_list("pk", flat=True))
        stored = self._stored([report.pk for report in reports.values()])
        version_columns = {plan.version.pk: {column.key for column in plan.columns}}
        index_of = {column.key: index for index, column in self.columns.items()}
        unit_title = _("Unit code")
        for row in plan.rows:
            report = row.report = reports.get(row.unit.pk)
            if report is None:
                if row.unit.pk not in expected:
                    self.error(
                        row.row,
                        self.unit_index,
                        unit_title,
                        _("For %(period)s, %(code)s does not report on this form.")
                        % {"code": row.unit.code, "period": period.label()},
                    )
                    continue
                if not form.is_open and row.values:
                    self.error(
                        row.row,
                        self.unit_index,
                        unit_title,
                        _("The form “%(form)s” is closed for entry.") % {"form": form.name},
                    )
                    continue
            elif report.form_version_id not in version_columns:
                version_columns[report.form_version_id] = {c.key for c in form_columns(report.form_version)}
            keys = version_columns[report.form_version_id if report else plan.version.pk]
            old_values = stored.get(report.pk, {}) if report else {}
            for key, new in row.values.items():
                column = self.columns[index_of[key]]
                if key not in keys:
                    self.error(
                        row.row,
                        index_of[key],
                        column.label,
                        _("The report of this unit uses an older version of the form without this field."),
                    )
                    continue
                value_id, old = old_values.get((column.indicator.pk, column.category_id), (None, None))
                if old is not None and _same(column.indicator, old, new):
                    continue
                row.changes.append(
                    Change(
                        key=key,
                        label=column.label,
                        indicator=column.indicator,
                        category_id=column.category_id,
                        old=old,
                        new=new,
                        value_id=value_id,
                    )
                )
            if report is not None and report.status in _LOCKED and row.changes:
                message = (
                    _("The report is accepted and locked; a methodologist can reopen it.")
                    if report.status == ReportStatus.ACCEPTED
                    else _("The report is submitted; it can be changed after it is returned.")
                )
                self.error(row.row, self.unit_index, unit_title, message)

    def _stored(self, report_ids: list[int]) -> dict[int, dict[tuple[int, int | None], tuple]]:
        """(value id, (number, text)) per report and (indicator, part), in one query per 5,000 reports."""
        stored: dict[int, dict] = {}
        for chunk in _chunks(report_ids):
            rows = Value.objects.filter(report_id__in=chunk).values_list(
                "report_id", "indicator_id", "category_id", "id", "number", "text"
            )
            for report_id, indicator_id, category_id, value_id, number, text in rows:
                stored.setdefault(report_id, {})[(indicator_id, category_id)] = (value_id, (number, text))
        return stored


def _same(indicator: Indicator, old: tuple[Decimal | None, str], new: tuple[Decimal | None, str]) -> bool:
    if indicator.value_type == ValueType.TEXT:
        return (old[1] or "") == new[1]
    return old[0] is not None and new[0] is not None and Decimal(old[0]) == new[0]


# --- writing -----------------------------------------------------------------------------------------------


class UploadRefused(Exception):
    """Nothing was written: the plan has errors, or the reports changed since the file was checked."""

    def __init__(self, errors: list[UploadError]):
        super().__init__("; ".join(error.message for error in errors[:3]))
        self.errors = errors


@dataclass
class UploadSummary:
    reports_created: int = 0
    reports_changed: int = 0
    values_created: int = 0
    values_changed: int = 0
    rows_unchanged: int = 0

    @property
    def values_written(self) -> int:
        return self.values_created + self.values_changed


def upload_apply(plan: UploadPlan, *, user) -> UploadSummary:
    """Write a checked plan in one transaction: new draft reports, new and changed values, their history.

    A handful of statements whatever the number of rows (`executemany`, no query per report or value).
    The reports are locked and compared with what the check saw: if one was saved, submitted or opened
    since, UploadRefused names its row and nothing is written.
    """
    if plan.user_id is None or plan.user_id != getattr(user, "pk", None):
        raise PermissionDenied(_("The file was checked for another user."))
    if plan.errors:
        raise UploadRefused(plan.errors)
    try:
        with transaction.atomic():
            return _write(plan, user)
    except IntegrityError as exc:  # a report of the period was opened in the meantime
        raise UploadRefused([UploadError(None, "", "", _changed_message())]) from exc


def _changed_message() -> str:
    return _("Reports of this file were changed since it was checked. Check the file again.")


def _write(plan: UploadPlan, user) -> UploadSummary:
    rows = plan.to_write
    summary = UploadSummary(rows_unchanged=plan.unchanged_rows)
    if not rows:
        return summary
    form, period = plan.form, plan.period
    now = timezone.now()
    who = user.pk if getattr(user, "is_authenticated", False) else None

    locked = _lock_reports(form, period, [row.unit.pk for row in rows])
    stale = [row for row in rows if _is_stale(row, locked.get(row.unit.pk))]
    if stale:
        raise UploadRefused(
            [
                UploadError(
                    row.row,
                    "",
                    row.unit.code,
                    _("The report of %(code)s has changed since the file was checked. Check the file again.")
                    % {"code": row.unit.code},
                )
                for row in stale
            ]
        )

    new_rows = [row for row in rows if row.is_new]
    changed_rows = [row for row in rows if not row.is_new]
    if new_rows:
        due = period.deadline(form.deadline_days)
        _insert(
            Report,
            [
                {
                    "form_id": form.pk,
                    "form_version_id": plan.version.pk,
                    "unit_id": row.unit.pk,
                    "period_type": str(period.type),  # plain text: a driver may dump an Enum by its name
                    "period_start": period.start,
                    "period_end": period.end,
                    "ref_date": period.ref_date,
                    "due": due,
                    "status": ReportStatus.DRAFT.value,
                    "version": 2,  # opened (1), then its values saved (2), as open_report + save_values
                    "submitted_at": None,
                    "submitted_by_id": None,
                    "reviewed_at": None,
                    "reviewed_by_id": None,
                    "review_comment": "",
                    "submit_comment": "",
                    "created_by_id": who,
                    "created_at": now,
                    "updated_at": now,
                }
                for row in new_rows
            ],
        )
        locked.update(_lock_reports(form, period, [row.unit.pk for row in new_rows]))
    reports = {row.unit.pk: locked[row.unit.pk] for row in rows}
    for row in changed_rows:
        report = reports[row.unit.pk]
        report.version += 1
        report.updated_at = now
    _update(Report, ["version", "updated_at"], [reports[row.unit.pk] for row in changed_rows])

    # Values: changed ones by id, new ones inserted; the history of both is copied from the table in SQL.
    updates: list[tuple] = []
    created: list[tuple] = []
    updated_at, ref_date = _db(Value, "updated_at", now), _db(Value, "ref_date", period.ref_date)
    for row in rows:
        report_id, unit_id, unit_path = reports[row.unit.pk].pk, row.unit.pk, row.unit.path
        for change in row.changes:
            number, text = change.new
            if change.value_id is not None:
                updates.append((number, text, who, updated_at, change.value_id))
            else:
                created.append(
                    (
                        report_id,
                        change.indicator.pk,
                        change.category_id,
                        unit_id,
                        unit_path,
                        ref_date,
                        str(period.type),
                        number,
                        text,
                        "",
                        updated_at,
                        who,
                    )
                )
    history = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    _execute_many(Value, "UPDATE", ["number", "text", "updated_by_id", "updated_at"], updates)
    if history:
        for chunk in _chunks([update[-1] for update in updates]):
            condition = "{id} IN (" + ", ".join(["%s"] * len(chunk)) + ")"
            _copy_value_history(form, period, "~", condition, chunk, who, now)
    if created:
        last_id = Value.objects.aggregate(last=Max("id"))["last"] or 0
        _execute_many(Value, "INSERT", _NEW_VALUE_FIELDS, created)
        if history:
            condition = "{updated_at} = %s AND {id} > %s"
            _copy_value_history(form, period, "+", condition, [updated_at, last_id], who, now)
    if history:
        report_fields = [f.attname for f in Report.history.model.tracked_fields]
        reason = pgettext("report history", "uploaded from a file")
        _insert(
            Report.history.model,
            [
                {
                    **{name: getattr(reports[row.unit.pk], name) for name in report_fields},
                    "history_date": now,
                    "history_user_id": who,
                    "history_change_reason": reason,
                    "history_type": "+" if row.is_new else "~",
                }
                for row in rows
            ],
        )
    summary.reports_created, summary.reports_changed = len(new_rows), len(changed_rows)
    summary.values_created, summary.values_changed = len(created), len(updates)
    return summary


def _lock_reports(form: ReportForm, period: Period, unit_ids: list[int]) -> dict[int, Report]:
    found = {}
    for chunk in _chunks(unit_ids):
        reports = Report.objects.select_for_update().filter(
            form=form, period_start=period.start, unit_id__in=chunk
        )
        found.update((report.unit_id, report) for report in reports)
    return found


def _is_stale(row: RowPlan, report: Report | None) -> bool:
    if row.report is None:
        return report is not None
    return report is None or report.version != row.report.version or report.status != row.report.status


def _preparer(field):
    """How a field's value goes to the database driver; memoised, since the same dates repeat per row."""
    if field.get_internal_type() not in ("DateTimeField", "DateField", "DecimalField", "TimeField"):
        return lambda value: value
    memo: dict = {}

    def prepare(value):
        if value is None:
            return None
        try:
            return memo[value]
        except KeyError:
            memo[value] = prepared = field.get_db_prep_save(value, connection)
            return prepared

    return prepare


def _insert(model, rows: list[dict]) -> None:
    """INSERT the rows (dicts by attname, values as Python has them) in one statement."""
    if not rows:
        return
    fields = {f.attname: f for f in model._meta.concrete_fields}
    names = list(rows[0])
    prepare = [_preparer(fields[name]) for name in names]
    _execute_many(
        model,
        "INSERT",
        names,
        [tuple(p(row[n]) for p, n in zip(prepare, names, strict=True)) for row in rows],
    )


def _update(model, names: list[str], objects: list) -> None:
    """UPDATE the given fields of the objects, by primary key, in one statement."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    prepare = [_preparer(fields[name]) for name in names]
    _execute_many(
        model,
        "UPDATE",
        names,
        [(*(p(getattr(obj, n)) for p, n in zip(prepare, names, strict=True)), obj.pk) for obj in objects],
    )


# Parameters per SQLite statement: the default limit since SQLite 3.32 (older builds allow 999 only).
_SQLITE_PARAMETERS = 32_766 if sqlite3.sqlite_version_info >= (3, 32) else 999

_NEW_VALUE_FIELDS = [
    "report_id",
    "indicator_id",
    "category_id",
    "unit_id",
    "unit_path",
    "ref_date",
    "period_type",
    "number",
    "text",
    "comment",
    "updated_at",
    "updated_by_id",
]


def _db(model, attname: str, value):
    """A value as the database driver takes it (dates and times differ between databases)."""
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    return field.get_db_prep_save(value, connection)


def _execute_many(model, verb: str, names: list[str], rows: list[tuple]) -> None:
    """One INSERT of rows (values in the order of `names`), or one UPDATE by primary key (the last value
    of each row), for any number of rows. The values must be ready for the driver (see `_db`)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    fields = {f.attname: f for f in model._meta.concrete_fields}
    columns = [quote(fields[name].column) for name in names]
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if verb == "INSERT" and hasattr(cursor.cursor, "copy"):
                # COPY is PostgreSQL's bulk load: several times faster than row-by-row statements.
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            if verb == "UPDATE":
                types = [fields[name].db_type(connection) for name in names] + [
                    model._meta.pk.db_type(connection)
                ]
                _pg_update_from_values(cursor, table, pk, columns, types, rows)
                return
        # Only table and column names from the model's meta, quoted, go into the text; values are parameters.
        one_row = f"({', '.join(['%s'] * len(columns))})"
        if verb == "INSERT" and connection.vendor == "sqlite":
            # Many rows per statement: SQLite steps through one statement faster than through many.
            for chunk in _chunks(rows, _SQLITE_PARAMETERS // len(columns)):
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([one_row] * len(chunk))}"  # noqa: S608
                cursor.execute(sql, [value for row in chunk for value in row])
            return
        if verb == "INSERT":
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {one_row}"  # noqa: S608
        else:
            assignments = ", ".join(f"{column} = %s" for column in columns)
            sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
        cursor.executemany(sql, rows)


def _pg_update_from_values(cursor, table: str, pk: str, columns: list[str], types: list[str], rows) -> None:
    """UPDATE … FROM (VALUES …): many rows per statement (PostgreSQL allows 65,535 parameters)."""
    names = [f"c{index}" for index in range(len(types))]
    one_row = "(" + ", ".join(f"%s::{db_type}" for db_type in types) + ")"
    assignments = ", ".join(f"{column} = v.{name}" for column, name in zip(columns, names, strict=False))
    for chunk in _chunks(rows, 60_000 // len(types)):
        sql = (
            f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([one_row] * len(chunk))}) "  # noqa: S608
            f"AS v ({', '.join(names)}) WHERE {table}.{pk} = v.{names[-1]}"
        )
        cursor.execute(sql, [value for row in chunk for value in row])


def _copy_value_history(
    form: ReportForm, period: Period, kind: str, condition: str, params, who, now
) -> None:
    """History rows of the values just written in the form's reports of the period, copied in SQL."""
    quote = connection.ops.quote_name
    history = Value.history.model
    tracked = [quote(f.column) for f in history.tracked_fields]
    extra = [quote(history._meta.get_field(name).column) for name in _HISTORY_FIELDS]
    reports = (
        f"SELECT {quote('id')} FROM {quote(Report._meta.db_table)} "  # noqa: S608
        f"WHERE {quote('form_id')} = %s AND {quote('period_start')} = %s"
    )
    where = condition.format(updated_at=quote("updated_at"), id=quote("id"))
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(tracked + extra)}) "  # noqa: S608
        f"SELECT {', '.join(tracked)}, %s, %s, %s, %s FROM {quote(Value._meta.db_table)} "
        f"WHERE {quote('report_id')} IN ({reports}) AND {where}"
    )
    reason = pgettext("report history", "uploaded from a file")
    values = [
        _db(history, "history_date", now),
        _db(history, "history_user_id", who),
        reason,
        kind,
        form.pk,
        _db(Report, "period_start", period.start),
        *params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


_HISTORY_FIELDS = ("history_date", "history_user", "history_change_reason", "history_type")
