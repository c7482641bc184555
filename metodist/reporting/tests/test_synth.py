"""`metodist synth`: a tiny synthetic country (30 libraries, one year) built, rebuilt and checked."""

import datetime
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test import Client

from metodist.accounts.models import ApiToken, RoleKind
from metodist.core.testing.factories import RoleFactory, UserFactory
from metodist.demo.synthetic import MIN_TOTAL
from metodist.network.models import OrgUnit, UnitKind
from metodist.reporting import services
from metodist.reporting.models import Report, ReportStatus, Value
from metodist.reporting.selectors import in_subtree
from metodist.reporting.synth import libraries_in, synth_build, total_for

TODAY = datetime.date(2026, 3, 15)  # the months are 2025-03 … 2026-02


def _build(seed=2013, **options):
    return synth_build(libraries=30, years=1, seed=seed, today=TODAY, **options)


def _fingerprint(root) -> dict:
    """Every report of the synthetic country: its status and its values."""
    reports = {
        pk: (form, unit, start, status)
        for pk, form, unit, start, status in Report.objects.filter(
            in_subtree("unit__path", root.path)
        ).values_list("pk", "form__code", "unit__code", "period_start", "status")
    }
    values: dict[int, set] = {pk: set() for pk in reports}
    for report_id, indicator, category, number in Value.objects.filter(report_id__in=reports).values_list(
        "report_id", "indicator__code", "category__code", "number"
    ):
        values[report_id].add((indicator, category, number))
    return {key: frozenset(values[pk]) for pk, key in reports.items()}


def _forget(root) -> None:
    """Drop the synthetic reports (raw SQL: thousands of rows, no history to write)."""
    low, high = root.path, root.path + "~"
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Value._meta.db_table} WHERE unit_path >= %s AND unit_path < %s",  # noqa: S608
            [low, high],
        )
    Report.objects.filter(in_subtree("unit__path", root.path)).delete()


def test_the_size_of_the_network_is_the_smallest_with_enough_libraries():
    assert total_for(1) == MIN_TOTAL  # every region has a district, a village and a library
    for libraries in (30, 500, 4000):
        total = total_for(libraries)
        assert libraries_in(total) >= libraries
        assert libraries_in(total - 1) < libraries


def test_a_tiny_synth_builds_thirty_libraries_with_a_year_of_reports(db):
    summary = _build()
    root = summary.root
    units = OrgUnit.objects.filter(in_subtree("path", root.path))
    assert units.count() == summary.units == total_for(30)
    assert units.filter(kind__in=[UnitKind.LIBRARY, UnitKind.SCHOOL_LIBRARY]).count() == 30
    centres = units.filter(kind=UnitKind.ONLINE_CENTRE).count()
    assert summary.online_centres == centres > 0
    assert (summary.first.code, summary.last.code) == ("2025-03", "2026-02")

    monthly = Report.objects.filter(in_subtree("unit__path", root.path), form__code="lib_monthly")
    weekly = Report.objects.filter(in_subtree("unit__path", root.path), form__code="oc_weekly")
    # Reports go missing only in the last three months; every older month has all thirty.
    per_month = Counter(monthly.values_list("period_start", flat=True))
    assert len(per_month) == 12
    assert all(per_month[datetime.date(2025, month, 1)] == 30 for month in range(3, 12))
    assert 30 * 9 < monthly.count() <= 30 * 12
    # Weeks whose Thursday falls in the twelve months: 2025-W10 (Thursday 6 March) to 2026-W09.
    weeks = sorted(set(weekly.values_list("period_start", flat=True)))
    assert weeks[0] == datetime.date(2025, 3, 3) and weeks[-1] == datetime.date(2026, 2, 23)
    assert len(weeks) == 52
    assert weekly.count() <= centres * 52
    assert summary.reports == monthly.count() + weekly.count()

    statuses = Counter(monthly.values_list("status", flat=True))
    assert statuses[ReportStatus.ACCEPTED] > monthly.count() * 0.8  # accepted mostly

    values = Value.objects.filter(in_subtree("unit_path", root.path))
    assert values.count() == summary.values
    # A monthly report sends 12 figures, 14 with a website; a draft fewer.
    per_report = Counter(values.filter(report__form__code="lib_monthly").values_list("report_id", flat=True))
    accepted = set(monthly.filter(status=ReportStatus.ACCEPTED).values_list("pk", flat=True))
    assert {per_report[pk] for pk in accepted} <= {12, 14}
    # The copies a roll-up reads agree with the report.
    assert not values.exclude(unit_path=F("report__unit__path")).exists()
    assert not values.exclude(ref_date=F("report__ref_date")).exists()
    assert not values.exclude(period_type=F("report__period_type")).exists()
    assert not values.exclude(unit_id=F("report__unit_id")).exists()


def test_the_synthetic_figures_pass_the_rules_of_their_forms(db):
    root = _build().root
    reports = Report.objects.filter(
        in_subtree("unit__path", root.path), status=ReportStatus.ACCEPTED
    ).order_by("unit__path", "period_start")
    checked = 0
    for report in list(reports.filter(form__code="lib_monthly")[:20]) + list(
        reports.filter(form__code="oc_weekly")[:10]
    ):
        errors = [issue for issue in services.check_report(report) if issue.is_error]
        assert errors == [], (report, errors)
        checked += 1
    assert checked == 30


def test_the_same_seed_builds_the_same_reports_and_another_seed_other_ones(db):
    root = _build(seed=7).root
    first = _fingerprint(root)
    assert len(first) > 400
    _forget(root)
    assert _build(seed=7).reports == len(first)
    assert _fingerprint(root) == first
    _forget(root)
    _build(seed=8)
    other = _fingerprint(root)
    assert other != first
    assert len(set(other.values()) & set(first.values())) < len(first) / 10


def _constraints(model) -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, model._meta.db_table)


def test_the_bulk_load_leaves_the_indexes_and_keys_as_it_found_them(db):
    before = {model: _constraints(model) for model in (Report, Value)}
    assert "value_rollup_idx" in before[Value]
    _build()
    assert {model: _constraints(model) for model in (Report, Value)} == before


def test_a_second_run_adds_nothing(db):
    first = _build()
    counts = (Report.objects.count(), Value.objects.count())
    again = _build()
    assert again.root == first.root
    assert (again.reports, again.values) == (0, 0)
    assert (Report.objects.count(), Value.objects.count()) == counts


def test_a_second_run_with_more_years_adds_only_the_older_months(db):
    _build()
    monthly = Report.objects.filter(form__code="lib_monthly")
    recent = set(monthly.values_list("unit_id", "period_start", "status"))
    summary = synth_build(libraries=30, years=2, today=TODAY)
    assert summary.first.code == "2024-03"
    assert summary.reports > 0
    # The year already there is untouched, and the year before it is complete.
    assert recent <= set(monthly.values_list("unit_id", "period_start", "status"))
    assert monthly.filter(period_start__lt=datetime.date(2025, 3, 1)).count() == 30 * 12


def test_the_synthetic_figures_roll_up_by_region_through_the_api(db):
    root = _build().root
    user = UserFactory(username="nation")
    RoleFactory(user=user, unit=root, kind=RoleKind.ADMINISTRATOR)
    _token, key = ApiToken.issue(user, name="test")
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(
        "/api/v1/values",
        {"indicator": "lib_visits", "under": root.pk, "period_from": "2025", "group_by": "unit"},
    )
    assert answer.status_code == 200, answer.content
    by_region: Counter = Counter()
    for path, number in Value.objects.filter(
        in_subtree("unit_path", root.path),
        indicator__code="lib_visits",
        ref_date__year=2025,
    ).values_list("unit_path", "number"):
        by_region[path[: len(root.path) + OrgUnit.steplen]] += number
    regions = dict(
        OrgUnit.objects.filter(in_subtree("path", root.path), kind=UnitKind.REGION).values_list("path", "pk")
    )
    expected = {regions[path]: total for path, total in by_region.items()}
    got = {item["unit"]: Decimal(item["value"]) for item in answer.json()["items"]}
    assert got == expected
    assert len(got) == 17


def test_the_command_builds_and_says_what_it_added(db):
    out = io.StringIO()
    call_command("synth", "--libraries", "30", "--years", "1", stdout=out)
    text = out.getvalue()
    assert str(Report.objects.count()) in text and str(Value.objects.count()) in text
    counts = (Report.objects.count(), Value.objects.count())
    again = io.StringIO()
    call_command("synth", "--libraries", "30", "--years", "1", stdout=again)
    assert (Report.objects.count(), Value.objects.count()) == counts
    assert str(counts[1]) not in again.getvalue()  # nothing added this time
    with pytest.raises(CommandError):
        call_command("synth", "--libraries", "0", "--years", "1", stdout=io.StringIO())
