"""Professional development of library staff: trainings attended and hours, per person and per unit subtree.

A person's trainings are the union of two sources:
- the qualification records of the registry (`network.QualificationRecord`), typed in by hand or added when
  attendance of a training is recorded;
- the trainings of the events part (`Event.family == training`) where the person's `Participant.attended`
  is set.
When attendance has already been written into the qualification record, the same training exists twice; the
participation is then not counted again. A record "comes from" a participation when it belongs to the same
person, starts on the event's local date and either its title contains the event's title or it carries the
participation's certificate number.

Everything is scoped: units through `metodist.core.scope`, events through `selectors.events_visible`, and
the figures are SQL aggregations grouped by tree-path prefix, never Python loops over staff.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Substr, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from metodist.core import scope
from metodist.events.models import Event, EventFamily, EventStatus, Participant
from metodist.events.selectors import events_visible
from metodist.network.models import LIBRARY_KINDS, OrgUnit, QualificationRecord, StaffMember, UnitKind

STEPLEN = OrgUnit.steplen
# Kinds whose units stand at the level the subtree figures are broken down by.
DISTRICT_KINDS = (UnitKind.DISTRICT, UnitKind.CITY)
# Kinds offered in the unit chooser (besides the user's own top units and libraries with branches).
CHOOSER_KINDS = (UnitKind.COUNTRY, UnitKind.REGION, UnitKind.DISTRICT, UnitKind.CITY)
CHOOSER_LIMIT = 500
HOURS_FIELD = DecimalField(max_digits=9, decimal_places=1)


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instants of the year and of the next one, in the current time zone."""
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def in_post(queryset: QuerySet, *, on: datetime.date, prefix: str = "") -> QuerySet:
    """Staff (or rows related to staff through `prefix`, e.g. "staff_member__") in post on a date."""
    return queryset.filter(
        Q(**{f"{prefix}started_on__isnull": True}) | Q(**{f"{prefix}started_on__lte": on}),
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on}),
    )


def reference_date(year: int) -> datetime.date:
    """The day on which "current staff" of a year are counted: today, or the year's last day if it is over."""
    return min(timezone.localdate(), datetime.date(year, 12, 31))


# Participations in trainings


def _recorded_as_qualification() -> Exists:
    """The participation (outer row, annotated with `event_date`) is already in the qualification record."""
    same_training = Q(title__contains=OuterRef("event__title")) | (
        ~Q(certificate_number="") & Q(certificate_number=OuterRef("certificate_number"))
    )
    return Exists(
        QualificationRecord.objects.filter(
            same_training, staff_member_id=OuterRef("staff_member_id"), started_on=OuterRef("event_date")
        )
    )


def attended_trainings(*, year: int | None = None) -> QuerySet:
    """Attended participations of staff in trainings (not cancelled) that no qualification record repeats."""
    qs = Participant.objects.filter(
        attended=True, staff_member__isnull=False, event__family=EventFamily.TRAINING
    ).exclude(event__status=EventStatus.CANCELLED)
    if year is not None:
        start, end = year_bounds(year)
        qs = qs.filter(event__starts_at__gte=start, event__starts_at__lt=end)
    return qs.annotate(event_date=TruncDate("event__starts_at")).filter(~_recorded_as_qualification())


def _attended_in_year(year: int) -> Exists:
    """The staff member (outer row) attended a training in the year, whether recorded or not."""
    start, end = year_bounds(year)
    return Exists(
        Participant.objects.filter(
            staff_member_id=OuterRef("pk"),
            attended=True,
            event__family=EventFamily.TRAINING,
            event__starts_at__gte=start,
            event__starts_at__lt=end,
        ).exclude(event__status=EventStatus.CANCELLED)
    )


def _qualified_in_year(year: int) -> Exists:
    return Exists(QualificationRecord.objects.filter(staff_member_id=OuterRef("pk"), started_on__year=year))


# One person


@dataclass
class TrainingLine:
    """One training in a person's history, from a qualification record or from an attended event."""

    started_on: datetime.date
    ended_on: datetime.date | None
    title: str
    kind: str
    provider: str
    hours: Decimal
    certificate_number: str = ""
    event: Event | None = None
    event_visible: bool = False


@dataclass
class PersonDevelopment:
    person: StaffMember
    year: int
    lines: list[TrainingLine]
    hours_year: Decimal
    hours_total: Decimal
    trainings_year: int
    trainings_total: int


def person_development(user, *, person: StaffMember, year: int) -> PersonDevelopment:
    """The trainings of one person (already fetched through scope), newest first, with hours."""
    lines = [
        TrainingLine(
            started_on=record.started_on,
            ended_on=record.ended_on,
            title=record.title,
            kind=record.get_kind_display(),
            provider=record.provider,
            hours=Decimal(record.hours),
            certificate_number=record.certificate_number,
        )
        for record in person.qualifications.all()
    ]
    participations = list(
        attended_trainings()
        .filter(staff_member=person)
        .select_related("event__form", "event__organiser_unit")
        .order_by("-event__starts_at")
    )
    visible = set(
        events_visible(user).filter(pk__in=[p.event_id for p in participations]).values_list("pk", flat=True)
    )
    for participation in participations:
        event = participation.event
        lines.append(
            TrainingLine(
                started_on=timezone.localdate(event.starts_at),
                ended_on=timezone.localdate(event.ends_at) if event.ends_at else None,
                title=event.title,
                kind=event.form.name if event.form_id else event.get_family_display(),
                provider=event.organiser_unit.name,
                hours=event.hours or Decimal(0),
                certificate_number=participation.certificate_number,
                event=event,
                event_visible=event.pk in visible,
            )
        )
    lines.sort(key=lambda line: line.started_on, reverse=True)
    this_year = [line for line in lines if line.started_on.year == year]
    return PersonDevelopment(
        person=person,
        year=year,
        lines=lines,
        hours_year=sum((line.hours for line in this_year), Decimal(0)),
        hours_total=sum((line.hours for line in lines), Decimal(0)),
        trainings_year=len(this_year),
        trainings_total=len(lines),
    )


def get_person_or_404(user, pk) -> StaffMember:
    """A staff member whose unit is in the user's scope, or 404."""
    return scope.get_record_or_404(user, StaffMember.objects.select_related("unit"), pk=pk)


# A unit subtree


def breakdown_depth(unit: OrgUnit) -> int:
    """The tree depth the subtree's figures are grouped at: its districts and cities, else its children."""
    depth = (
        OrgUnit.objects.under(unit, include_self=False)
        .filter(kind__in=DISTRICT_KINDS)
        .order_by("depth")
        .values_list("depth", flat=True)
        .first()
    )
    return depth or unit.depth + 1


def subtree_staff(user, *, unit: OrgUnit, year: int) -> QuerySet:
    """Staff of the subtree in post on the year's reference date."""
    qs = scope.records(user, StaffMember.objects.filter(unit__path__startswith=unit.path))
    return in_post(qs, on=reference_date(year))


def subtree_trainings(user, *, unit: OrgUnit, year: int) -> QuerySet:
    """Training events of the year organised in the subtree, that the user may see."""
    start, end = year_bounds(year)
    return events_visible(user).filter(
        family=EventFamily.TRAINING,
        organiser_unit__path__startswith=unit.path,
        starts_at__gte=start,
        starts_at__lt=end,
    )


@dataclass
class Figures:
    """The professional-development figures of a subtree or of one part of it."""

    unit: OrgUnit | None
    key: str
    staff: int = 0
    trained: int = 0
    trainings_held: int = 0
    participants: int = 0
    training_hours: Decimal = Decimal(0)  # hours of the trainings held
    staff_hours: Decimal = Decimal(0)  # hours of training received by the staff

    @property
    def share(self) -> float | None:
        """Share of the staff trained in the year, 0..1; None without staff."""
        return self.trained / self.staff if self.staff else None

    @property
    def share_percent(self) -> int | None:
        share = self.share
        return None if share is None else round(share * 100)

    def add(self, other: "Figures") -> None:
        self.staff += other.staff
        self.trained += other.trained
        self.trainings_held += other.trainings_held
        self.participants += other.participants
        self.training_hours += other.training_hours
        self.staff_hours += other.staff_hours


@dataclass
class UnitDevelopment:
    unit: OrgUnit
    year: int
    depth: int
    total: Figures
    rows: list[Figures] = field(default_factory=list)


def _grouped(queryset: QuerySet, path_field: str, length: int, **aggregates) -> dict[str, dict]:
    rows = (
        queryset.annotate(part=Substr(path_field, 1, length)).values("part").annotate(**aggregates).order_by()
    )
    return {row.pop("part"): row for row in rows}


def unit_development(user, *, unit: OrgUnit, year: int) -> UnitDevelopment:
    """Figures of the unit's subtree for the year, with a row per district (or per child unit)."""
    depth = breakdown_depth(unit)
    length = depth * STEPLEN
    staff = subtree_staff(user, unit=unit, year=year)
    trained = Q(_qualified_in_year(year)) | Q(_attended_in_year(year))
    staff_rows = _grouped(staff, "unit__path", length, staff=Count("pk"), trained=Count("pk", filter=trained))
    record_hours = _grouped(
        QualificationRecord.objects.filter(staff_member__in=staff.values("pk"), started_on__year=year),
        "staff_member__unit__path",
        length,
        hours=Sum("hours"),
    )
    event_hours = _grouped(
        attended_trainings(year=year).filter(staff_member__in=staff.values("pk")),
        "staff_member__unit__path",
        length,
        hours=Sum("event__hours"),
    )
    held = _grouped(
        subtree_trainings(user, unit=unit, year=year).filter(status=EventStatus.HELD),
        "organiser_unit__path",
        length,
        n=Count("pk"),
        participants=Sum("participants_actual"),
        hours=Sum("hours"),
    )
    keys = set(staff_rows) | set(record_hours) | set(event_hours) | set(held)
    units = {u.path: u for u in OrgUnit.objects.filter(path__in=keys)}
    total = Figures(unit=unit, key=unit.path)
    rows = []
    for key in sorted(keys):
        figures = Figures(
            unit=units.get(key),
            key=key,
            staff=staff_rows.get(key, {}).get("staff", 0),
            trained=staff_rows.get(key, {}).get("trained", 0),
            trainings_held=held.get(key, {}).get("n", 0),
            participants=held.get(key, {}).get("participants") or 0,
            training_hours=Decimal(held.get(key, {}).get("hours") or 0),
            staff_hours=Decimal(record_hours.get(key, {}).get("hours") or 0)
            + Decimal(event_hours.get(key, {}).get("hours") or 0),
        )
        total.add(figures)
        rows.append(figures)
    rows.sort(key=lambda row: (row.unit is None, row.unit.name.lower() if row.unit else row.key))
    return UnitDevelopment(unit=unit, year=year, depth=depth, total=total, rows=rows)


def staff_development(user, *, unit: OrgUnit, year: int) -> QuerySet:
    """The staff of the subtree with their trainings and hours in the year (annotated in SQL)."""
    records = QualificationRecord.objects.filter(staff_member_id=OuterRef("pk"), started_on__year=year)
    events = attended_trainings(year=year).filter(staff_member_id=OuterRef("pk"))

    def total(qs: QuerySet, expression, output) -> Coalesce:
        summed = qs.order_by().values("staff_member_id").annotate(value=expression).values("value")
        return Coalesce(Subquery(summed, output_field=output), Value(0), output_field=output)

    return (
        subtree_staff(user, unit=unit, year=year)
        .select_related("unit")
        .annotate(
            records_year=total(records, Count("pk"), IntegerField()),
            record_hours_year=total(records, Sum("hours"), IntegerField()),
            events_year=total(events, Count("pk"), IntegerField()),
            event_hours_year=total(events, Sum("event__hours"), HOURS_FIELD),
        )
        .order_by("unit__path", "full_name")
    )


def person_year_figures(person: StaffMember) -> tuple[int, Decimal]:
    """Trainings and hours of a row of `staff_development`."""
    return (
        person.records_year + person.events_year,
        Decimal(person.record_hours_year) + Decimal(person.event_hours_year),
    )


# The plan


@dataclass
class PlanMonth:
    month: datetime.date  # the first day of the month
    events: list[Event]

    @property
    def planned(self) -> int:
        return sum(event.status == EventStatus.PLANNED for event in self.events)


def training_plan(user, *, unit: OrgUnit, year: int) -> list[PlanMonth]:
    """The trainings of the year organised in the subtree, by month (planned, held and cancelled)."""
    events = list(
        subtree_trainings(user, unit=unit, year=year)
        .select_related("form", "organiser_unit", "venue_unit")
        .order_by("starts_at", "pk")
    )
    months: dict[int, list[Event]] = {}
    for event in events:
        months.setdefault(timezone.localtime(event.starts_at).month, []).append(event)
    return [PlanMonth(month=datetime.date(year, m, 1), events=items) for m, items in sorted(months.items())]


# The unit chooser


def chooser_units(user) -> QuerySet:
    """Units worth choosing on the page: the user's top units, territories and libraries with branches."""
    roots = scope.roots(user).values_list("path", flat=True)
    return (
        scope.units(user)
        .filter(archived_at__isnull=True)
        .filter(
            Q(kind__in=CHOOSER_KINDS) | Q(path__in=list(roots)) | Q(kind__in=LIBRARY_KINDS, numchild__gt=0)
        )
        .order_by("path")[:CHOOSER_LIMIT]
    )


def default_unit(user) -> OrgUnit | None:
    return scope.roots(user).first()


# Export


def hours_value(value: Decimal | int | None) -> int | float:
    """Hours as a number for display and spreadsheets: 2 rather than 2.0, 1.5 stays 1.5."""
    value = Decimal(value or 0)
    return int(value) if value == value.to_integral_value() else float(value)


def development_xlsx(*, report: UnitDevelopment, plan: list[PlanMonth], people: QuerySet) -> bytes:
    """The figures of the page as a workbook: summary, districts, plan of trainings and people."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, headers: list[str], widths: list[int], first: bool = False):
        ws = workbook.active if first else workbook.create_sheet()
        ws.title = title[:31]
        ws.append(headers)
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
            ws.cell(row=1, column=index).font = bold
        ws.freeze_panes = "A2"
        return ws

    figure_headers = [
        _("Staff"),
        _("Trained this year"),
        _("Share trained, %"),
        _("Trainings held"),
        _("Participants"),
        _("Hours of trainings held"),
        _("Hours of training received"),
    ]

    def figure_cells(figures: Figures) -> list:
        return [
            figures.staff,
            figures.trained,
            figures.share_percent,
            figures.trainings_held,
            figures.participants,
            hours_value(figures.training_hours),
            hours_value(figures.staff_hours),
        ]

    summary = sheet(_("Summary"), [_("Unit"), _("Year"), *figure_headers], [45, 8] + [14] * 7, first=True)
    summary.append([report.unit.name, report.year, *figure_cells(report.total)])

    districts = sheet(_("By district"), [_("District"), *figure_headers], [45] + [14] * 7)
    for row in report.rows:
        districts.append([row.unit.name if row.unit else row.key, *figure_cells(row)])
    districts.append([_("Total"), *figure_cells(report.total)])
    for cell in districts[districts.max_row]:
        cell.font = bold

    plan_sheet = sheet(
        _("Plan of trainings"),
        [
            _("Month"),
            _("Date"),
            _("Title"),
            _("Form of work"),
            _("Organiser"),
            _("Status"),
            _("Hours"),
            _("Planned participants"),
            _("Actual participants"),
        ],
        [10, 12, 50, 28, 40, 14, 8, 12, 12],
    )
    for month in plan:
        for event in month.events:
            plan_sheet.append(
                [
                    month.month.month,
                    timezone.localdate(event.starts_at),
                    event.title,
                    event.form.name if event.form_id else "",
                    event.organiser_unit.name,
                    event.get_status_display(),
                    hours_value(event.hours) if event.hours is not None else None,
                    event.participants_planned,
                    event.participants_actual,
                ]
            )
            plan_sheet.cell(row=plan_sheet.max_row, column=2).number_format = "yyyy-mm-dd"

    people_sheet = sheet(
        _("People"),
        [_("Full name"), _("Position"), _("Unit"), _("Trainings this year"), _("Hours this year")],
        [36, 36, 45, 14, 14],
    )
    for person in people.iterator(chunk_size=1000):
        trainings, hours = person_year_figures(person)
        people_sheet.append(
            [person.full_name, person.position, person.unit.name, trainings, hours_value(hours)]
        )

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
