"""Who is calling the API: a bearer token, or the browser's Django session.

Scripts send `Authorization: Bearer <key>` (a key from `POST /api/v1/auth/token`). A request that
sends a bearer key is judged by the key alone: an unknown or revoked key, or an inactive user, is a 401
even when a session cookie comes along. Without the header, the browser's session is accepted (so
`/api/v1/docs` works for a logged-in user), and unsafe methods then need the CSRF token like any form.

Both set `request.user`, so handlers, services and the history of changes see the caller the same way.
"""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from metodist.accounts.models import ApiToken

# Writing last_used_at on every request would turn every read into a write.
LAST_USED_PRECISION = timedelta(minutes=1)


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = ApiToken.find_active(token.strip()) if token.strip() else None
        if found is None:
            raise AuthenticationError(message=_("The token is unknown, revoked, or its user is inactive."))
        _touch(found)
        request.user = found.user
        request.api_token = found
        return found.user


class SessionAuth(APIKeyCookie):
    """The Django session of the browser; CSRF is checked for unsafe methods only once the user is known."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)  # tells the docs page to send the CSRF token with its requests

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        # check_csrf lets safe methods through and honours the test client's CSRF switch.
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header with the session cookie."))
        return user


bearer_token = BearerToken()
session = SessionAuth()
# The default of every operation; `auth=None` on an operation makes it public.
DEFAULT_AUTH = [bearer_token, session]
