"""The demo bank of best practices: every review status, figures, adoptions and a history dated in the past;
loading again adds nothing; units the network lacks are skipped."""

import datetime
import io
from collections import Counter

import pytest
from docx import Document

from metodist.accounts.models import RoleKind
from metodist.assistance import practices
from metodist.assistance.models import Practice, PracticeAdoption, PracticeFile, PracticeStatus
from metodist.core.testing.factories import RoleFactory, UserFactory, add_unit
from metodist.demo import practices_data as data
from metodist.demo.practices_load import load_practices
from metodist.network.models import UnitKind

TODAY = datetime.date(2025, 6, 3)
ONLINE_CENTRES = {"MUK-OC": "MUK-LIB", "KAI-OC": "KAI-LIB", "KAN-OC": "KAN-LIB", "BSK-OC": "BSK-CRB"}


@pytest.fixture
def network(db):
    """The libraries the demo practices name; each online centre under its library, as in the demo."""
    region = add_unit(None, code="VKO", name_ru="Восточно-Казахстанская область", kind=UnitKind.REGION)
    district = add_unit(region, code="DST", name_ru="Район", kind=UnitKind.DISTRICT)
    codes = {item.unit for item in data.PRACTICES} | {
        a.unit for item in data.PRACTICES for a in item.adoptions
    }
    units = {}
    for code in sorted(codes - set(ONLINE_CENTRES)):
        units[code] = add_unit(district, code=code, name_ru=f"Библиотека {code}", kind=UnitKind.LIBRARY)
    for code, parent in ONLINE_CENTRES.items():
        units[code] = add_unit(
            units[parent], code=code, name_ru=f"Онлайн-центр {code}", kind=UnitKind.ONLINE_CENTRE
        )
    mukur = UserFactory(username="mukur")
    RoleFactory(user=mukur, unit=units["MUK-LIB"], kind=RoleKind.LIBRARIAN)
    methodist = UserFactory(username="methodist")
    RoleFactory(user=methodist, unit=region, kind=RoleKind.METHODOLOGIST)
    return units


def test_the_demo_holds_practices_in_every_status_with_figures_and_adoptions(network):
    created = load_practices(today=TODAY)
    assert created == Counter(practices=10, practice_figures=25, practice_adoptions=13, practice_files=3)
    statuses = Counter(Practice.objects.values_list("status", flat=True))
    assert statuses == {"recommended": 4, "generalised": 2, "studied": 2, "proposed": 2}
    assert not Practice.objects.filter(figures__isnull=True).exists()
    assert not Practice.objects.filter(directions__isnull=True).exists()
    anchor = TODAY.replace(day=1)
    assert not PracticeAdoption.objects.filter(adopted_on__gte=anchor).exists()
    assert not Practice.objects.filter(created_at__date__gte=anchor).exists()


def test_the_review_history_is_dated_in_the_past_with_its_authors_and_reasons(network):
    load_practices(today=TODAY)
    egov = Practice.objects.get(unit__code="MUK-OC")
    steps = practices.status_history(egov)
    assert [s.status for s in steps] == ["proposed", "studied", "generalised", "recommended"]
    assert [s.user.username for s in steps] == ["mukur", "methodist", "methodist", "methodist"]
    assert [s.at for s in steps] == sorted(s.at for s in steps)
    assert steps[-1].at.date() < TODAY.replace(day=1)
    assert egov.status_changed_by.username == "methodist"
    assert egov.created_by.username == "mukur"
    returned = practices.status_history(Practice.objects.get(unit__code="SHU-LIB"))
    assert [(s.status, s.back) for s in returned] == [
        ("proposed", False),
        ("studied", False),
        ("proposed", True),
    ]
    assert returned[-1].reason.startswith("Нет данных")


def test_the_demo_librarian_recorded_her_adoption_and_sees_what_to_adopt_next(network):
    load_practices(today=TODAY)
    adoption = PracticeAdoption.objects.get(unit__code="MUK-LIB")
    assert adoption.practice.unit.code == "BSK-CRB"
    assert adoption.recorded_by.username == "mukur"
    mukur = adoption.recorded_by
    suggested = [p.unit.code for p in practices.could_adopt_next(mukur, network["MUK-LIB"])]
    assert suggested == ["ABY-CRB", "SEM-PED"]  # three adoptions, then two; the own online centre is left out


def test_the_recommended_practices_carry_a_readable_description(network):
    load_practices(today=TODAY)
    attachment = PracticeFile.objects.get(practice__unit__code="BSK-CRB")
    with attachment.file.open("rb") as handle:
        text = "\n".join(p.text for p in Document(io.BytesIO(handle.read())).paragraphs)
    assert "«Книгоноша»" in text
    assert "Описание опыта работы" in text
    assert set(PracticeFile.objects.values_list("practice__status", flat=True)) == {
        PracticeStatus.RECOMMENDED
    }


def test_loading_again_adds_nothing_even_a_month_later(network):
    load_practices(today=TODAY)
    before = sorted(Practice.objects.values_list("unit__code", "title", "status", "status_changed_at"))
    history = Practice.history.count()
    assert load_practices(today=TODAY) == Counter()
    assert load_practices(today=datetime.date(2025, 9, 10)) == Counter()
    assert (
        sorted(Practice.objects.values_list("unit__code", "title", "status", "status_changed_at")) == before
    )
    assert Practice.history.count() == history
    assert PracticeAdoption.objects.count() == 13


def test_units_the_network_lacks_are_skipped(network):
    network["SEM-PED"].delete()
    network["GLU-LIB"].delete()
    created = load_practices(today=TODAY)
    assert created["practices"] == 9
    assert not Practice.objects.filter(title__startswith="Библиотечный урок").exists()
    knigonosha = Practice.objects.get(unit__code="BSK-CRB")
    assert sorted(knigonosha.adoptions.values_list("unit__code", flat=True)) == ["BRD-CRB", "MUK-LIB"]
