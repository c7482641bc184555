"""Writes the demo events (see `events_data.py`): the seed's lesson, the openings of 2013, a year of others.

The anchor is the first day of the current month (local time): the year of events fills the twelve months
before it (held, a few cancelled) and the anchor's month and the next one (planned). Each calendar month
draws its events from its own generator, seeded from 2013 and the month (`random.Random("2013:2026-03")`),
so a month's events are the same whatever the anchor: a rerun in the same month plans exactly the same
events, and a run a month later adds the new month's events instead of reshuffling the year. The status
and numbers of an event that is already there are never changed: one planned earlier stays planned
until someone records it.

Idempotent like the rest of the demo: an event is looked up by title, start and organiser and only
missing events are added, each with its programme, handouts, responsible people and participants.
Participants are staff of the demo network drawn from a generator seeded by the event itself, so they
do not depend on what else the database holds.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from metodist.demo import events_data as data
from metodist.events.models import (
    Event,
    EventFamily,
    EventSection,
    EventStatus,
    FormOfWork,
    Handout,
    Participant,
    ParticipantStatus,
)
from metodist.network.models import OrgUnit, QualificationRecord, StaffMember, UnitKind

HEAD_POSITIONS = ("директор", "заведующая", "заведующий")


# --- the plan (no database) -----------------------------------------------------------------------------


@dataclass
class SectionPlan:
    topic: str
    who: str = ""  # see events_data.Section.who; "" with `staff` set for the seed's named speakers
    staff: tuple[str, str] | None = None  # (unit code, full name)
    speaker: str = ""
    speaker_position: str = ""
    speaker_unit: str = ""
    summary: str = ""


@dataclass
class EventPlan:
    title: str
    form: str
    family: str
    status: str
    starts_at: datetime
    ends_at: datetime | None
    organiser: str
    venue: str = ""  # unit code; empty with venue_text
    venue_text: str = ""
    audience: str = ""
    planned: int | None = None
    actual: int | None = None
    actual_manual: bool = True
    goal: str = ""
    expected_result: str = ""
    outcome: str = ""
    hours: Decimal | None = None
    partners: str = ""
    notes: str = ""
    capacity: int | None = None
    registration_open: bool = False
    sections: list[SectionPlan] = field(default_factory=list)
    handouts: list[str] = field(default_factory=list)
    responsible: list[tuple[str, str]] = field(default_factory=list)  # (unit code, full name or position)
    invite: str = ""
    invite_codes: tuple[str, ...] = ()
    seed_attendees: bool = False  # the seed's lesson: those with it in their qualification record

    @property
    def key(self) -> tuple[str, datetime, str]:
        return (self.title, self.starts_at, self.organiser)


def anchor_month(today: date | None = None) -> date:
    """The first day of the current month: the fixed point the year of demo events hangs from."""
    return (today or timezone.localdate()).replace(day=1)


def _months(anchor: date) -> list[date]:
    months = []
    for offset in range(-data.HISTORY_MONTHS, data.PLAN_MONTHS):
        index = anchor.year * 12 + anchor.month - 1 + offset
        months.append(date(index // 12, index % 12 + 1, 1))
    return months


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


def _month_days(month: date) -> int:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return (following - month).days


def _day(month: date, template: data.Template, rng: random.Random) -> date:
    if template.day:
        day = month.replace(day=min(template.day, _month_days(month)))
        if day.weekday() == 6:  # a date of the calendar falling on a Sunday is marked on the Saturday
            day += timedelta(days=-1 if day.day > 1 else 1)
        return day
    day = month.replace(day=rng.randint(3, 26))
    # Trainings on working days; public events also on Saturdays, never on Sundays.
    last_weekday = 4 if template.hours is not None else 5
    while day.weekday() > last_weekday:
        day += timedelta(days=1)
    return day


def _seed_plan() -> EventPlan:
    seed = data.SEED_EVENT
    zone = timezone.get_default_timezone()
    return EventPlan(
        title=seed["title"],
        form=seed["form"],
        family=seed["family"],
        status=seed["status"],
        starts_at=seed["starts_at"].replace(tzinfo=zone),
        ends_at=seed["ends_at"].replace(tzinfo=zone),
        organiser=seed["organiser"],
        venue=seed["venue"],
        audience=seed["audience"],
        planned=seed["participants_planned"],
        actual=seed["participants_actual"],
        actual_manual=True,
        goal=seed["goal"],
        expected_result=seed["expected_result"],
        hours=Decimal(seed["hours"]),
        notes=seed["notes"],
        sections=[
            SectionPlan(
                topic=s["topic"],
                staff=s["staff"],
                speaker=s["speaker"],
                speaker_position=s["speaker_position"],
                speaker_unit=s["speaker_unit"],
                summary=s["summary"],
            )
            for s in seed["sections"]
        ],
        handouts=list(seed["handouts"]),
        responsible=list(seed["responsible"]),
        seed_attendees=True,
    )


def _opening_plans(opened_on: dict[str, date]) -> list[EventPlan]:
    text = data.OPENING_TEXT
    plans = []
    for opening in data.OPENINGS:
        day = opened_on.get(opening.centre) or date(2013, 6, 1)
        plans.append(
            EventPlan(
                title=f"Открытие онлайн-центра {opening.village_ru}",
                form=text["form"],
                family=EventFamily.OPENING,
                status=EventStatus.HELD,
                starts_at=_local(day, 11),
                ends_at=_local(day, 13),
                organiser=opening.organiser,
                venue=opening.centre,
                audience=text["audience"],
                planned=opening.planned,
                actual=opening.actual,
                goal=text["goal"],
                expected_result=text["expected_result"],
                outcome=text["outcome"],
                partners=text["partners"],
                sections=[
                    SectionPlan(
                        topic=s["topic"],
                        staff=s.get("staff"),
                        who="" if s.get("staff") else "host",
                        speaker_position=s.get("speaker_position", ""),
                        speaker_unit=s.get("speaker_unit", ""),
                    )
                    for s in text["sections"]
                ],
                handouts=list(text["handouts"]),
                responsible=[("VKOUB-MO", "Мальцева Ольга Николаевна"), (opening.organiser, "head")],
            )
        )
    return plans


def _visit_plans() -> list[EventPlan]:
    text = data.VISIT_TEXT
    return [
        EventPlan(
            title=f"Выездная консультация «{visit.title}»",
            form=text["form"],
            family=EventFamily.TRAINING,
            status=EventStatus.HELD,
            starts_at=_local(visit.day, 11),
            ends_at=_local(visit.day, 14),
            organiser=data.MO,
            venue=visit.venue,
            audience=text["audience"],
            goal=text["goal"],
            expected_result=text["expected_result"],
            outcome=text["outcome"],
            hours=Decimal(text["hours"]),
            sections=[
                SectionPlan(
                    topic=topic,
                    staff=("VKOUB-MO", "Мальцева Ольга Николаевна"),
                    speaker_position="методист методического отдела",
                    speaker_unit=data.VKOUB_NAME,
                )
                for topic in visit.topics
            ],
            responsible=[("VKOUB-MO", "Мальцева Ольга Николаевна")],
            invite="codes",
            invite_codes=visit.invite,
            actual_manual=False,
        )
        for visit in data.VISITS
    ]


def _organiser_and_venue(template: data.Template, rng: random.Random) -> tuple[str, str]:
    """Draw the organiser (a group of ORGANISERS or a fixed code) and the venue unit ("" for venue_text)."""
    if template.organisers == "visit":
        return data.MO, rng.choice(data.ORGANISERS["village"])
    group = data.ORGANISERS.get(template.organisers)
    organiser = rng.choice(group) if group else template.organisers
    if template.venue_text:
        return organiser, ""
    if template.organisers == "online_centre":
        return organiser, data.ONLINE_CENTRE_OF[organiser]
    if organiser.startswith("VKOUB-"):
        return organiser, "VKOUB"  # departments of the regional library hold events in its building
    return organiser, organiser


def _from_template(template: data.Template, month: date, rng: random.Random, anchor: date) -> EventPlan:
    # Every number is drawn whatever the status, so a month's draws do not depend on the anchor.
    organiser, venue = _organiser_and_venue(template, rng)
    variant = rng.choice(template.variants) if template.variants else ""
    day = _day(month, template, rng)
    minute = rng.choice((0, 0, 30))
    planned = rng.randint(*template.participants)
    actual = max(1, round(planned * rng.uniform(0.8, 1.2)))
    cancelled = rng.random() < data.CANCELLED_SHARE
    reason = rng.choice(("Перенесено из-за погодных условий.", "Отменено: карантин в школе."))
    hour = template.hour if template.hours is None else 10
    starts_at = _local(day, hour, minute if template.hours is None else 0)
    if template.days > 1:
        ends_at = _local(day + timedelta(days=template.days - 1), 17)
    else:
        length = max(2, int(template.hours or 2))
        ends_at = starts_at + timedelta(hours=min(length, 7))
    status = EventStatus.PLANNED
    if day < anchor:
        status = EventStatus.CANCELLED if cancelled and template.hours is None else EventStatus.HELD
    is_training = template.hours is not None
    return EventPlan(
        title=template.title.format(year=day.year, variant=variant),
        form=template.form,
        family=EventFamily.TRAINING if is_training else EventFamily.PUBLIC,
        status=status,
        starts_at=starts_at,
        ends_at=ends_at,
        organiser=organiser,
        venue=venue,
        venue_text=template.venue_text,
        audience=template.audience,
        planned=planned,
        actual=actual if status == EventStatus.HELD and not is_training else None,
        actual_manual=not is_training,
        goal=template.goal,
        expected_result=template.expected_result,
        outcome=template.outcome if status == EventStatus.HELD else "",
        hours=Decimal(str(template.hours)) if is_training else None,
        partners=template.partners,
        notes=reason if status == EventStatus.CANCELLED else "",
        capacity=planned if template.registration else None,
        registration_open=template.registration and status == EventStatus.PLANNED,
        sections=[
            SectionPlan(topic=s.topic, who=s.who, speaker_position=s.speaker_position, summary=s.summary)
            for s in template.sections
        ],
        handouts=list(template.handouts),
        responsible=(
            [(data.MO, "заведующая методическим отделом"), (data.MO, "методист")]
            if organiser == data.MO
            else [(organiser, "head")]
        ),
        invite=template.invite,
    )


def _month_plans(month: date, anchor: date) -> list[EventPlan]:
    rng = random.Random(f"{data.SEED}:{month.year}-{month.month:02d}")
    chosen = [t for t in data.TRAININGS if t.month == month.month]
    chosen += rng.sample(data.LOCAL_TRAININGS, rng.choice(data.LOCAL_TRAININGS_PER_MONTH))
    chosen += [t for t in data.PUBLIC if t.month == month.month]
    anytime = [t for t in data.PUBLIC if t.month is None]
    chosen += rng.sample(anytime, rng.choice(data.PUBLIC_PER_MONTH))
    return [_from_template(template, month, rng, anchor) for template in chosen]


def plan_events(*, anchor: date, opened_on: dict[str, date] | None = None) -> list[EventPlan]:
    """Every demo event, in a fixed order; keys (title, start, organiser) are unique."""
    plans = [_seed_plan(), *_opening_plans(opened_on or {}), *_visit_plans()]
    for month in _months(anchor):
        plans += _month_plans(month, anchor)
    unique: dict[tuple, EventPlan] = {}
    for plan in plans:
        unique.setdefault(plan.key, plan)
    return list(unique.values())


# --- writing ----------------------------------------------------------------------------------------


def _forms(codes: set[str]) -> dict[str, FormOfWork]:
    """The forms the demo needs: from the catalogue when it can be loaded, else made from events_data."""
    try:
        from metodist.events.catalogue import catalogue_load
    except ImportError:
        catalogue_load = None
    if catalogue_load is not None:
        catalogue_load()
    forms = {form.code: form for form in FormOfWork.objects.filter(code__in=codes)}
    for code in sorted(codes - set(forms)):
        name_ru, name_kk, name_en, family = data.FORMS[code]
        # The catalogue may know the form under another code: match it by name before adding one.
        form = FormOfWork.objects.filter(Q(name_ru__iexact=name_ru) | Q(name_en__iexact=name_en)).first()
        if form is None:
            form = FormOfWork(code=code, name_ru=name_ru, name_kk=name_kk, name_en=name_en, family=family)
            form.full_clean()
            form.save()
        forms[code] = form
    return forms


class _Staff:
    """The demo network's staff, read once: by unit code, by tree path, for speakers and invitations."""

    def __init__(self, units: dict[str, OrgUnit], region: OrgUnit):
        self.units = units
        self.members = list(
            StaffMember.objects.filter(unit__path__startswith=region.path)
            .select_related("unit")
            .order_by("unit__path", "full_name", "pk")
        )
        self.by_unit: dict[str, list[StaffMember]] = {}
        for member in self.members:
            self.by_unit.setdefault(member.unit.code, []).append(member)

    def named(self, code: str, name_or_position: str) -> StaffMember | None:
        people = self.by_unit.get(code, [])
        if name_or_position == "head":
            return self.head(code)
        for person in people:
            if name_or_position in (person.full_name, person.position):
                return person
        return None

    def head(self, code: str) -> StaffMember | None:
        people = self.by_unit.get(code, [])
        heads = [p for p in people if p.position.startswith(HEAD_POSITIONS)]
        return (heads or people or [None])[0]

    def under(self, codes: tuple[str, ...], *, kinds: tuple[str, ...] | None = None) -> list[StaffMember]:
        paths = [self.units[c].path for c in codes if c in self.units]
        return [
            m
            for m in self.members
            if any(m.unit.path.startswith(p) for p in paths) and (kinds is None or m.unit.kind in kinds)
        ]

    def pool(self, plan: EventPlan) -> list[StaffMember]:
        """Whose staff a training invites (see events_data.Template.invite)."""
        rule = plan.invite
        libraries = (UnitKind.LIBRARY, UnitKind.SCHOOL_LIBRARY, UnitKind.DEPARTMENT)
        if rule == "codes":
            return [m for code in plan.invite_codes for m in self.by_unit.get(code, [])]
        if rule == "venue":
            return list(self.by_unit.get(plan.venue, []))
        if rule.startswith("district:"):
            return self.under(tuple(rule.removeprefix("district:").split(",")), kinds=(UnitKind.LIBRARY,))
        if rule == "own_district":
            organiser = self.units[plan.organiser]
            district = organiser.path[: 2 * OrgUnit.steplen]
            return [m for m in self.members if m.unit.path.startswith(district) and m.unit.kind in libraries]
        if rule == "regional":
            return self.under(("VKOUB",))
        if rule == "city":
            regional = self.units["VKOUB"].path
            return [
                m
                for m in self.under(("SEM", "KUR"), kinds=(UnitKind.LIBRARY,))
                if not m.unit.path.startswith(regional)
            ]
        if rule == "children":
            return (
                self.under(data.ORGANISERS["children"])
                + self.under(("VKO",), kinds=(UnitKind.SCHOOL_LIBRARY,))[:12]
            )
        if rule == "online_centres":
            return [m for code in data.ORGANISERS["online_centre"] for m in self.by_unit.get(code, [])]
        if rule == "heads":
            codes = (
                *data.ORGANISERS["district"],
                *data.ORGANISERS["children"],
                "SEM-CGB",
                "KUR-CGB",
                "SHU-LIB",
            )
            return [
                m
                for code in codes
                for m in self.by_unit.get(code, [])
                if m.position.startswith(("директор", "методист", "заведующая библиотекой"))
            ]
        return []


def _in_post(member: StaffMember, day: date) -> bool:
    return (member.started_on is None or member.started_on <= day) and (
        member.left_on is None or member.left_on > day
    )


def _library_name(unit: OrgUnit, units_by_path: dict[str, OrgUnit]) -> str:
    if unit.kind == UnitKind.DEPARTMENT:
        parent = units_by_path.get(unit.path[: -OrgUnit.steplen])
        return parent.name_ru if parent else unit.name_ru
    return unit.name_ru


def _sections(plan: EventPlan, event: Event, staff: _Staff, units_by_path) -> list[EventSection]:
    sections = []
    organiser = staff.units[plan.organiser]
    for order, section in enumerate(plan.sections, start=1):
        member = None
        if section.staff:
            member = staff.named(*section.staff)
        elif section.who == "host":
            member = staff.named(plan.organiser, section.speaker_position) or staff.head(plan.organiser)
        elif section.who.startswith("unit:"):
            _, code, position = section.who.split(":", 2)
            member = staff.named(code, position)
        unit_name = section.speaker_unit or (
            _library_name(member.unit, units_by_path) if member else _library_name(organiser, units_by_path)
        )
        sections.append(
            EventSection(
                event=event,
                order=order,
                speaker_staff=member,
                speaker=section.speaker or ("" if member or section.who == "host" else section.who),
                # A host is whoever heads the organiser: say their own position, not the one hoped for.
                speaker_position=(
                    member.position if member and section.who == "host" else section.speaker_position
                )
                or (member.position if member else ""),
                speaker_unit=unit_name,
                topic=section.topic,
                summary=section.summary,
            )
        )
    return sections


def _participants(plan: EventPlan, event: Event, staff: _Staff) -> list[Participant]:
    day = plan.starts_at.date()
    if plan.seed_attendees:
        attended_ids = set(
            QualificationRecord.objects.filter(
                title=data.SEED_QUALIFICATION_TITLE, started_on=day
            ).values_list("staff_member_id", flat=True)
        )
        people = [m for m in staff.under(("VKOUB",)) if m.pk in attended_ids]
        return [
            Participant(
                event=event,
                staff_member=m,
                full_name=m.full_name,
                unit=m.unit,
                status=ParticipantStatus.ACCEPTED,
                attended=True,
            )
            for m in people
        ]
    if not plan.invite or event.family != EventFamily.TRAINING:
        return []
    pool = [m for m in staff.pool(plan) if _in_post(m, day)]
    seen: set[int] = set()
    pool = [m for m in pool if not (m.pk in seen or seen.add(m.pk))]
    # Drawn from the event's own generator: the same people whatever else the database holds.
    rng = random.Random(f"{data.SEED}:{plan.title}:{plan.starts_at.isoformat()}:{plan.organiser}")
    invited = rng.sample(pool, min(len(pool), plan.planned or len(pool)))
    participants = []
    for member in sorted(invited, key=lambda m: (m.unit.path, m.full_name)):
        roll = rng.random()
        if plan.status == EventStatus.HELD:
            attended = roll < data.ATTENDANCE_SHARE
            status = ParticipantStatus.ACCEPTED if attended or roll < 0.95 else ParticipantStatus.DECLINED
        else:
            attended = False
            status = ParticipantStatus.ACCEPTED if roll < 0.5 else ParticipantStatus.INVITED
        participants.append(
            Participant(
                event=event,
                staff_member=member,
                full_name=member.full_name,
                unit=member.unit,
                status=status,
                attended=attended,
            )
        )
    return participants


def _create(plan: EventPlan, *, units, forms, staff: _Staff, units_by_path, created: Counter) -> None:
    event = Event(
        title=plan.title,
        form=forms[plan.form],
        family=plan.family,
        status=plan.status,
        starts_at=plan.starts_at,
        ends_at=plan.ends_at,
        organiser_unit=units[plan.organiser],
        venue_unit=units.get(plan.venue) if plan.venue else None,
        venue_text=plan.venue_text,
        audience=plan.audience,
        participants_planned=plan.planned,
        participants_actual=plan.actual,
        participants_actual_manual=plan.actual_manual,
        capacity=plan.capacity,
        registration_open=plan.registration_open,
        hours=plan.hours,
        goal=plan.goal,
        expected_result=plan.expected_result,
        outcome=plan.outcome,
        partners=plan.partners,
        notes=plan.notes,
    )
    event.full_clean()
    event.save()
    created["events"] += 1
    EventSection.objects.bulk_create(_sections(plan, event, staff, units_by_path))
    Handout.objects.bulk_create(Handout(event=event, title=title) for title in plan.handouts)
    responsible = [staff.named(code, who) for code, who in plan.responsible]
    event.responsible.set([m for m in responsible if m is not None])
    participants = _participants(plan, event, staff)
    Participant.objects.bulk_create(participants)
    created["event_participants"] += len(participants)
    if not plan.actual_manual and plan.status == EventStatus.HELD:
        # The actual number follows attendance, as the attendance list does it.
        event.participants_actual = sum(p.attended for p in participants) or None
        event.participants_planned = len(participants) or plan.planned
        event.save(update_fields=["participants_actual", "participants_planned", "updated_at"])
    elif participants and not plan.actual_manual:
        event.participants_planned = len(participants)
        event.save(update_fields=["participants_planned", "updated_at"])


def load_events(*, anchor: date | None = None) -> Counter:
    """Add the missing demo events; answers how many rows of each sort were created."""
    created: Counter = Counter()
    region = OrgUnit.objects.filter(code="VKO").first()
    if region is None:
        return created
    units = {unit.code: unit for unit in OrgUnit.objects.under(region)}
    opened_on = {code: unit.opened_on for code, unit in units.items() if unit.kind == UnitKind.ONLINE_CENTRE}
    plans = [
        plan
        for plan in plan_events(anchor=anchor or anchor_month(), opened_on=opened_on)
        if plan.organiser in units and (not plan.venue or plan.venue in units)
    ]
    have = set(
        Event.objects.filter(
            organiser_unit__in=[units[plan.organiser] for plan in plans],
            title__in={plan.title for plan in plans},
        ).values_list("title", "starts_at", "organiser_unit__code")
    )
    missing = [plan for plan in plans if plan.key not in have]
    if not missing:
        return created
    forms = _forms({plan.form for plan in missing})
    staff = _Staff(units, region)
    units_by_path = {unit.path: unit for unit in units.values()}
    for plan in missing:
        _create(plan, units=units, forms=forms, staff=staff, units_by_path=units_by_path, created=created)
    return +created
