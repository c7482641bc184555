"""Documents of PR: the media mentions as XLSX and a press release as DOCX.

Titles and outlets typed by users go into the workbook as text, never as a formula.
"""

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from metodist.events.documents.grammar import date_in_words
from metodist.marketing.models.promotion import MediaMention, PressRelease

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADER_FILL = "DDE7F0"
FONT = "DejaVu Sans"  # has every Kazakh letter (see metodist.events.documents.docx_report)


def _text(sheet, row: int, column: int, value: str) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"


def mentions_xlsx(mentions: Iterable[MediaMention]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Media mentions")[:31]
    header = [
        _("Date"),
        _("Media outlet"),
        _("Kind of media"),
        _("Title"),
        _("Link"),
        _("Tone"),
        _("Estimated reach"),
        _("About the library"),
        _("Event"),
        _("Service"),
    ]
    for column, value in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=column, value=value)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row = 1
    for row, mention in enumerate(mentions, start=2):
        sheet.cell(row=row, column=1, value=mention.date).number_format = "DD.MM.YYYY"
        _text(sheet, row, 2, mention.outlet)
        _text(sheet, row, 3, str(mention.get_kind_display()))
        _text(sheet, row, 4, mention.title)
        _text(sheet, row, 5, mention.url)
        _text(sheet, row, 6, str(mention.get_tone_display()))
        sheet.cell(row=row, column=7, value=mention.reach)
        _text(sheet, row, 8, mention.unit.name)
        _text(sheet, row, 9, mention.event.title if mention.event_id else "")
        _text(sheet, row, 10, mention.service.name if mention.service_id else "")
    for column, width in enumerate([12, 24, 14, 60, 40, 12, 14, 36, 40, 30], start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    sheet.freeze_panes = "A2"
    if row > 1:
        sheet.auto_filter.ref = f"A1:J{row}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def release_docx(release: PressRelease) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    heading = {"ru": "ПРЕСС-РЕЛИЗ", "kk": "БАСПАСӨЗ РЕЛИЗІ"}.get(release.language, "ПРЕСС-РЕЛИЗ")
    top = document.add_paragraph()
    top.add_run(heading).bold = True
    document.add_paragraph(release.unit.name)
    if release.released_on:
        document.add_paragraph(date_in_words(release.released_on, release.language))
    title = document.add_paragraph()
    run = title.add_run(release.title)
    run.bold = True
    run.font.size = Pt(14)
    for paragraph in release.text.replace("\r\n", "\n").split("\n\n"):
        if paragraph.strip():
            document.add_paragraph(paragraph.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
