"""The OpenAPI schema and the interactive docs, which must load nothing from outside the server."""

import re

from django.contrib.staticfiles import finders
from django.test import Client


def test_the_schema_lists_the_paths(db):
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/v1/auth/token",
        "/api/v1/auth/tokens",
        "/api/v1/auth/tokens/{token_id}",
        "/api/v1/units",
        "/api/v1/units/{unit_id}",
    } <= set(paths)
    assert {"get", "post"} <= set(paths["/api/v1/units"])
    assert {"get", "patch"} <= set(paths["/api/v1/units/{unit_id}"])


def test_the_schema_describes_bearer_auth_and_the_error_shape(db):
    schema = Client().get("/api/v1/openapi.json").json()

    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["BearerToken"].items()
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == {"detail", "errors"}
    units = schema["paths"]["/api/v1/units"]["get"]
    assert {"limit", "offset", "under", "kind", "q", "archived"} <= {p["name"] for p in units["parameters"]}
    assert units["security"]


def test_the_token_endpoint_needs_no_credentials(db):
    operation = Client().get("/api/v1/openapi.json").json()["paths"]["/api/v1/auth/token"]["post"]

    assert "security" not in operation


def test_the_docs_page_loads_nothing_from_outside(db):
    response = Client().get("/api/v1/docs")

    html = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui-bundle.js" in html
    sources = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)
    assert sources
    assert not [url for url in sources if url.startswith(("http://", "https://", "//"))]


def test_the_docs_assets_are_served_from_our_static_files():
    for name in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        assert finders.find(name), name
