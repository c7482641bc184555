"""`/api/v1/events/{id}/…`: an event's generated documents — the news report text, invitation tickets and
certificates (PDF).

Scope as on the pages: an event the caller cannot see answers 404; invitations and certificates need
`manage_events` on the organiser's unit, and an event the caller sees but may not manage answers 404 too.
Certificates are numbered and recorded in qualification records on the first request (a repeat changes
nothing), which is why a GET may write.
"""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from metodist.api.schemas import error_responses
from metodist.events import selectors
from metodist.events.documents import report
from metodist.events.documents.certificates import certificates_issue, certificates_pdf
from metodist.events.documents.pdf import pdf_response
from metodist.events.documents.tickets import (
    MAX_BLANK,
    checkin_url,
    event_page_url,
    invitations_pdf,
    tickets_for,
)

router = Router(tags=["events"])

PDF_RESPONSE = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}


class ReportOut(Schema):
    language: str
    text: str = Field(..., description="The news report generated from the card now.")
    published: str = Field(..., description="The event's published report in this language; empty if none.")
    hand_edited: bool = Field(
        ..., description="Whether the published report differs from what was generated."
    )


class ReportQuery(Schema):
    lang: Literal["ru", "kk"] = Field("ru", description="The language of the report: ru or kk.")


class InvitationsQuery(Schema):
    names: list[str] = Field(
        default_factory=list, description="Invitees' names, one ticket each (repeat the parameter)."
    )
    blank: int | None = Field(None, ge=1, le=MAX_BLANK, description="Print this many blank tickets instead.")


def _document_language(request: HttpRequest) -> str:
    language = (getattr(request, "LANGUAGE_CODE", "") or "ru")[:2]
    return language if language in {"ru", "kk", "en"} else "ru"


@router.get("/{event_id}/report", response={200: ReportOut, **error_responses(404)})
def event_report(request: HttpRequest, event_id: int, query: Query[ReportQuery]):
    event = selectors.get_event_or_404(request.user, event_id)
    language = query.lang
    return {
        "language": language,
        "text": report.generate(event, language),
        "published": getattr(event, f"report_{language}"),
        "hand_edited": report.report_is_hand_edited(event, language),
    }


@router.get(
    "/{event_id}/invitations.pdf",
    response={200: None, **error_responses(400, 404)},
    openapi_extra={"responses": {200: {"description": "The tickets, eight per A4 page.", **PDF_RESPONSE}}},
)
def event_invitations(request: HttpRequest, event_id: int, query: Query[InvitationsQuery]):
    event = selectors.get_event_or_404(request.user, event_id, selectors.MANAGE)
    event_url = request.build_absolute_uri(event_page_url(event))
    tickets = tickets_for(
        event,
        names=query.names,
        blank=query.blank,
        url_for_token=lambda token: checkin_url(request, event, token),
        event_url=event_url,
    )
    pdf = invitations_pdf(event=event, tickets=tickets, language=_document_language(request))
    return pdf_response(pdf, f"invitations-{event.pk}.pdf")


@router.get(
    "/{event_id}/certificates.pdf",
    response={200: None, **error_responses(400, 404)},
    openapi_extra={
        "responses": {200: {"description": "One A4 landscape page per attendee.", **PDF_RESPONSE}}
    },
)
def event_certificates(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.get_event_or_404(request.user, event_id, selectors.MANAGE)
    attendees = certificates_issue(user=request.user, event=event)
    return pdf_response(certificates_pdf(event=event, attendees=attendees), f"certificates-{event.pk}.pdf")
