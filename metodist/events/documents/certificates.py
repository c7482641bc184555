"""Certificates of participation in a training (PDF, one A4 landscape page per attendee) and the rule
behind them: `certificates_issue` numbers each attendee's certificate once and adds the training, with its
hours, to the qualification record of attendees who are staff of the network — once, however often the
certificates are printed again.

A certificate is a document of the Kazakh state's two languages: its text is Kazakh and Russian whatever
the interface language, so the phrases are written here (built with `grammar`), not translated.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metodist.events import selectors
from metodist.events.documents.grammar import (
    date_span_in_words,
    kk_phrase_suffix,
    lower_first,
    quoted,
    ru_agree_with_number,
    ru_inflect,
)
from metodist.events.documents.pdf import render_pdf
from metodist.events.models import Event, EventFamily, Participant
from metodist.network.models import QualificationRecord, TrainingKind

# Words in a form's code or Russian name that tell the kind of training for the qualification record.
_TRAINING_KIND_HINTS = (
    ("урок", TrainingKind.LIBRARY_LESSON),
    ("lesson", TrainingKind.LIBRARY_LESSON),
    ("практикум", TrainingKind.WORKSHOP),
    ("мастер-класс", TrainingKind.WORKSHOP),
    ("workshop", TrainingKind.WORKSHOP),
    ("школа", TrainingKind.RURAL_SCHOOL),
    ("school", TrainingKind.RURAL_SCHOOL),
    ("день", TrainingKind.METHODOLOGICAL_DAY),
    ("day", TrainingKind.METHODOLOGICAL_DAY),
    ("консультац", TrainingKind.CONSULTATION),
    ("consultation", TrainingKind.CONSULTATION),
    ("конференц", TrainingKind.CONFERENCE),
    ("conference", TrainingKind.CONFERENCE),
    ("вебинар", TrainingKind.WEBINAR),
    ("webinar", TrainingKind.WEBINAR),
    ("стажиров", TrainingKind.INTERNSHIP),
    ("internship", TrainingKind.INTERNSHIP),
    ("курс", TrainingKind.COURSE),
    ("course", TrainingKind.COURSE),
)


def training_kind(event: Event) -> str:
    """The kind of training for the qualification record, from the form of work (seminar if unknown)."""
    if not event.form_id:
        return TrainingKind.SEMINAR
    code = event.form.code.replace("-", "_")
    if code in TrainingKind.values:
        return code
    text = f"{event.form.code} {event.form.name_ru}".lower()
    for hint, kind in _TRAINING_KIND_HINTS:
        if hint in text:
            return kind
    return TrainingKind.SEMINAR


def whole_hours(hours: Decimal | None) -> int:
    """Qualification records count whole hours: 1.5 → 2."""
    return int((hours or Decimal(0)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _next_numbers(prefix: str, count: int) -> list[str]:
    taken = Participant.objects.filter(certificate_number__startswith=prefix).values_list(
        "certificate_number", flat=True
    )
    last = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0)
    return [f"{prefix}{last + i:04d}" for i in range(1, count + 1)]


def _number(attendees: list[Participant], year: int) -> None:
    """Give a number ("2013-0001") to each attendee who has none; numbers once given never change."""
    missing = [p for p in attendees if not p.certificate_number]
    if not missing:
        return
    # Another event's certificates may take the same numbers at the same moment: the unique constraint
    # refuses one of them, and that one counts again.
    for attempt in range(5):
        try:
            with transaction.atomic():
                for participant, number in zip(missing, _next_numbers(f"{year}-", len(missing)), strict=True):
                    participant.certificate_number = number
                    participant.save(update_fields=["certificate_number", "updated_at"])
            return
        except IntegrityError:
            for participant in missing:
                participant.certificate_number = ""
            if attempt == 4:
                raise


def _record_qualification(event: Event, participant: Participant) -> None:
    """Add the training to the attendee's qualification record, unless this certificate is already there."""
    staff = participant.staff_member
    if (
        staff is None
        or staff.qualifications.filter(certificate_number=participant.certificate_number).exists()
    ):
        return
    start = timezone.localtime(event.starts_at).date()
    end = timezone.localtime(event.ends_at).date() if event.ends_at else None
    record = QualificationRecord(
        staff_member=staff,
        title=event.title[:300],
        kind=training_kind(event),
        provider=event.organiser_unit.name_ru[:300],
        started_on=start,
        ended_on=end if end and end != start else None,
        hours=whole_hours(event.hours),
        certificate_number=participant.certificate_number,
    )
    record.full_clean()
    record.save()


@transaction.atomic
def certificates_issue(*, user, event: Event) -> list[Participant]:
    """Number the certificates of the training's attendees and record the training in their qualifications.

    Idempotent: printing again keeps the numbers and adds no second qualification record.
    """
    if not selectors.can_manage(user, event):
        raise PermissionDenied(_("You have no right to change this event."))
    if event.family != EventFamily.TRAINING:
        raise ValidationError(_("Certificates of participation are issued only for trainings."))
    attendees = list(
        event.participants.filter(attended=True)
        .select_related("staff_member")
        .select_for_update(of=("self",))
        .order_by("full_name", "id")
    )
    if not attendees:
        raise ValidationError(_("No one is marked as attended yet: mark attendance first."))
    _number(attendees, timezone.localtime(event.starts_at).year)
    for participant in attendees:
        _record_qualification(event, participant)
    return attendees


@dataclass
class _Wording:
    """The bilingual text of a certificate for one event."""

    for_kk: str
    for_ru: str
    when_kk: str
    when_ru: str
    hours_kk: str
    hours_ru: str


def _hours_text(hours: Decimal | None) -> tuple[str, str]:
    if not hours:
        return "", ""
    if hours == hours.to_integral_value():
        number = int(hours)
        return f"{number} академиялық сағат", f"{number} {ru_agree_with_number('академический час', number)}"
    shown = f"{hours.normalize():f}".replace(".", ",")
    # A fraction takes the genitive singular: 1,5 академического часа.
    return f"{shown} академиялық сағат", f"{shown} академического часа"


def _wording(event: Event) -> _Wording:
    start = timezone.localtime(event.starts_at).date()
    end = timezone.localtime(event.ends_at).date() if event.ends_at else None
    title = quoted(event.title)
    form_kk = lower_first(event.form.name_kk) if event.form_id and event.form.name_kk else ""
    form_ru = lower_first(event.form.name_ru) if event.form_id else ""
    kk_dative = kk_phrase_suffix(form_kk, "dat") if form_kk else None
    for_kk = f"{title} атты {kk_dative}" if kk_dative else kk_phrase_suffix(f"{title} іс-шарасы", "dat")
    ru_prepositional = ru_inflect(form_ru, "loct") if form_ru else None
    hours_kk, hours_ru = _hours_text(event.hours)
    return _Wording(
        for_kk=f"{for_kk} қатысқаны үшін берілді",
        for_ru=f"за участие в {ru_prepositional or 'мероприятии'} {title}",
        when_kk=date_span_in_words(start, end, "kk"),
        when_ru=date_span_in_words(start, end, "ru"),
        hours_kk=f"Көлемі — {hours_kk}" if hours_kk else "",
        hours_ru=f"Объём — {hours_ru}" if hours_ru else "",
    )


def certificates_pdf(*, event: Event, attendees: list[Participant]) -> bytes:
    """One A4 landscape page per attendee, in Kazakh and Russian."""
    organiser = event.organiser_unit
    context = {
        "event": event,
        "attendees": attendees,
        "wording": _wording(event),
        "organiser_kk": organiser.name_kk or organiser.name_ru,
        "organiser_ru": organiser.name_ru,
    }
    return render_pdf("events/documents/certificates.html", context)
