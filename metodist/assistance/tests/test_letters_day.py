"""Overdue replies are highlighted in red: in the list, on a methodologist's day and on the home page."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from metodist.accounts.models import RoleKind
from metodist.assistance import letters
from metodist.assistance.models import Letter, LetterDirection
from metodist.core.testing.factories import RoleFactory, UserFactory

# 17:00 in Almaty.
JULY_2 = datetime.datetime(2025, 7, 2, 12, 0, tzinfo=datetime.UTC)


def entry(net, subject, *, day, due=None, handler=None, direction=LetterDirection.INCOMING, counterpart=None):
    return Letter.objects.create(
        owner_unit=net.method_dept,
        handled_by=handler,
        direction=direction,
        date=day,
        counterpart_unit=counterpart or net.mukur_oc,
        subject=subject,
        reply_due=due,
    )


@pytest.fixture
def day_of(net, admin_user):
    d = datetime.date
    return {
        "overdue": entry(
            net,
            "Образец журнала учёта посетителей",
            day=d(2025, 6, 20),
            due=d(2025, 6, 27),
            handler=admin_user,
        ),
        "due_day": entry(
            net, "Справка о несудимости", day=d(2025, 6, 24), due=d(2025, 7, 1), handler=admin_user
        ),
        "waiting": entry(
            net, "Заявка на выездной семинар", day=d(2025, 6, 30), due=d(2025, 7, 20), handler=admin_user
        ),
        "today": entry(net, "Нет доступа к интернету", day=d(2025, 7, 2), handler=admin_user),
        "yesterday": entry(net, "Еженедельный отчёт онлайн-центра", day=d(2025, 7, 1), handler=admin_user),
    }


@time_machine.travel(datetime.datetime(2025, 7, 1, 12, 0, tzinfo=datetime.UTC))
def test_it_is_not_overdue_on_the_day_the_reply_is_due(day_of):
    assert not day_of["due_day"].is_overdue
    assert set(letters.overdue(Letter.objects.all())) == {day_of["overdue"]}


@time_machine.travel(JULY_2)
def test_it_is_overdue_the_day_after_and_red_in_the_list(day_of, admin_user, client_for):
    assert day_of["due_day"].is_overdue
    assert set(letters.overdue(Letter.objects.all())) == {day_of["overdue"], day_of["due_day"]}
    client = client_for(admin_user)
    page = client.get(reverse("assistance:letter_list")).text
    assert page.count('class="table-danger"') == 2
    only = client.get(reverse("assistance:letter_list"), {"state": "overdue"}).text
    assert "Справка о несудимости" in only
    assert "Заявка на выездной семинар" not in only
    waiting = client.get(reverse("assistance:letter_list"), {"state": "waiting"}).text
    assert "Заявка на выездной семинар" in waiting
    assert "Нет доступа к интернету" not in waiting


@time_machine.travel(JULY_2)
def test_the_day_shows_what_waits_overdue_first_then_the_entries_of_the_day(day_of, admin_user, client_for):
    page = client_for(admin_user).get(reverse("assistance:letter_day")).text
    owed = page.split('id="owed"')[1].split("</section>")[0]
    positions = [
        owed.index(s) for s in ("Образец журнала", "Справка о несудимости", "Заявка на выездной семинар")
    ]
    assert positions == sorted(positions)
    assert owed.count("letter-overdue") == 2
    entries = page.split("</section>")[1]
    assert "Нет доступа к интернету" in entries
    assert "Еженедельный отчёт онлайн-центра" not in entries
    assert "?date=2025-07-01" in page and "?date=2025-07-03" in page
    earlier = client_for(admin_user).get(reverse("assistance:letter_day"), {"date": "2025-07-01"}).text
    assert "Еженедельный отчёт онлайн-центра" in earlier.split("</section>")[1]


@time_machine.travel(JULY_2)
def test_one_may_look_at_the_day_of_a_colleague_of_her_log(day_of, net, admin_user, librarian, client_for):
    colleague = UserFactory(username="kasymova", first_name="Гульнара", last_name="Касымова")
    RoleFactory(user=colleague, unit=net.method_dept, kind=RoleKind.METHODOLOGIST)
    entry(
        net,
        "Приглашение на семинар-практикум",
        day=datetime.date(2025, 7, 2),
        handler=colleague,
        direction=LetterDirection.OUTGOING,
    )
    page = client_for(admin_user).get(reverse("assistance:letter_day"), {"who": colleague.pk}).text
    assert "Приглашение на семинар-практикум" in page
    assert "Нет доступа к интернету" not in page
    # A librarian cannot look at the methodologist's day: she sees her own.
    own = client_for(librarian).get(reverse("assistance:letter_day"), {"who": admin_user.pk}).text
    assert "Образец журнала" not in own


@time_machine.travel(JULY_2)
def test_the_home_piece_lists_the_replies_owed_and_stays_empty_for_others(
    day_of, admin_user, methodist, client_for
):
    home = client_for(admin_user).get(reverse("dashboard:home")).text
    assert reverse("assistance:letter_waiting") in home
    piece = client_for(admin_user).get(reverse("assistance:letter_waiting")).text
    assert piece.index("Образец журнала") < piece.index("Заявка на выездной семинар")
    assert piece.count("link-danger") == 2
    assert client_for(methodist).get(reverse("assistance:letter_waiting")).content == b""


@time_machine.travel(JULY_2)
def test_a_librarian_is_shown_the_requests_she_owes_an_answer_to(net, admin_user, librarian, client_for):
    entry(
        net,
        "Просим направить фотоотчёт акции",
        day=datetime.date(2025, 6, 25),
        due=datetime.date(2025, 6, 30),
        handler=admin_user,
        direction=LetterDirection.OUTGOING,
    )
    entry(
        net,
        "Вопрос онлайн-центра о портале",
        day=datetime.date(2025, 6, 25),
        due=datetime.date(2025, 6, 30),
        handler=admin_user,
    )
    piece = client_for(librarian).get(reverse("assistance:letter_waiting")).text
    assert "Просим направить фотоотчёт акции" in piece
    assert "Вопрос онлайн-центра о портале" not in piece
    assert "link-danger" in piece
    owed_by_admin = letters.owed_by(admin_user).values_list("subject", flat=True)
    assert list(owed_by_admin) == ["Вопрос онлайн-центра о портале"]
