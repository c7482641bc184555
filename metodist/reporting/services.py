"""Writes of reporting: opening a report, saving values (with optimistic concurrency), the workflow.

    report = open_report(user=u, form=form, unit=mukur_oc, period=Period.parse("2026-W07"))
    save_values(user=u, report=report, values={"visitors": "57", "users.children": 12}, version=1)
    submit(user=u, report=report)               # errors block; warnings need `comment`
    accept(user=methodologist, report=report)   # or return_report(..., comment="…")

Every write checks scope and capability, runs in a transaction, and leaves history (django-simple-history
on `Report` and `Value`).
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from metodist.core import scope
from metodist.network.models import OrgUnit
from metodist.reporting import rules
from metodist.reporting.models import (
    FormField,
    Indicator,
    Report,
    ReportForm,
    ReportStatus,
    Severity,
    ValidationRule,
    Value,
    ValueType,
)
from metodist.reporting.periods import Period
from metodist.reporting.selectors import ENTER, REVIEW, forms_for_unit

_MAX_NUMBER = Decimal("1e15")


class ConflictError(Exception):
    """Someone saved the report since this person loaded it: `conflicts` maps each key to both values."""

    def __init__(self, conflicts: dict[str, dict], version: int):
        super().__init__(_("Someone else has changed this report in the meantime."))
        self.conflicts = conflicts
        self.version = version


# --- checks ---------------------------------------------------------------------------------------------


def period_closed(form: ReportForm, period: Period) -> bool:
    return bool(form.entry_closed_before and period.end < form.entry_closed_before)


def parse_value(indicator: Indicator, raw) -> tuple[Decimal | None, str]:
    """A typed value from what a person typed (or a cell held): (number, text). Raises ValidationError."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, ""
    if indicator.value_type == ValueType.TEXT:
        return None, str(raw).strip()[:5000]
    if indicator.value_type == ValueType.BOOLEAN:
        if isinstance(raw, bool):
            return Decimal(int(raw)), ""
        word = str(raw).strip().lower()
        if word in {"1", "да", "иә", "yes", "true", "y", "+"}:
            return Decimal(1), ""
        if word in {"0", "нет", "жоқ", "no", "false", "n", "-"}:
            return Decimal(0), ""
        raise ValidationError(_("Answer yes or no."), code="boolean")
    if isinstance(raw, bool):
        raise ValidationError(_("Not a number."), code="number")
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(_("Not a number."), code="number") from exc
    if not number.is_finite() or abs(number) >= _MAX_NUMBER:
        raise ValidationError(_("The number is too large."), code="number")
    if indicator.value_type == ValueType.INTEGER and number != number.to_integral_value():
        raise ValidationError(_("A whole number is expected."), code="integer")
    if number < 0 and not indicator.allow_negative:
        raise ValidationError(_("The value cannot be negative."), code="negative")
    return number, ""


@dataclass
class FieldSpec:
    """One input of a form: an indicator, or one part of a split indicator."""

    key: str
    indicator: Indicator
    category_id: int | None
    required: bool


def field_specs(report_or_version) -> dict[str, FieldSpec]:
    version = getattr(report_or_version, "form_version", report_or_version)
    specs: dict[str, FieldSpec] = {}
    for form_field in version.fields_in_order().prefetch_related("indicator__category_set__categories"):
        indicator = form_field.indicator
        if indicator.category_set_id:
            for category in indicator.category_set.categories.all():
                key = f"{indicator.code}.{category.code}"
                specs[key] = FieldSpec(key, indicator, category.pk, form_field.required)
        else:
            specs[indicator.code] = FieldSpec(indicator.code, indicator, None, form_field.required)
    return specs


def values_of(report: Report) -> dict[str, Decimal | str | None]:
    """The report's values by key (`code`, `code.part`), with the totals of split indicators."""
    return _values_by_report([report.pk])[report.pk]


def _add_value(result: dict, value: Value) -> None:
    key = value.indicator.code if value.category is None else f"{value.indicator.code}.{value.category.code}"
    result[key] = value.number if value.indicator.value_type != ValueType.TEXT else value.text
    if value.category is not None and value.number is not None:
        result[value.indicator.code] = (result.get(value.indicator.code) or Decimal(0)) + value.number


# --- opening and saving -----------------------------------------------------------------------------------


def _due(form: ReportForm, period: Period) -> datetime.date:
    return period.deadline(form.deadline_days)


@transaction.atomic
def open_report(*, user, form: ReportForm, unit: OrgUnit, period: Period) -> Report:
    """The report of the unit for the period, created as a draft on first use."""
    if not (scope.covers(user, unit, ENTER) or scope.covers(user, unit, REVIEW)):
        raise PermissionDenied(_("You cannot fill in reports of “%(unit)s”.") % {"unit": unit.name})
    if period.type != form.period_type:
        raise ValidationError(
            _("The form “%(form)s” is reported by %(type)s.")
            % {"form": form.name, "type": form.get_period_type_display()}
        )
    report = Report.objects.filter(form=form, unit=unit, period_start=period.start).first()
    if report is not None:
        return report
    if not form.is_open:
        raise ValidationError(_("The form “%(form)s” is closed for entry.") % {"form": form.name})
    if period_closed(form, period):
        raise ValidationError(_("The period %(period)s is closed.") % {"period": period.label()})
    if period.start > timezone.localdate():
        raise ValidationError(_("The period %(period)s has not begun yet.") % {"period": period.label()})
    if not forms_for_unit(unit).filter(pk=form.pk).exists():
        raise ValidationError(
            _("“%(unit)s” does not report on the form “%(form)s”.") % {"unit": unit.name, "form": form.name}
        )
    version = form.current_version()
    if version is None:
        raise ValidationError(_("The form “%(form)s” has no fields yet.") % {"form": form.name})
    report, _created = Report.objects.get_or_create(
        form=form,
        unit=unit,
        period_start=period.start,
        defaults={
            "form_version": version,
            "period_type": period.type,
            "period_end": period.end,
            "ref_date": period.ref_date,
            "due": _due(form, period),
            "created_by": user if getattr(user, "is_authenticated", False) else None,
        },
    )
    return report


def can_edit(user, report: Report) -> bool:
    if report.is_locked or period_closed(report.form, report.period):
        return False
    return scope.covers(user, report.unit, ENTER) or scope.covers(user, report.unit, REVIEW)


def _require_editable(user, report: Report) -> None:
    if not (scope.covers(user, report.unit, ENTER) or scope.covers(user, report.unit, REVIEW)):
        raise PermissionDenied(_("You cannot fill in reports of “%(unit)s”.") % {"unit": report.unit.name})
    if report.status == ReportStatus.ACCEPTED:
        raise ValidationError(_("The report is accepted and locked; a methodologist can reopen it."))
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError(_("The report is submitted; it can be changed after it is returned."))
    if period_closed(report.form, report.period):
        raise ValidationError(_("The period %(period)s is closed.") % {"period": report.period.label()})


def _same(a, b) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except InvalidOperation:
            return False
    return str(a) == str(b)


@transaction.atomic
def save_values(
    *,
    user,
    report: Report,
    values: dict,
    version: int | None = None,
    expected: dict | None = None,
    comments: dict | None = None,
) -> Report:
    """Write values (keys `code` or `code.part`; an empty value deletes it) and bump the report's version.

    Concurrency: with `expected` (the values the person saw) only keys whose stored value changed
    since conflict; with `version` alone, any save made since conflicts on the keys being written.
    Either way a conflict raises ConflictError naming both values and writes nothing.
    A ValidationError maps each wrong key to its message; nothing is written then either.
    """
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require_editable(user, report)
    specs = field_specs(report)
    comments = comments or {}
    errors: dict[str, str] = {}
    parsed: dict[str, tuple[Decimal | None, str]] = {}
    for key, raw in values.items():
        spec = specs.get(key)
        if spec is None:
            errors[key] = _("This form has no field “%(key)s”.") % {"key": key}
            continue
        try:
            parsed[key] = parse_value(spec.indicator, raw)
        except ValidationError as exc:
            errors[key] = exc.messages[0]
    for key in comments:
        if key not in specs:
            errors[key] = _("This form has no field “%(key)s”.") % {"key": key}
    if errors:
        raise ValidationError(errors)

    current = values_of(report)
    conflicts = {}
    if expected is not None:
        for key, seen in expected.items():
            if key in parsed and not _same(current.get(key), seen):
                conflicts[key] = {"yours": values[key], "theirs": current.get(key)}
    elif version is not None and version != report.version:
        for key in parsed:
            new_number, new_text = parsed[key]
            if not _same(current.get(key), new_number if new_text == "" else new_text):
                conflicts[key] = {"yours": values[key], "theirs": current.get(key)}
    if conflicts:
        raise ConflictError(conflicts, report.version)

    stored = {(v.indicator_id, v.category_id): v for v in report.values.all()}
    who = user if getattr(user, "is_authenticated", False) else None
    for key in set(parsed) | set(comments):
        spec = specs[key]
        existing = stored.get((spec.indicator.pk, spec.category_id))
        number, text = parsed.get(key, (existing.number, existing.text) if existing else (None, ""))
        comment = comments.get(key, existing.comment if existing else "").strip()
        if number is None and text == "" and not comment:
            if existing is not None:
                existing.delete()
            continue
        if existing is None:
            Value.objects.create(
                report=report,
                indicator=spec.indicator,
                category_id=spec.category_id,
                unit=report.unit,
                unit_path=report.unit.path,
                ref_date=report.ref_date,
                period_type=report.period_type,
                number=number,
                text=text,
                comment=comment,
                updated_by=who,
            )
        elif (existing.number, existing.text, existing.comment) != (number, text, comment):
            existing.number, existing.text, existing.comment, existing.updated_by = number, text, comment, who
            existing.save()
    report.version += 1
    report.save(update_fields=["version", "updated_at"])
    return report


# --- checking ---------------------------------------------------------------------------------------------


@dataclass
class Issue:
    severity: str
    message: str
    keys: list[str] = field(default_factory=list)
    detail: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


def _format(number) -> str:
    from django.utils.formats import number_format

    if number is None:
        return "—"
    number = Decimal(number).normalize()
    return number_format(number, decimal_pos=None, use_l10n=True, force_grouping=True)


def check_report(report: Report) -> list[Issue]:
    """Everything wrong or strange in the report: missing required values, broken rules, values far
    from the unit's own history, and carried-over values that differ from the last period's."""
    return check_reports([report])[report.pk]


def check_reports(reports: list[Report]) -> dict[int, list[Issue]]:
    """`check_report` for many reports at once (the acceptance queue) in a fixed number of queries,
    whatever their count: each thing it reads is read once for all of them."""
    reports = list(reports)
    if not reports:
        return {}
    values = _values_by_report([r.pk for r in reports])
    versions = {r.form_version_id: r.form_version for r in reports}
    specs = {version_id: field_specs(version) for version_id, version in versions.items()}
    form_rules: dict[int, list] = {}
    for rule in ValidationRule.objects.filter(form_id__in={r.form_id for r in reports}, is_active=True):
        form_rules.setdefault(rule.form_id, []).append(rule)
    outliers = _outliers(reports, values)
    carried = _carry_over(reports, values)
    result: dict[int, list[Issue]] = {}
    for report in reports:
        own = values.get(report.pk, {})
        issues: list[Issue] = []
        missing = [
            key
            for key, spec in specs[report.form_version_id].items()
            if spec.required and own.get(key) in (None, "")
        ]
        if missing:
            issues.append(Issue(Severity.ERROR, _("Fill in every required field."), missing))
        for rule in form_rules.get(report.form_id, []):
            if rules.evaluate(rule.expression, own) is False:
                left, right = rules.sides(rule.expression, own)
                issues.append(
                    Issue(
                        rule.severity,
                        rule.message,
                        sorted(rules.names(rule.expression)),
                        f"{rule.expression}: {_format(left)} / {_format(right)}",
                    )
                )
        issues.extend(outliers.get(report.pk, []))
        issues.extend(carried.get(report.pk, []))
        result[report.pk] = issues
    return result


def _values_by_report(report_ids) -> dict[int, dict[str, Decimal | str | None]]:
    """`values_of` for many reports in one query."""
    result: dict[int, dict] = {pk: {} for pk in report_ids}
    rows = Value.objects.filter(report_id__in=report_ids).select_related("indicator", "category")
    for value in rows.order_by("report_id", "id"):
        _add_value(result[value.report_id], value)
    return result


# How far back the outlier check looks: the last `outlier_window` values found within this many times as
# many periods (a unit that skipped periods still has a history; one silent for years has none).
OUTLIER_LOOKBACK = 2


def _outliers(reports: list[Report], values: dict[int, dict]) -> dict[int, list[Issue]]:
    """Values more than `outlier_factor` times the median of the unit's last `outlier_window` values,
    for every report whose form sets both; one query for the history of all of them."""
    checked = [r for r in reports if r.form.outlier_factor and r.form.outlier_window]
    if not checked:
        return {}
    earliest = {r.pk: r.period.shift(-r.form.outlier_window * OUTLIER_LOOKBACK).start for r in checked}
    since = min(earliest.values())
    # The earlier reports first, then their values: joined in one query, PostgreSQL would hash every
    # report of the forms to find the few hundred of these units.
    earlier = {
        pk: (unit_id, form_id)
        for pk, unit_id, form_id in Report.objects.filter(
            form_id__in={r.form_id for r in checked},
            unit_id__in={r.unit_id for r in checked},
            ref_date__gte=since,
            ref_date__lt=max(r.ref_date for r in checked),
        )
        .order_by()
        .values_list("pk", "unit_id", "form_id")
    }
    history = (
        Value.objects.filter(report_id__in=list(earlier), category__isnull=True, number__isnull=False)
        .order_by("-ref_date", "id")
        .values_list("report_id", "ref_date", "indicator__code", "number")
    )
    by_unit_form: dict[tuple[int, int], list[tuple]] = {}
    for report_id, ref_date, code, number in history if earlier else ():
        by_unit_form.setdefault(earlier[report_id], []).append((ref_date, code, number))
    result: dict[int, list[Issue]] = {}
    for report in checked:
        form = report.form
        start = earliest[report.pk]
        window: dict[str, list[Decimal]] = {}
        for ref_date, code, number in by_unit_form.get((report.unit_id, report.form_id), []):
            if start <= ref_date < report.ref_date:
                bucket = window.setdefault(code, [])
                if len(bucket) < form.outlier_window:
                    bucket.append(number)
        own = values.get(report.pk, {})
        for code, past in window.items():
            current = own.get(code)
            if not isinstance(current, Decimal) or len(past) < 3:
                continue
            median = Decimal(statistics.median(past))
            if median > 0 and current > median * form.outlier_factor:
                result.setdefault(report.pk, []).append(
                    Issue(
                        Severity.WARNING,
                        _("%(value)s is more than %(factor)s times the usual %(median)s for this unit.")
                        % {
                            "value": _format(current),
                            "factor": _format(form.outlier_factor),
                            "median": _format(median),
                        },
                        [code],
                    )
                )
    return result


def _carry_over(reports: list[Report], values: dict[int, dict]) -> dict[int, list[Issue]]:
    """Carried-over values (this period's opening stock) that differ from the previous period's source
    value (the closing stock): three queries for all the reports."""
    carried: dict[int, list[FormField]] = {}
    for form_field in FormField.objects.filter(
        section__version_id__in={r.form_version_id for r in reports}, carry_from__isnull=False
    ).select_related("indicator", "carry_from", "section"):
        carried.setdefault(form_field.section.version_id, []).append(form_field)
    concerned = [r for r in reports if r.form_version_id in carried]
    if not concerned:
        return {}
    wanted = Q()
    for report in concerned:
        wanted |= Q(
            form_id=report.form_id, unit_id=report.unit_id, period_start=report.period.previous().start
        )
    previous = {(r.form_id, r.unit_id, r.period_start): r for r in Report.objects.filter(wanted)}
    previous_values = _values_by_report([r.pk for r in previous.values()])
    result: dict[int, list[Issue]] = {}
    for report in concerned:
        before_report = previous.get((report.form_id, report.unit_id, report.period.previous().start))
        if before_report is None:
            continue
        own, before_values = values.get(report.pk, {}), previous_values[before_report.pk]
        for form_field in carried[report.form_version_id]:
            now = own.get(form_field.indicator.code)
            before = before_values.get(form_field.carry_from.code)
            if now is not None and before is not None and not _same(now, before):
                result.setdefault(report.pk, []).append(
                    Issue(
                        Severity.ERROR,
                        _(
                            "%(field)s (%(now)s) must equal %(before)s, the value of “%(source)s” "
                            "in %(period)s."
                        )
                        % {
                            "field": form_field.indicator.name,
                            "now": _format(now),
                            "before": _format(before),
                            "source": form_field.carry_from.name,
                            "period": before_report.period.label(),
                        },
                        [form_field.indicator.code],
                    )
                )
    return result


# --- the workflow -----------------------------------------------------------------------------------------


@transaction.atomic
def submit(*, user, report: Report, comment: str = "") -> list[Issue]:
    """Submit for acceptance. Errors block it; warnings need an explanation. Answers the warnings."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require_editable(user, report)
    issues = check_report(report)
    errors = [issue for issue in issues if issue.is_error]
    if errors:
        raise ValidationError([issue.message for issue in errors], code="rules")
    warnings = [issue for issue in issues if not issue.is_error]
    if warnings and not comment.strip():
        raise ValidationError(_("Explain the warnings before you submit."), code="warnings")
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = user
    report.submit_comment = comment.strip()
    report._change_reason = pgettext("report history", "submitted")
    report.save()
    return warnings


def _require_review(user, report: Report) -> None:
    if not scope.covers(user, report.unit, REVIEW):
        raise PermissionDenied(
            _("You cannot accept or return reports of “%(unit)s”.") % {"unit": report.unit.name}
        )


@transaction.atomic
def accept(*, user, report: Report) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require_review(user, report)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."))
    report.status = ReportStatus.ACCEPTED
    report.reviewed_at, report.reviewed_by = timezone.now(), user
    report.review_comment = ""
    report._change_reason = pgettext("report history", "accepted")
    report.save()
    return report


@transaction.atomic
def return_report(*, user, report: Report, comment: str) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require_review(user, report)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    if not comment.strip():
        raise ValidationError(_("Say what must be fixed."))
    report.status = ReportStatus.RETURNED
    report.reviewed_at, report.reviewed_by = timezone.now(), user
    report.review_comment = comment.strip()
    report._change_reason = pgettext("report history", "returned: %(comment)s") % {
        "comment": comment.strip()[:80]
    }
    report.save()
    return report


@transaction.atomic
def reopen(*, user, report: Report, reason: str) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require_review(user, report)
    if report.status != ReportStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted report can be reopened."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening."))
    report.status = ReportStatus.RETURNED
    report.reviewed_at, report.reviewed_by = timezone.now(), user
    report.review_comment = reason.strip()
    report._change_reason = pgettext("report history", "reopened: %(reason)s") % {
        "reason": reason.strip()[:80]
    }
    report.save()
    return report
