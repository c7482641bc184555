"""Writes the demo outreach (see `outreach_data.py`): the projects «Книгоноша» and «Оранжевые окна» with
their partners and indicators (and the regulation of Knigonosha as a DOCX file), the volunteers, the readers
served at home, their rounds and a year of deliveries every second Tuesday (Thursday in Semey).

Deliveries before today took place (a few did not: the reader was in hospital), each bringing one to three
books and taking back what the reader had finished; those from today on are planned, up to six weeks past
the anchor. Books,
notes and cancellations are drawn from a generator seeded by the reader and the day, so they do not depend
on what else the database holds. Idempotent like the rest of the demo: a project is looked up by its library
and name, a volunteer or a reader by library and name, a round by library and name, a delivery by reader and
day; only what is missing is added, and a delivery that exists is never changed (one planned earlier stays
planned until someone records it). Units and users the demo network lacks are skipped.

Then the finished months of each Knigonosha library go into its monthly report «outreach_monthly» through
`metodist.outreach.reporting_feed` (from the month of its first home reader): the library's librarian (or
the demo methodologist) transfers and submits them and the methodologist accepts them, except the last
finished month, left as a draft. A month whose report exists is not transferred again; a draft left by an
earlier run is submitted and accepted once a newer month has finished.
"""

import io
import random
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from metodist.demo import outreach_data as data
from metodist.demo.events_load import anchor_month
from metodist.network.models import OrgUnit
from metodist.outreach import reporting_feed, selectors
from metodist.outreach.models import (
    Delivery,
    DeliveryItem,
    DeliverySchedule,
    DeliveryStatus,
    HomeReader,
    IndicatorSource,
    Project,
    ProjectFile,
    ProjectIndicator,
    ProjectPartner,
    ScheduleRule,
    Volunteer,
    schedule_dates,
)
from metodist.reporting import services as reporting
from metodist.reporting.models import Report, ReportStatus
from metodist.reporting.periods import Period, PeriodType

FONT = "DejaVu Sans"
CANCELLED_SHARE = 0.06
CANCEL_NOTES = (
    "Читатель в больнице, доставку перенесли.",
    "Не застали дома: читатель гостит у родственников.",
    "Сильная метель, доставка не состоялась.",
)


def months_back(anchor: date, months: int, day: int = 1) -> date:
    index = anchor.year * 12 + anchor.month - 1 - months
    return date(index // 12, index % 12 + 1, day)


def regulation_docx(project: data.Project, unit: OrgUnit) -> bytes:
    """The regulation of the project in Russian, as the library approved it."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(11)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    document.core_properties.title = f"Положение о проекте «{project.name}»"
    document.core_properties.author = unit.name_ru
    for text in ("ПОЛОЖЕНИЕ", f"о библиотечном проекте «{project.name}»"):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = True
    document.add_paragraph(unit.name_ru)
    for text in project.regulation:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _ensure_projects(anchor: date, units: dict, author, created: Counter) -> None:
    for item in data.PROJECTS:
        unit = units.get(item.unit)
        if unit is None or Project.objects.filter(unit=unit, name=item.name).exists():
            continue
        project = Project(
            unit=unit,
            name=item.name,
            kind=item.kind,
            status="active",
            goal=item.goal,
            description=item.description,
            initiator=item.initiator,
            starts_on=months_back(anchor, item.months_back),
            created_by=author,
        )
        project.full_clean(exclude=["created_by"])
        project.save()
        project.participants.set([units[code] for code in item.participants if code in units])
        for partner in item.partners:
            ProjectPartner.objects.create(
                project=project, name=partner.name, contribution=partner.contribution
            )
        for indicator in item.indicators:
            ProjectIndicator.objects.create(
                project=project,
                name=indicator.name,
                measure=indicator.measure,
                target=indicator.target,
                actual=indicator.actual if indicator.source == IndicatorSource.MANUAL else None,
                source=indicator.source,
            )
        if item.regulation:
            stored = ProjectFile(
                project=project, caption=f"Положение о проекте «{item.name}»", uploaded_by=author
            )
            stored.file.save(
                "polozhenie-knigonosha.docx", ContentFile(regulation_docx(item, unit)), save=False
            )
            stored.save()
        created["outreach_projects"] += 1


def _ensure_volunteers(units: dict, created: Counter) -> dict[str, Volunteer]:
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[v.username for v in data.VOLUNTEERS])
    }
    volunteers = {}
    for item in data.VOLUNTEERS:
        library = units.get(item.library)
        if library is None:
            continue
        volunteer = Volunteer.objects.filter(library=library, full_name=item.full_name).first()
        if volunteer is None:
            volunteer = Volunteer.objects.create(
                library=library,
                full_name=item.full_name,
                phone=item.phone,
                note=item.note,
                user=users.get(item.username),
            )
            created["volunteers"] += 1
        volunteers[item.key] = volunteer
    return volunteers


def _ensure_readers(anchor: date, units: dict, volunteers: dict, authors: dict, created: Counter) -> dict:
    readers = {}
    for item in data.READERS:
        library = units.get(item.library)
        if library is None:
            continue
        reader = HomeReader.objects.filter(library=library, full_name=item.full_name).first()
        if reader is None:
            since = months_back(anchor, item.months_back, item.day)
            reader = HomeReader(
                library=library,
                full_name=item.full_name,
                address=item.address,
                phone=item.phone,
                reason=item.reason,
                reason_note=item.reason_note,
                interests=item.interests,
                genres=item.genres,
                languages=list(item.languages),
                consent_given_on=since - timedelta(days=2),
                consent_note=f"Согласие № {item.key.split('-')[1]}/{since.year}, хранится в библиотеке",
                volunteer=volunteers.get(item.volunteer),
                served_since=since,
                stopped_on=(
                    months_back(anchor, item.stopped_months_back, 1)
                    if item.stopped_months_back is not None
                    else None
                ),
                note=item.note,
                created_by=authors.get(item.library),
            )
            reader.full_clean(exclude=["created_by"])
            reader.save()
            created["home_readers"] += 1
        readers[item.key] = reader
    return readers


def _ensure_rounds(units: dict, volunteers: dict, readers: dict, created: Counter) -> list[DeliverySchedule]:
    rounds = []
    for item in data.ROUNDS:
        library = units.get(item.library)
        if library is None:
            continue
        schedule = DeliverySchedule.objects.filter(library=library, name=item.name).first()
        if schedule is None:
            schedule = DeliverySchedule.objects.create(
                library=library,
                name=item.name,
                volunteer=volunteers.get(item.volunteer),
                rule=ScheduleRule.WEEKS,
                weekday=item.weekday,
                every=2,
                starts_on=data.ROUND_EPOCH + timedelta(days=item.weekday - data.ROUND_EPOCH.weekday()),
            )
            schedule.readers.set([readers[key] for key in item.readers if key in readers])
            created["delivery_rounds"] += 1
        rounds.append(schedule)
    return rounds


def _recorded_at(day: date) -> datetime:
    return datetime.combine(day, time(17, 30), tzinfo=timezone.get_default_timezone())


def _deliveries_of(
    reader: HomeReader, schedule: DeliverySchedule, pool: str, anchor: date, today: date, created: Counter
):
    """Add the missing deliveries of a reader on the round's days, with the books of those made."""
    last = anchor + timedelta(weeks=data.PLAN_WEEKS)
    if reader.stopped_on is not None:
        last = min(last, reader.stopped_on - timedelta(days=1))
    days = schedule_dates(
        rule=schedule.rule,
        weekday=schedule.weekday,
        every=schedule.every,
        starts_on=schedule.starts_on,
        first=max(reader.served_since, months_back(anchor, 12)),
        last=last,
    )
    have = set(Delivery.objects.filter(reader=reader, date__in=days).values_list("date", flat=True))
    new = []
    for day in days:
        if day in have:
            continue
        rng = random.Random(f"{data.DELIVERY_SEED}:{reader.full_name}:{day.isoformat()}")
        status = DeliveryStatus.PLANNED
        notes = ""
        if day < today:
            cancelled = rng.random() < CANCELLED_SHARE
            status = DeliveryStatus.CANCELLED if cancelled else DeliveryStatus.DONE
            if cancelled:
                notes = rng.choice(CANCEL_NOTES)
            elif rng.random() < 0.3:
                notes = rng.choice(data.NOTES)
        delivery = Delivery(
            reader=reader,
            volunteer=schedule.volunteer or reader.volunteer,
            date=day,
            status=status,
            notes=notes,
            schedule=schedule,
        )
        if status != DeliveryStatus.PLANNED:
            delivery.recorded_at = _recorded_at(day)
            delivery.recorded_by = delivery.volunteer.user if delivery.volunteer else None
        new.append((delivery, rng))
    if not new:
        return
    Delivery.objects.bulk_create([d for d, _rng in new])
    created["deliveries"] += len(new)
    # What the reader has at home before the first new delivery, then the new deliveries in order.
    at_home = list(selectors.at_home(reader))
    stored_returns = []
    items = []
    books = data.BOOKS[pool]
    for delivery, rng in new:
        if delivery.status != DeliveryStatus.DONE:
            continue
        kept = [item for item in at_home if rng.random() < 0.15]  # still reading one of them
        for item in at_home:
            if item not in kept:
                item.returned_in = delivery
                if item.pk:  # brought by a delivery of an earlier run
                    stored_returns.append(item)
        reading = {(i.author, i.title) for i in kept}
        choices = [b for b in books if b not in reading]
        brought = [
            DeliveryItem(brought_in=delivery, author=author, title=title)
            for author, title in rng.sample(choices, k=min(len(choices), rng.randint(1, 3)))
        ]
        items.extend(brought)
        at_home = kept + brought
    DeliveryItem.objects.bulk_create(items)
    if stored_returns:
        DeliveryItem.objects.bulk_update(stored_returns, ["returned_in"])
    created["delivered_items"] += len(items)


REPORTERS = {"MUK-LIB": "mukur"}  # who transfers a library's figures; the others: the methodologist
REVIEWER = "methodist"
SUBMIT_COMMENT = "Данные из журнала доставок «Книгоноши» проверены по листам доставки."


def _to_reports(libraries: list[OrgUnit], anchor: date, created: Counter) -> None:
    """Transfer the finished months of the Knigonosha libraries into their reports (see the docstring)."""
    form = reporting_feed.feed_form()
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=[*REPORTERS.values(), REVIEWER])
    }
    reviewer = users.get(REVIEWER)
    if form is None or reviewer is None:
        return
    latest = Period.containing(PeriodType.MONTH, anchor).previous()
    for library in libraries:
        first = HomeReader.objects.filter(library=library).order_by("served_since").first()
        if first is None:
            continue
        reporter = users.get(REPORTERS.get(library.code, ""), reviewer)
        have = {
            r.period_start: r
            for r in Report.objects.filter(form=form, unit=library, period_start__lte=latest.start)
        }
        month = Period.containing(PeriodType.MONTH, max(first.served_since, months_back(anchor, 12)))
        while month.start <= latest.start:
            report = have.get(month.start)
            if report is None:
                if reporting_feed.assign_form(library, form):
                    created["report_assignments"] += 1
                report = reporting_feed.figures_to_report(user=reporter, library=library, period=month).report
                created["outreach_reports"] += 1
            if month != latest and report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
                try:
                    reporting.submit(user=reporter, report=report)
                except ValidationError as exc:
                    if exc.code != "warnings":
                        raise
                    reporting.submit(user=reporter, report=report, comment=SUBMIT_COMMENT)
                reporting.accept(user=reviewer, report=report)
            month = month.next()


def load_outreach(*, today: date | None = None) -> Counter:
    """Add the missing demo outreach; answers how many rows of each sort were created."""
    created: Counter = Counter()
    codes = {p.unit for p in data.PROJECTS} | {c for p in data.PROJECTS for c in p.participants}
    codes |= {v.library for v in data.VOLUNTEERS} | {r.library for r in data.READERS}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    if not units:
        return created
    user_model = get_user_model()
    author = user_model.objects.filter(username=data.AUTHOR_USERNAME).first()
    authors = {"MUK-LIB": user_model.objects.filter(username="mukur").first() or author, "VKOUB": author}
    today = today or timezone.localdate()
    anchor = anchor_month(today)
    _ensure_projects(anchor, units, author, created)
    volunteers = _ensure_volunteers(units, created)
    readers = _ensure_readers(anchor, units, volunteers, authors, created)
    rounds = _ensure_rounds(units, volunteers, readers, created)
    pools = {r.key: r.pool for r in data.READERS}
    keys = {reader.pk: key for key, reader in readers.items()}
    for schedule in rounds:
        for reader in schedule.readers.all():
            if reader.pk in keys:
                _deliveries_of(reader, schedule, pools[keys[reader.pk]], anchor, today, created)
    _to_reports(sorted({r.library for r in readers.values()}, key=lambda u: u.path), anchor, created)
    return created
