"""The annual plan: reads through the user's scope, plan against fact, the roll-up, and the writes.

Who may do what:
- a plan is visible to whoever sees its unit;
- it is written (created, its items added, changed, deleted) by whoever records methodological assistance
  on the unit (`manage_assistance`: methodologists, administrators) or submits the unit's reports
  (`enter_reports`: the head of a library plans her own library; librarians hold `enter_reports` and
  `manage_events` but not `manage_assistance`). `manage_events` alone does not do: marketing specialists
  hold it over the whole region, and a library's plan is not theirs to change;
- it is approved and reopened by a methodologist of an ancestor unit (`manage_assistance` through a role on
  a unit above the plan's unit); an approved plan is read-only until it is reopened.

How the fact is counted (always from the records, in SQL: one grouped query per kind of record):
- events (public events / trainings): events organised by the plan's unit or a unit below it, of the public
  or training family, not cancelled and already started, by `starts_at`; an item naming a form of work
  counts only events of that form. Events have no direction of work, so an item's direction does not
  narrow them;
- field visits: visits organised by the subtree with status done, by `start`; an item with a direction
  counts only visits with a finding of that direction;
- consultations: given by the subtree (`consultant_unit`), by `date`; with a direction, only those of it;
- materials: published by the subtree, by the day they were added (`created_at`); with a direction, only
  those of it.

Items that plan the same thing share the fact. An item's key is (kind, direction, form of work, period) —
the direction left out for events and trainings, which have none — and every item of a key shows the fact
of the key against the sum of the key's targets: two seminars planned for March are measured together
against the seminars held in March. A month's item counts the month, a quarter's item the quarter, an item
for the whole year the year.

Percent = fact / target × 100, rounded half up. An item (or a cell of the roll-up) is done when the fact
reaches the target, behind when its period has passed — or is under way and the fact is below the whole
part of the target due by today (pro rata by days) — and otherwise on track (under way) or later (to come);
a roll-up cell without a target is not planned.
"""

import calendar
import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, When
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from metodist.assistance.models import (
    Consultation,
    Direction,
    FieldVisit,
    Material,
    Plan,
    PlanItem,
    PlanItemKind,
    PlanStatus,
    VisitStatus,
)
from metodist.core import scope
from metodist.events.models import Event, EventFamily, EventStatus
from metodist.network.models import OrgUnit

MANAGE = "manage_assistance"
WRITE_CAPABILITIES = (MANAGE, "enter_reports")
ITEM_FIELDS = (
    "direction",
    "kind",
    "form_of_work",
    "title",
    "month",
    "quarter",
    "due",
    "target",
    "responsible",
    "order",
)
EVENT_FAMILIES = {PlanItemKind.EVENT: EventFamily.PUBLIC, PlanItemKind.TRAINING: EventFamily.TRAINING}
KIND_ORDER = {kind: index for index, kind in enumerate(PlanItemKind.values)}
QUARTERS = (1, 2, 3, 4)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

DONE = "done"
BEHIND = "behind"
ON_TRACK = "on_track"
LATER = "later"
UNPLANNED = "unplanned"


def status_label(status: str) -> str:
    return {
        DONE: _("done"),
        BEHIND: _("behind"),
        ON_TRACK: _("on track"),
        LATER: _("to come"),
        UNPLANNED: _("not planned"),
    }[status]


# --- periods and measures -------------------------------------------------------------------------------


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


@dataclass(frozen=True)
class Period:
    """A month, a quarter or the whole year of a plan."""

    year: int
    month: int | None = None
    quarter: int | None = None

    @classmethod
    def of_item(cls, item: PlanItem, year: int) -> "Period":
        if item.month:
            return cls(year, month=item.month)
        if item.quarter:
            return cls(year, quarter=item.quarter)
        return cls(year)

    @property
    def months(self) -> tuple[int, ...]:
        if self.month:
            return (self.month,)
        if self.quarter:
            first = (self.quarter - 1) * 3 + 1
            return (first, first + 1, first + 2)
        return tuple(range(1, 13))

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.months[0], 1)

    @property
    def end(self) -> datetime.date:
        last = self.months[-1]
        return datetime.date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def sort_key(self) -> tuple[int, int]:
        # Months and quarters in calendar order; the whole year after them.
        return (self.months[0], len(self.months)) if len(self.months) < 12 else (13, 0)

    def label(self) -> str:
        if self.month:
            return str(MONTHS[self.month])
        if self.quarter:
            return _("%(number)s quarter") % {"number": ROMAN[self.quarter]}
        return _("during the year")

    def elapsed(self, today: datetime.date) -> tuple[int, int]:
        """(days of the period gone by today, days of the period)."""
        days = (self.end - self.start).days + 1
        if today < self.start:
            return 0, days
        if today > self.end:
            return days, days
        return (today - self.start).days + 1, days


def percent(fact: int, target: int) -> int | None:
    """fact / target × 100, rounded half up; None without a target."""
    if target <= 0:
        return None
    return (200 * fact + target) // (2 * target)


def assess(fact: int, target: int, period: Period, today: datetime.date) -> str:
    """done, behind, on track or later: see the module's docstring."""
    if target <= 0:
        return UNPLANNED
    if fact >= target:
        return DONE
    gone, days = period.elapsed(today)
    if gone == 0:
        return LATER
    if gone == days:
        return BEHIND
    due_by_now = target * gone // days
    return BEHIND if fact < due_by_now else ON_TRACK


# --- the fact -------------------------------------------------------------------------------------------


def _key_direction(kind: str, direction_id: int | None) -> int | None:
    """Events and trainings have no direction of work: their items are measured whatever the direction."""
    return None if kind in EVENT_FAMILIES else direction_id


class FactCounts:
    """Records of one subtree and year, counted by kind, month and (direction, form of work).

    `counts[kind][month][(direction_id, form_id)]`; None in the key means "any": (None, None) counts every
    record of the kind in the month.
    """

    def __init__(self, counts: dict[str, dict[int, Counter]]):
        self.counts = counts

    def count(
        self, kind: str, months: Iterable[int], direction_id: int | None = None, form_id: int | None = None
    ) -> int:
        by_month = self.counts.get(kind, {})
        key = (_key_direction(kind, direction_id), form_id if kind in EVENT_FAMILIES else None)
        return sum(by_month.get(month, Counter())[key] for month in months)


def _direction_counts(rows: Iterable[dict], directions: Iterable[int]) -> dict[int, Counter]:
    by_month: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        counter = by_month[row["month"]]
        counter[(None, None)] += row["n"]
        for direction_id in directions:
            counter[(direction_id, None)] += row[f"d{direction_id}"]
    return by_month


def _grouped(qs: QuerySet, date_field: str, direction_lookup: str, directions: Iterable[int]) -> list[dict]:
    """Records by month: all of them, and those of each direction (one GROUP BY query)."""
    per_direction = {
        f"d{d}": Count("pk", filter=Q(**{direction_lookup: d}), distinct=True) for d in directions
    }
    return list(
        qs.order_by()
        .annotate(month=ExtractMonth(date_field))
        .values("month")
        .annotate(n=Count("pk", distinct=True), **per_direction)
    )


def _event_counts(path: str, year: int, family: str, until: datetime.datetime) -> dict[int, Counter]:
    rows = (
        Event.objects.filter(
            organiser_unit__path__startswith=path,
            family=family,
            starts_at__year=year,
            starts_at__lt=until,
        )
        .exclude(status=EventStatus.CANCELLED)
        .order_by()
        .annotate(month=ExtractMonth("starts_at"))
        .values("month", "form_id")
        .annotate(n=Count("pk"))
    )
    by_month: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        by_month[row["month"]][(None, row["form_id"])] += row["n"]
        by_month[row["month"]][(None, None)] += row["n"]
    return by_month


def fact_counts(
    *, path: str, year: int, directions: Iterable[int] = (), today: datetime.date | None = None
) -> FactCounts:
    """Count the records of the subtree at `path` in `year`: one grouped query per kind of record.

    `directions`: the directions asked about (the items' ones); each becomes a conditional count.
    Events count once they have started (`today` included); a planned event still ahead is not a fact.
    """
    today = today or timezone.localdate()
    directions = sorted(set(directions))
    until = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time(), tzinfo=timezone.get_current_timezone()
    )
    counts = {
        PlanItemKind.EVENT: _event_counts(path, year, EventFamily.PUBLIC, until),
        PlanItemKind.TRAINING: _event_counts(path, year, EventFamily.TRAINING, until),
    }
    visits = FieldVisit.objects.filter(
        organiser_unit__path__startswith=path, status=VisitStatus.DONE, start__year=year
    )
    counts[PlanItemKind.VISIT] = _direction_counts(
        _grouped(visits, "start", "findings__direction", directions), directions
    )
    consultations = Consultation.objects.filter(consultant_unit__path__startswith=path, date__year=year)
    counts[PlanItemKind.CONSULTATION] = _direction_counts(
        _grouped(consultations, "date", "directions", directions), directions
    )
    materials = Material.objects.filter(unit__path__startswith=path, created_at__year=year)
    counts[PlanItemKind.MATERIAL] = _direction_counts(
        _grouped(materials, "created_at", "directions", directions), directions
    )
    return FactCounts(counts)


# --- reads ----------------------------------------------------------------------------------------------


def plans_visible(user, capability: str = scope.VIEW) -> QuerySet:
    """Plans of the units the user sees (`view`) or may change."""
    return scope.records(user, Plan.objects.select_related("unit"), capability)


def get_plan_or_404(user, pk) -> Plan:
    try:
        return plans_visible(user).get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def units_to_plan(user) -> QuerySet:
    """Units whose plans the user may write."""
    units = scope.units(user, WRITE_CAPABILITIES[0])
    for capability in WRITE_CAPABILITIES[1:]:
        units = units | scope.units(user, capability)
    return units.filter(archived_at__isnull=True).distinct()


def may_write_plans(user) -> bool:
    return any(scope.prefixes(user, capability) != () for capability in WRITE_CAPABILITIES)


def can_write_unit(user, unit: OrgUnit) -> bool:
    return any(scope.covers(user, unit, capability) for capability in WRITE_CAPABILITIES)


def can_edit(user, plan: Plan) -> bool:
    """May the user change the plan now (it must be a draft)."""
    return plan.status == PlanStatus.DRAFT and can_write_unit(user, plan.unit)


def can_approve(user, plan: Plan) -> bool:
    """Approving and reopening belong to a methodologist of a unit above the plan's unit."""
    allowed = scope.prefixes(user, MANAGE)
    if allowed is None:
        return True
    return any(plan.unit.path.startswith(p) and len(p) < len(plan.unit.path) for p in allowed)


def plan_years(user) -> list[int]:
    return sorted(set(plans_visible(user).values_list("year", flat=True)), reverse=True)


# --- plan against fact ----------------------------------------------------------------------------------


def item_label(item: PlanItem) -> str:
    """What the item plans: its name, else its form of work, else its kind."""
    form = item.form_of_work if item.form_of_work_id else None
    if item.title:
        names = [form.name_ru, form.name_kk, form.name_en] if form else []
        if form and not any(name and name.lower() in item.title.lower() for name in names):
            return f"{form.name}: {item.title}"
        return item.title
    return form.name if form else item.get_kind_display()


@dataclass
class ItemRow:
    item: PlanItem
    number: str
    period: Period
    fact: int
    key_target: int
    shared_with: list[str]  # numbers of the other items of the same key
    by_quarter: list[int | None]  # fact per quarter; None where the quarter is outside the item's period
    status: str

    @property
    def label(self) -> str:
        return item_label(self.item)

    @property
    def when(self) -> str:
        text = self.period.label()
        if self.item.due:
            text = f"{text}, {self.item.due:%d.%m.%Y}"
        return text

    @property
    def target(self) -> int:
        return self.item.target

    @property
    def percent(self) -> int | None:
        return percent(self.fact, self.key_target)


@dataclass
class Section:
    number: int
    direction: Direction | None
    rows: list[ItemRow]

    @property
    def title(self) -> str:
        return self.direction.name if self.direction else _("General work")


@dataclass
class KindTotal:
    kind: str
    label: str
    target: int
    fact: int
    percent: int | None


@dataclass
class PlanFulfilment:
    plan: Plan
    today: datetime.date
    sections: list[Section] = field(default_factory=list)

    @property
    def rows(self) -> list[ItemRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def behind(self) -> list[ItemRow]:
        return [row for row in self.rows if row.status == BEHIND]

    def totals(self) -> list[KindTotal]:
        """Per kind: the targets and the facts of its keys (each key counted once).

        When a kind has general items (no direction; for events and trainings, no form of work), they are
        its total and the others a part of it ("including …"), so only the general items are summed.
        """
        general_kinds = {row.item.kind for row in self.rows if _is_general(row.item)}
        targets: Counter = Counter()
        facts: Counter = Counter()
        seen = set()
        for row in self.rows:
            kind = row.item.kind
            if kind in general_kinds and not _is_general(row.item):
                continue
            targets[kind] += row.item.target
            key = _item_key(row.item, row.period)
            if key not in seen:
                seen.add(key)
                facts[kind] += row.fact
        return [
            KindTotal(kind, str(label), targets[kind], facts[kind], percent(facts[kind], targets[kind]))
            for kind, label in PlanItemKind.choices
            if targets[kind]
        ]


def _is_general(item: PlanItem) -> bool:
    return not (item.form_of_work_id if item.kind in EVENT_FAMILIES else item.direction_id)


def _item_key(item: PlanItem, period: Period) -> tuple:
    return (item.kind, _key_direction(item.kind, item.direction_id), item.form_of_work_id, period)


def _plan_items(plan: Plan) -> list[PlanItem]:
    return list(plan.items.select_related("direction", "form_of_work"))


def plan_fulfilment(plan: Plan, *, today: datetime.date | None = None) -> PlanFulfilment:
    """The plan's items by direction of work, each with its fact, per quarter and in all, and status."""
    today = today or timezone.localdate()
    items = _plan_items(plan)
    counts = fact_counts(
        path=plan.unit.path,
        year=plan.year,
        directions={i.direction_id for i in items if i.direction_id},
        today=today,
    )
    # Sections in the order of the directions; the general work first.
    by_direction: dict[int | None, list[PlanItem]] = defaultdict(list)
    for item in items:
        by_direction[item.direction_id].append(item)
    directions = sorted(
        {i.direction for i in items if i.direction_id}, key=lambda d: (d.order, d.name_ru, d.pk)
    )
    ordered = [(None, by_direction[None])] if by_direction.get(None) else []
    ordered += [(d, by_direction[d.pk]) for d in directions]

    fulfilment = PlanFulfilment(plan=plan, today=today)
    numbered: list[tuple[PlanItem, str, Period]] = []
    for index, (direction, section_items) in enumerate(ordered, start=1):
        section = Section(index, direction, [])
        section_items.sort(
            key=lambda i: (
                i.order,
                KIND_ORDER.get(i.kind, 99),
                Period.of_item(i, plan.year).sort_key,
                i.pk,
            )
        )
        for position, item in enumerate(section_items, start=1):
            numbered.append((item, f"{index}.{position}", Period.of_item(item, plan.year)))
        fulfilment.sections.append(section)

    keys: dict[tuple, list[tuple[PlanItem, str]]] = defaultdict(list)
    for item, number, period in numbered:
        keys[_item_key(item, period)].append((item, number))
    sections = {s.direction.pk if s.direction else None: s for s in fulfilment.sections}
    for item, number, period in numbered:
        key = _item_key(item, period)
        key_target = sum(i.target for i, _n in keys[key])
        fact = counts.count(item.kind, period.months, item.direction_id, item.form_of_work_id)
        by_quarter = []
        for quarter in QUARTERS:
            months = [m for m in period.months if quarter_of(m) == quarter]
            by_quarter.append(
                counts.count(item.kind, months, item.direction_id, item.form_of_work_id) if months else None
            )
        sections[item.direction_id].rows.append(
            ItemRow(
                item=item,
                number=number,
                period=period,
                fact=fact,
                key_target=key_target,
                shared_with=[n for i, n in keys[key] if i.pk != item.pk],
                by_quarter=by_quarter,
                status=assess(fact, key_target, period, today),
            )
        )
    return fulfilment


# --- the roll-up ----------------------------------------------------------------------------------------


@dataclass
class RollupCell:
    target: int
    fact: int
    status: str

    @property
    def percent(self) -> int | None:
        return percent(self.fact, self.target)


@dataclass
class RollupRow:
    direction: Direction | None
    kind: str
    cells: list[RollupCell]  # Q1–Q4, then the year

    @property
    def direction_label(self) -> str:
        return self.direction.name if self.direction else _("Across directions")

    @property
    def kind_label(self) -> str:
        return str(PlanItemKind(self.kind).label)


@dataclass
class Rollup:
    unit: OrgUnit
    year: int
    today: datetime.date
    rows: list[RollupRow]
    plans: list[Plan]

    @staticmethod
    def column_labels() -> list[str]:
        return [Period(2000, quarter=q).label() for q in QUARTERS] + [_("Year")]

    @property
    def sections(self) -> list[tuple[str, list[RollupRow]]]:
        grouped: dict[str, list[RollupRow]] = {}
        for row in self.rows:
            grouped.setdefault(row.direction_label, []).append(row)
        return list(grouped.items())

    @property
    def behind(self) -> list[tuple[RollupRow, str, RollupCell]]:
        labels = self.column_labels()
        return [
            (row, labels[index], cell)
            for row in self.rows
            for index, cell in enumerate(row.cells)
            if cell.status == BEHIND
        ]


def rollup_units(user) -> QuerySet:
    """Units the roll-up may be asked for: every unit the user sees."""
    return scope.units(user).filter(archived_at__isnull=True)


def plan_rollup(user, unit: OrgUnit, *, year: int, today: datetime.date | None = None) -> Rollup:
    """The plans of every unit under `unit` summed by direction and kind, per quarter and for the year,
    against the fact of the same subtree. `unit` must already be one the user sees."""
    today = today or timezone.localdate()
    plans = list(
        plans_visible(user).filter(unit__path__startswith=unit.path, year=year).order_by("unit__path")
    )
    quarter = Case(
        When(month__isnull=False, then=(F("month") + 2) / 3),
        default=F("quarter"),
        output_field=IntegerField(),
    )
    targets = (
        PlanItem.objects.filter(plan__in=[p.pk for p in plans])
        .order_by()
        .annotate(q=quarter)
        .values("kind", "direction_id", "q")
        .annotate(total=Sum("target"))
    )
    by_key: dict[tuple[str, int | None], Counter] = defaultdict(Counter)
    for row in targets:
        key = (row["kind"], _key_direction(row["kind"], row["direction_id"]))
        by_key[key][row["q"]] += row["total"]
    directions = {d.pk: d for d in Direction.objects.filter(pk__in=[k[1] for k in by_key if k[1]])}
    counts = fact_counts(path=unit.path, year=year, directions=directions.keys(), today=today)
    rows = []
    for kind, direction_id in by_key:
        planned = by_key[(kind, direction_id)]
        cells = []
        for q in QUARTERS:
            period = Period(year, quarter=q)
            fact = counts.count(kind, period.months, direction_id)
            cells.append(RollupCell(planned[q], fact, assess(fact, planned[q], period, today)))
        year_target = sum(planned.values())
        year_fact = counts.count(kind, range(1, 13), direction_id)
        cells.append(RollupCell(year_target, year_fact, assess(year_fact, year_target, Period(year), today)))
        rows.append(RollupRow(directions.get(direction_id), kind, cells))
    rows.sort(
        key=lambda r: (
            (0, 0, "") if r.direction is None else (1, r.direction.order, r.direction.name_ru),
            KIND_ORDER.get(r.kind, 99),
        )
    )
    return Rollup(unit=unit, year=year, today=today, rows=rows, plans=plans)


# --- writes ---------------------------------------------------------------------------------------------


def _require_write(user, unit: OrgUnit) -> None:
    if not can_write_unit(user, unit):
        raise PermissionDenied(_("You have no right to plan the work of “%(unit)s”.") % {"unit": unit.name})


def _locked_draft(user, plan: Plan) -> Plan:
    """The plan read again under a lock: it must still be a draft the user may change."""
    stored = Plan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    _require_write(user, stored.unit)
    if stored.status != PlanStatus.DRAFT:
        raise ValidationError(_("The plan is approved: a methodologist must reopen it before it changes."))
    return stored


def _shift_year(day: datetime.date | None, years: int) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _item_fields(data: dict) -> dict:
    fields = {name: value for name, value in data.items() if name in ITEM_FIELDS}
    if fields.get("month") and not fields.get("quarter"):
        fields["quarter"] = quarter_of(fields["month"])
    return fields


def _save_item(item: PlanItem) -> PlanItem:
    item.full_clean(exclude=["plan"])
    if item.due and item.due.year != item.plan.year:
        raise ValidationError({"due": _("The date must fall in the plan's year.")})
    item.save()
    return item


@transaction.atomic
def plan_create(*, user, unit: OrgUnit, year: int, note: str = "", copy_previous: bool = False) -> Plan:
    """A draft plan of `unit` for `year`; with `copy_previous`, the items of last year's plan copied."""
    _require_write(user, unit)
    if Plan.objects.filter(unit=unit, year=year).exists():
        raise ValidationError({"year": _("This unit already has a plan for this year.")})
    plan = Plan(unit=unit, year=year, note=note, created_by=user)
    plan.full_clean(exclude=["created_by"])
    plan.save()
    if copy_previous:
        previous = Plan.objects.filter(unit=unit, year=year - 1).first()
        if previous is not None:
            PlanItem.objects.bulk_create(
                PlanItem(
                    plan=plan,
                    **{name: getattr(item, name) for name in ITEM_FIELDS if name != "due"},
                    due=_shift_year(item.due, 1),
                )
                for item in previous.items.select_related("direction", "form_of_work")
            )
    return plan


@transaction.atomic
def plan_update(*, user, plan: Plan, note: str) -> Plan:
    stored = _locked_draft(user, plan)
    stored.note = note
    stored.full_clean(exclude=["created_by"])
    stored.save()
    return stored


@transaction.atomic
def plan_item_add(*, user, plan: Plan, data: dict) -> PlanItem:
    stored = _locked_draft(user, plan)
    return _save_item(PlanItem(plan=stored, **_item_fields(data)))


@transaction.atomic
def plan_item_update(*, user, item: PlanItem, data: dict) -> PlanItem:
    stored = PlanItem.objects.get(pk=item.pk)
    plan = _locked_draft(user, stored.plan)
    for name, value in _item_fields(data).items():
        setattr(stored, name, value)
    stored.plan = plan
    return _save_item(stored)


@transaction.atomic
def plan_item_delete(*, user, item: PlanItem) -> None:
    stored = PlanItem.objects.get(pk=item.pk)
    _locked_draft(user, stored.plan)
    stored.delete()


@transaction.atomic
def plan_items_save(
    *,
    user,
    plan: Plan,
    note: str | None = None,
    added: Iterable[dict] = (),
    changed: Iterable[tuple[PlanItem, dict]] = (),
    deleted: Iterable[PlanItem] = (),
) -> Plan:
    """The edit form's save: the note and every added, changed and deleted item, all or nothing."""
    stored = _locked_draft(user, plan)
    own = set(stored.items.values_list("pk", flat=True))
    for item in [*deleted, *(i for i, _d in changed)]:
        if item.pk not in own:
            raise PermissionDenied(_("The item belongs to another plan."))
    if note is not None:
        plan_update(user=user, plan=stored, note=note)
    for item in deleted:
        plan_item_delete(user=user, item=item)
    for item, data in changed:
        plan_item_update(user=user, item=item, data=data)
    for data in added:
        plan_item_add(user=user, plan=stored, data=data)
    return stored


def _require_approver(user, plan: Plan) -> None:
    if not can_approve(user, plan):
        raise PermissionDenied(
            _("A methodologist of a unit above “%(unit)s” approves its plan.") % {"unit": plan.unit.name}
        )


@transaction.atomic
def plan_approve(*, user, plan: Plan) -> Plan:
    stored = Plan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    _require_approver(user, stored)
    if stored.status == PlanStatus.APPROVED:
        return stored
    if not stored.items.exists():
        raise ValidationError(_("An empty plan cannot be approved."))
    stored.status = PlanStatus.APPROVED
    stored.approved_at = timezone.now()
    stored.save(update_fields=["status", "approved_at", "updated_at"])
    return stored


@transaction.atomic
def plan_reopen(*, user, plan: Plan) -> Plan:
    stored = Plan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    _require_approver(user, stored)
    stored.status = PlanStatus.DRAFT
    stored.approved_at = None
    stored.save(update_fields=["status", "approved_at", "updated_at"])
    return stored
