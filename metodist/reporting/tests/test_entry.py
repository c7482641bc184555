"""Data entry in the browser: my reports, the entry page, per-field autosave with conflicts, submitting."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import pgettext

from metodist.reporting import services
from metodist.reporting.models import Report, ReportStatus, Value
from metodist.reporting.periods import Period

NOW = datetime.datetime(2025, 3, 20, 11, 0, tzinfo=ZoneInfo("Asia/Almaty"))  # Thursday of 2025-W12
WEEK = Period.parse("2025-W10")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _open(user, form, unit, code="2025-W10", **values):
    report = services.open_report(user=user, form=form, unit=unit, period=Period.parse(code))
    if values:
        report = services.save_values(user=user, report=report, values=values, version=report.version)
    return report


def _detail(report):
    return reverse("reporting:report_detail", args=[report.pk])


def _value_url(report):
    return reverse("reporting:report_value", args=[report.pk])


def _autosave(client, report, key, value, expected="", **extra):
    data = {"key": key, "value": value, "expected": expected, "comment": "", "expected_comment": "", **extra}
    return client.post(_value_url(report), data, HTTP_HX_REQUEST="true")


def _block(html: str, dom_id: str) -> str:
    """The piece of the page from the element with `dom_id` to the next field."""
    start = html.index(f'id="{dom_id}"')
    following = re.search(r'id="field-', html[start + 10 :])
    return html[start : start + 10 + following.start()] if following else html[start:]


FULL = {
    "oc_visitors": "40",
    "oc_sessions": "25",
    "oc_trained.children": "3",
    "oc_trained.youth": "2",
    "oc_trained.adults": "5",
    "oc_events": "1",
}


# --- the entry page -----------------------------------------------------------------------------------------


def test_the_page_shows_sections_fields_and_past_values(client_for, librarian, net, oc_form):
    _open(librarian, oc_form, net.mukur_oc, "2025-W09", oc_visitors="31", **{"oc_trained.youth": "4"})
    _open(librarian, oc_form, net.mukur_oc, "2024-W10", oc_visitors="27")
    report = _open(librarian, oc_form, net.mukur_oc, oc_visitors="40")
    html = client_for(librarian).get(_detail(report)).content.decode()
    assert html.index("Посещения") < html.index("Обучение и мероприятия")  # sections in order
    visitors = _block(html, "field-oc_visitors")
    assert 'value="40"' in visitors
    assert "31" in visitors  # the previous week
    assert "27" in visitors  # the same week last year
    trained = _block(html, "field-oc_trained")
    for part in ("дети до 14 лет", "молодёжь 15–30 лет", "взрослые"):
        assert part in trained
    assert 'data-total-of="oc_trained"' in trained
    assert 'name="value"' in trained and 'data-part-of="oc_trained"' in trained
    # The missing required fields are listed at the top, and the page can be submitted from below.
    missing = re.search(r'data-issue-keys="([^"]*)" data-severity="error"', html).group(1).split()
    assert {"oc_sessions", "oc_trained.children", "oc_event_participants"} <= set(missing)
    assert "oc_visitors" not in missing
    assert reverse("reporting:report_submit", args=[report.pk]) in html
    # The history of changes names who entered the value.
    history = html[html.index("entry-history") :]
    assert (librarian.get_full_name() or librarian.username) in history and "40" in history


def test_the_page_is_read_only_when_submitted(client_for, librarian, net, oc_form):
    report = _open(librarian, oc_form, net.mukur_oc, **FULL, oc_event_participants="12")
    services.submit(user=librarian, report=report)
    html = client_for(librarian).get(_detail(report)).content.decode()
    assert 'name="value"' not in html
    assert reverse("reporting:report_submit", args=[report.pk]) not in html
    answer = _autosave(client_for(librarian), report, "oc_visitors", "41", "40")
    assert answer.status_code == 200
    assert "entry-readonly" in answer.content.decode()
    assert Value.objects.get(report=report, indicator__code="oc_visitors").number == 40


def test_out_of_scope_reports_answer_404(client_for, methodist, outsider, librarian, net, oc_form):
    report = _open(librarian, oc_form, net.mukur_oc, oc_visitors="40")
    # The Beskaragay methodologist does not cover Mukur (Abay district), the outsider covers nothing.
    for user in (methodist, outsider):
        client = client_for(user)
        assert client.get(_detail(report)).status_code == 404
        assert _autosave(client, report, "oc_visitors", "1", "40").status_code == 404
        assert client.post(reverse("reporting:report_submit", args=[report.pk])).status_code == 404
    assert Value.objects.get(report=report, indicator__code="oc_visitors").number == 40


# --- autosave ----------------------------------------------------------------------------------------------


def test_autosave_writes_one_value_and_answers_saved(client_for, librarian, net, oc_form):
    report = _open(librarian, oc_form, net.mukur_oc)
    answer = _autosave(client_for(librarian), report, "oc_trained.children", "12")
    html = answer.content.decode()
    assert answer.status_code == 200
    assert 'id="cell-oc_trained-children"' in html and "entry-state-saved" in html
    assert 'name="expected" value="12"' in html  # the next save starts from what was saved
    assert 'id="report-issues" class="mb-3" hx-swap-oob="true"' in html  # the checks follow
    (value,) = Value.objects.filter(report=report)
    assert (value.indicator.code, value.category.code, value.number) == ("oc_trained", "children", 12)
    assert value.updated_by == librarian


def test_a_bad_value_answers_the_error_in_russian_and_writes_nothing(client_for, librarian, net, oc_form):
    report = _open(librarian, oc_form, net.mukur_oc, oc_visitors="40")
    answer = _autosave(client_for(librarian), report, "oc_visitors", "сорок", "40")
    html = answer.content.decode()
    assert "Это не число." in html
    assert "entry-state-error" in html and 'value="сорок"' in html  # what she typed stays to be fixed
    assert Value.objects.get(report=report, indicator__code="oc_visitors").number == 40


def test_a_conflicting_autosave_answers_both_values(client_for, librarian, admin_user, net, oc_form):
    report = _open(librarian, oc_form, net.mukur_oc)
    # The administrator saves 40 after the librarian loaded the empty form.
    services.save_values(
        user=admin_user, report=report, values={"oc_visitors": "40"}, expected={"oc_visitors": ""}
    )
    client = client_for(librarian)
    html = _autosave(client, report, "oc_visitors", "35", "").content.decode()
    assert "entry-state-conflict" in html
    assert re.search(r'class="entry-yours">35<', html)
    assert re.search(r'class="entry-theirs">40<', html)
    assert 'name="expected" value="40"' in html  # she has now seen theirs
    assert Value.objects.get(report=report, indicator__code="oc_visitors").number == 40
    # "Take theirs" keeps 40; "keep mine" then writes 35 knowingly.
    theirs = _autosave(client, report, "oc_visitors", "35", "40", resolve="theirs").content.decode()
    assert 'value="40"' in theirs
    assert Value.objects.get(report=report, indicator__code="oc_visitors").number == 40
    mine = _autosave(client, report, "oc_visitors", "35", "40", resolve="mine").content.decode()
    assert "entry-state-saved" in mine
    assert Value.objects.get(report=report, indicator__code="oc_visitors").number == 35


def test_a_field_nobody_else_touched_saves_although_the_report_moved_on(
    client_for, librarian, admin_user, net, oc_form
):
    report = _open(librarian, oc_form, net.mukur_oc)
    services.save_values(
        user=admin_user, report=report, values={"oc_visitors": "40"}, expected={"oc_visitors": ""}
    )
    html = _autosave(client_for(librarian), report, "oc_sessions", "9").content.decode()
    assert "entry-state-saved" in html
    assert services.values_of(report) == {"oc_visitors": Decimal(40), "oc_sessions": Decimal(9)}


def test_a_comment_saves_with_its_value_and_conflicts_too(client_for, librarian, admin_user, net, oc_form):
    report = _open(librarian, oc_form, net.mukur_oc, oc_visitors="40")
    client = client_for(librarian)
    html = _autosave(
        client, report, "oc_visitors", "40", "40", comment="Учтены гости семинара"
    ).content.decode()
    assert "entry-state-saved" in html and "Учтены гости семинара" in html
    value = Value.objects.get(report=report, indicator__code="oc_visitors")
    assert (value.number, value.comment) == (40, "Учтены гости семинара")
    services.save_values(user=admin_user, report=report, values={}, comments={"oc_visitors": "Проверено"})
    html = _autosave(
        client,
        report,
        "oc_visitors",
        "40",
        "40",
        comment="Без гостей",
        expected_comment="Учтены гости семинара",
    ).content.decode()
    assert "entry-state-conflict" in html and "Проверено" in html and "Без гостей" in html
    assert Value.objects.get(pk=value.pk).comment == "Проверено"


def test_autosave_without_javascript_redirects_back_with_a_message(client_for, librarian, net, oc_form):
    report = _open(librarian, oc_form, net.mukur_oc)
    client = client_for(librarian)
    data = {"key": "oc_visitors", "value": "17", "expected": "", "comment": "", "expected_comment": ""}
    answer = client.post(_value_url(report), data)
    assert answer.status_code == 302
    assert answer["Location"].endswith("#cell-oc_visitors")
    assert services.values_of(report) == {"oc_visitors": Decimal(17)}


# --- submitting --------------------------------------------------------------------------------------------


def _submit(client, report, comment=""):
    return client.post(reverse("reporting:report_submit", args=[report.pk]), {"comment": comment})


def test_an_error_rule_blocks_submission(client_for, librarian, net, oc_form):
    report = _open(librarian, oc_form, net.mukur_oc, **FULL, oc_event_participants="55")
    answer = _submit(client_for(librarian), report)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Участников больше, чем посетителей" in html
    assert 'class="alert alert-danger' in html
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    # The fields the rule names are highlighted.
    assert "entry-field-error" in _block(html, "field-oc_event_participants")


def test_a_warning_needs_an_explanation_and_a_double_submit_submits_once(client_for, librarian, net, oc_form):
    report = _open(
        librarian, oc_form, net.mukur_oc, **{**FULL, "oc_sessions": "500"}, oc_event_participants="12"
    )
    client = client_for(librarian)
    answer = _submit(client, report)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'id="id_comment_error"' in html and "is-invalid" in html  # the explanation is asked for
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    answer = _submit(client, report, "Курсы для пенсионеров: каждый работал на нескольких сеансах")
    assert answer.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submit_comment.startswith("Курсы для пенсионеров")
    again = _submit(client, report, "ещё раз")
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.submit_comment.startswith("Курсы для пенсионеров")
    assert report.history.filter(history_change_reason=pgettext("report history", "submitted")).count() == 1


def test_query_count_does_not_grow_with_the_history(
    client_for, librarian, admin_user, net, oc_form, django_assert_max_num_queries
):
    for code in ("2025-W09", "2024-W10"):  # the previous week and last year's beside each field
        _open(admin_user, oc_form, net.mukur_oc, code, **FULL, oc_event_participants="12")
    report = _open(librarian, oc_form, net.mukur_oc, **FULL, oc_event_participants="12")
    client = client_for(librarian)
    with CaptureQueriesContext(connection) as small:
        assert client.get(_detail(report)).status_code == 200
    # Twelve earlier weeks (history for the outlier check) and dozens of changes of every value.
    for back in range(2, 14):
        _open(admin_user, oc_form, net.mukur_oc, WEEK.shift(-back).code, **FULL, oc_event_participants="12")
    for round_ in range(10):
        changed = {key: str(int(value) + round_ + 1) for key, value in FULL.items()}
        report = services.save_values(user=librarian, report=report, values=changed, version=report.version)
    with django_assert_max_num_queries(len(small)):
        assert client.get(_detail(report)).status_code == 200


# --- my reports --------------------------------------------------------------------------------------------


def test_my_reports_lists_the_units_forms_and_recent_periods(client_for, librarian, admin_user, net, oc_form):
    returned = _open(librarian, oc_form, net.mukur_oc, "2025-W11", **FULL, oc_event_participants="12")
    services.submit(user=librarian, report=returned)
    services.return_report(user=admin_user, report=returned, comment="Уточните число сеансов")
    html = client_for(librarian).get(reverse("reporting:my_reports")).content.decode()
    assert "Онлайн-центр села Мукур" in html and "Еженедельный отчёт онлайн-центра" in html
    assert "Уточните число сеансов" in html  # she sees why it came back
    assert Period.parse("2025-W12").label() in html  # the current week
    # Weeks 9 and 10 were due on 5 and 12 March and nothing was sent, week 11 came back: overdue, in red.
    assert html.count("list-group-item-danger") == 3
    assert Report.objects.count() == 1  # looking creates nothing


def test_opening_a_period_creates_one_draft_however_often_it_is_clicked(client_for, librarian, net, oc_form):
    client = client_for(librarian)
    data = {"unit": net.mukur_oc.pk, "form": oc_form.pk, "period": "2025-W10"}
    first = client.post(reverse("reporting:report_open"), data)
    second = client.post(reverse("reporting:report_open"), data)
    report = Report.objects.get()
    assert first["Location"] == second["Location"] == _detail(report)
    assert (report.unit, report.period.code, report.status) == (net.mukur_oc, "2025-W10", ReportStatus.DRAFT)
    assert client.get(reverse("reporting:report_open")).status_code == 302
    assert Report.objects.count() == 1


def test_opening_refuses_other_units_and_future_periods(client_for, librarian, net, oc_form):
    client = client_for(librarian)
    other = {"unit": net.beskaragay_oc.pk, "form": oc_form.pk, "period": "2025-W10"}
    assert client.post(reverse("reporting:report_open"), other).status_code == 404
    future = {"unit": net.mukur_oc.pk, "form": oc_form.pk, "period": "2025-W20"}
    assert client.post(reverse("reporting:report_open"), future).status_code == 302
    assert not Report.objects.exists()
