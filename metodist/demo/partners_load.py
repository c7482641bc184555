"""Writes the demo partners (see `partners_data.py`): organisations of East Kazakhstan kept by the regional
library and some district libraries, their people, agreements (one expiring within 30 days of the anchor,
one expired, a draft, a terminated one) and the joint activities, some linked to the demo events.

A partner is looked up by its unit and name, an agreement by its unit and number, an activity by its partner
and title, so a rerun (even in a later month) adds nothing. Units and users the demo lacks are skipped.
"""

from collections import Counter
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from metodist.demo import partners_data as data
from metodist.demo.events_load import anchor_month
from metodist.events.models import Event
from metodist.marketing.models.partners import Agreement, JointActivity, Partner, PartnerContact
from metodist.network.models import OrgUnit

AUTHOR = "marketer"


def _months_back(anchor: date, months: int, day: int) -> date:
    index = anchor.year * 12 + anchor.month - 1 - months
    return date(index // 12, index % 12 + 1, day)


def _term(item: data.Agreement, anchor: date) -> tuple[date, date | None]:
    start = _months_back(anchor, item.months_back, 5)
    if item.ends_days is not None:
        return start, anchor + timedelta(days=item.ends_days)
    if item.years is None:
        return start, None
    return start, start.replace(year=start.year + item.years) - timedelta(days=1)


def _event(title_part: str, day: date) -> Event | None:
    if not title_part:
        return None
    month = Event.objects.filter(starts_at__year=day.year, starts_at__month=day.month)
    return month.filter(title__icontains=title_part).order_by("starts_at", "pk").first()


def load_partners(*, today: date | None = None) -> Counter:
    """Add the missing demo partners, agreements and activities; answers how many rows of each were made."""
    created: Counter = Counter()
    codes = {p.unit for p in data.PARTNERS} | {c for p in data.PARTNERS for c in p.libraries}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    author = get_user_model().objects.filter(username=AUTHOR).first()
    anchor = anchor_month(today)
    partners: dict[str, Partner] = {}
    for item in data.PARTNERS:
        unit = units.get(item.unit)
        if unit is None:
            continue
        partner, new = Partner.objects.get_or_create(
            unit=unit,
            name=item.name,
            defaults={
                "kind": item.kind,
                "address": item.address,
                "phone": item.phone,
                "email": item.email,
                "website": item.website,
                "created_by": author,
            },
        )
        partners[item.key] = partner
        if not new:
            continue
        created["marketing partners"] += 1
        for full_name, position, phone in item.contacts:
            PartnerContact.objects.create(
                partner=partner, full_name=full_name, position=position, phone=phone
            )
            created["partner contact people"] += 1
        partner.libraries.set([units[c] for c in item.libraries if c in units])
    for item in data.AGREEMENTS:
        partner = partners.get(item.partner)
        if partner is None or Agreement.objects.filter(unit=partner.unit, number=item.number).exists():
            continue
        start, end = _term(item, anchor)
        Agreement.objects.create(
            unit=partner.unit,
            partner=partner,
            number=item.number,
            signed_on=start - timedelta(days=3),
            starts_on=start,
            ends_on=end,
            subject=item.subject,
            status=item.status,
            created_by=author,
        )
        created["partner agreements"] += 1
    for item in data.ACTIVITIES:
        partner = partners.get(item.partner)
        if partner is None or JointActivity.objects.filter(partner=partner, title=item.title).exists():
            continue
        day = _months_back(anchor, item.months_back, item.day)
        JointActivity.objects.create(
            unit=partner.unit,
            partner=partner,
            date=day,
            title=item.title,
            event=_event(item.event_like, day),
            our_contribution=item.ours,
            partner_contribution=item.theirs,
            created_by=author,
        )
        created["joint activities with partners"] += 1
    return created
