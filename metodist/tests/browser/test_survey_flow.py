"""Issue 6 in the browser: a reader answers the satisfaction survey of the Mukur library on a phone, in
Kazakh, without logging in (a missing answer is asked for, nothing typed is lost, the follow-up question
appears when it applies); the marketer then finds the response in the results and splits them by age."""

import pytest
from playwright.sync_api import expect

from metodist.marketing.models import Question, Response, SurveyLink

pytestmark = pytest.mark.browser

WISH = "Сенбі күні кешке дейін жұмыс істесеңіздер екен, балалармен келуге ыңғайлы болар еді"
NOT_FOUND = "Ілияс Есенберлиннің «Көшпенділер» трилогиясы"


def test_a_reader_answers_on_a_phone_in_kazakh_and_the_marketer_sees_it_in_the_results(
    demo, open_page, log_in, screenshot, failed_responses
):
    link = SurveyLink.objects.select_related("survey").get(
        survey__title_ru__endswith="(II волна)", unit__code="MUK-LIB"
    )
    survey = link.survey
    question = {q.code: q for q in Question.objects.filter(survey=survey).prefetch_related("choices")}
    before = Response.objects.filter(survey=survey).count()

    phone = open_page(locale="kk-KZ")
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"/marketing/s/{link.token}/")
    expect(phone.locator("html")).to_have_attribute("lang", "kk")
    expect(phone.locator("h1")).to_contain_text("Кітапхана қызметтерінің сапасына қанағаттану")
    expect(phone.locator(f"#question-{question['overall'].pk} legend")).to_contain_text(
        "Кітапхана жұмысына жалпы алғанда қаншалықты қанағаттанасыз?"
    )
    # The follow-up of "no" is hidden until "no" is chosen.
    expect(phone.locator(f"#question-{question['not_found'].pk}")).to_be_hidden()
    screenshot(phone, "phone-form")

    # The wish is written, the required marks are forgotten: the page asks for them and keeps the wish.
    phone.fill(f"#question-{question['improve'].pk} textarea", WISH)
    phone.locator("[data-send]").click()
    phone.wait_for_load_state()
    expect(phone.locator("#answer-errors")).to_be_visible()
    expect(phone.locator(f"#question-{question['improve'].pk} textarea")).to_have_value(WISH)
    screenshot(phone, "phone-errors")

    def mark(code: str, value: str, row: int | None = None) -> None:
        block = phone.locator(f"#question-{question[code].pk}")
        if row is not None:
            block = block.locator(".mb-3").nth(row)
        block.locator("label.btn").get_by_text(value, exact=True).click()

    mark("overall", "4")
    for row, value in enumerate(["5", "5", "3", "4", "4", "5"]):
        mark("aspects", value, row)
    phone.locator(f"#question-{question['found'].pk} label").get_by_text("жоқ", exact=True).click()
    expect(phone.locator(f"#question-{question['not_found'].pk}")).to_be_visible()
    phone.fill(f"#question-{question['not_found'].pk} input", NOT_FOUND)
    phone.fill(f"#question-{question['wait_minutes'].pk} input", "5")
    mark("nps", "9")
    phone.locator(f"#question-{question['age'].pk} label").get_by_text("25–34 жас", exact=True).click()
    phone.locator(f"#question-{question['gender'].pk} label").get_by_text("әйел", exact=True).click()
    screenshot(phone, "phone-filled")
    phone.locator("[data-send]").click()
    phone.wait_for_load_state()
    expect(phone.locator("[data-thanks]")).to_be_visible()
    screenshot(phone, "phone-thanks")

    response = Response.objects.filter(survey=survey).latest("id")
    assert Response.objects.filter(survey=survey).count() == before + 1
    assert (response.language, response.source, response.unit.code) == ("kk", "web", "MUK-LIB")
    answers = {a.question.code: a for a in response.answers.select_related("question")}
    assert answers["improve"].text == WISH and answers["not_found"].text == NOT_FOUND
    assert (answers["overall"].number, answers["nps"].number) == (4, 9)
    assert response.answers.filter(question__code="aspects").count() == 6

    # The same phone cannot answer again.
    phone.goto(f"/marketing/s/{link.token}/")
    expect(phone.locator("[data-refusal]")).to_be_visible()

    # The marketer: the response is counted, the wish is among the latest answers, the crosstab by age.
    desk = open_page()
    log_in("marketer", on=desk)
    desk.goto(f"/marketing/surveys/{survey.pk}/results/")
    expect(desk.locator("#response-count")).to_have_text(str(before + 1))
    expect(desk.locator("#result-improve")).to_contain_text(WISH[:40])
    desk.wait_for_function("window.htmx !== undefined")
    with desk.expect_response(lambda r: "by=" in r.url):
        desk.select_option("#crosstab-by", str(question["age"].pk))
    table = desk.locator("#crosstab table[data-question='overall']")
    expect(table).to_be_visible()
    expect(table.locator("thead")).to_contain_text("25–34 года")
    screenshot(desk, "results-crosstab")
    desk.goto(f"/marketing/surveys/{survey.pk}/results/?unit={link.unit_id}")
    expect(desk.locator("#response-count")).to_have_text(
        str(Response.objects.filter(survey=survey, unit=link.unit).count())
    )
    screenshot(desk, "results-mukur")
    assert failed_responses == []
