"""Recommendations: reads through the user's scope, the overdue ones, the answer of the unit, the reopening.

A recommendation is visible to whoever sees the unit that issued it or the unit that must act. The unit
that must act answers it (a librarian with `edit_card` on that unit); the issuer (`manage_assistance` on
the issuing unit) may reopen it. "Overdue" is derived: past the due date and not done.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from metodist.assistance.models import Recommendation, RecommendationStatus
from metodist.core import scope

MANAGE = "manage_assistance"
ANSWER = "edit_card"
log = logging.getLogger(__name__)
ANSWER_STATUSES = (RecommendationStatus.IN_PROGRESS, RecommendationStatus.DONE)


def recommendations_visible(user) -> QuerySet:
    qs = Recommendation.objects.select_related("issuer_unit", "unit", "direction", "visit", "issued_by")
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


def can_reopen(user, recommendation: Recommendation) -> bool:
    return recommendation.status != RecommendationStatus.OPEN and scope.covers(
        user, recommendation.issuer_unit, MANAGE
    )


@transaction.atomic
def recommendation_answer(
    *, user, recommendation: Recommendation, answer: str, status: str
) -> Recommendation:
    """The unit's answer: what it did, and whether the work is in progress or done."""
    if not can_answer(user, recommendation):
        raise PermissionDenied(_("Only the unit that must act answers this recommendation."))
    if status not in ANSWER_STATUSES:
        raise ValidationError({"status": _("Choose “in progress” or “done”.")})
    if not answer.strip():
        raise ValidationError({"answer": _("Say what was done.")})
    recommendation.answer = answer.strip()
    recommendation.status = status
    recommendation.answered_at = timezone.now()
    recommendation.answered_by = user
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_reopen(*, user, recommendation: Recommendation) -> Recommendation:
    """The issuer is not satisfied with the answer: the recommendation is open again (the answer stays)."""
    if not scope.covers(user, recommendation.issuer_unit, MANAGE):
        raise PermissionDenied(_("Only the unit that issued this recommendation can reopen it."))
    recommendation.status = RecommendationStatus.OPEN
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
