"""The event report as DOCX: the card, the programme, the attendance list, photos and the news report.

Labels follow the interface language (gettext); the news report is the published one in that language
(Russian or Kazakh), or the generated one when nothing is published yet.
"""

import io
import logging

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from metodist.events.documents import report
from metodist.events.documents.grammar import date_span_in_words
from metodist.events.models import Event, EventFileKind

logger = logging.getLogger(__name__)

# DejaVu has every Kazakh letter where LibreOffice runs (Liberation, its stand-in for Times New Roman and
# Arial, lacks қ ң ө ұ ү һ і); Word without DejaVu falls back to its default font, which has them too.
FONT = "DejaVu Sans"
PHOTO_WIDTH = Cm(15)


def _label(field: str) -> str:
    return str(Event._meta.get_field(field).verbose_name).capitalize()


def _set_font(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(11)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _when(event: Event, language: str) -> str:
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at) if event.ends_at else None
    days = date_span_in_words(start.date(), end.date() if end else None, language)
    if end and end.date() == start.date():
        return f"{days}, {start:%H:%M}–{end:%H:%M}"
    return f"{days}, {start:%H:%M}"


def _card_rows(event: Event, language: str) -> list[tuple[str, str]]:
    venue = event.venue_unit.name if event.venue_unit_id else event.venue_text
    if event.room:
        venue = f"{venue}, {event.room}"
    responsible = ", ".join(str(person) for person in event.responsible.all())
    hours = f"{event.hours.normalize():f}" if event.hours is not None else ""
    rows = [
        (_label("form"), event.form.name if event.form_id else ""),
        (_label("family"), event.get_family_display()),
        (_label("status"), event.get_status_display()),
        (_("Date and time"), _when(event, language)),
        (_("Venue"), venue),
        (_label("organiser_unit"), event.organiser_unit.name),
        (_label("responsible"), responsible),
        (_label("audience"), event.audience),
        (
            _label("participants_planned"),
            "" if event.participants_planned is None else str(event.participants_planned),
        ),
        (
            _label("participants_actual"),
            "" if event.participants_actual is None else str(event.participants_actual),
        ),
        (_label("hours"), hours),
        (_label("goal"), event.goal),
        (_label("expected_result"), event.expected_result),
        (_label("outcome"), event.outcome),
        (_label("assessment"), event.assessment),
        (_label("partners"), event.partners),
    ]
    return [(label, value.strip()) for label, value in rows if value and value.strip()]


def _table(document, header: list[str], rows: list[list[str]], widths: list[float] | None = None):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    if widths:
        # Word reads the cells' widths, LibreOffice the grid's: set both.
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    return table


def _photos(document, event: Event) -> None:
    photos = [f for f in event.files.all() if f.kind == EventFileKind.PHOTO]
    if not photos:
        return
    document.add_heading(_("Photos"), level=1)
    for photo in photos:
        try:
            with photo.file.open("rb") as handle:
                data = handle.read()
            document.add_picture(io.BytesIO(data), width=PHOTO_WIDTH)
        except Exception:  # a missing or unreadable image must not cost the whole report
            logger.warning("Photo %s of event %s could not be embedded", photo.pk, event.pk, exc_info=True)
            document.add_paragraph(_("The photo %(name)s could not be embedded.") % {"name": photo.file.name})
            continue
        if photo.caption:
            caption = document.add_paragraph(photo.caption)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption.runs[0].italic = True


def event_docx(*, event: Event, language: str) -> bytes:
    """The event report as the bytes of a .docx file, with labels in `language`."""
    with translation.override(language):
        document = Document()
        _set_font(document)
        document.core_properties.title = event.title[:255]
        document.add_heading(event.title, level=0)
        document.add_paragraph(_("Event report"))

        document.add_heading(_("Card of the event"), level=1)
        _table(
            document, [_("Field"), _("Value")], [list(row) for row in _card_rows(event, language)], [5, 12]
        )

        sections = list(event.sections.all())
        if sections:
            document.add_heading(_("Programme"), level=1)
            rows = [
                [
                    str(i),
                    s.speaker_name,
                    ", ".join(filter(None, [s.speaker_position, s.speaker_unit])),
                    s.topic,
                ]
                for i, s in enumerate(sections, start=1)
            ]
            _table(document, ["№", _("Speaker"), _("Position"), _("Topic")], rows, [1, 4.5, 5, 6.5])

        handouts = list(event.handouts.all())
        if handouts:
            document.add_heading(_("Handouts"), level=1)
            for handout in handouts:
                document.add_paragraph(handout.title, style="List Bullet")

        participants = list(event.participants.select_related("unit").order_by("full_name", "id"))
        if participants:
            document.add_heading(_("Attendance list"), level=1)
            attended = sum(1 for p in participants if p.attended)
            document.add_paragraph(
                _("Attended: %(attended)s of %(total)s.") % {"attended": attended, "total": len(participants)}
            )
            rows = [
                [
                    str(i),
                    p.full_name,
                    p.organisation or (p.unit.name if p.unit_id else ""),
                    p.get_status_display(),
                    _("yes") if p.attended else _("no"),
                ]
                for i, p in enumerate(participants, start=1)
            ]
            header = ["№", _("Full name"), _("Organisation"), _("Status"), _("Attended")]
            _table(document, header, rows, [1, 5.5, 5.5, 3, 2])

        _photos(document, event)

        language_of_text = language if language in report.LANGUAGES else "ru"
        text = getattr(event, f"report_{language_of_text}") or report.generate(event, language_of_text)
        document.add_heading(_("News report"), level=1)
        for paragraph in text.split("\n\n"):
            if paragraph.strip():
                document.add_paragraph(paragraph.strip())

        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
