"""The partner and agreement lists as XLSX workbooks (openpyxl, write-only; translated column titles)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from metodist.assistance.views import _cell, _header, _save_workbook, _xlsx_response


def xlsx_response(content: bytes, stem: str) -> HttpResponse:
    return _xlsx_response(content, stem)


def partners_xlsx(rows) -> bytes:
    """One row per partner: its card, people and libraries, and the counts of agreements and activities."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Partners"))
    sheet.freeze_panes = "A2"
    _header(
        sheet,
        [
            (_("Partner"), 45),
            (_("Kind of partner"), 24),
            (_("Kept by"), 36),
            (_("Address"), 30),
            (_("Phone"), 18),
            (_("E-mail"), 24),
            (_("Contact people"), 40),
            (_("Libraries working with it"), 45),
            (_("Agreements in force"), 12),
            (_("Joint activities"), 12),
        ],
    )
    for partner in rows:
        people = "; ".join(
            ", ".join(v for v in (c.full_name, c.position, c.phone) if v) for c in partner.contacts.all()
        )
        values = [
            partner.name,
            partner.get_kind_display(),
            partner.unit.name,
            partner.address,
            partner.phone,
            partner.email,
            people,
            "; ".join(u.name for u in partner.libraries.all()),
            partner.agreements_in_force,
            partner.activities_count,
        ]
        sheet.append([_cell(sheet, v) for v in values])
    return _save_workbook(workbook)


def agreements_xlsx(rows) -> bytes:
    """One row per agreement with its state on the day of the export."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Agreements"))
    sheet.freeze_panes = "A2"
    _header(
        sheet,
        [
            (_("Number"), 12),
            (_("Partner"), 45),
            (_("Kind of partner"), 24),
            (_("Our side"), 36),
            (_("Signed on"), 12),
            (_("Valid from"), 12),
            (_("Valid to"), 12),
            (_("Status"), 16),
            (_("Subject"), 60),
        ],
    )
    for agreement in rows:
        values = [
            agreement.number,
            agreement.partner.name,
            agreement.partner.get_kind_display(),
            agreement.unit.name,
            agreement.signed_on,
            agreement.starts_on,
            agreement.ends_on,
            str(agreement.state_label),
            agreement.subject,
        ]
        sheet.append([_cell(sheet, v) for v in values])
    return _save_workbook(workbook)
