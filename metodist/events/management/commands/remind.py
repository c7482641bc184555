"""`metodist remind`: send the reminders that are due. Run it once a day from cron (say at 10:00).

Every part of Metodist that reminds people adds one function to REMINDERS. A reminder function takes
keyword arguments `now` (the moment of the run) and `base_url` (for links in the mail), sends what is due
— once: running the command twice sends nothing new — and answers one line for the summary.
"""

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.management.base import CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metodist.core.commands import TranslatedCommand
from metodist.events import participants

DEFAULT_BASE_URL = "http://localhost:8000"


def event_participants(*, now: datetime, base_url: str) -> str:
    """Participants of the events that start tomorrow."""
    summary = participants.reminders_send(now=now, base_url=base_url)
    line = _("Events starting tomorrow: %(sent)s reminder(s) sent for %(events)s event(s).") % {
        "sent": summary.sent,
        "events": summary.events,
    }
    if summary.failed:
        line += " " + _("%(failed)s could not be sent; the next run tries again.") % {
            "failed": summary.failed
        }
    return line


def overdue_recommendations(*, now: datetime, base_url: str) -> str:
    """Both sides of each recommendation that became overdue (told once)."""
    from metodist.assistance.recommendations import overdue_reminders_send

    sent, failed = overdue_reminders_send(now=now, base_url=base_url)
    if not sent and not failed:
        return _("Overdue recommendations: nothing new to remind of.")
    line = _("Overdue recommendations: %(sent)s reminder(s) sent.") % {"sent": sent}
    if failed:
        line += " " + _("%(failed)s could not be sent; the next run tries again.") % {"failed": failed}
    return line


def overdue_reports(*, now: datetime, base_url: str) -> str:
    """Units that have not submitted a report of the last periods due, and their methodologists (once)."""
    from metodist.reporting.completeness import overdue_reminders_send

    summary = overdue_reminders_send(now=now, base_url=base_url)
    if not summary.units and not summary.failed:
        return _("Overdue reports: nothing new to remind of.")
    line = _("Overdue reports: %(units)s unit(s) reminded, %(sent)s message(s) sent.") % {
        "units": summary.units,
        "sent": summary.sent,
    }
    if summary.failed:
        line += " " + _("%(failed)s could not be sent; see the log.") % {"failed": summary.failed}
    return line


def expiring_partner_agreements(*, now: datetime, base_url: str) -> str:
    """Who keeps partners, about each active partner agreement ending within 30 days (told once)."""
    from metodist.marketing.partners import expiry_reminders_send

    sent, failed = expiry_reminders_send(now=now, base_url=base_url)
    if not sent and not failed:
        return _("Expiring partner agreements: nothing new to remind of.")
    line = _("Expiring partner agreements: %(sent)s reminder(s) sent.") % {"sent": sent}
    if failed:
        line += " " + _("%(failed)s could not be sent; the next run tries again.") % {"failed": failed}
    return line


Reminder = Callable[..., str]
REMINDERS: list[Reminder] = [
    event_participants,
    overdue_recommendations,
    overdue_reports,
    expiring_partner_agreements,
]


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Send the reminders that are due (for example, to participants of tomorrow's events)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default="",
            help=gettext_lazy(
                "Address of this Metodist for links in the mail, e.g. https://metodist.example.kz "
                "(default: the METODIST_BASE_URL setting)."
            ),
        )

    def handle(self, *args, base_url: str = "", **options) -> None:
        base_url = base_url or getattr(settings, "METODIST_BASE_URL", "")
        if not base_url:
            self.stderr.write(
                _("No base URL is set; links in the mail point to %(url)s.") % {"url": DEFAULT_BASE_URL}
            )
            base_url = DEFAULT_BASE_URL
        now = timezone.now()
        # Nobody's browser tells the command a language: the mail goes out in the installation's one.
        with translation.override(settings.LANGUAGE_CODE):
            for reminder in REMINDERS:
                self.stdout.write(reminder(now=now, base_url=base_url.rstrip("/")))
