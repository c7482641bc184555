"""API of surveys: `/api/v1/surveys` (being built)."""

from ninja import Router

router = Router(tags=["surveys"])
