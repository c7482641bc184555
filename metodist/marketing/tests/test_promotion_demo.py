"""The demo services, campaigns and PR: plausible amounts, one campaign running now, mentions mostly positive
over the last year, two press releases, and a second load that adds nothing."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from metodist.demo.events_load import load_events
from metodist.demo.load import _ensure_units, _ensure_users, build_plan
from metodist.demo.promotion_load import load_promotion
from metodist.marketing.models.promotion import (
    LibraryService,
    MediaMention,
    PressRelease,
    PromotionCampaign,
    Tone,
)


@pytest.fixture
def network_with_events(db):
    """What the promotion demo stands on: the network, the demo logins, the year of events, the indicators.
    (The whole `metodist demo` needs the migrated database; these tests run before the lead's migration.)"""
    from metodist.reporting.definitions import install_definitions

    units = _ensure_units(build_plan(), Counter())
    _ensure_users(units, Counter())
    load_events()
    install_definitions()


def test_the_demo_holds_services_campaigns_mentions_and_press_releases_and_loads_once(network_with_events):
    today = timezone.localdate()
    assert load_promotion()
    assert LibraryService.objects.count() == 15
    assert LibraryService.objects.filter(is_paid=True).count() == 6
    assert LibraryService.objects.filter(indicator__isnull=False).count() == 4
    assert PromotionCampaign.objects.count() == 3
    assert PromotionCampaign.objects.filter(starts_on__lte=today, ends_on__gte=today).count() == 1
    mentions = MediaMention.objects.all()
    assert 35 <= mentions.count() <= 40
    assert mentions.filter(tone=Tone.POSITIVE).count() > mentions.count() / 2
    assert mentions.filter(date__lt=today - datetime.timedelta(days=400)).count() == 0
    assert mentions.filter(event__isnull=False).count() >= 20
    assert PressRelease.objects.count() == 2
    assert set(PressRelease.objects.values_list("language", flat=True)) == {"ru", "kk"}
    assert all(release.text.strip() for release in PressRelease.objects.all())
    assert load_promotion() == {}


def test_every_page_opens_for_the_marketer_on_the_demo(network_with_events, client):
    from django.contrib.auth import get_user_model

    load_promotion()
    client.force_login(get_user_model().objects.get(username="marketer"))
    service = LibraryService.objects.exclude(indicator=None).first()
    campaign = PromotionCampaign.objects.first()
    mention = MediaMention.objects.exclude(event=None).first()
    release = PressRelease.objects.first()
    for url in [
        "/marketing/services/",
        f"/marketing/services/{service.pk}/",
        "/marketing/services/new/",
        f"/marketing/services/{service.pk}/edit/",
        "/marketing/campaigns/",
        "/marketing/campaigns/calendar/",
        f"/marketing/campaigns/{campaign.pk}/",
        f"/marketing/campaigns/{campaign.pk}/edit/",
        "/marketing/media/",
        "/marketing/media/figures/",
        f"/marketing/media/{mention.pk}/",
        f"/marketing/media/{mention.pk}/edit/",
        "/marketing/press-releases/new/",
        f"/marketing/press-releases/{release.pk}/",
    ]:
        assert client.get(url).status_code == 200, url
