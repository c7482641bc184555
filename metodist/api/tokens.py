"""`/api/v1/auth/…`: obtain a bearer token with a user name and password, list and revoke one's tokens.

The key is answered once, by `POST /auth/token`; only its SHA-256 digest is stored. Failed attempts
count in the same login throttle as the login page (`metodist.accounts.throttle`).
"""

from datetime import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from metodist.accounts import selectors, services, throttle
from metodist.api.errors import ApiError
from metodist.api.pagination import Pagination
from metodist.api.schemas import ErrorOut, InputSchema, error_responses

router = Router(tags=["auth"])


class TokenRequest(InputSchema):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=4096)
    name: str = Field("", max_length=100, description="What the token is for, to recognise it in the list.")


class TokenIssued(Schema):
    token: str = Field(..., description="The bearer key: send it as `Authorization: Bearer <token>`.")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(..., description="The first characters of the key, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@router.post("/token", auth=None, response={200: TokenIssued, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut})
def token_obtain(request: HttpRequest, payload: TokenRequest):
    """Exchange a user name and password for a new bearer token."""
    try:
        throttle.check(request, payload.username)
    except throttle.Throttled as exc:
        raise ApiError(429, exc.message, headers={"Retry-After": str(exc.retry_after)}) from exc
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        throttle.failed(request, payload.username)
        raise ApiError(401, _("The user name or password is wrong, or the account is not active."))
    throttle.succeeded(request, payload.username)
    _token, key = services.token_create(user=user, name=payload.name)
    return {"token": key}


@router.get("/tokens", response={200: list[TokenOut], **error_responses()})
@paginate(Pagination)
def token_list(request: HttpRequest):
    """The caller's own tokens, newest first, revoked ones included."""
    return selectors.own_tokens(request.user).order_by("-created_at", "-id")


@router.delete("/tokens/{token_id}", response={204: None, **error_responses(404)})
def token_revoke(request: HttpRequest, token_id: int):
    """Revoke one of the caller's tokens; another user's token answers 404. Revoking twice is harmless."""
    token = selectors.own_token_get_or_404(request.user, token_id)
    services.token_revoke(user=request.user, token=token)
    return Status(204, None)
