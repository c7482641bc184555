"""Answering a survey: the questionnaire as a form, the checks of the answers, saving a response, and the
guards of the public page.

One form serves the public page (`/marketing/s/<token>/`), the paper questionnaires staff enter and the
public API (which turns its JSON into the same form data with `api_data`), so every way in checks the
same things: required answers, lengths, numbers within limits, real options, dates; and the simple skip
logic — a question asked only after a given option is not required otherwise, and what came for it when
it was not asked is dropped.

The public page guards:
- **one response per device**: a signed cookie per survey, set with the first response;
- **kiosk**: a library computer a staff member has set up as the kiosk of a link (a signed cookie per
  link, only when the survey allows kiosks) is never blocked by that cookie nor by the address limit,
  and offers a clean questionnaire for the next respondent after each one;
- **a limit per address**: at most `settings.SURVEY_RATE_LIMIT` (20) responses per survey from one
  address within `settings.SURVEY_RATE_WINDOW` seconds (an hour), counted in Django's cache.
"""

import dataclasses
import hashlib
import math
import time
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metodist.accounts.throttle import client_address
from metodist.core import scope
from metodist.marketing.models import (
    Answer,
    Question,
    QuestionKind,
    Response,
    ResponseSource,
    Survey,
    SurveyLink,
    SurveyStatus,
)
from metodist.marketing.models.surveys import LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT, survey_language
from metodist.marketing.surveys import ENTER, questions_of

OTHER = "other"
DEVICE_SALT = "metodist.marketing.survey-device"
KIOSK_SALT = "metodist.marketing.survey-kiosk"
DEVICE_MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie
KIOSK_MAX_AGE = 90 * 24 * 3600
NUMBER_LIMIT = Decimal("9999999999")


def rate_limit() -> int:
    return int(getattr(settings, "SURVEY_RATE_LIMIT", 20))


def rate_window() -> int:
    return int(getattr(settings, "SURVEY_RATE_WINDOW", 3600))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# --- the form -------------------------------------------------------------------------------------------


@dataclass
class QuestionBlock:
    """What the template needs to show one question."""

    question: Question
    number: int
    text: str
    hint: str
    field: forms.BoundField | None = None
    other: forms.BoundField | None = None
    rows: list[tuple[str, forms.BoundField]] = dataclasses.field(default_factory=list)
    low_label: str = ""
    high_label: str = ""
    condition: str = ""  # "the option chosen" the question depends on, for the hint shown without JS
    condition_field: str = ""
    condition_value: str = ""

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def anchor(self) -> str:
        return f"question-{self.question.pk}"

    @property
    def errors(self) -> list[str]:
        found = []
        for bound in [self.field, self.other, *(b for _label, b in self.rows)]:
            if bound is not None:
                found += [e for e in bound.errors if e not in found]
        return found


@dataclass
class SectionBlock:
    title: str
    questions: list[QuestionBlock]


def _name(question: Question) -> str:
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    """The questionnaire in the respondent's language (Kazakh or Russian); `answers` after `is_valid()`."""

    def __init__(self, data=None, *, survey: Survey, language: str, questions: list[Question] | None = None):
        super().__init__(data)
        self.survey = survey
        self.language = survey_language(language)
        self.questions = questions if questions is not None else questions_of(survey)
        self.answers: list[Answer] = []
        for question in self.questions:
            self._add_fields(question)

    def _add_fields(self, question: Question) -> None:
        name = _name(question)
        kind = question.kind
        choices = [(str(c.pk), c.text_in(self.language)) for c in question.choices.all()]
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if question.allow_other:
                choices.append((OTHER, _("Other")))
            if kind == QuestionKind.SINGLE:
                self.fields[name] = forms.ChoiceField(
                    choices=choices,
                    required=False,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                )
            else:
                self.fields[name] = forms.MultipleChoiceField(
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                )
            if question.allow_other:
                self.fields[f"{name}_other"] = forms.CharField(
                    required=False,
                    max_length=SHORT_TEXT_LIMIT,
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control",
                            "placeholder": _("Your answer"),
                            "aria-label": _("Other"),
                            "data-other-for": name,
                        }
                    ),
                )
        elif kind in (QuestionKind.SCALE, QuestionKind.NPS):
            marks = [(str(v), str(v)) for v in question.scale_values]
            self.fields[name] = forms.ChoiceField(
                choices=marks, required=False, widget=forms.RadioSelect(attrs={"class": "btn-check"})
            )
        elif kind == QuestionKind.MATRIX:
            marks = [(str(v), str(v)) for v in question.scale_values]
            for choice in question.choices.all():
                self.fields[f"{name}_{choice.pk}"] = forms.ChoiceField(
                    choices=marks, required=False, widget=forms.RadioSelect(attrs={"class": "btn-check"})
                )
        elif kind == QuestionKind.NUMBER:
            self.fields[name] = forms.DecimalField(
                required=False,
                max_digits=12,
                decimal_places=2,
                min_value=question.min_value if question.min_value is not None else -NUMBER_LIMIT,
                max_value=question.max_value if question.max_value is not None else NUMBER_LIMIT,
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "decimal"}),
            )
        elif kind == QuestionKind.SHORT_TEXT:
            self.fields[name] = forms.CharField(
                required=False,
                max_length=SHORT_TEXT_LIMIT,
                widget=forms.TextInput(attrs={"class": "form-control", "maxlength": SHORT_TEXT_LIMIT}),
            )
        elif kind == QuestionKind.LONG_TEXT:
            self.fields[name] = forms.CharField(
                required=False,
                max_length=LONG_TEXT_LIMIT,
                widget=forms.Textarea(
                    attrs={"class": "form-control", "rows": 4, "maxlength": LONG_TEXT_LIMIT}
                ),
            )
        elif kind == QuestionKind.DATE:
            self.fields[name] = forms.DateField(
                required=False, widget=DateInput(attrs={"class": "form-control"})
            )

    # -- what the template shows

    @cached_property
    def sections(self) -> list[SectionBlock]:
        blocks: list[SectionBlock] = []
        last: object = "none yet"
        for number, question in enumerate(self.questions, start=1):
            if question.section_id != last:
                last = question.section_id
                title = question.section.title_in(self.language) if question.section else ""
                blocks.append(SectionBlock(title, []))
            blocks[-1].questions.append(self._block(question, number))
        return blocks

    def _block(self, question: Question, number: int) -> QuestionBlock:
        name = _name(question)
        block = QuestionBlock(
            question=question,
            number=number,
            text=question.text_in(self.language),
            hint=question.help_in(self.language),
            low_label=question.low_label_in(self.language),
            high_label=question.high_label_in(self.language),
        )
        if question.kind == QuestionKind.MATRIX:
            block.rows = [(c.text_in(self.language), self[f"{name}_{c.pk}"]) for c in question.choices.all()]
        elif name in self.fields:
            block.field = self[name]
        if f"{name}_other" in self.fields:
            block.other = self[f"{name}_other"]
        if question.show_if_id:
            block.condition = question.show_if.text_in(self.language)
            block.condition_field = _name(question.show_if.question)
            block.condition_value = str(question.show_if_id)
        return block

    @property
    def blocks_with_errors(self) -> list[QuestionBlock]:
        return [b for s in self.sections for b in s.questions if b.errors]

    # -- checks

    def clean(self):
        cleaned = super().clean()
        self.answers = []
        chosen: dict[int, set[int]] = {}
        for question in self.questions:
            if question.show_if_id and question.show_if_id not in chosen.get(
                question.show_if.question_id, set()
            ):
                continue  # not asked of this respondent: whatever came for it is dropped
            answers = self._answers(question, cleaned)
            if answers is None:
                continue  # an error was reported
            chosen[question.pk] = {a.choice_id for a in answers if a.choice_id}
            if question.required and not answers:
                self._missing(question)
            self.answers += answers
        if not self.errors and not self.answers:
            raise ValidationError(_("The questionnaire is empty: answer at least one question."))
        return cleaned

    def _missing(self, question: Question) -> None:
        name = _name(question)
        if question.kind == QuestionKind.MATRIX:
            for choice in question.choices.all():
                if (
                    not self.cleaned_data.get(f"{name}_{choice.pk}")
                    and f"{name}_{choice.pk}" not in self.errors
                ):
                    self.add_error(f"{name}_{choice.pk}", _("Please rate every line."))
        elif name not in self.errors:
            self.add_error(name, _("Please answer this question."))

    def _answers(self, question: Question, cleaned: dict) -> list[Answer] | None:
        name = _name(question)
        if any(key == name or key.startswith(f"{name}_") for key in self.errors):
            return None
        kind = question.kind
        value = cleaned.get(name)
        options = {str(c.pk): c for c in question.choices.all()}
        if kind == QuestionKind.SINGLE:
            other = cleaned.get(f"{name}_other", "")
            if value == OTHER or (not value and other):
                if not other:
                    self.add_error(f"{name}_other", _("Write your answer next to “Other”."))
                    return None
                return [Answer(question=question, text=other)]
            if value and other:
                self.add_error(
                    f"{name}_other", _("Choose “Other” for the text you wrote, or clear the text.")
                )
                return None
            return [Answer(question=question, choice=options[value])] if value else []
        if kind == QuestionKind.MULTIPLE:
            other = cleaned.get(f"{name}_other", "")
            values = list(value or [])
            if OTHER in values and not other:
                self.add_error(f"{name}_other", _("Write your answer next to “Other”."))
                return None
            answers = [Answer(question=question, choice=options[v]) for v in values if v != OTHER]
            if other:
                answers.append(Answer(question=question, text=other))
            return answers
        if kind in (QuestionKind.SCALE, QuestionKind.NPS):
            return [Answer(question=question, number=Decimal(value))] if value else []
        if kind == QuestionKind.MATRIX:
            return [
                Answer(question=question, choice=choice, number=Decimal(cleaned[f"{name}_{choice.pk}"]))
                for choice in question.choices.all()
                if cleaned.get(f"{name}_{choice.pk}")
            ]
        if kind == QuestionKind.NUMBER:
            return [Answer(question=question, number=value)] if value is not None else []
        if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            return [Answer(question=question, text=value)] if value else []
        if kind == QuestionKind.DATE:
            return [Answer(question=question, date=value)] if value else []
        return []

    def api_errors(self) -> list[tuple[str | None, str]]:
        """The errors as (dotted field of the API body, message)."""
        names = {}
        for question in self.questions:
            name = _name(question)
            names[name] = f"answers.{question.code}"
            names[f"{name}_other"] = f"answers.{question.code}.other"
            for choice in question.choices.all():
                names[f"{name}_{choice.pk}"] = f"answers.{question.code}.{choice.pk}"
        found = []
        for key, messages in self.errors.items():
            for message in messages:
                found.append((names.get(key, "answers") if key != "__all__" else "answers", message))
        return found


def api_data(questions: list[Question], answers: dict) -> tuple[MultiValueDict, list[str]]:
    """The form data for answers sent as JSON, keyed by question code; and the unknown codes.

    single: an option id, or {"other": "text"}; multiple: a list of option ids and {"other": "text"};
    scale, nps, number: a number; matrix: {"<row option id>": mark}; text: a string; date: "YYYY-MM-DD".
    """
    data = MultiValueDict()
    by_code = {q.code: q for q in questions}
    unknown = [code for code in answers if code not in by_code]
    for code, value in answers.items():
        question = by_code.get(code)
        if question is None or value is None:
            continue
        name = _name(question)
        kind = question.kind
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            items = value if isinstance(value, list) and kind == QuestionKind.MULTIPLE else [value]
            picked = []
            for item in items:
                if isinstance(item, dict):
                    data[f"{name}_other"] = str(item.get("other", ""))
                    picked.append(OTHER)
                else:
                    picked.append(str(item))
            data.setlist(name, picked)
        elif kind == QuestionKind.MATRIX:
            if isinstance(value, dict):
                for row, mark in value.items():
                    data[f"{name}_{row}"] = str(mark)
            else:
                data[name] = str(value)  # refused below: a matrix takes rows
        else:
            data[name] = str(value)
    return data, unknown


# --- saving ---------------------------------------------------------------------------------------------


@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    link: SurveyLink,
    source: str,
    language: str,
    answers: list[Answer],
    entered_by=None,
    submitted_at=None,
) -> Response:
    """Save one filled questionnaire counted for the link's library."""
    if link.survey_id != survey.pk:
        raise ValidationError(_("The link belongs to another survey."))
    if source == ResponseSource.PAPER:
        if survey.is_template or survey.status == SurveyStatus.DRAFT:
            raise ValidationError(_("The survey has not been opened yet."))
    elif not survey.accepts_answers():
        raise ValidationError(_("The survey is not taking answers now."))
    if not answers:
        raise ValidationError(_("The questionnaire is empty: answer at least one question."))
    response = Response.objects.create(
        survey=survey,
        unit=link.unit,
        link=link,
        source=source,
        language=survey_language(language),
        submitted_at=submitted_at or timezone.now(),
        entered_by=entered_by,
    )
    for answer in answers:
        answer.response = response
    Answer.objects.bulk_create(answers)
    return response


def paper_response_submit(
    *, user, link: SurveyLink, language: str, answers: list[Answer], submitted_at=None
) -> Response:
    """A paper questionnaire typed in by staff who may enter responses for the link's library."""
    if not scope.covers(user, link.unit, ENTER):
        raise PermissionDenied(_("You have no right to do this."))
    return response_submit(
        survey=link.survey,
        link=link,
        source=ResponseSource.PAPER,
        language=language,
        answers=answers,
        entered_by=user,
        submitted_at=submitted_at,
    )


# --- the guards of the public page ----------------------------------------------------------------------


def _device_cookie(survey: Survey) -> str:
    return f"metodist_survey_{survey.pk}"


def _kiosk_cookie(link: SurveyLink) -> str:
    return f"metodist_kiosk_{link.pk}"


def answered_on_device(request: HttpRequest, survey: Survey) -> bool:
    return request.get_signed_cookie(_device_cookie(survey), default=None, salt=DEVICE_SALT) == str(survey.pk)


def remember_device(request: HttpRequest, response: HttpResponse, survey: Survey) -> None:
    response.set_signed_cookie(
        _device_cookie(survey),
        str(survey.pk),
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def is_kiosk(request: HttpRequest, link: SurveyLink) -> bool:
    if not link.survey.kiosk:
        return False
    return request.get_signed_cookie(_kiosk_cookie(link), default=None, salt=KIOSK_SALT) == link.token


def kiosk_start(request: HttpRequest, response: HttpResponse, link: SurveyLink) -> None:
    response.set_signed_cookie(
        _kiosk_cookie(link),
        link.token,
        salt=KIOSK_SALT,
        max_age=KIOSK_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def kiosk_stop(response: HttpResponse, link: SurveyLink) -> None:
    response.delete_cookie(_kiosk_cookie(link), samesite="Lax")


def may_start_kiosk(user, link: SurveyLink) -> bool:
    """Staff of the library (or the survey's managers) set a library computer up as a kiosk."""
    return link.survey.kiosk and (
        scope.covers(user, link.unit, ENTER) or scope.covers(user, link.survey.unit, "manage_marketing")
    )


def _rate_key(request: HttpRequest, survey: Survey) -> str:
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()
    return f"metodist:survey-responses:{survey.pk}:{digest}"


def _recent(key: str, now: float) -> list[float]:
    return [stamp for stamp in cache.get(key) or [] if stamp > now - rate_window()]


def rate_wait(request: HttpRequest, survey: Survey) -> int:
    """Seconds before this address may send the survey another response; 0 when it may now."""
    now = time.time()
    stamps = _recent(_rate_key(request, survey), now)
    if len(stamps) < rate_limit():
        return 0
    return max(1, math.ceil(stamps[-rate_limit()] + rate_window() - now))


def rate_count(request: HttpRequest, survey: Survey) -> None:
    key = _rate_key(request, survey)
    now = time.time()
    cache.set(key, [*_recent(key, now), now][-rate_limit() :], timeout=rate_window())


def rate_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return _(
        "Too many questionnaires came from this network within an hour. Please try again in %(minutes)s min."
    ) % {"minutes": minutes}


ALREADY_ANSWERED = gettext_lazy("You have already answered this survey on this device. Thank you!")
