"""Media mentions and press releases: bad links refused, markup escaped, figures by month, outlet and tone
against hand counts, the XLSX read back, a press release made from an event's report and its DOCX, scope."""

import datetime
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from metodist.events.models import EventStatus
from metodist.events.tests.factories import EventFactory
from metodist.marketing import promotion
from metodist.marketing.models.promotion import MediaMention, PressRelease

KAZAKH_LETTERS = "әғқңөұүһі"


def mention(user, unit, day, outlet, kind, tone, reach, title="Библиотека в новостях"):
    return promotion.mention_save(
        user=user,
        mention=None,
        data={
            "unit": unit,
            "date": day,
            "outlet": outlet,
            "kind": kind,
            "tone": tone,
            "reach": reach,
            "title": title,
            "url": "",
        },
    )


@pytest.fixture
def mentions(net, marketer):
    d = datetime.date
    return [
        mention(marketer, net.regional, d(2026, 1, 10), "Рудный Алтай", "print", "positive", 12000),
        mention(marketer, net.regional, d(2026, 1, 25), "Ертіс", "tv", "positive", 40000),
        mention(marketer, net.mukur, d(2026, 1, 30), "Рудный Алтай", "print", "neutral", 8000),
        mention(
            marketer,
            net.regional,
            d(2026, 3, 2),
            "Дидар",
            "print",
            "negative",
            None,
            title="Кітапханаға жаңа қорлар түсті",
        ),
        mention(marketer, net.beskaragay_lib, d(2026, 3, 15), "Рудный Алтай", "web", "positive", 3000),
    ]


def test_figures_by_month_outlet_and_tone_match_the_hand_counts(marketer, mentions):
    figures = promotion.mention_figures(promotion.mentions_visible(marketer))
    assert figures.total == 5 and figures.reach == 63000
    assert [(r["month"], r["count"], r["reach"]) for r in figures.by_month] == [
        (datetime.date(2026, 1, 1), 3, 60000),
        (datetime.date(2026, 3, 1), 2, 3000),
    ]
    assert [(r["outlet"], r["count"]) for r in figures.by_outlet] == [
        ("Рудный Алтай", 3),
        ("Дидар", 1),
        ("Ертіс", 1),
    ]
    assert {r["tone"]: r["count"] for r in figures.by_tone} == {"positive": 3, "neutral": 1, "negative": 1}


def test_the_figures_page_follows_the_filters_and_the_scope(client_for, marketer, librarian, mentions):
    page = client_for(marketer).get("/marketing/media/figures/", {"tone": "positive"})
    assert page.context["figures"].total == 3
    assert "<svg" in page.content.decode()
    own = client_for(librarian).get("/marketing/media/figures/").context["figures"]
    assert own.total == 1 and own.by_outlet[0]["outlet"] == "Рудный Алтай"


def test_a_javascript_link_is_refused_and_nothing_is_saved(client_for, marketer, net):
    response = client_for(marketer).post(
        "/marketing/media/new/",
        {
            "unit": net.regional.pk,
            "date": "2026-04-01",
            "outlet": "kz.kursiv.media",
            "kind": "web",
            "title": "Библиотеки области",
            "url": "javascript:alert(1)",
            "tone": "positive",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["url"]
    assert "Библиотеки области" in response.content.decode()
    assert not MediaMention.objects.exists()


def test_an_https_link_is_kept_and_opened_without_giving_the_page_away(client_for, marketer, net):
    client = client_for(marketer)
    client.post(
        "/marketing/media/new/",
        {
            "unit": net.regional.pk,
            "date": "2026-04-01",
            "outlet": "Рудный Алтай",
            "kind": "web",
            "title": "<b>Библионочь</b>",
            "url": "https://rudnyialtai.kz/news/1",
            "tone": "positive",
            "reach": "1500",
        },
    )
    saved = MediaMention.objects.get()
    assert saved.url == "https://rudnyialtai.kz/news/1"
    page = client.get("/marketing/media/").content.decode()
    assert 'href="https://rudnyialtai.kz/news/1" target="_blank" rel="noopener noreferrer"' in page
    assert "&lt;b&gt;Библионочь&lt;/b&gt;" in page and "<b>Библионочь</b>" not in page


def test_the_list_filters_by_outlet_and_kind(client_for, marketer, mentions):
    found = client_for(marketer).get("/marketing/media/", {"outlet": "рудный алтай", "kind": "print"})
    assert len(found.context["page"].object_list) == 2


def test_a_librarian_sees_only_her_library_mentions_and_cannot_open_others(client_for, librarian, mentions):
    client = client_for(librarian)
    page = client.get("/marketing/media/")
    assert [m.pk for m in page.context["page"].object_list] == [mentions[2].pk]
    assert client.get(f"/marketing/media/{mentions[0].pk}/").status_code == 404
    assert client.get("/marketing/media/new/").status_code == 403


def test_the_xlsx_export_holds_the_filtered_mentions_in_cyrillic_and_kazakh(client_for, marketer, mentions):
    response = client_for(marketer).get("/marketing/media/export.xlsx", {"outlet": "Дидар"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    assert rows[0][1] == "Дидар" and rows[0][3] == "Кітапханаға жаңа қорлар түсті"
    assert rows[0][0].date() == datetime.date(2026, 3, 2)


def test_a_formula_typed_as_a_title_stays_text_in_the_workbook(client_for, marketer, net):
    mention(marketer, net.regional, datetime.date(2026, 2, 1), "Дидар", "print", "neutral", 10, title="=1+1")
    sheet = load_workbook(io.BytesIO(client_for(marketer).get("/marketing/media/export.xlsx").content)).active
    assert sheet.cell(row=2, column=4).value == "=1+1"
    assert sheet.cell(row=2, column=4).data_type == "s"


@pytest.fixture
def held_event(net):
    return EventFactory(
        organiser_unit=net.regional,
        title="Библионочь «Читающий Усть-Каменогорск»",
        status=EventStatus.HELD,
        starts_at=datetime.datetime(2026, 4, 18, 18, tzinfo=datetime.UTC),
        participants_actual=120,
        report_kk="Кітапханада «Оқитын Өскемен» библиотүні өтті. Қатысушылар саны – 120.",
    )


def test_a_press_release_is_made_from_the_event_report_edited_and_read_back_as_docx(
    client_for, marketer, held_event
):
    client = client_for(marketer)
    response = client.post(
        "/marketing/press-releases/new/", {"event": held_event.pk, "language": "ru", "submit_key": "p" * 32}
    )
    release = PressRelease.objects.get()
    assert response.status_code == 302
    assert release.title == "Пресс-релиз: Библионочь «Читающий Усть-Каменогорск»"
    assert "Библионочь" in release.text  # the generated Russian news report
    client.post(
        f"/marketing/press-releases/{release.pk}/",
        {"title": release.title, "text": "Первый абзац.\n\nВторой абзац о библиотеке.", "released_on": ""},
    )
    document = Document(io.BytesIO(client.get(f"/marketing/press-releases/{release.pk}/docx/").content))
    text = [p.text for p in document.paragraphs]
    assert "ПРЕСС-РЕЛИЗ" in text and "Второй абзац о библиотеке." in text


def test_a_kazakh_press_release_takes_the_published_kazakh_report(client_for, marketer, held_event):
    client_for(marketer).post("/marketing/press-releases/new/", {"event": held_event.pk, "language": "kk"})
    release = PressRelease.objects.get()
    assert release.text == held_event.report_kk
    document = Document(
        io.BytesIO(client_for(marketer).get(f"/marketing/press-releases/{release.pk}/docx/").content)
    )
    body = "\n".join(p.text for p in document.paragraphs)
    assert "БАСПАСӨЗ РЕЛИЗІ" in body and any(letter in body for letter in KAZAKH_LETTERS)


def test_a_press_release_cannot_be_made_from_an_event_out_of_scope(client_for, librarian, net, held_event):
    response = client_for(librarian).post(
        "/marketing/press-releases/new/", {"event": held_event.pk, "language": "ru"}
    )
    assert response.status_code == 403
    assert not PressRelease.objects.exists()
