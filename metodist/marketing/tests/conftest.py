"""Surveys for the marketing tests: a satisfaction survey of the regional library with a public link for it
and one for the Mukur library, and six responses whose figures are worked out by hand in
`test_survey_results.py`."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from metodist.marketing import surveys, surveys_answers
from metodist.marketing.models import ResponseSource, SurveyStatus
from metodist.marketing.surveys import Option


def build_survey(user, unit, *, title_ru="Оценка услуг библиотеки", status=SurveyStatus.OPEN, kiosk=False):
    survey = surveys.survey_create(
        user=user,
        data={"unit": unit, "title_ru": title_ru, "title_kk": "Кітапхана қызметін бағалау", "kiosk": kiosk},
    )
    surveys.build_questions(
        survey,
        [{"title_ru": "О себе", "title_kk": "Өзіңіз туралы"}],
        [
            {
                "code": "visits",
                "kind": "multiple",
                "text_ru": "Зачем вы приходите в библиотеку?",
                "text_kk": "Кітапханаға не үшін келесіз?",
                "allow_other": True,
                "options": [
                    Option("за книгами", "кітап алу"),
                    Option("на мероприятия", "іс-шаралар"),
                    Option("к компьютерам", "компьютерлер"),
                ],
            },
            {
                "code": "overall",
                "kind": "scale",
                "text_ru": "Общая оценка работы библиотеки",
                "text_kk": "Кітапхана жұмысының жалпы бағасы",
                "required": True,
            },
            {
                "code": "nps",
                "kind": "nps",
                "text_ru": "Порекомендуете ли вы нас друзьям?",
                "text_kk": "Бізді достарыңызға ұсынасыз ба?",
            },
            {
                "code": "aspects",
                "kind": "matrix",
                "text_ru": "Оцените",
                "text_kk": "Бағалаңыз",
                "options": [
                    Option("выбор книг", "кітаптар таңдауы"),
                    Option("режим работы", "жұмыс кестесі"),
                ],
            },
            {
                "code": "wait",
                "kind": "number",
                "text_ru": "Сколько минут вы ждали?",
                "text_kk": "Неше минут күттіңіз?",
                "min_value": 0,
                "max_value": 240,
            },
            {"code": "comment", "kind": "long_text", "text_ru": "Ваши пожелания", "text_kk": "Тілектеріңіз"},
            {
                "code": "found",
                "kind": "single",
                "text_ru": "Нашли ли вы нужную книгу?",
                "text_kk": "Керекті кітапты таптыңыз ба?",
                "options": [Option("да", "иә"), Option("нет", "жоқ")],
            },
            {
                "code": "missing",
                "kind": "text",
                "text_ru": "Какую книгу вы не нашли?",
                "text_kk": "Қандай кітапты таппадыңыз?",
                "required": True,
                "show_if": ("found", 1),
            },
            {"code": "visit_date", "kind": "date", "text_ru": "Дата посещения", "text_kk": "Келген күніңіз"},
            {
                "code": "age",
                "kind": "single",
                "text_ru": "Ваш возраст",
                "text_kk": "Жасыңыз",
                "section": 0,
                "options": [
                    Option("до 30 лет", "30 жасқа дейін"),
                    Option("30 лет и старше", "30 жас және одан жоғары"),
                ],
            },
        ],
    )
    if status != SurveyStatus.DRAFT:
        surveys.survey_set_status(user=user, survey=survey, status=status)
    return survey


def ru(message: str) -> str:
    """A message as a Russian user reads it (the tests' language), whether or not it is translated yet."""
    with translation.override("ru"):
        return translation.gettext(message)


def kk(message: str) -> str:
    """A message as a Kazakh respondent reads it."""
    with translation.override("kk"):
        return translation.gettext(message)


def options(survey) -> dict[str, list[int]]:
    """The option ids of every question, by code, in order."""
    return {q.code: [c.pk for c in q.choices.all()] for q in surveys.questions_of(survey)}


def submit(link, answers: dict, *, language="ru", source=ResponseSource.WEB):
    """Answer the survey of the link the way the public page does: through the answer form."""
    survey = link.survey
    questions = surveys.questions_of(survey)
    data, unknown = surveys_answers.api_data(questions, answers)
    assert not unknown
    form = surveys_answers.AnswerForm(data, survey=survey, language=language, questions=questions)
    assert form.is_valid(), form.errors
    return surveys_answers.response_submit(
        survey=survey, link=link, source=source, language=language, answers=form.answers
    )


@pytest.fixture
def satisfaction(net, marketer):
    """Six responses: four through the regional library's link, two through Mukur's.

    | # | link     | age    | visits              | overall | nps | aspects   | wait | found |
    |---|----------|--------|---------------------|---------|-----|-----------|------|-------|
    | 1 | regional | young  | books, events       | 5       | 10  | 4, 5      | 5    | yes   |
    | 2 | regional | young  | books               | 4       | 9   | 3, —      | 10   | no    |
    | 3 | regional | young  | other               | 2       | 3   | —         | —    | —     |
    | 4 | mukur    | old    | events              | 3       | 7   | 5, 2      | —    | —     |
    | 5 | mukur    | old    | books, computers    | 4       | 6   | —         | —    | —     |
    | 6 | regional | —      | books               | 5       | 10  | —         | —    | —     |
    """
    survey = build_survey(marketer, net.regional)
    regional, mukur = surveys.links_create(user=marketer, survey=survey, units=[net.regional, net.mukur])
    o = options(survey)
    young, old = o["age"]
    books, events, computers = o["visits"]
    row_books, row_hours = o["aspects"]
    yes, no = o["found"]
    submit(
        regional,
        {
            "age": young,
            "visits": [books, events],
            "overall": 5,
            "nps": 10,
            "aspects": {str(row_books): 4, str(row_hours): 5},
            "wait": 5,
            "found": yes,
            "comment": "Спасибо библиотекарям!",
        },
    )
    submit(
        regional,
        {
            "age": young,
            "visits": [books],
            "overall": 4,
            "nps": 9,
            "aspects": {str(row_books): 3},
            "wait": 10,
            "found": no,
            "missing": "Роман «Көшпенділер»",
        },
        language="kk",
    )
    submit(regional, {"age": young, "visits": [{"other": "читать газеты"}], "overall": 2, "nps": 3})
    submit(
        mukur,
        {
            "age": old,
            "visits": [events],
            "overall": 3,
            "nps": 7,
            "aspects": {str(row_books): 5, str(row_hours): 2},
        },
    )
    submit(
        mukur, {"age": old, "visits": [books, computers], "overall": 4, "nps": 6}, source=ResponseSource.PAPER
    )
    submit(regional, {"visits": [books], "overall": 5, "nps": 10})
    return SimpleNamespace(survey=survey, regional=regional, mukur=mukur, options=o)
