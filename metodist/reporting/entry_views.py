"""Pages of data entry and acceptance: the user's reports, the entry form with per-field autosave, the
acceptance queue, and the workflow buttons (submit, accept, return, reopen).

Every lookup goes through `selectors.reports_visible` / `get_report_or_404` (out of scope: 404); every
write through `metodist.reporting.services`, which checks scope, capability and status again. A second
click on submit or accept finds the report already moved on and answers with a friendly note.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from metodist.core import scope
from metodist.network.models import OrgUnit
from metodist.reporting import services
from metodist.reporting.entry_forms import CellForm, QueueFilterForm, ReopenForm, ReturnForm, SubmitForm
from metodist.reporting.models import (
    FormAssignment,
    Indicator,
    Report,
    ReportForm,
    ReportStatus,
    Value,
    ValueType,
)
from metodist.reporting.periods import Period, PeriodError, PeriodType
from metodist.reporting.selectors import (
    ENTER,
    REVIEW,
    forms_for_units,
    get_report_or_404,
    in_subtree,
    reports_visible,
)

DETAIL = "reporting/entry/report_detail.html"
QUEUE = "reporting/entry/review_queue.html"
UNITS_PER_PAGE = 20
QUEUE_PAGE_SIZE = 25
QUEUE_PERIOD_CHOICES = 60
HISTORY_LIMIT = 100
ISSUE_FIELDS_SHOWN = 8
# How many periods "my reports" shows per form: the current one and the recent ones before it.
RECENT_PERIODS = {
    PeriodType.WEEK: 4,
    PeriodType.MONTH: 3,
    PeriodType.QUARTER: 2,
    PeriodType.HALF_YEAR: 2,
    PeriodType.YEAR: 2,
}
WAITING = (ReportStatus.DRAFT, ReportStatus.RETURNED)


# --- values as the person sees them -----------------------------------------------------------------------


def _plain(value) -> str:
    """A value as it goes into an input and comes back: no grouping, a dot for decimals."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _shown(value, indicator: Indicator) -> str:
    """A value formatted for reading in the active language; empty when there is none."""
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal):
        return str(value)
    if indicator.value_type == ValueType.BOOLEAN:
        return _("yes") if value else _("no")
    return number_format(value.normalize(), decimal_pos=None, use_l10n=True, force_grouping=True)


def _key(indicator_code: str, category_code: str | None) -> str:
    return indicator_code if category_code is None else f"{indicator_code}.{category_code}"


def _dom_id(key: str) -> str:
    return "cell-" + key.replace(".", "-")


@dataclass
class Cell:
    """One input of the entry form (an indicator, or one part of a split one) and its saving state."""

    key: str
    indicator: Indicator
    label: str
    value: str = ""  # in the input
    expected: str = ""  # what the person saw: sent back with the next save
    shown: str = ""
    comment: str = ""
    expected_comment: str = ""
    updated_by: str = ""
    updated_at: datetime.datetime | None = None
    previous: str = ""
    last_year: str = ""
    highlight: str = ""  # "error" or "warning" when an issue names it
    state: str = ""  # "saved", "error", "conflict", "theirs", "unchanged", "locked"
    error: str = ""
    yours: str = ""
    theirs: str = ""

    @property
    def dom_id(self) -> str:
        return _dom_id(self.key)

    @property
    def input_mode(self) -> str:
        return "numeric" if self.indicator.value_type == ValueType.INTEGER else "decimal"


@dataclass
class FieldRow:
    indicator: Indicator
    cells: list[Cell]
    split: bool
    total: str = ""
    previous_total: str = ""
    last_year_total: str = ""
    highlight: str = ""

    @property
    def dom_id(self) -> str:
        return f"field-{self.indicator.code}"


@dataclass
class Section:
    name: str
    rows: list[FieldRow] = field(default_factory=list)


@dataclass
class Layout:
    sections: list[Section]
    cells: dict[str, Cell]
    labels: dict[str, str]  # key (totals too) → what the person reads


def _highlights(issues: list[services.Issue]) -> dict[str, str]:
    marks: dict[str, str] = {}
    for issue in issues:
        for key in issue.keys:
            if issue.is_error or marks.get(key) != "error":
                marks[key] = "error" if issue.is_error else "warning"
    return marks


def _neighbour_values(report: Report) -> tuple[dict, dict]:
    """Values of the unit's previous period and of the same period last year (one query for both
    reports, one for each report's values)."""
    period = report.period
    previous, last_year = period.previous(), period.same_last_year()
    others = {
        r.period_start: r
        for r in Report.objects.filter(
            form=report.form, unit=report.unit, period_start__in=[previous.start, last_year.start]
        )
    }
    found = {start: services.values_of(r) for start, r in others.items()}
    return found.get(previous.start, {}), found.get(last_year.start, {})


def _layout(report: Report, issues: list[services.Issue], *, with_history: bool = True) -> Layout:
    """The form of the report in order: sections, fields, parts, with the values, comments, the
    previous period's and last year's values, and the fields the issues name."""
    form_fields = report.form_version.fields_in_order().prefetch_related(
        "indicator__category_set__categories"
    )
    values = services.values_of(report)
    rows = {
        (v.indicator_id, v.category_id): v
        for v in report.values.select_related("updated_by").only(
            "indicator_id", "category_id", "comment", "updated_at", "updated_by"
        )
    }
    previous, last_year = _neighbour_values(report) if with_history else ({}, {})
    marks = _highlights(issues)
    sections: dict[int, Section] = {}
    cells: dict[str, Cell] = {}
    labels: dict[str, str] = {}

    def make_cell(key: str, indicator: Indicator, label: str, category_id: int | None) -> Cell:
        stored = rows.get((indicator.pk, category_id))
        value = values.get(key)
        cell = Cell(
            key=key,
            indicator=indicator,
            label=label,
            value=_plain(value),
            expected=_plain(value),
            shown=_shown(value, indicator),
            comment=stored.comment if stored else "",
            expected_comment=stored.comment if stored else "",
            updated_by=_person(stored.updated_by) if stored else "",
            updated_at=stored.updated_at if stored else None,
            previous=_shown(previous.get(key), indicator),
            last_year=_shown(last_year.get(key), indicator),
            # An empty field is only "missing": the list names it, the form does not paint it red.
            highlight=marks.get(key, "") if value not in (None, "") else "",
        )
        cells[key] = cell
        labels[key] = label
        return cell

    for form_field in form_fields:
        indicator = form_field.indicator
        section = sections.setdefault(form_field.section_id, Section(form_field.section.name))
        labels[indicator.code] = indicator.name
        if indicator.category_set_id:
            parts = [
                make_cell(
                    _key(indicator.code, category.code),
                    indicator,
                    category.name,
                    category.pk,
                )
                for category in indicator.category_set.categories.all()
            ]
            for cell in parts:
                labels[cell.key] = f"{indicator.name}: {cell.label}"
            row = FieldRow(
                indicator,
                parts,
                split=True,
                total=_shown(values.get(indicator.code), indicator),
                previous_total=_shown(previous.get(indicator.code), indicator),
                last_year_total=_shown(last_year.get(indicator.code), indicator),
            )
        else:
            row = FieldRow(
                indicator, [make_cell(indicator.code, indicator, indicator.name, None)], split=False
            )
        own = marks.get(indicator.code, "") if values.get(indicator.code) not in (None, "") else ""
        row.highlight = own or next((c.highlight for c in row.cells if c.highlight), "")
        section.rows.append(row)
    return Layout(list(sections.values()), cells, labels)


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


@dataclass
class IssueView:
    issue: services.Issue
    fields: list[tuple[str, str]]  # (dom id, label) of the fields it names

    @property
    def keys(self) -> str:
        return " ".join(self.issue.keys)

    @property
    def shown_fields(self) -> list[tuple[str, str]]:
        return self.fields[:ISSUE_FIELDS_SHOWN]

    @property
    def more(self) -> int:
        return max(0, len(self.fields) - ISSUE_FIELDS_SHOWN)


def _issue_views(issues: list[services.Issue], layout: Layout) -> list[IssueView]:
    views = []
    for issue in sorted(issues, key=lambda i: not i.is_error):
        fields = []
        for key in issue.keys:
            target = _dom_id(key) if key in layout.cells else f"field-{key.split('.')[0]}"
            fields.append((target, layout.labels.get(key, key)))
        views.append(IssueView(issue, fields))
    return views


def is_outlier(issue: services.Issue) -> bool:
    # Rule warnings name their expression in `detail`; the outlier warnings of check_report have none.
    return not issue.is_error and not issue.detail


# --- my reports ---------------------------------------------------------------------------------------------


@dataclass
class PeriodRow:
    period: Period
    report: Report | None
    due: datetime.date
    overdue: bool
    closed: bool

    @property
    def status(self) -> str:
        return self.report.status if self.report else "not_started"


@dataclass
class FormBlock:
    form: ReportForm
    periods: list[PeriodRow]


@dataclass
class UnitBlock:
    unit: OrgUnit
    forms: list[FormBlock]


def _reporting_units(user):
    """Units the user enters reports for that some open form is assigned to, in tree order."""
    condition = Q(pk__in=[])
    for assignment in FormAssignment.objects.filter(form__is_open=True).select_related("unit"):
        if assignment.kinds:
            condition |= in_subtree("path", assignment.unit.path) & Q(kind__in=assignment.kinds)
        else:
            condition |= Q(pk=assignment.unit_id)
    return scope.units(user, ENTER).filter(condition, archived_at__isnull=True).order_by("path")


def _is_open(unit: OrgUnit, period: Period) -> bool:
    return (unit.opened_on is None or unit.opened_on <= period.end) and (
        unit.closed_on is None or unit.closed_on >= period.start
    )


def _recent_periods(form: ReportForm, today: datetime.date) -> list[Period]:
    current = Period.containing(form.period_type, today)
    return [current.shift(-step) for step in range(RECENT_PERIODS.get(form.period_type, 2))]


def _unit_blocks(units: list[OrgUnit], today: datetime.date) -> list[UnitBlock]:
    unit_forms = forms_for_units(units, is_open=True)
    forms = {form.pk: form for found in unit_forms.values() for form in found}
    if not forms:
        return []
    earliest = min(_recent_periods(form, today)[-1].start for form in forms.values())
    reports = Report.objects.filter(unit__in=units, form__in=list(forms)).filter(
        Q(period_start__gte=earliest) | Q(status__in=WAITING)
    )
    found = {(r.form_id, r.unit_id, r.period_start): r for r in reports.select_related("reviewed_by")}
    blocks = []
    for unit in units:
        form_blocks = []
        for form in unit_forms[unit.pk]:
            periods = [p for p in _recent_periods(form, today) if _is_open(unit, p)]
            starts = {p.start for p in periods}
            # Older reports still waiting for her (returned, or forgotten drafts) come after the recent ones.
            older = sorted(
                (
                    Period.from_start(form.period_type, start)
                    for (form_id, unit_id, start), report in found.items()
                    if form_id == form.pk
                    and unit_id == unit.pk
                    and start not in starts
                    and report.status in WAITING
                ),
                reverse=True,
            )
            rows = []
            for period in periods + older:
                report = found.get((form.pk, unit.pk, period.start))
                due = report.due if report else period.deadline(form.deadline_days)
                rows.append(
                    PeriodRow(
                        period=period,
                        report=report,
                        due=due,
                        overdue=due < today and (report is None or report.status in WAITING),
                        closed=report is None and services.period_closed(form, period),
                    )
                )
            form_blocks.append(FormBlock(form, rows))
        if form_blocks:
            blocks.append(UnitBlock(unit, form_blocks))
    return blocks


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    units = _reporting_units(request.user)
    if q:
        units = units.search(q)
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {
        "nav_active": "reporting",
        "blocks": _unit_blocks(list(page), today),
        "page": page,
        "q": q,
        "today": today,
        "can_review": scope.prefixes(request.user, REVIEW) != (),
    }
    return render(request, "reporting/entry/my_reports.html", context)


def _int_or_404(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


@login_required
def report_open(request: HttpRequest) -> HttpResponse:
    """Open (on the first click: create) the report of a unit, form and period. Only POST creates."""
    if request.method != "POST":
        return redirect("reporting:my_reports")
    unit = scope.get_unit_or_404(request.user, request.POST.get("unit"))
    form = ReportForm.objects.filter(pk=_int_or_404(request.POST.get("form"))).first()
    if form is None:
        raise Http404
    try:
        period = Period.parse(request.POST.get("period", ""))
    except PeriodError:
        messages.error(request, _("The period cannot be read."))
        return redirect("reporting:my_reports")
    try:
        report = services.open_report(user=request.user, form=form, unit=unit, period=period)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reporting:my_reports")
    return redirect("reporting:report_detail", pk=report.pk)


# --- the entry form -----------------------------------------------------------------------------------------


def _history(report: Report) -> tuple[list, list]:
    # Every save of values bumps the report's version; the report's own history shows its workflow only.
    report_changes = list(
        Report.history.filter(id=report.pk)
        .exclude(Q(history_type="~") & (Q(history_change_reason__isnull=True) | Q(history_change_reason="")))
        .select_related("history_user")
        .order_by("-history_date")[:HISTORY_LIMIT]
    )
    value_changes = list(
        Value.history.filter(report_id=report.pk)
        .select_related("history_user", "updated_by", "indicator", "category")
        .order_by("-history_date")[:HISTORY_LIMIT]
    )
    for change in report_changes:
        change.who = _person(change.history_user)
    for change in value_changes:
        # Writes outside a request (imports, scripts) have no history user; the value names its author.
        change.who = _person(change.history_user or change.updated_by)
        indicator = change.indicator
        change.label = indicator.name + (f": {change.category.name}" if change.category_id else "")
        change.shown = _shown(change.number, indicator) if indicator.is_numeric else change.text
    return report_changes, value_changes


def _detail_context(request: HttpRequest, report: Report, **extra) -> dict:
    user = request.user
    issues = services.check_report(report)
    layout = _layout(report, issues)
    report_changes, value_changes = _history(report)
    period = report.period
    can_review = scope.covers(user, report.unit, REVIEW)
    context = {
        "nav_active": "reporting",
        "report": report,
        "period": period,
        "reviewer": _person(report.reviewed_by),
        "submitter": _person(report.submitted_by),
        "editable": services.can_edit(user, report),
        "layout": layout,
        "issues": _issue_views(issues, layout),
        "error_count": sum(1 for i in issues if i.is_error),
        "warning_count": sum(1 for i in issues if not i.is_error),
        "previous_label": period.previous().label(),
        "last_year_label": period.same_last_year().label(),
        "show_last_year": period.previous() != period.same_last_year(),
        "report_changes": report_changes,
        "value_changes": value_changes,
        "can_review": can_review and report.status == ReportStatus.SUBMITTED,
        "can_reopen": can_review and report.status == ReportStatus.ACCEPTED,
        "overdue": report.status in WAITING and report.due < timezone.localdate(),
        "submit_form": extra.pop("submit_form", None)
        or SubmitForm(initial={"comment": report.submit_comment}),
        "return_form": ReturnForm(),
        "reopen_form": ReopenForm(),
    }
    context.update(extra)
    return context


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_or_404(request.user, pk)
    return render(request, DETAIL, _detail_context(request, report))


def _comment_conflict(report: Report, spec: services.FieldSpec, seen: str) -> dict | None:
    """Someone changed the comment since the person loaded it (the value's conflicts are the service's)."""
    stored = (
        Value.objects.filter(report=report, indicator=spec.indicator, category_id=spec.category_id)
        .values_list("comment", flat=True)
        .first()
    )
    if (stored or "").strip() != seen.strip():
        return {"theirs": stored or ""}
    return None


@login_required
def report_value(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave of one value (and its comment): answers the cell saved, with an error, or with a conflict."""
    if request.method != "POST":
        return redirect("reporting:report_detail", pk=pk)
    report = get_report_or_404(request.user, pk)
    form = CellForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    data = form.cleaned_data
    key = data["key"]
    spec = services.field_specs(report).get(key)
    if spec is None:
        raise Http404
    state, error, conflict = "unchanged", "", None
    if not services.can_edit(request.user, report):
        if not (
            scope.covers(request.user, report.unit, ENTER) or scope.covers(request.user, report.unit, REVIEW)
        ):
            raise PermissionDenied
        state, error = "locked", _locked_message(report)
    elif data["resolve"] == "theirs":
        state = "theirs"
    else:
        values = {key: data["value"]} if form.changed_value() else {}
        comments = {key: data["comment"]} if form.changed_comment() else {}
        comment_conflict = _comment_conflict(report, spec, data["expected_comment"]) if comments else None
        if comment_conflict is not None:
            state, conflict = "conflict", {"comment": True, "yours": data["comment"], **comment_conflict}
        elif values or comments:
            try:
                services.save_values(
                    user=request.user,
                    report=report,
                    values=values,
                    expected={key: data["expected"]} if values else None,
                    comments=comments,
                )
            except services.ConflictError as exc:
                state, conflict = "conflict", exc.conflicts[key]
            except ValidationError as exc:
                state = "error"
                found = exc.message_dict.get(key) if hasattr(exc, "error_dict") else None
                error = (found or exc.messages)[0]
            else:
                state = "saved"
    if not request.htmx:
        return _value_answer_without_js(request, report, state, error, conflict, key)
    report.refresh_from_db()
    issues = services.check_report(report)
    layout = _layout(report, issues, with_history=False)
    cell = layout.cells[key]
    cell.state, cell.error = state, error
    if state == "error":
        cell.value = data["value"]  # keep what she typed, so she can fix it
        cell.comment = data["comment"]
    elif state == "conflict":
        # She has now seen theirs: "keep mine" (or her next change) saves over it knowingly.
        cell.value, cell.comment = data["value"], data["comment"]
        if conflict.get("comment"):
            cell.yours, cell.theirs = data["comment"], conflict["theirs"]
            cell.expected_comment = conflict["theirs"]
        else:
            cell.yours, cell.theirs = data["value"], _shown(conflict["theirs"], spec.indicator)
            cell.expected = _plain(conflict["theirs"])
    context = {
        "report": report,
        "editable": services.can_edit(request.user, report),
        "cell": cell,
        "comment_conflict": bool(conflict and conflict.get("comment")),
        "issues": _issue_views(issues, layout),
        "error_count": sum(1 for i in issues if i.is_error),
        "warning_count": sum(1 for i in issues if not i.is_error),
        "oob": True,
    }
    return render(request, f"{DETAIL}#cell_answer", context)


def _locked_message(report: Report) -> str:
    if report.status == ReportStatus.ACCEPTED:
        return _("The report is accepted and locked; a methodologist can reopen it.")
    if report.status == ReportStatus.SUBMITTED:
        return _("The report is submitted; it can be changed after it is returned.")
    return _("The period %(period)s is closed.") % {"period": report.period.label()}


def _value_answer_without_js(request, report, state, error, conflict, key) -> HttpResponse:
    if state == "saved":
        messages.success(request, _("Saved."))
    elif state in ("error", "locked"):
        messages.error(request, error)
    elif state == "conflict":
        messages.warning(
            request,
            _("Someone else has changed this value in the meantime. Yours: %(yours)s; theirs: %(theirs)s.")
            % {"yours": conflict["yours"] or "—", "theirs": _plain(conflict["theirs"]) or "—"},
        )
    return redirect(reverse("reporting:report_detail", args=[report.pk]) + "#" + _dom_id(key))


# --- the workflow -------------------------------------------------------------------------------------------


def _already_message(report: Report) -> str:
    """What a second click on submit, accept or return finds: the report has already moved on."""
    who = _person(report.reviewed_by) or _person(report.submitted_by)
    if report.status == ReportStatus.ACCEPTED:
        return _("The report is already accepted (%(who)s).") % {"who": who}
    if report.status == ReportStatus.RETURNED:
        return _("The report is already returned (%(who)s).") % {"who": who}
    if report.status == ReportStatus.SUBMITTED:
        return _("The report is already submitted; it waits for acceptance.")
    return _("The report is a draft: it has not been submitted yet.")


@login_required
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("reporting:report_detail", pk=pk)
    report = get_report_or_404(request.user, pk)
    form = SubmitForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        messages.info(request, _already_message(report))
        return redirect("reporting:report_detail", pk=report.pk)
    try:
        services.submit(user=request.user, report=report, comment=comment)
    except ValidationError as exc:
        report.refresh_from_db()
        if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):  # a second click raced the first
            messages.info(request, _already_message(report))
            return redirect("reporting:report_detail", pk=report.pk)
        if any(error.code == "warnings" for error in exc.error_list):
            form.ask_for_explanation(exc.messages[0])
            submit_errors = []
        else:
            submit_errors = exc.messages
        context = _detail_context(request, report, submit_form=form, submit_errors=submit_errors)
        return render(request, DETAIL, context, status=200)
    messages.success(request, _("The report is submitted for acceptance."))
    return redirect("reporting:report_detail", pk=report.pk)


def _next_url(request: HttpRequest, report: Report) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("reporting:report_detail", args=[report.pk])


def _review_answer(
    request: HttpRequest,
    report: Report,
    *,
    done: str = "",
    note: str = "",
    error: str = "",
    return_form: ReturnForm | None = None,
) -> HttpResponse:
    """After accept/return: the queue's row (htmx), or back to where the button was."""
    if request.htmx:
        row = _queue_rows([report])[0] if report.status == ReportStatus.SUBMITTED else QueueRow(report)
        context = {"row": row, "done": done, "note": note, "error": error, "return_form": return_form}
        return render(request, f"{QUEUE}#row", context)
    if done:
        messages.success(request, done)
    if note:
        messages.info(request, note)
    if error:
        messages.error(request, error)
    return redirect(_next_url(request, report))


@login_required
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("reporting:report_detail", pk=pk)
    report = get_report_or_404(request.user, pk, REVIEW)
    try:
        report = services.accept(user=request.user, report=report)
    except ValidationError:
        report.refresh_from_db()
        return _review_answer(request, report, note=_already_message(report))
    return _review_answer(request, report, done=_("The report is accepted."))


@login_required
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("reporting:report_detail", pk=pk)
    report = get_report_or_404(request.user, pk, REVIEW)
    form = ReturnForm(request.POST)
    if report.status != ReportStatus.SUBMITTED:
        return _review_answer(request, report, note=_already_message(report))
    if not form.is_valid():
        return _review_answer(request, report, error=form.errors["comment"][0], return_form=form)
    try:
        report = services.return_report(
            user=request.user, report=report, comment=form.cleaned_data["comment"]
        )
    except ValidationError as exc:
        report.refresh_from_db()
        if report.status != ReportStatus.SUBMITTED:
            return _review_answer(request, report, note=_already_message(report))
        return _review_answer(request, report, error=exc.messages[0], return_form=form)
    return _review_answer(request, report, done=_("The report is returned with your comment."))


@login_required
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("reporting:report_detail", pk=pk)
    report = get_report_or_404(request.user, pk, REVIEW)
    form = ReopenForm(request.POST)
    if report.status != ReportStatus.ACCEPTED:
        messages.info(request, _already_message(report))
    elif not form.is_valid():
        messages.error(request, form.errors["reason"][0])
    else:
        try:
            services.reopen(user=request.user, report=report, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The report is reopened: it can be corrected and submitted again."))
    return redirect("reporting:report_detail", pk=report.pk)


# --- the acceptance queue -----------------------------------------------------------------------------------


@dataclass
class QueueRow:
    report: Report
    errors: list[services.Issue] = field(default_factory=list)
    warnings: list[services.Issue] = field(default_factory=list)
    outliers: list[services.Issue] = field(default_factory=list)

    @property
    def late(self) -> bool:
        submitted = self.report.submitted_at
        return submitted is not None and timezone.localdate(submitted) > self.report.due


def _queue_rows(reports) -> list[QueueRow]:
    reports = list(reports)
    issues = services.check_reports(reports)
    return [_queue_row(report, issues[report.pk]) for report in reports]


def _queue_row(report: Report, issues: list[services.Issue]) -> QueueRow:
    row = QueueRow(report)
    for issue in issues:
        if issue.is_error:
            row.errors.append(issue)
        elif is_outlier(issue):
            row.outliers.append(issue)
        else:
            row.warnings.append(issue)
    return row


def _queue_periods(submitted) -> list[Period]:
    pairs = submitted.order_by().values_list("period_type", "period_start").distinct()
    periods = {Period.from_start(period_type, start) for period_type, start in pairs}
    return sorted(periods, key=lambda p: (p.start, p.type), reverse=True)[:QUEUE_PERIOD_CHOICES]


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    if scope.prefixes(user, REVIEW) == ():
        raise PermissionDenied
    submitted = reports_visible(user, REVIEW).filter(status=ReportStatus.SUBMITTED)
    form = QueueFilterForm(request.GET or None, user=user, periods=_queue_periods(submitted))
    chosen = form.filters()
    reports = submitted
    if "form" in chosen:
        reports = reports.filter(form=chosen["form"])
    if "period" in chosen:
        reports = reports.filter(period_type=chosen["period"].type, period_start=chosen["period"].start)
    if "district" in chosen:
        reports = reports.filter(in_subtree("unit__path", chosen["district"].path))
    reports = reports.select_related("submitted_by").order_by("submitted_at", "pk")
    page = Paginator(reports, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav_active": "review",
        "form": form,
        "page": page,
        "rows": _queue_rows(page),
        "query": query.urlencode(),
        "return_form": None,
    }
    if request.htmx and request.htmx.target == "queue-rows":
        return render(request, f"{QUEUE}#rows", context)
    return render(request, QUEUE, context)


urlpatterns = [
    path("", my_reports, name="my_reports"),
    path("reports/open/", report_open, name="report_open"),
    path("reports/<int:pk>/", report_detail, name="report_detail"),
    path("reports/<int:pk>/value/", report_value, name="report_value"),
    path("reports/<int:pk>/submit/", report_submit, name="report_submit"),
    path("reports/<int:pk>/accept/", report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", report_return, name="report_return"),
    path("reports/<int:pk>/reopen/", report_reopen, name="report_reopen"),
    path("review/", review_queue, name="review_queue"),
]
