"""The survey builder: the card, questions with options written one a line in Russian and Kazakh, sections,
order, skip logic, the ready templates and their copies, new waves; and what a survey with answers refuses
so that no answer is lost."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from metodist.marketing import surveys
from metodist.marketing.models import Choice, Question, Response, Survey, SurveyStatus
from metodist.marketing.tests.conftest import build_survey


def _question_data(**extra):
    data = {
        "submit_key": "q" * 32,
        "kind": "single",
        "text_ru": "Как вы узнали о библиотеке?",
        "text_kk": "Кітапхана туралы қалай білдіңіз?",
        "options": "от друзей | достарымнан\nиз Instagram | Instagram-нан\nиз газеты",
        "scale_max": "5",
    }
    data.update(extra)
    return data


def test_a_survey_is_created_once_however_often_the_form_is_sent(net, marketer, client_for):
    client = client_for(marketer)
    data = {
        "submit_key": "s" * 32,
        "unit": net.regional.pk,
        "title_ru": "Опрос о летнем чтении",
        "title_kk": "Жазғы оқу туралы сауалнама",
        "opens_on": "2026-06-01",
        "closes_on": "2026-08-31",
    }
    first = client.post(reverse("marketing:survey_create"), data)
    second = client.post(reverse("marketing:survey_create"), data)
    survey = Survey.objects.get(title_ru="Опрос о летнем чтении")
    assert first["Location"] == second["Location"] == reverse("marketing:survey_detail", args=[survey.pk])
    assert (survey.status, survey.created_by, survey.unit) == (SurveyStatus.DRAFT, marketer, net.regional)


def test_a_survey_cannot_close_before_it_opens_nor_run_for_a_unit_out_of_reach(net, marketer, client_for):
    page = client_for(marketer).post(
        reverse("marketing:survey_create"),
        {
            "submit_key": "t" * 32,
            "unit": net.regional.pk,
            "title_ru": "Опрос",
            "opens_on": "2026-06-01",
            "closes_on": "2026-05-01",
        },
    )
    assert page.status_code == 200 and "closes_on" in page.context["form"].errors
    with pytest.raises(ValidationError):
        surveys.survey_create(user=marketer, data={"unit": None, "title_ru": "Опрос"})
    assert not Survey.objects.exists()


def test_a_question_takes_its_options_one_a_line_with_the_kazakh_after_a_bar(net, marketer, client_for):
    survey = build_survey(marketer, net.regional, status=SurveyStatus.DRAFT)
    sent = client_for(marketer).post(reverse("marketing:question_create", args=[survey.pk]), _question_data())
    assert sent.status_code == 302
    question = survey.questions.get(text_ru="Как вы узнали о библиотеке?")
    assert question.code == "q11"  # numbered after the ten questions of the survey
    assert [(c.text_ru, c.text_kk) for c in question.choices.all()] == [
        ("от друзей", "достарымнан"),
        ("из Instagram", "Instagram-нан"),
        ("из газеты", ""),
    ]


def test_a_choice_question_needs_its_options(net, marketer, client_for):
    survey = build_survey(marketer, net.regional, status=SurveyStatus.DRAFT)
    page = client_for(marketer).post(
        reverse("marketing:question_create", args=[survey.pk]), _question_data(options="")
    )
    assert page.status_code == 200 and "options" in page.context["form"].errors
    assert survey.questions.count() == 10


def test_rewording_an_option_keeps_its_answers_and_a_chosen_option_is_not_removed(
    satisfaction, marketer, client_for
):
    survey = satisfaction.survey
    question = survey.questions.get(code="visits")
    url = reverse("marketing:question_edit", args=[survey.pk, question.pk])
    client = client_for(marketer)
    reworded = "за книгами и журналами | кітап пен журнал алу\nна мероприятия\nк компьютерам\nв читальный зал"
    sent = client.post(
        url, _question_data(kind="multiple", text_ru=question.text_ru, options=reworded, allow_other="on")
    )
    assert sent.status_code == 302
    books = question.choices.get(order=0)
    assert books.text_ru == "за книгами и журналами"
    assert books.answers.count() == 4  # the answers stay with the reworded option
    assert question.choices.count() == 4
    page = client.post(url, _question_data(kind="multiple", text_ru=question.text_ru, options="за книгами"))
    assert page.status_code == 200 and "options" in page.context["form"].errors
    assert question.choices.count() == 4


def test_a_question_with_answers_keeps_its_kind_and_is_not_removed(satisfaction, marketer, client_for):
    survey = satisfaction.survey
    question = survey.questions.get(code="overall")
    client = client_for(marketer)
    page = client.post(
        reverse("marketing:question_edit", args=[survey.pk, question.pk]),
        _question_data(kind="number", text_ru=question.text_ru, options=""),
    )
    assert page.status_code == 200 and "kind" in page.context["form"].errors
    client.post(reverse("marketing:question_delete", args=[survey.pk, question.pk]))
    assert Question.objects.filter(pk=question.pk).exists()
    unanswered = survey.questions.get(code="visit_date")
    client.post(reverse("marketing:question_delete", args=[survey.pk, unanswered.pk]))
    assert not Question.objects.filter(pk=unanswered.pk).exists()


def test_questions_move_up_and_down_within_their_section(net, marketer, client_for):
    survey = build_survey(marketer, net.regional, status=SurveyStatus.DRAFT)
    codes = [q.code for q in surveys.questions_of(survey)]
    assert codes[:3] == ["visits", "overall", "nps"]
    nps = survey.questions.get(code="nps")
    page = client_for(marketer).post(
        reverse("marketing:question_move", args=[survey.pk, nps.pk]),
        {"direction": "up"},
        headers={"HX-Request": "true", "HX-Target": "survey-questions"},
    )
    assert page.status_code == 200 and "<html" not in page.content.decode()
    assert [q.code for q in surveys.questions_of(survey)][:3] == ["visits", "nps", "overall"]
    age = survey.questions.get(code="age")  # alone in its section: it stays where it is
    surveys.question_move(user=marketer, question=age, up=True)
    assert [q.code for q in surveys.questions_of(survey)][-1] == "age"


def test_a_section_groups_questions_and_leaves_them_when_removed(net, marketer, client_for):
    survey = build_survey(marketer, net.regional, status=SurveyStatus.DRAFT)
    client = client_for(marketer)
    client.post(
        reverse("marketing:section_create", args=[survey.pk]),
        {"title_ru": "Впечатления", "title_kk": "Әсерлер"},
    )
    section = survey.sections.get(title_ru="Впечатления")
    client.post(
        reverse("marketing:question_create", args=[survey.pk]),
        _question_data(section=section.pk, submit_key="w" * 32),
    )
    assert section.questions.count() == 1
    client.post(reverse("marketing:section_delete", args=[survey.pk, section.pk]))
    assert survey.questions.filter(text_ru="Как вы узнали о библиотеке?", section__isnull=True).exists()


def test_a_survey_without_questions_is_not_opened_and_one_with_responses_is_not_deleted(
    satisfaction, net, marketer, client_for
):
    empty = surveys.survey_create(user=marketer, data={"unit": net.regional, "title_ru": "Пустой опрос"})
    client = client_for(marketer)
    client.post(reverse("marketing:survey_status", args=[empty.pk]), {"status": "open"})
    empty.refresh_from_db()
    assert empty.status == SurveyStatus.DRAFT
    client.post(reverse("marketing:survey_delete", args=[satisfaction.survey.pk]))
    assert Survey.objects.filter(pk=satisfaction.survey.pk).exists()
    client.post(reverse("marketing:survey_delete", args=[empty.pk]))
    assert not Survey.objects.filter(pk=empty.pk).exists()


def test_the_ready_templates_are_installed_once(db):
    assert surveys.templates_install() == {"survey_templates": 4}
    assert surveys.templates_install() == {}
    codes = set(Survey.objects.filter(is_template=True).values_list("template_code", flat=True))
    assert codes == {"needs", "satisfaction", "event_feedback", "non_users"}
    non_users = Survey.objects.get(template_code="non_users")
    last_visit = non_users.questions.get(code="last_visit")
    assert last_visit.show_if.text_ru == "да, но давно"
    assert non_users.questions.get(code="why_not").text_kk == "Неліктен кітапханаға бармайсыз?"


def test_a_template_is_copied_to_a_draft_with_its_conditions(net, marketer, client_for):
    surveys.templates_install()
    template = Survey.objects.get(template_code="non_users")
    client = client_for(marketer)
    assert client.get(reverse("marketing:survey_templates")).status_code == 200
    sent = client.post(
        reverse("marketing:survey_copy", args=[template.pk]),
        {
            "submit_key": "c" * 32,
            "unit": net.mukur.pk,
            "title_ru": "Опрос жителей села Мукур",
            "title_kk": "Мұқыр ауылы тұрғындарының сауалнамасы",
        },
    )
    copy = Survey.objects.get(title_ru="Опрос жителей села Мукур")
    assert sent["Location"] == reverse("marketing:survey_detail", args=[copy.pk])
    assert (copy.unit, copy.status, copy.is_template, copy.previous_wave) == (
        net.mukur,
        SurveyStatus.DRAFT,
        False,
        None,
    )
    assert [q.code for q in surveys.questions_of(copy)] == [q.code for q in surveys.questions_of(template)]
    condition = copy.questions.get(code="last_visit").show_if
    assert condition.question.survey == copy and condition.text_ru == "да, но давно"
    assert (
        Choice.objects.filter(question__survey=template).count()
        == Choice.objects.filter(question__survey=copy).count()
    )


def test_the_next_wave_is_a_copy_linked_to_the_previous_one(satisfaction, net, marketer, client_for):
    survey = satisfaction.survey
    client_for(marketer).post(
        f"{reverse('marketing:survey_copy', args=[survey.pk])}?wave=1",
        {"submit_key": "v" * 32, "unit": net.regional.pk, "title_ru": "Оценка услуг библиотеки, 2027"},
    )
    wave = Survey.objects.get(title_ru="Оценка услуг библиотеки, 2027")
    assert wave.previous_wave == survey
    assert not Response.objects.filter(survey=wave).exists()
    page = client_for(marketer).get(reverse("marketing:survey_compare", args=[wave.pk]))
    assert page.status_code == 200
    with pytest.raises(ValidationError):
        surveys.survey_update(user=marketer, survey=survey, data={"previous_wave": wave})


def test_the_preview_checks_answers_without_saving(satisfaction, marketer, client_for):
    survey = satisfaction.survey
    client = client_for(marketer)
    page = client.get(reverse("marketing:survey_preview", args=[survey.pk]), {"lang": "kk"})
    assert "Кітапхана жұмысының жалпы бағасы" in page.content.decode()
    checked = client.get(reverse("marketing:survey_preview", args=[survey.pk]), {"lang": "ru", "check": "1"})
    assert checked.context["form"].errors
    assert Response.objects.count() == 6


def test_a_survey_open_in_its_dates_takes_answers(net, marketer):
    survey = build_survey(marketer, net.regional)
    today = datetime.date(2026, 6, 15)
    assert survey.accepts_answers(today)
    survey.opens_on, survey.closes_on = datetime.date(2026, 6, 16), datetime.date(2026, 7, 1)
    assert not survey.accepts_answers(today)
    survey.opens_on, survey.closes_on = datetime.date(2026, 6, 1), datetime.date(2026, 6, 14)
    assert not survey.accepts_answers(today)
