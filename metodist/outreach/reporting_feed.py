"""Knigonosha feeds reporting: a library's figures of a month go into its report «outreach_monthly».

    transfer = figures_to_report(user=u, library=mukur, period=Period.parse("2025-03"))
    transfer.report      # the library's report of March 2025 (a draft on first use)
    transfer.written     # False when the report was already submitted or accepted: it is left as it is

The figures are those of `selectors.knigonosha_figures` (readers served at home, deliveries made, items
brought); they are written through `metodist.reporting.services` (`open_report`, `save_values`), so the
report keeps its history and versions and the scope rules of reporting apply. A second transfer of the same
month updates the same draft (or returned) report. The form is assigned to each library that runs
Knigonosha on its own (a FormAssignment without kinds), so completeness expects it from those libraries
only: `assign_form(library)` does it, and the first transfer calls it when it is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from metodist.core import scope
from metodist.network.models import OrgUnit
from metodist.outreach import selectors
from metodist.reporting import services as reporting
from metodist.reporting.models import FormAssignment, Report, ReportForm, ReportStatus
from metodist.reporting.periods import Period, PeriodType
from metodist.reporting.selectors import ENTER, forms_for_unit

FORM_CODE = "outreach_monthly"
# The indicator of the form each figure of `knigonosha_figures` goes into.
FIGURES = {"home_readers": "readers", "home_deliveries": "deliveries", "home_items": "items"}
LOCKED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


@dataclass
class Transfer:
    report: Report
    values: dict[str, int]
    written: bool


def feed_form() -> ReportForm | None:
    return ReportForm.objects.filter(code=FORM_CODE).first()


def may_transfer(user, library: OrgUnit) -> bool:
    return scope.covers(user, library, ENTER)


def assign_form(library: OrgUnit, form: ReportForm | None = None) -> bool:
    """Make the library report on the Knigonosha form (it alone, not its subtree); answers whether an
    assignment was added. Nothing happens while the form is not installed."""
    form = form or feed_form()
    if form is None or forms_for_unit(library).filter(pk=form.pk).exists():
        return False
    FormAssignment.objects.create(form=form, unit=library, kinds=[])
    return True


@transaction.atomic
def figures_to_report(*, user, library: OrgUnit, period: Period) -> Transfer:
    """Write the library's Knigonosha figures of the month `period` into its report of that month."""
    if not may_transfer(user, library):
        raise PermissionDenied(_("You cannot fill in reports of “%(unit)s”.") % {"unit": library.name})
    if period.type != PeriodType.MONTH:
        raise ValidationError(_("The figures of Knigonosha are reported by month."))
    form = feed_form()
    if form is None:
        raise ValidationError(_("The report form of Knigonosha is not installed."))
    assign_form(library, form)
    report = reporting.open_report(user=user, form=form, unit=library, period=period)
    figures = selectors.knigonosha_figures(library, period.start, period.end)
    values = {code: figures[name] for code, name in FIGURES.items()}
    if report.status in LOCKED:
        return Transfer(report, values, written=False)
    report = reporting.save_values(user=user, report=report, values=values)
    return Transfer(report, values, written=True)
