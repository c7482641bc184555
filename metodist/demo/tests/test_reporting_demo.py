"""The demo holds two years of reports of the whole network: plausible, consistent with the rules,
mostly accepted, some late or missing, and the Mukur online centre's week ready for the browser test."""

import random
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Sum
from django.utils import timezone

from metodist.conftest import loaded_for_the_module
from metodist.demo.load import _ensure_passports, _ensure_units, _ensure_users
from metodist.demo.plan import build_plan
from metodist.demo.reporting_load import finished_periods, load_reporting
from metodist.reporting import services
from metodist.reporting.models import Indicator, Report, ReportForm, ReportStatus, Value
from metodist.reporting.periods import Period
from metodist.reporting.selectors import expected_units, in_subtree, rollup


def _load_network_and_reports():
    plan = build_plan()
    created = Counter()
    units = _ensure_units(plan, created)
    _ensure_users(units, created)
    _ensure_passports(plan, units, created)
    return units, load_reporting()


@pytest.fixture(scope="module")
def demo_reports(django_db_setup, django_db_blocker, module_media):
    with loaded_for_the_module(django_db_blocker, module_media, _load_network_and_reports) as loaded:
        yield loaded


@pytest.fixture
def demo(demo_reports, db):
    """The demo network, its users and passports, and the reports (without the other parts' records)."""
    return demo_reports


def _forms() -> dict[str, ReportForm]:
    return {form.code: form for form in ReportForm.objects.all()}


def test_two_years_of_reports_load_once_and_keep_their_shape(demo):
    _units, created = demo
    assert created["report_forms"] == 4 and created["reports"] > 1400 and created["report_values"] > 15_000
    counts = (Report.objects.count(), Value.objects.count(), Report.history.count())
    assert load_reporting() == Counter()
    assert (Report.objects.count(), Value.objects.count(), Report.history.count()) == counts

    forms = _forms()
    today = timezone.localdate()
    for code, periods in (("oc_weekly", 104), ("lib_monthly", 24), ("lib_annual", 2)):
        starts = Report.objects.filter(form=forms[code]).values_list("period_start", flat=True).distinct()
        assert len(set(starts)) == periods, code
        assert max(starts) < Period.containing(forms[code].period_type, today).start  # finished periods only
    # Values carry their report's unit path, day and period type (the roll-ups read Value alone).
    sample = Value.objects.select_related("report", "unit")[:: max(1, Value.objects.count() // 200)]
    for value in sample:
        report = value.report
        assert (value.unit_id, value.unit_path, value.ref_date, value.period_type) == (
            report.unit_id,
            report.unit.path,
            report.ref_date,
            report.period_type,
        )
    # Nothing outside the assignments: weekly reports from online centres, the rest from libraries.
    assert set(Report.objects.filter(form=forms["oc_weekly"]).values_list("unit__kind", flat=True)) == {
        "online_centre"
    }
    assert set(Report.objects.exclude(form=forms["oc_weekly"]).values_list("unit__kind", flat=True)) == {
        "library"
    }


def test_accepted_reports_break_no_error_rule(demo):
    # The Knigonosha form is fed by the outreach demo, not loaded in this module.
    forms = {code: form for code, form in _forms().items() if code != "outreach_monthly"}
    rng = random.Random(2026)
    checked = Counter()
    for code, form in forms.items():
        accepted = list(Report.objects.filter(form=form, status=ReportStatus.ACCEPTED).order_by("pk"))
        for report in rng.sample(accepted, 15 if code != "lib_annual" else 12):
            errors = [issue for issue in services.check_report(report) if issue.is_error]
            assert errors == [], (report, [(e.message, e.detail) for e in errors])
            checked[code] += 1
    assert sum(checked.values()) == 42


def test_the_figures_add_up_across_months_years_and_the_stock(demo):
    forms = _forms()
    region = demo[0]["VKO"]
    year = Period.containing("year", timezone.localdate()).previous()  # the last finished year
    # A library that sent all twelve months: its annual figures are their sums.
    complete = (
        Report.objects.filter(form=forms["lib_monthly"], period_start__year=year.year)
        .values("unit_id")
        .annotate(n=Count("id"))
    )
    unit_id = next(row["unit_id"] for row in complete.order_by("unit_id") if row["n"] == 12)
    annual = Report.objects.get(form=forms["lib_annual"], unit_id=unit_id, period_start=year.start)
    figures = services.values_of(annual)
    months = Value.objects.filter(
        report__form=forms["lib_monthly"], unit_id=unit_id, ref_date__year=year.year, category__isnull=False
    )
    users = months.filter(indicator__code="lib_users").aggregate(total=Sum("number"))["total"]
    loans = months.filter(indicator__code="lib_loans").aggregate(total=Sum("number"))["total"]
    visits = Value.objects.filter(
        report__form=forms["lib_monthly"],
        unit_id=unit_id,
        ref_date__year=year.year,
        indicator__code="lib_visits",
    ).aggregate(total=Sum("number"))["total"]
    assert (figures["year_users"], figures["year_loans"], figures["year_visits"]) == (users, loans, visits)
    # The stock carries over from one year to the next for every library with both years.
    before = {
        r.unit_id: services.values_of(r)["stock_end"]
        for r in Report.objects.filter(form=forms["lib_annual"], period_start=year.previous().start)
    }
    carried = 0
    for report in Report.objects.filter(form=forms["lib_annual"], period_start=year.start):
        if report.unit_id in before:
            assert services.values_of(report)["stock_start"] == before[report.unit_id]
            carried += 1
    assert carried > 30
    # Plausible magnitudes: a village library has 400–900 users a year, an online centre 20–80 visitors.
    mukur = demo[0]["MUK-LIB"]
    year_users = Indicator.objects.get(code="year_users")
    mukur_users = rollup(year_users, under=mukur, first=year.start, last=year.end)[0].value
    assert 400 <= mukur_users <= 900
    weekly = Value.objects.filter(indicator__code="oc_visitors").values_list("number", flat=True)
    assert min(weekly) >= 12 and max(weekly) <= 80 and 25 <= sum(weekly) / len(weekly) <= 60
    # Summer: children register less than in the autumn.
    children = Value.objects.filter(
        in_subtree("unit_path", region.path), indicator__code="lib_users", category__code="children"
    )
    july = children.filter(ref_date__month=7).aggregate(total=Sum("number"))["total"]
    october = children.filter(ref_date__month=10).aggregate(total=Sum("number"))["total"]
    assert july < october / Decimal(2)


def test_statuses_lateness_and_missing_reports_show_something_real(demo):
    units, _created = demo
    forms = _forms()
    today = timezone.localdate()
    statuses = Counter(Report.objects.values_list("status", flat=True))
    assert statuses[ReportStatus.ACCEPTED] > 0.85 * sum(statuses.values())
    for status in (ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.DRAFT):
        assert statuses[status] > 0, status
    assert not Report.objects.filter(status=ReportStatus.RETURNED, review_comment="").exists()
    assert not Report.objects.filter(status=ReportStatus.ACCEPTED, reviewed_at__isnull=True).exists()
    assert not Report.objects.filter(submitted_at__date__gt=today).exists()
    late = [
        r
        for r in Report.objects.filter(submitted_at__isnull=False)
        if timezone.localdate(r.submitted_at) > r.due
    ]
    assert 0.05 < len(late) / Report.objects.filter(submitted_at__isnull=False).count() < 0.2

    monthly = forms["lib_monthly"]
    region = units["VKO"]
    expected = missing = 0
    missing_units = set()
    for period in finished_periods("month", today)[:3]:
        due_units = set(expected_units(monthly, period, region))
        have = set(
            Report.objects.filter(form=monthly, period_start=period.start).values_list("unit", flat=True)
        )
        expected += len(due_units)
        missing += len({u.pk for u in due_units} - have)
        missing_units |= {u.path for u in due_units if u.pk not in have}
    assert 0.03 <= missing / expected <= 0.1
    beskaragay = units["BSK"]
    assert any(path.startswith(beskaragay.path) for path in missing_units)


def test_the_mukur_online_centre_waits_for_the_browser_test(demo):
    units, _created = demo
    form = _forms()["oc_weekly"]
    centre = units["MUK-OC"]
    this_week = Period.containing("week", timezone.localdate())
    assert not Report.objects.filter(form=form, unit=centre, period_start=this_week.start).exists()
    draft = Report.objects.get(form=form, unit=centre, period_start=this_week.previous().start)
    assert draft.status == ReportStatus.DRAFT
    values = services.values_of(draft)
    assert set(values) == {"oc_visitors", "oc_sessions", "oc_egov_services"}
    issues = services.check_report(draft)
    assert [i for i in issues if i.detail] == []  # no rule broken by what is filled in
    assert [i.keys for i in issues if i.is_error] == [
        [
            "oc_consultations",
            "oc_trained.children",
            "oc_trained.youth",
            "oc_trained.adults",
            "oc_events",
            "oc_event_participants",
        ]
    ]
    librarian = get_user_model().objects.get(username="mukur")
    opened = services.open_report(user=librarian, form=form, unit=centre, period=this_week)
    assert opened.status == ReportStatus.DRAFT and opened.form_version == form.current_version()
    older = Report.objects.filter(form=form, unit=centre, period_start__lt=this_week.previous().start)
    assert older.filter(status=ReportStatus.ACCEPTED).count() > 90
    assert older.filter(submitted_by=librarian).count() == older.exclude(submitted_at=None).count()
