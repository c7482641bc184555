"""The versioned JSON API, mounted at `/api/v1/`; schema at `/api/v1/openapi.json`, docs at `/api/v1/docs`.

Conventions every router follows (events, reporting and surveys add theirs the same way):

- **A router per part**, in `metodist/<app>/api.py` (or `metodist/api/<part>.py` for the registry),
  `router = Router(tags=["<part>"])`, added below with `api.add_router("/<plural>", router)`.
  Handlers are thin: parse, call the app's selectors and services, return the object.
- **Auth** is on by default for every operation (`auth.DEFAULT_AUTH`): `Authorization: Bearer <key>`
  (keys from `POST /auth/token`), or the browser session with CSRF for unsafe methods. Only an operation
  that must be public says `auth=None`. `request.user` is the caller either way.
- **Scope**: every read starts from `metodist.core.scope` (`scope.units`, `scope.records`,
  `scope.get_unit_or_404`, `scope.get_record_or_404`). Out of scope is 404, never 403, so the API tells
  no more than the pages. A referenced unit the caller cannot see (a `parent`, a `unit`) is 404 too,
  with that field named in `errors`.
- **Writes** go only through the app's services, which raise PermissionDenied (→ 403) and
  ValidationError (→ 400 with `message_dict` mapped to fields). Several service calls in one request
  go inside `transaction.atomic()`.
- **Lists** answer `{"items": [...], "count": N}` with `?limit=` (default 100, at most 500) and
  `?offset=`: `@paginate(Pagination)` from `metodist.api.pagination` under a `response=list[XOut]`
  route. Filters are a `Query[...]` schema. Order lists by something stable (the tree `path`, or a
  date then `id`), and avoid N+1: annotate, `select_related`, or fetch related rows for the page in one query.
- **Errors** always answer `{"detail": "...", "errors": [{"field": ..., "message": ...}]}`
  (`metodist.api.errors`): 401 no or bad credentials, 403 no right, 404 not found or out of scope,
  400 data refused by a service, 422 a request that does not parse (field names from the schema), 429 too
  many login attempts. Raise `ApiError(status, detail, field=...)` for anything else on purpose.
  Declare them for the schema with `response={200: XOut, **error_responses(400, 403, 404)}`.
- **Bodies** derive from `schemas.InputSchema` (unknown fields are refused with 422). PATCH schemas
  make every field optional and pass on only the fields sent (`payload.dict(exclude_unset=True)`).
  Choices are documented in the schema (`json_schema_extra={"enum": ...}`) and validated by the model,
  so the message is Django's translated one.
- **Language**: LocaleMiddleware activates the request's Accept-Language (Russian by default), so
  `gettext` in handlers and services, and `translated()` names such as `unit.name`, follow it. Every
  message is `gettext` with an English msgid and named placeholders.
- **Versioning**: `/api/v1/` only grows (new fields, new routes). Removing or renaming a field means
  `/api/v2/`: a second NinjaAPI with its own `urls_namespace`.
"""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from metodist.api import errors
from metodist.api.auth import DEFAULT_AUTH
from metodist.api.docs import LocalSwagger
from metodist.api.tokens import router as tokens_router
from metodist.api.units import router as units_router
from metodist.assistance.api import router as consultations_router
from metodist.assistance.api_materials import router as materials_router
from metodist.assistance.api_practices import router as practices_router
from metodist.assistance.api_visits import recommendations_router, visits_router
from metodist.events.api import router as events_router
from metodist.events.api_documents import router as event_documents_router
from metodist.events.api_forms import router as forms_of_work_router
from metodist.marketing.api_partners import agreements_router, partners_router
from metodist.marketing.api_surveys import router as surveys_router
from metodist.outreach.api import router as outreach_router
from metodist.reporting.api import forms_router as report_forms_router
from metodist.reporting.api import reports_router, values_router


class Renderer(JSONRenderer):
    # Cyrillic and Kazakh letters as they are: readable in curl and a third shorter than \u escapes.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Metodist API",
    version="1",
    description="The network registry, events, reporting values and surveys of a library network.",
    urls_namespace="api-v1",
    auth=DEFAULT_AUTH,
    docs=LocalSwagger(),
    renderer=Renderer(),
)
errors.install(api)

api.add_router("/auth", tokens_router)
api.add_router("/units", units_router)
api.add_router("/events", events_router)
api.add_router("/events", event_documents_router)
api.add_router("/forms-of-work", forms_of_work_router)
api.add_router("/consultations", consultations_router)
api.add_router("/visits", visits_router)
api.add_router("/recommendations", recommendations_router)
api.add_router("/materials", materials_router)
api.add_router("/practices", practices_router)
api.add_router("/report-forms", report_forms_router)
api.add_router("/reports", reports_router)
api.add_router("/values", values_router)
api.add_router("/surveys", surveys_router)
api.add_router("/partners", partners_router)
api.add_router("/agreements", agreements_router)
api.add_router("/outreach", outreach_router)
