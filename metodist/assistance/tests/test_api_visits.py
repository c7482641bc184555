"""`/api/v1/visits` and `/api/v1/recommendations`: scope, recording, derived overdue, checked transitions."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from metodist.accounts.models import ApiToken
from metodist.assistance.models import FieldVisit, Recommendation, RecommendationStatus, VisitStatus

VISITS = "/api/v1/visits"
RECOMMENDATIONS = "/api/v1/recommendations"


def _api(user) -> Client:
    _token, key = ApiToken.issue(user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _visit(net, admin_user, destination, *, start=datetime.date(2025, 3, 12)):
    visit = FieldVisit.objects.create(
        start=start,
        end=start,
        organiser_unit=net.method_dept,
        purpose="Изучение работы библиотеки",
        status=VisitStatus.DONE,
        created_by=admin_user,
    )
    visit.destinations.set([destination])
    return visit


@pytest.fixture
def mukur_recommendation(net, admin_user):
    visit = _visit(net, admin_user, net.mukur)
    return Recommendation.objects.create(
        visit=visit,
        issuer_unit=net.method_dept,
        issued_by=admin_user,
        text="Провести списание ветхой литературы",
        unit=net.mukur,
        due=timezone.localdate() - datetime.timedelta(days=10),
    )


def test_a_methodologist_records_a_visit_with_findings_and_recommendations(net, methodist):
    due = timezone.localdate() + datetime.timedelta(days=30)
    answer = _api(methodist).post(
        VISITS,
        {
            "start": "2025-10-14",
            "end": "2025-10-15",
            "destinations": [net.kanonerka.pk, net.beskaragay_oc.pk],
            "purpose": "Изучение работы Канонерской библиотеки",
            "team": "Мальцева О.Н., Адикаева Р.М.",
            "transport": "служебный автомобиль",
            "findings": [{"direction": "reporting", "unit": net.kanonerka.pk, "text": "Дневник ведётся"}],
            "recommendations": [
                {"text": "Вести дневник ежедневно", "unit": net.kanonerka.pk, "due": due.isoformat()},
                {"text": "Вывесить режим работы", "unit": net.beskaragay_oc.pk, "due": due.isoformat()},
            ],
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["organiser_unit"] == net.beskaragay.pk
    assert {(d["code"], d["name"]) for d in body["destinations"]} == {
        ("KAN-LIB", "Канонерская сельская библиотека"),
        ("BSK-OC", "Онлайн-центр села Бескарагай"),
    }
    assert body["findings"] == [
        {"direction": "reporting", "unit": net.kanonerka.pk, "text": "Дневник ведётся"}
    ]
    assert Recommendation.objects.filter(visit_id=body["id"], status=RecommendationStatus.OPEN).count() == 2


def test_recording_a_visit_to_a_unit_out_of_scope_is_404_with_the_field_named(net, methodist):
    answer = _api(methodist).post(
        VISITS,
        {"start": "2025-10-14", "end": "2025-10-14", "destinations": [net.kainar.pk], "purpose": "Выезд"},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["field"] == "destinations"
    assert not FieldVisit.objects.exists()


def test_the_visit_list_is_limited_to_the_callers_scope(net, admin_user, librarian):
    mukur_visit = _visit(net, admin_user, net.mukur)
    _visit(net, admin_user, net.kainar)
    answer = _api(librarian).get(VISITS).json()
    assert answer["count"] == 1
    assert answer["items"][0]["id"] == mukur_visit.pk
    assert answer["items"][0]["destinations"][0]["code"] == "MUK-LIB"
    assert _api(admin_user).get(VISITS, {"under": net.kainar.pk}).json()["count"] == 1


def test_a_past_due_recommendation_reads_as_overdue_and_filters_so(mukur_recommendation, librarian, outsider):
    items = _api(librarian).get(RECOMMENDATIONS, {"status": "overdue"}).json()["items"]
    assert [(i["id"], i["status"], i["unit"]) for i in items] == [
        (mukur_recommendation.pk, "overdue", mukur_recommendation.unit_id)
    ]
    assert _api(librarian).get(RECOMMENDATIONS, {"status": "open"}).json()["count"] == 0
    assert _api(outsider).get(RECOMMENDATIONS).json()["count"] == 0
    assert _api(librarian).get(RECOMMENDATIONS, {"status": "late"}).status_code == 422


def test_the_unit_that_must_act_answers_and_the_issuer_reopens(mukur_recommendation, librarian, admin_user):
    url = f"{RECOMMENDATIONS}/{mukur_recommendation.pk}"
    done = _api(librarian).patch(url, {"status": "done", "answer": "Акты оформлены"}, "application/json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done"
    assert done.json()["answer"] == "Акты оформлены"
    refused = _api(librarian).patch(url, {"status": "open"}, "application/json")
    assert refused.status_code == 403
    reopened = _api(admin_user).patch(url, {"status": "open"}, "application/json")
    assert reopened.json()["status"] == "overdue"  # open again, and past due
    mukur_recommendation.refresh_from_db()
    assert mukur_recommendation.status == RecommendationStatus.OPEN
    assert mukur_recommendation.answer == "Акты оформлены"


def test_patch_refuses_an_answer_without_text_and_a_status_of_overdue(mukur_recommendation, librarian):
    url = f"{RECOMMENDATIONS}/{mukur_recommendation.pk}"
    empty = _api(librarian).patch(url, {"status": "in_progress"}, "application/json")
    assert empty.status_code == 400
    assert empty.json()["errors"][0]["field"] == "answer"
    overdue = _api(librarian).patch(url, {"status": "overdue", "answer": "x"}, "application/json")
    assert overdue.status_code == 400
    assert overdue.json()["errors"][0]["field"] == "status"
    mukur_recommendation.refresh_from_db()
    assert mukur_recommendation.status == RecommendationStatus.OPEN


def test_a_recommendation_out_of_scope_is_404(mukur_recommendation, outsider):
    url = f"{RECOMMENDATIONS}/{mukur_recommendation.pk}"
    answer = _api(outsider).patch(url, {"status": "done", "answer": "Сделано"}, "application/json")
    assert answer.status_code == 404


def test_the_issuer_adds_a_recommendation_to_a_visit_and_the_library_cannot(net, admin_user, librarian):
    visit = _visit(net, admin_user, net.mukur)
    payload = {"visit": visit.pk, "text": "Пополнить картотеку", "unit": net.mukur.pk, "due": "2026-12-01"}
    created = _api(admin_user).post(RECOMMENDATIONS, payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["issuer_unit"] == net.method_dept.pk
    assert created.json()["status"] == "open"
    refused = _api(librarian).post(RECOMMENDATIONS, payload, content_type="application/json")
    assert refused.status_code == 403
    assert visit.recommendations.count() == 1
