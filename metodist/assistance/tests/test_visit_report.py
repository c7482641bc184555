"""The visit report as DOCX in Russian and Kazakh, read back with python-docx."""

import datetime
import io

from django.urls import reverse
from docx import Document

from metodist.assistance.models import Direction, FieldVisit, Recommendation, VisitFinding


def _visit(net, admin_user):
    visit = FieldVisit.objects.create(
        start=datetime.date(2025, 5, 14),
        end=datetime.date(2025, 5, 15),
        organiser_unit=net.method_dept,
        purpose="Проверка работы с отчётностью",
        team="Иванова А. С.",
        status="done",
    )
    visit.destinations.set([net.mukur])
    reporting = Direction.objects.get(code="reporting")
    VisitFinding.objects.create(visit=visit, direction=reporting, unit=net.mukur, text="Дневник ведётся")
    Recommendation.objects.create(
        visit=visit,
        issuer_unit=net.method_dept,
        issued_by=admin_user,
        text="Сдавать отчёт до 5 числа",
        direction=reporting,
        unit=net.mukur,
        due=datetime.date(2025, 7, 1),
    )
    return visit


def _text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_russian_report_has_the_heading_dates_in_words_and_the_recommendation(
    net, admin_user, client_for
):
    visit = _visit(net, admin_user)
    answer = client_for(admin_user).get(reverse("assistance:visit_report", args=[visit.pk]), {"lang": "ru"})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _text(answer.content)
    assert "Справка о выезде" in text
    assert "мая 2025" in text
    assert "Мукурская сельская библиотека" in text
    assert "Дневник ведётся" in text
    assert "Сдавать отчёт до 5 числа" in text
    assert "1 июля 2025 года" in text
    assert "Иванова А. С." in text
    assert Document(io.BytesIO(answer.content)).styles["Normal"].font.name == "DejaVu Sans"


def test_the_kazakh_report_is_in_kazakh(net, admin_user, client_for):
    visit = _visit(net, admin_user)
    answer = client_for(admin_user).get(reverse("assistance:visit_report", args=[visit.pk]), {"lang": "kk"})
    text = _text(answer.content)
    assert "Іссапар туралы анықтама" in text
    assert "2025 жылғы 14–15 мамыр" in text
    assert "Мұқыр ауылдық кітапханасы" in text
    assert set("әғқңөұүһі") & set(text.lower())
