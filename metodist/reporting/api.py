"""`/api/v1/report-forms`, `/api/v1/reports`, `/api/v1/values` (being built)."""

from ninja import Router

forms_router = Router(tags=["reporting"])
reports_router = Router(tags=["reporting"])
values_router = Router(tags=["reporting"])
