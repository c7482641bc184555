"""Writes the demo bank of best practices (see `practices_data.py`): the practices with their figures, the
steps of their review kept in the history (who, when and why, dated in the past), the libraries that
adopted them, and a DOCX description of the experience as evidence for the recommended ones.

A practice is looked up by its library and title, so a rerun (even in a later month, when the relative
dates would differ) adds nothing; its figures, history, adoptions and file are written only with a new
practice, so what users changed since is never overwritten. Units and users the demo network lacks are
skipped (a practice without its library is skipped whole).
"""

import io
from collections import Counter
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from metodist.assistance.models import (
    Direction,
    Practice,
    PracticeAdoption,
    PracticeFigure,
    PracticeFile,
    PracticeStatus,
)
from metodist.demo import practices_data as data
from metodist.demo.events_load import anchor_month
from metodist.events.models import FormOfWork
from metodist.network.models import OrgUnit

FONT = "DejaVu Sans"


def months_back(anchor: date, months: int, day: int) -> date:
    index = anchor.year * 12 + anchor.month - 1 - months
    return date(index // 12, index % 12 + 1, day)


def _moment(day: date, hour: int = 11) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_default_timezone())


def _number(value) -> str:
    text = f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",")
    return text.removesuffix(",00")


def description_docx(item: data.DemoPractice, unit: OrgUnit) -> bytes:
    """ "Описание опыта работы": the practice as the library sends it to the methodological department."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(11)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    document.core_properties.title = item.title
    document.core_properties.author = unit.name_ru
    document.add_heading("Описание опыта работы", level=1)
    document.add_paragraph(item.title).runs[0].bold = True
    document.add_paragraph(unit.name_ru)
    for heading, text in (
        ("Проблема", item.problem),
        ("Что сделано", item.actions),
        ("Результаты", item.results),
    ):
        document.add_heading(heading, level=2)
        document.add_paragraph(text)
    if item.figures:
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, title in zip(table.rows[0].cells, ("Показатель", "До", "После", "Ед. изм."), strict=True):
            cell.text = title
        for figure in item.figures:
            cells = table.add_row().cells
            cells[0].text = figure.label
            cells[1].text = _number(figure.before) if figure.before is not None else "—"
            cells[2].text = _number(figure.after)
            cells[3].text = figure.measure
    document.add_heading("Подтверждающие материалы", level=2)
    document.add_paragraph(item.evidence)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _create(item: data.DemoPractice, anchor: date, refs: dict) -> Practice:
    unit = refs["units"][item.unit]
    reviewer = refs["users"].get(data.REVIEWER_USERNAME)
    proposer = refs["users"].get(item.proposed_by) or reviewer
    start_back, end_back = item.period
    proposed_on = months_back(anchor, *item.proposed)
    practice = Practice(
        unit=unit,
        title=item.title,
        problem=item.problem,
        actions=item.actions,
        results=item.results,
        period_start=months_back(anchor, start_back, 1),
        period_end=months_back(anchor, end_back, 28) if end_back is not None else None,
        evidence=item.evidence,
        status=PracticeStatus.PROPOSED,
        status_changed_at=_moment(proposed_on),
        status_changed_by=proposer,
        created_by=proposer,
    )
    practice.full_clean(exclude=["created_by", "status_changed_by"])
    # The history shows the review as it happened: each step dated in the past, by its author.
    practice._history_date = _moment(proposed_on)
    practice._history_user = proposer
    practice.save()
    practice.directions.set([refs["directions"][c] for c in item.directions if c in refs["directions"]])
    practice.forms_of_work.set([refs["forms"][c] for c in item.forms_of_work if c in refs["forms"]])
    for step in item.steps:
        moment = _moment(months_back(anchor, step.months_back, step.day), 15)
        practice.status = PracticeStatus(step.status)
        practice.status_changed_at = moment
        practice.status_changed_by = reviewer
        practice._history_date = moment
        practice._history_user = reviewer
        practice._change_reason = step.reason
        practice.save()
    # Proposed in the past, not on the day the demo was loaded (an update: no history row, no auto_now_add).
    practice.created_at = _moment(proposed_on)
    Practice.objects.filter(pk=practice.pk).update(created_at=practice.created_at)
    PracticeFigure.objects.bulk_create(
        PracticeFigure(practice=practice, label=f.label, before=f.before, after=f.after, measure=f.measure)
        for f in item.figures
    )
    return practice


def _add_adoptions(practice: Practice, item: data.DemoPractice, anchor: date, refs: dict) -> int:
    added = 0
    for adoption in item.adoptions:
        unit = refs["units"].get(adoption.unit)
        if unit is None or unit == practice.unit:
            continue
        adopted_on = months_back(anchor, adoption.months_back, adoption.day)
        record = PracticeAdoption(
            practice=practice,
            unit=unit,
            adopted_on=adopted_on,
            result=adoption.result,
            recorded_by=refs["users"].get(adoption.recorded_by),
        )
        record._history_date = _moment(adopted_on, 16)
        record._history_user = record.recorded_by
        record.save()
        added += 1
    return added


def _add_description(practice: Practice, item: data.DemoPractice, unit: OrgUnit) -> None:
    content = ContentFile(description_docx(item, unit), name=f"opyt-{unit.code.lower()}.docx")
    PracticeFile.objects.create(practice=practice, file=content, caption="Описание опыта работы (DOCX)")


def load_practices(*, today: date | None = None) -> Counter:
    """Add the missing demo practices; answers how many practices, figures, adoptions, files were created."""
    created: Counter = Counter()
    codes = {item.unit for item in data.PRACTICES} | {
        a.unit for item in data.PRACTICES for a in item.adoptions
    }
    usernames = {data.REVIEWER_USERNAME} | {item.proposed_by for item in data.PRACTICES}
    usernames |= {a.recorded_by for item in data.PRACTICES for a in item.adoptions}
    refs = {
        "units": {u.code: u for u in OrgUnit.objects.filter(code__in=codes)},
        "users": {u.username: u for u in get_user_model().objects.filter(username__in=usernames)},
        "directions": {d.code: d for d in Direction.objects.all()},
        "forms": {f.code: f for f in FormOfWork.objects.all()},
    }
    anchor = anchor_month(today)
    for item in data.PRACTICES:
        unit = refs["units"].get(item.unit)
        if unit is None or Practice.objects.filter(unit=unit, title=item.title).exists():
            continue
        practice = _create(item, anchor, refs)
        created["practices"] += 1
        created["practice_figures"] += len(item.figures)
        created["practice_adoptions"] += _add_adoptions(practice, item, anchor, refs)
        if item.description_file:
            _add_description(practice, item, unit)
            created["practice_files"] += 1
    return created
