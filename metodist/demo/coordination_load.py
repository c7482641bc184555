"""Writes the demo coordination (see `coordination_data.py`): the regional library's agreements with college
and school libraries, each with its text as a DOCX file, and the joint work with the colleges.

An agreement is looked up by its sides and number, so a rerun (even in a later month, when the relative
dates would differ) adds nothing. A joint consultation or visit is added only when the partner has none
in the term of its agreement: the demo's consultations may already include the college (they are drawn at
random, see `assistance_load.py`). Units and users the demo network lacks are skipped.
"""

import io
from collections import Counter
from datetime import date, timedelta

from babel.dates import format_date
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from metodist.assistance.models import (
    Consultation,
    CoordinationAgreement,
    Direction,
    FieldVisit,
    VisitFinding,
    VisitStatus,
)
from metodist.demo import coordination_data as data
from metodist.demo.events_load import anchor_month
from metodist.demo.visits_data import TEAM, TRANSPORT
from metodist.network.models import OrgUnit

FONT = "DejaVu Sans"


def months_back(anchor: date, months: int, day: int) -> date:
    index = anchor.year * 12 + anchor.month - 1 - months
    return date(index // 12, index % 12 + 1, day)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def agreement_term(item: data.Agreement, anchor: date) -> tuple[date, date | None]:
    start = months_back(anchor, item.months_back, item.day)
    if item.ends_days_after_anchor is not None:
        return start, anchor + timedelta(days=item.ends_days_after_anchor)
    if item.years is None:
        return start, None
    return start, _add_years(start, item.years) - timedelta(days=1)


def _in_words(day: date) -> str:
    return f"«{day.day:02d}» {format_date(day, 'MMMM y', locale='ru')} г."


def _months_genitive(day: date) -> str:
    return format_date(day, "d MMMM y", locale="ru") + " г."


def agreement_docx(
    item: data.Agreement, owner: OrgUnit, partner: OrgUnit, start: date, end: date | None
) -> bytes:
    """The text of the agreement in Russian, as the parties signed it."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(11)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    document.core_properties.title = f"Договор о сотрудничестве и координации деятельности № {item.number}"
    document.core_properties.author = owner.name_ru

    def centred(text: str, *, bold: bool = False) -> None:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = bold

    centred("ДОГОВОР", bold=True)
    centred(f"о сотрудничестве и координации деятельности № {item.number}", bold=True)
    place = document.add_paragraph()
    place.add_run("г. Семей")
    place.add_run("\t\t\t\t\t\t\t" + _in_words(start))
    document.add_paragraph(
        f"{owner.name_ru} (далее – Областная библиотека) в лице директора, действующего на основании Устава, "
        f"с одной стороны, и {partner.name_ru} (далее – Библиотека) в лице {item.partner_head_genitive}, "
        "действующей на основании Положения о библиотеке, с другой стороны, заключили настоящий договор о "
        "нижеследующем."
    )
    document.add_heading("1. Предмет договора", level=2)
    document.add_paragraph(item.subject)
    document.add_heading("2. Обязанности сторон", level=2)
    duties = (
        "2.1. Областная библиотека оказывает Библиотеке методическую и консультационную помощь, проводит "
        "библиотечные уроки и уроки информационной грамотности, предоставляет доступ к своим электронным "
        "ресурсам и приглашает сотрудников Библиотеки на обучающие мероприятия.",
        "2.2. Библиотека участвует в совместных мероприятиях, обеспечивает присутствие студентов (учащихся) "
        "на библиотечных уроках, представляет сведения о своей работе по запросу Областной библиотеки.",
        "2.3. Стороны ежегодно согласуют план совместных мероприятий и подводят итоги его выполнения.",
    )
    for text in duties:
        document.add_paragraph(text)
    document.add_heading("3. План совместных мероприятий", level=2)
    for line in item.joint_plan.splitlines():
        document.add_paragraph(line, style="List Bullet")
    document.add_heading("4. Срок действия договора", level=2)
    if end is None:
        term = (
            f"4.1. Договор вступает в силу с {_months_genitive(start)} и действует бессрочно. Каждая из "
            "сторон вправе расторгнуть его, письменно предупредив другую сторону за один месяц."
        )
    else:
        term = f"4.1. Договор действует с {_months_genitive(start)} по {_months_genitive(end)}."
    document.add_paragraph(term)
    document.add_paragraph(
        "4.2. Договор составлен в двух экземплярах, имеющих одинаковую силу, по одному для каждой стороны."
    )
    document.add_heading("5. Подписи сторон", level=2)
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "Областная библиотека"
    table.cell(0, 1).text = "Библиотека"
    table.cell(1, 0).text = owner.name_ru
    table.cell(1, 1).text = partner.name_ru
    table.cell(2, 0).text = f"Директор ____________ {data.DIRECTOR}"
    table.cell(2, 1).text = f"{item.partner_head.capitalize()} ____________"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _ensure_agreements(anchor: date, refs: dict, created: Counter) -> dict[str, CoordinationAgreement]:
    """Add the missing agreements; answers the latest agreement of each partner."""
    owner = refs["owner"]
    latest: dict[str, CoordinationAgreement] = {}
    for item in data.AGREEMENTS:
        partner = refs["units"].get(item.partner)
        if partner is None:
            continue
        agreement = CoordinationAgreement.objects.filter(
            owner_unit=owner, partner_unit=partner, number=item.number
        ).first()
        if agreement is None:
            start, end = agreement_term(item, anchor)
            agreement = CoordinationAgreement(
                owner_unit=owner,
                partner_unit=partner,
                number=item.number,
                signed_on=start,
                valid_from=start,
                valid_to=end,
                subject=item.subject,
                joint_plan=item.joint_plan,
                created_by=refs["author"],
            )
            agreement.full_clean(exclude=["file", "created_by"])
            content = agreement_docx(item, owner, partner, start, end)
            agreement.file.save(
                f"dogovor-{item.number}-{partner.code}.docx", ContentFile(content), save=False
            )
            agreement._history_user = refs["author"]  # the history shows who recorded it
            agreement.save()
            created["agreements"] += 1
        previous = latest.get(item.partner)
        if previous is None or agreement.valid_from > previous.valid_from:
            latest[item.partner] = agreement
    return latest


def _term_q(agreement: CoordinationAgreement, start_field: str, end_field: str) -> dict:
    lookups = {f"{end_field}__gte": agreement.valid_from}
    if agreement.valid_to is not None:
        lookups[f"{start_field}__lte"] = agreement.valid_to
    return lookups


def _ensure_joint_work(anchor: date, latest: dict, refs: dict, created: Counter) -> None:
    consultant, unit = refs["author"], refs["consultant_unit"]
    for item in data.JOINT_CONSULTATIONS:
        agreement = latest.get(item.partner)
        if agreement is None or consultant is None or unit is None:
            continue
        partner = agreement.partner_unit
        if Consultation.objects.filter(to_unit=partner, **_term_q(agreement, "date", "date")).exists():
            continue
        consultation = Consultation.objects.create(
            date=months_back(anchor, item.months_back, item.day),
            consultant=consultant,
            consultant_unit=unit,
            to_unit=partner,
            topic=item.topic,
            mode=item.mode,
            form=item.form,
            people_count=item.people,
            duration_minutes=45,
            result=item.result,
            created_by=consultant,
        )
        consultation.directions.set(Direction.objects.filter(code__in=["bibliography", "mass_work"]))
        created["consultations"] += 1
    for item in data.JOINT_VISITS:
        agreement = latest.get(item.partner)
        if agreement is None or unit is None:
            continue
        partner = agreement.partner_unit
        visits = FieldVisit.objects.filter(destinations=partner, **_term_q(agreement, "start", "end"))
        if visits.exists():
            continue
        day = months_back(anchor, item.months_back, item.day)
        visit = FieldVisit.objects.create(
            start=day,
            end=day,
            organiser_unit=unit,
            purpose=item.purpose,
            team=TEAM,
            transport=TRANSPORT,
            status=VisitStatus.DONE,
            people_met=item.people_met,
            created_by=consultant,
        )
        visit.destinations.set([partner])
        direction = Direction.objects.filter(code="bibliography").first()
        if direction is not None:
            VisitFinding.objects.create(
                visit=visit,
                direction=direction,
                unit=partner,
                text="Изучена работа по информационной грамотности студентов; согласован план совместных "
                "библиотечных уроков на учебный год.",
            )
        created["visits"] += 1


def load_coordination(*, today: date | None = None) -> Counter:
    """Add the missing demo agreements and joint work; answers how many rows of each sort were created."""
    created: Counter = Counter()
    owner = OrgUnit.objects.filter(code=data.OWNER_UNIT).first()
    if owner is None:
        return created
    codes = {item.partner for item in data.AGREEMENTS}
    refs = {
        "owner": owner,
        "consultant_unit": OrgUnit.objects.filter(code=data.CONSULTANT_UNIT).first(),
        "author": get_user_model().objects.filter(username=data.AUTHOR_USERNAME).first(),
        "units": {u.code: u for u in OrgUnit.objects.filter(code__in=codes)},
    }
    anchor = anchor_month(today)
    latest = _ensure_agreements(anchor, refs, created)
    _ensure_joint_work(anchor, latest, refs, created)
    return created
