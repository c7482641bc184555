"""Import and export of the network registry as a spreadsheet: XLSX, or CSV for other tools.

One row per org unit, its parent given by code. The export writes human column titles in row 1 and the
machine codes of the columns in a hidden row 2; the import reads the codes, so columns may be reordered,
retitled or left out. An import is all-or-nothing: every row is checked first and any error writes
nothing; the writes go through the registry services inside one transaction.

    rows = registry_rows(registry_units(user, under=unit))     # export
    table = registry_file_read(content=data, filename=name)    # import: read the file
    plan = registry_import_plan(user=user, table=table)        # a dry run: check everything, write nothing
    plan = registry_import_run(user=user, table=table)         # check again and write all of it, or nothing
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from metodist.core import scope
from metodist.network import services
from metodist.network.models import (
    FoundingDepartment,
    LibraryType,
    OrgUnit,
    ServiceLanguage,
    UnitKind,
)

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
# Treebeard's path is 255 characters of 4-character steps.
MAX_DEPTH = OrgUnit._meta.get_field("path").max_length // OrgUnit.steplen
CODE = "code"
PARENT_CODE = "parent_code"
_CHUNK = 500  # stay well under the database's limit of parameters per query


@dataclass(frozen=True)
class Column:
    code: str
    type: str  # how a cell is read: text, choice, decimal, integer, date, languages, url
    width: int = 14


COLUMNS = (
    Column(CODE, "text", 14),
    Column(PARENT_CODE, "text", 14),
    Column("kind", "choice", 16),
    Column("name_ru", "text", 40),
    Column("name_kk", "text", 40),
    Column("name_en", "text", 30),
    Column("library_type", "choice", 16),
    Column("founding_department", "choice", 14),
    Column("address", "text", 40),
    Column("latitude", "decimal", 11),
    Column("longitude", "decimal", 11),
    Column("phone", "text", 18),
    Column("email", "text", 24),
    Column("website", "url", 24),
    Column("languages", "languages", 12),
    Column("opening_year", "integer", 10),
    Column("population_served", "integer", 12),
    Column("staff_rate", "decimal", 10),
    Column("opened_on", "date", 12),
    Column("closed_on", "date", 12),
    Column("description", "text", 40),
)
COLUMN_BY_CODE = {column.code: column for column in COLUMNS}
# Card fields the file may carry; the code is the key and the parent code is the tree position.
CARD_COLUMNS = tuple(c.code for c in COLUMNS if c.code not in (CODE, PARENT_CODE))
REQUIRED_FIELDS = ("name_ru", "kind")
CHOICES = {
    "kind": UnitKind,
    "library_type": LibraryType,
    "founding_department": FoundingDepartment,
}
# Coordinates pasted from a map carry more digits than the database keeps; round them, don't reject them.
_DECIMAL_PLACES = {"latitude": Decimal("0.000001"), "longitude": Decimal("0.000001")}


def column_title(code: str) -> str:
    """The human title of a column in the active language."""
    if code == PARENT_CODE:
        return _("Parent code")
    return str(capfirst(OrgUnit._meta.get_field(code).verbose_name))


# --- export -------------------------------------------------------------------------------------------


def registry_units(user, *, under: OrgUnit | None = None, archived: bool = False) -> QuerySet:
    """The units to export: the user's scope, or the subtree of `under`, in tree order."""
    units = scope.units(user)
    if under is not None:
        units = units.under(under)
    if not archived:
        units = units.active()
    return units.order_by("path").only("path", "depth", *(c for c in CARD_COLUMNS), CODE)


def registry_rows(units: Iterable[OrgUnit]) -> list[dict]:
    """One dict per unit, column code → value, with the parent's code found without a query per unit."""
    units = list(units)
    code_by_path = {unit.path: unit.code for unit in units}
    step = OrgUnit.steplen
    # Parents outside the exported set (the top of the user's scope) are looked up in one query.
    missing = sorted({u.path[:-step] for u in units if len(u.path) > step} - code_by_path.keys())
    for start in range(0, len(missing), _CHUNK):
        chunk = missing[start : start + _CHUNK]
        code_by_path.update(OrgUnit.objects.filter(path__in=chunk).values_list("path", CODE))
    rows = []
    for unit in units:
        row = {CODE: unit.code, PARENT_CODE: code_by_path.get(unit.path[:-step], "")}
        row.update({name: getattr(unit, name) for name in CARD_COLUMNS})
        rows.append(row)
    return rows


def export_filename(*, user, under: OrgUnit | None, extension: str) -> str:
    if under is None:
        roots = list(scope.roots(user).values_list(CODE, flat=True)[:2])
        label = roots[0] if len(roots) == 1 else "network"
    else:
        label = under.code
    return f"registry-{label}-{timezone.localdate().isoformat()}.{extension}"


def _xlsx_value(value):
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, Decimal):
        return float(value)  # a number in Excel, not text
    return value


def registry_xlsx(rows: list[dict]) -> bytes:
    """The registry as a workbook: titles, the hidden row of codes, then one row per unit."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Registry"))
    sheet.freeze_panes = "B3"
    sheet.row_dimensions[2].hidden = True
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    _add_dropdowns(sheet, last_row=max(len(rows) + 2, 1000))

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")
    wrap = Alignment(wrap_text=True, vertical="top")
    titles = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column_title(column.code))
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        titles.append(cell)
    sheet.append(titles)
    sheet.append([column.code for column in COLUMNS])
    for row in rows:
        cells = []
        for column in COLUMNS:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(row[column.code]))
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    _add_codes_sheet(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_dropdowns(sheet, *, last_row: int) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        if column.code not in CHOICES:
            continue
        values = ",".join(CHOICES[column.code].values)
        validation = DataValidation(type="list", formula1=f'"{values}"', allow_blank=column.code != "kind")
        validation.error = _("Choose a value from the list; the sheet “Codes” explains them.")
        validation.errorTitle = column_title(column.code)
        validation.showErrorMessage = True
        letter = get_column_letter(index)
        validation.add(f"{letter}3:{letter}{last_row}")
        sheet.data_validations.append(validation)


def _add_codes_sheet(workbook) -> None:
    """A second sheet that explains the codes of the choice columns; the import reads only the first."""
    sheet = workbook.create_sheet(_("Codes"))
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 40
    bold = Font(bold=True)
    header = [WriteOnlyCell(sheet, value=text) for text in (_("Column"), _("Code"), _("Meaning"))]
    for cell in header:
        cell.font = bold
    sheet.append(header)
    for code, choices in (*CHOICES.items(), ("languages", ServiceLanguage)):
        title = WriteOnlyCell(sheet, value=column_title(code))
        title.font = bold
        for value, label in choices.choices:
            sheet.append([title, value, str(label)])
            title = None


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(("=", "@")):
        return "'" + text  # Excel would run it as a formula; the import strips the quote again
    return text


def registry_csv(rows: list[dict]) -> bytes:
    """The registry as CSV with the column codes as header, UTF-8 with a BOM so Excel reads Cyrillic."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.code for column in COLUMNS])
    for row in rows:
        writer.writerow([_csv_value(row[column.code]) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


# --- reading a file -----------------------------------------------------------------------------------


class RegistryFileError(Exception):
    """The file cannot be read as a registry at all; the message is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """The cells of an uploaded file: the row of column codes and the data rows below it."""

    codes_row: int  # spreadsheet number of the row holding the column codes
    codes: list[str]  # one per column, "" where the cell is empty
    titles: list[str]  # the titles row above the codes, if the file has one
    rows: list[tuple[int, list]]  # (spreadsheet row number, cells); empty rows left out


def registry_file_read(*, content: bytes, filename: str) -> Table:
    """Read an uploaded XLSX or CSV file, or raise RegistryFileError with a message for the user."""
    if len(content) > MAX_FILE_SIZE:
        raise RegistryFileError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_SIZE // (1024 * 1024)}
        )
    if filename.lower().endswith(".csv") and not content.startswith(b"PK"):
        lines = _csv_lines(content)
    elif content.startswith(b"PK\x03\x04"):
        lines = _xlsx_lines(content)
    else:
        message = _("The file is not an Excel workbook (.xlsx).")
        if content.startswith(b"\xd0\xcf\x11\xe0"):
            message += " " + _(
                "It looks like an old .xls file: save it in Excel as “Excel Workbook (.xlsx)”."
            )
        raise RegistryFileError(message)
    return _table(lines)


def _xlsx_lines(content: bytes) -> Iterator[list]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # Some programs write a wrong used range; read what is really there.
        sheet.reset_dimensions()
        rows = [list(row) for row in _limited(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))]
        workbook.close()
    except RegistryFileError:
        raise
    except Exception as exc:  # a damaged or foreign file can fail anywhere inside openpyxl
        raise RegistryFileError(_("The file is not an Excel workbook (.xlsx).")) from exc
    return iter(rows)


def _csv_lines(content: bytes) -> Iterator[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in a Russian Windows saves CSV in the Windows Cyrillic code page.
        text = content.decode("cp1251", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(_limited(csv.reader(io.StringIO(text), dialect)))
    except csv.Error as exc:
        raise RegistryFileError(_("The file cannot be read as CSV: %(error)s") % {"error": exc}) from exc
    return iter(rows)


def _too_many_rows() -> RegistryFileError:
    return RegistryFileError(
        _("The file has more than %(limit)s rows. Split it into several files.") % {"limit": MAX_ROWS}
    )


def _limited(rows: Iterable) -> Iterator:
    """Stop a file with too many rows early, before it fills the memory (_table counts them exactly)."""
    filled = 0
    for number, row in enumerate(rows, start=1):
        if not _is_blank(row):
            filled += 1
            if filled > MAX_ROWS + 2:  # the titles and the codes
                raise _too_many_rows()
        elif number > 10 * MAX_ROWS:
            break  # a sheet formatted down to its last row has a million empty rows; don't walk them all
        yield row


def _is_blank(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _header_cell(value) -> str:
    return str(value).strip().lower() if value is not None else ""


def _table(lines: Iterator[list]) -> Table:
    first = [next(lines, []), next(lines, [])]
    # Our export keeps the codes in a hidden row 2 under the titles; a hand-made file may have them in row 1.
    for index in (1, 0):
        codes = [_header_cell(value) for value in first[index]]
        named = [code for code in codes if code]
        if CODE in codes and 2 * sum(code in COLUMN_BY_CODE for code in named) >= len(named):
            break
    else:
        raise RegistryFileError(
            _("The file has no column with the code “%(code)s”. Export the registry and fill it in.")
            % {"code": CODE}
        )
    titles = [str(v).strip() if v is not None else "" for v in first[0]] if index == 1 else []
    rows = [] if index == 1 else [(2, first[1])]
    rows.extend(enumerate(lines, start=3))
    rows = [(number, list(cells)) for number, cells in rows if not _is_blank(cells)]
    if len(rows) > MAX_ROWS:
        raise _too_many_rows()
    return Table(codes_row=index + 1, codes=codes, titles=titles, rows=rows)


# --- parsing cells ------------------------------------------------------------------------------------


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone or a code typed as a number
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    text = str(value).strip()
    if text.startswith(("'=", "'@")):
        text = text[1:]  # the quote our CSV export puts before formula-like text
    return text


def _choice(code: str, value) -> str:
    text = _text(value)
    if not text:
        return ""
    choices = CHOICES[code]
    lowered = text.lower()
    for choice_value, label in choices.choices:
        if lowered in (choice_value.lower(), str(label).lower()):
            return choice_value
    raise CellError(
        _("“%(value)s” is not a known code. Use one of: %(codes)s.")
        % {"value": text, "codes": ", ".join(choices.values)}
    )


def _decimal(code: str, value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("Not a number."))
    text = str(value) if isinstance(value, (int, float)) else re.sub(r"[\s\xa0]", "", value).replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise CellError(_("“%(value)s” is not a number.") % {"value": value}) from exc
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    if code in _DECIMAL_PLACES and abs(number) < 1000:  # a larger one is out of range: full_clean says so
        number = number.quantize(_DECIMAL_PLACES[code])
    return number


def _integer(value) -> int | None:
    number = _decimal("", value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    return int(number)


def _date(value) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(_("“%(value)s” is not a date. Write it as YYYY-MM-DD or DD.MM.YYYY.") % {"value": text})


def _languages(value) -> list[str]:
    codes = [part.strip().lower() for part in re.split(r"[,;\s]+", _text(value)) if part.strip()]
    unknown = [code for code in codes if code not in ServiceLanguage.values]
    if unknown:
        raise CellError(
            _("Unknown language code “%(code)s”. Use %(codes)s, separated by commas.")
            % {"code": unknown[0], "codes": ", ".join(ServiceLanguage.values)}
        )
    return list(dict.fromkeys(codes))


def _url(value) -> str:
    text = _text(value)
    # As the card form does: "library.kz" means a web address.
    if text and "://" not in text and " " not in text and "." in text:
        text = "https://" + text
    return text


def _parse(column: Column, value):
    if column.type == "choice":
        return _choice(column.code, value)
    if column.type == "decimal":
        return _decimal(column.code, value)
    if column.type == "integer":
        return _integer(value)
    if column.type == "date":
        return _date(value)
    if column.type == "languages":
        return _languages(value)
    if column.type == "url":
        return _url(value)
    return _text(value)


# --- the import plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the column title in the user's language
    letter: str  # the column letter in the file, "" when the file has no such column
    message: str
    position: int = MAX_COLUMNS  # the column's place in the file, to list a row's errors left to right


@dataclass(frozen=True)
class Change:
    column: str
    old: str
    new: str


@dataclass
class RowPlan:
    """What the import will do with one row of the file."""

    row: int
    code: str
    parent_code: str | None  # None: the file has no parent column, the unit stays where it is
    values: dict = field(default_factory=dict)  # card field → parsed value, for the columns in the file
    unit: OrgUnit | None = None  # the existing unit with this code
    changed: dict = field(default_factory=dict)  # card field → new value, for an existing unit
    changes: list[Change] = field(default_factory=list)
    moves: bool = False
    old_parent_code: str | None = None
    order: int = 0  # how many units of the file stand above it: parents are written first

    @property
    def is_new(self) -> bool:
        return self.unit is None

    @property
    def name(self) -> str:
        if self.unit is not None:
            return self.unit.name
        language = (get_language() or "ru")[:2]
        return self.values.get(f"name_{language}") or self.values.get("name_ru") or ""


@dataclass
class ImportPlan:
    rows: list[RowPlan]
    errors: list[RowError]

    @property
    def to_create(self) -> list[RowPlan]:
        return [row for row in self.rows if row.is_new]

    @property
    def to_update(self) -> list[RowPlan]:
        return [row for row in self.rows if not row.is_new and row.changed]

    @property
    def to_move(self) -> list[RowPlan]:
        return [row for row in self.rows if not row.is_new and row.moves]

    @property
    def unchanged(self) -> list[RowPlan]:
        return [row for row in self.rows if not row.is_new and not row.changed and not row.moves]


def registry_import_plan(*, user, table: Table) -> ImportPlan:
    """Check every row of the file against the registry and the user's scope; write nothing."""
    return _Planner(user, table).plan()


def _display(code: str, value) -> str:
    if value is None or value in ("", []):
        return "—"
    if code in CHOICES:
        return str(dict(CHOICES[code].choices).get(value, value))
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _same(old, new) -> bool:
    if old in (None, "", []) and new in (None, "", []):
        return True
    return old == new


class _Planner:
    """Builds an ImportPlan. Each check adds errors and goes on, so the user sees every problem at once."""

    def __init__(self, user, table: Table):
        self.user = user
        self.table = table
        self.errors: list[RowError] = []
        self.columns: dict[str, int] = {}  # column code → index in the file
        self.rows: list[RowPlan] = []
        self.by_code: dict[str, RowPlan] = {}
        self.bad_cells: dict[int, set[str]] = {}  # row → column codes already reported
        self.db: dict[str, OrgUnit] = {}  # code → unit, for the codes of the file and their ancestors
        self.code_by_path: dict[str, str] = {}

    def plan(self) -> ImportPlan:
        self._read_header()
        self._read_rows()
        self._load_units()
        for row in self.rows:
            self._check_row(row)
        self._check_tree()
        for row in self.rows:
            self._check_card(row)
            self._diff(row)
        self._check_kinds()
        self._check_rights()
        self.errors.sort(key=lambda e: (e.row, e.position))
        return ImportPlan(rows=sorted(self.rows, key=lambda r: (r.order, r.row)), errors=self.errors)

    # errors

    def _error(self, row: int, code: str, message: str) -> None:
        """Report a problem in the column with this code (a known column code, or a raw one from the file)."""
        title = column_title(code) if code in COLUMN_BY_CODE else code
        index = self.columns.get(code)
        letter = get_column_letter(index + 1) if index is not None else ""
        position = index if index is not None else MAX_COLUMNS
        self.errors.append(RowError(row=row, column=title, letter=letter, message=message, position=position))
        self.bad_cells.setdefault(row, set()).add(code)

    def _has_error(self, row: RowPlan, code: str) -> bool:
        return code in self.bad_cells.get(row.row, ())

    # the file

    def _read_header(self) -> None:
        table = self.table
        for index, code in enumerate(table.codes):
            if not code:
                if any(index < len(cells) and not _is_blank([cells[index]]) for _n, cells in table.rows):
                    letter = get_column_letter(index + 1)
                    self.errors.append(
                        RowError(
                            row=table.codes_row,
                            column=letter,
                            letter=letter,
                            message=_("The column has data but no column code."),
                            position=index,
                        )
                    )
                continue
            if code in self.columns:
                self._error(table.codes_row, code, _("The column appears twice in the file."))
            elif code not in COLUMN_BY_CODE:
                self.columns[code] = index
                self._error(
                    table.codes_row,
                    code,
                    _("Unknown column code “%(code)s”. Known codes: %(codes)s.")
                    % {"code": code, "codes": ", ".join(COLUMN_BY_CODE)},
                )
            else:
                self.columns[code] = index

    def _cell(self, cells: list, code: str):
        index = self.columns[code]
        return cells[index] if index < len(cells) else None

    def _read_rows(self) -> None:
        first_row: dict[str, int] = {}
        for number, cells in self.table.rows:
            code = _text(self._cell(cells, CODE))
            parent = _text(self._cell(cells, PARENT_CODE)) if PARENT_CODE in self.columns else None
            row = RowPlan(row=number, code=code, parent_code=parent)
            self.rows.append(row)
            for name in CARD_COLUMNS:
                if name not in self.columns:
                    continue
                try:
                    row.values[name] = _parse(COLUMN_BY_CODE[name], self._cell(cells, name))
                except CellError as exc:
                    self._error(number, name, exc.message)
            if not code:
                self._error(number, CODE, _("The code is required."))
            elif code in first_row:
                self._error(
                    number,
                    CODE,
                    _("The code %(code)s is already used in row %(row)s.")
                    % {"code": code, "row": first_row[code]},
                )
            else:
                first_row[code] = number
                self.by_code[code] = row

    def _load_units(self) -> None:
        """The units named by the file and all their ancestors, in a few queries whatever the file's size."""
        codes = sorted(
            {r.code for r in self.rows if r.code} | {r.parent_code for r in self.rows if r.parent_code}
        )
        fields = ("id", "path", "depth", "numchild", "archived_at", CODE, *CARD_COLUMNS)
        for start in range(0, len(codes), _CHUNK):
            for unit in OrgUnit.objects.filter(code__in=codes[start : start + _CHUNK]).only(*fields):
                self.db[unit.code] = unit
        paths = sorted({p for unit in self.db.values() for p in unit.ancestor_paths()})
        for start in range(0, len(paths), _CHUNK):
            for unit in OrgUnit.objects.filter(path__in=paths[start : start + _CHUNK]).only(*fields):
                self.db.setdefault(unit.code, unit)
        self.code_by_path = {unit.path: code for code, unit in self.db.items()}
        for code, row in self.by_code.items():
            row.unit = self.db.get(code)
        self._check_code_case()

    def _check_code_case(self) -> None:
        """A new code that differs from an existing one only in letter case is a typo, not a new unit."""
        new = {row.code.upper(): row for row in self.by_code.values() if row.is_new}
        keys = sorted(new)
        for start in range(0, len(keys), _CHUNK):
            existing = (
                OrgUnit.objects.annotate(upper=Upper(CODE))
                .filter(upper__in=keys[start : start + _CHUNK])
                .values_list(CODE, flat=True)
            )
            for code in existing:
                row = new[code.upper()]
                self._error(
                    row.row,
                    CODE,
                    _("A unit with the code %(code)s already exists: codes differ in letter case.")
                    % {"code": code},
                )

    # rows

    def _current_parent_code(self, unit: OrgUnit) -> str | None:
        return self.code_by_path.get(unit.path[: -OrgUnit.steplen]) if unit.depth > 1 else None

    def _planned_parent_code(self, code: str) -> str | None:
        row = self.by_code.get(code)
        if row is not None and row.parent_code is not None:
            return row.parent_code or None
        unit = self.db.get(code)
        return self._current_parent_code(unit) if unit is not None else None

    def _planned_kind(self, code: str) -> str | None:
        row = self.by_code.get(code)
        if row is not None and row.values.get("kind"):
            return row.values["kind"]
        unit = self.db.get(code)
        return unit.kind if unit is not None else None

    def _check_row(self, row: RowPlan) -> None:
        if self.by_code.get(row.code) is not row or self._has_error(row, CODE):
            return
        for name in REQUIRED_FIELDS:
            if name in row.values and not row.values[name] and not self._has_error(row, name):
                self._error(row.row, name, _("This field is required."))
            elif name not in self.columns and row.is_new:
                self._error(row.row, name, _("A new unit needs this column."))
        # Seeing a unit is enough to leave it unchanged, so a user's whole export imports back cleanly;
        # changing it needs the right to manage it (_check_rights).
        if row.unit is not None and not scope.covers(self.user, row.unit):
            self._error(
                row.row,
                CODE,
                _("The unit %(code)s is outside your part of the network.") % {"code": row.code},
            )
            return
        self._check_parent(row)

    def _check_parent(self, row: RowPlan) -> None:
        if row.parent_code is None:
            if row.is_new:
                self._error(row.row, PARENT_CODE, _("A new unit needs the column of parent codes."))
            return
        current = self._current_parent_code(row.unit) if row.unit is not None else None
        row.old_parent_code = current
        row.moves = row.unit is not None and (row.parent_code or None) != current
        if not row.parent_code:
            if row.unit is not None and current is not None:
                self._error(row.row, PARENT_CODE, _("A unit cannot be moved to the top of the tree."))
            elif row.is_new and scope.prefixes(self.user, "manage_units") is not None:
                self._error(row.row, PARENT_CODE, _("Only a superuser can create a top-level unit."))
            return
        if row.parent_code not in self.by_code and row.parent_code not in self.db:
            self._error(
                row.row,
                PARENT_CODE,
                _("There is no unit with the code %(code)s in the registry or in this file.")
                % {"code": row.parent_code},
            )
            return
        parent = self.db.get(row.parent_code)
        if parent is None or not (row.is_new or row.moves):
            return  # a parent created by this file is checked on its own row
        if not scope.covers(self.user, parent, "manage_units"):
            self._error(
                row.row,
                PARENT_CODE,
                _("The unit %(code)s is outside your part of the network.") % {"code": row.parent_code},
            )
        elif parent.archived_at is not None:
            self._error(
                row.row,
                PARENT_CODE,
                _("The unit %(code)s is archived: restore it first.") % {"code": row.parent_code},
            )

    def _check_tree(self) -> None:
        """Catch a unit placed under its own subtree, and order the rows so that parents come first."""
        for row in self.by_code.values():
            seen = {row.code}
            code = self._planned_parent_code(row.code)
            in_file = depth = 0
            while code is not None:
                if code == row.code:
                    self._error(
                        row.row, PARENT_CODE, _("A unit cannot stand under itself or its own subtree.")
                    )
                    break
                if code in seen:
                    break  # a loop above this row is reported on the rows that form it
                depth += 1
                if depth >= MAX_DEPTH:
                    self._error(
                        row.row,
                        PARENT_CODE,
                        _("The tree would be deeper than %(levels)s levels.") % {"levels": MAX_DEPTH},
                    )
                    break
                seen.add(code)
                in_file += code in self.by_code
                code = self._planned_parent_code(code)
            row.order = in_file

    def _check_card(self, row: RowPlan) -> None:
        """The model's own validation of the card as it will be: lengths, ranges, e-mail, address, dates."""
        if self.by_code.get(row.code) is not row:
            return
        source = row.unit
        candidate = OrgUnit(
            code=row.code, **({n: getattr(source, n) for n in CARD_COLUMNS} if source else {})
        )
        for name, value in row.values.items():
            setattr(candidate, name, value)
        skip = {name for name in CARD_COLUMNS if self._has_error(row, name)}
        if not row.is_new:
            skip.add(CODE)  # the code of an existing unit is the key, not a change
        try:
            candidate.full_clean(
                exclude=["path", "depth", "numchild", *skip],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                code = name if name in COLUMN_BY_CODE else CODE
                if name != NON_FIELD_ERRORS and self._has_error(row, code):
                    continue  # already reported while reading the cell
                for message in messages:
                    self._error(row.row, code, message)

    def _diff(self, row: RowPlan) -> None:
        if row.unit is None:
            return
        for name, value in row.values.items():
            old = getattr(row.unit, name)
            if not _same(old, value):
                row.changed[name] = value
                row.changes.append(Change(column_title(name), _display(name, old), _display(name, value)))

    def _check_kinds(self) -> None:
        """Each kind of unit may stand only under some kinds: check every row whose place or kind changes."""
        for row in self.by_code.values():
            kind = self._planned_kind(row.code)
            parent_code = self._planned_parent_code(row.code)
            parent_kind = self._planned_kind(parent_code) if parent_code else None
            parent_row = self.by_code.get(parent_code) if parent_code else None
            touched = row.is_new or row.moves or "kind" in row.changed
            if parent_row is not None and "kind" in parent_row.changed:
                touched = True
            if (
                not touched
                or not kind
                or (parent_code and not parent_kind)
                or self._has_error(row, PARENT_CODE)
                or self._has_error(row, CODE)
            ):
                continue
            parent = OrgUnit(kind=parent_kind) if parent_code else None
            try:
                OrgUnit(kind=kind).check_parent_kind(parent)
            except ValidationError as exc:
                self._error(row.row, "kind" if "kind" in self.columns else PARENT_CODE, exc.messages[0])
            if "kind" in row.changed:
                self._check_children_kinds(row, kind)

    def _check_rights(self) -> None:
        for row in self.by_code.values():
            if row.is_new or not (row.changed or row.moves) or self._has_error(row, CODE):
                continue
            if not scope.covers(self.user, row.unit, "manage_units"):
                self._error(
                    row.row,
                    CODE,
                    _("You may not change the unit %(code)s: you do not manage this part of the network.")
                    % {"code": row.code},
                )

    def _check_children_kinds(self, row: RowPlan, kind: str) -> None:
        """Units that stay under a unit whose kind changes must still fit under the new kind."""
        unit = row.unit
        children = OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).only(CODE, "kind")
        parent = OrgUnit(kind=kind)
        for child in children:
            if child.code in self.by_code:
                continue  # its own row is checked against the new kind
            try:
                child.check_parent_kind(parent)
            except ValidationError as exc:
                self._error(row.row, "kind", f"{child.code}: {exc.messages[0]}")


# --- writing ------------------------------------------------------------------------------------------


class RegistryImportFailed(Exception):
    """The import wrote nothing; `errors` say why."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


@transaction.atomic
def registry_import_apply(*, user, plan: ImportPlan) -> ImportPlan:
    """Write a checked plan through the registry services: all of it, or nothing (RegistryImportFailed)."""
    if plan.errors:
        raise RegistryImportFailed(plan.errors)
    for row in plan.rows:  # already ordered: parents before their children
        try:
            _apply_row(user, row)
        except (ValidationError, PermissionDenied, OrgUnit.DoesNotExist, IntegrityError) as exc:
            # Something changed since the check (another user's edit at the same moment): roll all back.
            messages = getattr(exc, "messages", None) or [
                _("The registry changed while the file was being written. Try again.")
            ]
            raise RegistryImportFailed(
                [RowError(row=row.row, column=column_title(CODE), letter="", message=m) for m in messages]
            ) from exc
    return plan


def _apply_row(user, row: RowPlan) -> None:
    if row.is_new:
        parent = OrgUnit.objects.get(code=row.parent_code) if row.parent_code else None
        services.unit_create(user=user, parent=parent, data={CODE: row.code, **row.values})
        return
    if not row.moves and not row.changed:
        return
    # Fresh from the database: moves earlier in the file rewrite the paths of whole subtrees.
    unit = OrgUnit.objects.get(pk=row.unit.pk)
    if row.moves:
        if "kind" in row.changed:
            unit.kind = row.changed["kind"]  # so the move checks the new kind against the new parent
        services.unit_move(user=user, unit=unit, new_parent=OrgUnit.objects.get(code=row.parent_code))
    if row.changed:
        services.unit_update(user=user, unit=unit, data=row.changed)


@transaction.atomic
def registry_import_run(*, user, table: Table) -> ImportPlan:
    """Check the file and write it in one transaction, so nothing changes between the check and the writes."""
    return registry_import_apply(user=user, plan=registry_import_plan(user=user, table=table))
