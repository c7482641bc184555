"""Login throttling: a pause after too many failed logins for one user name or from one address.

After `settings.LOGIN_THROTTLE_ATTEMPTS` failures within `settings.LOGIN_THROTTLE_WINDOW` seconds for the
same user name, or from the same client address, further attempts are refused without checking the
password until the oldest of those failures leaves the window. A successful login clears the counter of
the user name (not of the address: logging in to one's own account must not reset an attacker's count).

The login page and the API token endpoint (`POST /api/v1/auth/token`) both use it the same way:

    from metodist.accounts import throttle

    try:
        throttle.check(request, username)          # raises throttle.Throttled before any password check
    except throttle.Throttled as exc:
        return refuse(exc.message, retry_after=exc.retry_after)   # a translated text; seconds to wait
    user = authenticate(request, username=username, password=password)
    if user is None:
        throttle.failed(request, username)
    else:
        throttle.succeeded(request, username)

`throttle.wait(request, username)` answers the seconds to wait (0 when an attempt may go on) for callers
that prefer a value to an exception.

Failures are kept in Django's default cache as lists of timestamps (so the count slides with time and
does not depend on how the cache backend expires keys). With several worker processes the cache must be
shared (`METODIST_CACHE_DIR`), or each process counts on its own. The client address is REMOTE_ADDR:
behind a reverse proxy, the proxy must pass the real address through to it.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import ngettext

_KEY_PREFIX = "metodist:login-failures"


class Throttled(Exception):
    """Too many failed attempts: the attempt is refused before the password is checked."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(self.message)

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))

    @property
    def message(self) -> str:
        return ngettext(
            "Too many failed attempts. Try again in %(minutes)s minute.",
            "Too many failed attempts. Try again in %(minutes)s minutes.",
            self.minutes,
        ) % {"minutes": self.minutes}


def _attempts() -> int:
    return settings.LOGIN_THROTTLE_ATTEMPTS


def _window() -> int:
    return settings.LOGIN_THROTTLE_WINDOW


def _key(kind: str, value: str) -> str:
    # Hashed: user names may hold characters that some cache backends refuse in keys.
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"{_KEY_PREFIX}:{kind}:{digest}"


def client_address(request: HttpRequest) -> str:
    if settings.METODIST_BEHIND_PROXY:
        # nginx appends the real address last; what comes before it is whatever the client sent.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR") or "unknown"


def _keys(request: HttpRequest, username: str) -> list[str]:
    keys = [_key("address", client_address(request))]
    username = (username or "").strip().lower()
    if username:
        keys.append(_key("user", username))
    return keys


def _recent(key: str, now: float) -> list[float]:
    """Failure timestamps of the key that are still inside the window, oldest first."""
    stamps = cache.get(key) or []
    return [stamp for stamp in stamps if stamp > now - _window()]


def wait(request: HttpRequest, username: str) -> int:
    """Seconds the client must wait before the next attempt for this user name; 0 when it may go on."""
    now = time.time()
    longest = 0.0
    for key in _keys(request, username):
        stamps = _recent(key, now)
        if len(stamps) >= _attempts():
            # Allowed again when enough failures have left the window to go below the limit.
            longest = max(longest, stamps[-_attempts()] + _window() - now)
    return math.ceil(longest)


def check(request: HttpRequest, username: str) -> None:
    """Raise Throttled when the attempt must be refused without checking the password."""
    seconds = wait(request, username)
    if seconds > 0:
        raise Throttled(seconds)


def failed(request: HttpRequest, username: str) -> None:
    """Count a failed attempt against the user name and the client address."""
    now = time.time()
    for key in _keys(request, username):
        # Keep only as many timestamps as the limit needs: the list stays small whatever an attacker does.
        stamps = [*_recent(key, now), now][-_attempts() :]
        cache.set(key, stamps, timeout=_window())


def succeeded(request: HttpRequest, username: str) -> None:
    """Forget the failures of the user name after a successful login."""
    username = (username or "").strip().lower()
    if username:
        cache.delete(_key("user", username))
