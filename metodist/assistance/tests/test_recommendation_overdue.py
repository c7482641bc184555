"""Overdue is derived from the due date and the status; both sides see it on their home-page piece."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from metodist.assistance import recommendations as recs
from metodist.assistance.models import Recommendation, RecommendationStatus


@pytest.fixture
def due_july(net, admin_user):
    return Recommendation.objects.create(
        issuer_unit=net.method_dept,
        issued_by=admin_user,
        text="Обновить паспорт библиотеки",
        unit=net.mukur,
        due=datetime.date(2025, 7, 1),
    )


@time_machine.travel(datetime.datetime(2025, 7, 1, 12, 0, tzinfo=datetime.UTC))
def test_it_is_not_overdue_on_the_due_day(due_july, admin_user):
    assert not due_july.is_overdue
    assert not recs.overdue_for(admin_user).exists()


@time_machine.travel(datetime.datetime(2025, 7, 2, 12, 0, tzinfo=datetime.UTC))
def test_it_is_overdue_the_day_after_for_both_sides(due_july, admin_user, librarian, methodist, client_for):
    assert due_july.is_overdue
    assert list(recs.overdue_for(admin_user)) == [due_july]
    assert list(recs.overdue_for(librarian)) == [due_july]
    assert not recs.overdue_for(methodist).exists()
    for user in (admin_user, librarian):
        piece = client_for(user).get(reverse("assistance:overdue_recommendations"))
        assert "Обновить паспорт библиотеки" in piece.text
    assert client_for(methodist).get(reverse("assistance:overdue_recommendations")).content == b""


@time_machine.travel(datetime.datetime(2025, 7, 2, 12, 0, tzinfo=datetime.UTC))
def test_a_done_recommendation_is_never_overdue(due_july, librarian):
    recs.recommendation_answer(user=librarian, recommendation=due_july, answer="Сделано", status="done")
    assert not due_july.is_overdue
    assert not recs.overdue_for(librarian).exists()


@time_machine.travel(datetime.datetime(2025, 7, 2, 12, 0, tzinfo=datetime.UTC))
def test_an_in_progress_recommendation_past_due_is_overdue_and_highlighted(due_july, librarian, client_for):
    recs.recommendation_answer(user=librarian, recommendation=due_july, answer="Начали", status="in_progress")
    assert due_july.status == RecommendationStatus.IN_PROGRESS
    assert recs.overdue_for(librarian).exists()
    page = client_for(librarian).get(reverse("assistance:recommendation_list"), {"tab": "act"})
    assert "table-danger" in page.text


def test_metodist_remind_tells_both_sides_once(due_july, admin_user, librarian, mailoutbox):
    from django.core.management import call_command

    admin_user.email, librarian.email = "admin@example.kz", "mukur@example.kz"
    admin_user.save()
    librarian.save()
    with time_machine.travel(datetime.datetime(2025, 7, 2, 5, 0, tzinfo=datetime.UTC)):
        call_command("remind")
        call_command("remind")
    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == ["admin@example.kz", "mukur@example.kz"]
    assert "Обновить паспорт библиотеки" in mailoutbox[0].body


def test_metodist_remind_says_nothing_before_the_due_date(due_july, admin_user, mailoutbox):
    from django.core.management import call_command

    admin_user.email = "admin@example.kz"
    admin_user.save()
    with time_machine.travel(datetime.datetime(2025, 6, 30, 5, 0, tzinfo=datetime.UTC)):
        call_command("remind")
    assert mailoutbox == []
