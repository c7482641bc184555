"""Writes the demo marketing (see `marketing_data.py`): the ready survey templates, and the surveys of the
regional library with their public links and several hundred responses.

A survey is looked up by its unit and Russian title, so a rerun (even in a later month, when the dates
would differ) adds nothing; its links and responses are written only with a new survey. The responses are
drawn with a fixed seed per survey, dated within the survey's open days (never after the anchor: the
first day of the current month), in the respondent's language; about a third are paper questionnaires
entered by the marketer or the Mukur librarian. A survey whose unit the network lacks is skipped, and so
is a link to a missing library.
"""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from metodist.demo import marketing_data as data
from metodist.demo.events_load import anchor_month
from metodist.marketing import surveys_templates
from metodist.marketing.models import (
    Answer,
    Question,
    Response,
    ResponseSource,
    Survey,
    SurveyLink,
)
from metodist.marketing.surveys import build_questions, spec_questions, templates_install
from metodist.network.models import OrgUnit

PAPER_ENTERED_BY = {"MUK-LIB": "mukur"}
DEFAULT_ENTERED_BY = "marketer"


def months_back(anchor: date, months: int, day: int = 1) -> date:
    index = anchor.year * 12 + anchor.month - 1 - months
    return date(index // 12, index % 12 + 1, day)


def _pick(rng: random.Random, weights) -> int:
    return rng.choices(range(len(weights)), weights=weights)[0]


def _several(rng: random.Random, chances) -> list[int]:
    chosen = [i for i, chance in enumerate(chances) if rng.random() < chance]
    return chosen or [max(range(len(chances)), key=lambda i: chances[i])]


def _mark(rng: random.Random, mean: float, spread: float, low: int, high: int) -> int:
    return max(low, min(high, round(rng.gauss(mean, spread))))


class Sheet:
    """The answers of one respondent, built question by question."""

    def __init__(self, questions: dict[str, Question], rng: random.Random, language: str):
        self.questions = questions
        self.rng = rng
        self.language = language
        self.answers: list[Answer] = []

    def options(self, code: str) -> list:
        return list(self.questions[code].choices.all())

    def single(self, code: str, index: int) -> None:
        self.answers.append(Answer(question=self.questions[code], choice=self.options(code)[index]))

    def several(self, code: str, indexes: list[int], other_chance: float = 0.0) -> None:
        options = self.options(code)
        for index in indexes:
            self.answers.append(Answer(question=self.questions[code], choice=options[index]))
        if code in data.OTHER and self.rng.random() < other_chance:
            self.text(code, self.rng.choice(data.OTHER[code][self.language]))

    def number(self, code: str, value, choice=None) -> None:
        self.answers.append(Answer(question=self.questions[code], choice=choice, number=Decimal(value)))

    def text(self, code: str, text: str) -> None:
        self.answers.append(Answer(question=self.questions[code], text=text))


def _profile(rng: random.Random, sheet: Sheet, *, occupation: bool) -> int:
    age = _pick(rng, data.AGE_WEIGHTS)
    sheet.single("age", age)
    if rng.random() < 0.93:
        sheet.single("gender", 0 if rng.random() < data.WOMEN_SHARE else 1)
    if occupation:
        if rng.random() < 0.04:
            sheet.text("occupation", rng.choice(data.OTHER["occupation"][sheet.language]))
        else:
            sheet.single("occupation", _pick(rng, data.OCCUPATION[age]))
    return age


def _needs_sheet(rng: random.Random, sheet: Sheet, spec: data.DemoSurvey) -> None:
    age = _profile(rng, sheet, occupation=True)
    sheet.single("visits", _pick(rng, data.VISITS[age]))
    sheet.several("purpose", _several(rng, data.PURPOSE[age]), other_chance=0.04)
    sheet.several("genres", _several(rng, data.GENRES[age]), other_chance=0.05)
    if rng.random() < 0.9:
        sheet.single("reading_language", _pick(rng, data.READING_LANGUAGE[sheet.language]))
    if rng.random() < 0.9:
        sheet.single("format", _pick(rng, data.FORMAT[age]))
    if age > 0 and rng.random() < 0.33:
        sheet.text("missing", rng.choice(data.MISSING[sheet.language]))
    if rng.random() < 0.85:
        sheet.several("events", _several(rng, data.EVENTS[age]), other_chance=0.03)
    if rng.random() < 0.9:
        sheet.single("time", _pick(rng, data.TIME[age]))
    if age > 0 and rng.random() < 0.24:
        sheet.text("new_services", rng.choice(data.NEW_SERVICES[sheet.language]))


def _satisfaction_sheet(rng: random.Random, sheet: Sheet, spec: data.DemoSurvey) -> None:
    _profile(rng, sheet, occupation=False)
    mood = rng.gauss(0, 0.55)  # a respondent's general contentment moves every mark a little
    overall = _mark(rng, data.OVERALL[spec.wave] + mood, 0.6, 1, 5)
    sheet.number("overall", overall)
    for choice, mean in zip(sheet.options("aspects"), data.ASPECTS[spec.wave], strict=True):
        if rng.random() < 0.92:
            sheet.number("aspects", _mark(rng, mean + mood, 0.75, 1, 5), choice=choice)
    found = _pick(rng, data.FOUND[spec.wave])
    if rng.random() < 0.95:
        sheet.single("found", found)
        if found == 2 and rng.random() < 0.75:
            sheet.text("not_found", rng.choice(data.NOT_FOUND[sheet.language]))
    if rng.random() < 0.6:
        sheet.number("wait_minutes", min(60, int(rng.expovariate(1 / (6 if spec.wave == 1 else 4)))))
    sheet.number("nps", _mark(rng, overall * 2 - 0.6 + mood, 1.3, 0, 10))
    if rng.random() < 0.38:
        sheet.text("improve", rng.choice(data.IMPROVE[sheet.language]))


SHEETS = {"needs": _needs_sheet, "satisfaction": _satisfaction_sheet}


def _moment(rng: random.Random, first: date, last: date) -> datetime:
    day = first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
    if day.weekday() == 6:  # the library is closed on Sundays
        day -= timedelta(days=1)
    moment = time(rng.randint(10, 18), rng.randint(0, 59))
    return datetime.combine(max(day, first), moment, tzinfo=timezone.get_default_timezone())


def _responses(
    spec: data.DemoSurvey, survey: Survey, links: list[tuple[SurveyLink, float]], anchor: date
) -> int:
    rng = random.Random(f"{data.SEED}:{spec.key}")
    questions = {q.code: q for q in survey.questions.prefetch_related("choices")}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["marketer", "mukur"])}
    last = min(survey.closes_on, anchor - timedelta(days=1))
    sheets = []
    for _number in range(spec.responses):
        link = rng.choices([link for link, _share in links], weights=[share for _link, share in links])[0]
        language = "kk" if rng.random() < data.KAZAKH_SHARE else "ru"
        roll = rng.random()
        if roll < data.PAPER_SHARE:
            source = ResponseSource.PAPER
        elif spec.kiosk and roll < data.PAPER_SHARE + data.KIOSK_SHARE:
            source = ResponseSource.KIOSK
        else:
            source = ResponseSource.WEB
        entered_by = None
        if source == ResponseSource.PAPER:
            entered_by = users.get(PAPER_ENTERED_BY.get(link.unit.code, DEFAULT_ENTERED_BY))
        response = Response(
            survey=survey,
            unit=link.unit,
            link=link,
            source=source,
            language=language,
            submitted_at=_moment(rng, survey.opens_on, last),
            entered_by=entered_by,
        )
        sheet = Sheet(questions, rng, language)
        SHEETS[spec.template](rng, sheet, spec)
        sheets.append((response, sheet.answers))
    Response.objects.bulk_create([response for response, _answers in sheets], batch_size=500)
    answers = []
    for response, items in sheets:
        for answer in items:
            answer.response = response
            answers.append(answer)
    Answer.objects.bulk_create(answers, batch_size=1000)
    return len(sheets)


def _create(spec: data.DemoSurvey, unit: OrgUnit, anchor: date, previous: Survey | None) -> Survey:
    template = next(t for t in surveys_templates.TEMPLATES if t.code == spec.template)
    opens_on = months_back(anchor, spec.opens_months_ago, 1)
    survey = Survey(
        unit=unit,
        title_ru=spec.title_ru,
        title_kk=spec.title_kk,
        intro_ru=template.intro[0],
        intro_kk=template.intro[1],
        status=spec.status,
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=spec.days_open),
        kiosk=spec.kiosk,
        previous_wave=previous,
        created_by=get_user_model().objects.filter(username="marketer").first(),
    )
    survey.full_clean()
    survey.save()
    # Backdated like the rest of the demo: the survey was prepared a fortnight before it opened.
    prepared = datetime.combine(
        opens_on - timedelta(days=14), time(11), tzinfo=timezone.get_default_timezone()
    )
    Survey.objects.filter(pk=survey.pk).update(created_at=prepared, updated_at=prepared)
    build_questions(survey, *spec_questions(template))
    return survey


@transaction.atomic
def load_marketing(*, today: date | None = None) -> Counter:
    created: Counter = Counter()
    created.update(templates_install())
    anchor = anchor_month(today)
    codes = {spec.unit for spec in data.SURVEYS} | {
        code for spec in data.SURVEYS for code, _share in spec.links
    }
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=codes)}
    made: dict[str, Survey] = {}
    for spec in data.SURVEYS:
        unit = units.get(spec.unit)
        if unit is None:
            continue
        survey = Survey.objects.filter(unit=unit, title_ru=spec.title_ru, is_template=False).first()
        if survey is None:
            survey = _create(spec, unit, anchor, made.get(spec.previous))
            created["surveys"] += 1
            links = []
            for code, share in spec.links:
                if code in units:
                    link, _created = SurveyLink.objects.get_or_create(survey=survey, unit=units[code])
                    links.append((link, share))
            created["survey_links"] += len(links)
            if links:
                created["survey_responses"] += _responses(spec, survey, links, anchor)
        made[spec.key] = survey
    return created
