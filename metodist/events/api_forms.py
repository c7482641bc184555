"""`/api/v1/forms-of-work`: the catalogue of forms of work ("New forms of mass work in libraries").

The catalogue is common to the whole network, so any authenticated caller reads it. `name` and
`description` (the short description) are in the language of the request (Accept-Language), falling back
to Russian; `name_ru`, `name_kk` and `name_en` are given as stored.
"""

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from metodist.api.pagination import Pagination
from metodist.api.schemas import error_responses
from metodist.events import catalogue
from metodist.events.models import EventFamily, FormOfWork

router = Router(tags=["forms of work"])

_FAMILY = {"json_schema_extra": {"enum": EventFamily.values}}


class FormOfWorkOut(Schema):
    code: str
    name: str = Field(..., description="The name in the language of the request.")
    name_ru: str
    name_kk: str
    name_en: str
    family: str = Field(..., description="The usual family of its events.", **_FAMILY)
    description: str = Field(..., description="The short description in the language of the request.")

    @staticmethod
    def resolve_description(obj: FormOfWork) -> str:
        return obj.text("summary")


class ScenarioOut(Schema):
    title: str
    language: str
    text: str


class FormOfWorkDetailOut(FormOfWorkOut):
    full_description: str = Field(..., description="The full description in the language of the request.")
    audiences: str
    goals: str
    preparation: list[str] = Field(..., description="Steps of preparation.")
    conduct: list[str] = Field(..., description="Steps of running it.")
    duration: str = Field(..., description="The usual duration, in the language of the request.")
    related: list[str] = Field(..., description="Codes of related forms in the catalogue.")
    scenarios: list[ScenarioOut]
    is_active: bool = Field(
        ..., description="false: withdrawn from the catalogue (old events may still use it)."
    )

    @staticmethod
    def resolve_full_description(obj: FormOfWork) -> str:
        return obj.text("description")

    @staticmethod
    def resolve_audiences(obj: FormOfWork) -> str:
        return obj.text("audiences")

    @staticmethod
    def resolve_goals(obj: FormOfWork) -> str:
        return obj.text("goals")

    @staticmethod
    def resolve_preparation(obj: FormOfWork) -> list[str]:
        return catalogue.split_steps(obj.text("preparation"))

    @staticmethod
    def resolve_conduct(obj: FormOfWork) -> list[str]:
        return catalogue.split_steps(obj.text("conduct"))

    @staticmethod
    def resolve_duration(obj: FormOfWork) -> str:
        return catalogue.duration_text(obj.duration, get_language())

    @staticmethod
    def resolve_related(obj: FormOfWork) -> list[str]:
        return list(obj.related.filter(is_active=True).order_by("code").values_list("code", flat=True))

    @staticmethod
    def resolve_scenarios(obj: FormOfWork) -> list:
        return list(obj.scenarios.all())


class FormFilters(Schema):
    q: str = Field("", description="Part of the name in any language, or of the code.")
    family: EventFamily | None = None


@router.get("", response=list[FormOfWorkOut], summary="List the forms of work")
@paginate(Pagination)
def form_list(request: HttpRequest, filters: Query[FormFilters]):
    return catalogue.forms_search(text=filters.q, family=filters.family or "")


@router.get(
    "/{code}",
    response={200: FormOfWorkDetailOut, **error_responses(404)},
    summary="One form of work with all its sections",
)
def form_detail(request: HttpRequest, code: str):
    return catalogue.get_form_or_404(code)
