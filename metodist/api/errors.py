"""One shape for every error the API answers, in the language of the request.

    {"detail": "What went wrong, for a person", "errors": [{"field": "phone", "message": "..."}]}

`errors` is always present (empty when no field is to blame); `field` is a dotted path into the request
(`kind`, `languages.0`, `limit`) or null for an error of the whole request. `install(api)` maps:

    ninja ValidationError (request parsing)   -> 422, one entry per field
    django ValidationError (from services)    -> 400, `message_dict` mapped to fields
    PermissionDenied                          -> 403
    Http404, ObjectDoesNotExist               -> 404
    AuthenticationError (no or bad credentials)-> 401 with WWW-Authenticate: Bearer
    ApiError (raised by handlers)             -> its own status, detail and field
    any other ninja HttpError                 -> its status (400 for a body that is not JSON)

Handlers run after LocaleMiddleware, so gettext here answers in the request's Accept-Language.
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


class ApiError(Exception):
    """An error a handler answers on purpose: `raise ApiError(404, _("…"), field="parent")`."""

    def __init__(self, status: int, detail: str, *, field: str | None = None, headers: dict | None = None):
        self.status = status
        self.detail = detail
        self.field = field
        self.headers = headers or {}
        super().__init__(detail)


def field_error(field: str | None, message: str) -> dict[str, Any]:
    return {"field": field, "message": str(message)}


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    detail: str,
    errors: list[dict] | None = None,
    headers: dict | None = None,
) -> HttpResponse:
    response = api.create_response(request, {"detail": str(detail), "errors": errors or []}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# Pydantic's messages are English only; the usual ones are replaced by Django's own msgids, which Django's
# catalogues already translate to Russian and Kazakh.
def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind.startswith(("float_", "decimal_parsing", "decimal_type")):
        return _("Enter a number.")
    if kind.startswith("date_"):
        return _("Enter a valid date.")
    if kind.startswith("datetime_"):
        return _("Enter a valid date/time.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind == "string_type":
        return _("Enter a valid value.")
    if kind == "list_type":
        return _("Enter a list of values.")
    if kind in {"enum", "literal_error"}:
        return _("Select a valid choice. That choice is not one of the available choices.")
    if kind == "greater_than_equal":
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("ge")
        }
    if kind == "less_than_equal":
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("le")
        }
    if kind == "string_too_long":
        return _("Ensure this value has at most %(limit_value)s characters.") % {
            "limit_value": ctx.get("max_length")
        }
    if kind == "extra_forbidden":
        return _("Unknown field.")
    return str(error.get("msg", _("Enter a valid value.")))


def _pydantic_field(loc: tuple | list) -> str | None:
    """`("body", "payload", "phone")` -> "phone"; `("query", "limit")` -> "limit"."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "form", "file"}:
        parts = parts[2:]  # the source and the name of the handler's parameter
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or None


def _on_request_invalid(api: NinjaAPI, request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [field_error(_pydantic_field(e.get("loc", ())), _pydantic_message(e)) for e in exc.errors]
    return error_response(api, request, status=422, detail=_("The request is not valid."), errors=errors)


def _on_data_invalid(api: NinjaAPI, request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            field_error(None if field == NON_FIELD_ERRORS else field, message)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [field_error(None, message) for message in exc.messages]
    detail = errors[0]["message"] if len(errors) == 1 else _("The data is not valid.")
    return error_response(api, request, status=400, detail=detail, errors=errors)


def _on_permission_denied(api: NinjaAPI, request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = str(exc) or _("You have no right to do this.")
    return error_response(api, request, status=403, detail=detail)


def _on_not_found(api: NinjaAPI, request: HttpRequest, exc: Exception) -> HttpResponse:
    # Never the exception's text: it may name a record the user must not learn about.
    return error_response(api, request, status=404, detail=_("Not found."))


def _on_unauthenticated(api: NinjaAPI, request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = (
        exc.message if exc.message != "Unauthorized" else _("Authentication credentials were not provided.")
    )
    return error_response(api, request, status=401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def _on_http_error(api: NinjaAPI, request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = exc.message
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # Ninja's "Cannot parse request body", raised from the JSON decoder's error.
        detail = _("The request body is not valid JSON.")
    return error_response(api, request, status=exc.status_code, detail=detail)


def _on_api_error(api: NinjaAPI, request: HttpRequest, exc: ApiError) -> HttpResponse:
    errors = [field_error(exc.field, exc.detail)] if exc.field else []
    return error_response(
        api, request, status=exc.status, detail=exc.detail, errors=errors, headers=exc.headers
    )


def install(api: NinjaAPI) -> None:
    """Replace Ninja's default error answers with ours."""
    handlers = {
        NinjaValidationError: _on_request_invalid,
        DjangoValidationError: _on_data_invalid,
        PermissionDenied: _on_permission_denied,
        Http404: _on_not_found,
        ObjectDoesNotExist: _on_not_found,
        AuthenticationError: _on_unauthenticated,
        HttpError: _on_http_error,
        ApiError: _on_api_error,
    }
    for exc_class, handler in handlers.items():
        api.add_exception_handler(exc_class, lambda request, exc, handler=handler: handler(api, request, exc))
