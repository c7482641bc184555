"""Libraries not visited for more than N months, and the yearly plan by month."""

import datetime

from metodist.assistance import visits
from metodist.assistance.models import FieldVisit, VisitStatus


def _visit(net, units, end, status=VisitStatus.DONE):
    visit = FieldVisit.objects.create(
        start=end, end=end, organiser_unit=net.method_dept, purpose="Методическая помощь", status=status
    )
    visit.destinations.set(units)
    return visit


def test_it_lists_libraries_whose_last_done_visit_is_older_than_n_months(net, admin_user):
    _visit(net, [net.mukur], datetime.date(2025, 5, 10))
    _visit(net, [net.mukur], datetime.date(2024, 1, 10))
    _visit(net, [net.kainar], datetime.date(2024, 3, 1))
    _visit(net, [net.kanonerka], datetime.date(2025, 6, 1), status=VisitStatus.PLANNED)
    units = visits.units_not_visited(admin_user, months=6, today=datetime.date(2025, 6, 15))
    rows = {u.code: u.last_visit for u in units}
    assert "MUK-LIB" not in rows
    assert rows["KAI-LIB"] == datetime.date(2024, 3, 1)
    assert rows["KAN-LIB"] is None  # only planned, never done
    assert "BSK" not in rows  # a district is not a library


def test_the_list_stays_within_the_users_scope(net, methodist):
    units = visits.units_not_visited(methodist, months=6, today=datetime.date(2025, 6, 15))
    assert {u.code for u in units} == {"BSK-LIB", "KAN-LIB"}


def test_months_ago_keeps_the_end_of_a_short_month():
    assert visits.months_ago(datetime.date(2025, 3, 31), 1) == datetime.date(2025, 2, 28)
    assert visits.months_ago(datetime.date(2025, 1, 15), 12) == datetime.date(2024, 1, 15)


def test_the_yearly_plan_groups_visits_by_month(net, admin_user):
    may = _visit(net, [net.mukur], datetime.date(2025, 5, 10), status=VisitStatus.PLANNED)
    _visit(net, [net.kainar], datetime.date(2024, 5, 10))
    plan = dict(visits.yearly_plan(visits.visits_visible(admin_user), year=2025))
    assert plan[5] == [may]
    assert sum(len(v) for v in plan.values()) == 1


def test_the_visit_list_shows_the_plan_and_the_libraries_not_visited(net, admin_user, client_for):
    from django.urls import reverse

    _visit(net, [net.mukur], datetime.date(2025, 5, 10), status=VisitStatus.PLANNED)
    page = client_for(admin_user).get(reverse("assistance:visit_list"), {"year": 2025, "months": 6})
    assert page.status_code == 200
    assert "05.2025" in page.text
    assert "Мукурская сельская библиотека" in page.text
    assert "Кайнарская сельская библиотека" in page.text  # never visited


def test_the_visit_list_filters_by_unit(net, admin_user, client_for):
    from django.urls import reverse

    _visit(net, [net.mukur], datetime.date(2025, 5, 10))
    kainar = _visit(net, [net.kainar], datetime.date(2025, 5, 12))
    page = client_for(admin_user).get(reverse("assistance:visit_list"), {"unit": net.kainar.pk})
    listed = visits.filter_visits(visits.visits_visible(admin_user), unit=net.kainar)
    assert list(listed) == [kainar]
    assert reverse("assistance:visit_detail", args=[kainar.pk]) in page.text
