"""Recommendations outside a visit: on their own (after a report check) or from a consultation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from metodist.accounts.models import ApiToken
from metodist.assistance import recommendations as recs
from metodist.assistance.models import Direction, FieldVisit, Recommendation, RecommendationStatus
from metodist.assistance.tests.conftest import consult

RECOMMENDATIONS = "/api/v1/recommendations"


def _api(user) -> Client:
    _token, key = ApiToken.issue(user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _page_data(net, key="r" * 32, **extra):
    return {
        "submit_key": key,
        "issuer_unit": net.beskaragay.pk,
        "text": "Сдавать еженедельный отчёт онлайн-центра до понедельника",
        "direction": Direction.objects.get(code="reporting").pk,
        "unit": net.kanonerka.pk,
        "due": "2025-09-01",
        **extra,
    }


@pytest.fixture
def kanonerka_consultation(net, methodist):
    return consult(
        methodist, net.beskaragay, net.kanonerka, topic="Отчётность онлайн-центра", directions=["reporting"]
    )


def test_a_methodologist_issues_a_recommendation_on_its_own(net, methodist, client_for):
    client = client_for(methodist)
    assert client.get(reverse("assistance:recommendation_create")).status_code == 200
    answer = client.post(reverse("assistance:recommendation_create"), _page_data(net))
    recommendation = Recommendation.objects.get()
    assert answer.status_code == 302
    assert answer.url == reverse("assistance:recommendation_answer", args=[recommendation.pk])
    assert (recommendation.issuer_unit, recommendation.issued_by, recommendation.unit) == (
        net.beskaragay,
        methodist,
        net.kanonerka,
    )
    assert recommendation.visit is None and recommendation.consultation is None
    assert recommendation.status == RecommendationStatus.OPEN
    listed = client.get(reverse("assistance:recommendation_list"), {"tab": "issued"})
    assert "Сдавать еженедельный отчёт онлайн-центра" in listed.text
    assert reverse("assistance:recommendation_create") in listed.text


def test_a_double_submit_issues_one_recommendation(net, methodist, client_for):
    client = client_for(methodist)
    client.post(reverse("assistance:recommendation_create"), _page_data(net))
    second = client.post(reverse("assistance:recommendation_create"), _page_data(net))
    assert second.status_code == 302
    assert Recommendation.objects.count() == 1


def test_the_consultation_prefills_the_form_and_is_linked(net, methodist, kanonerka_consultation, client_for):
    client = client_for(methodist)
    url = f"{reverse('assistance:recommendation_create')}?consultation={kanonerka_consultation.pk}"
    form = client.get(url)
    assert "Отчётность онлайн-центра" in form.text
    assert f'name="consultation" value="{kanonerka_consultation.pk}"' in form.text
    assert f'<option value="{net.kanonerka.pk}" selected' in form.text
    edit = client.get(reverse("assistance:consultation_edit", args=[kanonerka_consultation.pk]))
    assert f"?consultation={kanonerka_consultation.pk}" in edit.text
    answer = client.post(
        reverse("assistance:recommendation_create"), _page_data(net, consultation=kanonerka_consultation.pk)
    )
    assert answer.status_code == 302
    recommendation = Recommendation.objects.get()
    assert recommendation.consultation == kanonerka_consultation
    page = client.get(reverse("assistance:recommendation_answer", args=[recommendation.pk]))
    assert "Отчётность онлайн-центра" in page.text


def test_a_consultation_out_of_scope_is_404(net, methodist, admin_user, client_for):
    foreign = consult(admin_user, net.method_dept, net.mukur)
    client = client_for(methodist)
    url = reverse("assistance:recommendation_create")
    assert client.get(url, {"consultation": foreign.pk}).status_code == 404
    assert client.post(url, _page_data(net, consultation=foreign.pk)).status_code == 404
    assert not Recommendation.objects.exists()


def test_a_librarian_cannot_issue_recommendations(net, librarian, client_for):
    client = client_for(librarian)
    assert client.get(reverse("assistance:recommendation_create")).status_code == 403
    data = _page_data(net, issuer_unit=net.mukur.pk, unit=net.mukur.pk)
    assert client.post(reverse("assistance:recommendation_create"), data).status_code == 403
    with pytest.raises(PermissionDenied):
        recs.recommendation_create(
            user=librarian,
            data={
                "issuer_unit": net.mukur,
                "text": "Сам себе",
                "unit": net.mukur,
                "due": datetime.date(2025, 9, 1),
            },
        )
    assert not Recommendation.objects.exists()
    listed = client.get(reverse("assistance:recommendation_list"))
    assert reverse("assistance:recommendation_create") not in listed.text


def test_a_unit_outside_the_scope_is_refused(net, methodist, client_for):
    answer = client_for(methodist).post(
        reverse("assistance:recommendation_create"), _page_data(net, unit=net.mukur.pk)
    )
    assert answer.status_code == 200
    assert "is-invalid" in answer.text
    assert not Recommendation.objects.exists()


def test_the_issuer_corrects_and_deletes_an_unanswered_one_but_not_an_answered_one(
    net, methodist, client_for
):
    client = client_for(methodist)
    client.post(reverse("assistance:recommendation_create"), _page_data(net))
    recommendation = Recommendation.objects.get()
    edit_url = reverse("assistance:recommendation_edit", args=[recommendation.pk])
    answer = client.post(edit_url, _page_data(net, text="Сдавать отчёт до понедельника, 12:00"))
    assert answer.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.text == "Сдавать отчёт до понедельника, 12:00"
    Recommendation.objects.filter(pk=recommendation.pk).update(answer="Сдаём вовремя", status="in_progress")
    delete_url = reverse("assistance:recommendation_delete", args=[recommendation.pk])
    assert client.post(delete_url).status_code == 302
    assert Recommendation.objects.filter(pk=recommendation.pk).exists()
    Recommendation.objects.filter(pk=recommendation.pk).update(answer="", status="open")
    client.post(delete_url)
    assert not Recommendation.objects.filter(pk=recommendation.pk).exists()


def test_a_recommendation_of_a_visit_is_edited_on_the_visit(net, admin_user, client_for):
    visit = FieldVisit.objects.create(
        start=datetime.date(2025, 5, 14),
        end=datetime.date(2025, 5, 14),
        organiser_unit=net.method_dept,
        purpose="Выезд",
    )
    rec = Recommendation.objects.create(
        visit=visit,
        issuer_unit=net.method_dept,
        text="Обновить стенд",
        unit=net.mukur,
        due=datetime.date(2025, 7, 1),
    )
    answer = client_for(admin_user).get(reverse("assistance:recommendation_edit", args=[rec.pk]))
    assert answer.status_code == 302
    assert answer.url == reverse("assistance:visit_edit", args=[visit.pk])


def test_the_unit_that_must_act_cannot_edit_the_recommendation(net, admin_user, librarian, client_for):
    rec = Recommendation.objects.create(
        issuer_unit=net.method_dept, text="Обновить стенд", unit=net.mukur, due=datetime.date(2025, 7, 1)
    )
    client = client_for(librarian)
    assert client.get(reverse("assistance:recommendation_edit", args=[rec.pk])).status_code == 403
    assert client.post(reverse("assistance:recommendation_delete", args=[rec.pk])).status_code == 403
    assert Recommendation.objects.filter(pk=rec.pk).exists()


# --- the API --------------------------------------------------------------------------------------------


def test_the_api_issues_a_recommendation_from_a_consultation(net, methodist, kanonerka_consultation):
    payload = {
        "consultation": kanonerka_consultation.pk,
        "text": "Вести журнал консультаций",
        "direction": "reporting",
        "unit": net.kanonerka.pk,
        "due": "2025-10-01",
    }
    created = _api(methodist).post(RECOMMENDATIONS, payload, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["consultation"] == kanonerka_consultation.pk
    assert body["visit"] is None
    assert body["issuer_unit"] == net.beskaragay.pk
    assert body["files"] == [] and body["follow_up"] == ""
    listed = _api(methodist).get(RECOMMENDATIONS, {"consultation": kanonerka_consultation.pk})
    assert [r["id"] for r in listed.json()["items"]] == [body["id"]]


def test_the_api_issues_one_on_its_own_from_the_callers_unit(net, methodist):
    payload = {"text": "Исправить форму 6-НК", "unit": net.kanonerka.pk, "due": "2025-10-01"}
    created = _api(methodist).post(RECOMMENDATIONS, payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["issuer_unit"] == net.beskaragay.pk


def test_the_api_refuses_a_visit_and_a_consultation_together(net, methodist, kanonerka_consultation):
    visit = FieldVisit.objects.create(
        start=datetime.date(2025, 5, 14),
        end=datetime.date(2025, 5, 14),
        organiser_unit=net.beskaragay,
        purpose="Выезд",
    )
    visit.destinations.set([net.kanonerka])
    payload = {
        "visit": visit.pk,
        "consultation": kanonerka_consultation.pk,
        "text": "Вести журнал",
        "unit": net.kanonerka.pk,
        "due": "2025-10-01",
    }
    answer = _api(methodist).post(RECOMMENDATIONS, payload, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "consultation"
    assert not Recommendation.objects.exists()


def test_the_api_hides_a_foreign_consultation_and_refuses_a_librarian(
    net, admin_user, librarian, kanonerka_consultation
):
    foreign = consult(admin_user, net.method_dept, net.kainar)
    payload = {"consultation": foreign.pk, "text": "Вести журнал", "unit": net.mukur.pk, "due": "2025-10-01"}
    assert _api(librarian).post(RECOMMENDATIONS, payload, content_type="application/json").status_code == 404
    own = {"text": "Вести журнал", "unit": net.mukur.pk, "due": "2025-10-01"}
    assert _api(librarian).post(RECOMMENDATIONS, own, content_type="application/json").status_code == 403
    assert not Recommendation.objects.exists()
