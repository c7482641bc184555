"""Issue 5 in the browser: a methodologist records a visit to Mukur with two recommendations and a photo,
downloads the visit report; the Mukur librarian sees her recommendations, answers one with a file; the
overdue one shows on both home pages."""

import datetime
import io
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document
from PIL import Image
from playwright.sync_api import Page, expect

from metodist.assistance.models import FieldVisit, Recommendation, RecommendationStatus
from metodist.network.models import OrgUnit

pytestmark = pytest.mark.browser

OVERDUE_TEXT = "Вести дневник работы библиотеки ежедневно и подводить итоги месяца до 3 числа"
OPEN_TEXT = "Оформить уголок краеведения «Знатные люди села» с подписями к экспонатам"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _files(tmp_path: Path) -> tuple[Path, Path]:
    photo = tmp_path / "vystavka.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 110, 160)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    act = tmp_path / "akt-ugolok.pdf"
    act.write_bytes(PDF)
    return photo, act


def _log_out(page: Page) -> None:
    page.locator(".navbar .dropdown-toggle").last.click()
    page.locator("form[action$='/logout/'] button").click()
    page.wait_for_load_state()


def _fetch(page: Page, link: str) -> bytes:
    """What a link of the page downloads, with the page's session (a download with a time limit: the
    browser's own download has none and could hang the suite)."""
    href = page.locator(link).first.get_attribute("href")
    response = page.request.get(href, timeout=30_000)
    assert response.ok, f"{response.status} {href}"
    assert "attachment" in response.headers.get("content-disposition", "")
    return response.body()


def _docx_text(content: bytes) -> tuple[str, int]:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts), len(document.inline_shapes)


def test_a_visit_with_two_recommendations_is_answered_by_mukur_and_the_overdue_one_is_on_both_home_pages(
    demo, page, log_in, screenshot, failed_responses, tmp_path
):
    photo, act = _files(tmp_path)
    today = timezone.localdate()
    mukur = OrgUnit.objects.get(code="MUK-LIB")
    kainar = OrgUnit.objects.get(code="KAI-LIB")
    organiser = OrgUnit.objects.get(code="VKOUB-MO")

    # The methodologist records the visit, its findings, two recommendations for Mukur and a photo.
    log_in("methodist")
    page.goto("/assistance/visits/new/")
    page.fill("#id_start", (today - datetime.timedelta(days=10)).isoformat())
    page.fill("#id_end", (today - datetime.timedelta(days=9)).isoformat())
    page.select_option("#id_organiser_unit", str(organiser.pk))
    page.select_option("#id_destinations", [str(mukur.pk), str(kainar.pk)])
    page.fill("#id_purpose", "Методическая помощь Мукурской и Кайнарской сельским библиотекам")
    page.fill("#id_team", "Мальцева О. Н., Адикаева Р. М.")
    page.fill("#id_transport", "служебный автомобиль")
    page.select_option("#id_status", "done")
    page.fill("#id_people_met", "Заведующая Мукурской библиотекой Жумабаева А. С.")
    page.set_input_files("#id_photos", str(photo))
    page.fill("#id_photo_caption", "Книжная выставка в Мукурской библиотеке")
    page.select_option("#id_findings-0-direction", index=1)
    page.select_option("#id_findings-0-unit", str(mukur.pk))
    page.fill("#id_findings-0-text", "Дневник работы ведётся с пропусками")
    for index, (text, due) in enumerate(
        [(OVERDUE_TEXT, today - datetime.timedelta(days=3)), (OPEN_TEXT, today + datetime.timedelta(days=30))]
    ):
        page.fill(f"#id_recs-{index}-text", text)
        page.select_option(f"#id_recs-{index}-unit", str(mukur.pk))
        page.fill(f"#id_recs-{index}-due", due.isoformat())
    screenshot(page, "visit-form")
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state()

    visit = FieldVisit.objects.get(purpose__startswith="Методическая помощь Мукурской")
    assert page.url.endswith(f"/assistance/visits/{visit.pk}/")
    assert set(visit.destinations.all()) == {mukur, kainar}
    assert visit.recommendations.count() == 2
    assert visit.photos.count() == 1
    expect(page.get_by_text(OVERDUE_TEXT)).to_be_visible()
    expect(page.locator(".visit-photo img")).to_have_count(1)
    screenshot(page, "visit-card")

    # The visit report in Russian: the recommendations and the photo are in it.
    text, pictures = _docx_text(_fetch(page, f"a[href$='/visits/{visit.pk}/report.docx?lang=ru']"))
    assert "Справка о выезде" in text
    assert "Мукурская сельская библиотека" in text
    assert OVERDUE_TEXT in text and OPEN_TEXT in text
    assert "Книжная выставка в Мукурской библиотеке" in text
    assert pictures == 1
    _log_out(page)

    # The Mukur librarian: the overdue one on her home page, both in her list; she answers the other one.
    log_in("mukur")
    page.goto("/")
    overdue_card = page.locator("#overdue-recommendations")
    expect(overdue_card).to_contain_text(OVERDUE_TEXT[:60])
    screenshot(page, "librarian-home")
    page.goto("/assistance/recommendations/?tab=act")
    expect(page.get_by_text(OVERDUE_TEXT)).to_be_visible()
    expect(page.get_by_text(OPEN_TEXT)).to_be_visible()
    page.get_by_role("link", name=OPEN_TEXT).click()
    page.wait_for_load_state()
    page.fill("#id_answer", "Уголок оформлен, подписи к экспонатам сделаны; акт приёмки прилагаем")
    page.select_option("#id_status", "done")
    page.set_input_files("#id_files", str(act))
    screenshot(page, "librarian-answer")
    page.locator("#answer-form button[type=submit]").click()
    page.wait_for_load_state()
    answered = Recommendation.objects.get(text=OPEN_TEXT)
    assert answered.status == RecommendationStatus.DONE
    assert answered.answered_by.username == "mukur"
    assert answered.files.count() == 1
    expect(page.get_by_text("Уголок оформлен, подписи к экспонатам сделаны").first).to_be_visible()

    # The evidence file is downloadable from the recommendation's page.
    page.goto(f"/assistance/recommendations/{answered.pk}/")
    assert _fetch(page, "#evidence-files a") == PDF
    page.goto("/")
    expect(page.locator("#overdue-recommendations")).to_contain_text(OVERDUE_TEXT[:60])
    expect(page.locator("#overdue-recommendations")).not_to_contain_text(OPEN_TEXT[:40])
    _log_out(page)

    # The methodologist: the overdue one on her home page too; she sees the answer with its file.
    log_in("methodist")
    page.goto("/")
    expect(page.locator("#overdue-recommendations")).to_contain_text(OVERDUE_TEXT[:60])
    screenshot(page, "methodologist-home")
    page.goto(f"/assistance/recommendations/{answered.pk}/")
    expect(page.locator("#evidence-files")).to_contain_text("akt-ugolok")
    expect(page.locator("#follow-up-form")).to_be_visible()
    screenshot(page, "methodologist-answer")
    assert failed_responses == []
