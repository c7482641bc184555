"""Who sees which survey and which responses: the marketer of the region everything; the Mukur librarian the
surveys her library takes part in, with her library's responses only, and paper questionnaires for it; a
district methodologist nothing of a regional survey without a link in her district; an outsider nothing."""

from django.urls import reverse

from metodist.marketing import surveys
from metodist.marketing.models import Response, ResponseSource
from metodist.marketing.tests.conftest import build_survey, options


def test_the_marketer_sees_every_response_of_her_survey(satisfaction, marketer, client_for):
    assert list(surveys.surveys_visible(marketer)) == [satisfaction.survey]
    assert surveys.responses_visible(marketer, satisfaction.survey).count() == 6
    page = client_for(marketer).get(reverse("marketing:survey_list"))
    assert "Оценка услуг библиотеки" in page.content.decode()


def test_the_mukur_librarian_sees_only_her_librarys_responses(satisfaction, librarian, client_for):
    survey = satisfaction.survey
    assert list(surveys.surveys_visible(librarian)) == [survey]
    assert set(surveys.responses_visible(librarian, survey)) == set(
        Response.objects.filter(unit__code="MUK-LIB")
    )
    client = client_for(librarian)
    page = client.get(reverse("marketing:survey_results", args=[survey.pk]))
    assert page.status_code == 200
    assert 'id="response-count">2<' in page.content.decode()
    links = client.get(reverse("marketing:survey_links", args=[survey.pk])).content.decode()
    assert satisfaction.mukur.token in links and satisfaction.regional.token not in links
    api = client.get(f"/api/v1/surveys/{survey.pk}/results").json()
    assert api["responses"] == 2
    overall = next(q for q in api["questions"] if q["code"] == "overall")
    assert overall["mean"] == 3.5  # (3 + 4) / 2


def test_the_librarian_does_not_see_a_survey_without_her_library(net, marketer, librarian, client_for):
    other = build_survey(marketer, net.regional, title_ru="Опрос Кайнара")
    surveys.links_create(user=marketer, survey=other, units=[net.kainar])
    assert list(surveys.surveys_visible(librarian)) == []
    client = client_for(librarian)
    assert client.get(reverse("marketing:survey_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("marketing:survey_results", args=[other.pk])).status_code == 404
    assert client.get(f"/api/v1/surveys/{other.pk}/results").status_code == 404
    assert client.get("/api/v1/surveys").json()["count"] == 0


def test_the_librarian_cannot_build_or_publish(satisfaction, librarian, client_for):
    survey = satisfaction.survey
    client = client_for(librarian)
    assert client.get(reverse("marketing:survey_create")).status_code == 403
    assert client.get(reverse("marketing:survey_edit", args=[survey.pk])).status_code == 403
    assert client.get(reverse("marketing:question_create", args=[survey.pk])).status_code == 403
    assert (
        client.post(reverse("marketing:survey_status", args=[survey.pk]), {"status": "closed"}).status_code
        == 403
    )
    assert client.get(reverse("marketing:survey_templates")).status_code == 403
    survey.refresh_from_db()
    assert survey.status == "open"


def test_the_librarian_enters_paper_questionnaires_for_her_library_only(satisfaction, librarian, client_for):
    survey = satisfaction.survey
    client = client_for(librarian)
    url = reverse("marketing:paper_entry", args=[survey.pk, satisfaction.mukur.pk])
    assert client.get(url, {"lang": "kk"}).status_code == 200
    overall = survey.questions.get(code="overall")
    age = survey.questions.get(code="age")
    sent = client.post(
        url,
        {
            "submit_key": "p" * 32,
            "language": "kk",
            f"q{overall.pk}": "5",
            f"q{age.pk}": str(options(survey)["age"][1]),
        },
    )
    assert sent.status_code == 302
    entered = Response.objects.get(source=ResponseSource.PAPER, entered_by=librarian)
    assert (entered.unit.code, entered.language) == ("MUK-LIB", "kk")
    regional = reverse("marketing:paper_entry", args=[survey.pk, satisfaction.regional.pk])
    assert client.get(regional).status_code == 404


def test_a_district_methodologist_does_not_see_a_regional_survey(satisfaction, methodist, client_for):
    client = client_for(methodist)
    assert client.get(reverse("marketing:survey_detail", args=[satisfaction.survey.pk])).status_code == 404
    assert client.get(reverse("marketing:survey_list")).status_code == 200
    assert list(surveys.surveys_visible(methodist)) == []


def test_an_outsider_is_refused(satisfaction, outsider, client_for):
    client = client_for(outsider)
    assert client.get(reverse("marketing:survey_list")).status_code == 403
    assert client.get(reverse("marketing:survey_detail", args=[satisfaction.survey.pk])).status_code == 404
    assert client.get(reverse("marketing:survey_export", args=[satisfaction.survey.pk])).status_code == 404
    assert client.get("/api/v1/surveys").json()["count"] == 0
    assert client.get(f"/api/v1/surveys/{satisfaction.survey.pk}").status_code == 404


def test_pages_need_a_login(satisfaction, client):
    page = client.get(reverse("marketing:survey_results", args=[satisfaction.survey.pk]))
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert client.get("/api/v1/surveys").status_code == 401
