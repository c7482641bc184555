"""Schemas shared by every router: the error shape and the base class of request bodies."""

from ninja import Schema
from pydantic import ConfigDict


class FieldErrorOut(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


class InputSchema(Schema):
    """Base of every request body: an unknown field is an error (a typo must not be dropped silently)."""

    model_config = ConfigDict(extra="forbid")


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation may give, for the OpenAPI schema.

        @router.get("/units/{unit_id}", response={200: UnitOut, **error_responses(404)})


    401 is always included: every operation but the token one needs credentials.
    """
    return dict.fromkeys(sorted({401, *statuses}), ErrorOut)
