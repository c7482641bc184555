"""Promotion campaigns: the card, bad input, materials checked like every upload, the month calendar that
places a campaign on its days, and scope."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metodist.marketing import promotion
from metodist.marketing.models.promotion import CampaignMaterial, CampaignStatus, PromotionCampaign


def make_campaign(user, unit, title, starts, ends, *, status=CampaignStatus.RUNNING, channels=("social",)):
    return promotion.campaign_save(
        user=user,
        campaign=None,
        data={
            "unit": unit,
            "title": title,
            "starts_on": starts,
            "ends_on": ends,
            "status": status,
            "channels": list(channels),
            "reach_planned": 5000,
        },
    )


@pytest.fixture
def campaigns(net, marketer, librarian):
    regional = make_campaign(
        marketer, net.regional, "«Читающая семья»", datetime.date(2026, 3, 28), datetime.date(2026, 4, 3)
    )
    # A marketer holds her role on the region, so she may run a campaign for Mukur too.
    mukur = make_campaign(
        marketer,
        net.mukur,
        "Мукур: школа компьютерной грамотности",
        datetime.date(2026, 4, 10),
        datetime.date(2026, 4, 10),
    )
    return regional, mukur


def test_the_calendar_places_a_campaign_on_each_of_its_days_and_nowhere_else(client_for, marketer, campaigns):
    regional, mukur = campaigns
    response = client_for(marketer).get("/marketing/campaigns/calendar/", {"month": "2026-04"})
    assert response.status_code == 200
    grid = response.context["calendar"]
    days = {cell.day: cell.campaigns for week in grid.weeks for cell in week}
    running = [day for day, found in days.items() if regional in found]
    # April 2026 starts on a Wednesday: the grid shows 30 and 31 March of the campaign too.
    assert running == [datetime.date(2026, 3, 30), datetime.date(2026, 3, 31)] + [
        datetime.date(2026, 4, d) for d in (1, 2, 3)
    ]
    assert [day for day, found in days.items() if mukur in found] == [datetime.date(2026, 4, 10)]
    page = response.content.decode()
    assert 'data-date="2026-04-10"' in page and f'data-campaign="{mukur.pk}"' in page


def test_a_cancelled_campaign_stays_off_the_calendar(marketer, campaigns):
    regional, _ = campaigns
    regional.status = CampaignStatus.CANCELLED
    regional.save()
    grid = promotion.campaign_calendar(promotion.campaigns_visible(marketer), datetime.date(2026, 4, 1))
    assert all(regional not in cell.campaigns for week in grid.weeks for cell in week)


def test_a_bad_month_in_the_address_shows_the_current_month(client_for, marketer, campaigns):
    response = client_for(marketer).get("/marketing/campaigns/calendar/", {"month": "2026-13"})
    assert response.status_code == 200
    assert response.context["calendar"].month.day == 1


def test_a_librarian_sees_her_library_campaign_but_not_the_regional_one(client_for, librarian, campaigns):
    regional, mukur = campaigns
    client = client_for(librarian)
    assert client.get(f"/marketing/campaigns/{mukur.pk}/").status_code == 200
    assert client.get(f"/marketing/campaigns/{regional.pk}/").status_code == 404
    grid = client.get("/marketing/campaigns/calendar/", {"month": "2026-04"}).context["calendar"]
    shown = {c for week in grid.weeks for cell in week for c in cell.campaigns}
    assert shown == {mukur}


def test_a_campaign_ending_before_it_starts_is_refused_with_a_message(client_for, marketer, net):
    response = client_for(marketer).post(
        "/marketing/campaigns/new/",
        {
            "unit": net.regional.pk,
            "title": "Неделя детской книги",
            "starts_on": "2026-05-10",
            "ends_on": "2026-05-01",
            "status": "planned",
            "channels": ["radio"],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"]
    assert "Неделя детской книги" in response.content.decode()
    assert not PromotionCampaign.objects.exists()


def test_a_campaign_needs_a_channel(client_for, marketer, net):
    response = client_for(marketer).post(
        "/marketing/campaigns/new/",
        {
            "unit": net.regional.pk,
            "title": "Без каналов",
            "starts_on": "2026-05-01",
            "ends_on": "2026-05-10",
            "status": "planned",
        },
    )
    assert response.context["form"].errors["channels"]


def test_the_title_of_a_campaign_is_shown_escaped(client_for, marketer, net):
    campaign = make_campaign(
        marketer,
        net.regional,
        "<script>alert(1)</script>",
        datetime.date(2026, 4, 1),
        datetime.date(2026, 4, 2),
    )
    page = client_for(marketer).get(f"/marketing/campaigns/{campaign.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_material_is_kept_when_it_is_a_real_pdf_and_refused_when_it_is_not(client_for, marketer, campaigns):
    regional, _ = campaigns
    client = client_for(marketer)
    url = f"/marketing/campaigns/{regional.pk}/materials/"
    good = SimpleUploadedFile("афиша.pdf", b"%PDF-1.4\n%\xe2\xe3\n", content_type="application/pdf")
    client.post(url, {"title": "Афиша", "file": good})
    bad = SimpleUploadedFile("листовка.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    response = client.post(url, {"title": "Листовка", "file": bad}, follow=True)
    assert [m.title for m in CampaignMaterial.objects.filter(campaign=regional)] == ["Афиша"]
    assert "PDF" in response.content.decode()


def test_a_librarian_cannot_add_material_to_the_regional_campaign(client_for, librarian, campaigns):
    regional, _ = campaigns
    good = SimpleUploadedFile("афиша.pdf", b"%PDF-1.4\n", content_type="application/pdf")
    response = client_for(librarian).post(f"/marketing/campaigns/{regional.pk}/materials/", {"file": good})
    assert response.status_code == 404
    assert not CampaignMaterial.objects.exists()
