"""The event report (DOCX): card, programme, attendance, photos, news report; it opens in LibreOffice."""

import io
import shutil
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from docx import Document
from PIL import Image
from pypdf import PdfReader

from metodist.events.documents.docx_report import event_docx
from metodist.events.models import EventFile, EventFileKind, Participant, ParticipantStatus
from metodist.events.tests.test_report_generation import build_seed_event, make_event

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def png_bytes(colour="teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def seed_event(net):
    event = build_seed_event(net)
    Participant.objects.create(
        event=event,
        full_name="Серікқызы Жанар",
        organisation="Мұқыр ауылдық кітапханасы",
        attended=True,
        status=ParticipantStatus.ACCEPTED,
    )
    Participant.objects.create(
        event=event, full_name="Әбенова Гүлнәр", unit=net.kainar, status=ParticipantStatus.INVITED
    )
    Participant.objects.create(
        event=event,
        full_name="Нұрланова Айгүл",
        organisation="Өскемен өңірлік ғылыми шаһар кітапханасы",
        status=ParticipantStatus.REGISTERED,
    )
    EventFile.objects.create(
        event=event,
        kind=EventFileKind.PHOTO,
        file=ContentFile(png_bytes(), name="lesson.png"),
        caption="Участники библиотечного урока",
    )
    EventFile.objects.create(
        event=event, kind=EventFileKind.FILE, file=ContentFile(b"%PDF-1.4", name="plan.pdf")
    )
    return event


def url(event):
    return reverse("events:report_docx", args=[event.pk])


def read(data: bytes):
    return Document(io.BytesIO(data))


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_docx_has_the_card_programme_attendance_photo_and_report(client_for, admin_user, seed_event):
    response = client_for(admin_user).get(url(seed_event))

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert "attachment" in response["Content-Disposition"]
    document = read(response.content)
    assert document.paragraphs[0].text == "Маркетинг и методическая помощь"
    card, programme, attendance = document.tables
    card_values = {row.cells[0].text: row.cells[1].text for row in card.rows[1:]}
    assert "Библиотечный урок" in card_values.values()
    assert "ВКО универсальная библиотека имени Абая" in card_values.values()
    assert "36" in card_values.values()
    assert any(v.startswith("групповая консультация о методике") for v in card_values.values())
    assert any(v == "20 сентября 2013 года, 10:00–13:00" for v in card_values.values())
    assert [row.cells[1].text for row in programme.rows[1:]] == ["Мальцева О.", "Адикаева Р."]
    assert "Вопросы маркетинговой деятельности в библиотеке" in programme.rows[2].cells[3].text
    names = {row.cells[1].text for row in attendance.rows[1:]}
    assert names == {"Серікқызы Жанар", "Әбенова Гүлнәр", "Нұрланова Айгүл"}
    assert "Кайнарская сельская библиотека" in all_text(document)
    assert "Мұқыр ауылдық кітапханасы" in all_text(document)
    assert len(document.inline_shapes) == 1
    assert "Участники библиотечного урока" in all_text(document)
    assert "Буклет «Новые формы массовой работы в библиотеках»" in all_text(document)
    assert "В мероприятии приняли участие 36 специалистов." in all_text(document)


def test_the_published_report_in_the_interface_language_goes_into_the_docx(seed_event):
    seed_event.report_kk = "Жарияланған есеп: әдістемелік көмек, ғылым, қоғам, өңір, ұлт, үміт, шаһар."
    seed_event.save()

    text = all_text(read(event_docx(event=seed_event, language="kk")))

    assert "Жарияланған есеп" in text
    assert "Маркетинг и методическая помощь" in text


def test_a_photo_that_cannot_be_read_does_not_cost_the_document(net):
    event = make_event(net)
    EventFile.objects.create(
        event=event, kind=EventFileKind.PHOTO, file=ContentFile(b"not an image", name="x.jpg")
    )

    document = read(event_docx(event=event, language="ru"))

    assert len(document.inline_shapes) == 0
    assert "x" in all_text(document)


def test_a_viewer_may_download_and_an_outsider_may_not(client_for, librarian, outsider, net):
    held_in_mukur = make_event(net, organiser_unit=net.regional, venue_unit=net.mukur)
    elsewhere = make_event(net, organiser_unit=net.beskaragay, venue_unit=net.beskaragay_lib)

    assert client_for(librarian).get(url(held_in_mukur)).status_code == 200
    assert client_for(librarian).get(url(elsewhere)).status_code == 404
    assert client_for(outsider).get(url(held_in_mukur)).status_code == 404


def test_the_docx_opens_in_libreoffice(seed_event, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail(
            "LibreOffice (soffice) is not on PATH: install libreoffice-writer-nogui (.ci/run does) — "
            "this test proves the event report opens in LibreOffice."
        )
    docx_path = tmp_path / "event.docx"
    docx_path.write_bytes(event_docx(event=seed_event, language="ru"))

    # A profile of its own: another soffice running at the same time must not lock ours.
    subprocess.run(  # noqa: S603 — a fixed program and our own temporary files
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )

    pdf_path = tmp_path / "event.pdf"
    assert pdf_path.exists()
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf_path).pages).split())
    assert "Маркетинг и методическая помощь" in text
    assert "Мальцева О." in text
    assert "Серікқызы Жанар" in text
    assert "Әбенова Гүлнәр" in text
    assert "Өскемен өңірлік ғылыми шаһар кітапханасы" in text
    for letter in "әғқңөұүһі":
        assert letter in text
