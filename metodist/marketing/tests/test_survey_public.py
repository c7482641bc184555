"""The public page of a survey: answering without logging in, in Kazakh or Russian; one response per device,
a limit per address, a double submit saved once, the kiosk; bad input refused with clear messages and
nothing lost; what respondents write is never run as markup."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from metodist.marketing.models import Response, ResponseSource, SurveyStatus
from metodist.marketing.tests.conftest import build_survey, kk, options, ru

SCRIPT = "<script>alert('xss')</script>"


@pytest.fixture
def open_survey(net, marketer):
    from metodist.marketing import surveys

    survey = build_survey(marketer, net.regional, kiosk=True)
    (link,) = surveys.links_create(user=marketer, survey=survey, units=[net.mukur])
    return link


def _url(link, name="marketing:survey_public"):
    return reverse(name, args=[link.token])


def _answers(link, **extra):
    o = options(link.survey)
    data = {
        "submit_key": extra.pop("submit_key", "k" * 32),
        "language": "kk",
        f"q{_pk(link, 'overall')}": "4",
        f"q{_pk(link, 'age')}": str(o["age"][0]),
    }
    data.update(extra)
    return data


def _errors(text: str) -> list[str]:
    """The messages shown next to the questions."""
    return [m.strip() for m in re.findall(r"data-error><i[^>]*></i>([^<]*)</div>", text)]


def _pk(link, code):
    return link.survey.questions.get(code=code).pk


def test_a_respondent_answers_in_kazakh_without_logging_in(open_survey, net):
    client = Client(HTTP_ACCEPT_LANGUAGE="kk")
    page = client.get(_url(open_survey))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Кітапхана жұмысының жалпы бағасы" in text  # the question in Kazakh
    assert "Мұқыр ауылдық кітапханасы" in text  # the library of the link
    response = client.post(_url(open_survey), _answers(open_survey))
    assert response.status_code == 302
    assert response["Location"].startswith(_url(open_survey, "marketing:survey_thanks"))
    saved = Response.objects.get()
    assert (saved.unit, saved.source, saved.language, saved.entered_by) == (
        net.mukur,
        ResponseSource.WEB,
        "kk",
        None,
    )
    assert sorted(a.question.code for a in saved.answers.all()) == ["age", "overall"]
    assert client.get(response["Location"]).status_code == 200


def test_the_language_switch_shows_the_questions_in_russian_and_is_remembered(open_survey):
    client = Client(HTTP_ACCEPT_LANGUAGE="kk")
    page = client.get(_url(open_survey), {"lang": "ru"})
    assert "Общая оценка работы библиотеки" in page.content.decode()
    assert page.cookies["metodist_language"].value == "ru"
    again = client.get(_url(open_survey))
    assert "Общая оценка работы библиотеки" in again.content.decode()


def test_the_same_device_cannot_answer_twice(open_survey):
    client = Client()
    client.post(_url(open_survey), _answers(open_survey))
    page = client.get(_url(open_survey))
    assert "data-refusal" in page.content.decode()
    again = client.post(_url(open_survey), _answers(open_survey, submit_key="m" * 32))
    assert again.status_code == 200
    assert Response.objects.count() == 1


def test_a_double_submit_of_one_form_is_saved_once(open_survey):
    # Two requests with the same form key, as a double click sends them before the first answer returns.
    first = Client().post(_url(open_survey), _answers(open_survey))
    second = Client().post(_url(open_survey), _answers(open_survey))
    assert first.status_code == second.status_code == 302
    assert Response.objects.count() == 1


def test_one_address_is_limited_within_an_hour_and_keeps_the_answers(open_survey, settings):
    settings.SURVEY_RATE_LIMIT = 2
    for number in range(2):
        sent = Client(REMOTE_ADDR="10.0.0.7").post(
            _url(open_survey), _answers(open_survey, submit_key=f"{number}" * 32)
        )
        assert sent.status_code == 302
    comment = f"q{_pk(open_survey, 'comment')}"
    refused = Client(REMOTE_ADDR="10.0.0.7").post(
        _url(open_survey),
        _answers(open_survey, submit_key="z" * 32, **{comment: "Хочу больше книг на казахском"}),
    )
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "data-rate-limited" in text
    assert "Хочу больше книг на казахском" in text  # the answers are still in the form
    assert Response.objects.count() == 2
    other = Client(REMOTE_ADDR="10.0.0.8").post(_url(open_survey), _answers(open_survey, submit_key="y" * 32))
    assert other.status_code == 302
    assert Response.objects.count() == 3


def test_a_library_kiosk_takes_one_respondent_after_another(open_survey, librarian, settings):
    settings.SURVEY_RATE_LIMIT = 1
    staff = Client()
    staff.force_login(librarian)
    started = staff.get(reverse("marketing:link_kiosk", args=[open_survey.survey_id, open_survey.pk]))
    assert started.status_code == 302
    # The computer keeps the kiosk cookie after the librarian has logged out.
    client = Client()
    name = f"metodist_kiosk_{open_survey.pk}"
    client.cookies[name] = staff.cookies[name].value
    for number in range(3):
        sent = client.post(_url(open_survey), _answers(open_survey, submit_key=f"{number}" * 32))
        assert sent.status_code == 302
        thanks = client.get(sent["Location"])
        assert "data-next-respondent" in thanks.content.decode()
    assert Response.objects.filter(source=ResponseSource.KIOSK).count() == 3
    assert "data-refusal" not in client.get(_url(open_survey)).content.decode()


def test_a_kiosk_needs_a_survey_that_allows_it(open_survey, librarian, client_for):
    survey = open_survey.survey
    survey.kiosk = False
    survey.save()
    refused = client_for(librarian).get(reverse("marketing:link_kiosk", args=[survey.pk, open_survey.pk]))
    assert refused.status_code == 403


def test_a_missing_required_answer_keeps_everything_filled_in(open_survey):
    o = options(open_survey.survey)
    comment = f"q{_pk(open_survey, 'comment')}"
    visits = f"q{_pk(open_survey, 'visits')}"
    data = {
        "submit_key": "k" * 32,
        "language": "ru",
        comment: "Продлите работу в субботу",
        visits: [str(o["visits"][0]), str(o["visits"][2])],
    }
    page = Client().post(_url(open_survey), data)
    assert page.status_code == 200
    text = page.content.decode()
    assert _errors(text) == [ru("Please answer this question.")]
    assert f'href="#question-{_pk(open_survey, "overall")}"' in text  # listed at the top
    assert "Продлите работу в субботу" in text
    assert len(re.findall(r"<input[^>]*\schecked[^>]*>", text)) == 2  # both chosen options are still chosen
    assert Response.objects.count() == 0


def test_too_long_texts_wrong_numbers_and_an_empty_other_are_refused(open_survey):
    o = options(open_survey.survey)
    data = _answers(
        open_survey,
        **{
            f"q{_pk(open_survey, 'missing')}": "",
            f"q{_pk(open_survey, 'comment')}": "а" * 3001,
            f"q{_pk(open_survey, 'wait')}": "900",
            f"q{_pk(open_survey, 'visits')}": [str(o["visits"][0]), "other"],
        },
    )
    data["language"] = "ru"
    page = Client().post(_url(open_survey), data)
    text = page.content.decode()
    assert page.status_code == 200
    errors = _errors(text)
    assert len(errors) == 3
    assert "3000" in errors[2]  # the length limit is named (after the number and the choice)
    assert "240" in errors[1]  # the largest number allowed
    assert errors[0] == ru("Write your answer next to “Other”.")
    assert Response.objects.count() == 0


def test_a_conditional_question_is_required_only_when_asked(open_survey):
    o = options(open_survey.survey)
    found = f"q{_pk(open_survey, 'found')}"
    missing = f"q{_pk(open_survey, 'missing')}"
    # "yes": the follow-up is not asked, and what came for it is dropped.
    sent = Client().post(
        _url(open_survey), _answers(open_survey, **{found: str(o["found"][0]), missing: "не спрашивали"})
    )
    assert sent.status_code == 302
    assert not Response.objects.get().answers.filter(question__code="missing").exists()
    # "no": the follow-up must be answered.
    page = Client().post(
        _url(open_survey), _answers(open_survey, submit_key="n" * 32, **{found: str(o["found"][1])})
    )
    assert page.status_code == 200
    assert _errors(page.content.decode()) == [kk("Please answer this question.")]  # the answers said "kk"


def test_a_closed_or_draft_survey_takes_no_answers(open_survey):
    survey = open_survey.survey
    survey.status = SurveyStatus.CLOSED
    survey.save()
    page = Client().post(_url(open_survey), _answers(open_survey))
    assert kk("This survey is closed. Thank you for your interest!") in page.content.decode()
    survey.status = SurveyStatus.DRAFT
    survey.save()
    page = Client().get(_url(open_survey))
    assert ru("This survey is not open yet.") in page.content.decode()
    assert Response.objects.count() == 0


def test_an_unknown_link_is_not_found(db):
    assert Client().get(reverse("marketing:survey_public", args=["no-such-token"])).status_code == 404


def test_a_script_in_a_text_answer_is_shown_as_text_everywhere(open_survey, marketer, client_for):
    comment = f"q{_pk(open_survey, 'comment')}"
    sent = Client().post(_url(open_survey), _answers(open_survey, **{comment: SCRIPT}))
    assert sent.status_code == 302
    assert Response.objects.get().answers.get(question__code="comment").text == SCRIPT
    escaped = "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;"
    client = client_for(marketer)
    results = client.get(reverse("marketing:survey_results", args=[open_survey.survey_id])).content.decode()
    assert escaped in results and SCRIPT not in results
    question = open_survey.survey.questions.get(code="comment")
    texts = client.get(
        reverse("marketing:survey_texts", args=[open_survey.survey_id, question.pk])
    ).content.decode()
    assert escaped in texts and SCRIPT not in texts
    # Sent back with an error, the text stays text in the form too.
    page = Client().post(_url(open_survey), {"submit_key": "e" * 32, "language": "ru", comment: SCRIPT})
    assert escaped in page.content.decode() and SCRIPT not in page.content.decode()


def test_a_formula_in_a_text_answer_stays_text_in_the_workbook(open_survey, marketer, client_for):
    comment = f"q{_pk(open_survey, 'comment')}"
    formula = '=HYPERLINK("http://example.com","Нажмите")'
    Client().post(_url(open_survey), _answers(open_survey, **{comment: formula}))
    export = client_for(marketer).get(reverse("marketing:survey_export", args=[open_survey.survey_id]))
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(
        row=2, column=header.index(next(h for h in header if h and h.startswith("comment"))) + 1
    )
    assert cell.value == formula
    assert cell.data_type == "s"
