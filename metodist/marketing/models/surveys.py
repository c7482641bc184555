"""Surveys of readers and non-readers: the questionnaire, its public links per library, and the answers.

- A `Survey` belongs to the org unit that runs it (scope) and has its texts in Russian and Kazakh. A
  shipped template has no unit (`is_template`, `template_code`); a survey may name the `previous_wave`
  it repeats, so two waves are compared question by question (by `Question.code`).
- A survey is a list of `Question`s, optionally grouped in `Section`s. A closed question has `Choice`s
  (for a matrix they are its rows, each rated on the question's scale). Simple skip logic: a question
  with `show_if` is asked only of those who chose that option of an earlier question.
- A `SurveyLink` is the public address of a survey for one library (`/marketing/s/<token>/`): whoever
  answers through it is counted for that library. Paper questionnaires are entered for a link's library.
- A `Response` is one anonymous filled questionnaire (no name, no address is kept); an `Answer` is one
  value of it: a chosen option (one row per option of a multiple choice; "other" is a row without an
  option, with its text), a number (scale, NPS, number, the rating of a matrix row), a text or a date.
"""

import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from metodist.core.models import TimeStampedModel, translated
from metodist.network.models import OrgUnit

SHORT_TEXT_LIMIT = 300
LONG_TEXT_LIMIT = 3000
SURVEY_LANGUAGES = ("ru", "kk")

code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]*$",
    _("Use small Latin letters, digits and underscores, starting with a letter."),
)


def new_token() -> str:
    return secrets.token_urlsafe(18)


def survey_language(language: str | None) -> str:
    """The language the questions are shown in: Kazakh or Russian (every other interface reads Russian)."""
    return "kk" if (language or "")[:2] == "kk" else "ru"


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("survey", "draft")
    OPEN = "open", pgettext_lazy("survey", "open")
    CLOSED = "closed", pgettext_lazy("survey", "closed")


class Survey(TimeStampedModel):
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("run by"),
    )
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    intro_ru = models.TextField(_("introduction (Russian)"), blank=True)
    intro_kk = models.TextField(_("introduction (Kazakh)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT, db_index=True
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    kiosk = models.BooleanField(
        _("kiosk mode allowed"),
        default=False,
        help_text=_(
            "A library computer set up as a kiosk takes one respondent after another: "
            "it is never blocked as a device that has already answered."
        ),
    )
    previous_wave = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_waves",
        verbose_name=_("previous wave"),
    )
    is_template = models.BooleanField(_("template"), default=False)
    template_code = models.CharField(
        _("code of the shipped template"), max_length=40, blank=True, validators=[code_validator]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template_code"],
                condition=~models.Q(template_code=""),
                name="survey_template_code_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | models.Q(is_template=True),
                name="survey_unit_unless_template",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def intro(self) -> str:
        return translated(self, "intro")

    def title_in(self, language: str) -> str:
        return translated(self, "title", survey_language(language))

    def intro_in(self, language: str) -> str:
        return translated(self, "intro", survey_language(language))

    def clean(self) -> None:
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("The survey cannot close before it opens.")
        if self.unit_id is None and not self.is_template:
            errors["unit"] = _("Choose the unit that runs the survey.")
        if self.pk and self.previous_wave_id == self.pk:
            errors["previous_wave"] = _("A survey cannot be its own previous wave.")
        if errors:
            raise ValidationError(errors)

    def accepts_answers(self, today: date | None = None) -> bool:
        """Open, and today is within its dates."""
        today = today or timezone.localdate()
        return (
            self.status == SurveyStatus.OPEN
            and not self.is_template
            and (self.opens_on is None or self.opens_on <= today)
            and (self.closes_on is None or today <= self.closes_on)
        )


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(_("order"), default=0)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("section of a survey")
        verbose_name_plural = _("sections of a survey")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return translated(self, "title")

    def title_in(self, language: str) -> str:
        return translated(self, "title", survey_language(language))


class QuestionKind(models.TextChoices):
    SINGLE = "single", pgettext_lazy("kind of question", "single choice")
    MULTIPLE = "multiple", pgettext_lazy("kind of question", "multiple choice")
    SCALE = "scale", pgettext_lazy("kind of question", "scale")
    NPS = "nps", pgettext_lazy("kind of question", "NPS (0–10: would you recommend us?)")
    MATRIX = "matrix", pgettext_lazy("kind of question", "matrix of scales")
    NUMBER = "number", pgettext_lazy("kind of question", "number")
    SHORT_TEXT = "text", pgettext_lazy("kind of question", "short text")
    LONG_TEXT = "long_text", pgettext_lazy("kind of question", "long text")
    DATE = "date", pgettext_lazy("kind of question", "date")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
# Questions the results can be split by (cross-tabulation).
CLOSED_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE, QuestionKind.NPS)
SCALE_KINDS = (QuestionKind.SCALE, QuestionKind.NPS, QuestionKind.MATRIX)
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
# Kinds whose options are edited as lines (for a matrix, the lines are its rows).
KINDS_WITH_OPTIONS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.MATRIX)
SCALE_SIZES = ((5, "1–5"), (10, "1–10"))


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("section"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(
        _("code"),
        max_length=40,
        validators=[code_validator],
        help_text=_("Names the question in exports, the API and the comparison of waves."),
    )
    kind = models.CharField(_("kind of question"), max_length=10, choices=QuestionKind.choices)
    text_ru = models.CharField(_("question (Russian)"), max_length=500)
    text_kk = models.CharField(_("question (Kazakh)"), max_length=500, blank=True)
    help_ru = models.CharField(_("hint (Russian)"), max_length=300, blank=True)
    help_kk = models.CharField(_("hint (Kazakh)"), max_length=300, blank=True)
    required = models.BooleanField(_("answer required"), default=False)
    allow_other = models.BooleanField(_("“Other” with an own answer"), default=False)
    scale_max = models.PositiveSmallIntegerField(_("scale"), choices=SCALE_SIZES, default=5)
    low_label_ru = models.CharField(_("label of the lowest mark (Russian)"), max_length=100, blank=True)
    low_label_kk = models.CharField(_("label of the lowest mark (Kazakh)"), max_length=100, blank=True)
    high_label_ru = models.CharField(_("label of the highest mark (Russian)"), max_length=100, blank=True)
    high_label_kk = models.CharField(_("label of the highest mark (Kazakh)"), max_length=100, blank=True)
    min_value = models.DecimalField(
        _("smallest number"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest number"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    show_if = models.ForeignKey(
        "Choice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shows",
        verbose_name=_("asked only if the answer was"),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "code"], name="question_code_in_survey")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return translated(self, "text")

    def text_in(self, language: str) -> str:
        return translated(self, "text", survey_language(language))

    def help_in(self, language: str) -> str:
        return translated(self, "help", survey_language(language))

    def low_label_in(self, language: str) -> str:
        return translated(self, "low_label", survey_language(language))

    def high_label_in(self, language: str) -> str:
        return translated(self, "high_label", survey_language(language))

    @property
    def has_options(self) -> bool:
        return self.kind in KINDS_WITH_OPTIONS

    @property
    def is_closed(self) -> bool:
        return self.kind in CLOSED_KINDS

    @property
    def scale_values(self) -> list[int]:
        """The marks a respondent picks from: 0–10 for NPS, 1–5 or 1–10 for a scale or a matrix."""
        if self.kind == QuestionKind.NPS:
            return list(range(0, 11))
        if self.kind in (QuestionKind.SCALE, QuestionKind.MATRIX):
            return list(range(1, self.scale_max + 1))
        return []

    def clean(self) -> None:
        errors = {}
        if self.min_value is not None and self.max_value is not None and self.max_value < self.min_value:
            errors["max_value"] = _("The largest number cannot be smaller than the smallest.")
        if self.allow_other and self.kind not in CHOICE_KINDS:
            errors["allow_other"] = _("Only a single or a multiple choice can have “Other”.")
        if self.show_if_id is not None:
            condition = self.show_if.question
            if condition.survey_id != self.survey_id or condition.kind not in CHOICE_KINDS:
                errors["show_if"] = _("The condition must be an option of a choice question of this survey.")
            elif self.pk and condition.pk == self.pk:
                errors["show_if"] = _("A question cannot depend on its own answer.")
        if errors:
            raise ValidationError(errors)


class Choice(models.Model):
    """An option of a single or multiple choice, or a row of a matrix."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(_("order"), default=0)
    text_ru = models.CharField(_("option (Russian)"), max_length=300)
    text_kk = models.CharField(_("option (Kazakh)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return translated(self, "text")

    def text_in(self, language: str) -> str:
        return translated(self, "text", survey_language(language))


class SurveyLink(models.Model):
    """The public address of a survey for one library: its answers are counted for that library."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("library"))
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("public link of a survey")
        verbose_name_plural = _("public links of a survey")
        ordering = ["unit__path"]
        constraints = [models.UniqueConstraint(fields=["survey", "unit"], name="survey_link_per_unit")]

    def __str__(self) -> str:
        return f"{self.survey} · {self.unit}"


class ResponseSource(models.TextChoices):
    WEB = "web", pgettext_lazy("source of a response", "online")
    KIOSK = "kiosk", pgettext_lazy("source of a response", "library kiosk")
    PAPER = "paper", pgettext_lazy("source of a response", "paper questionnaire")


class Response(models.Model):
    """One filled questionnaire. Anonymous: neither the respondent nor their address is kept."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("library"))
    link = models.ForeignKey(SurveyLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    source = models.CharField(_("source"), max_length=10, choices=ResponseSource.choices)
    language = models.CharField(_("language"), max_length=5, default="ru")
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["survey", "submitted_at"], name="response_survey_time")]

    def __str__(self) -> str:
        return f"{self.survey} · {self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("survey", "answer")
        verbose_name_plural = pgettext_lazy("survey", "answers")
        indexes = [
            models.Index(fields=["question", "choice"], name="answer_question_choice"),
            models.Index(fields=["response", "question"], name="answer_response_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.choice or self.number or self.text or self.date}"
