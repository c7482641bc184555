"""The demo holds a year of the methodological department's field visits with findings and recommendations."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from metodist.assistance import recommendations as recommendation_selectors
from metodist.assistance.models import FieldVisit, Recommendation, RecommendationStatus
from metodist.demo.visits_load import load_visits


def _snapshot():
    visits = sorted(FieldVisit.objects.values_list("start", "end", "purpose", "destinations__code"))
    recommendations = sorted(Recommendation.objects.values_list("unit__code", "due", "status", "text"))
    return visits, recommendations


def test_the_demo_holds_the_seed_visits_by_the_methodological_department(demo):
    visits = FieldVisit.objects.all()
    assert set(visits.values_list("organiser_unit__code", flat=True)) == {"VKOUB-MO"}
    visited = set(visits.values_list("destinations__code", flat=True))
    assert {"MUK-LIB", "KAI-LIB", "KAS-LIB", "MUK-OC", "KAI-OC", "BSK-CRB", "ABY-CRB"} <= visited
    assert set(visits.values_list("team", flat=True)) == {"Мальцева О.Н., Адикаева Р.М."}
    assert set(visits.values_list("transport", flat=True)) == {"служебный автомобиль"}
    assert not visits.filter(findings__isnull=True).exists()
    today = timezone.localdate()
    assert not visits.filter(start__gte=today.replace(day=1)).exists()
    assert visits.filter(start__lt=today.replace(day=1).replace(year=today.year - 1)).count() == 0


def test_recommendations_are_done_in_progress_and_overdue(demo):
    recommendations = Recommendation.objects.all()
    statuses = set(recommendations.values_list("status", flat=True))
    assert statuses == {
        RecommendationStatus.OPEN,
        RecommendationStatus.IN_PROGRESS,
        RecommendationStatus.DONE,
    }
    assert not recommendations.filter(status=RecommendationStatus.DONE, answer="").exists()
    assert not recommendations.filter(status=RecommendationStatus.OPEN).exclude(answer="").exists()
    overdue = recommendation_selectors.overdue(recommendations)
    assert overdue.filter(unit__code="MUK-LIB", status=RecommendationStatus.OPEN).exists()


def test_the_mukur_demo_librarian_sees_her_overdue_recommendation(demo):
    mukur = get_user_model().objects.get(username="mukur")
    overdue = recommendation_selectors.overdue_for(mukur)
    assert overdue.filter(unit__code="MUK-LIB").exists()
    assert {r.unit.code for r in overdue} == {"MUK-LIB"}
    assert all(r.is_overdue for r in overdue)
    seen = recommendation_selectors.recommendations_visible(mukur)
    assert not seen.filter(unit__code="KAI-LIB").exists()


def test_loading_again_adds_nothing_and_changes_nothing(demo):
    before = _snapshot()
    assert load_visits() == {}
    call_command("demo", "--quiet")
    assert _snapshot() == before


def test_the_same_anchor_gives_the_same_visits_whatever_the_day_of_the_month(demo):
    first = load_visits(today=date(2025, 6, 3))
    assert first["visits"] == 7
    assert load_visits(today=date(2025, 6, 28)) == {}
    # A month later only the trip whose month came round again is added (there is none in July).
    assert load_visits(today=date(2025, 7, 10))["visits"] == 1
    assert load_visits(today=date(2025, 8, 10)) == {}
    assert FieldVisit.objects.filter(start=date(2025, 6, 10)).exists()
