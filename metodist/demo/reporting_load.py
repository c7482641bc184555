"""Writes the demo's reports: the shipped definitions and two years of reports of the whole network.

    load_reporting()   # install_definitions(), then every missing report of the last two years

For each shipped form, the periods are the last 104 finished weeks, the last 24 finished months (before
the anchor month of `events_load.anchor_month`) and the last 2 finished years; the units are the form's
`expected_units` in each period. The values and the fate of each report come from `reporting_data`
(seeded by unit and period), so a rerun finds every report already there and adds nothing, and a run a
month later adds only the new month's reports. Reports and values are written in bulk (reports with
their history row, values without: a demo's figures have no earlier versions to keep).
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from metodist.demo import reporting_data as data
from metodist.demo.events_load import anchor_month
from metodist.network.models import InternetConnection, LibraryPassport, OrgUnit, UnitKind
from metodist.reporting.definitions import FORMS, REGION_CODE, install_definitions
from metodist.reporting.models import Report, ReportForm, ReportStatus, Value, ValueType
from metodist.reporting.periods import Period, PeriodType
from metodist.reporting.selectors import expected_units
from metodist.reporting.services import field_specs

HISTORY = {PeriodType.WEEK: 104, PeriodType.MONTH: 24, PeriodType.YEAR: 2}
STATUS = {
    data.DRAFT: ReportStatus.DRAFT,
    data.SUBMITTED: ReportStatus.SUBMITTED,
    data.ACCEPTED: ReportStatus.ACCEPTED,
    data.RETURNED: ReportStatus.RETURNED,
}
# The librarian of the demo reports for her library and its online centre; the others' reports are
# typed in by a methodologist who takes them over the phone, so their sender stays unnamed.
SENDERS = {"MUK-LIB": "mukur", "MUK-OC": "mukur"}
REVIEWER = "methodist"


def finished_periods(period_type: str, today: datetime.date) -> list[Period]:
    """The finished periods of the demo, newest first."""
    anchor = today if period_type == PeriodType.WEEK else anchor_month(today)
    latest = Period.containing(period_type, anchor).previous()
    return [latest.shift(-age) for age in range(HISTORY[period_type])]


def _moment(day: datetime.date, seed: int) -> datetime.datetime:
    hour, minute = 9 + seed % 9, (seed * 7) % 60
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone())


@dataclass
class _Network:
    region: OrgUnit
    shares: dict[str, float]  # path of a child of the region -> Kazakh share
    passports: dict[tuple[int, int], LibraryPassport]
    users: dict[str, object]

    def kazakh_share(self, unit: OrgUnit) -> float:
        return self.shares.get(
            unit.path[: len(self.region.path) + OrgUnit.steplen], data.DEFAULT_KAZAKH_SHARE
        )

    def premises(self, unit: OrgUnit, year: int, profile: data.LibraryProfile) -> data.Premises:
        passport = self.passports.get((unit.pk, year))
        if passport is None:
            years = sorted(y for unit_id, y in self.passports if unit_id == unit.pk)
            if not years:
                return data.assumed_premises(profile)
            passport = self.passports[(unit.pk, min(years, key=lambda y: abs(y - year)))]
        assumed = data.assumed_premises(profile)
        return data.Premises(
            floor_area=passport.floor_area or assumed.floor_area,
            computers=passport.computers,
            internet=passport.internet != InternetConnection.NONE,
        )


def _network(region: OrgUnit) -> _Network:
    children = OrgUnit.objects.filter(path__startswith=region.path, depth=region.depth + 1)
    shares = {unit.path: data.KAZAKH_SHARE.get(unit.code, data.DEFAULT_KAZAKH_SHARE) for unit in children}
    passports = {
        (p.unit_id, p.year): p
        for p in LibraryPassport.objects.filter(
            unit__path__startswith=region.path, unit__kind=UnitKind.LIBRARY
        )
    }
    usernames = {*SENDERS.values(), REVIEWER}
    users = {user.username: user for user in get_user_model().objects.filter(username__in=usernames)}
    return _Network(region, shares, passports, users)


def _values(form: ReportForm, unit: OrgUnit, period: Period, network: _Network) -> dict:
    if form.code == "oc_weekly":
        profile = data.centre_profile(unit.code, unit.population_served)
        return data.weekly_values(profile, period.start, period.code)
    profile = data.library_profile(
        unit.code, unit.library_type, unit.population_served, unit.staff_rate, network.kazakh_share(unit)
    )
    if form.code == "lib_monthly":
        return data.monthly_values(profile, period.year, period.number)
    return data.annual_values(profile, period.year, network.premises(unit, period.year, profile))


def _load_form(form: ReportForm, network: _Network, today: datetime.date, created: Counter) -> None:
    version = form.current_version()
    if version is None:
        return
    specs = field_specs(version)
    periods = finished_periods(form.period_type, today)
    have = set(
        Report.objects.filter(form=form, period_start__in=[p.start for p in periods]).values_list(
            "unit_id", "period_start"
        )
    )
    reviewer = network.users.get(REVIEWER)
    reports: list[Report] = []
    pending: list[tuple[Report, dict]] = []
    for age, period in enumerate(periods):
        due = period.deadline(form.deadline_days)
        for unit in expected_units(form, period, network.region).order_by("path"):
            if (unit.pk, period.start) in have:
                continue
            plan = data.plan_report(
                form.code, form.period_type, unit.code, period.code, age, end=period.end, due=due, today=today
            )
            if plan.status == data.MISSING:
                continue
            values = _values(form, unit, period, network)
            if plan.partial:
                values = data.draft_values(form.code, values, unit.code, period.code)
            sender = network.users.get(SENDERS.get(unit.code, ""))
            seed = sum(map(ord, f"{unit.code}{period.code}"))
            report = Report(
                form=form,
                form_version=version,
                unit=unit,
                period_type=period.type,
                period_start=period.start,
                period_end=period.end,
                ref_date=period.ref_date,
                due=due,
                status=STATUS[plan.status],
                created_by=sender,
                submitted_at=_moment(plan.submit_day, seed) if plan.submit_day else None,
                submitted_by=sender if plan.submit_day else None,
                reviewed_at=_moment(plan.review_day, seed + 3) if plan.review_day else None,
                reviewed_by=reviewer if plan.review_day else None,
                review_comment=plan.comment,
            )
            reports.append(report)
            pending.append((report, values))
    if not reports:
        return
    bulk_create_with_history(reports, Report, batch_size=500)
    rows = []
    for report, values in pending:
        who = report.submitted_by
        for key, number in values.items():
            spec = specs.get(key)
            if spec is None or number is None:
                continue
            is_text = spec.indicator.value_type == ValueType.TEXT
            rows.append(
                Value(
                    report=report,
                    indicator=spec.indicator,
                    category_id=spec.category_id,
                    unit=report.unit,
                    unit_path=report.unit.path,
                    ref_date=report.ref_date,
                    period_type=report.period_type,
                    number=None if is_text else Decimal(number),
                    text=str(number) if is_text else "",
                    updated_by=who,
                )
            )
    Value.objects.bulk_create(rows, batch_size=2000)
    created["reports"] += len(reports)
    created["report_values"] += len(rows)


@transaction.atomic
def load_reporting(today: datetime.date | None = None) -> Counter:
    """Install the shipped definitions and add the demo network's missing reports."""
    created = Counter(install_definitions())
    region = OrgUnit.objects.filter(code=REGION_CODE).first()
    if region is None:
        return created
    today = today or timezone.localdate()
    network = _network(region)
    for form in ReportForm.objects.filter(code__in=[definition.code for definition in FORMS]):
        _load_form(form, network, today, created)
    return created
