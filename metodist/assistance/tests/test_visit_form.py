"""A methodologist records a visit with findings and two recommendations, once even on a double click."""

import pytest
from django.urls import reverse

from metodist.assistance.models import Direction, FieldVisit, Recommendation, VisitStatus


def _data(net, key="v" * 32, **extra):
    reporting = Direction.objects.get(code="reporting").pk
    online = Direction.objects.get(code="online_centres").pk
    data = {
        "submit_key": key,
        "start": "2025-05-14",
        "end": "2025-05-15",
        "organiser_unit": net.beskaragay.pk,
        "destinations": [net.kanonerka.pk, net.beskaragay_lib.pk],
        "purpose": "Методическая помощь сельским библиотекам",
        "team": "Иванова А. С., Касымова Г. Т.",
        "transport": "служебный автомобиль",
        "status": VisitStatus.DONE,
        "people_met": "Заведующие библиотеками",
        "findings-TOTAL_FORMS": "3",
        "findings-INITIAL_FORMS": "0",
        "findings-0-direction": reporting,
        "findings-0-unit": net.kanonerka.pk,
        "findings-0-text": "Дневник работы ведётся нерегулярно",
        "recs-TOTAL_FORMS": "2",
        "recs-INITIAL_FORMS": "0",
        "recs-0-text": "Вести дневник ежедневно",
        "recs-0-direction": reporting,
        "recs-0-unit": net.kanonerka.pk,
        "recs-0-due": "2025-07-01",
        "recs-1-text": "Наладить учёт посетителей онлайн-центра",
        "recs-1-direction": online,
        "recs-1-unit": net.beskaragay_lib.pk,
        "recs-1-due": "2025-08-01",
        **extra,
    }
    return data


def test_a_methodologist_records_a_visit_with_two_recommendations(net, methodist, client_for):
    answer = client_for(methodist).post(reverse("assistance:visit_create"), _data(net))
    visit = FieldVisit.objects.get()
    assert answer.status_code == 302
    assert answer.url == reverse("assistance:visit_detail", args=[visit.pk])
    assert visit.organiser_unit == net.beskaragay
    assert set(visit.destinations.all()) == {net.kanonerka, net.beskaragay_lib}
    assert visit.created_by == methodist
    assert [f.text for f in visit.findings.all()] == ["Дневник работы ведётся нерегулярно"]
    recs = list(Recommendation.objects.order_by("due"))
    assert [(r.unit, r.issuer_unit, r.issued_by, r.status) for r in recs] == [
        (net.kanonerka, net.beskaragay, methodist, "open"),
        (net.beskaragay_lib, net.beskaragay, methodist, "open"),
    ]
    assert visit.history.exists()


def test_a_double_submit_creates_one_visit(net, methodist, client_for):
    client = client_for(methodist)
    client.post(reverse("assistance:visit_create"), _data(net))
    second = client.post(reverse("assistance:visit_create"), _data(net))
    assert second.status_code == 302
    assert FieldVisit.objects.count() == 1
    assert Recommendation.objects.count() == 2
    client.post(reverse("assistance:visit_create"), _data(net, key="w" * 32))
    assert FieldVisit.objects.count() == 2


def test_a_visit_to_a_unit_outside_scope_is_refused(net, methodist, client_for):
    answer = client_for(methodist).post(
        reverse("assistance:visit_create"), _data(net, destinations=[net.mukur.pk])
    )
    assert answer.status_code == 200
    assert not FieldVisit.objects.exists()


def test_a_visit_ending_before_it_starts_is_refused(net, methodist, client_for):
    answer = client_for(methodist).post(reverse("assistance:visit_create"), _data(net, end="2025-05-01"))
    assert answer.status_code == 200
    assert "text-danger" in answer.text or "invalid" in answer.text
    assert not FieldVisit.objects.exists()


def test_a_librarian_cannot_record_visits(net, librarian, client_for):
    assert client_for(librarian).get(reverse("assistance:visit_create")).status_code == 403


@pytest.mark.parametrize("name", ["visit_list", "visit_create", "recommendation_list"])
def test_the_pages_open_for_a_methodologist(name, methodist, client_for):
    assert client_for(methodist).get(reverse(f"assistance:{name}")).status_code == 200


def test_editing_keeps_recommendations_and_replaces_findings(net, methodist, client_for):
    client = client_for(methodist)
    client.post(reverse("assistance:visit_create"), _data(net))
    visit = FieldVisit.objects.get()
    edit = client.get(reverse("assistance:visit_edit", args=[visit.pk]))
    assert "Дневник работы ведётся нерегулярно" in edit.text
    data = _data(net, **{"recs-TOTAL_FORMS": "0", "findings-0-text": "Дневник ведётся"})
    answer = client.post(reverse("assistance:visit_edit", args=[visit.pk]), data)
    assert answer.status_code == 302
    assert [f.text for f in visit.findings.all()] == ["Дневник ведётся"]
    assert Recommendation.objects.count() == 2
