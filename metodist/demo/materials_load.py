"""Writes the demo methodological materials (see `materials_data.py`), each with a real file.

Each file is generated here — a DOCX (python-docx), a PDF (WeasyPrint with DejaVu fonts) or, for the
booklet "Новые формы массовой работы в библиотеках", the booklet generated from the catalogue of forms
of work — and published through `metodist.assistance.materials.material_create`, so its type is checked,
its text extracted and indexed exactly as for an upload. A material is looked up by its unit and title:
a second run adds nothing and leaves the download counts and edits alone. Units, events, visits and
forms of work the demo lacks are skipped.
"""

import io
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.html import escape

from metodist.assistance.materials import MANAGE, material_create
from metodist.assistance.models import Direction, FieldVisit, Material
from metodist.core import scope
from metodist.demo import materials_data as data
from metodist.demo.events_load import anchor_month
from metodist.events.models import Event, FormOfWork
from metodist.network.models import OrgUnit, UnitKind

FONT = "DejaVu Sans"


def _is_heading(paragraph: str) -> bool:
    return paragraph.endswith(":") and len(paragraph) < 80


def _name(unit: OrgUnit, language: str) -> str:
    return (unit.name_kk if language == "kk" else "") or unit.name_ru


def publisher(unit: OrgUnit, language: str) -> str:
    """The publishing library as the title page names it: "Library. Department" for a department."""
    parent = None
    if unit.kind == UnitKind.DEPARTMENT:
        parent = OrgUnit.objects.filter(path=unit.path[: -OrgUnit.steplen]).first()
    names = [_name(parent, language)] if parent is not None else []
    return ". ".join([*names, _name(unit, language)])


def docx_file(spec: data.MaterialSpec, year: int, by: str) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(11)
    document.core_properties.title = spec.title
    document.core_properties.author = spec.authors
    header = document.add_paragraph(f"{by} · {spec.city}, {year}")
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_heading(spec.title, level=1)
    if spec.authors:
        document.add_paragraph().add_run(spec.authors).italic = True
    for paragraph in spec.paragraphs:
        if _is_heading(paragraph):
            document.add_heading(paragraph.rstrip(":"), level=2)
        else:
            document.add_paragraph(paragraph)
    if spec.table:
        table = document.add_table(rows=len(spec.table), cols=len(spec.table[0]))
        table.style = "Table Grid"
        for r, row in enumerate(spec.table):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_file(spec: data.MaterialSpec, year: int, by: str) -> bytes:
    from weasyprint import HTML

    body = []
    for paragraph in spec.paragraphs:
        tag = "h2" if _is_heading(paragraph) else "p"
        body.append(f"<{tag}>{escape(paragraph.rstrip(':') if tag == 'h2' else paragraph)}</{tag}>")
    html = (
        f"<html><head><meta charset='utf-8'><title>{escape(spec.title)}</title><style>"
        f"body {{ font-family: '{FONT}'; font-size: 11pt; line-height: 1.4; }}"
        "h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 1em; } .top { text-align: center; }"
        "</style></head><body>"
        f"<p class='top'>{escape(by)} · {escape(spec.city)}, {year}</p>"
        f"<h1>{escape(spec.title)}</h1><p><em>{escape(spec.authors)}</em></p>{''.join(body)}</body></html>"
    )
    return HTML(string=html).write_pdf()


def booklet_file(spec: data.MaterialSpec, year: int, by: str) -> bytes:
    from metodist.events.booklet import booklet_docx

    forms = list(FormOfWork.objects.filter(is_active=True))
    if not forms:  # no catalogue loaded: the short text of the data stands in for it
        return docx_file(spec, year, by)
    return booklet_docx(forms=forms, language="ru", publisher=by, city=spec.city, year=year)


def _file(spec: data.MaterialSpec, year: int, unit: OrgUnit) -> ContentFile:
    by = publisher(unit, spec.language)
    if spec.file == data.PDF:
        return ContentFile(pdf_file(spec, year, by), name="material.pdf")
    if spec.file == data.BOOKLET:
        return ContentFile(booklet_file(spec, year, by), name="material.docx")
    return ContentFile(docx_file(spec, year, by), name="material.docx")


def _added_on(spec: data.MaterialSpec, year: int, index: int, anchor: date) -> datetime:
    """When the material came into the library: in its year, spread so that the newest come last."""
    if spec.year is not None:
        day = date(year, 8, 1) + timedelta(days=index * 3)
    else:
        day = anchor - timedelta(days=spec.years_ago * 365 + (len(data.MATERIALS) - index) * 6)
    return datetime.combine(day, time(10, 0), tzinfo=timezone.get_default_timezone())


def _refs() -> dict:
    codes = {spec.unit for spec in data.MATERIALS}
    visit_codes = {code for spec in data.MATERIALS for code in spec.visits}
    organisers = {code for spec in data.MATERIALS for _title, code in spec.events}
    user_model = get_user_model()
    author = user_model.objects.filter(username=data.AUTHOR_USERNAME).first()
    return {
        "author": author or user_model.objects.filter(is_superuser=True).order_by("pk").first(),
        "units": {u.code: u for u in OrgUnit.objects.filter(code__in=codes)},
        "directions": {d.code: d for d in Direction.objects.all()},
        "forms": {f.code: f for f in FormOfWork.objects.all()},
        "events": {
            (e.title, e.organiser_unit.code): e
            for e in Event.objects.filter(organiser_unit__code__in=organisers).select_related(
                "organiser_unit"
            )
        },
        "visits": {
            code: list(
                FieldVisit.objects.filter(
                    organiser_unit__code=data.METHOD_DEPT, destinations__code=code
                ).distinct()
            )
            for code in visit_codes
        },
    }


def load_materials(*, today: date | None = None, author=None) -> Counter:
    """Add the missing demo materials (published by `author`, the demo methodologist by default); answers
    how many materials were created."""
    created: Counter = Counter()
    refs = _refs()
    author = author or refs["author"]
    if author is None:
        return created
    anchor = anchor_month(today)
    for index, spec in enumerate(data.MATERIALS):
        unit = refs["units"].get(spec.unit)
        if unit is None or not scope.covers(author, unit, MANAGE):
            continue
        if Material.objects.filter(unit=unit, title=spec.title).exists():
            continue
        year = spec.year or anchor.year - spec.years_ago
        material = material_create(
            user=author,
            data={
                "unit": unit,
                "type": spec.type,
                "title": spec.title,
                "authors": spec.authors,
                "year": year,
                "language": spec.language,
                "audience": spec.audience,
                "description": spec.description,
            },
            file=_file(spec, year, unit),
            directions=[refs["directions"][c] for c in spec.directions if c in refs["directions"]],
            forms_of_work=[refs["forms"][c] for c in spec.forms_of_work if c in refs["forms"]],
            events=[refs["events"][key] for key in spec.events if key in refs["events"]],
            visits=list(dict.fromkeys(v for code in spec.visits for v in refs["visits"].get(code, []))),
        )
        Material.objects.filter(pk=material.pk).update(created_at=_added_on(spec, year, index, anchor))
        created["materials"] += 1
    return created
