"""Reads of reporting: reports in the user's scope, who must report, and the roll-ups.

Roll-ups read `Value` alone (it carries the unit path and the reference day of its report): one
indicator, a subtree as a range of paths, a range of days, grouped by a prefix of the path (the child
units of the subtree) and/or by a truncation of the day (month, quarter, year) — all in SQL.

A subtree is selected as `path >= prefix AND path < next(prefix)` rather than `LIKE 'prefix%'`: a range
uses the b-tree index on every database and collation (PostgreSQL's LIKE needs the C collation to).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Substr, TruncMonth, TruncQuarter, TruncYear
from django.http import Http404

from metodist.core import scope
from metodist.network.models import OrgUnit, UnitKind
from metodist.reporting.models import (
    Aggregation,
    Category,
    FormAssignment,
    Indicator,
    Report,
    ReportForm,
    Value,
)
from metodist.reporting.periods import Period, PeriodType

ENTER = "enter_reports"
REVIEW = "review_reports"
MANAGE_FORMS = "manage_forms"


def path_range(prefix: str) -> tuple[str, str]:
    """The [low, high) range of paths of a subtree, for raw SQL (see `scope.subtree_bounds`)."""
    low, high = scope.subtree_bounds(prefix)
    if high is None:  # a subtree at the very end of the tree: no path sorts after it
        raise ValueError(f"no path follows the subtree {prefix}")
    return low, high


def in_subtree(field: str, prefix: str) -> Q:
    return scope.subtree_q(field, prefix)


# --- reports ---------------------------------------------------------------------------------------------


def reports_visible(user, capability: str = scope.VIEW) -> QuerySet:
    return scope.records(
        user, Report.objects.select_related("form", "unit", "form_version"), capability, unit_field="unit"
    )


def get_report_or_404(user, pk, capability: str = scope.VIEW) -> Report:
    try:
        return reports_visible(user, capability).get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def forms_for_unit(unit: OrgUnit) -> QuerySet:
    """The forms a unit must report on: an assignment's unit is the unit itself or an ancestor, and the
    unit's kind is among the assignment's kinds (no kinds: the assigned unit alone)."""
    ancestors = [unit.path[:end] for end in range(OrgUnit.steplen, len(unit.path) + 1, OrgUnit.steplen)]
    assignments = FormAssignment.objects.filter(unit__path__in=ancestors).select_related("unit")
    form_ids = {
        a.form_id
        for a in assignments
        if (a.kinds and unit.kind in a.kinds) or (not a.kinds and a.unit_id == unit.pk)
    }
    return ReportForm.objects.filter(pk__in=form_ids)


def forms_for_units(units: Iterable[OrgUnit], **filters) -> dict[int, list[ReportForm]]:
    """`forms_for_unit` of many units at once, in two queries: unit id → its forms (by order, code)."""
    units = list(units)
    ancestors = {
        unit.pk: {unit.path[:end] for end in range(OrgUnit.steplen, len(unit.path) + 1, OrgUnit.steplen)}
        for unit in units
    }
    paths = set().union(*ancestors.values()) if units else set()
    assignments = list(FormAssignment.objects.filter(unit__path__in=paths).select_related("unit"))
    forms = {
        form.pk: form
        for form in ReportForm.objects.filter(pk__in={a.form_id for a in assignments}, **filters).order_by(
            "order", "code"
        )
    }
    found: dict[int, list[ReportForm]] = {}
    for unit in units:
        ids = {
            a.form_id
            for a in assignments
            if a.unit.path in ancestors[unit.pk]
            and ((a.kinds and unit.kind in a.kinds) or (not a.kinds and a.unit_id == unit.pk))
        }
        found[unit.pk] = [form for pk, form in forms.items() if pk in ids]
    return found


def expected_units(form: ReportForm, period: Period, under: OrgUnit | None = None) -> QuerySet:
    """Units that must report `form` for `period`: assigned, under `under`, open during the period."""
    condition = Q(pk__in=[])
    for assignment in form.assignments.select_related("unit"):
        if assignment.kinds:
            condition |= in_subtree("path", assignment.unit.path) & Q(kind__in=assignment.kinds)
        else:
            condition |= Q(pk=assignment.unit_id)
    units = OrgUnit.objects.filter(condition)
    if under is not None:
        units = units.filter(in_subtree("path", under.path))
    return (
        units.filter(
            Q(opened_on__isnull=True) | Q(opened_on__lte=period.end),
            Q(closed_on__isnull=True) | Q(closed_on__gte=period.start),
        )
        .filter(Q(archived_at__isnull=True) | Q(reports__form=form, reports__period_start=period.start))
        .distinct()
    )


# --- roll-ups ---------------------------------------------------------------------------------------------

_TRUNC = {
    PeriodType.MONTH: TruncMonth,
    PeriodType.QUARTER: TruncQuarter,
    PeriodType.YEAR: TruncYear,
}
_AGGREGATE = {
    Aggregation.SUM: Sum,
    Aggregation.AVERAGE: Avg,
    Aggregation.MIN: Min,
    Aggregation.MAX: Max,
    Aggregation.LAST: Sum,  # over units, after taking each unit's last period
}


@dataclass(frozen=True)
class RollupRow:
    unit_path: str | None
    period_start: datetime.date | None
    value: Decimal | None


def _number(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def rollup(
    indicator: Indicator,
    *,
    under: OrgUnit,
    first: datetime.date,
    last: datetime.date,
    by_unit: bool = False,
    by_period: str | None = None,
    category: Category | None = None,
    paths: Iterable[str] | None = None,
) -> list[RollupRow]:
    """Roll `indicator` (or one part of it) up over the subtree of `under` and the days [first, last].

    by_unit groups by the children of `under` (their path prefix); by_period ("month", "quarter",
    "year") by the period the reference day falls in. The roll-up rule of the indicator applies:
    sum/avg/min/max over every value in a group; "last" takes each unit's value of its latest period
    in the group, then sums the units. A split indicator's total is the sum of its parts in each report
    first, so averages and "last" see report totals, not parts.
    """
    values = Value.objects.filter(
        in_subtree("unit_path", under.path),
        indicator=indicator,
        ref_date__gte=first,
        ref_date__lte=last,
        number__isnull=False,
    )
    if category is not None:
        values = values.filter(category=category)
    if paths is not None:
        values = values.filter(unit_path__in=list(paths))
    child_length = len(under.path) + OrgUnit.steplen
    group: list[str] = []
    annotations = {}
    if by_unit:
        annotations["group_path"] = Substr("unit_path", 1, child_length)
        group.append("group_path")
    if by_period:
        annotations["group_period"] = _TRUNC[by_period]("ref_date")
        group.append("group_period")

    rule = indicator.aggregation
    split = indicator.category_set_id is not None and category is None
    if rule == Aggregation.LAST:
        values = _last_per_unit(values, annotations, group)
    elif split and rule != Aggregation.SUM:
        # Totals per report first (a sum of parts), then the rule over report totals.
        values = values.values("report_id", *(["unit_path"] if by_unit else []), "ref_date").annotate(
            number_total=Sum("number")
        )
        return _rollup_report_totals(values, rule, by_unit, by_period, child_length)

    aggregate = _AGGREGATE[rule]("number")
    if not group:
        total = values.aggregate(value=aggregate)["value"]
        return [RollupRow(None, None, _number(total))] if total is not None else []
    query = values.annotate(**annotations).values(*group).annotate(value=aggregate).order_by(*group)
    return [
        RollupRow(row.get("group_path"), _as_date(row.get("group_period")), _number(row["value"]))
        for row in query
    ]


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _last_per_unit(values: QuerySet, annotations: dict, group: list[str]) -> QuerySet:
    """Keep, per unit (and period group), the values of the latest reference day."""
    latest = values.filter(unit_id=OuterRef("unit_id"))
    if "group_period" in annotations:
        latest = latest.annotate(group_period=annotations["group_period"]).filter(
            group_period=OuterRef("group_period")
        )
    latest = latest.order_by().values("unit_id").annotate(latest=Max("ref_date")).values("latest")
    values = values.annotate(**annotations)
    return values.filter(ref_date=Subquery(latest[:1]))


def _rollup_report_totals(values, rule, by_unit, by_period, child_length) -> list[RollupRow]:
    # Few groups and at most one row per report: this small second step runs in Python over report
    # totals that SQL already summed.
    groups: dict[tuple, list[Decimal]] = {}
    trunc = {PeriodType.MONTH: "month", PeriodType.QUARTER: "quarter", PeriodType.YEAR: "year"}
    for row in values:
        key_path = row["unit_path"][:child_length] if by_unit else None
        key_period = Period.containing(by_period, row["ref_date"]).start if by_period in trunc else None
        groups.setdefault((key_path, key_period), []).append(_number(row["number_total"]))
    rows = []
    for (key_path, key_period), numbers in sorted(
        groups.items(), key=lambda item: (item[0][0] or "", item[0][1] or datetime.date.min)
    ):
        if rule == Aggregation.AVERAGE:
            value = sum(numbers) / len(numbers)
        elif rule == Aggregation.MIN:
            value = min(numbers)
        else:
            value = max(numbers)
        rows.append(RollupRow(key_path, key_period, value))
    return rows


def population(under: OrgUnit, *, by_unit: bool = False) -> dict[str | None, int]:
    """Population served by the libraries of a subtree (for "per 1,000" and coverage), by child."""
    # Libraries only: territories and online centres repeat the population their libraries serve.
    units = OrgUnit.objects.filter(
        in_subtree("path", under.path), kind=UnitKind.LIBRARY, population_served__isnull=False
    ).order_by()
    if not by_unit:
        return {None: units.aggregate(total=Sum("population_served"))["total"] or 0}
    child_length = len(under.path) + OrgUnit.steplen
    rows = (
        units.annotate(group_path=Substr("path", 1, child_length))
        .values("group_path")
        .annotate(total=Sum("population_served"))
    )
    return {row["group_path"]: row["total"] or 0 for row in rows}


def report_counts(form: ReportForm, period: Period, under: OrgUnit) -> dict[str, int]:
    reports = Report.objects.filter(
        in_subtree("unit__path", under.path), form=form, period_start=period.start
    )
    return dict(reports.values_list("status").annotate(n=Count("id")).order_by())


def children_of(unit: OrgUnit) -> QuerySet:
    return OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path")
