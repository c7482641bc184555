"""`/api/v1/practices` (being built)."""

from ninja import Router

router = Router(tags=["practices"])
