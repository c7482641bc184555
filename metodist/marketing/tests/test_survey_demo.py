"""The demo surveys: the ready templates, the needs study and two waves of the satisfaction survey of the
regional library with several hundred plausible responses; a second load adds nothing."""

import datetime
from collections import Counter

import pytest

from metodist.accounts.models import RoleKind
from metodist.core.testing.factories import RoleFactory, UserFactory, add_unit
from metodist.demo import marketing_data as data
from metodist.demo.marketing_load import load_marketing
from metodist.marketing import surveys, surveys_results
from metodist.marketing.models import Answer, Response, ResponseSource, Survey, SurveyStatus
from metodist.network.models import UnitKind

TODAY = datetime.date(2026, 6, 3)


@pytest.fixture
def network(db):
    region = add_unit(None, code="VKO", name_ru="Восточно-Казахстанская область", kind=UnitKind.REGION)
    regional = add_unit(
        region, code="VKOUB", name_ru="ВКО универсальная библиотека имени Абая", kind=UnitKind.LIBRARY
    )
    add_unit(
        region, code="SEM-CGB", name_ru="Центральная городская библиотека г. Семей", kind=UnitKind.LIBRARY
    )
    district = add_unit(region, code="ABY", name_ru="Абайский район", kind=UnitKind.DISTRICT)
    mukur = add_unit(district, code="MUK-LIB", name_ru="Мукурская сельская библиотека", kind=UnitKind.LIBRARY)
    RoleFactory(user=UserFactory(username="marketer"), unit=region, kind=RoleKind.MARKETER)
    RoleFactory(user=UserFactory(username="mukur"), unit=mukur, kind=RoleKind.LIBRARIAN)
    return regional


def test_the_demo_holds_a_needs_study_and_two_waves_of_the_satisfaction_survey(network):
    created = load_marketing(today=TODAY)
    assert created == Counter(survey_templates=4, surveys=3, survey_links=7, survey_responses=594)
    assert load_marketing(today=TODAY) == Counter()

    needs = Survey.objects.get(title_ru="Изучение читательских потребностей и интересов", is_template=False)
    first = Survey.objects.get(title_ru__endswith="(I волна)")
    second = Survey.objects.get(title_ru__endswith="(II волна)")
    assert (needs.status, first.status, second.status) == (
        SurveyStatus.CLOSED,
        SurveyStatus.CLOSED,
        SurveyStatus.OPEN,
    )
    assert second.previous_wave == first and second.kiosk
    assert second.accepts_answers(TODAY)
    anchor = TODAY.replace(day=1)
    for survey in (needs, first, second):
        dates = [r.submitted_at.date() for r in survey.responses.all()]
        assert min(dates) >= survey.opens_on and max(dates) < anchor and max(dates) <= survey.closes_on
    assert needs.responses.count() == 264

    # Respondents answer in both languages; a third of the questionnaires came on paper, entered by staff.
    languages = Counter(Response.objects.values_list("language", flat=True))
    assert set(languages) == {"kk", "ru"}
    paper = Response.objects.filter(source=ResponseSource.PAPER)
    assert 0.2 < paper.count() / 594 < 0.4
    assert not paper.filter(entered_by__isnull=True).exists()
    assert paper.filter(unit__code="MUK-LIB", entered_by__username="mukur").exists()
    texts = set(
        Answer.objects.filter(question__survey=second, question__code="improve").values_list(
            "text", flat=True
        )
    )
    assert texts & set(data.IMPROVE["kk"]) and texts & set(data.IMPROVE["ru"])


def test_the_demo_figures_look_like_a_regional_librarys(network):
    load_marketing(today=TODAY)
    first = Survey.objects.get(title_ru__endswith="(I волна)")
    second = Survey.objects.get(title_ru__endswith="(II волна)")
    before = surveys_results.survey_results(first, first.responses.all()).by_code()
    after = surveys_results.survey_results(second, second.responses.all()).by_code()
    assert 3.5 < before["overall"].mean < after["overall"].mean < 4.8
    assert before["nps"].nps.score < after["nps"].nps.score
    hours = [row.mean for row in after["aspects"].matrix][2]
    assert hours > [row.mean for row in before["aspects"].matrix][2] + 0.3  # the longer opening hours
    compared = {
        row.question.code
        for row in surveys_results.compare_waves(
            surveys_results.survey_results(first, first.responses.all()),
            surveys_results.survey_results(second, second.responses.all()),
        )
    }
    assert {"overall", "aspects", "nps", "age"} <= compared

    needs = Survey.objects.get(title_ru="Изучение читательских потребностей и интересов", is_template=False)
    tab = surveys_results.crosstab(needs, needs.responses.all(), needs.questions.get(code="age"))
    purpose = next(t for t in tab.tables if t.question.code == "purpose")
    study = next(row for row in purpose.rows if row.label.startswith("для учёбы"))
    papers = next(row for row in purpose.rows if row.label.startswith("почитать газеты"))
    assert study.cells[1].share > 3 * study.cells[4].share  # 15–24 study, 55+ do not
    assert papers.cells[4].share > 2 * papers.cells[1].share  # 55+ read newspapers
    mukur = UserFactory(username="mukur")
    assert (
        surveys.responses_visible(mukur, needs).count()
        == needs.responses.filter(unit__code="MUK-LIB").count()
        > 0
    )
