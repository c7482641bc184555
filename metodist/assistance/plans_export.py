"""The annual plan and its fulfilment as DOCX (python-docx) and XLSX (openpyxl), in the layout methodologists
submit: a title, then a section per direction of work with a table of its items.

Two DOCX variants: "plan" (№, what, when, target, responsible, fact, %) and "fulfilment" («Исполнение
плана»: the fact per quarter, %, status, the totals by kind and what is behind). The workbook carries
everything in one sheet. The roll-up of a district or the region exports the same way.

The language of a document is the request's (ru, kk or en): labels are gettext strings; the title is the
document's name in the official style, written per language (with the unit's name in the genitive where
the grammar helpers are sure of it).
"""

import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from metodist.assistance import plans
from metodist.assistance.models import PlanStatus
from metodist.events.documents.grammar import kk_phrase_suffix, ru_inflect
from metodist.network.models import OrgUnit, UnitKind

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VARIANTS = ("plan", "fulfilment")
# DejaVu has every Kazakh letter where LibreOffice runs; see metodist/events/documents/docx_report.py.
FONT = "DejaVu Sans"
SHADES = {plans.DONE: "D1E7DD", plans.BEHIND: "F8D7DA"}
HEADER_FILL = "DDE7F0"
SECTION_FILL = "EEF2F6"


def percent_text(value: int | None) -> str:
    return "" if value is None else f"{value} %"


# --- titles ---------------------------------------------------------------------------------------------


def _genitive(unit: OrgUnit, language: str) -> str | None:
    if language == "ru":
        return ru_inflect(unit.name_ru, "gent")
    if language == "kk":
        return kk_phrase_suffix(unit.name_kk, "gen") if unit.name_kk else None
    return None


def _title(kind: str, unit: OrgUnit, year: int, language: str) -> tuple[str, bool]:
    """(title, whether the unit's name is in it)."""
    whose = _genitive(unit, language)
    if language == "ru":
        text = {
            "plan": "План работы{whose} на {year} год",
            "fulfilment": "Исполнение плана работы{whose} на {year} год",
            "rollup": "Исполнение планов работы{whose} на {year} год",
        }[kind]
        return text.format(whose=f" {whose}" if whose else "", year=year), bool(whose)
    if language == "kk":
        text = {
            "plan": "{whose}{year} жылға арналған жұмыс жоспары",
            "fulfilment": "{whose}{year} жылға арналған жұмыс жоспарының орындалуы",
            "rollup": "{whose}{year} жылға арналған жұмыс жоспарларының орындалуы",
        }[kind]
        return text.format(whose=f"{whose} " if whose else "", year=year), bool(whose)
    text = {
        "plan": _("Work plan for %(year)s"),
        "fulfilment": _("Fulfilment of the work plan for %(year)s"),
        "rollup": _("Fulfilment of the work plans for %(year)s"),
    }[kind]
    return text % {"year": year}, False


def _unit_lines(unit: OrgUnit, named: bool) -> list[str]:
    """The unit under the title: its name unless the title has it, and the library a department is of."""
    lines = [] if named else [unit.name]
    if unit.kind == UnitKind.DEPARTMENT:
        parent = unit.get_parent()
        if parent is not None:
            lines.append(parent.name)
    return lines


def _status_line(plan) -> str:
    if plan.status == PlanStatus.APPROVED and plan.approved_at:
        return _("Approved on %(date)s") % {"date": timezone.localtime(plan.approved_at).strftime("%d.%m.%Y")}
    return _("Draft")


def _as_of(today) -> str:
    return _("As of %(date)s") % {"date": today.strftime("%d.%m.%Y")}


# --- DOCX -----------------------------------------------------------------------------------------------


def _document(*, landscape: bool):
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    section = document.sections[0]
    # A4, as documents are printed in Kazakhstan (python-docx starts from US Letter).
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    return document


def _centered(document, text: str, *, bold: bool = False, size: int = 11) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _heading(document, title: str, lines: list[str]) -> None:
    _centered(document, title, bold=True, size=14)
    for line in lines:
        _centered(document, line)


def _subheading(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(10)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run(text).bold = True


def _shade(cell, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def _table(document, header: list[str]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
        _shade(cell, HEADER_FILL)
    return table


def _set_text(cell, text: str, *, bold: bool = False, size: int | None = None) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)


def _row(
    table, values: list, *, shade: str | None = None, bold: bool = False, size: int | None = None
) -> None:
    cells = table.add_row().cells
    for cell, value in zip(cells, values, strict=True):
        _set_text(cell, "" if value is None else str(value), bold=bold, size=size)
        if shade:
            _shade(cell, shade)


def _finish(table, widths: list[float]) -> None:
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        # A merged cell comes once per grid column it spans: it gets the sum of their widths.
        spans: dict[int, list] = {}
        for cell, width in zip(row.cells, widths, strict=True):
            spans.setdefault(id(cell._tc), [cell, 0.0])[1] += width
        for cell, width in spans.values():
            cell.width = Cm(width)


def _fact_text(row: plans.ItemRow) -> str:
    return f"{row.fact}*" if row.shared_with else str(row.fact)


def _shared_note(document, fulfilment: plans.PlanFulfilment) -> None:
    if any(row.shared_with for row in fulfilment.rows):
        note = document.add_paragraph()
        note.add_run(
            "* "
            + _(
                "Items of the same kind, direction of work and period share the fact: it is measured "
                "against the sum of their targets."
            )
        ).italic = True


def _plan_body(document, fulfilment: plans.PlanFulfilment) -> None:
    header = [_("No."), _("What"), _("When"), _("Target"), _("Responsible"), _("Fact"), "%"]
    widths = [1.1, 6.3, 2.5, 1.9, 2.9, 1.5, 1.8]
    for section in fulfilment.sections:
        _subheading(document, f"{section.number}. {section.title}")
        table = _table(document, header)
        for row in section.rows:
            _row(
                table,
                [
                    row.number,
                    row.label,
                    row.when,
                    row.target,
                    row.item.responsible,
                    _fact_text(row),
                    percent_text(row.percent),
                ],
            )
        _finish(table, widths)


def _fulfilment_body(document, fulfilment: plans.PlanFulfilment) -> None:
    # The quarters by their numerals alone: the columns are narrow.
    quarters = [plans.ROMAN[q] for q in plans.QUARTERS]
    header = [_("No."), _("What"), _("When"), _("Target"), *quarters, _("Fact"), "%", _("Status")]
    widths = [1.2, 8.3, 2.8, 1.9, 1.5, 1.5, 1.5, 1.5, 1.6, 1.8, 2.8]
    for section in fulfilment.sections:
        _subheading(document, f"{section.number}. {section.title}")
        table = _table(document, header)
        for row in section.rows:
            quarter_values = ["" if value is None else value for value in row.by_quarter]
            _row(
                table,
                [
                    row.number,
                    row.label,
                    row.when,
                    row.target,
                    *quarter_values,
                    _fact_text(row),
                    percent_text(row.percent),
                    plans.status_label(row.status),
                ],
                shade=SHADES.get(row.status),
            )
        _finish(table, widths)
    totals = fulfilment.totals()
    if totals:
        _subheading(document, _("Totals by kind"))
        table = _table(document, [_("What"), _("Target"), _("Fact"), "%"])
        for total in totals:
            _row(table, [total.label, total.target, total.fact, percent_text(total.percent)])
        _finish(table, [9.0, 2.5, 2.5, 2.5])
    behind = fulfilment.behind
    if behind:
        _subheading(document, _("Behind the plan"))
        for row in behind:
            document.add_paragraph(
                _("%(number)s %(what)s (%(when)s): %(fact)s of %(target)s")
                % {
                    "number": row.number,
                    "what": row.label,
                    "when": row.when,
                    "fact": row.fact,
                    "target": row.key_target,
                },
                style="List Bullet",
            )


def _save_docx(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plan_docx(fulfilment: plans.PlanFulfilment, *, variant: str = "plan", language: str = "ru") -> bytes:
    """The plan ("plan") or its fulfilment ("fulfilment", «Исполнение плана») as a Word document."""
    plan = fulfilment.plan
    with translation.override(language):
        document = _document(landscape=variant == "fulfilment")
        title, named = _title(variant, plan.unit, plan.year, language)
        lines = _unit_lines(plan.unit, named)
        lines.append(_as_of(fulfilment.today) if variant == "fulfilment" else _status_line(plan))
        _heading(document, title, lines)
        if plan.note:
            document.add_paragraph(plan.note)
        if variant == "fulfilment":
            _fulfilment_body(document, fulfilment)
        else:
            _plan_body(document, fulfilment)
        _shared_note(document, fulfilment)
        return _save_docx(document)


def _rollup_header() -> list[str]:
    header = [_("Direction of work and kind")]
    for label in plans.Rollup.column_labels():
        header += [f"{label}: {_('plan')}", f"{label}: {_('fact')}", f"{label}: %"]
    return header


def _rollup_table(document):
    """The roll-up's table with a two-row header: the periods over (plan, fact, %)."""
    labels = plans.Rollup.column_labels()
    table = document.add_table(rows=2, cols=1 + 3 * len(labels))
    table.style = "Table Grid"
    table.autofit = False
    top, bottom = table.rows[0].cells, table.rows[1].cells
    _set_text(top[0].merge(bottom[0]), _("Direction of work and kind"), bold=True, size=8)
    for index, label in enumerate(labels):
        first = 1 + 3 * index
        merged = top[first].merge(top[first + 2])
        _set_text(merged, label, bold=True, size=8)
        merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for offset, text in enumerate((_("plan"), _("fact"), "%")):
            _set_text(bottom[first + offset], text, bold=True, size=8)
    for row in table.rows:
        for cell in row.cells:
            _shade(cell, HEADER_FILL)
    return table


def _rollup_values(row: plans.RollupRow) -> list:
    values: list = [row.kind_label]
    for cell in row.cells:
        values += [cell.target or "", cell.fact, percent_text(cell.percent)]
    return values


def rollup_docx(rollup: plans.Rollup, *, language: str = "ru") -> bytes:
    with translation.override(language):
        document = _document(landscape=True)
        title, named = _title("rollup", rollup.unit, rollup.year, language)
        _heading(document, title, [*_unit_lines(rollup.unit, named), _as_of(rollup.today)])
        document.add_paragraph(
            _("Plans summed: %(count)s.") % {"count": len(rollup.plans)}
            + (" " + "; ".join(p.unit.name for p in rollup.plans) if rollup.plans else "")
        )
        widths = [5.1] + [1.4] * 15
        table = _rollup_table(document)
        for section_title, rows in rollup.sections:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            _set_text(merged, section_title, bold=True, size=8)
            _shade(merged, SECTION_FILL)
            for row in rows:
                _row(table, _rollup_values(row), size=8)
                for cell, status in zip(
                    table.rows[-1].cells[3::3], (c.status for c in row.cells), strict=True
                ):
                    if status in SHADES:
                        _shade(cell, SHADES[status])
        _finish(table, widths)
        if rollup.behind:
            _subheading(document, _("Behind the plan"))
            for row, column, cell in rollup.behind:
                document.add_paragraph(
                    f"{row.direction_label} — {row.kind_label}, {column}: "
                    + _("%(fact)s of %(target)s") % {"fact": cell.fact, "target": cell.target},
                    style="List Bullet",
                )
        return _save_docx(document)


# --- XLSX -----------------------------------------------------------------------------------------------


def _sheet(workbook: Workbook, title: str, widths: list[int]):
    sheet = workbook.active
    sheet.title = title[:31]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sheet


def _header_row(sheet, values: list[str]) -> None:
    sheet.append(values)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _bold_row(sheet, values: list, fill: str | None = None) -> None:
    _append(sheet, values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)


def _append(sheet, values: list) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # text that looks like a formula stays text


def _save_xlsx(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan_xlsx(fulfilment: plans.PlanFulfilment, *, language: str = "ru") -> bytes:
    """The plan with its fulfilment in one sheet: the items by direction, fact per quarter, % and status."""
    plan = fulfilment.plan
    with translation.override(language):
        workbook = Workbook()
        sheet = _sheet(workbook, _("Plan"), [7, 50, 16, 9, 24, 8, 8, 8, 8, 8, 8, 12, 30])
        title, named = _title("plan", plan.unit, plan.year, language)
        _bold_row(sheet, [title])
        for line in [*_unit_lines(plan.unit, named), _status_line(plan), _as_of(fulfilment.today)]:
            sheet.append([line])
        sheet.append([])
        quarters = plans.Rollup.column_labels()[:4]
        _header_row(
            sheet,
            [
                _("No."),
                _("What"),
                _("When"),
                _("Target"),
                _("Responsible"),
                *quarters,
                _("Fact"),
                "%",
                _("Status"),
                _("Note"),
            ],
        )
        sheet.freeze_panes = f"A{sheet.max_row + 1}"
        for section in fulfilment.sections:
            _bold_row(sheet, [f"{section.number}.", section.title], SECTION_FILL)
            for row in section.rows:
                note = (
                    _("Shares the fact with %(numbers)s; target together %(target)s")
                    % {"numbers": ", ".join(row.shared_with), "target": row.key_target}
                    if row.shared_with
                    else ""
                )
                _append(
                    sheet,
                    [
                        row.number,
                        row.label,
                        row.when,
                        row.target,
                        row.item.responsible,
                        *row.by_quarter,
                        row.fact,
                        row.percent,
                        plans.status_label(row.status),
                        note,
                    ],
                )
                if row.status in SHADES:
                    sheet.cell(row=sheet.max_row, column=12).fill = PatternFill(
                        "solid", fgColor=SHADES[row.status]
                    )
        totals = fulfilment.totals()
        if totals:
            sheet.append([])
            _bold_row(sheet, ["", _("Totals by kind"), "", _("Target"), "", "", "", "", "", _("Fact"), "%"])
            for total in totals:
                sheet.append(
                    ["", total.label, "", total.target, "", "", "", "", "", total.fact, total.percent]
                )
        return _save_xlsx(workbook)


def rollup_xlsx(rollup: plans.Rollup, *, language: str = "ru") -> bytes:
    with translation.override(language):
        workbook = Workbook()
        sheet = _sheet(workbook, _("Roll-up"), [40] + [9] * 15)
        title, named = _title("rollup", rollup.unit, rollup.year, language)
        _bold_row(sheet, [title])
        for line in [*_unit_lines(rollup.unit, named), _as_of(rollup.today)]:
            sheet.append([line])
        sheet.append([_("Plans summed: %(count)s.") % {"count": len(rollup.plans)}])
        sheet.append([])
        _header_row(sheet, _rollup_header())
        for section_title, rows in rollup.sections:
            _bold_row(sheet, [section_title], SECTION_FILL)
            for row in rows:
                values: list = [row.kind_label]
                for cell in row.cells:
                    values += [cell.target, cell.fact, cell.percent]
                _append(sheet, values)
                for index, cell in enumerate(row.cells):
                    if cell.status in SHADES:
                        sheet.cell(row=sheet.max_row, column=4 + 3 * index).fill = PatternFill(
                            "solid", fgColor=SHADES[cell.status]
                        )
        return _save_xlsx(workbook)
