"""The acceptance queue: submitted reports of the reviewer's subtree with their checks; accept, return,
reopen; the librarian sees why her report came back."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import pgettext

from metodist.reporting import services
from metodist.reporting.models import ReportStatus
from metodist.reporting.periods import Period

NOW = datetime.datetime(2025, 3, 20, 11, 0, tzinfo=ZoneInfo("Asia/Almaty"))

FULL = {
    "oc_visitors": "40",
    "oc_sessions": "25",
    "oc_trained.children": "3",
    "oc_trained.youth": "2",
    "oc_trained.adults": "5",
    "oc_events": "1",
    "oc_event_participants": "12",
}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _queue_url():
    return reverse("reporting:review_queue")


def _submitted(user, form, unit, code="2025-W10", comment="", **changes):
    report = services.open_report(user=user, form=form, unit=unit, period=Period.parse(code))
    report = services.save_values(
        user=user, report=report, values={**FULL, **changes}, version=report.version
    )
    services.submit(user=user, report=report, comment=comment)
    report.refresh_from_db()
    return report


def _row(html: str, report) -> str:
    match = re.search(rf'<tr id="queue-{report.pk}".*?</tr>', html, re.S)
    assert match, f"no row of report {report.pk}"
    return match.group(0)


def test_the_queue_lists_only_the_submitted_reports_of_the_subtree(
    client_for, methodist, admin_user, librarian, net, oc_form
):
    beskaragay = _submitted(methodist, oc_form, net.beskaragay_oc)
    mukur = _submitted(librarian, oc_form, net.mukur_oc)
    draft = services.open_report(
        user=methodist, form=oc_form, unit=net.beskaragay_oc, period=Period.parse("2025-W09")
    )
    html = client_for(methodist).get(_queue_url()).content.decode()
    assert f'id="queue-{beskaragay.pk}"' in html
    assert f'id="queue-{mukur.pk}"' not in html  # Abay district is not hers
    assert f'id="queue-{draft.pk}"' not in html  # not submitted
    everything = client_for(admin_user).get(_queue_url()).content.decode()
    assert f'id="queue-{beskaragay.pk}"' in everything and f'id="queue-{mukur.pk}"' in everything


def test_a_librarian_has_no_queue_and_cannot_accept(client_for, librarian, net, oc_form):
    report = _submitted(librarian, oc_form, net.mukur_oc)
    client = client_for(librarian)
    assert client.get(_queue_url()).status_code == 403
    assert client.post(reverse("reporting:report_accept", args=[report.pk])).status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_filters_by_form_period_and_district(
    client_for, admin_user, methodist, librarian, net, oc_form, lib_form
):
    beskaragay = _submitted(methodist, oc_form, net.beskaragay_oc)
    mukur_w10 = _submitted(librarian, oc_form, net.mukur_oc)
    mukur_w09 = _submitted(librarian, oc_form, net.mukur_oc, "2025-W09")
    client = client_for(admin_user)
    by_district = client.get(_queue_url(), {"district": net.abay.pk}).content.decode()
    assert f'id="queue-{mukur_w10.pk}"' in by_district and f'id="queue-{beskaragay.pk}"' not in by_district
    by_period = client.get(_queue_url(), {"period": "2025-W09"}).content.decode()
    assert f'id="queue-{mukur_w09.pk}"' in by_period and f'id="queue-{mukur_w10.pk}"' not in by_period
    by_form = client.get(_queue_url(), {"form": lib_form.pk}).content.decode()
    assert "queue-" + str(mukur_w10.pk) not in by_form
    # htmx asks for the rows alone.
    rows = client.get(
        _queue_url(), {"period": "2025-W09"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-rows"
    )
    assert "<html" not in rows.content.decode() and f'id="queue-{mukur_w09.pk}"' in rows.content.decode()


def test_rows_show_warnings_and_outliers(client_for, methodist, net, oc_form):
    for code in ("2025-W06", "2025-W07", "2025-W08"):
        _submitted(methodist, oc_form, net.beskaragay_oc, code)
    # 40 visitors before, 200 now (5 × the median): an outlier; 1200 sessions > 5 × 200: the rule's warning.
    report = _submitted(
        methodist,
        oc_form,
        net.beskaragay_oc,
        "2025-W09",
        comment="Ярмарка в селе",
        oc_visitors="200",
        oc_sessions="1200",
    )
    row = _row(client_for(methodist).get(_queue_url()).content.decode(), report)
    assert "Очень много сеансов на посетителя" in row and "queue-issue-warning" in row
    assert "queue-issue-outlier" in row
    assert "queue-issue-error" not in row
    assert "Ярмарка в селе" in row  # her explanation of the warnings


def test_each_row_is_checked_against_its_own_units_history(
    client_for, admin_user, methodist, librarian, net, oc_form
):
    """The queue checks its page at once: one unit's history must not judge another's report."""
    for code in ("2025-W06", "2025-W07", "2025-W08"):
        _submitted(methodist, oc_form, net.beskaragay_oc, code)  # 40 visitors a week
        _submitted(librarian, oc_form, net.mukur_oc, code, oc_visitors="190", oc_event_participants="60")
    # 200 visitors: five times Beskaragay's usual 40, but Mukur's usual week.
    beskaragay = _submitted(
        methodist, oc_form, net.beskaragay_oc, "2025-W09", comment="Ярмарка", oc_visitors="200"
    )
    mukur = _submitted(librarian, oc_form, net.mukur_oc, "2025-W09", oc_visitors="200")
    html = client_for(admin_user).get(_queue_url(), {"period": "2025-W09"}).content.decode()
    assert "queue-issue-outlier" in _row(html, beskaragay)
    assert "queue-issue-outlier" not in _row(html, mukur)
    assert services.check_reports([beskaragay, mukur]) == {
        beskaragay.pk: services.check_report(beskaragay),
        mukur.pk: services.check_report(mukur),
    }


def test_accept_in_one_click_and_a_second_click_changes_nothing(client_for, methodist, net, oc_form):
    report = _submitted(methodist, oc_form, net.beskaragay_oc)
    client = client_for(methodist)
    url = reverse("reporting:report_accept", args=[report.pk])
    first = client.post(url, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    assert f'<tr id="queue-{report.pk}"' in first.content.decode() and "<html" not in first.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == methodist
    second = client.post(url, HTTP_HX_REQUEST="true")
    assert second.status_code == 200 and "queue-row-done" in second.content.decode()
    assert report.history.filter(history_change_reason=pgettext("report history", "accepted")).count() == 1
    # Without htmx (the detail page's button) it goes back with a message.
    third = client.post(url)
    assert third.status_code == 302 and third["Location"] == reverse(
        "reporting:report_detail", args=[report.pk]
    )


def test_return_needs_a_comment_and_the_librarian_sees_it(client_for, admin_user, librarian, net, oc_form):
    report = _submitted(librarian, oc_form, net.mukur_oc)
    client = client_for(admin_user)
    url = reverse("reporting:report_return", args=[report.pk])
    empty = client.post(url, {"comment": "  "}, HTTP_HX_REQUEST="true").content.decode()
    assert "invalid-feedback" in empty and "<details open" in empty
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.post(url, {"comment": "Число сеансов не совпадает с журналом"}, HTTP_HX_REQUEST="true")
    report.refresh_from_db()
    assert (report.status, report.review_comment) == (
        ReportStatus.RETURNED,
        "Число сеансов не совпадает с журналом",
    )
    again = client.post(url, {"comment": "ещё раз"}, HTTP_HX_REQUEST="true")
    assert again.status_code == 200
    report.refresh_from_db()
    assert report.review_comment == "Число сеансов не совпадает с журналом"
    mine = client_for(librarian)
    assert (
        "Число сеансов не совпадает с журналом"
        in mine.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    )
    assert (
        "Число сеансов не совпадает с журналом" in mine.get(reverse("reporting:my_reports")).content.decode()
    )
    # Returned, it can be corrected and submitted again.
    detail = mine.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert 'name="value"' in detail


def test_reopen_an_accepted_report_with_a_reason(client_for, admin_user, librarian, net, oc_form):
    report = _submitted(librarian, oc_form, net.mukur_oc)
    services.accept(user=admin_user, report=report)
    client = client_for(admin_user)
    url = reverse("reporting:report_reopen", args=[report.pk])
    detail = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert url in detail and 'name="value"' not in detail  # locked, with the reopen form
    client.post(url, {"reason": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    client.post(url, {"reason": "Уточнены данные по обучению"})
    report.refresh_from_db()
    assert (report.status, report.review_comment) == (ReportStatus.RETURNED, "Уточнены данные по обучению")
    assert client_for(librarian).post(url, {"reason": "x"}).status_code == 404


def test_the_detail_page_offers_accept_and_return_to_the_reviewer_only(
    client_for, admin_user, librarian, net, oc_form
):
    report = _submitted(librarian, oc_form, net.mukur_oc)
    accept = reverse("reporting:report_accept", args=[report.pk])
    assert (
        accept
        in client_for(admin_user).get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    )
    assert (
        accept
        not in client_for(librarian)
        .get(reverse("reporting:report_detail", args=[report.pk]))
        .content.decode()
    )
