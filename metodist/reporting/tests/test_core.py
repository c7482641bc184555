"""The core of reporting: periods, rules, saving values with concurrency, the workflow, roll-ups."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import pgettext

from metodist.reporting import rules, services
from metodist.reporting.models import Indicator, ReportStatus, Value
from metodist.reporting.periods import Period, PeriodError, periods_between
from metodist.reporting.selectors import expected_units, rollup

# --- periods ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2026-W07", datetime.date(2026, 2, 9), datetime.date(2026, 2, 15)),
        ("2026-W01", datetime.date(2025, 12, 29), datetime.date(2026, 1, 4)),  # starts in the old year
        ("2020-W53", datetime.date(2020, 12, 28), datetime.date(2021, 1, 3)),  # a 53-week year
        ("2024-02", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        ("2026-Q4", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
        ("2026-H2", datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)),
        ("2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
    ],
)
def test_period_codes(code, start, end):
    period = Period.parse(code)
    assert (period.start, period.end, period.code) == (start, end, code)


def test_weeks_across_years():
    assert Period.parse("2026-W01").previous().code == "2025-W52"
    assert Period.parse("2020-W53").next().code == "2021-W01"
    # A week belongs to the month and year of its Thursday.
    assert Period.parse("2026-W01").within("month").code == "2026-01"
    assert Period.parse("2025-W01").within("year").code == "2025"  # 30.12.2024–05.01.2025
    assert Period.containing("week", datetime.date(2027, 1, 1)).code == "2026-W53"
    weeks = periods_between("week", datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    assert [w.code for w in weeks] == ["2026-W01", "2026-W02", "2026-W03", "2026-W04", "2026-W05"]


@pytest.mark.parametrize("bad", ["2026-W54", "2026-13", "2026-Q5", "2026-H3", "26", "", "2026-3"])
def test_bad_period_codes(bad):
    with pytest.raises(PeriodError):
        Period.parse(bad)


# --- rules ------------------------------------------------------------------------------------------------


def test_rules_evaluate_and_skip_missing():
    assert rules.evaluate("a >= b", {"a": 5, "b": 3}) is True
    assert rules.evaluate("a >= b * 2", {"a": 5, "b": 3}) is False
    assert rules.evaluate("a >= b", {"a": 5}) is None
    assert rules.evaluate("x.kk + x.ru == x", {"x.kk": 1, "x.ru": 2, "x": 3}) is True
    assert rules.names("x.kk + x.ru <= y / 2") == {"x.kk", "x.ru", "y"}


@pytest.mark.parametrize("bad", ["__import__('os')", "a", "a < b < c", "a and b", "a >= 'x'", "a ** 2 > 1"])
def test_rules_refuse_anything_else(bad):
    with pytest.raises(rules.RuleError):
        rules.parse_rule(bad)


# --- values and the workflow ------------------------------------------------------------------------------

WEEK = Period.parse("2025-W10")


def _fill(user, report, **values):
    return services.save_values(user=user, report=report, values=values, version=report.version)


def test_librarian_fills_and_submits(net, librarian, methodist, admin_user, oc_form):
    report = services.open_report(user=librarian, form=oc_form, unit=net.mukur_oc, period=WEEK)
    assert report.due == datetime.date(2025, 3, 12)
    report = _fill(
        librarian,
        report,
        oc_visitors="40",
        oc_sessions="25",
        **{"oc_trained.children": "3", "oc_trained.youth": "2", "oc_trained.adults": "5"},
        oc_events="1",
        oc_event_participants="55",
    )
    with pytest.raises(ValidationError) as broken:
        services.submit(user=librarian, report=report)
    assert "Участников больше, чем посетителей" in broken.value.messages
    report = _fill(librarian, report, oc_event_participants="18")
    assert services.values_of(report)["oc_trained"] == Decimal(10)  # the total is the sum of its parts
    services.submit(user=librarian, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    with pytest.raises(ValidationError):
        _fill(librarian, report, oc_visitors="41")  # locked while submitted
    with pytest.raises(PermissionDenied):
        services.accept(user=librarian, report=report)
    with pytest.raises(ValidationError):
        services.return_report(user=admin_user, report=report, comment="  ")
    # The Beskaragay methodologist does not cover Mukur (Abay district).
    with pytest.raises(PermissionDenied):
        services.accept(user=methodist, report=report)
    services.return_report(user=admin_user, report=report, comment="Проверьте число сеансов")
    report = _fill(librarian, report, oc_sessions="30")
    services.submit(user=librarian, report=report)
    services.accept(user=admin_user, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    with pytest.raises(ValidationError):
        services.reopen(user=admin_user, report=report, reason="")
    services.reopen(user=admin_user, report=report, reason="Уточнены данные")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    reasons = [h.history_change_reason for h in report.history.order_by("history_date")]
    expected = [pgettext("report history", "submitted"), pgettext("report history", "accepted")]
    expected.append(pgettext("report history", "reopened: %(reason)s") % {"reason": "Уточнены данные"})
    assert reasons[-3:] == expected


def test_bad_values_name_each_field_and_write_nothing(net, librarian, oc_form):
    report = services.open_report(user=librarian, form=oc_form, unit=net.mukur_oc, period=WEEK)
    with pytest.raises(ValidationError) as wrong:
        _fill(librarian, report, oc_visitors="сорок", oc_sessions="-3", oc_events="1.5", nonsense="1")
    errors = wrong.value.message_dict
    assert set(errors) == {"oc_visitors", "oc_sessions", "oc_events", "nonsense"}
    assert Value.objects.count() == 0


def test_concurrent_edits_conflict_with_both_values(net, librarian, admin_user, oc_form):
    report = services.open_report(user=librarian, form=oc_form, unit=net.mukur_oc, period=WEEK)
    seen = report.version
    _fill(admin_user, report, oc_visitors="40")
    with pytest.raises(services.ConflictError) as conflict:
        services.save_values(user=librarian, report=report, values={"oc_visitors": "35"}, version=seen)
    assert conflict.value.conflicts == {"oc_visitors": {"yours": "35", "theirs": Decimal(40)}}
    # Per-field autosave: a field nobody else touched saves even though the report moved on.
    services.save_values(
        user=librarian, report=report, values={"oc_sessions": "9"}, expected={"oc_sessions": None}
    )
    assert services.values_of(report) == {"oc_visitors": Decimal(40), "oc_sessions": Decimal(9)}


def test_outsider_and_closed_periods(net, outsider, librarian, oc_form):
    with pytest.raises(PermissionDenied):
        services.open_report(user=outsider, form=oc_form, unit=net.mukur_oc, period=WEEK)
    with pytest.raises(ValidationError):  # a library does not report the online-centre form
        services.open_report(user=librarian, form=oc_form, unit=net.mukur, period=WEEK)
    oc_form.entry_closed_before = datetime.date(2025, 6, 1)
    oc_form.save()
    with pytest.raises(ValidationError):
        services.open_report(user=librarian, form=oc_form, unit=net.mukur_oc, period=WEEK)


def test_expected_units_follow_opening_and_closing(net, oc_form):
    assert set(expected_units(oc_form, WEEK, net.region)) == {net.mukur_oc, net.beskaragay_oc}
    net.beskaragay_oc.closed_on = datetime.date(2025, 1, 31)
    net.beskaragay_oc.save()
    assert set(expected_units(oc_form, WEEK, net.region)) == {net.mukur_oc}
    assert set(expected_units(oc_form, Period.parse("2025-W02"), net.region)) == {
        net.mukur_oc,
        net.beskaragay_oc,
    }


# --- roll-ups ---------------------------------------------------------------------------------------------


def _monthly(admin, form, unit, month, **values):
    report = services.open_report(user=admin, form=form, unit=unit, period=Period.parse(month))
    return _fill(admin, report, **values)


def test_rollup_rules_against_independent_sums(net, admin_user, lib_form):
    figures = {
        (net.mukur, "2025-01"): (100, 10, 1000, "0.5"),
        (net.mukur, "2025-02"): (120, 12, 1010, "0.7"),
        (net.kainar, "2025-01"): (80, 8, 500, "0.2"),
        (net.kanonerka, "2025-02"): (60, 6, 700, "0.9"),
    }
    for (unit, month), (visits, children, stock, share) in figures.items():
        _monthly(
            admin_user,
            lib_form,
            unit,
            month,
            lib_visits=visits,
            lib_stock=stock,
            lib_share=share,
            **{"lib_users.children": children, "lib_users.adults": children * 2},
        )
    first, last = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
    visits = Indicator.objects.get(code="lib_visits")
    assert rollup(visits, under=net.region, first=first, last=last)[0].value == 360
    by_district = {
        row.unit_path: row.value
        for row in rollup(visits, under=net.region, first=first, last=last, by_unit=True)
    }
    assert by_district == {net.abay.path: 300, net.beskaragay.path: 60}
    by_month = [
        (row.period_start, row.value)
        for row in rollup(visits, under=net.abay, first=first, last=last, by_period="month")
    ]
    assert by_month == [(datetime.date(2025, 1, 1), 180), (datetime.date(2025, 2, 1), 120)]
    # "last": each library's latest stock, summed over libraries: Mukur 1010 + Kainar 500 + Kanonerka 700.
    stock = Indicator.objects.get(code="lib_stock")
    assert rollup(stock, under=net.region, first=first, last=last)[0].value == 2210
    # A split indicator's total is the sum of its parts: (10+12+8+6) × 3.
    users = Indicator.objects.get(code="lib_users")
    assert rollup(users, under=net.region, first=first, last=last)[0].value == 108
    share = Indicator.objects.get(code="lib_share")
    assert rollup(share, under=net.region, first=first, last=last)[0].value == Decimal("0.575")


def test_value_paths_follow_a_moved_unit(net, admin_user, lib_form):
    from metodist.network.services import unit_move

    _monthly(admin_user, lib_form, net.kanonerka, "2025-02", lib_visits=60, **{"lib_users.adults": 5})
    unit_move(user=admin_user, unit=net.kanonerka, new_parent=net.abay)
    net.kanonerka.refresh_from_db()
    assert set(Value.objects.values_list("unit_path", flat=True)) == {net.kanonerka.path}
