"""Fixtures of the API tests: bearer keys for the cast of `metodist/conftest.py`, and a JSON client."""

import json

import pytest
from django.test import Client

from metodist.accounts.models import ApiToken


@pytest.fixture
def key_for():
    """A new bearer key of the user: `key_for(librarian)`."""

    def issue(user, name=""):
        _token, key = ApiToken.issue(user, name=name)
        return key

    return issue


class ApiClient:
    """A test client that sends JSON and a bearer key: `api_for(librarian).patch(url, {...})`."""

    def __init__(self, key=None, **defaults):
        self.client = Client(**defaults)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}

    def _send(self, method, url, data=None, **extra):
        body = json.dumps(data) if data is not None else None
        kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
        return getattr(self.client, method)(url, **kwargs, **self.headers, **extra)

    def get(self, url, params=None, **extra):
        return self.client.get(url, params or {}, **self.headers, **extra)

    def post(self, url, data=None, **extra):
        return self._send("post", url, data, **extra)

    def patch(self, url, data=None, **extra):
        return self._send("patch", url, data, **extra)

    def delete(self, url, **extra):
        return self._send("delete", url, **extra)


@pytest.fixture
def api_for(key_for):
    def make(user=None, **defaults):
        return ApiClient(key_for(user) if user is not None else None, **defaults)

    return make
