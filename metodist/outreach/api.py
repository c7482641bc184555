"""API of outreach projects: `/api/v1/outreach/…` (being built)."""

from ninja import Router

router = Router(tags=["outreach"])
