"""Writes the demo services and promotion, PR and image (see `promotion_data.py`): the catalogue of library
services, three campaigns (one running now), about forty media mentions over the year before the anchor
and two press releases made from held events of the regional library.

Idempotent: a service is looked up by its unit and Russian name, a campaign by its unit and title, a
mention by its unit, outlet and title, a press release by its event and language; a rerun adds nothing.
Missing units (a trimmed network) are skipped.
"""

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from metodist.demo import promotion_data as data
from metodist.demo.events_load import anchor_month
from metodist.events.models import Event, EventStatus
from metodist.marketing import promotion
from metodist.marketing.models.promotion import (
    LibraryService,
    MediaMention,
    PressRelease,
    PromotionCampaign,
    codes_to_text,
)
from metodist.network.models import OrgUnit
from metodist.reporting.models import Indicator

REGION = "VKO"
REGIONAL = "VKOUB"


def _month(anchor: date, offset: int, day: int = 1) -> date:
    index = anchor.year * 12 + anchor.month - 1 + offset
    return date(index // 12, index % 12 + 1, min(day, 28))


def _units(codes) -> dict[str, OrgUnit]:
    return {u.code: u for u in OrgUnit.objects.filter(code__in=set(codes))}


def _services(units: dict[str, OrgUnit], created: Counter) -> dict[str, LibraryService]:
    regional = units[REGIONAL]
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={s.indicator for s in data.SERVICES})}
    existing = {s.name_ru: s for s in LibraryService.objects.filter(unit=regional)}
    for spec in data.SERVICES:
        if spec.name_ru in existing:
            continue
        service = LibraryService(
            unit=regional,
            name_ru=spec.name_ru,
            name_kk=spec.name_kk,
            description_ru=spec.description_ru,
            is_paid=spec.price is not None,
            price=spec.price,
            price_note=spec.price_note,
            target_groups=codes_to_text(spec.groups),
            channel=spec.channel,
            indicator=indicators.get(spec.indicator),
        )
        service.full_clean()
        service.save()
        service.offered_by.set([units[c] for c in spec.offered_by if c in units])
        existing[spec.name_ru] = service
        created["library services"] += 1
    return existing


def _campaigns(units, services, anchor: date, marketer, created: Counter) -> list[PromotionCampaign | None]:
    found = []
    for spec in data.CAMPAIGNS:
        unit = units.get(spec.unit)
        if unit is None:
            found.append(None)
            continue
        campaign = PromotionCampaign.objects.filter(unit=unit, title=spec.title).first()
        if campaign is None:
            starts = _month(anchor, spec.start_month, spec.start_day)
            campaign = PromotionCampaign(
                unit=unit,
                title=spec.title,
                starts_on=starts,
                ends_on=starts + timedelta(days=spec.days - 1),
                status=spec.status,
                target_group=spec.target_group,
                channels=codes_to_text(spec.channels),
                materials_text=spec.materials,
                reach_planned=spec.reach_planned,
                reach_actual=spec.reach_actual,
                result=spec.result,
                created_by=marketer,
            )
            campaign.full_clean()
            campaign.save()
            campaign.services.set([services[name] for name in spec.services if name in services])
            created["promotion campaigns"] += 1
        found.append(campaign)
    return found


def _held_events(anchor: date, **lookup) -> list[Event]:
    first = timezone.make_aware(datetime.combine(_month(anchor, -12), time.min))
    last = timezone.make_aware(datetime.combine(anchor, time.min))
    return list(
        Event.objects.filter(status=EventStatus.HELD, starts_at__gte=first, starts_at__lt=last, **lookup)
        .select_related("organiser_unit")
        .order_by("-starts_at", "id")
    )


def _add_mention(created: Counter, marketer, **fields) -> None:
    if MediaMention.objects.filter(
        unit=fields["unit"], outlet=fields["outlet"], title=fields["title"]
    ).exists():
        return
    mention = MediaMention(created_by=marketer, **fields)
    mention.full_clean()
    mention.save()
    created["media mentions"] += 1


def _mentions(units, services, campaigns, anchor: date, marketer, created: Counter) -> None:
    today = timezone.localdate()
    regional_events = _held_events(anchor, organiser_unit__path__startswith=units[REGIONAL].path)
    told = 0
    for index, spec in enumerate(data.MENTIONS):
        unit = units.get(spec.unit)
        if unit is None:
            continue
        campaign = campaigns[spec.campaign] if spec.campaign is not None else None
        event = None
        if spec.event and told < len(regional_events):
            event, told = regional_events[told], told + 1
            day = timezone.localtime(event.starts_at).date()
        elif campaign is not None:
            day = min(campaign.starts_on + timedelta(days=3 + 6 * (index % 4)), campaign.ends_on, today)
        else:
            day = _month(anchor, -12 + index * 12 // len(data.MENTIONS), 3 + index * 7 % 24)
        _add_mention(
            created,
            marketer,
            unit=unit,
            date=day,
            outlet=spec.outlet,
            kind=spec.kind,
            title=spec.title,
            url=spec.url,
            tone=spec.tone,
            reach=spec.reach,
            event=event,
            service=services.get(spec.service),
            campaign=campaign,
        )
    region = units.get(REGION) or units[REGIONAL]
    events = _held_events(anchor, organiser_unit__path__startswith=region.path)
    step = max(len(events) // data.EVENT_MENTIONS, 1)
    for index, event in enumerate(events[::step][: data.EVENT_MENTIONS]):
        outlet, kind, language, url, reach, tone = data.EVENT_OUTLETS[index % len(data.EVENT_OUTLETS)]
        _add_mention(
            created,
            marketer,
            unit=event.organiser_unit,
            date=timezone.localtime(event.starts_at).date(),
            outlet=outlet,
            kind=kind,
            title=data.EVENT_TITLE[language].format(title=event.title)[:500],
            url=url,
            tone=tone,
            reach=reach,
            event=event,
        )


def _releases(units, campaigns, anchor: date, marketer, created: Counter) -> None:
    events = _held_events(anchor, organiser_unit__path__startswith=units[REGIONAL].path)
    for spec in data.RELEASES:
        if spec.event_index >= len(events):
            continue
        event = events[spec.event_index]
        if PressRelease.objects.filter(event=event, language=spec.language).exists():
            continue
        title, text = promotion.release_draft(event, spec.language)
        release = PressRelease(
            unit=units[REGIONAL],
            event=event,
            language=spec.language,
            title=title[:300],
            text=text,
            released_on=timezone.localtime(event.starts_at).date() + timedelta(days=1),
            created_by=marketer,
        )
        release.full_clean()
        release.save()
        created["press releases"] += 1


def load_promotion() -> Counter:
    created: Counter = Counter()
    codes = {REGION, REGIONAL}
    for service in data.SERVICES:
        codes.update(service.offered_by)
    codes.update(c.unit for c in data.CAMPAIGNS)
    codes.update(m.unit for m in data.MENTIONS)
    units = _units(codes)
    if REGIONAL not in units:
        return created
    anchor = anchor_month()
    marketer = get_user_model().objects.filter(username="marketer").first()
    with transaction.atomic():
        services = _services(units, created)
        campaigns = _campaigns(units, services, anchor, marketer, created)
        _mentions(units, services, campaigns, anchor, marketer, created)
        _releases(units, campaigns, anchor, marketer, created)
    return created
