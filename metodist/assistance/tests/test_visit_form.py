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


def _recorded(net, methodist, client):
    client.post(reverse("assistance:visit_create"), _data(net))
    visit = FieldVisit.objects.get()
    first, second = visit.recommendations.order_by("due")
    return visit, first, second


def _edit_data(net, first, second, **rows):
    """The edit form as the page sends it: the two recorded recommendations, then no new rows."""
    data = _data(net, **{"recs-TOTAL_FORMS": "2", "recs-INITIAL_FORMS": "2"})
    for index, rec in enumerate((first, second)):
        data[f"recs-{index}-id"] = rec.pk
        data[f"recs-{index}-text"] = rec.text
        data[f"recs-{index}-direction"] = rec.direction_id
        data[f"recs-{index}-unit"] = rec.unit_id
        data[f"recs-{index}-due"] = rec.due.isoformat()
    data.update(rows)
    return data


def test_the_edit_form_shows_the_recorded_recommendations_for_correction(net, methodist, client_for):
    client = client_for(methodist)
    visit, first, second = _recorded(net, methodist, client)
    page = client.get(reverse("assistance:visit_edit", args=[visit.pk]))
    assert f'name="recs-0-id" value="{first.pk}"' in page.text
    assert f'name="recs-1-id" value="{second.pk}"' in page.text
    assert "Наладить учёт посетителей онлайн-центра" in page.text
    assert 'name="recs-INITIAL_FORMS" value="2"' in page.text


def test_correcting_an_answered_recommendation_keeps_its_answer(
    net, methodist, client_for, django_user_model
):
    from metodist.accounts.models import RoleKind
    from metodist.assistance import recommendations as recs
    from metodist.core.testing.factories import RoleFactory, UserFactory

    client = client_for(methodist)
    visit, first, second = _recorded(net, methodist, client)
    kanonerka = UserFactory(username="kanonerka")
    RoleFactory(user=kanonerka, unit=net.kanonerka, kind=RoleKind.LIBRARIAN)
    recs.recommendation_answer(user=kanonerka, recommendation=first, answer="Дневник заведён", status="done")
    data = _edit_data(
        net, first, second, **{"recs-0-text": "Вести дневник ежедневно, с отметкой посетителей"}
    )
    answer = client.post(reverse("assistance:visit_edit", args=[visit.pk]), data)
    assert answer.status_code == 302
    first.refresh_from_db()
    assert first.text == "Вести дневник ежедневно, с отметкой посетителей"
    assert (first.answer, first.status, first.answered_by) == ("Дневник заведён", "done", kanonerka)
    assert Recommendation.objects.count() == 2


def test_an_unanswered_recommendation_is_deleted_and_a_new_one_added_in_one_save(net, methodist, client_for):
    client = client_for(methodist)
    visit, first, second = _recorded(net, methodist, client)
    data = _edit_data(
        net,
        first,
        second,
        **{
            "recs-TOTAL_FORMS": "3",
            "recs-1-DELETE": "on",
            "recs-1-text": "",  # a row to delete needs no valid fields
            "recs-2-text": "Оформить книжную выставку к юбилею района",
            "recs-2-unit": net.kanonerka.pk,
            "recs-2-due": "2025-09-01",
        },
    )
    answer = client.post(reverse("assistance:visit_edit", args=[visit.pk]), data)
    assert answer.status_code == 302
    assert sorted(visit.recommendations.values_list("text", flat=True)) == [
        "Вести дневник ежедневно",
        "Оформить книжную выставку к юбилею района",
    ]
    assert not Recommendation.objects.filter(pk=second.pk).exists()


def test_an_answered_recommendation_cannot_be_deleted(net, methodist, client_for):
    client = client_for(methodist)
    visit, first, second = _recorded(net, methodist, client)
    Recommendation.objects.filter(pk=first.pk).update(answer="Дневник заведён", status="in_progress")
    data = _edit_data(net, first, second, **{"recs-0-DELETE": "on"})
    answer = client.post(reverse("assistance:visit_edit", args=[visit.pk]), data)
    assert answer.status_code == 200
    assert "has an answer" in answer.text or "ответ" in answer.text
    assert Recommendation.objects.filter(pk=first.pk).exists()
    page = client.get(reverse("assistance:visit_edit", args=[visit.pk]))
    assert 'name="recs-0-DELETE"' not in page.text
    assert 'name="recs-1-DELETE"' in page.text


def test_a_recommendation_of_another_visit_cannot_be_changed_through_this_one(net, methodist, client_for):
    client = client_for(methodist)
    visit, first, second = _recorded(net, methodist, client)
    client.post(reverse("assistance:visit_create"), _data(net, key="w" * 32))
    other = FieldVisit.objects.exclude(pk=visit.pk).get()
    stranger = other.recommendations.order_by("due").first()
    data = _edit_data(net, first, second, **{"recs-0-id": stranger.pk, "recs-0-text": "Подменённый текст"})
    answer = client.post(reverse("assistance:visit_edit", args=[visit.pk]), data)
    assert answer.status_code == 200
    stranger.refresh_from_db()
    assert stranger.text == "Вести дневник ежедневно"
    assert not Recommendation.objects.filter(text="Подменённый текст").exists()


def test_the_unit_of_an_answered_recommendation_cannot_change(net, methodist, client_for):
    client = client_for(methodist)
    visit, first, second = _recorded(net, methodist, client)
    Recommendation.objects.filter(pk=first.pk).update(answer="Дневник заведён", status="in_progress")
    data = _edit_data(net, first, second, **{"recs-0-unit": net.beskaragay_lib.pk})
    answer = client.post(reverse("assistance:visit_edit", args=[visit.pk]), data)
    assert answer.status_code == 200
    first.refresh_from_db()
    assert first.unit == net.kanonerka


def test_saving_the_visit_unchanged_writes_no_history_of_its_recommendations(net, methodist, client_for):
    client = client_for(methodist)
    visit, first, second = _recorded(net, methodist, client)
    before = first.history.count()
    data = _edit_data(
        net, first, second, **{"recs-1-text": "Наладить учёт посетителей онлайн-центра ежедневно"}
    )
    assert client.post(reverse("assistance:visit_edit", args=[visit.pk]), data).status_code == 302
    assert first.history.count() == before
    assert second.history.count() == 2
