"""Participants of events: invitations, public registration with a waiting list, attendance and reminders.

Pages, the check-in by QR code and the `metodist remind` command all write through these functions.
Each write runs in one transaction that locks the event row, so two people taking the last place at once
cannot both get it. Mail goes out after the transaction: a mail server that is down never undoes a
registration, it is logged instead.

Contact keys: one registration per contact and event (lower-cased e-mail, or the digits of the phone);
the database's unique constraint catches two identical registrations racing each other.
"""

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from metodist.core import scope
from metodist.events.models import HOLDS_PLACE, Event, EventStatus, Participant, ParticipantStatus
from metodist.events.selectors import MANAGE, can_manage, events_visible
from metodist.network.models import OrgUnit, StaffMember

log = logging.getLogger(__name__)

# Statuses that get a reminder the day before.
REMINDED_STATUSES = (ParticipantStatus.INVITED, ParticipantStatus.ACCEPTED, ParticipantStatus.REGISTERED)
# An invitation can be answered (and the answer changed) while it is in one of these statuses.
ANSWERABLE_STATUSES = (ParticipantStatus.INVITED, ParticipantStatus.ACCEPTED, ParticipantStatus.DECLINED)
STAFF_SEARCH_LIMIT = 50


# --- contacts ---------------------------------------------------------------------------------------


def phone_digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    # A Kazakh number is dialled 8 7xx… at home and +7 7xx… from a mobile: one person, one key.
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    return digits


def contact_key(*, email: str = "", phone: str = "") -> str:
    """The key of one registration per contact: the lower-cased e-mail, else the digits of the phone."""
    email = (email or "").strip().lower()
    return email or phone_digits(phone)


def _contact_taken(event: Event, *, email: str, phone: str, exclude_pk: int | None = None) -> bool:
    email = (email or "").strip().lower()
    digits = phone_digits(phone)
    keys = [k for k in (email, digits) if k]
    if not keys:
        return False
    condition = Q(contact_key__in=keys)
    if email:
        condition |= Q(email__iexact=email)
    if digits:
        condition |= Q(phone=_normal_phone(phone))
    qs = event.participants.filter(condition)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _normal_phone(phone: str) -> str:
    """How a phone typed into our forms is stored, so the same number typed twice compares equal."""
    digits = phone_digits(phone)
    return f"+{digits}" if digits else ""


def _clean_line(text: str) -> str:
    # Names go into mail headers and tables: no line breaks, no runs of spaces.
    return " ".join((text or "").split())


# --- reads ------------------------------------------------------------------------------------------


def places_left(event: Event) -> int | None:
    """Free places for registration; None when the event has no capacity limit."""
    if not event.capacity:
        return None
    taken = event.participants.filter(status__in=HOLDS_PLACE).count()
    return max(0, event.capacity - taken)


def status_counts(event: Event) -> dict[str, int]:
    rows = event.participants.values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def waiting_position(participant: Participant) -> int | None:
    """The participant's place in the waiting list (1 is next), or None when not waiting."""
    if participant.status != ParticipantStatus.WAITLISTED:
        return None
    ahead = participant.event.participants.filter(status=ParticipantStatus.WAITLISTED).filter(
        Q(created_at__lt=participant.created_at) | Q(created_at=participant.created_at, pk__lt=participant.pk)
    )
    return ahead.count() + 1


def registration_refusal(event: Event, *, now: datetime | None = None) -> str:
    """Why the public registration for the event is refused now, or "" when it is open."""
    now = now or timezone.now()
    if event.status == EventStatus.CANCELLED:
        return _("The event has been cancelled.")
    if not event.registration_open:
        return _("Registration for this event is closed.")
    if event.starts_at <= now:
        return _("Registration is over: the event has already started.")
    return ""


def current_staff(user, *, unit: OrgUnit | None = None, position: str = "") -> QuerySet:
    """Staff members working today in units the user sees, optionally in one unit's subtree or position."""
    today = timezone.localdate()
    qs = scope.records(user, StaffMember.objects.select_related("unit"), scope.VIEW).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today), unit__archived_at__isnull=True
    )
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if position:
        qs = qs.filter(position=position)
    return qs.order_by("unit__path", "full_name", "pk")


def staff_positions(user) -> list[str]:
    """The positions held by current staff in the user's scope: the "roles" one can invite by."""
    rows = current_staff(user).order_by().values_list("position", flat=True).distinct()
    return sorted({p for p in rows if p})


def staff_search(user, text: str) -> list[StaffMember]:
    text = text.strip()
    if not text:
        return []
    # A regex, not icontains: SQLite's LIKE folds only ASCII case, and names are Cyrillic.
    found = current_staff(user).filter(full_name__iregex=re.escape(text))
    return list(found[:STAFF_SEARCH_LIMIT])


# --- mail -------------------------------------------------------------------------------------------


def _link(base_url: str, name: str, token: str) -> str:
    return base_url.rstrip("/") + reverse(name, args=[token])


def _message(participant: Participant, kind: str, subject: str, base_url: str) -> EmailMessage:
    event = participant.event
    context = {
        "participant": participant,
        "event": event,
        "accept_url": _link(base_url, "events:invitation_accept", participant.token),
        "decline_url": _link(base_url, "events:invitation_decline", participant.token),
        "registration_url": _link(base_url, "events:registration", participant.token),
        "cancel_url": _link(base_url, "events:registration_cancel", participant.token),
        "is_invitation": participant.status in ANSWERABLE_STATUSES,
    }
    body = render_to_string(f"events/email/{kind}.txt", context)
    return EmailMessage(_clean_line(subject), body, settings.DEFAULT_FROM_EMAIL, [participant.email])


def _send(messages: list[EmailMessage]) -> int:
    """Send the messages; answers how many went. A failing server is logged, never raised."""
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # any mail error: the data is saved, the sender is told by the count
        log.exception("Could not send %s e-mail(s)", len(messages))
        return 0


def _invitation_message(participant: Participant, base_url: str) -> EmailMessage:
    subject = _("Invitation: %(title)s") % {"title": participant.event.title}
    return _message(participant, "invitation", subject, base_url)


def _promotion_message(participant: Participant, base_url: str) -> EmailMessage:
    subject = _("A place is free for you: %(title)s") % {"title": participant.event.title}
    return _message(participant, "promoted", subject, base_url)


# --- invitations ------------------------------------------------------------------------------------


@dataclass
class InviteResult:
    invited: list[Participant] = field(default_factory=list)
    already: int = 0
    mailed: int = 0


def _require_manage(user, event: Event) -> None:
    if not can_manage(user, event):
        raise PermissionDenied(_("You cannot manage the participants of this event."))


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def participants_invite_staff(
    *, user, event: Event, staff: Iterable[StaffMember], base_url: str
) -> InviteResult:
    """Invite staff members; those already on the list are counted, not invited twice."""
    _require_manage(user, event)
    result = InviteResult()
    with transaction.atomic():
        event = _lock(event)
        on_list = set(event.participants.exclude(staff_member=None).values_list("staff_member_id", flat=True))
        used_keys = set(event.participants.exclude(contact_key="").values_list("contact_key", flat=True))
        new = []
        for member in staff:
            if member.pk in on_list:
                result.already += 1
                continue
            on_list.add(member.pk)
            key = contact_key(email=member.email, phone=member.phone)
            # Colleagues of a small library often share its one mailbox: the key goes to the first of them.
            if key in used_keys:
                key = ""
            elif key:
                used_keys.add(key)
            new.append(
                Participant(
                    event=event,
                    staff_member=member,
                    full_name=member.full_name,
                    unit=member.unit,
                    email=member.email,
                    phone=member.phone,
                    contact_key=key,
                    status=ParticipantStatus.INVITED,
                )
            )
        Participant.objects.bulk_create(new)
        result.invited = new
    result.mailed = _send([_invitation_message(p, base_url) for p in result.invited if p.email])
    return result


def participant_invite_outside(
    *,
    user,
    event: Event,
    full_name: str,
    organisation: str = "",
    email: str = "",
    phone: str = "",
    base_url: str,
) -> tuple[Participant, bool]:
    """Invite a person from outside the network; answers the participant and whether the mail went."""
    _require_manage(user, event)
    with transaction.atomic():
        event = _lock(event)
        participant = Participant(
            event=event,
            full_name=_clean_line(full_name),
            organisation=_clean_line(organisation),
            email=(email or "").strip(),
            phone=_normal_phone(phone),
            contact_key=contact_key(email=email, phone=phone),
            status=ParticipantStatus.INVITED,
        )
        _save_new(participant)
    mailed = bool(participant.email) and _send([_invitation_message(participant, base_url)]) == 1
    return participant, mailed


def _duplicate_error() -> ValidationError:
    return ValidationError(
        _("Someone with this e-mail or phone is already on the list of this event."), code="duplicate"
    )


def _save_new(participant: Participant) -> None:
    """Validate and insert a participant whose contact must be new for the event."""
    participant.full_clean(exclude=["event", "staff_member", "unit"], validate_constraints=False)
    if _contact_taken(participant.event, email=participant.email, phone=participant.phone):
        raise _duplicate_error()
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError as exc:  # the same contact registered a moment ago in another request
        raise _duplicate_error() from exc


def invitation_answer(*, participant: Participant, accept: bool, base_url: str) -> Participant:
    """An invitee accepts or declines (and may change their mind until the event starts)."""
    promoted: list[Participant] = []
    with transaction.atomic():
        event = _lock(participant.event)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        participant.event = event
        if participant.status not in ANSWERABLE_STATUSES:
            raise ValidationError(_("This invitation is no longer valid."), code="invalid")
        if event.status == EventStatus.CANCELLED:
            raise ValidationError(_("The event has been cancelled."), code="cancelled")
        if event.starts_at <= timezone.now():
            raise ValidationError(_("The event has already started."), code="started")
        held = participant.status in HOLDS_PLACE
        participant.status = ParticipantStatus.ACCEPTED if accept else ParticipantStatus.DECLINED
        participant.save(update_fields=["status", "updated_at"])
        if held and not accept:
            promoted = _promote_from_waiting_list(event)
    _send([_promotion_message(p, base_url) for p in promoted if p.email])
    return participant


# --- public registration ----------------------------------------------------------------------------


def registration_create(
    *, event: Event, full_name: str, email: str = "", phone: str = "", base_url: str
) -> Participant:
    """Register a visitor: a place while there is one, else the waiting list. Mails a confirmation."""
    if not (email or "").strip() and not phone_digits(phone):
        raise ValidationError(_("Give an e-mail address or a phone number."), code="no_contact")
    with transaction.atomic():
        event = _lock(event)
        refusal = registration_refusal(event)
        if refusal:
            raise ValidationError(refusal, code="closed")
        left = places_left(event)
        participant = Participant(
            event=event,
            full_name=_clean_line(full_name),
            email=(email or "").strip(),
            phone=_normal_phone(phone),
            contact_key=contact_key(email=email, phone=phone),
            status=ParticipantStatus.REGISTERED if left is None or left > 0 else ParticipantStatus.WAITLISTED,
        )
        _save_new(participant)
    if participant.email:
        if participant.status == ParticipantStatus.WAITLISTED:
            subject = _("You are on the waiting list: %(title)s") % {"title": event.title}
        else:
            subject = _("You are registered: %(title)s") % {"title": event.title}
        _send([_message(participant, "registration", subject, base_url)])
    return participant


def _promote_from_waiting_list(event: Event) -> list[Participant]:
    """Give free places to the first people of the waiting list; call it inside the event's lock."""
    left = places_left(event)
    if not left:
        return []
    waiting = list(
        event.participants.select_for_update()
        .filter(status=ParticipantStatus.WAITLISTED)
        .order_by("created_at", "pk")[:left]
    )
    for participant in waiting:
        participant.status = ParticipantStatus.REGISTERED
        participant.save(update_fields=["status", "updated_at"])
    return waiting


def _cancel(participant: Participant) -> tuple[Participant, list[Participant]]:
    event = _lock(participant.event)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    participant.event = event
    if participant.status == ParticipantStatus.CANCELLED:
        return participant, []
    held = participant.status in HOLDS_PLACE
    participant.status = ParticipantStatus.CANCELLED
    participant.save(update_fields=["status", "updated_at"])
    return participant, _promote_from_waiting_list(event) if held else []


def registration_cancel(*, participant: Participant, base_url: str) -> Participant:
    """The visitor cancels their own registration; the next person waiting gets the place (and a mail)."""
    with transaction.atomic():
        if participant.event.starts_at <= timezone.now():
            raise ValidationError(_("The event has already started."), code="started")
        participant, promoted = _cancel(participant)
    _send([_promotion_message(p, base_url) for p in promoted if p.email])
    return participant


def participant_withdraw(*, user, participant: Participant, base_url: str) -> list[Participant]:
    """The organiser takes a person off the list; answers who moved up from the waiting list."""
    _require_manage(user, participant.event)
    with transaction.atomic():
        _, promoted = _cancel(participant)
    _send([_promotion_message(p, base_url) for p in promoted if p.email])
    return promoted


# --- attendance -------------------------------------------------------------------------------------


def attendance_sync(event: Event) -> int | None:
    """The actual number of participants follows attendance, unless it was entered by hand.

    No attendance marked leaves the number empty rather than 0: nothing was counted yet.
    """
    event.refresh_from_db(fields=["participants_actual_manual", "participants_actual"])
    if event.participants_actual_manual:
        return event.participants_actual
    attended = event.participants.filter(attended=True).count() or None
    if attended != event.participants_actual:
        event.participants_actual = attended
        event.save(update_fields=["participants_actual", "updated_at"])
    return attended


def attendance_mark(*, user, participant: Participant, attended: bool) -> Participant:
    """Tick or untick a participant on the attendance list."""
    _require_manage(user, participant.event)
    with transaction.atomic():
        event = _lock(participant.event)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        participant.event = event
        if participant.attended != attended:
            participant.attended = attended
            if not attended:
                participant.checked_in_at = None
            participant.save(update_fields=["attended", "checked_in_at", "updated_at"])
            attendance_sync(event)
    return participant


def participant_check_in(*, user, participant: Participant) -> tuple[Participant, bool]:
    """Check a person in by the QR code of their ticket; answers the participant and "was already in"."""
    _require_manage(user, participant.event)
    with transaction.atomic():
        event = _lock(participant.event)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        participant.event = event
        if participant.attended:
            return participant, True
        participant.attended = True
        participant.checked_in_at = timezone.now()
        participant.save(update_fields=["attended", "checked_in_at", "updated_at"])
        attendance_sync(event)
    return participant, False


def participant_for_check_in(user, token: str) -> Participant:
    """The participant of a ticket, among events the user manages; 404 otherwise."""
    found = (
        Participant.objects.select_related("event", "unit")
        .filter(token=token, event__in=events_visible(user, MANAGE))
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- reminders --------------------------------------------------------------------------------------


@dataclass
class ReminderSummary:
    events: int = 0
    sent: int = 0
    failed: int = 0


def tomorrow_bounds(now: datetime) -> tuple[datetime, datetime]:
    """Start and end of tomorrow in the users' time zone (Asia/Almaty by default)."""
    zone = timezone.get_default_timezone()
    tomorrow = timezone.localtime(now, zone).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


def reminders_send(*, base_url: str, now: datetime | None = None) -> ReminderSummary:
    """Remind by e-mail, once, everyone expected at an event that starts tomorrow.

    Each participant is claimed (`reminded_at` set) before the mail goes, so two runs at once never
    send twice; a failed mail is released to be retried by the next run.
    """
    now = now or timezone.now()
    start, end = tomorrow_bounds(now)
    # A system job without a user: it reads every event of the installation, no scope applies.
    due = (
        Participant.objects.select_related("event", "event__venue_unit")
        .filter(
            event__starts_at__gte=start,
            event__starts_at__lt=end,
            status__in=REMINDED_STATUSES,
            reminded_at__isnull=True,
        )
        .exclude(event__status=EventStatus.CANCELLED)
        .exclude(email="")
        .order_by("event_id", "pk")
    )
    summary = ReminderSummary()
    events = set()
    connection = get_connection()
    for participant in due:
        claimed = Participant.objects.filter(pk=participant.pk, reminded_at__isnull=True).update(
            reminded_at=now
        )
        if not claimed:
            continue
        subject = _("Reminder: %(title)s is tomorrow") % {"title": participant.event.title}
        try:
            connection.send_messages([_message(participant, "reminder", subject, base_url)])
        except Exception:  # one bad address or a server hiccup must not stop the others
            log.exception("Could not send a reminder to participant %s", participant.pk)
            Participant.objects.filter(pk=participant.pk).update(reminded_at=None)
            summary.failed += 1
            continue
        summary.sent += 1
        events.add(participant.event_id)
    summary.events = len(events)
    return summary
