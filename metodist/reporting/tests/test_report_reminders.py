"""`metodist remind` tells the units that have not submitted a report, and their methodologists, once per
(form, unit, period), in the recipients' language; a failed mail is tried again by the next run."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from metodist.reporting.completeness import overdue_reminders_send
from metodist.reporting.models import Reminder, Report, ReportStatus
from metodist.reporting.periods import Period

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime.datetime(2025, 3, 10, 10, 0, tzinfo=ALMATY)  # February is due (5 March), March is not
JAN, FEB = Period.parse("2025-01"), Period.parse("2025-02")
BASE = "https://metodist.example.kz"


class FailingBackend(EmailBackend):
    """An SMTP server that refuses every message to Kanonerka."""

    def send_messages(self, messages):
        if any("kanonerka@example.kz" in message.to for message in messages):
            raise ConnectionRefusedError("the mail server is down")
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def report(form, unit, period, status, submitted=True) -> Report:
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
        submitted_at=timezone.now() if submitted else None,
    )


@pytest.fixture
def february(net, lib_form, librarian, methodist):
    """January is complete. February: Beskaragay submitted, Mukur a draft, Kanonerka, Kainar and the
    regional library silent. Kanonerka has no librarian in Metodist but an e-mail address of its own."""
    for unit in (net.beskaragay_lib, net.kanonerka, net.mukur, net.kainar, net.regional):
        report(lib_form, unit, JAN, ReportStatus.ACCEPTED)
    report(lib_form, net.beskaragay_lib, FEB, ReportStatus.SUBMITTED)
    report(lib_form, net.mukur, FEB, ReportStatus.DRAFT, submitted=False)
    net.kanonerka.email = "kanonerka@example.kz"
    net.kanonerka.save()
    return lib_form


def _to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_the_overdue_units_and_their_methodologist_are_told_once(net, february):
    summary = overdue_reminders_send(now=timezone.now(), base_url=BASE)
    # Mukur's librarian, Kanonerka's own address, and one digest for the Beskaragay methodologist.
    assert (summary.units, summary.sent, summary.failed) == (4, 3, 0)
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "kanonerka@example.kz",
        "methodist@example.kz",
        "mukur@example.kz",
    ]
    assert set(Reminder.objects.filter(period_start=FEB.start).values_list("unit__code", flat=True)) == {
        "KAN-LIB",
        "MUK-LIB",
        "KAI-LIB",
        "VKOUB",
    }
    assert not Reminder.objects.filter(period_start=JAN.start).exists()

    mail.outbox.clear()
    again = overdue_reminders_send(now=timezone.now(), base_url=BASE)
    assert (again.units, again.sent) == (0, 0) and mail.outbox == []


def test_a_submitted_report_is_not_reminded(net, february):
    overdue_reminders_send(now=timezone.now(), base_url=BASE)
    assert not Reminder.objects.filter(unit=net.beskaragay_lib).exists()
    assert all("Бескарагайская" not in message.body for message in mail.outbox)


def test_the_unit_mail_names_the_report_and_links_to_the_draft(net, february):
    overdue_reminders_send(now=timezone.now(), base_url=BASE)
    [message] = _to("mukur@example.kz")
    draft = Report.objects.get(unit=net.mukur, period_start=FEB.start)
    assert "Ежемесячная статистика библиотеки" in message.subject
    assert "Мукурская сельская библиотека" in message.body
    assert f"{BASE}/reporting/reports/{draft.pk}/" in message.body
    assert "05.03.2025" in message.body
    [silent] = _to("kanonerka@example.kz")
    assert f"{BASE}/reporting/\n" in silent.body  # no report yet: the list of her reports


def test_the_methodologists_digest_lists_only_the_units_she_covers(net, february):
    overdue_reminders_send(now=timezone.now(), base_url=BASE)
    [digest] = _to("methodist@example.kz")
    assert "Канонерская сельская библиотека" in digest.body
    assert "Мукурская" not in digest.body and "Кайнарская" not in digest.body  # Abay is not hers
    assert f"{BASE}/reporting/completeness/?form={february.pk}&period=2025-02" in digest.body


def test_the_mail_goes_out_in_the_language_of_the_installation(settings, net, february):
    settings.LANGUAGE_CODE = "kk"
    overdue_reminders_send(now=timezone.now(), base_url=BASE)
    [message] = _to("mukur@example.kz")
    assert "Мұқыр ауылдық кітапханасы" in message.body  # the Kazakh name of the library
    assert "Ақпан 2025" in message.body  # February in Kazakh


def test_closed_units_and_closed_periods_are_not_reminded(net, february):
    net.regional.closed_on = datetime.date(2025, 1, 31)
    net.regional.save()
    february.entry_closed_before = datetime.date(2025, 3, 1)  # February can no longer be entered
    february.save()
    summary = overdue_reminders_send(now=timezone.now(), base_url=BASE)
    assert summary.units == 0 and mail.outbox == []
    february.entry_closed_before = None
    february.save()
    overdue_reminders_send(now=timezone.now(), base_url=BASE)
    assert not Reminder.objects.filter(unit=net.regional).exists()
    assert Reminder.objects.filter(unit=net.kainar).exists()


def test_a_failed_mail_is_tried_again_by_the_next_run(settings, net, february):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    summary = overdue_reminders_send(now=timezone.now(), base_url=BASE)
    assert summary.failed == 1
    assert not Reminder.objects.filter(unit=net.kanonerka).exists()
    # Kanonerka is the only overdue unit of her district: she hears of it once the unit has been told.
    assert _to("methodist@example.kz") == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    retry = overdue_reminders_send(now=timezone.now(), base_url=BASE)
    assert (retry.units, retry.failed) == (1, 0)
    assert _to("kanonerka@example.kz") and "Канонерская" in _to("methodist@example.kz")[0].body


def test_metodist_remind_reports_the_overdue_reports(net, february):
    out = io.StringIO()
    call_command("remind", "--base-url", BASE, stdout=out)
    assert Reminder.objects.filter(period_start=FEB.start).count() == 4
    assert _to("mukur@example.kz")
    with translation.override("ru"):  # the command speaks the installation's language
        line = _("Overdue reports: %(units)s unit(s) reminded, %(sent)s message(s) sent.") % {
            "units": 4,
            "sent": 3,
        }
    assert line in out.getvalue().splitlines()
