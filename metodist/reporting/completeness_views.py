"""The completeness page (`/reporting/completeness/?form=&period=&unit=`) and the home card of reports.

The page answers, for one form and period in a subtree of the user's scope: how many units were expected
to report, how many did, on time, accepted; a table and a bar chart by child unit (click a child to go
down the tree), the trend of the last periods, and the units that have not reported with their contacts.
It runs a fixed number of queries whatever the size of the network (`metodist.reporting.completeness`).
`?format=xlsx` downloads the table and the list of units that have not reported.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from metodist.core import scope
from metodist.network.models import OrgUnit
from metodist.reporting.completeness import (
    Completeness,
    Tally,
    assignments_of,
    completeness,
    last_due_period,
    missing_units,
    trend,
    with_contacts,
)
from metodist.reporting.entry_views import _reporting_units, _unit_blocks
from metodist.reporting.models import FormAssignment, ReportForm, ReportStatus
from metodist.reporting.periods import Period, PeriodError, PeriodType
from metodist.reporting.selectors import ENTER, REVIEW, reports_visible

PAGE = "reporting/completeness/page.html"
CARD = "reporting/_home_reports.html"
NAV = "completeness"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# How many periods the period list offers, counting back from the current one.
PERIOD_CHOICES = {
    PeriodType.WEEK: 26,
    PeriodType.MONTH: 24,
    PeriodType.QUARTER: 12,
    PeriodType.HALF_YEAR: 8,
    PeriodType.YEAR: 6,
}
CHART_BARS = 25
MISSING_PAGE_SIZE = 30
HOME_UNITS = 10
HOME_ITEMS = 6
# Colours of the chart (Bootstrap's success, orange, danger and a light grey).
ON_TIME, LATE, OVERDUE, NOT_YET = "#198754", "#fd7e14", "#dc3545", "#ced4da"
BAR_ROW = 38


# --- choosing what to show ----------------------------------------------------------------------------------


def _forms():
    return (
        ReportForm.objects.filter(assignments__isnull=False).distinct().order_by("-is_open", "order", "code")
    )


def _chosen_form(request: HttpRequest, forms: list[ReportForm]) -> ReportForm:
    raw = request.GET.get("form", "")
    if not raw:
        return forms[0]
    for form in forms:
        if str(form.pk) == raw or form.code == raw:
            return form
    raise Http404


def _chosen_period(request: HttpRequest, form: ReportForm, default: Period) -> tuple[Period, str]:
    """The period asked for, or the default; a period of another type (the form was just switched) falls
    back silently, a code that names no period falls back with a message."""
    raw = request.GET.get("period", "").strip()
    if not raw:
        return default, ""
    try:
        period = Period.parse(raw)
    except PeriodError:
        return default, _("“%(code)s” is not a period; the latest period due is shown.") % {"code": raw[:20]}
    if period.type != form.period_type:
        return default, ""
    return period, ""


def _chosen_unit(request: HttpRequest, roots: list[OrgUnit]) -> OrgUnit:
    raw = request.GET.get("unit", "")
    if raw:
        return scope.get_unit_or_404(request.user, raw)
    return roots[0]


def _period_choices(form: ReportForm, today, chosen: Period) -> list[Period]:
    current = Period.containing(form.period_type, today)
    periods = [current.shift(-age) for age in range(PERIOD_CHOICES.get(form.period_type, 12))]
    if chosen not in periods:
        periods.append(chosen)
        periods.sort(reverse=True)
    return periods


def _ancestors(user, unit: OrgUnit) -> list[OrgUnit]:
    """The units above `unit` that the user covers, from the top: the way back up the tree."""
    paths = [unit.path[:end] for end in range(OrgUnit.steplen, len(unit.path), OrgUnit.steplen)]
    return [above for above in OrgUnit.objects.filter(path__in=paths) if scope.covers(user, above)]


# --- the chart ----------------------------------------------------------------------------------------------


@dataclass
class Segment:
    colour: str
    x: float  # % of the width
    width: float
    title: str


@dataclass
class Bar:
    label: str
    percent: int | None
    segments: list[Segment]
    y: int

    @property
    def text_y(self) -> int:
        return self.y + 14

    @property
    def bar_y(self) -> int:
        return self.y + 20


def _bars(items: list[tuple[str, Tally, bool]]) -> list[Bar]:
    """One bar per (label, figures, due day passed): on time, late, not submitted (red once overdue)."""
    bars = []
    for index, (label, tally, overdue) in enumerate(items):
        segments, x = [], 0.0
        if tally.expected:
            parts = [
                (ON_TIME, tally.on_time, _("on time")),
                (LATE, tally.late, _("late")),
                (OVERDUE if overdue else NOT_YET, tally.missing, _("not submitted")),
            ]
            for colour, count, name in parts:
                if count:
                    width = 100 * count / tally.expected
                    segments.append(Segment(colour, round(x, 3), round(width, 3), f"{name}: {count}"))
                    x += width
        bars.append(Bar(label, tally.percent, segments, index * BAR_ROW))
    return bars


def _chart(figures: Completeness, *, overdue: bool) -> tuple[list[Bar], int, bool]:
    """Bars of the children, the least complete first (at most CHART_BARS), the height, and whether cut."""
    rows = sorted(
        (row for row in figures.rows if row.tally.expected),
        key=lambda row: (row.tally.percent if row.tally.percent is not None else 101, row.unit.path),
    )
    shown = rows[:CHART_BARS]
    bars = _bars([(_row_label(row), row.tally, overdue) for row in shown])
    return bars, len(bars) * BAR_ROW + 4, len(rows) > len(shown)


def _row_label(row) -> str:
    if row.is_self:
        return _("%(unit)s (itself)") % {"unit": row.unit.name}
    return row.unit.name


# --- the page -----------------------------------------------------------------------------------------------


@login_required
def completeness_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied
    forms = list(_forms())
    if not forms:
        return render(request, PAGE, {"nav_active": NAV, "no_forms": True})
    form = _chosen_form(request, forms)
    today = timezone.localdate()
    period, period_error = _chosen_period(request, form, last_due_period(form, today))
    roots = list(scope.roots(user))
    under = _chosen_unit(request, roots)
    assignments = assignments_of(form)
    figures = completeness(form, period, under, assignments=assignments)
    overdue = figures.is_overdue(today)
    missing = missing_units(form, period, under, assignments=assignments)
    if request.GET.get("format") == "xlsx":
        return _xlsx_response(figures, missing, overdue=overdue)

    page = Paginator(missing, MISSING_PAGE_SIZE).get_page(request.GET.get("page"))
    child_length = len(under.path) + OrgUnit.steplen
    child_names = {row.unit.path: row.unit.name for row in figures.rows if not row.is_self}
    # Each unit with the child of the subtree it lies in (none when it is that child itself).
    missing_rows = [
        (
            contacts,
            child_names.get(contacts.unit.path[:child_length], "")
            if len(contacts.unit.path) > child_length
            else "",
        )
        for contacts in with_contacts(list(page.object_list))
    ]
    context = {
        "nav_active": NAV,
        "forms": forms,
        "form": form,
        "period": period,
        "period_error": period_error,
        "periods": _period_choices(form, today, period),
        "under": under,
        "ancestors": _ancestors(user, under),
        "other_roots": [root for root in roots if not under.path.startswith(root.path)],
        "figures": figures,
        "total": figures.total,
        "overdue": overdue,
        "today": today,
        "page": page,
        "missing_rows": missing_rows,
        "query": _query(form, period, under),
        "draft_label": ReportStatus.DRAFT.label,
    }
    if request.htmx and request.htmx.target == "missing-units":
        return render(request, f"{PAGE}#missing", context)
    bars, height, cut = _chart(figures, overdue=overdue)
    history = trend(form, under, last=period, assignments=assignments)
    trend_bars = _bars([(p.label(), tally, p.deadline(form.deadline_days) < today) for p, tally in history])
    context.update(
        {
            "bars": bars,
            "chart_height": height,
            "chart_cut": cut,
            "chart_limit": CHART_BARS,
            "trend": history,
            "trend_bars": trend_bars,
            "trend_height": len(trend_bars) * BAR_ROW + 4,
            "colours": {"on_time": ON_TIME, "late": LATE, "overdue": OVERDUE, "not_yet": NOT_YET},
        }
    )
    if request.htmx and request.htmx.target == "completeness-body":
        return render(request, f"{PAGE}#body", context)
    return render(request, PAGE, context)


def _query(form: ReportForm, period: Period, under: OrgUnit) -> str:
    return f"form={form.pk}&period={period.code}&unit={under.pk}"


# --- XLSX ---------------------------------------------------------------------------------------------------

HEADER_FILL = "DDE7F0"


def _header(sheet, values: list[str]) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _append(sheet, values: list) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # text that looks like a formula stays text


def _tally_cells(tally: Tally) -> list:
    return [
        tally.expected,
        tally.submitted,
        tally.percent,
        tally.on_time,
        tally.on_time_percent,
        tally.late,
        tally.accepted,
        tally.returned,
        tally.missing,
    ]


def _xlsx(figures: Completeness, missing, *, overdue: bool) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Completeness")[:31]
    _widths(sheet, [48, 12, 12, 8, 12, 8, 10, 12, 12, 12])
    _append(sheet, [figures.form.name])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([figures.period.label()])
    _append(sheet, [figures.under.name])
    sheet.append([_("Due: %(due)s") % {"due": date_format(figures.due, "SHORT_DATE_FORMAT")}])
    sheet.append([_("As of %(day)s") % {"day": date_format(timezone.localdate(), "SHORT_DATE_FORMAT")}])
    sheet.append([])
    _header(
        sheet,
        [
            _("Unit"),
            pgettext("reports", "Expected"),
            pgettext("reports", "Submitted"),
            "%",
            pgettext("reports", "On time"),
            "%",
            pgettext("reports", "Late"),
            pgettext("reports", "Accepted"),
            pgettext("reports", "Returned"),
            pgettext("reports", "Not submitted"),
        ],
    )
    sheet.freeze_panes = f"A{sheet.max_row + 1}"
    for row in figures.rows:
        _append(sheet, [_row_label(row), *_tally_cells(row.tally)])
    sheet.append([pgettext("sum", "Total"), *_tally_cells(figures.total)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)

    units = list(missing)
    listed = workbook.create_sheet((_("Overdue") if overdue else _("Not submitted yet"))[:31])
    _widths(listed, [48, 14, 16, 22, 28, 48])
    _header(
        listed,
        [_("Unit"), _("Code"), _("Report"), _("Phone"), _("E-mail"), _("Librarians")],
    )
    statuses = dict(ReportStatus.choices)
    for contacts in with_contacts(units):
        unit = contacts.unit
        people = "; ".join(
            f"{person.name} <{person.email}>" if person.email else person.name
            for person in contacts.librarians
        )
        _append(
            listed,
            [
                unit.name,
                unit.code,
                str(statuses.get(unit.report_status, _("not started"))),
                unit.phone,
                unit.email,
                people,
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_response(figures: Completeness, missing, *, overdue: bool) -> HttpResponse:
    response = HttpResponse(_xlsx(figures, missing, overdue=overdue), content_type=XLSX_CONTENT_TYPE)
    filename = f"completeness-{figures.form.code}-{figures.period.code}-{figures.under.code}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


# --- the home card ------------------------------------------------------------------------------------------


@dataclass
class Waiting:
    """A report of the librarian that is due or overdue."""

    unit: OrgUnit
    form: ReportForm
    period: Period
    due: object
    overdue: bool
    report_id: int | None
    status: str


def _waiting(user, today) -> list[Waiting]:
    """Reports of finished periods that have not been sent yet (drafts, returned, not started), overdue
    first — the same rows as "My reports" shows."""
    units = list(_reporting_units(user)[:HOME_UNITS])
    items = []
    for block in _unit_blocks(units, today):
        for form_block in block.forms:
            for row in form_block.periods:
                if row.closed or row.status not in ("not_started", ReportStatus.DRAFT, ReportStatus.RETURNED):
                    continue
                if row.period.end >= today and row.status != ReportStatus.RETURNED:
                    continue  # the current period: nothing is due yet
                items.append(
                    Waiting(
                        block.unit,
                        form_block.form,
                        row.period,
                        row.due,
                        row.overdue,
                        row.report.pk if row.report else None,
                        row.status,
                    )
                )
    items.sort(key=lambda item: (not item.overdue, item.due, item.unit.path))
    return items


@dataclass
class FormFigure:
    form: ReportForm
    period: Period
    tally: Tally


def _form_figures(root: OrgUnit, today) -> list[FormFigure]:
    """Each open form's latest period due in the subtree of `root`: three queries per form."""
    forms = (
        ReportForm.objects.filter(is_open=True, assignments__isnull=False)
        .distinct()
        .order_by("order", "code")
        .prefetch_related(Prefetch("assignments", queryset=FormAssignment.objects.select_related("unit")))
    )
    figures = []
    for form in forms:
        period = last_due_period(form, today)
        [(_period, tally)] = trend(form, root, last=period, count=1, assignments=list(form.assignments.all()))
        if tally.expected:
            figures.append(FormFigure(form, period, tally))
    return figures


@login_required
def home_reports(request: HttpRequest) -> HttpResponse:
    """The home-page card: for a reviewer the completeness of each form's latest period due in her part
    of the network and the acceptance queue; for a librarian her reports due and overdue. Empty for
    anyone else."""
    user = request.user
    today = timezone.localdate()
    if scope.prefixes(user, REVIEW) != ():
        root = scope.roots(user, REVIEW).first()
        context = {
            "reports_loaded": True,
            "reviewer": True,
            "root": root,
            "figures": _form_figures(root, today) if root else [],
            "queue_count": reports_visible(user, REVIEW).filter(status=ReportStatus.SUBMITTED).count(),
            "today": today,
        }
        return render(request, CARD, context)
    if scope.prefixes(user, ENTER) != ():
        waiting = _waiting(user, today)
        context = {
            "reports_loaded": True,
            "reviewer": False,
            "waiting": waiting[:HOME_ITEMS],
            "waiting_total": len(waiting),
            "waiting_overdue": sum(1 for item in waiting if item.overdue),
            "today": today,
        }
        return render(request, CARD, context)
    return HttpResponse("")


urlpatterns = [
    path("completeness/", completeness_page, name="completeness"),
    path("completeness/home-card/", home_reports, name="home_reports"),
]
