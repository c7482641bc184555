"""`/api/v1/materials` (being built)."""

from ninja import Router

router = Router(tags=["materials"])
