"""One save per create form: a hidden random key makes a double submit save once.

The form carries `submit_key` (`form_key(request)` makes or keeps it); the view guards its save:

    guard = SubmitOnce(request, "events:create", enabled=event is None)
    if isinstance(guard.done, int): ...already saved, go to it...
    if not guard.claim(): ...the first click is still saving...
    ... save ...; guard.saved(obj.pk)      # or guard.release() when the form had errors
"""

import re

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import get_random_string

TTL = 10 * 60
_KEY = re.compile(r"^[A-Za-z0-9]{20,40}$")


def form_key(request: HttpRequest) -> str:
    """The key for the form being shown: the one it was posted with, or a new one."""
    posted = request.POST.get("submit_key", "") if request.method == "POST" else ""
    return posted if _KEY.match(posted) else get_random_string(32)


class SubmitOnce:
    def __init__(self, request: HttpRequest, namespace: str, *, enabled: bool = True):
        key = request.POST.get("submit_key", "")
        valid = enabled and _KEY.match(key)
        self.cache_key = f"submit:{namespace}:{request.user.pk}:{key}" if valid else None
        # The pk of what the key already saved, "pending" while its first submit saves, or None.
        self.done = cache.get(self.cache_key) if self.cache_key else None

    def claim(self) -> bool:
        """False when the same form was already submitted (saved or being saved)."""
        if self.done is not None:
            return False
        return self.cache_key is None or cache.add(self.cache_key, "pending", TTL)

    def saved(self, pk: int) -> None:
        if self.cache_key:
            cache.set(self.cache_key, pk, TTL)

    def release(self) -> None:
        if self.cache_key:
            cache.delete(self.cache_key)
