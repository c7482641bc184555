"""Results of a survey, computed with SQL aggregates over the responses the user may see.

- **counts and shares**: for each option, the respondents who chose it (`Count` grouped by option), as a
  share of those who answered the question; "other" is counted as one more option;
- **means** of scales, numbers and each row of a matrix (`Avg`), with the spread of the marks;
- **NPS** = % promoters (9–10) − % detractors (0–6) of those who answered;
- **cross-tabulation** by any closed question (single or multiple choice, scale, NPS): the answers of
  every other question split by the groups of that one, in one grouped query per figure (a self-join of
  the answers on their response);
- **waves**: two surveys of which one is the previous wave of the other, question by question (by code;
  options by their Russian text, else by position).

`responses` is always a queryset of `Response` already limited to the user's scope (and to any filter).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.utils.translation import gettext as _

from metodist.marketing.models import Answer, Question, QuestionKind, Survey
from metodist.marketing.models.surveys import CHOICE_KINDS, CLOSED_KINDS, TEXT_KINDS
from metodist.marketing.surveys import questions_of

TEXT_LIMIT = 20
PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6


def share(count: int, total: int) -> float | None:
    return round(count * 100 / total, 1) if total else None


def _float(value) -> float | None:
    if value is None:
        return None
    return round(float(value), 2)


@dataclass
class OptionRow:
    label: str
    count: int
    share: float | None
    is_other: bool = False
    key: int | None = None  # the option's id; None for "other"


@dataclass
class MarkRow:
    value: int
    count: int
    share: float | None


@dataclass
class MatrixRow:
    label: str
    count: int
    mean: float | None
    key: int | None = None


@dataclass
class Nps:
    promoters: int
    passives: int
    detractors: int

    @property
    def total(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> float | None:
        if not self.total:
            return None
        return round((self.promoters - self.detractors) * 100 / self.total, 1)

    @property
    def promoters_share(self) -> float | None:
        return share(self.promoters, self.total)

    @property
    def passives_share(self) -> float | None:
        return share(self.passives, self.total)

    @property
    def detractors_share(self) -> float | None:
        return share(self.detractors, self.total)


def nps_of(marks: dict[int, int]) -> Nps:
    return Nps(
        promoters=sum(n for v, n in marks.items() if v >= PROMOTER_FROM),
        passives=sum(n for v, n in marks.items() if DETRACTOR_UP_TO < v < PROMOTER_FROM),
        detractors=sum(n for v, n in marks.items() if v <= DETRACTOR_UP_TO),
    )


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    options: list[OptionRow] = field(default_factory=list)
    marks: list[MarkRow] = field(default_factory=list)
    matrix: list[MatrixRow] = field(default_factory=list)
    mean: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    nps: Nps | None = None
    texts: list[str] = field(default_factory=list)
    text_count: int = 0
    first_date: object = None
    last_date: object = None

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def max_share(self) -> float:
        values = [r.share or 0 for r in self.options] + [r.share or 0 for r in self.marks]
        return max(values, default=0)


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    questions: list[QuestionResult]

    def by_code(self) -> dict[str, QuestionResult]:
        return {r.question.code: r for r in self.questions}


def _answers(responses: QuerySet) -> QuerySet:
    return Answer.objects.filter(response__in=responses.values("pk"))


def survey_results(
    survey: Survey,
    responses: QuerySet,
    *,
    questions: list[Question] | None = None,
    text_limit: int = TEXT_LIMIT,
) -> SurveyResults:
    questions = questions if questions is not None else questions_of(survey)
    answers = _answers(responses)
    answered = {
        row["question"]: row["n"]
        for row in answers.values("question").annotate(n=Count("response", distinct=True)).order_by()
    }
    chosen: dict[tuple[int, int | None], int] = {
        (row["question"], row["choice"]): row["n"]
        for row in answers.filter(question__kind__in=CHOICE_KINDS)
        .values("question", "choice")
        .annotate(n=Count("response", distinct=True))
        .order_by()
    }
    stats = {
        (row["question"], row["choice"]): row
        for row in answers.filter(number__isnull=False)
        .values("question", "choice")
        .annotate(n=Count("id"), avg=Avg("number"), low=Min("number"), high=Max("number"))
        .order_by()
    }
    marks: dict[int, dict[int, int]] = {}
    for row in (
        answers.filter(question__kind__in=(QuestionKind.SCALE, QuestionKind.NPS))
        .values("question", "number")
        .annotate(n=Count("id"))
        .order_by()
    ):
        marks.setdefault(row["question"], {})[int(row["number"])] = row["n"]
    dates = {
        row["question"]: row
        for row in answers.filter(date__isnull=False)
        .values("question")
        .annotate(low=Min("date"), high=Max("date"))
        .order_by()
    }

    results = []
    for question in questions:
        result = QuestionResult(question=question, answered=answered.get(question.pk, 0))
        kind = question.kind
        if kind in CHOICE_KINDS:
            for choice in question.choices.all():
                count = chosen.get((question.pk, choice.pk), 0)
                result.options.append(
                    OptionRow(choice.text, count, share(count, result.answered), key=choice.pk)
                )
            other = chosen.get((question.pk, None), 0)
            if question.allow_other or other:
                result.options.append(
                    OptionRow(_("Other"), other, share(other, result.answered), is_other=True)
                )
        if kind in (QuestionKind.SCALE, QuestionKind.NPS):
            counts = marks.get(question.pk, {})
            total = sum(counts.values())
            result.marks = [
                MarkRow(v, counts.get(v, 0), share(counts.get(v, 0), total)) for v in question.scale_values
            ]
            if kind == QuestionKind.NPS:
                result.nps = nps_of(counts)
        if kind in (QuestionKind.SCALE, QuestionKind.NPS, QuestionKind.NUMBER):
            row = stats.get((question.pk, None))
            if row:
                result.mean, result.minimum, result.maximum = (
                    _float(row["avg"]),
                    _float(row["low"]),
                    _float(row["high"]),
                )
        if kind == QuestionKind.MATRIX:
            for choice in question.choices.all():
                row = stats.get((question.pk, choice.pk))
                result.matrix.append(
                    MatrixRow(
                        choice.text,
                        row["n"] if row else 0,
                        _float(row["avg"]) if row else None,
                        key=choice.pk,
                    )
                )
        if kind == QuestionKind.DATE and question.pk in dates:
            result.first_date, result.last_date = dates[question.pk]["low"], dates[question.pk]["high"]
        if kind in TEXT_KINDS or question.allow_other:
            texts = answers.filter(question=question).exclude(text="")
            result.text_count = texts.count() if kind not in TEXT_KINDS else result.answered
            result.texts = list(
                texts.order_by("-response__submitted_at", "-id").values_list("text", flat=True)[:text_limit]
            )
        results.append(result)
    return SurveyResults(survey=survey, responses=responses.count(), questions=results)


def text_answers(question: Question, responses: QuerySet) -> QuerySet:
    """Every text written for the question (the texts of "other" for a choice), newest first."""
    return (
        _answers(responses)
        .filter(question=question)
        .exclude(text="")
        .select_related("response", "response__unit")
        .order_by("-response__submitted_at", "-id")
    )


# --- cross-tabulation -----------------------------------------------------------------------------------


@dataclass
class Group:
    key: object
    label: str
    count: int


@dataclass
class Cell:
    count: int | None = None
    share: float | None = None
    mean: float | None = None


@dataclass
class CrossRow:
    label: str
    cells: list[Cell]


@dataclass
class CrossTable:
    question: Question
    figure: str  # "shares", "means" or "nps"
    answered: list[int]
    rows: list[CrossRow]


@dataclass
class CrossTab:
    by: Question
    groups: list[Group]
    tables: list[CrossTable]


def _group_field(by: Question) -> str:
    return "choice" if by.kind in CHOICE_KINDS else "number"


def _group_key(value):
    return int(value) if isinstance(value, Decimal | float) else value


def crosstab(
    survey: Survey, responses: QuerySet, by: Question, *, questions: list[Question] | None = None
) -> CrossTab:
    """Every other closed or numeric question of the survey, split by the answers to `by`.

    A respondent is in each group they chose (a multiple choice puts one respondent in several groups).
    Options and NPS are counted per group as shares of the group's respondents who answered the question;
    scales, numbers and matrix rows give the mean per group.
    """
    if by.kind not in CLOSED_KINDS:
        raise ValueError("cross-tabulation needs a closed question")
    questions = questions if questions is not None else questions_of(survey)
    answers = _answers(responses)
    group_field = _group_field(by)
    grouped = f"response__answers__{group_field}"

    found = {
        _group_key(row[group_field]): row["n"]
        for row in answers.filter(question=by)
        .values(group_field)
        .annotate(n=Count("response", distinct=True))
        .order_by()
    }
    if by.kind in CHOICE_KINDS:
        groups = [Group(c.pk, c.text, found.get(c.pk, 0)) for c in by.choices.all()]
        if None in found:
            groups.append(Group(None, _("Other"), found[None]))
    else:
        groups = [Group(v, str(v), found.get(v, 0)) for v in by.scale_values]

    targets = [q for q in questions if q.pk != by.pk and q.kind not in (*TEXT_KINDS, QuestionKind.DATE)]
    base = answers.filter(question__in=[q.pk for q in targets], response__answers__question=by)

    answered = {
        (row["question"], _group_key(row[grouped])): row["n"]
        for row in base.values("question", grouped).annotate(n=Count("response", distinct=True)).order_by()
    }
    chosen = {
        (row["question"], row["choice"], _group_key(row[grouped])): row["n"]
        for row in base.filter(question__kind__in=CHOICE_KINDS)
        .values("question", "choice", grouped)
        .annotate(n=Count("response", distinct=True))
        .order_by()
    }
    means = {
        (row["question"], row["choice"], _group_key(row[grouped])): _float(row["avg"])
        for row in base.filter(
            number__isnull=False,
            question__kind__in=(QuestionKind.SCALE, QuestionKind.NUMBER, QuestionKind.MATRIX),
        )
        .values("question", "choice", grouped)
        .annotate(avg=Avg("number"))
        .order_by()
    }
    nps = {
        (row["question"], _group_key(row[grouped])): Nps(row["p"], row["n"] - row["p"] - row["d"], row["d"])
        for row in base.filter(question__kind=QuestionKind.NPS)
        .values("question", grouped)
        .annotate(
            p=Count("id", filter=Q(number__gte=PROMOTER_FROM)),
            d=Count("id", filter=Q(number__lte=DETRACTOR_UP_TO)),
            n=Count("id"),
        )
        .order_by()
    }

    tables = []
    for question in targets:
        per_group = [answered.get((question.pk, g.key), 0) for g in groups]
        rows = []
        if question.kind in CHOICE_KINDS:
            figure = "shares"
            options = [(c.pk, c.text) for c in question.choices.all()]
            if question.allow_other or any(k[0] == question.pk and k[1] is None for k in chosen):
                options.append((None, _("Other")))
            for key, label in options:
                cells = []
                for group, total in zip(groups, per_group, strict=True):
                    count = chosen.get((question.pk, key, group.key), 0)
                    cells.append(Cell(count=count, share=share(count, total)))
                rows.append(CrossRow(label, cells))
        elif question.kind == QuestionKind.NPS:
            figure = "nps"
            scores = [nps.get((question.pk, g.key), Nps(0, 0, 0)) for g in groups]
            rows.append(CrossRow(_("NPS"), [Cell(mean=s.score) for s in scores]))
            rows.append(
                CrossRow(
                    _("Promoters (9–10)"), [Cell(count=s.promoters, share=s.promoters_share) for s in scores]
                )
            )
            rows.append(
                CrossRow(
                    _("Detractors (0–6)"),
                    [Cell(count=s.detractors, share=s.detractors_share) for s in scores],
                )
            )
        elif question.kind == QuestionKind.MATRIX:
            figure = "means"
            for choice in question.choices.all():
                rows.append(
                    CrossRow(
                        choice.text, [Cell(mean=means.get((question.pk, choice.pk, g.key))) for g in groups]
                    )
                )
        else:
            figure = "means"
            rows.append(
                CrossRow(_("Mean"), [Cell(mean=means.get((question.pk, None, g.key))) for g in groups])
            )
        tables.append(CrossTable(question=question, figure=figure, answered=per_group, rows=rows))
    return CrossTab(by=by, groups=groups, tables=tables)


# --- waves ----------------------------------------------------------------------------------------------


@dataclass
class WaveRow:
    label: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 2)


@dataclass
class WaveQuestion:
    question: Question
    figure: str  # "shares" (%), "means" or "nps"
    answered_before: int
    answered_after: int
    rows: list[WaveRow]


def _match(before: list, after: list, label) -> list[tuple]:
    """Pair rows of two waves: by the Russian text of the option (case and spaces aside), else by position."""
    keyed = {label(item): item for item in before}
    pairs, used = [], set()
    for index, item in enumerate(after):
        match = keyed.get(label(item))
        if match is None and index < len(before) and label(before[index]) not in {label(a) for a in after}:
            match = before[index]
        if match is not None:
            used.add(id(match))
        pairs.append((match, item))
    pairs += [(item, None) for item in before if id(item) not in used]
    return pairs


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _option_key(pair: tuple[OptionRow, QuestionResult]) -> str:
    row, results = pair
    if row.is_other:
        return "\x00other"
    choice = next(c for c in results.question.choices.all() if c.pk == row.key)
    return _norm(choice.text_ru)


def _row_key(labels: dict[int, str], row: MatrixRow) -> str:
    return labels.get(row.key, row.label)


def compare_waves(previous: SurveyResults, current: SurveyResults) -> list[WaveQuestion]:
    """The questions both waves asked (same code and kind), their figures before and after."""
    earlier = previous.by_code()
    compared = []
    for after in current.questions:
        before = earlier.get(after.question.code)
        if before is None or before.question.kind != after.question.kind:
            continue
        kind = after.question.kind
        rows: list[WaveRow] = []
        if kind in CHOICE_KINDS:
            figure = "shares"

            before_rows = [(r, before) for r in before.options]
            after_rows = [(r, after) for r in after.options]
            for old, new in _match(before_rows, after_rows, _option_key):
                label = (new or old)[0].label
                rows.append(WaveRow(label, old[0].share if old else None, new[0].share if new else None))
        elif kind == QuestionKind.MATRIX:
            figure = "means"
            labels = {c.pk: _norm(c.text_ru) for r in (before, after) for c in r.question.choices.all()}
            for old, new in _match(before.matrix, after.matrix, partial(_row_key, labels)):
                rows.append(WaveRow((new or old).label, old.mean if old else None, new.mean if new else None))
        elif kind == QuestionKind.NPS:
            figure = "nps"
            rows = [
                WaveRow(_("NPS"), before.nps.score, after.nps.score),
                WaveRow(_("Promoters (9–10), %"), before.nps.promoters_share, after.nps.promoters_share),
                WaveRow(_("Detractors (0–6), %"), before.nps.detractors_share, after.nps.detractors_share),
            ]
        elif kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
            figure = "means"
            rows = [WaveRow(_("Mean"), before.mean, after.mean)]
        else:
            continue
        compared.append(WaveQuestion(after.question, figure, before.answered, after.answered, rows))
    return compared
