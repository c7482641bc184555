"""Recommendations: reads through the user's scope, the overdue ones, the writes of both sides.

A recommendation comes from a field visit (written with the visit, `metodist.assistance.visits`), from a
consultation, or on its own (after a report check). It is visible to whoever sees the unit that issued it
or the unit that must act. The issuer (`manage_assistance` on the issuing unit) records it and writes the
follow-up: accepts the answer as done or reopens it with a note. The unit that must act (a librarian with
`edit_card` on that unit) answers, with evidence files. "Overdue" is derived: past the due date, not done.
"""

import datetime
import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from metodist.assistance.models import (
    Consultation,
    FieldVisit,
    Recommendation,
    RecommendationFile,
    RecommendationStatus,
)
from metodist.assistance.selectors import consultations_visible
from metodist.assistance.services import default_unit
from metodist.core import scope
from metodist.events.services import check_upload

MANAGE = "manage_assistance"
ANSWER = "edit_card"
log = logging.getLogger(__name__)
ANSWER_STATUSES = (RecommendationStatus.IN_PROGRESS, RecommendationStatus.DONE)
# What the issuer writes; the answer, its status and its files belong to the unit that must act.
ISSUER_FIELDS = ("text", "direction", "unit", "due")


def recommendations_visible(user) -> QuerySet:
    qs = Recommendation.objects.select_related(
        "issuer_unit", "unit", "direction", "visit", "consultation", "issued_by", "answered_by"
    )
    allowed = scope.prefixes(user, scope.VIEW)
    if allowed is None:
        return qs
    if not allowed:
        return qs.none()
    condition = Q()
    for prefix in allowed:
        condition |= Q(issuer_unit__path__startswith=prefix) | Q(unit__path__startswith=prefix)
    return qs.filter(condition)


def get_recommendation_or_404(user, pk) -> Recommendation:
    try:
        return recommendations_visible(user).get(pk=pk)
    except (Recommendation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def to_act_on(user) -> QuerySet:
    """Recommendations the user's units must act on (where the user may answer)."""
    return scope.records(user, recommendations_visible(user), ANSWER, unit_field="unit")


def issued(user) -> QuerySet:
    """Recommendations issued by the units where the user records assistance."""
    return scope.records(user, recommendations_visible(user), MANAGE, unit_field="issuer_unit")


def overdue(recommendations: QuerySet, *, today: datetime.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return recommendations.filter(due__lt=today).exclude(status=RecommendationStatus.DONE)


def overdue_for(user, *, today: datetime.date | None = None) -> QuerySet:
    """Overdue recommendations the user issued (through their units) or must act on."""
    return overdue(issued(user) | to_act_on(user), today=today).distinct().order_by("due", "id")


def can_answer(user, recommendation: Recommendation) -> bool:
    return scope.covers(user, recommendation.unit, ANSWER)


def can_follow_up(user, recommendation: Recommendation) -> bool:
    """The issuer writes the follow-up once the unit has answered."""
    return recommendation.status != RecommendationStatus.OPEN and scope.covers(
        user, recommendation.issuer_unit, MANAGE
    )


# Reopening is one of the two outcomes of the follow-up.
can_reopen = can_follow_up


def is_answered(recommendation: Recommendation) -> bool:
    """An answer or evidence exists: the recommendation is part of the unit's record and stays."""
    return bool(recommendation.answer or recommendation.answered_at or recommendation.files.exists())


def files_of(recommendation: Recommendation) -> QuerySet:
    return recommendation.files.select_related("uploaded_by").order_by("id")


def get_file_or_404(user, pk, file_pk) -> RecommendationFile:
    """An evidence file of a recommendation the user sees."""
    recommendation = get_recommendation_or_404(user, pk)
    try:
        return recommendation.files.get(pk=file_pk)
    except (RecommendationFile.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- writes ---------------------------------------------------------------------------------------------


def _require_issuer(user, unit) -> None:
    if not scope.covers(user, unit, MANAGE):
        raise PermissionDenied(
            _("You have no right to issue recommendations of “%(unit)s”.") % {"unit": unit.name}
        )


def _require_unit_visible(user, unit) -> None:
    if unit is not None and not scope.covers(user, unit, scope.VIEW):
        raise ValidationError({"unit": _("Choose a unit of your part of the network.")})


def _check_files(files: Iterable[File], field: str = "files") -> list[File]:
    files = [f for f in files if f]
    errors = []
    for upload in files:
        try:
            check_upload(upload)
        except ValidationError as exc:
            errors += [f"{upload.name}: {message}" for message in exc.messages]
    if errors:
        raise ValidationError({field: errors})
    return files


def _save(recommendation: Recommendation) -> Recommendation:
    try:
        recommendation.full_clean(exclude=["issued_by", "answered_by", "visit", "consultation"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_create(
    *,
    user,
    data: dict,
    visit: FieldVisit | None = None,
    consultation: Consultation | None = None,
) -> Recommendation:
    """Issue a recommendation: from a visit (its organiser issues it), a consultation, or on its own.

    `data` holds text, direction, unit (that must act), due and, outside a visit, `issuer_unit` (default:
    the consultation's consultant unit, else the user's own unit).
    """
    if visit is not None and consultation is not None:
        raise ValidationError(
            {"consultation": _("A recommendation comes from a visit or from a consultation, not both.")}
        )
    if visit is not None:
        issuer = visit.organiser_unit
    else:
        issuer = data.get("issuer_unit") or (consultation.consultant_unit if consultation else None)
        issuer = issuer or default_unit(user)
    if issuer is None:
        raise PermissionDenied(_("You have no right to issue recommendations."))
    _require_issuer(user, issuer)
    if consultation is not None and not consultations_visible(user).filter(pk=consultation.pk).exists():
        raise ValidationError({"consultation": _("The consultation was not found.")})
    _require_unit_visible(user, data.get("unit"))
    recommendation = Recommendation(
        visit=visit,
        consultation=consultation,
        issuer_unit=issuer,
        issued_by=user,
        **{name: data.get(name) for name in ISSUER_FIELDS},
    )
    return _save(recommendation)


@transaction.atomic
def recommendation_update(*, user, recommendation: Recommendation, data: dict) -> Recommendation:
    """The issuer corrects text, direction, unit or due date; the answer and its files are kept.

    The unit that must act cannot change once it has answered: its answer would stand under another name.
    """
    stored = Recommendation.objects.select_related("issuer_unit", "unit").get(pk=recommendation.pk)
    _require_issuer(user, stored.issuer_unit)
    fields = {name: value for name, value in data.items() if name in ISSUER_FIELDS}
    unit = fields.get("unit")
    if unit is not None and unit != stored.unit:
        if is_answered(stored):
            raise ValidationError(
                {
                    "unit": _("“%(unit)s” has already answered; the unit cannot change.")
                    % {"unit": stored.unit}
                }
            )
        _require_unit_visible(user, unit)
    if all(getattr(stored, name) == value for name, value in fields.items()):
        return recommendation  # unchanged: no save, no line in the history
    for name, value in fields.items():
        setattr(recommendation, name, value)
    return _save(recommendation)


@transaction.atomic
def recommendation_delete(*, user, recommendation: Recommendation) -> None:
    """The issuer withdraws a recommendation nobody has answered yet."""
    _require_issuer(user, recommendation.issuer_unit)
    if is_answered(recommendation):
        message = _("“%(text)s” has an answer; it cannot be deleted.") % {"text": recommendation.text[:60]}
        raise ValidationError({"recommendations": [message]})
    recommendation.delete()


@transaction.atomic
def recommendation_answer(
    *, user, recommendation: Recommendation, answer: str, status: str, files: Iterable[File] = ()
) -> Recommendation:
    """The unit's answer: what it did, whether the work is in progress or done, and the evidence.

    The files are added to those given before; the whole answer is saved or nothing (a refused file
    leaves the earlier answer and its files as they were).
    """
    if not can_answer(user, recommendation):
        raise PermissionDenied(_("Only the unit that must act answers this recommendation."))
    errors = {}
    if status not in ANSWER_STATUSES:
        errors["status"] = [_("Choose “in progress” or “done”.")]
    if not answer.strip():
        errors["answer"] = [_("Say what was done.")]
    try:
        files = _check_files(files)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    recommendation.answer = answer.strip()
    recommendation.status = status
    recommendation.answered_at = timezone.now()
    recommendation.answered_by = user
    recommendation.save()
    for upload in files:
        RecommendationFile.objects.create(recommendation=recommendation, file=upload, uploaded_by=user)
    return recommendation


@transaction.atomic
def recommendation_accept(*, user, recommendation: Recommendation, note: str = "") -> Recommendation:
    """The issuer accepts the answer: the recommendation is done; `note` is the follow-up."""
    if not can_follow_up(user, recommendation):
        raise PermissionDenied(_("Only the unit that issued this recommendation accepts its answer."))
    recommendation.status = RecommendationStatus.DONE
    recommendation.follow_up = note.strip()
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_reopen(*, user, recommendation: Recommendation, note: str = "") -> Recommendation:
    """The issuer is not satisfied with the answer: open again (the answer stays), `note` says why."""
    if not scope.covers(user, recommendation.issuer_unit, MANAGE):
        raise PermissionDenied(_("Only the unit that issued this recommendation can reopen it."))
    recommendation.status = RecommendationStatus.OPEN
    if note.strip():
        recommendation.follow_up = note.strip()
    recommendation.save()
    return recommendation


# --- reminders ------------------------------------------------------------------------------------------


def _recipients(recommendation: Recommendation) -> list[str]:
    """The author and the people of the unit that must act who may answer (not the whole district above)."""
    emails = {recommendation.issued_by.email} if recommendation.issued_by_id else set()
    for role in recommendation.unit.roles.select_related("user").filter(user__is_active=True):
        if ANSWER in role.capabilities:
            emails.add(role.user.email)
    return sorted(e for e in emails if e)


def overdue_reminders_send(*, now: datetime.datetime, base_url: str) -> tuple[int, int]:
    """Tell both sides, once, about each recommendation that became overdue. Answers (sent, failed).

    Each recommendation is claimed (`overdue_reminded_at`) before the mail goes, so two runs never send
    twice; a failed mail is released for the next run. Reopening does not remind again.
    """
    today = timezone.localdate(now)
    # A system job without a user: every recommendation of the installation, no scope applies.
    due = overdue(Recommendation.objects.select_related("unit", "issued_by"), today=today).filter(
        overdue_reminded_at__isnull=True
    )
    sent = failed = 0
    connection = get_connection()
    for recommendation in due.order_by("pk"):
        if not Recommendation.objects.filter(pk=recommendation.pk, overdue_reminded_at__isnull=True).update(
            overdue_reminded_at=now
        ):
            continue
        recipients = _recipients(recommendation)
        if not recipients:
            continue
        link = f"{base_url}{reverse('assistance:recommendation_answer', args=[recommendation.pk])}"
        subject = _("Overdue recommendation: %(unit)s") % {"unit": recommendation.unit.name}
        body = _("The recommendation was due on %(due)s:\n\n%(text)s\n\n%(link)s") % {
            "due": f"{recommendation.due:%d.%m.%Y}",
            "text": recommendation.text,
            "link": link,
        }
        try:
            connection.send_messages([EmailMessage(subject, body, to=recipients)])
        except Exception:  # one bad address or a server hiccup must not stop the others
            log.exception("Could not send the overdue reminder of recommendation %s", recommendation.pk)
            Recommendation.objects.filter(pk=recommendation.pk).update(overdue_reminded_at=None)
            failed += 1
            continue
        sent += 1
    return sent, failed
