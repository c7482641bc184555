"""Completeness and timeliness: who was expected to report, who did, on time, accepted; units that open
and close; the trend; the units that have not reported and their contacts."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from metodist.accounts.models import RoleKind
from metodist.core.testing.factories import RoleFactory, UserFactory, add_unit
from metodist.network.models import UnitKind
from metodist.reporting.completeness import (
    completeness,
    last_due_period,
    missing_units,
    overdue_units,
    trend,
    with_contacts,
)
from metodist.reporting.models import Report, ReportStatus
from metodist.reporting.periods import Period
from metodist.reporting.selectors import expected_units

ALMATY = ZoneInfo("Asia/Almaty")
FEB = Period.parse("2025-02")  # due 5 March 2025 (five days after the period)
JAN = Period.parse("2025-01")


def at(day: str, time: str = "10:00") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=ALMATY)


def report(form, unit, period, status, submitted=None) -> Report:
    return Report.objects.create(
        form=form,
        form_version=form.current_version(),
        unit=unit,
        period_type=period.type,
        period_start=period.start,
        period_end=period.end,
        ref_date=period.ref_date,
        due=period.deadline(form.deadline_days),
        status=status,
        submitted_at=submitted,
    )


@pytest.fixture
def february(net, lib_form):
    """Five libraries expected: Beskaragay accepted on time, Kanonerka submitted late, Mukur returned
    (sent on time), Kainar a draft, the regional library nothing."""
    report(lib_form, net.beskaragay_lib, FEB, ReportStatus.ACCEPTED, at("2025-03-03"))
    report(lib_form, net.kanonerka, FEB, ReportStatus.SUBMITTED, at("2025-03-10"))
    report(lib_form, net.mukur, FEB, ReportStatus.RETURNED, at("2025-03-04"))
    report(lib_form, net.kainar, FEB, ReportStatus.DRAFT)
    return lib_form


def test_the_region_counts_expected_submitted_on_time_accepted_and_missing(net, february):
    figures = completeness(february, FEB, net.region)
    total = figures.total
    assert (total.expected, total.submitted, total.on_time, total.accepted) == (5, 3, 2, 1)
    assert (total.returned, total.drafts, total.missing, total.late) == (1, 1, 2, 1)
    assert total.percent == 60 and total.on_time_percent == 40 and total.accepted_percent == 20
    assert figures.due == datetime.date(2025, 3, 5)


def test_the_rows_are_the_children_of_the_subtree_in_tree_order(net, february):
    rows = {row.unit.code: row.tally for row in completeness(february, FEB, net.region).rows}
    assert list(rows) == ["BSK", "ABY", "VKOUB"]
    assert (rows["BSK"].expected, rows["BSK"].submitted, rows["BSK"].on_time, rows["BSK"].accepted) == (
        2,
        2,
        1,
        1,
    )
    assert (rows["ABY"].expected, rows["ABY"].submitted, rows["ABY"].returned, rows["ABY"].missing) == (
        2,
        1,
        1,
        1,
    )
    assert (rows["VKOUB"].expected, rows["VKOUB"].submitted, rows["VKOUB"].missing) == (1, 0, 1)


def test_drilling_down_to_a_district_shows_its_libraries_with_their_reports(net, february):
    figures = completeness(february, FEB, net.abay)
    rows = {row.unit.code: row for row in figures.rows}
    assert list(rows) == ["MUK-LIB", "KAI-LIB"]
    assert rows["MUK-LIB"].tally.returned == 1
    assert rows["KAI-LIB"].tally.drafts == 1 and rows["KAI-LIB"].tally.missing == 1
    # A unit without children links to its report; one with children leads further down instead.
    assert rows["KAI-LIB"].report_id == Report.objects.get(unit=net.kainar).pk
    assert rows["MUK-LIB"].report_id is None
    # A library with an online centre under it can be drilled into; a district row has no single report.
    assert rows["MUK-LIB"].can_drill and not rows["KAI-LIB"].can_drill
    assert completeness(february, FEB, net.region).rows[0].report_id is None


def test_a_unit_that_reports_itself_is_its_own_first_row(net, february):
    figures = completeness(february, FEB, net.mukur)
    assert [(row.unit.code, row.is_self) for row in figures.rows] == [("MUK-LIB", True)]
    assert not figures.rows[0].can_drill
    assert figures.total.expected == 1


def test_a_report_sent_before_midnight_of_the_due_day_in_almaty_is_on_time(net, lib_form):
    report(lib_form, net.beskaragay_lib, FEB, ReportStatus.SUBMITTED, at("2025-03-05", "23:30"))
    report(lib_form, net.kanonerka, FEB, ReportStatus.SUBMITTED, at("2025-03-06", "00:30"))
    tally = completeness(lib_form, FEB, net.beskaragay).total
    assert (tally.submitted, tally.on_time, tally.late) == (2, 1, 1)


def test_each_report_is_judged_by_its_own_due_day(net, lib_form):
    extended = report(lib_form, net.beskaragay_lib, FEB, ReportStatus.SUBMITTED, at("2025-03-08"))
    extended.due = datetime.date(2025, 3, 10)  # opened when the deadline was ten days
    extended.save()
    report(lib_form, net.kanonerka, FEB, ReportStatus.SUBMITTED, at("2025-03-08"))
    tally = completeness(lib_form, FEB, net.beskaragay).total
    assert (tally.submitted, tally.on_time) == (2, 1)


def test_units_opened_after_or_closed_before_the_period_are_not_expected(net, february):
    net.kainar.closed_on = datetime.date(2025, 1, 20)
    net.kainar.save()
    add_unit(
        net.abay, code="NEW-LIB", name_ru="Новая сельская библиотека", opened_on=datetime.date(2025, 3, 1)
    )
    figures = completeness(february, FEB, net.region)
    # Kainar's draft no longer counts, the new library is not expected before March.
    assert (figures.total.expected, figures.total.drafts, figures.total.missing) == (4, 0, 1)
    assert figures.total.expected == expected_units(february, FEB, net.region).count()
    assert completeness(february, JAN, net.abay).total.expected == 2  # Kainar was still open in January
    assert completeness(february, Period.parse("2025-03"), net.abay).total.expected == 2  # Mukur + new


def test_a_closed_and_archived_unit_keeps_its_old_report_in_history(net, lib_form):
    report(lib_form, net.kainar, JAN, ReportStatus.ACCEPTED, at("2025-02-03"))
    net.kainar.closed_on = datetime.date(2025, 1, 31)
    net.kainar.archived_at = at("2025-02-10")
    net.kainar.save()
    january = completeness(lib_form, JAN, net.abay).total
    assert (january.expected, january.submitted, january.accepted) == (2, 1, 1)  # Mukur and closed Kainar
    assert completeness(lib_form, FEB, net.abay).total.expected == 1
    assert january.expected == expected_units(lib_form, JAN, net.abay).count()
    # An archived unit without a report for the period is not expected, even if it was open then.
    net.mukur.archived_at = at("2025-02-10")
    net.mukur.save()
    assert completeness(lib_form, JAN, net.abay).total.expected == 1


def test_units_outside_the_assignment_are_not_counted(net, lib_form, oc_form):
    report(oc_form, net.mukur_oc, Period.parse("2025-W07"), ReportStatus.SUBMITTED, at("2025-02-17"))
    weekly = completeness(oc_form, Period.parse("2025-W07"), net.region).total
    assert (weekly.expected, weekly.submitted) == (2, 1)  # the two online centres only
    assert completeness(lib_form, FEB, net.region).total.submitted == 0


def test_the_trend_gives_each_of_the_last_periods(net, february):
    for unit in (net.beskaragay_lib, net.kanonerka, net.mukur, net.kainar, net.regional):
        report(february, unit, JAN, ReportStatus.ACCEPTED, at("2025-02-04"))
    history = trend(february, net.region, last=FEB, count=3)
    assert [period.code for period, _tally in history] == ["2024-12", "2025-01", "2025-02"]
    assert [tally.percent for _period, tally in history] == [0, 100, 60]
    assert [tally.expected for _period, tally in history] == [5, 5, 5]


def test_the_latest_period_due_is_the_last_one_whose_due_day_has_passed(lib_form, oc_form):
    assert last_due_period(lib_form, datetime.date(2025, 3, 5)).code == "2025-01"
    assert last_due_period(lib_form, datetime.date(2025, 3, 6)).code == "2025-02"
    # Weekly, three days: week 9 (24 Feb – 2 Mar) is due on 5 March.
    assert last_due_period(oc_form, datetime.date(2025, 3, 6)).code == "2025-W09"


def test_missing_units_are_the_drafts_and_the_silent_ones_in_tree_order(net, february):
    units = list(missing_units(february, FEB, net.region))
    assert [unit.code for unit in units] == ["KAI-LIB", "VKOUB"]
    assert units[0].report_status == ReportStatus.DRAFT and units[0].report_id is not None
    assert units[1].report_id is None
    assert list(overdue_units(february, FEB, net.region, today=datetime.date(2025, 3, 5))) == []
    assert len(overdue_units(february, FEB, net.region, today=datetime.date(2025, 3, 6))) == 2


def test_contacts_name_the_librarians_above_the_unit_and_its_methodologists(net, methodist, librarian):
    net.mukur_oc.phone, net.mukur_oc.email = "+7 (72252) 2-35-53", "oc-mukur@example.kz"
    net.mukur_oc.save()
    district = UserFactory(username="abay-methodist", first_name="Сауле", last_name="Нурланова")
    RoleFactory(user=district, unit=net.abay, kind=RoleKind.METHODOLOGIST)
    mukur_oc, kanonerka = with_contacts([net.mukur_oc, net.kanonerka])
    assert [person.email for person in mukur_oc.librarians] == ["mukur@example.kz"]
    assert [person.name for person in mukur_oc.methodologists] == ["Сауле Нурланова"]
    assert mukur_oc.unit.email == "oc-mukur@example.kz"
    assert kanonerka.librarians == [] and [p.email for p in kanonerka.methodologists] == [
        "methodist@example.kz"
    ]


def test_a_large_subtree_is_counted_without_a_query_per_unit(net, lib_form, django_assert_max_num_queries):
    district = add_unit(net.region, code="GLU", name_ru="Глубоковский район", kind=UnitKind.DISTRICT)
    for number in range(12):
        library = add_unit(district, code=f"GLU-{number}", name_ru=f"Библиотека {number}")
        if number % 3:
            report(lib_form, library, FEB, ReportStatus.ACCEPTED, at("2025-03-01"))
    with django_assert_max_num_queries(5):  # assignments, due days, units, reports, the child units
        figures = completeness(lib_form, FEB, net.region)
    assert {row.unit.code: row.tally.submitted for row in figures.rows}["GLU"] == 8
