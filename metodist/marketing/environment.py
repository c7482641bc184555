"""Reads and writes of environment analysis (SWOT and PEST): the analyses in the user's scope, the grid of
quadrants with the figures behind the items, copying last year's analysis, the comparison with the
previous year and the one-page PDF.

    analysis = analysis_create(user=marketer, data={"unit": vkoub, "year": 2026, "kind": "swot"})
    item_save(user=marketer, analysis=analysis, data={"quadrant": "S", "text": "…", "weight": 5})
    analysis_copy_previous(user=marketer, analysis=analysis)   # the items of 2025 into 2026
    comparison(analysis)                                        # added / removed / weight changed
    analysis_pdf(analysis)                                      # A4 landscape, one page
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from metodist.core import scope
from metodist.marketing.models.environment import (
    AnalysisItem,
    EnvironmentAnalysis,
    quadrant_codes,
)
from metodist.network.models import OrgUnit

MANAGE = "manage_marketing"
# The PDF keeps to one page: the font shrinks as the items grow, and then long texts are cut.
PDF_TEXT_LIMITS = (500, 200, 120, 70)


# --- reads ----------------------------------------------------------------------------------------------


def analyses_visible(user, capability: str = scope.VIEW) -> QuerySet:
    return scope.records(user, EnvironmentAnalysis.objects.select_related("unit"), capability)


def get_analysis_or_404(user, pk, capability: str = scope.VIEW) -> EnvironmentAnalysis:
    return scope.get_record_or_404(
        user, EnvironmentAnalysis.objects.select_related("unit"), capability, pk=pk
    )


def get_item_or_404(user, pk, capability: str = scope.VIEW) -> AnalysisItem:
    return scope.get_record_or_404(
        user,
        AnalysisItem.objects.select_related("analysis", "analysis__unit"),
        capability,
        unit_field="analysis__unit",
        pk=pk,
    )


def may_manage(user, unit: OrgUnit | None = None) -> bool:
    if unit is not None:
        return scope.covers(user, unit, MANAGE)
    return scope.prefixes(user, MANAGE) != ()


def manager_units(user) -> QuerySet:
    return scope.units(user, MANAGE).filter(archived_at__isnull=True).order_by("path")


def previous_of(analysis: EnvironmentAnalysis) -> EnvironmentAnalysis | None:
    """The analysis of the same unit and kind a year earlier."""
    return EnvironmentAnalysis.objects.filter(
        unit_id=analysis.unit_id, kind=analysis.kind, year=analysis.year - 1
    ).first()


# --- the figures behind the items ----------------------------------------------------------------------


@dataclass
class SurveyFigures:
    responses: int = 0
    nps: float | None = None
    satisfaction: float | None = None  # the mean of the scale answers as % of the top mark


def survey_figures(responses: QuerySet) -> SurveyFigures:
    """NPS and the satisfaction index of the answers of `responses` (any queryset of survey responses),
    in three queries whatever their number."""
    from django.db.models import Avg, Count, F, FloatField
    from django.db.models.functions import Cast

    from metodist.marketing.models.surveys import Answer, QuestionKind

    answers = Answer.objects.filter(response__in=responses.values("pk"))
    marks = {
        int(row["number"]): row["n"]
        for row in answers.filter(question__kind=QuestionKind.NPS, number__isnull=False)
        .values("number")
        .annotate(n=Count("id"))
        .order_by()
    }
    satisfaction = answers.filter(question__kind=QuestionKind.SCALE, number__isnull=False).aggregate(
        value=Avg(Cast(F("number"), FloatField()) * 100.0 / Cast(F("question__scale_max"), FloatField()))
    )["value"]
    return SurveyFigures(
        responses=responses.count(),
        nps=nps_score(marks),
        satisfaction=round(satisfaction, 1) if satisfaction is not None else None,
    )


def nps_score(marks: dict[int, int]) -> float | None:
    """% promoters − % detractors, as the survey results compute it (with the same fallback rule)."""
    try:
        from metodist.marketing.surveys_results import nps_of
    except ImportError:  # the survey results module changed: the usual definition (9–10 vs 0–6)
        total = sum(marks.values())
        if not total:
            return None
        promoters = sum(n for v, n in marks.items() if v >= 9)
        detractors = sum(n for v, n in marks.items() if v <= 6)
        return round((promoters - detractors) * 100 / total, 1)
    return nps_of(marks).score


@dataclass
class Evidence:
    label: str
    shown: str
    href: str = ""


def _show(value: Decimal | float | None, decimals: int = 0) -> str:
    from django.utils.formats import number_format

    if value is None:
        return "—"
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def evidence_of(items: Iterable[AnalysisItem], unit: OrgUnit) -> dict[int, list[Evidence]]:
    """The linked figures of the items: {item id: [Evidence]}. One roll-up per distinct indicator and
    year, one query per distinct survey set; nothing per item."""
    from metodist.reporting.models import Indicator
    from metodist.reporting.selectors import rollup

    items = list(items)
    found: dict[int, list[Evidence]] = {}
    codes = {item.indicator_code for item in items if item.indicator_code}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)} if codes else {}
    values: dict[tuple[str, int], Decimal | None] = {}
    for code, year in {(i.indicator_code, i.indicator_year) for i in items if i.indicator_code}:
        indicator = indicators.get(code)
        if indicator is None or year is None:
            continue
        rows = rollup(
            indicator, under=unit, first=datetime.date(year, 1, 1), last=datetime.date(year, 12, 31)
        )
        values[(code, year)] = rows[0].value if rows else None
    survey_ids = {item.survey_id for item in items if item.survey_id}
    surveys = _surveys_figures(survey_ids) if survey_ids else {}
    for item in items:
        shown: list[Evidence] = []
        if item.indicator_code:
            indicator = indicators.get(item.indicator_code)
            name = indicator.name if indicator else item.indicator_code
            label = _("%(indicator)s, %(year)s") % {"indicator": name, "year": item.indicator_year}
            if indicator is None:
                shown.append(Evidence(label, _("no such indicator")))
            else:
                value = values.get((item.indicator_code, item.indicator_year))
                shown.append(Evidence(label, _show(value) if value is not None else _("not reported")))
        if item.survey_id and item.survey_id in surveys:
            title, figures = surveys[item.survey_id]
            parts = []
            if figures.satisfaction is not None:
                parts.append(_("satisfaction %(value)s%%") % {"value": _show(figures.satisfaction, 1)})
            if figures.nps is not None:
                parts.append(_("NPS %(value)s") % {"value": _show(figures.nps, 1)})
            if not parts:
                parts.append(_("no answers yet"))
            shown.append(Evidence(title, ", ".join(parts)))
        if shown:
            found[item.pk] = shown
    return found


def _surveys_figures(survey_ids: set[int]) -> dict[int, tuple[str, SurveyFigures]]:
    from metodist.marketing.models.surveys import Response, Survey

    result = {}
    for survey in Survey.objects.filter(pk__in=survey_ids):
        result[survey.pk] = (survey.title, survey_figures(Response.objects.filter(survey=survey)))
    return result


# --- the grid -------------------------------------------------------------------------------------------


@dataclass
class Quadrant:
    code: str
    name: str
    hint: str
    items: list[AnalysisItem] = field(default_factory=list)

    @property
    def weight(self) -> int:
        return sum(item.weight for item in self.items)


def grid(analysis: EnvironmentAnalysis, *, with_evidence: bool = True) -> list[Quadrant]:
    """The four quadrants in the order of the grid, each with its items (heaviest first)."""
    items = list(analysis.items.select_related("survey").order_by("quadrant", "order", "id"))
    evidence = evidence_of(items, analysis.unit) if with_evidence else {}
    quadrants = []
    for code, name, hint in analysis.quadrants:
        mine = [item for item in items if item.quadrant == code]
        for item in mine:
            item.figures = evidence.get(item.pk, [])
        quadrants.append(Quadrant(code, str(name), str(hint), mine))
    return quadrants


def quadrant_of(analysis: EnvironmentAnalysis, code: str) -> Quadrant:
    for quadrant in grid(analysis):
        if quadrant.code == code:
            return quadrant
    raise Http404


# --- writes ---------------------------------------------------------------------------------------------


def _require(user, unit: OrgUnit) -> None:
    if not scope.covers(user, unit, MANAGE):
        raise PermissionDenied


def _duplicate_error() -> ValidationError:
    return ValidationError(
        {"year": _("This unit already has an analysis of this kind for this year.")}, code="duplicate"
    )


@transaction.atomic
def analysis_create(*, user, data: dict, copy_previous: bool = False) -> EnvironmentAnalysis:
    unit = data.get("unit")
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit.")})
    _require(user, unit)
    analysis = EnvironmentAnalysis(
        unit=unit,
        year=data.get("year"),
        kind=data.get("kind"),
        title=data.get("title", ""),
        summary=data.get("summary", ""),
        created_by=user,
    )
    analysis.full_clean(validate_constraints=False)
    if EnvironmentAnalysis.objects.filter(unit=unit, year=analysis.year, kind=analysis.kind).exists():
        raise _duplicate_error()
    try:
        with transaction.atomic():
            analysis.save()
    except IntegrityError as exc:  # a second click that passed the check at the same moment
        raise _duplicate_error() from exc
    if copy_previous and previous_of(analysis) is not None:
        analysis_copy_previous(user=user, analysis=analysis)
    return analysis


@transaction.atomic
def analysis_update(*, user, analysis: EnvironmentAnalysis, data: dict) -> EnvironmentAnalysis:
    _require(user, analysis.unit)
    analysis.title = data.get("title", analysis.title)
    analysis.summary = data.get("summary", analysis.summary)
    analysis.full_clean()
    analysis.save(update_fields=["title", "summary", "updated_at"])
    return analysis


@transaction.atomic
def analysis_delete(*, user, analysis: EnvironmentAnalysis) -> None:
    _require(user, analysis.unit)
    analysis.delete()


@transaction.atomic
def analysis_copy_previous(*, user, analysis: EnvironmentAnalysis) -> int:
    """Copy the items of last year's analysis (same unit and kind) into this one; answers how many.

    Only into an analysis without items, so a second click copies nothing twice.
    """
    _require(user, analysis.unit)
    analysis = EnvironmentAnalysis.objects.select_for_update().get(pk=analysis.pk)
    previous = previous_of(analysis)
    if previous is None:
        raise ValidationError(_("There is no analysis of the previous year to copy."))
    if analysis.items.exists():
        raise ValidationError(_("The analysis already has items: nothing was copied."))
    copies = [
        AnalysisItem(
            analysis=analysis,
            quadrant=item.quadrant,
            text=item.text,
            weight=item.weight,
            evidence=item.evidence,
            indicator_code=item.indicator_code,
            indicator_year=item.indicator_year,
            survey_id=item.survey_id,
            order=item.order,
            copied_from=item,
        )
        for item in previous.items.order_by("quadrant", "order", "id")
    ]
    AnalysisItem.objects.bulk_create(copies)
    return len(copies)


ITEM_FIELDS = ("quadrant", "text", "weight", "evidence", "indicator_code", "indicator_year", "survey")


@transaction.atomic
def item_save(*, user, analysis: EnvironmentAnalysis, data: dict, item: AnalysisItem | None = None):
    _require(user, analysis.unit)
    if item is None:
        item = AnalysisItem(analysis=analysis)
        quadrant = data.get("quadrant")
        last = analysis.items.filter(quadrant=quadrant).aggregate(last=Max("order"))["last"]
        item.order = (last or 0) + 1
    elif item.analysis_id != analysis.pk:
        raise PermissionDenied
    for name in ITEM_FIELDS:
        if name in data:
            value = data[name]
            if name == "indicator_code":
                value = (value or "").strip()
            setattr(item, name, value)
    if item.quadrant not in quadrant_codes(analysis.kind):
        raise ValidationError({"quadrant": _("Choose one of the quadrants of the analysis.")})
    if item.indicator_code:
        from metodist.reporting.models import Indicator

        if not Indicator.objects.filter(code=item.indicator_code).exists():
            raise ValidationError({"indicator_code": _("There is no indicator with this code.")})
    item.full_clean(exclude=["analysis", "copied_from"])
    item.save()
    EnvironmentAnalysis.objects.filter(pk=analysis.pk).update(updated_at=timezone.now())
    return item


@transaction.atomic
def item_delete(*, user, item: AnalysisItem) -> None:
    _require(user, item.analysis.unit)
    item.delete()


# --- the comparison with the previous year ---------------------------------------------------------------

ADDED, REMOVED, HEAVIER, LIGHTER, SAME = "added", "removed", "heavier", "lighter", "same"


@dataclass
class ComparedItem:
    status: str
    text: str
    weight: int | None  # this year
    previous_weight: int | None

    @property
    def change(self) -> int | None:
        if self.weight is None or self.previous_weight is None:
            return None
        return self.weight - self.previous_weight


@dataclass
class ComparedQuadrant:
    code: str
    name: str
    rows: list[ComparedItem]
    weight: int = 0
    previous_weight: int = 0

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def added(self) -> int:
        return self.count(ADDED)

    @property
    def removed(self) -> int:
        return self.count(REMOVED)

    @property
    def changed(self) -> int:
        return self.count(HEAVIER) + self.count(LIGHTER)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def comparison(analysis: EnvironmentAnalysis, previous: EnvironmentAnalysis | None = None):
    """Each quadrant's items of this year against last year's: matched by the item they were copied from,
    else by the same text; unmatched ones are added (this year) or removed (last year)."""
    previous = previous if previous is not None else previous_of(analysis)
    if previous is None:
        return None
    now_items = list(analysis.items.order_by("quadrant", "order", "id"))
    before_items = list(previous.items.order_by("quadrant", "order", "id"))
    quadrants = []
    for code, name, _hint in analysis.quadrants:
        now = [i for i in now_items if i.quadrant == code]
        before = [i for i in before_items if i.quadrant == code]
        unmatched = {i.pk: i for i in before}
        by_text = {}
        for i in before:
            by_text.setdefault(_norm(i.text), i)
        rows = []
        for item in now:
            match = unmatched.get(item.copied_from_id) if item.copied_from_id else None
            if match is None:
                candidate = by_text.get(_norm(item.text))
                match = candidate if candidate is not None and candidate.pk in unmatched else None
            if match is None:
                rows.append(ComparedItem(ADDED, item.text, item.weight, None))
                continue
            del unmatched[match.pk]
            if item.weight > match.weight:
                status = HEAVIER
            elif item.weight < match.weight:
                status = LIGHTER
            else:
                status = SAME
            rows.append(ComparedItem(status, item.text, item.weight, match.weight))
        rows.extend(ComparedItem(REMOVED, i.text, None, i.weight) for i in unmatched.values())
        quadrants.append(
            ComparedQuadrant(
                code,
                str(name),
                rows,
                weight=sum(i.weight for i in now),
                previous_weight=sum(i.weight for i in before),
            )
        )
    return previous, quadrants


# --- the one-page PDF -----------------------------------------------------------------------------------


def _lines(quadrants: list[Quadrant], size: float, limit: int) -> float:
    per_line = 52 * 10 / size  # characters of a line of a quarter of the page
    return max(
        (
            sum(
                math.ceil((min(len(item.text), limit) + 6) / per_line)
                + 1.2 * len(getattr(item, "figures", []))
                for item in quadrant.items
            )
            for quadrant in quadrants
        ),
        default=0,
    )


def pdf_fit(quadrants: list[Quadrant]) -> tuple[float, int]:
    """(points, characters kept of each item's text) so that the fullest quadrant fits its quarter of an A4
    page: about 13 lines of 52 characters at 10 pt, both growing as the size shrinks; long texts are cut
    only when even the smallest size is not enough. (The quarters also hide what overflows.)"""
    for limit in PDF_TEXT_LIMITS:
        size = 10.0
        while size >= 5.0:
            if _lines(quadrants, size, limit) <= 13 * 10 / size:
                return size, limit
            size -= 0.5
    return 5.0, PDF_TEXT_LIMITS[-1]


def analysis_pdf(analysis: EnvironmentAnalysis) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango costs time every page does not need

    quadrants = grid(analysis)
    font_size, limit = pdf_fit(quadrants)
    for quadrant in quadrants:
        for item in quadrant.items:
            item.short_text = item.text if len(item.text) <= limit else item.text[: limit - 1].rstrip() + "…"
    html = render_to_string(
        "marketing/environment/analysis_pdf.html",
        {
            "analysis": analysis,
            "rows": [quadrants[0:2], quadrants[2:4]],
            "font_size": f"{font_size:.1f}",  # CSS wants a point, whatever the language
            "summary_limit": 600 if font_size >= 8 else 250,
            "today": timezone.localdate(),
        },
    )
    return HTML(string=html).write_pdf()
