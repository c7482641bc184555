"""The correspondence log: reads through the user's scope, what waits for a reply and what is overdue, the
figures by counterpart and by month (aggregated in SQL), and the writes: entries with their attachments,
replies, "no reply needed" and reopening.

An entry belongs to the unit that keeps the log (`owner_unit`, usually a methodological department);
whoever has `manage_assistance` there may change it. It is visible as well to whoever sees the counterpart
unit, so an online centre reads what it wrote and what it was answered. An entry *waits* while it has a
reply due and no reply (`closed_at` is empty); it is *overdue* once the due date has passed.
"""

import datetime
import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from metodist.assistance.models import Letter, LetterChannel, LetterDirection, LetterFile
from metodist.assistance.services import default_unit
from metodist.core import scope
from metodist.events.services import check_upload
from metodist.network.models import OrgUnit, StaffMember

MANAGE = "manage_assistance"
# A library written to answers the department's requests: who may edit its card is who owes the answer.
ANSWER = "edit_card"
HISTORY_LIMIT = 50
THREAD_LIMIT = 20
LETTER_FIELDS = (
    "owner_unit",
    "handled_by",
    "direction",
    "date",
    "number",
    "counterpart_unit",
    "counterpart_name",
    "channel",
    "subject",
    "summary",
    "reply_due",
)
# What a reply takes from the form; the log, the counterpart and the direction come from the original.
REPLY_FIELDS = ("handled_by", "date", "number", "channel", "subject", "summary", "reply_due")
WAITING, OVERDUE = "waiting", "overdue"


def opposite(direction: str) -> str:
    return LetterDirection.OUTGOING if direction == LetterDirection.INCOMING else LetterDirection.INCOMING


# --- reads ----------------------------------------------------------------------------------------------


def _under(prefixes: tuple[str, ...] | None, field: str) -> Q:
    """Rows whose `field` (a tree path) lies under one of `prefixes`; None means everywhere."""
    if prefixes is None:
        return Q()
    condition = Q(pk__in=[])  # no prefix: nothing
    for prefix in prefixes:
        condition |= Q(**{f"{field}__startswith": prefix})
    return condition


def letters_visible(user, capability: str = scope.VIEW) -> QuerySet:
    """Entries the user may see (the log or the counterpart in scope) or change (`manage_assistance`)."""
    qs = Letter.objects.select_related("owner_unit", "counterpart_unit", "handled_by")
    if capability != scope.VIEW:
        return scope.records(user, qs, capability, unit_field="owner_unit")
    allowed = scope.prefixes(user, scope.VIEW)
    if allowed is None:
        return qs
    if not allowed:
        return qs.none()
    return qs.filter(_under(allowed, "owner_unit__path") | _under(allowed, "counterpart_unit__path"))


def get_letter_or_404(user, pk, capability: str = scope.VIEW) -> Letter:
    try:
        return letters_visible(user, capability).get(pk=pk)
    except (Letter.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_manage_letter(user, letter: Letter) -> bool:
    return scope.covers(user, letter.owner_unit, MANAGE)


def may_record(user) -> bool:
    return scope.prefixes(user, MANAGE) != ()


def waiting(letters: QuerySet) -> QuerySet:
    """Entries with a reply due and no reply yet."""
    return letters.filter(reply_due__isnull=False, closed_at__isnull=True)


def overdue(letters: QuerySet, *, today: datetime.date | None = None) -> QuerySet:
    return waiting(letters).filter(reply_due__lt=today or timezone.localdate())


def filter_letters(
    letters: QuerySet,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    direction: str = "",
    channel: str = "",
    under: OrgUnit | None = None,
    state: str = "",
    handled_by=None,
    text: str = "",
    today: datetime.date | None = None,
) -> QuerySet:
    """Narrow entries already limited to the user's scope; `under` keeps counterparts in a unit's subtree."""
    if date_from:
        letters = letters.filter(date__gte=date_from)
    if date_to:
        letters = letters.filter(date__lte=date_to)
    if direction:
        letters = letters.filter(direction=direction)
    if channel:
        letters = letters.filter(channel=channel)
    if under is not None:
        letters = letters.filter(counterpart_unit__path__startswith=under.path)
    if state == WAITING:
        letters = waiting(letters)
    elif state == OVERDUE:
        letters = overdue(letters, today=today)
    if handled_by is not None:
        letters = letters.filter(handled_by=handled_by)
    text = text.strip()
    if text:
        # A regex, not icontains: SQLite's LIKE folds only ASCII case, and the log is Cyrillic.
        pattern = re.escape(text)
        letters = letters.filter(
            Q(subject__iregex=pattern)
            | Q(summary__iregex=pattern)
            | Q(number__iregex=pattern)
            | Q(counterpart_name__iregex=pattern)
        )
    return letters


def owed_by(user, *, within: QuerySet | None = None) -> QuerySet:
    """Entries waiting for a reply `user` owes, the soonest due (so the overdue) first.

    In a log she keeps: the incoming entries she handles or that nobody handles yet. In a library that
    is written to (where she keeps no log): the outgoing entries to her units that wait for their answer.
    `within` limits the answer to what another person (the one looking) may see.
    """
    manage = scope.prefixes(user, MANAGE)
    condition = Q(pk__in=[])
    if manage is None or manage:
        condition |= (
            Q(direction=LetterDirection.INCOMING)
            & _under(manage, "owner_unit__path")
            & (Q(handled_by=user) | Q(handled_by__isnull=True))
        )
    answer = scope.prefixes(user, ANSWER)
    if answer:  # None (a superuser) keeps every log: nothing is owed as a library
        to_library = _under(answer, "counterpart_unit__path")
        if manage:
            to_library &= ~_under(manage, "counterpart_unit__path")
        condition |= Q(direction=LetterDirection.OUTGOING) & to_library
    letters = within if within is not None else letters_visible(user)
    return waiting(letters.filter(condition)).order_by("reply_due", "date", "id")


def with_marks(letters: QuerySet) -> QuerySet:
    """Annotate `has_files` and `has_reply` for a list (two EXISTS, no join that repeats rows)."""
    return letters.annotate(
        has_files=Exists(LetterFile.objects.filter(letter=OuterRef("pk"))),
        has_reply=Exists(Letter.objects.filter(in_reply_to=OuterRef("pk"))),
    )


def handled_on(letters: QuerySet, *, person, day: datetime.date) -> QuerySet:
    return letters.filter(handled_by=person, date=day).order_by("id")


def handlers(user) -> QuerySet:
    """People whose day the user may look at: who handles entries of the logs the user keeps, and herself."""
    kept = letters_visible(user, MANAGE).order_by().values("handled_by")
    return (
        get_user_model()
        .objects.filter(Q(pk__in=kept) | Q(pk=user.pk), is_active=True)
        .order_by("last_name", "first_name", "username")
    )


def thread(user, letter: Letter) -> dict:
    """What the entry replies to (the chain up to the first letter, oldest first) and its replies."""
    visible = letters_visible(user)
    earlier: list[Letter] = []
    seen = {letter.pk}
    parent_id = letter.in_reply_to_id
    while parent_id and parent_id not in seen and len(earlier) < THREAD_LIMIT:
        parent = visible.filter(pk=parent_id).first()
        if parent is None:
            break
        earlier.append(parent)
        seen.add(parent.pk)
        parent_id = parent.in_reply_to_id
    earlier.reverse()
    replies = visible.filter(in_reply_to=letter).order_by("date", "id")
    return {"earlier": earlier, "replies": replies}


def letter_history(letter: Letter, *, limit: int = HISTORY_LIMIT) -> list[dict]:
    """Changes of the entry, newest first, with the fields that changed between versions."""
    records = list(
        letter.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    pairs = list(zip(records, [*records[1:], None], strict=False))[:limit]
    diffs = [
        (newer, newer.diff_against(older).changes if older is not None else []) for newer, older in pairs
    ]
    unit_ids, user_ids, letter_ids = set(), set(), set()
    for _newer, changes in diffs:
        for change in changes:
            values = {v for v in (change.old, change.new) if v}
            if change.field in ("owner_unit", "counterpart_unit"):
                unit_ids |= values
            elif change.field == "handled_by":
                user_ids |= values
            elif change.field == "in_reply_to":
                letter_ids |= values
    # Related rows appear in the diff by their id: one query a model names them all.
    names = {
        "owner_unit": {u.pk: u.name for u in OrgUnit.objects.filter(pk__in=unit_ids)},
        "handled_by": {
            u.pk: u.get_full_name() or u.username for u in get_user_model().objects.filter(pk__in=user_ids)
        },
        "in_reply_to": {x.pk: str(x) for x in Letter.objects.filter(pk__in=letter_ids)},
    }
    names["counterpart_unit"] = names["owner_unit"]
    choices = {"direction": dict(LetterDirection.choices), "channel": dict(LetterChannel.choices)}
    changes = []
    for newer, field_changes in diffs:
        diff = []
        for change in field_changes:
            if change.field == "created_by":
                continue
            old, new = change.old, change.new
            lookup = names.get(change.field) or choices.get(change.field)
            if lookup is not None:
                old, new = lookup.get(old, old), lookup.get(new, new)
            if isinstance(old, datetime.datetime) or isinstance(new, datetime.datetime):
                old, new = (timezone.localtime(v) if v else v for v in (old, new))
            field = Letter._meta.get_field(change.field)
            diff.append({"field": field.verbose_name, "old": old, "new": new})
        changes.append({"record": newer, "diff": diff})
    return changes


# --- figures --------------------------------------------------------------------------------------------

COUNT_NAMES = ("total", "incoming", "outgoing", "waiting", "overdue")


def _counts(today: datetime.date) -> dict:
    waits = Q(reply_due__isnull=False, closed_at__isnull=True)
    return {
        "total": Count("id"),
        "incoming": Count("id", filter=Q(direction=LetterDirection.INCOMING)),
        "outgoing": Count("id", filter=Q(direction=LetterDirection.OUTGOING)),
        "waiting": Count("id", filter=waits),
        "overdue": Count("id", filter=waits & Q(reply_due__lt=today)),
    }


def _row(label, key, values: dict) -> dict:
    return {"key": key, "label": label, **{name: values[name] for name in COUNT_NAMES}}


def _by_counterpart(letters: QuerySet, counts: dict) -> list[dict]:
    """A unit counts once whatever person of it is named; an outside organisation counts by its name."""
    units = list(letters.filter(counterpart_unit__isnull=False).values("counterpart_unit").annotate(**counts))
    names = {u.pk: u.name for u in OrgUnit.objects.filter(pk__in=[r["counterpart_unit"] for r in units])}
    rows = [_row(names.get(r["counterpart_unit"], "?"), f"unit:{r['counterpart_unit']}", r) for r in units]
    outside = letters.filter(counterpart_unit__isnull=True).values("counterpart_name").annotate(**counts)
    rows += [_row(r["counterpart_name"], f"name:{r['counterpart_name']}", r) for r in outside]
    return sorted(rows, key=lambda row: (-row["total"], str(row["label"])))


def _by_month(letters: QuerySet, counts: dict) -> list[dict]:
    rows = letters.annotate(month=TruncMonth("date")).values("month").annotate(**counts).order_by("month")
    return [_row(r["month"], r["month"], r) for r in rows]


def _by_channel(letters: QuerySet, counts: dict) -> list[dict]:
    rows = {r["channel"]: r for r in letters.values("channel").annotate(**counts)}
    return [_row(label, value, rows[value]) for value, label in LetterChannel.choices if value in rows]


def letter_figures(letters: QuerySet, *, today: datetime.date | None = None) -> dict:
    """Entries in total, by counterpart, by month and by channel: incoming, outgoing, waiting, overdue."""
    counts = _counts(today or timezone.localdate())
    letters = letters.order_by()
    return {
        "totals": letters.aggregate(**counts),
        "by_counterpart": _by_counterpart(letters, counts),
        "by_month": _by_month(letters, counts),
        "by_channel": _by_channel(letters, counts),
    }


# --- writes ---------------------------------------------------------------------------------------------


def default_owner(user) -> OrgUnit | None:
    """The log the user keeps by default: her own department (where she is on the staff), else the log of
    her latest entry, else the unit of her role that allows recording assistance."""
    kept = scope.units(user, MANAGE)
    staff = (
        StaffMember.objects.filter(user=user, left_on__isnull=True, unit__in=kept)
        .select_related("unit")
        .order_by("-unit__depth")
        .first()
    )
    if staff is not None:
        return staff.unit
    latest = letters_visible(user, MANAGE).filter(handled_by=user).order_by("-date", "-id").first()
    if latest is not None:
        return latest.owner_unit
    return default_unit(user)


def _require_manage(user, unit: OrgUnit) -> None:
    if not scope.covers(user, unit, MANAGE):
        raise PermissionDenied(
            _("You have no right to keep the correspondence log of “%(unit)s”.") % {"unit": unit.name}
        )


def _check_counterpart(user, unit: OrgUnit | None) -> None:
    if unit is not None and not scope.covers(user, unit, scope.VIEW):
        raise ValidationError({"counterpart_unit": _("Choose a unit of your part of the network.")})


def _check_files(files: list) -> None:
    for file in files:
        try:
            check_upload(file)
        except ValidationError as exc:
            name = getattr(file, "name", "")
            raise ValidationError(
                {"files": [_("“%(name)s”: %(error)s") % {"name": name, "error": m} for m in exc.messages]}
            ) from exc


def _add_files(letter: Letter, files: list) -> None:
    for file in files:
        LetterFile.objects.create(letter=letter, file=file, caption=getattr(file, "name", "")[:300])


def _save(letter: Letter) -> Letter:
    try:
        letter.full_clean(exclude=["created_by", "handled_by", "in_reply_to"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    letter.save()
    return letter


@transaction.atomic
def letter_create(*, user, data: dict, files: Iterable = ()) -> Letter:
    """Record an entry in the log of `data["owner_unit"]` (default: the user's log) with its attachments."""
    fields = {name: value for name, value in data.items() if name in LETTER_FIELDS}
    owner = fields.get("owner_unit") or default_owner(user)
    if owner is None:
        raise PermissionDenied(_("You have no right to keep a correspondence log."))
    fields["owner_unit"] = owner
    _require_manage(user, owner)
    _check_counterpart(user, fields.get("counterpart_unit"))
    fields["handled_by"] = fields.get("handled_by") or user
    files = list(files)
    _check_files(files)
    letter = _save(Letter(**fields, created_by=user))
    _add_files(letter, files)
    return letter


@transaction.atomic
def letter_update(
    *, user, letter: Letter, data: dict, files: Iterable = (), remove_files: Iterable[LetterFile] = ()
) -> Letter:
    """Change the fields in `data`; `files` are added to the attachments, `remove_files` taken off."""
    # The stored log and counterpart, not what a form may already have put on the object in memory.
    stored = Letter.objects.select_related("owner_unit", "counterpart_unit").get(pk=letter.pk)
    _require_manage(user, stored.owner_unit)
    fields = {name: value for name, value in data.items() if name in LETTER_FIELDS}
    if fields.get("owner_unit") is not None and fields["owner_unit"] != stored.owner_unit:
        _require_manage(user, fields["owner_unit"])
    if "counterpart_unit" in fields and fields["counterpart_unit"] != stored.counterpart_unit:
        _check_counterpart(user, fields["counterpart_unit"])
    files = list(files)
    _check_files(files)
    for name, value in fields.items():
        setattr(letter, name, value)
    letter.closed_at = stored.closed_at  # only a reply, "no reply needed" or reopening change it
    _save(letter)
    LetterFile.objects.filter(letter=letter, pk__in=[f.pk for f in remove_files]).delete()
    _add_files(letter, files)
    return letter


@transaction.atomic
def reply_create(*, user, original: Letter, data: dict, files: Iterable = ()) -> Letter:
    """Record the reply to `original` in the same log, to the same counterpart, the other way; it closes
    the original (an outgoing reply to an incoming letter, an incoming one to our request)."""
    # Locked while the reply is saved; no join in the locking query (PostgreSQL cannot lock an outer join).
    stored = Letter.objects.select_for_update().get(pk=original.pk)
    _require_manage(user, stored.owner_unit)
    fields = {name: value for name, value in data.items() if name in REPLY_FIELDS}
    fields.setdefault("channel", stored.channel)
    if not fields.get("subject"):
        fields["subject"] = (_("Re: %(subject)s") % {"subject": stored.subject})[:500]
    if fields.get("date") and fields["date"] < stored.date:
        raise ValidationError({"date": _("A reply cannot be dated before the letter it answers.")})
    files = list(files)
    _check_files(files)
    reply = Letter(
        **fields,
        owner_unit=stored.owner_unit,
        counterpart_unit=stored.counterpart_unit,
        counterpart_name=stored.counterpart_name,
        direction=opposite(stored.direction),
        in_reply_to=stored,
        created_by=user,
    )
    reply.handled_by = fields.get("handled_by") or user
    _save(reply)
    _add_files(reply, files)
    if stored.closed_at is None:
        stored.closed_at = timezone.now()
        stored.save()
    original.closed_at = stored.closed_at
    return reply


@transaction.atomic
def mark_no_reply_needed(*, user, letter: Letter) -> Letter:
    """The entry no longer waits, though no reply was recorded (it was settled by phone, or withdrawn)."""
    stored = Letter.objects.select_for_update().get(pk=letter.pk)
    _require_manage(user, stored.owner_unit)
    if stored.closed_at is None:
        stored.closed_at = timezone.now()
        stored.save()
    letter.closed_at = stored.closed_at
    return letter


@transaction.atomic
def letter_reopen(*, user, letter: Letter) -> Letter:
    """The entry waits again (a reply did not settle it); the replies stay in the thread."""
    stored = Letter.objects.select_for_update().get(pk=letter.pk)
    _require_manage(user, stored.owner_unit)
    if stored.closed_at is not None:
        stored.closed_at = None
        stored.save()
    letter.closed_at = None
    return letter
