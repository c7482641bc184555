"""Knigonosha feeds reporting: a library's month of home delivery goes into its report «outreach_monthly»."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from metodist.outreach.models import DeliveryStatus
from metodist.outreach.reporting_feed import assign_form, figures_to_report
from metodist.outreach.tests.conftest import deliver
from metodist.reporting import services as reporting
from metodist.reporting.definitions import install_definitions
from metodist.reporting.models import FormAssignment, Report, ReportForm, ReportStatus
from metodist.reporting.periods import Period
from metodist.reporting.selectors import expected_units

MARCH = Period.parse("2025-03")


@pytest.fixture
def march(net, kn):
    """March 2025 in Mukur, counted by hand: Zaure twice (2 + 1 books), Sholpan once (1 book), one
    cancelled and one April delivery that do not count; Kanonerka's delivery is another library's."""
    install_definitions(net.region)
    deliver(kn.zaure, datetime.date(2025, 3, 4), books=("Абай жолы", "Қараш-Қараш оқиғасы"))
    deliver(kn.zaure, datetime.date(2025, 3, 18), books=("Көксерек",))
    deliver(kn.sholpan, datetime.date(2025, 3, 11), books=("Путь Абая",))
    deliver(kn.sholpan, datetime.date(2025, 3, 25), status=DeliveryStatus.CANCELLED, books=("Қилы заман",))
    deliver(kn.zaure, datetime.date(2025, 4, 1), books=("Өскен өркен",))
    deliver(kn.kanonerka, datetime.date(2025, 3, 12), books=("Тихий Дон",))
    return ReportForm.objects.get(code="outreach_monthly")


def _values(report) -> dict[str, int]:
    return {key: int(value) for key, value in reporting.values_of(report).items()}


def test_the_report_holds_the_figures_of_the_month_counted_by_hand(net, librarian, march):
    transfer = figures_to_report(user=librarian, library=net.mukur, period=MARCH)
    report = transfer.report
    assert transfer.written and report.status == ReportStatus.DRAFT
    assert (report.form, report.unit, report.period_start) == (march, net.mukur, datetime.date(2025, 3, 1))
    assert _values(report) == {"home_readers": 2, "home_deliveries": 3, "home_items": 4}
    assert reporting.check_report(report) == []


def test_a_second_transfer_updates_the_same_report(net, librarian, kn, march):
    first = figures_to_report(user=librarian, library=net.mukur, period=MARCH).report
    deliver(kn.sholpan, datetime.date(2025, 3, 27), books=("Ақан сері", "Мұз жастанған"))
    second = figures_to_report(user=librarian, library=net.mukur, period=MARCH).report
    assert second.pk == first.pk and Report.objects.filter(form=march).count() == 1
    assert second.version > first.version
    assert _values(second) == {"home_readers": 2, "home_deliveries": 4, "home_items": 6}
    assert FormAssignment.objects.filter(form=march).count() == 1


def test_an_accepted_report_is_not_changed_and_the_page_says_so(
    net, librarian, admin_user, kn, march, client_for
):
    report = figures_to_report(user=librarian, library=net.mukur, period=MARCH).report
    reporting.submit(user=librarian, report=report)
    reporting.accept(user=admin_user, report=report)
    version = Report.objects.get(pk=report.pk).version
    deliver(kn.zaure, datetime.date(2025, 3, 28), books=("Махаббат қызық мол жылдар",))

    transfer = figures_to_report(user=librarian, library=net.mukur, period=MARCH)
    assert not transfer.written and transfer.values["home_deliveries"] == 4
    stored = Report.objects.get(pk=report.pk)
    assert stored.status == ReportStatus.ACCEPTED and stored.version == version
    assert _values(stored) == {"home_readers": 2, "home_deliveries": 3, "home_items": 4}

    answer = client_for(librarian).post(
        reverse("outreach:figures"), {"library": net.mukur.pk, "month": "2025-03"}, HTTP_HX_REQUEST="true"
    )
    text = answer.content.decode()
    assert answer.status_code == 200 and "bi-lock" in text and "text-success" not in text
    assert reverse("reporting:report_detail", args=[report.pk]) in text


def test_the_button_transfers_and_links_to_the_report(net, librarian, march, client_for):
    client = client_for(librarian)
    page = client.get(reverse("outreach:figures"), {"date_from": "2025-01-01", "date_to": "2025-04-30"})
    assert (
        net.mukur.pk in page.context["transferable"] and net.kanonerka.pk not in page.context["transferable"]
    )
    assert page.content.decode().count('name="month"') == 1  # Mukur's row only
    assert [m.code for m in page.context["months"]] == ["2025-04", "2025-03", "2025-02", "2025-01"]

    answer = client.post(
        reverse("outreach:figures"), {"library": net.mukur.pk, "month": "2025-03"}, HTTP_HX_REQUEST="true"
    )
    report = Report.objects.get(form=march, unit=net.mukur)
    assert "text-success" in answer.content.decode()
    assert reverse("reporting:report_detail", args=[report.pk]) in answer.content.decode()
    assert _values(report)["home_items"] == 4

    without_htmx = client.post(reverse("outreach:figures"), {"library": net.mukur.pk, "month": "2025-03"})
    assert without_htmx.url == reverse("reporting:report_detail", args=[report.pk])
    assert Report.objects.filter(form=march).count() == 1
    future = client.post(
        reverse("outreach:figures"), {"library": net.mukur.pk, "month": "2999-01"}, HTTP_HX_REQUEST="true"
    )
    assert future.status_code == 200 and "text-danger" in future.content.decode()
    assert Report.objects.filter(form=march).count() == 1


def test_a_volunteer_an_outsider_or_another_district_cannot_transfer(
    net, volunteer, outsider, methodist, march, client_for
):
    for user in (volunteer, outsider, methodist):
        with pytest.raises(PermissionDenied):
            figures_to_report(user=user, library=net.mukur, period=MARCH)
    data = {"library": net.mukur.pk, "month": "2025-03"}
    assert client_for(volunteer).post(reverse("outreach:figures"), data).status_code == 403
    assert client_for(outsider).post(reverse("outreach:figures"), data).status_code == 403
    assert client_for(methodist).post(reverse("outreach:figures"), data).status_code == 404
    assert not Report.objects.filter(form=march).exists()
    assert not FormAssignment.objects.filter(form=march).exists()


def test_the_assignment_makes_completeness_expect_the_library_alone(net, librarian, march):
    assert not expected_units(march, MARCH, net.region).exists()
    figures_to_report(user=librarian, library=net.mukur, period=MARCH)
    assert list(expected_units(march, MARCH, net.region)) == [net.mukur]
    assert assign_form(net.mukur) is False and FormAssignment.objects.filter(form=march).count() == 1
    assert assign_form(net.kanonerka) is True
    assert set(expected_units(march, MARCH, net.region)) == {net.mukur, net.kanonerka}
