"""The demo holds a year of daily correspondence with the four online centres: a handful of letters still
wait, two of them overdue; loading again adds nothing, a later run answers what came due."""

import datetime
import io
from collections import Counter

import pytest
from docx import Document

from metodist.accounts.models import RoleKind
from metodist.assistance import letters
from metodist.assistance.models import Letter, LetterFile
from metodist.core.testing.factories import RoleFactory, add_unit
from metodist.demo.letters_load import load_letters
from metodist.network.models import UnitKind

JUNE_18 = datetime.date(2025, 6, 18)
JULY_3 = datetime.date(2025, 7, 3)
CENTRES = {"BSK-OC", "KAN-OC", "MUK-OC", "KAI-OC"}


@pytest.fixture
def demo_log(net, methodist):
    """The test network with all four online centres; `methodist`, the demo's handler by her login, is a
    methodologist of the region as in the demo."""
    RoleFactory(user=methodist, unit=net.region, kind=RoleKind.METHODOLOGIST)
    add_unit(net.kanonerka, code="KAN-OC", name_ru="Онлайн-центр села Канонерка", kind=UnitKind.ONLINE_CENTRE)
    add_unit(net.kainar, code="KAI-OC", name_ru="Онлайн-центр села Кайнар", kind=UnitKind.ONLINE_CENTRE)
    created = load_letters(today=JUNE_18)
    return created


def _snapshot():
    return sorted(
        Letter.objects.values_list(
            "date", "direction", "subject", "counterpart_unit__code", "closed_at", "in_reply_to"
        )
    )


def test_a_year_of_daily_traffic_with_the_four_centres(demo_log, net, methodist):
    log = Letter.objects.all()
    assert 250 <= log.count() <= 400
    assert demo_log["letters"] == log.count()
    assert set(log.values_list("owner_unit", flat=True)) == {net.method_dept.pk}
    assert set(log.values_list("handled_by", flat=True)) == {methodist.pk}
    by_centre = Counter(log.exclude(counterpart_unit=None).values_list("counterpart_unit__code", flat=True))
    assert set(by_centre) == CENTRES
    assert min(by_centre.values()) >= 50
    outside = set(log.filter(counterpart_unit=None).values_list("counterpart_name", flat=True))
    assert any("Казахтелеком" in name for name in outside)
    assert any("акима" in name for name in outside)
    assert any("Отдел культуры" in name for name in outside)
    assert log.filter(subject__startswith="Онлайн-орталықтың апталық есебі").exists()  # some in Kazakh
    dates = log.values_list("date", flat=True)
    assert max(dates) <= JUNE_18
    assert min(dates) >= datetime.date(2024, 6, 1)
    # Most working days of the year have a letter.
    days = set(dates)
    weekdays = [JUNE_18 - datetime.timedelta(days=n) for n in range(1, 300)]
    weekdays = [d for d in weekdays if d.weekday() < 5]
    assert sum(d in days for d in weekdays) > len(weekdays) * 0.6


def test_a_handful_waits_two_of_them_overdue(demo_log, methodist):
    waiting = letters.waiting(Letter.objects.all())
    overdue = letters.overdue(Letter.objects.all(), today=JUNE_18)
    assert 3 <= waiting.count() <= 8
    assert overdue.count() == 2
    assert all(letter.reply_due < JUNE_18 for letter in overdue)
    assert set(overdue) <= set(letters.owed_by(methodist))
    # Everything answered is closed, and the answers hang in their threads.
    replied = Letter.objects.filter(replies__isnull=False).distinct()
    assert replied.count() > 60
    assert not replied.filter(closed_at=None).exists()


def test_answers_attach_recommendations_by_name(demo_log):
    attachments = LetterFile.objects.select_related("letter")
    assert attachments.count() >= 20
    recommendation = attachments.filter(caption__startswith="Методические рекомендации").first()
    assert recommendation.letter.in_reply_to is not None
    assert recommendation.letter.direction == "outgoing"
    with recommendation.file.open("rb") as handle:
        text = "\n".join(p.text for p in Document(io.BytesIO(handle.read())).paragraphs)
    assert recommendation.caption in text
    assert attachments.filter(caption__startswith="Программа:").exists()


def test_loading_again_adds_nothing(demo_log):
    before = _snapshot()
    assert load_letters(today=JUNE_18) == {}
    assert _snapshot() == before


def test_a_later_run_answers_what_came_due_and_keeps_what_people_did(demo_log, methodist):
    june_overdue = list(letters.overdue(Letter.objects.all(), today=JUNE_18))
    settled = june_overdue[0]
    letters.mark_no_reply_needed(user=methodist, letter=settled)
    added = load_letters(today=JULY_3)
    assert added["letters"] > 10
    assert not settled.replies.exists()  # settled by the methodologist: no demo answer is added
    other = june_overdue[1]
    assert other.replies.count() == 1
    other.refresh_from_db()
    assert other.closed_at is not None
    assert letters.overdue(Letter.objects.all(), today=JULY_3).count() == 2
