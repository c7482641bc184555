"""Surveys: reads through the user's scope and the writes of the builder (the survey, its sections,
questions and options, its public links, copies of templates and new waves).

Who reads:
- a survey is seen by whoever sees the unit that runs it, and by whoever sees a library it has a public
  link for (the Mukur librarian sees the regional survey her library takes part in);
- its responses: all of them for whoever sees the unit that runs it; otherwise only those counted for
  the libraries the user sees — so the Mukur librarian's results are her library's.
- templates: the shipped ones (no unit) by every user who may run surveys, the others like surveys.

Who writes:
- builds, publishes, closes and copies a survey, keeps its links: `manage_marketing` on the unit that runs
  it (a shipped template only the superuser edits; everyone copies it);
- enters paper questionnaires for a library: `enter_responses` on that library (`surveys_answers`).

The structure of a survey that has answers changes only in ways that lose none: texts may be edited and
questions and options added, but a question or an option with answers is not removed and a question with
answers does not change its kind.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from metodist.core import scope
from metodist.marketing import surveys_templates
from metodist.marketing.models import (
    Answer,
    Choice,
    Question,
    QuestionKind,
    Section,
    Survey,
    SurveyLink,
    SurveyStatus,
)
from metodist.marketing.models.surveys import CHOICE_KINDS, KINDS_WITH_OPTIONS
from metodist.network.models import LIBRARY_KINDS, OrgUnit, UnitKind

MANAGE = "manage_marketing"
ENTER = "enter_responses"
SURVEY_FIELDS = (
    "unit",
    "title_ru",
    "title_kk",
    "intro_ru",
    "intro_kk",
    "opens_on",
    "closes_on",
    "kiosk",
    "previous_wave",
)
QUESTION_FIELDS = (
    "section",
    "code",
    "kind",
    "text_ru",
    "text_kk",
    "help_ru",
    "help_kk",
    "required",
    "allow_other",
    "scale_max",
    "low_label_ru",
    "low_label_kk",
    "high_label_ru",
    "high_label_kk",
    "min_value",
    "max_value",
    "show_if",
)
LINK_KINDS = (*LIBRARY_KINDS, UnitKind.DEPARTMENT)
PICKER_LIMIT = 2000
MAX_OPTIONS = 60


# --- reads ----------------------------------------------------------------------------------------------


def _in_scope(user, field: str) -> Q | None:
    """A condition on `<field>__path` for the units the user sees; None: everything (superuser)."""
    allowed = scope.prefixes(user, scope.VIEW)
    if allowed is None:
        return None
    condition = Q(pk__in=[])
    for prefix in allowed:
        condition |= Q(**{f"{field}__path__startswith": prefix})
    return condition


def surveys_visible(user) -> QuerySet:
    """Surveys (not templates) run by a unit the user sees, or with a public link for a library they see."""
    qs = Survey.objects.filter(is_template=False).select_related("unit")
    own = _in_scope(user, "unit")
    if own is None:
        return qs
    linked = SurveyLink.objects.filter(_in_scope(user, "unit")).values("survey_id")
    return qs.filter(own | Q(pk__in=linked))


def get_survey_or_404(user, pk) -> Survey:
    try:
        return surveys_visible(user).get(pk=pk)
    except (Survey.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def templates_visible(user) -> QuerySet:
    """The shipped templates for whoever may run surveys, and the templates of units the user sees."""
    qs = Survey.objects.filter(is_template=True).select_related("unit")
    if not may_create(user):
        return qs.none()
    own = _in_scope(user, "unit")
    if own is None:
        return qs
    return qs.filter(Q(unit__isnull=True) | own)


def get_template_or_404(user, pk) -> Survey:
    try:
        return templates_visible(user).get(pk=pk)
    except (Survey.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def with_counts(surveys: QuerySet) -> QuerySet:
    return surveys.annotate(
        response_count=Count("responses", distinct=True), question_count=Count("questions", distinct=True)
    )


def sees_everything(user, survey: Survey) -> bool:
    """Whether the user sees the unit that runs the survey, and so all of its responses and links."""
    return survey.unit is not None and scope.covers(user, survey.unit)


def responses_visible(user, survey: Survey) -> QuerySet:
    responses = survey.responses.all()
    if sees_everything(user, survey):
        return responses
    return scope.records(user, responses)


def links_visible(user, survey: Survey) -> QuerySet:
    links = survey.links.select_related("unit")
    if sees_everything(user, survey):
        return links
    return scope.records(user, links)


def questions_of(survey: Survey) -> list[Question]:
    """The questions in the order respondents see them: unsectioned first, then section by section."""
    questions = survey.questions.select_related("section", "show_if", "show_if__question").prefetch_related(
        "choices"
    )
    return sorted(
        questions,
        key=lambda q: (
            q.section is not None,
            q.section.order if q.section else 0,
            q.section_id or 0,
            q.order,
            q.pk,
        ),
    )


def may_create(user) -> bool:
    return scope.prefixes(user, MANAGE) != ()


def can_manage(user, survey: Survey) -> bool:
    if survey.unit is None:
        return bool(user.is_authenticated and user.is_superuser)
    return scope.covers(user, survey.unit, MANAGE)


def may_enter_paper(user, survey: Survey) -> bool:
    return not survey.is_template and paper_links(user, survey).exists()


def paper_links(user, survey: Survey) -> QuerySet:
    """The links of the libraries the user may enter paper questionnaires for."""
    return scope.records(user, survey.links.select_related("unit"), ENTER)


def manager_units(user) -> QuerySet:
    """Units the user may run a survey for."""
    return scope.units(user, MANAGE).filter(archived_at__isnull=True).order_by("path")


def link_units(user) -> QuerySet:
    """Libraries (and departments of libraries) the user may open a public link for."""
    return manager_units(user).filter(kind__in=LINK_KINDS)


def wave_candidates(user, survey: Survey | None = None) -> QuerySet:
    """Surveys that may be named as the previous wave: those the user manages, other than this one."""
    qs = scope.records(user, Survey.objects.filter(is_template=False), MANAGE).select_related("unit")
    if survey is not None and survey.pk:
        qs = qs.exclude(pk=survey.pk)
    return qs.order_by("-created_at")


def has_answers(question: Question) -> bool:
    return Answer.objects.filter(question=question).exists()


# --- writes: the survey ---------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You have no right to do this."))


def _check_unit(user, unit: OrgUnit | None) -> None:
    if unit is None or not scope.covers(user, unit, MANAGE):
        raise ValidationError({"unit": _("You cannot run surveys for this unit.")})


def _check_wave(user, survey: Survey, previous: Survey | None) -> None:
    if previous is None:
        return
    if previous.is_template or previous.unit is None or not scope.covers(user, previous.unit, MANAGE):
        raise ValidationError({"previous_wave": _("Choose a survey you run.")})
    seen, current = {survey.pk}, previous
    while current is not None:
        if current.pk in seen:
            raise ValidationError({"previous_wave": _("The waves would go round in a circle.")})
        seen.add(current.pk)
        current = current.previous_wave


@transaction.atomic
def survey_create(*, user, data: dict) -> Survey:
    _require(may_create(user))
    survey = Survey(created_by=user)
    for name in SURVEY_FIELDS:
        if name in data:
            setattr(survey, name, data[name])
    _check_unit(user, survey.unit)
    _check_wave(user, survey, survey.previous_wave)
    survey.full_clean()
    survey.save()
    return survey


@transaction.atomic
def survey_update(*, user, survey: Survey, data: dict) -> Survey:
    _require(can_manage(user, survey))
    for name in SURVEY_FIELDS:
        if name in data:
            setattr(survey, name, data[name])
    if survey.unit_id is not None or not survey.is_template:
        _check_unit(user, survey.unit)
    _check_wave(user, survey, survey.previous_wave)
    survey.full_clean()
    survey.save()
    return survey


@transaction.atomic
def survey_set_status(*, user, survey: Survey, status: str) -> Survey:
    _require(can_manage(user, survey))
    if survey.is_template:
        raise ValidationError(_("A template is copied, not published."))
    if status not in SurveyStatus.values:
        raise ValidationError(_("Unknown status."))
    if status == SurveyStatus.OPEN and not survey.questions.exists():
        raise ValidationError(_("Add at least one question before opening the survey."))
    survey.status = status
    survey.save(update_fields=["status", "updated_at"])
    return survey


@transaction.atomic
def survey_delete(*, user, survey: Survey) -> None:
    _require(can_manage(user, survey))
    if survey.responses.exists():
        raise ValidationError(_("The survey has responses: close it instead of deleting it."))
    survey.delete()


def _copy_structure(source: Survey, target: Survey) -> None:
    sections = {}
    for section in source.sections.all():
        sections[section.pk] = Section.objects.create(
            survey=target, order=section.order, title_ru=section.title_ru, title_kk=section.title_kk
        )
    choices: dict[int, Choice] = {}
    pending_conditions = []
    for question in questions_of(source):
        copy = Question(
            survey=target,
            section=sections.get(question.section_id),
            order=question.order,
            **{
                name: getattr(question, name)
                for name in QUESTION_FIELDS
                if name not in ("section", "show_if")
            },
        )
        copy.save()
        for choice in question.choices.all():
            choices[choice.pk] = Choice.objects.create(
                question=copy, order=choice.order, text_ru=choice.text_ru, text_kk=choice.text_kk
            )
        if question.show_if_id:
            pending_conditions.append((copy, question.show_if_id))
    for copy, choice_id in pending_conditions:
        copy.show_if = choices.get(choice_id)
        copy.save(update_fields=["show_if"])


@transaction.atomic
def survey_copy(
    *,
    user,
    source: Survey,
    unit: OrgUnit,
    title_ru: str = "",
    title_kk: str = "",
    next_wave: bool = False,
) -> Survey:
    """A draft copy of a template or a survey (questions, options, sections, conditions; no answers).

    `next_wave` makes it the next wave of `source`: the results of both compare question by question.
    """
    _require(may_create(user))
    _check_unit(user, unit)
    if next_wave:
        _require(can_manage(user, source))
    copy = Survey(
        unit=unit,
        title_ru=title_ru or source.title_ru,
        title_kk=title_kk or source.title_kk,
        intro_ru=source.intro_ru,
        intro_kk=source.intro_kk,
        kiosk=source.kiosk,
        previous_wave=source if next_wave else None,
        created_by=user,
    )
    copy.full_clean()
    copy.save()
    _copy_structure(source, copy)
    return copy


# --- writes: sections -----------------------------------------------------------------------------------


@transaction.atomic
def section_save(
    *, user, survey: Survey, section: Section | None = None, title_ru: str, title_kk: str
) -> Section:
    _require(can_manage(user, survey))
    if section is None:
        last = survey.sections.aggregate(m=Max("order"))["m"]
        section = Section(survey=survey, order=(last or 0) + 1)
    elif section.survey_id != survey.pk:
        raise Http404
    section.title_ru, section.title_kk = title_ru, title_kk
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_delete(*, user, section: Section) -> None:
    """Remove a section; its questions stay, without a section."""
    _require(can_manage(user, section.survey))
    section.delete()


# --- writes: questions ----------------------------------------------------------------------------------


def next_code(survey: Survey) -> str:
    taken = set(survey.questions.values_list("code", flat=True))
    number = len(taken) + 1
    while f"q{number}" in taken:
        number += 1
    return f"q{number}"


@dataclass(frozen=True)
class Option:
    ru: str
    kk: str = ""


def parse_options(text: str) -> list[Option]:
    """Options written one a line, the Kazakh after a vertical bar: `в выходные дни | демалыс күндері`."""
    options = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        ru, _bar, kk = line.partition("|")
        options.append(Option(ru.strip(), kk.strip()))
    return options


def options_text(question: Question | None) -> str:
    if question is None or not question.pk:
        return ""
    return "\n".join(f"{c.text_ru} | {c.text_kk}" if c.text_kk else c.text_ru for c in question.choices.all())


def _save_options(question: Question, options: list[Option]) -> None:
    """The n-th line updates the n-th option (its answers stay with it); new lines add options; an option
    whose line is gone is removed, unless it has answers."""
    if question.kind not in KINDS_WITH_OPTIONS:
        if question.choices.exists():
            if Answer.objects.filter(choice__question=question).exists():
                raise ValidationError({"options": _("The options have answers and cannot be removed.")})
            question.choices.all().delete()
        return
    if len(options) > MAX_OPTIONS:
        raise ValidationError({"options": _("At most %(count)s options.") % {"count": MAX_OPTIONS}})
    if not options:
        raise ValidationError({"options": _("Write at least one option, one a line.")})
    for option in options:
        if len(option.ru) > 300 or len(option.kk) > 300:
            raise ValidationError({"options": _("An option can have at most 300 characters.")})
        if not option.ru:
            raise ValidationError({"options": _("Every option needs its Russian text before the bar.")})
    existing = list(question.choices.all())
    for index, option in enumerate(options):
        if index < len(existing):
            choice = existing[index]
            if (choice.text_ru, choice.text_kk, choice.order) != (option.ru, option.kk, index):
                choice.text_ru, choice.text_kk, choice.order = option.ru, option.kk, index
                choice.save()
        else:
            Choice.objects.create(question=question, order=index, text_ru=option.ru, text_kk=option.kk)
    removed = existing[len(options) :]
    if removed:
        if Answer.objects.filter(choice__in=removed).exists():
            raise ValidationError(
                {"options": _("An option you removed has answers: keep its line (you may reword it).")}
            )
        Choice.objects.filter(pk__in=[c.pk for c in removed]).delete()


def _check_question(survey: Survey, question: Question, original_kind: str | None) -> None:
    if question.section_id and question.section.survey_id != survey.pk:
        raise ValidationError({"section": _("Choose a section of this survey.")})
    if original_kind and original_kind != question.kind and has_answers(question):
        raise ValidationError({"kind": _("The question has answers: its kind cannot change.")})
    if question.show_if_id:
        condition = question.show_if.question
        if condition.survey_id != survey.pk or condition.kind not in CHOICE_KINDS:
            raise ValidationError(
                {"show_if": _("The condition must be an option of a choice question of this survey.")}
            )


@transaction.atomic
def question_save(
    *, user, survey: Survey, question: Question | None = None, data: dict, options: list[Option] | None = None
) -> Question:
    """Create or change a question with its options (see `_save_options`)."""
    _require(can_manage(user, survey))
    original_kind = None
    if question is None:
        last = survey.questions.aggregate(m=Max("order"))["m"]
        question = Question(survey=survey, order=(last or 0) + 1)
    else:
        if question.survey_id != survey.pk:
            raise Http404
        original_kind = Question.objects.values_list("kind", flat=True).get(pk=question.pk)
    for name in QUESTION_FIELDS:
        if name in data:
            setattr(question, name, data[name])
    if not question.code:
        question.code = next_code(survey)
    if question.kind not in CHOICE_KINDS:
        question.allow_other = False
    if question.kind not in (QuestionKind.SCALE, QuestionKind.MATRIX):
        question.scale_max = 5
    _check_question(survey, question, original_kind)
    question.full_clean()
    if Question.objects.filter(survey=survey, code=question.code).exclude(pk=question.pk).exists():
        raise ValidationError({"code": _("Another question of this survey has this code.")})
    question.save()
    _save_options(question, options or [])
    return question


@transaction.atomic
def question_delete(*, user, question: Question) -> None:
    _require(can_manage(user, question.survey))
    if has_answers(question):
        raise ValidationError(_("The question has answers and cannot be removed."))
    question.delete()


@transaction.atomic
def question_move(*, user, question: Question, up: bool) -> None:
    """Swap the question with its neighbour in the same section."""
    _require(can_manage(user, question.survey))
    siblings = [q for q in questions_of(question.survey) if q.section_id == question.section_id]
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings, start=1):
        if item.order != position:
            Question.objects.filter(pk=item.pk).update(order=position)


# --- writes: public links -------------------------------------------------------------------------------


@transaction.atomic
def links_create(*, user, survey: Survey, units: Iterable[OrgUnit]) -> list[SurveyLink]:
    """Open a public link of the survey for each library (a library that has one keeps it)."""
    _require(can_manage(user, survey))
    if survey.is_template:
        raise ValidationError(_("A template is copied, not published."))
    links = []
    for unit in units:
        if unit.kind not in LINK_KINDS or not scope.covers(user, unit, MANAGE):
            raise ValidationError({"units": _("You cannot open a link for %(unit)s.") % {"unit": unit.name}})
        link, _created = SurveyLink.objects.get_or_create(survey=survey, unit=unit)
        links.append(link)
    return links


@transaction.atomic
def link_delete(*, user, link: SurveyLink) -> None:
    """Close a public address; the responses it brought stay with their library."""
    _require(can_manage(user, link.survey))
    link.delete()


# --- the shipped templates, and building a survey from a description ------------------------------------


def build_questions(survey: Survey, sections: list[dict], questions: list[dict]) -> None:
    """Write sections and questions described as dicts (the API and the shipped templates).

    A section: {"title_ru", "title_kk"}. A question: the fields of `Question` plus "options" (a list of
    `Option`), "section" (an index into `sections` or None) and "show_if" (the code of an earlier question
    and the index of its option, or None).
    """
    made_sections = []
    for order, item in enumerate(sections, start=1):
        section = Section(
            survey=survey, order=order, title_ru=item["title_ru"], title_kk=item.get("title_kk", "")
        )
        section.full_clean(exclude=["survey"])
        section.save()
        made_sections.append(section)
    by_code: dict[str, Question] = {}
    for order, item in enumerate(questions, start=1):
        item = dict(item)
        options = item.pop("options", [])
        section_index = item.pop("section", None)
        condition = item.pop("show_if", None)
        question = Question(survey=survey, order=order, **item)
        if section_index is not None:
            if not 0 <= section_index < len(made_sections):
                raise ValidationError({f"questions.{order - 1}.section": _("There is no such section.")})
            question.section = made_sections[section_index]
        if not question.code:
            question.code = f"q{order}"
        if question.code in by_code:
            raise ValidationError(
                {f"questions.{order - 1}.code": _("Another question of this survey has this code.")}
            )
        if condition is not None:
            code, index = condition
            target = by_code.get(code)
            choices = list(target.choices.all()) if target is not None else []
            if target is None or target.kind not in CHOICE_KINDS or not 0 <= index < len(choices):
                raise ValidationError(
                    {
                        f"questions.{order - 1}.show_if": _(
                            "The condition must be an option of an earlier choice question."
                        )
                    }
                )
            question.show_if = choices[index]
        try:
            question.full_clean(exclude=["survey"])
        except ValidationError as exc:
            raise ValidationError(
                {f"questions.{order - 1}.{name}": messages for name, messages in exc.message_dict.items()}
            ) from exc
        question.save()
        try:
            _save_options(question, [o if isinstance(o, Option) else Option(*o) for o in options])
        except ValidationError as exc:
            raise ValidationError({f"questions.{order - 1}.options": exc.messages}) from exc
        by_code[question.code] = question


def spec_questions(spec: surveys_templates.TemplateSpec) -> tuple[list[dict], list[dict]]:
    sections, questions = [], []
    for section_index, section in enumerate(spec.sections):
        sections.append({"title_ru": section.ru, "title_kk": section.kk})
        for item in section.questions:
            questions.append(
                {
                    "code": item.code,
                    "kind": item.kind,
                    "text_ru": item.ru,
                    "text_kk": item.kk,
                    "help_ru": item.help[0],
                    "help_kk": item.help[1],
                    "required": item.required,
                    "allow_other": item.other,
                    "scale_max": item.scale,
                    "low_label_ru": item.low[0],
                    "low_label_kk": item.low[1],
                    "high_label_ru": item.high[0],
                    "high_label_kk": item.high[1],
                    "min_value": item.min_value,
                    "max_value": item.max_value,
                    "options": [Option(ru, kk) for ru, kk in item.options],
                    "section": section_index,
                    "show_if": item.show_if,
                }
            )
    return sections, questions


@transaction.atomic
def templates_install(
    specs: tuple[surveys_templates.TemplateSpec, ...] = surveys_templates.TEMPLATES,
) -> Counter:
    """Add the shipped templates that are missing, by code; an existing template is never changed."""
    created: Counter = Counter()
    have = set(
        Survey.objects.filter(template_code__in=[s.code for s in specs]).values_list(
            "template_code", flat=True
        )
    )
    for spec in specs:
        if spec.code in have:
            continue
        survey = Survey(
            is_template=True,
            template_code=spec.code,
            title_ru=spec.title[0],
            title_kk=spec.title[1],
            intro_ru=spec.intro[0],
            intro_kk=spec.intro[1],
        )
        survey.full_clean()
        survey.save()
        sections, questions = spec_questions(spec)
        build_questions(survey, sections, questions)
        created["survey_templates"] += 1
    return created


def missing_templates() -> list[str]:
    have = set(Survey.objects.filter(is_template=True).values_list("template_code", flat=True))
    return [spec.code for spec in surveys_templates.TEMPLATES if spec.code not in have]
