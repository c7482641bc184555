"""The interactive API docs (Swagger UI) served from our own static files, never from a CDN.

Ninja's own Swagger page falls back to a CDN template unless "ninja" is in INSTALLED_APPS; this one always
renders `api/docs.html`, which loads the Swagger UI files that the django-ninja package ships
(`ninja/static/ninja/`, found by the staticfiles app finder once "ninja" is an installed app).
"""

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger


class LocalSwagger(Swagger):
    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api, **kwargs) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "swagger_settings": json.dumps(settings),
            "api": api,
            # The page's "Try it out" runs in the browser session, so unsafe methods need the CSRF token.
            "add_csrf": any(getattr(auth, "csrf", False) for auth in api.auth or ()),
        }
        return render(request, self.template, context)
