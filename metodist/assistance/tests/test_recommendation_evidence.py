"""The unit's answer with evidence files, served to both sides only, and the issuer's follow-up."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from metodist.accounts.models import ApiToken
from metodist.assistance.models import Recommendation, RecommendationFile, RecommendationStatus

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def mukur_rec(net, admin_user):
    return Recommendation.objects.create(
        issuer_unit=net.method_dept,
        issued_by=admin_user,
        text="Оформить уголок краеведения",
        unit=net.mukur,
        due=datetime.date(2025, 7, 1),
    )


def _answer(client, rec, text="Уголок оформлен, фото прилагаем", status="done", files=()):
    data = {"answer": text, "status": status}
    if files:
        data["files"] = list(files)
    return client.post(reverse("assistance:recommendation_answer", args=[rec.pk]), data)


def test_the_librarian_answers_with_two_files_and_both_sides_download_them(
    mukur_rec, librarian, admin_user, client_for
):
    answer = _answer(
        client_for(librarian), mukur_rec, files=[_upload("ugolok.png", _png()), _upload("akt.pdf", PDF)]
    )
    assert answer.status_code == 302
    mukur_rec.refresh_from_db()
    assert mukur_rec.status == RecommendationStatus.DONE
    files = list(mukur_rec.files.order_by("id"))
    assert [f.file.name.rsplit("/", 1)[-1][:6] for f in files] == ["ugolok", "akt.pd"]
    assert {f.uploaded_by for f in files} == {librarian}
    for user in (librarian, admin_user):
        client = client_for(user)
        page = client.get(reverse("assistance:recommendation_answer", args=[mukur_rec.pk]))
        url = reverse("assistance:recommendation_file", args=[mukur_rec.pk, files[1].pk])
        assert url in page.text
        download = client.get(url)
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF
        assert "attachment" in download["Content-Disposition"]
        client.logout()


def test_an_outsider_and_another_district_cannot_download_the_evidence(
    mukur_rec, librarian, outsider, methodist, client_for
):
    _answer(client_for(librarian), mukur_rec, files=[_upload("akt.pdf", PDF)])
    evidence = mukur_rec.files.get()
    url = reverse("assistance:recommendation_file", args=[mukur_rec.pk, evidence.pk])
    for user in (outsider, methodist):
        assert client_for(user).get(url).status_code == 404
    assert client_for(librarian).get(url).status_code == 200


def test_a_file_asked_through_another_recommendation_is_404(
    mukur_rec, net, admin_user, librarian, client_for
):
    _answer(client_for(librarian), mukur_rec, files=[_upload("akt.pdf", PDF)])
    evidence = mukur_rec.files.get()
    other = Recommendation.objects.create(
        issuer_unit=net.method_dept, text="Другое", unit=net.mukur, due=datetime.date(2025, 8, 1)
    )
    url = reverse("assistance:recommendation_file", args=[other.pk, evidence.pk])
    assert client_for(librarian).get(url).status_code == 404


def test_a_refused_file_refuses_the_whole_answer_and_keeps_the_earlier_files(
    mukur_rec, librarian, client_for
):
    client = client_for(librarian)
    _answer(
        client, mukur_rec, text="Начали оформлять", status="in_progress", files=[_upload("plan.pdf", PDF)]
    )
    refused = _answer(
        client,
        mukur_rec,
        text="Уголок оформлен",
        files=[_upload("foto.png", _png()), _upload("virus.exe", b"MZ\x90\x00")],
    )
    assert refused.status_code == 200
    assert "virus.exe" in refused.text
    assert "Уголок оформлен" in refused.text  # the typed answer is shown again
    mukur_rec.refresh_from_db()
    assert (mukur_rec.answer, mukur_rec.status) == ("Начали оформлять", RecommendationStatus.IN_PROGRESS)
    assert [f.file.name.rsplit("/", 1)[-1][:4] for f in mukur_rec.files.all()] == ["plan"]
    again = _answer(client, mukur_rec, text="Уголок оформлен", files=[_upload("foto.png", _png())])
    assert again.status_code == 302
    assert mukur_rec.files.count() == 2


def test_an_empty_answer_keeps_the_files_given_before(mukur_rec, librarian, client_for):
    client = client_for(librarian)
    _answer(client, mukur_rec, status="in_progress", files=[_upload("plan.pdf", PDF)])
    refused = _answer(client, mukur_rec, text="  ", files=[_upload("foto.png", _png())])
    assert refused.status_code == 200
    assert RecommendationFile.objects.filter(recommendation=mukur_rec).count() == 1


def test_the_issuer_accepts_the_answer_with_a_follow_up(mukur_rec, librarian, admin_user, client_for):
    _answer(client_for(librarian), mukur_rec, text="Начали оформлять", status="in_progress")
    client = client_for(admin_user)
    url = reverse("assistance:recommendation_follow_up", args=[mukur_rec.pk])
    answer = client.post(url, {"action": "accept", "follow_up": "Проверено по фото: уголок оформлен"})
    assert answer.status_code == 302
    mukur_rec.refresh_from_db()
    assert mukur_rec.status == RecommendationStatus.DONE
    assert mukur_rec.follow_up == "Проверено по фото: уголок оформлен"
    assert mukur_rec.answer == "Начали оформлять"
    page = client.get(reverse("assistance:recommendation_answer", args=[mukur_rec.pk]))
    assert "Проверено по фото: уголок оформлен" in page.text


def test_the_issuer_reopens_with_a_note_and_a_note_is_needed(mukur_rec, librarian, admin_user, client_for):
    _answer(client_for(librarian), mukur_rec)
    client = client_for(admin_user)
    url = reverse("assistance:recommendation_follow_up", args=[mukur_rec.pk])
    without_note = client.post(url, {"action": "reopen", "follow_up": ""})
    assert without_note.status_code == 200
    mukur_rec.refresh_from_db()
    assert mukur_rec.status == RecommendationStatus.DONE
    client.post(url, {"action": "reopen", "follow_up": "Нет подписей к экспонатам"})
    mukur_rec.refresh_from_db()
    assert mukur_rec.status == RecommendationStatus.OPEN
    assert mukur_rec.follow_up == "Нет подписей к экспонатам"
    assert mukur_rec.answer == "Уголок оформлен, фото прилагаем"
    page = client_for(librarian).get(reverse("assistance:recommendation_answer", args=[mukur_rec.pk]))
    assert "Нет подписей к экспонатам" in page.text


def test_no_follow_up_before_the_answer_nor_by_the_library(mukur_rec, librarian, admin_user, client_for):
    url = reverse("assistance:recommendation_follow_up", args=[mukur_rec.pk])
    assert client_for(admin_user).post(url, {"action": "accept"}).status_code == 403
    _answer(client_for(librarian), mukur_rec, status="in_progress")
    assert client_for(librarian).post(url, {"action": "accept"}).status_code == 403
    mukur_rec.refresh_from_db()
    assert mukur_rec.status == RecommendationStatus.IN_PROGRESS


def test_the_api_shows_the_files_and_the_issuer_reopens_with_a_follow_up(
    mukur_rec, librarian, admin_user, client_for
):
    _answer(client_for(librarian), mukur_rec, files=[_upload("akt.pdf", PDF)])
    _token, key = ApiToken.issue(admin_user, name="test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"/api/v1/recommendations/{mukur_rec.pk}"
    body = api.patch(
        url, {"status": "open", "follow_up": "Нужен акт"}, content_type="application/json"
    ).json()
    assert body["status"] in ("open", "overdue")
    assert body["follow_up"] == "Нужен акт"
    evidence = mukur_rec.files.get()
    assert body["files"] == [
        {
            "id": evidence.pk,
            "caption": "",
            "name": evidence.file.name.rsplit("/", 1)[-1],
            "url": reverse("assistance:recommendation_file", args=[mukur_rec.pk, evidence.pk]),
        }
    ]
