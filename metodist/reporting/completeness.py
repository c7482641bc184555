"""Completeness and timeliness of periodic reports, the overdue units with their contacts, and the
reminders of `metodist remind`.

For one form and one period, in the subtree of a unit:

- **expected**: the units the form is assigned to (`FormAssignment`), open during the period
  (`opened_on` / `closed_on`) and not archived — an archived unit that has a report for the period
  still counts, so a closed library's past reports stay in the history (as `selectors.expected_units`);
- **submitted**: expected units whose report reached the centre at least once: status submitted,
  accepted or returned (a returned report waits for corrections, but it was sent);
- **on time**: submitted, and the local day of its (latest) submission is on or before its due day;
- **accepted**, **returned**: by status; **missing**: expected but not submitted (no report or a draft);
  **overdue**: missing after the due day.

Counting is three SQL queries whatever the size of the network (see `_tally`): the due days of the
reports, the open units counted per child of the subtree (the prefix of their path, as
`selectors.rollup` groups values), and their reports counted with conditional aggregation. The trend of
several periods is the same queries with one count per period. Selectors take the unit of the
subtree; callers get it through `metodist.core.scope` (`scope.get_unit_or_404`), so everything counted
below it is in the user's scope.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from metodist.accounts.models import Role, RoleKind
from metodist.network.models import OrgUnit
from metodist.reporting.models import FormAssignment, Reminder, Report, ReportForm, ReportStatus
from metodist.reporting.periods import Period
from metodist.reporting.selectors import in_subtree

log = logging.getLogger(__name__)

# Statuses of a report that reached the centre at least once.
SENT = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.RETURNED)
# How many periods the trend shows, and how many recent periods `metodist remind` looks at per form.
TREND_PERIODS = 6
REMINDED_PERIODS = 2
# A methodologist's digest names at most this many units; the link shows the rest.
DIGEST_LINES = 40


# --- figures ----------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """The counts of one group (a child unit, the whole subtree, a period)."""

    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    accepted: int = 0
    returned: int = 0
    drafts: int = 0

    def add(self, other: Tally) -> None:
        self.expected += other.expected
        self.submitted += other.submitted
        self.on_time += other.on_time
        self.accepted += other.accepted
        self.returned += other.returned
        self.drafts += other.drafts

    @property
    def missing(self) -> int:
        return max(0, self.expected - self.submitted)

    @property
    def late(self) -> int:
        return self.submitted - self.on_time

    def _share(self, part: int) -> int | None:
        return round(100 * part / self.expected) if self.expected else None

    @property
    def percent(self) -> int | None:
        """Completeness: submitted, % of expected."""
        return self._share(self.submitted)

    @property
    def on_time_percent(self) -> int | None:
        """Timeliness: submitted on time, % of expected."""
        return self._share(self.on_time)

    @property
    def accepted_percent(self) -> int | None:
        return self._share(self.accepted)


@dataclass
class Row:
    """One line of the table: a child of the subtree's unit (or the unit itself, when it reports too)."""

    unit: OrgUnit
    tally: Tally
    is_self: bool = False
    report_id: int | None = None  # the report of a unit without children, when it has one

    @property
    def can_drill(self) -> bool:
        return not self.is_self and self.unit.numchild > 0


@dataclass
class Completeness:
    form: ReportForm
    period: Period
    under: OrgUnit
    due: datetime.date
    rows: list[Row]
    total: Tally

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due < today


def assignments_of(form: ReportForm) -> list[FormAssignment]:
    return list(form.assignments.select_related("unit"))


def _assigned(assignments: Iterable[FormAssignment], prefix: str = "") -> Q:
    """Units a form is assigned to (`prefix` reaches the unit from another model, e.g. "unit__")."""
    condition = Q(**{f"{prefix}pk__in": []})
    for assignment in assignments:
        if assignment.kinds:
            condition |= in_subtree(f"{prefix}path", assignment.unit.path) & Q(
                **{f"{prefix}kind__in": assignment.kinds}
            )
        else:
            condition |= Q(**{f"{prefix}pk": assignment.unit_id})
    return condition


def _open_during(period: Period, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}opened_on__isnull": True}) | Q(**{f"{prefix}opened_on__lte": period.end})) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gte": period.start})
    )


def _sent_by_due(dues: Iterable[datetime.date]) -> Q:
    """Submitted by the end of the due day in the local time zone, as plain comparisons of moments (one
    per due day present), so the database converts no time zone per row (SQLite would call Python)."""
    zone = timezone.get_current_timezone()
    condition = Q(pk__isnull=True)  # never true: no due day, nothing on time
    for due in dues:
        end = datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        condition |= Q(due=due, submitted_at__lt=end)
    return condition


def _tally(
    form: ReportForm,
    periods: Sequence[Period],
    under: OrgUnit | None,
    assignments: list[FormAssignment],
    *,
    by_child: bool,
) -> dict[tuple[str | None, datetime.date], tuple[Tally, int | None]]:
    """Counts per (child path or None, period start), with the largest report id of each group.

    Three queries: the due days of the reports (a handful); open, not archived units counted per
    period with conditional counts; the reports of the form in those periods from units open then
    (archived or not) counted by status. An archived unit is expected only where it has a report, so
    the last query adds those units to `expected`.
    """
    child_length = len(under.path) + OrgUnit.steplen if under is not None else 0
    units = OrgUnit.objects.filter(_assigned(assignments), archived_at__isnull=True).order_by()
    reports = Report.objects.filter(
        _assigned(assignments, "unit__"),
        Q(unit__opened_on__isnull=True) | Q(unit__opened_on__lte=F("period_end")),
        Q(unit__closed_on__isnull=True) | Q(unit__closed_on__gte=F("period_start")),
        form=form,
        period_start__in=[period.start for period in periods],
    ).order_by()
    if under is not None:
        units = units.filter(in_subtree("path", under.path))
        reports = reports.filter(in_subtree("unit__path", under.path))
    on_time = _sent_by_due(reports.values_list("due", flat=True).distinct())
    open_counts = {
        f"p{index}": Count("pk", filter=_open_during(period)) for index, period in enumerate(periods)
    }
    counts = {
        "archived": Count("pk", filter=Q(unit__archived_at__isnull=False)),
        "submitted": Count("pk", filter=Q(status__in=SENT)),
        "on_time": Count("pk", filter=Q(status__in=SENT) & on_time),
        "accepted": Count("pk", filter=Q(status=ReportStatus.ACCEPTED)),
        "returned": Count("pk", filter=Q(status=ReportStatus.RETURNED)),
        "drafts": Count("pk", filter=Q(status=ReportStatus.DRAFT)),
        "report_id": Max("pk"),
    }
    if by_child:
        unit_rows = (
            units.annotate(group=Substr("path", 1, child_length)).values("group").annotate(**open_counts)
        )
        report_rows = (
            reports.annotate(group=Substr("unit__path", 1, child_length))
            .values("group", "period_start")
            .annotate(**counts)
        )
    else:
        unit_rows = [{"group": None, **units.aggregate(**open_counts)}]
        report_rows = reports.values("period_start").annotate(**counts)

    found: dict[tuple[str | None, datetime.date], tuple[Tally, int | None]] = {}
    for row in unit_rows:
        for index, period in enumerate(periods):
            if row[f"p{index}"]:
                found[(row["group"], period.start)] = (Tally(expected=row[f"p{index}"]), None)
    for row in report_rows:
        key = (row.get("group"), row["period_start"])
        tally, _report = found.get(key, (Tally(), None))
        tally.expected += row["archived"]
        tally.submitted += row["submitted"]
        tally.on_time += row["on_time"]
        tally.accepted += row["accepted"]
        tally.returned += row["returned"]
        tally.drafts += row["drafts"]
        found[key] = (tally, row["report_id"])
    return found


def completeness(
    form: ReportForm,
    period: Period,
    under: OrgUnit,
    *,
    assignments: list[FormAssignment] | None = None,
) -> Completeness:
    """The figures of `form` for `period` in the subtree of `under`: a row per child unit that is
    expected to report (or has reports), the unit itself first when it reports too, and the total."""
    assignments = assignments_of(form) if assignments is None else assignments
    found = _tally(form, [period], under, assignments, by_child=True)
    paths = {group for group, _start in found}
    children = {unit.path: unit for unit in OrgUnit.objects.filter(path__in=paths)}
    rows, total = [], Tally()
    for path in sorted(paths):
        unit = children.get(path)
        if unit is None:  # cannot happen in a consistent tree; skip rather than fail the page
            continue
        tally, report_id = found[(path, period.start)]
        is_self = path == under.path
        leaf = is_self or unit.numchild == 0
        rows.append(Row(unit, tally, is_self=is_self, report_id=report_id if leaf else None))
        total.add(tally)
    return Completeness(form, period, under, period.deadline(form.deadline_days), rows, total)


def trend(
    form: ReportForm,
    under: OrgUnit,
    *,
    last: Period,
    count: int = TREND_PERIODS,
    assignments: list[FormAssignment] | None = None,
) -> list[tuple[Period, Tally]]:
    """The subtree's figures for the `count` periods up to `last`, oldest first (three queries)."""
    assignments = assignments_of(form) if assignments is None else assignments
    periods = [last.shift(-age) for age in reversed(range(count))]
    found = _tally(form, periods, under, assignments, by_child=False)
    return [(period, found.get((None, period.start), (Tally(), None))[0]) for period in periods]


def last_due_period(form: ReportForm, today: datetime.date) -> Period:
    """The latest period of the form whose due day has passed (the default of the completeness page)."""
    period = Period.containing(form.period_type, today).previous()
    while period.deadline(form.deadline_days) >= today:
        period = period.previous()
    return period


# --- the units that have not reported ---------------------------------------------------------------------


def missing_units(
    form: ReportForm,
    period: Period,
    under: OrgUnit | None,
    *,
    assignments: list[FormAssignment] | None = None,
) -> QuerySet:
    """Expected units whose report has not reached the centre (none, or a draft), in tree order, with
    `report_id` / `report_status` of a draft and `reminded_at` of the reminder sent about it."""
    assignments = assignments_of(form) if assignments is None else assignments
    reports = Report.objects.filter(form=form, period_start=period.start, unit=OuterRef("pk"))
    reminders = Reminder.objects.filter(form=form, period_start=period.start, unit=OuterRef("pk"))
    units = OrgUnit.objects.filter(_assigned(assignments), _open_during(period))
    if under is not None:
        units = units.filter(in_subtree("path", under.path))
    return (
        units.filter(Q(archived_at__isnull=True) | Exists(reports))
        .exclude(Exists(reports.filter(status__in=SENT)))
        .annotate(
            report_id=Subquery(reports.values("pk")[:1]),
            report_status=Subquery(reports.values("status")[:1]),
            reminded_at=Subquery(reminders.values("sent_at")[:1]),
        )
        .order_by("path")
    )


def overdue_units(
    form: ReportForm,
    period: Period,
    under: OrgUnit | None,
    *,
    today: datetime.date,
    assignments: list[FormAssignment] | None = None,
) -> QuerySet:
    """The missing units once the due day has passed (none before it); add contacts with `with_contacts`."""
    if period.deadline(form.deadline_days) >= today:
        return OrgUnit.objects.none()
    return missing_units(form, period, under, assignments=assignments)


@dataclass
class Person:
    name: str
    email: str
    language: str


@dataclass
class UnitContacts:
    unit: OrgUnit
    librarians: list[Person] = field(default_factory=list)
    methodologists: list[Person] = field(default_factory=list)


def _language(user) -> str:
    """The language the user reads mail in: their own when the user model keeps one, else the default."""
    chosen = getattr(user, "language", "") or ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _ancestor_paths(paths: Iterable[str]) -> set[str]:
    return {path[:end] for path in paths for end in range(OrgUnit.steplen, len(path) + 1, OrgUnit.steplen)}


def with_contacts(units: Sequence[OrgUnit]) -> list[UnitContacts]:
    """The units with the people to tell (one query): librarians and methodologists whose role is on
    the unit or above it (a librarian of a library answers for its online centre too)."""
    roles = (
        Role.objects.filter(
            unit__path__in=_ancestor_paths(unit.path for unit in units),
            kind__in=[RoleKind.LIBRARIAN, RoleKind.METHODOLOGIST],
            user__is_active=True,
        )
        .select_related("user", "unit")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    roles = list(roles) if units else []
    result = []
    for unit in units:
        contacts = UnitContacts(unit)
        seen: set[tuple[str, int]] = set()
        for role in roles:
            if not unit.path.startswith(role.unit.path) or (role.kind, role.user_id) in seen:
                continue
            seen.add((role.kind, role.user_id))
            user = role.user
            person = Person(user.get_full_name() or user.username, user.email, _language(user))
            if role.kind == RoleKind.LIBRARIAN:
                contacts.librarians.append(person)
            else:
                contacts.methodologists.append(person)
        result.append(contacts)
    return result


# --- reminders -------------------------------------------------------------------------------------------


@dataclass
class ReminderSummary:
    units: int = 0  # units reminded in this run
    sent: int = 0  # messages sent
    failed: int = 0  # messages that could not be sent


@dataclass
class _Overdue:
    form: ReportForm
    period: Period
    due: datetime.date
    contacts: UnitContacts
    report_id: int | None


def _claim(form: ReportForm, unit: OrgUnit, period: Period) -> Reminder | None:
    """Record the reminder before the mail goes (the unique constraint makes it once); None if told."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(form=form, unit=unit, period_start=period.start)
    except IntegrityError:
        return None


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _unit_message(item: _Overdue, base_url: str, recipients: list[str]) -> EmailMessage:
    if item.report_id:
        link = base_url + reverse("reporting:report_detail", args=[item.report_id])
    else:
        link = base_url + reverse("reporting:my_reports")
    names = {
        "form": item.form.name,
        "unit": item.contacts.unit.name,
        "period": item.period.label(),
        "due": _date(item.due),
    }
    subject = _("Report overdue: %(form)s, %(period)s") % names
    body = _(
        "The report “%(form)s” of “%(unit)s” for %(period)s was due on %(due)s and has not been "
        "submitted yet.\n\nPlease fill it in and submit it:\n%(link)s\n\n"
        "If you have already sent it another way, tell your methodologist."
    ) % {**names, "link": link}
    return EmailMessage(subject, body, to=recipients)


def _digest_message(items: list[_Overdue], base_url: str, email: str) -> EmailMessage:
    subject = _("Overdue reports in your part of the network: %(count)s") % {"count": len(items)}
    lines = [_("These reports are overdue; their units have been reminded by e-mail.")]
    current = None
    for item in items[:DIGEST_LINES]:
        if (item.form.pk, item.period.start) != current:
            current = (item.form.pk, item.period.start)
            link = (
                base_url
                + reverse("reporting:completeness")
                + f"?form={item.form.pk}&period={item.period.code}"
            )
            lines += [
                "",
                _("%(form)s, %(period)s (due %(due)s): %(link)s")
                % {
                    "form": item.form.name,
                    "period": item.period.label(),
                    "due": _date(item.due),
                    "link": link,
                },
            ]
        unit = item.contacts.unit
        contacts = ", ".join(filter(None, [unit.phone, unit.email]))
        lines.append(f"— {unit.name}" + (f" ({contacts})" if contacts else ""))
    if len(items) > DIGEST_LINES:
        lines += ["", _("…and %(count)s more.") % {"count": len(items) - DIGEST_LINES}]
    return EmailMessage(subject, "\n".join(lines), to=[email])


def _send(connection, message: EmailMessage, what: str) -> bool:
    try:
        connection.send_messages([message])
    except Exception:  # one bad address or a server hiccup must not stop the others
        log.exception("Could not send the overdue report reminder %s", what)
        return False
    return True


def overdue_reminders_send(*, now: datetime.datetime, base_url: str) -> ReminderSummary:
    """Tell each unit that has not submitted a report of an open form, once per (form, unit, period),
    for the last `REMINDED_PERIODS` periods whose due day has passed; then send each methodologist
    covering those units one digest of them.

    The unit's librarians get the mail (the unit's own address when none of them has one), each in
    their language. The reminder is recorded (`Reminder`) before the mail goes, so a second run sends
    nothing; a unit whose mail failed is released for the next run and left out of the digests.
    """
    today = timezone.localdate(now)
    summary = ReminderSummary()
    # A system job without a user: every form and unit of the installation, no scope applies.
    claimed: list[tuple[ReportForm, Period, OrgUnit]] = []
    for form in ReportForm.objects.filter(is_open=True).order_by("order", "code"):
        assignments = assignments_of(form)
        if not assignments:
            continue
        last = last_due_period(form, today)
        for period in [last.shift(-age) for age in range(REMINDED_PERIODS)]:
            if form.entry_closed_before and period.end < form.entry_closed_before:
                continue
            for unit in missing_units(form, period, None, assignments=assignments).filter(
                reminded_at__isnull=True
            ):
                if _claim(form, unit, period):
                    claimed.append((form, period, unit))
    if not claimed:
        return summary

    contacts = with_contacts([unit for _form, _period, unit in claimed])
    connection = get_connection()
    told: list[_Overdue] = []
    for (form, period, unit), unit_contacts in zip(claimed, contacts, strict=True):
        item = _Overdue(form, period, period.deadline(form.deadline_days), unit_contacts, unit.report_id)
        by_language: dict[str, list[str]] = {}
        for person in unit_contacts.librarians:
            if person.email:
                by_language.setdefault(person.language, []).append(person.email)
        if not by_language and unit.email:
            by_language[settings.LANGUAGE_CODE] = [unit.email]
        delivered = True
        for language, recipients in sorted(by_language.items()):
            with translation.override(language):
                message = _unit_message(item, base_url, sorted(set(recipients)))
            if _send(connection, message, f"of unit {unit.pk}, form {form.pk}, {period.code}"):
                summary.sent += 1
            else:
                summary.failed += 1
                delivered = False
        if not delivered:
            Reminder.objects.filter(form=form, unit=unit, period_start=period.start).delete()
            continue
        summary.units += 1
        told.append(item)

    digests: dict[str, tuple[str, list[_Overdue]]] = {}
    for item in told:
        for person in item.contacts.methodologists:
            if person.email:
                digests.setdefault(person.email, (person.language, []))[1].append(item)
    for email, (language, items) in sorted(digests.items()):
        with translation.override(language):
            message = _digest_message(items, base_url, email)
        if _send(connection, message, f"digest to {email}"):
            summary.sent += 1
        else:
            summary.failed += 1
    return summary
