"""Results of a survey against figures worked out by hand from the six responses of the `satisfaction`
fixture (see its table): counts and shares, means, NPS, cross-tabulation and the comparison of waves."""

import pytest
from django.urls import reverse

from metodist.marketing import surveys, surveys_results
from metodist.marketing.models import Question
from metodist.marketing.tests.conftest import options, ru, submit


def _results(survey, user=None):
    responses = survey.responses.all() if user is None else surveys.responses_visible(user, survey)
    return surveys_results.survey_results(survey, responses).by_code()


def test_shares_are_counted_among_those_who_answered_the_question(satisfaction):
    results = _results(satisfaction.survey)
    age = results["age"]
    assert age.answered == 5
    assert [(o.count, o.share) for o in age.options] == [(3, 60.0), (2, 40.0)]
    visits = results["visits"]
    assert visits.answered == 6
    # Books 4 of 6, events 2, computers 1, "other" 1: a multiple choice counts a respondent once per option.
    assert [(o.label, o.count, o.share) for o in visits.options] == [
        ("за книгами", 4, 66.7),
        ("на мероприятия", 2, 33.3),
        ("к компьютерам", 1, 16.7),
        (ru("Other"), 1, 16.7),
    ]
    assert visits.texts == ["читать газеты"]


def test_means_of_a_scale_a_number_and_the_rows_of_a_matrix(satisfaction):
    results = _results(satisfaction.survey)
    overall = results["overall"]
    assert overall.mean == pytest.approx(23 / 6, abs=0.01)  # (5 + 4 + 2 + 3 + 4 + 5) / 6
    assert [(m.value, m.count) for m in overall.marks] == [(1, 0), (2, 1), (3, 1), (4, 2), (5, 2)]
    wait = results["wait"]
    assert (wait.mean, wait.minimum, wait.maximum, wait.answered) == (7.5, 5.0, 10.0, 2)
    rows = results["aspects"].matrix
    assert [(r.label, r.count, r.mean) for r in rows] == [("выбор книг", 3, 4.0), ("режим работы", 2, 3.5)]
    assert results["aspects"].answered == 3


def test_nps_is_the_share_of_promoters_less_the_share_of_detractors(satisfaction):
    nps = _results(satisfaction.survey)["nps"].nps
    # 10, 9, 10 promote; 7 is passive; 3 and 6 detract: (3 − 2) / 6.
    assert (nps.promoters, nps.passives, nps.detractors) == (3, 1, 2)
    assert nps.score == 16.7


def test_a_conditional_question_and_free_texts_are_listed(satisfaction):
    results = _results(satisfaction.survey)
    assert results["missing"].texts == ["Роман «Көшпенділер»"]
    assert results["comment"].texts == ["Спасибо библиотекарям!"]
    assert results["found"].answered == 2


def _table(tab, code):
    return next(t for t in tab.tables if t.question.code == code)


def test_the_crosstab_by_age_splits_every_answer_by_the_age_groups(satisfaction):
    survey = satisfaction.survey
    by = survey.questions.get(code="age")
    tab = surveys_results.crosstab(survey, survey.responses.all(), by)
    assert [(g.label, g.count) for g in tab.groups] == [("до 30 лет", 3), ("30 лет и старше", 2)]

    visits = _table(tab, "visits")
    assert visits.answered == [3, 2]
    shares = {row.label: [(c.count, c.share) for c in row.cells] for row in visits.rows}
    assert shares == {
        "за книгами": [(2, 66.7), (1, 50.0)],
        "на мероприятия": [(1, 33.3), (1, 50.0)],
        "к компьютерам": [(0, 0.0), (1, 50.0)],
        ru("Other"): [(1, 33.3), (0, 0.0)],
    }
    overall = _table(tab, "overall")
    assert [c.mean for c in overall.rows[0].cells] == [pytest.approx(11 / 3, abs=0.01), 3.5]
    nps = _table(tab, "nps")
    # Young: 10, 9 promote, 3 detracts → (2 − 1) / 3; old: 7 passive, 6 detracts → (0 − 1) / 2.
    assert [c.mean for c in nps.rows[0].cells] == [33.3, -50.0]
    aspects = _table(tab, "aspects")
    assert [[c.mean for c in row.cells] for row in aspects.rows] == [[3.5, 5.0], [5.0, 2.0]]
    assert "age" not in [t.question.code for t in tab.tables]
    assert "comment" not in [t.question.code for t in tab.tables]


def test_a_crosstab_by_a_multiple_choice_puts_a_respondent_in_every_group_they_chose(satisfaction):
    survey = satisfaction.survey
    by = survey.questions.get(code="visits")
    tab = surveys_results.crosstab(survey, survey.responses.all(), by)
    assert [(g.label, g.count) for g in tab.groups] == [
        ("за книгами", 4),
        ("на мероприятия", 2),
        ("к компьютерам", 1),
        (ru("Other"), 1),
    ]
    # Books: respondents 1, 2, 5, 6 → (5 + 4 + 4 + 5) / 4; events: 1 and 4 → (5 + 3) / 2.
    assert [c.mean for c in _table(tab, "overall").rows[0].cells] == [4.5, 4.0, 4.0, 2.0]


def test_a_crosstab_by_a_scale_groups_by_each_mark(satisfaction):
    survey = satisfaction.survey
    by = survey.questions.get(code="overall")
    tab = surveys_results.crosstab(survey, survey.responses.all(), by)
    assert [(g.label, g.count) for g in tab.groups] == [("1", 0), ("2", 1), ("3", 1), ("4", 2), ("5", 2)]
    promoters = _table(tab, "nps").rows[1]
    assert [c.count for c in promoters.cells] == [0, 0, 0, 1, 2]


def test_a_text_question_cannot_split_the_results(satisfaction):
    survey = satisfaction.survey
    with pytest.raises(ValueError):
        surveys_results.crosstab(survey, survey.responses.all(), survey.questions.get(code="comment"))


def test_two_waves_compare_question_by_question(satisfaction, marketer, net):
    first = satisfaction.survey
    second = surveys.survey_copy(user=marketer, source=first, unit=net.regional, next_wave=True)
    assert second.previous_wave == first
    surveys.survey_set_status(user=marketer, survey=second, status="open")
    (link,) = surveys.links_create(user=marketer, survey=second, units=[net.regional])
    o = options(second)
    submit(link, {"overall": 5, "nps": 10, "visits": [o["visits"][0]]})
    submit(link, {"overall": 4, "nps": 8, "visits": [o["visits"][1]]})

    rows = surveys_results.compare_waves(_results_of(first), _results_of(second))
    by_code = {row.question.code: row for row in rows}
    overall = by_code["overall"].rows[0]
    assert (overall.before, overall.after) == (pytest.approx(3.83, abs=0.01), 4.5)
    assert overall.change == pytest.approx(0.67, abs=0.01)
    books = by_code["visits"].rows[0]
    assert (books.label, books.before, books.after) == ("за книгами", 66.7, 50.0)
    nps = by_code["nps"].rows[0]
    assert (nps.before, nps.after) == (16.7, 50.0)
    assert "comment" not in by_code  # nobody wrote a comment in the second wave: it still compares nothing


def _results_of(survey):
    return surveys_results.survey_results(survey, survey.responses.all())


def test_the_results_page_shows_the_figures_and_the_crosstab(satisfaction, marketer, client_for):
    survey = satisfaction.survey
    client = client_for(marketer)
    page = client.get(reverse("marketing:survey_results", args=[survey.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="response-count">6<' in text
    assert "66,7 %" in text and "16,7" in text  # books, NPS
    age = Question.objects.get(survey=survey, code="age")
    tab = client.get(
        reverse("marketing:survey_results", args=[survey.pk]),
        {"by": age.pk},
        headers={"HX-Request": "true", "HX-Target": "crosstab"},
    )
    assert tab.status_code == 200
    body = tab.content.decode()
    assert "<html" not in body  # only the piece of the page
    assert "до 30 лет" in body and "n = 3" in body and "-50,0" in body


def test_the_results_can_be_narrowed_to_a_library_and_a_source(satisfaction, marketer, client_for, net):
    url = reverse("marketing:survey_results", args=[satisfaction.survey.pk])
    page = client_for(marketer).get(url, {"unit": net.mukur.pk})
    assert 'id="response-count">2<' in page.content.decode()
    page = client_for(marketer).get(url, {"source": "paper"})
    assert 'id="response-count">1<' in page.content.decode()
