"""The visit report (справка о выезде / іссапар туралы анықтама) as DOCX, in Russian or Kazakh.

Labels are gettext strings rendered in the report's language; dates are written in words by the events'
grammar helpers; names of units follow the language (`OrgUnit.name` is translated by the active language).
The photos of the visit close the report, each with its caption.
"""

import io
import logging

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from PIL import Image, UnidentifiedImageError

from metodist.assistance.models import FieldVisit, VisitPhoto
from metodist.events.documents.grammar import date_in_words, date_span_in_words

# DejaVu has every Kazakh letter where LibreOffice runs; see metodist/events/documents/docx_report.py.
FONT = "DejaVu Sans"
# The heading is the document's name in the official style, fixed per language rather than translated.
HEADINGS = {"ru": "Справка о выезде", "kk": "Іссапар туралы анықтама"}
# A photo fills most of an A4 text column; a tall one is limited by its height so it fits a page.
PHOTO_WIDTH = Cm(12)
PHOTO_MAX_HEIGHT = Cm(16)
log = logging.getLogger(__name__)


def _set_font(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(11)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _field(document, label: str, value: str) -> None:
    if not value:
        return
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value)


def _section(document, title: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(title)
    run.bold = True
    run.font.size = Pt(12)


def _findings(document, visit: FieldVisit) -> None:
    findings = list(visit.findings.select_related("direction", "unit").order_by("direction__order", "id"))
    if not findings:
        return
    _section(document, _("Findings by direction of work"))
    current = None
    for finding in findings:
        if finding.direction_id != current:
            current = finding.direction_id
            document.add_paragraph(finding.direction.name).runs[0].italic = True
        text = f"{finding.unit.name}: {finding.text}" if finding.unit_id else finding.text
        document.add_paragraph(text, style="List Bullet")


def _recommendations(document, visit: FieldVisit, language: str) -> None:
    rows = list(visit.recommendations.select_related("unit", "direction").order_by("due", "id"))
    if not rows:
        return
    _section(document, _("Recommendations"))
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    titles = (_("Recommendation"), _("Direction"), _("Unit that must act"), _("Due date"))
    for cell, title in zip(table.rows[0].cells, titles, strict=True):
        cell.text = title
        cell.paragraphs[0].runs[0].bold = True
    for rec in rows:
        cells = table.add_row().cells
        cells[0].text = rec.text
        cells[1].text = rec.direction.name if rec.direction_id else ""
        cells[2].text = rec.unit.name
        cells[3].text = date_in_words(rec.due, language)


def _image_bytes(photo: VisitPhoto) -> io.BytesIO | None:
    """The photo as Word reads it: JPEG, PNG and GIF as they are, another image (WebP) as PNG."""
    try:
        with photo.file.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError):
        log.warning("The photo %s of visit %s is missing on disk", photo.pk, photo.visit_id)
        return None
    if content.startswith((b"\xff\xd8\xff", b"\x89PNG", b"GIF8")):
        return io.BytesIO(content)
    try:
        with Image.open(io.BytesIO(content)) as image:
            converted = io.BytesIO()
            image.save(converted, format="PNG")
    except (UnidentifiedImageError, OSError, ValueError):
        log.warning("The photo %s of visit %s is not a readable image", photo.pk, photo.visit_id)
        return None
    converted.seek(0)
    return converted


def _photos(document, visit: FieldVisit) -> None:
    photos = list(visit.photos.order_by("id"))
    if not photos:
        return
    _section(document, _("Photos"))
    for photo in photos:
        image = _image_bytes(photo)
        if image is None:
            continue
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        try:
            shape = paragraph.add_run().add_picture(image, width=PHOTO_WIDTH)
        except (UnrecognizedImageError, ValueError, ZeroDivisionError):
            log.warning("Word cannot show the photo %s of visit %s", photo.pk, photo.visit_id)
            paragraph._element.getparent().remove(paragraph._element)
            continue
        if shape.height > PHOTO_MAX_HEIGHT:
            shape.width = int(shape.width * PHOTO_MAX_HEIGHT / shape.height)
            shape.height = PHOTO_MAX_HEIGHT
        if photo.caption:
            caption = document.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = caption.add_run(photo.caption)
            run.italic = True
            run.font.size = Pt(10)


def visit_report_docx(visit: FieldVisit, *, language: str) -> bytes:
    """The report of one visit in `language` ("ru" or "kk")."""
    with translation.override(language):
        document = Document()
        _set_font(document)
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = heading.add_run(HEADINGS.get(language, HEADINGS["ru"]))
        run.bold = True
        run.font.size = Pt(14)
        _field(document, _("Dates"), date_span_in_words(visit.start, visit.end, language))
        _field(document, _("Units visited"), ", ".join(u.name for u in visit.destinations.order_by("path")))
        _field(document, _("Organiser"), visit.organiser_unit.name)
        _field(document, _("Purpose"), visit.purpose)
        _field(document, _("Team"), visit.team)
        _field(document, _("Transport"), visit.transport)
        _field(document, _("People met"), visit.people_met)
        _findings(document, visit)
        _recommendations(document, visit, language)
        _photos(document, visit)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
