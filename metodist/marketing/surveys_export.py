"""Documents of surveys: the results as XLSX (every response, and the summary), and the QR code of a public
link as SVG, PNG and a printable A4 poster (HTML for the browser's print, PDF by WeasyPrint).

What respondents wrote goes into the workbook as text, never as a formula: a cell starting with "=" stays
the characters the respondent typed.
"""

import io

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from metodist.marketing.models import Answer, Question, QuestionKind, ResponseSource, Survey
from metodist.marketing.models.surveys import CHOICE_KINDS
from metodist.marketing.surveys_results import SurveyResults

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = "DDE7F0"
SEPARATOR = "; "


def _text_cell(sheet, row: int, column: int, value: str) -> Cell:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"  # what a respondent typed is text, even when it starts with "="
    return cell


def _header(sheet, row: int, values: list[str]) -> None:
    for column, value in enumerate(values, start=1):
        cell = _text_cell(sheet, row, column, value)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _columns(questions: list[Question]) -> list[tuple[Question, int | None, str]]:
    """(question, matrix row id or None, header) for every column of the responses sheet."""
    columns = []
    for question in questions:
        if question.kind == QuestionKind.MATRIX:
            for choice in question.choices.all():
                columns.append((question, choice.pk, f"{question.code}: {question.text} — {choice.text}"))
        else:
            columns.append((question, None, f"{question.code}: {question.text}"))
    return columns


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def results_xlsx(survey: Survey, questions: list[Question], responses, results: SurveyResults) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Responses")[:31]
    columns = _columns(questions)
    fixed = [_("No."), _("Submitted"), _("Library"), _("Source"), _("Language")]
    _header(sheet, 1, fixed + [header for _q, _row, header in columns])
    position = {(q.pk, row): index for index, (q, row, _h) in enumerate(columns, start=len(fixed) + 1)}
    choice_texts = {c.pk: c.text for q in questions for c in q.choices.all()}
    sources = dict(ResponseSource.choices)
    zone = timezone.get_current_timezone()

    response_rows = {}
    ordered = list(responses.select_related("unit").order_by("submitted_at", "id"))
    for number, response in enumerate(ordered, start=1):
        row = number + 1
        response_rows[response.pk] = row
        sheet.cell(row=row, column=1, value=number)
        submitted = sheet.cell(
            row=row, column=2, value=response.submitted_at.astimezone(zone).replace(tzinfo=None)
        )
        submitted.number_format = "DD.MM.YYYY HH:MM"
        _text_cell(sheet, row, 3, response.unit.name)
        _text_cell(sheet, row, 4, str(sources.get(response.source, response.source)))
        _text_cell(sheet, row, 5, response.language)

    cells: dict[tuple[int, int], list] = {}
    answers = (
        Answer.objects.filter(response__in=[r.pk for r in ordered])
        .order_by("response_id", "question_id", "choice__order", "id")
        .values_list("response_id", "question_id", "question__kind", "choice_id", "number", "text", "date")
    )
    for response_id, question_id, kind, choice_id, number, text, day in answers.iterator(chunk_size=2000):
        if kind == QuestionKind.MATRIX:
            column = position.get((question_id, choice_id))
            value = _number(number)
        else:
            column = position.get((question_id, None))
            if kind in CHOICE_KINDS:
                value = choice_texts.get(choice_id, "") if choice_id else f"{_('Other')}: {text}"
            elif number is not None:
                value = _number(number)
            elif day is not None:
                value = day
            else:
                value = text
        if column is not None and response_id in response_rows:
            cells.setdefault((response_rows[response_id], column), []).append(value)
    for (row, column), values in cells.items():
        if len(values) == 1 and not isinstance(values[0], str):
            cell = sheet.cell(row=row, column=column, value=values[0])
            if hasattr(values[0], "year"):
                cell.number_format = "DD.MM.YYYY"
        else:
            _text_cell(sheet, row, column, SEPARATOR.join(str(v) for v in values))
    for column in range(1, len(fixed) + len(columns) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14 if column <= len(fixed) else 28
    sheet.freeze_panes = "B2"

    summary = workbook.create_sheet(_("Summary")[:31])
    _header(
        summary,
        1,
        [_("Question"), pgettext("survey results", "Answer"), _("Respondents"), _("Share, %"), _("Mean")],
    )
    _text_cell(summary, 2, 1, survey.title)
    _text_cell(summary, 3, 1, _("Responses"))
    summary.cell(row=3, column=3, value=results.responses)
    row = 5
    for result in results.questions:
        question = result.question
        _text_cell(summary, row, 1, f"{question.code}: {question.text}").font = Font(bold=True)
        _text_cell(summary, row, 2, pgettext("survey results", "answered"))
        summary.cell(row=row, column=3, value=result.answered)
        if result.mean is not None:
            summary.cell(row=row, column=5, value=result.mean)
        row += 1
        for option in result.options:
            _text_cell(summary, row, 2, option.label)
            summary.cell(row=row, column=3, value=option.count)
            summary.cell(row=row, column=4, value=option.share)
            row += 1
        for mark in result.marks:
            _text_cell(summary, row, 2, str(mark.value))
            summary.cell(row=row, column=3, value=mark.count)
            summary.cell(row=row, column=4, value=mark.share)
            row += 1
        for line in result.matrix:
            _text_cell(summary, row, 2, line.label)
            summary.cell(row=row, column=3, value=line.count)
            summary.cell(row=row, column=5, value=line.mean)
            row += 1
        if result.nps is not None:
            _text_cell(summary, row, 2, _("NPS"))
            summary.cell(row=row, column=5, value=result.nps.score)
            row += 1
        row += 1
    summary.column_dimensions["A"].width = 60
    summary.column_dimensions["B"].width = 40
    for letter in "CDE":
        summary.column_dimensions[letter].width = 14

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- QR codes and the poster ----------------------------------------------------------------------------


def qr_svg(url: str, *, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=scale, border=2)
    return buffer.getvalue()


def qr_png(url: str, *, scale: int = 12) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=10, border=2)


def poster_html(context: dict) -> str:
    return render_to_string("marketing/surveys/poster.html", context)


def poster_pdf(context: dict) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango costs time every page does not need

    return HTML(string=poster_html({**context, "for_pdf": True})).write_pdf()
