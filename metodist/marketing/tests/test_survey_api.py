"""`/api/v1/surveys`: the list, creating a survey with its questions, the results (the same hand-computed
figures as the pages), and the public endpoints with the guards of the public page."""

import pytest
from django.test import Client

from metodist.marketing.models import Response, Survey
from metodist.marketing.tests.conftest import options

NEW_SURVEY = {
    "title_ru": "Отзыв о вечере поэзии",
    "title_kk": "Поэзия кеші туралы пікір",
    "status": "open",
    "sections": [{"title_ru": "Вечер", "title_kk": "Кеш"}],
    "questions": [
        {
            "code": "liked",
            "kind": "single",
            "text_ru": "Понравился ли вам вечер?",
            "text_kk": "Кеш ұнады ма?",
            "required": True,
            "section": 0,
            "options": [{"text_ru": "да", "text_kk": "иә"}, {"text_ru": "нет", "text_kk": "жоқ"}],
        },
        {
            "code": "why_not",
            "kind": "text",
            "text_ru": "Что не понравилось?",
            "text_kk": "Не ұнамады?",
            "show_if": {"question": "liked", "option": 1},
        },
        {"kind": "nps", "text_ru": "Порекомендуете ли вы наши вечера?"},
    ],
}


def _create(client, unit, **extra):
    return client.post(
        "/api/v1/surveys", {**NEW_SURVEY, "unit": unit.pk, **extra}, content_type="application/json"
    )


def test_the_list_answers_items_and_count(satisfaction, marketer, client_for):
    body = client_for(marketer).get("/api/v1/surveys").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["title_ru"], item["status"], item["unit"]["code"], item["question_count"]) == (
        "Оценка услуг библиотеки",
        "open",
        "VKOUB",
        10,
    )
    assert client_for(marketer).get("/api/v1/surveys", {"status": "draft"}).json()["count"] == 0


def test_a_marketer_creates_a_survey_with_its_questions(net, marketer, client_for):
    created = _create(client_for(marketer), net.regional)
    assert created.status_code == 201, created.json()
    body = created.json()
    survey = Survey.objects.get(pk=body["id"])
    assert (survey.status, survey.unit, survey.created_by) == ("open", net.regional, marketer)
    assert [q["code"] for q in body["questions"]] == ["why_not", "q3", "liked"]  # unsectioned first
    liked = next(q for q in body["questions"] if q["code"] == "liked")
    assert (liked["section"], [o["text_kk"] for o in liked["options"]]) == ("Вечер", ["иә", "жоқ"])
    why_not = next(q for q in body["questions"] if q["code"] == "why_not")
    assert why_not["show_if"] == {"question": "liked", "option": liked["options"][1]["id"]}
    assert next(q for q in body["questions"] if q["code"] == "q3")["scale"] == list(range(11))


def test_creating_refuses_what_it_cannot_take(net, marketer, librarian, client_for):
    assert _create(client_for(librarian), net.mukur).status_code == 403
    bad = dict(
        NEW_SURVEY, questions=[{**NEW_SURVEY["questions"][1], "show_if": {"question": "nope", "option": 0}}]
    )
    refused = _create(client_for(marketer), net.regional, questions=bad["questions"])
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "questions.0.show_if"
    no_options = [{"kind": "single", "text_ru": "Ваш пол"}]
    refused = _create(client_for(marketer), net.regional, questions=no_options)
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (400, "questions.0.options")
    assert _create(client_for(marketer), net.regional, colour="red").status_code == 422
    assert not Survey.objects.exists()


def test_a_unit_out_of_scope_is_not_found(net, methodist, client_for):
    from metodist.accounts.models import RoleKind
    from metodist.core.testing.factories import RoleFactory

    RoleFactory(user=methodist, unit=net.beskaragay, kind=RoleKind.MARKETER)
    refused = _create(client_for(methodist), net.mukur)
    assert refused.status_code == 404
    assert refused.json()["errors"][0]["field"] == "unit"


def test_the_results_give_counts_shares_means_and_nps(satisfaction, marketer, client_for):
    body = client_for(marketer).get(f"/api/v1/surveys/{satisfaction.survey.pk}/results").json()
    assert (body["survey"], body["responses"]) == (satisfaction.survey.pk, 6)
    questions = {q["code"]: q for q in body["questions"]}
    visits = questions["visits"]
    assert visits["answered"] == 6
    assert [(o["count"], o["share"]) for o in visits["options"]] == [
        (4, 66.7),
        (2, 33.3),
        (1, 16.7),
        (1, 16.7),
    ]
    assert visits["options"][-1]["id"] is None  # "other"
    assert questions["overall"]["mean"] == pytest.approx(3.83, abs=0.01)
    assert questions["nps"]["nps"] == {"score": 16.7, "promoters": 3, "passives": 1, "detractors": 2}
    assert [(r["text"], r["mean"]) for r in questions["aspects"]["rows"]] == [
        ("выбор книг", 4.0),
        ("режим работы", 3.5),
    ]
    assert (questions["wait"]["mean"], questions["wait"]["min"], questions["wait"]["max"]) == (7.5, 5, 10)
    assert questions["comment"]["texts"] == ["Спасибо библиотекарям!"]
    paper = (
        client_for(marketer)
        .get(f"/api/v1/surveys/{satisfaction.survey.pk}/results", {"source": "paper"})
        .json()
    )
    assert paper["responses"] == 1


def test_the_public_questionnaire_is_read_in_kazakh_without_credentials(satisfaction):
    body = Client().get(f"/api/v1/surveys/public/{satisfaction.mukur.token}", {"lang": "kk"}).json()
    assert (body["language"], body["library"], body["accepts_answers"]) == (
        "kk",
        "Мұқыр ауылдық кітапханасы",
        True,
    )
    overall = next(q for q in body["questions"] if q["code"] == "overall")
    assert (overall["text"], overall["scale"]) == ("Кітапхана жұмысының жалпы бағасы", [1, 2, 3, 4, 5])
    assert Client().get("/api/v1/surveys/public/unknown").status_code == 404


def test_a_public_response_is_saved_once_per_device(satisfaction):
    survey = satisfaction.survey
    o = options(survey)
    client = Client()
    answers = {"overall": 5, "age": o["age"][0], "visits": [o["visits"][1], {"other": "шахматы"}]}
    saved = client.post(
        f"/api/v1/surveys/public/{satisfaction.mukur.token}/responses",
        {"language": "kk", "answers": answers},
        content_type="application/json",
    )
    assert saved.status_code == 201, saved.json()
    response = Response.objects.get(pk=saved.json()["id"])
    assert (response.unit.code, response.language, response.source) == ("MUK-LIB", "kk", "web")
    assert sorted(a.text for a in response.answers.filter(question__code="visits")) == ["", "шахматы"]
    again = client.post(
        f"/api/v1/surveys/public/{satisfaction.mukur.token}/responses",
        {"answers": answers},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert Response.objects.count() == 7


def test_refused_public_answers_name_their_question(satisfaction):
    url = f"/api/v1/surveys/public/{satisfaction.mukur.token}/responses"
    refused = Client().post(url, {"answers": {"age": 999999, "wait": 1000}}, content_type="application/json")
    assert refused.status_code == 400
    fields = {e["field"] for e in refused.json()["errors"]}
    assert fields == {"answers.age", "answers.wait", "answers.overall"}
    unknown = Client().post(url, {"answers": {"colour": "red"}}, content_type="application/json")
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (400, "answers.colour")
    assert Response.objects.count() == 6


def test_the_public_endpoint_limits_an_address_and_refuses_a_closed_survey(satisfaction, settings):
    settings.SURVEY_RATE_LIMIT = 1
    url = f"/api/v1/surveys/public/{satisfaction.mukur.token}/responses"
    assert (
        Client(REMOTE_ADDR="10.1.1.1")
        .post(url, {"answers": {"overall": 3}}, content_type="application/json")
        .status_code
        == 201
    )
    limited = Client(REMOTE_ADDR="10.1.1.1").post(
        url, {"answers": {"overall": 3}}, content_type="application/json"
    )
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    survey = satisfaction.survey
    survey.status = "closed"
    survey.save()
    closed = Client(REMOTE_ADDR="10.1.1.2").post(
        url, {"answers": {"overall": 3}}, content_type="application/json"
    )
    assert closed.status_code == 400
    assert Response.objects.count() == 7
