"""Scope of visits and recommendations: the visited library sees and answers its own, nothing else."""

import datetime

import pytest
from django.urls import reverse

from metodist.assistance.models import Direction, FieldVisit, Recommendation, RecommendationStatus


def _visit_with_recommendations(net, admin_user):
    visit = FieldVisit.objects.create(
        start=datetime.date(2025, 5, 14),
        end=datetime.date(2025, 5, 15),
        organiser_unit=net.method_dept,
        purpose="Проверка работы библиотек Абайского района",
        status="done",
    )
    visit.destinations.set([net.mukur, net.kainar])
    reporting = Direction.objects.get(code="reporting")
    common = {"visit": visit, "issuer_unit": net.method_dept, "issued_by": admin_user, "direction": reporting}
    mukur = Recommendation.objects.create(
        **common, unit=net.mukur, text="Вести дневник учёта работы", due=datetime.date(2025, 7, 1)
    )
    kainar = Recommendation.objects.create(
        **common, unit=net.kainar, text="Обновить паспорт библиотеки", due=datetime.date(2025, 7, 1)
    )
    return visit, mukur, kainar


@pytest.fixture
def recorded(net, admin_user):
    return _visit_with_recommendations(net, admin_user)


def test_the_mukur_librarian_sees_and_answers_her_recommendation(recorded, librarian, client_for):
    _visit, mukur, _kainar = recorded
    client = client_for(librarian)
    listed = client.get(reverse("assistance:recommendation_list"), {"tab": "act"})
    assert "Вести дневник учёта работы" in listed.text
    assert "Обновить паспорт библиотеки" not in listed.text
    answer = client.post(
        reverse("assistance:recommendation_answer", args=[mukur.pk]),
        {"answer": "Дневник заведён с июня", "status": "done"},
    )
    assert answer.status_code == 302
    mukur.refresh_from_db()
    assert mukur.status == RecommendationStatus.DONE
    assert mukur.answer == "Дневник заведён с июня"
    assert mukur.answered_by == librarian
    assert mukur.answered_at is not None


def test_the_mukur_librarian_gets_404_for_the_kainar_recommendation(recorded, librarian, client_for):
    _visit, _mukur, kainar = recorded
    client = client_for(librarian)
    url = reverse("assistance:recommendation_answer", args=[kainar.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "Сделано", "status": "done"}).status_code == 404
    kainar.refresh_from_db()
    assert kainar.status == RecommendationStatus.OPEN


def test_the_visited_library_sees_the_visit_but_only_its_own_recommendations(recorded, librarian, client_for):
    visit, _mukur, _kainar = recorded
    page = client_for(librarian).get(reverse("assistance:visit_detail", args=[visit.pk]))
    assert page.status_code == 200
    assert "Вести дневник учёта работы" in page.text
    assert "Обновить паспорт библиотеки" not in page.text


def test_a_methodologist_of_another_district_does_not_see_the_visit(recorded, methodist, client_for):
    visit, mukur, _kainar = recorded
    client = client_for(methodist)
    assert client.get(reverse("assistance:visit_detail", args=[visit.pk])).status_code == 404
    assert client.get(reverse("assistance:visit_report", args=[visit.pk])).status_code == 404
    assert client.get(reverse("assistance:recommendation_answer", args=[mukur.pk])).status_code == 404


def test_the_issuer_reopens_an_answered_recommendation_and_the_librarian_cannot(
    recorded, admin_user, librarian, client_for
):
    _visit, mukur, _kainar = recorded
    mukur.status, mukur.answer = RecommendationStatus.DONE, "Сделано"
    mukur.save()
    url = reverse("assistance:recommendation_reopen", args=[mukur.pk])
    assert client_for(librarian).post(url).status_code == 403
    mukur.refresh_from_db()
    assert mukur.status == RecommendationStatus.DONE
    assert client_for(admin_user).post(url).status_code == 302
    mukur.refresh_from_db()
    assert mukur.status == RecommendationStatus.OPEN


def test_a_librarian_cannot_answer_open(recorded, librarian, client_for):
    _visit, mukur, _kainar = recorded
    answer = client_for(librarian).post(
        reverse("assistance:recommendation_answer", args=[mukur.pk]), {"answer": "x", "status": "open"}
    )
    assert answer.status_code == 200
    mukur.refresh_from_db()
    assert mukur.status == RecommendationStatus.OPEN
