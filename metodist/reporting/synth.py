"""`metodist synth`: a synthetic national network with years of reports, to measure reporting at scale.

    synth_build(libraries=4000, years=5)   # ~7,300 units, ~240,000 monthly and ~67,000 weekly reports

On top of `metodist.demo.synthetic.build_synthetic` (17 regions, districts, villages, libraries and a
few online centres under the root `SYN-KZ`) and the shipped definitions (`install_definitions`), it
assigns the monthly statistics to every library of the synthetic country (village and school libraries
alike: they are the N libraries asked for) and the weekly report to its online centres, then writes the
reports of the last `years` × 12 finished months (and of the ISO weeks whose Thursday falls in them).

The figures and each report's fate (accepted mostly; recent ones submitted, drafts, returned or
missing) come from `metodist.demo.reporting_data`, seeded by the unit's code, the period and `seed`,
so a build is deterministic. A second build adds only the reports that are missing.

The write path is bulk: reports and values go in as rows, not model instances (`executemany` on SQLite,
`COPY` on PostgreSQL), without history rows (synthetic figures have no earlier versions to keep), in
one transaction; the tables are analysed afterwards so the planner knows their size.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone

from metodist.demo import reporting_data as data
from metodist.demo.events_load import anchor_month
from metodist.demo.synthetic import MIN_TOTAL, ROOT_CODE, SEED, _sizes, build_synthetic
from metodist.network.models import OrgUnit, UnitKind
from metodist.reporting.definitions import install_definitions
from metodist.reporting.models import (
    FormAssignment,
    FormVersion,
    Report,
    ReportForm,
    ReportStatus,
    Value,
    ValueType,
)
from metodist.reporting.periods import Period, PeriodType, periods_between
from metodist.reporting.selectors import in_subtree
from metodist.reporting.services import FieldSpec, field_specs

# The forms of the synthetic country and the kinds of units that report on them.
FORM_KINDS = {
    "lib_monthly": (UnitKind.LIBRARY, UnitKind.SCHOOL_LIBRARY),
    "oc_weekly": (UnitKind.ONLINE_CENTRE,),
}
LIBRARY_KINDS = FORM_KINDS["lib_monthly"]
STATUS = {
    data.DRAFT: ReportStatus.DRAFT,
    data.SUBMITTED: ReportStatus.SUBMITTED,
    data.ACCEPTED: ReportStatus.ACCEPTED,
    data.RETURNED: ReportStatus.RETURNED,
}
BATCH = 5000
SQLITE_CACHE_KIB = 1_000_000

REPORT_COLUMNS = (
    "form",
    "form_version",
    "unit",
    "period_type",
    "period_start",
    "period_end",
    "ref_date",
    "due",
    "status",
    "version",
    "submitted_at",
    "reviewed_at",
    "review_comment",
    "submit_comment",
    "created_at",
    "updated_at",
)
VALUE_COLUMNS = (
    "report",
    "indicator",
    "category",
    "unit",
    "unit_path",
    "ref_date",
    "period_type",
    "number",
    "text",
    "comment",
    "updated_at",
)


@dataclass
class SynthSummary:
    root: OrgUnit
    units: int = 0
    libraries: int = 0
    online_centres: int = 0
    first: Period | None = None
    last: Period | None = None
    reports: int = 0  # written by this build
    values: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


# --- the size of the network ------------------------------------------------------------------------------


def libraries_in(total: int) -> int:
    """How many libraries (village and school ones, not online centres) `build_synthetic(total)` makes."""
    _districts, _villages, libraries, _centres = _sizes(total)
    return libraries


def total_for(libraries: int) -> int:
    """The smallest size of a synthetic network with at least `libraries` libraries."""
    if libraries < 1:
        raise ValueError("A synthetic network needs at least one library.")
    low, high = MIN_TOTAL, MIN_TOTAL
    while libraries_in(high) < libraries:
        low, high = high, high * 2
    while low < high:  # the count grows with the total: the first total that has enough
        middle = (low + high) // 2
        if libraries_in(middle) >= libraries:
            high = middle
        else:
            low = middle + 1
    return low


# --- periods ---------------------------------------------------------------------------------------------


def months_of(years: int, today: datetime.date) -> list[Period]:
    """The last `years` × 12 finished months before the anchor month of the demo, oldest first."""
    latest = Period.containing(PeriodType.MONTH, anchor_month(today)).previous()
    first = latest.shift(1 - years * 12)
    return periods_between(PeriodType.MONTH, first.start, latest.end)


def weeks_of(months: list[Period]) -> list[Period]:
    """The ISO weeks whose Thursday (reference day) falls in the months, oldest first."""
    return periods_between(PeriodType.WEEK, months[0].start, months[-1].end)


# --- writing rows ----------------------------------------------------------------------------------------


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def insert_rows(model, columns: Iterable[str], rows: Iterable[tuple]) -> int:
    """Write `rows` (tuples in the order of `columns`, already adapted with `_adapters`) into the
    model's table: `COPY` on PostgreSQL, `executemany` in batches elsewhere. Answers how many."""
    opts = model._meta
    quote = connection.ops.quote_name
    names = ", ".join(quote(opts.get_field(name).column) for name in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {quote(opts.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(names.split(", ")))
        sql = f"INSERT INTO {quote(opts.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 - our names
        for batch in _batches(rows, BATCH):
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _adapters() -> tuple[Callable, Callable]:
    """(day, moment) adapters of the connection: dates and aware datetimes as the database takes them."""
    ops = connection.ops
    return ops.adapt_datefield_value, ops.adapt_datetimefield_value


# --- the build -------------------------------------------------------------------------------------------


@dataclass
class _Unit:
    pk: int
    code: str
    path: str
    library_type: str
    population: int | None
    staff_rate: Decimal | None
    opened_on: datetime.date | None
    closed_on: datetime.date | None

    def is_open(self, period: Period) -> bool:
        return (self.opened_on is None or self.opened_on <= period.end) and (
            self.closed_on is None or self.closed_on >= period.start
        )


def _units(root: OrgUnit, kinds: tuple[str, ...]) -> list[_Unit]:
    rows = (
        OrgUnit.objects.filter(in_subtree("path", root.path), kind__in=kinds, archived_at__isnull=True)
        .order_by("path")
        .values_list(
            "pk", "code", "path", "library_type", "population_served", "staff_rate", "opened_on", "closed_on"
        )
    )
    return [_Unit(*row) for row in rows]


def _assign(root: OrgUnit, forms: dict[str, ReportForm]) -> None:
    for code, kinds in FORM_KINDS.items():
        form = forms[code]
        if not FormAssignment.objects.filter(form=form, unit=root).exists():
            FormAssignment.objects.create(form=form, unit=root, kinds=list(kinds))


def _kazakh_shares(root: OrgUnit, seed: int) -> dict[str, float]:
    """A share of Kazakh-language loans per region of the synthetic country, seeded by its code."""
    regions = OrgUnit.objects.filter(in_subtree("path", root.path), depth=root.depth + 1).values_list(
        "path", "code"
    )
    return {
        path: random.Random(f"{seed}:{code}:kazakh").uniform(0.3, 0.95)  # noqa: S311 - not a secret
        for path, code in regions
    }


def _moment(day: datetime.date, seed: int) -> datetime.datetime:
    hour, minute = 9 + seed % 9, (seed * 7) % 60
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone())


@dataclass
class _Writer:
    """Writes one form's reports, a year at a time, then their values."""

    form: ReportForm
    version: FormVersion
    specs: dict[str, FieldSpec]
    seed: int
    today: datetime.date
    now: datetime.datetime
    shares: dict[str, float]
    summary: SynthSummary
    profiles: dict[int, object] = field(default_factory=dict)
    have: set[tuple[int, datetime.date]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.day, adapt = _adapters()
        # Adapting an aware datetime converts its zone: done once per distinct moment.
        self.moment = lru_cache(maxsize=None)(lambda day, seed: adapt(_moment(day, seed)))
        self.stamp = adapt(self.now)
        self.columns = {
            key: (spec.indicator.pk, spec.category_id, spec.indicator.value_type == ValueType.TEXT)
            for key, spec in self.specs.items()
        }

    def profile(self, unit: _Unit):
        """The unit's profile (how many readers, how much it lends…), drawn once per unit."""
        profile = self.profiles.get(unit.pk)
        if profile is None:
            code = f"{unit.code}#{self.seed}"
            if self.form.code == "oc_weekly":
                profile = data.centre_profile(code, unit.population)
            else:
                region = unit.path[: OrgUnit.steplen * 2]
                share = self.shares.get(region, data.DEFAULT_KAZAKH_SHARE)
                profile = data.library_profile(
                    code, unit.library_type, unit.population, unit.staff_rate, share
                )
            self.profiles[unit.pk] = profile
        return profile

    def values(self, unit: _Unit, period: Period) -> dict:
        if self.form.code == "oc_weekly":
            return data.weekly_values(self.profile(unit), period.start, period.code)
        return data.monthly_values(self.profile(unit), period.year, period.number)

    def missing(self, units: list[_Unit], periods: list[Period]) -> int:
        """How many of the reports are not there yet (the rest are left as they are)."""
        self.have = self._existing(periods)
        return len(units) * len(periods) - len(self.have)

    def write(self, units: list[_Unit], periods: list[Period]) -> None:
        have = self.have
        ages = {period.start: age for age, period in enumerate(reversed(periods))}
        for year in sorted({period.year for period in periods}):
            pending: dict[tuple[int, datetime.date], tuple[_Unit, dict]] = {}
            rows = []
            for period in (p for p in periods if p.year == year):
                due = period.deadline(self.form.deadline_days)
                for unit in units:
                    if (unit.pk, period.start) in have or not unit.is_open(period):
                        continue
                    row, values = self._report(unit, period, due, ages[period.start])
                    if row is not None:
                        rows.append(row)
                        pending[(unit.pk, period.start)] = (unit, values)
            if not rows:
                continue
            self.summary.reports += insert_rows(Report, REPORT_COLUMNS, rows)
            self.summary.values += insert_rows(Value, VALUE_COLUMNS, self._value_rows(pending))

    def _existing(self, periods: list[Period]) -> set[tuple[int, datetime.date]]:
        return set(
            Report.objects.filter(
                form=self.form, period_start__gte=periods[0].start, period_start__lte=periods[-1].start
            ).values_list("unit_id", "period_start")
        )

    def _report(self, unit: _Unit, period: Period, due: datetime.date, age: int) -> tuple:
        fate_code = f"{unit.code}#{self.seed}"
        plan = data.plan_report(
            self.form.code,
            self.form.period_type,
            fate_code,
            period.code,
            age,
            end=period.end,
            due=due,
            today=self.today,
        )
        if plan.status == data.MISSING:
            return None, None
        values = self.values(unit, period)
        if plan.partial:
            values = data.draft_values(self.form.code, values, fate_code, period.code)
        seed = sum(map(ord, f"{unit.code}{period.code}"))
        day = self.day
        row = (
            self.form.pk,
            self.version.pk,
            unit.pk,
            period.type,
            day(period.start),
            day(period.end),
            day(period.ref_date),
            day(due),
            STATUS[plan.status],
            1,
            self.moment(plan.submit_day, seed) if plan.submit_day else None,
            self.moment(plan.review_day, seed + 3) if plan.review_day else None,
            plan.comment,
            "",
            self.stamp,
            self.stamp,
        )
        return row, values

    def _value_rows(self, pending: dict) -> Iterator[tuple]:
        # The ids are read before the rows are made: no query may run while PostgreSQL copies them in.
        starts = {start for _unit_pk, start in pending}
        ids = Report.objects.filter(
            form=self.form, period_start__gte=min(starts), period_start__lte=max(starts)
        ).values_list("unit_id", "period_start", "pk")
        return self._rows_of(pending, list(ids))

    def _rows_of(self, pending: dict, ids: list[tuple]) -> Iterator[tuple]:
        columns, stamp, period_type = self.columns, self.stamp, self.form.period_type
        for unit_pk, start, report_pk in ids:
            found = pending.get((unit_pk, start))
            if found is None:
                continue
            unit, values = found
            ref_date = self.day(Period.from_start(period_type, start).ref_date)
            for key, number in values.items():
                column = columns.get(key)
                if column is None or number is None:
                    continue
                indicator_pk, category_pk, is_text = column
                yield (
                    report_pk,
                    indicator_pk,
                    category_pk,
                    unit_pk,
                    unit.path,
                    ref_date,
                    period_type,
                    None if is_text else number,
                    str(number) if is_text else "",
                    "",
                    stamp,
                )


@contextmanager
def _big_cache():
    """On SQLite, a page cache that holds the indexes of `Value` while millions of rows go in: with the
    default 2 MB every insert into an index reads its pages from disk again (4× slower)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


@contextmanager
def _indexes_deferred(models: list, *, rows: int):
    """Load `rows` rows into tables that hold fewer without their secondary indexes (and, on
    PostgreSQL, their foreign keys, which it would otherwise check row by row at commit): drop them,
    load, then create them again from their exact definitions, an index by one sort and a foreign key
    by one join. The transaction covers it all, so a failed load (or a row a unique index or a foreign
    key refuses) rolls back to the tables as they were. Like pg_restore, it needs the tables to itself."""
    tables = [model._meta.db_table for model in models]
    if connection.vendor not in ("sqlite", "postgresql") or rows <= _largest_id(models):
        yield
        return
    drops, creates = _definitions(tables)
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:  # checks pending on the tables (the forms just installed) would forbid ALTER TABLE
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in drops:
            cursor.execute(statement)
    yield  # not in a `finally`: after an error the rollback brings everything back
    with connection.cursor() as cursor:
        for statement in creates:
            cursor.execute(statement)
        if postgresql:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares them


def _definitions(tables: list[str]) -> tuple[list[str], list[str]]:
    """(drop, create) statements of the tables' secondary indexes and, on PostgreSQL, foreign keys.
    Primary keys and unique constraints stay."""
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            query = f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks})"  # noqa: S608
            cursor.execute(query + " AND sql IS NOT NULL", tables)
            indexes = cursor.fetchall()
            return [f"DROP INDEX {quote(name)}" for name, _sql in indexes], [sql for _name, sql in indexes]
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)",
            [tables],
        )
        indexes = cursor.fetchall()
    drops = [f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}" for table, name, _sql in keys]
    drops += [f"DROP INDEX {quote(name)}" for name, _sql in indexes]
    creates = [sql for _name, sql in indexes]
    creates += [f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {sql}" for table, name, sql in keys]
    return drops, creates


def _largest_id(models: list) -> int:
    with connection.cursor() as cursor:
        largest = 0
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 - a model's table
            largest = max(largest, cursor.fetchone()[0] or 0)
    return largest


def _analyse() -> None:
    """Fresh statistics for the planner (and, on PostgreSQL, the visibility map for index-only scans)."""
    tables = [OrgUnit._meta.db_table, Report._meta.db_table, Value._meta.db_table]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if connection.in_atomic_block:
                for table in tables:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
            else:  # VACUUM cannot run in a transaction
                for table in tables:
                    cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


def synth_build(
    *,
    libraries: int,
    years: int,
    seed: int = SEED,
    today: datetime.date | None = None,
    report: Callable[[str], None] | None = None,
) -> SynthSummary:
    """Build (or complete) the synthetic country with `libraries` libraries and `years` of reports."""
    if years < 1:
        raise ValueError("At least one year of reports.")
    say = report or (lambda message: None)
    today = today or timezone.localdate()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with transaction.atomic(), _big_cache():
        install_definitions()
        root = build_synthetic(total_for(libraries), seed=seed)
        seconds["network"] = time.perf_counter() - started
        forms = {form.code: form for form in ReportForm.objects.filter(code__in=FORM_KINDS)}
        _assign(root, forms)
        summary = SynthSummary(root=root, seconds=seconds)
        months = months_of(years, today)
        summary.first, summary.last = months[0], months[-1]
        shares = _kazakh_shares(root, seed)
        now = timezone.now()
        plans = []
        for code, periods in (("lib_monthly", months), ("oc_weekly", weeks_of(months))):
            form = forms[code]
            version = form.current_version()
            specs = field_specs(version)
            units = _units(root, FORM_KINDS[code])
            plans.append(
                (code, _Writer(form, version, specs, seed, today, now, shares, summary), units, periods)
            )
        summary.libraries, summary.online_centres = len(plans[0][2]), len(plans[1][2])
        expected = sum(
            writer.missing(units, periods) * len(writer.specs) for _code, writer, units, periods in plans
        )
        with _indexes_deferred([Report, Value], rows=expected):
            for code, writer, units, periods in plans:
                step = time.perf_counter()
                say(f"{code}: {len(units)} units × {len(periods)} periods")
                writer.write(units, periods)
                seconds[code] = time.perf_counter() - step
            step = time.perf_counter()
        seconds["indexes"] = time.perf_counter() - step
        summary.units = OrgUnit.objects.filter(in_subtree("path", root.path)).count()
        step = time.perf_counter()
    # The commit: deferred foreign keys are checked here (those of rows loaded with their keys in place).
    seconds["commit"] = time.perf_counter() - step
    step = time.perf_counter()
    _analyse()
    seconds["analyse"] = time.perf_counter() - step
    return summary


__all__ = ["ROOT_CODE", "SynthSummary", "libraries_in", "synth_build", "total_for"]
