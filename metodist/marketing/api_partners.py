"""`/api/v1/partners` and `/api/v1/agreements`: partner organisations and the agreements with them.

Reads go through `metodist.marketing.partners` (scope: the records of the units the caller sees; out of
scope is 404); writes only through its services (403 without `manage_marketing` on the unit, 400 with the
field named for refused data). A unit or a partner the caller cannot see, in a filter or a body, is 404 with
that field named. An agreement's `state` is its status on today: `expiring` for an active one that ends
within 30 days, `expired` for an active one past its end.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from metodist.api.errors import ApiError
from metodist.api.pagination import Pagination
from metodist.api.schemas import InputSchema, error_responses
from metodist.assistance.api_visits import UnitRef
from metodist.core import scope
from metodist.marketing import partners
from metodist.marketing.models.partners import STATE_LABELS, AgreementStatus, Partner, PartnerKind

partners_router = Router(tags=["partners"])
agreements_router = Router(tags=["agreements"])


def _choices(values: list[str]) -> dict[str, Any]:
    return {"json_schema_extra": {"enum": values}}


def _unit_ref(unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


# --- schemas --------------------------------------------------------------------------------------------


class ContactOut(Schema):
    full_name: str
    position: str
    phone: str
    email: str


class PartnerOut(Schema):
    id: int
    unit: UnitRef = Field(..., description="The unit that keeps the partner.")
    name: str
    kind: str = Field(..., **_choices(PartnerKind.values))
    address: str
    phone: str
    email: str
    website: str
    note: str
    contacts: list[ContactOut]
    libraries: list[UnitRef] = Field(..., description="Libraries working with it.")

    @staticmethod
    def resolve_unit(obj: Partner) -> dict:
        return _unit_ref(obj.unit)

    @staticmethod
    def resolve_contacts(obj: Partner) -> list:
        return list(obj.contacts.all())

    @staticmethod
    def resolve_libraries(obj: Partner) -> list[dict]:
        return [_unit_ref(u) for u in obj.libraries.all()]


class ContactIn(InputSchema):
    full_name: str
    position: str = ""
    phone: str = ""
    email: str = ""


class PartnerCreateIn(InputSchema):
    unit: int | None = Field(None, description="The unit that keeps it; the caller's library when not sent.")
    name: str
    kind: str = Field(..., **_choices(PartnerKind.values))
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    note: str = ""
    libraries: list[int] = Field(default_factory=list, description="Ids of libraries working with it.")
    contacts: list[ContactIn] = Field(default_factory=list)


class PartnerFilters(Schema):
    kind: str | None = Field(None, **_choices(PartnerKind.values))
    unit: int | None = Field(None, description="Partners kept by this unit or a unit below it.")
    q: str | None = Field(None, description="Part of the name or of a contact person's name.")
    expiring: bool = Field(False, description="Only partners with an agreement expiring within 30 days.")


class AgreementOut(Schema):
    id: int
    unit: UnitRef = Field(..., description="Our side.")
    partner: int
    partner_name: str
    number: str
    signed_on: datetime.date | None
    starts_on: datetime.date
    ends_on: datetime.date | None
    subject: str
    status: str = Field(..., **_choices(AgreementStatus.values))
    state: str = Field(..., description="The status on today.", **_choices(list(STATE_LABELS)))
    has_file: bool

    @staticmethod
    def resolve_unit(obj) -> dict:
        return _unit_ref(obj.unit)

    @staticmethod
    def resolve_partner(obj) -> int:
        return obj.partner_id

    @staticmethod
    def resolve_partner_name(obj) -> str:
        return obj.partner.name

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.state(timezone.localdate())

    @staticmethod
    def resolve_has_file(obj) -> bool:
        return bool(obj.file)


class AgreementCreateIn(InputSchema):
    unit: int | None = Field(None, description="Our side; the caller's library when not sent.")
    partner: int
    number: str
    signed_on: datetime.date | None = None
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    subject: str
    status: str = Field(AgreementStatus.ACTIVE.value, **_choices(AgreementStatus.values))


class AgreementFilters(Schema):
    state: str | None = Field(None, **_choices(list(STATE_LABELS)))
    partner: int | None = None
    kind: str | None = Field(None, description="Kind of the partner.", **_choices(PartnerKind.values))
    expiring: bool = Field(False, description="Only active agreements that end within 30 days.")


# --- helpers --------------------------------------------------------------------------------------------


def _unit_or_404(user, pk: int, field: str):
    try:
        return scope.get_unit_or_404(user, pk)
    except Http404 as exc:
        raise ApiError(404, _("The unit was not found."), field=field) from exc


def _partner_or_404(user, pk: int, field: str = "partner") -> Partner:
    try:
        return partners.get_partner_or_404(user, pk)
    except Http404 as exc:
        raise ApiError(404, _("The partner was not found."), field=field) from exc


# --- partners -------------------------------------------------------------------------------------------


@partners_router.get("", response={200: list[PartnerOut], **error_responses(404, 422)})
@paginate(Pagination)
def partner_list(request: HttpRequest, filters: Query[PartnerFilters]):
    """Partners the caller sees, by name."""
    user = request.user
    found = partners.filter_partners(
        partners.partners_visible(user),
        kind=filters.kind or "",
        search=(filters.q or "").strip(),
        expiring=filters.expiring,
    )
    if filters.unit is not None:
        unit = _unit_or_404(user, filters.unit, "unit")
        found = found.filter(unit__path__startswith=unit.path)
    return found.prefetch_related("contacts", "libraries").order_by("name", "id")


@partners_router.get("/{int:pk}", response={200: PartnerOut, **error_responses(404)})
def partner_detail(request: HttpRequest, pk: int):
    return partners.get_partner_or_404(request.user, pk)


@partners_router.post("", response={201: PartnerOut, **error_responses(400, 403, 404, 422)})
def partner_create(request: HttpRequest, payload: PartnerCreateIn):
    """Record a partner. Needs `manage_marketing` on the unit."""
    user = request.user
    data = payload.dict(exclude={"libraries", "contacts"})
    if data["unit"] is not None:
        data["unit"] = _unit_or_404(user, data["unit"], "unit")
    libraries = []
    for pk in dict.fromkeys(payload.libraries):
        libraries.append(_unit_or_404(user, pk, "libraries"))
    partner = partners.partner_create(
        user=user, data=data, libraries=libraries, contacts=[c.dict() for c in payload.contacts]
    )
    return Status(201, partners.get_partner_or_404(user, partner.pk))


# --- agreements -----------------------------------------------------------------------------------------


@agreements_router.get("", response={200: list[AgreementOut], **error_responses(404, 422)})
@paginate(Pagination)
def agreement_list(request: HttpRequest, filters: Query[AgreementFilters]):
    """Agreements the caller sees, the latest first."""
    user = request.user
    partner = _partner_or_404(user, filters.partner) if filters.partner is not None else None
    if filters.state and filters.state not in STATE_LABELS:
        raise ApiError(422, _("Unknown status of an agreement."), field="state")
    found = partners.filter_agreements(
        partners.agreements_visible(user),
        today=timezone.localdate(),
        state=filters.state or "",
        kind=filters.kind or "",
        partner=partner,
        expiring=filters.expiring,
    )
    return found.order_by("-starts_on", "-id")


@agreements_router.get("/{int:pk}", response={200: AgreementOut, **error_responses(404)})
def agreement_detail(request: HttpRequest, pk: int):
    return partners.get_agreement_or_404(request.user, pk)


@agreements_router.post("", response={201: AgreementOut, **error_responses(400, 403, 404, 422)})
def agreement_create(request: HttpRequest, payload: AgreementCreateIn):
    """Record an agreement with a partner the caller sees. Needs `manage_marketing` on the unit."""
    user = request.user
    data = payload.dict()
    if data["unit"] is not None:
        data["unit"] = _unit_or_404(user, data["unit"], "unit")
    data["partner"] = _partner_or_404(user, data["partner"])
    agreement = partners.agreement_create(user=user, data=data)
    return Status(201, partners.get_agreement_or_404(user, agreement.pk))
