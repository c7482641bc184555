"""`/api/v1/practices`: the list and its filters through the scope, one practice with figures and adoptions,
and proposing a practice (rights, units out of scope, refused data, bodies that do not parse)."""

import datetime

import pytest
from django.test import Client

from metodist.accounts.models import ApiToken
from metodist.assistance.models import Direction, Practice, PracticeAdoption, PracticeFigure, PracticeStatus
from metodist.events.models import FormOfWork

PRACTICES = "/api/v1/practices"


def _api(user) -> Client:
    _token, key = ApiToken.issue(user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def make(unit, title, *, status=PracticeStatus.PROPOSED, directions=(), adopted_by=()):
    practice = Practice.objects.create(
        unit=unit, title=title, problem="Проблема", actions="Что сделано", results="Результаты", status=status
    )
    practice.directions.set(Direction.objects.filter(code__in=directions))
    for adopter in adopted_by:
        PracticeAdoption.objects.create(
            practice=practice,
            unit=adopter,
            adopted_on=datetime.date(2025, 4, 1),
            result=f"Итог {adopter.code}",
        )
    return practice


@pytest.fixture
def bank(net):
    return {
        "recommended": make(
            net.kanonerka,
            "Электронный дневник",
            status=PracticeStatus.RECOMMENDED,
            directions=["reporting"],
            adopted_by=[net.beskaragay_lib, net.kainar],
        ),
        "proposed": make(net.kanonerka, "Буккроссинг", directions=["mass_work"]),
        "mukur": make(
            net.mukur, "Краеведческий уголок", status=PracticeStatus.STUDIED, directions=["local_history"]
        ),
    }


def _titles(answer) -> list[str]:
    return [item["title"] for item in answer.json()["items"]]


def test_the_list_follows_the_scope(net, bank, librarian, methodist, outsider):
    mine = _api(librarian).get(PRACTICES)
    assert mine.status_code == 200
    assert sorted(_titles(mine)) == ["Краеведческий уголок", "Электронный дневник"]
    assert mine.json()["count"] == 2
    item = next(i for i in mine.json()["items"] if i["title"] == "Электронный дневник")
    assert item["status"] == "recommended"
    assert item["adoption_count"] == 2
    assert item["directions"] == ["reporting"]
    assert item["unit"] == {"id": net.kanonerka.pk, "code": "KAN-LIB", "name": net.kanonerka.name}
    assert sorted(_titles(_api(methodist).get(PRACTICES))) == ["Буккроссинг", "Электронный дневник"]
    assert _api(outsider).get(PRACTICES).json() == {"items": [], "count": 0}
    assert Client().get(PRACTICES).status_code == 401


def test_the_list_filters(net, bank, admin_user):
    client = _api(admin_user)
    assert _titles(client.get(PRACTICES, {"status": "studied"})) == ["Краеведческий уголок"]
    assert _titles(client.get(PRACTICES, {"direction": "reporting"})) == ["Электронный дневник"]
    assert _titles(client.get(PRACTICES, {"under": net.abay.pk})) == ["Краеведческий уголок"]
    assert _titles(client.get(PRACTICES, {"unit": net.kanonerka.pk})) == [
        "Электронный дневник",
        "Буккроссинг",
    ]
    assert _titles(client.get(PRACTICES, {"limit": 1, "offset": 1})) == ["Буккроссинг"]
    unknown = client.get(PRACTICES, {"direction": "astrology"})
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["field"] == "direction"
    assert client.get(PRACTICES, {"status": "famous"}).status_code == 422


def test_a_unit_out_of_scope_as_a_filter_is_404(net, bank, librarian):
    answer = _api(librarian).get(PRACTICES, {"under": net.beskaragay.pk})
    assert answer.status_code == 404
    assert answer.json()["errors"] == [{"field": "under", "message": answer.json()["detail"]}]
    assert _api(librarian).get(PRACTICES, {"unit": net.kanonerka.pk}).status_code == 404


def test_one_practice_with_figures_and_the_adoptions_the_caller_sees(
    net, bank, librarian, methodist, outsider
):
    practice = bank["recommended"]
    PracticeFigure.objects.create(
        practice=practice, label="Расхождений в отчётах", before=8, after=2, measure="в квартал"
    )
    PracticeFigure.objects.create(practice=practice, label="Новых форм", before=None, after=3)
    answer = _api(librarian).get(f"{PRACTICES}/{practice.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["figures"] == [
        {
            "label": "Расхождений в отчётах",
            "before": 8.0,
            "after": 2.0,
            "measure": "в квартал",
            "change_percent": -75.0,
        },
        {"label": "Новых форм", "before": None, "after": 3.0, "measure": "", "change_percent": None},
    ]
    # The Mukur librarian sees neither Beskaragay nor Kainar: the adoptions are counted, not named.
    assert body["adoption_count"] == 2
    assert body["adoptions"] == []
    named = _api(methodist).get(f"{PRACTICES}/{practice.pk}").json()["adoptions"]
    assert sorted((a["unit"]["code"], a["result"]) for a in named) == [
        ("BSK-LIB", "Итог BSK-LIB"),
        ("KAI-LIB", "Итог KAI-LIB"),
    ]
    assert _api(librarian).get(f"{PRACTICES}/{bank['proposed'].pk}").status_code == 404
    assert _api(outsider).get(f"{PRACTICES}/{practice.pk}").status_code == 404


@pytest.fixture(autouse=True)
def _catalogue(db):
    FormOfWork.objects.get_or_create(
        code="digital_literacy_hour", defaults={"name_ru": "Час цифровой грамотности"}
    )


def _body(**extra):
    return {
        "title": "Цифровая грамотность для пенсионеров",
        "problem": "Пенсионеры ездили в ЦОН за справками",
        "actions": "Восемь занятий по порталу eGov",
        "results": "Обучено 64 пенсионера",
        "period_start": "2024-09-01",
        "directions": ["online_centres", "automation"],
        "forms_of_work": ["digital_literacy_hour"],
        "figures": [{"label": "Электронных услуг", "before": 12, "after": "187", "measure": "в год"}],
        **extra,
    }


def test_a_librarian_proposes_a_practice_of_her_own_library(net, librarian):
    answer = _api(librarian).post(PRACTICES, _body(), content_type="application/json")
    assert answer.status_code == 201
    body = answer.json()
    practice = Practice.objects.get(pk=body["id"])
    assert (practice.unit, practice.status, practice.created_by) == (net.mukur, "proposed", librarian)
    assert body["status"] == "proposed"
    assert body["directions"] == ["automation", "online_centres"]
    assert body["forms_of_work"] == ["digital_literacy_hour"]
    assert body["figures"][0]["change_percent"] == pytest.approx(1458.3)
    online_centre = _api(librarian).post(
        PRACTICES, _body(unit=net.mukur_oc.pk), content_type="application/json"
    )
    assert online_centre.status_code == 201
    assert Practice.objects.get(pk=online_centre.json()["id"]).unit == net.mukur_oc


def test_proposing_needs_a_right_on_a_library_in_scope(net, librarian, marketer, methodist):
    out_of_scope = _api(librarian).post(PRACTICES, _body(unit=net.kainar.pk), content_type="application/json")
    assert out_of_scope.status_code == 404
    assert out_of_scope.json()["errors"][0]["field"] == "unit"
    no_right = _api(marketer).post(PRACTICES, _body(unit=net.mukur.pk), content_type="application/json")
    assert no_right.status_code == 403
    district = _api(methodist).post(PRACTICES, _body(), content_type="application/json")
    assert district.status_code == 400
    assert district.json()["errors"][0]["field"] == "unit"
    assert not Practice.objects.exists()


def test_refused_and_unparsable_bodies(net, librarian):
    client = _api(librarian)
    missing = client.post(PRACTICES, _body(title=None), content_type="application/json")
    assert missing.status_code == 422
    body = _body()
    del body["results"]
    assert (
        client.post(PRACTICES, body, content_type="application/json").json()["errors"][0]["field"]
        == "results"
    )
    extra = client.post(PRACTICES, _body(rating=5), content_type="application/json")
    assert extra.status_code == 422
    assert extra.json()["errors"][0]["field"] == "rating"
    direction = client.post(PRACTICES, _body(directions=["astrology"]), content_type="application/json")
    assert direction.status_code == 400
    assert direction.json()["errors"][0]["field"] == "directions"
    period = client.post(PRACTICES, _body(period_end="2024-01-01"), content_type="application/json")
    assert period.status_code == 400
    assert period.json()["errors"][0]["field"] == "period_end"
    figure = client.post(
        PRACTICES,
        _body(figures=[{"label": "Много", "after": "1" + "0" * 14}]),
        content_type="application/json",
    )
    assert figure.status_code == 400
    assert figure.json()["errors"][0]["field"] == "figures"
    assert not Practice.objects.exists()
