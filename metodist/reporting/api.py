"""`/api/v1/report-forms`, `/api/v1/reports`, `/api/v1/values`: periodic reporting for scripts.

- **Report forms** are definitions, readable by every caller: each with its indicators in form order
  (of the current version), their parts and roll-up rules.
- **Reports** are read through `selectors.reports_visible` (a librarian sees her unit's reports, a
  methodologist her subtree's; out of scope is 404) and written only through `services`: `POST` opens
  the report of a (form, unit, period) — posting twice creates nothing twice (200 with the existing
  one); `PATCH` saves values with optimistic concurrency (`version` is the version the client read; a
  value someone else changed since answers 409 with both values and the current version); values the
  form refuses answer 422 naming each key (`values.<code>[.<part>]`); the workflow actions answer 403
  without the right and 400 when the report's status does not allow them.
- **Values** are roll-ups (`selectors.rollup`, one SQL query, plus one for the names of the groups): one
  indicator (or part) or a derived indicator (a ratio of two roll-ups, never a sum of ratios) over a
  subtree and a range of periods, grouped by the children of the subtree, by period, or both.

Periods are named by their codes in and out: `2026-W07`, `2026-03`, `2026-Q1`, `2026-H1`, `2026`.
"""

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from metodist.api.errors import ApiError, field_error
from metodist.api.pagination import Pagination
from metodist.api.schemas import ErrorOut, InputSchema, error_responses
from metodist.core import scope
from metodist.network.models import OrgUnit
from metodist.reporting import selectors, services
from metodist.reporting.analysis import derived_rollup
from metodist.reporting.models import (
    Aggregation,
    Category,
    DerivedIndicator,
    FormField,
    FormVersion,
    Indicator,
    Report,
    ReportForm,
    ReportStatus,
    ValueType,
)
from metodist.reporting.periods import Period, PeriodError, PeriodType

forms_router = Router(tags=["reporting"])
reports_router = Router(tags=["reporting"])
values_router = Router(tags=["reporting"])

Number = int | float
# Roll-ups group by these (selectors.rollup truncates the reference day to them).
GROUP_PERIOD_TYPES = [PeriodType.MONTH.value, PeriodType.QUARTER.value, PeriodType.YEAR.value]


def _choices(values: list[str]) -> dict[str, Any]:
    return {"json_schema_extra": {"enum": values}}


def _number(value: Decimal | str | None) -> Number | str | None:
    """A stored value for JSON: whole numbers as integers, others as decimals; text stays text."""
    if not isinstance(value, Decimal):
        return value
    if value == value.to_integral_value():
        return int(value)
    return float(value)


# --- schemas --------------------------------------------------------------------------------------------


class PartOut(Schema):
    code: str
    name: str


class FormIndicatorOut(Schema):
    code: str
    name: str
    value_type: str = Field(..., **_choices(ValueType.values))
    aggregation: str = Field(..., **_choices(Aggregation.values))
    measure: str
    parts: list[PartOut] = Field(..., description="The parts of a split indicator; its total is their sum.")
    section: str = Field(..., description="The section of the form the indicator is in.")
    required: bool


class ReportFormOut(Schema):
    code: str
    name: str
    description: str
    period_type: str = Field(..., **_choices(PeriodType.values))
    deadline_days: int = Field(..., description="The report is due this many days after the period ends.")
    is_open: bool
    version: int | None = Field(..., description="The number of the current version of the form.")
    indicators: list[FormIndicatorOut] = Field(..., description="In form order, of the current version.")

    @staticmethod
    def resolve_version(obj: ReportForm) -> int | None:
        return obj.current.number if obj.current else None

    @staticmethod
    def resolve_indicators(obj: ReportForm) -> list[dict]:
        return obj.indicator_rows


class ReportFormFilters(Schema):
    unit: int | None = Field(None, description="Only the forms this unit reports on.")


class ReportUnitOut(Schema):
    id: int
    code: str
    name: str


class ReportSummaryOut(Schema):
    id: int
    form: str = Field(..., description="The code of the form.")
    form_version: int = Field(..., description="The version of the form the report is filled in.")
    unit: ReportUnitOut
    period: str = Field(..., description="The period's code: 2026-W07, 2026-03, 2026-Q1, 2026-H1, 2026.")
    period_type: str = Field(..., **_choices(PeriodType.values))
    period_start: datetime.date
    period_end: datetime.date
    status: str = Field(..., **_choices(ReportStatus.values))
    version: int = Field(..., description="Send it back with PATCH: a save since then is a conflict.")
    due: datetime.date
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    review_comment: str = Field(..., description="Why the report was returned or reopened.")

    @staticmethod
    def resolve_form(obj: Report) -> str:
        return obj.form.code

    @staticmethod
    def resolve_form_version(obj: Report) -> int:
        return obj.form_version.number

    @staticmethod
    def resolve_unit(obj: Report) -> dict:
        return {"id": obj.unit_id, "code": obj.unit.code, "name": obj.unit.name}

    @staticmethod
    def resolve_period(obj: Report) -> str:
        return obj.period.code


class ReportIssueOut(Schema):
    severity: str = Field(..., **_choices(["error", "warning"]))
    message: str
    keys: list[str] = Field(..., description="The values concerned (`code` or `code.part`).")
    detail: str


class ReportDetailOut(ReportSummaryOut):
    values: dict[str, Number | str | None] = Field(
        ..., description="By `code` or `code.part`; a split indicator's total is under its code."
    )
    comments: dict[str, str] = Field(..., description="Comments on values, by key.")
    issues: list[ReportIssueOut] = Field(
        ..., description="Errors block submission; warnings need a comment when submitting."
    )
    can_edit: bool = Field(..., description="Whether the caller may change the values now.")

    @staticmethod
    def resolve_values(obj: Report) -> dict:
        return obj.api_values

    @staticmethod
    def resolve_comments(obj: Report) -> dict:
        return obj.api_comments

    @staticmethod
    def resolve_issues(obj: Report) -> list:
        return obj.api_issues

    @staticmethod
    def resolve_can_edit(obj: Report) -> bool:
        return obj.api_can_edit


class ReportFilters(Schema):
    form: str | None = Field(None, description="The code of a form.")
    unit: int | None = Field(None, description="Reports of this unit.")
    under: int | None = Field(None, description="Reports of this unit and the units below it.")
    period: str | None = Field(None, description="A period's code: 2026-W07, 2026-03, 2026-Q1…")
    status: ReportStatus | None = None


class ReportCreateIn(InputSchema):
    form: str = Field(..., description="The code of the form.")
    unit: int
    period: str = Field(..., description="The period's code: 2026-W07, 2026-03, 2026-Q1, 2026-H1, 2026.")


class ReportPatchIn(InputSchema):
    values: dict[str, Number | str | bool | None] = Field(
        default_factory=dict,
        description="By `code` or `code.part`; null or an empty string clears a value.",
    )
    comments: dict[str, str] = Field(default_factory=dict, description="Comments on values, by key.")
    version: int = Field(..., description="The report's version the client read.")


class ReportSubmitIn(InputSchema):
    comment: str = Field("", description="The explanation of the warnings, if there are any.")


class ReportReturnIn(InputSchema):
    comment: str = Field(..., description="What must be fixed.")


class ReportReopenIn(InputSchema):
    reason: str


class ConflictPairOut(Schema):
    yours: Any = Field(..., description="The value you sent.")
    theirs: Number | str | None = Field(..., description="The value saved by someone else meanwhile.")


class ConflictOut(ErrorOut):
    conflicts: dict[str, ConflictPairOut]
    version: int = Field(..., description="The report's current version: read it again, then resend.")


class ValueRowOut(Schema):
    unit: int = Field(..., description="The child unit of the group, or `under` when not grouped by unit.")
    unit_name: str
    period: str | None = Field(..., description="The period's code; null when not grouped by period.")
    value: Number | None
    numerator: Number | None = Field(None, description="For a derived indicator: the roll-up above.")
    denominator: Number | None = Field(
        None, description="For a derived indicator: the roll-up (or population) below."
    )


class ValueFilters(Schema):
    indicator: str | None = Field(None, description="An indicator's code, or `code.part` for one part.")
    derived: str | None = Field(None, description="A derived indicator's code (instead of `indicator`).")
    under: int | None = Field(
        None, description="The subtree; by default the top of the caller's scope (if it has one top)."
    )
    period_from: str = Field(..., description="The first period of the range: 2026-W07, 2026-03, 2026-Q1…")
    period_to: str | None = Field(None, description="The last period of the range; `period_from` if absent.")
    group_by: Literal["unit", "period", "unit,period", "period,unit"] | None = Field(
        None, description="Without it, one row for the whole subtree and range."
    )
    period_type: Literal["month", "quarter", "year"] | None = Field(
        None,
        description="The periods of `group_by=period`: by default the type of `period_from` (month for "
        "weeks and half-years).",
    )


# --- helpers --------------------------------------------------------------------------------------------


def _unit_or_404(user, pk: int, field: str) -> OrgUnit:
    try:
        return scope.get_unit_or_404(user, pk)
    except Http404 as exc:
        raise ApiError(404, _("The unit was not found."), field=field) from exc


def _period(code: str, field: str) -> Period:
    try:
        return Period.parse(code)
    except PeriodError as exc:
        raise ApiError(
            422,
            _("“%(code)s” is not a period: use 2026-W07, 2026-03, 2026-Q1, 2026-H1 or 2026.")
            % {"code": code},
            field=field,
        ) from exc


def _form_or_404(code: str, field: str = "form") -> ReportForm:
    form = ReportForm.objects.filter(code=code).first()
    if form is None:
        raise ApiError(404, _("The report form was not found."), field=field)
    return form


def _with_indicators(forms: list[ReportForm]) -> list[ReportForm]:
    """Attach to each form its current version and indicator rows: four queries for any number of forms."""
    current: dict[int, FormVersion] = {}
    for version in FormVersion.objects.filter(form__in=forms).order_by("form_id", "-number"):
        current.setdefault(version.form_id, version)
    fields = (
        FormField.objects.filter(section__version__in=current.values())
        .select_related("indicator", "section")
        .order_by("section__version_id", "section__order", "section_id", "order", "id")
    )
    set_ids = set()
    by_version: dict[int, list[FormField]] = {}
    for form_field in fields:
        by_version.setdefault(form_field.section.version_id, []).append(form_field)
        if form_field.indicator.category_set_id:
            set_ids.add(form_field.indicator.category_set_id)
    parts: dict[int, list[dict]] = {}
    for category in Category.objects.filter(category_set_id__in=set_ids).order_by("order", "id"):
        parts.setdefault(category.category_set_id, []).append({"code": category.code, "name": category.name})
    for form in forms:
        form.current = current.get(form.pk)
        form.indicator_rows = [
            {
                "code": f.indicator.code,
                "name": f.indicator.name,
                "value_type": f.indicator.value_type,
                "aggregation": f.indicator.aggregation,
                "measure": f.indicator.measure,
                "parts": parts.get(f.indicator.category_set_id, []),
                "section": f.section.name,
                "required": f.required,
            }
            for f in (by_version.get(form.current.pk, []) if form.current else [])
        ]
    return forms


def _detail(user, report_id: int) -> Report:
    """The report read (again, after a write), with its values, comments, issues and whether the caller
    may edit it."""
    report = selectors.get_report_or_404(user, report_id)
    report.api_values = {key: _number(value) for key, value in services.values_of(report).items()}
    commented = report.values.exclude(comment="").select_related("indicator", "category")
    report.api_comments = {
        (v.indicator.code if v.category is None else f"{v.indicator.code}.{v.category.code}"): v.comment
        for v in commented
    }
    report.api_issues = services.check_report(report)
    report.api_can_edit = services.can_edit(user, report)
    return report


# --- report forms ---------------------------------------------------------------------------------------


@forms_router.get("", response={200: list[ReportFormOut], **error_responses(404, 422)})
@paginate(Pagination)
def form_list(request: HttpRequest, filters: Query[ReportFormFilters]):
    """Every report form (or those a unit reports on), in their order, with the current indicators."""
    forms = ReportForm.objects.all()
    if filters.unit is not None:
        forms = selectors.forms_for_unit(_unit_or_404(request.user, filters.unit, "unit"))
    return _with_indicators(list(forms.order_by("order", "code")))


@forms_router.get("/{code}", response={200: ReportFormOut, **error_responses(404)})
def form_detail(request: HttpRequest, code: str):
    form = ReportForm.objects.filter(code=code).first()
    if form is None:
        raise Http404
    return _with_indicators([form])[0]


# --- reports --------------------------------------------------------------------------------------------


@reports_router.get("", response={200: list[ReportSummaryOut], **error_responses(404, 422)})
@paginate(Pagination)
def report_list(request: HttpRequest, filters: Query[ReportFilters]):
    """Reports the caller may see: the latest periods first, then in tree order."""
    user = request.user
    reports = selectors.reports_visible(user)
    if filters.form:
        reports = reports.filter(form=_form_or_404(filters.form))
    if filters.unit is not None:
        reports = reports.filter(unit=_unit_or_404(user, filters.unit, "unit"))
    if filters.under is not None:
        under = _unit_or_404(user, filters.under, "under")
        reports = reports.filter(selectors.in_subtree("unit__path", under.path))
    if filters.period:
        period = _period(filters.period, "period")
        reports = reports.filter(period_type=period.type, period_start=period.start)
    if filters.status:
        reports = reports.filter(status=filters.status)
    return reports.order_by("-period_start", "unit__path", "form__order", "form__code", "id")


@reports_router.get("/{int:report_id}", response={200: ReportDetailOut, **error_responses(404)})
def report_detail(request: HttpRequest, report_id: int):
    """The report with its values (`code`, `code.part`), comments and the issues found by the checks."""
    return _detail(request.user, report_id)


@reports_router.post(
    "", response={200: ReportDetailOut, 201: ReportDetailOut, **error_responses(400, 403, 404, 422)}
)
def report_open(request: HttpRequest, payload: ReportCreateIn):
    """Open the report of a unit for a period (a draft). If it exists already, answer it with 200.

    Needs `enter_reports` or `review_reports` on the unit; the unit must report on the form.
    """
    user = request.user
    form = _form_or_404(payload.form)
    unit = _unit_or_404(user, payload.unit, "unit")
    period = _period(payload.period, "period")
    existed = Report.objects.filter(form=form, unit=unit, period_start=period.start).exists()
    report = services.open_report(user=user, form=form, unit=unit, period=period)
    return Status(200 if existed else 201, _detail(user, report.pk))


def _key_field(key: str, payload: ReportPatchIn) -> str:
    return f"values.{key}" if key in payload.values or key not in payload.comments else f"comments.{key}"


@reports_router.patch(
    "/{int:report_id}",
    response={200: ReportDetailOut, **error_responses(400, 403, 404, 422), 409: ConflictOut},
)
def report_save(request: HttpRequest, report_id: int, payload: ReportPatchIn):
    """Save values (and comments) from `version`. A value someone else changed since then is a 409
    conflict naming both values; a value the form refuses is a 422 naming each key; nothing is written
    in either case."""
    user = request.user
    report = selectors.get_report_or_404(user, report_id)
    if payload.values or payload.comments:
        try:
            services.save_values(
                user=user,
                report=report,
                values=payload.values,
                version=payload.version,
                comments=payload.comments,
            )
        except services.ConflictError as exc:
            return Status(
                409,
                {
                    "detail": str(exc),
                    "errors": [
                        field_error(
                            f"values.{key}", _("Someone else has changed this value in the meantime.")
                        )
                        for key in exc.conflicts
                    ],
                    "conflicts": {
                        key: {"yours": pair["yours"], "theirs": _number(pair["theirs"])}
                        for key, pair in exc.conflicts.items()
                    },
                    "version": exc.version,
                },
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise  # the report cannot be changed now (submitted, accepted, period closed): 400
            errors = [
                field_error(_key_field(key, payload), message)
                for key, messages in exc.message_dict.items()
                for message in messages
            ]
            return Status(422, {"detail": _("Some values are not valid."), "errors": errors})
    return _detail(user, report.pk)


@reports_router.post(
    "/{int:report_id}/submit", response={200: ReportDetailOut, **error_responses(400, 403, 404, 422)}
)
def report_submit(request: HttpRequest, report_id: int, payload: ReportSubmitIn | None = None):
    """Submit for acceptance. Errors of the checks block it (400); warnings need `comment`."""
    report = selectors.get_report_or_404(request.user, report_id)
    services.submit(user=request.user, report=report, comment=payload.comment if payload else "")
    return _detail(request.user, report.pk)


@reports_router.post(
    "/{int:report_id}/accept", response={200: ReportDetailOut, **error_responses(400, 403, 404)}
)
def report_accept(request: HttpRequest, report_id: int):
    """Accept a submitted report: it is locked then. Needs `review_reports` on the unit."""
    report = selectors.get_report_or_404(request.user, report_id)
    services.accept(user=request.user, report=report)
    return _detail(request.user, report.pk)


@reports_router.post(
    "/{int:report_id}/return", response={200: ReportDetailOut, **error_responses(400, 403, 404, 422)}
)
def report_return(request: HttpRequest, report_id: int, payload: ReportReturnIn):
    """Return a submitted report to the unit with a comment saying what to fix. Needs `review_reports`."""
    report = selectors.get_report_or_404(request.user, report_id)
    services.return_report(user=request.user, report=report, comment=payload.comment)
    return _detail(request.user, report.pk)


@reports_router.post(
    "/{int:report_id}/reopen", response={200: ReportDetailOut, **error_responses(400, 403, 404, 422)}
)
def report_reopen(request: HttpRequest, report_id: int, payload: ReportReopenIn):
    """Reopen an accepted report for correction, with the reason. Needs `review_reports`."""
    report = selectors.get_report_or_404(request.user, report_id)
    services.reopen(user=request.user, report=report, reason=payload.reason)
    return _detail(request.user, report.pk)


# --- values ---------------------------------------------------------------------------------------------


def _scope_root(user, under: int | None) -> OrgUnit:
    """`under`, or the top of the caller's scope when there is exactly one."""
    if under is not None:
        return _unit_or_404(user, under, "under")
    roots = list(scope.roots(user)[:2])
    if not roots:
        raise ApiError(404, _("The unit was not found."), field="under")
    if len(roots) > 1:
        raise ApiError(
            422, _("You see several parts of the network: choose one with “under”."), field="under"
        )
    return roots[0]


def _indicator(code: str) -> tuple[Indicator, Category | None]:
    """The indicator named `code` or `code.part` (404 naming `indicator` when there is none)."""
    code, _dot, part = code.partition(".")
    indicator = Indicator.objects.filter(code=code).first()
    category = None
    if indicator is not None and part:
        category = (
            Category.objects.filter(category_set_id=indicator.category_set_id, code=part).first()
            if indicator.category_set_id
            else None
        )
        if category is None:
            indicator = None
    if indicator is None:
        raise ApiError(404, _("The indicator was not found."), field="indicator")
    if indicator.value_type == ValueType.TEXT:
        raise ValidationError(
            {"indicator": _("“%(code)s” holds text, which does not roll up.") % {"code": indicator.code}}
        )
    return indicator, category


Key = tuple[str | None, datetime.date | None]


def _rolled(indicator: Indicator, category: Category | None = None, **options) -> dict[Key, Decimal]:
    return {
        (row.unit_path, row.period_start): row.value
        for row in selectors.rollup(indicator, category=category, **options)
        if row.value is not None
    }


@values_router.get("", response={200: list[ValueRowOut], **error_responses(400, 404, 422)})
@paginate(Pagination)
def value_list(request: HttpRequest, filters: Query[ValueFilters]):
    """Roll an indicator (`code` or `code.part`) or a derived indicator up over a subtree and a range of
    periods, with the indicator's roll-up rule; values are selected by their period's reference day (a
    week's Thursday), so weeks fall into the month, quarter and year of their Thursday.

    `group_by=unit` groups by the children of `under`; `group_by=period` by month, quarter or year
    (`period_type`). Rows come in tree order, then in time order.
    """
    if bool(filters.indicator) == bool(filters.derived):
        raise ApiError(422, _("Give either “indicator” or “derived”."), field="indicator")
    first = _period(filters.period_from, "period_from")
    last = _period(filters.period_to, "period_to") if filters.period_to else first
    if last.end < first.start:
        raise ApiError(422, _("The range ends before it begins."), field="period_to")
    groups = set((filters.group_by or "").split(",")) - {""}
    period_type = None
    if "period" in groups:
        period_type = filters.period_type or (
            first.type if first.type in GROUP_PERIOD_TYPES else PeriodType.MONTH
        )
    user = request.user
    if filters.derived:
        derived = (
            DerivedIndicator.objects.select_related("numerator", "denominator")
            .filter(code=filters.derived)
            .first()
        )
        if derived is None:
            raise ApiError(404, _("The derived indicator was not found."), field="derived")
    else:
        indicator, category = _indicator(filters.indicator)
    under = _scope_root(user, filters.under)
    options = {
        "under": under,
        "first": first.start,
        "last": last.end,
        "by_unit": "unit" in groups,
        "by_period": period_type,
    }
    if filters.derived:
        rows = [
            {
                "path": row.unit_path,
                "start": row.period_start,
                "value": row.value,
                "numerator": _number(row.numerator),
                "denominator": _number(row.denominator),
            }
            for row in derived_rollup(derived, **options)
        ]
    else:
        rows = [
            {"path": path, "start": start, "value": value}
            for (path, start), value in _rolled(indicator, category, **options).items()
        ]
    return _named(rows, under, period_type)


def _named(rows: list[dict], under: OrgUnit, period_type: str | None) -> list[dict]:
    """The rows with their units' ids and names (one query for all the groups) and period codes."""
    paths = {row["path"] for row in rows if row["path"] is not None}
    units = {under.path: under}
    if paths - {under.path}:
        found = OrgUnit.objects.filter(path__in=paths - {under.path}).only(
            "pk", "path", "name_ru", "name_kk", "name_en"
        )
        units.update({unit.path: unit for unit in found})
    answer = []
    for row in rows:
        unit = units.get(row["path"] or under.path)
        if unit is None:  # a unit deleted since: its values cannot be named
            continue
        answer.append(
            {
                "unit": unit.pk,
                "unit_name": unit.name,
                "period": Period.containing(period_type, row["start"]).code if row["start"] else None,
                "value": _number(row["value"]),
                "numerator": row.get("numerator"),
                "denominator": row.get("denominator"),
            }
        )
    return answer
