"""The demo holds a year of the methodologist's consultations, the same on every run."""

from datetime import date

from django.core.management import call_command

from metodist.assistance.models import Consultation
from metodist.assistance.selectors import consultations_visible
from metodist.demo.assistance_load import load_assistance
from metodist.network.models import OrgUnit


def _snapshot():
    return sorted(
        Consultation.objects.values_list(
            "date", "topic", "to_unit__code", "mode", "people_count", "directions__code"
        )
    )


def test_the_demo_holds_a_year_of_consultations_by_the_methodologist(demo):
    consultations = Consultation.objects.all()
    assert consultations.count() >= 12 * 6
    assert set(consultations.values_list("consultant__username", flat=True)) == {"methodist"}
    assert set(consultations.values_list("consultant_unit__code", flat=True)) == {"VKOUB-MO"}
    helped = set(consultations.values_list("to_unit__code", flat=True))
    assert {"MUK-LIB", "KAI-OC", "KAS-LIB"} <= helped
    assert {"phone", "on_site"} <= set(consultations.values_list("mode", flat=True))
    assert consultations.filter(topic="Заполнение паспорта библиотеки").exists()
    assert not consultations.filter(directions__isnull=True).exists()


def test_loading_again_adds_nothing_and_changes_nothing(demo):
    before = _snapshot()
    assert load_assistance() == {}
    call_command("demo", "--quiet")
    assert _snapshot() == before


def test_the_same_day_gives_the_same_consultations(demo):
    today = date(2025, 6, 15)
    first = load_assistance(today=today)
    assert load_assistance(today=today) == {}
    assert first["consultations"] >= 0


def test_the_mukur_demo_librarian_sees_only_consultations_given_in_mukur(demo):
    from django.contrib.auth import get_user_model

    mukur = get_user_model().objects.get(username="mukur")
    seen = consultations_visible(mukur)
    assert seen.exists()
    mukur_path = OrgUnit.objects.get(code="MUK-LIB").path
    assert all(c.to_unit.path.startswith(mukur_path) for c in seen)
