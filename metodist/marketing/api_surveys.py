"""`/api/v1/surveys`: surveys to list, read and create with their questions, their results, and the public
endpoints the respondents' side uses.

- **Reads** go through `metodist.marketing.surveys` (a survey is seen by whoever sees the unit that runs
  it or a library it has a link for; its results count only the responses the caller may see, so the
  Mukur librarian gets her library's figures). Out of scope is 404.
- **Create** (`POST`) builds the survey with its sections and questions in one transaction through the
  services: 403 without `manage_marketing` on the unit, 404 (field `unit`) for a unit the caller cannot
  see, 400 naming the field (`questions.3.options`) for refused data.
- **Results** (`GET /{id}/results`): `responses`, and per question `answered`, the `options` with their
  counts and shares (per cent of those who answered the question; "other" is an option with `id` null),
  the marks of a scale or NPS, the `mean` (scales and numbers), the rows of a matrix with their means, the
  `nps` score (% promoters 9–10 − % detractors 0–6), and the latest texts.
- **Public** (no credentials; the token of a library's link is the key): `GET /public/{token}` is the
  questionnaire in Kazakh or Russian (`?lang=`, else the request's language); `POST
  /public/{token}/responses` saves one response with the checks of the public page: 400 for a closed survey
  or refused answers (each named `answers.<code>`), 409 when this device has already answered (the
  device cookie the answer sets), 429 over the limit per address (with `Retry-After`).
"""

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from metodist.api.errors import ApiError
from metodist.api.pagination import Pagination
from metodist.api.schemas import ErrorOut, InputSchema, error_responses
from metodist.core import scope
from metodist.core.models import translated
from metodist.marketing import surveys, surveys_answers, surveys_results
from metodist.marketing.models import QuestionKind, ResponseSource, Survey, SurveyLink, SurveyStatus
from metodist.marketing.models.surveys import survey_language
from metodist.marketing.surveys_forms import filter_responses

router = Router(tags=["surveys"])


def _choices(values: list) -> dict[str, Any]:
    return {"json_schema_extra": {"enum": values}}


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- schemas --------------------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    code: str
    name: str


def _unit_ref(unit) -> dict | None:
    return {"id": unit.pk, "code": unit.code, "name": unit.name} if unit is not None else None


class OptionOut(Schema):
    id: int
    text_ru: str
    text_kk: str


class ShowIfOut(Schema):
    question: str = Field(..., description="The code of the question whose option decides.")
    option: int = Field(..., description="The id of the option that makes this question asked.")


class QuestionOut(Schema):
    id: int
    code: str
    kind: str = Field(..., **_choices(QuestionKind.values))
    section: str | None = Field(..., description="The Russian title of the question's section.")
    text_ru: str
    text_kk: str
    help_ru: str
    help_kk: str
    required: bool
    allow_other: bool
    scale: list[int] = Field(..., description="The marks of a scale, NPS or matrix (empty for other kinds).")
    min_value: float | None
    max_value: float | None
    options: list[OptionOut] = Field(..., description="The options of a choice; the rows of a matrix.")
    show_if: ShowIfOut | None = Field(..., description="Asked only of those who chose this option.")

    @staticmethod
    def resolve_section(obj) -> str | None:
        return obj.section.title_ru if obj.section else None

    @staticmethod
    def resolve_scale(obj) -> list[int]:
        return obj.scale_values

    @staticmethod
    def resolve_min_value(obj) -> float | None:
        return _number(obj.min_value)

    @staticmethod
    def resolve_max_value(obj) -> float | None:
        return _number(obj.max_value)

    @staticmethod
    def resolve_options(obj) -> list:
        return list(obj.choices.all())

    @staticmethod
    def resolve_show_if(obj) -> dict | None:
        if obj.show_if is None:
            return None
        return {"question": obj.show_if.question.code, "option": obj.show_if_id}


class SurveyOut(Schema):
    id: int
    unit: UnitRef
    title_ru: str
    title_kk: str
    intro_ru: str
    intro_kk: str
    status: str = Field(..., **_choices(SurveyStatus.values))
    opens_on: datetime.date | None
    closes_on: datetime.date | None
    kiosk: bool
    previous_wave: int | None = Field(..., description="The id of the previous wave of the same survey.")
    question_count: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_unit(obj: Survey) -> dict | None:
        return _unit_ref(obj.unit)

    @staticmethod
    def resolve_previous_wave(obj: Survey) -> int | None:
        return obj.previous_wave_id


class SurveyDetailOut(SurveyOut):
    response_count: int = Field(..., description="The responses the caller may see.")
    questions: list[QuestionOut] = Field(..., description="In the order respondents see them.")

    @staticmethod
    def resolve_questions(obj: Survey) -> list:
        return obj.questions_ordered


class OptionIn(InputSchema):
    text_ru: str = Field(..., max_length=300)
    text_kk: str = Field("", max_length=300)


class ShowIfIn(InputSchema):
    question: str = Field(..., description="The code of an earlier single or multiple choice question.")
    option: int = Field(..., ge=0, description="The position of its option, from 0.")


class SectionIn(InputSchema):
    title_ru: str = Field(..., max_length=300)
    title_kk: str = Field("", max_length=300)


class QuestionIn(InputSchema):
    code: str = Field("", max_length=40, description="Small Latin letters; numbered q1, q2… when empty.")
    kind: QuestionKind
    text_ru: str = Field(..., max_length=500)
    text_kk: str = Field("", max_length=500)
    help_ru: str = Field("", max_length=300)
    help_kk: str = Field("", max_length=300)
    required: bool = False
    allow_other: bool = False
    scale_max: Literal[5, 10] = 5
    low_label_ru: str = Field("", max_length=100)
    low_label_kk: str = Field("", max_length=100)
    high_label_ru: str = Field("", max_length=100)
    high_label_kk: str = Field("", max_length=100)
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    section: int | None = Field(None, ge=0, description="The position of its section in `sections`, from 0.")
    options: list[OptionIn] = Field(default_factory=list, description="Of a choice; the rows of a matrix.")
    show_if: ShowIfIn | None = None


class SurveyCreateIn(InputSchema):
    unit: int = Field(..., description="The unit that runs the survey.")
    title_ru: str = Field(..., max_length=300)
    title_kk: str = Field("", max_length=300)
    intro_ru: str = ""
    intro_kk: str = ""
    opens_on: datetime.date | None = None
    closes_on: datetime.date | None = None
    kiosk: bool = False
    previous_wave: int | None = None
    status: Literal["draft", "open"] = "draft"
    sections: list[SectionIn] = Field(default_factory=list)
    questions: list[QuestionIn] = Field(default_factory=list)


class SurveyFilters(Schema):
    status: SurveyStatus | None = None
    unit: int | None = Field(None, description="Surveys run by this unit or a unit below it.")


class OptionResultOut(Schema):
    id: int | None = Field(..., description="The option; null for the answers written in “other”.")
    text: str
    count: int
    share: float | None = Field(..., description="Per cent of the respondents who answered the question.")


class MarkOut(Schema):
    value: int
    count: int
    share: float | None


class RowResultOut(Schema):
    id: int
    text: str
    count: int
    mean: float | None


class NpsOut(Schema):
    score: float | None = Field(..., description="% promoters (9–10) − % detractors (0–6).")
    promoters: int
    passives: int
    detractors: int


class QuestionResultOut(Schema):
    code: str
    kind: str = Field(..., **_choices(QuestionKind.values))
    text: str
    answered: int = Field(..., description="Respondents who answered the question.")
    options: list[OptionResultOut]
    marks: list[MarkOut]
    rows: list[RowResultOut] = Field(..., description="The rows of a matrix with their mean marks.")
    mean: float | None
    min: float | None
    max: float | None
    nps: NpsOut | None
    texts: list[str] = Field(..., description="The latest texts (of “other” for a choice), newest first.")


class ResultsOut(Schema):
    survey: int
    responses: int = Field(..., description="The number of responses counted (those the caller may see).")
    questions: list[QuestionResultOut]


class ResultsFilters(Schema):
    unit: int | None = Field(None, description="Only the responses of this library.")
    source: ResponseSource | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None


class PublicOptionOut(Schema):
    id: int
    text: str


class PublicQuestionOut(Schema):
    code: str
    kind: str = Field(..., **_choices(QuestionKind.values))
    section: str | None
    text: str
    hint: str
    required: bool
    allow_other: bool
    scale: list[int]
    low_label: str
    high_label: str
    min_value: float | None
    max_value: float | None
    options: list[PublicOptionOut]
    show_if: ShowIfOut | None


class PublicSurveyOut(Schema):
    title: str
    intro: str
    library: str
    language: str = Field(..., **_choices(["kk", "ru"]))
    accepts_answers: bool
    questions: list[PublicQuestionOut]


class ResponseIn(InputSchema):
    language: Literal["kk", "ru"] | None = Field(None, description="The language answered in.")
    answers: dict[str, Any] = Field(
        ...,
        description=(
            'By question code. single: an option id, or {"other": "text"}; multiple: a list of option '
            'ids and {"other": "text"}; scale, nps, number: a number; matrix: {"<row id>": mark}; '
            'text: a string; date: "YYYY-MM-DD".'
        ),
    )


class ResponseOut(Schema):
    id: int
    survey: int
    library: str


# --- helpers --------------------------------------------------------------------------------------------


def _unit_or_404(user, pk: int, field: str):
    try:
        return scope.get_unit_or_404(user, pk)
    except Http404 as exc:
        raise ApiError(404, _("The unit was not found."), field=field) from exc


def _detail(user, survey: Survey) -> Survey:
    survey.question_count = survey.questions.count()
    survey.response_count = surveys.responses_visible(user, survey).count()
    survey.questions_ordered = surveys.questions_of(survey)
    return survey


def _question_data(item: QuestionIn) -> dict:
    data = item.dict(exclude={"options", "show_if"})
    data["kind"] = str(item.kind.value if hasattr(item.kind, "value") else item.kind)
    data["options"] = [surveys.Option(o.text_ru, o.text_kk) for o in item.options]
    data["show_if"] = (item.show_if.question, item.show_if.option) if item.show_if else None
    return data


def _link(token: str) -> SurveyLink:
    return get_object_or_404(
        SurveyLink.objects.select_related("survey", "unit"), token=token, survey__is_template=False
    )


# --- routes ---------------------------------------------------------------------------------------------


@router.get("", response={200: list[SurveyOut], **error_responses(404, 422)})
@paginate(Pagination)
def survey_list(request: HttpRequest, filters: Query[SurveyFilters]):
    """Surveys the caller sees, newest first."""
    found = surveys.surveys_visible(request.user).annotate(question_count=Count("questions"))
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.unit is not None:
        unit = _unit_or_404(request.user, filters.unit, "unit")
        found = found.filter(unit__path__startswith=unit.path)
    return found.order_by("-created_at", "-id")


@router.post("", response={201: SurveyDetailOut, **error_responses(400, 403, 404, 422)})
def survey_create(request: HttpRequest, payload: SurveyCreateIn):
    """Create a survey with its sections and questions. Needs `manage_marketing` on the unit."""
    user = request.user
    if not surveys.may_create(user):
        raise ApiError(403, _("You have no right to do this."))
    unit = _unit_or_404(user, payload.unit, "unit")
    previous = None
    if payload.previous_wave is not None:
        previous = surveys.surveys_visible(user).filter(pk=payload.previous_wave).first()
        if previous is None:
            raise ApiError(404, _("The survey was not found."), field="previous_wave")
    data = payload.dict(
        include={"title_ru", "title_kk", "intro_ru", "intro_kk", "opens_on", "closes_on", "kiosk"}
    )
    with transaction.atomic():
        survey = surveys.survey_create(user=user, data={**data, "unit": unit, "previous_wave": previous})
        surveys.build_questions(
            survey,
            [s.dict() for s in payload.sections],
            [_question_data(q) for q in payload.questions],
        )
        if payload.status == SurveyStatus.OPEN:
            surveys.survey_set_status(user=user, survey=survey, status=SurveyStatus.OPEN)
    return Status(201, _survey_detail(user, survey.pk))


def _survey_detail(user, pk: int) -> Survey:
    return _detail(user, surveys.get_survey_or_404(user, pk))


@router.get("/{int:pk}", response={200: SurveyDetailOut, **error_responses(404)})
def survey_detail(request: HttpRequest, pk: int):
    """One survey with its questions in the order respondents see them."""
    return _survey_detail(request.user, pk)


@router.get("/{int:pk}/results", response={200: ResultsOut, **error_responses(404, 422)})
def survey_results(request: HttpRequest, pk: int, filters: Query[ResultsFilters]):
    """Counts, shares, means and NPS per question over the responses the caller may see."""
    user = request.user
    survey = surveys.get_survey_or_404(user, pk)
    responses = surveys.responses_visible(user, survey)
    unit = _unit_or_404(user, filters.unit, "unit") if filters.unit is not None else None
    responses = filter_responses(
        responses, unit=unit, source=filters.source or "", since=filters.since, until=filters.until
    )
    results = surveys_results.survey_results(survey, responses)
    return {
        "survey": survey.pk,
        "responses": results.responses,
        "questions": [
            {
                "code": r.question.code,
                "kind": r.question.kind,
                "text": r.question.text,
                "answered": r.answered,
                "options": [
                    {"id": o.key, "text": o.label, "count": o.count, "share": o.share} for o in r.options
                ],
                "marks": [{"value": m.value, "count": m.count, "share": m.share} for m in r.marks],
                "rows": [{"id": m.key, "text": m.label, "count": m.count, "mean": m.mean} for m in r.matrix],
                "mean": r.mean,
                "min": r.minimum,
                "max": r.maximum,
                "nps": (
                    {
                        "score": r.nps.score,
                        "promoters": r.nps.promoters,
                        "passives": r.nps.passives,
                        "detractors": r.nps.detractors,
                    }
                    if r.nps
                    else None
                ),
                "texts": r.texts,
            }
            for r in results.questions
        ],
    }


# --- public ---------------------------------------------------------------------------------------------


@router.get("/public/{token}", response={200: PublicSurveyOut, 404: ErrorOut}, auth=None)
def public_survey(request: HttpRequest, token: str, lang: Literal["kk", "ru"] | None = None):
    """The questionnaire of a library's link, in Kazakh or Russian. No credentials: the token is the key."""
    link = _link(token)
    survey = link.survey
    language = survey_language(lang or get_language())
    questions = surveys.questions_of(survey)
    return {
        "title": survey.title_in(language),
        "intro": survey.intro_in(language),
        "library": translated(link.unit, "name", language),
        "language": language,
        "accepts_answers": survey.accepts_answers(),
        "questions": [
            {
                "code": q.code,
                "kind": q.kind,
                "section": q.section.title_in(language) if q.section else None,
                "text": q.text_in(language),
                "hint": q.help_in(language),
                "required": q.required,
                "allow_other": q.allow_other,
                "scale": q.scale_values,
                "low_label": q.low_label_in(language),
                "high_label": q.high_label_in(language),
                "min_value": _number(q.min_value),
                "max_value": _number(q.max_value),
                "options": [{"id": c.pk, "text": c.text_in(language)} for c in q.choices.all()],
                "show_if": {"question": q.show_if.question.code, "option": q.show_if_id}
                if q.show_if
                else None,
            }
            for q in questions
        ],
    }


@router.post(
    "/public/{token}/responses",
    response={201: ResponseOut, **dict.fromkeys((400, 404, 409, 422, 429), ErrorOut)},
    auth=None,
)
def public_response(request: HttpRequest, token: str, payload: ResponseIn, response: HttpResponse):
    """Save one anonymous response with the checks of the public page (see the module's description)."""
    link = _link(token)
    survey = link.survey
    kiosk = surveys_answers.is_kiosk(request, link)
    if not survey.accepts_answers():
        raise ApiError(400, _("The survey is not taking answers now."))
    if not kiosk and surveys_answers.answered_on_device(request, survey):
        raise ApiError(409, str(surveys_answers.ALREADY_ANSWERED))
    wait = 0 if kiosk else surveys_answers.rate_wait(request, survey)
    if wait:
        raise ApiError(429, surveys_answers.rate_message(wait), headers={"Retry-After": str(wait)})
    language = survey_language(payload.language or get_language())
    questions = surveys.questions_of(survey)
    data, unknown = surveys_answers.api_data(questions, payload.answers)
    if unknown:
        raise ValidationError({f"answers.{code}": _("There is no such question.") for code in unknown})
    form = surveys_answers.AnswerForm(data, survey=survey, language=language, questions=questions)
    if not form.is_valid():
        errors: dict[str, list[str]] = {}
        for field, message in form.api_errors():
            errors.setdefault(field, []).append(message)
        raise ValidationError(errors)
    saved = surveys_answers.response_submit(
        survey=survey,
        link=link,
        source=ResponseSource.KIOSK if kiosk else ResponseSource.WEB,
        language=language,
        answers=form.answers,
    )
    if not kiosk:
        surveys_answers.rate_count(request, survey)
        surveys_answers.remember_device(request, response, survey)
    return Status(201, {"id": saved.pk, "survey": survey.pk, "library": link.unit.name})
