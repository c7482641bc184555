"""Partners, agreements and joint activities: reads through the user's scope, writes as services.

Every record belongs to an org unit (`unit`): whoever sees the unit reads the record, whoever has
`manage_marketing` on it changes it. An agreement's "expiring" and "expired" states are derived from its
term and today (`Agreement.state`); lists compute the same in SQL (`filter_agreements`).
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from metodist.core import scope
from metodist.events.models import Event
from metodist.events.selectors import events_visible
from metodist.events.services import check_upload
from metodist.marketing.models.partners import (
    EXPIRING,
    EXPIRING_DAYS,
    Agreement,
    AgreementReminder,
    AgreementStatus,
    JointActivity,
    Partner,
    PartnerContact,
)
from metodist.network.models import OrgUnit

log = logging.getLogger(__name__)

MANAGE = "manage_marketing"
HISTORY_LIMIT = 50
PARTNER_FIELDS = ("unit", "name", "kind", "address", "phone", "email", "website", "note")
AGREEMENT_FIELDS = ("unit", "partner", "number", "signed_on", "starts_on", "ends_on", "subject", "status")
ACTIVITY_FIELDS = ("unit", "partner", "date", "title", "event", "our_contribution", "partner_contribution")
CONTACT_FIELDS = ("full_name", "position", "phone", "email")


# --- reads ----------------------------------------------------------------------------------------------


def may_manage(user) -> bool:
    return scope.prefixes(user, MANAGE) != ()


def can_manage(user, record) -> bool:
    return scope.covers(user, record.unit, MANAGE)


def manage_units(user) -> QuerySet:
    """Units the user may keep partners for: libraries and their departments where she manages marketing."""
    return (
        scope.units(user, MANAGE)
        .filter(archived_at__isnull=True)
        .exclude(kind__in=("country", "region", "district", "city", "settlement"))
        .order_by("path")
    )


def default_unit(user) -> OrgUnit | None:
    """The regional (or the topmost) library the user manages marketing for."""
    return manage_units(user).order_by("depth", "path").first()


def partners_visible(user, capability: str = scope.VIEW) -> QuerySet:
    return scope.records(user, Partner.objects.select_related("unit"), capability)


def get_partner_or_404(user, pk, capability: str = scope.VIEW) -> Partner:
    return scope.get_record_or_404(user, Partner.objects.select_related("unit"), capability, pk=pk)


def agreements_visible(user, capability: str = scope.VIEW) -> QuerySet:
    qs = Agreement.objects.select_related("unit", "partner", "created_by")
    return scope.records(user, qs, capability)


def get_agreement_or_404(user, pk, capability: str = scope.VIEW) -> Agreement:
    try:
        return agreements_visible(user, capability).get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def activities_visible(user, capability: str = scope.VIEW) -> QuerySet:
    qs = JointActivity.objects.select_related("unit", "partner", "event")
    return scope.records(user, qs, capability)


def get_activity_or_404(user, pk, capability: str = scope.VIEW) -> JointActivity:
    try:
        return activities_visible(user, capability).get(pk=pk)
    except (JointActivity.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def _expiring_q(today: datetime.date, days: int = EXPIRING_DAYS) -> Q:
    return Q(
        status=AgreementStatus.ACTIVE,
        ends_on__gte=today,
        ends_on__lte=today + datetime.timedelta(days=days),
    )


def state_q(state: str, today: datetime.date) -> Q:
    """The agreements whose `Agreement.state(today)` is `state`, as a condition for SQL."""
    active = Q(status=AgreementStatus.ACTIVE)
    if state == EXPIRING:
        return _expiring_q(today)
    if state == AgreementStatus.EXPIRED:
        return Q(status=AgreementStatus.EXPIRED) | (active & Q(ends_on__lt=today))
    if state == AgreementStatus.ACTIVE:
        soon = today + datetime.timedelta(days=EXPIRING_DAYS)
        return active & (Q(ends_on__isnull=True) | Q(ends_on__gt=soon))
    return Q(status=state)


def filter_partners(
    queryset: QuerySet, *, kind: str = "", search: str = "", expiring: bool = False, today=None
) -> QuerySet:
    if kind:
        queryset = queryset.filter(kind=kind)
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(contacts__full_name__icontains=search))
    if expiring:
        today = today or timezone.localdate()
        ids = Agreement.objects.filter(_expiring_q(today)).values("partner_id")
        queryset = queryset.filter(pk__in=ids)
    return queryset.distinct() if search else queryset


def with_counts(queryset: QuerySet, today: datetime.date) -> QuerySet:
    """Partners with their number of agreements in force and of joint activities."""
    in_force = Q(agreements__status=AgreementStatus.ACTIVE) & (
        Q(agreements__ends_on__isnull=True) | Q(agreements__ends_on__gte=today)
    )
    return queryset.annotate(
        agreements_in_force=Count("agreements", filter=in_force, distinct=True),
        activities_count=Count("activities", distinct=True),
    )


def filter_agreements(
    queryset: QuerySet,
    *,
    today: datetime.date,
    state: str = "",
    kind: str = "",
    partner: Partner | None = None,
    expiring: bool = False,
) -> QuerySet:
    if state:
        queryset = queryset.filter(state_q(state, today))
    if expiring:
        queryset = queryset.filter(_expiring_q(today))
    if kind:
        queryset = queryset.filter(partner__kind=kind)
    if partner is not None:
        queryset = queryset.filter(partner=partner)
    return queryset


def expiring_agreements(user, *, today: datetime.date, capability: str = scope.VIEW) -> QuerySet:
    """Active agreements the user sees that end within 30 days, soonest first."""
    return agreements_visible(user, capability).filter(_expiring_q(today)).order_by("ends_on", "pk")


def units_of_network(user) -> QuerySet:
    """Libraries the user sees: those that may be named as working with a partner."""
    return scope.units(user).filter(archived_at__isnull=True, kind__in=_library_kinds()).order_by("path")


def _library_kinds() -> tuple[str, ...]:
    return ("library", "online_centre", "college_library", "school_library", "department")


def agreement_history(agreements, *, limit: int = HISTORY_LIMIT) -> list[dict]:
    """Changes of the agreements, newest first, with the fields that changed between versions."""
    ids = [a.pk for a in agreements]
    records = list(
        Agreement.history.filter(id__in=ids)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit * 3]
    )
    older_of: dict[int, object] = {}
    changes = []
    # Walk from the oldest so each version is compared with the one before it of the same agreement.
    for record in reversed(records):
        older = older_of.get(record.id)
        diff = []
        if older is not None:
            for change in record.diff_against(older).changes:
                if change.field in ("created_by", "unit", "partner"):
                    continue
                field = Agreement._meta.get_field(change.field)
                old, new = change.old, change.new
                if change.field == "status":
                    labels = dict(AgreementStatus.choices)
                    old, new = labels.get(old, old), labels.get(new, new)
                diff.append({"field": field.verbose_name, "old": old, "new": new})
        older_of[record.id] = record
        changes.append({"record": record, "diff": diff, "number": record.number})
    changes.reverse()
    return changes[:limit]


# --- writes ---------------------------------------------------------------------------------------------


def _require_manage(user, unit: OrgUnit | None) -> OrgUnit:
    if unit is None:
        unit = default_unit(user)
    if unit is None or not scope.covers(user, unit, MANAGE):
        raise PermissionDenied(_("You have no right to keep the partners of this unit."))
    return unit


def _save(record):
    try:
        record.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    record.save()
    return record


def _check_libraries(user, libraries) -> list[OrgUnit]:
    libraries = list(libraries or [])
    visible = set(
        units_of_network(user).filter(pk__in=[u.pk for u in libraries]).values_list("pk", flat=True)
    )
    if any(u.pk not in visible for u in libraries):
        raise ValidationError({"libraries": _("Choose libraries of your part of the network.")})
    return libraries


def _set_contacts(partner: Partner, contacts: list[dict] | None) -> None:
    if contacts is None:
        return
    partner.contacts.all().delete()
    for data in contacts:
        fields = {name: (data.get(name) or "").strip() for name in CONTACT_FIELDS}
        if not fields["full_name"]:
            continue
        contact = PartnerContact(partner=partner, **fields)
        try:
            contact.full_clean(exclude=["partner"])
        except ValidationError as exc:
            raise ValidationError({"contacts": exc.messages}) from exc
        contact.save()


def _duplicate_name(unit: OrgUnit, name: str, exclude: int | None = None) -> None:
    same = Partner.objects.filter(unit=unit, name__iexact=(name or "").strip())
    if exclude:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise ValidationError({"name": _("This unit already keeps a partner with this name.")})


@transaction.atomic
def partner_create(*, user, data: dict, libraries=None, contacts: list[dict] | None = None) -> Partner:
    """Record a partner of `data["unit"]` (default: the user's library); `contacts` are its people."""
    fields = {name: value for name, value in data.items() if name in PARTNER_FIELDS}
    fields["unit"] = _require_manage(user, fields.get("unit"))
    fields["name"] = (fields.get("name") or "").strip()
    _duplicate_name(fields["unit"], fields["name"])
    partner = _save(Partner(**fields, created_by=user))
    partner.libraries.set(_check_libraries(user, libraries))
    _set_contacts(partner, contacts)
    return partner


@transaction.atomic
def partner_update(
    *, user, partner: Partner, data: dict, libraries=None, contacts: list[dict] | None = None
) -> Partner:
    stored = Partner.objects.select_related("unit").get(pk=partner.pk)
    _require_manage(user, stored.unit)
    fields = {name: value for name, value in data.items() if name in PARTNER_FIELDS}
    if fields.get("unit") is not None and fields["unit"] != stored.unit:
        _require_manage(user, fields["unit"])
    for name, value in fields.items():
        setattr(partner, name, value)
    partner.name = partner.name.strip()
    _duplicate_name(partner.unit, partner.name, exclude=partner.pk)
    _save(partner)
    if libraries is not None:
        # Libraries out of the user's sight that were named before stay named.
        hidden = stored.libraries.exclude(pk__in=units_of_network(user).values("pk"))
        partner.libraries.set([*_check_libraries(user, libraries), *hidden])
    _set_contacts(partner, contacts)
    return partner


def _check_partner(user, partner: Partner | None) -> None:
    if partner is not None and not partners_visible(user).filter(pk=partner.pk).exists():
        raise ValidationError({"partner": _("Choose a partner of your part of the network.")})


def _check_file(file) -> None:
    try:
        check_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc


def _duplicate_number(unit: OrgUnit, number: str, exclude: int | None = None) -> None:
    same = Agreement.objects.filter(unit=unit, number=(number or "").strip())
    if exclude:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise ValidationError({"number": _("This unit already has an agreement with this number.")})


@transaction.atomic
def agreement_create(*, user, data: dict, file=None) -> Agreement:
    """Record an agreement of `data["unit"]` (default: the user's library) with a partner she sees."""
    fields = {name: value for name, value in data.items() if name in AGREEMENT_FIELDS}
    fields["unit"] = _require_manage(user, fields.get("unit"))
    _check_partner(user, fields.get("partner"))
    fields["number"] = (fields.get("number") or "").strip()
    _duplicate_number(fields["unit"], fields["number"])
    agreement = Agreement(**fields, created_by=user)
    if file:
        _check_file(file)
        agreement.file = file
    return _save(agreement)


@transaction.atomic
def agreement_update(
    *, user, agreement: Agreement, data: dict, file=None, remove_file: bool = False
) -> Agreement:
    """Change the fields in `data`; a new `file` replaces the stored one, `remove_file` drops it."""
    stored = Agreement.objects.select_related("unit", "partner").get(pk=agreement.pk)
    _require_manage(user, stored.unit)
    fields = {name: value for name, value in data.items() if name in AGREEMENT_FIELDS}
    if fields.get("unit") is not None and fields["unit"] != stored.unit:
        _require_manage(user, fields["unit"])
    if "partner" in fields and fields["partner"] != stored.partner:
        _check_partner(user, fields["partner"])
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.number = agreement.number.strip()
    _duplicate_number(agreement.unit, agreement.number, exclude=agreement.pk)
    if file:
        _check_file(file)
        agreement.file = file
    elif remove_file:
        agreement.file = ""
    else:
        agreement.file = stored.file
    return _save(agreement)


def _check_event(user, event: Event | None) -> None:
    if event is not None and not events_visible(user).filter(pk=event.pk).exists():
        raise ValidationError({"event": _("Choose an event of your part of the network.")})


@transaction.atomic
def activity_create(*, user, data: dict) -> JointActivity:
    fields = {name: value for name, value in data.items() if name in ACTIVITY_FIELDS}
    fields["unit"] = _require_manage(user, fields.get("unit"))
    _check_partner(user, fields.get("partner"))
    _check_event(user, fields.get("event"))
    return _save(JointActivity(**fields, created_by=user))


@transaction.atomic
def activity_update(*, user, activity: JointActivity, data: dict) -> JointActivity:
    stored = JointActivity.objects.select_related("unit").get(pk=activity.pk)
    _require_manage(user, stored.unit)
    fields = {name: value for name, value in data.items() if name in ACTIVITY_FIELDS}
    if fields.get("unit") is not None and fields["unit"] != stored.unit:
        _require_manage(user, fields["unit"])
    if "event" in fields and fields["event"] != stored.event:
        _check_event(user, fields["event"])
    for name, value in fields.items():
        setattr(activity, name, value)
    return _save(activity)


@transaction.atomic
def activity_delete(*, user, activity: JointActivity) -> None:
    stored = JointActivity.objects.select_related("unit").get(pk=activity.pk)
    _require_manage(user, stored.unit)
    stored.delete()


# --- reminders ------------------------------------------------------------------------------------------


def _recipients(agreement: Agreement) -> list[str]:
    """Who keeps partners for the agreement's unit (the unit or above it), and who recorded it."""
    from metodist.accounts.models import ROLE_CAPABILITIES, Role

    kinds = [kind for kind, caps in ROLE_CAPABILITIES.items() if MANAGE in caps]
    paths = [*agreement.unit.ancestor_paths(), agreement.unit.path]
    roles = Role.objects.filter(unit__path__in=paths, kind__in=kinds, user__is_active=True)
    emails = set(roles.values_list("user__email", flat=True))
    if agreement.created_by_id and agreement.created_by.is_active:
        emails.add(agreement.created_by.email)
    return sorted(e for e in emails if e)


def expiry_reminders_send(*, now: datetime.datetime, base_url: str) -> tuple[int, int]:
    """Tell, once per agreement and end date, about active agreements ending within 30 days.

    A reminder row is claimed before the mail goes, so two runs never send twice; a failed mail releases
    it for the next run. Answers (sent, failed).
    """
    today = timezone.localdate(now)
    # A system job without a user: every agreement of the installation, no scope applies.
    due = (
        Agreement.objects.filter(_expiring_q(today))
        .exclude(
            models.Exists(
                AgreementReminder.objects.filter(
                    agreement=models.OuterRef("pk"), ends_on=models.OuterRef("ends_on")
                )
            )
        )
        .select_related("unit", "partner", "created_by")
        .order_by("ends_on", "pk")
    )
    sent = failed = 0
    connection = get_connection()
    for agreement in due:
        try:
            with transaction.atomic():
                claim = AgreementReminder.objects.create(agreement=agreement, ends_on=agreement.ends_on)
        except IntegrityError:
            continue
        recipients = _recipients(agreement)
        if not recipients:
            continue
        link = f"{base_url}{reverse('marketing:agreement_detail', args=[agreement.pk])}"
        subject = _("Agreement No. %(number)s with “%(partner)s” expires on %(end)s") % {
            "number": agreement.number,
            "partner": agreement.partner.name,
            "end": f"{agreement.ends_on:%d.%m.%Y}",
        }
        body = _(
            "The agreement No. %(number)s of %(unit)s with “%(partner)s” ends on %(end)s.\n"
            "Subject: %(subject)s\n\nProlong it or mark it as expired:\n%(link)s"
        ) % {
            "number": agreement.number,
            "unit": agreement.unit.name,
            "partner": agreement.partner.name,
            "end": f"{agreement.ends_on:%d.%m.%Y}",
            "subject": agreement.subject,
            "link": link,
        }
        try:
            connection.send_messages([EmailMessage(subject, body, to=recipients)])
        except Exception:  # one bad address or a server hiccup must not stop the others
            log.exception("Could not send the expiry reminder of agreement %s", agreement.pk)
            claim.delete()
            failed += 1
            continue
        sent += 1
    return sent, failed
