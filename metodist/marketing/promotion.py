"""Selectors and services of services and promotion, PR and image.

Reads start from `metodist.core.scope`: a service is seen by whoever covers the unit that keeps its card
or one of the libraries that offer it; campaigns, mentions and press releases by whoever covers their
unit. Writes need `manage_marketing` on the unit and run in a transaction after `full_clean()`.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from metodist.core import scope
from metodist.events.documents import report as event_report
from metodist.events.models import Event, EventStatus
from metodist.events.selectors import events_visible
from metodist.events.services import check_upload
from metodist.marketing.models.promotion import (
    CampaignMaterial,
    CampaignStatus,
    LibraryService,
    MediaMention,
    PressRelease,
    PromotionCampaign,
    Tone,
    codes_to_text,
    has_code,
)
from metodist.network.models import OrgUnit
from metodist.reporting.models import Aggregation
from metodist.reporting.selectors import rollup

MANAGE = "manage_marketing"
USAGE_MONTHS = 12
MAX_USAGE_UNITS = 30


def may_manage(user) -> bool:
    return scope.prefixes(user, MANAGE) != ()


def may_view(user) -> bool:
    return scope.prefixes(user, scope.VIEW) != ()


def _require(user, unit: OrgUnit) -> None:
    if not scope.covers(user, unit, MANAGE):
        raise PermissionDenied


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- services -----------------------------------------------------------------------------------------------


def services_visible(user, capability: str = scope.VIEW) -> QuerySet:
    own = scope.records(user, LibraryService.objects.all(), capability).values("pk")
    if capability != scope.VIEW:
        return LibraryService.objects.filter(pk__in=own).select_related("unit", "indicator")
    offering = scope.filter_by_path(
        user, LibraryService.offered_by.through.objects.all(), path_field="orgunit__path"
    ).values("libraryservice_id")
    return LibraryService.objects.filter(Q(pk__in=own) | Q(pk__in=offering)).select_related(
        "unit", "indicator"
    )


def get_service_or_404(user, pk, capability: str = scope.VIEW) -> LibraryService:
    return _get(services_visible(user, capability), pk)


def filter_services(
    services: QuerySet,
    *,
    paid: str = "",
    target_group: str = "",
    channel: str = "",
    unit: OrgUnit | None = None,
) -> QuerySet:
    if paid == "free":
        services = services.filter(is_paid=False)
    elif paid == "paid":
        services = services.filter(is_paid=True)
    if target_group:
        services = services.filter(has_code("target_groups", target_group))
    if channel:
        services = services.filter(channel=channel)
    if unit is not None:
        services = services.filter(offered_by=unit)
    return services


def _clean_save(obj) -> None:
    obj.full_clean()
    obj.save()


def service_save(*, user, service: LibraryService | None, data: dict) -> LibraryService:
    """Create (`service` None) or change a service card; `data` holds model fields, `offered_by` and
    `target_groups` as lists."""
    data = dict(data)
    offered_by = list(data.pop("offered_by", []))
    target_groups = data.pop("target_groups", [])
    service = service or LibraryService()
    for name, value in data.items():
        setattr(service, name, value)
    service.target_groups = codes_to_text(target_groups)
    _require(user, service.unit)
    for unit in offered_by:
        if not scope.covers(user, unit, MANAGE):
            raise ValidationError(
                {"offered_by": _("You cannot add a library outside your part of the network.")}
            )
    with transaction.atomic():
        _clean_save(service)
        service.offered_by.set(offered_by)
    return service


def service_delete(*, user, service: LibraryService) -> None:
    _require(user, service.unit)
    service.delete()


@dataclass
class UsageRow:
    unit: OrgUnit
    value: Decimal | None


@dataclass
class Usage:
    first: datetime.date
    last: datetime.date
    rows: list[UsageRow]
    total: Decimal | None


def _month_start(day: datetime.date, back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def service_usage(user, service: LibraryService, *, today: datetime.date | None = None) -> Usage | None:
    """The last 12 whole months of the service's usage indicator, rolled up over each offering library
    (its subtree) that the user sees; the total sums the libraries not nested in another one (a sum rule)."""
    if service.indicator_id is None:
        return None
    today = today or timezone.localdate()
    first = _month_start(today, USAGE_MONTHS)
    last = today.replace(day=1) - datetime.timedelta(days=1)
    units = list(scope.units(user, queryset=service.offered_by.all()).order_by("path")[:MAX_USAGE_UNITS])
    rows = []
    for unit in units:
        found = rollup(service.indicator, under=unit, first=first, last=last)
        rows.append(UsageRow(unit, found[0].value if found else None))
    total = None
    if service.indicator.aggregation == Aggregation.SUM:
        paths = [r.unit.path for r in rows]
        outer = [r for r in rows if not any(r.unit.path != p and r.unit.path.startswith(p) for p in paths)]
        total = sum((r.value or Decimal(0) for r in outer), Decimal(0))
    return Usage(first=first, last=last, rows=rows, total=total)


@dataclass
class TopService:
    """A service of the subtree with its usage over the last 12 whole months (None: no usage indicator or
    no figures) and the number of libraries of the subtree offering it; prints as one line of the list."""

    service: LibraryService
    usage: Decimal | None
    libraries: int

    @property
    def name(self) -> str:
        return self.service.name

    def __str__(self) -> str:
        from django.utils.formats import number_format
        from django.utils.translation import ngettext

        offered = ngettext(
            "offered by %(count)s library", "offered by %(count)s libraries", self.libraries
        ) % {"count": self.libraries}
        if self.usage is None:
            return f"{self.service.name} — {offered}"
        used = _("used %(count)s times in 12 months") % {
            "count": number_format(self.usage.normalize(), decimal_pos=None, force_grouping=True)
        }
        return f"{self.service.name} — {used}; {offered}"


MAX_RANKED = 20  # at most this many roll-ups (one per service with a usage indicator)


def top_services(unit: OrgUnit, *, limit: int = 5, today: datetime.date | None = None) -> list[TopService]:
    """The services offered now in the subtree of `unit`, the most used first (the usage indicator rolled
    up over the subtree and the last 12 whole months; one roll-up per service at most, for the services
    offered by the most libraries), then by the number of libraries of the subtree offering them.
    Counts only: the caller checked the viewer may see the subtree."""
    in_tree = Q(offered_by__path__startswith=unit.path)
    services = list(
        LibraryService.objects.filter(in_tree, is_active=True)
        .annotate(libraries=Count("offered_by", filter=in_tree, distinct=True))
        .select_related("indicator")
        .order_by("-libraries", "name_ru", "id")
    )
    today = today or timezone.localdate()
    first = _month_start(today, USAGE_MONTHS)
    last = today.replace(day=1) - datetime.timedelta(days=1)
    usage: dict[int, Decimal | None] = {}
    for service in [s for s in services if s.indicator_id][:MAX_RANKED]:
        found = rollup(service.indicator, under=unit, first=first, last=last)
        usage[service.pk] = found[0].value if found and found[0].value is not None else None
    rows = [TopService(s, usage.get(s.pk), s.libraries) for s in services]
    rows.sort(key=lambda r: (r.usage is None, -(r.usage or 0), -r.libraries, r.service.name_ru, r.service.pk))
    return rows[:limit]


# --- campaigns ----------------------------------------------------------------------------------------------


def campaigns_visible(user, capability: str = scope.VIEW) -> QuerySet:
    return scope.records(user, PromotionCampaign.objects.select_related("unit"), capability)


def get_campaign_or_404(user, pk, capability: str = scope.VIEW) -> PromotionCampaign:
    return _get(campaigns_visible(user, capability), pk)


def campaign_save(*, user, campaign: PromotionCampaign | None, data: dict) -> PromotionCampaign:
    data = dict(data)
    services = list(data.pop("services", []))
    channels = data.pop("channels", [])
    campaign = campaign or PromotionCampaign(created_by=user)
    for name, value in data.items():
        setattr(campaign, name, value)
    campaign.channels = codes_to_text(channels)
    _require(user, campaign.unit)
    visible = set(services_visible(user).values_list("pk", flat=True))
    if any(s.pk not in visible for s in services):
        raise ValidationError({"services": _("Choose services from the catalogue.")})
    with transaction.atomic():
        _clean_save(campaign)
        campaign.services.set(services)
    return campaign


def campaign_delete(*, user, campaign: PromotionCampaign) -> None:
    _require(user, campaign.unit)
    campaign.delete()


def material_add(*, user, campaign: PromotionCampaign, file, title: str = "") -> CampaignMaterial:
    _require(user, campaign.unit)
    try:
        check_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    material = CampaignMaterial(campaign=campaign, title=title.strip(), file=file)
    with transaction.atomic():
        material.full_clean()
        material.save()
    return material


def material_delete(*, user, material: CampaignMaterial) -> None:
    _require(user, material.campaign.unit)
    material.file.delete(save=False)
    material.delete()


@dataclass
class CalendarDay:
    day: datetime.date
    in_month: bool
    campaigns: list


@dataclass
class CampaignCalendar:
    month: datetime.date
    weeks: list[list[CalendarDay]]
    previous: datetime.date
    next: datetime.date


def campaign_calendar(campaigns: QuerySet, month: datetime.date) -> CampaignCalendar:
    """The month as weeks of seven days (Monday first); each day lists the campaigns running on it."""
    month = month.replace(day=1)
    grid = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = grid[0][0], grid[-1][-1]
    running = list(
        campaigns.filter(starts_on__lte=last, ends_on__gte=first)
        .exclude(status=CampaignStatus.CANCELLED)
        .order_by("starts_on", "id")
    )
    weeks = [
        [
            CalendarDay(
                day, day.month == month.month, [c for c in running if c.starts_on <= day <= c.ends_on]
            )
            for day in week
        ]
        for week in grid
    ]
    return CampaignCalendar(
        month=month, weeks=weeks, previous=_month_start(month, 1), next=_month_start(month, -1)
    )


# --- media mentions -----------------------------------------------------------------------------------------


def mentions_visible(user, capability: str = scope.VIEW) -> QuerySet:
    return scope.records(
        user, MediaMention.objects.select_related("unit", "event", "service", "campaign"), capability
    )


def get_mention_or_404(user, pk, capability: str = scope.VIEW) -> MediaMention:
    return _get(mentions_visible(user, capability), pk)


def filter_mentions(
    mentions: QuerySet,
    *,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
    kind: str = "",
    tone: str = "",
    outlet: str = "",
    unit: OrgUnit | None = None,
    text: str = "",
) -> QuerySet:
    if first:
        mentions = mentions.filter(date__gte=first)
    if last:
        mentions = mentions.filter(date__lte=last)
    if kind:
        mentions = mentions.filter(kind=kind)
    if tone:
        mentions = mentions.filter(tone=tone)
    if outlet:
        # SQLite compares only Latin letters case-blind: match the outlet's name among the distinct names.
        wanted = outlet.strip().casefold()
        names = [name for name in outlets(mentions) if name.casefold() == wanted]
        mentions = mentions.filter(outlet__in=names)
    if unit is not None:
        mentions = mentions.filter(unit__path__startswith=unit.path)
    if text:
        mentions = mentions.filter(Q(title__icontains=text) | Q(outlet__icontains=text))
    return mentions


def _check_links(user, mention: MediaMention) -> None:
    if mention.event_id and not events_visible(user).filter(pk=mention.event_id).exists():
        raise ValidationError({"event": _("Choose an event you can see.")})
    if mention.service_id and not services_visible(user).filter(pk=mention.service_id).exists():
        raise ValidationError({"service": _("Choose services from the catalogue.")})
    if mention.campaign_id and not campaigns_visible(user).filter(pk=mention.campaign_id).exists():
        raise ValidationError({"campaign": _("Choose a campaign you can see.")})


def mention_save(*, user, mention: MediaMention | None, data: dict) -> MediaMention:
    mention = mention or MediaMention(created_by=user)
    for name, value in data.items():
        setattr(mention, name, value)
    mention.outlet = (mention.outlet or "").strip()
    mention.url = (mention.url or "").strip()
    _require(user, mention.unit)
    _check_links(user, mention)
    with transaction.atomic():
        _clean_save(mention)
    return mention


def mention_delete(*, user, mention: MediaMention) -> None:
    _require(user, mention.unit)
    mention.delete()


@dataclass
class MentionFigures:
    total: int
    reach: int
    by_month: list[dict]  # {"month": date, "count": n, "reach": n}
    by_outlet: list[dict]  # {"outlet": str, "count": n, "reach": n}
    by_tone: list[dict]  # {"tone": code, "label": str, "count": n, "reach": n}
    by_kind: list[dict]


def mention_figures(mentions: QuerySet) -> MentionFigures:
    """Counts and estimated reach of the mentions by month, outlet, tone and kind: SQL aggregates."""
    plain = mentions.order_by()
    totals = plain.aggregate(count=Count("id"), reach=Sum("reach"))
    by_month = list(
        plain.annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(count=Count("id"), reach=Sum("reach"))
        .order_by("month")
    )
    for row in by_month:
        if isinstance(row["month"], datetime.datetime):
            row["month"] = row["month"].date()
    by_outlet = list(
        plain.values("outlet").annotate(count=Count("id"), reach=Sum("reach")).order_by("-count", "outlet")
    )
    tone_counts = {
        row["tone"]: row for row in plain.values("tone").annotate(count=Count("id"), reach=Sum("reach"))
    }
    by_tone = [
        {
            "tone": tone.value,
            "label": tone.label,
            "count": tone_counts.get(tone.value, {}).get("count", 0),
            "reach": tone_counts.get(tone.value, {}).get("reach") or 0,
        }
        for tone in Tone
    ]
    kinds = dict(MediaMention._meta.get_field("kind").choices)
    by_kind = [
        {**row, "label": kinds.get(row["kind"], row["kind"])}
        for row in plain.values("kind")
        .annotate(count=Count("id"), reach=Sum("reach"))
        .order_by("-count", "kind")
    ]
    return MentionFigures(
        total=totals["count"] or 0,
        reach=totals["reach"] or 0,
        by_month=by_month,
        by_outlet=by_outlet,
        by_tone=by_tone,
        by_kind=by_kind,
    )


def outlets(mentions: QuerySet) -> list[str]:
    return list(mentions.order_by("outlet").values_list("outlet", flat=True).distinct())


# --- press releases -----------------------------------------------------------------------------------------


def releases_visible(user, capability: str = scope.VIEW) -> QuerySet:
    return scope.records(user, PressRelease.objects.select_related("unit", "event", "campaign"), capability)


def get_release_or_404(user, pk, capability: str = scope.VIEW) -> PressRelease:
    return _get(releases_visible(user, capability), pk)


def release_events(user) -> QuerySet:
    """Events a press release can be made from: held ones the user may see, the latest first."""
    return events_visible(user).filter(status=EventStatus.HELD).order_by("-starts_at")


def release_draft(event: Event, language: str) -> tuple[str, str]:
    """(title, text) of a press release: the event's published news report, or the generated one."""
    text = getattr(event, f"report_{language}", "") or event_report.generate(event, language)
    heading = {"ru": "Пресс-релиз", "kk": "Баспасөз релизі"}[language]
    return f"{heading}: {event.title}", text


def release_create(
    *, user, event: Event, language: str, campaign: PromotionCampaign | None = None
) -> PressRelease:
    if language not in event_report.LANGUAGES:
        raise ValidationError({"language": _("Choose Russian or Kazakh.")})
    if not release_events(user).filter(pk=event.pk).exists():
        raise ValidationError({"event": _("Choose an event you can see.")})
    unit = campaign.unit if campaign is not None else event.organiser_unit
    if not scope.covers(user, unit, MANAGE):
        units = scope.units(user, MANAGE).filter(path__in=_ancestor_paths(unit)).order_by("-depth")
        unit = units.first()
        if unit is None:
            raise PermissionDenied
    title, text = release_draft(event, language)
    release = PressRelease(
        unit=unit,
        event=event,
        campaign=campaign,
        language=language,
        title=title[:300],
        text=text,
        created_by=user,
    )
    with transaction.atomic():
        _clean_save(release)
    return release


def _ancestor_paths(unit: OrgUnit) -> list[str]:
    return [unit.path[:end] for end in range(OrgUnit.steplen, len(unit.path) + 1, OrgUnit.steplen)]


def release_update(*, user, release: PressRelease, data: dict) -> PressRelease:
    _require(user, release.unit)
    for name, value in data.items():
        setattr(release, name, value)
    with transaction.atomic():
        _clean_save(release)
    return release


def release_delete(*, user, release: PressRelease) -> None:
    _require(user, release.unit)
    release.delete()
